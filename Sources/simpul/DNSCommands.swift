import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct DNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Record DNS, push ke server dan pemeriksaan / DNS records, pushing to the server, drift checks.",
        discussion: """
        Each change is one transaction: the records, the PTR of an A/AAAA in its reverse zone, a new SOA
        serial (YYYYMMDDnn) per zone, and a change set in the outbox, delivered at once to the zone's
        server by RFC 2136 update signed with TSIG (HMAC-SHA256), then confirmed by asking the server.
        The key file comes from --tsig-key or $SIMPUL_TSIG_KEY; it is read on each push and never
        stored. A delivery that fails is retried with backoff (simpul serve, and the simpul-outbox
        timer running `simpul outbox deliver`); see `simpul outbox list`.
        Contoh / examples:
          simpul dns add sikd.contohkab.go.id A 10.20.0.15 --owner device:SIKD-01
          simpul dns remove sikd.contohkab.go.id A
          simpul dns export contohkab.go.id > contohkab.go.id.zone && named-checkzone contohkab.go.id contohkab.go.id.zone
          simpul dns check --fix
        """,
        subcommands: [Zones.self, Records.self, Add.self, Remove.self, Name.self, Export.self, Check.self, Push.self, Bench.self])

    struct Zones: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "zones", abstract: "Zona, serial, jumlah record dan perubahan yang menunggu / zones, serials, records, waiting changes.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        struct Row: Encodable {
            var zone: String, kind: String, serial: UInt32, records: Int, waiting: Int, server: String?, last_error: String?
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let zones = try simpul.dnsRecords.zones(by: options.principal)
                if json {
                    try Output.json(zones.map { Row(zone: $0.zone.name.description, kind: $0.zone.kind.rawValue, serial: $0.serial, records: $0.records,
                                                    waiting: $0.waiting, server: $0.zone.server, last_error: $0.lastError.map { $0(options.language) }) })
                    return
                }
                Output.table(options.listing(simpul).dnsZones(zones))
            }
        }
    }

    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "records", abstract: "Record satu zona dan perubahan terakhirnya / one zone's records and recent changes.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Zona / zone.") var zone: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let report = try simpul.dnsRecords.zone(zone, by: options.principal)
                if json { try Output.json(report.records); return }
                let listing = options.listing(simpul)
                print("\(report.zone.name)  serial \(listing.serial(report.serial))  server \(report.zone.server.orDash)")
                Output.table(listing.dnsRecords(report.records))
                if !report.changes.isEmpty {
                    print("")
                    Output.table(listing.dnsChanges(report.changes))
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Tambah record (A/AAAA juga membuat PTR) / add a record (an A/AAAA also makes its PTR).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama lengkap / full name, e.g. sikd.contohkab.go.id.") var name: String
        @Argument(help: "Jenis / type: A, AAAA, PTR, CNAME, TXT, MX.") var type: String
        @Argument(parsing: .remaining, help: "Data: address, target name, text, or \"10 mx1.contohkab.go.id\".") var data: [String]
        @Option(help: "TTL dalam detik / TTL in seconds (default: the zone's).") var ttl: Int?
        @Option(help: "Untuk siapa / who it is for, e.g. device:SIKD-01.") var owner: String?

        func validate() throws { try options.require(ttl, "ttl", in: Bounds.ttlSeconds) }

        func run() async throws {
            try await options.runAsync {
                let service = try options.simpul().dnsRecords
                let record = try service.record(name: name, type: type, data: data.joined(separator: " "), ttl: ttl)
                try DNSOutput.report(await service.published(try service.add([record], owner: owner, by: options.principal)), language: options.language)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Hapus record (dan PTR-nya) / remove records (and their PTRs).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama / name.") var name: String
        @Argument(help: "Jenis / type (all types when left out).") var type: String?
        @Argument(parsing: .remaining, help: "Data (all records of the type when left out).") var data: [String] = []

        func run() async throws {
            try await options.runAsync {
                let service = try options.simpul().dnsRecords
                let recordType = try type.map(DNSService.recordType)
                let outcome = try service.remove(name: name, type: recordType, data: data.isEmpty ? nil : data.joined(separator: " "), by: options.principal)
                try DNSOutput.report(await service.published(outcome), language: options.language)
            }
        }
    }

    struct Name: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "name", abstract: "Apakah nama sah dan bebas / whether a name is valid and free.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama / name.") var name: String

        func run() throws {
            try options.run {
                let status = try options.simpul().dnsRecords.nameStatus(name)
                print(status.text(options.language))
                if !status.isFree { throw ExitCode(1) }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Zona sebagai berkas zona BIND / a zone as a BIND zone file.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Zona / zone.") var zone: String

        func run() throws {
            try options.run {
                let service = try options.simpul().dnsRecords
                print(try service.export(zone, by: options.principal), terminator: "")
                for ns in try service.nameServersWithoutAddress(zone, by: options.principal) {
                    printError(Text(id: "peringatan: NS \(ns) di dalam zona tanpa record A/AAAA; named-checkzone akan menolak. Tambahkan: simpul dns add \(ns) A ALAMAT",
                                    en: "warning: NS \(ns) lies inside the zone and has no A/AAAA record; named-checkzone will refuse it. Add one: simpul dns add \(ns) A ADDRESS")(options.language))
                }
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", 
            abstract: "Bandingkan inventaris dengan server (transfer zona bertanda tangan) / compare the inventory with the server (signed zone transfer).",
            discussion: "Exit status 0 when every zone matches, 1 when there is drift or a zone could not be read.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Zona (semua bila kosong) / zone (all when left out).") var zone: String?
        @Flag(help: "Dorong kebenaran inventaris ke server / push the inventory's truth to the server.") var fix = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() async throws {
            try await options.runAsync {
                let report = try await options.simpul().dnsRecords.check(zone: zone, fix: fix, by: options.principal)
                let language = options.language
                if json {
                    try Output.json(DriftJSON(report, language))
                    if !report.isClean { throw ExitCode(1) }
                    return
                }
                let format = Format(language)
                if let fixed = report.fixed {
                    for attempt in fixed.attempts {
                        let zone = attempt.delivery.subject.map { String($0.dropFirst("zone:".count)) } ?? "-"
                        if let error = attempt.error {
                            printError("\(zone): \(error(language))")
                        } else {
                            print(Text(id: "diperbaiki", en: "fixed")(language) + " \(zone) (\(format.decimal(attempt.milliseconds)) ms)")
                        }
                    }
                }
                // Never "in sync" while the serials differ; a zone Simpul has not given a serial says so.
                for drift in report.drifts {
                    print(drift.standing(language))
                    for line in drift.findings { print(line(language)) }
                }
                for (zone, error) in report.unreadable { printError("\(zone): \(error(language))") }
                if !report.isClean { throw ExitCode(1) }
            }
        }
    }

    /// `dns check --json`: each zone with its records as zone-file lines, for scripts and monitoring.
    struct DriftJSON: Encodable {
        struct Different: Encodable { var inventory: [String]; var server: [String] }
        struct Zone: Encodable {
            var zone: String, inSync: Bool, serialSet: Bool, serialMatches: Bool, inventorySerial: UInt32, serverSerial: UInt32?
            var missing: [String], extra: [String], different: [Different], aWithoutPTR: [String], danglingCNAMEs: [String]
        }
        struct Unreadable: Encodable { var zone: String, error: String }
        struct Fixed: Encodable { var zone: String, delivered: Bool, error: String? }
        var inSync: Bool
        var zones: [Zone]
        var unreadable: [Unreadable]
        var fixed: [Fixed]?

        init(_ report: DNSService.DriftReport, _ language: Language) {
            inSync = report.isClean
            zones = report.drifts.map { d in
                Zone(zone: d.zone, inSync: d.isClean, serialSet: d.serialSet, serialMatches: d.serialMatches,
                     inventorySerial: d.inventorySerial, serverSerial: d.serverSerial,
                     missing: d.missing.map(\.description), extra: d.extra.map(\.description),
                     different: d.different.map { Different(inventory: $0.inventory.map(\.description), server: $0.server.map(\.description)) },
                     aWithoutPTR: d.aWithoutPTR.map(\.description), danglingCNAMEs: d.danglingCNAMEs.map(\.description))
            }
            unreadable = report.unreadable.map { Unreadable(zone: $0.zone, error: $0.error(language)) }
            fixed = report.fixed.map {
                $0.attempts.map { Fixed(zone: $0.delivery.subject.map { String($0.dropFirst("zone:".count)) } ?? "-", delivered: $0.error == nil, error: $0.error?(language)) }
            }
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "push", 
            abstract: "Kirim sekarang perubahan yang menunggu, termasuk yang gagal / push waiting change sets now, failed ones too.",
            discussion: "The outbox delivers them by itself (simpul serve, and the simpul-outbox timer); this is for after a fix. Exit status 1 when one fails.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Zona (semua bila kosong) / zone (all when left out).") var zone: String?

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let report = try await simpul.dnsRecords.pushNow(zone: zone, by: options.principal)
                try OutboxOutput.report(report, language: options.language, time: simpul.officeTime())
            }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench", 
            abstract: "Ukur A+PTR sampai terkonfirmasi / time an A with its PTR until the server confirms it (benchmarks).", shouldDisplay: false)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Zona maju / forward zone.") var zone: String
        @Option(help: "Pool alamat / address pool.") var pool: String
        @Option(help: "Jumlah pengukuran / how many timings.") var count = 200

        func validate() throws { try options.require(count, "count", in: Bounds.benchSamples) }

        struct Figures: Encodable {
            var count: Int
            var medianMs: Double
            var p99Ms: Double
            var maxMs: Double
            var removeMedianMs: Double
            var removeP99Ms: Double
        }

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let dns = simpul.dnsRecords, ipam = simpul.ipam, me = options.principal
                let clock = ContinuousClock()
                var add: [Double] = [], remove: [Double] = []
                for n in 0..<count {
                    let address = try ipam.assign(.init(pool: pool, owner: "bench-dns:\(n)"), by: me).address
                    let record = try dns.record(name: "bench-\(n).\(zone)", type: address.family == .v4 ? "A" : "AAAA", data: address.description, ttl: 300)
                    // The whole user action: the transaction, both zones' updates, and the queries that confirm them.
                    let start = clock.now
                    let outcome = await dns.published(try dns.add([record], by: me))
                    add.append((clock.now - start).seconds * 1000)
                    guard outcome.published, outcome.added.count == 2 else {
                        throw CLIError(outcome.pushError ?? Text(id: "PTR tidak dibuat untuk \(address)", en: "no PTR was made for \(address)"))
                    }
                    let again = clock.now
                    var released = try ipam.release(address.description, pool: pool, by: me)
                    released.dns = await dns.published(released.dns)
                    remove.append((clock.now - again).seconds * 1000)
                    guard released.dns.published else { throw CLIError(released.dns.pushError ?? Text(id: "gagal", en: "failed")) }
                }
                try Output.json(Figures(count: count, medianMs: IPCommand.Bench.percentile(add, 50), p99Ms: IPCommand.Bench.percentile(add, 99),
                                        maxMs: add.max() ?? 0, removeMedianMs: IPCommand.Bench.percentile(remove, 50),
                                        removeP99Ms: IPCommand.Bench.percentile(remove, 99)))
            }
        }
    }
}

enum DNSOutput {
    /// Prints what a DNS change did and whether the server confirmed it; exit status 1 when it did not.
    static func report(_ outcome: DNSService.Outcome, language: Language) throws {
        for record in outcome.added { print("+ \(record)") }
        for record in outcome.removed { print("- \(record)") }
        for change in outcome.changes where change.state == .pushed {
            print("\(change.zone): serial \(change.serial) " + (language == .id ? "terkirim dan terkonfirmasi" : "pushed and confirmed"))
        }
        if let error = outcome.pushError {
            printError(error(language))
            printError(Text(id: "perubahan tersimpan di inventaris dan menunggu di kotak keluar, yang mencobanya lagi sendiri; setelah diperbaiki dapat langsung: simpul dns push",
                            en: "the change is kept in the inventory and waits in the outbox, which tries again by itself; once fixed, to send it at once: simpul dns push")(language))
            throw ExitCode(1)
        }
    }
}
