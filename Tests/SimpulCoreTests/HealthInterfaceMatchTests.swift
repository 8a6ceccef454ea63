import Foundation
import SimpulCore
import Testing

/// Interface identity across walks (issue 14): matched by ifName and ifAlias as well as ifIndex, so
/// an ifIndex renumbered after a reboot never mixes two ports' counters.
@Suite("Health: interface matching")
struct HealthInterfaceMatchTests {
    static func k(_ id: Int64, _ index: Int32, _ name: String?, alias: String? = nil, descr: String? = nil, present: Bool = true) -> KnownInterface {
        KnownInterface(id: id, ifIndex: index, name: name, alias: alias, descr: descr, present: present)
    }

    static func w(_ index: Int32, _ name: String?, alias: String? = nil, descr: String? = nil) -> WalkedInterface {
        WalkedInterface(ifIndex: index, name: name, alias: alias, descr: descr)
    }

    static func continuity(_ c: InterfaceContinuity) -> String {
        switch c {
        case .same: "same"
        case .new: "new"
        case .moved(let from): "moved(\(from))"
        case .returned: "returned"
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var known: [KnownInterface]
        var walked: [WalkedInterface]
        /// `known id→walked ifIndex:key:continuity`, in the walk's order.
        var matched: [String]
        var new: [Int32] = []
        var vanished: [Int64] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing changed", known: [k(1, 1, "ether1"), k(2, 2, "ether2")], walked: [w(1, "ether1"), w(2, "ether2")],
             matched: ["1→1:name:same", "2→2:name:same"]),
        Case(name: "renumbered with the names swapped", known: [k(1, 1, "eth0"), k(2, 2, "eth1")], walked: [w(1, "eth1"), w(2, "eth0")],
             matched: ["2→1:name:moved(2)", "1→2:name:moved(1)"]),
        Case(name: "every index shifted after a reboot",
             known: [k(10, 1, "ge-0/0/0"), k(11, 2, "ge-0/0/1"), k(12, 3, "ge-0/0/2")],
             walked: [w(513, "ge-0/0/0"), w(514, "ge-0/0/1"), w(515, "ge-0/0/2")],
             matched: ["10→513:name:moved(1)", "11→514:name:moved(2)", "12→515:name:moved(3)"]),
        Case(name: "a port vanished", known: [k(1, 1, "eth0"), k(2, 2, "eth1")], walked: [w(1, "eth0")],
             matched: ["1→1:name:same"], vanished: [2]),
        Case(name: "a new port", known: [k(1, 1, "eth0")], walked: [w(1, "eth0"), w(3, "eth2")],
             matched: ["1→1:name:same"], new: [3]),
        Case(name: "a port that vanished comes back", known: [k(1, 1, "eth0"), k(2, 2, "eth1", present: false)],
             walked: [w(1, "eth0"), w(2, "eth1")], matched: ["1→1:name:same", "2→2:name:returned"]),
        Case(name: "comes back at another index: still returned", known: [k(2, 2, "eth1", present: false)],
             walked: [w(9, "eth1")], matched: ["2→9:name:returned"]),
        Case(name: "a port already gone is not reported again", known: [k(1, 1, "eth0"), k(2, 2, "eth1", present: false)],
             walked: [w(1, "eth0")], matched: ["1→1:name:same"]),
        Case(name: "another port at the same ifIndex is a different port", known: [k(3, 3, "eth3")], walked: [w(3, "eth9")],
             matched: [], new: [3], vanished: [3]),
        Case(name: "an old agent without ifName: by ifAlias",
             known: [k(1, 1, nil, alias: "Uplink SETDA", descr: "port 1"), k(2, 2, nil, alias: "LAN", descr: "port 2")],
             walked: [w(4, nil, alias: "LAN", descr: "port 2"), w(5, nil, alias: "Uplink SETDA", descr: "port 1")],
             matched: ["2→4:alias:moved(2)", "1→5:alias:moved(1)"]),
        Case(name: "an alias shared by two ports identifies neither", known: [k(1, 1, nil, alias: "x"), k(2, 2, nil, alias: "x")],
             walked: [w(2, nil, alias: "x"), w(1, nil, alias: "x")], matched: ["2→2:if_index:same", "1→1:if_index:same"]),
        Case(name: "an alias moved to a differently named port is not followed",
             known: [k(1, 1, "ether1", alias: "WAN")], walked: [w(1, "ether5", alias: "WAN")],
             matched: [], new: [1], vanished: [1]),
        Case(name: "by ifDescr", known: [k(1, 1, nil, descr: "Intel 82540EM #1"), k(2, 2, nil, descr: "Intel 82540EM #2")],
             walked: [w(2, nil, descr: "Intel 82540EM #1"), w(3, nil, descr: "Intel 82540EM #2")],
             matched: ["1→2:descr:moved(1)", "2→3:descr:moved(2)"]),
        Case(name: "nothing but the ifIndex", known: [k(7, 7, nil)], walked: [w(7, nil)], matched: ["7→7:if_index:same"]),
        Case(name: "the ifIndex alone, contradicted by ifDescr", known: [k(7, 7, nil, descr: "eth0")], walked: [w(7, nil, descr: "eth1")],
             matched: [], new: [7], vanished: [7]),
        Case(name: "an agent that starts giving ifName", known: [k(1, 1, nil, alias: "WAN", descr: "ether1")],
             walked: [w(1, "ether1", alias: "WAN", descr: "ether1")], matched: ["1→1:alias:same"]),
        Case(name: "a name twice in a walk: only its ifIndex can tell", known: [k(1, 10, "Null0")], walked: [w(10, "Null0"), w(11, "Null0")],
             matched: ["1→10:if_index:same"], new: [11]),
        Case(name: "blank names are no names", known: [k(1, 1, "  "), k(2, 2, "")], walked: [w(2, " "), w(1, "")],
             matched: ["2→2:if_index:same", "1→1:if_index:same"]),
        Case(name: "surrounding spaces do not make another name", known: [k(1, 1, "eth0 ")], walked: [w(4, " eth0")],
             matched: ["1→4:name:moved(1)"]),
        Case(name: "an empty walk: everything vanished", known: [k(1, 1, "eth0"), k(2, 2, "eth1")], walked: [],
             matched: [], vanished: [1, 2]),
        Case(name: "a first walk: everything new", known: [], walked: [w(1, "eth0"), w(2, "eth1")], matched: [], new: [1, 2]),
    ]

    @Test(arguments: cases)
    func matching(_ c: Case) {
        let result = InterfaceMatcher.match(known: c.known, walked: c.walked)
        #expect(result.matched.map { "\($0.known.id)→\($0.walked.ifIndex):\($0.key.rawValue):\(Self.continuity($0.continuity))" } == c.matched)
        #expect(result.new.map(\.ifIndex) == c.new)
        #expect(result.vanished.map(\.id) == c.vanished)
        // Every walked interface is matched or new, once; no known interface is matched twice.
        #expect(result.matched.count + result.new.count == c.walked.count)
        #expect(Set(result.matched.map(\.known.id)).count == result.matched.count)
    }

    @Test func movedAndReturnedAreTheOnesToDiscard() {
        let result = InterfaceMatcher.match(known: [Self.k(1, 1, "eth0"), Self.k(2, 2, "eth1"), Self.k(3, 3, "eth2", present: false)],
                                            walked: [Self.w(1, "eth0"), Self.w(5, "eth1"), Self.w(3, "eth2")])
        #expect(result.moved.map(\.known.id) == [2])
        #expect(result.returned.map(\.known.id) == [3])
        #expect(result.matched.filter { $0.continuity.continues }.map(\.known.id) == [1])
    }

    @Test func theMatchersContinuityDecidesTheRate() throws {
        // eth0 and eth1 swapped indexes after a reboot; without the matcher, index 1's counters would be
        // compared with the other port's.
        let result = InterfaceMatcher.match(known: [Self.k(1, 1, "eth0"), Self.k(2, 2, "eth1")], walked: [Self.w(1, "eth1"), Self.w(2, "eth0")])
        let pair = try #require(result.matched.first { $0.known.id == 1 })
        let before = CounterReading(at: Date(timeIntervalSince1970: 1_789_948_800), sysUpTime: 100_000, ifIndex: 1,
                                    inOctets: .counter64(0), outOctets: .counter64(0))
        let after = CounterReading(at: Date(timeIntervalSince1970: 1_789_948_860), sysUpTime: 106_000, ifIndex: pair.walked.ifIndex,
                                   inOctets: .counter64(500), outOctets: .counter64(500))
        #expect(RateCalculator().rates(from: before, to: after, continuity: pair.continuity).discard == .interfaceMoved(from: 1, to: 2))
    }

    /// A device with 20,000 interfaces, every one renumbered: matched in linear time.
    @Test func twentyThousandInterfaces() {
        let count: Int32 = 20_000
        let known = (1...count).map { Self.k(Int64($0), $0, "port\($0)", alias: "desk \($0 % 100)") }
        let walked = (1...count).reversed().map { Self.w(count + 1 - $0, "port\($0)", alias: "desk \($0 % 100)") }
        let clock = ContinuousClock()
        let started = clock.now
        let result = InterfaceMatcher.match(known: known, walked: walked)
        let took = clock.now - started
        #expect(result.matched.count == Int(count) && result.new.isEmpty && result.vanished.isEmpty)
        #expect(result.moved.count == Int(count), "port p went from index p to 20,001 − p: none kept its index")
        #expect(took < .seconds(5), "\(took)")
    }
}
