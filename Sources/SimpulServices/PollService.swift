import Foundation
import SimpulCore
import SimpulStore

/// Link health's cycle (issue 14): every device with SNMP in the inventory is walked at once (each
/// with its own deadline), each walk evaluated (`DevicePoll`: interface identity, exact rates, the
/// links' state machines), the results written to the health file in one transaction, and what the
/// links' machines ask done in the main database as the system: a link that went down opens a fault
/// (channel monitoring) dated at its first failed poll, or joins the open one; a link back up records
/// the restoration on its open fault. `simpul poll` runs one cycle (the systemd timer, every minute).
public struct PollService: Sendable {
    let simpul: Simpul

    /// How long raw samples are kept (the hourly roll-ups keep a year).
    public static let rawRetention: TimeInterval = 14 * 86_400
    public static let hourRetention: TimeInterval = 366 * 86_400
    /// Each cycle's own report is kept as long as raw samples; link changes as long as hours (the
    /// provider reports of the past year count the outages they measure).
    public static let changeRetention: TimeInterval = hourRetention
    /// How long a hosted server's check may wait for its answer.
    public static let serverTimeout: Duration = .seconds(5)
    /// Rows deleted per retention step, and steps per cycle: retention never holds the file long.
    static let pruneLimit = 20_000
    static let pruneSteps = 5

    public struct DeviceReport: Sendable {
        public var device: String
        public var answered: Bool
        /// Why it did not answer, or what is wrong in its answer (a link's interface it lacks).
        public var problem: Text?
        public var interfaces: Int
        public var samples: Int
        public var discarded: Int
        /// The device's own walk time, when measured.
        public var milliseconds: Double?
    }

    public struct LinkChange: Sendable {
        public var circuit: String
        public var transition: LinkTransition
        /// The fault opened or joined (down), or whose restoration was recorded (up).
        public var fault: Int64?
        /// What could not be done about it in the main database (the link stays as measured).
        public var problem: Text?
    }

    /// A hosted server's check.
    public struct ServerReport: Sendable {
        public var device: String
        public var target: String
        public var status: HealthStore.ServerStatus
        public var outcome: Text
        public var milliseconds: Double?
    }

    public struct CycleReport: Sendable {
        public var startedAt: Date
        public var devices: [DeviceReport] = []
        public var servers: [ServerReport] = []
        /// Devices and servers left for a later cycle: polled too recently to be due.
        public var notDue = 0
        public var changes: [LinkChange] = []
        public var pruned = HealthStore.Pruned()
        public var milliseconds: Double = 0

        public init(startedAt: Date) { self.startedAt = startedAt }
    }

    func healthDatabase() throws -> HealthDatabase {
        guard let file = simpul.health else {
            throw ServiceError(.invalid, Text(id: "berkas kesehatan sambungan tidak dikonfigurasi", en: "the link-health file is not configured"))
        }
        return try file.database()
    }

    /// Which devices and servers a cycle takes.
    public enum Due: Sendable, Hashable {
        /// Every one (tests, `simpul poll --all`).
        case all
        /// Those last polled at least `interval` ago, less a little slack for a timer's jitter: the
        /// systemd timer and `simpul serve --poll-every` both run cycles on this rule.
        case every(Duration)

        func due(lastAt: Int64?, now: Int64) -> Bool {
            guard case .every(let interval) = self, let lastAt else { return true }
            let millis = interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
            let slack = min(10_000, millis / 4)
            return now - lastAt >= millis - slack
        }
    }

    struct Plan {
        var targets: [WalkTarget]
        var links: [String: [(link: Link, health: LinkHealth)]]
        var servers: [HostingStore.Monitored]
        var devicePolls: [String: HealthStore.DevicePollRow]
        var serverChecks: [String: HealthStore.ServerCheckRow]
        var allDevices: Set<String>
        var allServers: Set<String>
        var notDue: Int
    }

    /// What the cycle polls: devices with SNMP and a management address that are due, the links each
    /// carries, and the enrolled hosted servers that are due.
    func plan(due: Due, by principal: Principal) throws -> Plan {
        let devices = try simpul.estate.devices(for: principal)
        let links = try simpul.estate.links(for: principal).map(\.link)
        let monitored = try simpul.hosting.monitored(by: principal)
        let health = try healthDatabase()
        let (states, polls, checks) = try health.read { r in
            (try HealthStore.linkStates(r), try HealthStore.devicePolls(r), try HealthStore.serverChecks(r))
        }
        let nowMillis = EpochMillis.of(simpul.now()) ?? 0
        let walked = devices.compactMap { device -> WalkTarget? in
            guard let access = device.snmp, let address = device.managementAddress else { return nil }
            return WalkTarget(device: device.name, address: address, access: access, maxRepetitions: polls[device.name]?.maxRepetitions)
        }
        let targets = walked.filter { due.due(lastAt: polls[$0.device]?.polledAt, now: nowMillis) }
        // The link state machines of the devices walked now only: a run with little or nothing due
        // decodes little or nothing.
        let walkedNow = Set(targets.map(\.device))
        let stored = Dictionary(states.map { ($0.circuit, $0.machine) }, uniquingKeysWith: { a, _ in a })
        let decoder = JSONDecoder()
        var byDevice: [String: [(link: Link, health: LinkHealth)]] = [:]
        for link in links {
            guard let device = link.device, link.interface != nil, walkedNow.contains(device) else { continue }
            let machine = stored[link.circuit].flatMap { try? decoder.decode(LinkHealth.self, from: $0) }
            byDevice[device, default: []].append((link, machine ?? LinkHealth()))
        }
        let servers = monitored.filter { due.due(lastAt: checks[$0.device]?.checkedAt, now: nowMillis) }
        return Plan(targets: targets, links: byDevice, servers: servers, devicePolls: polls, serverChecks: checks,
                    allDevices: Set(walked.map(\.device)), allServers: Set(monitored.map(\.device)),
                    notDue: walked.count - targets.count + monitored.count - servers.count)
    }

    /// How many devices and servers wait when none is `due` (nil when something is due): `simpul poll`
    /// asks this first, so a run with nothing to do reads no credentials and starts no prober.
    public func waiting(due: Due, by principal: Principal = .system) throws -> Int? {
        let plan = try plan(due: due, by: principal)
        return plan.targets.isEmpty && plan.servers.isEmpty && plan.notDue > 0 ? plan.notDue : nil
    }

    /// The hosted servers' checks, each with its own deadline, through the probes (which refuse
    /// anything outside their scope before a packet goes out).
    func check(_ servers: [HostingStore.Monitored], prober: (any Probing)?) async -> [(HostingStore.Monitored, ServerCheck)] {
        guard !servers.isEmpty else { return [] }
        var targets: [(index: Int, target: ProbeTarget)] = []
        var found = [ServerCheck?](repeating: nil, count: servers.count)
        for (index, server) in servers.enumerated() {
            let shown = server.enrolled
            do {
                let target = try ProbeTarget(address: server.address, method: server.method, port: server.port)
                guard prober != nil else {
                    found[index] = ServerCheck(target: shown, status: .unchecked, outcome: Text(
                        id: "tidak diperiksa: pemeriksaan server tidak berjalan di proses ini", en: "not checked: server checks do not run in this process"))
                    continue
                }
                targets.append((index, target))
            } catch {
                found[index] = ServerCheck(target: shown, status: .unchecked, outcome: error.text)
            }
        }
        if let prober, !targets.isEmpty {
            let results = await prober.check(targets.map(\.target), timeout: Self.serverTimeout)
            for (slot, result) in zip(targets, results) {
                let status: HealthStore.ServerStatus = result.outcome.isUp ? .up : result.outcome.wasSent ? .down : .unchecked
                found[slot.index] = ServerCheck(target: result.target.description, status: status, outcome: result.text,
                                                roundTrip: result.outcome.roundTrip)
            }
        }
        return zip(servers, found).map { ($0, $1 ?? ServerCheck(target: $0.address, status: .unchecked, outcome: Text(id: "tidak diperiksa", en: "not checked"))) }
    }

    struct ServerCheck {
        var target: String
        var status: HealthStore.ServerStatus
        var outcome: Text
        var roundTrip: Duration?
    }

    /// One cycle: the devices and servers that are `due`, walked and checked at once. With nothing
    /// due it returns at once, writing nothing (`notDue` says how many wait).
    public func cycle(walker: any DeviceWalker, prober: (any Probing)? = nil, due: Due = .all, by principal: Principal = .system) async throws -> CycleReport {
        let began = ContinuousClock.now
        var report = CycleReport(startedAt: simpul.now())
        let plan = try plan(due: due, by: principal)
        let links = plan.links
        report.notDue = plan.notDue
        if plan.targets.isEmpty && plan.servers.isEmpty && plan.notDue > 0 { return report }
        let health = try healthDatabase()
        async let walking = walker.walk(plan.targets)
        async let checking = check(plan.servers, prober: prober)
        let observations = await walking
        let checks = await checking

        // Evaluate every device against what the health file knows, then write it all at once.
        let encoder = JSONEncoder()
        var results: [(DeviceObservation, DevicePollResult)] = []
        // What the health file knows of every device, in one read.
        let (knownOf, previous) = try health.read { r in
            let all = try HealthStore.allInterfaces(r)
            return (Dictionary(grouping: all, by: \.device).mapValues { $0.map(\.interface) },
                    try HealthStore.readings(r, interfaceIDs: all.map(\.interface.id)))
        }
        for observation in observations {
            let known = knownOf[observation.device] ?? []
            let polled = (links[observation.device] ?? []).compactMap { entry -> PolledLink? in
                guard let interface = entry.link.interface else { return nil }
                return PolledLink(circuit: entry.link.circuit, interface: interface, committed: try? CommittedRate(link: entry.link), health: entry.health)
            }
            results.append((observation, DevicePoll.evaluate(observation, known: known, previous: previous, links: polled)))
        }
        let now = simpul.now()
        let nowMillis = EpochMillis.of(now) ?? 0
        try health.write { w in
            for (observation, result) in results {
                var device = DeviceReport(device: observation.device, answered: true, problem: nil, interfaces: 0, samples: result.samples.count,
                                          discarded: result.discarded.count, milliseconds: observation.duration?.inMilliseconds)
                if case .unreachable(let why) = observation.outcome {
                    device.answered = false
                    device.problem = why
                }
                if let missing = result.unknownInterfaces.first {
                    let more = result.unknownInterfaces.count > 1 ? " (+\(result.unknownInterfaces.count - 1))" : ""
                    device.problem = Text(id: "antarmuka \"\(missing.interface)\" sambungan \(missing.circuit) tidak ada di perangkat\(more); periksa interface di inventaris",
                                          en: "interface \"\(missing.interface)\" of link \(missing.circuit) is not on the device\(more); check the inventory's interface")
                }
                if let match = result.match {
                    let ids = try HealthStore.recordWalk(w, device: observation.device, match: match, at: EpochMillis.of(observation.at) ?? nowMillis)
                    device.interfaces = ids.count
                    try HealthStore.saveReadings(w, result.readings.compactMap { index, reading in ids[index].map { (interfaceID: $0, reading: reading) } })
                }
                try HealthStore.record(w, samples: result.samples)
                for outcome in result.links {
                    let previous = try HealthStore.linkState(w.reader, circuit: outcome.circuit)
                    let changed = outcome.transition.map { EpochMillis.of($0.at) ?? nowMillis } ?? previous?.changedAt ?? nowMillis
                    try HealthStore.saveLinkState(w, HealthStore.LinkStateRow(circuit: outcome.circuit, state: outcome.health.state,
                                                                              machine: try encoder.encode(outcome.health), changedAt: changed, polledAt: nowMillis))
                    if let transition = outcome.transition { try HealthStore.recordChange(w, circuit: outcome.circuit, transition) }
                }
                let before = plan.devicePolls[observation.device]
                let at = EpochMillis.of(observation.at) ?? nowMillis
                try HealthStore.saveDevicePoll(w, HealthStore.DevicePollRow(
                    device: observation.device, polledAt: at, answered: device.answered, problem: device.problem, interfaces: device.interfaces,
                    durationMillis: device.milliseconds.map { Int64($0.rounded()) }, maxRepetitions: observation.maxRepetitions ?? before?.maxRepetitions,
                    lastAnswerAt: device.answered ? at : before?.lastAnswerAt, failures: device.answered ? 0 : (before?.failures ?? 0) + 1))
                report.devices.append(device)
            }
            for (server, check) in checks {
                let before = plan.serverChecks[server.device]
                let since = before.map { $0.status == check.status ? $0.since : nowMillis } ?? nowMillis
                try HealthStore.saveServerCheck(w, HealthStore.ServerCheckRow(
                    device: server.device, target: check.target, checkedAt: nowMillis, status: check.status, outcome: check.outcome,
                    roundTripMicros: check.roundTrip.map { $0.components.seconds * 1_000_000 + $0.components.attoseconds / 1_000_000_000_000 },
                    since: since, failures: check.status == .down ? (before?.failures ?? 0) + 1 : 0))
                report.servers.append(ServerReport(device: server.device, target: check.target, status: check.status, outcome: check.outcome,
                                                   milliseconds: check.roundTrip?.inMilliseconds))
            }
            try HealthStore.forgetDevices(w, keeping: plan.allDevices)
            try HealthStore.forgetServers(w, keeping: plan.allServers)
            // Retention, bounded: a few steps a cycle, the rest the next minute.
            for _ in 0..<Self.pruneSteps {
                let step = try HealthStore.prune(w, samplesBefore: nowMillis - Int64(Self.rawRetention * 1000),
                                                 hoursBefore: nowMillis - Int64(Self.hourRetention * 1000), limit: Self.pruneLimit)
                report.pruned.samples += step.samples
                report.pruned.hours += step.hours
                report.pruned.more = step.more
                if !step.more { break }
            }
            _ = try HealthStore.pruneHistory(w, cyclesBefore: nowMillis - Int64(Self.rawRetention * 1000),
                                             changesBefore: nowMillis - Int64(Self.changeRetention * 1000), limit: Self.pruneLimit)
        }

        // What the machines ask of the main database, each in its own transaction (a refusal of one
        // never loses another's).
        for (_, result) in results {
            for outcome in result.links {
                guard let transition = outcome.transition else { continue }
                var change = LinkChange(circuit: outcome.circuit, transition: transition)
                do {
                    switch outcome.action {
                    case .down(.openFault(_, let start)):
                        change.fault = try openFault(outcome.circuit, start: start)
                    case .down(.startFlapping(_, let flapping)), .up(.startFlapping(_, let flapping)):
                        if flapping.raisesFault { change.fault = try openFault(outcome.circuit, start: flapping.outageStart, flapping: true) }
                    case .up(.restore(_, let restoration)):
                        change.fault = try restore(outcome.circuit, restoration)
                    case .up(.endFlapping(_, let end)):
                        if let restoration = end.restoration { change.fault = try restore(outcome.circuit, restoration) }
                    default:
                        break
                    }
                } catch let error as ServiceError {
                    change.problem = error.text
                } catch {
                    change.problem = Text(id: "\(error)", en: "\(error)")
                }
                report.changes.append(change)
            }
        }
        report.milliseconds = (ContinuousClock.now - began).inMilliseconds
        let summary = HealthStore.CycleRow(
            startedAt: EpochMillis.of(report.startedAt) ?? nowMillis, durationMillis: Int64(report.milliseconds.rounded()), devices: report.devices.count,
            failed: report.devices.filter { !$0.answered }.count, interfaces: report.devices.reduce(0) { $0 + $1.interfaces },
            samples: report.devices.reduce(0) { $0 + $1.samples }, changes: report.changes.count, servers: report.servers.count,
            serversDown: report.servers.filter { $0.status == .down }.count)
        try health.write { w in try HealthStore.saveCycle(w, summary) }
        return report
    }


    /// A fault on the link from monitoring (or the open one it joins), dated at the outage's start.
    func openFault(_ circuit: String, start: Date, flapping: Bool = false) throws -> Int64 {
        let description = flapping
            ? "Sambungan \(circuit) putus-sambung berulang kali (terdeteksi otomatis oleh pemantauan)."
            : "Sambungan \(circuit) tidak tersambung (terdeteksi otomatis oleh pemantauan SNMP)."
        let opened = try simpul.faults.open(FaultService.Report(
            agency: nil, link: circuit, channel: .monitoring, reporterName: "Simpul (pemantauan)", reporterContact: nil,
            symptom: flapping ? .intermittent : .noConnection, description: description, startedAt: start), by: .system)
        return opened.ticketID
    }

    /// The restoration on the link's open fault when it is with the provider (its restore clock stops
    /// at the measured time); a fault still with the office's technicians is theirs to close.
    func restore(_ circuit: String, _ restoration: Restoration) throws -> Int64? {
        guard let open = try simpul.faults.list(FaultStore.Filter(openOnly: true, circuit: circuit, limit: 1), by: .system).rows.first,
              open.restoredAt == nil, open.escalatedAt != nil else { return nil }
        try simpul.faults.restore(ticket: open.ticketID, at: restoration.restoredAt,
                                  note: "Pulih menurut pemantauan SNMP (gangguan \(Int(restoration.seconds / 60)) menit)", by: .system)
        return open.ticketID
    }
}

extension Simpul {
    /// Link health's polling cycle.
    public var polling: PollService { PollService(simpul: self) }
}

extension PollService {
    /// A link as the poller last saw it.
    public struct LinkStatus: Sendable, Codable {
        public var circuit: String
        public var agency: String
        public var provider: String
        public var state: LinkState
        /// When it entered that state; nil before the first poll.
        public var since: Date?
        public var polledAt: Date?
        /// The last measured interval's rates, bits per second, and against the committed rate (0–1+).
        public var inBitsPerSecond: UInt64?
        public var outBitsPerSecond: UInt64?
        public var committedInBitsPerSecond: UInt64
        public var committedOutBitsPerSecond: UInt64
        public var utilisation: Double?
    }

    /// Every visible link with its state and latest rates (`simpul link status`, the links page).
    public func linkStatuses(by principal: Principal) throws -> [LinkStatus] {
        let links = try simpul.estate.links(for: principal)
        let health = try healthDatabase()
        return try health.read { r in
            let states = Dictionary(try HealthStore.linkStates(r).map { ($0.circuit, $0) }, uniquingKeysWith: { a, _ in a })
            var interfacesOf: [String: [KnownInterface]] = [:]
            return try links.map { view in
                let link = view.link
                let committed = try? CommittedRate(link: link)
                var status = LinkStatus(circuit: link.circuit, agency: link.agency, provider: link.provider, state: states[link.circuit]?.state ?? .unknown,
                                        since: states[link.circuit].map { EpochMillis.date($0.changedAt) },
                                        polledAt: states[link.circuit].map { EpochMillis.date($0.polledAt) },
                                        committedInBitsPerSecond: committed?.inBitsPerSecond ?? 0, committedOutBitsPerSecond: committed?.outBitsPerSecond ?? 0)
                if let device = link.device, let name = link.interface {
                    if interfacesOf[device] == nil { interfacesOf[device] = try HealthStore.interfaces(r, device: device) }
                    if let id = Self.interface(named: name, in: interfacesOf[device] ?? []),
                       let last = try HealthStore.latestSample(r, interfaceID: id) {
                        status.inBitsPerSecond = last.inBitsPerSecond
                        status.outBitsPerSecond = last.outBitsPerSecond
                        if let committed, committed.inBitsPerSecond > 0, committed.outBitsPerSecond > 0 {
                            status.utilisation = max(Double(last.inBitsPerSecond) / Double(committed.inBitsPerSecond),
                                                     Double(last.outBitsPerSecond) / Double(committed.outBitsPerSecond))
                        }
                    }
                }
                return status
            }
        }
    }

    /// The raw samples of a link's interface since `since` (`simpul link samples`, the link's charts),
    /// at most `rawRetention` back: older ones are gone.
    public func samples(circuit: String, since: Date, by principal: Principal) throws -> [TrafficSample] {
        guard since >= simpul.now().addingTimeInterval(-Self.rawRetention - 60) else {
            throw ServiceError(.invalid, Text(id: "sampel mentah disimpan 14 hari; minta paling jauh 14 hari ke belakang",
                                              en: "raw samples are kept 14 days; ask for at most 14 days back"))
        }
        guard let link = try simpul.estate.links(for: principal).first(where: { $0.link.circuit.lowercased() == circuit.lowercased() })?.link else {
            throw ServiceError(.notFound, Text(id: "sirkuit \"\(Excerpt.of(circuit, length: 40))\" tidak ada; lihat simpul link list",
                                               en: "circuit \"\(Excerpt.of(circuit, length: 40))\" does not exist; see simpul link list"))
        }
        guard let device = link.device, let name = link.interface else {
            throw ServiceError(.invalid, Text(id: "sirkuit \(link.circuit) tidak menyebut perangkat dan antarmukanya di inventaris, jadi tidak dipantau",
                                              en: "circuit \(link.circuit) names no device and interface in the inventory, so it is not polled"))
        }
        let health = try healthDatabase()
        return try health.read { r in
            guard let id = Self.interface(named: name, in: try HealthStore.interfaces(r, device: device)) else { return [] }
            return try HealthStore.samples(r, interfaceID: id, from: EpochMillis.of(since) ?? 0, to: EpochMillis.latest)
        }
    }

    /// The id of the interface the inventory names (`DevicePoll.named`: ifName, then alias, then description).
    public static func interface(named name: String, in known: [KnownInterface]) -> Int64? {
        known.compactMap { k in DevicePoll.named(name, name: k.name, alias: k.alias, descr: k.descr).map { (rank: $0, id: k.id) } }
            .min { $0.rank < $1.rank }?.id
    }
}
