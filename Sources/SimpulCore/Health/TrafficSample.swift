/// One measured interval of one interface, as stored raw: exact counts over an exact span of time.
/// A rate is derived, never stored instead of the counts, so roll-ups add integers and agree whatever
/// order samples arrive in.
///
/// The span ends at the poll's wall-clock time and is as long as the interval that was measured (the
/// agent's sysUpTime delta where there was one), so consecutive samples tile the timeline up to a few
/// milliseconds of poll latency.
public struct TrafficSample: Sendable, Hashable, Codable {
    /// Milliseconds since 1970 (UTC), inclusive.
    public let start: Int64
    /// Milliseconds since 1970 (UTC), exclusive.
    public let end: Int64
    public let inOctets: UInt64
    public let outOctets: UInt64
    /// Error and discard counts over the span; nil where the agent gave no such counter (not zero).
    public let inErrors: UInt64?
    public let outErrors: UInt64?
    public let inDiscards: UInt64?
    public let outDiscards: UInt64?

    /// The longest span a sample may have: a day (the longest trusted interval is at most that).
    public static let longestMillis: Int64 = 86_400_000

    /// Nil unless `start` < `end`, both within 1970…9999 and the span at most a day.
    public init?(start: Int64, end: Int64, inOctets: UInt64, outOctets: UInt64, inErrors: UInt64? = nil,
                 outErrors: UInt64? = nil, inDiscards: UInt64? = nil, outDiscards: UInt64? = nil) {
        guard start >= 0, end <= EpochMillis.latest, start < end, end - start <= Self.longestMillis else { return nil }
        self.start = start
        self.end = end
        self.inOctets = inOctets
        self.outOctets = outOctets
        self.inErrors = inErrors
        self.outErrors = outErrors
        self.inDiscards = inDiscards
        self.outDiscards = outDiscards
    }

    public var durationMillis: Int64 { end - start }

    /// Bits per second in, rounded down (saturates at `UInt64.max` rather than trapping).
    public var inBitsPerSecond: UInt64 { Self.bitsPerSecond(octets: inOctets, millis: durationMillis) }
    public var outBitsPerSecond: UInt64 { Self.bitsPerSecond(octets: outOctets, millis: durationMillis) }

    public var inErrorsPerSecond: Double? { perSecond(inErrors) }
    public var outErrorsPerSecond: Double? { perSecond(outErrors) }
    public var inDiscardsPerSecond: Double? { perSecond(inDiscards) }
    public var outDiscardsPerSecond: Double? { perSecond(outDiscards) }

    func perSecond(_ count: UInt64?) -> Double? {
        count.map { Double($0) * 1000 / Double(durationMillis) }
    }

    /// `⌊octets × 8 × 1000 ÷ millis⌋`, exactly.
    static func bitsPerSecond(octets: UInt64, millis: Int64) -> UInt64 {
        guard millis > 0 else { return 0 }
        return WideProduct(octets, times: 8000).dividedBy(UInt64(millis)) ?? .max
    }

    /// The part of `total` (counted evenly over this sample's span) that falls in `[from, to)`. Computed as
    /// a difference of cumulative shares, `⌊total·(to−start)/d⌋ − ⌊total·(from−start)/d⌋`, so the parts
    /// of one sample over adjacent windows add up to `total` exactly, and an hour's part is the sum of
    /// its twelve five-minute parts.
    func share(of total: UInt64, from: Int64, to: Int64) -> UInt64 {
        let d = UInt64(durationMillis)
        let a = UInt64(min(max(from, start), end) - start), b = UInt64(min(max(to, start), end) - start)
        guard b > a else { return 0 }
        // total·x/d ≤ total for x ≤ d: the quotient always fits.
        let upper = WideProduct(total, times: b).dividedBy(d) ?? total
        let lower = WideProduct(total, times: a).dividedBy(d) ?? total
        return upper - lower
    }
}
