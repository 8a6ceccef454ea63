import Foundation
import HTTPTypes
@testable import SimpulWeb
import SimpulCore
import SimpulServices
import Testing

/// `/reports/providers` (issue 13): the providers' month, one provider's month with its chart, its
/// breaches and their evidence, printable, as CSV and JSON; office staff only.
@Suite("Provider report pages")
struct FaultReportPageTests {
    /// A fault on DINKES's NUSANET link whose outage began five hours ago, escalated, acknowledged
    /// 50 minutes later (past the contract's 30) and not restored (past its 4 hours). The fixture's
    /// clock is Saturday 21 November 2026, 17.48 WITA.
    func lateFault(_ fixture: WebFixture) throws -> Int64 {
        let clerk = try fixture.principal("clerk1"), kasi = try fixture.principal("kasi1"), tek = try fixture.principal("tek1")
        let started = fixture.clock.now.addingTimeInterval(-5 * 3600)
        let id = try fixture.simpul.faults.open(FaultService.Report(agency: nil, link: "NUS-CKB-0008", channel: .phone, reporterName: "Budi",
                                                                    reporterContact: "0812", symptom: .noConnection, description: "Internet mati",
                                                                    startedAt: started), by: clerk).ticketID
        try fixture.simpul.tickets.act(id, .complete(evidence: [.init(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek1"), by: kasi)
        try fixture.simpul.faults.log(ticket: id, FaultService.LogForm(found: "tidak ada sinyal", outcome: .notFixed), by: tek)
        fixture.clock.advance(minutes: 50)
        try fixture.simpul.faults.acknowledge(ticket: id, providerTicket: "NUS-4411", by: tek)
        return id
    }

    @Test func theProvidersMonthWithItsChartBreachesAndEvidence() async throws {
        let fixture = try WebFixture()
        let id = try lateFault(fixture)
        try await fixture.test { browser in
            let head = try await browser.logIn("head1")
            let list = try await browser.get("/reports/providers", cookies: head.cookies)
            #expect(list.status == .ok)
            #expect(list.inputValue("month") == "2026-11")
            let row = try #require(list.element("prov-NUSANET", closing: "tr"))
            #expect(row.contains(#"href="/reports/providers/NUSANET?month=2026-11""#) && row.contains("PT Nusantara Data Net"))
            #expect(list.body.contains(#"id="nav-provider_reports""#))

            let page = try await browser.get("/reports/providers/NUSANET?month=2026-11", cookies: head.cookies)
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>PT Nusantara Data Net — November 2026</h1>"))
            #expect(page.text(ofID: "tile-escalated") == "1" && page.text(ofID: "tile-response-breaches") == "1" && page.text(ofID: "tile-restore-breaches") == "1")
            #expect(page.text(ofID: "provider-report-period") == "1 Nov 2026 – 30 Nov 2026 (WITA) · bulan berjalan, diukur sampai 21 Nov 2026 18.38 WITA")
            let chart = try #require(page.element("provider-chart", closing: "svg"))
            #expect(chart.hasPrefix("<svg") && chart.contains(#"role="img""#) && chart.contains("<title id=\"pchart-title\">Waktu pulih per gangguan terhadap kontrak</title>"))
            #expect(chart.contains(#"<line class="standard""#) && chart.contains(#"<rect class="median late""#) && chart.contains(#"fill-opacity="0.2""#))
            #expect(chart.contains("kontrak 4 jam") && chart.contains("<title>#\(id) NUS-CKB-0008: 5 jam 50 menit — melanggar, belum selesai</title>"))
            #expect(!chart.contains("<script"))
            // The breach with its evidence: the clocks, the escalation, the acknowledgement, the mail, who recorded each, in the office's time.
            let breach = try #require(page.element("breach-\(id)", closing: "article"))
            #expect(breach.contains("Waktu tanggap:</strong> 50 menit / 30 menit — melanggar"))
            #expect(breach.contains("Waktu pulih:</strong> 5 jam 50 menit / 4 jam — melanggar, belum selesai; belum selesai sampai sekarang (21 Nov 2026 18.38 WITA)"))
            #expect(breach.contains("Dieskalasi tingkat 1 — dicatat Test tek1 (tek1)"))
            #expect(breach.contains("Diterima penyedia — dicatat Test tek1 (tek1)") && breach.contains("tiket penyedia NUS-4411"))
            #expect(breach.contains("Surel tingkat 1 → noc@nusanet.example.net") && breach.contains("Menunggu · 0 kali dicoba"))
            #expect(breach.contains("21 Nov 2026 17.48 WITA"))
            let link = try #require(page.element("plink-NUS-CKB-0008", closing: "tr"))
            #expect(link.contains("5 jam 50 menit") && link.contains("di bawah kontrak"))
            #expect(page.element("provider-report-faults", closing: "table")?.contains("/faults/\(id)") == true)
            // No raw codes on the page.
            for code in ["breached", "overdue", "month_end", "pending", "escalated", "acknowledged", "NaN"] {
                #expect(!page.body.contains(">\(code)") && !page.body.contains(" \(code)<"), "\(code)")
            }
            #expect(page.body.contains(#"href="/reports/providers/NUSANET?month=2026-11&amp;format=csv""#))
            #expect(page.body.contains(#"href="/reports/providers/NUSANET?month=2026-11&amp;format=json""#))
            #expect(page.body.contains(#"id="provider-report-previous""#) && !page.body.contains(#"id="provider-report-next""#), "no month after this one yet")

            // The print view: the report without the menu or the forms.
            let print = try await browser.get("/reports/providers/NUSANET?month=2026-11&format=print", cookies: head.cookies)
            #expect(print.status == .ok && print.body.contains("breach-\(id)") && print.body.contains("provider-chart"))
            #expect(!print.body.contains(#"id="nav-"#) && !print.body.contains("<form"))

            // A month with nothing in it.
            let october = try await browser.get("/reports/providers/NUSANET?month=2026-10", cookies: head.cookies)
            #expect(october.status == .ok && october.text(ofID: "provider-report-no-breach") == "Tidak ada pelanggaran bulan ini.")
            #expect(october.body.contains(#"id="provider-report-next""#))
        }
    }

    @Test func csvAndJSON() async throws {
        let fixture = try WebFixture()
        let id = try lateFault(fixture)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let csv = try await browser.get("/reports/providers/nusanet?month=2026-11&format=csv", cookies: kasi.cookies)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix(#"attachment; filename="sla-penyedia-nusanet-2026-11.csv""#) == true)
            let lines = csv.body.components(separatedBy: "\r\n")
            #expect(lines.first?.hasPrefix("bagian,tiket,perangkat_daerah,sirkuit,") == true)
            #expect(lines.contains { $0.hasPrefix("gangguan,\(id),DINKES,NUS-CKB-0008,") && $0.contains(",50.0,30,breached,350.0,240,overdue,1,") })
            let json = try await browser.get("/reports/providers/NUSANET?month=2026-11&format=json", cookies: kasi.cookies)
            #expect(json.status == .ok && json.headers[.contentType] == "application/json; charset=utf-8")
            let report = try JSONDecoder().decode(FaultReportService.ProviderReport.self, from: Data(json.body.utf8))
            #expect(report.breaches.map(\.ticket) == [id] && report.breaches[0].evidence?.events.map(\.kind) == [.escalated, .acknowledged])
            #expect(report.breaches[0].evidence?.deliveries.first?.to == ["noc@nusanet.example.net"])
        }
    }

    @Test func officeStaffOnlyAndBadInputIsSaidPlainly() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            for path in ["/reports/providers", "/reports/providers/NUSANET", "/reports/providers/NUSANET?month=2026-11&format=csv",
                         "/reports/providers/NUSANET?format=json"] {
                #expect(try await browser.get(path, cookies: agency.cookies).status == .notFound, "\(path)")
            }
            #expect(try await browser.get("/", cookies: agency.cookies).body.contains("nav-provider_reports") == false)
            let viewer = try await browser.logIn("viewer1")
            #expect(try await browser.get("/reports/providers/NUSANET", cookies: viewer.cookies).status == .ok)

            let head = try await browser.logIn("head1")
            let bad = try await browser.get("/reports/providers/NUSANET?month=2026-13", cookies: head.cookies)
            #expect(bad.status == .badRequest)
            #expect(bad.text(ofID: "form-error") == "bulan \"2026-13\" tidak dikenal; tulis TTTT-BB, mis. 2026-11 (bulan 01–12, tahun 2000–2100)")
            #expect(bad.inputValue("month") == "2026-13")
            let huge = try await browser.get("/reports/providers?month=99999999999999999999-01", cookies: head.cookies)
            #expect(huge.status == .badRequest && huge.text(ofID: "form-error")?.hasPrefix("bulan \"") == true)
            let future = try await browser.get("/reports/providers/NUSANET?month=2027-01", cookies: head.cookies)
            #expect(future.status == .badRequest && future.text(ofID: "form-error") == "bulan 2027-01 belum dimulai; pilih bulan ini atau sebelumnya")
            #expect(try await browser.get("/reports/providers/NUSANET?month=2026-13&format=csv", cookies: head.cookies).status == .badRequest)
            #expect(try await browser.get("/reports/providers/NOPE?month=2026-11", cookies: head.cookies).status == .notFound)
            #expect(try await browser.get("/reports/providers/NUSANET?format=xml", cookies: head.cookies).status == .badRequest)
        }
    }
}
