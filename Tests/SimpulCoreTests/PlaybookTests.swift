import Foundation
import Testing
@testable import SimpulCore

@Suite("Playbooks: reading, checks and the ticket state machine")
struct PlaybookTests {
    // About the shipped files: the office's own Playbooks/, not the tests' copies.
    @Test func theRepositoryPlaybooksAreValid() throws {
        let (playbooks, issues) = PlaybookReader.read(try Playbooks.documents(in: Playbooks.shipped))
        #expect(issues.isEmpty, "\(issues)")
        #expect(Set(playbooks.map(\.id)) == ["hosting-intake", "fault-dispatch", "lan-installation", "lan-upkeep", "bandwidth-survey", "equipment-repair"])
        let (calendar, calendarIssues) = CalendarReader.read(try Playbooks.calendarDocuments(in: Playbooks.shipped))
        #expect(calendarIssues.isEmpty, "\(calendarIssues)")
        #expect(calendar?.holidays.count == 25)
    }

    // MARK: Broken playbooks: one error each, at its line, saying what to fix.

    static let valid = """
    id: tiny
    version: 1
    title: {id: "Kecil", en: "Tiny"}
    source: {sop: "1/SOP/2026", title: "Kecil"}
    calendar: 24x7
    steps:
      - id: first
        source_step: 1
        title: {id: "Satu", en: "One"}
        actor: technician
        standard: 10m
        clock: office
        evidence: [note]
        branches:
          ok: second
          retry: first
      - id: second
        origin: practice
        title: {id: "Dua", en: "Two"}
        actor: supervisor
        standard: 2wd
        clock: office
        evidence: []
        next: done
    escalations:
      - when: {step: first, elapsed: 100%}
        notify: supervisor
      - when: {branch: retry}
        raise_priority: true
    """

    struct Broken: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        var line: Int
        var field: String
        var says: String
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "unknown role", replace: "actor: supervisor", with: "actor: kasubag", line: 20, field: "steps[1].actor", says: "\"kasubag\" is not known"),
        Broken(name: "bad duration", replace: "standard: 2wd", with: "standard: 2 hari", line: 21, field: "steps[1].standard", says: "is not a duration"),
        Broken(name: "branch to a missing step", replace: "ok: second", with: "ok: sceond", line: 15, field: "steps[0].branches.ok", says: "step \"sceond\" is not in this file"),
        Broken(name: "unreachable step", replace: "ok: second", with: "ok: done", line: 17, field: "steps[1].id", says: "cannot be reached"),
        Broken(name: "cycle without an exit", replace: "next: done", with: "next: first", line: 15, field: "steps[0].branches", says: "cycle without an exit"),
        Broken(name: "next and branches", replace: "    next: done", with: "    next: done\n    branches: {a: done, b: done}", line: 25, field: "steps[1].branches", says: "both next and branches"),
        Broken(name: "escalation on a missing step", replace: "{step: first, elapsed: 100%}", with: "{step: third, elapsed: 100%}", line: 26, field: "escalations[0].when.step", says: "not in this file"),
        Broken(name: "escalation percent", replace: "elapsed: 100%", with: "elapsed: 100", line: 26, field: "escalations[0].when.elapsed", says: "not a percentage"),
        Broken(name: "source and practice", replace: "    origin: practice", with: "    origin: practice\n    source_step: 2", line: 18, field: "steps[1].origin", says: "not both"),
        Broken(name: "unknown evidence", replace: "evidence: []", with: "evidence: [selfie]", line: 23, field: "steps[1].evidence", says: "not an evidence kind"),
        Broken(name: "unknown field", replace: "    clock: office\n    evidence: []", with: "    clock: office\n    owner: x\n    evidence: []", line: 23, field: "steps[1].owner", says: "unknown field"),
        Broken(name: "duplicate step id", replace: "  - id: second", with: "  - id: first", line: 17, field: "steps[1].id", says: "already exists"),
        // Issue 11, item 12: a step with an error of its own is not also called missing by the
        // escalations, the graph or the branches that name it — one error each, not two or three.
        Broken(name: "zero standard", replace: "standard: 10m", with: "standard: 0m", line: 11, field: "steps[0].standard", says: "must be above zero"),
        Broken(name: "zero hours", replace: "standard: 10m", with: "standard: 0h", line: 11, field: "steps[0].standard", says: "must be above zero"),
        Broken(name: "standard over a year", replace: "standard: 10m", with: "standard: 600000m", line: 11, field: "steps[0].standard", says: "at most a year"),
        Broken(name: "bad duration on an escalated step", replace: "standard: 10m", with: "standard: 10 menit", line: 11, field: "steps[0].standard", says: "is not a duration"),
        Broken(name: "unknown role on an escalated step", replace: "actor: technician", with: "actor: teknisi", line: 10, field: "steps[0].actor", says: "\"teknisi\" is not known"),
        Broken(name: "unknown evidence on an escalated step", replace: "evidence: [note]", with: "evidence: [selfie]", line: 13, field: "steps[0].evidence", says: "not an evidence kind"),
        Broken(name: "unknown field on an escalated step", replace: "    clock: office\n    evidence: [note]", with: "    clock: office\n    owner: x\n    evidence: [note]", line: 13, field: "steps[0].owner", says: "unknown field"),
        Broken(name: "no title on an escalated step", replace: "    title: {id: \"Satu\", en: \"One\"}\n", with: "", line: 7, field: "steps[0].title", says: "is required"),
        Broken(name: "bad step id on an escalated step", replace: "  - id: first", with: "  - id: First", line: 7, field: "steps[0].id", says: "is not a step id"),
        Broken(name: "bad branch target", replace: "retry: first", with: "retry: First!", line: 16, field: "steps[0].branches.retry", says: "must lead to a step id or done"),
        Broken(name: "bad branch name", replace: "retry: first", with: "Retry: first", line: 16, field: "steps[0].branches.Retry", says: "must be lowercase"),
        Broken(name: "unknown clock on an escalated step", replace: "clock: office\n    evidence: [note]", with: "clock: kantor\n    evidence: [note]", line: 12, field: "steps[0].clock", says: "is not known"),
        Broken(name: "escalation on a missing branch", replace: "{branch: retry}", with: "{branch: rerty}", line: 28, field: "escalations[1].when.branch", says: "is not used in this file"),
    ]

    @Test(arguments: broken)
    func aBrokenPlaybookReportsItsOneError(_ case: Broken) throws {
        #expect(Self.valid.contains(`case`.replace), "fixture text")
        let text = Self.valid.replacingOccurrences(of: `case`.replace, with: `case`.with)
        let (playbook, issues) = PlaybookReader.read(PlaybookDocument(file: "tiny.yaml", text: text))
        #expect(playbook == nil)
        try #require(issues.count >= 1, "\(`case`.name): no issue")
        let issue = issues[0]
        #expect(issues.count == 1, "\(`case`.name): \(issues.map(\.description))")
        #expect(issue.location?.file == "tiny.yaml")
        #expect(issue.location?.line == `case`.line, "\(`case`.name): \(issue.message(.en))")
        #expect(issue.field == `case`.field, "\(`case`.name): \(issue.message(.en))")
        #expect(issue.text.en.contains(`case`.says), "\(`case`.name): \(issue.text.en)")
        #expect(!issue.text.id.isEmpty && issue.text.id != issue.text.en)
    }

    @Test func theValidFixtureIsValid() {
        let (playbook, issues) = PlaybookReader.read(PlaybookDocument(file: "tiny.yaml", text: Self.valid))
        #expect(issues.isEmpty, "\(issues)")
        #expect(playbook?.steps.count == 2)
    }

    @Test func theFileNameMustMatchTheID() {
        let (_, issues) = PlaybookReader.read(PlaybookDocument(file: "kecil.yaml", text: Self.valid))
        #expect(issues.count == 1)
        #expect(issues.first?.text.en.contains("must be named tiny.yaml") == true)
    }

    // MARK: Every playbook, every branch

    static let playbookIDs = ["hosting-intake", "fault-dispatch", "lan-installation", "lan-upkeep", "bandwidth-survey", "equipment-repair"]

    @Test(arguments: playbookIDs)
    func everyPathThroughThePlaybookRunsToDone(_ id: String) throws {
        let playbook = try Playbooks.named(id)
        let calendar = try Playbooks.officeCalendar()
        let machine = TicketMachine(playbook: playbook, calendar: calendar)
        let paths = Playbooks.paths(playbook)
        #expect(!paths.isEmpty)
        // Every branch of the playbook is taken by some path.
        let taken = Set(paths.flatMap { $0.compactMap(\.branch) })
        #expect(taken == playbook.branchNames)
        for path in paths {
            var now = Date.wita("2026-11-23 08:30")
            let opener = Playbooks.principal(for: playbook.firstStep.actor == .agency ? .agency : .supervisor)
            var transition = try machine.open(subject: "Uji \(id)", agency: "DINKES", by: opener, at: now)
            var ticket = transition.ticket
            var effects: [TicketEffect] = []
            for (stepID, branch) in path {
                #expect(ticket.current?.stepID == stepID)
                let step = playbook.step(stepID)!
                now = now.addingTimeInterval(600)
                transition = try machine.handle(.complete(evidence: Playbooks.evidence(for: step), branch: branch, note: nil, assignTo: nil),
                                                on: ticket, by: Playbooks.principal(for: step.actor), reason: nil, at: now)
                ticket = transition.ticket
                effects += transition.effects
            }
            #expect(ticket.status == .done, "\(id): \(path.map(\.step))")
            #expect(ticket.current == nil)
            #expect(ticket.visits.map(\.stepID) == path.map(\.step))
            #expect(ticket.visits.allSatisfy { $0.outcome == .completed && $0.endedAt != nil })
            // Branch escalations fired for the branches taken, once each.
            let branchRules = playbook.escalations.enumerated().filter { _, rule in
                if case .branch(let name) = rule.trigger { return path.contains { $0.branch == name } }
                return false
            }
            #expect(effects.count == branchRules.reduce(0) { $0 + ($1.element.notify == nil ? 0 : 1) + ($1.element.escalateTo == nil ? 0 : 1) })
            // Signatures are recorded as who and when.
            for (visit, stepID) in zip(ticket.visits, path.map(\.step)) where playbook.step(stepID)!.evidence.contains(.signature) {
                #expect(visit.evidence.contains { $0.kind == .signature && $0.value.hasPrefix(visit.completedBy!) })
            }
        }
    }

    // MARK: Roles

    func faultAtAssign() throws -> (TicketMachine, Ticket) {
        let playbook = try Playbooks.named("fault-dispatch")
        let machine = TicketMachine(playbook: playbook, calendar: .wita)
        let t0 = Date.wita("2026-11-23 09:00")
        var ticket = try machine.open(subject: "Putus", agency: "DINKES", by: Playbooks.principal(for: .agency), at: t0).ticket
        ticket = try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "mati")], branch: nil, note: nil, assignTo: nil),
                                    on: ticket, by: Playbooks.principal(for: .agency), reason: nil, at: t0).ticket
        return (machine, ticket)
    }

    @Test func aWrongRoleIsRefusedWithAClearMessage() throws {
        let (machine, ticket) = try faultAtAssign()
        let event = TicketEvent.complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil)
        #expect {
            try machine.handle(event, on: ticket, by: Playbooks.principal(for: .technician), reason: nil, at: .wita("2026-11-23 09:01"))
        } throws: { error in
            let text = (error as? TicketRefusal)?.text
            return text?.en.contains("is done by the Division/section head") == true && text?.en.contains("your role (Technician) may not do it") == true
                && text?.id.contains("peran Anda (Teknisi) tidak boleh") == true
        }
        // An agency user may not do an office step, nor a step of another agency's ticket.
        #expect(throws: TicketRefusal.self) {
            try machine.handle(event, on: ticket, by: Playbooks.principal(for: .agency), reason: nil, at: .wita("2026-11-23 09:01"))
        }
        let viewer = Principal(userID: 99, username: "lihat", role: .viewer)
        #expect(throws: TicketRefusal.self) { try machine.handle(.start, on: ticket, by: viewer, reason: nil, at: .wita("2026-11-23 09:01")) }
    }

    @Test func aHeadMayActForThoseBelowAndAnAdminCorrectsWithAReason() throws {
        let (machine, ticket) = try faultAtAssign()
        let event = TicketEvent.complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil)
        let head = Playbooks.principal(for: .head)
        let byHead = try machine.handle(event, on: ticket, by: head, reason: nil, at: .wita("2026-11-23 09:02"))
        #expect(byHead.ticket.visits[1].completedBy == "kadis")
        #expect(byHead.history[0].detail["for"] == "supervisor")
        let admin = Playbooks.principal(for: .admin)
        #expect {
            try machine.handle(event, on: ticket, by: admin, reason: nil, at: .wita("2026-11-23 09:02"))
        } throws: { ($0 as? TicketRefusal)?.text.en.contains("giving a reason") == true }
        let corrected = try machine.handle(event, on: ticket, by: admin, reason: "kabid sakit; ditugaskan lewat telepon", at: .wita("2026-11-23 09:02"))
        #expect(corrected.ticket.visits[1].correction == "kabid sakit; ditugaskan lewat telepon")
        #expect(corrected.history[0].detail["correction"] == "true")
    }

    @Test func evidenceIsRequiredAndChecked() throws {
        let playbook = try Playbooks.named("hosting-intake")
        let machine = TicketMachine(playbook: playbook, calendar: .wita)
        let clerk = Playbooks.principal(for: .clerk)
        let ticket = try machine.open(subject: "Server SIMPEG", agency: "BKPSDM", by: clerk, at: .wita("2026-11-23 09:00")).ticket
        // receive_request needs a letter number and an attachment.
        #expect {
            try machine.handle(.complete(evidence: [Evidence(kind: .letterNumber, value: "800/DKISP/12/IV/2026")], branch: nil, note: nil, assignTo: nil),
                               on: ticket, by: clerk, reason: nil, at: .wita("2026-11-23 09:05"))
        } throws: { ($0 as? TicketRefusal)?.text.en == "this step needs evidence: attachment" }
        #expect {
            try machine.handle(.complete(evidence: [Evidence(kind: .letterNumber, value: "nomor dua belas"), Evidence(kind: .attachment, value: "attachment:1 a.pdf")],
                                         branch: nil, note: nil, assignTo: nil), on: ticket, by: clerk, reason: nil, at: .wita("2026-11-23 09:05"))
        } throws: { ($0 as? TicketRefusal)?.text.en.contains("is not a letter number") == true }
        #expect(TicketMachine.evidenceProblem(.ipAddress, "10.20.0.300") != nil)
        #expect(TicketMachine.evidenceProblem(.ipAddress, "10.20.0.15, 2001:db8:20::15") == nil)
        #expect(TicketMachine.evidenceProblem(.dnsName, "simpeg..contohkab.go.id") != nil)
    }

    @Test func aBranchingStepNeedsAnOutcome() throws {
        let (machine, ticket0) = try faultAtAssign()
        let ticket = try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: "tek1"),
                                        on: ticket0, by: Playbooks.principal(for: .supervisor), reason: nil, at: .wita("2026-11-23 09:05")).ticket
        #expect(ticket.assignee == "tek1")
        let tech = Playbooks.principal(for: .technician)
        #expect {
            try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil), on: ticket, by: tech, reason: nil, at: .wita("2026-11-23 09:10"))
        } throws: { ($0 as? TicketRefusal)?.text.en == "choose this step's outcome: \"Fixed\" or \"Not fixed, needs the provider\"" }
        #expect {
            try machine.handle(.complete(evidence: [Evidence(kind: .note, value: "x")], branch: "maybe", note: nil, assignTo: nil), on: ticket, by: tech, reason: nil, at: .wita("2026-11-23 09:10"))
        } throws: { ($0 as? TicketRefusal)?.text.en == "\"maybe\" is not an outcome of this step; choose: fixed (Fixed), not_fixed (Not fixed, needs the provider)" }
    }

    @Test func escalationsFireOnceEachAndRaisePriority() throws {
        let playbook = try Playbooks.named("fault-dispatch")
        let machine = TicketMachine(playbook: playbook, calendar: .wita)
        var ticket = try machine.open(subject: "Putus", agency: "DINKES", by: Playbooks.principal(for: .agency), at: .wita("2026-11-23 09:00")).ticket
        // Walk to provider_repair (120 m standard; rules at 100 %, 150 % with raise_priority and escalate_to provider, 300 %).
        let path: [(String, String?)] = [("report", nil), ("assign", nil), ("repair", "not_fixed"), ("coordinate_provider", nil),
                                         ("report_progress", nil), ("report_progress_onward", nil)]
        for (stepID, branch) in path {
            let step = playbook.step(stepID)!
            ticket = try machine.handle(.complete(evidence: Playbooks.evidence(for: step), branch: branch, note: nil, assignTo: nil), on: ticket,
                                        by: Playbooks.principal(for: step.actor), reason: nil, at: .wita("2026-11-23 09:00")).ticket
        }
        #expect(ticket.current?.stepID == "provider_repair")
        #expect(machine.escalate(ticket, at: .wita("2026-11-23 10:59")).effects.isEmpty)
        let at100 = machine.escalate(ticket, at: .wita("2026-11-23 11:00"))
        #expect(at100.effects.count == 1)
        #expect(machine.escalate(at100.ticket, at: .wita("2026-11-23 11:01")).effects.isEmpty)   // once per visit
        let at150 = machine.escalate(at100.ticket, at: .wita("2026-11-23 12:00"))
        #expect(at150.ticket.priority == .high)
        #expect(at150.effects.contains { if case .escalate(.provider, _, _) = $0 { return true } else { return false } })
        let late = machine.escalate(ticket, at: .wita("2026-11-23 15:00"))   // a sweep that ran late fires all three
        #expect(late.history.filter { $0.kind == .escalated }.count == 3)
    }

    @Test func cancelAndReopen() throws {
        let (machine, ticket) = try faultAtAssign()
        let kabid = Playbooks.principal(for: .supervisor)
        #expect(throws: TicketRefusal.self) { try machine.handle(.cancel, on: ticket, by: kabid, reason: nil, at: .wita("2026-11-23 09:05")) }
        #expect(throws: TicketRefusal.self) { try machine.handle(.cancel, on: ticket, by: Playbooks.principal(for: .technician), reason: "x", at: .wita("2026-11-23 09:05")) }
        let cancelled = try machine.handle(.cancel, on: ticket, by: kabid, reason: "laporan ganda", at: .wita("2026-11-23 09:05")).ticket
        #expect(cancelled.status == .cancelled)
        #expect(throws: TicketRefusal.self) { try machine.handle(.start, on: cancelled, by: kabid, reason: nil, at: .wita("2026-11-23 09:06")) }
        let reopened = try machine.handle(.reopen, on: cancelled, by: kabid, reason: "bukan ganda", at: .wita("2026-11-23 09:10")).ticket
        #expect(reopened.status == .open)
        #expect(reopened.current?.stepID == "assign")
        #expect(reopened.visits.count == 3)
    }
}
