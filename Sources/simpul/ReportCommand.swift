import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Laporan / reports.",
        subcommands: [Compliance.self]
    )

    struct Compliance: ParsableCommand {
        static let configuration = CommandConfiguration(
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
}
