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
    /// Rows deleted per retention step, and steps per cycle: retention never holds the file long.
    static let pruneLimit = 20_000
    static let pruneSteps = 5

    public struct DeviceReport: Sendable {
        public var device: String
        /// Nil when it answered; the reason otherwise.
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

    public struct CycleReport: Sendable {
        public var startedAt: Date
        public var devices: [DeviceReport] = []
        public var changes: [LinkChange] = []
        public var pruned = HealthStore.Pruned()
        public var milliseconds: Double = 0
    }

    func healthDatabase() throws -> HealthDatabase {
        guard let file = simpul.health else {
            throw ServiceError(.invalid, Text(id: "berkas kesehatan sambungan tidak dikonfigurasi", en: "the link-health file is not configured"))
        }
        return try file.database()
    }

    /// What the cycle polls: devices with SNMP and a management address, and the links each carries.
    func plan(by principal: Principal) throws -> (targets: [WalkTarget], links: [String: [(link: Link, health: LinkHealth)]]) {
        let devices = try simpul.estate.devices(for: principal)
        let links = try simpul.estate.links(for: principal).map(\.link)
        let health = try healthDatabase()
        let states = try health.read { r in try HealthStore.linkStates(r) }
        var machines: [String: LinkHealth] = [:]
        let decoder = JSONDecoder()
        for state in states { machines[state.circuit] = try? decoder.decode(LinkHealth.self, from: state.machine) }
        var byDevice: [String: [(link: Link, health: LinkHealth)]] = [:]
        for link in links {
            guard let device = link.device, link.interface != nil else { continue }
            byDevice[device, default: []].append((link, machines[link.circuit] ?? LinkHealth()))
        }
        let targets = devices.compactMap { device -> WalkTarget? in
            guard let access = device.snmp, let address = device.managementAddress else { return nil }
            return WalkTarget(device: device.name, address: address, access: access)
        }
        return (targets, byDevice)
    }

    /// One cycle.
    public func cycle(walker: any DeviceWalker, by principal: Principal = .system) async throws -> CycleReport {
        let began = ContinuousClock.now
        var report = CycleReport(startedAt: simpul.now())
        let (targets, links) = try plan(by: principal)
        let health = try healthDatabase()
        let observations = await walker.walk(targets)

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
                var device = DeviceReport(device: observation.device, problem: nil, interfaces: 0, samples: result.samples.count,
                                          discarded: result.discarded.count,
                                          milliseconds: observation.duration.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 })
                if case .unreachable(let why) = observation.outcome { device.problem = why }
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
                }
                report.devices.append(device)
            }
            // Retention, bounded: a few steps a cycle, the rest the next minute.
            for _ in 0..<Self.pruneSteps {
                let step = try HealthStore.prune(w, samplesBefore: nowMillis - Int64(Self.rawRetention * 1000),
                                                 hoursBefore: nowMillis - Int64(Self.hourRetention * 1000), limit: Self.pruneLimit)
                report.pruned.samples += step.samples
                report.pruned.hours += step.hours
                report.pruned.more = step.more
                if !step.more { break }
            }
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
        let elapsed = ContinuousClock.now - began
        report.milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
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
    static func interface(named name: String, in known: [KnownInterface]) -> Int64? {
        known.compactMap { k in DevicePoll.named(name, name: k.name, alias: k.alias, descr: k.descr).map { (rank: $0, id: k.id) } }
            .min { $0.rank < $1.rank }?.id
    }
}
