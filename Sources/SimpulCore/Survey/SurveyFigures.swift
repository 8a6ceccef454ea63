import Foundation

/// One agency's bandwidth figures over a survey period (issue 16), from five-minute averages in
/// bits per second — the link-health poller's roll-ups, or a capture's per-minute counts folded
/// into five minutes. "In" is towards the agency (its download), "out" is from it (its upload).
///
/// - mean: the average of the windows that have data (windows without data are left out, never
///   counted as zero);
/// - busy hour: the hour of the day (office time) whose windows average highest over the period,
///   and that average;
/// - peak: the highest five-minute average;
/// - 95th percentile: the burstable-billing convention (`BurstableBilling`): sort the period's
///   five-minute averages, drop the top 5 % (rounded down), take the largest left;
/// - trend: the least-squares slope of the daily 95th percentiles (bits per second per day, days
///   with at least `minimumWindowsPerDay` windows), and the months until the period's 95th
///   percentile reaches the contracted rate at that slope (0 when it already has; none when the
///   trend is flat or falling, or fewer than three days count).
public struct SurveyFigures: Sendable, Hashable, Codable {
    public struct Direction: Sendable, Hashable, Codable {
        public var meanBitsPerSecond: UInt64
        public var busyHour: Int
        public var busyHourMeanBitsPerSecond: UInt64
        public var peakBitsPerSecond: UInt64
        public var percentile95BitsPerSecond: UInt64
        /// Bits per second per day; nil with fewer than three days.
        public var trendBitsPerSecondPerDay: Double?
        /// The contracted rate for this direction, bits per second.
        public var contractedBitsPerSecond: UInt64?
        /// The 95th percentile over the contracted rate (1 = all of it).
        public var utilisation: Double?
        /// Months until the 95th percentile reaches the contracted rate at the trend.
        public var monthsToContract: Double?
    }

    public var inbound: Direction
    public var outbound: Direction
    /// Windows with data, and the windows the period holds.
    public var windows: Int
    public var expectedWindows: Int
    /// The share of the period measured (0–1).
    public var completeness: Double { expectedWindows == 0 ? 0 : min(1, Double(windows) / Double(expectedWindows)) }

    /// Five-minute averages gathered by `step` milliseconds, for the charts: each bucket's mean in
    /// and out and its highest inbound average, in time order; only averages in `from..<to`.
    public struct Bucket: Sendable, Hashable {
        public var start: Int64
        public var inMean: Double
        public var outMean: Double
        public var peak: UInt64
    }

    public static func buckets(_ averages: [FiveMinuteAverage], step: Int64, from: Int64 = .min, to: Int64 = .max) -> [Bucket] {
        var sums: [Int64: (inSum: Double, outSum: Double, peak: UInt64, n: Int)] = [:]
        for a in averages where a.start >= from && a.start < to {
            let start = floorDiv(a.start, step) * step
            var b = sums[start] ?? (0, 0, 0, 0)
            b.inSum += Double(a.inBitsPerSecond)
            b.outSum += Double(a.outBitsPerSecond)
            b.peak = max(b.peak, a.inBitsPerSecond)
            b.n += 1
            sums[start] = b
        }
        return sums.keys.sorted().map { start in
            let b = sums[start]!
            return Bucket(start: start, inMean: b.inSum / Double(b.n), outMean: b.outSum / Double(b.n), peak: b.peak)
        }
    }

    public static let windowMillis: Int64 = 300_000
    public static let dayMillis: Int64 = 86_400_000
    static let averageMonthDays = 30.436_875
    public static let minimumWindowsPerDay = 144

    /// The figures of the windows starting in `[from, to)` (milliseconds since 1970); nil when no
    /// window has data. `utcOffsetSeconds` places the busy hour and the days in office time (the
    /// office's zones keep no daylight saving). The contracted rates are bits per second.
    public static func compute(_ averages: [FiveMinuteAverage], from: Int64, to: Int64, utcOffsetSeconds: Int,
                               contractedIn: UInt64?, contractedOut: UInt64?) -> SurveyFigures? {
        guard to > from else { return nil }
        let counted = averages.filter { $0.start >= from && $0.start < to }
        guard !counted.isEmpty else { return nil }
        let offset = Int64(utcOffsetSeconds) * 1000
        let expected = Int((to - from + windowMillis - 1) / windowMillis)
        func direction(_ value: (FiveMinuteAverage) -> UInt64, contracted: UInt64?) -> Direction {
            let values = counted.map(value)
            let total = values.reduce(0.0) { $0 + Double($1) }
            var hourSum = [Double](repeating: 0, count: 24), hourCount = [Int](repeating: 0, count: 24)
            var days: [Int64: [UInt64]] = [:]
            for (average, v) in zip(counted, values) {
                let local = average.start + offset
                let hour = Int(((local % dayMillis) + dayMillis) % dayMillis / 3_600_000)
                hourSum[hour] += Double(v)
                hourCount[hour] += 1
                days[floorDiv(local, dayMillis), default: []].append(v)
            }
            var busy = 0, busyMean = -1.0
            for hour in 0..<24 where hourCount[hour] > 0 {
                let mean = hourSum[hour] / Double(hourCount[hour])
                if mean > busyMean { busy = hour; busyMean = mean }
            }
            let p95 = BurstableBilling.percentile95(values) ?? 0
            let daily = days.filter { $0.value.count >= minimumWindowsPerDay }
                .compactMap { day, v in BurstableBilling.percentile95(v).map { (Double(day), Double($0)) } }
            let slope = daily.count >= 3 ? leastSquaresSlope(daily) : nil
            var months: Double?
            if let contracted, contracted > 0 {
                if p95 >= contracted {
                    months = 0
                } else if let slope, slope > 0 {
                    months = (Double(contracted - p95) / slope) / averageMonthDays
                }
            }
            return Direction(meanBitsPerSecond: clamped(total / Double(values.count)), busyHour: busy,
                             busyHourMeanBitsPerSecond: clamped(busyMean), peakBitsPerSecond: values.max() ?? 0,
                             percentile95BitsPerSecond: p95, trendBitsPerSecondPerDay: slope, contractedBitsPerSecond: contracted,
                             utilisation: contracted.flatMap { $0 > 0 ? Double(p95) / Double($0) : nil }, monthsToContract: months)
        }
        return SurveyFigures(inbound: direction(\.inBitsPerSecond, contracted: contractedIn),
                             outbound: direction(\.outBitsPerSecond, contracted: contractedOut),
                             windows: counted.count, expectedWindows: expected)
    }

    /// The slope of the least-squares line through `points` (x in days); nil when x does not vary.
    public static func leastSquaresSlope(_ points: [(Double, Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0, sxx = 0.0
        for (x, y) in points {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
        }
        return sxx == 0 ? nil : sxy / sxx
    }

    /// A rate as a whole number, never trapping: negative or NaN is 0, past 2^62 is 2^62.
    public static func clamped(_ value: Double) -> UInt64 {
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 4.6e18 ? 4_600_000_000_000_000_000 : UInt64(value.rounded())
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Folds per-interval byte counts (a capture's minutes) into five-minute averages in bits per
    /// second: each window's bytes over the seconds of it that were captured (`coveredSeconds`
    /// per interval start), so a capture that ran two minutes of a window is not read as five.
    public static func fiveMinuteAverages(_ intervals: [(start: Int64, seconds: Int, inBytes: UInt64, outBytes: UInt64)]) -> [FiveMinuteAverage] {
        var windows: [Int64: (inBytes: UInt64, outBytes: UInt64, seconds: Int)] = [:]
        for interval in intervals where interval.seconds > 0 {
            let start = floorDiv(interval.start, windowMillis) * windowMillis
            var w = windows[start] ?? (0, 0, 0)
            w.inBytes &+= interval.inBytes
            w.outBytes &+= interval.outBytes
            w.seconds += interval.seconds
            windows[start] = w
        }
        return windows.keys.sorted().map { start in
            let w = windows[start]!
            let seconds = Double(min(w.seconds, 300))
            return FiveMinuteAverage(start: start, inBitsPerSecond: clamped(Double(w.inBytes) * 8 / seconds),
                                     outBitsPerSecond: clamped(Double(w.outBytes) * 8 / seconds), coverage: seconds / 300)
        }
    }
}
