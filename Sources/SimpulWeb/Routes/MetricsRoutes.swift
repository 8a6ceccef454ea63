import Foundation
import Hummingbird
import Prometheus
import SimpulCore
import SimpulServices

/// `/metrics`: link health in Prometheus' text exposition format (issue 14), for a Prometheus server
/// that scrapes it with an API token of an office account (`Authorization: Bearer smp_…`, as `/api/v1`;
/// a signed-in browser may look too). An agency's token is refused: the page shows every agency.
///
/// Named so that dashboards built for snmp_exporter's if_mib module work with few changes: the raw
/// IF-MIB counters under their own names with `ifIndex`, `ifName`, `ifAlias`, `ifDescr` labels (plus
/// `device`), and `simpul_*` gauges for what snmp_exporter does not know — a link's state, its rates
/// against the committed rate, the poller's own health. The values are read once per scrape off the
/// request's thread (`offPool:`); swift-prometheus writes the format and escapes the label values.
struct MetricsRoutes: Sendable {
    let simpul: Simpul

    func register(on router: Router<WebContext>) {
        router.group("/metrics").add(middleware: MetricsAuthMiddleware(simpul: simpul)).get(offPool: metrics)
    }

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func metrics(_ request: Request, _ context: WebContext) throws -> Response {
        guard let principal = context.apiPrincipal else { return Self.refusal(.unauthorized) }
        let snapshot: PollService.MetricsSnapshot
        do {
            snapshot = try simpul.polling.metrics(by: principal)
        } catch let error as ServiceError where error.kind == .forbidden {
            return Self.refusal(.forbidden)
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: Self.exposition(snapshot))))
        response.headers[.contentType] = Self.contentType
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A refusal as Prometheus shows it in its target list: one line of plain text.
    static func refusal(_ status: HTTPResponse.Status) -> Response {
        let text = status == .forbidden
            ? "forbidden: /metrics needs an API token of an office account (not an agency's)\n"
            : "unauthorized: send Authorization: Bearer <API token> (simpul token create USER --name prometheus)\n"
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "text/plain; charset=utf-8"
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    // MARK: The exposition

    /// The snapshot in the text format.
    static func exposition(_ snapshot: PollService.MetricsSnapshot) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        let metrics = Metrics(registry: registry)
        poller(snapshot, metrics)
        for device in snapshot.devices { self.device(device, metrics) }
        for link in snapshot.links { self.link(link, metrics) }
        interfaces(snapshot.interfaces, metrics)
        return registry.emitToBuffer()
    }

    static func poller(_ snapshot: PollService.MetricsSnapshot, _ m: Metrics) {
        m.set(.pollerConfigured, [], snapshot.configured ? 1 : 0)
        m.set(.pollerHasRun, [], snapshot.lastCycle == nil ? 0 : 1)
        guard let cycle = snapshot.lastCycle else { return }
        m.set(.pollerLastCycle, [], cycle.at.timeIntervalSince1970)
        m.set(.pollerLastCycleAge, [], max(0, snapshot.at.timeIntervalSince(cycle.at)))
        if let seconds = cycle.seconds { m.set(.pollerLastCycleDuration, [], seconds) }
        m.set(.pollerDevices, [], Int64(cycle.devices))
        m.set(.pollerDevicesFailed, [], Int64(cycle.failed))
    }

    static func device(_ figures: PollService.DeviceFigures, _ m: Metrics) {
        let labels = [("device", figures.device.name), ("agency", figures.device.agency ?? "")]
        m.set(.deviceReachable, labels, figures.reachable ? 1 : 0)
        if let at = figures.lastAnswer { m.set(.deviceLastAnswer, labels, at.timeIntervalSince1970) }
        if let seconds = figures.walkSeconds { m.set(.devicePollDuration, labels, seconds) }
        if let failures = figures.failures { m.set(.devicePollFailures, labels, Int64(failures)) }
        if let uptime = figures.sysUpTime { m.set(.sysUpTime, [("device", figures.device.name)], Int64(uptime)) }
    }

    static func link(_ figures: PollService.LinkFigures, _ m: Metrics) {
        let link = figures.link.link
        let labels = [("circuit", link.circuit), ("agency", link.agency), ("provider", link.provider)]
        m.set(.linkInfo, labels + [("agency_name", figures.link.agencyName), ("provider_name", figures.link.providerName),
                                     ("technology", link.technology.rawValue), ("device", link.device ?? ""),
                                     ("ifName", figures.interface?.name ?? link.interface ?? "")], 1)
        m.set(.linkUp, labels, figures.state == .up || figures.state == .degraded ? 1 : 0)
        for state in LinkState.allCases {
            m.set(.linkState, labels + [("state", state.rawValue)], state == figures.state ? 1 : 0)
        }
        if let at = figures.changedAt { m.set(.linkStateChanged, labels, at.timeIntervalSince1970) }
        if let at = figures.polledAt { m.set(.linkPolled, labels, at.timeIntervalSince1970) }
        if let committed = figures.committed {
            m.set(.linkCommitted, labels + [("direction", "in")], Double(committed.inBitsPerSecond))
            m.set(.linkCommitted, labels + [("direction", "out")], Double(committed.outBitsPerSecond))
        }
        if let port = figures.portBitsPerSecond { m.set(.linkPortSpeed, labels, Double(port)) }
        guard let sample = figures.latest else { return }
        for (direction, bits, committed, errors, discards) in [
            ("in", sample.inBitsPerSecond, figures.committed?.inBitsPerSecond, sample.inErrorsPerSecond, sample.inDiscardsPerSecond),
            ("out", sample.outBitsPerSecond, figures.committed?.outBitsPerSecond, sample.outErrorsPerSecond, sample.outDiscardsPerSecond),
        ] {
            let directed = labels + [("direction", direction)]
            m.set(.linkBits, directed, Double(bits))
            if let committed, committed > 0 { m.set(.linkCommittedRatio, directed, Double(bits) / Double(committed)) }
            if let port = figures.portBitsPerSecond { m.set(.linkPortRatio, directed, Double(bits) / Double(port)) }
            if let errors, errors.isFinite { m.set(.linkErrors, directed, errors) }
            if let discards, discards.isFinite { m.set(.linkDiscards, directed, discards) }
        }
    }

    /// snmp_exporter's if_mib series: the counters as the agent last reported them (a device that did
    /// not answer the last cycle has none, as snmp_exporter has none for a target it cannot reach).
    static func interfaces(_ interfaces: [PollService.InterfaceFigures], _ m: Metrics) {
        var seen = Set<String>()
        for figures in interfaces {
            let interface = figures.interface, reading = figures.reading
            // One series per device and ifIndex, as the agent numbers them now.
            guard seen.insert("\(figures.device)\u{0}\(reading.ifIndex)").inserted else { continue }
            let labels = [("device", figures.device), ("ifIndex", String(reading.ifIndex)), ("ifName", interface.name ?? ""),
                          ("ifAlias", interface.alias ?? ""), ("ifDescr", interface.descr ?? "")]
            if let octets = reading.inOctets { m.counter(octets.is64Bit ? .ifHCInOctets : .ifInOctets, labels, octets.value) }
            if let octets = reading.outOctets { m.counter(octets.is64Bit ? .ifHCOutOctets : .ifOutOctets, labels, octets.value) }
            if let value = reading.inErrors { m.counter(.ifInErrors, labels, UInt64(value)) }
            if let value = reading.outErrors { m.counter(.ifOutErrors, labels, UInt64(value)) }
            if let value = reading.inDiscards { m.counter(.ifInDiscards, labels, UInt64(value)) }
            if let value = reading.outDiscards { m.counter(.ifOutDiscards, labels, UInt64(value)) }
            if let speed = reading.speed, speed > 0 { m.set(.ifHighSpeed, labels, Int64(speed / 1_000_000)) }
        }
    }
}

extension MetricsRoutes {
    /// Every metric's name and help, in one place: the registry refuses one name with two helps.
    enum Name: String, CaseIterable {
        case pollerConfigured = "simpul_poller_configured"
        case pollerHasRun = "simpul_poller_has_run"
        case pollerLastCycle = "simpul_poller_last_cycle_timestamp_seconds"
        case pollerLastCycleAge = "simpul_poller_last_cycle_age_seconds"
        case pollerLastCycleDuration = "simpul_poller_last_cycle_duration_seconds"
        case pollerDevices = "simpul_poller_last_cycle_devices"
        case pollerDevicesFailed = "simpul_poller_last_cycle_devices_failed"
        case deviceReachable = "simpul_device_reachable"
        case deviceLastAnswer = "simpul_device_last_answer_timestamp_seconds"
        case devicePollDuration = "simpul_poll_duration_seconds"
        case devicePollFailures = "simpul_poll_consecutive_failures"
        case sysUpTime = "sysUpTime"
        case linkInfo = "simpul_link_info"
        case linkUp = "simpul_link_up"
        case linkState = "simpul_link_state"
        case linkStateChanged = "simpul_link_state_changed_timestamp_seconds"
        case linkPolled = "simpul_link_polled_timestamp_seconds"
        case linkCommitted = "simpul_link_committed_bits_per_second"
        case linkPortSpeed = "simpul_link_port_speed_bits_per_second"
        case linkBits = "simpul_link_bits_per_second"
        case linkCommittedRatio = "simpul_link_utilisation_committed_ratio"
        case linkPortRatio = "simpul_link_utilisation_port_ratio"
        case linkErrors = "simpul_link_errors_per_second"
        case linkDiscards = "simpul_link_discards_per_second"
        case ifHCInOctets, ifHCOutOctets, ifInOctets, ifOutOctets
        case ifInErrors, ifOutErrors, ifInDiscards, ifOutDiscards
        case ifHighSpeed

        var help: String {
            switch self {
            case .pollerConfigured: "1 when this Simpul has a link-health file; 0 when link health is off."
            case .pollerHasRun: "1 once the poller has completed a cycle; 0 while it never has (no other poller figures then)."
            case .pollerLastCycle: "When the last polling cycle ran (Unix time)."
            case .pollerLastCycleAge: "Seconds since the last polling cycle, at the time of this scrape."
            case .pollerLastCycleDuration: "How long the last polling cycle took, in seconds."
            case .pollerDevices: "Devices the last cycle polled."
            case .pollerDevicesFailed: "Devices that did not answer the last cycle."
            case .deviceReachable: "1 when the device answered the last polling cycle."
            case .deviceLastAnswer: "When the device last answered a walk (Unix time)."
            case .devicePollDuration: "How long the device's last SNMP walk took, in seconds."
            case .devicePollFailures: "Walks in a row without a usable answer (0 when the last one answered)."
            case .sysUpTime: "The agent's sysUpTime at its last answer, in hundredths of a second (SNMPv2-MIB)."
            case .linkInfo: "A link's names and where it is polled; always 1 (join on circuit)."
            case .linkUp: "1 when the link is up or degraded (traffic passes); 0 when down, flapping or unknown."
            case .linkState: "1 for the link's current state (up, degraded, down, flapping, unknown), 0 for the others."
            case .linkStateChanged: "When the link entered its current state (Unix time)."
            case .linkPolled: "When the poller last evaluated the link (Unix time)."
            case .linkCommitted: "The link's committed rate from the inventory, bits per second, as seen on the polled interface."
            case .linkPortSpeed: "The polled interface's speed (ifSpeed/ifHighSpeed), bits per second."
            case .linkBits: "The link's rate over the last polled interval, bits per second."
            case .linkCommittedRatio: "The last interval's rate against the committed rate (1 = the committed rate)."
            case .linkPortRatio: "The last interval's rate against the port's speed."
            case .linkErrors: "Interface errors per second over the last polled interval."
            case .linkDiscards: "Interface discards per second over the last polled interval."
            case .ifHCInOctets: "The total number of octets received on the interface (IF-MIB ifHCInOctets), at the last poll."
            case .ifHCOutOctets: "The total number of octets transmitted out of the interface (IF-MIB ifHCOutOctets), at the last poll."
            case .ifInOctets: "The total number of octets received on the interface (IF-MIB ifInOctets, 32-bit: the agent has no ifHCInOctets)."
            case .ifOutOctets: "The total number of octets transmitted out of the interface (IF-MIB ifOutOctets, 32-bit: the agent has no ifHCOutOctets)."
            case .ifInErrors: "Inbound packets that contained errors (IF-MIB ifInErrors), at the last poll."
            case .ifOutErrors: "Outbound packets that could not be transmitted because of errors (IF-MIB ifOutErrors), at the last poll."
            case .ifInDiscards: "Inbound packets discarded though no error was detected (IF-MIB ifInDiscards), at the last poll."
            case .ifOutDiscards: "Outbound packets discarded though no error was detected (IF-MIB ifOutDiscards), at the last poll."
            case .ifHighSpeed: "The interface's speed in units of 1,000,000 bits per second (IF-MIB ifHighSpeed)."
            }
        }
    }

    /// One scrape's registry, with the helps of `Name`.
    struct Metrics {
        let registry: PrometheusCollectorRegistry

        /// A gauge at `value`.
        func set(_ name: Name, _ labels: [(String, String)], _ value: Double) {
            let gauge = labels.isEmpty ? registry.makeGauge(name: name.rawValue, help: name.help)
                : registry.makeGauge(name: name.rawValue, labels: labels, help: name.help)
            gauge.set(to: value)
        }

        func set(_ name: Name, _ labels: [(String, String)], _ value: some BinaryInteger) {
            set(name, labels, Double(value))
        }

        /// A counter standing at `value`: what the agent reported.
        func counter(_ name: Name, _ labels: [(String, String)], _ value: UInt64) {
            let counter = registry.makeCounter(name: name.rawValue, labels: labels, help: name.help)
            if value <= UInt64(Int64.max) { counter.increment(by: Int64(value)) } else { counter.increment(by: Double(value)) }
        }
    }
}

/// `/metrics`'s caller: an API token or a signed-in browser, as `/api/v1` takes them
/// (`APIAuthMiddleware`), refused as one line of text rather than a page or JSON.
struct MetricsAuthMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let simpul: Simpul

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var authorized = false
        do {
            return try await APIAuthMiddleware(simpul: simpul).handle(request, context: context) { request, context in
                authorized = true
                return try await next(request, context)
            }
        } catch let refusal as WebRefusal where !authorized && refusal.status == .unauthorized {
            return MetricsRoutes.refusal(.unauthorized)
        }
    }
}
