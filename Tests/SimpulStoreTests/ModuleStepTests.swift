import Foundation
import SimpulCore
import SimpulDNS
import SimpulServices
import Testing

extension Simpul {
    /// The admin's hosting step as the hosting page and `simpul hosting allocate` do it: the change,
    /// its DNS delivered at once through the outbox, then the step completed (or refused while DNS waits).
    @discardableResult
    func allocateDelivering(ticket id: Int64, pool: String? = nil, proceedWhileDNSWaits: String? = nil,
                            by principal: Principal) async throws -> HostingService.Request {
        let dns = await dnsRecords.published(try hosting.allocate(ticket: id, pool: pool, by: principal))
        return try hosting.finishAllocation(ticket: id, dns: dns, proceedWhileDNSWaits: proceedWhileDNSWaits, by: principal)
    }
}

/// Steps a module does (`done_by` in the playbook) are done only by that module: the generic ticket
/// service refuses them and names the module's page; the module completes them in the transaction
/// of its own change (issue 12, part 1).
extension HostingTests {
    @Test func theGenericFormsRefuseAStepTheHostingModuleDoes() async throws {
        let office = try Office(named: named)
        let filed = try office.simpul.hosting.file(office.form(host: "simlab", dns: "simlab"), by: office.users["dinkes"]!)
        let id = filed.ticketID
        try office.walk(id, until: "allocate_ip_dns")
        // The head completing the admin's step with made-up evidence, and the admin from the ticket's own form: both refused.
        for who in ["kadis", "admin1"] {
            #expect {
                try office.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .ipAddress, value: "10.20.0.99"), Evidence(kind: .dnsName, value: "x.contohkab.go.id")],
                                                            branch: nil, note: nil, assignTo: nil), reason: "koreksi", by: office.users[who]!)
            } throws: { error in
                let text = (error as? ServiceError)?.text.en ?? ""
                return text.contains("is done on the server hosting page (/hosting/\(id))")
            }
        }
        var detail = try office.simpul.tickets.detail(id, by: office.district.cli)
        #expect(detail.currentStep?.id == "allocate_ip_dns")
        #expect(TicketService.moduleLink(detail)?.path == "/hosting/\(id)")
        let allowed = TicketService.actions(detail, by: office.users["admin1"]!)
        #expect(allowed.complete == false && allowed.mayDo("hosting.allocate"))
        #expect(TicketService.actions(detail, by: office.users["tek1"]!).mayDo("hosting.allocate") == false)
        // One answer for the ticket page and the hosting page: the head may act for an admin's step, but
        // allocating needs the address and DNS rights hosting asks for, so neither page offers it.
        #expect(TicketService.actions(detail, by: office.users["kadis"]!).mayDo("hosting.allocate") == false)
        let shown = try office.simpul.hosting.request(ticket: id, by: office.users["kadis"]!)
        #expect(!HostingService.Action.allocate.available(for: office.users["kadis"]!, on: shown))
        #expect(HostingService.Action.allocate.available(for: office.users["admin1"]!, on: shown))

        // The module does it, with its own change: the address assigned and published.
        let allocated = try await office.simpul.allocateDelivering(ticket: id, by: office.users["admin1"]!)
        #expect(allocated.addressState == "assigned")
        detail = try office.simpul.tickets.detail(id, by: office.district.cli)
        #expect(detail.currentStep?.id == "install")
        // A repeated allocation (a double click on the hosting page) changes nothing.
        await #expect(throws: ServiceError.self) { try await office.simpul.allocateDelivering(ticket: id, by: office.users["admin1"]!) }
        #expect(try office.simpul.tickets.detail(id, by: office.district.cli).currentStep?.id == "install")
    }

    @Test func theAdminMayCarryOnWhileTheDNSServerIsAway() async throws {
        let office = try Office(named: named, keyFile: "/nonexistent/simpul.key")
        let id = try office.simpul.hosting.file(office.form(host: "simarsip", dns: "simarsip"), by: office.users["dinkes"]!).ticketID
        try office.walk(id, until: "allocate_ip_dns")
        // By default the request stays on its step while DNS waits.
        await #expect { try await office.simpul.allocateDelivering(ticket: id, by: office.users["admin1"]!) } throws: { ($0 as? ServiceError)?.kind == .conflict }
        #expect(try office.simpul.tickets.detail(id, by: office.district.cli).currentStep?.id == "allocate_ip_dns")
        // Carrying on is an explicit choice, recorded as the step's note; the records keep waiting.
        let request = try await office.simpul.allocateDelivering(ticket: id, proceedWhileDNSWaits: "DNS menunggu server DNS", by: office.users["admin1"]!)
        #expect(request.addressState == "assigned")
        let detail = try office.simpul.tickets.detail(id, by: office.district.cli)
        #expect(detail.currentStep?.id == "install")
        #expect(detail.history.contains { $0.kind == .completed && $0.stepID == "allocate_ip_dns" && $0.text == "DNS menunggu server DNS" })
    }

    /// A request left on its step because its DNS did not go out moves on by itself when the outbox
    /// later delivers the records: recorded as Simpul, not as a person's correction.
    @Test func theDNSServersConfirmationMovesTheTicketOnAsTheSystem() async throws {
        let wrongKey = named.directory.appendingPathComponent("wrong-system.key")
        try "key \"simpul-update\" { algorithm hmac-sha256; secret \"\(Data(repeating: 7, count: 32).base64EncodedString())\"; };\n"
            .write(to: wrongKey, atomically: true, encoding: .utf8)
        let office = try Office(named: named, keyFile: wrongKey.path)
        let id = try office.simpul.hosting.file(office.form(host: "simdes", dns: "simdes"), by: office.users["dinkes"]!).ticketID
        try office.walk(id, until: "allocate_ip_dns")
        await #expect(throws: ServiceError.self) { try await office.simpul.allocateDelivering(ticket: id, by: office.users["admin1"]!) }
        #expect(try office.simpul.hosting.request(ticket: id, by: office.district.cli).lastError != nil)

        // The timer's run an hour later, with the key mended: delivered, confirmed, and the ticket moves on.
        let mended = try TestDistrict(dns: DNSClient(keyFile: named.keyFile), path: office.district.path)
        mended.clock.now = office.district.clock.now.addingTimeInterval(3600)
        let run = await mended.simpul.outbox.deliverAllDue()
        #expect(!run.hasFailures && run.delivered >= 1)
        let request = try mended.simpul.hosting.request(ticket: id, by: office.district.cli)
        #expect(request.step == "install" && request.lastError == nil)
        #expect(try named.dig(["A", "simdes.contohkab.go.id"]) == [request.address!])
        let detail = try mended.simpul.tickets.detail(id, by: office.district.cli)
        let completed = try #require(detail.history.last { $0.kind == .completed && $0.stepID == "allocate_ip_dns" })
        #expect(completed.by == "simpul" && completed.detail["system"] == "true" && completed.detail["correction"] == nil)
        // No person can take the system's name.
        #expect(AccountRules.usernameProblem("simpul") != nil)
        // Nothing left for the admin to finish: the module's page now refuses a stale allocation.
        await #expect(throws: ServiceError.self) { try await mended.simpul.allocateDelivering(ticket: id, by: office.users["admin1"]!) }
    }
}
