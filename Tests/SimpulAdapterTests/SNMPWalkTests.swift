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
