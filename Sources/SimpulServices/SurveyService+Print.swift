import Foundation
import SimpulCore
import SimpulStore

extension SurveyService {
    /// The survey's report as a printable A4 document in Indonesian: the letterhead, the period and
    /// the method, the table of every agency's figures with its completeness, then a page per agency
    /// with the chart of its period (hourly averages and peaks from the five-minute windows, the
    /// 95th percentile and the contracted rate drawn across), its figures and its recommendation;
    /// the uplinks' reconciliation and the plan's total against the budget at the end.
    public func printable(_ id: Int64, by principal: Principal) throws -> String {
        let report = try report(id, by: principal)
        let (district, logo, zone, inventory) = try simpul.database.read { r in
            (try InventoryStore.district(r), try InventoryStore.logo(r), try LANService.officeZone(r), try InventoryStore.load(r))
        }
        let series = try seriesByAgency(report, inventory: inventory, zone: zone)
        return SurveyReportPage(report: report, settings: district?.letters, logo: logo, zone: zone, series: series, printedAt: simpul.now()).html
    }

    /// The printable report as a PDF, printed by the process's renderer.
    public func printablePDF(_ id: Int64, by principal: Principal) async throws -> Data {
        let html = try printable(id, by: principal)
        return try await LANService(simpul: simpul).print(html, Text(id: "PDF laporan survei #\(id)", en: "the PDF of survey #\(id)'s report"))
    }

    /// Each agency's five-minute averages over the period, from the figures' source (SNMP, else capture).
    func seriesByAgency(_ report: Report, inventory: Inventory, zone: TimeZone) throws -> [String: [FiveMinuteAverage]] {
        guard let file = simpul.health, let fromDay = WorkCalendar.dayNumber(report.from), let toDay = WorkCalendar.dayNumber(report.to) else { return [:] }
        let offset = Int64(zone.secondsFromGMT()) * 1000
        let fromMs = Int64(fromDay) * SurveyFigures.dayMillis - offset, toMs = Int64(toDay + 1) * SurveyFigures.dayMillis - offset
        let links = Dictionary(grouping: inventory.links, by: \.agency)
        var out: [String: [FiveMinuteAverage]] = [:]
        try file.database().read { r in
            var known: [String: [KnownInterface]] = [:]
            for agency in report.agencies {
                if agency.basis == "snmp" {
                    var windows: [Int64: FiveMinuteAverage] = [:]
                    for link in links[agency.agency] ?? [] {
                        guard let device = link.device, let name = link.interface else { continue }
                        if known[device] == nil { known[device] = try HealthStore.interfaces(r, device: device) }
                        guard let interface = PollService.interface(named: name, in: known[device] ?? []) else { continue }
                        for a in try Self.averages(r, interface: interface, from: fromMs, to: toMs) {
                            let had = windows[a.start]
                            windows[a.start] = FiveMinuteAverage(start: a.start, inBitsPerSecond: (had?.inBitsPerSecond ?? 0) &+ a.inBitsPerSecond,
                                                                 outBitsPerSecond: (had?.outBitsPerSecond ?? 0) &+ a.outBitsPerSecond, coverage: a.coverage)
                        }
                    }
                    out[agency.agency] = windows.keys.sorted().compactMap { windows[$0] }
                } else if agency.basis == "pcap" {
                    let counts = try CaptureStore.counts(r, agencies: [agency.agency], fromMs: fromMs, toMs: toMs)
                    out[agency.agency] = SurveyFigures.fiveMinuteAverages(counts.map { ($0.startMs, $0.seconds, $0.inbound.bytes, $0.outbound.bytes) })
                }
            }
        }
        return out
    }
}

/// The printable survey report (see `SurveyService.printable`).
struct SurveyReportPage {
    var report: SurveyService.Report
    var settings: LetterSettings?
    var logo: StoredLogo?
    var zone: TimeZone
    var series: [String: [FiveMinuteAverage]]
    var printedAt: Date

    static func e(_ s: String) -> String { LetterPage.escape(s) }
    static func mbps(_ bps: UInt64?) -> String { SurveyPage.mbps(bps) }

    static func method(_ m: SurveyService.Method) -> String {
        switch m {
        case .snmp: "pencacah SNMP sambungan OPD"
        case .pcap: "tangkapan paket uplink bersama"
        case .both: "SNMP dan tangkapan paket"
        }
    }

    /// An SVG chart of `averages` folded into hourly points (mean and peak of each hour, in), the
    /// outbound mean, and lines at the 95th percentile and the contracted rate.
    static func chart(_ averages: [FiveMinuteAverage], from: Int64, to: Int64, p95: UInt64?, contract: UInt64?) -> String {
        guard !averages.isEmpty, to > from else { return "<p class=\"small\">Tidak ada data terukur pada periode ini.</p>" }
        let hours = SurveyFigures.buckets(averages, step: 3_600_000)
        let width = 680.0, height = 160.0
        let top = Double(max(hours.map(\.peak).max() ?? 1, contract ?? 0, p95 ?? 0, 1)) * 1.05
        func x(_ ms: Int64) -> Double { (Double(ms - from) / Double(to - from) * width * 100).rounded() / 100 }
        func y(_ bps: Double) -> Double { ((height - bps / top * height) * 100).rounded() / 100 }
        var peakPath = "", inPath = "", outPath = ""
        var last: Int64?
        for v in hours {
            let px = x(v.start + 1_800_000)
            let move = last.map { v.start - $0 > 3_600_000 } ?? true
            peakPath += "\(move ? "M" : "L")\(px),\(y(Double(v.peak)))"
            inPath += "\(move ? "M" : "L")\(px),\(y(v.inMean))"
            outPath += "\(move ? "M" : "L")\(px),\(y(v.outMean))"
            last = v.start
        }
        var lines = ""
        if let contract, contract > 0 {
            lines += "<line x1=\"0\" x2=\"\(width)\" y1=\"\(y(Double(contract)))\" y2=\"\(y(Double(contract)))\" class=\"contract\"/>"
        }
        if let p95 { lines += "<line x1=\"0\" x2=\"\(width)\" y1=\"\(y(Double(p95)))\" y2=\"\(y(Double(p95)))\" class=\"p95\"/>" }
        return """
        <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Grafik lalu lintas per jam"><rect width="\(Int(width))" height="\(Int(height))" class="frame"/>\
        \(lines)<path d="\(peakPath)" class="peak"/><path d="\(inPath)" class="in"/><path d="\(outPath)" class="out"/></svg>
        <p class="small legend"><span class="k in"></span> masuk (rata-rata per jam) <span class="k peak"></span> puncak 5 menit <span class="k out"></span> keluar \
        <span class="k p95"></span> persentil ke-95 <span class="k contract"></span> kontrak · skala atas \(mbps(UInt64(top))) Mbps</p>
        """
    }

    func figures(_ title: String, _ f: SurveyFigures?) -> String {
        guard let f else { return "" }
        func row(_ name: String, _ a: String, _ b: String) -> String { "<tr><th>\(name)</th><td class=\"n\">\(a)</td><td class=\"n\">\(b)</td></tr>" }
        func pct(_ v: Double?) -> String { v.map { SurveyPage.decimal($0 * 100, digits: 0) + " %" } ?? "–" }
        func months(_ v: Double?) -> String { v.map { SurveyPage.decimal($0) + " bulan" } ?? "tidak tercapai pada tren ini" }
        func trend(_ v: Double?) -> String { v.map { SurveyPage.decimal($0 / 1_000_000, digits: 3) + " Mbps/hari" } ?? "–" }
        return """
        <table class="grid figures"><caption>\(Self.e(title)) · kelengkapan \(pct(f.completeness)) (\(f.windows) dari \(f.expectedWindows) jendela 5 menit)</caption>
        <tr><th></th><th>Masuk (unduh)</th><th>Keluar (unggah)</th></tr>
        \(row("Rata-rata (Mbps)", Self.mbps(f.inbound.meanBitsPerSecond), Self.mbps(f.outbound.meanBitsPerSecond)))
        \(row("Jam sibuk", String(format: "%02d:00 · %@", f.inbound.busyHour, Self.mbps(f.inbound.busyHourMeanBitsPerSecond)), String(format: "%02d:00 · %@", f.outbound.busyHour, Self.mbps(f.outbound.busyHourMeanBitsPerSecond))))
        \(row("Puncak 5 menit (Mbps)", Self.mbps(f.inbound.peakBitsPerSecond), Self.mbps(f.outbound.peakBitsPerSecond)))
        \(row("Persentil ke-95 (Mbps)", Self.mbps(f.inbound.percentile95BitsPerSecond), Self.mbps(f.outbound.percentile95BitsPerSecond)))
        \(row("Terhadap kontrak", pct(f.inbound.utilisation), pct(f.outbound.utilisation)))
        \(row("Tren", trend(f.inbound.trendBitsPerSecondPerDay), trend(f.outbound.trendBitsPerSecondPerDay)))
        \(row("Sampai kontrak penuh", months(f.inbound.monthsToContract), months(f.outbound.monthsToContract)))
        </table>
        """
    }

    var html: String {
        let offset = Int64(zone.secondsFromGMT()) * 1000
        let from = Int64(WorkCalendar.dayNumber(report.from) ?? 0) * SurveyFigures.dayMillis - offset
        let to = Int64((WorkCalendar.dayNumber(report.to) ?? 0) + 1) * SurveyFigures.dayMillis - offset
        let period = "\(LetterPage.longDate(SurveyPage.day(report.from), .gmt)) – \(LetterPage.longDate(SurveyPage.day(report.to), .gmt))"
        var summary = ""
        for (i, a) in report.agencies.enumerated() {
            let f = a.snmp ?? a.capture
            summary += """
            <tr><td>\(i + 1)</td><td>\(Self.e(a.name))</td><td>\(Self.method(a.method))</td><td class="n">\(f.map { SurveyPage.decimal($0.completeness * 100, digits: 0) + " %" } ?? "–")</td>
            <td class="n">\(Self.mbps(f?.inbound.percentile95BitsPerSecond)) / \(Self.mbps(f?.outbound.percentile95BitsPerSecond))</td>
            <td class="n">\(a.contractedDownMbps.map { SurveyPage.decimal($0, digits: 0) } ?? "–")</td>
            <td class="n">\(a.recommendation?.tier.map { "\($0.mbps)" } ?? "–")</td></tr>
            """
        }
        var pages = ""
        for a in report.agencies {
            let f = a.snmp ?? a.capture
            let needs = a.needs.map { n in
                [n.staff.map { "\($0) pegawai" }, n.applications.isEmpty ? nil : "aplikasi: " + n.applications.joined(separator: ", "),
                 n.neededMbps.map { "kebutuhan \(SurveyPage.decimal($0)) Mbps" }, n.growthPercent.map { "pertumbuhan \(SurveyPage.decimal($0)) %" },
                 n.note].compactMap { $0 }.map(Self.e).joined(separator: "; ")
            } ?? "belum diisi"
            let r = a.recommendation
            let share = a.captureShareOfSNMP.map { "<p>Tangkapan paket mengatribusikan \(SurveyPage.decimal($0 * 100, digits: 0)) % dari total SNMP sambungan ini.</p>" } ?? ""
            let drops = a.captureRuns.isEmpty ? "" : "<p class=\"small\">Tangkapan: \(a.captureRuns.count) kali, \(a.captureReceived) paket diterima kernel, \(a.captureDropped) dibuang.</p>"
            pages += """
            <section class="agency"><h2>\(Self.e(a.name))</h2>
            <p>Metode: \(Self.method(a.method)); sirkuit: \(a.circuits.isEmpty ? "–" : Self.e(a.circuits.joined(separator: ", "))); kontrak \(a.contractedDownMbps.map { SurveyPage.decimal($0, digits: 0) } ?? "–")/\(a.contractedUpMbps.map { SurveyPage.decimal($0, digits: 0) } ?? "–") Mbps.</p>
            \(Self.chart(series[a.agency] ?? [], from: from, to: to, p95: f?.inbound.percentile95BitsPerSecond, contract: a.contractedDownMbps.map { UInt64($0 * 1_000_000) }))
            \(figures("Pencacah SNMP", a.snmp))\(figures("Tangkapan paket", a.capture))\(share)\(drops)
            <p>Kebutuhan yang dinyatakan OPD: \(needs).</p>
            <p><strong>Rekomendasi:</strong> \(r.map { "perlu \(SurveyPage.decimal($0.requiredMbps)) Mbps (\(SurveyPage.basis($0.basis))), disediakan \($0.tier.map { "\($0.mbps) Mbps, \(SurveyPage.rupiah($0.monthlyPrice)) per bulan" } ?? "–")\($0.exceedsLargestTier ? " — melebihi paket terbesar, perlu ditinjau" : "")" } ?? "–").</p>
            </section>
            """
        }
        let uplinks = report.uplinks.map { u in
            "<li>\(Self.e(u.circuit)): \(u.windows) jendela 5 menit; tangkapan melihat \(u.capturedShareOfSNMP.map { SurveyPage.decimal($0 * 100, digits: 0) } ?? "–") % dari total SNMP, \(u.attributedShareOfSNMP.map { SurveyPage.decimal($0 * 100, digits: 0) } ?? "–") % teratribusi ke OPD.</li>"
        }.joined()
        let budget = report.plan.monthlyBudget.map { " dari pagu \(SurveyPage.rupiah($0)) (\(report.plan.monthlyTotal <= $0 ? "dalam pagu" : "melebihi pagu"))" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Laporan Survei Bandwidth — \(Self.e(report.title))</title>
        <style>
        @page { size: A4; margin: 15mm 15mm 15mm 20mm; }
        html { background: #fff; }
        body { font-family: "DejaVu Serif", "Times New Roman", serif; font-size: 10.5pt; line-height: 1.4; color: #000; margin: 0 auto; max-width: 180mm; }
        \(LetterPage.letterheadStyle)
        h1 { font-size: 13pt; text-align: center; margin: 2mm 0; }
        h2 { font-size: 12pt; margin: 0 0 2mm; }
        p { margin: 0 0 2mm; overflow-wrap: anywhere; }
        .grid { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 3mm; }
        .grid th, .grid td { border: 1px solid #000; padding: 0.8mm 1.5mm; vertical-align: top; text-align: left; }
        .grid caption { text-align: left; font-weight: bold; }
        .n { text-align: right; white-space: nowrap; }
        .small { font-size: 8.5pt; }
        .agency { page-break-before: always; }
        .chart { width: 100%; height: auto; }
        .chart .frame { fill: #fff; stroke: #999; }
        .chart path { fill: none; stroke-width: 1.2; }
        .chart .in { stroke: #1f5fa8; } .chart .peak { stroke: #9cc3ee; } .chart .out { stroke: #b35c00; }
        .chart line { stroke-width: 1; } .chart .contract { stroke: #c00; stroke-dasharray: 6 3; } .chart .p95 { stroke: #444; stroke-dasharray: 2 2; }
        .legend .k { display: inline-block; width: 6mm; height: 0; border-top: 2px solid; vertical-align: middle; }
        .legend .in { border-color: #1f5fa8; } .legend .peak { border-color: #9cc3ee; } .legend .out { border-color: #b35c00; }
        .legend .p95 { border-top: 2px dashed #444; } .legend .contract { border-top: 2px dashed #c00; }
        @media screen { body { padding: 6mm; } .agency { border-top: 1px solid #ccc; padding-top: 4mm; margin-top: 6mm; } }
        @media screen and (max-width: 600px) { body { padding: 2mm; } .grid { display: block; overflow-x: auto; } .kop .logo { width: 14mm; } }
        </style></head>
        <body>
        \(settings.map { LetterPage.letterhead($0, logo: logo) } ?? "")
        <h1>LAPORAN SURVEI KEBUTUHAN BANDWIDTH PERANGKAT DAERAH</h1>
        <p><strong>\(Self.e(report.title))</strong>, periode \(period) (zona \(Self.e(report.timeZone))), tiket Simpul #\(report.ticket). Dicetak \(LetterPage.longDate(printedAt, zone)).</p>
        <p>Metode: pencacah SNMP pada sambungan OPD sendiri dibaca tiap menit oleh Simpul; tangkapan paket pada uplink bersama diatribusikan ke OPD menurut rentang alamatnya (awalan terpanjang). Persentil ke-95: nilai rata-rata 5 menit periode ini diurutkan, 5 % tertinggi dibuang, nilai terbesar yang tersisa. Jendela tanpa data tidak dihitung sebagai nol; kelengkapan menyebut berapa bagian periode yang terukur.</p>
        <table class="grid"><thead><tr><th>No</th><th>Perangkat Daerah</th><th>Metode</th><th>Lengkap</th><th>P95 masuk/keluar (Mbps)</th><th>Kontrak (Mbps)</th><th>Disediakan (Mbps)</th></tr></thead>
        <tbody>\(summary)</tbody></table>
        \(uplinks.isEmpty ? "" : "<p><strong>Uplink bersama</strong></p><ul>\(uplinks)</ul>")
        <p><strong>Jumlah penyediaan per bulan: \(SurveyPage.rupiah(report.plan.monthlyTotal))</strong>\(budget); faktor cadangan \(SurveyPage.decimal(report.headroom, digits: 2)).</p>
        \(pages)
        </body></html>
        """
    }
}
