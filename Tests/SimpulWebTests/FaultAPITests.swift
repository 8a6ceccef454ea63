import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// `POST /api/v1/faults` (issue 13): a WhatsApp gateway's reports, deduplicated as on the form; a
/// bad token or body gets 401/422 with the reason and stores nothing.
@Suite("Fault API")
struct FaultAPITests {
    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    func object(_ page: Browser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any], "\(page.body.prefix(300))")
    }

    @Test func aGatewayReportsAndARepeatIsKeptOnce() async throws {
        let fixture = try WebFixture()
        let token = try fixture.simpul.accounts.createToken(username: "clerk1", name: "gateway", by: try fixture.principal("clerk1")).1
        try await fixture.test { browser in
            func post(_ json: String, token: String = token) async throws -> Browser.Page {
                try await browser.postRaw("/api/v1/faults", headers: bearer(token), contentType: "application/json", body: Array(json.utf8))
            }
            let body = #"{"link": "NUS-CKB-0008", "symptom": "no_connection", "reporter": "Gateway WA", "contact": "+62 812", "description": "mati", "external_id": "wa-77", "channel": "whatsapp"}"#
            var page = try await post(body)
            #expect(page.status == .created)
            let first = try object(page)
            let id = try #require(first["ticket"] as? Int)
            #expect(first["result"] as? String == "opened" && (first["fault"] as? [String: Any])?["agency"] as? String == "DINKES")
            page = try await post(body)
            let repeated = try object(page)
            #expect(page.status == .ok && repeated["result"] as? String == "repeated" && repeated["ticket"] as? Int == id)
            page = try await post(#"{"link": "NUS-CKB-0008", "symptom": "slow", "reporter": "Operator", "contact": "0813", "external_id": "wa-78"}"#)
            let attached = try object(page)
            #expect(attached["result"] as? String == "attached")
            page = try await browser.get("/api/v1/faults/\(id)", headers: bearer(token))
            let read = try object(page)
            #expect(page.status == .ok && read["link"] as? String == "NUS-CKB-0008")

            // Bad token, bad bodies: the reason, and nothing stored.
            let cli = fixture.cli
            func stored() throws -> Int {
                try fixture.simpul.faults.list(FaultStore.Filter(), by: cli).rows.reduce(0) { $0 + (try fixture.simpul.faults.fault(ticket: $1.ticketID, by: cli).reports.count) }
            }
            let before = try stored()
            #expect(try await post(body.replacingOccurrences(of: "wa-77", with: "wa-99"), token: "nope").status == .unauthorized)
            // A body that is read but refused is 422; one that cannot be read as a report is 400.
            for (bad, says, status) in [
                (#"{"link": "NUS-CKB-0008", "symptom": "meledak", "reporter": "x", "contact": "1"}"#, "symptom", HTTPResponse.Status.unprocessableContent),
                (#"{"link": "NUS-CKB-0008", "symptom": "slow", "reporter": "x"}"#, "reach the reporter", .unprocessableContent),
                (#"{"link": "NO-SUCH", "symptom": "slow", "reporter": "x", "contact": "1"}"#, "not in the inventory", .unprocessableContent),
                (#"{"link": "NUS-CKB-0008", "symptom": "slow", "reporter": "x", "contact": "1", "started_at": "kemarin"}"#, "started_at", .unprocessableContent),
                (#"{"symptom": "slow", "contact": "1"}"#, "reporter", .badRequest),
                (#"{"link": 5, "symptom": "slow", "reporter": "x", "contact": "1"}"#, "link", .badRequest),
                (#"not json"#, "JSON", .badRequest),
            ] {
                let refused = try await post(bad)
                #expect(refused.status == status, "\(bad): \(refused.status)")
                #expect(refused.body.contains(says), "\(bad) → \(refused.body)")
            }
            let after = try stored()
            #expect(after == before && before == 2)
        }
    }
}
