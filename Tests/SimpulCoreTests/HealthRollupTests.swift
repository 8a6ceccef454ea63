import Foundation
import SimpulCore
import Testing

/// Roll-ups and burstable billing (issue 14, storage): raw samples into five-minute and hourly series,
/// partial buckets, gaps that are not zeros, late samples, the hourly rows' five-minute slots and their
/// encoding, and the 95th percentile worked by hand.
@Suite("Health: roll-ups and the 95th percentile")
struct HealthRollupTests {
    /// 2026-09-21T00:00:00Z in milliseconds: a whole hour.
    static let h0: Int64 = 1_789_948_800_000
    static let minute: Int64 = 60_000

    /// A sample of `seconds` ending `endMinute` minutes after h0 at `mbps` in and `outMbps` out.
    static func sample(endMinute: Double, seconds: Int64 = 60, mbps: UInt64, outMbps: UInt64 = 0) -> TrafficSample {
        let end = h0 + Int64(endMinute * 60_000)
        return TrafficSample(start: end - seconds * 1000, end: end, inOctets: mbps * 125_000 * UInt64(seconds),
                             outOctets: outMbps * 125_000 * UInt64(seconds), inErrors: 1)!
    }

    // MARK: The 95th percentile, worked by hand

    struct Billing: Sendable, CustomTestStringConvertible {
        var name: String
        var values: [UInt64]
        var expected: UInt64?
        var testDescription: String { name }
    }

    static func repeated(_ value: UInt64, _ count: Int) -> [UInt64] { Array(repeating: value, count: count) }

    static let billing: [Billing] = [
        // 20 windows: drop ⌊20/20⌋ = 1, the 19th of 20 sorted is billed.
        Billing(name: "1…20 shuffled: 19", values: [7, 3, 20, 1, 15, 9, 12, 18, 2, 5, 11, 14, 19, 4, 6, 8, 10, 13, 16, 17], expected: 19),
        // 19 windows: ⌊19/20⌋ = 0 dropped, the highest is billed.
        Billing(name: "1…19: nothing dropped, 19", values: Array(1...19), expected: 19),
        Billing(name: "1…100: the top five dropped, 95", values: Array(1...100).reversed(), expected: 95),
        Billing(name: "40 windows, two spikes: both dropped", values: repeated(10_000_000, 38) + [100_000_000, 90_000_000], expected: 10_000_000),
        Billing(name: "40 windows, three spikes: the lowest spike billed",
                values: [100_000_000] + repeated(10_000_000, 37) + [90_000_000, 95_000_000], expected: 90_000_000),
        // A 30-day month has 8,640 five-minute windows: the 432 highest are free.
        Billing(name: "a month with 432 bursts: not billed", values: repeated(20_000_000, 8_208) + repeated(500_000_000, 432), expected: 20_000_000),
        Billing(name: "a month with 433 bursts: billed", values: repeated(20_000_000, 8_207) + repeated(500_000_000, 433), expected: 500_000_000),
        Billing(name: "one window", values: [42], expected: 42),
        Billing(name: "extremes", values: [0, .max, .max], expected: .max),
        Billing(name: "no windows", values: [], expected: nil),
    ]

    @Test(arguments: billing)
    func ninetyFifthPercentile(_ b: Billing) {
        #expect(BurstableBilling.percentile95(b.values) == b.expected)
    }

    /// The integer rank is the project's nearest-rank convention at 0.95, for every count up to 2,000
    /// and for counts up to past a year of five-minute windows (105,120).
    @Test func theIntegerRankIsNearestRank() {
        let counts = Array(1...2_000) + Array(stride(from: 2_001, through: 106_000, by: 997)) + [8_640, 8_928, 105_120, 105_408]
        let values = (0..<106_000).map { UInt64($0) }
        let doubles = values.map(Double.init)
        for n in counts {
            let ours = BurstableBilling.percentile95(Array(values.prefix(n)))
            let theirs = Percentile.nearestRank(Array(doubles.prefix(n)), 0.95)
            #expect(ours.map(Double.init) == theirs, "n = \(n)")
        }
    }

    @Test func aFigureCountsOnlyItsPeriodAndCoveredWindows() throws {
        let averages = (0..<24).map { (i: Int) -> FiveMinuteAverage in
            let start: Int64 = Self.h0 + Int64(i) * 300_000
            let coverage: Double = i == 23 ? 0.2 : 1
            return FiveMinuteAverage(start: start, inBitsPerSecond: UInt64(i) * 1_000_000,
                                     outBitsPerSecond: UInt64(24 - i) * 1_000_000, coverage: coverage)
        }
        // The first hour: windows 0…11, none dropped: 11 in, 24 out.
        let first = try #require(BurstableBilling.figure(averages, from: Self.h0, to: Self.h0 + 3_600_000))
        #expect(first == BurstableBilling.Figure(inBitsPerSecond: 11_000_000, outBitsPerSecond: 24_000_000, windows: 12, dropped: 0))
        #expect(first.billable == 24_000_000)
        // Both hours, the last window only a fifth measured: required 50 % leaves 23 windows, drops one.
        let both = try #require(BurstableBilling.figure(averages, from: Self.h0, to: Self.h0 + 7_200_000, minimumCoverage: 0.5))
        #expect(both == BurstableBilling.Figure(inBitsPerSecond: 21_000_000, outBitsPerSecond: 23_000_000, windows: 23, dropped: 1))
        #expect(BurstableBilling.figure(averages, from: Self.h0 - 1, to: Self.h0) == nil)
    }

    // MARK: Buckets

    @Test func aSampleAcrossABoundaryIsSharedExactly() {
        // 4:30 to 5:30, an odd number of octets: 3,750,000 before 5:00 and 3,750,001 after.
        let s = TrafficSample(start: Self.h0 + 270_000, end: Self.h0 + 330_000, inOctets: 7_500_001, outOctets: 1, inErrors: 3)!
        let buckets = TrafficRollup.fiveMinutes([s])
        #expect(buckets.map(\.start) == [Self.h0, Self.h0 + 300_000])
        #expect(buckets.map(\.inOctets) == [3_750_000, 3_750_001])
        #expect(buckets.map(\.outOctets) == [0, 1])
        #expect(buckets.map(\.inErrors) == [1, 2])
        #expect(buckets.map(\.coveredMillis) == [30_000, 30_000])
        #expect(buckets.map(\.inMaxBitsPerSecond) == [1_000_000, 1_000_000], "the sample's own rate, 1,000,000.13 bit/s rounded down")
        #expect(buckets.map(\.inAverageBitsPerSecond) == [1_000_000, 1_000_000])
    }

    @Test func gapsAreNotZeros() throws {
        // Five one-minute polls at 10 Mbit/s; the second and fourth intervals were discarded (a reboot,
        // a discontinuity): the window averages 10 Mbit/s over the three minutes measured.
        let samples = [1.0, 3, 5].map { Self.sample(endMinute: $0, mbps: 10) }
        let bucket = try #require(TrafficRollup.fiveMinutes(samples).first)
        #expect(bucket.inAverageBitsPerSecond == 10_000_000)
        #expect(bucket.coverage == 0.6)
        #expect(bucket.samples == 3)
        #expect(bucket.average == FiveMinuteAverage(start: Self.h0, inBitsPerSecond: 10_000_000, outBitsPerSecond: 0, coverage: 0.6))
        // A window nothing measured has no bucket, not a zero one.
        #expect(TrafficRollup.fiveMinutes([Self.sample(endMinute: 11, mbps: 1)]).map(\.start) == [Self.h0 + 600_000])
        #expect(TrafficBucket(containing: Self.h0, width: TrafficBucket.fiveMinutes).average == nil)
    }

    @Test func aPartialHour() throws {
        // Polls only in the first twenty minutes (the poller started at :00 and stopped at :20), at
        // 4 Mbit/s in and 1 out: the hour averages 4 and 1, a third covered, four slots of twelve.
        let samples = (1...20).map { Self.sample(endMinute: Double($0), mbps: 4, outMbps: 1) }
        let hour = try #require(TrafficRollup.hours(samples).first)
        #expect(hour.hour.inAverageBitsPerSecond == 4_000_000 && hour.hour.outAverageBitsPerSecond == 1_000_000)
        #expect(abs(hour.hour.coverage - 1.0 / 3) < 1e-12)
        #expect(hour.hour.inErrors == 20)
        #expect(hour.slots.map { !$0.isEmpty } == [true, true, true, true] + Array(repeating: false, count: 8))
        #expect(hour.fiveMinuteAverages.map(\.inBitsPerSecond) == [4_000_000, 4_000_000, 4_000_000, 4_000_000])
        #expect(hour.fiveMinuteAverages.map(\.start) == [0, 1, 2, 3].map { Self.h0 + $0 * 300_000 })
    }

    @Test func anHourIsItsTwelveFiveMinuteBucketsAdded() throws {
        let day = Self.day(seed: 7)
        let fives = TrafficRollup.fiveMinutes(day)
        let hours = TrafficRollup.hours(day)
        #expect(hours.count == 24)
        for hour in hours {
            let inside = fives.filter { $0.start >= hour.hour.start && $0.start < hour.hour.end }
            #expect(hour.hour.inOctets == inside.reduce(0) { $0 + $1.inOctets })
            #expect(hour.hour.outOctets == inside.reduce(0) { $0 + $1.outOctets })
            #expect(hour.hour.coveredMillis == inside.reduce(0) { $0 + $1.coveredMillis })
            #expect(hour.hour.inMaxBitsPerSecond == inside.map(\.inMaxBitsPerSecond).max())
            #expect(hour.fiveMinuteAverages == inside.compactMap(\.average))
        }
        // Every octet of every sample is in exactly one five-minute bucket.
        #expect(fives.reduce(0) { $0 + $1.inOctets } == day.reduce(0) { $0 + $1.inOctets })
    }

    /// A day of one-minute samples at an offset (polls at :17 past the minute), each a few tens of
    /// milliseconds apart from or overlapping the last (poll latency), a reboot's gap of eleven minutes
    /// around 10:05, and random traffic up to 80 Mbit/s.
    static func day(seed: UInt64) -> [TrafficSample] {
        var random = SplitMix(seed: seed)
        var samples: [TrafficSample] = []
        var end = h0 + 17_000
        while true {
            let start = end + Int64(random.next(below: 41)) - 20
            let duration = 60_000 + Int64(random.next(below: 81)) - 40
            let next = start + duration
            guard next <= h0 + 86_400_000 else { break }
            if !(next > h0 + 36_000_000 && next < h0 + 36_660_000) {  // ending 10:00–10:11: discarded
                let bits = random.next(below: 80_000_001)
                samples.append(TrafficSample(start: start, end: next, inOctets: bits * UInt64(duration) / 8000,
                                             outOctets: bits * UInt64(duration) / 80_000, inErrors: random.next(below: 3))!)
            }
            end = next
        }
        return samples
    }

    /// A year of hourly rows answers the same 95th percentile as the five-minute rows, for any period.
    @Test func hourlyRowsGiveTheSameNinetyFifthAsFiveMinuteRows() throws {
        let day = Self.day(seed: 11)
        let fromFives = TrafficRollup.fiveMinutes(day).compactMap(\.average)
        let stored = try TrafficRollup.hours(day).map { try HourlyRollup(hour: $0.hour, encodedSlots: $0.encodedSlots()) }
        let fromHours = stored.flatMap(\.fiveMinuteAverages)
        #expect(fromHours == fromFives)
        #expect(fromFives.count == 288 - 2, "the reboot's gap leaves out the two windows it covers wholly")
        for (from, to) in [(Self.h0, Self.h0 + 86_400_000), (Self.h0 + 7_200_000, Self.h0 + 43_500_000), (Self.h0 + 300_000, Self.h0 + 600_000)] {
            let a = try #require(BurstableBilling.figure(fromFives, from: from, to: to))
            #expect(BurstableBilling.figure(fromHours, from: from, to: to) == a)
        }
    }

    @Test func lateSamplesChangeNothingButTheirOwnShare() throws {
        var random = SplitMix(seed: 3)
        let day = Self.day(seed: 5)
        let all = TrafficRollup.hours(day)
        for _ in 0..<5 {
            let shuffled = day.shuffled(using: &random)
            #expect(TrafficRollup.hours(shuffled) == all)
            #expect(TrafficRollup.fiveMinutes(shuffled) == TrafficRollup.fiveMinutes(day))
        }
        // An hour rolled up and stored at :59, then a late sample written at :03 of the next hour: added to
        // the stored row, it gives what rolling everything at once gives.
        let hourStart = Self.h0 + 5 * 3_600_000
        let late = try #require(day.first { $0.start >= hourStart + 1_800_000 })
        let early = day.filter { $0 != late }
        var row = try #require(TrafficRollup.hours(early).first { $0.hour.start == hourStart })
        row = try HourlyRollup(hour: row.hour, encodedSlots: row.encodedSlots())
        row.add(late)
        #expect(row.slots == all.first { $0.hour.start == hourStart }?.slots)
        #expect(row.hour.inOctets == all.first { $0.hour.start == hourStart }?.hour.inOctets)
        // Two partial buckets of one window merge into the whole.
        let window = TrafficBucket(containing: late.start, width: TrafficBucket.fiveMinutes)
        let touching = day.filter { $0.end > window.start && $0.start < window.end }
        var a = window, b = window, whole = window
        for (i, s) in touching.enumerated() { if i % 2 == 0 { a.add(s) } else { b.add(s) }; whole.add(s) }
        a.merge(b)
        #expect(a == whole)
    }

    @Test func aStoredBucketIsCheckedWhereItIsRead() {
        let ok = TrafficBucket(start: Self.h0, width: 300_000, coveredMillis: 300_000, inOctets: 1, outOctets: 2,
                               inMaxBitsPerSecond: 3, outMaxBitsPerSecond: 4, samples: 5)
        #expect(ok?.inAverageBitsPerSecond == 0 && ok?.samples == 5)
        #expect(TrafficBucket(start: Self.h0 + 1, width: 300_000, coveredMillis: 0, inOctets: 0, outOctets: 0,
                              inMaxBitsPerSecond: 0, outMaxBitsPerSecond: 0, samples: 0) == nil, "not aligned")
        #expect(TrafficBucket(start: Self.h0, width: 600_000, coveredMillis: 0, inOctets: 0, outOctets: 0,
                              inMaxBitsPerSecond: 0, outMaxBitsPerSecond: 0, samples: 0) == nil, "ten minutes")
        #expect(TrafficBucket(start: Self.h0, width: 300_000, coveredMillis: -1, inOctets: 0, outOctets: 0,
                              inMaxBitsPerSecond: 0, outMaxBitsPerSecond: 0, samples: 0) == nil)
        #expect(TrafficBucket(start: -300_000, width: 300_000, coveredMillis: 0, inOctets: 0, outOctets: 0,
                              inMaxBitsPerSecond: 0, outMaxBitsPerSecond: 0, samples: 0) == nil)
    }

    @Test(arguments: [
        (0, 0), (10, 5), (0, 86_400_001), (-1, 10), (EpochMillis.latest, EpochMillis.latest + 1),
    ] as [(Int64, Int64)])
    func aSampleMustBeASpanOfAtMostADay(start: Int64, end: Int64) {
        #expect(TrafficSample(start: start, end: end, inOctets: 0, outOctets: 0) == nil)
    }

    @Test func hostileSumsSaturate() {
        var bucket = TrafficBucket(containing: 0, width: TrafficBucket.fiveMinutes)
        let huge = TrafficSample(start: 0, end: 300_000, inOctets: .max, outOctets: .max, inErrors: .max)!
        bucket.add(huge)
        bucket.add(huge)
        #expect(bucket.inOctets == .max && bucket.inErrors == .max)
        #expect(bucket.inAverageBitsPerSecond == UInt64.max / 75, "UInt64.max octets over 600 s of coverage")
        var hour = HourlyRollup(containing: 0)
        hour.add(huge)
        hour.add(huge)
        #expect(hour.slots[0].inOctets == .max)
        #expect((try? HourlyRollup(hour: hour.hour, encodedSlots: hour.encodedSlots()))?.slots == hour.slots)
    }

    // MARK: Encoding

    @Test func theSlotsTakeTheDocumentedBytes() throws {
        // A busy hour: twelve full slots at 50 Mbit/s in and 10 out.
        let busy = TrafficRollup.hours((1...60).map { Self.sample(endMinute: Double($0), mbps: 50, outMbps: 10) })[0]
        #expect(busy.encodedSlots().count == 3 + 12 * (1 + 5 + 5))
        // Idle: full slots of zero octets.
        let idle = TrafficRollup.hours((1...60).map { Self.sample(endMinute: Double($0), mbps: 0) })[0]
        #expect(idle.encodedSlots().count == 39)
        // Never measured.
        #expect(HourlyRollup(containing: Self.h0).encodedSlots() == [1, 0, 0])
        // A gigabit link at 900 Mbit/s: 33,750,000,000 octets a slot, 35 bits, 5 bytes still.
        let full = TrafficRollup.hours((1...60).map { Self.sample(endMinute: Double($0), mbps: 900, outMbps: 900) })[0]
        #expect(full.encodedSlots().count == 135)
        // The realistic day: slots a few milliseconds short or over take one or two bytes for coverage;
        // the reboot's hour has slots missing minutes (three bytes) and slots missing altogether.
        let drifting = TrafficRollup.hours(Self.day(seed: 7))
        let sizes = drifting.map { $0.encodedSlots().count }
        let rebootHour = (Self.h0 + 36_000_000) / TrafficBucket.hour * TrafficBucket.hour
        #expect(zip(drifting, sizes).allSatisfy { $0.hour.start == rebootHour || $1 <= 3 + 12 * (2 + 5 + 5) }, "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 3 + 12 * (3 + 5 + 5) }, "\(sizes)")
        for hour in drifting + [busy, idle, full] {
            #expect(try HourlyRollup(hour: hour.hour, encodedSlots: hour.encodedSlots()) == hour)
        }
    }

    @Test(arguments: [
        ([UInt8](), "cut short"),
        ([1, 0], "cut short"),
        ([2, 0, 0], "version 2 is unknown"),
        ([1, 0, 0x10], "slot is damaged"),                                  // bit 12: a thirteenth slot
        ([1, 1, 0], "cut short"),                                           // slot 0 announced, no bytes
        ([1, 1, 0, 0, 5], "cut short"),                                     // no octets out
        ([1, 1, 0, 0, 5, 6, 7], "left over"),
        ([1, 1, 0, 0xC0, 0xCF, 0x24, 0, 0], "slot is damaged"),             // 300,000 ms missing (zig-zag 600,000): nothing covered
        ([1, 1, 0, 0x80, 0x00, 0, 0], "slot is damaged"),                 // an overlong varint (0 in two bytes)
        ([1, 1, 0, 0] + [UInt8](repeating: 0xFF, count: 10) + [0, 0], "slot is damaged"),   // a varint past 64 bits
        ([1, 1, 0, 0] + [UInt8](repeating: 0x80, count: 10) + [0x01, 0], "slot is damaged"),
    ] as [([UInt8], String)])
    func damagedSlotsAreRefused(bytes: [UInt8], says: String) {
        let error = #expect(throws: RollupDecodingError.self) {
            try HourlyRollup(hour: TrafficBucket(containing: Self.h0, width: TrafficBucket.hour), encodedSlots: bytes)
        }
        #expect(error?.text.en.contains(says) == true, "\(error?.text.en ?? "")")
        #expect(error?.text.id.hasPrefix("ringkasan lalu lintas per jam tidak dapat dibaca") == true)
    }

    @Test func aFiveMinuteBucketIsNotAnHour() {
        #expect(throws: RollupDecodingError.self) {
            try HourlyRollup(hour: TrafficBucket(containing: Self.h0, width: TrafficBucket.fiveMinutes), encodedSlots: [1, 0, 0])
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix(seed: 14)
        var decoded = 0
        let valid = TrafficRollup.hours(Self.day(seed: 2)).map { $0.encodedSlots() }
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                // A real BLOB with one byte changed, cut or lengthened.
                bytes = valid[Int(random.next(below: UInt64(valid.count)))]
                let at = Int(random.next(below: UInt64(bytes.count)))
                switch random.next(below: 3) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes = Array(bytes.prefix(at))
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                }
            } else {
                bytes = (0..<Int(random.next(below: 40))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            if let hour = try? HourlyRollup(hour: TrafficBucket(containing: 0, width: TrafficBucket.hour), encodedSlots: bytes) {
                decoded += 1
                _ = hour.fiveMinuteAverages
                #expect(hour.encodedSlots() == bytes, "a BLOB that reads back encodes the same")
            }
        }
        #expect(decoded > 0)
    }

    // MARK: From readings to roll-ups

    @Test func readingsThroughRatesIntoBuckets() throws {
        // Ten minutes of one-minute polls at 8 Mbit/s on a 64-bit counter; the device reboots after the
        // fourth minute. The reboot's interval is a gap, the rest average 8 Mbit/s.
        let calculator = RateCalculator()
        var octets: UInt64 = 1_000_000
        var uptime: UInt32 = 500_000
        var previous: CounterReading?
        var samples: [TrafficSample] = []
        var discarded: [RateDiscard] = []
        for minute in 0...10 {
            if minute == 5 { uptime = 3_000; octets = 0 } else if minute > 0 { uptime += 6_000; octets += 60_000_000 }
            let reading = CounterReading(at: Date(timeIntervalSince1970: Double(Self.h0 + Int64(minute) * Self.minute) / 1000),
                                         sysUpTime: uptime, ifIndex: 2, inOctets: .counter64(octets), outOctets: .counter64(0),
                                         speed: 100_000_000)
            switch calculator.rates(from: previous, to: reading) {
            case .measured(let rates): samples.append(rates.sample)
            case .discarded(let reason): discarded.append(reason)
            }
            previous = reading
        }
        #expect(discarded == [.firstReading, .agentRestarted(before: 524_000, after: 3_000)])
        let buckets = TrafficRollup.fiveMinutes(samples)
        #expect(buckets.map(\.inAverageBitsPerSecond) == [8_000_000, 8_000_000])
        #expect(buckets.map(\.coveredMillis) == [240_000, 300_000])
    }
}
