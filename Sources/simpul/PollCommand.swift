import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
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
        """)
    @OptionGroup var options: GlobalOptions
    @Option(help: "Berkas kredensial SNMP / SNMP credentials file (default: $SIMPUL_SNMP_CREDENTIALS).") var credentials: String?
    @Flag(help: "Keluaran JSON / JSON output.") var json = false

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
            var loaded: SNMPCredentials?
            let environment = ProcessInfo.processInfo.environment
            if credentials != nil || !(environment["SIMPUL_SNMP_CREDENTIALS"] ?? "").isEmpty {
                do {
                    let file = try SNMPCredentialsLoader.load(path: try SNMPCredentialsLoader.path(option: credentials, environment: environment))
                    for warning in file.warnings { printError(warning(options.language)) }
                    loaded = file.credentials
                } catch let error as SNMPError {
                    throw CLIError(error.text)
                }
            }
            // No device outside SIMPUL_PROBE_ALLOW is ever asked (make sets loopback for the demo and tests).
            let scope: ProbeScope
            do throws(ProbeScopeError) { scope = try ProbeScope(environment: environment) } catch { throw CLIError(error.text) }
            let walker = SNMPDeviceWalker(client: NetSNMPClient(scope: scope), credentials: loaded, now: simpul.now)
            let report = try await simpul.polling.cycle(walker: walker)
            if json { try Output.json(PollJSON(report)); return }
            let language = options.language
            let format = Format(language)
            func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
            Output.table([t("PERANGKAT", "DEVICE"), t("KEADAAN", "STATUS"), t("ANTARMUKA", "INTERFACES"), t("SAMPEL", "SAMPLES"), t("DURASI", "DURATION")],
                         report.devices.map { d in
                             [d.device, d.problem.map { $0(language) } ?? t("menjawab", "answered"), format.number(d.interfaces), format.number(d.samples),
                              d.milliseconds.map { format.decimal($0, places: 0) + " ms" } ?? "-"]
                         })
            for change in report.changes {
                var line = "\(change.circuit): \(change.transition.from.title(language)) → \(change.transition.to.title(language))"
                if let fault = change.fault { line += t(" (gangguan #\(fault))", " (fault #\(fault))") }
                if let problem = change.problem { line += " — " + problem(language) }
                print(line)
            }
            print(t("putaran selesai dalam \(format.decimal(report.milliseconds, places: 0)) ms", "cycle done in \(format.decimal(report.milliseconds, places: 0)) ms"))
            if report.milliseconds > 60_000 {
                printError(t("putaran lebih lama dari semenit: putaran berikutnya dari timer akan dilewati", "the cycle took longer than a minute: the timer's next one will be skipped"))
            }
        }
    }

    struct PollJSON: Encodable {
        struct Device: Encodable { var device: String; var status: String; var problem: String?; var interfaces: Int; var samples: Int; var discarded: Int; var milliseconds: Double? }
        struct Change: Encodable { var circuit: String; var from: String; var to: String; var at: String; var fault: Int64?; var problem: String? }
        var startedAt: String
        var milliseconds: Double
        var devices: [Device]
        var changes: [Change]
        var prunedSamples: Int
        var prunedHours: Int

        init(_ r: PollService.CycleReport) {
            startedAt = Timestamp.string(r.startedAt)
            milliseconds = (r.milliseconds * 10).rounded() / 10
            devices = r.devices.map { Device(device: $0.device, status: $0.problem == nil ? "answered" : "problem", problem: $0.problem?.en,
                                             interfaces: $0.interfaces, samples: $0.samples, discarded: $0.discarded, milliseconds: $0.milliseconds) }
            changes = r.changes.map { Change(circuit: $0.circuit, from: $0.transition.from.rawValue, to: $0.transition.to.rawValue,
                                             at: Timestamp.string($0.transition.at), fault: $0.fault, problem: $0.problem?.en) }
            prunedSamples = r.pruned.samples
            prunedHours = r.pruned.hours
        }
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
