import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// The bandwidth-survey pages (issue 16): a survey opened with the form, an agency's user giving its
/// needs (and refused with its typed values kept), the report with the agencies' names, figures and
/// charts, the module's steps on the page, the CSV downloads and the documents, and the refusals
/// for a wrong role, a bad number and an unknown survey.
@Suite("Survey pages", .serialized)
struct SurveyPageTests {
    /// The tests' district with the playbooks and three days of one-minute SNMP samples on DINKES's
    /// link (rtr-dinkes ether1): 20 Mbit/s in and 4 out, 40 in from 10.00 to 11.00 WITA.
    static func district() throws -> HealthDistrict {
        let district = try HealthDistrict()
        try district.simpul.playbooks.load(try PlaybookService.documents(inDirectory: WebFixture.playbookFolder), by: district.cli)
        let interface = try district.interface("rtr-dinkes", "ether1")
        // 18 Nov 2026 00:00 WITA.
        let start: Int64 = 1_794_931_200_000
        #expect(Timestamp.string(Date(timeIntervalSince1970: Double(start) / 1000)) == "2026-11-17T16:00:00.000Z")
        let samples = try (0..<(3 * 1440)).map { minute -> (interfaceID: Int64, sample: TrafficSample) in
            let at = start + Int64(minute) * 60_000
            let rate: UInt64 = (600..<660).contains(minute % 1440) ? 40_000_000 : 20_000_000
            return (interface, try #require(TrafficSample(start: at, end: at + 60_000, inOctets: rate * 60 / 8, outOctets: rate / 5 * 60 / 8)))
        }
        try district.health.write { w in _ = try HealthStore.record(w, samples: samples) }
        return district
    }

    static func openForm(_ csrf: String, title: String = "Survei bandwidth 2027", from: String = "2026-11-18", to: String = "2026-11-20",
                         agencies: [(String, String)] = [("DINKES", "snmp"), ("SETDA", "pcap")]) -> [(String, String)] {
        [("_csrf", csrf), ("title", title), ("from", from), ("to", to), ("scope", "chosen"), ("responsible", "tek1")]
            + agencies.flatMap { [("agency", $0.0), ("method_\($0.0)", $0.1)] }
    }

    /// Opens the survey with the form as the head of office; its page's path.
    static func open(_ browser: Browser, _ head: Browser.Session) async throws -> String {
        let opened = try await browser.post("/surveys", cookies: head.cookies, form: openForm(head.csrf))
        #expect(opened.status == .seeOther)
        return try #require(opened.location)
    }

    /// The ticket's own first steps: the head assigns, the section prepares the team (for tek1).
    static func assignAndPrepare(_ ticket: Int64, _ district: HealthDistrict) throws {
        let simpul = district.simpul
        try simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Evaluasi")], branch: nil, note: nil, assignTo: nil),
                               by: try simpul.accounts.user("head1", by: district.cli).principal)
        try simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Tim siap")], branch: nil, note: nil, assignTo: "tek1"),
                               by: try simpul.accounts.user("kasi1", by: district.cli).principal)
    }

    static func needs(_ csrf: String, staff: String = "120", mbps: String = "150,5", growth: String = "20") -> [(String, String)] {
        [("_csrf", csrf), ("agency", "SETDA"), ("staff", staff), ("applications", "SIMPUS\nZoom rapat"), ("mbps", mbps), ("growth", growth), ("note", "gedung baru")]
    }

    @Test func theFormOpensASurveyAndItsPageShowsTheAgenciesAndTheReport() async throws {
        let district = try Self.district()
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let list = try await browser.get("/surveys", cookies: head.cookies)
            #expect(list.status == .ok && list.body.contains(#"id="survey-open""#) && list.body.contains(#"id="nav-surveys""#))
            #expect(list.element("survey-open", closing: "form")?.contains("Dinas Kesehatan") == true)
            let blank = try await browser.get("/surveys/new", cookies: head.cookies)
            #expect(blank.status == .ok && blank.body.contains(#"id="s-scope-chosen" checked"#) && !blank.body.contains(#"id="s-scope-all" checked"#),
                    "only the agencies ticked, unless every agency is chosen")

            let location = try await Self.open(browser, head)
            #expect(location.hasPrefix("/surveys/"))
            let page = try await browser.get(location, cookies: head.cookies)
            #expect(page.status == .ok)
            #expect(page.text(ofID: "survey-step")?.hasPrefix("Menugaskan Bidang TIP") == true && page.body.contains(#"data-step="assign_evaluation""#))
            #expect(page.text(ofID: "survey-period") == "18 Nov 2026 – 20 Nov 2026")
            let agencies = try #require(page.element("survey-agencies", closing: "table"))
            #expect(agencies.contains("Dinas Kesehatan") && agencies.contains("Sekretariat Daerah") && agencies.contains("tangkapan paket di uplink bersama"))
            #expect(!agencies.contains(">DINKES<") && !page.body.contains(">assign_evaluation<"))
            // DINKES's figures from its link: the 95th percentile 20 Mbps in, the peak 40, the busy hour 10.00.
            let figures = try #require(page.element("figures-DINKES-snmp", closing: "table"))
            #expect(figures.contains(">20<") && figures.contains(">40<") && figures.contains("10.00 · "))
            #expect(page.body.contains(#"id="survey-chart-dinkes""#) && page.body.contains("<polyline class=\"series in\""))
            let setda = try #require(page.element("survey-agency-SETDA", closing: "section"))
            #expect(setda.contains("Belum ada data terukur") && !setda.contains("<svg"), "no empty chart under the notice")
            let plan = try #require(page.element("survey-plan", closing: "table"))
            #expect(plan.contains("Dinas Kesehatan") && plan.contains("Sekretariat Daerah") && plan.contains("terukur"))
            #expect(page.text(ofID: "survey-total")?.contains("Rp ") == true)
            #expect(!page.body.contains("<script"))
            // No step of the module yet: the ticket's own steps come first.
            #expect(page.body.contains(#"id="survey-on-ticket""#) && !page.body.contains(#"id="survey-measure""#))

            // The list shows it; the ticket's module link leads to it.
            let listed = try await browser.get("/surveys", cookies: head.cookies)
            #expect(listed.element("survey-list", closing: "table")?.contains("Survei bandwidth 2027") == true)
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let ticket = try district.simpul.surveys.survey(id, by: district.cli).row.ticketID
            let byTicket = try await browser.get("/surveys/ticket/\(ticket)", cookies: head.cookies)
            #expect(byTicket.status == .seeOther && byTicket.location == location)

            // The CSVs: every figure, and the samples behind them.
            let csv = try await browser.get("\(location)/report.csv", cookies: head.cookies)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix(#"attachment; filename="laporan-survei-\#(id).csv""#) == true)
            #expect(csv.body.hasPrefix("agency,name,method") && csv.body.contains("DINKES,Dinas Kesehatan,snmp"))
            let samples = try await browser.get("\(location)/samples.csv", cookies: head.cookies)
            #expect(samples.status == .ok && samples.headers[.contentDisposition]?.contains("sampel-survei-\(id).csv") == true)
            #expect(samples.body.components(separatedBy: "snmp:NUS-CKB-0008").count - 1 == 3 * 288)
            let printed = try await browser.get("\(location)/print", cookies: head.cookies)
            #expect(printed.status == .ok && printed.body.contains("LAPORAN SURVEI KEBUTUHAN BANDWIDTH"))
            #expect(printed.headers[.contentSecurityPolicy]?.contains("style-src 'unsafe-inline'") == true)

            // Opening with bad input: the form again, with the reason and what was typed.
            var refused = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, title: "Survei terbalik", from: "2026-11-20", to: "2026-11-18"))
            #expect(refused.status == .badRequest && refused.text(ofID: "survey-error")?.contains("sebelum awalnya") == true)
            #expect(refused.inputValue("title") == "Survei terbalik" && refused.body.contains(#"id="s-agency-DINKES-on" checked"#))
            #expect(refused.body.contains(#"<option value="pcap" selected>"#))
            refused = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, agencies: [("DINKES", "carrier-pigeon")]))
            #expect(refused.status == .badRequest && refused.text(ofID: "survey-error")?.contains("metode") == true)
            refused = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, agencies: [("NOPE", "snmp")]))
            #expect(refused.status == .badRequest && refused.text(ofID: "survey-error")?.contains("NOPE") == true)
            refused = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, agencies: []))
            #expect(refused.status == .badRequest && refused.text(ofID: "survey-error")?.contains("paling sedikit satu") == true)
            #expect(try district.simpul.surveys.list(by: district.cli).count == 1)
            // Every agency: SNMP, except those ticked with another method.
            var every = Self.openForm(head.csrf, agencies: [("SETDA", "pcap")])
            every.removeAll { $0.0 == "scope" }
            every.append(("scope", "all"))
            let all = try await browser.post("/surveys", cookies: head.cookies, form: every)
            let allLocation = try #require(all.location)
            let allID = try #require(Int64(allLocation.split(separator: "/").last ?? ""))
            let surveyed = try district.simpul.surveys.survey(allID, by: district.cli).agencies
            #expect(surveyed.count == (try district.simpul.estate.agencyNames(for: district.cli).count))
            #expect(surveyed.first { $0.agency == "SETDA" }?.method == "pcap" && surveyed.first { $0.agency == "DINKES" }?.method == "snmp")

            // A technician does not open surveys; an agency neither.
            let tech = try await browser.logIn("tek1")
            #expect(try await browser.post("/surveys", cookies: tech.cookies, form: Self.openForm(tech.csrf)).status == .forbidden)
            #expect(try await browser.get("/surveys/new", cookies: tech.cookies).status == .forbidden)
            #expect(try await browser.get("/surveys", cookies: tech.cookies).body.contains(#"id="survey-open""#) == false)
        }
    }

    @Test func anAgencyGivesItsNeedsAndIsRefusedABadNumberWithWhatItTyped() async throws {
        let district = try Self.district()
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let location = try await Self.open(browser, head)
            let agency = try await browser.logIn("opd-dinkes")
            let own = try await browser.get("/surveys", cookies: agency.cookies)
            #expect(own.status == .ok && own.body.contains(#"href="\#(location)""#) && own.body.contains(#"id="nav-surveys""#))
            #expect(!own.body.contains(#"id="survey-open""#))
            var page = try await browser.get(location, cookies: agency.cookies)
            #expect(page.status == .ok && page.text(ofID: "survey-needs-agency") == "Dinas Kesehatan")
            #expect(!page.body.contains(#"id="sn-agency""#) && !page.body.contains("Sekretariat Daerah"), "its own agency only")
            #expect(!page.body.contains(#"id="survey-total""#) && !page.body.contains(#"id="survey-timeline""#))

            // Bad numbers: 400, the message, and the form again with what was typed.
            for (form, words) in [(Self.needs(agency.csrf, mbps: "banyak"), "kebutuhan bandwidth (Mbps) harus angka"),
                                  (Self.needs(agency.csrf, mbps: "nan"), "kebutuhan bandwidth"), (Self.needs(agency.csrf, mbps: "inf"), "kebutuhan bandwidth"),
                                  (Self.needs(agency.csrf, mbps: "1e9"), "kebutuhan bandwidth"), (Self.needs(agency.csrf, mbps: "1.250"), "tanpa pemisah ribuan"),
                                  (Self.needs(agency.csrf, mbps: "400001"), "0 sampai 400000"), (Self.needs(agency.csrf, growth: "5000"), "pertumbuhan"),
                                  (Self.needs(agency.csrf, growth: "-3"), "pertumbuhan"), (Self.needs(agency.csrf, staff: "99999999999999999999"), "jumlah pegawai"),
                                  (Self.needs(agency.csrf, staff: "dua"), "jumlah pegawai")] {
                page = try await browser.post("\(location)/needs", cookies: agency.cookies, form: form)
                #expect(page.status == .badRequest, "\(form)")
                #expect(page.text(ofID: "survey-error")?.contains(words) == true, "\(words): \(page.text(ofID: "survey-error") ?? "-")")
                let typed = Dictionary(form, uniquingKeysWith: { a, _ in a })
                #expect(page.inputValue("mbps") == typed["mbps"] && page.inputValue("staff") == typed["staff"] && page.inputValue("growth") == typed["growth"])
                #expect(page.body.contains(">SIMPUS\nZoom rapat</textarea>"))
            }
            #expect(try district.simpul.surveys.survey(1, by: district.cli).needsGiven == 0, "nothing written")

            // Its needs: given for its own agency, whatever agency the form named.
            page = try await browser.post("\(location)/needs", cookies: agency.cookies, form: Self.needs(agency.csrf))
            #expect(page.status == .ok && page.text(ofID: "survey-notice") == "Kebutuhan disimpan.")
            let row = try #require(page.element("agency-DINKES", closing: "tr"))
            #expect(row.contains("120 pegawai") && row.contains("150,5 Mbps") && row.contains("+20 %") && row.contains("SIMPUS, Zoom rapat"))
            let survey = try district.simpul.surveys.survey(1, by: district.cli)
            #expect(survey.agencies.first { $0.agency == "DINKES" }?.needs?.neededMbps == 150.5)
            #expect(survey.agencies.first { $0.agency == "SETDA" }?.needs == nil)
            // The form shows what was given, to change it.
            page = try await browser.get(location, cookies: agency.cookies)
            #expect(page.inputValue("mbps") == "150.5" && page.inputValue("staff") == "120")
            // The recommendation takes the stated need: 150.5 Mbps → the 200 Mbps product.
            #expect(page.element("plan-DINKES", closing: "tr")?.contains("kebutuhan OPD") == true)

            // Staff fill in for another agency with the select.
            let kasi = try await browser.logIn("kasi1")
            page = try await browser.get("\(location)?agency=SETDA", cookies: kasi.cookies)
            #expect(page.body.contains(#"<option value="SETDA" selected>Sekretariat Daerah</option>"#))
            page = try await browser.post("\(location)/needs", cookies: kasi.cookies, form: Self.needs(kasi.csrf, staff: "300", mbps: "30"))
            #expect(page.status == .ok && page.element("agency-SETDA", closing: "tr")?.contains("300 pegawai") == true)

            // The viewer gives no needs; the CSV of an agency's user holds its own line only.
            let viewer = try await browser.logIn("viewer1")
            #expect(try await browser.get(location, cookies: viewer.cookies).body.contains(#"id="survey-needs""#) == false)
            #expect(try await browser.post("\(location)/needs", cookies: viewer.cookies, form: Self.needs(viewer.csrf)).status == .forbidden)
            let csv = try await browser.get("\(location)/report.csv", cookies: agency.cookies)
            #expect(csv.status == .ok && csv.body.contains("DINKES") && !csv.body.contains("SETDA"))
        }
    }

    @Test func theModuleStepsRunOnThePage() async throws {
        let district = try Self.district()
        let simpul = district.simpul
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let location = try await Self.open(browser, head)
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let ticket = try simpul.surveys.survey(id, by: district.cli).row.ticketID
            // The ticket's own first steps: the head assigns, the section prepares the team.
            try Self.assignAndPrepare(ticket, district)

            let kasi = try await browser.logIn("kasi1")
            var page = try await browser.post("\(location)/close-needs", cookies: kasi.cookies, form: [("_csrf", kasi.csrf)])
            #expect(page.status == .conflict && page.text(ofID: "survey-error")?.contains("belum waktunya") == true)
            let tech = try await browser.logIn("tek1")
            page = try await browser.get(location, cookies: tech.cookies)
            #expect(page.body.contains(#"id="survey-measure""#) && !page.body.contains(#"id="survey-on-ticket""#))
            page = try await browser.post("\(location)/measure", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("note", "3 hari SNMP")])
            #expect(page.status == .ok && page.text(ofID: "survey-notice") == "Pengukuran selesai; laporan dilampirkan.")
            #expect(page.body.contains(#"data-step="agency_data""#) && page.text(ofID: "survey-step")?.hasSuffix("Perangkat Daerah") == true)
            // The technician may not close the needs step: 403 with the reason.
            page = try await browser.post("\(location)/close-needs", cookies: tech.cookies, form: [("_csrf", tech.csrf)])
            #expect(page.status == .forbidden && page.body.contains(#"id="survey-error""#))

            page = try await browser.get(location, cookies: kasi.cookies)
            #expect(page.body.contains(#"id="survey-close-needs""#))
            page = try await browser.post("\(location)/close-needs", cookies: kasi.cookies, form: [("_csrf", kasi.csrf)])
            #expect(page.status == .ok && page.body.contains(#"data-step="map_bandwidth""#) && page.body.contains(#"id="survey-issue-map""#))
            #expect(try await browser.get("\(location)/map", cookies: kasi.cookies).status == .notFound, "not issued yet")
            page = try await browser.post("\(location)/issue-map", cookies: kasi.cookies, form: [("_csrf", kasi.csrf)])
            #expect(page.status == .ok && page.text(ofID: "survey-notice") == "Peta bandwidth diterbitkan.")
            #expect(page.body.contains(#"href="\#(location)/map""#) && page.body.contains(#"id="survey-issue-specification""#))
            let map = try await browser.get("\(location)/map", cookies: kasi.cookies)
            #expect(map.status == .ok && map.body.contains("Dinas Kesehatan") && !map.body.contains(#"<header class="top">"#))
            #expect(map.headers[.contentSecurityPolicy]?.contains("style-src 'unsafe-inline'") == true)
            // No PDF renderer in the tests: the reason, not a 500.
            let pdf = try await browser.get("\(location)/map.pdf", cookies: kasi.cookies)
            #expect(pdf.status == .badRequest && pdf.body.contains("pencetak PDF tidak tersedia"))
            // Issued once: the form is gone and a second post is refused.
            page = try await browser.post("\(location)/issue-map", cookies: kasi.cookies, form: [("_csrf", kasi.csrf)])
            #expect(page.status == .conflict)
            page = try await browser.post("\(location)/issue-specification", cookies: kasi.cookies, form: [("_csrf", kasi.csrf)])
            #expect(page.status == .ok && page.element("survey-documents", closing: "ul")?.contains("Spesifikasi Teknis") == true)
            #expect(try await browser.get("\(location)/specification", cookies: kasi.cookies).status == .ok)
        }
    }

    /// A survey whose period runs on waits on its measuring step: the page says the step's clock
    /// starts when the period is over, and the technician may still end the measuring early.
    @Test func aSurveyStillMeasuringSaysSoAndCanBeEndedEarly() async throws {
        let district = try Self.district()
        let simpul = district.simpul
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let opened = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, from: "2026-11-20", to: "2026-11-27"))
            let location = try #require(opened.location)
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let ticket = try simpul.surveys.survey(id, by: district.cli).row.ticketID
            try Self.assignAndPrepare(ticket, district)
            let tech = try await browser.logIn("tek1")
            var page = try await browser.get(location, cookies: tech.cookies)
            #expect(page.body.contains(#"data-step="survey""#) && page.body.contains("jam langkah ini mulai berjalan setelah masa pengukuran berakhir"))
            #expect(page.text(ofID: "survey-status") == "Ditahan" && page.body.contains(#"id="survey-measure""#))
            let list = try await browser.get("/surveys", cookies: tech.cookies)
            #expect(list.status == .ok && list.body.contains("Melakukan survei kebutuhan bandwith"))
            page = try await browser.post("\(location)/measure", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("note", "diakhiri lebih awal")])
            #expect(page.status == .ok && page.body.contains(#"data-step="agency_data""#) && !page.body.contains("masa pengukuran berakhir"))
        }
    }

    @Test func unknownOrForeignSurveysAreNotFound() async throws {
        let district = try Self.district()
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let location = try await Self.open(browser, head)
            // A second survey without DINKES: its agency's user does not see it.
            let other = try await browser.post("/surveys", cookies: head.cookies, form: Self.openForm(head.csrf, agencies: [("SETDA", "snmp")]))
            let foreign = try #require(other.location)
            let agency = try await browser.logIn("opd-dinkes")
            #expect(try await browser.get(foreign, cookies: agency.cookies).status == .notFound)
            #expect(try await browser.get("\(foreign)/report.csv", cookies: agency.cookies).status == .notFound)
            #expect(try await browser.post("\(foreign)/needs", cookies: agency.cookies, form: Self.needs(agency.csrf)).status == .notFound)
            #expect(try await browser.get("/surveys", cookies: agency.cookies).body.contains(#"href="\#(foreign)""#) == false)
            for path in ["/surveys/999", "/surveys/0", "/surveys/-1", "/surveys/abc", "/surveys/99999999999999999999", "/surveys/%00",
                         "/surveys/999/report.csv", "/surveys/999/samples.csv", "/surveys/999/map", "/surveys/999/specification.pdf",
                         "/surveys/999/print", "/surveys/ticket/999", "/surveys/ticket/abc", "\(location)/nothing-here"] {
                let page = try await browser.get(path, cookies: head.cookies)
                #expect(page.status == .notFound, "\(path): \(page.status)")
                #expect(page.body.contains("<main"), "\(path): an error page")
            }
            #expect(try await browser.post("/surveys/999/needs", cookies: head.cookies, form: Self.needs(head.csrf)).status == .notFound)
            #expect(try await browser.post("\(location)/explode", cookies: head.cookies, form: [("_csrf", head.csrf)]).status == .notFound)
            // A ticket that is not a survey.
            let fault = try district.simpul.tickets.open(playbook: "equipment-repair", subject: "Putus", agency: "DINKES", priority: .normal, assignee: nil,
                                                         note: nil, by: district.cli)
            #expect(try await browser.get("/surveys/ticket/\(fault)", cookies: head.cookies).status == .notFound)
        }
    }
}
