import Foundation
import GRDB
import Testing
@testable import SimpulCore
@testable import SimpulServices
@_spi(Raw) @testable import SimpulStore

/// Tickets through the services on a real database file: every playbook end to end, versions,
/// the clock sweep, refusals that write nothing, and the compliance report.
@Suite("Tickets on playbooks")
struct TicketServiceTests {
    /// Monday 23 Nov 2026 08:30 WITA.
    static let monday = Date(timeIntervalSince1970: 1_795_393_800)

    struct Office {
        let district: TestDistrict
        var simpul: Simpul { district.simpul }
        var users: [String: Principal] = [:]

        init() throws {
            district = try TestDistrict(loadPlaybooks: true, now: TicketServiceTests.monday)
            for (name, role, agency) in [("kadis", Role.head, nil), ("kabid", .supervisor, nil), ("tek1", .technician, nil), ("tek2", .technician, nil),
                                         ("admin1", .admin, nil), ("clerk1", .clerk, nil), ("dinkes", .agency, "DINKES"), ("bkpsdm", .agency, "BKPSDM"),
                                         ("lihat", .viewer, nil)] as [(String, Role, String?)] {
                let user = try district.simpul.accounts.add(username: name, fullName: name.capitalized, role: role, agency: agency,
                                                            password: "Rahasia-Kantor-2026!", by: district.cli)
                users[name] = user.principal
            }
        }

        /// Who does a step of `actor` (in their own role, or for an outside actor).
        func doer(_ actor: StepActor) -> Principal {
            switch actor {
            case .agency: users["dinkes"]!
            case .provider, .technician: users["tek1"]!
            case .procurement, .clerk: users["clerk1"]!
            case .head: users["kadis"]!
            case .supervisor: users["kabid"]!
            case .admin: users["admin1"]!
            }
        }

        /// Evidence for a step; files are uploaded to the ticket first.
        func evidence(_ step: Step, ticket: Int64, by principal: Principal) throws -> [Evidence] {
            try step.evidence.compactMap { kind in
                switch kind {
                case .attachment:
                    Evidence(kind: kind, value: try simpul.tickets.attach(ticket, kind: kind, fileName: "surat-\(step.id).pdf",
                                                                          contentType: "application/pdf", data: Data("%PDF-1.4 \(step.id)".utf8), by: principal))
                case .photo:
                    Evidence(kind: kind, value: try simpul.tickets.attach(ticket, kind: kind, fileName: "\(step.id).jpg", contentType: "image/jpeg",
                                                                          data: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]), by: principal))
                case .signature: nil
                case .letterNumber: Evidence(kind: kind, value: "800/DKISP/12/XI/2026")
                case .ipAddress: Evidence(kind: kind, value: "10.20.0.15")
                case .dnsName: Evidence(kind: kind, value: "simpeg.contohkab.go.id")
                case .rackPosition: Evidence(kind: kind, value: "DC1-R01 U10-U11")
                case .note, .report: Evidence(kind: kind, value: "\(kind.rawValue) \(step.id)")
                }
            }
        }

        func complete(_ id: Int64, branch: String? = nil, minutes: Double = 5) throws {
            let detail = try simpul.tickets.detail(id, by: district.cli)
            let step = try #require(detail.currentStep)
            district.clock.advance(minutes * 60)
            let doer = doer(step.actor)
            try simpul.tickets.act(id, .complete(evidence: try evidence(step, ticket: id, by: doer), branch: branch, note: nil, assignTo: nil),
                                   by: doer)
        }
    }

    /// Every playbook whose steps people complete on the ticket; hosting-intake's allocation, install
    /// and monitoring are the hosting module's (done_by) and are walked by HostingTests, the LAN
    /// playbooks' by LANServiceTests, and bandwidth-survey's by SurveyServiceTests.
    @Test(arguments: ["fault-dispatch", "equipment-repair"])
    func everyPlaybookRunsEndToEnd(_ playbookID: String) throws {
        let office = try Office()
        let playbook = try office.simpul.playbooks.playbook(playbookID, by: office.district.cli).playbook
        // Each branch at least once: one ticket per branch of the first branching step, the rest default to the first branch.
        let branchSets: [[String: String]] = {
            let branching = playbook.steps.filter { !$0.exit.branches.isEmpty }
            guard !branching.isEmpty else { return [[:]] }
            return branching.flatMap { step in step.exit.branches.map { [step.id: $0.name] } }
        }()
        for choice in branchSets {
            let opener = playbook.firstStep.actor == .agency ? office.users["dinkes"]! : office.users["kabid"]!
            let id = try office.simpul.tickets.open(playbook: playbookID, subject: "Uji \(playbookID) \(choice)", agency: "DINKES", by: opener)
            var taken: [String: Int] = [:]
            var guardCount = 0
            while let step = try office.simpul.tickets.detail(id, by: office.district.cli).currentStep, guardCount < 30 {
                guardCount += 1
                var branch: String?
                if !step.exit.branches.isEmpty {
                    taken[step.id, default: 0] += 1
                    // The chosen branch the first time; afterwards the first branch that moves on (a loop is taken once).
                    let wanted = taken[step.id]! == 1 ? choice[step.id] : nil
                    branch = wanted ?? step.exit.branches.first { $0.target != .step(step.id) && !(taken[step.id]! > 1 && $0.name == choice[step.id]) }?.name
                        ?? step.exit.branches[0].name
                }
                try office.complete(id, branch: branch)
            }
            let detail = try office.simpul.tickets.detail(id, by: office.district.cli)
            #expect(detail.ticket.status == .done, "\(playbookID) \(choice)")
            for (stepID, name) in choice { #expect(detail.ticket.visits.contains { $0.stepID == stepID && $0.branch == name }) }
            let rows = try office.simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM ticket_steps WHERE ticket_id = ? AND outcome = 'completed'", arguments: [id]) }
            #expect(rows == detail.ticket.visits.count)
            #expect(detail.history.contains { $0.kind == .closed })
            // File evidence points at stored files of this ticket.
            for visit in detail.ticket.visits { for item in visit.evidence where item.kind.isFile { #expect(item.value.hasPrefix("attachment:")) } }
        }
        let verified = try office.simpul.audit.verify(by: office.district.cli)
        #expect(verified.problems.isEmpty)
    }

    @Test func anEditedPlaybookDoesNotChangeAnOpenTicket() throws {
        let office = try Office()
        let cli = office.district.cli
        let id = try office.simpul.tickets.open(playbook: "fault-dispatch", subject: "Putus", agency: "DINKES", by: office.users["dinkes"]!)
        try office.complete(id)   // report → assign
        // The office edits the SOP: the supervisor's two forwarding steps go, the repair standard becomes 30m.
        var documents = try PlaybookService.documents(inDirectory: TestDistrict.playbookFolder)
        let index = documents.playbooks.firstIndex { $0.file == "fault-dispatch.yaml" }!
        var text = documents.playbooks[index].text
        text = text.replacingOccurrences(of: "standard: 60m\n    needs: {id: \"Koneksi jaringan, tools jaringan\"", with: "standard: 30m\n    needs: {id: \"Koneksi jaringan, tools jaringan\"")
        #expect(text.contains("standard: 30m"))
        documents.playbooks[index].text = text
        // Same version with other content: refused, nothing loaded.
        #expect {
            try office.simpul.playbooks.load(documents, by: cli)
        } throws: { error in
            (error as? InventoryInvalid)?.issues.first?.text.en.contains("Raise version to 3") == true
        }
        documents.playbooks[index].text = text.replacingOccurrences(of: "version: 2 ", with: "version: 3 ")
        let report = try office.simpul.playbooks.load(documents, by: cli)
        #expect(report.added == ["fault-dispatch v3"])
        // The open ticket still runs on version 2: repair's standard is still 60 minutes.
        let detail = try office.simpul.tickets.detail(id, by: cli)
        #expect(detail.ticket.playbookVersion == 2)
        #expect(detail.headVersion == 3)
        #expect(detail.playbook.step("repair")?.standard == StandardTime("60m"))
        try office.complete(id)   // assign → repair
        let later = try office.simpul.tickets.detail(id, by: cli)
        #expect(later.clocks.current?.standard == 3600)
        // A new ticket starts on version 3.
        let fresh = try office.simpul.tickets.open(playbook: "fault-dispatch", subject: "Lambat", agency: "DINKES", by: office.users["dinkes"]!)
        #expect(try office.simpul.tickets.detail(fresh, by: cli).ticket.playbookVersion == 3)
    }

    @Test func aRefusedActionWritesNothing() throws {
        let office = try Office()
        let id = try office.simpul.tickets.open(playbook: "fault-dispatch", subject: "Putus", agency: "DINKES", by: office.users["dinkes"]!)
        try office.complete(id)
        let before = (try office.district.count("ticket_history"), try office.district.count("audit_log"), try office.district.count("outbox"))
        // A technician may not do the supervisor's assign step.
        #expect {
            try office.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil),
                                          by: office.users["tek1"]!)
        } throws: { ($0 as? ServiceError)?.text.en.contains("your role (Technician) may not do it") == true }
        // Assigning the next step to an agency user is refused too.
        #expect(throws: ServiceError.self) {
            try office.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: "dinkes"),
                                          by: office.users["kabid"]!)
        }
        // Another agency cannot even see the ticket.
        #expect { try office.simpul.tickets.detail(id, by: office.users["bkpsdm"]!) } throws: { ($0 as? ServiceError)?.kind == .notFound }
        let after = (try office.district.count("ticket_history"), try office.district.count("audit_log"), try office.district.count("outbox"))
        #expect(before == after)
    }

    @Test func theSweepFiresEscalationsOnceAndListsLateness() throws {
        let office = try Office()
        let id = try office.simpul.tickets.open(playbook: "fault-dispatch", subject: "Putus", agency: "DINKES", by: office.users["dinkes"]!)
        try office.complete(id)                       // report done; assign (10m) is current
        var report = try office.simpul.tickets.sweep()
        #expect(report.open == 1 && report.onTime == 1 && report.escalations == 0)
        var filter = TicketStore.Filter()
        filter.lateness = .late
        #expect(try office.simpul.tickets.list(filter, by: office.district.cli).total == 0)
        office.district.clock.advance(11 * 60)       // assign is late
        #expect(try office.simpul.tickets.list(filter, by: office.district.cli).total == 1)
        report = try office.simpul.tickets.sweep()
        #expect(report.late == 1 && report.escalations == 1 && report.ticketsEscalated == 1)
        #expect(try office.simpul.tickets.sweep().escalations == 0)   // once per visit
        let outbox = try office.simpul.database.read { try TicketStore.notifications($0, ticketID: id) }
        #expect(outbox.count == 1)
        #expect(outbox.first?.target == "role:supervisor")
        let work = try office.simpul.tickets.work(by: office.users["kabid"]!)
        #expect(work.forRole.map(\.id) == [id])
        #expect(work.notifications.count == 1)
        // The technician has nothing yet; after assignment it is theirs.
        #expect(try office.simpul.tickets.work(by: office.users["tek1"]!).assigned.isEmpty)
        try office.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "tek1")], branch: nil, note: nil, assignTo: "tek1"),
                                      by: office.users["kabid"]!)
        #expect(try office.simpul.tickets.work(by: office.users["tek1"]!).assigned.map(\.id) == [id])
        // The provider escalation goes to the provider of the agency's link.
        try office.complete(id, branch: "not_fixed")
        for _ in 0..<3 { try office.complete(id) }
        #expect(try office.simpul.tickets.detail(id, by: office.district.cli).currentStep?.id == "provider_repair")
        office.district.clock.advance(181 * 60)
        report = try office.simpul.tickets.sweep()
        #expect(report.escalations == 2)   // 100 % and 150 %
        let targets = try office.simpul.database.read { try TicketStore.notifications($0, ticketID: id).map(\.target) }
        #expect(targets.contains { $0.hasPrefix("provider:") && $0 != "provider:-" })
        #expect(try office.simpul.tickets.detail(id, by: office.district.cli).ticket.priority == .high)
    }

    @Test func theComplianceReportCountsStepsAgainstTheirStandards() throws {
        let office = try Office()
        // Three fault tickets: repairs of 30, 50 and 90 minutes against a 60-minute standard.
        for minutes in [30.0, 50, 90] {
            let id = try office.simpul.tickets.open(playbook: "fault-dispatch", subject: "Putus \(minutes)", agency: "DINKES", by: office.users["dinkes"]!)
            try office.complete(id, minutes: 1)
            try office.complete(id, minutes: 5)
            try office.complete(id, branch: "fixed", minutes: minutes)
            try office.complete(id, minutes: 5)
            try office.complete(id, minutes: 5)
        }
        let report = try office.simpul.compliance.report(playbook: "fault-dispatch", from: Self.monday.addingTimeInterval(-86_400),
                                                         to: office.district.clock.now.addingTimeInterval(60), by: office.district.cli)
        #expect(report.ticketsOpened == 3 && report.ticketsDone == 3)
        let repair = try #require(report.steps.first { $0.stepID == "repair" })
        #expect(repair.done == 3)
        #expect(repair.onTime == 2)
        #expect(abs((repair.onTimeShare ?? 0) - 2.0 / 3.0) < 1e-9)
        #expect(repair.median == 3000.0)
        #expect(repair.p90 == 5400.0)
        #expect(repair.byRole == ["technician": 3])
        #expect(report.steps.first { $0.stepID == "provider_repair" }?.done == 0)
        #expect(report.agencies.map(\.key) == ["DINKES"])
        #expect(Set(report.people.map(\.key)) == ["dinkes", "kabid", "tek1"])
        let csv = ComplianceService.csv(report, .en)
        #expect(csv.hasPrefix("section,key,name,actor,clock,standard,standard_minutes,done,on_time,on_time_percent,median_minutes,p90_minutes"))
        #expect(csv.contains("step,repair,Repair the network if the fault can be handled directly,technician,office,60m,60.0,3,2,66.7,50.0,90.0,,0"))
        // The viewer may read it; an agency may not.
        #expect(throws: ServiceError.self) {
            try office.simpul.compliance.report(playbook: "fault-dispatch", from: Self.monday, to: office.district.clock.now, by: office.users["dinkes"]!)
        }
    }

    @Test func attachmentsAreCheckedAndKept() throws {
        let office = try Office()
        let clerk = office.users["clerk1"]!
        let id = try office.simpul.tickets.open(playbook: "hosting-intake", subject: "Server SIMPEG", agency: "BKPSDM", by: clerk)
        #expect(throws: ServiceError.self) {
            try office.simpul.tickets.attach(id, kind: .photo, fileName: "x.pdf", contentType: "application/pdf", data: Data([1]), by: clerk)
        }
        #expect(throws: ServiceError.self) {
            try office.simpul.tickets.attach(id, kind: .attachment, fileName: "big.pdf", contentType: "application/pdf",
                                             data: Data(count: TicketService.maxAttachmentBytes + 1), by: clerk)
        }
        let value = try office.simpul.tickets.attach(id, kind: .attachment, fileName: "../../etc/surat permohonan.pdf", contentType: "application/pdf",
                                                     data: Data("%PDF".utf8), by: clerk)
        #expect(value.hasSuffix(" surat permohonan.pdf"))
        // Evidence that names a file of another ticket is refused.
        let other = try office.simpul.tickets.open(playbook: "hosting-intake", subject: "Server lain", agency: "BKPSDM", by: clerk)
        #expect(throws: ServiceError.self) {
            try office.simpul.tickets.act(other, .complete(evidence: [Evidence(kind: .letterNumber, value: "800/DKISP/1/XI/2026"), Evidence(kind: .attachment, value: value)],
                                                           branch: nil, note: nil, assignTo: nil), by: clerk)
        }
        try office.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .letterNumber, value: "800/DKISP/1/XI/2026"), Evidence(kind: .attachment, value: value)],
                                                    branch: nil, note: nil, assignTo: nil), by: clerk)
        let attachmentID = Int64(value.dropFirst("attachment:".count).prefix { $0.isNumber })!
        let (info, data) = try office.simpul.tickets.attachment(attachmentID, by: clerk)
        #expect(data == Data("%PDF".utf8))
        #expect(info.sha256.count == 64 && info.size == 4 && info.fileName == "surat permohonan.pdf")
        #expect(throws: ServiceError.self) { try office.simpul.tickets.attachment(attachmentID, by: office.users["dinkes"]!) }
    }
}
