/// Percentiles by the nearest-rank method: the smallest value with at least `p` of the values at
/// or below it. The one convention for the compliance report's medians and p90s and for the
/// benchmarks' p99s.
public enum Percentile {
    /// `p` in 0...1 of `sorted` (ascending); nil for no values.
    public static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((min(max(p, 0), 1) * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
