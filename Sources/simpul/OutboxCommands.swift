import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Kotak keluar: kiriman DNS, surel dan webhook / the outbox: DNS, mail and webhook deliveries.",
        discussion: """
        Every side effect of a change (a DNS change set now) is written to the outbox in the same
        transaction, and delivered at least once: by `simpul serve` as it falls due, by the
        simpul-outbox timer (`simpul outbox deliver`), or at once by the request that made it. A
        delivery that fails is tried again with a growing wait; after its last attempt it waits for
        someone to retry or dismiss it.
        Contoh / examples:
          simpul outbox list --state failed
          simpul outbox retry 12
          simpul outbox dismiss 12 --reason "zona dipindah ke server lain"
          simpul outbox deliver
        """,
        subcommands: [List.self, Deliver.self, Retry.self, Dismiss.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar kiriman / list deliveries, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Keadaan / state: pending, delivered, failed, dismissed.") var state: String?
        @Option(help: "Jumlah baris / rows.") var limit = 50
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func validate() throws { try options.require(limit, "limit", in: Bounds.listLimit) }

        func run() throws {
            try options.run {
                var filter = OutboxStore.Filter(limit: limit)
                if let state {
                    guard let parsed = DeliveryState(rawValue: state) else {
                        throw CLIError(Text(id: "keadaan \"\(state)\" tidak dikenal; pakai pending, delivered, failed atau dismissed",
                                            en: "state \"\(state)\" is unknown; use pending, delivered, failed or dismissed"))
                    }
                    filter.states = [parsed]
                }
                let simpul = try options.simpul()
                let (rows, total) = try simpul.outbox.list(filter, by: options.principal)
                if json {
                    try Output.json(rows.map { OutboxOutput.JSON($0, options.language) })
                    return
                }
                Output.table(Listing(options.language, time: simpul.officeTime()).deliveries(rows))
                if total > rows.count { print(Text(id: "\(rows.count) dari \(total)", en: "\(rows.count) of \(total)")(options.language)) }
            }
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deliver", 
            abstract: "Kirim yang sudah jatuh tempo / deliver what is due (the simpul-outbox timer runs this).",
            discussion: "Exit status 1 when an attempt failed, so systemd shows the run as failed.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                try OutboxOutput.report(await simpul.outbox.deliverAllDue(), language: options.language, time: simpul.officeTime())
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: "Coba lagi kiriman yang gagal / try a failed delivery again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor kiriman / delivery number.") var id: Int64

        func validate() throws { try options.require(id, "id", in: Bounds.rowID) }

        func run() throws {
            try options.run {
                let delivery = try options.simpul().outbox.retry(id, by: options.principal)
                print(Text(id: "kiriman #\(delivery.id) menunggu lagi; dikirim pada putaran berikutnya (atau: simpul outbox deliver)",
                           en: "delivery #\(delivery.id) waits again; it goes on the next round (or: simpul outbox deliver)")(options.language))
            }
        }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss", abstract: "Abaikan kiriman (tidak akan dikirim) / dismiss a delivery (it will not be sent).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor kiriman / delivery number.") var id: Int64
        @Option(help: "Alasan / reason (kept in the audit log).") var reason: String

        func validate() throws { try options.require(id, "id", in: Bounds.rowID) }

        func run() throws {
            try options.run {
                let delivery = try options.simpul().outbox.dismiss(id, reason: reason, by: options.principal)
                print(Text(id: "kiriman #\(delivery.id) diabaikan", en: "delivery #\(delivery.id) dismissed")(options.language))
            }
        }
    }
}

enum OutboxOutput {
    struct JSON: Encodable {
        var id: Int64, channel: String, state: String, attempts: Int, maxAttempts: Int, ticket: Int64?, subject: String?
        var nextAttemptAt: String, lastError: String?, createdAt: String, createdBy: String, deliveredAt: String?
        /// The worker holding it, and until when: a worker that died leaves the row claimed until then.
        var claimedBy: String?, claimExpiresAt: String?

        init(_ d: Delivery, _ language: Language) {
            id = d.id; channel = d.channel.rawValue; state = d.state.rawValue; attempts = d.attempts; maxAttempts = d.maxAttempts
            ticket = d.ticketID; subject = d.subject; nextAttemptAt = Timestamp.string(d.dueAt); lastError = d.lastError?(language)
            claimedBy = d.claimedBy; claimExpiresAt = d.claimExpiresAt.map(Timestamp.string)
            createdAt = Timestamp.string(d.createdAt); createdBy = d.createdBy; deliveredAt = d.deliveredAt.map(Timestamp.string)
        }
    }

    /// One line per attempt; exit status 1 when one failed.
    static func report(_ report: OutboxService.RunReport, language: Language, time: OfficeTime) throws {
        let format = Format(language)
        for attempt in report.attempts {
            let what = "#\(attempt.delivery.id) \(attempt.delivery.channel.title(language)) \(attempt.delivery.subject.map { String($0.split(separator: ":", maxSplits: 1).last ?? "") } ?? "")"
            if attempt.busy {
                print("\(what): " + Text(id: "sedang dikirim proses lain", en: "being delivered by another process")(language))
            } else if let error = attempt.error {
                printError("\(what): \(error(language))" + (attempt.gaveUp
                    ? Text(id: " — percobaan terakhir; menunggu: simpul outbox retry \(attempt.delivery.id)", en: " — last attempt; it waits for: simpul outbox retry \(attempt.delivery.id)")(language)
                    : Text(id: " — dicoba lagi nanti", en: " — tried again later")(language)))
            } else {
                print("\(what): " + Text(id: "terkirim", en: "delivered")(language) + " (\(format.decimal(attempt.milliseconds)) ms)")
                if let error = attempt.followUpError {
                    printError("\(what): " + Text(id: "terkirim, tetapi tiketnya tidak dapat dilanjutkan: \(error.id)",
                                                    en: "delivered, but its ticket could not be moved on: \(error.en)")(language))
                }
            }
        }
        for held in report.heldElsewhere {
            let until = held.claimExpiresAt.map { time.format(stored: Timestamp.string($0), language) } ?? "?"
            printError("#\(held.id) \(held.channel.title(language)): " + Text(
                id: "sedang dipegang proses lain (\(held.claimedBy ?? "?")) sampai \(until); bila proses itu mati, kiriman ini kembali saat itu dan dikirim lagi",
                en: "held by another process (\(held.claimedBy ?? "?")) until \(until); if that process died, the delivery comes back then and goes out again")(language))
        }
        if let error = report.storeError { printError(error(language)) }
        if report.hasFailures { throw ExitCode(1) }
    }
}
