import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct UpkeepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upkeep",
        abstract: "Pemeliharaan LAN dua kali setahun di setiap OPD / LAN upkeep twice a year at every agency.",
        discussion: """
        The plan follows the lan-upkeep playbook's recurrence (per_year, minimum_gap_months, open_before):
        each agency's visits are spread over the year's halves, at least four months apart; each visit's
        ticket opens two weeks ahead (by the ticket sweep, or by `plan`). The inspection's checklist is in
        the playbook; a failed item may open a fault at once.
        Contoh / examples:
          simpul upkeep plan --year 2027
          simpul upkeep board
          simpul upkeep check 57 --as teknisi1 --item rack_tidy=pass --item ups=fail:"baterai drop" --fault ups --photo rak.jpg
        """,
        subcommands: [Plan.self, Board.self, Show.self, Check.self])

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", abstract: "Rencanakan kunjungan / plan the visits.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Tahun (bawaan: tahun ini) / year (default: this year).") var year: Int?
        @Option(help: "Sampai tahun / through this year.") var through: Int?
        @Option(help: "Teknisi bergiliran, dipisah koma / technicians in turn, comma-separated.") var technicians: String?
        @Option(help: ArgumentHelp("Teknisi per wilayah (boleh berulang) / technicians of an area (repeatable): WILAYAH=tek1,tek2",
                                   discussion: "The area is the agencies' `area` in the inventory; agencies of other areas take --technicians."))
        var area: [String] = []
        @Flag(help: "Hitung saja, tanpa menulis / compute only, write nothing.") var dryRun = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws {
            try options.require(year, "year", in: 2000...2100)
            try options.require(through, "through", in: 2000...2100)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let zone = simpul.officeTime().timeZone
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let first = year ?? calendar.component(.year, from: simpul.now())
                let last = through ?? first
                guard last >= first, last - first < 10 else {
                    throw CLIError(Text(id: "--through harus tahun \(first) sampai \(first + 9)", en: "--through must be a year from \(first) to \(first + 9)"))
                }
                let names = technicians?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
                var areas: [String: [String]] = [:]
                for entry in area {
                    let pieces = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    let people = pieces.count == 2 ? pieces[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
                    guard pieces.count == 2, !pieces[0].isEmpty, !people.isEmpty, areas[pieces[0]] == nil else {
                        throw CLIError(Text(id: "--area \"\(Excerpt.of(entry))\": tulis WILAYAH=tek1,tek2, sekali per wilayah",
                                            en: "--area \"\(Excerpt.of(entry))\": write AREA=tek1,tek2, once per area"))
                    }
                    areas[pieces[0]] = people
                }
                let report = try simpul.upkeep.plan(years: first...last, technicians: names, areas: areas, dryRun: dryRun,
                                                    by: try acting.principal(simpul, options))
                if json { try Output.json(report); return }
                let id = options.language == .id
                let dry = report.dryRun ? (id ? " (uji coba, tidak ditulis)" : " (dry run, nothing written)") : ""
                Swift.print(id ? "rencana \(report.years): \(report.planned) kunjungan baru, \(report.alreadyPlanned) sudah ada; \(report.opened) tiket dibuka\(dry)"
                               : "plan \(report.years): \(report.planned) new visits, \(report.alreadyPlanned) already planned; \(report.opened) tickets opened\(dry)")
                for c in report.conflicts { Swift.print("  \(c.agency) \(c.index)/\(c.year): \(c.reason(options.language))") }
            }
        }
    }

    struct Board: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "board", abstract: "Papan kepatuhan: setiap OPD, tertinggal dulu / the compliance board, behind first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Tahun / year.") var year: Int?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(year, "year", in: 2000...2100) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let board = try simpul.upkeep.board(year: year, by: options.principal)
                if json { try Output.json(board); return }
                let id = options.language == .id
                let time = simpul.officeTime()
                Swift.print(id ? "tahun \(board.year): \(board.behind) dari \(board.lines.count) OPD tertinggal" : "\(board.year): \(board.behind) of \(board.lines.count) agencies behind")
                Output.table(id ? ["OPD", "TAHUN INI", "TERAKHIR", "BERIKUTNYA", "TIKET", ""] : ["AGENCY", "THIS YEAR", "LAST", "NEXT", "TICKET", ""],
                             board.lines.map { l in
                                 [l.agency, "\(l.doneThisYear)/\(l.required)", l.lastVisit.map { time.format(stored: $0, options.language) } ?? "-",
                                  l.nextVisit.map { time.format(stored: $0, options.language) } ?? "-", l.nextTicket.map { "#\($0)" } ?? "-",
                                  l.behind ? (id ? "TERTINGGAL" : "BEHIND") : ""]
                             })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Satu kunjungan dan daftar periksanya / one visit and its checklist.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let visit = try options.simpul().upkeep.visit(ticket: ticket, by: options.principal)
                let results = Dictionary(visit.results.map { ($0.item, $0) }, uniquingKeysWith: { a, _ in a })
                Swift.print("#\(visit.ticketID) \(visit.agency) [\(visit.status)\(visit.step.map { ", \($0)" } ?? "")]")
                for item in visit.checklist {
                    let r = results[item.id]
                    let mark = r.map { $0.passed ? "✓" : "✗" } ?? "·"
                    Swift.print("  \(mark) \(item.id): \(item.title(options.language))" + (r?.note.map { " — \($0)" } ?? "")
                                + (r?.followUpTicket.map { " (#\($0))" } ?? ""))
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Catat butir pemeriksaan / record checklist items.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "BUTIR=pass atau BUTIR=fail:catatan (boleh berulang) / ITEM=pass or ITEM=fail:note (repeatable).") var item: [String] = []
        @Option(help: "Buka gangguan dari butir gagal ini (boleh berulang) / open a fault from this failed item (repeatable).") var fault: [String] = []
        @Option(help: "Buka permohonan pemasangan dari butir gagal ini (boleh berulang) / open an installation request from this failed item (repeatable).")
        var installation: [String] = []
        @Option(help: "Foto (boleh berulang) / a photo (repeatable).") var photo: [String] = []
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws {
            try options.require(ticket, "ticket")
            if let both = fault.first(where: installation.contains) {
                throw ValidationError("\(both): --fault atau --installation, bukan keduanya / --fault or --installation, not both")
            }
        }

        func run() throws {
            try options.run {
                let checks = try item.map { entry -> UpkeepService.CheckForm in
                    let pieces = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pieces.count == 2 else {
                        throw CLIError(Text(id: "--item \"\(Excerpt.of(entry))\": tulis BUTIR=pass atau BUTIR=fail:catatan", en: "--item \"\(Excerpt.of(entry))\": write ITEM=pass or ITEM=fail:note"))
                    }
                    let outcome = pieces[1].split(separator: ":", maxSplits: 1).map(String.init)
                    guard let result = UpkeepService.Outcome(rawValue: outcome[0].lowercased()) else {
                        throw CLIError(Text(id: "--item \"\(Excerpt.of(entry))\": hasil harus pass atau fail", en: "--item \"\(Excerpt.of(entry))\": the outcome must be pass or fail"))
                    }
                    return UpkeepService.CheckForm(item: pieces[0], outcome: result, note: outcome.count > 1 ? outcome[1] : nil,
                                                   followUp: fault.contains(pieces[0]) ? .fault : installation.contains(pieces[0]) ? .installation : nil)
                }
                let photos = try photo.map { path in
                    LANService.Photo(fileName: URL(fileURLWithPath: path).lastPathComponent,
                                     data: try LANCommand.readFile(path, Text(id: "foto", en: "the photo"), max: TicketService.maxAttachmentBytes))
                }
                let simpul = try options.simpul()
                let visit = try simpul.upkeep.check(ticket: ticket, checks, photos: photos, note: note, by: try acting.principal(simpul, options))
                let id = options.language == .id
                let missing = Set(visit.checklist.map(\.id)).subtracting(visit.results.map(\.item))
                if visit.step != "inspect" {
                    Swift.print(id ? "pemeriksaan selesai" : "inspection done")
                } else if !missing.isEmpty {
                    Swift.print(id ? "dicatat; belum: \(missing.sorted().joined(separator: ", "))" : "recorded; still to check: \(missing.sorted().joined(separator: ", "))")
                } else {
                    Swift.print(id ? "semua butir dicatat; lampirkan foto (--photo) untuk menyelesaikan pemeriksaan" : "every item recorded; attach a photo (--photo) to finish the inspection")
                }
            }
        }
    }
}
