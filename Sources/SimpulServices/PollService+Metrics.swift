import Foundation
import SimpulCore
import SimpulStore

/// What `/metrics` exposes (issue 14), as values read in one go from the health file: every link with
/// its state, its last measured rates and what they are against its committed rate and its port's speed;
/// every device the cycle walks with its last walk; every interface of a device that answered the last
/// cycle with its raw IF-MIB counters (as snmp_exporter's if_mib module would read them); and the
/// poller's last cycle. The web target turns these into Prometheus' text format. Reads only.
extension PollService {
    /// A link for `/metrics`.
    public struct LinkFigures: Sendable {
        public var link: EstateService.LinkView
        public var state: LinkState
        public var changedAt: Date?
        public var polledAt: Date?
        public var committed: CommittedRate?
        /// The port's speed from the interface's last reading, bits per second; nil when unknown.
        public var portBitsPerSecond: UInt64?
        /// The last measured interval, when it belongs to the last cycle (a device that stopped answering
        /// has no current rates: its old ones are not shown as if they were).
        public var latest: TrafficSample?
        /// The interface the inventory names, as the device last showed it.
        public var interface: KnownInterface?
    }

    /// A device the cycle walks, for `/metrics`.
    public struct DeviceFigures: Sendable {
        public var device: Device
        /// It answered the last cycle.
        public var reachable: Bool
        public var lastAnswer: Date?
        /// Its last walk, when the cycle recorded one.
        public var walkSeconds: Double?
        /// Walks in a row without a usable answer (0 when it answered).
        public var failures: Int?
        /// Why it did not answer, in English (Prometheus has one language), when it did not.
        public var problem: String?
        /// sysUpTime of its last answer, hundredths of a second.
        public var sysUpTime: UInt32?
    }

    /// An interface of a device that answered the last cycle, with its last reading.
    public struct InterfaceFigures: Sendable {
        public var device: String
        public var interface: KnownInterface
        public var reading: CounterReading
    }

    /// The poller's last cycle.
    public struct CycleFigures: Sendable {
        public var at: Date
        /// Nil when the cycle did not record its own report (only the links' poll time is known).
        public var seconds: Double?
        public var devices: Int
        public var failed: Int
    }

    public struct MetricsSnapshot: Sendable {
        /// When the snapshot was read: the age of the last cycle is measured against it.
        public var at: Date
        /// The process has a link-health file; without one there is nothing to read but this.
        public var configured: Bool
        public var lastCycle: CycleFigures?
        public var links: [LinkFigures]
        public var devices: [DeviceFigures]
        public var interfaces: [InterfaceFigures]
    }

    /// Everything `/metrics` shows, for office staff (a Prometheus server scrapes with a staff member's
    /// API token). Without a health file, or before the first cycle, the snapshot says so and is
    /// otherwise empty: nothing is made up.
    public func metrics(by principal: Principal) throws -> MetricsSnapshot {
        try principal.require(.viewEstate)
        let now = simpul.now()
        guard isConfigured else {
            return MetricsSnapshot(at: now, configured: false, lastCycle: nil, links: [], devices: [], interfaces: [])
        }
        let links = try simpul.estate.links(for: principal)
        let devices = try simpul.estate.devices(for: principal).filter { $0.snmp != nil && $0.managementAddress != nil }
        let health = try healthDatabase()
        return try health.read { r in
            let states = Dictionary(try HealthStore.linkStates(r).map { ($0.circuit, $0) }, uniquingKeysWith: { first, _ in first })
            let all = try HealthStore.allInterfaces(r)
            let readings = try HealthStore.readings(r, interfaceIDs: all.map(\.interface.id))
            let walks = try HealthStore.devicePolls(r)
            let cycle = try HealthStore.cycles(r, limit: 1).first

            // The last cycle: its own report where it recorded one; else the newest time a link was
            // evaluated or an interface read (as the poller page tells it).
            var newestReading: [String: Int64] = [:]
            var uptimeOf: [String: UInt32] = [:]
            for (device, interface) in all {
                guard let reading = readings[interface.id], let at = EpochMillis.of(reading.at) else { continue }
                if at >= newestReading[device] ?? Int64.min {
                    newestReading[device] = at
                    if let uptime = reading.sysUpTime { uptimeOf[device] = uptime }
                }
            }
            let derivedCycle = states.values.map(\.polledAt).max() ?? newestReading.values.max()
            let lastCycleMillis = cycle.map { max($0.startedAt, derivedCycle ?? $0.startedAt) } ?? derivedCycle
            func answeredLastCycle(_ device: String) -> Bool {
                if let walk = walks[device] { return walk.answered && (lastCycleMillis.map { walk.polledAt >= $0 - Int64(Self.answerWindow * 1000) } ?? true) }
                guard let last = newestReading[device], let lastCycleMillis else { return false }
                return Double(lastCycleMillis - last) / 1000 <= Self.answerWindow
            }

            let deviceRows = devices.map { device -> DeviceFigures in
                let walk = walks[device.name]
                let answered = answeredLastCycle(device.name)
                return DeviceFigures(device: device, reachable: answered,
                                     lastAnswer: (walk?.lastAnswerAt ?? newestReading[device.name]).map(EpochMillis.date),
                                     walkSeconds: walk?.durationMillis.map { Double($0) / 1000 }, failures: walk?.failures,
                                     problem: answered ? nil : walk?.problem?.en, sysUpTime: answered ? uptimeOf[device.name] : nil)
            }
            let reachable = Set(deviceRows.filter(\.reachable).map(\.device.name))

            var interfacesOf: [String: [KnownInterface]] = [:]
            for (device, interface) in all { interfacesOf[device, default: []].append(interface) }
            let freshFrom = (lastCycleMillis ?? 0) - Int64(Self.answerWindow * 1000)
            let linkRows = try links.map { view -> LinkFigures in
                let link = view.link
                let state = states[link.circuit]
                var row = LinkFigures(link: view, state: state?.state ?? .unknown, changedAt: state.map { EpochMillis.date($0.changedAt) },
                                      polledAt: state.map { EpochMillis.date($0.polledAt) }, committed: try? CommittedRate(link: link))
                if let device = link.device, let name = link.interface, let known = interfacesOf[device],
                   let id = Self.interface(named: name, in: known) {
                    row.interface = known.first { $0.id == id }
                    row.portBitsPerSecond = readings[id]?.speed.flatMap { $0 > 0 ? $0 : nil }
                    if reachable.contains(device), let sample = try HealthStore.latestSample(r, interfaceID: id), sample.end >= freshFrom {
                        row.latest = sample
                    }
                }
                return row
            }

            let interfaceRows = all.compactMap { device, interface -> InterfaceFigures? in
                guard interface.present, reachable.contains(device), let reading = readings[interface.id] else { return nil }
                return InterfaceFigures(device: device, interface: interface, reading: reading)
            }

            let lastCycle: CycleFigures? = lastCycleMillis.map { millis in
                if let cycle, cycle.startedAt >= millis - Int64(Self.answerWindow * 1000) {
                    return CycleFigures(at: EpochMillis.date(cycle.startedAt), seconds: Double(cycle.durationMillis) / 1000,
                                        devices: cycle.devices, failed: cycle.failed)
                }
                return CycleFigures(at: EpochMillis.date(millis), seconds: nil, devices: deviceRows.count,
                                    failed: deviceRows.filter { !$0.reachable }.count)
            }
            return MetricsSnapshot(at: now, configured: true, lastCycle: lastCycle, links: linkRows, devices: deviceRows, interfaces: interfaceRows)
        }
    }
}
