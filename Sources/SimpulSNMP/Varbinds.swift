import CNetSNMP
import SimpulCore

/// Reading net-snmp's variable bindings without copying what is not kept.
enum Varbinds {
    /// Whether the variable is one of SNMPv2's exceptions (noSuchObject, noSuchInstance, endOfMibView).
    static func isException(_ v: UnsafeMutablePointer<netsnmp_variable_list>) -> Bool {
        let type = Int32(v.pointee.type)
        return type == simpul_snmp_nosuchobject || type == simpul_snmp_nosuchinstance || type == simpul_snmp_endofmibview
    }

    /// The variable's value in the core's terms, each number bounded by its type; nil for a value
    /// that cannot be read (a string longer than ``SNMPText/maxBytes``, a missing buffer, a Counter64
    /// half above 32 bits).
    static func value(_ v: UnsafeMutablePointer<netsnmp_variable_list>) -> SNMPValue? {
        let type = Int32(v.pointee.type)
        switch type {
        case simpul_asn_octet_str:
            let count = Int(v.pointee.val_len)
            guard count == 0 || v.pointee.val.string != nil else { return nil }
            let bytes = UnsafeBufferPointer(start: v.pointee.val.string, count: count)
            return SNMPText.display(bytes).map(SNMPValue.text)
        case simpul_asn_integer, simpul_asn_counter, simpul_asn_gauge, simpul_asn_timeticks:
            guard let pointer = v.pointee.val.integer, v.pointee.val_len >= MemoryLayout<CLong>.size else { return nil }
            let raw = pointer.pointee
            if type == simpul_asn_integer { return .integer(Int64(raw)) }
            // net-snmp keeps unsigned 32-bit values in a long; a negative one is out of range.
            let unsigned = UInt64(UInt(bitPattern: raw))
            switch type {
            case simpul_asn_counter: return .counter32(unsigned)
            case simpul_asn_gauge: return .gauge32(unsigned)
            default: return .timeTicks(unsigned)
            }
        case simpul_asn_counter64:
            guard let pointer = v.pointee.val.counter64 else { return nil }
            let high = UInt64(pointer.pointee.high), low = UInt64(pointer.pointee.low)
            guard high <= UInt64(UInt32.max), low <= UInt64(UInt32.max) else { return nil }
            return .counter64(high << 32 | low)
        default:
            return .other(tag: UInt8(truncatingIfNeeded: type))
        }
    }

    /// Whether the variable's name is exactly `expected` (a scalar's instance, `sysUpTime.0`).
    static func named(_ v: UnsafeMutablePointer<netsnmp_variable_list>, _ expected: RawOID) -> Bool {
        guard let name = v.pointee.name, Int(v.pointee.name_length) == expected.count else { return false }
        return expected.isPrefix(of: name, length: expected.count)
    }
}
