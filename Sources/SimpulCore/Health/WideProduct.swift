/// An unsigned 128-bit value for the few comparisons and divisions that multiply a counter, a speed
/// and an interval together: exact where a `Double` would round at the boundary, and never trapping on
/// hostile counter values (a product that does not fit is reported, not wrapped).
struct WideProduct: Comparable, Sendable {
    var high: UInt64
    var low: UInt64

    init(_ value: UInt64) {
        high = 0
        low = value
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// `a × b`, exactly.
    init(_ a: UInt64, times b: UInt64) {
        let (h, l) = a.multipliedFullWidth(by: b)
        high = h
        low = l
    }

    /// `self × factor`; nil when the product needs more than 128 bits.
    func times(_ factor: UInt64) -> WideProduct? {
        let (carry, low) = self.low.multipliedFullWidth(by: factor)
        let (high, overflow) = self.high.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        let (sum, overflow2) = high.addingReportingOverflow(carry)
        guard !overflow2 else { return nil }
        return WideProduct(high: sum, low: low)
    }

    /// `⌊self ÷ divisor⌋`; nil for a zero divisor or a quotient past 64 bits.
    func dividedBy(_ divisor: UInt64) -> UInt64? {
        guard divisor > 0, high < divisor else { return nil }
        return divisor.dividingFullWidth((high, low)).quotient
    }

    static let max = WideProduct(high: .max, low: .max)

    static func < (a: WideProduct, b: WideProduct) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }
}

extension UInt64 {
    /// `self + other`, stopping at `UInt64.max` instead of trapping: sums of hostile values stay sums.
    func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

extension Int64 {
    /// `self + other`, stopping at the bounds instead of trapping.
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension Int {
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
