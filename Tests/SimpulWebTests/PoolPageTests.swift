import Foundation
import SimpulCore
import SimpulServices
import Testing

@Suite("Pool pages")
struct PoolPageTests {
    @Test func anAdminHoldsAssignsAndReleasesFromThePoolPage() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("admin1")
            let list = try await browser.get("/pools", cookies: session.cookies)
            #expect(list.status == .ok && list.body.contains(#"href="/pools/dc-server""#))
            var page = try await browser.get("/pools/dc-server", cookies: session.cookies)
            #expect(page.text(ofID: "pool-next") == "10.20.0.10")
            // Hold the next free address, then assign it to the same owner: one address.
            page = try await browser.post("/pools/dc-server/addresses", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("owner", "device:SRV-5"), ("hostname", "simpeg"), ("holdFor", "48h"), ("state", "hold")])
            #expect(page.status == .ok && page.text(ofID: "pool-notice") == "10.20.0.10 ditahan untuk perangkat SRV-5.")
            #expect(page.text(ofID: "pool-next") == "10.20.0.11")
            page = try await browser.post("/pools/dc-server/addresses", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("owner", "device:SRV-5"), ("state", "assign")])
            #expect(page.text(ofID: "pool-notice") == "10.20.0.10 diberikan kepada perangkat SRV-5.")
            #expect(page.element("ip-10.20.0.10", closing: "tr")?.contains("ip-assigned") == true)
            // A reserved address is refused with the reason, and the form keeps what was typed.
            page = try await browser.post("/pools/dc-server/addresses", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("owner", "device:SRV-6"), ("address", "10.20.0.3"), ("state", "assign")])
            #expect(page.status == .conflict)
            #expect(page.text(ofID: "pool-error")?.contains("dicadangkan: Perangkat jaringan pusat data") == true)
            #expect(page.body.contains(#"value="10.20.0.3""#))
            // Use on the list page.
            let used = try await browser.get("/pools", cookies: session.cookies)
            // An Indonesian page writes the decimal comma (issue 11, item 18; this asserted "0.4 %" before).
            #expect(used.element("pool-dc-server", closing: "tr")?.contains("0,4 %") == true)
            page = try await browser.post("/pools/dc-server/release", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("address", "10.20.0.10")])
            #expect(page.text(ofID: "confirm-question") == "Kembalikan alamat 10.20.0.10 ke pool?", "one tap asks first")
            #expect(page.body.contains(#"<input type="hidden" name="address" value="10.20.0.10">"#))
            page = try await browser.post("/pools/dc-server/release", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("address", "10.20.0.10"), ("confirm", "yes")])
            #expect(page.text(ofID: "pool-notice") == "10.20.0.10 (perangkat SRV-5) dikembalikan ke pool.")
            #expect(page.text(ofID: "pool-next") == "10.20.0.10")
        }
    }

    @Test func othersSeeThePoolButNoForms() async throws {
        let fixture = try WebFixture()
        _ = try fixture.simpul.ipam.assign(.init(pool: "dc-server", owner: "device:WEB"), by: try fixture.principal("admin1"))
        try await fixture.test { browser in
            let session = try await browser.logIn("tek1")
            let page = try await browser.get("/pools/dc-server", cookies: session.cookies)
            #expect(page.status == .ok && page.body.contains("perangkat WEB") && !page.body.contains(#"id="allocate-form""#))
            let refused = try await browser.post("/pools/dc-server/addresses", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("owner", "device:SRV-5")])
            #expect(refused.status == .forbidden)
            let missing = try await browser.get("/pools/nope", cookies: session.cookies)
            #expect(missing.status == .notFound)
        }
    }
}
