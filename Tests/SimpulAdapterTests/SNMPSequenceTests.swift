import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// One device across polls, as snmpsim plays it: counters that move with time, and recordings
/// swapped between restarts of the agent on the same port — a 32-bit wrap, a reboot, a port that
/// vanishes and returns, ports renumbered after a reboot. The walk must report each state as the
/// device shows it; what a rate makes of them is the health core's (and its tests').
@Suite("SNMP walks across polls (snmpsim)", .serialized, .timeLimit(.minutes(2)))
struct SNMPSequenceTests {
    let client = NetSNMPClient()

    func recording(_ name: String) throws -> String {
        try String(contentsOf: SNMPAgent.recordings.appendingPathComponent("\(name).snmprec"), encoding: .utf8)
    }

    @Test func countersThatMoveWithTimeIncreaseBetweenTwoWalks() async throws {
        let agent = try SNMPAgent(copying: ["moving"])
        defer { agent.stop() }
        let target = SNMPTest.target(agent, SNMPTest.community("moving"))
        guard let first = SNMPTest.walked(await client.walk(target)) else { return }
        try await Task.sleep(for: .milliseconds(1_200))
        guard let second = SNMPTest.walked(await client.walk(target)) else { return }
        let a = try #require(first.interface(1)), b = try #require(second.interface(1))
        let ticks = Int64(try #require(b.countersUptime)) - Int64(try #require(a.countersUptime))
        // sysUpTime moves 100 ticks a second, the counters 1,250,000 and 250,000 bytes a second.
        #expect(ticks >= 100 && ticks <= 400, "\(ticks) ticks")
        let inBytes = Int64(try #require(b.inOctets?.value)) - Int64(try #require(a.inOctets?.value))
        let outBytes = Int64(try #require(b.outOctets?.value)) - Int64(try #require(a.outOctets?.value))
        #expect(abs(inBytes - ticks * 12_500) <= 12_500 * 20, "\(inBytes) bytes in over \(ticks) ticks")
        #expect(abs(outBytes - ticks * 2_500) <= 2_500 * 20, "\(outBytes) bytes out over \(ticks) ticks")
        #expect(a.counterWidth == .bits64 && b.counterWidth == .bits64)
    }

    @Test func aDeviceIsSeenThroughAWrapARebootAVanishedPortAndARenumbering() async throws {
        let agent = try SNMPAgent(recordings: ["urutan": try recording("links-1")])
        defer { agent.stop() }
        let target = SNMPTest.target(agent, SNMPTest.community("urutan"))
        func walk(_ state: String) async throws -> SNMPDeviceWalk? {
            if state != "links-1" { try agent.replace("urutan", with: try recording(state)) }
            #expect(agent.port == target.port, "the agent stays on its port")
            return SNMPTest.walked(await client.walk(target))
        }
        func names(_ walk: SNMPDeviceWalk) -> [Int32: String] {
            Dictionary(uniqueKeysWithValues: walk.interfaces.map { ($0.ifIndex, $0.name ?? "") })
        }

        let baseline = try #require(try await walk("links-1"))
        #expect(baseline.sysUpTime == 360_000)
        #expect(names(baseline) == [1: "lo", 2: "ether1", 3: "ether2"])
        #expect(baseline.interface(2)?.inOctets == .counter64(8_589_000_000))

        let wrapped = try #require(try await walk("links-2-wrap"))
        #expect(wrapped.sysUpTime == 366_000)
        #expect(wrapped.interface(2)?.inOctets == .counter64(8_590_000_000))

        let rebooted = try #require(try await walk("links-3-reboot"))
        #expect(rebooted.sysUpTime == 3_000, "sysUpTime went back: a reboot")
        #expect(rebooted.interface(2)?.inOctets == .counter64(20_000))

        let vanished = try #require(try await walk("links-4-vanished"))
        #expect(names(vanished) == [1: "lo", 2: "ether1"])
        #expect(vanished.interface(3) == nil)

        let returned = try #require(try await walk("links-5-returned"))
        #expect(names(returned) == [1: "lo", 2: "ether1", 3: "ether2"])
        #expect(returned.interface(3)?.discontinuityTime == 14_000)

        let renumbered = try #require(try await walk("links-6-renumbered"))
        #expect(renumbered.sysUpTime == 2_000)
        #expect(names(renumbered) == [1: "lo", 4: "ether2", 5: "ether1"])
    }

    @Test func whatADeviceSaysAboutItselfIsCheckedWhereItIsRead() async throws {
        let recording = """
        1.3.6.1.2.1.1.3.0|67|500
        1.3.6.1.2.1.1.5.0|4x|7274721b5b33316d6a61686174
        1.3.6.1.2.1.2.2.1.2.1|4x|6574686572310000
        1.3.6.1.2.1.2.2.1.3.1|2|6
        1.3.6.1.2.1.2.2.1.5.1|4|seratus
        1.3.6.1.2.1.2.2.1.7.1|2|1
        1.3.6.1.2.1.2.2.1.8.1|2|9
        1.3.6.1.2.1.2.2.1.14.1|65|4
        1.3.6.1.2.1.2.2.1.20.1|66|5
        1.3.6.1.2.1.31.1.1.1.1.1|4|ether1
        1.3.6.1.2.1.31.1.1.1.6.1|70|10
        1.3.6.1.2.1.31.1.1.1.10.1|70|20
        1.3.6.1.2.1.31.1.1.1.18.1|4x|1b5b326a1b5d303b6a61686174075b2f706f7274
        """
        let agent = try SNMPAgent(recordings: ["aneh": recording + "\n"])
        defer { agent.stop() }
        guard let walk = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community("aneh")))) else { return }
        let row = try #require(walk.interface(1))
        // Control characters (a bell, terminal escape sequences) never reach a terminal or a page.
        #expect(walk.sysName == "rtr?[31mjahat")
        #expect(row.alias == "?[2j?]0;jahat?[/port")
        // NUL padding is dropped.
        #expect(row.descr == "ether1")
        // A speed sent as text, an ifOperStatus of 9, errors sent as a Gauge: refused, counted, empty.
        #expect(row.speed == nil)
        #expect(row.operStatus == nil)
        #expect(row.outErrors == nil)
        #expect(row.adminStatus == .up)
        #expect(row.inErrors == 4)
        #expect(walk.ignoredValues == 3)
        #expect(row.inOctets == .counter64(10) && row.outOctets == .counter64(20))
    }
}
