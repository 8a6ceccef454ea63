import Foundation

/// One counter as an agent reported it: IF-MIB's 32-bit `Counter32` (ifInOctets) or 64-bit `Counter64`
/// (ifHCInOctets). The width matters: a 32-bit counter wraps every 4 GiB, a 64-bit one never does in
/// practice, so a decrease means different things.
public enum CounterValue: Sendable, Hashable, Codable {
    case counter32(UInt32)
    case counter64(UInt64)

    public var value: UInt64 {
        switch self {
        case .counter32(let v): UInt64(v)
        case .counter64(let v): v
        }
    }

    public var is64Bit: Bool {
        if case .counter64 = self { return true }
        return false
    }
}

/// The counters a rate is computed from, named for messages and discard reasons.
public enum CounterName: String, Sendable, Hashable, Codable, CaseIterable {
    case inOctets = "in_octets", outOctets = "out_octets"
    case inErrors = "in_errors", outErrors = "out_errors"
    case inDiscards = "in_discards", outDiscards = "out_discards"

    /// The IF-MIB object's name, as technicians know it.
    public var objectName: String {
        switch self {
        case .inOctets: "ifInOctets"
        case .outOctets: "ifOutOctets"
        case .inErrors: "ifInErrors"
        case .outErrors: "ifOutErrors"
        case .inDiscards: "ifInDiscards"
        case .outDiscards: "ifOutDiscards"
        }
    }
}

/// What one poll read of one interface: the values a rate needs, with the agent's own clock.
/// The SNMP service maps the client's walk to this; nothing here knows about OIDs or sessions.
public struct CounterReading: Sendable, Hashable, Codable {
    /// The poller's wall clock when the answer arrived.
    public var at: Date
    /// The agent's sysUpTime in hundredths of a second (TimeTicks): wraps to 0 after 497.1 days.
    public var sysUpTime: UInt32?
    /// The interface's ifIndex in this walk.
    public var ifIndex: Int32
    /// ifHCInOctets/ifHCOutOctets, or the 32-bit ifInOctets/ifOutOctets where the 64-bit ones are absent.
    public var inOctets: CounterValue?
    public var outOctets: CounterValue?
    public var inErrors: UInt32?
    public var outErrors: UInt32?
    public var inDiscards: UInt32?
    public var outDiscards: UInt32?
    /// The port's speed in bits per second (`InterfaceSpeed.bitsPerSecond`); nil or 0 when unknown.
    public var speed: UInt64?
    /// ifCounterDiscontinuityTime: the sysUpTime of the last discontinuity of this interface's counters.
    public var discontinuityTime: UInt32?

    public init(at: Date, sysUpTime: UInt32?, ifIndex: Int32, inOctets: CounterValue?, outOctets: CounterValue?,
                inErrors: UInt32? = nil, outErrors: UInt32? = nil, inDiscards: UInt32? = nil, outDiscards: UInt32? = nil,
                speed: UInt64? = nil, discontinuityTime: UInt32? = nil) {
        self.at = at
        self.sysUpTime = sysUpTime
        self.ifIndex = ifIndex
        self.inOctets = inOctets
        self.outOctets = outOctets
        self.inErrors = inErrors
        self.outErrors = outErrors
        self.inDiscards = inDiscards
        self.outDiscards = outDiscards
        self.speed = speed
        self.discontinuityTime = discontinuityTime
    }

    func errorCounter(_ name: CounterName) -> UInt32? {
        switch name {
        case .inErrors: inErrors
        case .outErrors: outErrors
        case .inDiscards: inDiscards
        case .outDiscards: outDiscards
        case .inOctets, .outOctets: nil
        }
    }
}

/// A port's speed from IF-MIB's two objects.
public enum InterfaceSpeed {
    /// ifSpeed (bits per second, 32-bit) where it is exact; ifHighSpeed (millions of bits per second)
    /// where ifSpeed is saturated at 4,294,967,295 or absent (RFC 2863). Nil when neither says (0 means
    /// the agent does not know).
    public static func bitsPerSecond(ifSpeed: UInt32?, ifHighSpeed: UInt32?) -> UInt64? {
        if let ifSpeed, ifSpeed > 0, ifSpeed < UInt32.max { return UInt64(ifSpeed) }
        if let ifHighSpeed, ifHighSpeed > 0 { return UInt64(ifHighSpeed) * 1_000_000 }  // at most 4.3e15: fits
        if let ifSpeed, ifSpeed == UInt32.max { return UInt64(ifSpeed) }
        return nil
    }
}

/// Which end of the circuit the polled interface is on, to tell the agency's download from its upload.
public enum InterfaceSide: String, Sendable, Hashable, Codable, CaseIterable {
    /// The agency's router, port facing the provider (the inventory's `device`/`interface`): traffic in is
    /// the agency's download.
    case agency
    /// The office's or provider's side, port facing the agency: traffic out is the agency's download.
    case provider
}

/// A link's committed rates from the inventory, as seen on the polled interface, in bits per second.
public struct CommittedRate: Sendable, Hashable, Codable {
    public var inBitsPerSecond: UInt64
    public var outBitsPerSecond: UInt64

    public init(inBitsPerSecond: UInt64, outBitsPerSecond: UInt64) {
        self.inBitsPerSecond = inBitsPerSecond
        self.outBitsPerSecond = outBitsPerSecond
    }

    /// From the inventory's down/up Mbps (above 0 and at most a terabit, as the inventory reader checks;
    /// checked again here because the numbers cross into integer arithmetic).
    public init(downMbps: Double, upMbps: Double, side: InterfaceSide = .agency) throws(HealthSettingRefusal) {
        let down = try Self.bits(downMbps, Text(id: "Mbps turun yang dijamin", en: "committed down Mbps"))
        let up = try Self.bits(upMbps, Text(id: "Mbps naik yang dijamin", en: "committed up Mbps"))
        switch side {
        case .agency: self.init(inBitsPerSecond: down, outBitsPerSecond: up)
        case .provider: self.init(inBitsPerSecond: up, outBitsPerSecond: down)
        }
    }

    public init(link: Link, side: InterfaceSide = .agency) throws(HealthSettingRefusal) {
        try self.init(downMbps: link.downMbps, upMbps: link.upMbps, side: side)
    }

    static func bits(_ mbps: Double, _ field: Text) throws(HealthSettingRefusal) -> UInt64 {
        guard mbps.isFinite, mbps > 0, mbps <= 1_000_000 else {
            throw HealthSettingRefusal(field: field, given: "\(mbps)", allowed: "0 < Mbps ≤ 1000000")
        }
        return max(1, UInt64((mbps * 1_000_000).rounded()))
    }
}

/// Milliseconds since 1970 (UTC) for the exact arithmetic of intervals and buckets.
public enum EpochMillis {
    /// The latest time accepted: the end of year 9999.
    public static let latest: Int64 = 253_402_300_799_999

    /// `date` in whole milliseconds; nil for a date before 1970, after 9999, or not a number.
    public static func of(_ date: Date) -> Int64? {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite, millis >= 0, millis <= Double(latest) else { return nil }
        return Int64(millis)
    }

    public static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
