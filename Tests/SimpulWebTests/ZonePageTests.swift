import Foundation
import SimpulCore
import SimpulDNS
import SimpulServices
import SimpulTestRigs
import Testing

/// The zone page's admin forms, against a real named on 127.0.0.1: a record added from the form is
/// written, pushed and answered by the server; a bad one comes back with the reason and what was
/// typed; removing takes it off the server; only admins see and may use the forms.
@Suite("Zone pages", .serialized)
final class ZonePageTests {
    let named: NamedServer

    init() throws {
        named = try NamedServer(zones: ["contohkab.go.id", "0.20.10.in-addr.arpa"], primaryZone: "contohkab.go.id")
    }

    deinit { named.stop() }

    @Test func anAdminAddsAndRemovesRecordsFromTheZonePage() async throws {
        let fixture = try WebFixture(dns: DNSClient(keyFile: named.keyFile), dnsServer: named.server)
        let named = self.named
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            var page = try await browser.get("/zones/contohkab.go.id", cookies: admin.cookies)
            #expect(page.status == .ok && page.body.contains(#"id="record-form""#))

            // A short name is completed with the zone's; the TTL defaults to the zone's.
            page = try await browser.post("/zones/contohkab.go.id/records", cookies: admin.cookies,
                                          form: [("_csrf", admin.csrf), ("name", "portal"), ("type", "TXT"), ("data", "v=spf1 -all"), ("ttl", "")])
            #expect(page.status == .ok)
            #expect(page.text(ofID: "zone-notice")?.contains("portal.contohkab.go.id") == true)
            #expect(page.text(ofID: "zone-notice")?.contains("Server DNS sudah menjawab") == true)
            #expect(page.text(ofID: "zone-error") == nil)
            #expect(try named.dig(["TXT", "portal.contohkab.go.id"]) == [#""v=spf1 -all""#])
            // A record without an owner shows nothing there, not "nil"; the change is shown in the page's language.
            #expect(page.element("zone-records", closing: "table")?.contains("nil") == false)
            #expect(page.element("zone-changes", closing: "ul")?.contains("terkirim") == true)
            page = try await browser.post("/zones/contohkab.go.id/records", cookies: admin.cookies,
                                          form: [("_csrf", admin.csrf), ("name", "www.contohkab.go.id."), ("type", "cname"), ("data", "portal.contohkab.go.id."), ("ttl", "600")])
            #expect(page.element("zone-records", closing: "table")?.contains("www.contohkab.go.id") == true)
            #expect(try named.dig(["CNAME", "www.contohkab.go.id"]) == ["portal.contohkab.go.id."])

            // Refusals: each says why, keeps what was typed, and writes nothing.
            let serial = page.text(ofID: "zone-serial")
            let bad: [([(String, String)], String)] = [
                ([("name", "www"), ("type", "A"), ("data", "10.20.0.77"), ("ttl", "")], "CNAME"),
                ([("name", "sikd"), ("type", "A"), ("data", "10.20.0.77"), ("ttl", "")], "10.20.0.77"),
                ([("name", "sikd"), ("type", "A"), ("data", "bukan-alamat"), ("ttl", "")], "bukan-alamat"),
                ([("name", "-sikd"), ("type", "TXT"), ("data", "x"), ("ttl", "")], "-sikd"),
                ([("name", "sikd"), ("type", "TXT"), ("data", "x"), ("ttl", "satu jam")], "TTL"),
                ([("name", "sikd"), ("type", "SRV"), ("data", "x"), ("ttl", "")], "SRV"),
            ]
            for (fields, reason) in bad {
                page = try await browser.post("/zones/contohkab.go.id/records", cookies: admin.cookies, form: [("_csrf", admin.csrf)] + fields)
                #expect(page.status == .badRequest || page.status == .conflict || page.status == .notFound, "\(fields)")
                #expect(page.text(ofID: "zone-error")?.contains(reason) == true, "\(fields): \(page.text(ofID: "zone-error") ?? "no error")")
                #expect(page.inputValue("name") == fields[0].1)
                #expect(page.text(ofID: "zone-serial") == serial)
            }

            // Removing a record takes it off the server.
            page = try await browser.post("/zones/contohkab.go.id/remove", cookies: admin.cookies,
                                          form: [("_csrf", admin.csrf), ("name", "www.contohkab.go.id"), ("type", "CNAME"), ("data", "portal.contohkab.go.id")])
            #expect(page.text(ofID: "confirm-question")?.hasPrefix("Hapus record DNS www.contohkab.go.id") == true, "one tap asks first")
            #expect(try named.dig(["CNAME", "www.contohkab.go.id"]) == ["portal.contohkab.go.id."])
            page = try await browser.post("/zones/contohkab.go.id/remove", cookies: admin.cookies,
                                          form: [("_csrf", admin.csrf), ("name", "www.contohkab.go.id"), ("type", "CNAME"), ("data", "portal.contohkab.go.id"),
                                                 ("confirm", "yes")])
            #expect(page.text(ofID: "zone-notice")?.contains("dihapus") == true)
            #expect(page.element("zone-records", closing: "table")?.contains("www.contohkab.go.id") == false)
            #expect(try named.dig(["CNAME", "www.contohkab.go.id"]).isEmpty)

            // A technician sees the zone but not the forms, and may not post them.
            let tech = try await browser.logIn("tek1")
            page = try await browser.get("/zones/contohkab.go.id", cookies: tech.cookies)
            #expect(page.status == .ok && !page.body.contains(#"id="record-form""#) && page.body.contains("portal.contohkab.go.id"))
            page = try await browser.post("/zones/contohkab.go.id/remove", cookies: tech.cookies,
                                          form: [("_csrf", tech.csrf), ("name", "portal.contohkab.go.id"), ("type", "TXT"), ("data", "v=spf1 -all")])
            #expect(page.status == .forbidden)
            #expect(try named.dig(["TXT", "portal.contohkab.go.id"]) == [#""v=spf1 -all""#])
        }
    }

    @Test func aServerThatIsAwayKeepsTheChangeWaitingWithItsError() async throws {
        // The zone points at a port nobody listens on: the record is kept, and the page says it waits.
        let fixture = try WebFixture(dns: DNSClient(keyFile: named.keyFile), dnsServer: "127.0.0.1:9")
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.post("/zones/contohkab.go.id/records", cookies: admin.cookies,
                                              form: [("_csrf", admin.csrf), ("name", "@"), ("type", "MX"), ("data", "10 mail.example.net"), ("ttl", "")])
            #expect(page.status == .ok)
            #expect(page.text(ofID: "zone-notice")?.contains("contohkab.go.id. 3600 IN MX 10 mail.example.net.") == true)
            #expect(page.text(ofID: "zone-error")?.contains("belum sampai") == true)
            #expect(page.element("zone-changes", closing: "ul")?.contains("pending") == true || page.element("zone-changes", closing: "ul")?.contains("failed") == true)
        }
    }
}
