import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// The spare-parts pages (issue 13): the stock with parts below their minimum first and marked,
/// the forms to add a part, receive stock, use it on a ticket and correct it; a bad form back with
/// the reason and what was typed; the dashboard's card of parts below their minimum; the JSON list.
@Suite("Spare-parts pages")
struct PartPageTests {
    /// A repair ticket to use parts on.
    func repairTicket(_ fixture: WebFixture) throws -> Int64 {
        try fixture.simpul.tickets.open(playbook: "equipment-repair", subject: "Switch lantai 2 mati", agency: "DINKES", by: try fixture.principal("kasi1"))
    }

    @Test func theStockIsKeptFromItsPagesAndABadFormComesBackWithWhatWasTyped() async throws {
        let fixture = try WebFixture()
        let ticket = try repairTicket(fixture)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            var page = try await browser.get("/parts", cookies: kasi.cookies)
            #expect(page.status == .ok && page.body.contains(#"id="nav-parts" href="/parts" aria-current="page""#) && page.body.contains(#"id="part-add-form""#))
            #expect(!page.body.contains(#"id="part-receive-form""#), "nothing to receive into yet")
            // A unit that is not a word: refused with the reason, the typed fields kept, nothing written.
            var form: [(String, String)] = [("_csrf", kasi.csrf), ("code", "pc-utp-2m"), ("name", "Patch cord UTP Cat6 2 m"), ("unit", "2 buah"),
                                            ("minimum", "10"), ("location", "Lemari A1")]
            page = try await browser.post("/parts", cookies: kasi.cookies, form: form)
            #expect(page.status == .badRequest)
            #expect(page.text(ofID: "part-add-error")?.contains("satuan \"2 buah\"") == true)
            #expect(page.inputValue("name") == "Patch cord UTP Cat6 2 m" && page.inputValue("location") == "Lemari A1")
            #expect(try fixture.simpul.parts.list(by: fixture.cli).isEmpty)
            form[3] = ("unit", "buah")
            form[4] = ("minimum", "99999999999999999999")
            page = try await browser.post("/parts", cookies: kasi.cookies, form: form)
            #expect(page.status == .badRequest && page.text(ofID: "part-add-error")?.contains("batas minimum") == true)
            form[4] = ("minimum", "10")
            page = try await browser.post("/parts", cookies: kasi.cookies, form: form)
            #expect(page.status == .seeOther && page.location == "/parts/PC-UTP-2M?done=add")
            page = try await browser.post("/parts", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("code", "SFP-10G-LR"), ("name", "Modul SFP+ 10G LR"), ("unit", "buah"), ("minimum", "2"),
            ])
            #expect(page.status == .seeOther)

            // Stock received from the list: a bad quantity comes back with the note typed.
            page = try await browser.post("/parts/receive", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("code", "PC-UTP-2M"), ("quantity", "dua belas"), ("note", "BAST 027/DKISP/XI/2026"),
            ])
            #expect(page.status == .badRequest && page.text(ofID: "part-receive-error")?.contains("jumlah diterima") == true)
            #expect(page.inputValue("note") == "BAST 027/DKISP/XI/2026")
            page = try await browser.post("/parts/receive", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("code", "PC-UTP-2M"), ("quantity", "12"), ("note", "BAST 027/DKISP/XI/2026"),
            ])
            #expect(page.status == .seeOther && page.location == "/parts?done=receive")
            page = try await browser.get("/parts?done=receive", cookies: kasi.cookies)
            #expect(page.text(ofID: "parts-notice") == "Penerimaan stok dicatat.")
            let list = try #require(page.element("parts-list", closing: "table"))
            #expect(page.element("part-PC-UTP-2M", closing: "tr")?.contains("12 buah") == true)
            // The part below its minimum is first and marked; the other is not marked.
            let low = try #require(list.range(of: #"id="part-SFP-10G-LR""#)), ok = try #require(list.range(of: #"id="part-PC-UTP-2M""#))
            #expect(low.lowerBound < ok.lowerBound)
            #expect(page.element("part-SFP-10G-LR", closing: "tr")?.contains("Di bawah minimum") == true)
            #expect(page.element("part-PC-UTP-2M", closing: "tr")?.contains("Di bawah minimum") == false)
            page = try await browser.get("/parts?low=1", cookies: kasi.cookies)
            #expect(page.body.contains(#"id="part-SFP-10G-LR""#) && !page.body.contains(#"id="part-PC-UTP-2M""#))

            // A technician uses parts on a ticket from the part's page; more than there is, refused, nothing changes.
            let tech = try await browser.logIn("tek1")
            page = try await browser.get("/parts/PC-UTP-2M", cookies: tech.cookies)
            #expect(page.status == .ok && page.body.contains(#"id="part-use-form""#))
            #expect(!page.body.contains(#"id="part-receive-form""#) && !page.body.contains(#"id="part-adjust-form""#) && !page.body.contains(#"id="part-edit-form""#))
            page = try await browser.post("/parts/PC-UTP-2M/use", cookies: tech.cookies, form: [
                ("_csrf", tech.csrf), ("ticket", "#\(ticket)"), ("quantity", "20"), ("note", "ganti di ruang server"),
            ])
            #expect(page.status == .conflict)
            #expect(page.text(ofID: "part-use-error")?.contains("hanya 12 buah") == true)
            #expect(page.inputValue("ticket") == "#\(ticket)" && page.inputValue("note") == "ganti di ruang server")
            #expect(try fixture.simpul.parts.part(code: "PC-UTP-2M", by: fixture.cli).quantity == 12)
            page = try await browser.post("/parts/PC-UTP-2M/use", cookies: tech.cookies, form: [
                ("_csrf", tech.csrf), ("ticket", "99999999999999999999"), ("quantity", "2"),
            ])
            #expect(page.status == .badRequest && page.text(ofID: "part-use-error")?.contains("nomor tiket") == true)
            page = try await browser.post("/parts/PC-UTP-2M/use", cookies: tech.cookies, form: [
                ("_csrf", tech.csrf), ("ticket", String(ticket)), ("quantity", "2"), ("note", "ganti di ruang server"),
            ])
            #expect(page.status == .seeOther && page.location == "/parts/PC-UTP-2M?done=use")
            page = try await browser.get("/parts/PC-UTP-2M?done=use", cookies: tech.cookies)
            #expect(page.text(ofID: "part-stock")?.contains("10 buah") == true)
            let history = try #require(page.element("part-history", closing: "ol"))
            #expect(history.contains("Dipakai −2 buah") && history.contains(#"href="/tickets/\#(ticket)""#) && history.contains("Switch lantai 2 mati"))
            #expect(history.contains("Diterima +12 buah") && history.contains("BAST 027/DKISP/XI/2026"))
            // The technician keeps no stock: receiving is refused.
            page = try await browser.post("/parts/PC-UTP-2M/receive", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("quantity", "5")])
            #expect(page.status == .forbidden)
            // Without the form's token nothing is done.
            page = try await browser.post("/parts/PC-UTP-2M/use", cookies: tech.cookies, form: [("ticket", String(ticket)), ("quantity", "1")])
            #expect(page.status == .forbidden)

            // The head corrects the stock after a count; the reason is required.
            let head = try await browser.logIn("head1")
            page = try await browser.post("/parts/PC-UTP-2M/adjust", cookies: head.cookies, form: [("_csrf", head.csrf), ("quantity", "7"), ("reason", "")])
            #expect(page.status == .badRequest && page.text(ofID: "part-adjust-error")?.contains("alasan") == true)
            #expect(page.element("part-adjust-form", closing: "form")?.contains(#"value="7""#) == true)
            page = try await browser.post("/parts/PC-UTP-2M/adjust", cookies: head.cookies, form: [("_csrf", head.csrf), ("quantity", "7"), ("reason", "stock opname")])
            #expect(page.location == "/parts/PC-UTP-2M?done=adjust")
            page = try await browser.get("/parts/PC-UTP-2M", cookies: head.cookies)
            #expect(page.text(ofID: "part-stock")?.contains("7 buah") == true && page.body.contains("Di bawah minimum"))
            #expect(page.element("part-history", closing: "ol")?.contains("Koreksi stok −3 buah") == true)
            // The minimum changed from its page.
            page = try await browser.post("/parts/PC-UTP-2M/edit", cookies: head.cookies, form: [
                ("_csrf", head.csrf), ("name", "Patch cord UTP Cat6 2 m"), ("unit", "buah"), ("minimum", "5"), ("location", "Lemari A1"),
            ])
            #expect(page.location == "/parts/PC-UTP-2M?done=edit")
            #expect(try fixture.simpul.parts.part(code: "PC-UTP-2M", by: fixture.cli).minimum == 5)

            // Unknown parts and codes that are no codes are 404; a viewer reads without forms; an agency has no stock page.
            for bad in ["NOPE", "%20", "-x", "a%2Fb", String(repeating: "A", count: 65)] {
                #expect(try await browser.get("/parts/\(bad)", cookies: head.cookies).status == .notFound, "\(bad)")
            }
            #expect(try await browser.post("/parts/NOPE/use", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("ticket", String(ticket)), ("quantity", "1")]).status == .notFound)
            let viewer = try await browser.logIn("viewer1")
            page = try await browser.get("/parts/PC-UTP-2M", cookies: viewer.cookies)
            #expect(page.status == .ok && !page.body.contains("<form method=\"post\" action=\"/parts"))
            let agency = try await browser.logIn("opd-dinkes")
            page = try await browser.get("/parts", cookies: agency.cookies)
            #expect(page.status == .forbidden || page.status == .notFound)
            page = try await browser.get("/", cookies: agency.cookies)
            #expect(page.status == .ok && !page.body.contains(#"id="nav-parts""#))
        }
    }

    @Test func theDashboardShowsPartsBelowTheirMinimumOnlyWhenThereAreAny() async throws {
        let fixture = try WebFixture()
        let kasi = try fixture.principal("kasi1")
        try await fixture.test { browser in
            let tech = try await browser.logIn("tek1")
            var page = try await browser.get("/", cookies: tech.cookies)
            #expect(page.status == .ok && !page.body.contains(#"id="dashboard-low-parts""#))
            try fixture.simpul.parts.add(code: "UPS-BAT", name: "Baterai UPS 12 V 9 Ah", unit: "buah", minimum: 4, by: kasi)
            try fixture.simpul.parts.receive(code: "UPS-BAT", quantity: 2, by: kasi)
            try fixture.simpul.parts.add(code: "RJ45", name: "Konektor RJ45", unit: "pcs", minimum: 100, by: kasi)
            try fixture.simpul.parts.receive(code: "RJ45", quantity: 300, by: kasi)
            page = try await browser.get("/", cookies: tech.cookies)
            let card = try #require(page.element("dashboard-low-parts", closing: "section"))
            #expect(card.contains("Baterai UPS 12 V 9 Ah") && card.contains("2 buah") && card.contains("4 buah") && card.contains(#"href="/parts?low=1""#))
            #expect(!card.contains("Konektor RJ45"))
            // Not for an agency; gone once the stock is back above the minimum.
            let agency = try await browser.logIn("opd-dinkes")
            #expect(try await browser.get("/", cookies: agency.cookies).body.contains(#"id="dashboard-low-parts""#) == false)
            try fixture.simpul.parts.receive(code: "UPS-BAT", quantity: 2, by: kasi)
            page = try await browser.get("/", cookies: tech.cookies)
            #expect(!page.body.contains(#"id="dashboard-low-parts""#))
        }
    }

    @Test func theStockAsJSON() async throws {
        let fixture = try WebFixture()
        let kasi = try fixture.principal("kasi1")
        try fixture.simpul.parts.add(code: "SFP-1G", name: "Modul SFP 1G", unit: "buah", minimum: 4, location: "Lemari A2", by: kasi)
        try fixture.simpul.parts.add(code: "PC-5M", name: "Patch cord 5 m", unit: "buah", minimum: 0, by: kasi)
        try fixture.simpul.parts.receive(code: "PC-5M", quantity: 9, by: kasi)
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "tek1", name: "gudang", by: try fixture.principal("tek1"))
        let (_, agencySecret) = try fixture.simpul.accounts.createToken(username: "opd-dinkes", name: "opd", by: try fixture.principal("opd-dinkes"))
        try await fixture.test { browser in
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            var answer = try await browser.get("/api/v1/parts", headers: auth)
            #expect(answer.status == .ok)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
            let parts = try #require(body["parts"] as? [[String: Any]])
            #expect(parts.map { $0["code"] as? String } == ["SFP-1G", "PC-5M"])
            #expect(parts[0]["low"] as? Bool == true && parts[0]["quantity"] as? Int == 0 && parts[0]["minimum"] as? Int == 4 && parts[0]["location"] as? String == "Lemari A2")
            #expect(parts[1]["low"] as? Bool == false && parts[1]["quantity"] as? Int == 9 && parts[1]["unit"] as? String == "buah")
            #expect(Set(parts[1].keys) == ["code", "name", "unit", "quantity", "minimum", "low", "updatedAt"])
            #expect(body["low"] as? Int == 1)
            answer = try await browser.get("/api/v1/parts?low=true", headers: auth)
            #expect(((try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["parts"] as? [Any])?.count == 1)
            #expect(try await browser.get("/api/v1/parts?low=maybe", headers: auth).status == .badRequest)
            #expect(try await browser.get("/api/v1/parts").status == .unauthorized)
            #expect(try await browser.get("/api/v1/parts", headers: [.authorization: "Bearer \(agencySecret)"]).status == .forbidden)
        }
    }
}
