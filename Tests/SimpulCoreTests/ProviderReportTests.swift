import Foundation
import SimpulCore
import Testing

/// The arithmetic of the provider report (issue 13): months in the office's zone, interval union and
/// clipping, the breach rules of the two clocks, the carry-over of a clock running at a month's end,
/// availability, and the per-group tallies.
@Suite("Provider report arithmetic")
struct ProviderReportTests {
    static let wita = TimeZone(identifier: "Asia/Makassar")!
    /// 1 November 2026 00:00 WITA.
    static let november = ReportMonth(year: 2026, month: 11)!.start(in: wita)

    /// `minutes` after midnight of 1 November 2026, WITA.
    static func t(_ minutes: Double) -> Date { november.addingTimeInterval(minutes * 60) }

    // MARK: Months

    @Test(arguments: [
        ("2026-11", "2026-11"), ("2000-01", "2000-01"), ("2100-12", "2100-12"), (" 2026-02 ", "2026-02"),
        ("2026-13", nil), ("2026-00", nil), ("2026-1", nil), ("26-11", nil), ("1999-12", nil), ("2101-01", nil),
        ("2026/11", nil), ("2026-11-01", nil), ("", nil), ("+026-11", nil), ("２０２６-11", nil), ("9223372036854775807", nil),
    ] as [(String, String?)])
    func monthsAreParsedStrictly(text: String, expected: String?) {
        let parsed = try? ReportMonth.parse(text)
        #expect(parsed?.description == expected)
    }

    @Test func aRefusedMonthSaysWhatWasTypedAndHowToWriteIt() {
        let refusal = #expect(throws: MonthRefusal.self) { try ReportMonth.parse("2026-13") }
        #expect(refusal?.text.id == "bulan \"2026-13\" tidak dikenal; tulis TTTT-BB, mis. 2026-11 (bulan 01–12, tahun 2000–2100)")
        #expect(refusal?.text.en.contains("write YYYY-MM") == true)
    }

    @Test func aMonthIsItsCalendarMonthInTheOfficesZone() {
        let month = ReportMonth(year: 2026, month: 11)!
        #expect(Timestamp.string(month.start(in: Self.wita)) == "2026-10-31T16:00:00.000Z")
        #expect(Timestamp.string(month.end(in: Self.wita)) == "2026-11-30T16:00:00.000Z")
        let jakarta = TimeZone(identifier: "Asia/Jakarta")!
        #expect(Timestamp.string(month.start(in: jakarta)) == "2026-10-31T17:00:00.000Z")
        #expect(ReportMonth(year: 2026, month: 12)!.next.description == "2027-01")
        #expect(ReportMonth(year: 2026, month: 1)!.previous?.description == "2025-12")
        #expect(ReportMonth(year: 2000, month: 1)!.previous == nil)
        // 23.30 UTC on 31 October is already November in WITA.
        #expect(ReportMonth.containing(Timestamp.date("2026-10-31T23:30:00.000Z")!, in: Self.wita).description == "2026-11")
        #expect(ReportMonth.containing(Timestamp.date("2026-10-31T15:59:00.000Z")!, in: Self.wita).description == "2026-10")
        #expect(month.title(.id) == "November 2026" && ReportMonth(year: 2026, month: 8)!.title(.id) == "Agustus 2026")
        #expect(ReportMonth(year: 2026, month: 2)!.end(in: Self.wita).timeIntervalSince(ReportMonth(year: 2026, month: 2)!.start(in: Self.wita)) == 28 * 86_400)
    }

    // MARK: Intervals

    @Test(arguments: [
        // (spans in minutes, bounds, covered minutes)
        ([(0.0, 60.0)], (0.0, 1440.0), 60.0),
        ([(0, 60), (30, 90)], (0, 1440), 90),                  // overlapping: counted once
        ([(0, 60), (60, 90)], (0, 1440), 90),                  // touching
        ([(0, 60), (120, 180)], (0, 1440), 120),               // apart
        ([(10, 20), (0, 100)], (0, 1440), 100),                // one inside another
        ([(-60, 30)], (0, 1440), 30),                          // began before the month: clipped
        ([(1400, 1500)], (0, 1440), 40),                       // ends after it
        ([(-100, -10), (1500, 1600)], (0, 1440), 0),           // wholly outside
        ([(50, 50), (70, 60)], (0, 1440), 0),                  // empty and backwards spans count nothing
        ([(0, 2000), (100, 200)], (0, 1440), 1440),            // the whole month
        ([], (0, 1440), 0),
    ] as [([(Double, Double)], (Double, Double), Double)])
    func outagesAreTheUnionClippedToTheMonth(spans: [(Double, Double)], bounds: (Double, Double), minutes: Double) {
        let covered = Span.covered(spans.map { Span(Self.t($0.0), Self.t($0.1)) }, within: Span(Self.t(bounds.0), Self.t(bounds.1)))
        #expect(covered == minutes * 60)
    }

    @Test func theUnionIsDisjointAndInOrder() {
        let union = Span.union([Span(Self.t(100), Self.t(200)), Span(Self.t(0), Self.t(50)), Span(Self.t(40), Self.t(60)), Span(Self.t(150), Self.t(120))])
        #expect(union == [Span(Self.t(0), Self.t(60)), Span(Self.t(100), Self.t(200))])
        #expect(Span(Self.t(0), Self.t(10)).clipped(to: Span(Self.t(10), Self.t(20))) == nil)
    }

    // MARK: The clocks

    static let terms = ContractTerms(responseMinutes: 30, restoreMinutes: 240, availabilityPercent: 99.5)

    /// A fault escalated at minute 100 whose outage began at minute 40.
    static func fault(ack: Double? = nil, restored: Double? = nil, closed: Double? = nil, started: Double = 40, escalated: Double = 100) -> EscalatedFault {
        EscalatedFault(id: 1, linkID: 7, startedAt: t(started), escalatedAt: t(escalated), acknowledgedAt: ack.map(t), restoredAt: restored.map(t),
                       closedAt: closed.map(t))
    }

    @Test(arguments: [
        // (ack, restored, closed, horizon, minutes, state, ended by)
        (130.0, nil, nil, 1000.0, 30.0, SLAState.met, SLAEnd.acknowledged),       // exactly the contract: within it
        (131, nil, nil, 1000, 31, .breached, .acknowledged),                      // one minute over
        (nil, 120, nil, 1000, 20, .met, .restored),                               // restored with no acknowledgement: the restoration answers
        (150, 120, nil, 1000, 20, .met, .restored),                               // whichever came first
        (nil, nil, 125, 1000, 25, .met, .closed),                                 // closed with neither
        (nil, nil, nil, 120, 20, .running, .monthEnd),                            // not yet, still within
        (nil, nil, nil, 200, 100, .overdue, .monthEnd),                           // never acknowledged by the month's end: a breach
        (300, nil, nil, 200, 100, .overdue, .monthEnd),                           // acknowledged only after the month's end
        (90, nil, nil, 1000, 0, .met, .acknowledged),                             // recorded before the escalation: never negative
    ] as [(Double?, Double?, Double?, Double, Double, SLAState, SLAEnd)])
    func theResponseClock(ack: Double?, restored: Double?, closed: Double?, horizon: Double, minutes: Double, state: SLAState, end: SLAEnd) {
        let reading = Self.fault(ack: ack, restored: restored, closed: closed).response(Self.terms, horizon: Self.t(horizon), horizonKind: .monthEnd)
        #expect(reading.minutes == minutes)
        #expect(reading.state == state)
        #expect(reading.endedBy == end)
        #expect(reading.state.isBreach == (state == .breached || state == .overdue))
    }

    @Test(arguments: [
        // (restored, closed, horizon, minutes from the outage's start at 40, state)
        (280.0, nil, 10_000.0, 240.0, SLAState.met),
        (281, nil, 10_000, 241, .breached),
        (nil, 200, 10_000, 160, .met),               // closed without a restoration recorded
        (nil, nil, 200, 160, .running),
        (nil, nil, 500, 460, .overdue),
        (600, nil, 500, 460, .overdue),              // restored after the month's end: measured to it
    ] as [(Double?, Double?, Double, Double, SLAState)])
    func theRestoreClockRunsFromTheOutagesStart(restored: Double?, closed: Double?, horizon: Double, minutes: Double, state: SLAState) {
        let reading = Self.fault(ack: 110, restored: restored, closed: closed).restore(Self.terms, horizon: Self.t(horizon), horizonKind: .now)
        #expect(reading.minutes == minutes)
        #expect(reading.state == state)
        #expect(reading.start == Self.t(40))
    }

    // MARK: The month

    static let month = (start: november, end: ReportMonth(year: 2026, month: 11)!.end(in: wita))
    static let monthMinutes = 30.0 * 1440

    @Test func aMonthCountsItsEscalationsAndReadsEachClock() {
        let faults = [
            EscalatedFault(id: 1, linkID: 7, startedAt: Self.t(0), escalatedAt: Self.t(30), acknowledgedAt: Self.t(40), restoredAt: Self.t(200), closedAt: Self.t(230)),
            EscalatedFault(id: 2, linkID: 7, startedAt: Self.t(1000), escalatedAt: Self.t(1010), acknowledgedAt: Self.t(1100), restoredAt: Self.t(1400), closedAt: nil),
            // Never acknowledged or restored, the month over: both clocks run to its end.
            EscalatedFault(id: 3, linkID: 8, startedAt: Self.t(40_000), escalatedAt: Self.t(40_010), acknowledgedAt: nil, restoredAt: nil, closedAt: nil),
            // Escalated next month: not this one's.
            EscalatedFault(id: 4, linkID: 8, startedAt: Self.t(Self.monthMinutes + 5), escalatedAt: Self.t(Self.monthMinutes + 10), acknowledgedAt: nil,
                           restoredAt: nil, closedAt: nil),
        ]
        let month = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(Self.monthMinutes + 2000), terms: Self.terms,
                                           faults: faults, outages: [], links: [7, 8, 9])
        #expect(month.complete)
        #expect(month.faults.map(\.fault.id) == [1, 2, 3])
        #expect(month.escalatedInMonth == 3)
        #expect(month.responseBreaches == 2 && month.restoreBreaches == 2)   // #2 answered in 90 min, restored in 400; #3 neither
        #expect(month.breaches.map(\.fault.id) == [2, 3])
        let open = month.faults[2]
        #expect(open.response?.state == .overdue && open.response?.endedBy == .monthEnd && open.response?.minutes == Self.monthMinutes - 40_010)
        #expect(open.restore?.end == Self.month.end)
        // Mean and 95th percentile over the month's clocks (the open ones to the month's end).
        #expect(month.response.count == 3 && month.response.meanMinutes == (10 + 90 + (Self.monthMinutes - 40_010)) / 3)
        #expect(month.response.p95Minutes == Self.monthMinutes - 40_010)
        #expect(month.restore.p95Minutes == Self.monthMinutes - 40_000)
        // Links without a fault are listed, fully available.
        #expect(month.links.map(\.linkID) == [7, 8, 9])
        #expect(month.links.first { $0.linkID == 9 }?.availability == 1)
    }

    @Test func whileTheMonthRunsAnOpenClockIsMeasuredToNow() {
        let faults = [EscalatedFault(id: 5, linkID: 7, startedAt: Self.t(100), escalatedAt: Self.t(110), acknowledgedAt: nil, restoredAt: nil, closedAt: nil)]
        let early = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(125), terms: Self.terms, faults: faults,
                                           outages: [LinkOutage(linkID: 7, span: faults[0].outage(now: Self.t(125)), escalated: true)], links: [7])
        #expect(!early.complete && early.period.end == Self.t(125))
        #expect(early.faults[0].response?.state == .running && early.faults[0].response?.endedBy == SLAEnd.now && early.faults[0].response?.minutes == 15)
        #expect(early.breaches.isEmpty)
        // Availability over the minutes so far: 25 of 125 out.
        #expect(early.links[0].outageSeconds == 25 * 60)
        #expect(abs((early.links[0].availability ?? 0) - 0.8) < 1e-12)
        let later = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(150), terms: Self.terms, faults: faults, outages: [], links: [7])
        #expect(later.faults[0].response?.state == .overdue && later.breaches.map(\.fault.id) == [5])
    }

    @Test func aClockRunningWithinTheContractAtTheMonthsEndIsReadInTheNextMonthOnly() {
        let october = ReportMonth(year: 2026, month: 10)!
        let (octStart, octEnd) = (october.start(in: Self.wita), october.end(in: Self.wita))
        // Escalated ten minutes before midnight; acknowledged 50 minutes later, restored after 3 hours.
        let late = EscalatedFault(id: 9, linkID: 7, startedAt: Self.t(-20), escalatedAt: Self.t(-10), acknowledgedAt: Self.t(40), restoredAt: Self.t(160), closedAt: nil)
        // Escalated in October and already breached there: not carried.
        let breached = EscalatedFault(id: 10, linkID: 8, startedAt: Self.t(-400), escalatedAt: Self.t(-390), acknowledgedAt: Self.t(-300), restoredAt: Self.t(30), closedAt: nil)
        let now = Self.t(Self.monthMinutes + 100)
        let before = ProviderMonth.evaluate(start: octStart, end: octEnd, now: now, terms: Self.terms, faults: [late, breached], outages: [], links: [])
        let lateInOctober = before.faults.first { $0.fault.id == 9 }
        #expect(lateInOctober?.response?.state == .running && lateInOctober?.restore?.state == .running && lateInOctober?.isBreach == false)
        #expect(before.faults.first { $0.fault.id == 10 }?.isBreach == true)
        let after = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: now, terms: Self.terms, faults: [late, breached], outages: [], links: [])
        #expect(after.faults.map(\.fault.id) == [9], "the one breached in October is not counted again")
        #expect(after.faults[0].carriedOver && after.escalatedInMonth == 0)
        #expect(after.faults[0].response?.state == .breached && after.faults[0].response?.minutes == 50)
        #expect(after.faults[0].restore?.state == .met && after.faults[0].restore?.minutes == 180)
        #expect(after.responseBreaches == 1)
    }

    @Test func aCarriedFaultIsReadOnlyOnTheClockStillRunning() {
        // Acknowledged in October within the contract, restore still running at midnight (within 240).
        let fault = EscalatedFault(id: 11, linkID: 7, startedAt: Self.t(-100), escalatedAt: Self.t(-90), acknowledgedAt: Self.t(-80), restoredAt: Self.t(200), closedAt: nil)
        let month = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(5000), terms: Self.terms, faults: [fault], outages: [], links: [])
        #expect(month.faults.count == 1 && month.faults[0].response == nil)
        #expect(month.faults[0].restore?.state == .breached && month.faults[0].restore?.minutes == 300)
        #expect(month.response.count == 0 && month.restore.count == 1)
    }

    @Test(arguments: [
        // (outage minutes on the link in a 30-day month, contract %, meets)
        (0.0, 99.5, true),
        (216.0, 99.5, true),    // exactly 0.5 % of 43 200 minutes
        (217.0, 99.5, false),
        (432.0, 99.0, true),
        (433.0, 99.0, false),
        (43_200.0, 0.0, true),
    ] as [(Double, Double, Bool)])
    func availabilityAgainstTheContract(outage: Double, percent: Double, meets: Bool) {
        let terms = ContractTerms(responseMinutes: 30, restoreMinutes: 240, availabilityPercent: percent)
        let month = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(Self.monthMinutes * 2), terms: terms, faults: [],
                                           outages: [LinkOutage(linkID: 7, span: Span(Self.t(0), Self.t(outage)), escalated: true)], links: [7])
        #expect(month.links[0].meetsContract == meets)
        #expect(abs((month.links[0].availability ?? -1) - (1 - outage / Self.monthMinutes)) < 1e-12)
    }

    @Test func overlappingFaultsOfALinkAreOneOutageAndTheOfficesOwnAreShownApart() {
        let outages = [
            LinkOutage(linkID: 7, span: Span(Self.t(-60), Self.t(100)), escalated: true),       // began in October: 100 minutes of it
            LinkOutage(linkID: 7, span: Span(Self.t(50), Self.t(300)), escalated: true),        // overlaps it
            LinkOutage(linkID: 7, span: Span(Self.t(1000), Self.t(1100)), escalated: false),    // fixed by the office
            LinkOutage(linkID: 8, span: Span(Self.t(43_100), Self.t(43_300)), escalated: true), // runs past the month's end
        ]
        let month = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(90_000), terms: Self.terms, faults: [], outages: outages, links: [7])
        let seven = month.links.first { $0.linkID == 7 }!, eight = month.links.first { $0.linkID == 8 }!
        #expect(seven.outageSeconds == 300 * 60 && seven.allFaultsOutageSeconds == 400 * 60 && seven.faults == 2)
        #expect(eight.outageSeconds == 100 * 60, "a link a fault was escalated on is listed even if the provider no longer has it")
        #expect(!seven.meetsContract && eight.meetsContract)
    }

    @Test func gapsAreWhatNoSpanCovers() {
        let bounds = Span(Self.t(0), Self.t(100))
        let gaps = Span.gaps([Span(Self.t(10), Self.t(20)), Span(Self.t(15), Self.t(30)), Span(Self.t(90), Self.t(200)), Span(Self.t(-50), Self.t(-10))],
                             within: bounds)
        #expect(gaps == [Span(Self.t(0), Self.t(10)), Span(Self.t(30), Self.t(90))])
        #expect(Span.gaps([], within: bounds) == [bounds])
        #expect(Span.gaps([Span(Self.t(-1), Self.t(101))], within: bounds).isEmpty)
        #expect(!Span(Self.t(0), Self.t(10)).overlaps(Span(Self.t(10), Self.t(20))), "touching is not overlapping")
    }

    /// Where the poller watched a link, its measured down time is the outage; a fault's recorded times
    /// (a restoration typed in hours late, an outage start guessed) count only where it did not watch.
    @Test(arguments: [
        // (measured known, measured down, recorded escalated fault, expected outage minutes, all-faults minutes, measured minutes)
        // The poller watched all month: 47 measured minutes, not the 200 the restoration was recorded after.
        ([(0.0, 43_200.0)], [(100.0, 147.0)], (100.0, 300.0), 47.0, 47.0, 43_200.0),
        // It began watching at minute 200: the record counts until then, the measurement after.
        ([(200.0, 43_200.0)], [(200.0, 260.0)], (100.0, 250.0), 160.0, 160.0, 43_000.0),
        // Down by measurement with no fault escalated to the provider overlapping it: not the provider's.
        ([(0.0, 43_200.0)], [(5000.0, 5030.0)], (100.0, 150.0), 0.0, 30.0, 43_200.0),
        // The device went silent (unknown) from 1000 to 1200 while the record says out 1100–1150.
        ([(0.0, 1000.0), (1200.0, 43_200.0)], [], (1100.0, 1150.0), 50.0, 50.0, 43_000.0),
    ] as [([(Double, Double)], [(Double, Double)], (Double, Double), Double, Double, Double)])
    func measuredMinutesReplaceRecordedOnesWhereThePollerWatched(known: [(Double, Double)], down: [(Double, Double)], recorded: (Double, Double),
                                                                 outage: Double, all: Double, measured: Double) {
        let measurement = LinkMeasurement(known: known.map { Span(Self.t($0.0), Self.t($0.1)) }, down: down.map { Span(Self.t($0.0), Self.t($0.1)) })
        let month = ProviderMonth.evaluate(start: Self.month.start, end: Self.month.end, now: Self.t(90_000), terms: Self.terms, faults: [],
                                           outages: [LinkOutage(linkID: 7, span: Span(Self.t(recorded.0), Self.t(recorded.1)), escalated: true)],
                                           links: [7], measured: [7: measurement])
        let seven = month.links.first { $0.linkID == 7 }!
        #expect(seven.outageSeconds == outage * 60)
        #expect(seven.allFaultsOutageSeconds == all * 60)
        #expect(seven.measuredSeconds == measured * 60)
        #expect(seven.faults == 1)
    }

    @Test func statesBecomeWhatThePollerKnewAndWhenTheLinkWasDown() {
        let m = LinkMeasurement(states: [(.up, Span(Self.t(0), Self.t(10))), (.down, Span(Self.t(10), Self.t(20))), (.unknown, Span(Self.t(20), Self.t(30))),
                                         (.flapping, Span(Self.t(30), Self.t(40))), (.degraded, Span(Self.t(40), Self.t(50)))])
        #expect(m.known == [Span(Self.t(0), Self.t(20)), Span(Self.t(40), Self.t(50))])
        #expect(m.down == [Span(Self.t(10), Self.t(20))])
    }

    // MARK: Per agency and per technician

    @Test func tallyCountsRepairsMeanTimeAndCauses() {
        let items = [
            FaultTally.Item(key: "DINKES", startedAt: Self.t(0), repairedAt: Self.t(60), cause: .fiberCut),
            FaultTally.Item(key: "DINKES", startedAt: Self.t(0), repairedAt: Self.t(180), cause: .fiberCut),
            FaultTally.Item(key: "DINKES", startedAt: Self.t(0), repairedAt: nil, cause: nil),
            FaultTally.Item(key: "SETDA", startedAt: Self.t(0), repairedAt: Self.t(30), cause: .power),
            FaultTally.Item(key: "BPKAD", startedAt: Self.t(100), repairedAt: Self.t(90), cause: .power),   // before its start: zero, not negative
        ]
        let (groups, total) = FaultTally.groups(items)
        #expect(groups.map(\.key) == ["DINKES", "BPKAD", "SETDA"])
        #expect(groups[0].faults == 3 && groups[0].repaired == 2 && groups[0].mttrSeconds == 120 * 60)
        #expect(groups[0].causes == [.fiberCut: 2] && groups[0].noCause == 1)
        #expect(groups[1].mttrSeconds == 0)
        #expect(total.faults == 5 && total.repaired == 4 && total.mttrSeconds == (60 + 180 + 30 + 0) * 60 / 4)
        #expect(total.causes == [.fiberCut: 2, .power: 2])
        #expect(FaultTally.groups([]).total.mttrSeconds == nil)
    }
}
