import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// `simpul survey`: bandwidth surveys (SOP 13) from opening to the signed map and the specification.
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Survei kebutuhan bandwidth OPD / bandwidth surveys of the agencies.",
        discussion: """
        A survey runs on the bandwidth-survey playbook: open it with its agencies and period, measure (link-health
        SNMP counters on each agency's own link, `simpul capture` on a shared uplink), let the agencies give their
        needs, then read the report and the recommendation, and issue the signed map and the specification.
          simpul survey open --title "Survei 2027" --from 2026-11-01 --to 2026-11-30 --agency DINKES --agency SETDA:pcap
          simpul survey report 1 --csv > survei-1.csv
          simpul survey recommend 1
        """,
        subcommands: [Open.self, List.self, Show.self, Needs.self, CloseNeeds.self, Report.self, Measured.self, Recommend.self, Issue.self, GenerateSamples.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Buka survei / open a survey.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Judul / title.") var title: String
        @Option(help: "Awal periode / first day (YYYY-MM-DD).") var from: String
        @Option(help: "Akhir periode / last day (YYYY-MM-DD).") var to: String
        @Option(help: "OPD[:snmp|pcap|both] (boleh berulang; bawaan snmp) / an agency and its method (repeatable; default snmp).") var agency: [String] = []
        @Flag(help: "Semua OPD di inventaris (metode snmp) / every agency in the inventory (method snmp).") var all = false
        @Option(help: "Penanggung jawab (teknisi) / who is responsible (a technician).") var responsible: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                var agencies = try agency.map { entry -> (code: String, method: SurveyService.Method) in
                    let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
                    return (parts[0], parts.count > 1 ? try SurveyService.Method.parse(parts[1]) : .snmp)
                }
                if all {
                    let listed = Set(agencies.map { $0.code.uppercased() })
                    agencies += try simpul.estate.agencyNames(for: options.principal).filter { !listed.contains($0.code) }.map { ($0.code, .snmp) }
                }
                let survey = try simpul.surveys.open(SurveyService.OpenForm(title: title, from: from, to: to, agencies: agencies, responsible: responsible),
                                                     by: try acting.principal(simpul, options))
                if json { try Output.json(SurveyJSON(survey)); return }
                SurveyCommand.print(survey, options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar survei / the surveys.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                if json { try Output.json(try options.simpul().surveys.list(by: options.principal)); return }
                let surveys = try options.simpul().surveys.surveys(by: options.principal)
                let id = options.language == .id
                Output.table(id ? ["SURVEI", "TIKET", "JUDUL", "PERIODE", "STATUS", "LANGKAH"] : ["SURVEY", "TICKET", "TITLE", "PERIOD", "STATUS", "STEP"],
                             surveys.map { s in
                                 ["#\(s.id)", "#\(s.row.ticketID)", s.row.title, "\(s.row.periodFrom) – \(s.row.periodTo)",
                                  s.statusText(options.language), s.stepTitle.map { $0(options.language) } ?? "-"]
                             })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Rincian survei / one survey.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(survey, "survey") }

        func run() throws {
            try options.run {
                let found = try options.simpul().surveys.survey(survey, by: options.principal)
                if json { try Output.json(SurveyJSON(found)); return }
                SurveyCommand.print(found, options)
            }
        }
    }

    static func print(_ s: SurveyService.Survey, _ options: GlobalOptions) {
        let id = options.language == .id
        Swift.print("#\(s.row.id) \(s.row.title) [" + (id ? "tiket" : "ticket") + " #\(s.row.ticketID), \(s.statusText(options.language))]")
        Swift.print((id ? "periode: " : "period: ") + "\(s.row.periodFrom) – \(s.row.periodTo)" + (s.row.responsible.map { (id ? "; penanggung jawab " : "; responsible ") + $0 } ?? ""))
        Swift.print((id ? "langkah: " : "step: ") + (s.stepTitle.map { $0(options.language) } ?? (id ? "selesai" : "done")))
        Swift.print((id ? "kebutuhan diisi: " : "needs given: ") + "\(s.needsGiven)/\(s.agencies.count)")
        for a in s.agencies {
            let needs = a.needs.map { n in
                [n.neededMbps.map { "\($0) Mbps" }, n.growthPercent.map { "+\($0) %" }, n.staff.map { (id ? "\($0) pegawai" : "\($0) staff") }]
                    .compactMap { $0 }.joined(separator: ", ")
            } ?? "-"
            Swift.print("  \(a.agency) [\(a.method)] \(needs)")
        }
        if !s.documents.isEmpty { Swift.print((id ? "dokumen: " : "documents: ") + s.documents.joined(separator: ", ")) }
    }

    struct Needs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "needs", abstract: "Isi kebutuhan OPD / record an agency's needs.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Option(help: "OPD / agency code.") var agency: String
        @Option(help: "Jumlah pegawai / staff (0–100000).") var staff: Int?
        @Option(help: "Aplikasi dipakai (boleh berulang) / an application used (repeatable).") var app: [String] = []
        @Option(help: "Kebutuhan bandwidth, Mbps (0–400000) / bandwidth needed, Mbps.") var mbps: Double?
        @Option(help: "Pertumbuhan setahun, persen (0–1000) / growth expected in a year, percent.") var growth: Double?
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws {
            try options.require(survey, "survey")
            try options.require(staff, "staff", in: 0...100_000)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let s = try simpul.surveys.needs(survey, agency: agency, StatedNeeds(staff: staff, applications: app, neededMbps: mbps, growthPercent: growth, note: note),
                                                 by: try acting.principal(simpul, options))
                SurveyCommand.print(s, options)
            }
        }
    }

    struct CloseNeeds: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close-needs", abstract: "Tutup langkah kebutuhan / close the needs step with the answers so far.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor survei / survey number.") var survey: Int64

        func validate() throws { try options.require(survey, "survey") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                SurveyCommand.print(try simpul.surveys.closeNeeds(survey, by: try acting.principal(simpul, options)), options)
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Laporan survei / the survey's report.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false
        @Flag(help: "Keluaran CSV setiap angka / CSV of every figure.") var csv = false
        @Flag(help: "Sampel mentah sebagai CSV / the raw samples as CSV.") var samples = false
        @Option(help: "Tulis laporan cetak (A4, HTML) ke berkas ini / write the printable report (A4 HTML) here.") var html: String?
        @Option(help: "Tulis laporan cetak sebagai PDF ke berkas ini / write the printable report as a PDF here.") var pdf: String?

        func validate() throws {
            try options.require(survey, "survey")
            guard [json, csv, samples, html != nil, pdf != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("--json, --csv, --samples, --html, --pdf: choose one")
            }
        }

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let principal = options.principal
                let survey = self.survey
                if samples { Swift.print(SurveyCSV.samples(try simpul.surveys.samples(survey, by: principal)), terminator: ""); return }
                if let html {
                    try Data(try simpul.surveys.printable(survey, by: principal).utf8).write(to: URL(fileURLWithPath: html))
                    return
                }
                if let pdf {
                    let data = try await LANCommand.printing(simpul) { try await simpul.surveys.printablePDF(survey, by: principal) }
                    try data.write(to: URL(fileURLWithPath: pdf))
                    return
                }
                let report = try simpul.surveys.report(survey, by: principal)
                if json { try Output.json(report); return }
                if csv { Swift.print(SurveyCSV.report(report), terminator: ""); return }
                SurveyCommand.print(report, options)
            }
        }
    }

    static func mbps(_ bps: UInt64?) -> String { bps.map { String(format: "%.2f", Double($0) / 1_000_000) } ?? "-" }

    static func print(_ r: SurveyService.Report, _ options: GlobalOptions) {
        let id = options.language == .id
        Swift.print("#\(r.survey) \(r.title): \(r.from) – \(r.to) (\(r.timeZone))")
        Output.table(id ? ["OPD", "SUMBER", "LENGKAP", "RATA2 ↓/↑", "JAM SIBUK ↓", "PUNCAK ↓", "P95 ↓/↑ Mbps", "PAKAI", "BULAN KE KONTRAK"]
                        : ["AGENCY", "SOURCE", "COMPLETE", "MEAN ↓/↑", "BUSY HOUR ↓", "PEAK ↓", "P95 ↓/↑ Mbps", "USE", "MONTHS TO CONTRACT"],
                     r.agencies.flatMap { a -> [[String]] in
                         let sources: [(String, SurveyFigures?)] = [("snmp", a.snmp), ("pcap", a.capture)].filter { $0.1 != nil }
                         if sources.isEmpty { return [[a.agency, "-", "0%", "-", "-", "-", "-", "-", "-"]] }
                         return sources.map { source, f in
                             let f = f!
                             return [a.agency, source, String(format: "%.0f%%", f.completeness * 100),
                                     "\(mbps(f.inbound.meanBitsPerSecond))/\(mbps(f.outbound.meanBitsPerSecond))",
                                     String(format: "%02d:00 %@", f.inbound.busyHour, mbps(f.inbound.busyHourMeanBitsPerSecond)), mbps(f.inbound.peakBitsPerSecond),
                                     "\(mbps(f.inbound.percentile95BitsPerSecond))/\(mbps(f.outbound.percentile95BitsPerSecond))",
                                     f.inbound.utilisation.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                                     f.inbound.monthsToContract.map { String(format: "%.1f", $0) } ?? "-"]
                         }
                     })
        for u in r.uplinks {
            let captured = u.capturedShareOfSNMP.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
            let attributed = u.attributedShareOfSNMP.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
            Swift.print(id ? "  uplink \(u.circuit): \(u.windows) jendela 5 menit; tangkapan melihat \(captured) dari total SNMP, \(attributed) teratribusi ke OPD"
                           : "  uplink \(u.circuit): \(u.windows) five-minute windows; the capture saw \(captured) of the SNMP total, \(attributed) attributed to agencies")
        }
        for a in r.agencies where a.captureShareOfSNMP != nil {
            Swift.print((id ? "  \(a.agency): tangkapan mengatribusikan " : "  \(a.agency): the capture attributed ")
                        + String(format: "%.0f%%", (a.captureShareOfSNMP ?? 0) * 100) + (id ? " dari total SNMP" : " of the SNMP total"))
        }
        SurveyCommand.printPlan(r, options)
    }

    static func printPlan(_ r: SurveyService.Report, _ options: GlobalOptions) {
        let id = options.language == .id
        Output.table(id ? ["OPD", "PERLU Mbps", "DASAR", "DISEDIAKAN Mbps", "PENYEDIA", "RP/BULAN"] : ["AGENCY", "REQUIRED Mbps", "BASIS", "PROVIDE Mbps", "PROVIDER", "RP/MONTH"],
                     r.plan.lines.map { l in
                         [l.agency, String(format: "%.2f", l.requiredMbps), l.basis.rawValue,
                          (l.tier.map { String($0.mbps) } ?? "-") + (l.exceedsLargestTier ? " *" : ""), l.provider ?? "-", l.tier.map { String($0.monthlyPrice) } ?? "-"]
                     })
        var total = (id ? "jumlah per bulan: Rp " : "monthly total: Rp ") + String(r.plan.monthlyTotal)
        if let budget = r.plan.monthlyBudget {
            total += id ? (r.plan.monthlyTotal <= budget ? " — dalam pagu Rp \(budget)" : " — MELEBIHI pagu Rp \(budget)")
                        : (r.plan.monthlyTotal <= budget ? " — within the budget of Rp \(budget)" : " — OVER the budget of Rp \(budget)")
        }
        Swift.print(total)
    }

    struct Measured: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "measured", abstract: "Selesaikan pengukuran (laporan dilampirkan) / end the measuring (the report is attached).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws { try options.require(survey, "survey") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                SurveyCommand.print(try simpul.surveys.completeMeasurement(survey, note: note, by: try acting.principal(simpul, options)), options)
            }
        }
    }

    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "recommend", abstract: "Rekomendasi bandwidth per OPD / the bandwidth to provide each agency.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(survey, "survey") }

        func run() throws {
            try options.run {
                let report = try options.simpul().surveys.report(survey, by: options.principal)
                if json { try Output.json(report.plan); return }
                SurveyCommand.printPlan(report, options)
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue", abstract: "Terbitkan peta bandwidth atau spesifikasi teknis (PDF) / issue the bandwidth map or the specification (PDF).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor survei / survey number.") var survey: Int64
        @Option(help: "map atau specification / map or specification.") var kind: String
        @Option(help: "Simpan PDF-nya ke berkas ini / write its PDF to this file.") var pdf: String?

        func validate() throws { try options.require(survey, "survey") }

        func run() async throws {
            try await options.runAsync {
                guard let which = SurveyService.DocumentKind(rawValue: kind) else {
                    throw CLIError(Text(id: "--kind harus map atau specification", en: "--kind must be map or specification"))
                }
                let simpul = try options.simpul()
                let principal = try acting.principal(simpul, options)
                let survey = self.survey
                let s = try await LANCommand.printing(simpul) { try await simpul.surveys.issue(survey, which, by: principal) }
                if let pdf {
                    let document = try simpul.surveys.document(survey, which, by: principal)
                    guard let data = document.pdf else {
                        throw CLIError(Text(id: "dokumen diterbitkan tanpa PDF (pencetak tidak ada)", en: "the document was issued without a PDF (no renderer)"))
                    }
                    try data.write(to: URL(fileURLWithPath: pdf))
                }
                SurveyCommand.print(s, options)
            }
        }
    }
}

/// A survey as JSON.
struct SurveyJSON: Encodable {
    var survey: SurveyStore.SurveyRow
    var agencies: [SurveyStore.AgencyRow]
    var documents: [String]

    init(_ s: SurveyService.Survey) {
        survey = s.row
        agencies = s.agencies
        documents = s.documents
    }
}
