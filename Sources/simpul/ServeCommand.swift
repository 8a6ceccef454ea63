import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Jalankan antarmuka web / run the web interface.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Alamat dengar / listen address.") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Flag(help: "Cookie tanpa atribut Secure, hanya untuk HTTP biasa di luar loopback / cookies without Secure, for plain HTTP off loopback only.")
    var insecureCookies = false
    @Option(help: "Utas I/O jaringan (bawaan: satu per dua inti) / network I/O threads (default: one per two cores).")
    var ioThreads: Int?

    func validate() throws {
        try options.require(port, "port", in: Bounds.port)
        try options.require(ioThreads, "io-threads", in: Bounds.ioThreads)
    }

    func run() async throws {
        let simpul = try options.run { try options.simpul() }
        var configuration = WebConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.secureCookies = !insecureCookies
        // A request's database work off the blocking threads is refused: a route that forgets is a 500, not a stall.
        configuration.threadCheck = true
        if let ioThreads { configuration.ioThreads = ioThreads }
        let app = try await buildApplication(simpul: simpul, configuration: configuration)
        printError("simpul: \(options.databasePath) → http://\(host):\(port)")
        // Where mail and webhooks go (never a secret): a missing setting is seen at start, not at the first escalation.
        printError(simpul.mail.map { "simpul: surel lewat / mail via \($0.server)" }
            ?? "simpul: SIMPUL_SMTP tidak diatur, surel menunggu di kotak keluar / SIMPUL_SMTP is not set: mail waits in the outbox")
        if let webhook = simpul.webhook { printError("simpul: webhook ke / webhooks to \(webhook.destination)") }
        // The outbox's delivery worker runs beside the web server: rows fall due (a retry after a
        // failure, a change written by the CLI) and go out without waiting for the timer.
        let worker = Task { await simpul.outbox.run() }
        defer { worker.cancel() }
        try await app.runService()
    }
}
