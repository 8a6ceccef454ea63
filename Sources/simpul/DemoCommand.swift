import ArgumentParser
import Foundation
import SimpulCapture
import SimpulCore
import SimpulServices
import SimpulStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Data demo untuk kabupaten contoh / demo data for the example district.",
        discussion: """
        `simpul demo seed` adds the office's demo people (kadis, kabid.tik, teknisi1, teknisi2, admin.ipdns, tu.kominfo, and
        dinkes for the health office) and a month of the office's work: tickets on every playbook, each walked through its
        SOP steps with times around the standards (most done, a few cancelled; what is open is on time or due soon, but for
        three stalled faults); servers hosted through hosting intake, with their pool addresses and DNS names; and the
        management addresses of the data center's servers; and, once, the spare-parts stock (one part below its minimum).
        DNS changes go to the zones' server; when it is not up they wait for `simpul dns push`. New users' passwords are
        printed once as `username: password` lines, before the summary.
        """,
        subcommands: [Seed.self, SamplePcap.self]
    )

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "seed", abstract: "Tambah orang dan tiket demo / add demo people and tickets.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Jumlah tiket / number of tickets.") var tickets = 120
        @Option(help: "Rentang hari ke belakang / days back.") var days = 30

        func validate() throws {
            try options.require(tickets, "tickets", in: Bounds.demoCount)
            try options.require(days, "days", in: Bounds.daysBack)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let demo = DemoTickets(simpul: simpul)
                for (username, password) in try demo.addPeople(by: options.principal) { print("\(username): \(password)") }
                // The stock first, so the demo's repairs can take parts from it.
                let parts = DemoParts(simpul: simpul)
                var stocked = try parts.seed(by: options.principal)
                let report = try demo.seed(count: tickets, days: days, by: options.principal)
                try parts.useOnOpenTickets(&stocked, by: options.principal)
                let id = options.language == .id
                print(id ? "\(report.tickets) tiket demo dibuat" : "\(report.tickets) demo tickets made")
                for server in report.hosted { print(id ? "server titipan demo: \(server)" : "demo hosted server: \(server)") }
                if report.requested > 0 {
                    print(id ? "permohonan penitipan demo yang masih berjalan: \(report.requested)" : "demo hosting requests under way: \(report.requested)")
                }
                let pools = report.addresses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print(id ? "alamat demo terpakai per pool: \(pools)" : "demo addresses in use per pool: \(pools)")
                if !stocked.added.isEmpty {
                    print(id ? "suku cadang demo: \(stocked.added.count) jenis, di bawah batas minimum: \(stocked.low.joined(separator: ", "))"
                             : "demo spare parts: \(stocked.added.count) kinds, below their minimum: \(stocked.low.joined(separator: ", "))")
                }
                if report.dnsWaiting > 0 {
                    printError(id ? "peringatan: \(report.dnsWaiting) perubahan DNS menunggu server DNS zona; kirim nanti dengan simpul dns push"
                                  : "warning: \(report.dnsWaiting) DNS change sets wait for the zones' DNS server; send them later with simpul dns push")
                }
            }
        }
    }

    /// `simpul demo pcap`: a sample capture of the district's shared uplink, for trying `simpul capture`
    /// and the bandwidth survey without a mirror port: traffic between the agencies' networks (the
    /// inventory's agencies[].networks) and the internet, written through libpcap as tcpdump would.
    struct SamplePcap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pcap",
            abstract: "Tulis contoh tangkapan uplink bersama / write a sample capture of the shared uplink.",
            discussion: """
            Frames are Ethernet (some VLAN-tagged), IPv4 and IPv6, TCP and UDP, between the agencies' ranges and
            documentation addresses standing for the internet (198.51.100.0/24, 2001:db8:ffff::/48), plus a little
            traffic of no agency and some ARP. Timestamps spread over the last --minutes (default 60) before now, each
            agency busier in office hours. The file is data only: nothing is sent anywhere.
            """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "Berkas keluaran / output file.") var out: String
        @Option(help: "Menit terakhir yang diliput (1–1440) / minutes covered.") var minutes = 60
        @Option(help: "Jumlah bingkai (1–5000000) / frames.") var frames = 200_000

        func validate() throws {
            try options.require(minutes, "minutes", in: 1...1440)
            try options.require(frames, "frames", in: 1...5_000_000)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let agencies = try simpul.database.read { r in try InventoryStore.load(r) }.agencies.filter { !$0.networks.isEmpty }
                guard !agencies.isEmpty else {
                    throw CLIError(Text(id: "belum ada instansi dengan networks di inventaris", en: "no agency has networks in the inventory"))
                }
                let writer: PcapDumpWriter
                do { writer = try PcapDumpWriter(path: out, linkType: .ethernet, snapshotLength: 65_535) } catch let error as PcapError {
                    throw CLIError(Text(id: error.indonesian, en: error.english))
                }
                var random = SplitMix(seed: 20_261_205)
                let end = Int64(simpul.now().timeIntervalSince1970)
                let span = Int64(minutes) * 60
                // Heavier agencies first: a weight per agency, stable for the seed.
                let weights = agencies.map { _ in 1 + Int(random.next(below: 9)) }
                let total = weights.reduce(0, +)
                var written = 0
                for i in 0..<frames {
                    let offset = Int64(i) * span / Int64(frames)
                    let seconds = end - span + offset
                    let nanoseconds = Int32(random.next(below: 1_000_000_000))
                    let roll = Int(random.next(below: 1000))
                    var frame: [UInt8]
                    if roll < 10 {
                        frame = Self.arp()
                    } else {
                        var pick = Int(random.next(below: UInt64(total)))
                        var index = 0
                        while pick >= weights[index] { pick -= weights[index]; index += 1 }
                        let agency = agencies[index]
                        let prefix = agency.networks[Int(random.next(below: UInt64(agency.networks.count)))]
                        let host = Self.host(in: prefix, &random)
                        let outside = roll < 40
                        let remote: IPAddress = prefix.network.family == .v4
                            ? IPAddress(v4: 0xC633_6400 | UInt32(random.next(below: 254) + 1))
                            : IPAddress(v6High: 0x2001_0DB8_FFFF_0000, low: random.next(below: 1 << 32) + 1)
                        let local = outside ? (prefix.network.family == .v4 ? IPAddress(v4: 0xCB00_7100 | UInt32(random.next(below: 254) + 1)) : remote) : host
                        let download = random.next(below: 4) != 0
                        let size = download ? 600 + Int(random.next(below: 900)) : 64 + Int(random.next(below: 400))
                        let port: UInt16 = [443, 443, 443, 80, 53, 8443, 1935][Int(random.next(below: 7))]
                        frame = Self.frame(from: download ? remote : local, to: download ? local : remote, size: size, udp: port == 53,
                                           servicePort: port, vlan: random.next(below: 5) == 0 ? UInt16(100 + index) : nil)
                    }
                    do { try writer.write(frame, seconds: seconds, nanoseconds: nanoseconds) } catch let error as PcapError {
                        throw CLIError(Text(id: error.indonesian, en: error.english))
                    }
                    written += 1
                }
                do { try writer.close() } catch let error as PcapError { throw CLIError(Text(id: error.indonesian, en: error.english)) }
                print(options.language == .id ? "\(written) bingkai ditulis ke \(out)" : "\(written) frames written to \(out)")
            }
        }

        static func host(in prefix: Prefix, _ random: inout SplitMix) -> IPAddress {
            if prefix.network.family == .v4 {
                let size = prefix.length >= 31 ? 1 : UInt64(1) << UInt64(32 - prefix.length)
                let offset = size <= 2 ? 0 : 1 + random.next(below: min(size - 2, 200))
                return IPAddress(v4: UInt32(truncatingIfNeeded: prefix.network.low &+ offset))
            }
            return IPAddress(v6High: prefix.network.high, low: prefix.network.low | (random.next(below: 200) + 1))
        }

        static func arp() -> [UInt8] {
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06] + [0, 1, 8, 0, 6, 4, 0, 1] + [UInt8](repeating: 0, count: 20)
        }

        /// An Ethernet frame (optionally 802.1Q-tagged) with an IPv4 or IPv6 header and a TCP or UDP
        /// header, `size` bytes of IP packet in all (the payload zeros).
        static func frame(from source: IPAddress, to destination: IPAddress, size: Int, udp: Bool, servicePort: UInt16, vlan: UInt16?) -> [UInt8] {
            func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
            func bytes(_ a: IPAddress) -> [UInt8] {
                a.family == .v4 ? (0..<4).map { UInt8(a.low >> (24 - 8 * UInt64($0)) & 0xFF) }
                    : (0..<8).map { UInt8(a.high >> (56 - 8 * UInt64($0)) & 0xFF) } + (0..<8).map { UInt8(a.low >> (56 - 8 * UInt64($0)) & 0xFF) }
            }
            var out: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]
            if let vlan { out += [0x81, 0x00] + be16(Int(vlan)) }
            let client = 32_768 + Int(servicePort) % 1000
            let transport: [UInt8] = udp ? be16(client) + be16(Int(servicePort)) + be16(8) + [0, 0]
                : be16(Int(servicePort)) + be16(client) + [0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x10, 0x00, 0, 0, 0, 0]
            if source.family == .v4 {
                let total = max(20 + transport.count, size)
                out += [0x08, 0x00, 0x45, 0] + be16(total) + [0, 0, 0x40, 0, 64, udp ? 17 : 6, 0, 0] + bytes(source) + bytes(destination) + transport
                out += [UInt8](repeating: 0, count: total - 20 - transport.count)
            } else {
                let payload = max(transport.count, size - 40)
                out += [0x86, 0xDD, 0x60, 0, 0, 0] + be16(payload) + [udp ? 17 : 6, 64] + bytes(source) + bytes(destination) + transport
                out += [UInt8](repeating: 0, count: payload - transport.count)
            }
            return out
        }
    }
}
