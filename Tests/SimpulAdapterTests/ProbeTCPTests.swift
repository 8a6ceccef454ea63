import Foundation
import NIOCore
import NIOPosix
import Testing
import SimpulCore
@testable import SimpulProbe

/// The TCP connect check against listeners the tests open on loopback.
@Suite("Probe TCP on loopback", .timeLimit(.minutes(1)))
struct ProbeTCPTests {
    let check = TCPConnectCheck(scope: .loopback)

    @Test(arguments: ["127.0.0.1", "::1"])
    func anOpenPortIsReachableWithItsTime(address: String) async throws {
        let listener = try LoopbackListener(address)
        defer { listener.stop() }
        // A deadline far from the answer's time, so a machine busy with other tests cannot blur them.
        let (outcome, took) = await timed { await check.connect(listener.address, port: listener.port, timeout: .seconds(20)) }
        guard case .reachable(let time) = outcome else {
            Issue.record("expected reachable, got \(outcome)")
            return
        }
        #expect(time > .zero)
        #expect(time <= took)
        #expect(took < .seconds(10), "answered, not waited out")
    }

    @Test(arguments: ["127.0.0.1", "::1"])
    func aClosedPortIsRefusedNotTimedOut(address: String) async throws {
        let port = try LoopbackListener.closedPort(address)
        let (outcome, took) = await timed { await check.connect(IPAddress(address)!, port: port, timeout: .seconds(20)) }
        guard case .refused(let time) = outcome else {
            Issue.record("expected refused, got \(outcome)")
            return
        }
        #expect(time > .zero)
        #expect(took < .seconds(10), "a reset comes at once, long before the deadline")
        let result = ProbeResult(target: ProbeTarget(address: IPAddress(address)!, method: .tcp(port: port)), timeout: .seconds(2), outcome: outcome)
        #expect(result.text.en.contains("answers but port \(port) is closed"))
    }

    @Test func aPortThatDropsTheHandshakeTimesOutAtItsDeadline() async throws {
        let listener = try LoopbackListener(backlog: 0)
        defer { listener.stop() }
        try listener.fill()
        let (outcome, took) = await timed { await check.connect(listener.address, port: listener.port, timeout: .milliseconds(300)) }
        #expect(outcome == .timedOut(after: .milliseconds(300)))
        #expect(took >= .milliseconds(300))
        #expect(took < .seconds(10), "it ends at its deadline, not later")
    }

    @Test func manyChecksAtOnceFinishEachByItsOwnDeadline() async throws {
        let open = try LoopbackListener()
        let silent = try LoopbackListener(backlog: 0)
        defer { open.stop(); silent.stop() }
        try silent.fill()
        let prober = Prober(scope: .loopback, transport: try NetworkTransport(scope: .loopback))
        let dead = ProbeTarget(address: silent.address, method: .tcp(port: silent.port))
        let live = ProbeTarget(address: open.address, method: .tcp(port: open.port))
        let timings = await withTaskGroup(of: (ProbeResult, Duration).self) { group in
            for index in 0..<60 {
                let target = index.isMultiple(of: 2) ? dead : live
                group.addTask { await timed { await prober.check(target, timeout: .seconds(12)) } }
            }
            var all: [(ProbeResult, Duration)] = []
            for await timing in group { all.append(timing) }
            return all
        }
        let lives = timings.filter { $0.0.target == live }, deads = timings.filter { $0.0.target == dead }
        #expect(lives.count == 30 && deads.count == 30)
        #expect(lives.allSatisfy { $0.0.outcome.isUp && $0.1 < .seconds(6) }, "an open port answers while thirty dead ones wait")
        #expect(deads.allSatisfy { $0.0.outcome == .timedOut(after: .seconds(12)) && $0.1 >= .seconds(12) })

        // The batch call gives the results in the order of the targets.
        let batch = await prober.check([live, dead, live], timeout: .milliseconds(300))
        #expect(batch.map(\.target) == [live, dead, live])
        #expect(batch.map(\.outcome.status) == ["reachable", "timeout", "reachable"])
        await prober.shutdown()
    }

    @Test func cancellingTheCallerEndsTheCheckAtOnce() async throws {
        let silent = try LoopbackListener(backlog: 0)
        defer { silent.stop() }
        try silent.fill()
        let task = Task { await timed { await check.connect(silent.address, port: silent.port, timeout: .seconds(30)) } }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let (outcome, took) = await task.value
        guard case .timedOut(let after) = outcome else {
            Issue.record("expected timed out, got \(outcome)")
            return
        }
        #expect(after < .seconds(10), "ended by the cancellation, not by its 30 s deadline")
        #expect(took < .seconds(10))
    }

    @Test func anAddressOutsideTheScopeOpensNoSocket() async throws {
        // A stopped event loop group: were the scope not asked first, the connect would fail on
        // the group, never reach the network, and the outcome would not be outsideScope.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await group.shutdownGracefully()
        let guarded = TCPConnectCheck(scope: .loopback, group: group)
        for address in ["10.20.0.15", "192.168.1.1", "::ffff:10.20.0.15", "2001:db8::1"] {
            #expect(await guarded.connect(IPAddress(address)!, port: 443, timeout: .seconds(1)) == .outsideScope(.loopback))
        }
    }

    @Test(arguments: [
        (ECONNREFUSED, "refused"), (ETIMEDOUT, "timeout"), (EHOSTUNREACH, "unreachable"), (ENETUNREACH, "unreachable"),
    ])
    func connectErrorsAreToldApart(code: Int32, status: String) {
        let outcome = TCPConnectCheck.outcome(of: IOError(errnoCode: code, reason: "connect"), elapsed: .milliseconds(5), timeout: .seconds(1))
        #expect(outcome.status == status)
        if case .unreachable(let reason, _) = outcome { #expect(reason == SystemCall.reason(code)) }
    }
}
