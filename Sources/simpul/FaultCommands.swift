import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct FaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Laporan gangguan jaringan / network fault reports (SOP 15).",
        discussion: """
        A fault is a ticket on the fault-dispatch playbook with its own record: the link or device it is
        about, who reported it, the symptom. A second report about a link that already has an open fault
        is attached to that fault. The supervisor assigns it (`simpul ticket step ID --as kabid --assign teknisi1`);
        the technician logs the work; fixed goes to the result, not fixed to the provider.
        Contoh / examples:
          simpul fault open --agency DINKES --link NUS-DINKES-01 --symptom no_connection \\
              --reporter "Budi (Dinkes)" --contact "0812 555 0101" --description "Internet mati sejak pagi"
          simpul fault list --open
          simpul fault show 12
          simpul fault log 12 --as teknisi1 --checked "ONT, kabel" --found "patch cord putus" --did "ganti patch cord" \\
              --part PC-UTP-2M=1 --outcome fixed
          simpul fault close 12 --as teknisi1 --cause device_failure --resolution "patch cord diganti, koneksi normal"
        """,
        subcommands: [Open.self, List.self, Show.self, Log.self, Escalate.self, Ack.self, Restore.self, Close.self, Generate.self])

    /// Delivers what an action wrote to the outbox (the provider's mail) at once, and says how it went;
    /// a delivery that does not go out stays in the outbox, retried by the worker.
    static func deliver(_ simpul: Simpul, _ ids: [Int64], _ options: GlobalOptions) async {
        guard !ids.isEmpty else { return }
        for attempt in await simpul.outbox.deliverAtOnce(ids).attempts {
            let what = "#\(attempt.delivery.id) \(attempt.delivery.channel.title(options.language))"
            if let error = attempt.error {
                printError(Text(id: "\(what) belum terkirim (dicoba lagi otomatis): \(error.id)", en: "\(what) did not go out yet (retried automatically): \(error.en)")(options.language))
            } else if attempt.busy {
                print(Text(id: "\(what) menunggu di outbox; dikirim oleh pekerja outbox", en: "\(what) waits in the outbox; the outbox worker sends it")(options.language))
            } else {
                print(Text(id: "\(what) terkirim", en: "\(what) delivered")(options.language))
            }
        }
    }

    /// `YYYY-MM-DD HH:MM` in office time, or nil.
    static func localTime(_ text: String?, _ simpul: Simpul, what: Text) throws -> Date? {
        try text.map { text in
            guard let date = simpul.officeTime().parse(local: text) else {
                throw CLIError(Text(id: "\(what.id) \"\(text)\" harus TTTT-BB-HH JJ:MM (waktu kantor)", en: "\(what.en) \"\(text)\" must be YYYY-MM-DD HH:MM (office time)"))
            }
            return date
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "escalate", 
            abstract: "Eskalasi ke penyedia sambungannya, tingkat berikutnya / escalate to the provider of its link, next level.",
            discussion: "The level's mail goes through the outbox (simpul outbox list). The not-fixed outcome and the playbook's rules escalate by themselves.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64

        func validate() throws { try options.require(ticket, "ticket") }

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let escalated = try simpul.faults.escalate(ticket: ticket, by: try acting.principal(simpul, options))
                print(Text(id: "gangguan #\(ticket) dieskalasi ke penyedia, tingkat \(escalated.level)",
                           en: "fault #\(ticket) escalated to the provider, level \(escalated.level)")(options.language))
                await FaultCommand.deliver(simpul, escalated.deliveries, options)
            }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Catat tanggapan penyedia / record the provider's acknowledgement.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Nomor tiket penyedia / the provider's ticket number.") var providerTicket: String?
        @Option(help: "Kapan (YYYY-MM-DD HH:MM, waktu kantor; kini bila kosong) / when, office time.") var at: String?
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                try simpul.faults.acknowledge(ticket: ticket, providerTicket: providerTicket,
                                              at: try FaultCommand.localTime(at, simpul, what: Text(id: "waktu", en: "the time")), note: note,
                                              by: try acting.principal(simpul, options))
                print(Text(id: "tanggapan penyedia untuk gangguan #\(ticket) dicatat", en: "the provider's acknowledgement of fault #\(ticket) is recorded")(options.language))
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", abstract: "Catat pemulihan oleh penyedia / record the provider's restoration.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Kapan (YYYY-MM-DD HH:MM, waktu kantor; kini bila kosong) / when, office time.") var at: String?
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                try simpul.faults.restore(ticket: ticket, at: try FaultCommand.localTime(at, simpul, what: Text(id: "waktu", en: "the time")), note: note,
                                          by: try acting.principal(simpul, options))
                print(Text(id: "pemulihan gangguan #\(ticket) dicatat", en: "the restoration of fault #\(ticket) is recorded")(options.language))
            }
        }
    }

    static func json(_ stored: FaultStore.Stored) -> FaultJSON { FaultJSON(stored) }

    struct FaultJSON: Encodable {
        var ticket: Int64, agency: String, agencyName: String, link: String?, device: String?, channel: String, reporter: String
        var contact: String?, symptom: String, description: String, startedAt: String, reportedAt: String, open: Bool
        var status: String, step: String?, assignee: String?, cause: String?, resolution: String?
        var provider: String?, escalationLevel: Int?, escalatedAt: String?, providerTicket: String?, acknowledgedAt: String?, restoredAt: String?

        init(_ f: FaultStore.Stored) {
            ticket = f.ticketID; agency = f.agencyCode; agencyName = f.agencyName; link = f.circuit; device = f.deviceName
            channel = f.channel.rawValue; reporter = f.reporterName; contact = f.reporterContact; symptom = f.symptom.rawValue
            description = f.description; startedAt = Timestamp.string(f.startedAt); reportedAt = Timestamp.string(f.reportedAt); open = f.open
            status = f.status.rawValue; step = f.step; assignee = f.assignee; cause = f.cause?.rawValue; resolution = f.resolution
            provider = f.providerCode ?? f.linkProviderCode; escalationLevel = f.escalationLevel; escalatedAt = f.escalatedAt.map(Timestamp.string)
            providerTicket = f.providerTicket; acknowledgedAt = f.acknowledgedAt.map(Timestamp.string); restoredAt = f.restoredAt.map(Timestamp.string)
        }
    }

    static func parse<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type, what: Text) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text.lowercased().replacingOccurrences(of: "-", with: "_")) else {
            let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError(Text(id: "\(what.id) \"\(text)\" tidak dikenal; pilih salah satu: \(choices)", en: "unknown \(what.en) \"\(text)\"; choose one of: \(choices)"))
        }
        return value
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Catat laporan gangguan / record a fault report.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Perangkat daerah / agency code.") var agency: String?
        @Option(help: "Sirkuit sambungan / the link's circuit id.") var link: String?
        @Option(help: "Nama perangkat / device name.") var device: String?
        @Option(help: "Gejala / symptom: no_connection, slow, intermittent, service_down, equipment_broken, other.") var symptom: String
        @Option(help: "Saluran / channel: phone, whatsapp, walk_in, web, email, monitoring, api.") var channel: String = "phone"
        @Option(help: "Nama pelapor / reporter's name.") var reporter: String
        @Option(help: "Kontak pelapor / how to reach the reporter.") var contact: String?
        @Option(help: "Uraian / description.") var description: String = ""
        @Option(help: "Mulai (YYYY-MM-DD HH:MM, waktu kantor) / when it started, office time.") var started: String?
        @Option(help: "Id laporan pengirim / the sender's own report id (deduplicates).") var externalID: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let time = simpul.officeTime()
                let startedAt = try started.map { text -> Date in
                    guard let date = time.parse(local: text) else {
                        throw CLIError(Text(id: "waktu mulai \"\(text)\" harus TTTT-BB-HH JJ:MM (waktu kantor)", en: "the start time \"\(text)\" must be YYYY-MM-DD HH:MM (office time)"))
                    }
                    return date
                }
                let opened = try simpul.faults.open(FaultService.Report(
                    agency: agency, link: link, device: device, channel: try FaultCommand.parse(channel, FaultChannel.self, what: Text(id: "saluran", en: "channel")),
                    reporterName: reporter, reporterContact: contact,
                    symptom: try FaultCommand.parse(symptom, FaultSymptom.self, what: Text(id: "gejala", en: "symptom")),
                    description: description, startedAt: startedAt, externalID: externalID), by: try acting.principal(simpul, options))
                if json {
                    try Output.json(["ticket": String(opened.ticketID), "result": opened.kind.rawValue])
                    return
                }
                let said: Text = switch opened.kind {
                case .opened: Text(id: "laporan gangguan #\(opened.ticketID) dicatat", en: "fault #\(opened.ticketID) recorded")
                case .attached: Text(id: "sudah ada gangguan terbuka untuk ini: laporan ditambahkan ke #\(opened.ticketID)",
                                     en: "an open fault exists for this: the report was added to #\(opened.ticketID)")
                case .repeated: Text(id: "laporan ini sudah diterima sebelumnya (#\(opened.ticketID)); tidak ada yang berubah",
                                     en: "this report was received before (#\(opened.ticketID)); nothing changed")
                }
                print(said(options.language))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar gangguan / list faults, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Perangkat daerah / agency code.") var agency: String?
        @Option(help: "Sirkuit / circuit.") var link: String?
        @Flag(help: "Hanya yang terbuka / open ones only.") var open = false
        @Option(help: "Paling banyak / at most.") var limit: Int = 50
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(limit, "limit", in: 1...1000) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let page = try simpul.faults.list(FaultStore.Filter(agency: agency?.uppercased(), openOnly: open, circuit: link, limit: limit),
                                                  by: options.principal)
                if json { return try Output.json(page.rows.map(FaultJSON.init)) }
                let time = simpul.officeTime(), language = options.language
                Output.table(TextTable(
                    ["#", Text(id: "dilaporkan", en: "reported")(language), Text(id: "OPD", en: "agency")(language), Text(id: "tentang", en: "about")(language),
                     Text(id: "gejala", en: "symptom")(language), Text(id: "langkah", en: "step")(language), Text(id: "keadaan", en: "state")(language)],
                    page.rows.map { f in
                        ["#\(f.ticketID)", time.format(f.reportedAt, language), f.agencyCode, f.circuit ?? f.deviceName ?? "-", f.symptom.title(language),
                         f.step ?? "-", f.open ? Text(id: "terbuka", en: "open")(language) : (f.cause?.title(language) ?? Text(id: "ditutup", en: "closed")(language))]
                    }))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Rincian gangguan / a fault in full.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let detail = try simpul.faults.fault(ticket: ticket, by: options.principal)
                if json {
                    struct Full: Encodable {
                        var fault: FaultJSON
                        var reports: [[String: String]]
                        var log: [[String: String]]
                        var similar: [Int64]
                    }
                    return try Output.json(Full(
                        fault: FaultJSON(detail.fault),
                        reports: detail.reports.map { ["channel": $0.channel.rawValue, "reporter": $0.reporterName, "contact": $0.reporterContact ?? "",
                                                       "description": $0.description, "at": Timestamp.string($0.reportedAt)] },
                        log: detail.log.map { ["at": Timestamp.string($0.at), "by": $0.by, "checked": $0.checked, "found": $0.found, "did": $0.did,
                                               "outcome": $0.outcome.rawValue] },
                        similar: detail.similar.map(\.fault.ticketID)))
                }
                let f = detail.fault, time = simpul.officeTime(), language = options.language
                func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
                var lines = ["#\(f.ticketID) \(f.subject)",
                             "  \(t("OPD", "agency")): \(f.agencyName) (\(f.agencyCode))",
                             "  \(t("tentang", "about")): \(f.circuit.map { "\(t("sambungan", "link")) \($0)" } ?? f.deviceName ?? "-")",
                             "  \(t("gejala", "symptom")): \(f.symptom.title(language)); \(t("mulai", "started")) \(time.format(f.startedAt, language))",
                             "  \(t("pelapor", "reporter")): \(f.reporterName) \(f.reporterContact ?? "") (\(f.channel.title(language)))",
                             "  \(t("langkah", "step")): \(detail.stepTitle?(language) ?? f.status.rawValue)\(f.assignee.map { " — \($0)" } ?? "")"]
                if !f.description.isEmpty { lines.append("  \(t("uraian", "description")): \(f.description)") }
                if let cause = f.cause { lines.append("  \(t("penyebab", "cause")): \(cause.title(language)); \(f.resolution ?? "")") }
                if detail.reports.count > 1 {
                    lines.append(t("Laporan:", "Reports:"))
                    for r in detail.reports { lines.append("  \(time.format(r.reportedAt, language)) \(r.reporterName) (\(r.channel.title(language))): \(r.description)") }
                }
                if !detail.log.isEmpty {
                    lines.append(t("Catatan kerja:", "Work log:"))
                    for e in detail.log {
                        let said = [e.checked, e.found, e.did].filter { !$0.isEmpty }.joined(separator: " / ")
                        lines.append("  \(time.format(e.at, language)) \(e.by): \(said) → \(e.outcome.title(language))")
                    }
                }
                if !detail.similar.isEmpty {
                    lines.append(t("Gangguan serupa sebelumnya:", "Similar past faults:"))
                    for s in detail.similar {
                        lines.append("  #\(s.fault.ticketID) \(time.format(s.fault.reportedAt, language)) \(s.fault.circuit ?? s.fault.agencyCode): "
                                     + "\(s.fault.cause?.title(language) ?? "-") — \(s.fault.resolution ?? "-")")
                    }
                }
                Output.lines(lines)
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "Tulis catatan kerja / log work on a fault.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Yang diperiksa / what was checked.") var checked: String = ""
        @Option(help: "Temuan / what was found.") var found: String = ""
        @Option(help: "Tindakan / what was done.") var did: String = ""
        @Option(help: "Hasil / outcome: progress, fixed, not_fixed, waiting_provider.") var outcome: String = "progress"
        @Option(help: "Suku cadang KODE=JUMLAH / a part used, CODE=QUANTITY (repeatable).") var part: [String] = []
        @Option(help: "Alasan (wajib untuk koreksi admin) / reason (needed for an admin's correction).") var reason: String?

        func validate() throws { try options.require(ticket, "ticket") }

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let parts = try part.map { item -> (code: String, quantity: Int) in
                    let pieces = item.split(separator: "=", maxSplits: 1)
                    guard pieces.count == 2, let quantity = Int(pieces[1]), (1...10_000).contains(quantity) else {
                        throw CLIError(Text(id: "suku cadang \"\(item)\" harus KODE=JUMLAH (1–10000), mis. PC-UTP-2M=1",
                                            en: "the part \"\(item)\" must be CODE=QUANTITY (1–10000), e.g. PC-UTP-2M=1"))
                    }
                    return (String(pieces[0]), quantity)
                }
                let logged = try simpul.faults.log(ticket: ticket, FaultService.LogForm(
                    checked: checked, found: found, did: did,
                    outcome: try FaultCommand.parse(outcome, FaultLogOutcome.self, what: Text(id: "hasil", en: "outcome")), parts: parts, reason: reason),
                    by: try acting.principal(simpul, options))
                print(Text(id: "catatan kerja dicatat (#\(ticket), entri \(logged.entry))", en: "work logged (#\(ticket), entry \(logged.entry))")(options.language))
                await FaultCommand.deliver(simpul, logged.deliveries, options)
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Laporkan hasil: penyebab dan penyelesaian / report the result: cause and resolution.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Penyebab / cause: fiber_cut, power, device_failure, configuration, provider_upstream, user_side, other.") var cause: String
        @Option(help: "Penyelesaian / resolution.") var resolution: String
        @Option(help: "Alasan (wajib untuk koreksi admin) / reason (needed for an admin's correction).") var reason: String?

        func validate() throws { try options.require(ticket, "ticket") }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let detail = try simpul.faults.close(ticket: ticket, cause: try FaultCommand.parse(cause, FaultCause.self, what: Text(id: "penyebab", en: "cause")),
                                                     resolution: resolution, reason: reason, by: try acting.principal(simpul, options))
                print(Text(id: "hasil gangguan #\(ticket) dilaporkan; langkah berikutnya: \(detail.stepTitle?.id ?? "selesai")",
                           en: "the result of fault #\(ticket) is reported; next: \(detail.stepTitle?.en ?? "done")")(options.language))
            }
        }
    }
}
