import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

struct HostingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosting",
        abstract: "Penitipan server di pusat data / server hosting in the data center.",
        discussion: """
        A request runs on the hosting-intake playbook: filing holds an address; the paper steps are done
        with `simpul ticket step ID --as USER`; then the admin allocates (address + DNS, confirmed by the server),
        the technician installs (rack fit checked) and enrols monitoring.
        Contoh / examples:
          simpul hosting file --agency DINKES --letter 045/123/DINKES/XI/2026 --letter-date 2026-11-20 \\
              --signed-by "dr. Rahmawati" --contact "Budi 0812..." --hostname sikd --dns sikd --height 2 --watts 450 \\
              --application "SIKD"
          simpul hosting check 12
          simpul hosting allocate 12
          simpul hosting install 12 --as teknisi1 --rack DC1-R03 --position 10 --photo terpasang.jpg --report "terpasang"
          simpul hosting monitor 12 --as teknisi1 --tcp 443
        The technician's steps are done --as the technician; an administrator doing them on someone's
        behalf gives --reason (recorded as a correction).
          simpul hosting decommission 12 --reason "pindah ke cloud"
        """,
        subcommands: [File.self, List.self, Show.self, Check.self, Allocate.self, Install.self, Monitor.self, CheckIn.self, Decommission.self])

    static func print(_ r: HostingService.Request, time: OfficeTime, options: GlobalOptions) {
        Output.lines(Listing(options.language, time: time).hostingRequest(r))
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "file", abstract: "Ajukan permohonan / file a request.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Perangkat daerah / agency code.") var agency: String
        @Option(help: "Nomor surat / letter number.") var letter: String
        @Option(help: "Tanggal surat / letter date (YYYY-MM-DD).") var letterDate: String
        @Option(help: "Penanda tangan surat / signed by.") var signedBy: String
        @Option(help: "Kontak / contact.") var contact: String
        @Option(help: "Telepon kontak / contact phone.") var phone: String?
        @Option(help: "Email kontak / contact email.") var email: String?
        @Option(help: "Nama host / host name.") var hostname: String
        @Option(help: "Nama DNS (label atau nama lengkap) / DNS name (a label or a full name).") var dns: String
        @Option(help: "Bentuk / form factor: rack, tower, blade.") var form: String = "rack"
        @Option(help: "Tinggi (U) / height in U.") var height: Int
        @Option(help: "Kedalaman (mm) / depth in mm.") var depth: Int?
        @Option(help: "Daya per feed (W) / power per feed in watts.") var watts: Int
        @Option(help: "Jumlah port jaringan / network ports.") var ports: Int = 1
        @Option(help: "Sistem operasi / operating system.") var os: String?
        @Option(help: "Aplikasi / application.") var application: String
        @Option(help: "Alamat publik atau privat / address scope: private or public.") var scope: String = "private"

        func validate() throws {
            try options.require(height, "height", in: Bounds.serverHeightU)
            try options.require(depth, "depth", in: Bounds.depthMM)
            try options.require(watts, "watts", in: Bounds.powerWatts)
            try options.require(ports, "ports", in: Bounds.networkPorts)
        }

        func run() throws {
            try options.run {
                let formFactor = try HostingService.FormFactor.parse(form)
                let scope = try HostingService.addressScope(scope)
                let simpul = try options.simpul()
                let request = try simpul.hosting.file(HostingService.Form(
                    agency: agency, letterNumber: letter, letterDate: letterDate, letterSignedBy: signedBy, contactName: contact, contactPhone: phone,
                    contactEmail: email, hostname: hostname, dnsName: dns, formFactor: formFactor, heightU: height, depthMM: depth, powerWatts: watts,
                    networkPorts: ports, os: os, application: application, addressScope: scope), by: options.principal)
                HostingCommand.print(request, time: simpul.officeTime(), options: options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar permohonan dan server titipan / requests and hosted servers.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Perangkat daerah / agency code.") var agency: String?
        @Option(help: "Status: requested, placed, cancelled, decommissioned.") var state: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let state = try state.map { text in
                    guard let s = HostingService.State(rawValue: text) else { throw CLIError(Text(id: "status \"\(text)\" tidak dikenal", en: "unknown state \"\(text)\"")) }
                    return s
                }
                let simpul = try options.simpul()
                let list = try simpul.hosting.list(agency: agency, state: state, by: options.principal)
                if json { try Output.json(list); return }
                Output.table(options.listing(simpul).hosting(list))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Satu permohonan / one request.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                HostingCommand.print(try simpul.hosting.request(ticket: ticket, by: options.principal), time: simpul.officeTime(), options: options)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Pemeriksaan teknisi: rak, alamat, nama DNS / the technician's check: racks, address, DNS name.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let check = try simpul.hosting.check(ticket: ticket, by: options.principal)
                let language = options.language, listing = options.listing(simpul)
                Swift.print("\(check.request.form.hostname): \(check.request.form.heightU) U, \(HostingService.perFeed(check.request.form.powerWatts, listing.format))")
                if check.racks.isEmpty {
                    Swift.print("  " + RackFitProblem.noRoom(heightU: check.request.form.heightU, watts: check.request.form.powerWatts).text(language))
                } else {
                    Output.table(listing.rackCandidates(check.racks))
                }
                Swift.print(Text(id: "alamat", en: "address")(language) + ": \(check.address ?? "-") — \(check.addressNote(language))")
                Swift.print("DNS \(check.request.form.dnsName): \(check.dnsNote(language))")
            }
        }
    }

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "allocate", abstract: "Langkah admin: alamat dan DNS / the admin's step: address and DNS.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Pool lain / another pool.") var pool: String?

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                let dns = await simpul.dnsRecords.published(try simpul.hosting.allocate(ticket: ticket, pool: pool, by: options.principal))
                HostingCommand.print(try simpul.hosting.finishAllocation(ticket: ticket, dns: dns, by: options.principal), time: simpul.officeTime(), options: options)
            }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "install", abstract: "Langkah teknisi: pasang di rak / the technician's step: rack the server.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Rak / rack.") var rack: String
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "U terbawah / lowest unit.") var position: Int
        @Option(help: "Foto server terpasang / photo of the installed server.") var photo: String
        @Option(help: "Laporan / report.") var report: String
        @Option(help: "Alasan bila mengerjakan atas nama teknisi / reason when doing it on the technician's behalf.") var reason: String?

        func validate() throws {
            try options.require(ticket, "ticket")
            try options.require(position, "position", in: Bounds.rackUnit)
        }

        func run() throws {
            try options.run {
                let url = URL(fileURLWithPath: photo)
                let data: Data
                do { data = try Data(contentsOf: url) } catch {
                    throw CLIError(Text(id: "foto \(photo) tidak dapat dibaca", en: "cannot read the photo \(photo)"))
                }
                let simpul = try options.simpul()
                HostingCommand.print(try simpul.hosting.install(ticket: ticket, rack: rack, position: position,
                                                                photo: (url.lastPathComponent, MediaType.of(data), data), report: report, reason: reason,
                                                                by: try acting.principal(simpul, options)),
                                     time: simpul.officeTime(), options: options)
            }
        }
    }

    struct Monitor: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Daftarkan ke pemantauan / enrol for monitoring.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @OptionGroup var acting: TicketCommand.Acting
        @Option(help: "Periksa port TCP ini, bukan ICMP / check this TCP port instead of ICMP.") var tcp: Int?
        @Option(help: "Alasan bila mengerjakan atas nama teknisi / reason when doing it on the technician's behalf.") var reason: String?

        func validate() throws { try options.require(tcp, "tcp", in: Bounds.port) }

        func run() throws {
            try options.run {
                let probe: HostingService.Probe = tcp.map { .tcp(port: $0) } ?? .icmp
                let simpul = try options.simpul()
                HostingCommand.print(try simpul.hosting.enroll(ticket: ticket, probe: probe, reason: reason, by: try acting.principal(simpul, options)),
                                     time: simpul.officeTime(), options: options)
            }
        }
    }

    struct CheckIn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check-in", abstract: "Catat cek bulanan OPD / record the agency's monthly check.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Catatan / note.") var note: String?

        func run() throws {
            try options.run {
                try options.simpul().hosting.recordCheck(ticket: ticket, note: note, by: options.principal)
                Swift.print(options.language == .id ? "cek dicatat" : "check recorded")
            }
        }
    }

    struct Decommission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decommission", abstract: "Bongkar: alamat, DNS, rak dan pemantauan sekaligus / take out: address, DNS, rack and monitoring at once.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nomor tiket / ticket number.") var ticket: Int64
        @Option(help: "Alasan / reason.") var reason: String

        func run() async throws {
            try await options.runAsync {
                let simpul = try options.simpul()
                try DNSOutput.report(await simpul.dnsRecords.published(try simpul.hosting.decommission(ticket: ticket, reason: reason, by: options.principal)),
                                     language: options.language)
            }
        }
    }
}
