import Foundation
import SimpulCore
@testable import SimpulServices
import SimpulStore
import Testing

/// The polling cycle end to end on a real database and health file, with a scripted walker of the
/// tests' own (the SNMP adapter against real agents has its own tests): samples and link states
/// written, a link that goes down opening one fault from monitoring dated at its first failed poll,
/// and its recovery recording the provider's restoration.
@Suite("Polling cycle", .serialized)
struct PollServiceTests {
    /// Answers every target; the devices named in `down` show their links' ports down, those in
    /// `silent` do not answer. Counters grow by 1 MB a minute.
    final class ScriptedWalker: DeviceWalker, @unchecked Sendable {
        let clock: TestClock
        var down: Set<String> = []
        var silent: Set<String> = []
        var asked: [[String]] = []
        let lock = NSLock()

        init(clock: TestClock) { self.clock = clock }

        func walk(_ targets: [WalkTarget]) async -> [DeviceObservation] {
            lock.withLock {
                asked.append(targets.map(\.device))
                let at = clock.now
                let minutes = UInt64(max(0, at.timeIntervalSince1970 - 1_795_254_525) / 60)
                return targets.map { target in
                    if silent.contains(target.device) {
                        return DeviceObservation(device: target.device, at: at, outcome: .unreachable(Text(id: "tidak menjawab", en: "no answer")))
                    }
                    let uptime = UInt32(100_000 + minutes * 6000)
                    let names = ["ether1", "sfp1", "sfp-sfpplus1"]
                    let interfaces = names.enumerated().map { index, name in
                        ObservedInterface(walked: WalkedInterface(ifIndex: Int32(index + 1), name: name), operUp: !down.contains(target.device), adminUp: true,
                                          reading: CounterReading(at: at, sysUpTime: uptime, ifIndex: Int32(index + 1),
                                                                  inOctets: .counter64(minutes * 1_000_000), outOctets: .counter64(minutes * 100_000),
                                                                  inErrors: 0, outErrors: 0, speed: 1_000_000_000))
                    }
                    return DeviceObservation(device: target.device, at: at, outcome: .answered(interfaces))
                }
            }
        }
    }

    @Test func aLinkDownOpensOneFaultFromItsFirstFailedPollAndItsRecoveryStopsTheProvidersClock() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Simpul(database: district.simpul.database, settings: district.simpul.settings, dns: nil, health: HealthFile(database: health),
                            now: district.simpul.now)
        let walker = ScriptedWalker(clock: district.clock)
        func cycle() async throws -> PollService.CycleReport {
            let report = try await simpul.polling.cycle(walker: walker)
            district.clock.advance(60)
            return report
        }

        // Two good cycles: every device with SNMP asked, rates from the second on, the links up.
        let first = try await cycle()
        #expect(first.devices.count == walker.asked[0].count && walker.asked[0].contains("rtr-setda"))
        #expect(first.devices.allSatisfy { $0.samples == 0 })
        #expect(first.devices.first { $0.device == "rtr-setda" }?.problem == nil)
        // A link whose interface the device never showed (the walker knows three names) is named.
        #expect(first.devices.contains { $0.problem?.en.contains("is not on the device") == true })
        let second = try await cycle()
        #expect(second.devices.allSatisfy { $0.samples == 3 })
        _ = try await cycle()
        #expect(try health.read { try HealthStore.linkState($0, circuit: "NUS-CKB-0002") }?.state == .up)
        // What `simpul link status` and `simpul link samples` read: 1 MB a minute is 133,333 bit/s.
        let status = try #require(try simpul.polling.linkStatuses(by: district.cli).first { $0.circuit == "NUS-CKB-0002" })
        #expect(status.state == .up && status.inBitsPerSecond == 133_333 && status.committedInBitsPerSecond == 100_000_000)
        #expect(status.utilisation.map { abs($0 - 0.00133333) < 0.00001 } == true)
        let samples = try simpul.polling.samples(circuit: "nus-ckb-0002", since: district.clock.now.addingTimeInterval(-3600), by: district.cli)
        #expect(samples.count == 2 && samples.allSatisfy { $0.inBitsPerSecond == 133_333 })
        #expect(throws: ServiceError.self) { try simpul.polling.samples(circuit: "NO-SUCH", since: district.clock.now, by: district.cli) }

        // rtr-setda's port goes down: after three failed polls, one fault, dated at the first.
        walker.down = ["rtr-setda"]
        let firstFailed = district.clock.now
        var opened: [Int64] = []
        for _ in 0..<5 { opened += try await cycle().changes.filter { $0.circuit == "NUS-CKB-0002" }.compactMap(\.fault) }
        let faults = try simpul.faults.list(FaultStore.Filter(circuit: "NUS-CKB-0002"), by: district.cli).rows
        #expect(faults.count == 1 && Set(opened).count == 1, "one fault for one outage: \(opened)")
        let fault = try #require(faults.first)
        #expect(fault.channel == .monitoring && fault.startedAt == firstFailed)
        #expect(try health.read { try HealthStore.linkState($0, circuit: "NUS-CKB-0002") }?.state == .down)
        // Other links were never touched.
        #expect(try simpul.faults.list(FaultStore.Filter(openOnly: true), by: district.cli).rows.count == 1)

        // The office escalates it to the provider; the link comes back: the restoration is recorded.
        _ = try simpul.faults.escalate(ticket: fault.ticketID, by: .system)
        walker.down = []
        let back = district.clock.now
        var restoredBy: [Int64] = []
        for _ in 0..<3 { restoredBy += try await cycle().changes.filter { $0.circuit == "NUS-CKB-0002" && $0.problem == nil }.compactMap(\.fault) }
        #expect(restoredBy == [fault.ticketID])
        let after = try simpul.faults.fault(ticket: fault.ticketID, by: district.cli).fault
        #expect(after.restoredAt.map { $0 >= back && $0 <= back.addingTimeInterval(120) } == true, "restored at \(String(describing: after.restoredAt))")
    }

    @Test func aDeviceThatDoesNotAnswerIsReportedAndOpensNothing() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Simpul(database: district.simpul.database, settings: district.simpul.settings, dns: nil, health: HealthFile(database: health),
                            now: district.simpul.now)
        let walker = ScriptedWalker(clock: district.clock)
        walker.silent = ["rtr-setda"]
        var last: PollService.CycleReport?
        for _ in 0..<6 {
            last = try await simpul.polling.cycle(walker: walker)
            district.clock.advance(60)
        }
        let setda = try #require(last?.devices.first { $0.device == "rtr-setda" })
        #expect(setda.problem?.en == "no answer")
        #expect(try simpul.faults.list(FaultStore.Filter(), by: district.cli).rows.isEmpty)
        #expect(try health.read { try HealthStore.linkState($0, circuit: "NUS-CKB-0002") }?.state == .unknown)
    }
}
