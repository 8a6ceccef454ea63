import ArgumentParser
import Foundation
import SimpulCore
import SimpulPDF
import SimpulServices
import SimpulStore

struct LANCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lan",
        abstract: "Pemasangan jaringan LAN di perangkat daerah / LAN installations at agencies.",
        discussion: """
        A request runs on the lan-installation playbook: filed with the agency's letter, its disposition and
        its inventory (CSV, see `simpul lan template`); the section and division heads give their paraf on the
        drafts of the approval letter and the work order (in the order of district.letters.paraf); the head
        signs both (they are numbered then); the technician logs the installation and its test; closing
        issues the completion report (Berita Acara). Letters print as A4 pages and PDFs.
        Contoh / examples:
          simpul lan request --agency DINKES --letter 045/210/DINKES/XII/2026 --letter-date 2026-12-01 \\
              --signed-by "dr. Rahmawati" --disposition sekda --building "Gedung A" --floor 2 --points 12 \\
              --asked "12 titik LAN ruang rapat" --contact "Budi 0812-555-0101" --inventory inventaris.csv
          simpul lan paraf 31 --as kasi.jaringan
          simpul lan paraf 31 --as kabid.tik
          simpul lan sign 31 --as kadis
          simpul lan letter 31 --kind work-order --pdf spt.pdf
          simpul lan install 31 --as teknisi1 --points 12 --passed 12 --cable 180 --connectors 24 \\
              --results "12 titik lulus uji kabel" --photo terpasang.jpg
          simpul lan close 31 --as teknisi1
        """,
        subcommands: [Request.self, Receive.self, List.self, Show.self, Paraf.self, Sign.self, Letter.self, Install.self, Close.self, Book.self, Template.self])

    /// The incoming letter and its disposition; a follow-up of an upkeep visit says so (and that it
    /// waits for the agency's letter until one is received).
    static func letterLine(_ row: LANStore.RequestRow, options: GlobalOptions) -> String {
        let id = options.language == .id
        var parts: [String] = []
        if let visit = row.followUpOf {
            parts.append((id ? "tindak lanjut kunjungan pemeliharaan #" : "follows up upkeep visit #") + String(visit))
        }
        if let number = row.letterNumber {
            let disposition = row.dispositionFrom.flatMap(LANService.Disposition.init(rawValue:))?.title(options.language) ?? row.dispositionFrom ?? ""
            parts.append((id ? "surat: " : "letter: ") + "\(number), \(row.letterDate ?? ""), \(row.letterSignedBy ?? ""); "
                         + (id ? "disposisi " : "disposition ") + disposition)
        } else {
            parts.append(id ? "surat: menunggu surat permohonan dan disposisi dari OPD" : "letter: waiting for the agency's request letter and its disposition")
        }
        return parts.joined(separator: "; ")
    }

    static func print(_ r: LANService.Request, time: OfficeTime, options: GlobalOptions) {
        let id = options.language == .id
        let row = r.row
        var lines = [
            "#\(row.ticketID) \(row.subject)",
            (id ? "perangkat daerah: " : "agency: ") + "\(row.agencyName) (\(row.agencyCode))",
            LANCommand.letterLine(row, options: options),
            (id ? "lokasi: " : "where: ") + [row.building, row.floor.map { (id ? "lantai " : "floor ") + $0 }, row.rooms].compactMap { $0 }.joined(separator: ", "),
            (id ? "diminta: " : "asked: ") + "\(row.asked) (" + (id ? "titik \(row.points), Wi-Fi \(row.wifi ? "ya" : "tidak"), switch \(row.switches)"
                                                                   : "points \(row.points), Wi-Fi \(row.wifi ? "yes" : "no"), switches \(row.switches)") + ")",
            (id ? "inventaris: " : "inventory: ") + "\(row.inventoryRows) " + (id ? "baris" : "rows"),
            (id ? "langkah: " : "step: ") + (r.stepTitle.map { $0(options.language) } ?? (id ? "selesai" : "done")) + " [\(row.status)]",
        ]
        for letter in r.letters {
            let kind = LetterKind(rawValue: letter.kind)?.title(options.language) ?? letter.kind
            let parafs = letter.parafs.count
            lines.append("  \(kind): " + (letter.number.map { (id ? "nomor " : "number ") + $0 } ?? (id ? "konsep, \(parafs) paraf" : "draft, \(parafs) paraf(s)")))
        }
        for w in r.work {
            lines.append("  " + (id ? "kerja " : "work ") + time.format(stored: w.at, options.language) + ": "
                         + (id ? "titik \(w.pointsInstalled) (lulus \(w.pointsPassed)), kabel \(w.cableMetres) m, konektor \(w.connectors), switch \(w.switches), AP \(w.accessPoints)"
                               : "points \(w.pointsInstalled) (passed \(w.pointsPassed)), cable \(w.cableMetres) m, connectors \(w.connectors), switches \(w.switches), APs \(w.accessPoints)"))
        }
        Output.lines(lines)
    }

    static func readFile(_ path: String, _ what: Text, max: Int) throws -> Data {
        let url = URL(fileURLWithPath: path)
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CLIError(Text(id: "\(what.id) \(path) tidak dapat dibaca", en: "cannot read \(what.en) \(path)"))
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: max + 1)) ?? Data()
        guard data.count <= max else {
            throw CLIError(Text(id: "\(what.id) \(path) lebih dari \(max / 1024 / 1024) MB", en: "\(what.en) \(path) is over \(max / 1024 / 1024) MB"))
        }
        return data
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request", abstract: "Catat permohonan pemasangan LAN / file a LAN installation request.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Perangkat daerah / agency code.") var agency: String
        @Option(help: "Nomor surat permohonan / the request letter's number.") var letter: String
        @Option(help: "Tanggal surat / letter date (YYYY-MM-DD).") var letterDate: String
        @Option(help: "Penanda tangan surat / signed by.") var signedBy: String
        @Option(help: "Disposisi dari / disposition from: bupati, sekda.") var disposition: String
        @Option(help: "Gedung / building.") var building: String
        @Option(help: "Lantai / floor.") var floor: String?
        @Option(help: "Ruang / rooms.") var rooms: String?
        @Option(help: "Titik jaringan / network points.") var points: Int = 0
        @Flag(help: "Minta jangkauan Wi-Fi / ask for Wi-Fi coverage.") var wifi = false
        @Option(help: "Switch baru / new switches.") var switches: Int = 0
        @Option(help: "Yang diminta / what is asked.") var asked: String
        @Option(help: "Kontak / contact.") var contact: String
        @Option(help: "Telepon kontak / contact phone.") var phone: String?
        @Option(help: "Inventaris komputer/jaringan (CSV; lihat simpul lan template) / the inventory (CSV; see simpul lan template).") var inventory: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws {
            try options.require(points, "points", in: 0...2000)
            try options.require(switches, "switches", in: 0...200)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let upload: LANService.InventoryUpload? = try inventory.map { path in
                    .csv(fileName: URL(fileURLWithPath: path).lastPathComponent,
                         data: try LANCommand.readFile(path, Text(id: "berkas inventaris", en: "the inventory file"), max: LANInventoryCSV.maxBytes))
                }
                let request = try simpul.lan.file(LANService.RequestForm(
                    agency: agency, letterNumber: letter, letterDate: letterDate, letterSignedBy: signedBy,
                    disposition: try LANService.Disposition.parse(disposition), building: building, floor: floor, rooms: rooms, points: points,
                    wifi: wifi, switches: switches, asked: asked, contactName: contact, contactPhone: phone),
                    inventory: upload, by: try acting.principal(simpul, options))
                if json { try Output.json(LANJSON(request)); return }
                LANCommand.print(request, time: simpul.officeTime(), options: options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar permohonan LAN / LAN requests.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Perangkat daerah / agency code.") var agency: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let rows = try simpul.lan.list(agency: agency, by: options.principal)
                if json { try Output.json(rows.map(LANJSON.Row.init)); return }
                let id = options.language == .id
                Output.table(id ? ["TIKET", "OPD", "SURAT", "LOKASI", "TITIK", "STATUS", "LANGKAH"] : ["TICKET", "AGENCY", "LETTER", "WHERE", "POINTS", "STATUS", "STEP"],
                             rows.map { ["#\($0.ticketID)", $0.agencyCode, $0.letterNumber ?? $0.followUpOf.map { "(#\($0))" } ?? "-", $0.building, String($0.points), $0.status, $0.step ?? "-"] })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Rincian permohonan / one request.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let request = try simpul.lan.request(ticket: ticket, by: options.principal)
                if json { try Output.json(LANJSON(request)); return }
                LANCommand.print(request, time: simpul.officeTime(), options: options)
            }
        }
    }

    /// What the steps done by a person name: the ticket and who acts (`--as`).
    struct StepArguments: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @OptionGroup var acting: TicketCommand.Acting

        func validate() throws { try options.require(ticket, "ticket") }

        /// Does the step as the acting user and prints the request as it then stands.
        func run(_ action: (Simpul, Principal) throws -> LANService.Request) throws {
            try options.run {
                let simpul = try options.simpul()
                LANCommand.print(try action(simpul, try acting.principal(simpul, options)), time: simpul.officeTime(), options: options)
            }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive", abstract: "Terima permohonan yang diajukan OPD secara daring / receive a request an agency filed online.",
            discussion: """
            A request opened from an upkeep visit's failed item (a follow-up) waits for the agency's request letter and its
            disposition: receive it with --letter, --letter-date, --signed-by and --disposition.
            """)
        @OptionGroup var step: StepArguments
        @Option(help: "Catatan / note.") var note: String?
        @Option(help: "Nomor surat permohonan OPD (tindak lanjut) / the agency's letter number (follow-ups).") var letter: String?
        @Option(help: "Tanggal surat / letter date (YYYY-MM-DD).") var letterDate: String?
        @Option(help: "Penanda tangan surat / who signed the letter.") var signedBy: String?
        @Option(help: "Disposisi dari / disposition from: bupati, sekda.") var disposition: String?

        func run() throws {
            try step.run { simpul, principal in
                var incoming: LANService.IncomingLetter?
                if letter != nil || letterDate != nil || signedBy != nil || disposition != nil {
                    incoming = LANService.IncomingLetter(number: letter ?? "", date: letterDate ?? "", signedBy: signedBy ?? "",
                                                         disposition: try LANService.Disposition.parse(disposition ?? ""))
                }
                return try simpul.lan.receive(ticket: step.ticket, letter: incoming, note: note, by: principal)
            }
        }
    }

    struct Paraf: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "paraf", abstract: "Beri paraf pada konsep surat persetujuan dan SPT / initial the drafts.")
        @OptionGroup var step: StepArguments

        func run() throws { try step.run { simpul, principal in try simpul.lan.paraf(ticket: step.ticket, by: principal) } }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", abstract: "Tandatangani surat persetujuan dan SPT (diberi nomor) / sign both letters (numbered then).")
        @OptionGroup var step: StepArguments

        func run() throws { try step.run { simpul, principal in try simpul.lan.sign(ticket: step.ticket, by: principal) } }
    }

    struct Letter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "letter", abstract: "Surat sebagai halaman A4 (HTML) atau PDF / a letter as an A4 page (HTML) or a PDF.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Jenis / kind: approval, work-order, completion.") var kind: String
        @Option(help: "Tulis PDF ke berkas ini / write the PDF to this file.") var pdf: String?
        @Option(help: "Tulis halaman HTML ke berkas ini / write the HTML page to this file.") var html: String?
        @Option(help: ArgumentHelp("Ukur: cetak halaman ini ke PDF N kali (tanpa disimpan) / benchmark: print the page to PDF N times (nothing kept).", visibility: .hidden))
        var benchRuns: Int?

        func validate() throws {
            try options.require(ticket, "ticket")
            try options.require(benchRuns, "bench-runs", in: 1...1000)
        }

        func run() async throws {
            try await options.runAsync {
                guard let kind = LetterKind.parse(kind) else {
                    throw CLIError(Text(id: "jenis surat \"\(Excerpt.of(kind))\" tidak dikenal; pilih approval, work-order atau completion",
                                        en: "letter kind \"\(Excerpt.of(kind))\" is not known; use approval, work-order or completion"))
                }
                let simpul = try options.simpul()
                if let benchRuns {
                    try await LANCommand.bench(simpul.lan.letterPage(ticket: ticket, kind: kind, by: options.principal).html, runs: benchRuns)
                    return
                }
                if let pdf {
                    let (data, number) = try await LANCommand.printing(simpul) { try await simpul.lan.letterPDF(ticket: ticket, kind: kind, by: options.principal) }
                    try LANCommand.write(data, to: pdf)
                    Swift.print(options.language == .id ? "\(kind.title.id) \(number): \(pdf) (\(data.count) byte)" : "\(kind.title.en) \(number): \(pdf) (\(data.count) bytes)")
                }
                if pdf == nil || html != nil {
                    let page = try simpul.lan.letterPage(ticket: ticket, kind: kind, by: options.principal)
                    if let html { try LANCommand.write(Data(page.html.utf8), to: html) } else { Swift.print(page.html) }
                }
            }
        }
    }

    /// `body`, then the command's Chromium stopped (it is started by the first print), whatever happened.
    static func printing<T>(_ simpul: Simpul, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await (simpul.pdf as? SharedChromium)?.shutdown()
            return result
        } catch {
            await (simpul.pdf as? SharedChromium)?.shutdown()
            throw error
        }
    }

    /// Starts Chromium (its start-up timed apart), prints `html` `runs` times, and says the median and p99.
    static func bench(_ html: String, runs: Int) async throws {
        let renderer = try await ChromiumRenderer.start(timeout: SharedChromium.startTimeout)
        var times: [Double] = []
        var bytes = 0
        do {
            for _ in 0..<runs {
                let started = ContinuousClock.now
                bytes = try await renderer.pdf(html: html, timeout: SharedChromium.renderTimeout).count
                times.append((ContinuousClock.now - started).inMilliseconds)
            }
        } catch {
            await renderer.shutdown()
            throw error
        }
        let startup = await renderer.startupMilliseconds
        await renderer.shutdown()
        times.sort()
        let p50 = Percentile.nearestRank(times, 0.5) ?? 0, p99 = Percentile.nearestRank(times, 0.99) ?? 0
        Swift.print(String(format: "Chromium start-up %.0f ms; %d renders of a %d-byte PDF: median %.0f ms, p99 %.0f ms, slowest %.0f ms (goal p99 < 1000 ms)",
                           startup, runs, bytes, p50, p99, times.last ?? 0))
    }

    static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIError(Text(id: "tidak dapat menulis \(path): \(error.localizedDescription)", en: "cannot write \(path): \(error.localizedDescription)"))
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "install", abstract: "Catat pekerjaan pemasangan dan ujinya / log the installation and its test.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Titik terpasang seluruhnya (uji ulang: hitung lagi semuanya) / all points installed (a re-test counts them all again).") var points: Int
        @Option(help: "Titik yang lulus uji / points that pass the test.") var passed: Int
        @Option(help: "Kabel (meter) / cable in metres.") var cable: Int
        @Option(help: "Konektor / connectors.") var connectors: Int
        @Option(help: "Switch terpasang / switches installed.") var switches: Int = 0
        @Option(help: "Access point terpasang / access points installed.") var accessPoints: Int = 0
        @Option(help: "Hasil uji / test results.") var results: String
        @Option(help: "Lokasi di buku inventaris / location in the inventory book.") var location: String?
        @Option(help: "Catatan / note.") var note: String?
        @Option(help: "Suku cadang dari stok, KODE=JUMLAH (boleh berulang) / spare parts from the stock, CODE=COUNT (repeatable).") var part: [String] = []
        @Option(help: "Foto pekerjaan (boleh berulang) / a photo of the work (repeatable).") var photo: [String] = []

        func validate() throws {
            try options.require(ticket, "ticket")
            try options.require(points, "points", in: 0...2000)
            try options.require(passed, "passed", in: 0...2000)
            try options.require(cable, "cable", in: 0...100_000)
            try options.require(connectors, "connectors", in: 0...10_000)
            try options.require(switches, "switches", in: 0...200)
            try options.require(accessPoints, "access-points", in: 0...200)
        }

        func run() throws {
            try options.run {
                var parts: [String: Int] = [:]
                for entry in part {
                    let pieces = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pieces.count == 2, let count = Int(pieces[1]), (1...10_000).contains(count) else {
                        throw CLIError(Text(id: "--part \"\(Excerpt.of(entry))\": tulis KODE=JUMLAH (1–10000)", en: "--part \"\(Excerpt.of(entry))\": write CODE=COUNT (1–10000)"))
                    }
                    parts[pieces[0], default: 0] += count
                }
                let photos = try photo.map { path in
                    LANService.Photo(fileName: URL(fileURLWithPath: path).lastPathComponent,
                                     data: try LANCommand.readFile(path, Text(id: "foto", en: "the photo"), max: TicketService.maxAttachmentBytes))
                }
                let simpul = try options.simpul()
                let request = try simpul.lan.install(ticket: ticket, work: LANService.WorkForm(
                    pointsInstalled: points, pointsPassed: passed, cableMetres: cable, connectors: connectors, switches: switches,
                    accessPoints: accessPoints, results: results, note: note, location: location, parts: parts),
                    photos: photos, by: try acting.principal(simpul, options))
                LANCommand.print(request, time: simpul.officeTime(), options: options)
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Tutup dengan Berita Acara (diberi nomor) / close with the completion report (numbered).")
        @OptionGroup var step: StepArguments

        func run() throws { try step.run { simpul, principal in try simpul.lan.close(ticket: step.ticket, by: principal) } }
    }

    struct Book: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "book", abstract: "Buku Kendali Inventaris Jaringan satu OPD / an agency's network inventory book.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Perangkat daerah / agency code.") var agency: String
        @Flag(help: "Keluaran CSV / CSV output.") var csv = false
        @Option(help: "Tulis buku sebagai PDF ke berkas ini / write the book as a PDF to this file.") var pdf: String?
        @Option(help: "Tulis buku sebagai halaman A4 (HTML) ke berkas ini / write the book as an A4 page (HTML) to this file.") var html: String?

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                if let html { try LANCommand.write(Data(try simpul.lan.bookPage(agency: agency, by: options.principal).utf8), to: html) }
                if let pdf {
                    let data = try await LANCommand.printing(simpul) { try await simpul.lan.bookPDF(agency: agency, by: options.principal) }
                    try LANCommand.write(data, to: pdf)
                }
                if html != nil || pdf != nil { return }
                let book = try simpul.lan.book(agency: agency, by: options.principal)
                if csv { Swift.print(LANInventoryCSV.document(book.items.map(\.item)), terminator: ""); return }
                let id = options.language == .id
                Swift.print("\(book.agencyName) (\(book.agencyCode))")
                Output.table(id ? ["JENIS", "MEREK", "MODEL", "JUMLAH", "LOKASI", "KONDISI", "SUMBER"] : ["KIND", "BRAND", "MODEL", "COUNT", "WHERE", "CONDITION", "SOURCE"],
                             book.items.map { r in
                                 [r.item.kind.title(options.language), r.item.brand ?? "-", r.item.model ?? "-", String(r.item.quantity), r.item.location ?? "-",
                                  r.item.condition.title(options.language), r.source + (r.ticketID.map { " #\($0)" } ?? "")]
                             })
            }
        }
    }

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "Templat CSV inventaris / the inventory CSV template.")
        @OptionGroup var options: GlobalOptions

        func run() throws { Swift.print(LANInventoryCSV.template, terminator: "") }
    }
}

/// A request as JSON: its record, letters (numbers and hashes, not the pages) and work.
struct LANJSON: Encodable {
    struct Row: Encodable {
        var ticket: Int64
        var agency: String
        var letterNumber: String?
        var followUpOf: Int64?
        var building: String
        var points: Int
        var status: String
        var step: String?

        init(_ r: LANStore.RequestRow) {
            ticket = r.ticketID
            agency = r.agencyCode
            letterNumber = r.letterNumber
            followUpOf = r.followUpOf
            building = r.building
            points = r.points
            status = r.status
            step = r.step
        }
    }

    struct Letter: Encodable {
        var kind: String
        var state: String
        var number: String?
        var parafs: Int
        var signedAt: String?
        var signedBy: String?
        var htmlSHA256: String?
        var pdfSHA256: String?
    }

    var request: Row
    var letters: [Letter]
    var work: [LANStore.Work]

    init(_ r: LANService.Request) {
        request = Row(r.row)
        letters = r.letters.map {
            Letter(kind: $0.kind, state: $0.state, number: $0.number, parafs: $0.parafs.count, signedAt: $0.signedAt, signedBy: $0.signedBy,
                   htmlSHA256: $0.htmlSHA256, pdfSHA256: $0.pdfSHA256)
        }
        work = r.work
    }
}
