import Foundation
import SimpulCore
@testable import SimpulStore
import Testing

/// Link health's own file: samples stored exactly and rolled up into their hours as they are written,
/// interfaces keeping their id across renumbering, retention in bounded steps, link states between runs.
@Suite("Health store")
struct HealthStoreTests {
    /// 2026-12-05 00:00 UTC in milliseconds.
    let midnight: Int64 = 1_796_428_800_000

    func sample(_ start: Int64, seconds: Int64 = 60, in inOctets: UInt64 = 7_500_000, out outOctets: UInt64 = 750_000,
                errors: UInt64? = 0) -> TrafficSample {
        TrafficSample(start: start, end: start + seconds * 1000, inOctets: inOctets, outOctets: outOctets,
                      inErrors: errors, outErrors: errors, inDiscards: nil, outDiscards: nil)!
    }

    @Test func theFileSitsBesideTheMainDatabase() {
        #expect(HealthDatabase.path(besideMain: "/var/lib/simpul/simpul.db") == "/var/lib/simpul/simpul-health.db")
        #expect(HealthDatabase.path(besideMain: "data/office") == FileManager.default.currentDirectoryPath + "/data/office-health.db"
                || HealthDatabase.path(besideMain: "data/office").hasSuffix("data/office-health.db"))
    }

    @Test func samplesRollIntoTheirHoursAsTheRollupComputesThem() throws {
        let health = try HealthDatabase.inMemory()
        // Two hours of one-minute polls, the middle one a different rate, one poll missing (a gap).
        var samples: [TrafficSample] = []
        for minute in 0..<120 where minute != 61 {
            samples.append(sample(midnight + Int64(minute) * 60_000, in: minute == 30 ? 75_000_000 : 7_500_000))
        }
        // One sample across the hour boundary (a late poll): its octets split between both hours.
        let across = sample(midnight + 3_570_000, seconds: 60, in: 1_200_000, out: 0)
        let added = try health.write { w in try HealthStore.record(w, samples: (samples + [across]).map { (interfaceID: 7, sample: $0) }) }
        #expect(added == samples.count + 1)
        let stored = try health.read { r in try HealthStore.hours(r, interfaceID: 7, from: midnight, to: midnight + 2 * 3_600_000) }
        let expected = TrafficRollup.hours(samples + [across])
        #expect(stored == expected)
        #expect(stored.count == 2)
        // The hour's maximum is the busy minute's rate; its 95th percentile comes from its twelve slots.
        #expect(stored[0].hour.inMaxBitsPerSecond == 10_000_000)
        #expect(stored[1].fiveMinuteAverages.count == 12)
        // The raw rows read back exactly.
        let raw = try health.read { r in try HealthStore.samples(r, interfaceID: 7, from: midnight, to: midnight + 3_600_000) }
        #expect(raw.first == samples.first && raw.count == 61 && raw.contains(across), "the hour's 60 polls and the late one across its end")
    }

    @Test func aRepeatedRunAddsNothingTwice() throws {
        let health = try HealthDatabase.inMemory()
        let batch = (0..<5).map { (interfaceID: Int64(1), sample: sample(midnight + Int64($0) * 60_000)) }
        #expect(try health.write { try HealthStore.record($0, samples: batch) } == 5)
        #expect(try health.write { try HealthStore.record($0, samples: batch) } == 0)
        let hour = try health.read { r in try HealthStore.hours(r, interfaceID: 1, from: midnight, to: midnight + 3_600_000) }
        #expect(hour.first?.hour.samples == 5 && hour.first?.hour.inOctets == 5 * 7_500_000)
    }

    @Test func countersAtTheTopOfTheirRangeComeBackExactly() throws {
        let health = try HealthDatabase.inMemory()
        let huge = TrafficSample(start: midnight, end: midnight + 60_000, inOctets: UInt64.max, outOctets: UInt64(Int64.max) + 1,
                                 inErrors: UInt64.max - 1, outErrors: nil, inDiscards: 0, outDiscards: nil)!
        try health.write { try HealthStore.record($0, samples: [(interfaceID: 3, sample: huge)]) }
        let back = try health.read { try HealthStore.samples($0, interfaceID: 3, from: midnight, to: midnight + 60_000) }
        #expect(back == [huge])
        let hour = try health.read { try HealthStore.hours($0, interfaceID: 3, from: midnight, to: midnight + 60_000) }
        #expect(hour.first?.hour.inOctets == UInt64.max)
    }

    @Test func anInterfaceKeepsItsIdWhenRenumberedAndWhenItReturns() throws {
        let health = try HealthDatabase.inMemory()
        func walk(_ interfaces: [WalkedInterface], at minute: Int64) throws -> [Int32: Int64] {
            try health.write { w in
                let known = try HealthStore.interfaces(w.reader, device: "rtr-dinkes")
                return try HealthStore.recordWalk(w, device: "rtr-dinkes", match: InterfaceMatcher.match(known: known, walked: interfaces),
                                                  at: midnight + minute * 60_000)
            }
        }
        let first = try walk([WalkedInterface(ifIndex: 1, name: "ether1", alias: "uplink NUSANET"), WalkedInterface(ifIndex: 2, name: "ether2")], at: 0)
        #expect(first.count == 2)
        // After a reboot the indexes swap: the names keep the ids.
        let swapped = try walk([WalkedInterface(ifIndex: 2, name: "ether1", alias: "uplink NUSANET"), WalkedInterface(ifIndex: 1, name: "ether2")], at: 1)
        #expect(swapped[2] == first[1] && swapped[1] == first[2])
        // ether2 disappears, then comes back: absent meanwhile, the same id after.
        _ = try walk([WalkedInterface(ifIndex: 2, name: "ether1", alias: "uplink NUSANET")], at: 2)
        let absent = try health.read { try HealthStore.interfaces($0, device: "rtr-dinkes") }
        #expect(absent.first { $0.id == first[2] }?.present == false)
        let back = try walk([WalkedInterface(ifIndex: 2, name: "ether1", alias: "uplink NUSANET"), WalkedInterface(ifIndex: 5, name: "ether2")], at: 3)
        #expect(back[5] == first[2])
        #expect(try health.read { try HealthStore.interfaces($0, device: "rtr-dinkes") }.allSatisfy(\.present))
        #expect(try health.read { try HealthStore.interfaces($0, device: "rtr-other") }.isEmpty)
    }

    @Test func retentionDeletesInBoundedSteps() throws {
        let health = try HealthDatabase.inMemory()
        let old = (0..<30).map { (interfaceID: Int64($0 % 3), sample: sample(midnight + Int64($0 / 3) * 60_000)) }
        let recent = (0..<3).map { (interfaceID: Int64($0), sample: sample(midnight + 20 * 86_400_000)) }
        try health.write { try HealthStore.record($0, samples: old + recent) }
        let cutoff = midnight + 14 * 86_400_000
        let first = try health.write { try HealthStore.prune($0, samplesBefore: cutoff, hoursBefore: midnight, limit: 20) }
        #expect(first.samples == 20 && first.hours == 0 && first.more)
        let second = try health.write { try HealthStore.prune($0, samplesBefore: cutoff, hoursBefore: midnight, limit: 20) }
        #expect(second.samples == 10 && !second.more)
        let left = try (0..<3).map { id in try health.read { try HealthStore.samples($0, interfaceID: Int64(id), from: 0, to: .max / 2) }.count }
        #expect(left == [1, 1, 1], "the recent samples stay")
        // The hours are kept to their own limit: a year later they go too.
        let yearLater = try health.write { try HealthStore.prune($0, samplesBefore: cutoff, hoursBefore: midnight + 400 * 86_400_000, limit: 100) }
        #expect(yearLater.hours == 6)
    }

    @Test func aLinksStateIsKeptBetweenRuns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let row = HealthStore.LinkStateRow(circuit: "NUS-CKB-0008", state: .down, machine: Data(#"{"n":3}"#.utf8), changedAt: midnight, polledAt: midnight + 60_000)
        try HealthDatabase.open(path: path).write { try HealthStore.saveLinkState($0, row) }
        var later = row
        later.state = .up
        later.polledAt += 60_000
        let reopened = try HealthDatabase.open(path: path)
        #expect(try reopened.read { try HealthStore.linkState($0, circuit: "NUS-CKB-0008") } == row)
        try reopened.write { try HealthStore.saveLinkState($0, later) }
        #expect(try reopened.read { try HealthStore.linkStates($0) } == [later])
        #expect(try reopened.fileBytes() > 0)
    }

    @Test func theLastReadingsComeBackAsTheyWereTaken() throws {
        let health = try HealthDatabase.inMemory()
        let at = Date(timeIntervalSince1970: Double(midnight) / 1000)
        let wide = CounterReading(at: at, sysUpTime: UInt32.max, ifIndex: Int32.max, inOctets: .counter64(UInt64.max), outOctets: .counter64(0),
                                  inErrors: UInt32.max, outErrors: 0, inDiscards: nil, outDiscards: 7, speed: 10_000_000_000, discontinuityTime: 42)
        let narrow = CounterReading(at: at, sysUpTime: nil, ifIndex: 3, inOctets: .counter32(UInt32.max), outOctets: .counter32(1))
        try health.write { try HealthStore.saveReadings($0, [(interfaceID: 1, reading: wide), (interfaceID: 2, reading: narrow)]) }
        var back = try health.read { try HealthStore.readings($0, interfaceIDs: [1, 2, 3]) }
        #expect(back == [1: wide, 2: narrow])
        var newer = narrow
        newer.inOctets = .counter32(5)
        try health.write { try HealthStore.saveReadings($0, [(interfaceID: 2, reading: newer)]) }
        back = try health.read { try HealthStore.readings($0, interfaceIDs: [2]) }
        #expect(back == [2: newer])
    }
}
