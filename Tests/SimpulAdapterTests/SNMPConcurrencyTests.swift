import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// Many devices at once: each has its own timeout and retries, and one that does not answer holds
/// up nobody else.
@Suite("SNMP walks of many devices at once", .serialized, .timeLimit(.minutes(2)))
struct SNMPConcurrencyTests {
    let client = NetSNMPClient()

    @Test func aDeadPortAmongLiveAgentsDoesNotDelayThem() async throws {
        let simulator = try SNMPAgent(copying: ["router64", "switch32", "toobig"])
        defer { simulator.stop() }
        let snmpd = try SNMPAgent(snmpdCommunity: "hidup")
        defer { snmpd.stop() }
        // A port nothing listens on: its requests go unanswered until its own timeout, twice.
        let deadPort = try SNMPAgent.freePort()
        let slow = SNMPTest.timing(timeout: .seconds(10), retries: 1)
        let fast = SNMPTest.timing(timeout: .seconds(2), retries: 1)
        var targets = [SNMPTarget(device: "mati", address: SNMPTest.loopback, port: deadPort, credential: SNMPTest.community("public"), timing: slow)]
        for community in ["router64", "switch32", "toobig"] {
            targets.append(SNMPTest.target(simulator, SNMPTest.community(community), device: community, timing: fast))
        }
        targets.append(SNMPTest.target(snmpd, SNMPTest.community("hidup"), device: "snmpd", timing: fast))

        let started = ContinuousClock.now
        let finished = await withTaskGroup(of: (String, Duration, Result<SNMPDeviceWalk, SNMPError>).self) { group in
            for target in targets {
                group.addTask {
                    let result = await client.walk(target)
                    return (target.device, ContinuousClock.now - started, result)
                }
            }
            var all: [String: (Duration, Result<SNMPDeviceWalk, SNMPError>)] = [:]
            for await (device, elapsed, result) in group { all[device] = (elapsed, result) }
            return all
        }
        let dead = try #require(finished["mati"])
        #expect((try? dead.1.get()) == nil)
        let deadElapsed: Duration = dead.0
        #expect(deadElapsed >= .seconds(20), "the dead device waited its own 10 s twice: \(deadElapsed)")
        for device in ["router64", "switch32", "toobig", "snmpd"] {
            let live = try #require(finished[device])
            #expect(SNMPTest.walked(live.1) != nil, "\(device)")
            let liveElapsed: Duration = live.0
            #expect(liveElapsed < .seconds(10), "\(device) finished after \(liveElapsed), long before the dead one's timeout")
        }
        // The same through the many-at-once call: results in the order asked.
        let results = await client.walk(targets)
        #expect(results.map { (try? $0.get())?.device } == [nil, "router64", "switch32", "toobig", "snmpd"])
    }

    @Test func aCancelledWalkEndsAtOnceAndSaysSo() async throws {
        let deadPort = try SNMPAgent.freePort()
        let target = SNMPTarget(device: "mati", address: SNMPTest.loopback, port: deadPort, credential: SNMPTest.community("public"),
                                timing: SNMPTest.timing(timeout: .seconds(20), retries: 2, budget: .seconds(120)))
        let started = ContinuousClock.now
        let task = Task { await client.walk(target) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.value
        #expect(ContinuousClock.now - started < .seconds(15), "cancelled long before its 20 s timeout")
        let error = SNMPTest.failed(result)
        #expect(error == .cancelled)
        #expect(error?.text.en.contains("mati") == true)
    }

    @Test func aWalkThatOutlivesItsBudgetStopsWithWhatItHadRead() async throws {
        let agent = try SNMPAgent(copying: ["dropping"])
        defer { agent.stop() }
        // Each attempt waits 400 ms, eleven times over (4.4 s); the walk may take 600 ms in all.
        let timing = SNMPTest.timing(timeout: .milliseconds(400), retries: 10, budget: .milliseconds(600))
        let started = ContinuousClock.now
        let error = SNMPTest.failed(await client.walk(SNMPTest.target(agent, SNMPTest.community("dropping"), timing: timing, maxRepetitions: 25)))
        #expect(ContinuousClock.now - started < .seconds(3), "stopped at its budget, not when its retries ran out")
        #expect(error == .walkTooLong)
        #expect(error?.text.en.contains("took longer than its limit of 600 ms") == true)
    }
}

extension SNMPConcurrencyTests {
    /// A device outside the scope (SIMPUL_PROBE_ALLOW) gets nothing: no packet, no engine, an error
    /// that says so. The address is a documentation one (RFC 5737) that nothing here could reach anyway.
    @Test func aDeviceOutsideTheScopeIsNotSentTo() async throws {
        let scoped = NetSNMPClient(scope: .loopback)
        let target = SNMPTarget(device: "rtr-luar", address: IPAddress("192.0.2.1")!, credential: SNMPTest.community("public"),
                                timing: SNMPTest.timing(timeout: .seconds(20)))
        let started = ContinuousClock.now
        let error = SNMPTest.failed(await scoped.walk(target))
        #expect(ContinuousClock.now - started < .seconds(5), "refused at once, not after its 20 s timeout")
        #expect(error == .outsideScope)
        #expect(error?.deviceAnswered == false)
        #expect(error?.text.en == "rtr-luar (192.0.2.1:161) is outside the scope SIMPUL_PROBE_ALLOW=127.0.0.0/8,::1/128; no SNMP request was sent")
    }
}

extension SNMPConcurrencyTests {
    /// A walk that cannot even start (net-snmp refuses a key from a 6-character password, which the
    /// credentials file would have refused too) ends at once, not when its budget runs out.
    @Test func aWalkThatCannotStartEndsAtOnce() async throws {
        let user = SNMPUser(name: "simpul", auth: .sha256, authPassword: "pendek")
        let target = SNMPTarget(device: "rtr-kunci", address: SNMPTest.loopback, port: try SNMPAgent.freePort(), credential: SNMPTest.user(user),
                                timing: SNMPTest.timing(timeout: .seconds(20), retries: 1, budget: .seconds(120)))
        let started = ContinuousClock.now
        let error = SNMPTest.failed(await client.walk(target))
        #expect(ContinuousClock.now - started < .seconds(8), "ended at once, not after its 20 s timeout")
        #expect(error == .session)
        #expect(error?.text.en.contains("auth_password of v3-test") == true)
        #expect(error?.text.en.contains("pendek") == false)
    }
}
