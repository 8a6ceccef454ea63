import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct PartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parts",
        abstract: "Stok suku cadang / the spare-parts stock.",
        discussion: """
        Stock changes only by a recorded movement: received, used on a ticket, or corrected after a count.
        Using more than is in stock is refused and changes nothing. Parts below their minimum level are
        listed first and shown on the dashboard. On a fault, parts are used with the work log
        (`simpul fault log ID --part CODE=N`); `parts use` is for any other open ticket.
        Contoh / examples:
          simpul parts add PC-UTP-2M --name "Patch cord UTP Cat6 2 m" --unit buah --minimum 10 --location "Lemari A1"
          simpul parts receive PC-UTP-2M 25 --note "BAST 027/DKISP/2026"
          simpul parts use PC-UTP-2M 2 --ticket 12 --as teknisi1
          simpul parts adjust PC-UTP-2M --to 20 --reason "stock opname Desember"
          simpul parts list --low
          simpul parts history PC-UTP-2M
          simpul parts history --ticket 12
        """,
        subcommands: [List.self, Add.self, Edit.self, Receive.self, Use.self, Adjust.self, History.self])

    /// `25 buah` in the user's language.
    static func amount(_ part: Part, _ quantity: Int, _ options: GlobalOptions) -> String {
        part.amount(quantity, Format(options.language))
    }

    /// The quantity given as an argument or as `--quantity`: exactly one of them, 1…1,000,000.
    static func quantity(_ argument: Int?, _ option: Int?, _ options: GlobalOptions) throws -> Int {
        try options.require(argument, "quantity", in: PartRules.movement)
        try options.require(option, "quantity", in: PartRules.movement)
        switch (argument, option) {
        case let (a?, o?) where a != o:
            throw ValidationError(Text(id: "jumlah diberikan dua kali berbeda (\(a) dan --quantity \(o)); berikan sekali",
                                       en: "the quantity is given twice, differently (\(a) and --quantity \(o)); give it once")(options.language))
        case let (a?, _): return a
        case let (nil, o?): return o
        case (nil, nil):
            throw ValidationError(Text(id: "berikan jumlahnya, mis. simpul parts receive PC-UTP-2M 10", en: "give the quantity, e.g. simpul parts receive PC-UTP-2M 10")(options.language))
        }
    }

    struct PartJSON: Encodable {
        var code: String, name: String, unit: String, quantity: Int, minimum: Int, location: String?, low: Bool, updatedAt: String

        init(_ p: Part) {
            code = p.code; name = p.name; unit = p.unit; quantity = p.quantity; minimum = p.minimum; location = p.location; low = p.isLow
            updatedAt = Timestamp.string(p.updatedAt)
        }
    }

    struct MovementJSON: Encodable {
        var part: String, kind: String, delta: Int, unit: String, ticket: Int64?, log: Int64?, note: String?, at: String, by: String

        init(_ m: PartMovement) {
            part = m.partCode; kind = m.kind.rawValue; delta = m.delta; unit = m.unit; ticket = m.ticketID; log = m.logID; note = m.note
            at = Timestamp.string(m.at); by = m.by
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar stok, yang di bawah batas minimum dulu / the stock, parts below their minimum first.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Hanya yang di bawah batas minimum / only parts below their minimum level.") var low = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let parts = try simpul.parts.list(lowOnly: low, by: options.principal)
                if json { return try Output.json(parts.map(PartJSON.init)) }
                let language = options.language, format = Format(language)
                func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
                Output.table(TextTable(
                    [t("kode", "code"), t("nama", "name"), t("stok", "in stock"), t("minimum", "minimum"), t("lokasi", "location"), t("keadaan", "state")],
                    parts.map { p in
                        [p.code, p.name, p.amount(p.quantity, format), format.number(p.minimum), p.location.orDash,
                         p.isLow ? t("DI BAWAH MINIMUM", "BELOW MINIMUM") : ""]
                    }))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Tambah suku cadang (stok 0; lalu parts receive) / add a part (no stock yet; then parts receive).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Kode / code, e.g. PC-UTP-2M.") var code: String
        @Option(help: "Nama / name.") var name: String
        @Option(help: "Satuan / unit: buah, pcs, m, roll…") var unit: String
        @Option(help: "Batas minimum / minimum level (0–1000000).") var minimum: Int = 0
        @Option(help: "Lokasi penyimpanan / where it is kept.") var location: String?

        func validate() throws { try options.require(minimum, "minimum", in: PartRules.quantities) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let part = try simpul.parts.add(code: code, name: name, unit: unit, minimum: minimum, location: location,
                                                by: try acting.principal(simpul, options))
                print(Text(id: "suku cadang \(part.code) (\(part.name)) ditambahkan, stok 0 \(part.unit); catat penerimaannya dengan simpul parts receive \(part.code) JUMLAH",
                           en: "part \(part.code) (\(part.name)) added with no stock; record what is received with simpul parts receive \(part.code) QUANTITY")(options.language))
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Ubah nama, satuan, batas minimum atau lokasi / change a part's name, unit, minimum or location.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Kode / code.") var code: String
        @Option(help: "Nama / name.") var name: String?
        @Option(help: "Satuan / unit.") var unit: String?
        @Option(help: "Batas minimum / minimum level (0–1000000).") var minimum: Int?
        @Option(help: "Lokasi penyimpanan (kosong untuk menghapus) / where it is kept (empty to clear).") var location: String?

        func validate() throws { try options.require(minimum, "minimum", in: PartRules.quantities) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let part = try simpul.parts.update(code: code, name: name, unit: unit, minimum: minimum, location: location,
                                                   by: try acting.principal(simpul, options))
                print(Text(id: "suku cadang \(part.code) diubah", en: "part \(part.code) changed")(options.language))
            }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "receive", abstract: "Catat stok yang diterima / record stock received.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Kode / code.") var code: String
        @Argument(help: "Jumlah / quantity (1–1000000).") var quantity: Int?
        @Option(name: .customLong("quantity"), help: "Jumlah, bila tidak diberikan sebagai argumen / the quantity, when not given as an argument.") var quantityOption: Int?
        @Option(help: "Catatan (mis. nomor BAST) / note (e.g. the delivery note).") var note: String?

        func validate() throws { _ = try PartCommand.quantity(quantity, quantityOption, options) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let count = try PartCommand.quantity(quantity, quantityOption, options)
                let part = try simpul.parts.receive(code: code, quantity: count, note: note, by: try acting.principal(simpul, options))
                print(Text(id: "diterima \(PartCommand.amount(part, count, options)) \(part.name); stok kini \(PartCommand.amount(part, part.quantity, options))",
                           en: "received \(PartCommand.amount(part, count, options)) of \(part.name); \(PartCommand.amount(part, part.quantity, options)) in stock now")(options.language))
            }
        }
    }

    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use", abstract: "Pakai suku cadang untuk tiket / take parts from stock for a ticket.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Kode / code.") var code: String
        @Argument(help: "Jumlah / quantity (1–1000000).") var quantity: Int?
        @Option(name: .customLong("quantity"), help: "Jumlah, bila tidak diberikan sebagai argumen / the quantity, when not given as an argument.") var quantityOption: Int?
        @Option(help: "Nomor tiket (terbuka atau ditunda) / the ticket (open or held).") var ticket: Int64
        @Option(help: "Catatan / note.") var note: String?

        func validate() throws {
            _ = try PartCommand.quantity(quantity, quantityOption, options)
            try options.require(ticket, "--ticket")
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let count = try PartCommand.quantity(quantity, quantityOption, options)
                let part = try simpul.parts.use(code: code, quantity: count, ticket: ticket, note: note, by: try acting.principal(simpul, options))
                var said = Text(id: "dipakai \(PartCommand.amount(part, count, options)) \(part.name) untuk tiket #\(ticket); sisa \(PartCommand.amount(part, part.quantity, options))",
                                en: "used \(PartCommand.amount(part, count, options)) of \(part.name) on ticket #\(ticket); \(PartCommand.amount(part, part.quantity, options)) left")(options.language)
                if part.isLow {
                    said += Text(id: " — di bawah batas minimum \(Format.id.number(part.minimum))", en: " — below its minimum of \(Format.en.number(part.minimum))")(options.language)
                }
                print(said)
            }
        }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "adjust", abstract: "Koreksi stok ke jumlah terhitung / set the stock to what was counted.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var acting: TicketCommand.Acting
        @Argument(help: "Kode / code.") var code: String
        @Option(help: "Jumlah terhitung / the counted quantity (0–1000000).") var to: Int
        @Option(help: "Alasan / reason (a stock count, a broken item…).") var reason: String

        func validate() throws { try options.require(to, "to", in: PartRules.quantities) }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let part = try simpul.parts.adjust(code: code, to: to, reason: reason, by: try acting.principal(simpul, options))
                print(Text(id: "stok \(part.name) dikoreksi menjadi \(PartCommand.amount(part, part.quantity, options))",
                           en: "the stock of \(part.name) is corrected to \(PartCommand.amount(part, part.quantity, options))")(options.language))
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "Riwayat stok satu suku cadang atau satu tiket / the movements of a part or of a ticket.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode / code.") var code: String?
        @Option(help: "Suku cadang yang dipakai untuk tiket ini / the parts used on this ticket.") var ticket: Int64?
        @Option(help: "Paling banyak / at most (1–1000).") var limit: Int = 200
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws {
            try options.require(limit, "limit", in: PartService.historyLimit)
            if let ticket { try options.require(ticket, "--ticket") }
            guard (code == nil) != (ticket == nil) else {
                throw ValidationError(Text(id: "berikan kode suku cadang atau --ticket, salah satu", en: "give a part code or --ticket, one of them")(options.language))
            }
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let movements: [PartMovement]
                var heading: String?
                let language = options.language, format = Format(language)
                if let ticket {
                    movements = try simpul.parts.movements(ticket: ticket, by: options.principal)
                } else {
                    let found = try simpul.parts.movements(code: code ?? "", limit: limit, by: options.principal)
                    movements = found.movements
                    let p = found.part
                    heading = Text(id: "\(p.code) \(p.name): stok \(p.amount(p.quantity, .id)), minimum \(Format.id.number(p.minimum))\(p.location.map { ", di \($0)" } ?? "")",
                                   en: "\(p.code) \(p.name): \(p.amount(p.quantity, .en)) in stock, minimum \(Format.en.number(p.minimum))\(p.location.map { ", at \($0)" } ?? "")")(language)
                }
                if json { return try Output.json(movements.map(MovementJSON.init)) }
                let time = simpul.officeTime()
                func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
                if let heading { print(heading) }
                Output.table(TextTable(
                    [t("waktu", "when"), t("suku cadang", "part"), t("jenis", "kind"), t("jumlah", "quantity"), t("tiket", "ticket"), t("oleh", "by"), t("catatan", "note")],
                    movements.map { m in
                        [time.format(m.at, language), m.partCode, m.kind.title(language), (m.delta > 0 ? "+" : "") + format.number(m.delta) + " \(m.unit)",
                         m.ticketID.map { "#\($0)" } ?? "-", AuditWording.actor(m.by)(language), m.note.orDash]
                    }))
            }
        }
    }
}
