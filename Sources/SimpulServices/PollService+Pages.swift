import Foundation
import SimpulCore
import SimpulStore

/// What the link-health pages read (issue 14): every visible link with its names and state, in the
/// order the office works them; a link's traffic and errors over a period, split where nothing was
/// measured, with the period's 95th percentile; and what the health file knows of the poller's last
/// cycle. Reads only: the cycle (`PollService.cycle`) is the one writer.
extension PollService {
    /// Whether this process has a link-health file at all; the pages say so instead of failing.
    public var isConfigured: Bool { simpul.health != nil }

    // MARK: The links

    /// A link with its agency's and provider's names, as the poller last saw it.
    public struct LinkHealthRow: Sendable {
        public var link: EstateService.LinkView
        public var status: LinkStatus
    }

    /// How the links are listed.
    public enum LinkOrder: String, Sendable, CaseIterable {
        /// Down first, then flapping, degraded, unknown, up; the longest in its state first.
        case attention = "state"
        case circuit
        case agency
        /// The busiest against its committed rate first; links without a measurement last.
        case load
        /// The most recent change first.
        case since

        public var title: Text {
            switch self {
            case .attention: Text(id: "Keadaan (putus dulu)", en: "State (down first)")
            case .circuit: Text(id: "Sirkuit", en: "Circuit")
            case .agency: Text(id: "Instansi", en: "Agency")
            case .load: Text(id: "Beban tertinggi", en: "Highest load")
            case .since: Text(id: "Perubahan terbaru", en: "Latest change")
            }
        }

        /// From a query's value; "" is the default order.
        public static func parse(_ text: String) throws -> LinkOrder {
            guard !text.isEmpty else { return .attention }
            guard let order = LinkOrder(rawValue: text.lowercased()) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw ServiceError(.invalid, Text(id: "urutan \"\(Excerpt.of(text, length: 20))\" tidak dikenal; pakai \(known)",
                                                  en: "order \"\(Excerpt.of(text, length: 20))\" is not known; use \(known)"))
            }
            return order
        }
    }

    /// Where a state comes in the office's order: what needs someone first.
    public static func attentionRank(_ state: LinkState) -> Int {
        switch state {
        case .down: 0
        case .flapping: 1
        case .degraded: 2
        case .unknown: 3
        case .up: 4
        }
    }

    /// A state from a query's value (its code or its title in either language); "" is every state.
    public static func state(parsing text: String) throws -> LinkState? {
        guard !text.isEmpty else { return nil }
        let wanted = text.lowercased()
        if let state = LinkState(rawValue: wanted) ?? LinkState.allCases.first(where: { $0.title.id.lowercased() == wanted || $0.title.en.lowercased() == wanted }) {
            return state
        }
        throw ServiceError(.invalid, Text(id: "keadaan \"\(Excerpt.of(text, length: 20))\" tidak dikenal; pilih \(LinkState.allCases.map { $0.title.id }.joined(separator: ", "))",
                                          en: "state \"\(Excerpt.of(text, length: 20))\" is not known; choose \(LinkState.allCases.map { $0.title.en }.joined(separator: ", "))"))
    }

    /// The visible links with their state (an agency's user: its own), down and flapping first.
    public func linkHealth(by principal: Principal) throws -> [LinkHealthRow] {
        let views = try simpul.estate.links(for: principal)
        let statuses = Dictionary(try linkStatuses(by: principal).map { ($0.circuit, $0) }, uniquingKeysWith: { first, _ in first })
        return Self.ordered(views.compactMap { view in statuses[view.link.circuit].map { LinkHealthRow(link: view, status: $0) } }, by: .attention)
    }

    /// `rows` of one provider (its code, any case) and one state, in `order`. A provider none of the
    /// rows uses is refused by name rather than shown as an empty list.
    public static func select(_ rows: [LinkHealthRow], provider: String? = nil, state: LinkState? = nil,
                              order: LinkOrder = .attention) throws -> [LinkHealthRow] {
        if let provider, !rows.contains(where: { $0.link.link.provider.caseInsensitiveCompare(provider) == .orderedSame }) {
            throw ServiceError(.invalid, Text(id: "penyedia \"\(Excerpt.of(provider, length: 30))\" tidak punya sambungan yang dapat Anda lihat; pilih dari daftar",
                                              en: "provider \"\(Excerpt.of(provider, length: 30))\" has no link you can see; choose one from the list"))
        }
        return ordered(rows.filter { row in
            (provider.map { row.link.link.provider.caseInsensitiveCompare($0) == .orderedSame } ?? true) && (state.map { row.status.state == $0 } ?? true)
        }, by: order)
    }

    /// `rows` in `order`, the circuit breaking ties so the list never reshuffles between loads.
    static func ordered(_ rows: [LinkHealthRow], by order: LinkOrder) -> [LinkHealthRow] {
        let distantPast = Date(timeIntervalSince1970: 0)
        return rows.sorted { a, b in
            let (x, y) = (a.status, b.status)
            switch order {
            case .attention:
                let (rx, ry) = (attentionRank(x.state), attentionRank(y.state))
                if rx != ry { return rx < ry }
                let (sx, sy) = (x.since ?? .distantFuture, y.since ?? .distantFuture)
                if sx != sy { return sx < sy }
            case .circuit:
                break
            case .agency:
                if a.link.agencyName != b.link.agencyName { return a.link.agencyName.localizedStandardCompare(b.link.agencyName) == .orderedAscending }
            case .load:
                let (ux, uy) = (x.utilisation ?? -1, y.utilisation ?? -1)
                if ux != uy { return ux > uy }
            case .since:
                let (sx, sy) = (x.since ?? distantPast, y.since ?? distantPast)
                if sx != sy { return sx > sy }
            }
            return x.circuit < y.circuit
        }
    }

    // MARK: A link's history

    /// The periods a link's charts cover, each ending now.
    public enum ChartPeriod: String, Sendable, CaseIterable {
        case hour = "1h", day = "1d", week = "1w", month = "1m"

        public var millis: Int64 {
            switch self {
            case .hour: 3_600_000
            case .day: 86_400_000
            case .week: 7 * 86_400_000
            case .month: 30 * 86_400_000
            }
        }

        public var title: Text {
            switch self {
            case .hour: Text(id: "1 jam", en: "1 hour")
            case .day: Text(id: "1 hari", en: "1 day")
            case .week: Text(id: "1 minggu", en: "1 week")
            case .month: Text(id: "1 bulan (30 hari)", en: "1 month (30 days)")
            }
        }

        /// What the traffic chart draws: each raw sample (hour); five-minute averages and maxima of the
        /// raw samples (day); the hourly roll-ups' twelve five-minute averages (week); their hourly
        /// averages and maxima (month).
        public var source: Text {
            switch self {
            case .hour: Text(id: "setiap sampel (satu per siklus)", en: "every sample (one per cycle)")
            case .day: Text(id: "rata-rata dan puncak lima menit dari sampel mentah", en: "five-minute averages and peaks of the raw samples")
            case .week: Text(id: "rata-rata lima menit dari ringkasan per jam", en: "five-minute averages from the hourly roll-ups")
            case .month: Text(id: "rata-rata dan puncak per jam", en: "hourly averages and peaks")
            }
        }

        /// From a query's value; "" is a day.
        public static func parse(_ text: String) throws -> ChartPeriod {
            guard !text.isEmpty else { return .day }
            guard let period = ChartPeriod(rawValue: text.lowercased()) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw ServiceError(.invalid, Text(id: "periode \"\(Excerpt.of(text, length: 20))\" tidak dikenal; pakai \(known)",
                                                  en: "period \"\(Excerpt.of(text, length: 20))\" is not known; use \(known)"))
            }
            return period
        }
    }

    /// Traffic over `[start, end)` (milliseconds since 1970): the average rates, and the highest rate
    /// of any sample in it where the series has one.
    public struct TrafficPoint: Sendable, Hashable {
        public var start: Int64
        public var end: Int64
        public var inBitsPerSecond: UInt64
        public var outBitsPerSecond: UInt64
        public var inMaxBitsPerSecond: UInt64?
        public var outMaxBitsPerSecond: UInt64?

        public init(start: Int64, end: Int64, inBitsPerSecond: UInt64, outBitsPerSecond: UInt64,
                    inMaxBitsPerSecond: UInt64? = nil, outMaxBitsPerSecond: UInt64? = nil) {
            self.start = start
            self.end = end
            self.inBitsPerSecond = inBitsPerSecond
            self.outBitsPerSecond = outBitsPerSecond
            self.inMaxBitsPerSecond = inMaxBitsPerSecond
            self.outMaxBitsPerSecond = outMaxBitsPerSecond
        }
    }

    /// Interface errors over `[start, end)`, per minute; nil where the agent has no such counter.
    public struct ErrorPoint: Sendable, Hashable {
        public var start: Int64
        public var end: Int64
        public var inPerMinute: Double?
        public var outPerMinute: Double?
    }

    /// A link's charts for one period: runs of points with no gap inside (a gap between runs is time
    /// nothing was measured, drawn as a break, never as zero), and the period's 95th percentile.
    public struct LinkHistory: Sendable {
        public var link: EstateService.LinkView
        public var status: LinkStatus
        public var period: ChartPeriod
        /// The period, milliseconds since 1970: `to` is now.
        public var from: Int64
        public var to: Int64
        public var traffic: [[TrafficPoint]]
        public var errors: [[ErrorPoint]]
        /// Over the period's five-minute windows with data; nil when none had any.
        public var percentile: BurstableBilling.Figure?
        /// Why the link is not measured at all (no device or interface in the inventory); nil when it is.
        public var notPolled: Text?
    }

    /// The gap allowed between consecutive raw samples before the line breaks: their spans tile the
    /// timeline up to a poll's latency; a discarded interval leaves a whole interval out.
    static let sampleJoinMillis: Int64 = 5_000

    /// One link's history for `period`, ending now. An agency's user may ask only for its own links.
    public func history(circuit: String, period: ChartPeriod, by principal: Principal) throws -> LinkHistory {
        guard let view = try simpul.estate.links(for: principal).first(where: { $0.link.circuit.caseInsensitiveCompare(circuit) == .orderedSame }) else {
            throw ServiceError(.notFound, Text(id: "sirkuit \"\(Excerpt.of(circuit, length: 40))\" tidak ada",
                                               en: "circuit \"\(Excerpt.of(circuit, length: 40))\" does not exist"))
        }
        guard let status = try linkStatuses(by: principal).first(where: { $0.circuit == view.link.circuit }) else {
            throw ServiceError(.notFound, Text(id: "sirkuit \"\(view.link.circuit)\" tidak ada", en: "circuit \"\(view.link.circuit)\" does not exist"))
        }
        let to = EpochMillis.of(simpul.now()) ?? 0
        let from = max(0, to - period.millis)
        var history = LinkHistory(link: view, status: status, period: period, from: from, to: to, traffic: [], errors: [], percentile: nil)
        guard let device = view.link.device, let name = view.link.interface else {
            history.notPolled = Text(id: "sirkuit ini tidak menyebut perangkat dan antarmukanya di inventaris, jadi tidak dipantau",
                                     en: "this circuit names no device and interface in the inventory, so it is not polled")
            return history
        }
        let health = try healthDatabase()
        try health.read { r in
            guard let id = Self.interface(named: name, in: try HealthStore.interfaces(r, device: device)) else { return }
            switch period {
            case .hour, .day:
                let first = from - from % TrafficBucket.fiveMinutes
                let samples = try HealthStore.samples(r, interfaceID: id, from: first, to: to)
                let buckets = Self.fiveMinuteBuckets(samples, from: first, to: to)
                history.percentile = BurstableBilling.figure(buckets.compactMap(\.average), from: first, to: to)
                if period == .hour {
                    let shown = samples.filter { $0.end > from }
                    history.traffic = Self.runs(shown.map(Self.point), join: Self.sampleJoinMillis)
                    history.errors = Self.runs(shown.compactMap(Self.errors), join: Self.sampleJoinMillis)
                } else {
                    history.traffic = Self.runs(buckets.compactMap(Self.point), join: 0)
                    history.errors = Self.runs(buckets.compactMap(Self.errors), join: 0)
                }
            case .week, .month:
                let first = from - from % TrafficBucket.hour
                let hours = try HealthStore.hours(r, interfaceID: id, from: first, to: to)
                let averages = hours.flatMap(\.fiveMinuteAverages)
                history.percentile = BurstableBilling.figure(averages, from: from - from % TrafficBucket.fiveMinutes, to: to)
                if period == .week {
                    history.traffic = Self.runs(averages.filter { $0.start + TrafficBucket.fiveMinutes > from }.map {
                        TrafficPoint(start: $0.start, end: $0.start + TrafficBucket.fiveMinutes, inBitsPerSecond: $0.inBitsPerSecond, outBitsPerSecond: $0.outBitsPerSecond)
                    }, join: 0)
                } else {
                    history.traffic = Self.runs(hours.map(\.hour).compactMap(Self.point), join: 0)
                }
                history.errors = Self.runs(hours.map(\.hour).compactMap(Self.errors), join: 0)
            }
        }
        return history
    }

    /// The five-minute windows `samples` touch within `[from, to)`, oldest first; a window no sample
    /// covers is absent.
    static func fiveMinuteBuckets(_ samples: [TrafficSample], from: Int64, to: Int64) -> [TrafficBucket] {
        var buckets: [Int64: TrafficBucket] = [:]
        for sample in samples {
            var start = max(sample.start, from)
            start -= start % TrafficBucket.fiveMinutes
            while start < min(sample.end, to) {
                buckets[start, default: TrafficBucket(containing: start, width: TrafficBucket.fiveMinutes)].add(sample)
                start += TrafficBucket.fiveMinutes
            }
        }
        return buckets.keys.sorted().compactMap { buckets[$0] }
    }

    static func point(_ sample: TrafficSample) -> TrafficPoint {
        TrafficPoint(start: sample.start, end: sample.end, inBitsPerSecond: sample.inBitsPerSecond, outBitsPerSecond: sample.outBitsPerSecond)
    }

    static func point(_ bucket: TrafficBucket) -> TrafficPoint? {
        guard let average = bucket.average else { return nil }
        return TrafficPoint(start: bucket.start, end: bucket.end, inBitsPerSecond: average.inBitsPerSecond, outBitsPerSecond: average.outBitsPerSecond,
                            inMaxBitsPerSecond: bucket.inMaxBitsPerSecond, outMaxBitsPerSecond: bucket.outMaxBitsPerSecond)
    }

    static func errors(_ sample: TrafficSample) -> ErrorPoint? {
        guard sample.inErrors != nil || sample.outErrors != nil else { return nil }
        return ErrorPoint(start: sample.start, end: sample.end, inPerMinute: sample.inErrorsPerSecond.map { $0 * 60 },
                          outPerMinute: sample.outErrorsPerSecond.map { $0 * 60 })
    }

    /// A window's errors per minute over the time its samples covered.
    static func errors(_ bucket: TrafficBucket) -> ErrorPoint? {
        guard bucket.coveredMillis > 0, bucket.inErrors != nil || bucket.outErrors != nil else { return nil }
        let minutes = Double(bucket.coveredMillis) / 60_000
        return ErrorPoint(start: bucket.start, end: bucket.end, inPerMinute: bucket.inErrors.map { Double($0) / minutes },
                          outPerMinute: bucket.outErrors.map { Double($0) / minutes })
    }

    /// `points` (oldest first) cut where one begins more than `join` milliseconds after the previous ended.
    static func runs<Point>(_ points: [Point], join: Int64) -> [[Point]] where Point: TimedPoint {
        var runs: [[Point]] = []
        for point in points {
            if let last = runs.last?.last, point.start - last.end <= join {
                runs[runs.count - 1].append(point)
            } else {
                runs.append([point])
            }
        }
        return runs
    }

    // MARK: The poller

    /// A device the cycle walks, as the health file shows it.
    public struct DeviceHealth: Sendable {
        public var device: Device
        public var agencyName: String?
        /// Its last walk, when it has had one.
        public var lastPoll: HealthStore.DevicePollRow?
        /// When it last answered a walk; nil if it never has.
        public var lastAnswer: Date?
        /// It answered its last walk.
        public var answeredLastCycle: Bool
        /// Interfaces the device shows now, of those it ever showed.
        public var interfacesPresent: Int
        public var interfacesKnown: Int
        /// The links it carries, with their state.
        public var links: [(circuit: String, state: LinkState)]
    }

    /// A hosted server the cycle checks, with its last check.
    public struct ServerHealth: Sendable {
        public var device: String
        public var agencyCode: String?
        public var agencyName: String?
        public var ticketID: Int64?
        /// How it is enrolled: `icmp 10.20.0.5`, `tcp/443 10.20.0.5`.
        public var enrolled: String
        public var check: HealthStore.ServerCheckRow?
    }

    /// What the health file knows of the poller: its recent cycles (newest first), each device's last
    /// walk (not answering first), each hosted server's last check (down first).
    public struct PollerOverview: Sendable {
        public var cycles: [HealthStore.CycleRow]
        public var devices: [DeviceHealth]
        public var servers: [ServerHealth]
        /// How many links the cycle evaluated at the last cycle, and in all.
        public var linksPolledLastCycle: Int
        public var linksPolled: Int

        public var lastCycle: HealthStore.CycleRow? { cycles.first }
    }

    /// A device's walk ends before the cycle stamps its links (each walk has its own timeout, well
    /// inside the minute between cycles): a reading at most this much older than the last cycle is
    /// from that cycle.
    public static let answerWindow: TimeInterval = 60

    /// The devices with SNMP and a management address (the ones the cycle walks), not answering first,
    /// and the hosted servers it checks. Office staff only.
    public func poller(by principal: Principal) throws -> PollerOverview {
        try principal.require(.viewEstate)
        let devices = try simpul.estate.devices(for: principal).filter { $0.snmp != nil && $0.managementAddress != nil }
        let agencies = Dictionary(try simpul.estate.agencies(for: principal).map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let links = try simpul.estate.links(for: principal).map(\.link)
        let monitored = try simpul.hosting.monitored(by: principal)
        let health = try healthDatabase()
        return try health.read { r in
            let states = try HealthStore.linkStates(r)
            let byCircuit = Dictionary(states.map { ($0.circuit, $0) }, uniquingKeysWith: { first, _ in first })
            let newestPoll = states.map(\.polledAt).max()
            let polls = try HealthStore.devicePolls(r)
            let checks = try HealthStore.serverChecks(r)
            var counts: [String: (present: Int, known: Int)] = [:]
            for (device, interface) in try HealthStore.allInterfaces(r) {
                var entry = counts[device] ?? (0, 0)
                entry.known += 1
                if interface.present { entry.present += 1 }
                counts[device] = entry
            }
            let rows = devices.map { device -> DeviceHealth in
                let poll = polls[device.name]
                let carried = links.filter { $0.device == device.name }.map { link in
                    (circuit: link.circuit, state: byCircuit[link.circuit]?.state ?? .unknown)
                }
                return DeviceHealth(device: device, agencyName: device.agency.flatMap { agencies[$0] }, lastPoll: poll,
                                    lastAnswer: poll?.lastAnswerAt.map(EpochMillis.date), answeredLastCycle: poll?.answered ?? false,
                                    interfacesPresent: counts[device.name]?.present ?? 0, interfacesKnown: counts[device.name]?.known ?? 0, links: carried)
            }.sorted { a, b in
                if a.answeredLastCycle != b.answeredLastCycle { return !a.answeredLastCycle }
                return a.device.name < b.device.name
            }
            let servers = monitored.map { Self.serverHealth($0, check: checks[$0.device], agencies: agencies) }.sorted { a, b in
                let rank = { (s: ServerHealth) -> Int in
                    switch s.check?.status { case .down?: 0; case .unchecked?: 1; case nil: 2; case .up?: 3 }
                }
                if rank(a) != rank(b) { return rank(a) < rank(b) }
                return a.device < b.device
            }
            let visible = Set(links.map(\.circuit))
            let polled = states.filter { visible.contains($0.circuit) }
            return PollerOverview(cycles: try HealthStore.cycles(r, limit: 10), devices: rows, servers: servers,
                                  linksPolledLastCycle: polled.filter { $0.polledAt == newestPoll }.count, linksPolled: polled.count)
        }
    }

    /// The hosted servers the cycle checks, with their last check, by device name: for the hosting
    /// request's page and the agency's page. An agency's user sees its own.
    public func servers(by principal: Principal) throws -> [String: ServerHealth] {
        guard isConfigured else { return [:] }
        let monitored = try simpul.hosting.monitored(by: principal)
        guard !monitored.isEmpty else { return [:] }
        let checks = try healthDatabase().read { r in try HealthStore.serverChecks(r) }
        return Dictionary(monitored.map { ($0.device, Self.serverHealth($0, check: checks[$0.device], agencies: [:])) }, uniquingKeysWith: { first, _ in first })
    }

    static func serverHealth(_ m: HostingStore.Monitored, check: HealthStore.ServerCheckRow?, agencies: [String: String]) -> ServerHealth {
        ServerHealth(device: m.device, agencyCode: m.agencyCode, agencyName: m.agencyCode.flatMap { agencies[$0] }, ticketID: m.ticketID,
                     enrolled: m.enrolled, check: check)
    }

    /// A link's changes of state, newest first.
    public func changes(circuit: String, limit: Int = 20, by principal: Principal) throws -> [HealthStore.LinkChangeRow] {
        guard let link = try simpul.estate.links(for: principal).first(where: { $0.link.circuit == circuit })?.link else { return [] }
        return try healthDatabase().read { r in try HealthStore.changes(r, circuit: link.circuit, limit: limit) }
    }
}

/// A point of a chart's series: a span of time.
protocol TimedPoint {
    var start: Int64 { get }
    var end: Int64 { get }
}

extension PollService.TrafficPoint: TimedPoint {}
extension PollService.ErrorPoint: TimedPoint {}
