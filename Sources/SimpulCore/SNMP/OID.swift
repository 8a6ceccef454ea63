/// An SNMP object identifier as its numbers (`1.3.6.1.2.1.1.3.0`). Simpul speaks numeric OIDs
/// only: no MIB files are loaded, so no name lookup can be slow, missing or ambiguous.
public struct OID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// At most this many arcs (RFC 2578 3.5: 128 sub-identifiers).
    public static let maxArcs = 128

    public let arcs: [UInt32]

    /// `arcs` as given; at most ``maxArcs`` of them (more are a programming error).
    public init(_ arcs: [UInt32]) {
        precondition(arcs.count <= Self.maxArcs, "an OID has at most 128 arcs")
        self.arcs = arcs
    }

    /// Parses dotted numbers (`1.3.6.1.2.1.2.2.1.2`, a leading dot allowed); nil for anything else:
    /// an empty arc, a non-digit, an arc above 4294967295, fewer than two or more than 128 arcs.
    public init?(_ text: some StringProtocol) {
        var rest = Substring(text)
        if rest.first == "." { rest = rest.dropFirst() }
        var arcs: [UInt32] = []
        for part in rest.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.utf8.count <= 10, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = UInt64(part), value <= UInt64(UInt32.max) else { return nil }
            arcs.append(UInt32(value))
            if arcs.count > Self.maxArcs { return nil }
        }
        guard arcs.count >= 2 else { return nil }
        self.arcs = arcs
    }

    public func appending(_ arcs: UInt32...) -> OID { OID(self.arcs + arcs) }

    /// Whether `other` starts with all of this OID's arcs (an OID is a prefix of itself).
    public func isPrefix(of other: OID) -> Bool {
        other.arcs.count >= arcs.count && other.arcs.starts(with: arcs)
    }

    /// Lexicographic order, as agents walk them.
    public static func < (lhs: OID, rhs: OID) -> Bool {
        lhs.arcs.lexicographicallyPrecedes(rhs.arcs)
    }

    public var description: String { arcs.map(String.init).joined(separator: ".") }
}
