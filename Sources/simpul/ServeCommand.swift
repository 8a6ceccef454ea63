import ArgumentParser
import Foundation
import SimpulPDF
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
    @Option(help: "Jalankan putaran pemantauan di proses ini setiap selang ini, mis. 60s (untuk instalasi kecil; bawaan: tidak, timer systemd yang menjalankannya) / run the link-health cycle in this process at this interval, e.g. 60s (small installs; default: off, the systemd timer runs it).")
    var pollEvery: String?
    @Option(help: "Berkas kredensial SNMP untuk --poll-every / SNMP credentials file for --poll-every (default: $SIMPUL_SNMP_CREDENTIALS).")
    var snmpCredentials: String?

    func validate() throws {
        try options.require(port, "port", in: Bounds.port)
        try options.require(ioThreads, "io-threads", in: Bounds.ioThreads)
        if let pollEvery { _ = try PollSetup.interval(pollEvery, language: options.language) }
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
        var poller: Task<Void, Never>?
        if let pollEvery {
            let interval = try PollSetup.interval(pollEvery, language: options.language)
            do {
                let setup = try PollSetup(simpul: simpul, credentials: snmpCredentials)
                for warning in setup.warnings { printError("simpul: " + warning(options.language)) }
                printError("simpul: pemantauan sambungan setiap / link health polled every \(pollEvery)")
                poller = Task { await InProcessPoller(simpul: simpul, setup: setup, interval: interval, language: options.language).run() }
            } catch {
                // The web still serves; the poller page shows that nothing was polled, and this says why.
                let said = (error as? any UserFacingError)?.text ?? Text(id: "\(error)", en: "\(error)")
                printError("simpul: " + Text(id: "pemantauan sambungan tidak berjalan: ", en: "link health is not polled: ")(options.language) + said(options.language))
            }
        }
        defer { poller?.cancel() }
        // Letters' PDFs are printed by a headless Chromium started on the first one; it stops with the server.
        do {
            try await app.runService()
        } catch {
            await (simpul.pdf as? SharedChromium)?.shutdown()
            throw error
        }
        await (simpul.pdf as? SharedChromium)?.shutdown()
    }
}

/// `simpul serve --poll-every`: the cycle of `simpul poll`, in this process, at the interval. It takes
/// the same lock as `simpul poll`, so a timer's cycle and this one never overlap: whichever comes
/// second skips its turn.
struct InProcessPoller {
    let simpul: Simpul
    let setup: PollSetup
    let interval: Duration
    let language: Language

    func run() async {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            await once()
            let next = started + interval
            try? await Task.sleep(until: next, clock: .continuous)
        }
        await setup.shutdown()
    }

    func once() async {
        do {
            guard let health = simpul.health else { return }
            guard let lock = try PollLock(path: health.path + ".lock") else {
                printError("simpul: " + Text(id: "putaran pemantauan lain masih berjalan; giliran ini dilewati",
                                             en: "another polling cycle is still running; this turn is skipped")(language))
                return
            }
            defer { lock.release() }
            let report = try await simpul.polling.cycle(walker: setup.walker, prober: setup.prober, due: .every(interval))
            for change in report.changes { printError("simpul: " + PollSetup.line(change, language)) }
        } catch {
            let said = (error as? any UserFacingError)?.text ?? Text(id: "\(error)", en: "\(error)")
            printError("simpul: " + Text(id: "putaran pemantauan gagal: ", en: "polling cycle failed: ")(language) + said(language))
        }
    }
}
