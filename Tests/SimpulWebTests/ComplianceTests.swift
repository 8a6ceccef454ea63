import Foundation
import HTTPTypes
@testable import SimpulWeb
import SimpulCore
import SimpulServices
import Testing

@Suite("Compliance report")
struct ComplianceTests {
    /// One fault run through three steps: report on time, assign late, repair on time.
    func runOneFault(_ fixture: WebFixture) throws -> Int64 {
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        let kasi = try fixture.principal("kasi1"), tek = try fixture.principal("tek1")
        fixture.clock.advance(minutes: 2)
        try fixture.simpul.tickets.act(id, .complete(evidence: [.init(kind: .note, value: "via WA")], branch: nil, note: nil, assignTo: nil), by: kasi)
        fixture.clock.advance(minutes: 15)
        try fixture.simpul.tickets.act(id, .complete(evidence: [.init(kind: .note, value: "tek1")], branch: nil, note: nil, assignTo: "tek1"), by: kasi)
        fixture.clock.advance(minutes: 30)
        try fixture.simpul.tickets.act(id, .complete(evidence: [.init(kind: .note, value: "konektor diganti")], branch: "fixed", note: nil, assignTo: nil), by: tek)
        return id
    }

    @Test func thePageHasTablesAndAnAccessibleChart() async throws {
        let fixture = try WebFixture()
        _ = try runOneFault(fixture)
        try await fixture.test { browser in
            let session = try await browser.logIn("head1")
            let page = try await browser.get("/reports/compliance?playbook=fault-dispatch", cookies: session.cookies)
            #expect(page.status == .ok)
            // The last 30 days up to today, in the office's zone.
            #expect(page.inputValue("from") == "2026-10-23" && page.inputValue("to") == "2026-11-21")
            let chart = try #require(page.element("compliance-chart", closing: "svg"))
            #expect(chart.hasPrefix("<svg"))
            #expect(chart.contains(#"role="img""#) && chart.contains(#"<title id="chart-title">Waktu langkah terhadap standar</title>"#))
            #expect(chart.contains(#"<rect class="median ok""#))
            #expect(chart.contains(#"<rect class="median late""#))   // assign: 15 of 10 minutes
            #expect(chart.contains(#"<line class="standard""#))
            #expect(chart.contains("<title>Menugaskan teknisi jaringan melakukan pemeriksaan gangguan jaringan: median 150 % dari standar, persentil ke-90 150 %</title>"))
            #expect(chart.contains("tanpa standar waktu") == false)
            let assign = try #require(page.element("cstep-assign", closing: "tr"))
            #expect(assign.contains(#"<td class="num">1</td>"#) && assign.contains("0 %") && assign.contains("15 menit"))
            #expect(assign.contains("Kepala Bidang/Seksi 1"))
            let report = try #require(page.element("cstep-report", closing: "tr"))
            #expect(report.contains("100 %") && report.contains("dicatat atas nama:"))
            #expect(page.element("compliance-agencies", closing: "table")?.contains("DINKES") == true)
            #expect(page.element("compliance-people", closing: "table")?.contains("tek1") == true)
            #expect(page.body.contains(#"href="/reports/compliance.csv?playbook=fault-dispatch&amp;from=2026-10-23&amp;to=2026-11-21""#))
        }
    }

    @Test func csvHasAHeaderRowAndOneRowPerStep() async throws {
        let fixture = try WebFixture()
        _ = try runOneFault(fixture)
        try await fixture.test { browser in
            let session = try await browser.logIn("kasi1")
            let csv = try await browser.get("/reports/compliance.csv?playbook=fault-dispatch&from=2026-11-01&to=2026-11-21", cookies: session.cookies)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix(#"attachment; filename="kepatuhan-fault-dispatch-2026-11-01-2026-11-21.csv""#) == true)
            let lines = csv.body.components(separatedBy: "\r\n")
            #expect(lines.first?.hasPrefix("bagian,kunci,nama,pelaku,jam,standar") == true)
            #expect(lines.filter { $0.hasPrefix("langkah,") }.count == 9)
            #expect(lines.contains { $0.hasPrefix("langkah,assign,") && $0.contains(",1,0,0.0,15.0,15.0,") })
        }
    }

    @Test func refusalsAreReadable() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            #expect(try await browser.get("/reports/compliance", cookies: agency.cookies).status == .forbidden)
            #expect(try await browser.get("/reports/compliance.csv", cookies: agency.cookies).status == .forbidden)
            let head = try await browser.logIn("head1")
            let badDate = try await browser.get("/reports/compliance?playbook=fault-dispatch&from=2026-13-01&to=2026-11-21", cookies: head.cookies)
            #expect(badDate.status == .badRequest)
            #expect(badDate.text(ofID: "form-error") == "tanggal ditulis TTTT-BB-HH, mis. 2026-11-01")
            #expect(badDate.inputValue("from") == "2026-13-01")
            let backwards = try await browser.get("/reports/compliance?from=2026-11-21&to=2026-11-01", cookies: head.cookies)
            #expect(backwards.status == .badRequest)
            #expect(backwards.text(ofID: "form-error") == "tanggal awal harus sebelum atau sama dengan tanggal akhir")
            let unknown = try await browser.get("/reports/compliance?playbook=nope", cookies: head.cookies)
            #expect(unknown.status == .notFound)
            #expect(unknown.text(ofID: "form-error")?.hasPrefix(#"playbook "nope" belum dimuat"#) == true)
            // No tickets in the period: the chart says so for each step.
            let empty = try await browser.get("/reports/compliance?playbook=hosting-intake", cookies: head.cookies)
            #expect(empty.status == .ok)
            #expect(empty.element("compliance-chart", closing: "svg")?.contains("belum ada langkah selesai") == true)
        }
    }

    @Test func chartScalesToTheLongestBarAndCutsAtFiveTimesTheStandard() throws {
        func figures(_ id: String, standard: Double?, median: Double?, p90: Double?) throws -> ComplianceService.StepFigures {
            var json: [String: Any] = ["stepID": id, "title": ["id": "Langkah \(id)", "en": "Step \(id)"], "actor": "technician",
                                       "clock": "office", "done": median == nil ? 0 : 4, "onTime": 2, "byRole": [:], "onBehalf": 0]
            if let standard { json["standardSeconds"] = standard; json["standard"] = ["value": Int(standard / 60), "unit": "m"] }
            if let median { json["median"] = median }
            if let p90 { json["p90"] = p90 }
            return try JSONDecoder().decode(ComplianceService.StepFigures.self, from: JSONSerialization.data(withJSONObject: json))
        }
        let words = Wording(catalogue: try Catalogue.bundled(), language: .en)
        let chart = ComplianceChart(steps: [
            try figures("a", standard: 600, median: 300, p90: 660),
            try figures("b", standard: 600, median: 1200, p90: 1500),
            try figures("c", standard: nil, median: 100, p90: 100),
            try figures("d", standard: 600, median: nil, p90: nil),
        ], words: words)
        #expect(chart.scale == 250)
        #expect(chart.standardX == ((ComplianceChart.plotLeft + ComplianceChart.plotWidth * 100 / 250) * 10).rounded() / 10)
        #expect(chart.rows[0].medianPercent == 50 && chart.rows[0].p90Percent == 110 && !chart.rows[0].late && chart.rows[0].p90Late)
        #expect(chart.rows[1].late && chart.rows[1].valueText == "200 %")
        #expect(chart.rows[2].note == "no time standard" && chart.rows[3].note == "no completed steps yet")
        #expect(chart.ticks.map(\.label) == ["0 %", "50 %", "100 %", "150 %", "200 %", "250 %"])
        let huge = ComplianceChart(steps: [try figures("x", standard: 60, median: 6000, p90: 9000)], words: words)
        #expect(huge.scale == 500)
        #expect(huge.rows[0].barWidth == ComplianceChart.plotWidth)
        #expect(huge.rows[0].valueText == "10000 %")
    }
}
