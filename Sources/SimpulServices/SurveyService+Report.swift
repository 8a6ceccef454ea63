import Foundation
import SimpulCore
import SimpulStore

extension SurveyService {
    /// One agency's part of the report.
    public struct AgencyReport: Sendable, Codable {
        public var agency: String
        public var name: String
        public var method: Method
        /// The agency's circuits and what they commit, Mbps (summed over its links).
        public var circuits: [String]
        public var contractedDownMbps: Double?
        public var contractedUpMbps: Double?
        public var provider: String?
        /// From the link-health poller's counters on the agency's own links.
        public var snmp: SurveyFigures?
        /// From packet captures (the agency's ranges on a shared uplink).
        public var capture: SurveyFigures?
        /// Which figures the recommendation used: SNMP where the method includes it and it has
        /// data, else the capture.
        public var basis: String?
        /// Where both cover the same five-minute windows: the capture's bytes over SNMP's (0–1, may
        /// pass 1 a little where clocks differ).
        public var captureShareOfSNMP: Double?
        /// The capture runs that covered the agency in the period and how complete they were.
        public var captureRuns: [Int64]
        public var captureDropped: UInt64
        public var captureReceived: UInt64
        public var needs: StatedNeeds?
        public var recommendation: BandwidthSizing.Line?
    }

    /// A capture of a shared uplink beside the SNMP counters of the same link: over the five-minute
    /// windows both measured, how many bytes SNMP counted, how many the capture saw, and how many of
    /// those it attributed to an agency.
    public struct UplinkReconciliation: Sendable, Codable {
        public var circuit: String
        public var runs: [Int64]
        public var windows: Int
        public var snmpBytes: UInt64
        public var capturedBytes: UInt64
        public var attributedBytes: UInt64
        /// Captured over SNMP (how complete the capture was; 0–1, a little over 1 where clocks differ).
        public var capturedShareOfSNMP: Double?
        /// Attributed over SNMP: the part of the link's traffic the survey can put on an agency.
        public var attributedShareOfSNMP: Double?
    }

    public struct Report: Sendable, Codable {
        public var survey: Int64
        public var ticket: Int64
        public var title: String
        public var from: String
        public var to: String
        public var timeZone: String
        public var generatedAt: String
        public var agencies: [AgencyReport]
        public var uplinks: [UplinkReconciliation]
        public var plan: BandwidthSizing.Plan
        public var headroom: Double
        /// What the report computes in milliseconds (reading and figures), for the benchmark.
        public var milliseconds: Double
    }

    /// The survey's report: per agency the figures of the period from SNMP and capture, the
    /// completeness, the agency's needs, and the recommendation with the budget.
    public func report(_ id: Int64, by principal: Principal) throws -> Report {
        let started = ContinuousClock.now
        let gathered = try simpul.database.read { r -> (Survey, Inventory, TimeZone) in
            let survey = try Self.survey(r, id: id, by: principal)
            return (survey, try InventoryStore.load(r), try LANService.officeZone(r))
        }
        let (survey, inventory, zone) = gathered
        let row = survey.row
        guard let fromDay = WorkCalendar.dayNumber(row.periodFrom), let toDay = WorkCalendar.dayNumber(row.periodTo) else {
            throw ServiceError(.invalid, Text(id: "periode survei #\(id) rusak", en: "survey #\(id)'s period is damaged"))
        }
        let offset = Int64(zone.secondsFromGMT()) * 1000
        let fromMs = Int64(fromDay) * SurveyFigures.dayMillis - offset
        let toMs = Int64(toDay + 1) * SurveyFigures.dayMillis - offset
        let linksByAgency = Dictionary(grouping: inventory.links, by: \.agency)
        let providers = Dictionary(inventory.providers.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let settings = inventory.district?.bandwidth ?? BandwidthSizing.Settings()

        var snmp: [String: [FiveMinuteAverage]] = [:]
        var capture: [String: [CaptureStore.Count]] = [:]
        var runs: [Int64: CaptureStore.Run] = [:]
        var uplinkData: [(circuit: String, runs: [Int64], snmp: [FiveMinuteAverage], counts: [CaptureStore.Count])] = []
        if let file = simpul.health {
            let codes = survey.agencies.map(\.agency)
            try file.database().read { r in
                var known: [String: [KnownInterface]] = [:]
                for agency in survey.agencies where agency.method != Method.pcap.rawValue {
                    var windows: [Int64: FiveMinuteAverage] = [:]
                    for link in linksByAgency[agency.agency] ?? [] {
                        guard let device = link.device, let name = link.interface else { continue }
                        if known[device] == nil { known[device] = try HealthStore.interfaces(r, device: device) }
                        guard let interface = PollService.interface(named: name, in: known[device] ?? []) else { continue }
                        for average in try Self.averages(r, interface: interface, from: fromMs, to: toMs) {
                            if let had = windows[average.start] {
                                windows[average.start] = FiveMinuteAverage(start: had.start, inBitsPerSecond: had.inBitsPerSecond &+ average.inBitsPerSecond,
                                                                           outBitsPerSecond: had.outBitsPerSecond &+ average.outBitsPerSecond,
                                                                           coverage: min(had.coverage, average.coverage))
                            } else {
                                windows[average.start] = average
                            }
                        }
                    }
                    snmp[agency.agency] = windows.keys.sorted().compactMap { windows[$0] }
                }
                let pcapCodes = survey.agencies.filter { $0.method != Method.snmp.rawValue }.map(\.agency)
                if !pcapCodes.isEmpty {
                    capture = Dictionary(grouping: try CaptureStore.counts(r, agencies: pcapCodes, fromMs: fromMs, toMs: toMs), by: \.agency)
                    for run in try CaptureStore.runs(r, fromMs: fromMs, toMs: toMs) { if let id = run.id { runs[id] = run } }
                    // The shared uplinks the runs watched: their SNMP windows and every count of those runs.
                    let byCircuit = Dictionary(grouping: runs.values.filter { $0.circuit != nil }, by: { $0.circuit! })
                    let links = Dictionary(inventory.links.map { ($0.circuit, $0) }, uniquingKeysWith: { a, _ in a })
                    for (circuit, watched) in byCircuit.sorted(by: { $0.key < $1.key }) {
                        guard let link = links[circuit], let device = link.device, let name = link.interface else { continue }
                        if known[device] == nil { known[device] = try HealthStore.interfaces(r, device: device) }
                        guard let interface = PollService.interface(named: name, in: known[device] ?? []) else { continue }
                        let ids = Set(watched.compactMap(\.id))
                        let counts = try CaptureStore.counts(r, fromMs: fromMs, toMs: toMs).filter { ids.contains($0.runID) }
                        uplinkData.append((circuit, ids.sorted(), try Self.averages(r, interface: interface, from: fromMs, to: toMs), counts))
                    }
                }
                _ = codes
            }
        }

        var lines: [AgencyReport] = []
        var inputs: [BandwidthSizing.Input] = []
        for agency in survey.agencies {
            let links = linksByAgency[agency.agency] ?? []
            let down = links.isEmpty ? nil : links.reduce(0) { $0 + $1.downMbps }
            let up = links.isEmpty ? nil : links.reduce(0) { $0 + $1.upMbps }
            let contractedIn = down.map { UInt64(($0 * 1_000_000).rounded()) }
            let contractedOut = up.map { UInt64(($0 * 1_000_000).rounded()) }
            let method = Method(rawValue: agency.method) ?? .snmp
            let snmpAverages = snmp[agency.agency] ?? []
            let snmpFigures = SurveyFigures.compute(snmpAverages, from: fromMs, to: toMs, utcOffsetSeconds: zone.secondsFromGMT(),
                                                    contractedIn: contractedIn, contractedOut: contractedOut)
            let counts = capture[agency.agency] ?? []
            let captureAverages = SurveyFigures.fiveMinuteAverages(counts.map { ($0.startMs, $0.seconds, $0.inbound.bytes, $0.outbound.bytes) })
            let captureFigures = SurveyFigures.compute(captureAverages, from: fromMs, to: toMs, utcOffsetSeconds: zone.secondsFromGMT(),
                                                       contractedIn: contractedIn, contractedOut: contractedOut)
            var share: Double?
            if !snmpAverages.isEmpty, !captureAverages.isEmpty {
                let snmpByStart = Dictionary(snmpAverages.map { ($0.start, $0) }, uniquingKeysWith: { a, _ in a })
                var captured = 0.0, counted = 0.0
                for c in captureAverages {
                    guard let s = snmpByStart[c.start] else { continue }
                    captured += Double(c.inBitsPerSecond) + Double(c.outBitsPerSecond)
                    counted += Double(s.inBitsPerSecond) + Double(s.outBitsPerSecond)
                }
                if counted > 0 { share = captured / counted }
            }
            let runIDs = Set(counts.map(\.runID)).sorted()
            let used: SurveyFigures? = snmpFigures ?? captureFigures
            let basis = snmpFigures != nil ? "snmp" : captureFigures != nil ? "pcap" : nil
            let provider = links.first?.provider
            inputs.append(BandwidthSizing.Input(agency: agency.agency,
                                                measuredBitsPerSecond: used.map { max($0.inbound.percentile95BitsPerSecond, $0.outbound.percentile95BitsPerSecond) },
                                                needs: agency.needs, currentMbps: down, provider: provider,
                                                tiers: provider.flatMap { providers[$0]?.tiers } ?? Self.allTiers(inventory.providers)))
            lines.append(AgencyReport(agency: agency.agency, name: agency.agencyName, method: method, circuits: links.map(\.circuit),
                                      contractedDownMbps: down, contractedUpMbps: up, provider: provider, snmp: snmpFigures, capture: captureFigures,
                                      basis: basis, captureShareOfSNMP: share, captureRuns: runIDs,
                                      captureDropped: runIDs.reduce(0) { $0 &+ (runs[$1]?.droppedKernel ?? 0) &+ (runs[$1]?.droppedInterface ?? 0) },
                                      captureReceived: runIDs.reduce(0) { $0 &+ (runs[$1]?.received ?? runs[$1]?.frames ?? 0) },
                                      needs: agency.needs, recommendation: nil))
        }
        let uplinks = uplinkData.map { Self.reconcile(circuit: $0.circuit, runs: $0.runs, snmp: $0.snmp, counts: $0.counts) }
        let plan = BandwidthSizing.plan(inputs, settings: settings)
        for (i, line) in plan.lines.enumerated() where lines.indices.contains(i) { lines[i].recommendation = line }
        return Report(survey: row.id, ticket: row.ticketID, title: row.title, from: row.periodFrom, to: row.periodTo, timeZone: zone.identifier,
                      generatedAt: Timestamp.string(simpul.now()), agencies: lines, uplinks: uplinks, plan: plan, headroom: settings.headroom,
                      milliseconds: (ContinuousClock.now - started).inMilliseconds)
    }

    /// Over the five-minute windows the SNMP counters and the capture both cover: SNMP's bytes (in and
    /// out), the capture's, and the part of the capture put on an agency (everything but agency "").
    static func reconcile(circuit: String, runs: [Int64], snmp: [FiveMinuteAverage], counts: [CaptureStore.Count]) -> UplinkReconciliation {
        var captured: [Int64: (all: UInt64, attributed: UInt64, seconds: Int)] = [:]
        for c in counts {
            let window = SurveyFigures.floorDiv(c.startMs, SurveyFigures.windowMillis) * SurveyFigures.windowMillis
            var w = captured[window] ?? (0, 0, 0)
            let bytes = c.inbound.bytes &+ c.outbound.bytes
            w.all &+= bytes
            if !c.agency.isEmpty { w.attributed &+= bytes }
            captured[window] = w
        }
        var snmpBytes: UInt64 = 0, all: UInt64 = 0, attributed: UInt64 = 0, windows = 0
        for a in snmp {
            guard let w = captured[a.start] else { continue }
            windows += 1
            // Bytes in the window at its average rate, over the part of it SNMP measured.
            let seconds = 300 * max(0, min(1, a.coverage))
            snmpBytes &+= SurveyFigures.clamped((Double(a.inBitsPerSecond) + Double(a.outBitsPerSecond)) / 8 * seconds)
            all &+= w.all
            attributed &+= w.attributed
        }
        return UplinkReconciliation(circuit: circuit, runs: runs, windows: windows, snmpBytes: snmpBytes, capturedBytes: all, attributedBytes: attributed,
                                    capturedShareOfSNMP: snmpBytes > 0 ? Double(all) / Double(snmpBytes) : nil,
                                    attributedShareOfSNMP: snmpBytes > 0 ? Double(attributed) / Double(snmpBytes) : nil)
    }

    /// Where an agency's provider lists no products: the cheapest product of each size any provider sells.
    static func allTiers(_ providers: [Provider]) -> [ProviderTier] {
        var best: [Int: ProviderTier] = [:]
        for tier in providers.flatMap(\.tiers) where best[tier.mbps].map({ tier.monthlyPrice < $0.monthlyPrice }) ?? true { best[tier.mbps] = tier }
        return best.values.sorted()
    }

    /// An interface's five-minute averages in `[from, to)`: from the hourly roll-ups, and from the
    /// raw samples for the windows no hour holds yet (the hour in progress).
    static func averages(_ r: HealthReader, interface: Int64, from: Int64, to: Int64) throws -> [FiveMinuteAverage] {
        let firstHour = from - ((from % TrafficBucket.hour) + TrafficBucket.hour) % TrafficBucket.hour
        let hours = try HealthStore.hours(r, interfaceID: interface, from: firstHour, to: to)
        var averages = hours.flatMap(\.fiveMinuteAverages).filter { $0.start >= from && $0.start < to }
        let covered = Set(hours.map(\.hour.start))
        let lastHourEnd = (hours.map(\.hour.start).max() ?? (from - TrafficBucket.hour)) + TrafficBucket.hour
        if lastHourEnd < to {
            let rawFrom = max(from, lastHourEnd)
            let samples = try HealthStore.samples(r, interfaceID: interface, from: rawFrom, to: to)
            for bucket in PollService.fiveMinuteBuckets(samples, from: rawFrom, to: to) {
                let hourStart = bucket.start - bucket.start % TrafficBucket.hour
                guard !covered.contains(hourStart), let average = bucket.average else { continue }
                averages.append(average)
            }
        }
        return averages.sorted { $0.start < $1.start }
    }
}
