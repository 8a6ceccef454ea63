import Foundation
import SimpulCore
@testable import SimpulServices
@_spi(Raw) import SimpulStore
import SimpulProbe
import Testing

/// What the cycle keeps of its own work and when it works: a device polled less than an interval ago
/// waits (the timer's "nothing due"), each device's last walk and GETBULK size are kept for the next,
/// every change of a link's state is history (the measured outages), and hosted servers are checked
/// through the real probes on loopback, never outside their scope.
@Suite("Polling cycle: schedule, records, hosted servers", .serialized)
struct PollServiceScheduleTests {
    typealias Walker = PollServiceTests.ScriptedWalker

    static func services(_ district: TestDistrict, _ health: HealthDatabase) -> Simpul {
        Simpul(database: district.simpul.database, settings: district.simpul.settings, dns: nil, health: HealthFile(database: health),
               now: district.simpul.now)
    }

    @Test func aDeviceIsPolledAgainOnlyWhenItsIntervalHasPassed() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Self.services(district, health)
        let walker = Walker(clock: district.clock)
        let first = try await simpul.polling.cycle(walker: walker, due: .every(.seconds(60)))
        let devices = first.devices.count
        #expect(devices > 0 && first.notDue == 0)

        // 20 s later nothing is due: nothing asked, nothing written.
        district.clock.advance(20)
        let early = try await simpul.polling.cycle(walker: walker, due: .every(.seconds(60)))
        #expect(early.devices.isEmpty && early.notDue == devices)
        #expect(walker.asked.count == 1)
        #expect(try health.read { try HealthStore.cycles($0, limit: 10) }.count == 1)

        // 52 s after the first (a timer a little early): due again, within the slack.
        district.clock.advance(32)
        let again = try await simpul.polling.cycle(walker: walker, due: .every(.seconds(60)))
        #expect(again.devices.count == devices && again.notDue == 0)
        // A longer interval: not yet.
        district.clock.advance(60)
        let hourly = try await simpul.polling.cycle(walker: walker, due: .every(.seconds(3600)))
        #expect(hourly.devices.isEmpty)
        // --all polls everything now.
        let all = try await simpul.polling.cycle(walker: walker, due: .all)
        #expect(all.devices.count == devices)
    }

    @Test func eachDevicesLastWalkIsKeptWithItsProblemAndGetbulkSize() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Self.services(district, health)
        let walker = SizedWalker(clock: district.clock)
        walker.scripted.silent = ["rtr-setda"]
        for _ in 0..<3 {
            _ = try await simpul.polling.cycle(walker: walker)
            district.clock.advance(60)
        }
        let polls = try health.read { try HealthStore.devicePolls($0) }
        let setda = try #require(polls["rtr-setda"])
        #expect(!setda.answered && setda.problem?.en == "no answer" && setda.failures == 3 && setda.lastAnswerAt == nil)
        let answering = try #require(polls.values.first { $0.answered && $0.problem == nil })
        #expect(answering.failures == 0 && answering.interfaces == 3 && answering.maxRepetitions == 17)
        // The size each device settled on is where its next walk starts.
        #expect(walker.sizes.last?[answering.device] == 17)
        #expect(walker.sizes.first?[answering.device] == .some(nil))
        // Each cycle is kept: devices, failures, duration.
        let cycles = try health.read { try HealthStore.cycles($0, limit: 10) }
        #expect(cycles.count == 3 && cycles.allSatisfy { $0.failed == 1 && $0.devices == polls.count })
        #expect(cycles.map(\.startedAt) == cycles.map(\.startedAt).sorted(by: >))
        // The poller page reads the same.
        let overview = try simpul.polling.poller(by: district.cli)
        #expect(overview.lastCycle?.failed == 1)
        #expect(overview.devices.first?.device.name == "rtr-setda" && overview.devices.first?.lastPoll?.problem?.en == "no answer")

        // rtr-setda answers again: its failures end, its last answer is now.
        walker.scripted.silent = []
        _ = try await simpul.polling.cycle(walker: walker)
        let back = try #require(try health.read { try HealthStore.devicePolls($0) }["rtr-setda"])
        #expect(back.answered && back.failures == 0 && back.lastAnswerAt == EpochMillis.of(district.clock.now))
    }

    @Test func aLinksChangesAreItsHistoryAndItsMeasuredOutage() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Self.services(district, health)
        let walker = Walker(clock: district.clock)
        let start = district.clock.now
        func cycles(_ n: Int) async throws {
            for _ in 0..<n {
                _ = try await simpul.polling.cycle(walker: walker)
                district.clock.advance(60)
            }
        }
        try await cycles(3)
        walker.down = ["rtr-setda"]
        let firstFailed = district.clock.now
        try await cycles(6)
        walker.down = []
        let firstGood = district.clock.now
        try await cycles(4)
        let changes = try simpul.polling.changes(circuit: "NUS-CKB-0002", by: district.cli)
        #expect(changes.map(\.to) == [.up, .down, .up], "\(changes)")
        #expect(changes[1].at == EpochMillis.of(firstFailed))
        let end = EpochMillis.of(district.clock.now)!
        let spans = try health.read { try HealthStore.stateSpans($0, circuits: ["NUS-CKB-0002", "NO-SUCH"], from: EpochMillis.of(start)!, to: end) }
        let measured = try #require(spans["NUS-CKB-0002"])
        #expect(measured.map(\.state) == [.up, .down, .up], "\(measured)")
        let down = try #require(measured.first { $0.state == .down })
        #expect(down.start == EpochMillis.of(firstFailed))
        #expect(down.end >= EpochMillis.of(firstGood)! && down.end <= EpochMillis.of(firstGood)! + 120_000)
        #expect(measured.last?.end == end)
        #expect(spans["NO-SUCH"]?.isEmpty == true)
        // A period that starts inside the outage counts from its start.
        let inside = EpochMillis.of(firstFailed)! + 60_000
        let clipped = try health.read { try HealthStore.stateSpans($0, circuits: ["NUS-CKB-0002"], from: inside, to: end) }
        #expect(clipped["NUS-CKB-0002"]?.first.map { $0.state == .down && $0.start == inside } == true)
        // The provider's month counts the measured minutes, and says they were measured.
        let month = ReportMonth.containing(district.clock.now, in: simpul.officeTime().timeZone)
        let report = try simpul.faultReports.provider("NUSANET", month: month, by: district.cli)
        let line = try #require(report.links.first { $0.circuit == "NUS-CKB-0002" })
        #expect(line.measuredPercent.map { $0 > 0 } == true)
        #expect(line.allFaultsOutageMinutes == Double(down.end - down.start) / 60_000, "\(line)")
        #expect(report.links.first { $0.circuit != "NUS-CKB-0002" && $0.measuredPercent != nil } != nil || report.links.count == 1)
    }

    @Test func hostedServersAreCheckedOnLoopbackAndNeverOutsideTheScope() async throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let health = try HealthDatabase.inMemory()
        let simpul = Self.services(district, health)
        let open = try ListeningSocket()
        defer { open.close() }
        let closed = try ListeningSocket()
        let closedPort = closed.port
        closed.close()
        // Three enrolments: an open port on loopback, a closed one, and a pool address outside the scope.
        try district.simpul.database.rawWrite { db in
            for (device, address, method, port) in [("srv-ns1", "127.0.0.1", "tcp", Int(open.port)), ("srv-ns2", "127.0.0.1", "tcp", Int(closedPort)),
                                                    ("srv-simpul", "10.20.0.5", "icmp", nil)] as [(String, String, String, Int?)] {
                try db.execute(sql: """
                    INSERT INTO monitor_targets (device_id, address, method, port, enrolled_at, enrolled_by)
                    SELECT id, ?, ?, ?, '2026-11-20T00:00:00Z', 'test' FROM devices WHERE name = ?
                    """, arguments: [address, method, port, device])
            }
        }
        let prober = try Prober.network(scope: .loopback)
        let report = try await simpul.polling.cycle(walker: Walker(clock: district.clock), prober: prober)
        await prober.shutdown()
        let byDevice = Dictionary(uniqueKeysWithValues: report.servers.map { ($0.device, $0) })
        #expect(byDevice["srv-ns1"]?.status == .up)
        #expect(byDevice["srv-ns2"]?.status == .down)
        #expect(byDevice["srv-simpul"]?.status == .unchecked)
        #expect(byDevice["srv-simpul"]?.outcome.en.contains("outside") == true, "\(String(describing: byDevice["srv-simpul"]?.outcome.en))")
        let stored = try health.read { try HealthStore.serverChecks($0) }
        #expect(stored["srv-ns2"]?.failures == 1 && stored["srv-ns1"]?.failures == 0 && stored["srv-ns1"]?.roundTripMicros != nil)
        let cycle = try #require(try health.read { try HealthStore.cycles($0, limit: 1) }.first)
        #expect(cycle.servers == 3 && cycle.serversDown == 1)
        // What the hosting and agency pages read.
        let shown = try simpul.polling.servers(by: district.cli)
        #expect(shown["srv-ns1"]?.check?.status == .up && shown["srv-ns1"]?.enrolled == "tcp/\(open.port) 127.0.0.1")
        // Without a prober (a process that cannot start one), servers say they were not checked.
        district.clock.advance(60)
        let unprobed = try await simpul.polling.cycle(walker: Walker(clock: district.clock))
        #expect(unprobed.servers.allSatisfy { $0.status == .unchecked })
    }
}

/// The scripted walker, saying each device settled on 17 values per GETBULK, and recording the
/// size each target was asked with.
final class SizedWalker: DeviceWalker, @unchecked Sendable {
    let scripted: PollServiceTests.ScriptedWalker
    var sizes: [[String: Int?]] = []
    let lock = NSLock()

    init(clock: TestClock) { scripted = PollServiceTests.ScriptedWalker(clock: clock) }

    func walk(_ targets: [WalkTarget]) async -> [DeviceObservation] {
        lock.withLock { sizes.append(Dictionary(uniqueKeysWithValues: targets.map { ($0.device, $0.maxRepetitions) })) }
        return await scripted.walk(targets).map { observation in
            var observation = observation
            if case .answered = observation.outcome { observation.maxRepetitions = 17 }
            return observation
        }
    }
}

/// A TCP socket listening on 127.0.0.1 at a port the system picks: the kernel completes handshakes
/// into its backlog, which is all a connect check needs.
final class ListeningSocket: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else {
            _ = Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(fd) }
}
