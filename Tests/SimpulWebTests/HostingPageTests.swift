import Foundation
import SimpulCore
import SimpulDNS
import SimpulServices
import SimpulTestRigs
import Testing

/// The hosting request through the web pages, against a real named on 127.0.0.1: the agency's form,
/// the office's steps from the request's page, the monthly check, and decommissioning.
@Suite("Hosting pages", .serialized)
final class HostingPageTests {
    let named: NamedServer

    init() throws {
        named = try NamedServer(zones: ["contohkab.go.id", "0.20.10.in-addr.arpa", "0.99.10.in-addr.arpa", "113.0.203.in-addr.arpa",
                                        "0.0.0.0.0.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa"], primaryZone: "contohkab.go.id")
    }

    deinit { named.stop() }

    @Test func fromTheAgencysFormToAPlacedServer() async throws {
        let fixture = try WebFixture(dns: DNSClient(keyFile: named.keyFile), dnsServer: named.server)
        let named = self.named
        let ticket: Int64 = try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let form = try await browser.get("/hosting/new", cookies: agency.cookies)
            #expect(form.status == .ok && form.body.contains(#"id="hosting-form""#) && !form.body.contains(#"id="h-agency""#))
            // A bad form comes back with the reason and what was typed.
            var fields: [(String, String)] = [("_csrf", agency.csrf), ("letter", "045/9/DINKES/XI/2026"), ("letterDate", "2026-11-20"),
                                              ("signedBy", "dr. Rahmawati"), ("contact", "Budi"), ("phone", "0812"), ("email", ""),
                                              ("hostname", "Bad Host"), ("dns", "simkes"), ("form", "rack"), ("height", "2"), ("watts", "400"),
                                              ("ports", "2"), ("os", "Debian 12"), ("application", "SIMKES"), ("scope", "private")]
            var page = try await browser.post("/hosting", cookies: agency.cookies, form: fields)
            #expect(page.status == .badRequest || page.status == .unprocessableContent)
            #expect(page.text(ofID: "hosting-error")?.contains("nama host") == true && page.body.contains(#"value="simkes""#))
            fields[7] = ("hostname", "simkes")
            page = try await browser.post("/hosting", cookies: agency.cookies, form: fields)
            #expect(page.status == .seeOther)
            let location = try #require(page.headers[.location])
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            page = try await browser.get(location, cookies: agency.cookies)
            // The step by its title (its id only in an attribute), the status from the request's progress (issue 11, items 18–19).
            #expect(page.text(ofID: "hosting-address") == "10.20.0.10" && page.body.contains(#"data-step="receive_request""#))
            #expect(page.text(ofID: "hosting-step")?.hasPrefix("Menerima Permohonan dari SOPD") == true)
            #expect(page.text(ofID: "hosting-state") == "Diajukan, alamat ditahan")
            // The agency does not see the technician's check or the office's forms.
            #expect(!page.body.contains(#"id="hosting-racks""#) && !page.body.contains(#"id="hosting-allocate""#))
            return id
        }

        try Self.walkToAllocation(fixture, ticket: ticket)

        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            var page = try await browser.get("/hosting/\(ticket)", cookies: admin.cookies)
            #expect(page.body.contains(#"id="hosting-racks""#) && page.body.contains(#"id="hosting-allocate""#))
            #expect(page.text(ofID: "hosting-dns-status")?.contains("nama bebas") == true)
            page = try await browser.post("/hosting/\(ticket)/allocate", cookies: admin.cookies, form: [("_csrf", admin.csrf)])
            #expect(page.text(ofID: "hosting-notice")?.contains("terkonfirmasi") == true)
            #expect(page.body.contains(#"data-step="install""#) && page.text(ofID: "hosting-state") == "Alamat dan DNS terbit")
            // The name it has just published is not "free": it is published for this request.
            #expect(page.text(ofID: "hosting-dns-status") == "DNS: sudah terbit untuk permohonan ini: simkes.contohkab.go.id. 3600 IN A 10.20.0.10"
                    || page.text(ofID: "hosting-dns-status")?.hasPrefix("DNS: sudah terbit untuk permohonan ini: ") == true)
            #expect(page.text(ofID: "hosting-dns-status")?.contains("bebas") == false)
            let listed = try await browser.get("/hosting", cookies: admin.cookies)
            #expect(listed.element("hosting-\(ticket)", closing: "tr")?.contains("Alamat dan DNS terbit") == true)
            #expect(try named.dig(["A", "simkes.contohkab.go.id"]) == ["10.20.0.10"])
            let zone = try await browser.get("/zones/contohkab.go.id", cookies: admin.cookies)
            #expect(zone.element("zone-records", closing: "table")?.contains("simkes.contohkab.go.id") == true)
            #expect(zone.element("zone-changes", closing: "ul")?.contains("pushed") == true)
            let reverse = try await browser.get("/zones/0.20.10.in-addr.arpa", cookies: admin.cookies)
            #expect(reverse.body.contains("simkes.contohkab.go.id.") && reverse.text(ofID: "zone-serial") != "–")

            let tech = try await browser.logIn("tek1")
            page = try await browser.get("/hosting/\(ticket)", cookies: tech.cookies)
            let rack = try #require(page.inputValue("rack")), position = try #require(page.inputValue("position"))
            page = try await browser.postMultipart("/hosting/\(ticket)/install", cookies: tech.cookies,
                                                   fields: [("_csrf", tech.csrf), ("rack", rack), ("position", position), ("report", "Terpasang rapi")],
                                                   files: [.init(field: "photo", fileName: "simkes.jpg", contentType: "image/jpeg", data: [0xFF, 0xD8, 0xFF, 0xE0, 1])])
            #expect(page.text(ofID: "hosting-notice")?.contains("server terpasang di \(rack) U\(position)") == true)
            #expect(page.text(ofID: "hosting-state") == "Terpasang di rak")
            page = try await browser.post("/hosting/\(ticket)/monitor", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("port", "443")])
            #expect(page.body.contains(#"data-step="in_use""#) && page.text(ofID: "hosting-rack")?.contains("Dipantau") == true)
            #expect(page.text(ofID: "hosting-state") == "Dititipkan dan dipantau")
            let racks = try await browser.get("/racks", cookies: tech.cookies)
            #expect(racks.body.contains("simkes"))

            let agency = try await browser.logIn("opd-dinkes")
            page = try await browser.post("/hosting/\(ticket)/check", cookies: agency.cookies, form: [("_csrf", agency.csrf), ("note", "aman")])
            #expect(page.text(ofID: "hosting-notice") == "cek bulanan dicatat")
            let list = try await browser.get("/hosting", cookies: agency.cookies)
            #expect(list.body.contains(#"id="hosting-\#(ticket)""#))
            // The agency's page lists its hosted server with its last check; a month without one is flagged.
            var own = try await browser.get("/agencies/DINKES", cookies: agency.cookies)
            #expect(own.element("hosted-simkes", closing: "tr")?.contains("Terlambat") == false)
            fixture.clock.advance(minutes: 32 * 24 * 60)
            let later = try await browser.logIn("opd-dinkes")
            own = try await browser.get("/agencies/DINKES", cookies: later.cookies)
            #expect(own.element("hosted-simkes", closing: "tr")?.contains("Terlambat dicek") == true)

            let admin2 = try await browser.logIn("admin1")
            page = try await browser.post("/hosting/\(ticket)/decommission", cookies: admin2.cookies, form: [("_csrf", admin2.csrf), ("reason", "pindah")])
            #expect(page.text(ofID: "hosting-notice")?.contains("server dibongkar") == true)
            #expect(try named.dig(["A", "simkes.contohkab.go.id"]).isEmpty)
        }
    }
    /// The paper steps (letter, dispositions, bringing the server) are the ticket's own pages; here they are walked by the services,
    /// up to the admin's allocation.
    static func walkToAllocation(_ fixture: WebFixture, ticket: Int64) throws {
        let users = try Dictionary(uniqueKeysWithValues: ["admin1", "head1", "kasi1", "clerk1", "opd-dinkes", "tek1"].map { ($0, try fixture.principal($0)) })
        while let step = try fixture.simpul.tickets.detail(ticket, by: fixture.cli).currentStep, step.id != "allocate_ip_dns" {
            fixture.clock.advance(minutes: 5)
            let doer = switch step.actor {
            case .clerk: users["clerk1"]!
            case .head: users["head1"]!
            case .supervisor: users["kasi1"]!
            default: users["opd-dinkes"]!
            }
            let evidence: [Evidence] = try step.evidence.compactMap { kind in
                switch kind {
                case .attachment: Evidence(kind: kind, value: try fixture.simpul.tickets.attach(ticket, kind: kind, fileName: "surat.pdf",
                                                                                                contentType: "application/pdf", data: Data("%PDF".utf8), by: doer))
                case .signature: nil
                case .letterNumber: Evidence(kind: kind, value: "045/9/DINKES/XI/2026")
                default: Evidence(kind: kind, value: "\(kind.rawValue)")
                }
            }
            try fixture.simpul.tickets.act(ticket, .complete(evidence: evidence, branch: nil, note: nil, assignTo: nil), by: doer)
        }
    }

    /// A hosting request whose DNS server is away: the admin's allocation is refused with the reason,
    /// and the ticket's page shows its delivery in trouble with the last error (issue 12, part 6).
    @Test func aDeliveryInTroubleIsShownOnItsTicket() async throws {
        let fixture = try WebFixture(dns: DNSClient(keyFile: named.keyFile), dnsServer: "127.0.0.1:9")
        let ticket: Int64 = try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let page = try await browser.post("/hosting", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("letter", "046/9/DINKES/XI/2026"), ("letterDate", "2026-11-20"), ("signedBy", "dr. Rahmawati"),
                ("contact", "Budi"), ("phone", "0812"), ("email", ""), ("hostname", "simgizi"), ("dns", "simgizi"), ("form", "rack"),
                ("height", "1"), ("watts", "300"), ("ports", "1"), ("os", "Debian 12"), ("application", "SIMGIZI"), ("scope", "private"),
            ])
            #expect(page.status == .seeOther)
            return try #require(Int64(page.headers[.location]?.split(separator: "/").last ?? ""))
        }
        try Self.walkToAllocation(fixture, ticket: ticket)
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let refused = try await browser.post("/hosting/\(ticket)/allocate", cookies: admin.cookies, form: [("_csrf", admin.csrf)])
            #expect(refused.body.contains("DNS belum terbit"))
            let page = try await browser.get("/tickets/\(ticket)", cookies: admin.cookies)
            let listed = page.body.components(separatedBy: #"<ul class="deliveries">"#).dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
            #expect(listed.contains("/outbox#delivery-") && listed.contains("DNS"))
            #expect(page.body.contains(#"class="error""#) && page.body.contains("Kiriman yang bermasalah"))
            // Every attempt is on the ticket with its result.
            let attempts = try #require(page.element("ticket-deliveries", closing: "ul"))
            #expect(attempts.contains("gagal") && attempts.contains("127.0.0.1:9"))
            // The agency follows its ticket but is not shown the office's deliveries.
            let agency = try await browser.logIn("opd-dinkes")
            let own = try await browser.get("/tickets/\(ticket)", cookies: agency.cookies)
            #expect(own.status == .ok && !own.body.contains("Kiriman yang bermasalah"))
        }
    }
}
