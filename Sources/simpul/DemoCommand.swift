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
        dinkes for the health office) and a month of tickets on every playbook, each walked through its SOP steps with
        times around the standards. New users' passwords are printed once as `username: password` lines.
        """,
        subcommands: [Seed.self]
    )

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tambah orang dan tiket demo / add demo people and tickets.")

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
                let made = try demo.seed(count: tickets, days: days, by: options.principal)
                print(options.language == .id ? "\(made) tiket demo dibuat" : "\(made) demo tickets made")
            }
        }
    }
}
