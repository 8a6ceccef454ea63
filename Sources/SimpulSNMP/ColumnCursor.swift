import CNetSNMP
import SimpulCore

/// A numeric OID in net-snmp's own representation, held in memory of its own: the hot path
/// compares and copies these, never strings.
struct RawOID {
    let arcs: UnsafeMutablePointer<oid>
    var count: Int

    /// Room for the longest OID SNMP allows.
    static let capacity = OID.maxArcs

    init(_ value: OID) {
        arcs = .allocate(capacity: Self.capacity)
        count = value.arcs.count
        for (i, arc) in value.arcs.enumerated() { arcs[i] = oid(arc) }
    }

    func free() { arcs.deallocate() }

    /// Overwrites with `count` arcs from `source` (at most ``capacity``).
    mutating func assign(_ source: UnsafePointer<oid>, count: Int) {
        arcs.update(from: source, count: count)
        self.count = count
    }

    /// Whether `name` (of `length` arcs) starts with this OID.
    func isPrefix(of name: UnsafePointer<oid>, length: Int) -> Bool {
        guard length >= count else { return false }
        var i = 0
        while i < count {
            if name[i] != arcs[i] { return false }
            i += 1
        }
        return true
    }
}

/// One IF-MIB column being walked: its OID and the last OID the agent returned in it.
struct ColumnCursor {
    let column: IFMIBColumn
    let prefix: RawOID
    var position: RawOID
    var done = false

    init(_ column: IFMIBColumn) {
        self.column = column
        prefix = RawOID(column.oid)
        position = RawOID(column.oid)
    }

    func free() {
        prefix.free()
        position.free()
    }

    /// Back to the column's start (for a second walk over the same cursor).
    mutating func rewind() {
        position.assign(prefix.arcs, count: prefix.count)
        done = false
    }
}
