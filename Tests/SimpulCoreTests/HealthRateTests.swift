import Foundation
import SimpulCore
import Testing

/// Rates from two readings (issue 14, "Rates that are right"): wraps, reboots, sysUpTime's own wrap,
/// discontinuities, moved and returned interfaces, over-speed, and intervals of every length.
@Suite("Health: counter rates")
struct HealthRateTests {
    /// 2026-09-21T00:00:00Z, a whole number of milliseconds.
    static let t0: Double = 1_789_948_800

    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: t0 + seconds) }

    static let gigabit: UInt64 = 1_000_000_000
    static let fastEthernet: UInt64 = 100_000_000

    /// A reading `seconds` after t0, with sysUpTime `up` (hundredths).
    static func reading(_ seconds: Double, up: UInt32?, inOctets: CounterValue?, outOctets: CounterValue?,
                        speed: UInt64? = gigabit, index: Int32 = 1, discontinuity: UInt32? = nil,
                        inErrors: UInt32? = nil, outErrors: UInt32? = nil) -> CounterReading {
        CounterReading(at: at(seconds), sysUpTime: up, ifIndex: index, inOctets: inOctets, outOctets: outOctets,
                       inErrors: inErrors, outErrors: outErrors, speed: speed, discontinuityTime: discontinuity)
    }

    static func c64(_ v: UInt64) -> CounterValue { .counter64(v) }
    static func c32(_ v: UInt32) -> CounterValue { .counter32(v) }

    enum Expect: Sendable, Hashable {
        /// Bits per second in and out, the interval in milliseconds, and where it came from.
        case rate(UInt64, UInt64, Int64, IntervalSource)
        case discard(RateDiscard)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var previous: CounterReading?
        var current: CounterReading
        var continuity: InterfaceContinuity = .same
        var expect: Expect
        var testDescription: String { name }
    }

    /// 7,500,000 octets in 60 s is exactly 1 Mbit/s.
    static let mbitMinute: UInt64 = 7_500_000
    static let wrap = UInt64(UInt32.max) + 1

    static let cases: [Case] = [
        // Plain 64-bit counters over sysUpTime.
        Case(name: "64-bit, 1 Mbit/s in, 2 out",
             previous: reading(0, up: 100_000, inOctets: c64(1000), outOctets: c64(5000)),
             current: reading(60, up: 106_000, inOctets: c64(1000 + mbitMinute), outOctets: c64(5000 + 2 * mbitMinute)),
             expect: .rate(1_000_000, 2_000_000, 60_000, .agentUptime)),
        Case(name: "equal counters: zero traffic, not a gap",
             previous: reading(0, up: 100_000, inOctets: c64(42), outOctets: c64(42)),
             current: reading(60, up: 106_000, inOctets: c64(42), outOctets: c64(42)),
             expect: .rate(0, 0, 60_000, .agentUptime)),
        Case(name: "64-bit counters at UInt64.max",
             previous: reading(0, up: 100_000, inOctets: c64(.max - mbitMinute), outOctets: c64(.max)),
             current: reading(60, up: 106_000, inOctets: c64(.max), outOctets: c64(.max)),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "64-bit counter from 0 to UInt64.max is over speed, not a trap",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: 106_000, inOctets: c64(.max), outOctets: c64(0)),
             expect: .discard(.overSpeed(.inOctets, speed: gigabit, tolerancePercent: 10))),
        Case(name: "64-bit counter going back is a reset, never a wrap",
             previous: reading(0, up: 100_000, inOctets: c64(.max), outOctets: c64(10)),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(20)),
             expect: .discard(.counterWentBack(.inOctets))),
        Case(name: "64-bit out counter going back by one",
             previous: reading(0, up: 100_000, inOctets: c64(10), outOctets: c64(1_000_001)),
             current: reading(60, up: 106_000, inOctets: c64(20), outOctets: c64(1_000_000)),
             expect: .discard(.counterWentBack(.outOctets))),

        // 32-bit wraps, corrected once.
        Case(name: "32-bit wrap at 2^32 on a 100 Mbit/s port",
             previous: reading(0, up: 100_000, inOctets: c32(UInt32.max - 999), outOctets: c32(0), speed: fastEthernet),
             current: reading(60, up: 106_000, inOctets: c32(UInt32(mbitMinute - 1000)), outOctets: c32(0), speed: fastEthernet),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "32-bit from UInt32.max to 0 is one octet",
             previous: reading(0, up: 100_000, inOctets: c32(.max), outOctets: c32(.max), speed: fastEthernet),
             current: reading(60, up: 106_000, inOctets: c32(0), outOctets: c32(.max), speed: fastEthernet),
             expect: .rate(0, 0, 60_000, .agentUptime)),
        Case(name: "32-bit wrap with no speed known is corrected once, unchecked",
             previous: reading(0, up: 100_000, inOctets: c32(UInt32.max - 999), outOctets: c32(0), speed: nil),
             current: reading(60, up: 106_000, inOctets: c32(UInt32(mbitMinute - 1000)), outOctets: c32(0), speed: nil),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "32-bit counter on a gigabit port over 60 s: two wraps look like one, discarded",
             previous: reading(0, up: 100_000, inOctets: c32(1000), outOctets: c32(1000)),
             current: reading(60, up: 106_000, inOctets: c32(2000), outOctets: c32(2000)),
             expect: .discard(.ambiguousWrap(.inOctets, speed: gigabit, millis: 60_000))),
        // 2^32 · 800,000 / (60,000 · 110) = 520,602,096.5: the fastest port a 32-bit counter can be trusted on at 60 s.
        Case(name: "32-bit counter just slow enough to wrap at most once",
             previous: reading(0, up: 100_000, inOctets: c32(1000), outOctets: c32(1000), speed: 520_602_096),
             current: reading(60, up: 106_000, inOctets: c32(1000), outOctets: c32(1000), speed: 520_602_096),
             expect: .rate(0, 0, 60_000, .agentUptime)),
        Case(name: "32-bit counter one bit per second too fast",
             previous: reading(0, up: 100_000, inOctets: c32(1000), outOctets: c32(1000), speed: 520_602_097),
             current: reading(60, up: 106_000, inOctets: c32(1000), outOctets: c32(1000), speed: 520_602_097),
             expect: .discard(.ambiguousWrap(.inOctets, speed: 520_602_097, millis: 60_000))),
        Case(name: "a counter that went from 64 to 32 bits",
             previous: reading(0, up: 100_000, inOctets: c64(10), outOctets: c64(10)),
             current: reading(60, up: 106_000, inOctets: c32(20), outOctets: c64(20)),
             expect: .discard(.counterWidthChanged(.inOctets))),
        Case(name: "a reset 32-bit counter taken for a wrap is caught by the speed check",
             previous: reading(0, up: 100_000, inOctets: c32(5_000_000), outOctets: c32(0), speed: fastEthernet),
             current: reading(60, up: 106_000, inOctets: c32(1000), outOctets: c32(0), speed: fastEthernet),
             expect: .discard(.overSpeed(.inOctets, speed: fastEthernet, tolerancePercent: 10))),

        // Over speed: 100 Mbit/s · 60 s · 110 % / 8 = 825,000,000 octets allowed.
        Case(name: "exactly the port's speed plus the tolerance",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), speed: fastEthernet),
             current: reading(60, up: 106_000, inOctets: c64(825_000_000), outOctets: c64(0), speed: fastEthernet),
             expect: .rate(110_000_000, 0, 60_000, .agentUptime)),
        Case(name: "one octet over the port's speed plus the tolerance",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), speed: fastEthernet),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(825_000_001), speed: fastEthernet),
             expect: .discard(.overSpeed(.outOctets, speed: fastEthernet, tolerancePercent: 10))),
        Case(name: "no speed known: nothing to check against",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), speed: 0),
             current: reading(60, up: 106_000, inOctets: c64(75_000_000_000), outOctets: c64(0), speed: 0),
             expect: .rate(10_000_000_000, 0, 60_000, .agentUptime)),
        Case(name: "errors beyond what the port can carry in 64-octet frames",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), speed: fastEthernet, inErrors: 0),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(0), speed: fastEthernet, inErrors: 12_890_626),
             expect: .discard(.overSpeed(.inErrors, speed: fastEthernet, tolerancePercent: 10))),

        // sysUpTime: reboots and its own 497-day wrap.
        Case(name: "sysUpTime went back: a reboot",
             previous: reading(0, up: 50_000_000, inOctets: c64(10), outOctets: c64(10)),
             current: reading(60, up: 4_000, inOctets: c64(10), outOctets: c64(10)),
             expect: .discard(.agentRestarted(before: 50_000_000, after: 4_000))),
        Case(name: "sysUpTime's 497-day wrap matching the wall clock",
             previous: reading(0, up: UInt32.max - 2_999, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: 3_000, inOctets: c64(mbitMinute), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 60_000, .agentUptimeWrapped)),
        Case(name: "sysUpTime's wrap seen 8 s off the wall clock (within 10 s + 1 %)",
             previous: reading(0, up: UInt32.max - 2_999, inOctets: c64(0), outOctets: c64(0)),
             current: reading(68, up: 3_000, inOctets: c64(mbitMinute), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 60_000, .agentUptimeWrapped)),
        Case(name: "a reboot just before the wrap: the wrapped delta does not match the wall clock",
             previous: reading(0, up: UInt32.max - 2_999, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: 50, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.agentRestarted(before: UInt32.max - 2_999, after: 50))),
        Case(name: "sysUpTime went back with no usable wall clock: a reboot",
             previous: reading(60, up: UInt32.max - 2_999, inOctets: c64(0), outOctets: c64(0)),
             current: reading(0, up: 3_000, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.agentRestarted(before: UInt32.max - 2_999, after: 3_000))),
        Case(name: "a reboot between polls that counted up past the old uptime",
             previous: reading(0, up: 100_000, inOctets: c64(10), outOctets: c64(10)),
             current: reading(600, up: 103_000, inOctets: c64(900), outOctets: c64(900)),
             expect: .discard(.agentRestarted(before: 100_000, after: 103_000))),
        Case(name: "the poller's clock stepped back: sysUpTime is trusted",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(-5, up: 106_000, inOctets: c64(mbitMinute), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "sysUpTime slower than the wall clock by the poll's latency: fine",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(69, up: 106_000, inOctets: c64(mbitMinute), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "no sysUpTime: the wall clock",
             previous: reading(0, up: nil, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: 106_000, inOctets: c64(mbitMinute), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 60_000, .wallClock)),
        Case(name: "no sysUpTime and the wall clock went back",
             previous: reading(0, up: nil, inOctets: c64(0), outOctets: c64(0)),
             current: reading(-2.5, up: nil, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.clockWentBack(millis: -2_500))),

        // Intervals too short or too long.
        Case(name: "the same reading twice", previous: reading(0, up: 100_000, inOctets: c64(5), outOctets: c64(5)),
             current: reading(0, up: 100_000, inOctets: c64(5), outOctets: c64(5)),
             expect: .discard(.intervalTooShort(millis: 0, shortestSeconds: 10))),
        Case(name: "9.99 s", previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(9.99, up: 100_999, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.intervalTooShort(millis: 9_990, shortestSeconds: 10))),
        Case(name: "10 s is the shortest trusted", previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(1_250_000)),
             current: reading(10, up: 101_000, inOctets: c64(1_250_000), outOctets: c64(1_250_000)),
             expect: .rate(1_000_000, 0, 10_000, .agentUptime)),
        Case(name: "15 minutes is the longest trusted", previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(900, up: 190_000, inOctets: c64(112_500_000), outOctets: c64(0)),
             expect: .rate(1_000_000, 0, 900_000, .agentUptime)),
        Case(name: "15 minutes and 10 ms", previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(900.01, up: 190_001, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.intervalTooLong(millis: 900_010, longestSeconds: 900))),
        Case(name: "a huge interval: sysUpTime from 0 to its maximum", previous: reading(0, up: 0, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: .max, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.intervalTooLong(millis: 42_949_672_950, longestSeconds: 900))),
        Case(name: "a day on the wall clock", previous: reading(0, up: nil, inOctets: c64(0), outOctets: c64(0)),
             current: reading(86_400, up: nil, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.intervalTooLong(millis: 86_400_000, longestSeconds: 900))),
        Case(name: "a reading dated before 1970", previous: reading(0, up: nil, inOctets: c64(0), outOctets: c64(0)),
             current: CounterReading(at: Date(timeIntervalSince1970: -1), sysUpTime: nil, ifIndex: 1, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.timestampUnusable)),

        // Identity and discontinuities.
        Case(name: "first reading", previous: nil, current: reading(0, up: 100, inOctets: c64(0), outOctets: c64(0)),
             expect: .discard(.firstReading)),
        Case(name: "a new interface", previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0)),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(0)), continuity: .new,
             expect: .discard(.firstReading)),
        Case(name: "an interface that vanished and came back",
             previous: reading(0, up: 100_000, inOctets: c64(900_000), outOctets: c64(0)),
             current: reading(180, up: 118_000, inOctets: c64(100), outOctets: c64(0)), continuity: .returned,
             expect: .discard(.interfaceReturned)),
        Case(name: "renumbered after a reboot: the matcher says it moved",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), index: 3),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(0), index: 7), continuity: .moved(from: 3),
             expect: .discard(.interfaceMoved(from: 3, to: 7))),
        Case(name: "another ifIndex though the caller said same",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), index: 3),
             current: reading(60, up: 106_000, inOctets: c64(0), outOctets: c64(0), index: 4),
             expect: .discard(.interfaceMoved(from: 3, to: 4))),
        Case(name: "ifCounterDiscontinuityTime changed",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), discontinuity: 0),
             current: reading(60, up: 106_000, inOctets: c64(10), outOctets: c64(10), discontinuity: 103_500),
             expect: .discard(.counterDiscontinuity(before: 0, after: 103_500))),
        Case(name: "ifCounterDiscontinuityTime appeared",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), discontinuity: nil),
             current: reading(60, up: 106_000, inOctets: c64(10), outOctets: c64(10), discontinuity: 5),
             expect: .discard(.counterDiscontinuity(before: nil, after: 5))),
        Case(name: "ifCounterDiscontinuityTime unchanged",
             previous: reading(0, up: 100_000, inOctets: c64(0), outOctets: c64(0), discontinuity: 5),
             current: reading(60, up: 106_000, inOctets: c64(mbitMinute), outOctets: c64(0), discontinuity: 5),
             expect: .rate(1_000_000, 0, 60_000, .agentUptime)),
        Case(name: "octet counters missing from one reading",
             previous: reading(0, up: 100_000, inOctets: nil, outOctets: c64(0)),
             current: reading(60, up: 106_000, inOctets: c64(10), outOctets: c64(10)),
             expect: .discard(.countersMissing)),
    ]

    @Test(arguments: cases)
    func rates(_ c: Case) {
        let outcome = RateCalculator().rates(from: c.previous, to: c.current, continuity: c.continuity)
        switch c.expect {
        case .rate(let inBps, let outBps, let millis, let source):
            let rates = outcome.rates
            #expect(rates?.inBitsPerSecond == inBps, "\(outcome)")
            #expect(rates?.outBitsPerSecond == outBps)
            #expect(rates?.sample.durationMillis == millis)
            #expect(rates?.source == source)
            #expect(rates?.sample.end == EpochMillis.of(c.current.at))
        case .discard(let reason):
            #expect(outcome.discard == reason, "\(outcome)")
            #expect(outcome.rates == nil)
        }
    }

    @Test func aWrapIsNamedAndTheRateIsExact() throws {
        let rates = try #require(RateCalculator().rates(
            from: Self.reading(0, up: 100_000, inOctets: Self.c32(.max), outOctets: Self.c32(10), speed: Self.fastEthernet, inErrors: .max, outErrors: 5),
            to: Self.reading(60, up: 106_000, inOctets: Self.c32(7_499_999), outOctets: Self.c32(20), speed: Self.fastEthernet, inErrors: 59, outErrors: 65)).rates)
        #expect(rates.wrapped == [.inOctets, .inErrors])
        #expect(rates.sample.inOctets == 7_500_000)
        #expect(rates.sample.inErrors == 60 && rates.sample.outErrors == 60)
        #expect(rates.inErrorsPerSecond == 1 && rates.errorsPerSecond == 2)
        #expect(rates.sample.inDiscards == nil, "a counter the agent did not give is missing, not zero")
        #expect(rates.inDiscardsPerSecond == nil)
        // 10 octets in 60 s is 1.33 bit/s, rounded down to 1.
        #expect(rates.outBitsPerSecond == 1)
        #expect(rates.portUtilisation == Utilisation(inbound: 0.01, outbound: 1e-8))
    }

    @Test func anErrorCounterInOnlyOneReadingGivesNoErrorRate() throws {
        let rates = try #require(RateCalculator().rates(
            from: Self.reading(0, up: 100_000, inOctets: Self.c64(0), outOctets: Self.c64(0), inErrors: nil, outErrors: 3),
            to: Self.reading(60, up: 106_000, inOctets: Self.c64(0), outOctets: Self.c64(0), inErrors: 7, outErrors: 3)).rates)
        #expect(rates.sample.inErrors == nil)
        #expect(rates.sample.outErrors == 0)
        #expect(rates.errorsPerSecond == 0)
    }

    @Test(arguments: [
        (InterfaceSide.agency, 0.4, 0.2),
        (InterfaceSide.provider, 0.8, 0.1),
    ])
    func utilisationAgainstTheCommittedRate(side: InterfaceSide, inbound: Double, outbound: Double) throws {
        // 40 Mbit/s in, 10 out, on a link committed at 100 down / 50 up.
        let link = Link(circuit: "NUS-CKB-0002", agency: "SETDA", provider: "NUSANET", downMbps: 100, upMbps: 50, technology: .fiber)
        let committed = try CommittedRate(link: link, side: side)
        let rates = try #require(RateCalculator().rates(
            from: Self.reading(0, up: 100_000, inOctets: Self.c64(0), outOctets: Self.c64(0)),
            to: Self.reading(60, up: 106_000, inOctets: Self.c64(40 * Self.mbitMinute), outOctets: Self.c64(10 * Self.mbitMinute)),
            committed: committed).rates)
        #expect(rates.committedUtilisation == Utilisation(inbound: inbound, outbound: outbound))
        #expect(rates.portUtilisation == Utilisation(inbound: 0.04, outbound: 0.01), "against the gigabit port")
        #expect(rates.committedUtilisation?.peak == max(inbound, outbound))
    }

    @Test(arguments: [0.0, -1, .nan, .infinity, 1_000_000.5])
    func aCommittedRateOutsideTheInventorysRangeIsRefused(mbps: Double) {
        let refusal = #expect(throws: HealthSettingRefusal.self) { try CommittedRate(downMbps: mbps, upMbps: 10) }
        #expect(refusal?.text.en.contains("committed down Mbps") == true)
        #expect(refusal?.text.id.contains("Mbps turun yang dijamin") == true)
    }

    @Test func theSmallestCommittedRateStaysAboveZero() throws {
        #expect(try CommittedRate(downMbps: 0.064, upMbps: 1_000_000).inBitsPerSecond == 64_000)
        #expect(try CommittedRate(downMbps: 0.064, upMbps: 1_000_000).outBitsPerSecond == 1_000_000_000_000)
    }

    @Test(arguments: [
        (100_000_000, 100, 100_000_000),                              // ifSpeed exact
        (1_544_000, 2, 1_544_000),                                    // a T1: ifHighSpeed is rounded
        (UInt32.max, 10_000, 10_000_000_000),                         // ifSpeed saturated: ifHighSpeed
        (nil, 400_000, 400_000_000_000),
        (UInt32.max, 0, 4_294_967_295),
        (0, 0, nil),
        (nil, nil, nil),
        (nil, UInt32.max, 4_294_967_295_000_000),
    ] as [(UInt32?, UInt32?, UInt64?)])
    func speedFromIfSpeedAndIfHighSpeed(ifSpeed: UInt32?, ifHighSpeed: UInt32?, expected: UInt64?) {
        #expect(InterfaceSpeed.bitsPerSecond(ifSpeed: ifSpeed, ifHighSpeed: ifHighSpeed) == expected)
    }

    @Test func onlyATooShortIntervalKeepsThePreviousBase() {
        let calculator = RateCalculator()
        let base = Self.reading(0, up: 100_000, inOctets: Self.c64(0), outOctets: Self.c64(0))
        let soon = Self.reading(4, up: 100_400, inOctets: Self.c64(0), outOctets: Self.c64(0))
        #expect(calculator.rates(from: base, to: soon).keepsPreviousBase)
        let wentBack = Self.reading(-4, up: nil, inOctets: Self.c64(0), outOctets: Self.c64(0))
        #expect(!calculator.rates(from: Self.reading(0, up: nil, inOctets: Self.c64(0), outOctets: Self.c64(0)), to: wentBack).keepsPreviousBase)
        let rebooted = Self.reading(60, up: 10, inOctets: Self.c64(0), outOctets: Self.c64(0))
        #expect(!calculator.rates(from: base, to: rebooted).keepsPreviousBase)
        // Measured from the kept base, the next poll covers the whole span.
        let next = Self.reading(60, up: 106_000, inOctets: Self.c64(Self.mbitMinute), outOctets: Self.c64(0))
        #expect(calculator.rates(from: base, to: next).rates?.inBitsPerSecond == 1_000_000)
    }

    @Test func hostileCountersNeverTrap() {
        let calculator = RateCalculator()
        let extremes: [CounterValue?] = [nil, .counter32(0), .counter32(.max), .counter64(0), .counter64(.max), .counter64(1 << 63)]
        let uptimes: [UInt32?] = [nil, 0, 1, .max]
        let speeds: [UInt64?] = [nil, 0, 1, .max]
        var outcomes = 0
        for a in extremes {
            for b in extremes {
                for up in uptimes {
                    for speed in speeds {
                        let before = CounterReading(at: Self.at(0), sysUpTime: up, ifIndex: .max, inOctets: a, outOctets: b,
                                                    inErrors: .max, outErrors: 0, inDiscards: .max, outDiscards: 0, speed: speed,
                                                    discontinuityTime: .max)
                        let after = CounterReading(at: Self.at(60), sysUpTime: up.map { $0 &+ 6000 }, ifIndex: .max, inOctets: b, outOctets: a,
                                                   inErrors: 0, outErrors: .max, inDiscards: 0, outDiscards: .max, speed: speed,
                                                   discontinuityTime: .max)
                        let outcome = calculator.rates(from: before, to: after)
                        if let rates = outcome.rates { _ = rates.inBitsPerSecond; _ = rates.portUtilisation; _ = rates.errorsPerSecond }
                        _ = outcome.discard?.text
                        outcomes += 1
                    }
                }
            }
        }
        #expect(outcomes == 6 * 6 * 4 * 4)
        // UInt64.max octets over the shortest span still gives a number.
        let sample = TrafficSample(start: 0, end: 1, inOctets: .max, outOctets: 0)
        #expect(sample?.inBitsPerSecond == .max)
    }

    @Test(arguments: [
        RateDiscard.firstReading, .interfaceMoved(from: 3, to: 7), .interfaceReturned, .agentRestarted(before: 90_000, after: 100),
        .counterDiscontinuity(before: 0, after: 5), .counterWidthChanged(.inOctets), .counterWentBack(.outOctets), .countersMissing,
        .ambiguousWrap(.inOctets, speed: 1_000_000_000, millis: 60_000), .overSpeed(.inErrors, speed: 100_000_000, tolerancePercent: 10),
        .intervalTooShort(millis: 4_200, shortestSeconds: 10), .intervalTooLong(millis: 3_600_000, longestSeconds: 900),
        .clockWentBack(millis: -2_500), .timestampUnusable,
    ])
    func everyReasonSaysWhatHappenedInBothLanguages(_ reason: RateDiscard) {
        #expect(!reason.text.id.isEmpty && !reason.text.en.isEmpty)
        #expect(reason.text.id != reason.text.en)
        #expect(!reason.kind.isEmpty)
    }

    @Test func reasonsCarryTheirFigures() {
        #expect(RateDiscard.ambiguousWrap(.inOctets, speed: 1_000_000_000, millis: 60_000).text.id
            == "penghitung 32-bit ifInOctets pada port 1.000 Mbps bisa berputar lebih dari sekali dalam 60 detik: laju tidak dapat dipastikan; aktifkan penghitung 64-bit (ifHC…, SNMP v2c atau v3) atau poll lebih sering")
        #expect(RateDiscard.intervalTooShort(millis: 4_200, shortestSeconds: 10).text.en
            == "the interval is only 4.2 seconds (shortest 10 seconds): too short to trust, measured with the next poll")
        #expect(RateDiscard.overSpeed(.outOctets, speed: 100_000_000, tolerancePercent: 10).text.en.contains("(100 Mbps + 10 %)"))
        #expect(RateDiscard.interfaceMoved(from: 3, to: 7).text.en.contains("from ifIndex 3 to 7"))
    }

    // MARK: Settings

    struct SettingCase: Sendable, CustomTestStringConvertible {
        var name: String
        var field: String
        var make: @Sendable () throws -> Void
        var testDescription: String { name }
    }

    static let refusedSettings: [SettingCase] = [
        SettingCase(name: "shortest 0", field: "shortest interval (seconds)") { _ = try RateSettings(shortestSeconds: 0) },
        SettingCase(name: "longest below twice the shortest", field: "longest interval (seconds)") {
            _ = try RateSettings(shortestSeconds: 60, longestSeconds: 119)
        },
        SettingCase(name: "longest past a day", field: "longest interval (seconds)") { _ = try RateSettings(longestSeconds: 86_401) },
        SettingCase(name: "tolerance 101 %", field: "port speed tolerance (%)") { _ = try RateSettings(speedTolerancePercent: 101) },
        SettingCase(name: "negative tolerance", field: "port speed tolerance (%)") { _ = try RateSettings(speedTolerancePercent: -1) },
        SettingCase(name: "clock slack", field: "clock slack (seconds)") { _ = try RateSettings(clockSlackSeconds: 3601) },
        SettingCase(name: "clock drift", field: "clock drift (%)") { _ = try RateSettings(clockDriftPercent: 51) },
    ]

    @Test(arguments: refusedSettings)
    func rateSettingsOutOfRangeAreRefused(_ c: SettingCase) {
        let refusal = #expect(throws: HealthSettingRefusal.self) { try c.make() }
        #expect(refusal?.text.en.hasPrefix(c.field) == true, "\(refusal?.text.en ?? "")")
        #expect(refusal?.text.id.contains("perbaiki nilainya di konfigurasi") == true)
    }

    @Test func settingsAtTheirLimitsAreAccepted() throws {
        _ = try RateSettings(shortestSeconds: 1, longestSeconds: 60, speedTolerancePercent: 0, clockSlackSeconds: 0, clockDriftPercent: 0)
        _ = try RateSettings(shortestSeconds: 3600, longestSeconds: 86_400, speedTolerancePercent: 100, clockSlackSeconds: 3600, clockDriftPercent: 50)
        #expect(RateSettings.standard.shortestSeconds == 10 && RateSettings.standard.longestSeconds == 900)
    }

    /// With no tolerance, 838,860,800 bit/s for 40.96 s moves exactly 2^32 octets: a delta of 0 could be a
    /// whole wrap, so even that is not trusted; one bit per second slower, nothing can wrap twice.
    @Test(arguments: [(UInt64(838_860_800), true), (838_860_799, false)])
    func theAmbiguityBoundaryIsExact(speed: UInt64, ambiguous: Bool) throws {
        let strict = RateCalculator(settings: try RateSettings(speedTolerancePercent: 0))
        let outcome = strict.rates(from: Self.reading(0, up: 100_000, inOctets: Self.c32(7), outOctets: Self.c32(7), speed: speed),
                                   to: Self.reading(40.96, up: 104_096, inOctets: Self.c32(7), outOctets: Self.c32(7), speed: speed))
        #expect(outcome.discard == (ambiguous ? .ambiguousWrap(.inOctets, speed: speed, millis: 40_960) : nil))
        #expect(outcome.rates?.inBitsPerSecond == (ambiguous ? nil : 0))
    }

    @Test func noToleranceMeansTheSpeedExactly() throws {
        let strict = RateCalculator(settings: try RateSettings(speedTolerancePercent: 0))
        let before = Self.reading(0, up: 100_000, inOctets: Self.c64(0), outOctets: Self.c64(0), speed: Self.fastEthernet)
        let full = Self.reading(60, up: 106_000, inOctets: Self.c64(750_000_000), outOctets: Self.c64(0), speed: Self.fastEthernet)
        let over = Self.reading(60, up: 106_000, inOctets: Self.c64(750_000_001), outOctets: Self.c64(0), speed: Self.fastEthernet)
        #expect(strict.rates(from: before, to: full).rates?.inBitsPerSecond == 100_000_000)
        #expect(strict.rates(from: before, to: over).discard == .overSpeed(.inOctets, speed: Self.fastEthernet, tolerancePercent: 0))
    }
}
