import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulProbe
import SimpulSNMP
import SimpulStore

/// `simpul poll`: one link-health cycle (issue 14), the unit of work of `simpul-poll.timer`.
struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Satu putaran pemantauan sambungan lewat SNMP / one link-health polling cycle over SNMP.",
        discussion: """
        Menanyai setiap perangkat ber-SNMP di inventaris sekaligus, menyimpan sampel ke berkas kesehatan di samping
        basis data (…-health.db), dan membuka gangguan untuk sambungan yang putus. Dua putaran tidak pernah berjalan
        bersamaan: yang kedua melewatkan gilirannya. / Asks every SNMP device at once, stores the samples in the health
        file beside the database, and opens faults for links that went down. Two cycles never overlap: the second skips.
        Credentials: --credentials FILE or SIMPUL_SNMP_CREDENTIALS. Exit status 0 when the cycle ran (devices that did
        not answer are reported, not failures), 1 when it could not run.
        A device or hosted server polled less than --every ago (less 10 s for the timer's jitter) waits for the next
        cycle; --all polls everything now.
        """)
    @OptionGroup var options: GlobalOptions
    @Option(help: "Berkas kredensial SNMP / SNMP credentials file (default: $SIMPUL_SNMP_CREDENTIALS).") var credentials: String?
    @Option(help: "Selang antarputaran, mis. 60s, 5m / the polling interval, e.g. 60s, 5m (10s … 1h).") var every = "60s"
    @Flag(help: "Tanyai semua perangkat sekarang, juga yang belum waktunya / poll every device now, due or not.") var all = false
    @Flag(help: "Keluaran JSON / JSON output.") var json = false

    func validate() throws {
        _ = try PollSetup.interval(every, language: options.language)
    }

    func run() async throws {
        try await options.runAsync {
            let simpul = try options.simpul()
            guard let health = simpul.health else { throw CLIError(Text(id: "tidak ada berkas kesehatan", en: "no health file")) }
            // One cycle at a time, across processes: a lock file beside the health file.
            guard let lock = try PollLock(path: health.path + ".lock") else {
                let said = Text(id: "putaran pemantauan lain masih berjalan; putaran ini dilewati", en: "another polling cycle is still running; this one is skipped")
                if json { try Output.json(["skipped": said.en]) } else { printError(said(options.language)) }
                return
            }
            defer { lock.release() }
            let interval = try PollSetup.interval(every, language: options.language)
            // Nothing due (the timer's usual minute): say so without reading the credentials or starting the prober.
            if !all, let waiting = try simpul.polling.waiting(due: .every(interval)) {
                var report = PollService.CycleReport(startedAt: simpul.now())
                report.notDue = waiting
                if json { try Output.json(PollJSON(report)); return }
                print(Text(id: "belum waktunya: \(waiting) perangkat/server ditanyai kurang dari \(every) lalu (--all untuk menanyai sekarang)",
                           en: "nothing due: \(waiting) device(s)/server(s) were polled less than \(every) ago (--all polls them now)")(options.language))
                return
            }
            let setup = try PollSetup(simpul: simpul, credentials: credentials)
            for warning in setup.warnings { printError(warning(options.language)) }
            let report: PollService.CycleReport
            do {
                report = try await simpul.polling.cycle(walker: setup.walker, prober: setup.prober, due: all ? .all : .every(interval))
                await setup.shutdown()
            } catch {
                await setup.shutdown()
                throw error
            }
            if json { try Output.json(PollJSON(report)); return }
            let language = options.language
            let format = Format(language)
            func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
            if report.devices.isEmpty && report.servers.isEmpty && report.notDue > 0 {
                print(t("belum waktunya: \(report.notDue) perangkat/server ditanyai kurang dari \(every) lalu (--all untuk menanyai sekarang)",
                        "nothing due: \(report.notDue) device(s)/server(s) were polled less than \(every) ago (--all polls them now)"))
                return
            }
            Output.table([t("PERANGKAT", "DEVICE"), t("KEADAAN", "STATUS"), t("ANTARMUKA", "INTERFACES"), t("SAMPEL", "SAMPLES"), t("DURASI", "DURATION")],
                         report.devices.map { d in
                             [d.device, d.problem.map { $0(language) } ?? t("menjawab", "answered"), format.number(d.interfaces), format.number(d.samples),
                              d.milliseconds.map { format.decimal($0, places: 0) + " ms" } ?? "-"]
                         })
            if !report.servers.isEmpty {
                Output.table([t("SERVER", "SERVER"), t("PEMERIKSAAN", "CHECK"), t("KEADAAN", "STATUS")],
                             report.servers.map { [$0.device, $0.target, $0.outcome(language)] })
            }
            for change in report.changes { print(PollSetup.line(change, language)) }
            print(t("putaran selesai dalam \(format.decimal(report.milliseconds, places: 0)) ms", "cycle done in \(format.decimal(report.milliseconds, places: 0)) ms"))
            if report.milliseconds > 60_000 {
                printError(t("putaran lebih lama dari semenit: putaran berikutnya dari timer akan dilewati", "the cycle took longer than a minute: the timer's next one will be skipped"))
            }
        }
    }

    struct PollJSON: Encodable {
        struct Device: Encodable { var device: String; var status: String; var problem: String?; var interfaces: Int; var samples: Int; var discarded: Int; var milliseconds: Double? }
        struct Server: Encodable { var device: String; var target: String; var status: String; var outcome: String; var milliseconds: Double? }
        struct Change: Encodable { var circuit: String; var from: String; var to: String; var at: String; var fault: Int64?; var problem: String? }
        var startedAt: String
        var milliseconds: Double
        var devices: [Device]
        var servers: [Server]
        var notDue: Int
        var changes: [Change]
        var prunedSamples: Int
        var prunedHours: Int

        init(_ r: PollService.CycleReport) {
            startedAt = Timestamp.string(r.startedAt)
            milliseconds = (r.milliseconds * 10).rounded() / 10
            devices = r.devices.map { Device(device: $0.device, status: !$0.answered ? "unreachable" : $0.problem == nil ? "answered" : "problem",
                                             problem: $0.problem?.en, interfaces: $0.interfaces, samples: $0.samples, discarded: $0.discarded,
                                             milliseconds: $0.milliseconds) }
            servers = r.servers.map { Server(device: $0.device, target: $0.target, status: $0.status.rawValue, outcome: $0.outcome.en, milliseconds: $0.milliseconds) }
            notDue = r.notDue
            changes = r.changes.map { Change(circuit: $0.circuit, from: $0.transition.from.rawValue, to: $0.transition.to.rawValue,
                                             at: Timestamp.string($0.transition.at), fault: $0.fault, problem: $0.problem?.en) }
            prunedSamples = r.pruned.samples
            prunedHours = r.pruned.hours
        }
    }
}

/// What a cycle needs from this process: the SNMP walker (credentials, the scope) and the prober for
/// hosted servers. `simpul poll` and `simpul serve --poll-every` make it the same way.
struct PollSetup {
    let walker: SNMPDeviceWalker
    let prober: Prober?
    var warnings: [Text] = []

    init(simpul: Simpul, credentials option: String?) throws {
        var loaded: SNMPCredentials?
        let environment = ProcessInfo.processInfo.environment
        if option != nil || !(environment["SIMPUL_SNMP_CREDENTIALS"] ?? "").isEmpty {
            do {
                let file = try SNMPCredentialsLoader.load(path: try SNMPCredentialsLoader.path(option: option, environment: environment))
                warnings += file.warnings
                loaded = file.credentials
            } catch {
                throw CLIError((error as? SNMPError)?.text ?? Text(id: "\(error)", en: "\(error)"))
            }
        }
        // No device or server outside SIMPUL_PROBE_ALLOW is ever asked (make sets loopback for the demo and tests).
        let scope: ProbeScope
        do throws(ProbeScopeError) { scope = try ProbeScope(environment: environment) } catch { throw CLIError(error.text) }
        walker = SNMPDeviceWalker(client: NetSNMPClient(scope: scope), credentials: loaded, now: simpul.now)
        do {
            prober = try Prober.network(scope: scope)
        } catch {
            prober = nil
            warnings.append(Text(id: "server yang di-hosting tidak diperiksa: pemeriksa tidak dapat dimulai (\(error))",
                                 en: "hosted servers are not checked: the prober cannot start (\(error))"))
        }
    }

    func shutdown() async { await prober?.shutdown() }

    /// A link's change as the cycle made it: `NUS-CKB-0002: Normal → Putus (gangguan #41)`.
    static func line(_ change: PollService.LinkChange, _ language: Language) -> String {
        var line = "\(change.circuit): \(change.transition.from.title(language)) → \(change.transition.to.title(language))"
        if let fault = change.fault { line += Text(id: " (gangguan #\(fault))", en: " (fault #\(fault))")(language) }
        if let problem = change.problem { line += " — " + problem(language) }
        return line
    }

    /// `60s`, `5m`, `1h` (`Format.seconds(of:)`): 10 seconds to an hour.
    static func interval(_ text: String, language: Language) throws -> Duration {
        if let seconds = Format.seconds(of: text), (10...3600).contains(seconds) { return .seconds(seconds) }
        throw ValidationError(Text(id: "selang \"\(Excerpt.of(text, length: 20))\" tidak dikenal; tulis mis. 60s, 5m atau 1h (10 detik … 1 jam)",
                                   en: "interval \"\(Excerpt.of(text, length: 20))\" is not understood; write e.g. 60s, 5m or 1h (10 seconds … 1 hour)")(language))
    }
}

/// An exclusive, non-blocking lock on a file (flock), released when the process ends however it ends.
final class PollLock {
    private let fd: Int32

    /// Nil when another process holds it.
    init?(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CLIError(Text(id: "berkas kunci \(path) tidak dapat dibuka: \(String(cString: strerror(errno)))",
                                en: "cannot open the lock file \(path): \(String(cString: strerror(errno)))"))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
