import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// Issue 11, items 18 and 19, on the pages: figures through one formatter per language, codes by
/// their titles, the audit log in words — in Indonesian and in English.
@Suite("Pages speak one language, figures and codes included")
struct LanguageLeakTests {
    /// A session switched to English.
    func english(_ browser: Browser, _ username: String) async throws -> Browser.Session {
        let session = try await browser.logIn(username)
        _ = try await browser.post("/lang", cookies: session.cookies, form: [("_csrf", session.csrf), ("to", "en"), ("back", "/")])
        return session
    }

    /// '0.0 %' beside '99,5%', `1.8e+19`-style counts, `private`, `fiber`, `30` + a separate unit.
    @Test func figuresAndCodesOnTheEstatePages() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let id = try await browser.logIn("admin1")
            let providers = try await browser.get("/providers", cookies: id.cookies)
            #expect(providers.body.contains("99,5 %") && providers.body.contains("30 menit") && !providers.body.contains("99,5%"))
            let pools = try await browser.get("/pools", cookies: id.cookies)
            let v6 = try #require(pools.element("pool-public-v6", closing: "tr"))
            #expect(v6.contains(">2^64<") && v6.contains("≈ 2^64") && v6.contains(">0 %<") && !v6.contains("e+"))
            #expect(!pools.body.contains("0.0 %") && !pools.body.contains("≥ 2^50"))
            #expect(pools.element("pool-dc-server", closing: "tr")?.contains("Privat") == true)
            let links = try await browser.get("/links", cookies: id.cookies)
            #expect(links.body.contains("Serat optik") && !links.body.contains(">fiber<"))
            let devices = try await browser.get("/devices", cookies: id.cookies)
            #expect(devices.body.contains(">Firewall<") && !devices.body.contains(">firewall<") && !devices.body.contains(">other<"))
            let zones = try await browser.get("/zones", cookies: id.cookies)
            #expect(zones.body.contains("Balik (alamat → nama)") && !zones.body.contains(">reverse<"))

            let en = try await english(browser, "viewer1")
            let english = try await browser.get("/providers", cookies: en.cookies)
            #expect(english.htmlLang == "en" && english.body.contains("99.5 %") && english.body.contains("30 minutes") && !english.body.contains("menit"))
            let enLinks = try await browser.get("/links", cookies: en.cookies)
            #expect(enLinks.body.contains("Fibre") && enLinks.body.contains("100 Mbps"))
            let enPools = try await browser.get("/pools", cookies: en.cookies)
            #expect(enPools.element("pool-dc-server", closing: "tr")?.contains("Private") == true)
        }
    }

    /// The hold time was typed and shown as `72h`.
    @Test func theHoldTimeIsWordsAndReadsBack() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/pools/dc-server", cookies: admin.cookies)
            #expect(page.inputValue("holdFor") == "72 jam")
            let held = try await browser.post("/pools/dc-server/addresses", cookies: admin.cookies, form: [
                ("_csrf", admin.csrf), ("owner", "device:SRV-9"), ("holdFor", "3 hari"), ("state", "hold")])
            #expect(held.status == .ok && held.body.contains(#"class="notice""#))
            let allocation = try #require(try fixture.simpul.ipam.list(pool: "dc-server", owner: "device:SRV-9", by: fixture.cli).first)
            let until = try #require(allocation.heldUntil.flatMap(Timestamp.date))
            #expect(abs(until.timeIntervalSince(fixture.clock.now) - 3 * 86_400) < 1)
            let en = try await english(browser, "admin1")
            #expect(try await browser.get("/pools/dc-server", cookies: en.cookies).inputValue("holdFor") == "72 hours")
            let refused = try await browser.post("/pools/dc-server/addresses", cookies: en.cookies, form: [
                ("_csrf", en.csrf), ("owner", "device:SRV-10"), ("holdFor", "forever"), ("state", "hold")])
            #expect(refused.body.contains("write the hold time like 72 hours, 3 days or 30 minutes"))
        }
    }

    /// The dashboard's recent changes showed `dns.add`, `cli:root`; the audit page the same codes.
    @Test func theAuditLogIsInWordsOnTheDashboardAndItsPage() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let id = try await browser.logIn("admin1")
            let dashboard = try await browser.get("/", cookies: id.cookies)
            #expect(dashboard.body.contains("baris perintah (test)") && dashboard.body.contains("Pengguna: dibuat") && dashboard.body.contains("pengguna clerk1"))
            #expect(!dashboard.body.contains("cli:test") && !dashboard.body.contains("user:clerk1"))
            let audit = try await browser.get("/audit", cookies: id.cookies)
            #expect(audit.body.contains("baris perintah (test)") && audit.body.contains("SOP: versi dimuat") && audit.body.contains("Zona: ditambahkan")
                    && audit.body.contains("zona contohkab.go.id"))
            #expect(!audit.body.contains(">cli:test<") && !audit.body.contains(">create<"))
            let en = try await english(browser, "admin1")
            let english = try await browser.get("/", cookies: en.cookies)
            #expect(english.body.contains("command line (test)") && english.body.contains("User: created") && english.body.contains("user clerk1"))
        }
    }

    /// `reason_en:`, `rule=0`, `not_fixed` and `3 hr 8 j` on the ticket page.
    @Test func aTicketsHistoryEscalationsAndOutcomesInWords() async throws {
        let fixture = try WebFixture()
        let ticket = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        let kasi = try fixture.principal("kasi1"), tek = try fixture.principal("tek1")
        try fixture.simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "lapor")], branch: nil, note: nil, assignTo: nil), by: kasi)
        try fixture.simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "tek1")], branch: nil, note: nil, assignTo: "tek1"), by: kasi)
        fixture.clock.advance(minutes: 61)
        _ = try fixture.simpul.tickets.sweep()
        try fixture.simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "ONT mati")], branch: "not_fixed", note: nil, assignTo: nil), by: tek)
        try await fixture.test { browser in
            let session = try await browser.logIn("kasi1")
            let page = try await browser.get("/tickets/\(ticket)", cookies: session.cookies)
            let history = try #require(page.element("history", closing: "ol"))
            #expect(history.contains("telah berjalan 100 % dari standar 60 menit") && history.contains("beri tahu: Kabid/Kasi"))
            #expect(history.contains("→ Belum teratasi, perlu penyedia layanan") && history.contains("Simpul (otomatis)"))
            #expect(history.contains("hasil &quot;Belum teratasi, perlu penyedia layanan&quot; dipilih"))
            for leak in ["reason_en", "rule", "not_fixed", " mnt", "100%"] { #expect(!history.contains(leak), "\(leak)") }
            #expect(page.element("step-repair")?.contains("Belum teratasi, perlu penyedia layanan → Berkoordinasi") == true)

            let en = try await english(browser, "kasi1")
            let english = try await browser.get("/tickets/\(ticket)", cookies: en.cookies)
            let enHistory = try #require(english.element("history", closing: "ol"))
            #expect(enHistory.contains("has run 100 % of its standard 60 minutes") && enHistory.contains("notify: Division/section head"))
            #expect(enHistory.contains("→ Not fixed, needs the provider") && enHistory.contains("Simpul (automatic)"))
            for leak in ["reason_en", "not_fixed", "telah berjalan", "beri tahu"] { #expect(!enHistory.contains(leak), "\(leak)") }
            let playbook = try await browser.get("/playbooks/fault-dispatch", cookies: en.cookies)
            #expect(playbook.body.contains("Not fixed, needs the provider → Coordinate") && playbook.body.contains("has run 150 % of its standard"))
        }
    }
}
