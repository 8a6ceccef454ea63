import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Laporan / reports.",
        subcommands: [Compliance.self, Provider.self, Faults.self]
    )

    struct Compliance: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "compliance", 
            abstract: "Kepatuhan SOP per langkah, perangkat daerah dan orang / SOP compliance per step, agency and person.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Id playbook.") var playbook: String
        @Option(help: "Tanggal awal YYYY-MM-DD (bawaan: 30 hari lalu) / first day.") var from: String?
        @Option(help: "Tanggal akhir YYYY-MM-DD, termasuk (bawaan: hari ini) / last day, included.") var to: String?
        @Flag(help: "Keluaran CSV / CSV output.") var csv = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let time = simpul.officeTime()
                let (start, end) = try Self.period(from: from, to: to, now: simpul.now(), zone: time.timeZone)
                let report = try simpul.compliance.report(playbook: playbook, from: start, to: end, by: options.principal)
                let language = options.language, id = language == .id, format = Format(language)
                func percent(_ share: Double?) -> String { share.map(format.share) ?? "-" }
                if csv { Swift.print(ComplianceService.csv(report, language), terminator: ""); return }
                if json { try Output.json(report); return }
                Swift.print("\(report.title(language)) — \(time.format(start, language)) … \(time.format(end, language))")
                Swift.print(id ? "tiket dibuka \(report.ticketsOpened), selesai \(report.ticketsDone), batal \(report.ticketsCancelled); tepat waktu \(percent(report.overallOnTimeShare))"
                               : "tickets opened \(report.ticketsOpened), done \(report.ticketsDone), cancelled \(report.ticketsCancelled); on time \(percent(report.overallOnTimeShare))")
                Swift.print()
                Output.table(id ? ["LANGKAH", "PELAKU", "STANDAR", "SELESAI", "TEPAT WAKTU", "MEDIAN", "P90", "OLEH"]
                                : ["STEP", "ACTOR", "STANDARD", "DONE", "ON TIME", "MEDIAN", "P90", "BY"],
                             report.steps.map { s in
                                 [Listing.brief(s.title(language)), s.actor.title(language), s.standard.map(format.standard) ?? "-", format.number(s.done),
                                  percent(s.onTimeShare), s.median.map(format.duration) ?? "-", s.p90.map(format.duration) ?? "-",
                                  s.byRole.sorted { $0.value > $1.value }.map { "\(Role(rawValue: $0.key)?.title(language) ?? $0.key) \($0.value)" }.joined(separator: ", ")]
                             })
                for (title, groups) in [(id ? "Per perangkat daerah" : "Per agency", report.agencies), (id ? "Per orang" : "Per person", report.people)] where !groups.isEmpty {
                    Swift.print()
                    Swift.print(title)
                    Output.table(id ? ["KODE", "NAMA", "LANGKAH", "TEPAT WAKTU", "MEDIAN THD STANDAR"] : ["CODE", "NAME", "STEPS", "ON TIME", "MEDIAN VS STANDARD"],
                                 groups.map { [$0.key, $0.name, format.number($0.done), percent($0.onTimeShare), percent($0.medianShareOfStandard)] })
                }
            }
        }

        /// Whole office-zone days: [from 00:00, the day after `to` 00:00).
        static func period(from: String?, to: String?, now: Date, zone: TimeZone) throws -> (Date, Date) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            func day(_ text: String) throws -> Date {
                guard let date = WorkCalendar.midnight(text, in: zone) else {
                    throw CLIError(Text(id: "\"\(text)\" bukan tanggal; tulis YYYY-MM-DD", en: "\"\(text)\" is not a date; write YYYY-MM-DD"))
                }
                return date
            }
            let today = calendar.startOfDay(for: now)
            let end = try to.map { try calendar.date(byAdding: .day, value: 1, to: day($0))! } ?? calendar.date(byAdding: .day, value: 1, to: today)!
            let start = try from.map(day) ?? calendar.date(byAdding: .day, value: -30, to: end)!
            guard end > start else {
                throw CLIError(Text(id: "--to harus sama dengan atau setelah --from", en: "--to must be on or after --from"))
            }
            return (start, end)
        }
    }

    /// `--month YYYY-MM`: a real month in the office's zone, checked where it is parsed.
    static func month(_ text: String?, _ simpul: Simpul) throws -> ReportMonth {
        guard let text else { return ReportMonth.containing(simpul.now(), in: simpul.officeTime().timeZone) }
        do { return try ReportMonth.parse(text) } catch { throw CLIError(error.text) }
    }

    struct Provider: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "provider", 
            abstract: "SLA penyedia per bulan: respons, pemulihan, pelanggaran dan buktinya, ketersediaan / a provider's month against its SLA.",
            discussion: """
            The faults first escalated to the provider in the month (office time zone): the response time (escalation to
            acknowledgement) and the restore time (outage start to restoration) against the contract; every breach with its
            evidence (each escalation level sent, the acknowledgement, the restoration, who recorded each, the mails and whether
            they were delivered); a clock not done by the month's end (or now) is measured to it. Outage minutes per link (a
            link's overlapping faults counted once) and its availability against the contract.
            Contoh / examples:
              simpul report provider NUSANET --month 2026-11
              simpul report provider NUSANET --month 2026-11 --csv > sla-nusanet-2026-11.csv
            """)

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode penyedia / provider code (simpul provider list).") var code: String
        @Option(help: "Bulan YYYY-MM, waktu kantor (bawaan: bulan ini) / month, office time (default: this month).") var month: String?
        @Flag(help: "Keluaran CSV / CSV output.") var csv = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false
        @Option(help: .hidden) var benchRuns: Int?

        func validate() throws {
            try options.require(benchRuns, "bench-runs", in: Bounds.benchSamples)
            if csv && json { throw ValidationError(Text(id: "pilih --csv atau --json, bukan keduanya", en: "choose --csv or --json, not both")(options.language)) }
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let month = try ReportCommand.month(month, simpul)
                if let runs = benchRuns { return try bench(simpul, month, runs) }
                let report = try simpul.faultReports.provider(code, month: month, by: options.principal)
                if csv { Swift.print(FaultReportService.csv(report, options.language), terminator: ""); return }
                if json { try Output.json(report); return }
                ReportCommand.printProvider(report, language: options.language, time: simpul.officeTime())
            }
        }

        /// For scripts/bench_faults.sh: the report `runs` times in this process (as the command and the
        /// page make it, evidence included), then its median and p99 beside the goal.
        func bench(_ simpul: Simpul, _ month: ReportMonth, _ runs: Int) throws {
            let clock = ContinuousClock()
            var times: [Double] = []
            var faults = 0, breaches = 0
            for _ in 0..<runs {
                let start = clock.now
                let report = try simpul.faultReports.provider(code, month: month, by: options.principal)
                times.append((clock.now - start).seconds * 1000)
                (faults, breaches) = (report.faults.count, report.breaches.count)
            }
            let sorted = times.sorted()
            let median = Percentile.nearestRank(sorted, 0.5) ?? 0, p99 = Percentile.nearestRank(sorted, 0.99) ?? 0
            Swift.print(String(format: "provider report %@ %@: %d faults, %d breaches with evidence; %d runs: median %.1f ms, p99 %.1f ms (goal < 200 ms: %@)",
                               code.uppercased(), month.description, faults, breaches, runs, median, p99, p99 < 200 ? "met" : "NOT met"))
        }
    }

    struct Faults: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "faults", 
            abstract: "Gangguan sebulan per perangkat daerah atau teknisi: jumlah, MTTR, penyebab / a month's faults per agency or technician.",
            discussion: """
            The faults reported in the month (office time zone). MTTR is the mean time from the outage's start to the
            provider's restoration, or to the result step when the office fixed it. A fault's technician is who completed
            its repair step, else whom it is assigned to.
            Contoh / examples:
              simpul report faults --month 2026-11
              simpul report faults --month 2026-11 --by technician --csv
            """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "Bulan YYYY-MM, waktu kantor (bawaan: bulan ini) / month, office time (default: this month).") var month: String?
        @Option(help: "agency atau technician (bawaan: agency) / group by agency or technician.") var by: FaultReportService.Grouping = .agency
        @Flag(help: "Keluaran CSV / CSV output.") var csv = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws {
            if csv && json { throw ValidationError(Text(id: "pilih --csv atau --json, bukan keduanya", en: "choose --csv or --json, not both")(options.language)) }
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let month = try ReportCommand.month(month, simpul)
                let report = try simpul.faultReports.faults(month: month, by: by, by: options.principal)
                let language = options.language, id = language == .id, format = Format(language)
                if csv { Swift.print(FaultReportService.csv(report, language), terminator: ""); return }
                if json { try Output.json(report); return }
                Swift.print((id ? "Gangguan \(month.title(language)), per \(by == .agency ? "perangkat daerah" : "teknisi")"
                                : "Faults \(month.title(language)), per \(by == .agency ? "agency" : "technician")") + " (\(simpul.officeTime().abbreviation))")
                func causes(_ line: FaultReportService.GroupLine) -> String {
                    line.causes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { key, count in
                        "\(FaultCause(rawValue: key)?.title(language) ?? (id ? "belum dicatat" : "not recorded")) \(count)"
                    }.joined(separator: ", ")
                }
                let rows = (report.groups + [report.total]).enumerated().map { index, g -> [String] in
                    let key = index == report.groups.count ? (id ? "JUMLAH" : "TOTAL") : g.key
                    return [key, g.name ?? "", format.number(g.faults), format.number(g.repaired), g.mttrMinutes.map { format.duration($0 * 60) } ?? "-",
                            causes(g)]
                }
                Output.table(id ? [by == .agency ? "KODE" : "PENGGUNA", "NAMA", "GANGGUAN", "DIPERBAIKI", "MTTR", "PENYEBAB"]
                                : [by == .agency ? "CODE" : "USER", "NAME", "FAULTS", "REPAIRED", "MTTR", "CAUSES"], rows)
            }
        }
    }

    /// The provider's month as text: the contract, the figures, the faults, the links, then each
    /// breach with its evidence.
    static func printProvider(_ report: FaultReportService.ProviderReport, language: Language, time: OfficeTime) {
        let id = language == .id, format = Format(language), s = report.summary
        func when(_ stored: String?) -> String { stored.map { time.format(stored: $0, language) } ?? "-" }
        func minutes(_ value: Double?) -> String { value.map { format.duration($0 * 60) } ?? "-" }
        func clock(_ c: FaultReportService.Clock?) -> String {
            guard let c else { return id ? "(bulan lalu)" : "(earlier month)" }
            let mark = c.state.isBreach ? "!" : c.state == .running ? "…" : ""
            return "\(minutes(c.minutes))\(mark)"
        }
        let c = report.contract
        Swift.print("\(report.providerName) (\(report.provider)) — \(report.month.title(language))"
                    + (report.complete ? "" : (id ? ", diukur sampai \(when(report.measuredTo))" : ", measured to \(when(report.measuredTo))")))
        Swift.print(id ? "Kontrak: respons \(format.minutes(c.responseMinutes)), pemulihan \(format.duration(Double(c.restoreMinutes) * 60)), ketersediaan \(format.percent(c.availabilityPercent, places: 2))"
                       : "Contract: response \(format.minutes(c.responseMinutes)), restore \(format.duration(Double(c.restoreMinutes) * 60)), availability \(format.percent(c.availabilityPercent, places: 2))")
        Swift.print(id ? "Gangguan dieskalasi \(s.faultsEscalated)\(s.carriedOver > 0 ? " (+\(s.carriedOver) dari bulan lalu)" : ""); pelanggaran respons \(s.responseBreaches), pemulihan \(s.restoreBreaches); sambungan di bawah kontrak \(s.linksBelowContract)"
                       : "Faults escalated \(s.faultsEscalated)\(s.carriedOver > 0 ? " (+\(s.carriedOver) carried over)" : ""); breaches: response \(s.responseBreaches), restore \(s.restoreBreaches); links below the contract \(s.linksBelowContract)")
        Swift.print(id ? "Respons: rata-rata \(minutes(s.response.meanMinutes)), p95 \(minutes(s.response.p95Minutes)); pemulihan: rata-rata \(minutes(s.restore.meanMinutes)), p95 \(minutes(s.restore.p95Minutes))"
                       : "Response: mean \(minutes(s.response.meanMinutes)), p95 \(minutes(s.response.p95Minutes)); restore: mean \(minutes(s.restore.meanMinutes)), p95 \(minutes(s.restore.p95Minutes))")
        if !report.faults.isEmpty {
            Swift.print()
            Output.table(id ? ["TIKET", "INSTANSI", "SIRKUIT", "MULAI GANGGUAN", "ESKALASI", "RESPONS", "PEMULIHAN"]
                            : ["TICKET", "AGENCY", "CIRCUIT", "OUTAGE START", "ESCALATED", "RESPONSE", "RESTORE"],
                         report.faults.map { f in
                             ["#\(f.ticket)", f.agency, f.circuit ?? "-", when(f.startedAt), when(f.escalatedAt), clock(f.response), clock(f.restore)]
                         })
            Swift.print(id ? "! melanggar kontrak   … masih berjalan, dalam kontrak" : "! breaches the contract   … still running, within the contract")
        }
        Swift.print()
        Output.table(id ? ["SIRKUIT", "INSTANSI", "GANGGUAN", "KETERSEDIAAN", "KONTRAK", "SUMBER"]
                        : ["CIRCUIT", "AGENCY", "OUTAGE", "AVAILABILITY", "CONTRACT", "SOURCE"],
                     report.links.map { l in
                         [l.circuit, l.agency, minutes(l.outageMinutes), l.availabilityPercent.map { format.percent($0, places: 2) } ?? "-",
                          l.meetsContract ? (id ? "memenuhi" : "met") : (id ? "DI BAWAH" : "BELOW"),
                          l.measuredPercent.map { (id ? "diukur " : "measured ") + format.percent($0, places: 0) } ?? (id ? "catatan" : "records")]
                     })
        guard !report.breaches.isEmpty else { return }
        Swift.print()
        Swift.print(id ? "Pelanggaran dan buktinya" : "Breaches and their evidence")
        for f in report.breaches {
            Swift.print()
            Swift.print("#\(f.ticket) \(f.agencyName) \(f.circuit ?? "")")
            for (name, c) in [(id ? "respons" : "response", f.response), (id ? "pemulihan" : "restore", f.restore)] {
                guard let c else { continue }
                Swift.print("  \(name): \(minutes(c.minutes)) / \(id ? "batas" : "limit") \(minutes(Double(c.limitMinutes))) — \(c.state.title(language))"
                            + (c.endedBy.ended ? "" : "; \(c.endedBy.title(language)) (\(when(c.end)))"))
            }
            for e in f.evidence?.events ?? [] {
                let what = e.kind.title(language) + (e.level.map { id ? " tingkat \($0)" : " level \($0)" } ?? "")
                let who = e.byName.map { "\($0) (\(e.by))" } ?? e.by
                Swift.print("  \(when(e.at))  \(what) — \(id ? "dicatat" : "recorded by") \(who)"
                            + (e.providerTicket.map { id ? ", tiket penyedia \($0)" : ", provider ticket \($0)" } ?? "") + (e.note.map { ": \($0)" } ?? ""))
            }
            for d in f.evidence?.deliveries ?? [] {
                let what = d.channel.title(language) + (d.level.map { id ? " tingkat \($0)" : " level \($0)" } ?? "")
                let to = d.to.isEmpty ? "" : (id ? " ke " : " to ") + d.to.joined(separator: ", ")
                let state = d.state.title(language) + (d.deliveredAt.map { " \(when($0))" } ?? "") + " (\(d.attempts)×)"
                Swift.print("  \(when(d.createdAt))  \(what)\(to) — \(state)" + (d.lastError.map { ": \($0(language))" } ?? ""))
            }
        }
    }
}

extension FaultReportService.Grouping: ExpressibleByArgument {}
