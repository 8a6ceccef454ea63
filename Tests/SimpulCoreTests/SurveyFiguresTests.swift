import Foundation
import Testing
@testable import SimpulCore

/// The survey's figures on crafted series with known answers: mean, busy hour, peak, the
/// burstable-billing 95th percentile, the trend and the months to the contracted rate; capture
/// counts folded into five-minute averages; and the sizing over provider tiers and the budget.
@Suite("Bandwidth survey figures and sizing")
struct SurveyFiguresTests {
    static let mbps: UInt64 = 1_000_000
    static let day = SurveyFigures.dayMillis
    /// 2026-11-01 00:00 UTC.
    static let start: Int64 = 1_793_491_200_000

    /// One window every five minutes for `days` days, `rate(window index within its day)` in, a fifth of it out.
    static func series(days: Int, start: Int64 = start, _ rate: (Int, Int) -> UInt64) -> [FiveMinuteAverage] {
        (0..<(days * 288)).map { i in
            let value = rate(i / 288, i % 288)
            return FiveMinuteAverage(start: start + Int64(i) * 300_000, inBitsPerSecond: value, outBitsPerSecond: value / 5, coverage: 1)
        }
    }

    @Test func flatWithABusyHour() throws {
        // 20 Mbps all day, 40 Mbps from 10:00 to 11:00 office time, for 7 office days (UTC+8: they start at 16:00 UTC).
        let local = Self.start - 8 * 3_600_000
        let averages = Self.series(days: 7, start: local) { _, slot in (120...131).contains(slot) ? 40 * Self.mbps : 20 * Self.mbps }
        let f = try #require(SurveyFigures.compute(averages, from: local, to: local + 7 * Self.day, utcOffsetSeconds: 8 * 3600,
                                                   contractedIn: 100 * Self.mbps, contractedOut: 100 * Self.mbps))
        #expect(f.windows == 2016 && f.expectedWindows == 2016 && f.completeness == 1)
        #expect(f.inbound.peakBitsPerSecond == 40 * Self.mbps)
        #expect(f.inbound.busyHour == 10 && f.inbound.busyHourMeanBitsPerSecond == 40 * Self.mbps)
        // 84 windows of 40 Mbps are the top 4.2 %: the 95th percentile drops ⌊2016/20⌋ = 100 windows, all of them.
        #expect(f.inbound.percentile95BitsPerSecond == 20 * Self.mbps)
        #expect(f.inbound.meanBitsPerSecond == UInt64((Double(84 * 40 + 1932 * 20) / 2016 * 1e6).rounded()))
        #expect(f.inbound.utilisation == 0.2)
        #expect(f.inbound.trendBitsPerSecondPerDay == 0, "flat days, no trend")
        #expect(f.inbound.monthsToContract == nil, "a flat trend never reaches the contract")
        #expect(f.outbound.percentile95BitsPerSecond == 4 * Self.mbps)
    }

    @Test func aGrowingLinkReachesItsContract() throws {
        // Day d runs at (10 + d) Mbps: the daily 95th percentiles rise 1 Mbps a day.
        let averages = Self.series(days: 10) { day, _ in UInt64(10 + day) * Self.mbps }
        let f = try #require(SurveyFigures.compute(averages, from: Self.start, to: Self.start + 10 * Self.day, utcOffsetSeconds: 0,
                                                   contractedIn: 50 * Self.mbps, contractedOut: nil))
        let slope = try #require(f.inbound.trendBitsPerSecondPerDay)
        #expect(abs(slope - 1_000_000) < 1)
        // The period's 95th percentile: 2880 windows, the top 144 (the last half day) dropped: day 9 still leads, 19 Mbps.
        #expect(f.inbound.percentile95BitsPerSecond == 19 * Self.mbps)
        // (50 − 19) Mbps at 1 Mbps a day: 31 days, in average months.
        #expect(abs((f.inbound.monthsToContract ?? 0) - 31 / 30.436_875) < 0.0001)
        #expect(f.outbound.monthsToContract == nil && f.outbound.utilisation == nil, "no contracted rate, no utilisation")
    }

    @Test func aLinkAlreadyOverItsContractHasNoMonthsLeft() throws {
        let averages = Self.series(days: 3) { _, _ in 60 * Self.mbps }
        let f = try #require(SurveyFigures.compute(averages, from: Self.start, to: Self.start + 3 * Self.day, utcOffsetSeconds: 0,
                                                   contractedIn: 50 * Self.mbps, contractedOut: 50 * Self.mbps))
        #expect(f.inbound.monthsToContract == 0 && f.inbound.utilisation == 1.2)
    }

    @Test func missingWindowsAreLeftOutNotCountedAsZero() throws {
        // Only the first day of a seven-day period has data.
        let averages = Self.series(days: 1) { _, _ in 10 * Self.mbps }
        let f = try #require(SurveyFigures.compute(averages, from: Self.start, to: Self.start + 7 * Self.day, utcOffsetSeconds: 0,
                                                   contractedIn: nil, contractedOut: nil))
        #expect(f.inbound.meanBitsPerSecond == 10 * Self.mbps && f.inbound.percentile95BitsPerSecond == 10 * Self.mbps)
        #expect(abs(f.completeness - 1.0 / 7) < 1e-9)
        #expect(f.inbound.trendBitsPerSecondPerDay == nil, "one day is no trend")
        #expect(SurveyFigures.compute([], from: Self.start, to: Self.start + Self.day, utcOffsetSeconds: 0, contractedIn: nil, contractedOut: nil) == nil)
        #expect(SurveyFigures.compute(averages, from: Self.start, to: Self.start, utcOffsetSeconds: 0, contractedIn: nil, contractedOut: nil) == nil)
    }

    @Test func captureMinutesFoldIntoFiveMinuteAverages() {
        // Five full minutes of 750,000 bytes (100 kbit/s), then a window with only two captured minutes.
        var intervals: [(start: Int64, seconds: Int, inBytes: UInt64, outBytes: UInt64)] = (0..<5).map { (Self.start + Int64($0) * 60_000, 60, 750_000, 75_000) }
        intervals += [(Self.start + 300_000, 60, 1_500_000, 0), (Self.start + 360_000, 60, 1_500_000, 0)]
        let averages = SurveyFigures.fiveMinuteAverages(intervals)
        #expect(averages.count == 2)
        #expect(averages[0].start == Self.start && averages[0].inBitsPerSecond == 100_000 && averages[0].outBitsPerSecond == 10_000 && averages[0].coverage == 1)
        // Two minutes at 200 kbit/s: the average of what was captured, not diluted over five minutes.
        #expect(averages[1].inBitsPerSecond == 200_000 && abs(averages[1].coverage - 0.4) < 1e-9)
        // Hostile counts never trap.
        let huge = SurveyFigures.fiveMinuteAverages([(Self.start, 1, UInt64.max, UInt64.max)])
        #expect(huge.count == 1 && huge[0].inBitsPerSecond > 0)
    }

    static let tiers = [ProviderTier(mbps: 20, monthlyPrice: 1_500_000), ProviderTier(mbps: 100, monthlyPrice: 5_000_000),
                        ProviderTier(mbps: 50, monthlyPrice: 3_000_000)]

    @Test func sizingRoundsUpToTiersAndSetsTheTotalAgainstTheBudget() {
        let inputs = [
            // 40 Mbps measured × 1.1 growth × 1.3 headroom = 57.2 → 100.
            BandwidthSizing.Input(agency: "A", measuredBitsPerSecond: 40 * Self.mbps, needs: StatedNeeds(growthPercent: 10), currentMbps: 50, provider: "P", tiers: Self.tiers),
            // The stated need is larger than what was measured.
            BandwidthSizing.Input(agency: "B", measuredBitsPerSecond: 5 * Self.mbps, needs: StatedNeeds(neededMbps: 30), currentMbps: 20, provider: "P", tiers: Self.tiers),
            // Beyond the largest tier: the largest, flagged.
            BandwidthSizing.Input(agency: "C", measuredBitsPerSecond: 150 * Self.mbps, needs: nil, currentMbps: 100, provider: "P", tiers: Self.tiers),
            // Nothing measured or stated: keeps what it has.
            BandwidthSizing.Input(agency: "D", measuredBitsPerSecond: nil, needs: nil, currentMbps: 20, provider: "P", tiers: Self.tiers),
            // Nothing at all.
            BandwidthSizing.Input(agency: "E", measuredBitsPerSecond: nil, needs: nil, currentMbps: nil, provider: nil, tiers: Self.tiers),
        ]
        let plan = BandwidthSizing.plan(inputs, settings: BandwidthSizing.Settings(headroom: 1.3, monthlyBudget: 15_000_000))
        #expect(plan.lines.map(\.tier?.mbps) == [100, 50, 100, 20, nil])
        #expect(plan.lines.map(\.basis) == [.measured, .stated, .measured, .current, BandwidthSizing.Basis.none])
        #expect(plan.lines[0].requiredMbps == 57.2)
        #expect(plan.lines.map(\.exceedsLargestTier) == [false, false, true, false, false])
        #expect(plan.monthlyTotal == 5_000_000 + 3_000_000 + 5_000_000 + 1_500_000)
        #expect(plan.withinBudget == true)
        let tight = BandwidthSizing.plan(inputs, settings: BandwidthSizing.Settings(headroom: 1.3, monthlyBudget: 10_000_000))
        #expect(tight.withinBudget == false)
        #expect(BandwidthSizing.plan(inputs, settings: BandwidthSizing.Settings()).withinBudget == nil, "no budget line, no verdict")
    }
}
