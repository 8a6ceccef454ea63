/// One interface's traffic over a fixed window (five minutes or an hour) aligned to UTC: exact sums of
/// the parts of the samples that fall inside it, so buckets merge by addition and a late sample is
/// simply added (the same result in any order).
///
/// Gaps are not zeros: a discarded interval adds nothing, and the average is over the time covered.
public struct TrafficBucket: Sendable, Hashable {
    /// Milliseconds since 1970 (UTC), a multiple of `width`.
    public let start: Int64
    public let width: Int64
    /// Milliseconds of samples inside the window (may slightly exceed `width` where consecutive samples
    /// overlap by a poll's latency).
    public private(set) var coveredMillis: Int64 = 0
    public private(set) var inOctets: UInt64 = 0
    public private(set) var outOctets: UInt64 = 0
    /// The highest rate of any sample touching the window, in bits per second.
    public private(set) var inMaxBitsPerSecond: UInt64 = 0
    public private(set) var outMaxBitsPerSecond: UInt64 = 0
    /// Sums of the error and discard counts; nil while no sample carried that counter.
    public private(set) var inErrors: UInt64?
    public private(set) var outErrors: UInt64?
    public private(set) var inDiscards: UInt64?
    public private(set) var outDiscards: UInt64?
    /// Samples that touched the window.
    public private(set) var samples: Int = 0

    public static let fiveMinutes: Int64 = 300_000
    public static let hour: Int64 = 3_600_000

    /// An empty bucket for the window holding `time` (milliseconds since 1970, clamped to 1970…9999).
    public init(containing time: Int64, width: Int64) {
        let width = min(max(1, width), TrafficSample.longestMillis)
        let time = min(max(0, time), EpochMillis.latest)
        self.width = width
        self.start = time - time % width
    }

    /// A bucket as stored (the store's columns): nil unless the window is aligned, the width is five
    /// minutes or an hour, and the counts are not negative.
    public init?(start: Int64, width: Int64, coveredMillis: Int64, inOctets: UInt64, outOctets: UInt64,
                 inMaxBitsPerSecond: UInt64, outMaxBitsPerSecond: UInt64, inErrors: UInt64? = nil, outErrors: UInt64? = nil,
                 inDiscards: UInt64? = nil, outDiscards: UInt64? = nil, samples: Int) {
        guard width == Self.fiveMinutes || width == Self.hour, start >= 0, start <= EpochMillis.latest, start % width == 0,
              coveredMillis >= 0, samples >= 0 else { return nil }
        self.start = start
        self.width = width
        self.coveredMillis = coveredMillis
        self.inOctets = inOctets
        self.outOctets = outOctets
        self.inMaxBitsPerSecond = inMaxBitsPerSecond
        self.outMaxBitsPerSecond = outMaxBitsPerSecond
        self.inErrors = inErrors
        self.outErrors = outErrors
        self.inDiscards = inDiscards
        self.outDiscards = outDiscards
        self.samples = samples
    }

    public var end: Int64 { start + width }

    /// Adds the part of `sample` inside this window (nothing if it lies outside).
    public mutating func add(_ sample: TrafficSample) {
        let from = max(start, sample.start), to = min(end, sample.end)
        guard to > from else { return }
        coveredMillis = coveredMillis.saturatingAdd(to - from)
        inOctets = inOctets.saturatingAdd(sample.share(of: sample.inOctets, from: from, to: to))
        outOctets = outOctets.saturatingAdd(sample.share(of: sample.outOctets, from: from, to: to))
        inMaxBitsPerSecond = max(inMaxBitsPerSecond, sample.inBitsPerSecond)
        outMaxBitsPerSecond = max(outMaxBitsPerSecond, sample.outBitsPerSecond)
        func add(_ sum: inout UInt64?, _ count: UInt64?) {
            guard let count else { return }
            sum = (sum ?? 0).saturatingAdd(sample.share(of: count, from: from, to: to))
        }
        add(&inErrors, sample.inErrors)
        add(&outErrors, sample.outErrors)
        add(&inDiscards, sample.inDiscards)
        add(&outDiscards, sample.outDiscards)
        samples = samples.saturatingAdd(1)
    }

    /// Adds another bucket of the same window (a partial roll-up of other samples).
    public mutating func merge(_ other: TrafficBucket) {
        guard other.start == start, other.width == width else { return }
        coveredMillis = coveredMillis.saturatingAdd(other.coveredMillis)
        inOctets = inOctets.saturatingAdd(other.inOctets)
        outOctets = outOctets.saturatingAdd(other.outOctets)
        inMaxBitsPerSecond = max(inMaxBitsPerSecond, other.inMaxBitsPerSecond)
        outMaxBitsPerSecond = max(outMaxBitsPerSecond, other.outMaxBitsPerSecond)
        func merge(_ sum: inout UInt64?, _ more: UInt64?) {
            guard let more else { return }
            sum = (sum ?? 0).saturatingAdd(more)
        }
        merge(&inErrors, other.inErrors)
        merge(&outErrors, other.outErrors)
        merge(&inDiscards, other.inDiscards)
        merge(&outDiscards, other.outDiscards)
        samples = samples.saturatingAdd(other.samples)
    }

    /// The average rate over the covered time, bits per second rounded down; nil when nothing was covered.
    public var inAverageBitsPerSecond: UInt64? { Self.average(inOctets, coveredMillis) }
    public var outAverageBitsPerSecond: UInt64? { Self.average(outOctets, coveredMillis) }

    /// The share of the window covered (0–1; 1 when samples overlap slightly past it).
    public var coverage: Double { min(1, Double(coveredMillis) / Double(width)) }

    static func average(_ octets: UInt64, _ millis: Int64) -> UInt64? {
        millis > 0 ? TrafficSample.bitsPerSecond(octets: octets, millis: millis) : nil
    }

    /// This bucket as one five-minute average for the 95th percentile; nil when nothing was covered.
    public var average: FiveMinuteAverage? {
        guard let inAverage = inAverageBitsPerSecond, let outAverage = outAverageBitsPerSecond else { return nil }
        return FiveMinuteAverage(start: start, inBitsPerSecond: inAverage, outBitsPerSecond: outAverage, coverage: coverage)
    }
}

/// A five-minute window's average rates: what burstable billing sorts.
public struct FiveMinuteAverage: Sendable, Hashable, Codable {
    public var start: Int64
    public var inBitsPerSecond: UInt64
    public var outBitsPerSecond: UInt64
    /// The share of the five minutes that was measured (0–1).
    public var coverage: Double

    public init(start: Int64, inBitsPerSecond: UInt64, outBitsPerSecond: UInt64, coverage: Double) {
        self.start = start
        self.inBitsPerSecond = inBitsPerSecond
        self.outBitsPerSecond = outBitsPerSecond
        self.coverage = coverage
    }
}

/// Raw samples into windows.
public enum TrafficRollup {
    /// The windows of `width` the samples touch, in time order. A sample across a boundary is shared
    /// between the windows by time (exactly: the parts add up to the whole).
    public static func buckets(_ samples: [TrafficSample], width: Int64) -> [TrafficBucket] {
        let width = max(1, width)
        var byStart: [Int64: TrafficBucket] = [:]
        for sample in samples {
            var window = sample.start - sample.start % width
            while window < sample.end {
                byStart[window, default: TrafficBucket(containing: window, width: width)].add(sample)
                window += width
            }
        }
        return byStart.values.sorted { $0.start < $1.start }
    }

    /// Five-minute buckets.
    public static func fiveMinutes(_ samples: [TrafficSample]) -> [TrafficBucket] {
        buckets(samples, width: TrafficBucket.fiveMinutes)
    }

    /// Hourly rows, each with its twelve five-minute slots.
    public static func hours(_ samples: [TrafficSample]) -> [HourlyRollup] {
        var byHour: [Int64: HourlyRollup] = [:]
        for sample in samples {
            var hour = sample.start - sample.start % TrafficBucket.hour
            while hour < sample.end {
                byHour[hour, default: HourlyRollup(containing: hour)].add(sample)
                hour += TrafficBucket.hour
            }
        }
        return byHour.values.sorted { $0.hour.start < $1.hour.start }
    }
}
