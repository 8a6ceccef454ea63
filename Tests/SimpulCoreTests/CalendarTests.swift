import Foundation
import Testing
@testable import SimpulCore

@Suite("Working calendar and clocks")
struct CalendarTests {
    let calendar: WorkCalendar

    init() throws { calendar = try Playbooks.officeCalendar() }

    @Test func standardTimesParse() {
        #expect(StandardTime("60m") == StandardTime(value: 60, unit: .minutes))
        #expect(StandardTime("30wd") == StandardTime(value: 30, unit: .workingDays))
        #expect(StandardTime("1w")?.seconds(officeDay: 28_800) == 604_800)
        for bad in ["", "m", "0m", "1.5h", "10x", "-5m", "5 m", "3hh"] { #expect(StandardTime(bad) == nil, "\(bad)") }
    }

    @Test func weekdaysAndDayNumbers() {
        #expect(WorkCalendar.dayNumber("1970-01-01") == 0)
        #expect(WorkCalendar.dayNumber("2026-02-30") == nil)
        #expect(WorkCalendar.weekday(ofDay: WorkCalendar.dayNumber("2026-11-20")!) == 5)  // Friday
        #expect(WorkCalendar.weekday(ofDay: WorkCalendar.dayNumber("2026-11-22")!) == 7)  // Sunday
    }

    @Test func officeSecondsSkipTheWeekend() {
        // Friday 15:00 to Monday 09:00: one hour on Friday, one on Monday.
        #expect(calendar.officeSeconds(from: .wita("2026-11-20 15:00"), to: .wita("2026-11-23 09:00")) == 7200)
        // Before opening and after closing count nothing.
        #expect(calendar.officeSeconds(from: .wita("2026-11-23 06:00"), to: .wita("2026-11-23 07:59")) == 0)
        #expect(calendar.officeSeconds(from: .wita("2026-11-23 16:30"), to: .wita("2026-11-23 23:00")) == 0)
    }

    @Test func aFifteenMinuteStepStartedLateFridayIsDueMondayMorning() {
        let due = calendar.adding(900, .office, to: .wita("2026-11-20 15:55"))
        #expect(due == .wita("2026-11-23 08:10"))
    }

    @Test func aStepDueAtClosingIsDueAtClosing() {
        #expect(calendar.adding(3600, .office, to: .wita("2026-11-20 15:00")) == .wita("2026-11-20 16:00"))
    }

    @Test func holidaysAndCutiBersamaAreSkipped() {
        // Wednesday 23 Dec 10:00 + one office day (8 h): 6 h on Wednesday; Thursday 24 (cuti bersama) and
        // Friday 25 (Christmas) closed, then the weekend; due Monday 28 Dec 10:00.
        let start = Date.wita("2026-12-23 10:00")
        #expect(calendar.adding(8 * 3600, .office, to: start) == .wita("2026-12-28 10:00"))
        #expect(calendar.officeSeconds(from: start, to: .wita("2026-12-28 09:00")) == 7 * 3600)
        // Without the holiday file the same step would be due on Thursday.
        #expect(WorkCalendar.wita.adding(8 * 3600, .office, to: start) == .wita("2026-12-24 10:00"))
    }

    @Test func thirtyWorkingDaysCrossHolidays() {
        // 30 working days from Friday 14 Aug 2026 09:00; 17 Aug (Monday) and 25 Aug are holidays.
        let start = Date.wita("2026-08-14 09:00")
        let due = calendar.adding(Double(30 * calendar.officeDay), .office, to: start)
        // 7 h on Friday, 29 whole office days, 1 h on the 30th office day after Friday: 29 Sep 09:00.
        #expect(due == .wita("2026-09-29 09:00"))
        #expect(calendar.officeSeconds(from: start, to: due) == Double(30 * calendar.officeDay))
    }

    @Test func addingAndCountingAgreeEverywhere() {
        // Round trip over many starting points and lengths, including weekends and holidays.
        var start = Date.wita("2026-12-18 07:13")
        for i in 0..<200 {
            let seconds = Double((i * 7919) % (40 * 3600) + 60)
            let due = calendar.adding(seconds, .office, to: start)
            #expect(abs(calendar.officeSeconds(from: start, to: due) - seconds) < 0.001, "\(start) + \(seconds)")
            start = start.addingTimeInterval(3600 * 5 + 17)
        }
    }

    @Test func lateAcrossAWeekendAndAHoliday() throws {
        // Equipment repair runs on working days: the head's repair order has a 15 h standard.
        let playbook = try Playbooks.named("equipment-repair")
        let machine = TicketMachine(playbook: playbook, calendar: calendar)
        let opened = Date.wita("2026-12-22 14:00")  // Tuesday
        var ticket = try machine.open(subject: "Proyektor rusak", agency: nil, by: Playbooks.principal(for: .supervisor), at: opened).ticket
        for stepID in ["identify", "division_review", "report_to_head"] {
            let step = playbook.step(stepID)!
            ticket = try machine.handle(.complete(evidence: Playbooks.evidence(for: step), branch: nil, note: nil, assignTo: nil),
                                        on: ticket, by: Playbooks.principal(for: step.actor), reason: nil, at: opened).ticket
        }
        #expect(ticket.current?.stepID == "repair_order")
        let clocks = ClockEvaluator(calendar: calendar)
        // Tue 14–16 (2 h), Wed 8–16 (8 h), Thu 24 and Fri 25 closed, weekend, Mon 28 8–13 (5 h) = 15 h: due Monday 13:00.
        let due = clocks.clocks(ticket, playbook: playbook, now: opened).current?.dueAt
        #expect(due == .wita("2026-12-28 13:00"))
        let state = { (now: Date) in clocks.clocks(ticket, playbook: playbook, now: now).current!.state }
        #expect(state(.wita("2026-12-26 12:00")) == .onTime)      // Saturday: only 10 office hours so far
        #expect(state(.wita("2026-12-28 10:00")) == .dueSoon)     // 12 h of 15 = 80 %
        #expect(state(.wita("2026-12-28 13:00")) == .dueSoon)     // exactly the standard: not yet late
        #expect(state(.wita("2026-12-28 13:01")) == .late)
        // The same wall-clock span on the 24×7 playbook would long be late.
        #expect(clocks.calendar.seconds(.wall, from: opened, to: .wita("2026-12-26 12:00")) > 15 * 3600)
    }

    @Test func aHeldTicketsClockDoesNotRun() throws {
        let playbook = try Playbooks.named("fault-dispatch")
        let machine = TicketMachine(playbook: playbook, calendar: calendar)
        let t0 = Date.wita("2026-11-23 09:00")
        var ticket = try machine.open(subject: "Putus", agency: "DINKES", by: Playbooks.principal(for: .agency), at: t0).ticket
        ticket = try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "mati")], branch: nil, note: nil, assignTo: nil),
                                    on: ticket, by: Playbooks.principal(for: .agency), reason: nil, at: t0).ticket
        ticket = try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "tek1")], branch: nil, note: nil, assignTo: "tek1"),
                                    on: ticket, by: Playbooks.principal(for: .supervisor), reason: nil, at: t0.addingTimeInterval(300)).ticket
        // repair (60 m) entered at 09:05; held from 09:25 to 11:25; resumed.
        let tech = Playbooks.principal(for: .technician)
        ticket = try machine.handle(.hold, on: ticket, by: tech, reason: "menunggu kunci ruang server", at: t0.addingTimeInterval(1500)).ticket
        #expect(ticket.status == .held)
        let clocks = ClockEvaluator(calendar: calendar)
        let during = clocks.clocks(ticket, playbook: playbook, now: t0.addingTimeInterval(7200)).current!
        #expect(during.elapsed == 1200)
        #expect(during.dueAt == nil)
        #expect(during.state == .onTime)
        ticket = try machine.handle(.resume, on: ticket, by: tech, reason: nil, at: t0.addingTimeInterval(8700)).ticket
        let after = clocks.clocks(ticket, playbook: playbook, now: t0.addingTimeInterval(9000)).current!
        #expect(after.elapsed == 1500)      // 20 min before the hold + 5 min after
        #expect(after.held == 7200)
        #expect(after.dueAt == .wita("2026-11-23 12:05"))  // 09:05 + 60 min + 2 h held
        let totals = clocks.clocks(ticket, playbook: playbook, now: t0.addingTimeInterval(9000))
        #expect(totals.heldSeconds == 7200)
        #expect(totals.thirdPartySeconds == 0)   // the agency's report took no time
        #expect(totals.officeSeconds == 300 + 1500)
        // No escalation is due while the elapsed time is under the standard, though the wall clock passed it.
        #expect(clocks.dueEscalations(ticket, playbook: playbook, now: t0.addingTimeInterval(9000)).isEmpty)
    }
}
