/// What one walk of a device found: its clock and name, its interfaces as rows keyed by ifIndex,
/// and how the walk went (requests, time, the max-repetitions it settled on).
public struct SNMPDeviceWalk: Sendable, Hashable {
    /// The device's name in the inventory.
    public var device: String
    /// sysUpTime of the first answer, in hundredths of a second (wraps after 497.1 days).
    public var sysUpTime: UInt32?
    public var sysName: String?
    /// By ifIndex, ascending.
    public var interfaces: [SNMPInterface]
    /// Requests sent, retries and engineID discovery included.
    public var requests: Int
    /// Requests that went unanswered and were sent again (smaller, when they were large GETBULKs).
    public var timeouts: Int
    /// From the first request sent to the last answer.
    public var duration: Duration
    /// The max-repetitions the walk ended with: lowered after a timeout or tooBig on a large GETBULK.
    /// The caller keeps it for the device's next walk.
    public var maxRepetitions: Int
    /// Values the agent sent that were of the wrong type or out of their column's range, and left
    /// out (each leaves its column empty in its row).
    public var ignoredValues: Int

    public init(device: String, sysUpTime: UInt32?, sysName: String?, interfaces: [SNMPInterface], requests: Int,
                timeouts: Int = 0, duration: Duration, maxRepetitions: Int, ignoredValues: Int = 0) {
        self.device = device
        self.sysUpTime = sysUpTime
        self.sysName = sysName
        self.interfaces = interfaces
        self.requests = requests
        self.timeouts = timeouts
        self.duration = duration
        self.maxRepetitions = maxRepetitions
        self.ignoredValues = ignoredValues
    }

    /// The row of `ifIndex`, if the walk found it.
    public func interface(_ ifIndex: Int32) -> SNMPInterface? {
        var low = 0, high = interfaces.count
        while low < high {
            let mid = (low + high) / 2
            if interfaces[mid].ifIndex < ifIndex { low = mid + 1 } else { high = mid }
        }
        return low < interfaces.count && interfaces[low].ifIndex == ifIndex ? interfaces[low] : nil
    }

    /// The duration in milliseconds, as a fraction.
    public var milliseconds: Double { duration.inMilliseconds }
}

extension SNMPDeviceWalk: Codable {
    enum CodingKeys: String, CodingKey {
        case device, sysUpTime = "sys_up_time", sysName = "sys_name", interfaces, requests, timeouts
        case durationMs = "duration_ms", maxRepetitions = "max_repetitions", ignoredValues = "ignored_values"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(device, forKey: .device)
        try c.encodeIfPresent(sysUpTime, forKey: .sysUpTime)
        try c.encodeIfPresent(sysName, forKey: .sysName)
        try c.encode(interfaces, forKey: .interfaces)
        try c.encode(requests, forKey: .requests)
        try c.encode(timeouts, forKey: .timeouts)
        try c.encode((milliseconds * 1000).rounded() / 1000, forKey: .durationMs)
        try c.encode(maxRepetitions, forKey: .maxRepetitions)
        try c.encode(ignoredValues, forKey: .ignoredValues)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(String.self, forKey: .device)
        sysUpTime = try c.decodeIfPresent(UInt32.self, forKey: .sysUpTime)
        sysName = try c.decodeIfPresent(String.self, forKey: .sysName)
        interfaces = try c.decode([SNMPInterface].self, forKey: .interfaces)
        requests = try c.decode(Int.self, forKey: .requests)
        timeouts = try c.decodeIfPresent(Int.self, forKey: .timeouts) ?? 0
        let ms = try c.decode(Double.self, forKey: .durationMs)
        guard ms.isFinite, ms >= 0, ms < 1e12 else {
            throw DecodingError.dataCorruptedError(forKey: .durationMs, in: c, debugDescription: "duration_ms must be 0…1e12")
        }
        duration = .microseconds(Int64((ms * 1000).rounded()))
        maxRepetitions = try c.decode(Int.self, forKey: .maxRepetitions)
        ignoredValues = try c.decodeIfPresent(Int.self, forKey: .ignoredValues) ?? 0
    }
}
