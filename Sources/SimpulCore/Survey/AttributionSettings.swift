/// How a `TrafficAttributor` counts: the interval length, how many top hosts and services to
/// report, and the bounds that keep its memory finite whatever the capture holds.
public struct AttributionSettings: Sendable, Hashable {
    /// Allowed interval lengths in seconds: one second to one day.
    public static let intervalRange: ClosedRange<Int64> = 1...86_400

    /// Length of one counting interval in seconds (default 60).
    public let intervalSeconds: Int64
    /// How many hosts and services each agency's top lists hold (default 10).
    public let topCount: Int
    /// Distinct addresses tracked per agency before the lighter half is folded into "other"
    /// (see `BoundedTallies`; default 4,096).
    public let hostTableCapacity: Int
    /// Distinct (protocol, service port) pairs tracked per agency, bounded the same way
    /// (default 1,024).
    public let serviceTableCapacity: Int
    /// Distinct intervals kept as a series (default 50,000: a month of minutes). Each costs
    /// (4 × agencies + 2) × 8 bytes. Packets in further intervals still count in every total, and
    /// in `AttributionSummary.outsideSeries`.
    public let maximumIntervals: Int

    public init(intervalSeconds: Int64 = 60, topCount: Int = 10, hostTableCapacity: Int = 4_096,
                serviceTableCapacity: Int = 1_024, maximumIntervals: Int = 50_000) throws(AttributionSettingsError) {
        guard Self.intervalRange.contains(intervalSeconds) else { throw .interval(intervalSeconds) }
        guard (1...10_000).contains(topCount) else { throw .topCount(topCount) }
        guard (2...1 << 24).contains(hostTableCapacity) else { throw .tableCapacity(hostTableCapacity) }
        guard (2...1 << 24).contains(serviceTableCapacity) else { throw .tableCapacity(serviceTableCapacity) }
        guard (1...10_000_000).contains(maximumIntervals) else { throw .maximumIntervals(maximumIntervals) }
        self.intervalSeconds = intervalSeconds
        self.topCount = topCount
        self.hostTableCapacity = hostTableCapacity
        self.serviceTableCapacity = serviceTableCapacity
        self.maximumIntervals = maximumIntervals
    }

    /// The defaults: 60-second intervals, top 10.
    public static let standard: AttributionSettings = try! AttributionSettings()
}
