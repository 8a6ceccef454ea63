import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// Every free-text field has a limit, refused with a message that names the field and the limit,
/// and nothing is written: a 1.9 MB note never reaches the history, the audit log or a page.
@Suite("Free-text limits")
struct TextLimitTests {
    static let huge = String(repeating: "catatan panjang ", count: 125_000) // 2 000 000 characters

    @Test func servicesRefuseOverlongTextAndWriteNothing() throws {
        let fixture = try WebFixture()
        let auditBefore = try fixture.simpul.audit.recent(limit: 1, by: fixture.cli).total
        let kasi = try fixture.principal("kasi1")
        #expect { try fixture.simpul.tickets.open(playbook: "fault-dispatch", subject: "Internet mati", agency: "DINKES", note: Self.huge, by: kasi) }
            throws: { ($0 as? ServiceError)?.text.en.contains("the note is too long: 2000000 characters, at most 20000") == true }
        #expect { try fixture.simpul.tickets.open(playbook: "fault-dispatch", subject: String(repeating: "x", count: 201), agency: "DINKES", by: kasi) }
            throws: { ($0 as? ServiceError)?.kind == .invalid }
        let id = try fixture.openTicket("fault-dispatch", "Internet mati", agency: "DINKES")
        let historyBefore = try fixture.simpul.tickets.detail(id, by: fixture.cli).history.count
        #expect { try fixture.simpul.tickets.act(id, .complete(evidence: [], branch: nil, note: Self.huge, assignTo: nil), by: kasi) }
            throws: { ($0 as? ServiceError)?.kind == .invalid }
        #expect { try fixture.simpul.tickets.act(id, .cancel, reason: Self.huge, by: kasi) } throws: { ($0 as? ServiceError)?.kind == .invalid }
        #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).history.count == historyBefore)
        #expect {
            try fixture.simpul.ipam.hold(IPAMService.Request(pool: "dc-server", owner: "x", idempotencyKey: String(repeating: "k", count: 100_000)), by: fixture.cli)
        } throws: { ($0 as? ServiceError)?.text.en.contains("idempotency key is too long") == true }
        #expect { try fixture.simpul.accounts.add(username: "panjang", fullName: Self.huge, role: .viewer, agency: nil, password: "rahasia-sekali-42", by: fixture.cli) }
            throws: { ($0 as? ServiceError)?.kind == .invalid }
        // One ticket was opened above (audited); none of the refusals wrote anything.
        #expect(try fixture.simpul.audit.recent(limit: 1, by: fixture.cli).total == auditBefore + 1)
    }

    @Test func webFormsAndAPIBodiesRefuseOverlongFields() async throws {
        let fixture = try WebFixture()
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "kasi1", name: "t", by: fixture.cli)
        let id = try fixture.openTicket("fault-dispatch", "Internet mati", agency: "DINKES")
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let note = String(repeating: "a", count: 1_900_000)
            let page = try await browser.post("/tickets/\(id)/complete", cookies: agency.cookies, form: [("_csrf", agency.csrf), ("ev_note", note)])
            #expect(page.status == .badRequest)
            #expect(page.body.contains("terlalu panjang"))
            #expect(page.body.utf8.count < 100_000, "the refusal does not echo the input")
            let body = #"{"playbook":"fault-dispatch","subject":"x","agency":"DINKES","note":"\#(note)"}"#
            let api = try await browser.postRaw("/api/v1/tickets", headers: [.authorization: "Bearer \(secret)"], contentType: "application/json", body: Array(body.utf8))
            #expect(api.status == .badRequest && api.body.contains("too long") || api.body.contains("terlalu panjang"))
        }
    }
}
