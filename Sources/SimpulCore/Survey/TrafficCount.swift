/// Bytes and packets, the pair every attribution figure is counted in.
public struct TrafficCount: Sendable, Hashable, Codable {
    public var bytes: UInt64
    public var packets: UInt64

    public init(bytes: UInt64 = 0, packets: UInt64 = 0) {
        self.bytes = bytes
        self.packets = packets
    }

    public static let zero = TrafficCount()

    public static func + (a: TrafficCount, b: TrafficCount) -> TrafficCount {
        TrafficCount(bytes: a.bytes &+ b.bytes, packets: a.packets &+ b.packets)
    }

    public static func - (a: TrafficCount, b: TrafficCount) -> TrafficCount {
        TrafficCount(bytes: a.bytes &- b.bytes, packets: a.packets &- b.packets)
    }

    public static func += (a: inout TrafficCount, b: TrafficCount) { a = a + b }
}
