import Foundation
import SimpulCore
import Testing

/// The upkeep planner: windows, spreading, the gap, newcomers, covered windows, overdue visits,
/// the schedule's refusals, a thousand agencies, and the compliance board.
@Suite("LAN upkeep planner")
struct LANUpkeepTests {
    static let wita = TimeZone(identifier: "Asia/Makassar")!
    static func d(_ text: String) -> Date { WorkCalendar.midnight(text, in: wita)! }
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = wita
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
    static func addingMonths(_ months: Int, _ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = wita
        return calendar.date(byAdding: .month, value: months, to: date)!
    }
    static func isWeekday(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = wita
        return !calendar.isDateInWeekend(date)
    }

    @Test(arguments: [
        (2, 4, 14, nil), (2, 6, 0, nil), (3, 4, 90, nil), (12, 1, 14, nil), (1, 12, 14, nil), (5, 2, 14, nil),
        (0, 4, 14, UpkeepRefusal.Problem.visitsPerYearOutOfRange(0)), (13, 0, 14, .visitsPerYearOutOfRange(13)),
        (2, -1, 14, .minimumGapOutOfRange(-1)), (2, 13, 14, .minimumGapOutOfRange(13)),
        (2, 4, -1, .openAheadOutOfRange(-1)), (2, 4, 91, .openAheadOutOfRange(91)),
        (3, 6, 14, .infeasible(visitsPerYear: 3, minimumGapMonths: 6)), (3, 5, 14, .infeasible(visitsPerYear: 3, minimumGapMonths: 5)),
        (2, 7, 14, .infeasible(visitsPerYear: 2, minimumGapMonths: 7)), (12, 2, 14, .infeasible(visitsPerYear: 12, minimumGapMonths: 2)),
    ] as [(Int, Int, Int, UpkeepRefusal.Problem?)])
    func schedulesAreValidated(visits: Int, gap: Int, ahead: Int, problem: UpkeepRefusal.Problem?) {
        do {
            _ = try UpkeepSchedule(visitsPerYear: visits, minimumGapMonths: gap, openAheadDays: ahead)
            #expect(problem == nil)
        } catch {
            #expect(error.problem == problem)
        }
    }

    @Test func anInfeasibleScheduleSaysWhatWouldFit() {
        let refusal = #expect(throws: UpkeepRefusal.self) { try UpkeepSchedule(visitsPerYear: 3, minimumGapMonths: 6) }
        #expect(refusal?.text.en.contains("with 3 visits, a gap of at most 4 months; with a 6-month gap, at most 2 visits a year") == true)
        #expect(refusal?.text.id.contains("tidak muat") == true)
    }

    @Test func windowsSplitTheYearInCalendarMonths() throws {
        #expect([1, 2].map(UpkeepSchedule.standard.windowMonths) == [1...6, 7...12])
        let three = try UpkeepSchedule(visitsPerYear: 3, minimumGapMonths: 4)
        #expect([1, 2, 3].map(three.windowMonths) == [1...4, 5...8, 9...12])
        let five = try UpkeepSchedule(visitsPerYear: 5, minimumGapMonths: 2)
        #expect((1...5).map(five.windowMonths) == [1...2, 3...4, 5...7, 8...9, 10...12])
        #expect(five.longestWindowMonths == 3 && UpkeepSchedule.standard.longestWindowMonths == 6)
    }

    @Test func aNormalYearHasOneVisitPerWindowOnAWeekday() throws {
        let agency = UpkeepAgency(code: "DISKOMINFO", since: Self.d("2020-01-01"))
        let plan = try UpkeepPlan.plan(agencies: [agency], years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2025-12-01"))
        #expect(plan.conflicts.isEmpty)
        #expect(plan.visits.map(\.index) == [1, 2])
        let (first, second) = (plan.visits[0], plan.visits[1])
        #expect(first.windowStart == Self.d("2026-01-01") && first.windowEnd == Self.d("2026-07-01"))
        #expect(second.windowStart == Self.d("2026-07-01") && second.windowEnd == Self.d("2027-01-01"))
        for visit in plan.visits {
            #expect(visit.due >= visit.windowStart && visit.due < visit.windowEnd && Self.isWeekday(visit.due) && !visit.overdue)
            #expect(visit.opensAt == visit.due.addingTimeInterval(-14 * 86_400))
        }
        #expect(second.due >= Self.addingMonths(4, first.due))
        // Deterministic: the same plan again.
        #expect(try UpkeepPlan.plan(agencies: [agency], years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2025-12-01")) == plan)
    }

    @Test func fortyAgenciesAreSpreadNotAllDueOnOneDay() throws {
        let agencies = (1...40).map { UpkeepAgency(code: String(format: "SKPD-%02d", $0), since: Self.d("2020-01-01")) }
        let plan = try UpkeepPlan.plan(agencies: agencies, years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2025-12-01"))
        #expect(plan.visits.count == 80)
        let perDay = Dictionary(grouping: plan.visits, by: \.due).values.map(\.count)
        #expect(perDay.max()! <= 4)
        #expect(Set(plan.visits.filter { $0.index == 1 }.map(\.due)).count >= 25)
    }

    @Test func anAgencyAddedInAugustGetsOnlyTheSecondVisit() throws {
        let agency = UpkeepAgency(code: "KEC-BARU", since: Self.d("2026-08-10"))
        let plan = try UpkeepPlan.plan(agencies: [agency], years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2026-08-10"))
        #expect(plan.conflicts.isEmpty)
        #expect(plan.visits.count == 1 && plan.visits[0].index == 2)
        #expect(plan.visits[0].due >= Self.d("2026-08-10") && plan.visits[0].due < Self.d("2027-01-01"))
    }

    @Test func knownVisitsCoverTheirWindowsAndTheGapCrossesTheYear() throws {
        // Visited late in June: July–December's visit is no earlier than late October; next January's
        // no earlier than four months after that.
        let agency = UpkeepAgency(code: "DINKES", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-06-25")])
        let plan = try UpkeepPlan.plan(agencies: [agency], years: 2026...2027, schedule: .standard, timeZone: Self.wita, now: Self.d("2026-06-30"))
        #expect(plan.conflicts.isEmpty)
        #expect(plan.visits.map { "\($0.year)/\($0.index)" } == ["2026/2", "2027/1", "2027/2"])
        #expect(plan.visits[0].due >= Self.d("2026-10-25"))
        #expect(plan.visits[1].due >= Self.addingMonths(4, plan.visits[0].due))
        #expect(plan.visits[2].due >= Self.addingMonths(4, plan.visits[1].due))
        // Both 2026 windows covered: nothing for 2026.
        let covered = UpkeepAgency(code: "DINKES", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-03-02"), Self.d("2026-09-01")])
        let next = try UpkeepPlan.plan(agencies: [covered], years: 2026...2027, schedule: .standard, timeZone: Self.wita, now: Self.d("2026-01-01"))
        #expect(next.visits.map(\.year) == [2027, 2027])
        #expect(next.visits[0].due >= Self.d("2027-01-01"))
    }

    @Test func aGapThatCannotFitIsAConflictWithItsReason() throws {
        let schedule = try UpkeepSchedule(visitsPerYear: 2, minimumGapMonths: 6)
        // Visited on 30 December 2026: 2027's first window (January–June) needs a visit from 30 June.
        let agency = UpkeepAgency(code: "RSUD", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-12-30"), Self.d("2027-07-02")])
        let plan = try UpkeepPlan.plan(agencies: [agency], years: 2027...2027, schedule: schedule, timeZone: Self.wita, now: Self.d("2026-12-31"))
        #expect(plan.visits.isEmpty)
        #expect(plan.conflicts.count == 1)
        if case .tooCloseToNextVisit = plan.conflicts.first?.reason {} else { Issue.record("expected tooCloseToNextVisit, got \(plan.conflicts)") }
        let late = UpkeepAgency(code: "RSUD", since: Self.d("2020-01-01"), lastVisits: [Self.d("2027-06-20")])
        let lateSchedule = try UpkeepSchedule(visitsPerYear: 3, minimumGapMonths: 4)
        let plan2 = try UpkeepPlan.plan(agencies: [late], years: 2027...2027, schedule: lateSchedule, timeZone: Self.wita, now: Self.d("2026-12-31"))
        // Window 1 (Jan–Apr) must be by 20 February; window 3 (Sep–Dec) from 20 October.
        #expect(plan2.conflicts.isEmpty)
        #expect(plan2.visits.count == 2)
        #expect(plan2.visits[0].due <= Self.d("2027-02-20") && plan2.visits[1].due >= Self.d("2027-10-20"))
        let blocked = UpkeepAgency(code: "RSUD", since: Self.d("2020-01-01"), lastVisits: [Self.d("2027-04-29")])
        let plan3 = try UpkeepPlan.plan(agencies: [blocked], years: 2027...2027, schedule: lateSchedule, timeZone: Self.wita, now: Self.d("2026-12-31"))
        // May–August needs a visit from 29 August, then only three days are left; 29 August 2027 is a Sunday, 31 a Tuesday.
        #expect(plan3.conflicts.isEmpty && plan3.visits.contains { $0.index == 2 && Self.day($0.due) == "2027-08-30" })
        let missed = UpkeepAgency(code: "RSUD", since: Self.d("2020-01-01"))
        let plan4 = try UpkeepPlan.plan(agencies: [missed], years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2026-08-01"))
        #expect(plan4.conflicts.map(\.reason) == [.missed])
        #expect(plan4.conflicts[0].text.en.contains("was missed"))
    }

    @Test func aVisitWhoseDayHasPassedIsDueToday() throws {
        let agencies = (1...50).map { UpkeepAgency(code: "A\($0)", since: Self.d("2020-01-01")) }
        let now = Self.d("2026-04-15").addingTimeInterval(10 * 3600)
        let plan = try UpkeepPlan.plan(agencies: agencies, years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: now)
        let first = plan.visits.filter { $0.index == 1 }
        #expect(first.count == 50)
        #expect(first.allSatisfy { $0.due >= Self.d("2026-04-15") })
        #expect(first.contains { $0.overdue && $0.due == Self.d("2026-04-15") })
        #expect(plan.visits.first?.overdue == true)
    }

    @Test func aThousandAgenciesOverTwoYears() throws {
        var random = SplitMix(seed: 7)
        var agencies: [UpkeepAgency] = []
        var coveredWindows = 0
        for i in 0..<1000 {
            var visits: [Date] = []
            if i % 5 == 0 {
                visits.append(Self.d("2025-11-03").addingTimeInterval(Double(random.next(below: 50)) * 86_400))
            }
            if i % 7 == 0 {
                visits.append(Self.d("2026-02-02").addingTimeInterval(Double(random.next(below: 100)) * 86_400))
                coveredWindows += 1
            }
            agencies.append(UpkeepAgency(code: "SKPD-\(i)", since: Self.d("2020-01-01"), lastVisits: visits))
        }
        let now = Self.d("2025-12-15")
        let plan = try UpkeepPlan.plan(agencies: agencies, years: 2026...2027, schedule: .standard, timeZone: Self.wita, now: now)
        #expect(plan.conflicts.isEmpty)
        #expect(plan.visits.count == 4000 - coveredWindows)
        let byAgency = Dictionary(grouping: plan.visits, by: \.agency)
        for agency in agencies {
            let dates = (agency.lastVisits + (byAgency[agency.code] ?? []).map(\.due)).sorted()
            for (a, b) in zip(dates, dates.dropFirst()) where (byAgency[agency.code] ?? []).contains(where: { $0.due == a || $0.due == b }) {
                #expect(b >= Self.addingMonths(4, a), "\(agency.code): \(a) → \(b)")
            }
        }
        #expect(plan.visits.allSatisfy { $0.due >= $0.windowStart && $0.due < $0.windowEnd && $0.due >= now })
        #expect(try UpkeepPlan.plan(agencies: agencies.reversed(), years: 2026...2027, schedule: .standard, timeZone: Self.wita, now: now) == plan)
    }

    @Test func theYearsArePlannedOnlyInRange() {
        let refusal = #expect(throws: UpkeepRefusal.self) {
            try UpkeepPlan.plan(agencies: [], years: 1999...2026, schedule: .standard, timeZone: Self.wita, now: Self.d("2026-01-01"))
        }
        #expect(refusal?.problem == .years(1999...2026))
    }

    @Test func theComplianceBoardPutsTheAgenciesBehindFirst() throws {
        let now = Self.d("2026-09-15")
        let agencies = [
            UpkeepAgency(code: "ON-TRACK", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-05-04")]),
            UpkeepAgency(code: "NO-VISIT", since: Self.d("2020-01-01")),
            UpkeepAgency(code: "STALE", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-01-05")]),
            UpkeepAgency(code: "NEW", since: Self.d("2026-08-01")),
            UpkeepAgency(code: "BOOKED", since: Self.d("2020-01-01"), lastVisits: [Self.d("2026-06-01"), Self.d("2026-10-01")]),
        ]
        let plan = try UpkeepPlan.plan(agencies: agencies, years: 2026...2026, schedule: .standard, timeZone: Self.wita, now: now)
        let rows = agencies.map { UpkeepCompliance.evaluate($0, year: 2026, schedule: .standard, planned: plan.visits, timeZone: Self.wita, now: now) }
        let byCode = Dictionary(uniqueKeysWithValues: rows.map { ($0.agency, $0) })
        #expect(byCode["ON-TRACK"]?.behind == false && byCode["ON-TRACK"]?.done == 1 && byCode["ON-TRACK"]?.required == 1)
        #expect(byCode["NO-VISIT"]?.behind == true && byCode["NO-VISIT"]?.done == 0)
        #expect(byCode["STALE"]?.behind == true && byCode["STALE"]?.done == 1)   // one done, but more than 6 months ago
        #expect(byCode["NEW"]?.behind == false && byCode["NEW"]?.required == 0)
        #expect(byCode["BOOKED"]?.behind == false && byCode["BOOKED"]?.nextPlanned == Self.d("2026-10-01") && byCode["BOOKED"]?.done == 1)
        let board = UpkeepCompliance.board(rows)
        #expect(board.prefix(2).allSatisfy(\.behind) && board.dropFirst(2).allSatisfy { !$0.behind })
        for (a, b) in zip(board, board.dropFirst()) where a.behind == b.behind {
            #expect((a.nextPlanned ?? .distantFuture) <= (b.nextPlanned ?? .distantFuture))
        }
    }
}
