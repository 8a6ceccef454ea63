import ArgumentParser
import Foundation
import SimpulCore
import SimpulProbe

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Periksa satu alamat dengan ping atau sambungan TCP / check one address by ping or a TCP connect (diagnosis).",
        discussion: """
        The check the poller makes of a hosted server, by hand: an ICMP echo, or with --tcp a TCP
        connect to that port (a refused connection means the server answers but the port is closed).
        Each check waits at most --timeout milliseconds; --count checks go one after another,
        --interval milliseconds apart.
        Only addresses inside $SIMPUL_PROBE_ALLOW are checked (a comma-separated list of prefixes,
        e.g. 127.0.0.0/8,::1/128; unset means any address): anything else is not sent, and says so.
        Ping needs net.ipv4.ping_group_range to include one of the process's groups, or CAP_NET_RAW.
        Exit status: 0 when every check was answered, 1 when one was not (no answer, refused,
        unreachable), 2 when nothing could be sent (outside the scope, or ping not permitted).
        Contoh / examples:
          simpul probe 127.0.0.1
          simpul probe 127.0.0.1 --tcp 8080 --count 3
          simpul probe ::1 --timeout 500 --json
        """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Alamat IPv4 atau IPv6 / IPv4 or IPv6 address.") var address: String
    @Option(help: "Periksa port TCP ini, bukan ping / check this TCP port instead of ping.") var tcp: Int?
    @Option(help: "Batas tunggu tiap pemeriksaan (ms) / how long each check waits (ms).") var timeout = 1_000
    @Option(help: "Jumlah pemeriksaan / how many checks.") var count = 1
    @Option(help: "Jeda antarpemeriksaan (ms) / pause between checks (ms).") var interval = 1_000
    @Flag(help: "Keluaran JSON / JSON output.") var json = false

    func validate() throws {
        try options.require(tcp, "tcp", in: ProbeLimits.port)
        try options.require(timeout, "timeout", in: ProbeLimits.timeoutMilliseconds)
        try options.require(count, "count", in: ProbeLimits.count)
        try options.require(interval, "interval", in: ProbeLimits.intervalMilliseconds)
        guard IPAddress(address) != nil else {
            let shown = Excerpt.of(address)
            throw ValidationError(Text(id: "\"\(shown)\" bukan alamat IPv4 atau IPv6; tulis mis. 10.20.0.15 atau 2001:db8::15",
                                       en: "\"\(shown)\" is not an IPv4 or IPv6 address; write e.g. 10.20.0.15 or 2001:db8::15")(options.language))
        }
    }

    func run() async throws {
        let language = options.language
        let target = ProbeTarget(address: IPAddress(address)!, method: tcp.map { .tcp(port: $0) } ?? .icmp)
        let prober = try await options.runAsync { () async throws -> Prober in
            let scope: ProbeScope
            do throws(ProbeScopeError) { scope = try ProbeScope(environment: ProcessInfo.processInfo.environment) } catch { throw CLIError(error.text) }
            do {
                return try Prober.network(scope: scope)
            } catch {
                throw CLIError(Text(id: "pemeriksa tidak dapat dimulai: \(error)", en: "the prober cannot start: \(error)"))
            }
        }
        var results: [ProbeResult] = []
        for index in 0..<count {
            if index > 0 && interval > 0 { try? await Task.sleep(for: Duration.milliseconds(interval)) }
            let result = await prober.check(target, timeout: .milliseconds(timeout))
            results.append(result)
            if !json {
                let line = (count > 1 ? "\(index + 1): " : "") + result.text(language)
                if result.outcome.wasSent { print(line) } else { printError(line) }
            }
            // The scope and the system answer every check alike: one refusal says it.
            if !result.outcome.wasSent { break }
        }
        await prober.shutdown()
        let summary = ProbeSummary(results)
        if json {
            try Output.json(ProbeOutput(target: target, scope: prober.scope, timeout: timeout, results: results, summary: summary, language: language))
        } else if count > 1 && summary.sent > 0 {
            print(summary.text(language))
        }
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
}

/// `simpul probe --json`: stable English keys, times in milliseconds.
struct ProbeOutput: Encodable {
    struct Check: Encodable {
        var sequence: Int, status: String, roundTripMs: Double?, reportedBy: String?, reason: String?, message: String
    }

    var address: String, method: String, port: Int?, scope: String, timeoutMs: Int
    var checks: [Check]
    var sent: Int, answered: Int, lostPercent: Double, minMs: Double?, avgMs: Double?, maxMs: Double?

    init(target: ProbeTarget, scope: ProbeScope, timeout: Int, results: [ProbeResult], summary: ProbeSummary, language: Language) {
        address = target.address.description
        method = target.method.name
        port = target.method.port
        self.scope = scope.description
        timeoutMs = timeout
        checks = results.enumerated().map { index, result in
            var reportedBy: String?, reason: String?
            if case .unreachable(let why, let router) = result.outcome {
                reason = why
                reportedBy = router?.description
            }
            return Check(sequence: index + 1, status: result.outcome.status, roundTripMs: result.outcome.roundTrip?.inMilliseconds,
                         reportedBy: reportedBy, reason: reason, message: result.text(language))
        }
        sent = summary.sent
        answered = summary.answered
        lostPercent = summary.lostPercent
        minMs = summary.fastest?.inMilliseconds
        avgMs = summary.average?.inMilliseconds
        maxMs = summary.slowest?.inMilliseconds
    }
}
