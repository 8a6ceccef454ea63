/// What one check of a hosted server found.
public enum ProbeOutcome: Sendable, Hashable {
    /// The echo reply came back, or the TCP handshake completed, after `roundTrip`.
    case reachable(roundTrip: Duration)
    /// TCP only: the server answered with a reset. The host is up; nothing listens on the port.
    case refused(roundTrip: Duration)
    /// No answer before the deadline (or the caller stopped waiting).
    case timedOut(after: Duration)
    /// The operating system, or a router on the way, said the address cannot be reached, in the
    /// operating system's words (`No route to host`); `reportedBy` is the router that said so.
    case unreachable(reason: String, reportedBy: IPAddress?)
    /// The system does not let this process send ICMP echo: no packet was sent.
    case notPermitted(PingPermission)
    /// The address is outside ``ProbeScope``: no packet was sent.
    case outsideScope(ProbeScope)

    /// A stable word for scripts and JSON: `reachable`, `refused`, `timeout`, `unreachable`,
    /// `not_permitted`, `outside_scope`.
    public var status: String {
        switch self {
        case .reachable: "reachable"
        case .refused: "refused"
        case .timedOut: "timeout"
        case .unreachable: "unreachable"
        case .notPermitted: "not_permitted"
        case .outsideScope: "outside_scope"
        }
    }

    /// Whether the check got the answer it wanted (an echo reply, an open port).
    public var isUp: Bool {
        if case .reachable = self { return true }
        return false
    }

    /// Whether a packet went out: false when the scope or the system stopped it first.
    public var wasSent: Bool {
        switch self {
        case .notPermitted, .outsideScope: false
        case .reachable, .refused, .timedOut, .unreachable: true
        }
    }

    /// The time to the answer, when there was one.
    public var roundTrip: Duration? {
        switch self {
        case .reachable(let time), .refused(let time): time
        default: nil
        }
    }
}

/// One check and what it found, with its wording.
public struct ProbeResult: Sendable, Hashable {
    public let target: ProbeTarget
    /// How long the check was allowed to wait.
    public let timeout: Duration
    public let outcome: ProbeOutcome

    public init(target: ProbeTarget, timeout: Duration, outcome: ProbeOutcome) {
        self.target = target
        self.timeout = timeout
        self.outcome = outcome
    }

    /// What the check found, for the person reading it: what happened, and for the outcomes that
    /// need someone to act, what to do.
    public var text: Text {
        let address = target.address.description
        switch outcome {
        case .reachable(let time):
            let shown = Format.both { $0.milliseconds(time) }
            switch target.method {
            case .icmp:
                return Text(id: "\(address) menjawab ping dalam \(shown.id)", en: "\(address) answers ping in \(shown.en)")
            case .tcp(let port):
                return Text(id: "\(address) port \(port) terbuka, tersambung dalam \(shown.id)",
                            en: "\(address) port \(port) is open, connected in \(shown.en)")
            }
        case .refused:
            let port = target.method.port.map(String.init) ?? "?"
            return Text(id: "\(address) menjawab tetapi port \(port) tertutup (sambungan ditolak): periksa layanannya di server",
                        en: "\(address) answers but port \(port) is closed (connection refused): check the service on the server")
        case .timedOut(let after):
            let shown = Format.both { $0.milliseconds(after) }
            switch target.method {
            case .icmp:
                return Text(id: "\(address) tidak menjawab ping dalam \(shown.id) (server mati, terputus, atau firewall membuang ping)",
                            en: "\(address) did not answer ping within \(shown.en) (the server is down, cut off, or a firewall drops ping)")
            case .tcp(let port):
                return Text(id: "\(address) port \(port) tidak menjawab dalam \(shown.id) (server mati, terputus, atau firewall membuang paketnya)",
                            en: "\(address) port \(port) did not answer within \(shown.en) (the server is down, cut off, or a firewall drops the packets)")
            }
        case .unreachable(let reason, let router):
            let by = router.map { Text(id: " (dilaporkan oleh \($0))", en: " (reported by \($0))") } ?? Text(id: "", en: "")
            return Text(id: "\(address) tidak terjangkau: \(reason)\(by.id)", en: "\(address) is unreachable: \(reason)\(by.en)")
        case .notPermitted(let permission):
            let why = permission.text
            return Text(id: "\(address) tidak diperiksa: \(why.id)", en: "\(address) was not checked: \(why.en)")
        case .outsideScope(let scope):
            return Text(id: "\(address) di luar cakupan pemeriksaan \(ProbeScope.variable)=\(scope); tidak ada paket yang dikirim",
                        en: "\(address) is outside the probe scope \(ProbeScope.variable)=\(scope); nothing was sent")
        }
    }
}

extension Format {
    /// A round-trip time or a wait: `0,05 ms`, `12,3 ms`, `1.000 ms`.
    public func milliseconds(_ duration: Duration) -> String {
        let value = duration.inMilliseconds
        return decimal(value, places: value < 10 ? 2 : (value < 100 ? 1 : 0)) + " ms"
    }
}
