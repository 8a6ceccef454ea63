import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agency", abstract: "Instansi / agencies.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar instansi / list agencies.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let agencies = try options.simpul().estate.agencies(for: options.principal)
                if json { try Output.json(agencies); return }
                Output.table(["CODE", "KIND", "LINKS", "DOWN/UP MBPS", "NAME"], agencies.map {
                    [$0.code, $0.kind.rawValue, String($0.links), "\(Output.mbps($0.committedDownMbps))/\(Output.mbps($0.committedUpMbps))", $0.name]
                })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rincian satu instansi / one agency in detail.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode instansi / agency code.") var code: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let detail = try options.simpul().estate.agency(code, for: options.principal)
                if json { try Output.json(detail); return }
                let a = detail.agency
                print("\(a.code) — \(a.name) (\(a.kind.rawValue))")
                if let address = a.address { print("  alamat/address: \(address)") }
                if let c = a.contact {
                    print("  kontak/contact: \(c.name)\(c.phone.map { ", \($0)" } ?? "")\(c.email.map { ", \($0)" } ?? "")")
                }
                print("")
                Output.table(["CIRCUIT", "PROVIDER", "DOWN/UP", "TECH", "DEVICE", "HEALTH"], detail.links.map {
                    [$0.link.circuit, $0.link.provider, "\(Output.mbps($0.link.downMbps))/\(Output.mbps($0.link.upMbps))", $0.link.technology.rawValue,
                     [$0.link.device, $0.link.interface].compactMap { $0 }.joined(separator: ":"), $0.link.healthAddress?.description ?? "-"]
                })
                print("")
                Output.table(["DEVICE", "KIND", "ADDRESS", "RACK"], detail.devices.map {
                    [$0.name, $0.kind.rawValue, $0.managementAddress?.description ?? "-",
                     $0.placement.map { "\($0.rack) U\($0.position)" } ?? "-"]
                })
            }
        }
    }
}

struct ProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provider", abstract: "Penyedia layanan / providers.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar penyedia / list providers.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let providers = try options.simpul().estate.providers(for: options.principal)
                if json { try Output.json(providers); return }
                Output.table(["CODE", "LINKS", "DOWN MBPS", "RESPONSE", "RESTORE", "AVAIL", "NOC", "NAME"], providers.map {
                    [$0.provider.code, String($0.links), Output.mbps($0.committedDownMbps), "\($0.provider.sla.responseMinutes)m",
                     "\($0.provider.sla.restoreMinutes)m", "\($0.provider.sla.availabilityPercent)%", $0.provider.noc?.phone ?? "-", $0.provider.name]
                })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rincian satu penyedia / one provider in detail.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Kode penyedia / provider code.") var code: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        struct Detail: Encodable { var provider: EstateService.ProviderView; var links: [EstateService.LinkView] }

        func run() throws {
            try options.run {
                let (view, links) = try options.simpul().estate.provider(code, for: options.principal)
                if json { try Output.json(Detail(provider: view, links: links)); return }
                let p = view.provider
                print("\(p.code) — \(p.name)")
                if let noc = p.noc { print("  NOC: \([noc.phone, noc.whatsapp.map { "WA \($0)" }, noc.email].compactMap { $0 }.joined(separator: ", "))") }
                print("  SLA: respon/response \(p.sla.responseMinutes) min, pulih/restore \(p.sla.restoreMinutes) min, \(p.sla.availabilityPercent)%")
                for e in p.escalation {
                    print("  L\(e.level) +\(e.afterMinutes)m: \(e.contact.name)\(e.contact.title.map { " (\($0))" } ?? "")\(e.contact.phone.map { ", \($0)" } ?? "")")
                }
                print("")
                Output.table(["CIRCUIT", "AGENCY", "DOWN/UP", "TECH"], links.map {
                    [$0.link.circuit, $0.link.agency, "\(Output.mbps($0.link.downMbps))/\(Output.mbps($0.link.upMbps))", $0.link.technology.rawValue]
                })
            }
        }
    }
}

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "link", abstract: "Sirkuit / links.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar sirkuit / list links.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Hanya instansi ini / only this agency.") var agency: String?
        @Option(help: "Hanya penyedia ini / only this provider.") var provider: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let links = try options.simpul().estate.links(for: options.principal, agency: agency, provider: provider)
                if json { try Output.json(links); return }
                Output.table(["CIRCUIT", "AGENCY", "PROVIDER", "DOWN/UP", "TECH", "DEVICE", "HEALTH"], links.map {
                    [$0.link.circuit, $0.link.agency, $0.link.provider, "\(Output.mbps($0.link.downMbps))/\(Output.mbps($0.link.upMbps))",
                     $0.link.technology.rawValue, [$0.link.device, $0.link.interface].compactMap { $0 }.joined(separator: ":"),
                     $0.link.healthAddress?.description ?? "-"]
                })
            }
        }
    }
}

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "device", abstract: "Perangkat / devices.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar perangkat / list devices.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let devices = try options.simpul().estate.devices(for: options.principal)
                if json { try Output.json(devices); return }
                Output.table(["NAME", "KIND", "AGENCY", "ADDRESS", "SNMP", "RACK"], devices.map {
                    [$0.name, $0.kind.rawValue, $0.agency.orDash, $0.managementAddress?.description ?? "-",
                     $0.snmp.map { "v\($0.version.rawValue) \($0.credential)" } ?? "-",
                     $0.placement.map { "\($0.rack) U\($0.position)-\($0.position + $0.heightU - 1)" } ?? "-"]
                })
            }
        }
    }
}

struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool", abstract: "Pool alamat IP / IP address pools.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar pool / list pools.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let pools = try options.simpul().estate.pools(for: options.principal)
                if json { try Output.json(pools); return }
                Output.table(["NAME", "PREFIX", "SCOPE", "GATEWAY", "VLAN", "SIZE", "RESERVED"], pools.map {
                    [$0.pool.name, $0.pool.prefix.description, $0.pool.scope.rawValue, $0.pool.gateway?.description ?? "-",
                     $0.pool.vlan.map(String.init) ?? "-", $0.size == .max ? "2^64+" : String($0.size), String($0.reservedAddresses)]
                })
            }
        }
    }
}

struct ZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "zone", abstract: "Zona DNS / DNS zones.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar zona / list zones.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let zones = try options.simpul().estate.zones(for: options.principal)
                if json { try Output.json(zones); return }
                Output.table(["ZONE", "KIND", "PRIMARY NS", "TTL", "TSIG KEY", "SERVER"], zones.map {
                    [$0.name.description, $0.kind.rawValue, $0.primaryNS.description, String($0.defaultTTL), $0.tsigKey.orDash, $0.server.orDash]
                })
            }
        }
    }
}

struct RackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rack", abstract: "Rak pusat data / data-center racks.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Daftar rak dengan pemakaian U dan daya / racks with U and power used.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let racks = try options.simpul().estate.racks(for: options.principal)
                if json { try Output.json(racks); return }
                Output.table(["RACK", "ROOM", "U USED", "FEED A W", "FEED B W", "DEVICES"], racks.map {
                    [$0.rack.code, $0.rack.room, "\($0.usedU)/\($0.rack.heightU)",
                     "\($0.powerPerFeedWatts)/\($0.rack.feedAWatts.map(String.init) ?? "-")",
                     "\($0.powerPerFeedWatts)/\($0.rack.feedBWatts.map(String.init) ?? "-")", String($0.devices.count)]
                })
            }
        }
    }
}
