import Foundation
@testable import SimpulCore
import Testing

/// The poller's pure middle: a device's walk against what was known, the rates, and what each link's
/// state machine asks of the service.
@Suite("Device poll")
struct DevicePollTests {
    let t0 = Date(timeIntervalSince1970: 1_796_428_800)

    /// A device with two ports; `uplinkUp` says whether ether1 (the link's) is up.
    func observation(at minute: Int, inOctets: UInt64, uplinkUp: Bool = true, uptimeStart: UInt32 = 100_000,
                     uplinkIndex: Int32 = 1) -> DeviceObservation {
        let at = t0.addingTimeInterval(Double(minute) * 60)
        let uptime = uptimeStart + UInt32(minute * 6000)
        func reading(_ index: Int32, _ octets: UInt64) -> CounterReading {
            CounterReading(at: at, sysUpTime: uptime, ifIndex: index, inOctets: .counter64(octets), outOctets: .counter64(octets / 10),
                           inErrors: 0, outErrors: 0, speed: 1_000_000_000)
        }
        return DeviceObservation(device: "rtr-dinkes", at: at, outcome: .answered([
            ObservedInterface(walked: WalkedInterface(ifIndex: uplinkIndex, name: "ether1", alias: "NUS-CKB-0008"), operUp: uplinkUp, adminUp: true,
                              reading: reading(uplinkIndex, inOctets)),
            ObservedInterface(walked: WalkedInterface(ifIndex: uplinkIndex == 1 ? 2 : 1, name: "ether2"), operUp: true, adminUp: true,
                              reading: reading(uplinkIndex == 1 ? 2 : 1, 0)),
        ]))
    }

    /// Runs polls one after another as the service would, keeping ids, readings and link health.
    struct Runner {
        var known: [KnownInterface] = []
        var readings: [Int64: CounterReading] = [:]
        var health = LinkHealth()
        var nextID: Int64 = 1
        let committed = try! CommittedRate(downMbps: 100, upMbps: 100)

        mutating func poll(_ observation: DeviceObservation) -> DevicePollResult {
            let result = DevicePoll.evaluate(observation, known: known, previous: readings,
                                             links: [PolledLink(circuit: "NUS-CKB-0008", interface: "ether1", committed: committed, health: health)])
            if let match = result.match {
                var ids: [Int32: Int64] = [:]
                for pair in match.matched { ids[pair.walked.ifIndex] = pair.known.id }
                for walked in match.new { ids[walked.ifIndex] = nextID; nextID += 1 }
                known = match.matched.map { KnownInterface(id: $0.known.id, ifIndex: $0.walked.ifIndex, name: $0.walked.name, alias: $0.walked.alias) }
                    + match.new.map { KnownInterface(id: ids[$0.ifIndex]!, ifIndex: $0.ifIndex, name: $0.name, alias: $0.alias) }
                    + match.vanished.map { var k = $0; k.present = false; return k }
                for (index, reading) in result.readings { if let id = ids[index] { readings[id] = reading } }
            }
            health = result.links[0].health
            return result
        }
    }

    @Test func ratesComeFromTheSecondPollOnAndTheLinkComesUp() {
        var runner = Runner()
        let first = runner.poll(observation(at: 0, inOctets: 1_000_000))
        #expect(first.samples.isEmpty && first.match?.new.count == 2)
        let second = runner.poll(observation(at: 1, inOctets: 1_000_000 + 75_000_000))
        #expect(second.samples.count == 2)
        let uplink = second.rates[1]
        #expect(uplink?.inBitsPerSecond == 10_000_000)
        #expect(uplink?.committedUtilisation?.inbound == 0.1, "10 Mbit/s of a 100 Mbit/s commitment")
        #expect(runner.health.state == .up)
        #expect(second.links[0].interfaceID == 1)
    }

    @Test func aLinkDownForThreePollsOpensAFaultFromTheFirstFailedPoll() {
        var runner = Runner()
        for minute in 0..<3 { _ = runner.poll(observation(at: minute, inOctets: UInt64(minute) * 1_000_000)) }
        #expect(runner.health.state == .up)
        var actions: [DevicePollResult.LinkOutcome.Action] = []
        for minute in 3..<6 { actions.append(runner.poll(observation(at: minute, inOctets: 3_000_000, uplinkUp: false)).links[0].action) }
        let opened = actions.compactMap { action -> Date? in if case .down(.openFault(_, let start)) = action { start } else { nil } }
        #expect(opened == [t0.addingTimeInterval(180)], "one fault, dated at the first failed poll: \(actions)")
        #expect(runner.health.state == .down)
        // Back up: after two good polls the restoration is recorded with the outage's start.
        var restored: [Restoration] = []
        for minute in 6..<9 {
            if case .up(.restore(_, let r)) = runner.poll(observation(at: minute, inOctets: 3_000_000)).links[0].action { restored.append(r) }
        }
        #expect(restored.map(\.outageStart) == [t0.addingTimeInterval(180)])
    }

    @Test func aDeviceThatDoesNotAnswerMakesItsLinksUnknownNotDown() {
        var runner = Runner()
        for minute in 0..<3 { _ = runner.poll(observation(at: minute, inOctets: 0)) }
        for minute in 3..<8 {
            let silent = DeviceObservation(device: "rtr-dinkes", at: t0.addingTimeInterval(Double(minute) * 60),
                                           outcome: .unreachable(Text(id: "tidak menjawab", en: "no answer")))
            let result = runner.poll(silent)
            #expect(result.match == nil && result.samples.isEmpty)
            if case .down = result.links[0].action { Issue.record("an unreachable device must not open a fault by itself") }
        }
        #expect(runner.health.state == .unknown)
    }

    @Test func aRenumberedUplinkDiscardsTheIntervalInsteadOfMixingPorts() {
        var runner = Runner()
        _ = runner.poll(observation(at: 0, inOctets: 5_000_000))
        _ = runner.poll(observation(at: 1, inOctets: 10_000_000))
        // A reboot swaps the indexes (and sysUpTime starts again): ether1 is now index 2.
        let after = runner.poll(observation(at: 2, inOctets: 1_000, uptimeStart: 0, uplinkIndex: 2))
        #expect(after.samples.isEmpty, "no traffic invented across the reboot: \(after.samples)")
        #expect(after.discarded.contains { $0.interfaceID == 1 })
        #expect(after.links[0].interfaceID == 1, "the link still follows ether1's id")
    }

    @Test func anInterfaceTheDeviceNeverShowedMakesTheLinkUnknownNotDown() {
        let committed = try! CommittedRate(downMbps: 100, upMbps: 100)
        var health = LinkHealth()
        for minute in 0..<5 {
            let result = DevicePoll.evaluate(observation(at: minute, inOctets: 0), known: [], previous: [:],
                                             links: [PolledLink(circuit: "NUS-CKB-0008", interface: "sfp9", committed: committed, health: health)])
            health = result.links[0].health
            #expect(result.unknownInterfaces.map(\.interface) == ["sfp9"])
            if case .down = result.links[0].action { Issue.record("a misnamed interface must not open a fault") }
        }
        #expect(health.state == .unknown)
    }
}
