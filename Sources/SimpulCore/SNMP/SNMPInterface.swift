/// IF-MIB's ifAdminStatus (1–3) and ifOperStatus (1–7).
public enum InterfaceStatus: Int32, Sendable, Hashable, CaseIterable, Codable {
    case up = 1, down, testing, unknown, dormant, notPresent, lowerLayerDown

    /// The status's name in IF-MIB (`up`, `lowerLayerDown`), for tables and JSON.
    public var name: String {
        switch self {
        case .up: "up"
        case .down: "down"
        case .testing: "testing"
        case .unknown: "unknown"
        case .dormant: "dormant"
        case .notPresent: "notPresent"
        case .lowerLayerDown: "lowerLayerDown"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}

/// Which octet counters an interface's row holds.
public enum CounterWidth: String, Sendable, Hashable, Codable {
    /// ifHCInOctets/ifHCOutOctets (Counter64).
    case bits64 = "64"
    /// ifInOctets/ifOutOctets (Counter32): the device has no 64-bit counters for this interface.
    case bits32 = "32"
    /// One direction of each: an agent that has only one of the two 64-bit counters.
    case mixed
}

/// One interface of a device as a walk found it: a row keyed by ifIndex, every column optional (an
/// agent may lack ifXTable, a column, or a row's value in it).
public struct SNMPInterface: Sendable, Hashable {
    /// IF-MIB's InterfaceIndex: 1…2147483647.
    public var ifIndex: Int32
    public var name: String?
    public var descr: String?
    public var alias: String?
    /// IANAifType (6 ethernetCsmacd, 24 softwareLoopback, 131 tunnel…).
    public var type: Int32?
    public var adminStatus: InterfaceStatus?
    public var operStatus: InterfaceStatus?
    /// ifSpeed in bits per second (4294967295 when the port is faster than that).
    public var speed: UInt32?
    /// ifHighSpeed in millions of bits per second.
    public var highSpeed: UInt32?
    /// ifHCInOctets/ifHCOutOctets, or the 32-bit ifInOctets/ifOutOctets where the 64-bit ones are absent.
    public var inOctets: CounterValue?
    public var outOctets: CounterValue?
    public var inErrors: UInt32?
    public var inDiscards: UInt32?
    public var outErrors: UInt32?
    public var outDiscards: UInt32?
    /// ifCounterDiscontinuityTime: the sysUpTime of the last discontinuity of this row's counters.
    public var discontinuityTime: UInt32?
    /// The sysUpTime of the answer that carried this row's octet counters: in a walk that takes many
    /// requests, each row's counters are read at their own agent time.
    public var countersUptime: UInt32?

    public init(ifIndex: Int32) {
        self.ifIndex = ifIndex
    }

    /// Which octet counters the row holds; nil when it has none.
    public var counterWidth: CounterWidth? {
        switch (inOctets?.is64Bit, outOctets?.is64Bit) {
        case (nil, nil): nil
        case (true, true), (true, nil), (nil, true): .bits64
        case (false, false), (false, nil), (nil, false): .bits32
        default: .mixed
        }
    }

    /// The port's speed in bits per second, from ifSpeed or ifHighSpeed (``InterfaceSpeed``).
    public var bitsPerSecond: UInt64? {
        InterfaceSpeed.bitsPerSecond(ifSpeed: speed, ifHighSpeed: highSpeed)
    }

    /// Whether the row lacks a 64-bit octet counter: the walk then reads its 32-bit ones.
    public var needsNarrowCounters: Bool {
        !(inOctets?.is64Bit ?? false) || !(outOctets?.is64Bit ?? false)
    }

    /// Stores `value` as `column`'s value when its type is the column's and it is in range; false (and
    /// nothing stored) otherwise. The ranges are IF-MIB's: an agent's value outside them is refused
    /// here, where it is read.
    @discardableResult
    public mutating func set(_ column: IFMIBColumn, _ value: SNMPValue) -> Bool {
        switch column {
        case .name, .descr, .alias:
            guard case .text(let text) = value else { return false }
            switch column {
            case .name: name = text
            case .descr: descr = text
            default: alias = text
            }
        case .type:
            guard case .integer(let v) = value, v >= 1, v <= Int64(Int32.max) else { return false }
            type = Int32(v)
        case .adminStatus, .operStatus:
            guard case .integer(let v) = value, v >= 1, v <= 7, let status = InterfaceStatus(rawValue: Int32(v)) else { return false }
            if column == .adminStatus {
                guard v <= 3 else { return false }
                adminStatus = status
            } else {
                operStatus = status
            }
        case .speed, .highSpeed:
            guard case .gauge32(let v) = value, v <= UInt64(UInt32.max) else { return false }
            if column == .speed { speed = UInt32(v) } else { highSpeed = UInt32(v) }
        case .hcInOctets, .hcOutOctets:
            guard case .counter64(let v) = value else { return false }
            if column == .hcInOctets { inOctets = .counter64(v) } else { outOctets = .counter64(v) }
        case .inOctets, .outOctets:
            guard case .counter32(let v) = value, v <= UInt64(UInt32.max) else { return false }
            // Only where the 64-bit counter is absent.
            if column == .inOctets {
                if inOctets?.is64Bit != true { inOctets = .counter32(UInt32(v)) }
            } else if outOctets?.is64Bit != true {
                outOctets = .counter32(UInt32(v))
            }
        case .inErrors, .inDiscards, .outErrors, .outDiscards:
            guard case .counter32(let v) = value, v <= UInt64(UInt32.max) else { return false }
            let counter = UInt32(v)
            switch column {
            case .inErrors: inErrors = counter
            case .inDiscards: inDiscards = counter
            case .outErrors: outErrors = counter
            default: outDiscards = counter
            }
        case .discontinuityTime:
            guard case .timeTicks(let v) = value, v <= UInt64(UInt32.max) else { return false }
            discontinuityTime = UInt32(v)
        }
        return true
    }
}

extension SNMPInterface: Codable {
    enum CodingKeys: String, CodingKey {
        case ifIndex = "if_index", name, descr, alias, type, adminStatus = "admin_status", operStatus = "oper_status"
        case speed, highSpeed = "high_speed", inOctets = "in_octets", outOctets = "out_octets"
        case inBits = "in_octets_bits", outBits = "out_octets_bits"
        case inErrors = "in_errors", inDiscards = "in_discards", outErrors = "out_errors", outDiscards = "out_discards"
        case discontinuityTime = "discontinuity_time", countersUptime = "counters_uptime"
    }

    /// Octet counters as plain numbers with their width beside them (`"in_octets": 1234,
    /// "in_octets_bits": 64`), statuses by IF-MIB name: what scripts reading `--json` want.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ifIndex, forKey: .ifIndex)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(descr, forKey: .descr)
        try c.encodeIfPresent(alias, forKey: .alias)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(adminStatus?.name, forKey: .adminStatus)
        try c.encodeIfPresent(operStatus?.name, forKey: .operStatus)
        try c.encodeIfPresent(speed, forKey: .speed)
        try c.encodeIfPresent(highSpeed, forKey: .highSpeed)
        try c.encodeIfPresent(inOctets?.value, forKey: .inOctets)
        try c.encodeIfPresent(outOctets?.value, forKey: .outOctets)
        try c.encodeIfPresent(inOctets.map { $0.is64Bit ? 64 : 32 }, forKey: .inBits)
        try c.encodeIfPresent(outOctets.map { $0.is64Bit ? 64 : 32 }, forKey: .outBits)
        try c.encodeIfPresent(inErrors, forKey: .inErrors)
        try c.encodeIfPresent(inDiscards, forKey: .inDiscards)
        try c.encodeIfPresent(outErrors, forKey: .outErrors)
        try c.encodeIfPresent(outDiscards, forKey: .outDiscards)
        try c.encodeIfPresent(discontinuityTime, forKey: .discontinuityTime)
        try c.encodeIfPresent(countersUptime, forKey: .countersUptime)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ifIndex = try c.decode(Int32.self, forKey: .ifIndex)
        guard ifIndex >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .ifIndex, in: c, debugDescription: "ifIndex must be 1…2147483647")
        }
        name = try c.decodeIfPresent(String.self, forKey: .name)
        descr = try c.decodeIfPresent(String.self, forKey: .descr)
        alias = try c.decodeIfPresent(String.self, forKey: .alias)
        type = try c.decodeIfPresent(Int32.self, forKey: .type)
        func status(_ key: CodingKeys) throws -> InterfaceStatus? {
            guard let name = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let status = InterfaceStatus(name: name) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown interface status \(name)")
            }
            return status
        }
        adminStatus = try status(.adminStatus)
        operStatus = try status(.operStatus)
        speed = try c.decodeIfPresent(UInt32.self, forKey: .speed)
        highSpeed = try c.decodeIfPresent(UInt32.self, forKey: .highSpeed)
        func counter(_ key: CodingKeys, _ bitsKey: CodingKeys) throws -> CounterValue? {
            guard let value = try c.decodeIfPresent(UInt64.self, forKey: key) else { return nil }
            switch try c.decodeIfPresent(Int.self, forKey: bitsKey) {
            case 32:
                guard let narrow = UInt32(exactly: value) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a 32-bit counter above 4294967295")
                }
                return .counter32(narrow)
            case 64, nil:
                return .counter64(value)
            default:
                throw DecodingError.dataCorruptedError(forKey: bitsKey, in: c, debugDescription: "a counter is 32 or 64 bits wide")
            }
        }
        inOctets = try counter(.inOctets, .inBits)
        outOctets = try counter(.outOctets, .outBits)
        inErrors = try c.decodeIfPresent(UInt32.self, forKey: .inErrors)
        inDiscards = try c.decodeIfPresent(UInt32.self, forKey: .inDiscards)
        outErrors = try c.decodeIfPresent(UInt32.self, forKey: .outErrors)
        outDiscards = try c.decodeIfPresent(UInt32.self, forKey: .outDiscards)
        discontinuityTime = try c.decodeIfPresent(UInt32.self, forKey: .discontinuityTime)
        countersUptime = try c.decodeIfPresent(UInt32.self, forKey: .countersUptime)
    }
}
