/// When a packet was captured: seconds since the Unix epoch (UTC) and nanoseconds within the
/// second, as libpcap gives them (microsecond captures scaled by the adapter). A parameter, never
/// read from a clock.
public struct CaptureTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: CaptureTimestamp, b: CaptureTimestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    public var description: String {
        let fraction = String(nanoseconds)
        return "\(seconds).\(String(repeating: "0", count: max(0, 9 - fraction.count)))\(fraction)"
    }
}
