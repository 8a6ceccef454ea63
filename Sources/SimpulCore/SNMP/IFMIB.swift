/// The objects Simpul reads from a device: SNMPv2-MIB's sysUpTime and sysName, and the columns of
/// IF-MIB's ifTable and ifXTable (RFC 2863) that link health needs.
public enum IFMIB {
    /// sysUpTime (TimeTicks): the agent's clock, in hundredths of a second.
    public static let sysUpTime = OID([1, 3, 6, 1, 2, 1, 1, 3])
    /// sysName (DisplayString): the name the device gives itself.
    public static let sysName = OID([1, 3, 6, 1, 2, 1, 1, 5])
    /// ifEntry: ifTable's rows.
    public static let ifEntry = OID([1, 3, 6, 1, 2, 1, 2, 2, 1])
    /// ifXEntry: ifXTable's rows (the 64-bit counters, ifName, ifAlias, ifHighSpeed).
    public static let ifXEntry = OID([1, 3, 6, 1, 2, 1, 31, 1, 1, 1])

    /// The columns one poll walks with GETBULK, several per request as snmptable does. The 32-bit
    /// octet counters are not among them: they are read afterwards, only for interfaces whose 64-bit
    /// counters are absent.
    public static let walked: [IFMIBColumn] = [
        .name, .descr, .alias, .type, .adminStatus, .operStatus, .speed, .highSpeed,
        .hcInOctets, .hcOutOctets, .inErrors, .inDiscards, .outErrors, .outDiscards, .discontinuityTime,
    ]

    /// The 32-bit octet counters, for interfaces without 64-bit ones.
    public static let fallback: [IFMIBColumn] = [.inOctets, .outOctets]
}

/// One IF-MIB column Simpul reads: where it is and what type of value it holds.
public enum IFMIBColumn: Int, Sendable, Hashable, CaseIterable, Codable {
    case name, descr, alias, type, adminStatus, operStatus, speed, highSpeed
    case hcInOctets, hcOutOctets, inOctets, outOctets
    case inErrors, inDiscards, outErrors, outDiscards, discontinuityTime

    /// The column's OID; a row's value is this followed by the ifIndex.
    public var oid: OID {
        switch self {
        case .descr: IFMIB.ifEntry.appending(2)
        case .type: IFMIB.ifEntry.appending(3)
        case .speed: IFMIB.ifEntry.appending(5)
        case .adminStatus: IFMIB.ifEntry.appending(7)
        case .operStatus: IFMIB.ifEntry.appending(8)
        case .inOctets: IFMIB.ifEntry.appending(10)
        case .inDiscards: IFMIB.ifEntry.appending(13)
        case .inErrors: IFMIB.ifEntry.appending(14)
        case .outOctets: IFMIB.ifEntry.appending(16)
        case .outDiscards: IFMIB.ifEntry.appending(19)
        case .outErrors: IFMIB.ifEntry.appending(20)
        case .name: IFMIB.ifXEntry.appending(1)
        case .hcInOctets: IFMIB.ifXEntry.appending(6)
        case .hcOutOctets: IFMIB.ifXEntry.appending(10)
        case .highSpeed: IFMIB.ifXEntry.appending(15)
        case .alias: IFMIB.ifXEntry.appending(18)
        case .discontinuityTime: IFMIB.ifXEntry.appending(19)
        }
    }

    /// The object's name in IF-MIB, as technicians know it.
    public var objectName: String {
        switch self {
        case .name: "ifName"
        case .descr: "ifDescr"
        case .alias: "ifAlias"
        case .type: "ifType"
        case .adminStatus: "ifAdminStatus"
        case .operStatus: "ifOperStatus"
        case .speed: "ifSpeed"
        case .highSpeed: "ifHighSpeed"
        case .hcInOctets: "ifHCInOctets"
        case .hcOutOctets: "ifHCOutOctets"
        case .inOctets: "ifInOctets"
        case .outOctets: "ifOutOctets"
        case .inErrors: "ifInErrors"
        case .inDiscards: "ifInDiscards"
        case .outErrors: "ifOutErrors"
        case .outDiscards: "ifOutDiscards"
        case .discontinuityTime: "ifCounterDiscontinuityTime"
        }
    }
}

/// A value as an agent sent it, already bounded by its ASN.1 type: what the adapter hands the core
/// for each variable binding. Integers arrive in wider types so that an agent's out-of-range value
/// is seen and refused here, not truncated on the way.
public enum SNMPValue: Sendable, Hashable {
    case integer(Int64)
    case counter32(UInt64)
    case gauge32(UInt64)
    case timeTicks(UInt64)
    case counter64(UInt64)
    case text(String)
    /// A value of a type Simpul does not read in that column (an OID, an IP address, Opaque…).
    case other(tag: UInt8)
}
