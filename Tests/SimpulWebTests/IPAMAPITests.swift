import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Address API")
struct IPAMAPITests {
    let api = TicketAPITests()

    @Test func holdAssignShowAndReleaseOverHTTP() async throws {
        let fixture = try WebFixture()
        let admin = try api.token(fixture, "admin1"), tech = try api.token(fixture, "tek1")
        try await fixture.test { browser in
            let next = try await browser.get("/api/v1/pools/dc-server/next", headers: api.bearer(tech))
            let nextAddress = try api.object(next)["address"] as? String
            #expect(next.status == .ok && nextAddress == "10.20.0.10")
            // A hold with an idempotency key in the header; asked twice, the same address.
            var headers = api.bearer(admin)
            headers[HTTPField.Name("Idempotency-Key")!] = "intake-7"
            let body = Array(#"{"owner": "device:SRV-7", "hold_for": "2h"}"#.utf8)
            let first = try await browser.postRaw("/api/v1/pools/dc-server/addresses", headers: headers, contentType: "application/json", body: body)
            let again = try await browser.postRaw("/api/v1/pools/dc-server/addresses", headers: headers, contentType: "application/json", body: body)
            #expect(first.status == .ok && again.status == .ok)
            let held = try api.object(first)
            #expect(held["address"] as? String == "10.20.0.10" && held["state"] as? String == "held" && held["idempotencyKey"] as? String == "intake-7")
            let againID = try api.object(again)["id"] as? Int
            #expect(againID == held["id"] as? Int)
            // Assigned by the same owner: the hold becomes the assignment.
            let assigned = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-7", "state": "assign", "hostname": "simpeg"}"#)
            let assignedState = try api.object(assigned)["state"] as? String
            #expect(assignedState == "assigned")
            // A technician may look but not allocate.
            let refused = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", tech, #"{"owner": "device:SRV-8"}"#)
            #expect(refused.status == .forbidden)
            // A taken address is refused with who has it, in JSON.
            let taken = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-9", "address": "10.20.0.10"}"#)
            #expect(taken.status == .conflict && taken.body.contains("device:SRV-7"))
            let bad = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-9", "state": "keep"}"#)
            #expect(bad.status == .badRequest && bad.body.contains("hold, assign"))
            let list = try await browser.get("/api/v1/pools/dc-server/addresses?state=assigned", headers: api.bearer(tech))
            #expect(list.body.contains("10.20.0.10") && list.body.contains("simpeg"))
            let usage = try await browser.get("/api/v1/pools/usage", headers: api.bearer(tech))
            #expect(usage.body.contains(#""assigned":1"#))
            let released = try await browser.send("/api/v1/addresses/10.20.0.10?note=selesai", method: .delete, cookies: [:], headers: api.bearer(admin), form: nil)
            #expect(released.status == .ok)
            let shown = try api.object(try await browser.get("/api/v1/addresses/10.20.0.10", headers: api.bearer(tech)))
            #expect(shown["state"] as? String == "free" && (shown["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["held", "assigned", "released"])
        }
    }
}
