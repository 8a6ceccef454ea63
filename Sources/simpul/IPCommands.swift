import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct IPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ip",
        abstract: "Alamat IP dari pool / IP addresses from the pools.",
        discussion: """
        Hold an address for a request while it is approved (it lapses by itself, 72 hours by default), assign it,
        release it. The same --key, or the same --owner without --address, gets the same address back.
        Contoh / examples:
          simpul ip next dc-server
          simpul ip hold dc-server --owner ticket:12 --for "72 jam"
          simpul ip assign dc-server --owner ticket:12 --hostname simpeg
          simpul ip assign dc-server --address 10.20.0.15 --owner device:SIMPEG-01
          simpul ip release 10.20.0.15 --note "server dibongkar"
        """,
        subcommands: [Next.self, Hold.self, Assign.self, Release.self, Show.self, List.self, Sweep.self, Bench.self])

    /// What hold and assign share.
    struct Allocation: ParsableArguments {
        @Argument(help: "Pool (boleh kosong bila --address diberikan) / pool (may be left out with --address).") var pool: String?
        @Option(help: "Alamat tertentu / a particular address (default: the next free one).") var address: String?
        @Option(help: "Untuk siapa / who it is for, e.g. ticket:12 or device:SIMPEG-01.") var owner: String
        @Option(help: "Nama host / host name.") var hostname: String?
        @Option(help: "Catatan / note.") var note: String?
        @Option(help: "Kunci idempotensi / idempotency key: asking again gives the same address.") var key: String?

        func request(holdFor: TimeInterval? = nil) -> IPAMService.Request {
            IPAMService.Request(pool: pool, address: address, owner: owner, hostname: hostname, note: note, idempotencyKey: key, holdFor: holdFor)
        }
    }

    static func print(_ allocation: IPAMStore.Allocation, json: Bool, options: GlobalOptions) throws {
        if json { try Output.json(allocation); return }
        let time = try options.simpul().officeTime(), language = options.language
        let until = allocation.heldUntil.map { " " + Text(id: "sampai", en: "until")(language) + " \(time.format(stored: $0, language))" } ?? ""
        Swift.print("\(allocation.address)\t\(Listing.addressState(allocation.state)(language))\t\(allocation.pool)\t\(allocation.owner)\(until)")
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "next", abstract: "Alamat bebas berikutnya, tanpa mengambilnya / the next free address, without taking it.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pool.") var pool: String

        func run() throws {
            try options.run { Swift.print(try options.simpul().ipam.next(pool: pool, by: options.principal)) }
        }
    }

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hold", abstract: "Tahan alamat untuk permohonan / hold an address for a request.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var allocation: Allocation
        @Option(name: .customLong("for"), help: "Lama hold / how long, e.g. \"72 jam\", \"3 hari\", \"30 menit\", 72h (default 72 hours).") var duration: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let held = try options.simpul().ipam.hold(allocation.request(holdFor: try duration.map(IPAMService.holdDuration)), by: options.principal)
                try IPCommand.print(held, json: json, options: options)
            }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Berikan alamat / assign an address (a hold by the same owner becomes the assignment).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var allocation: Allocation
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                try IPCommand.print(try options.simpul().ipam.assign(allocation.request(), by: options.principal), json: json, options: options)
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "release", abstract: "Kembalikan alamat ke pool / give an address back to its pool.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Alamat / address.") var address: String
        @Option(help: "Pool (dicari dari alamat bila kosong) / pool (found from the address when left out).") var pool: String?
        @Option(help: "Alasan / reason.") var note: String?

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                var result = try simpul.ipam.release(address, pool: pool, note: note, by: options.principal)
                result.dns = await simpul.dnsRecords.published(result.dns)
                let released = result.allocation
                let language = options.language
                Swift.print(Text(id: "dilepas", en: "released")(language) + " \(released.address) (\(Listing.addressState(released.state)(language)), \(released.owner)) → \(released.pool)")
                try DNSOutput.report(result.dns, language: options.language)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Status dan riwayat satu alamat / one address: state and history.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Alamat / address.") var address: String
        @Option(help: "Pool.") var pool: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let report = try simpul.ipam.show(address, pool: pool, by: options.principal)
                if json { try Output.json(report); return }
                let time = simpul.officeTime(), language = options.language
                let t = { (id: String, en: String) in Text(id: id, en: en)(language) }
                let state = report.allocation.map { Listing.addressState($0.state)(language) } ?? IPCommand.stateWords(report.state)(language)
                Swift.print("\(report.address) — pool \(report.pool) (\(report.prefix)): \(state)")
                if let why = report.excludedBecause { Swift.print("  \(why(options.language))") }
                if let a = report.allocation {
                    Swift.print("  \(t("untuk", "owner")): \(a.owner)\(a.hostname.map { ", \(t("nama host", "host")) \($0)" } ?? "")")
                    if let until = a.heldUntil { Swift.print("  \(t("ditahan sampai", "held until")): \(time.format(stored: until, language))") }
                    if let note = a.note { Swift.print("  \(t("catatan", "note")): \(note)") }
                }
                if !report.history.isEmpty {
                    Swift.print("")
                    Output.table(options.listing(simpul).addressHistory(report.history))
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Pemakaian pool, atau alamat satu pool / pool use, or one pool's addresses.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pool (kosong: pemakaian semua pool) / pool (left out: every pool's use).") var pool: String?
        @Option(help: "held atau assigned / held or assigned.") var state: IPAMStore.State?
        @Option(help: "Pemilik / owner.") var owner: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let ipam = simpul.ipam
                if pool == nil && state == nil && owner == nil {
                    let usage = try ipam.usage(by: options.principal)
                    if json { try Output.json(usage); return }
                    Output.table(options.listing(simpul).addressUsage(usage))
                    return
                }
                let rows = try ipam.list(pool: pool, state: state, owner: owner, by: options.principal)
                if json { try Output.json(rows); return }
                Output.table(options.listing(simpul).addresses(rows))
            }
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sweep", abstract: "Lepaskan hold yang habis waktu / release holds whose time has passed.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try options.run {
                let released = try options.simpul().ipam.releaseLapsedHolds()
                Swift.print(Text(id: "\(released) tahanan yang habis waktu dilepas", en: "\(released) lapsed hold(s) released")(options.language))
            }
        }
    }

    /// For `scripts/bench.sh`: fills a pool, then times the next free address and single assignments
    /// in this process, and prints the figures as JSON.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench", 
            abstract: "Ukur IPAM di dalam proses / measure IPAM in process (benchmarks).", shouldDisplay: false)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pool.") var pool: String
        @Option(help: "Isi pool sampai sekian alamat diberikan / assign addresses until the pool has this many.") var fill = 0
        @Option(help: "Jumlah pengukuran next / how many next-address timings.") var samples = 5000
        @Option(help: "Jumlah assign+release yang diukur / how many assign+release timings.") var assigns = 200

        func validate() throws {
            try options.require(fill, "fill", in: Bounds.benchFill)
            try options.require(samples, "samples", in: Bounds.benchSamples)
            try options.require(assigns, "assigns", in: Bounds.benchSamples)
        }

        struct Figures: Encodable {
            var pool: String
            var assigned: Int
            var fillSeconds: Double
            var nextMedianMs: Double
            var nextP99Ms: Double
            var assignMedianMs: Double
            var assignP99Ms: Double
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let ipam = simpul.ipam, me = options.principal
                let already = try ipam.usage(pool: pool, by: me).first?.assigned ?? 0
                let clock = ContinuousClock()
                let fillStart = clock.now
                if fill > already {
                    _ = try ipam.assignMany(pool: pool, owners: (already..<fill).map { "bench:\($0)" }, by: me)
                }
                let fillSeconds = (clock.now - fillStart).seconds
                func time(_ work: () throws -> Void) rethrows -> Double {
                    let start = clock.now
                    try work()
                    return (clock.now - start).seconds * 1000
                }
                var next: [Double] = []
                for _ in 0..<samples { next.append(try time { _ = try ipam.next(pool: pool, by: me) }) }
                var assign: [Double] = []
                for n in 0..<assigns {
                    var address = ""
                    assign.append(try time { address = try ipam.assign(.init(pool: pool, owner: "bench-assign:\(n)"), by: me).address.description })
                    _ = try ipam.release(address, pool: pool, by: me)
                }
                let assigned = try ipam.usage(pool: pool, by: me).first?.assigned ?? 0
                try Output.json(Figures(pool: pool, assigned: assigned, fillSeconds: fillSeconds,
                                        nextMedianMs: Self.percentile(next, 50), nextP99Ms: Self.percentile(next, 99),
                                        assignMedianMs: Self.percentile(assign, 50), assignP99Ms: Self.percentile(assign, 99)))
            }
        }

        /// The `p`th percentile (0–100) of `values`, nearest rank; 0 for none.
        static func percentile(_ values: [Double], _ p: Double) -> Double {
            Percentile.nearestRank(values.sorted(), p / 100) ?? 0
        }
    }

}

extension IPAMStore.State: ExpressibleByArgument {}

extension IPCommand {
    /// An address with no allocation: `bebas` / `free`, or `dikecualikan` / `excluded`.
    static func stateWords(_ state: String) -> Text {
        switch state {
        case "free": Text(id: "bebas", en: "free")
        case "excluded": Text(id: "dikecualikan", en: "excluded")
        default: Text(id: state, en: state)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
