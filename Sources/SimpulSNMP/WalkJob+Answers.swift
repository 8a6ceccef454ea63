import CNetSNMP
import Foundation
import SimpulCore

/// Taking an answer in while net-snmp still holds its PDU: each variable checked against the column
/// it belongs to, never by its text.
extension WalkJob {

    /// Takes in an answer's values (called while net-snmp still holds the PDU).
    func read(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        let status = Int(pdu.pointee.errstat)
        if status == Int(simpul_snmp_err_toobig) { return .tooBig }
        if status != 0 { return .agentError(status: status, index: Int(pdu.pointee.errindex)) }
        switch phase {
        case .walking, .narrowWalk: return readBulk(pdu)
        case .narrowGet: return readGet(pdu)
        default:
            return .malformed(Text(id: "jawaban biasa atas permintaan penemuan engineID", en: "a plain response to an engineID discovery request"))
        }
    }

    func readBulk(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        let narrow = phase == .narrowWalk
        var v = pdu.pointee.variables
        // The non-repeaters: sysUpTime.0, and sysName.0 in the first request.
        for n in 0..<nonRepeaters {
            guard let variable = v else {
                return .malformed(Text(id: "jawaban GETBULK tanpa sysUpTime", en: "a GETBULK answer without sysUpTime"))
            }
            if n == 0 {
                if Varbinds.named(variable, sysUpTimeInstance), case .timeTicks(let ticks)? = Varbinds.value(variable), ticks <= UInt64(UInt32.max) {
                    currentUptime = UInt32(ticks)
                    if firstUptime == nil { firstUptime = currentUptime }
                } else if !Varbinds.isException(variable) {
                    ignored += 1
                }
            } else if Varbinds.named(variable, sysNameInstance) {
                if case .text(let name)? = Varbinds.value(variable) { sysName = name } else if !Varbinds.isException(variable) { ignored += 1 }
            }
            v = variable.pointee.next_variable
        }
        firstBulk = false
        let width = open.count
        guard width > 0 else { return .next }
        var j = 0
        var progressed = false
        while let variable = v {
            v = variable.pointee.next_variable
            let k = open[j % width]
            j += 1
            if narrow {
                if narrowColumns[k].done { continue }
                switch take(variable, into: &narrowColumns[k], narrow: true) {
                case .taken: progressed = true
                case .ended: narrowColumns[k].done = true
                case .failed(let step): return step
                }
            } else {
                if columns[k].done { continue }
                switch take(variable, into: &columns[k], narrow: false) {
                case .taken: progressed = true
                case .ended: columns[k].done = true
                case .failed(let step): return step
                }
            }
        }
        let stillOpen = narrow ? narrowColumns.contains { !$0.done } : columns.contains { !$0.done }
        if !progressed && stillOpen && j < width {
            // Fewer values than columns, and none of them new: asking again would get the same.
            return .malformed(Text(id: "jawaban GETBULK tanpa nilai untuk kolom yang diminta", en: "a GETBULK answer with no values for the columns asked"))
        }
        return .next
    }

    enum Taken {
        case taken, ended
        case failed(Step)
    }

    /// One variable of a column's stretch: its row's value, or the column's end.
    func take(_ variable: UnsafeMutablePointer<netsnmp_variable_list>, into cursor: inout ColumnCursor, narrow: Bool) -> Taken {
        if Varbinds.isException(variable) { return .ended }
        guard let name = variable.pointee.name else { return .ended }
        let length = Int(variable.pointee.name_length)
        guard length <= RawOID.capacity, cursor.prefix.isPrefix(of: name, length: length), length > cursor.prefix.count else {
            return .ended  // past the column: the agent went on to the next one
        }
        // An agent must move forward; one that does not would be walked for ever.
        guard snmp_oid_compare(name, length, cursor.position.arcs, cursor.position.count) > 0 else {
            return .failed(.malformed(Text(
                id: "agen mengulang atau mundur di \(cursor.column.objectName) (OID tidak naik)",
                en: "the agent repeated or went back in \(cursor.column.objectName) (OIDs not increasing)")))
        }
        cursor.position.assign(name, count: length)
        // The row: one more arc, the ifIndex (InterfaceIndex, 1…2147483647).
        let index = name[cursor.prefix.count]
        guard length == cursor.prefix.count + 1, index >= 1, index <= oid(Int32.max) else {
            ignored += 1
            return .taken
        }
        let ifIndex = Int32(index)
        let slot: Int
        if let known = slots[ifIndex] {
            slot = known
        } else {
            // The 32-bit walk fills rows the main walk found; it adds none.
            guard !narrow else { return .taken }
            guard rows.count < Self.maxInterfaces else { return .failed(.tooManyInterfaces) }
            slot = rows.count
            slots[ifIndex] = slot
            rows.append(SNMPInterface(ifIndex: ifIndex))
        }
        guard let value = Varbinds.value(variable), rows[slot].set(cursor.column, value) else {
            ignored += 1
            return .taken
        }
        switch cursor.column {
        case .hcInOctets, .hcOutOctets, .inOctets, .outOctets: rows[slot].countersUptime = currentUptime
        default: break
        }
        return .taken
    }

    func readGet(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        var v = pdu.pointee.variables
        if let variable = v {
            if Varbinds.named(variable, sysUpTimeInstance), case .timeTicks(let ticks)? = Varbinds.value(variable), ticks <= UInt64(UInt32.max) {
                currentUptime = UInt32(ticks)
            }
            v = variable.pointee.next_variable
        }
        for (slot, column) in getPlan {
            guard let variable = v else {
                return .malformed(Text(id: "jawaban GET dengan lebih sedikit nilai dari yang diminta", en: "a GET answer with fewer values than asked"))
            }
            v = variable.pointee.next_variable
            if Varbinds.isException(variable) { continue }
            if let value = Varbinds.value(variable), rows[slot].set(column, value) {
                rows[slot].countersUptime = currentUptime
            } else {
                ignored += 1
            }
        }
        return .next
    }
}
