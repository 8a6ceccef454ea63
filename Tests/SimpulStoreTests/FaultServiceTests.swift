import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// Fault reports (issue 13): a fault is about a link or device of its agency; a second report about
/// the same one is attached, never a second ticket; the work log on the repair step says fixed or
/// not; the result records cause and resolution; past faults like it are found by their words.
@Suite("Fault reports")
struct FaultServiceTests {
    let district: TestDistrict
    let users: [String: Principal]

    init() throws {
        district = try TestDistrict(loadPlaybooks: true)
        var made: [String: Principal] = [:]
        for (name, role, agency) in [("kasi", Role.supervisor, nil), ("tek", .technician, nil), ("clerk1", .clerk, nil), ("opd", .agency, "DINKES"),
                                     ("opd2", .agency, "SETDA"), ("lihat", .viewer, nil)] as [(String, Role, String?)] {
            _ = try district.simpul.accounts.add(username: name, fullName: name, role: role, agency: agency, password: "Rahasia-sangat-12345",
                                                 by: district.cli)
            made[name] = try district.simpul.accounts.user(name, by: district.cli).principal
        }
        users = made
    }

    var faults: FaultService { district.simpul.faults }

    func report(link: String? = "NUS-CKB-0008", device: String? = nil, agency: String? = "DINKES", contact: String? = "0812 555 0101",
                symptom: FaultSymptom = .noConnection, description: String = "Internet mati sejak pagi", external: String? = nil,
                channel: FaultChannel = .phone) -> FaultService.Report {
        FaultService.Report(agency: agency, link: link, device: device, channel: channel, reporterName: "Budi", reporterContact: contact,
                            symptom: symptom, description: description, externalID: external)
    }

    @Test func aPhonedInFaultIsRecordedWithItsLinkAndTheReportStepDone() throws {
        let opened = try faults.open(report(), by: users["clerk1"]!)
        #expect(opened.kind == .opened)
        let detail = try faults.fault(ticket: opened.ticketID, by: users["kasi"]!)
        #expect(detail.fault.circuit == "NUS-CKB-0008" && detail.fault.agencyCode == "DINKES" && detail.fault.linkProviderCode == "NUSANET")
        #expect(detail.fault.step == "assign" && detail.fault.open)
        let ticket = try district.simpul.tickets.detail(opened.ticketID, by: users["kasi"]!)
        let reported = try #require(ticket.history.first { $0.kind == .completed && $0.stepID == "report" })
        #expect(reported.by == "clerk1" && reported.detail["on_behalf_of"] == "agency")
        #expect(ticket.ticket.priority == .high)
        // The agency's own user follows it; another agency's does not see it.
        #expect(try faults.fault(ticket: opened.ticketID, by: users["opd"]!).fault.ticketID == opened.ticketID)
        #expect(throws: ServiceError.self) { try faults.fault(ticket: opened.ticketID, by: users["opd2"]!) }
        #expect(try faults.list(FaultStore.Filter(), by: users["opd2"]!).rows.isEmpty)
    }

    @Test func aSecondReportAboutTheSameLinkIsAttachedAndARepeatedOneIsKeptOnce() throws {
        let first = try faults.open(report(external: "wa-1"), by: users["clerk1"]!)
        let second = try faults.open(report(contact: "0813", description: "Masih mati", external: "wa-2"), by: users["opd"]!)
        #expect(second.kind == .attached && second.ticketID == first.ticketID)
        let again = try faults.open(report(contact: "0813", description: "Masih mati", external: "wa-2"), by: users["opd"]!)
        #expect(again.kind == .repeated && again.ticketID == first.ticketID)
        #expect(try faults.fault(ticket: first.ticketID, by: users["kasi"]!).reports.map(\.description) == ["Internet mati sejak pagi", "Masih mati"])
        #expect(try district.count("tickets") == 1)
        // Another link of another agency is a fault of its own.
        let other = try faults.open(report(link: nil, device: "rtr-setda", agency: "SETDA"), by: users["clerk1"]!)
        #expect(other.kind == .opened && other.ticketID != first.ticketID)
    }

    @Test func badReportsAreRefusedWithTheReasonAndWriteNothing() throws {
        func refusal(_ report: FaultService.Report, by user: String = "clerk1") -> String {
            do { _ = try faults.open(report, by: users[user]!); return "accepted" } catch let e as ServiceError { return e.text.en } catch { return "\(error)" }
        }
        #expect(refusal(report(link: nil, agency: "NOPE")).contains("agency \"NOPE\" does not exist"))
        #expect(refusal(report(link: "NO-SUCH-LINK")).contains("not in the inventory"))
        #expect(refusal(report(link: "NUS-CKB-0001")).contains("is not DINKES's"))
        #expect(refusal(report(link: nil, device: "rtr-setda")).contains("is not DINKES's"))
        #expect(refusal(report(contact: nil)).contains("how to reach the reporter"))
        #expect(refusal(report(contact: "   ")).contains("how to reach the reporter"))
        #expect(refusal(report(description: String(repeating: "x", count: 4001))).contains("description"))
        #expect(refusal(report(link: nil, agency: "SETDA"), by: "opd").contains("your own agency"))
        #expect(refusal(report(), by: "lihat").contains("viewer"))
        var ancient = report()
        ancient.startedAt = Date(timeIntervalSince1970: 0)
        #expect(refusal(ancient).contains("more than 90 days ago"))
        var tomorrow = report()
        tomorrow.startedAt = district.clock.now.addingTimeInterval(86_400)
        #expect(refusal(tomorrow).contains("in the future"))
        #expect(try district.count("faults") == 0 && district.count("tickets") == 0 && district.count("fault_reports") == 0)
        // The poller reports without a contact.
        #expect(try faults.open(report(contact: nil, channel: .monitoring), by: .system).kind == .opened)
    }

    @Test func theRepairIsLoggedAndTheResultClosesTheFault() throws {
        let id = try faults.open(report(), by: users["clerk1"]!).ticketID
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek"),
                                        by: users["kasi"]!)
        // Progress first: the step stays; then fixed completes the repair.
        try faults.log(ticket: id, FaultService.LogForm(checked: "ONT", found: "lampu LOS merah", outcome: .progress), by: users["tek"]!)
        #expect(try faults.fault(ticket: id, by: users["tek"]!).fault.step == "repair")
        #expect(throws: ServiceError.self) { try faults.log(ticket: id, FaultService.LogForm(outcome: .fixed), by: users["tek"]!) }
        #expect(throws: ServiceError.self) { try faults.log(ticket: id, FaultService.LogForm(did: "x", outcome: .fixed), by: users["clerk1"]!) }
        // Closing before the result step is refused with where it stands.
        let early = #expect(throws: ServiceError.self) { try faults.close(ticket: id, cause: .power, resolution: "x", by: users["tek"]!) }
        #expect(early?.text.en.contains("log the repair first") == true)
        try faults.log(ticket: id, FaultService.LogForm(did: "kabel patch diganti", outcome: .fixed), by: users["tek"]!)
        #expect(try faults.fault(ticket: id, by: users["tek"]!).fault.step == "report_result")
        let closed = try faults.close(ticket: id, cause: .deviceFailure, resolution: "Kabel patch rusak diganti; koneksi normal", by: users["tek"]!)
        #expect(closed.fault.cause == .deviceFailure && closed.log.count == 2)
        #expect(closed.fault.step == "report_result_onward")
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .report, value: "diteruskan")], branch: nil, note: nil, assignTo: nil),
                                        by: users["kasi"]!)
        let done = try faults.fault(ticket: id, by: users["kasi"]!).fault
        #expect(done.status == .done && !done.open)
        // Closed: a new report about the same link is a new fault, which finds this one as its precedent.
        let next = try faults.open(report(symptom: .slow, description: "lambat, kabel patch lagi?"), by: users["clerk1"]!)
        #expect(next.kind == .opened)
        let similar = try faults.fault(ticket: next.ticketID, by: users["kasi"]!).similar
        #expect(similar.first?.fault.ticketID == id && similar.first?.sameLink == true)
        #expect(try faults.fault(ticket: next.ticketID, by: users["opd"]!).similar.isEmpty)
    }

    @Test func notFixedGoesToTheProviderAndCancellingFreesTheLink() throws {
        let id = try faults.open(report(), by: users["clerk1"]!).ticketID
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek"),
                                        by: users["kasi"]!)
        try faults.log(ticket: id, FaultService.LogForm(checked: "ONT", found: "tidak ada sinyal dari penyedia", outcome: .notFixed), by: users["tek"]!)
        #expect(try faults.fault(ticket: id, by: users["tek"]!).fault.step == "coordinate_provider")
        try district.simpul.tickets.act(id, .cancel, reason: "laporan ganda", by: users["kasi"]!)
        #expect(try faults.fault(ticket: id, by: users["kasi"]!).fault.open == false)
        let again = try faults.open(report(), by: users["clerk1"]!)
        #expect(again.kind == .opened)
        // The cancelled one cannot come back while the link has another open fault.
        let reopen = #expect(throws: ServiceError.self) { try district.simpul.tickets.act(id, .reopen, reason: "bukan ganda", by: users["kasi"]!) }
        #expect(reopen?.text.en.contains("already has an open fault #\(again.ticketID)") == true)
    }

    @Test func theShippedPlaybookLetsOnlyTheFaultModuleOpenAndRepair() throws {
        let shipped = try TestDistrict(loadPlaybooks: true, playbooks: TestDistrict.shippedPlaybookFolder)
        _ = try shipped.simpul.accounts.add(username: "kasi", fullName: "kasi", role: .supervisor, agency: nil, password: "Rahasia-sangat-12345", by: shipped.cli)
        let kasi = try shipped.simpul.accounts.user("kasi", by: shipped.cli).principal
        let generic = #expect(throws: ServiceError.self) {
            try shipped.simpul.tickets.open(playbook: "fault-dispatch", subject: "Internet putus", agency: "DINKES", by: kasi)
        }
        #expect(generic?.text.en.contains("/faults/new") == true)
        let id = try shipped.simpul.faults.open(report(), by: kasi).ticketID
        try shipped.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "saya sendiri")], branch: nil, note: nil, assignTo: nil), by: kasi)
        let repair = #expect(throws: ServiceError.self) {
            try shipped.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "beres")], branch: "fixed", note: nil, assignTo: nil), by: kasi)
        }
        #expect(repair?.text.en.contains("/faults/\(id)") == true)
        try shipped.simpul.faults.log(ticket: id, FaultService.LogForm(did: "ONT di-restart", outcome: .fixed), by: kasi)
        #expect(try shipped.simpul.faults.fault(ticket: id, by: kasi).fault.step == "report_result")
    }

    // MARK: The provider

    func onRepair() throws -> Int64 {
        let id = try faults.open(report(), by: users["clerk1"]!).ticketID
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek"),
                                        by: users["kasi"]!)
        return id
    }

    func mails(_ ticket: Int64) throws -> [MailMessage] {
        try district.simpul.outbox.list(OutboxStore.Filter(channel: .mail, ticketID: ticket, limit: 50), by: district.cli).rows
            .sorted { $0.id < $1.id }
            .map { try StoredJSON.decode(MailMessage.self, from: $0.payload) }
    }

    @Test func notFixedEscalatesToTheProviderOfTheFaultsOwnCircuitWithItsEvidence() throws {
        let id = try onRepair()
        #expect(throws: ServiceError.self) { try faults.acknowledge(ticket: id, providerTicket: "X", by: users["tek"]!) }
        try faults.log(ticket: id, FaultService.LogForm(checked: "ONT & kabel", found: "tidak ada sinyal <dari> penyedia", outcome: .notFixed), by: users["tek"]!)
        let fault = try faults.fault(ticket: id, by: users["kasi"]!)
        #expect(fault.fault.providerCode == "NUSANET" && fault.fault.escalationLevel == 1 && fault.fault.escalatedAt != nil)
        #expect(fault.providerEvents.map(\.kind) == [.escalated])
        let sent = try mails(id)
        let mail = try #require(sent.first)
        #expect(sent.count == 1 && mail.to == ["noc@nusanet.example.net"])
        #expect(mail.subject.contains("NUS-CKB-0008") && mail.subject.contains("tingkat 1"))
        // The circuit, the agency, the outage start, what the technician found (not HTML-escaped), the SLA.
        #expect(mail.body.contains("Sirkuit        : NUS-CKB-0008") && mail.body.contains("Dinas Kesehatan"))
        #expect(mail.body.contains("tidak ada sinyal <dari> penyedia") && mail.body.contains("respons 30 menit"))
        #expect(mail.messageID == MailMessage.messageID(for: "fault:\(id):provider:1:mail", domain: "contohkab.go.id"))
        // Escalating again goes one level up, threaded under the first.
        #expect(try faults.escalate(ticket: id, by: users["tek"]!).level == 2)
        let second = try #require(try mails(id).last)
        #expect(second.to == ["rina.kartika@nusanet.example.net"] && second.cc == ["noc@nusanet.example.net"] && second.inReplyTo == mail.messageID)
        try faults.acknowledge(ticket: id, providerTicket: "NUS-4411", by: users["tek"]!)
        #expect(throws: ServiceError.self) { try faults.acknowledge(ticket: id, providerTicket: "again", by: users["tek"]!) }
        #expect(try faults.fault(ticket: id, by: users["kasi"]!).fault.providerTicket == "NUS-4411")
    }

    @Test func noAcknowledgementInTimeSendsTheNextLevelAndARestorationDoesTheProvidersStep() throws {
        let id = try onRepair()
        try faults.log(ticket: id, FaultService.LogForm(found: "LOS", outcome: .notFixed), by: users["tek"]!)
        // NUSANET: response 30 min; level 2 after 120 min.
        district.clock.advance(60 * 60)
        #expect(try district.simpul.tickets.sweep().moduleActions == 0)
        district.clock.advance(61 * 60)
        #expect(try district.simpul.tickets.sweep().moduleActions == 1)
        #expect(try faults.fault(ticket: id, by: users["kasi"]!).fault.escalationLevel == 2)
        #expect(try district.simpul.tickets.sweep().moduleActions == 0)
        // Restored while the office still reports progress: the provider's step is done when the ticket gets there.
        try faults.restore(ticket: id, note: "ONT diganti", by: users["tek"]!)
        let kasi = users["kasi"]!, tek = users["tek"]!
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "NOC 4411")], branch: nil, note: nil, assignTo: "tek"), by: tek)
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .report, value: "menunggu")], branch: nil, note: nil, assignTo: nil), by: tek)
        try district.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .report, value: "diteruskan")], branch: nil, note: nil, assignTo: "tek"), by: kasi)
        let now = try faults.fault(ticket: id, by: kasi)
        #expect(now.fault.step == "report_result" && now.fault.restoredAt != nil)
        #expect(now.providerEvents.map(\.kind) == [.escalated, .escalated, .restored])
        let ticket = try district.simpul.tickets.detail(id, by: kasi)
        #expect(ticket.history.contains { $0.kind == .completed && $0.stepID == "provider_repair" && $0.by == "simpul" })
    }

    @Test func aTemplateWithAnUnknownPlaceholderIsRefusedAndASavedOneIsUsed() throws {
        let name = MessageTemplate.providerEscalationMail.name
        let refused = #expect(throws: ServiceError.self) {
            try district.simpul.templates.save(name, subject: "Gangguan {{circuit}}", body: "Sirkuit {{circiut}}", by: district.cli)
        }
        #expect(refused?.text.en.contains("{{circiut}}") == true && refused?.text.en.contains("circuit") == true)
        #expect(throws: ServiceError.self) { try district.simpul.templates.save(name, subject: "x", body: "{{#circuit}}", by: district.cli) }
        #expect(throws: ServiceError.self) { try district.simpul.templates.save(name, subject: "x", body: "y", by: users["tek"]!) }
        _ = try district.simpul.templates.save(name, subject: "GANGGUAN {{circuit}} & co", body: "Tolong: {{agency}} sejak {{outage_started}}", by: district.cli)
        let id = try onRepair()
        try faults.log(ticket: id, FaultService.LogForm(found: "LOS", outcome: .notFixed), by: users["tek"]!)
        let mail = try #require(try mails(id).first)
        #expect(mail.subject == "GANGGUAN NUS-CKB-0008 & co" && mail.body.hasPrefix("Tolong: Dinas Kesehatan sejak "))
    }

    @Test func aPartUsedInTheWorkLogLeavesTheStockInTheSameTransaction() throws {
        let id = try onRepair()
        _ = try district.simpul.parts.add(code: "PC-UTP-2M", name: "Patch cord UTP 2 m", unit: "buah", minimum: 2, location: "Gudang", by: district.cli)
        _ = try district.simpul.parts.receive(code: "PC-UTP-2M", quantity: 3, note: "pengadaan", by: district.cli)
        // More than in stock: the whole entry is refused, nothing logged, nothing taken, the step unchanged.
        let tooMany = #expect(throws: ServiceError.self) {
            try faults.log(ticket: id, FaultService.LogForm(did: "ganti patch cord", outcome: .fixed, parts: [("PC-UTP-2M", 5)]), by: users["tek"]!)
        }
        #expect(tooMany?.text.en.contains("3") == true)
        #expect(try faults.fault(ticket: id, by: users["tek"]!).log.isEmpty && faults.fault(ticket: id, by: users["tek"]!).fault.step == "repair")
        #expect(throws: ServiceError.self) {
            try faults.log(ticket: id, FaultService.LogForm(did: "x", outcome: .progress, parts: [("NO-SUCH-PART", 1)]), by: users["tek"]!)
        }
        try faults.log(ticket: id, FaultService.LogForm(did: "ganti patch cord", outcome: .fixed, parts: [("PC-UTP-2M", 2)]), by: users["tek"]!)
        let part = try #require(try district.simpul.parts.list(by: district.cli).first { $0.code == "PC-UTP-2M" })
        #expect(part.quantity == 1 && part.isLow)
        #expect(try faults.fault(ticket: id, by: users["tek"]!).fault.step == "report_result")
    }
}
