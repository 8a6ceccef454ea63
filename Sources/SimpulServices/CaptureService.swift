import Foundation
import SimpulCore
import SimpulStore

/// Packet capture for bandwidth surveys (issue 16): the agencies' address ranges from the inventory
/// as a longest-prefix table, and a finished run — from a file or a live interface, read by the
/// libpcap adapter the executable wires — recorded with its counts per agency per interval in the
/// time-series file, in one transaction.
public struct CaptureService: Sendable {
    let simpul: Simpul

    /// Who may capture and record runs: the section and the technicians, and the admin.
    static let capturers: Set<Role> = [.admin, .supervisor, .technician, .head]

    /// The attribution plan: the agencies (their codes in table order) and the prefix table.
    public struct Plan: Sendable {
        public var agencies: [String]
        public var table: PrefixTable
        public var prefixes: Int
    }

    /// The agencies' ranges from the inventory; refused when none has any (nothing could be attributed),
    /// or when `circuit` (the shared uplink the capture watches) is not one of the inventory's links.
    public func plan(circuit: String? = nil, by principal: Principal) throws -> Plan {
        guard Self.capturers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "penangkapan paket dilakukan oleh teknisi, kepala seksi/bidang atau admin",
                                                en: "packet captures are made by a technician, a section/division head or an admin"))
        }
        let inventory = try simpul.database.read { r in try InventoryStore.load(r) }
        if let circuit, !inventory.links.contains(where: { $0.circuit == circuit }) {
            throw ServiceError(.invalid, Text(id: "sirkuit \"\(Excerpt.of(circuit))\" tidak ada di inventaris; lihat simpul link list",
                                              en: "circuit \"\(Excerpt.of(circuit))\" is not in the inventory; see simpul link list"))
        }
        let agencies = inventory.agencies.filter { !$0.networks.isEmpty }.sorted { $0.code < $1.code }
        guard !agencies.isEmpty else {
            throw ServiceError(.invalid, Text(id: "belum ada instansi dengan networks di inventaris: tambahkan rentang alamat tiap OPD (docs/inventory.md), lalu simpul inventory import",
                                              en: "no agency has networks in the inventory: add each agency's address ranges (docs/inventory.md), then simpul inventory import"))
        }
        var entries: [(prefix: Prefix, agencyIndex: Int)] = []
        for (index, agency) in agencies.enumerated() {
            for prefix in agency.networks { entries.append((prefix, index)) }
        }
        do {
            return Plan(agencies: agencies.map(\.code), table: try PrefixTable(entries), prefixes: entries.count)
        } catch {
            throw ServiceError(.invalid, error.text)
        }
    }

    /// How a run went, besides its counts.
    public struct RunFacts: Sendable {
        public var source: String
        public var name: String
        public var filter: String?
        public var circuit: String?
        public var started: Date
        public var ended: Date
        public var received: UInt64?
        public var droppedKernel: UInt64?
        public var droppedInterface: UInt64?
        public var stopped: String?

        public init(source: String, name: String, filter: String? = nil, circuit: String? = nil, started: Date, ended: Date,
                    received: UInt64? = nil, droppedKernel: UInt64? = nil, droppedInterface: UInt64? = nil, stopped: String? = nil) {
            self.source = source
            self.name = name
            self.filter = filter
            self.circuit = circuit
            self.started = started
            self.ended = ended
            self.received = received
            self.droppedKernel = droppedKernel
            self.droppedInterface = droppedInterface
            self.stopped = stopped
        }
    }

    /// What `simpul capture` prints: per agency bytes and packets in and out, the unattributed
    /// traffic, the frames that were not IP, the decode errors, and how complete the run was.
    public struct Report: Sendable, Codable {
        public struct AgencyLine: Sendable, Codable {
            public var agency: String
            public var inBytes: UInt64
            public var inPackets: UInt64
            public var outBytes: UInt64
            public var outPackets: UInt64
            public var internalBytes: UInt64
            public var topHosts: [String]
            public var topServices: [String]
        }

        public struct Failure: Sendable, Codable {
            public var reason: String
            public var packets: UInt64
        }

        public var run: Int64?
        public var source: String
        public var name: String
        public var frames: UInt64
        public var bytes: UInt64
        public var first: String?
        public var last: String?
        public var intervalSeconds: Int64
        public var agencies: [AgencyLine]
        public var unattributed: TrafficCount
        public var nonIP: TrafficCount
        public var decodeErrors: [Failure]
        public var decodeErrorPackets: UInt64
        public var received: UInt64?
        public var droppedKernel: UInt64?
        public var droppedInterface: UInt64?
        public var stopped: String?
        /// How long reading or capturing took (the run's own time, without the process's start).
        public var seconds: Double
        /// Frames a second over `seconds`.
        public var framesPerSecond: Double?
    }

    /// Records a finished run (one transaction in the time-series file) and returns its report.
    /// `store: false` reports without writing (`simpul capture --dry-run`).
    public func record(_ summary: AttributionSummary, plan: Plan, facts: RunFacts, store: Bool = true, by principal: Principal) throws -> Report {
        guard Self.capturers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "penangkapan paket dicatat oleh teknisi, kepala seksi/bidang atau admin",
                                                en: "packet captures are recorded by a technician, a section/division head or an admin"))
        }
        let interval = Int(summary.intervalSeconds)
        func code(_ index: Int) -> String { plan.agencies.indices.contains(index) ? plan.agencies[index] : "?\(index)" }
        func ms(_ t: CaptureTimestamp?) -> Int64? {
            guard let t else { return nil }
            let (product, overflow) = t.seconds.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : product + Int64(t.nanoseconds / 1_000_000)
        }
        func service(_ s: AttributionSummary.Service) -> String {
            let name = switch s.protocolNumber { case 6: "tcp"; case 17: "udp"; case 1: "icmp"; case 58: "icmpv6"; case 132: "sctp"; default: "ip\(s.protocolNumber)" }
            return s.port.map { "\(name)/\($0)" } ?? name
        }
        var counts: [CaptureStore.Count] = []
        var tops: [CaptureStore.Top] = []
        var lines: [Report.AgencyLine] = []
        for agency in summary.agencies {
            let c = code(agency.agencyIndex)
            for i in agency.series {
                guard let start = ms(CaptureTimestamp(seconds: i.start)) else { continue }
                counts.append(CaptureStore.Count(runID: 0, agency: c, startMs: start, seconds: interval, inbound: i.inbound, outbound: i.outbound))
            }
            for h in agency.topHosts { tops.append(CaptureStore.Top(agency: c, kind: "host", item: h.address.description, traffic: h.traffic)) }
            for s in agency.topServices { tops.append(CaptureStore.Top(agency: c, kind: "service", item: service(s), traffic: s.traffic)) }
            guard agency.inbound.packets + agency.outbound.packets + agency.internalTraffic.packets > 0 else { continue }
            lines.append(Report.AgencyLine(agency: c, inBytes: agency.inbound.bytes, inPackets: agency.inbound.packets, outBytes: agency.outbound.bytes,
                                           outPackets: agency.outbound.packets, internalBytes: agency.internalTraffic.bytes,
                                           topHosts: agency.topHosts.prefix(3).map(\.address.description), topServices: agency.topServices.prefix(3).map(service)))
        }
        for i in summary.unattributedSeries {
            guard let start = ms(CaptureTimestamp(seconds: i.start)) else { continue }
            counts.append(CaptureStore.Count(runID: 0, agency: "", startMs: start, seconds: interval, inbound: i.traffic, outbound: .zero))
        }
        let failures = summary.failures.map { Report.Failure(reason: $0.reason.rawValue, packets: $0.traffic.packets) }
        var report = Report(run: nil, source: facts.source, name: facts.name, frames: summary.seen.packets, bytes: summary.seen.bytes,
                            first: summary.first.map { Timestamp.string(Date(timeIntervalSince1970: Double($0.seconds))) },
                            last: summary.last.map { Timestamp.string(Date(timeIntervalSince1970: Double($0.seconds))) },
                            intervalSeconds: summary.intervalSeconds, agencies: lines.sorted { $0.inBytes + $0.outBytes > $1.inBytes + $1.outBytes },
                            unattributed: summary.unattributed, nonIP: summary.nonIP, decodeErrors: failures,
                            decodeErrorPackets: summary.failed.packets, received: facts.received, droppedKernel: facts.droppedKernel,
                            droppedInterface: facts.droppedInterface, stopped: facts.stopped,
                            seconds: max(0, facts.ended.timeIntervalSince(facts.started)))
        if report.seconds > 0 { report.framesPerSecond = Double(report.frames) / report.seconds }
        guard store else { return report }
        guard let file = simpul.health else {
            throw ServiceError(.invalid, Text(id: "berkas deret waktu tidak dikonfigurasi", en: "the time-series file is not configured"))
        }
        let run = CaptureStore.Run(
            source: facts.source, name: String(facts.name.prefix(500)), filter: facts.filter.map { String($0.prefix(1000)) }, circuit: facts.circuit,
            startedMs: Int64(facts.started.timeIntervalSince1970 * 1000), endedMs: max(Int64(facts.ended.timeIntervalSince1970 * 1000), Int64(facts.started.timeIntervalSince1970 * 1000)),
            firstMs: ms(summary.first), lastMs: ms(summary.last), intervalSeconds: interval, frames: summary.seen.packets, frameBytes: summary.seen.bytes,
            received: facts.received, droppedKernel: facts.droppedKernel, droppedInterface: facts.droppedInterface,
            unattributed: summary.unattributed, nonIP: summary.nonIP, failed: summary.failed,
            failures: failures.map { "\($0.reason)=\($0.packets)" }.joined(separator: ","), stopped: facts.stopped.map { String($0.prefix(500)) },
            by: principal.username)
        report.run = try file.database().write { w in try CaptureStore.insert(w, run: run, counts: counts, tops: tops) }
        return report
    }

    /// The runs recorded, newest last.
    public func runs(by principal: Principal) throws -> [CaptureStore.Run] {
        try principal.require(.viewEstate)
        guard let file = simpul.health else { return [] }
        return try file.database().read { r in try CaptureStore.runs(r) }
    }
}

extension Simpul {
    public var capture: CaptureService { CaptureService(simpul: self) }
}
