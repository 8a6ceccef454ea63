import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agency", abstract: "Instansi / agencies.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar instansi / list agencies.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let agencies = try simpul.estate.agencies(for: options.principal)
                if json { try Output.json(agencies); return }
                Output.table(options.listing(simpul).agencies(agencies))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Rincian satu instansi / one agency in detail.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode instansi / agency code.") var code: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let detail = try simpul.estate.agency(code, for: options.principal)
                if json { try Output.json(detail); return }
                let a = detail.agency, language = options.language, listing = options.listing(simpul)
                print("\(a.code) — \(a.name) (\(a.kind.title(language)))")
                if let address = a.address { print("  " + Text(id: "alamat", en: "address")(language) + ": \(address)") }
                if let c = a.contact {
                    print("  " + Text(id: "kontak", en: "contact")(language) + ": \(c.name)\(c.phone.map { ", \($0)" } ?? "")\(c.email.map { ", \($0)" } ?? "")")
                }
                print("")
                Output.table(listing.agencyLinks(detail.links))
                print("")
                Output.table(listing.agencyDevices(detail.devices))
            }
        }
    }
}

struct ProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provider", abstract: "Penyedia layanan / providers.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar penyedia / list providers.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let providers = try simpul.estate.providers(for: options.principal)
                if json { try Output.json(providers); return }
                Output.table(options.listing(simpul).providers(providers))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Rincian satu penyedia / one provider in detail.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode penyedia / provider code.") var code: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        struct Detail: Encodable { var provider: EstateService.ProviderView; var links: [EstateService.LinkView] }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let (view, links) = try simpul.estate.provider(code, for: options.principal)
                if json { try Output.json(Detail(provider: view, links: links)); return }
                let p = view.provider, language = options.language, format = Format(language)
                let t = { (id: String, en: String) in Text(id: id, en: en)(language) }
                print("\(p.code) — \(p.name)")
                if let noc = p.noc { print("  NOC: \([noc.phone, noc.whatsapp.map { "WhatsApp \($0)" }, noc.email].compactMap { $0 }.joined(separator: ", "))") }
                print("  SLA: \(t("waktu tanggap", "response")) \(format.minutes(p.sla.responseMinutes)), \(t("waktu pulih", "restore")) "
                      + "\(format.minutes(p.sla.restoreMinutes)), \(t("ketersediaan", "availability")) \(format.percent(p.sla.availabilityPercent, places: 2))")
                for e in p.escalation {
                    print("  \(t("tingkat", "level")) \(e.level), \(t("setelah", "after")) \(format.minutes(e.afterMinutes)): "
                          + "\(e.contact.name)\(e.contact.title.map { " (\($0))" } ?? "")\(e.contact.phone.map { ", \($0)" } ?? "")")
                }
                print("")
                Output.table(options.listing(simpul).providerLinks(links))
            }
        }
    }
}

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "link", abstract: "Sirkuit / links.", subcommands: [List.self, Status.self, Samples.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar sirkuit / list links.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Hanya instansi ini / only this agency.") var agency: String?
        @Option(help: "Hanya penyedia ini / only this provider.") var provider: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let links = try simpul.estate.links(for: options.principal, agency: agency, provider: provider)
                if json { try Output.json(links); return }
                Output.table(options.listing(simpul).links(links))
            }
        }
    }
}

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "device", abstract: "Perangkat / devices.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar perangkat / list devices.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let devices = try simpul.estate.devices(for: options.principal)
                if json { try Output.json(devices); return }
                Output.table(options.listing(simpul).devices(devices))
            }
        }
    }
}

struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool", abstract: "Pool alamat IP / IP address pools.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar pool / list pools.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let pools = try simpul.estate.pools(for: options.principal)
                if json { try Output.json(pools); return }
                Output.table(options.listing(simpul).pools(pools))
            }
        }
    }
}

struct ZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "zone", abstract: "Zona DNS / DNS zones.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar zona / list zones.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let zones = try simpul.estate.zones(for: options.principal)
                if json { try Output.json(zones); return }
                Output.table(options.listing(simpul).zones(zones))
            }
        }
    }
}

struct RackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rack", abstract: "Rak pusat data / data-center racks.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar rak dengan pemakaian U dan daya / racks with U and power used.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let racks = try simpul.estate.racks(for: options.principal)
                if json { try Output.json(racks); return }
                Output.table(options.listing(simpul).racks(racks))
            }
        }
    }
}
