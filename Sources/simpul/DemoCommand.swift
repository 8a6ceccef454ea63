import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

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
        subcommands: [Seed.self]
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
}
