import Foundation
import SimpulCore
import Testing

/// The link state machine (issue 14, "Link state and faults"): hysteresis, degraded, unknown, and
/// flapping that raises one fault, not ten. Polls are written as letters, one a minute:
/// `U` up and clean, `L` up and loaded, `E` up with errors, `D` down, `X` no answer from the device.
/// States come back as letters too: `u` up, `g` degraded, `d` down, `?` unknown, `f` flapping; and
/// actions as `poll:what`, with times as poll numbers (`3:open@1` — at poll 3 open a fault whose
/// outage began at poll 1).
@Suite("Health: link state machine")
struct HealthLinkStateTests {
    static let t0 = Date(timeIntervalSince1970: 1_789_948_800)
    static func t(_ poll: Int) -> Date { t0.addingTimeInterval(Double(poll) * 60) }
    static func poll(_ date: Date) -> Int { Int((date.timeIntervalSince(t0) / 60).rounded()) }

    static func letter(_ state: LinkState) -> String {
        switch state {
        case .up: "u"
        case .degraded: "g"
        case .down: "d"
        case .unknown: "?"
        case .flapping: "f"
        }
    }

    static func transition(_ t: LinkTransition) -> String {
        "\(letter(t.from))>\(letter(t.to))" + (t.impairments.isEmpty ? "" : "[\(t.impairments.map(\.rawValue).joined(separator: ","))]")
    }

    static func flap(_ f: FlappingStart) -> String { "flap@\(poll(f.since))(\(f.raisesFault ? "new" : "attach"))" }

    static func unflap(_ e: FlappingEnd) -> String {
        if let r = e.restoration { return "unflap(restore@\(poll(r.outageStart))-\(poll(r.restoredAt)))" }
        return "unflap(down@\(e.stillDownSince.map { String(poll($0)) } ?? "-"))"
    }

    struct Run {
        var states = ""
        var events: [String] = []
        /// Fault-raising actions: openFault, and startFlapping that raises one.
        var faultsRaised = 0
        var restorations = 0
        var machine: LinkHealthMachine
    }

    static func run(_ polls: String, settings: LinkHealthSettings = .standard, from machine: LinkHealthMachine? = nil, firstPoll: Int = 0) -> Run {
        var result = Run(machine: machine ?? LinkHealthMachine(settings: settings))
        for (offset, letter) in polls.enumerated() {
            let i = firstPoll + offset
            let at = t(i)
            var event: String?
            switch letter {
            case "U", "L", "E":
                let condition = letter == "L" ? LinkCondition(utilisation: 0.95) : letter == "E" ? LinkCondition(errorsPerSecond: 5) : .healthy
                switch result.machine.linkUp(at: at, condition: condition) {
                case .none: break
                case .record(let t): event = transition(t)
                case .restore(let t, let r):
                    event = "restore@\(poll(r.outageStart))-\(poll(r.restoredAt))"
                    #expect(poll(t.at) == poll(r.restoredAt), "the history dates the restoration at the first good poll")
                    result.restorations += 1
                case .startFlapping(_, let f):
                    event = flap(f)
                    if f.raisesFault { result.faultsRaised += 1 }
                case .endFlapping(_, let e):
                    event = unflap(e)
                    if e.restoration != nil { result.restorations += 1 }
                }
            case "D":
                switch result.machine.linkDown(at: at) {
                case .none: break
                case .record(let t): event = transition(t)
                case .openFault(let t, let start):
                    event = "open@\(poll(start))"
                    #expect(t.to == .down && t.at == start)
                    result.faultsRaised += 1
                case .startFlapping(_, let f):
                    event = flap(f)
                    if f.raisesFault { result.faultsRaised += 1 }
                case .endFlapping(_, let e): event = unflap(e)
                }
            case "X":
                switch result.machine.deviceUnreachable(at: at) {
                case .none: break
                case .record(let t): event = transition(t)
                }
            default:
                Issue.record("unknown poll letter \(letter)")
            }
            if let event { result.events.append("\(i):\(event)") }
            result.states += Self.letter(result.machine.health.state)
        }
        return result
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var polls: String
        var states: String
        var events: [String]
        var settings: LinkHealthSettings = .standard
        var testDescription: String { name }
    }

    static let n5 = try! LinkHealthSettings(downAfter: 5)
    static let m4 = try! LinkHealthSettings(upAfter: 4)
    static let n1m1 = try! LinkHealthSettings(downAfter: 1, upAfter: 1)
    static let unknownAtOnce = try! LinkHealthSettings(unknownAfter: 1)
    static let k1 = try! LinkHealthSettings(degradedAfter: 1)

    static let cases: [Case] = [
        Case(name: "up stays up", polls: "UUU", states: "uuu", events: ["0:?>u"]),
        Case(name: "down after N = 3, the outage from the first failed poll", polls: "UDDD", states: "uuud", events: ["0:?>u", "3:open@1"]),
        Case(name: "restored after M = 2, at the first good poll", polls: "UDDDUU", states: "uuuddu",
             events: ["0:?>u", "3:open@1", "5:restore@1-4"]),
        Case(name: "N − 1 failures open nothing", polls: "UDDUDDU", states: "uuuuuuu", events: ["0:?>u"]),
        Case(name: "one good poll in a down run does not restore", polls: "UDDDUDUU", states: "uuuddddu",
             events: ["0:?>u", "3:open@1", "7:restore@1-6"]),
        Case(name: "down from the very first poll", polls: "DDD", states: "??d", events: ["2:open@0"]),
        Case(name: "N = 5", polls: "UDDDDD", states: "uuuuud", events: ["0:?>u", "5:open@1"], settings: n5),
        Case(name: "M = 4", polls: "UDDDUUUU", states: "uuuddddu", events: ["0:?>u", "3:open@1", "7:restore@1-4"], settings: m4),
        Case(name: "N = M = 1", polls: "UDUD", states: "uduf", events: ["0:?>u", "1:open@1", "2:restore@1-2", "3:flap@1(attach)"],
             settings: n1m1),

        // Unknown: the device does not answer.
        Case(name: "unknown after three polls without an answer", polls: "UXXXU", states: "uuu?u", events: ["0:?>u", "3:u>?", "4:?>u"]),
        Case(name: "unknown at once when so configured", polls: "UXU", states: "u?u", events: ["0:?>u", "1:u>?", "2:?>u"],
             settings: unknownAtOnce),
        Case(name: "no answer neither breaks nor extends a down run", polls: "UDXDD", states: "uuuud", events: ["0:?>u", "4:open@1"]),
        Case(name: "a down link goes unknown and keeps its outage", polls: "UDDDXXXUU", states: "uuuddd?du",
             events: ["0:?>u", "3:open@1", "6:d>?", "7:?>d", "8:restore@1-7"]),
        Case(name: "never answered", polls: "XXXX", states: "????", events: []),

        // Degraded: K = 3 impaired polls in a row, back after M = 2 clean.
        Case(name: "sustained load", polls: "ULLLUU", states: "uuuggu", events: ["0:?>u", "3:u>g[load]", "5:g>u"]),
        Case(name: "errors", polls: "UEEE", states: "uuug", events: ["0:?>u", "3:u>g[errors]"]),
        Case(name: "load that comes and goes is not sustained", polls: "ULLULLUL", states: "uuuuuuuu", events: ["0:?>u"]),
        Case(name: "one clean poll does not end degraded", polls: "ULLLULU", states: "uuuggg" + "g", events: ["0:?>u", "3:u>g[load]"]),
        Case(name: "degraded then down", polls: "ULLLDDD", states: "uuugggd", events: ["0:?>u", "3:u>g[load]", "6:open@4"]),
        Case(name: "K = 1", polls: "UEU", states: "ugg", events: ["0:?>u", "1:u>g[errors]"], settings: k1),
        Case(name: "restored, then degraded by the load it carries", polls: "UDDDLLL", states: "uuuddug",
             events: ["0:?>u", "3:open@1", "5:restore@1-4", "6:u>g[load]"]),

        // Flapping.
        Case(name: "six changes in the window: flapping, one new fault", polls: "UDUDUD" + String(repeating: "U", count: 20),
             states: "uuuuuu" + String(repeating: "f", count: 15) + "uuuuu",
             events: ["0:?>u", "6:flap@1(new)", "21:unflap(restore@1-6)"]),
        Case(name: "down again soon after a restoration: flapping on the same fault", polls: "UDDDUUDDD", states: "uuudduuuf",
             events: ["0:?>u", "3:open@1", "5:restore@1-4", "8:flap@1(attach)"]),
        Case(name: "flapping that ends down keeps the fault open", polls: "UDDDUUDDD" + String(repeating: "D", count: 13) + "UU",
             states: "uuudduuuf" + String(repeating: "f", count: 12) + "ddu",
             events: ["0:?>u", "3:open@1", "5:restore@1-4", "8:flap@1(attach)", "21:unflap(down@6)", "23:restore@6-22"]),
        Case(name: "a second outage after the quiet period is a new fault", polls: "UDDDUU" + String(repeating: "U", count: 14) + "DDD",
             states: "uuuddu" + String(repeating: "u", count: 14) + "uud",
             events: ["0:?>u", "3:open@1", "5:restore@1-4", "22:open@20"]),
        Case(name: "a second outage within the quiet period is the same trouble", polls: "UDDDUU" + "UUUUU" + "DDD",
             states: "uuuddu" + "uuuuu" + "uuf",
             events: ["0:?>u", "3:open@1", "5:restore@1-4", "13:flap@1(attach)"]),
        Case(name: "blips twenty minutes apart are not flapping",
             polls: "U" + String(repeating: "D" + String(repeating: "U", count: 19), count: 3),
             states: String(repeating: "u", count: 61), events: ["0:?>u"]),
        Case(name: "blips five minutes apart are", polls: "U" + String(repeating: "DUUUU", count: 3),
             states: String(repeating: "u", count: 12) + "ffff", events: ["0:?>u", "12:flap@1(new)"]),
    ]

    @Test(arguments: cases)
    func sequences(_ c: Case) {
        #expect(c.polls.count == c.states.count, "the case's own table")
        let run = Self.run(c.polls, settings: c.settings)
        #expect(run.states == c.states)
        #expect(run.events == c.events)
    }

    // MARK: One fault, not ten

    @Test(arguments: [
        ("fast: down and up every minute", "U" + String(repeating: "DU", count: 30)),
        ("N − 1: never N failures in a row", "U" + String(repeating: "DDU", count: 20)),
        ("slow: three down, two up, ten times", "U" + String(repeating: "DDDUU", count: 10)),
        ("slower: five down, five up, ten times", "U" + String(repeating: "DDDDDUUUUU", count: 10)),
        ("with silences between", "U" + String(repeating: "DDDXUU", count: 10)),
    ])
    func aFlappingLinkRaisesOneFault(name: String, polls: String) {
        let run = Self.run(polls)
        #expect(run.faultsRaised == 1, "\(name): \(run.events)")
        #expect(run.restorations <= 1, "\(name): nothing restored while flapping: \(run.events)")
        #expect(run.machine.health.state == .flapping, "\(name)")
        #expect(run.machine.health.flappingSince != nil && run.machine.health.outageStart != nil)
    }

    @Test func afterAFlappingEpisodeEndsTheNextOutageIsANewFault() {
        // Flaps, is quiet and up for 15 minutes (flapping ends, restored), then 15 more (the episode
        // ends), then goes down for good.
        let run = Self.run("U" + String(repeating: "DU", count: 5) + String(repeating: "U", count: 30) + "DDD")
        #expect(run.faultsRaised == 2, "\(run.events)")
        #expect(run.events.filter { $0.contains("unflap(restore") }.count == 1)
        #expect(run.events.last == "43:open@41")
    }

    // MARK: Between runs of `simpul poll`

    /// Every poll a separate process: the state is stored as JSON and read back each time.
    @Test func theStateSurvivesBetweenRuns() throws {
        let polls = "UDDDUUDDD" + String(repeating: "D", count: 13) + "UUXXXULLLUUDUDUD" + String(repeating: "U", count: 17)
        let straight = Self.run(polls)
        var machine = LinkHealthMachine()
        var events: [String] = []
        var states = ""
        for (i, letter) in polls.enumerated() {
            let stored = try JSONEncoder().encode(machine.health)
            machine = LinkHealthMachine(health: try JSONDecoder().decode(LinkHealth.self, from: stored))
            let step = Self.run(String(letter), from: machine, firstPoll: i)
            machine = step.machine
            events += step.events
            states += step.states
        }
        #expect(states == straight.states)
        #expect(events == straight.events)
        #expect(machine.health == straight.machine.health)
    }

    @Test func whatTheLinksPageShows() {
        let run = Self.run("UDDDUUDDD")
        let health = run.machine.health
        #expect(health.state == .flapping)
        #expect(health.since == Self.t(8))
        #expect(health.flappingSince == Self.t(1))
        #expect(health.outageStart == Self.t(6))
        let degraded = Self.run("ULLL").machine.health
        #expect(degraded.state == .degraded && degraded.impairments == [.load] && degraded.since == Self.t(3))
        #expect(LinkState.flapping.title.id == "Putus-sambung")
    }

    @Test func restorationMeasuresTheOutage() {
        let r = Restoration(outageStart: Self.t(1), restoredAt: Self.t(4))
        #expect(r.seconds == 180)
        #expect(Restoration(outageStart: Self.t(4), restoredAt: Self.t(1)).seconds == 0)
    }

    @Test(arguments: [
        (LinkCondition(errorsPerSecond: 1), [Impairment]()),         // at the threshold is not above it
        (LinkCondition(errorsPerSecond: 1.01), [.errors]),
        (LinkCondition(loss: 0.02), []),
        (LinkCondition(loss: 0.021), [.loss]),
        (LinkCondition(utilisation: 0.9), []),
        (LinkCondition(utilisation: 1.2), [.load]),
        (LinkCondition(errorsPerSecond: 9, loss: 0.5, utilisation: 2), [.errors, .loss, .load]),
        (LinkCondition(errorsPerSecond: .nan, loss: .nan, utilisation: .nan), []),
        (LinkCondition.healthy, []),
    ] as [(LinkCondition, [Impairment])])
    func impairments(condition: LinkCondition, expected: [Impairment]) {
        #expect(condition.impairments(.standard) == expected)
    }

    @Test func aConditionFromAPollsRates() throws {
        let link = try CommittedRate(downMbps: 10, upMbps: 10)
        let before = CounterReading(at: Self.t(0), sysUpTime: 100_000, ifIndex: 1, inOctets: .counter64(0), outOctets: .counter64(0),
                                    inErrors: 0, outErrors: 0, speed: 100_000_000)
        let after = CounterReading(at: Self.t(1), sysUpTime: 106_000, ifIndex: 1, inOctets: .counter64(71_250_000), outOctets: .counter64(0),
                                   inErrors: 90, outErrors: 30, speed: 100_000_000)
        let rates = RateCalculator().rates(from: before, to: after, committed: link).rates
        // 9.5 Mbit/s in on a 10 Mbit/s commitment, 2 errors a second.
        let condition = LinkCondition(rates: rates, loss: 0.5)
        #expect(condition == LinkCondition(errorsPerSecond: 2, loss: 0.5, utilisation: 0.95))
        #expect(condition.impairments(.standard) == [.errors, .loss, .load])
        #expect(LinkCondition(rates: nil) == .healthy, "a discarded interval measured nothing")
    }

    // MARK: Settings

    static let refusedSettings: [HealthRateTests.SettingCase] = [
        .init(name: "N = 0", field: "failed polls before down") { _ = try LinkHealthSettings(downAfter: 0) },
        .init(name: "N = 61", field: "failed polls before down") { _ = try LinkHealthSettings(downAfter: 61) },
        .init(name: "M = 0", field: "good polls before up") { _ = try LinkHealthSettings(upAfter: 0) },
        .init(name: "unknown after 0", field: "unanswered polls before unknown") { _ = try LinkHealthSettings(unknownAfter: 0) },
        .init(name: "K = 0", field: "impaired polls before degraded") { _ = try LinkHealthSettings(degradedAfter: 0) },
        .init(name: "1 change", field: "changes before flapping") { _ = try LinkHealthSettings(flapTransitions: 1) },
        .init(name: "window of 59 s", field: "flapping window (seconds)") { _ = try LinkHealthSettings(flapWindowSeconds: 59) },
        .init(name: "quiet of a day and a second", field: "quiet period (seconds)") { _ = try LinkHealthSettings(quietSeconds: 86_401) },
        .init(name: "load 0", field: "load threshold") { _ = try LinkHealthSettings(loadThreshold: 0) },
        .init(name: "load NaN", field: "load threshold") { _ = try LinkHealthSettings(loadThreshold: .nan) },
        .init(name: "loss 1.5", field: "loss threshold") { _ = try LinkHealthSettings(lossThreshold: 1.5) },
        .init(name: "errors negative", field: "errors per second threshold") { _ = try LinkHealthSettings(errorRateThreshold: -1) },
        .init(name: "errors infinite", field: "errors per second threshold") { _ = try LinkHealthSettings(errorRateThreshold: .infinity) },
    ]

    @Test(arguments: refusedSettings)
    func settingsOutOfRangeAreRefused(_ c: HealthRateTests.SettingCase) {
        let refusal = #expect(throws: HealthSettingRefusal.self) { try c.make() }
        #expect(refusal?.text.en.hasPrefix(c.field) == true, "\(refusal?.text.en ?? "")")
        #expect(refusal?.text.id.contains("tidak dapat dipakai") == true)
    }

    @Test func theDefaultsSuitOnePollAMinute() throws {
        let s = LinkHealthSettings.standard
        #expect((s.downAfter, s.upAfter, s.unknownAfter, s.degradedAfter) == (3, 2, 3, 3))
        #expect((s.flapTransitions, s.flapWindowSeconds, s.quietSeconds) == (6, 1800, 900))
        _ = try LinkHealthSettings(downAfter: 60, upAfter: 60, unknownAfter: 60, degradedAfter: 60, flapTransitions: 100,
                                   flapWindowSeconds: 86_400, quietSeconds: 86_400, loadThreshold: 10, lossThreshold: 1,
                                   errorRateThreshold: 1_000_000)
    }

    @Test func aStoredStateWithHugeRunsStillCounts() throws {
        // A run stored at its cap keeps counting without overflowing.
        var machine = LinkHealthMachine()
        for i in 0..<5 { _ = machine.linkUp(at: Self.t(i)) }
        var json = String(decoding: try JSONEncoder().encode(machine.health), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"count\":5", with: "\"count\":\(Int.max)")
        #expect(json.contains("\(Int.max)"))
        machine = LinkHealthMachine(health: try JSONDecoder().decode(LinkHealth.self, from: Data(json.utf8)))
        #expect(machine.linkUp(at: Self.t(6)) == .none)
    }
}
