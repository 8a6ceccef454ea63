import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Tiket pada playbook SOP / tickets on SOP playbooks.",
        discussion: """
        The command line acts as an administrator; --as USER acts as that user (their role decides which steps they may do).
        An administrator doing a step that belongs to another role must give --reason (recorded as a correction).
        """,
        subcommands: [Open.self, List.self, Show.self, Step.self, Assign.self, Hold.self, Resume.self, Cancel.self, Reopen.self,
                      Sweep.self, Generate.self]
    )

    /// Who acts: `--as USER`, else the command line (an administrator).
    struct Acting: ParsableArguments {
        @Option(name: .customLong("as"), help: "Bertindak sebagai pengguna ini / act as this user.") var user: String?

        /// Applies one event to ticket `id` and prints `done` in the user's language.
        /// Side effects the event wrote (a cancelled hosting request's DNS removal) are delivered at
        /// once through the outbox; one that does not go out stays there, retried, and is said so.
        func act(_ id: Int64, _ event: TicketEvent, reason: String?, _ options: GlobalOptions, done: Text) async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let written = try simpul.tickets.act(id, event, reason: reason, by: try principal(simpul, options))
                print(done(options.language))
                guard !written.isEmpty else { return }
                for attempt in await simpul.outbox.deliverAtOnce(written).attempts {
                    if let error = attempt.error {
                        printError(Text(id: "kiriman #\(attempt.delivery.id) belum terkirim (dicoba lagi otomatis): \(error.id)",
                                        en: "delivery #\(attempt.delivery.id) did not go out yet (retried automatically): \(error.en)")(options.language))
                    } else if let error = attempt.followUpError {
                        printError(error(options.language))
                    }
                }
            }
        }

        func principal(_ simpul: Simpul, _ options: GlobalOptions) throws -> Principal {
            guard let user else { return options.principal }
            let found = try simpul.accounts.user(user, by: options.principal)
            guard !found.disabled else {
                throw CLIError(Text(id: "pengguna \(user) dinonaktifkan", en: "user \(user) is disabled"))
            }
            return found.principal
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Buka tiket / open a ticket.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument(help: "Id playbook, mis. fault-dispatch / playbook id.") var playbook: String
        @Option(help: "Perihal / subject.") var subject: String
        @Option(help: "Kode perangkat daerah / agency code.") var agency: String?
        @Option(help: "normal, high, urgent.") var priority: Priority = .normal
        @Option(help: "Serahkan langkah pertama kepada / assign the first step to.") var assign: String?
        @Option(help: "Catatan / note.") var note: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let id = try simpul.tickets.open(playbook: playbook, subject: subject, agency: agency, priority: priority, assignee: assign,
                                                 note: note, by: try acting.principal(simpul, options))
                if json { try Output.json(["id": id]); return }
                print(options.language == .id ? "tiket #\(id) dibuka" : "ticket #\(id) opened")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar tiket, yang paling terlambat dulu / list tickets, most overdue first.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Option(help: "Id playbook.") var playbook: String?
        @Option(help: "Kode perangkat daerah / agency code.") var agency: String?
        @Option(help: "Langkah saat ini / current step id.") var step: String?
        @Option(help: "Pemegang (- untuk belum ada) / assignee (- for none).") var assignee: String?
        @Option(help: "late, due_soon, on_time.") var lateness: TicketStore.Filter.Lateness?
        @Option(help: "active, closed, all.") var scope: TicketStore.Filter.Scope = .active
        @Option(help: "Jumlah baris / rows.") var limit = 50
        @Option(help: "Lewati baris / skip rows.") var offset = 0
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws {
            try options.require(limit, "limit", in: Bounds.listLimit)
            try options.require(offset, "offset", in: Bounds.listOffset)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                var filter = TicketStore.Filter()
                filter.playbookID = playbook
                filter.agencyCode = agency?.uppercased()
                filter.stepID = step
                filter.assignee = assignee
                filter.lateness = lateness
                filter.scope = scope
                filter.limit = limit
                filter.offset = offset
                let page = try simpul.tickets.list(filter, by: try acting.principal(simpul, options))
                if json { try Output.json(["total": AnyEncodable(page.total), "tickets": AnyEncodable(page.rows)]); return }
                let language = options.language, format = Format(language)
                // The playbook versions the listed tickets run on, for their titles and their steps' titles.
                var playbooks: [String: Playbook] = [:]
                for row in page.rows where playbooks[Playbook.versionKey(id: row.playbookID, version: row.playbookVersion)] == nil {
                    let loaded = try simpul.playbooks.playbook(row.playbookID, version: row.playbookVersion, by: options.principal)
                    playbooks[loaded.playbook.versionKey] = loaded.playbook
                }
                Output.table(options.listing(simpul).tickets(page.rows, playbooks: playbooks, now: simpul.now()))
                print(Text(id: "\(format.number(page.rows.count)) dari \(format.number(page.total)) tiket",
                           en: "\(format.number(page.rows.count)) of \(format.number(page.total)) tickets")(language))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Tiket dengan linimasa SOP-nya / a ticket with its SOP timeline.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let detail = try simpul.tickets.detail(id, by: try acting.principal(simpul, options))
                if json { try Output.json(TicketJSON(detail)); return }
                TicketFormat.print(detail, time: simpul.officeTime(), language: options.language)
            }
        }
    }

    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step", 
            abstract: "Kerjakan langkah saat ini: ambil (--start) atau selesaikan dengan bukti / take up (--start) or complete the current step with its evidence.",
            discussion: """
            Evidence: --evidence note="…" --evidence letter_number=800/DKISP/12/IV/2026 --evidence ip_address=10.20.0.15
            Files (attachment, photo): --attach photo=/path/to/server.jpg
            A signature is recorded as who and when; it needs no option.
            """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Flag(help: "Hanya ambil langkah / only take up the step.") var start = false
        @Option(help: "Bukti jenis=nilai / evidence kind=value.") var evidence: [String] = []
        @Option(help: "Berkas bukti jenis=path / evidence file kind=path.") var attach: [String] = []
        @Option(help: "Catatan (juga bukti note) / note (also the note evidence).") var note: String?
        @Option(help: "Hasil langkah bercabang / the outcome of a branching step.") var branch: String?
        @Option(help: "Serahkan langkah berikutnya kepada / assign the next step to.") var assign: String?
        @Option(help: "Alasan (wajib untuk koreksi admin) / reason (needed for an admin's correction).") var reason: String?
        @Option(name: .customLong("step"), help: "Hanya bila langkah saat ini adalah ini / only if the current step is this one (scripts: a repeated run does not complete the next step).")
        var expectedStep: String?

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let principal = try acting.principal(simpul, options)
                let expected = expectedStep.map { StepRef(stepID: $0, visit: nil) }
                if start {
                    try simpul.tickets.act(id, .start, reason: reason, expecting: expected, by: principal)
                    print(options.language == .id ? "langkah diambil" : "step taken up")
                    return
                }
                var items: [Evidence] = []
                for pair in evidence {
                    let (kind, value) = try Self.split(pair)
                    items.append(Evidence(kind: kind, value: value))
                }
                if let note { items.append(Evidence(kind: .note, value: note)) }
                for pair in attach {
                    let (kind, path) = try Self.split(pair)
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw CLIError(Text(id: "berkas \(path) tidak dapat dibaca", en: "cannot read the file \(path)"))
                    }
                    let value = try simpul.tickets.attach(id, kind: kind, fileName: path, contentType: Self.contentType(path), data: data, by: principal)
                    items.append(Evidence(kind: kind, value: value))
                }
                try simpul.tickets.act(id, .complete(evidence: items, branch: branch, note: note, assignTo: assign), reason: reason, expecting: expected, by: principal)
                let detail = try simpul.tickets.detail(id, by: principal)
                let language = options.language
                let next = detail.currentStep.map { "\($0.title(language)) [\($0.actor.title(language))]" } ?? detail.ticket.status.title(language)
                print(Text(id: "langkah selesai; berikutnya: \(next)", en: "step completed; next: \(next)")(language))
            }
        }

        static func split(_ pair: String) throws -> (EvidenceKind, String) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw CLIError(Text(id: "tulis jenis=nilai, mis. note=\"kabel diganti\"", en: "write kind=value, e.g. note=\"cable replaced\""))
            }
            let name = String(pair[..<equals])
            guard let kind = EvidenceKind(rawValue: name) else {
                let known = EvidenceKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError(Text(id: "\"\(name)\" bukan jenis bukti; pilih: \(known)", en: "\"\(name)\" is not an evidence kind; use: \(known)"))
            }
            return (kind, String(pair[pair.index(after: equals)...]))
        }

        static func contentType(_ path: String) -> String {
            switch (path as NSString).pathExtension.lowercased() {
            case "jpg", "jpeg": "image/jpeg"
            case "png": "image/png"
            case "webp": "image/webp"
            case "pdf": "application/pdf"
            case "txt": "text/plain"
            default: "application/octet-stream"
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Alihkan langkah saat ini (- untuk melepas) / reassign the current step (- to clear).")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Argument var user: String
        @Option(help: "Alasan / reason.") var reason: String?

        func run() async throws {
            try await acting.act(id, .reassign(to: user == "-" ? nil : user), reason: reason, options, done: Text(id: "tiket #\(id) dialihkan", en: "ticket #\(id) reassigned"))
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hold", abstract: "Tahan tiket; jam kantor berhenti / put a ticket on hold; its clock stops.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Option(help: "Alasan / reason.") var reason: String

        func run() async throws {
            try await acting.act(id, .hold, reason: reason, options, done: Text(id: "tiket #\(id) ditahan", en: "ticket #\(id) on hold"))
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Lanjutkan tiket yang ditahan / resume a held ticket.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Option(help: "Catatan / note.") var reason: String?

        func run() async throws {
            try await acting.act(id, .resume, reason: reason, options, done: Text(id: "tiket #\(id) dilanjutkan", en: "ticket #\(id) resumed"))
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Batalkan tiket / cancel a ticket.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Option(help: "Alasan / reason.") var reason: String

        func run() async throws {
            try await acting.act(id, .cancel, reason: reason, options, done: Text(id: "tiket #\(id) dibatalkan", en: "ticket #\(id) cancelled"))
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Buka kembali tiket selesai/batal / reopen a done or cancelled ticket.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: Acting
        @Argument var id: Int64
        @Option(help: "Alasan / reason.") var reason: String

        func run() async throws {
            try await acting.act(id, .reopen, reason: reason, options, done: Text(id: "tiket #\(id) dibuka kembali", en: "ticket #\(id) reopened"))
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sweep", 
            abstract: "Hitung ulang jam semua tiket terbuka dan jalankan eskalasi yang jatuh tempo (timer systemd) / re-evaluate every open ticket's clock and fire due escalations (systemd timer).")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Hitung saja, jangan jalankan eskalasi / evaluate only.") var dryRun = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let report = try options.simpul().tickets.sweep(dryRun: dryRun)
                if json { try Output.json(report); return }
                let id = options.language == .id
                print(id ? "berjalan \(report.open), ditahan \(report.held): tepat waktu \(report.onTime), segera jatuh tempo \(report.dueSoon), terlambat \(report.late), tanpa standar \(report.untimed)"
                         : "open \(report.open), held \(report.held): on time \(report.onTime), due soon \(report.dueSoon), late \(report.late), untimed \(report.untimed)")
                let verb = dryRun ? (id ? "jatuh tempo (tidak dijalankan)" : "due (not fired)") : (id ? "dijalankan" : "fired")
                print(id ? "eskalasi \(verb): \(report.escalations) pada \(report.ticketsEscalated) tiket" : "escalations \(verb): \(report.escalations) on \(report.ticketsEscalated) ticket(s)")
                print(String(format: id ? "waktu: baca %.1f ms + evaluasi jam %.1f ms = %.1f ms" : "time: read %.1f ms + clock evaluation %.1f ms = %.1f ms",
                             report.readMilliseconds, report.evaluateMilliseconds, report.readMilliseconds + report.evaluateMilliseconds))
            }
        }
    }

    /// Bulk tickets for benchmarks and demos: real opens (with history and audit), in one transaction.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", 
            abstract: "Buat banyak tiket contoh untuk uji beban / make many example tickets for benchmarks.", shouldDisplay: false)

        @OptionGroup var options: GlobalOptions
        @Option var count = 1000
        @Option(help: "Sebar waktu buka sepanjang hari ke belakang / spread opening times over this many days back.") var days = 30

        func validate() throws {
            try options.require(count, "count", in: Bounds.demoCount)
            try options.require(days, "days", in: Bounds.daysBack)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let agencies = try simpul.estate.agencyNames(for: options.principal).map(\.code)
                // Playbooks whose tickets a module opens with its own record (faults) are left out:
                // their tickets come from that module (`simpul fault generate`).
                let playbooks = try simpul.playbooks.list(by: options.principal).map(\.playbook).filter { $0.firstStep.doneBy == nil }
                guard !agencies.isEmpty, !playbooks.isEmpty else {
                    throw CLIError(Text(id: "impor inventaris dan playbook dulu", en: "import the inventory and the playbooks first"))
                }
                let now = simpul.now()
                var made = 0
                var generator = SystemRandomNumberGenerator()
                while made < count {
                    let batch = min(5000, count - made)
                    var requests: [(playbook: String, subject: String, agency: String?)] = []
                    var times: [Date] = []
                    for i in 0..<batch {
                        let playbook = playbooks[(made + i) % playbooks.count]
                        let agency = agencies[Int.random(in: 0..<agencies.count, using: &generator)]
                        requests.append((playbook.id, "\(playbook.title.id) \(agency) #\(made + i + 1)", agency))
                        times.append(now.addingTimeInterval(-Double.random(in: 0...(Double(days) * 86_400), using: &generator)))
                    }
                    _ = try simpul.tickets.openMany(requests, by: options.principal, at: times)
                    made += batch
                }
                print(options.language == .id ? "\(made) tiket dibuat" : "\(made) tickets made")
            }
        }
    }
}

extension Priority: ExpressibleByArgument {}
extension TicketStore.Filter.Lateness: ExpressibleByArgument {}
extension TicketStore.Filter.Scope: ExpressibleByArgument {}

/// Type-erased Encodable for mixed JSON objects.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
