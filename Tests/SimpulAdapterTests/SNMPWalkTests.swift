import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// Walks of recorded devices answered by snmpsim on 127.0.0.1: every value the client reads
/// compared with what net-snmp's snmpbulkwalk reads from the same agent.
@Suite("SNMP walks of recorded devices (snmpsim)", .serialized, .timeLimit(.minutes(2)))
struct SNMPWalkTests {
    let client = NetSNMPClient()

    /// The walk's view of the rows equals snmpbulkwalk's, column by column; the 32-bit octet
    /// counters are read only for rows without 64-bit ones.
    func expectSameAsBulkwalk(_ walk: SNMPDeviceWalk, _ agent: SNMPAgent, community: String) throws {
        let expected = try SNMPTest.bulkwalkRows(agent, community: community)
        #expect(walk.interfaces.map(\.ifIndex) == expected.keys.sorted())
        for row in walk.interfaces {
            let theirs = expected[row.ifIndex] ?? [:]
            for column in IFMIB.walked {
                #expect(SNMPTest.printed(row, column) == theirs[column], "ifIndex \(row.ifIndex) \(column.objectName)")
            }
            let has64 = theirs[.hcInOctets] != nil && theirs[.hcOutOctets] != nil
            for column in IFMIB.fallback {
                #expect(SNMPTest.printed(row, column) == (has64 ? nil : theirs[column]), "ifIndex \(row.ifIndex) \(column.objectName)")
            }
        }
    }

    @Test func aRouterWith64BitCountersWalksAsSnmpbulkwalkSeesIt() async throws {
        let agent = try SNMPAgent(copying: ["router64"])
        defer { agent.stop() }
        let target = SNMPTest.target(agent, SNMPTest.community("router64"), device: "rtr-dinkes")
        guard let walk = SNMPTest.walked(await client.walk(target)) else { return }
        try expectSameAsBulkwalk(walk, agent, community: "router64")
        #expect(walk.device == "rtr-dinkes")
        #expect(walk.sysName == "rtr-dinkes")
        #expect(walk.sysUpTime == 4_711_000)
        #expect(walk.ignoredValues == 0)
        #expect(walk.maxRepetitions == SNMPTarget.defaultMaxRepetitions)
        let uplink = try #require(walk.interface(2))
        #expect(uplink.inOctets == .counter64(123_456_789_012_345))
        #expect(uplink.outOctets == .counter64(98_765_432_109_876))
        #expect(uplink.counterWidth == .bits64)
        #expect(uplink.alias == "NUS-CKB-0001 ke Dinkes")
        #expect(uplink.countersUptime == 4_711_000)
        let tunnel = try #require(walk.interface(7))
        #expect(tunnel.inOctets == .counter32(4_294_967_000))
        #expect(tunnel.outOctets == .counter32(12_345))
        #expect(tunnel.counterWidth == .bits32)
        #expect(try #require(walk.interface(4)).bitsPerSecond == 10_000_000_000)
        // One GETBULK for five rows of fifteen columns, one GET for the tunnel's 32-bit counters.
        #expect(walk.requests == 2)
    }
}

extension SNMPWalkTests {
    @Test func aSwitchWithoutIfXTableStillPollsWith32BitCounters() async throws {
        let agent = try SNMPAgent(copying: ["switch32"])
        defer { agent.stop() }
        guard let walk = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community("switch32")))) else { return }
        try expectSameAsBulkwalk(walk, agent, community: "switch32")
        #expect(walk.interfaces.count == 3)
        #expect(walk.interfaces.allSatisfy { $0.name == nil && $0.alias == nil && $0.highSpeed == nil && $0.counterWidth == .bits32 })
        let first = try #require(walk.interface(1))
        #expect(first.inOctets == .counter32(4_294_967_295))
        #expect(first.outOctets == .counter32(1))
        #expect(first.inErrors == 9)
        #expect(first.bitsPerSecond == 100_000_000)
        #expect(walk.sysName == "sw-lama")
        // One GETBULK for the table, one for the two 32-bit columns of all three rows.
        #expect(walk.requests == 2)
    }

    @Test func tooBigHalvesMaxRepetitionsUntilTheAnswerFitsAndTheWalkEndsWithIt() async throws {
        let agent = try SNMPAgent(copying: ["toobig"])
        defer { agent.stop() }
        // 15 columns × 25 rows, then × 12, are more than the 100 values the agent holds; × 6 fit.
        guard let walk = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community("toobig"), maxRepetitions: 25))) else { return }
        #expect(walk.maxRepetitions == 6)
        #expect(walk.timeouts == 0)
        #expect(walk.interfaces.count == 30)
        #expect(walk.interfaces.map(\.name) == (1...30).map { "ge-0/0/\($0)" })
        #expect(try #require(walk.interface(30)).inOctets == .counter64(30_000))
        // The value it settled on, passed back, is asked for at once: no tooBig, fewer requests.
        guard let again = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community("toobig"), maxRepetitions: walk.maxRepetitions))) else { return }
        #expect(again.maxRepetitions == 6)
        #expect(again.requests == walk.requests - 2)
        #expect(again.interfaces == walk.interfaces)
    }

    @Test func aLargeGetbulkThatTimesOutIsSentAgainSmaller() async throws {
        let agent = try SNMPAgent(copying: ["dropping"])
        defer { agent.stop() }
        // The agent drops answers of more than 100 values without a word: 25 and 12 rows time out.
        let timing = SNMPTest.timing(timeout: .milliseconds(400), retries: 3)
        let target = SNMPTest.target(agent, SNMPTest.community("dropping"), timing: timing, maxRepetitions: 25)
        guard let walk = SNMPTest.walked(await client.walk(target)) else { return }
        #expect(walk.timeouts == 2)
        #expect(walk.maxRepetitions == 6)
        #expect(walk.interfaces.count == 30)
        #expect(walk.interfaces.allSatisfy { $0.inOctets == .counter64(UInt64($0.ifIndex) * 1_000) })
        // With no retries left for halving, the same device is no answer.
        let impatient = SNMPTest.target(agent, SNMPTest.community("dropping"), timing: SNMPTest.timing(timeout: .milliseconds(300), retries: 1), maxRepetitions: 25)
        let error = SNMPTest.failed(await client.walk(impatient))
        #expect(error == .noAnswer)
    }

    /// 20,000 interfaces, generated here (a recording that size is not committed): the walk reads
    /// every row, its max-repetitions halving from 1,000 until answers fit the agent's 3,000 values.
    @Test func twentyThousandInterfacesWalkWhileMaxRepetitionsAdapts() async throws {
        let count = 20_000
        var lines = ["1.3.6.1.2.1.1.3.0|67|8640000", "1.3.6.1.2.1.1.5.0|4|sw-agregasi"]
        lines.reserveCapacity(3 * count + 2)
        for i in 1...count { lines.append("1.3.6.1.2.1.31.1.1.1.1.\(i)|4:buffer|limit=3000,reply=toobig,value=ge-\(i)") }
        for i in 1...count { lines.append("1.3.6.1.2.1.31.1.1.1.6.\(i)|70|\(UInt64(i) * 1_000_000_007)") }
        for i in 1...count { lines.append("1.3.6.1.2.1.31.1.1.1.10.\(i)|70|\(i)") }
        let agent = try SNMPAgent(recordings: ["big": lines.joined(separator: "\n") + "\n"], maxVarBinds: 3_000)
        defer { agent.stop() }
        let timing = SNMPTest.timing(timeout: .seconds(10), retries: 1, budget: .seconds(120))
        let started = ContinuousClock.now
        guard let walk = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community("big"), timing: timing, maxRepetitions: 1_000))) else { return }
        let elapsed = ContinuousClock.now - started
        #expect(walk.interfaces.count == count)
        #expect(walk.interfaces.first?.ifIndex == 1 && walk.interfaces.last?.ifIndex == Int32(count))
        #expect(walk.interfaces.allSatisfy { $0.name == "ge-\($0.ifIndex)" && $0.outOctets == .counter64(UInt64($0.ifIndex)) })
        #expect(walk.interface(19_999)?.inOctets == .counter64(UInt64(19_999) * 1_000_000_007))
        // 1,000 → 500 → 250 → 125 rows: 15 columns × 125 fit in 3,000 values.
        #expect(walk.maxRepetitions == 125)
        #expect(walk.timeouts == 0)
        // Three columns of 20,000 rows at 125 a request, the tooBigs, and the columns that end at once.
        #expect(walk.requests >= 160 && walk.requests <= 170, "\(walk.requests) requests")
        #expect(elapsed < .seconds(90))
    }
}

extension SNMPWalkTests {
    /// The agent's answers cut short on the way: net-snmp cannot parse them, and the walk says the
    /// device answered with something unreadable rather than that it is silent.
    @Test func truncatedAnswersAreMalformedNotSilence() async throws {
        let agent = try SNMPAgent(copying: ["router64"])
        defer { agent.stop() }
        let relay = try SNMPTruncatingRelay(in: agent, keep: 40)
        defer { relay.stop() }
        let target = SNMPTarget(device: "rtr-dinkes", address: SNMPTest.loopback, port: relay.port, credential: SNMPTest.community("router64"),
                                timing: SNMPTest.timing(timeout: .milliseconds(500), retries: 1))
        let error = SNMPTest.failed(await client.walk(target))
        #expect(error == .malformed)
        #expect(error?.deviceAnswered == true)
        #expect(error?.text.en.contains("2 answer(s) were malformed or truncated") == true, "\(error?.text.en ?? "")")
    }
}
