import Foundation
import SimpulCore

/// The survey's issued documents as printable A4 pages (HTML with its own CSS, nothing fetched):
/// the bandwidth map of step 5 (per agency: what was measured, what it asked for, what to provide,
/// at what monthly price, and the total against the budget line) and the technical specification
/// of step 6 (the bandwidth per agency and the service terms the procurement asks for), each under
/// the office's letterhead and signed.
struct SurveyPage {
    var kind: SurveyService.DocumentKind
    var report: SurveyService.Report
    var settings: LetterSettings
    var logo: StoredLogo?
    var zone: TimeZone
    var signedAt: Date
    var signer: String
    var providers: [Provider]

    static func e(_ text: String) -> String { LetterPage.escape(text) }

    static func mbps(_ bps: UInt64?) -> String {
        guard let bps else { return "–" }
        return Self.decimal(Double(bps) / 1_000_000)
    }

    static func decimal(_ value: Double, digits: Int = 1) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "id_ID")
        formatter.numberStyle = .decimal
        formatter.minimumFractionDigits = digits
        formatter.maximumFractionDigits = digits
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    static func rupiah(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "id_ID")
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return "Rp " + (formatter.string(from: NSNumber(value: value)) ?? String(value))
    }

    static func basis(_ b: BandwidthSizing.Basis) -> String {
        switch b {
        case .measured: "terukur"
        case .stated: "kebutuhan OPD"
        case .current: "tetap seperti sekarang"
        case .none: "–"
        }
    }

    var table: String {
        var rows = ""
        for (i, a) in report.agencies.enumerated() {
            let r = a.recommendation
            let figures = a.snmp ?? a.capture
            let p95 = figures.map { max($0.inbound.percentile95BitsPerSecond, $0.outbound.percentile95BitsPerSecond) }
            rows += """
            <tr><td>\(i + 1)</td><td>\(Self.e(a.name))</td><td class="n">\(a.contractedDownMbps.map { Self.decimal($0, digits: 0) } ?? "–")</td>
            <td class="n">\(Self.mbps(p95))</td><td class="n">\(a.needs?.neededMbps.map { Self.decimal($0) } ?? "–")</td>
            <td class="n">\(r.map { Self.decimal($0.requiredMbps) } ?? "–")</td><td>\(r.map { Self.basis($0.basis) } ?? "–")</td>
            <td class="n"><strong>\(r?.tier.map { "\($0.mbps)" } ?? "–")</strong>\(r?.exceedsLargestTier == true ? " *" : "")</td>
            <td>\(Self.e(r?.provider ?? "–"))</td><td class="n">\(r?.tier.map { Self.rupiah($0.monthlyPrice) } ?? "–")</td></tr>
            """
        }
        let budget = report.plan.monthlyBudget.map { budget -> String in
            let within = report.plan.monthlyTotal <= budget
            return "<tr><td colspan=\"9\">Pagu anggaran per bulan</td><td class=\"n\">\(Self.rupiah(budget))</td></tr>"
                + "<tr><td colspan=\"9\"><strong>\(within ? "Dalam pagu" : "MELEBIHI PAGU") (selisih \(Self.rupiah(abs(budget - report.plan.monthlyTotal))))</strong></td><td></td></tr>"
        } ?? ""
        return """
        <table class="grid"><thead><tr><th>No</th><th>Perangkat Daerah</th><th>Kontrak kini (Mbps)</th><th>Persentil ke-95 terukur (Mbps)</th>
        <th>Kebutuhan OPD (Mbps)</th><th>Perlu (Mbps)</th><th>Dasar</th><th>Disediakan (Mbps)</th><th>Penyedia</th><th>Harga per bulan</th></tr></thead>
        <tbody>\(rows)</tbody>
        <tfoot><tr><td colspan="9"><strong>Jumlah per bulan</strong></td><td class="n"><strong>\(Self.rupiah(report.plan.monthlyTotal))</strong></td></tr>\(budget)</tfoot></table>
        """
    }

    var body: String {
        let period = "\(LetterPage.longDate(Self.day(report.from), .gmt)) – \(LetterPage.longDate(Self.day(report.to), .gmt))"
        switch kind {
        case .map:
            return """
            <p>Berdasarkan survei kebutuhan bandwidth \(Self.e(report.title)) periode \(period) (tiket Simpul #\(report.ticket)), bandwidth yang
            disediakan untuk setiap perangkat daerah dipetakan sebagai berikut. "Perlu" adalah yang lebih besar dari persentil ke-95 terukur
            (5 menitan, 5 % tertinggi dibuang) dikali faktor cadangan \(Self.decimal(report.headroom, digits: 2)) dan pertumbuhan yang dinyatakan OPD,
            dan kebutuhan yang dinyatakan OPD; "Disediakan" adalah paket penyedia terkecil yang memenuhinya.</p>
            \(table)
            <p class="small">* melebihi paket terbesar penyedia: diberikan paket terbesar; perlu ditinjau.</p>
            """
        case .specification:
            let used = Set(report.agencies.compactMap { $0.recommendation?.provider })
            let sla = providers.filter { used.contains($0.code) }.map { p in
                "<li>\(Self.e(p.name)): ketersediaan bulanan paling rendah \(Self.decimal(p.sla.availabilityPercent, digits: 2)) %, tanggapan gangguan paling lama \(p.sla.responseMinutes) menit, pemulihan paling lama \(p.sla.restoreMinutes) menit.</li>"
            }.joined()
            return """
            <p>Spesifikasi teknis ini menjadi bahan dokumen pengadaan jasa layanan bandwidth perangkat daerah, disusun dari pemetaan
            penyediaan bandwidth hasil survei \(Self.e(report.title)) periode \(period) (tiket Simpul #\(report.ticket)).</p>
            <p><strong>1. Lingkup.</strong> Penyediaan akses internet dedicated (rasio 1:1, simetris kecuali disebut lain) ke setiap perangkat
            daerah berikut, dengan bandwidth sesuai kolom "Disediakan".</p>
            \(table)
            <p><strong>2. Tingkat layanan (SLA).</strong></p><ul>\(sla.isEmpty ? "<li>Sesuai kontrak penyedia.</li>" : sla)</ul>
            <p><strong>3. Pengukuran.</strong> Pemakaian diukur per 5 menit dari pencacah SNMP perangkat jaringan Diskominfo; tagihan dan evaluasi
            memakai persentil ke-95 bulanan (5 % nilai tertinggi dibuang). Gangguan dicatat dan dieskalasikan melalui Simpul; waktu pemulihan
            dihitung dari awal gangguan yang terukur.</p>
            <p><strong>4. Pelaporan.</strong> Penyedia menyampaikan laporan bulanan ketersediaan dan gangguan per sirkuit.</p>
            """
        }
    }

    static func day(_ text: String) -> Date {
        WorkCalendar.dayNumber(text).map { Date(timeIntervalSince1970: Double($0) * 86_400 + 43_200) } ?? Date(timeIntervalSince1970: 0)
    }

    var html: String {
        let s = settings
        return """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(Self.e(kind.title.id))</title>
        <style>
        @page { size: A4 landscape; margin: 15mm 15mm 15mm 20mm; }
        html { background: #fff; }
        body { font-family: "DejaVu Serif", "Times New Roman", serif; font-size: 10.5pt; line-height: 1.4; color: #000; margin: 0 auto; max-width: 260mm; }
        \(LetterPage.letterheadStyle)
        .title { text-align: center; font-weight: bold; text-decoration: underline; margin: 3mm 0; font-size: 12pt; }
        p { text-align: justify; margin: 0 0 3mm; overflow-wrap: anywhere; }
        .grid { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 3mm; }
        .grid th, .grid td { border: 1px solid #000; padding: 1mm 1.5mm; vertical-align: top; }
        .grid th { background: #eee; }
        .n { text-align: right; white-space: nowrap; }
        .small { font-size: 8.5pt; }
        .signs { display: flex; justify-content: flex-end; margin-top: 6mm; page-break-inside: avoid; }
        .sign { width: 75mm; }
        .sign .space { height: 18mm; display: flex; align-items: center; }
        .sign .stamp { font-size: 8pt; border: 1px solid #555; padding: 1mm 2mm; color: #333; }
        @media screen { body { padding: 6mm; } }
        @media screen and (max-width: 600px) { body { padding: 2mm; font-size: 10pt; } .grid { display: block; overflow-x: auto; } .kop .logo { width: 14mm; } .signs { justify-content: flex-start; } .sign { width: auto; } }
        </style></head>
        <body>
        \(LetterPage.letterhead(s, logo: logo))
        <div class="title">\(Self.e(kind.title.id.uppercased()))</div>
        \(body)
        <div class="signs"><div class="sign"><div>\(Self.e(s.city)), \(LetterPage.longDate(signedAt, zone))</div>
        <div class="space"><span class="stamp">Ditandatangani secara elektronik di Simpul oleh \(Self.e(signer))</span></div></div></div>
        </body></html>
        """
    }
}
