/// The 95th percentile as providers bill it (burstable billing): take the five-minute averages of the
/// period, sort them, drop the top 5 % (rounded down), and the largest left is the figure.
///
/// That is the nearest-rank percentile (`Percentile.nearestRank` at 0.95: rank ⌈0.95·n⌉ = n − ⌊n/20⌋),
/// computed here in integers so that no rounding of 0.95 can move the rank; the tests check the two
/// agree for every count up to a year of five-minute windows. Windows without data are left out, never
/// counted as zero: a link that was down or unmeasured is not billed low for it.
public enum BurstableBilling {
    /// The 95th percentile of `values`; nil for none.
    public static func percentile95(_ values: [UInt64]) -> UInt64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count - 1 - sorted.count / 20]
    }

    /// The figures of one period.
    public struct Figure: Sendable, Hashable {
        public var inBitsPerSecond: UInt64
        public var outBitsPerSecond: UInt64
        /// Five-minute windows that counted.
        public var windows: Int
        /// How many of the highest were dropped (⌊windows/20⌋).
        public var dropped: Int

        public init(inBitsPerSecond: UInt64, outBitsPerSecond: UInt64, windows: Int, dropped: Int) {
            self.inBitsPerSecond = inBitsPerSecond
            self.outBitsPerSecond = outBitsPerSecond
            self.windows = windows
            self.dropped = dropped
        }

        /// What a provider bills: the larger direction.
        public var billable: UInt64 { max(inBitsPerSecond, outBitsPerSecond) }
    }

    /// The 95th percentile in each direction over the windows starting in `[from, to)` (milliseconds since
    /// 1970) whose coverage is at least `minimumCoverage` (0: any data counts). Works on five-minute
    /// buckets' `average` and hourly rows' `fiveMinuteAverages` alike. Nil when no window counts.
    public static func figure(_ averages: [FiveMinuteAverage], from: Int64, to: Int64, minimumCoverage: Double = 0) -> Figure? {
        let counted = averages.filter { $0.start >= from && $0.start < to && $0.coverage >= minimumCoverage }
        guard let inbound = percentile95(counted.map(\.inBitsPerSecond)),
              let outbound = percentile95(counted.map(\.outBitsPerSecond)) else { return nil }
        return Figure(inBitsPerSecond: inbound, outBitsPerSecond: outbound, windows: counted.count, dropped: counted.count / 20)
    }
}
