import Foundation
import SimpulCore
import SimpulStore

/// The fault reports of issue 13: per provider and month, the faults escalated to it against its
/// contract (response and restore times, every breach with its evidence, outage minutes and
/// availability per link); and per agency or technician, the month's faults, time to repair and
/// causes. Office staff only (`viewEstate`). The arithmetic is SimpulCore's (`ProviderMonth`,
/// `FaultTally`); this reads, and words the result for the CLI, the page, CSV and JSON alike.
public struct FaultReportService: Sendable {
    let simpul: Simpul

    // MARK: The provider's month

    /// A clock as reported: minutes, the contract's, how it stands, and what ended it when.
    public struct Clock: Sendable, Hashable, Codable {
        public var minutes: Double
        public var limitMinutes: Int
        public var state: SLAState
        public var endedBy: SLAEnd
        /// UTC, stored form: the event, or where it was measured to.
        public var end: String
    }

    /// One provider event as evidence.
    public struct EvidenceEvent: Sendable, Hashable, Codable {
        public var kind: ProviderEventKind
        public var level: Int?
        public var at: String
        public var by: String
        public var byName: String?
        public var note: String?
        public var providerTicket: String?
    }

    /// One delivery of the fault from the outbox (the escalation mails): to whom, and whether and when it went.
    public struct EvidenceDelivery: Sendable, Hashable, Codable {
        public var id: Int64
        public var channel: DeliveryChannel
        public var to: [String]
        public var subject: String?
        /// The escalation level it carried, from its dedupe key (`fault:12:provider:2:mail`).
        public var level: Int?
        public var state: DeliveryState
        public var createdAt: String
        public var deliveredAt: String?
        public var attempts: Int
        public var lastError: Text?
    }

    public struct Evidence: Sendable, Hashable, Codable {
        public var events: [EvidenceEvent]
        public var deliveries: [EvidenceDelivery]
    }

    public struct FaultLine: Sendable, Hashable, Codable {
        public var ticket: Int64
        public var agency: String
        public var agencyName: String
        public var circuit: String?
        public var symptom: FaultSymptom
        public var cause: FaultCause?
        public var status: TicketStatus
        public var startedAt: String
        public var escalatedAt: String
        public var acknowledgedAt: String?
        public var restoredAt: String?
        public var closedAt: String?
        public var level: Int?
        public var providerTicket: String?
        /// Escalated in an earlier month, a clock still within the contract when this one began.
        public var carriedOver: Bool
        /// Nil: settled in an earlier month's report.
        public var response: Clock?
        public var restore: Clock?
        public var breach: Bool
        /// The breaches' evidence (nil for the others).
        public var evidence: Evidence?
    }

    public struct LinkLine: Sendable, Hashable, Codable {
        public var circuit: String
        public var agency: String
        public var agencyName: String
        /// Minutes out with faults escalated to the provider (overlaps counted once), in the period:
        /// the poller's measured down time where it watched the link, the faults' records elsewhere.
        public var outageMinutes: Double
        /// Minutes out with any fault on the link, the office's own included.
        public var allFaultsOutageMinutes: Double
        public var availabilityPercent: Double?
        public var meetsContract: Bool
        public var faults: Int
        /// How much of the period the link-health poller measured (its outage minutes are the
        /// poller's there, the faults' records elsewhere); nil when it never watched the link.
        public var measuredPercent: Double?
    }

    public struct Summary: Sendable, Hashable, Codable {
        public var faultsEscalated: Int
        public var carriedOver: Int
        public var responseBreaches: Int
        public var restoreBreaches: Int
        public var faultsWithBreach: Int
        /// Clocks not ended and past the contract (breaches counted above).
        public var overdue: Int
        /// Clocks not ended and still within the contract.
        public var running: Int
        public var response: MinuteFigures
        public var restore: MinuteFigures
        public var linksBelowContract: Int
        public var periodMinutes: Double
    }

    public struct ProviderReport: Sendable, Hashable, Codable {
        public var provider: String
        public var providerName: String
        public var month: ReportMonth
        public var timeZone: String
        /// The month in UTC, [from, to), and where it was measured to (its end, or now).
        public var from: String
        public var to: String
        public var measuredTo: String
        public var complete: Bool
        public var contract: ContractTerms
        public var summary: Summary
        public var faults: [FaultLine]
        /// The faults with a breach, each with its evidence.
        public var breaches: [FaultLine]
        public var links: [LinkLine]
    }

    /// The month asked for, checked against now: a month that has not begun has no report.
    func period(_ month: ReportMonth) throws -> (start: Date, end: Date, zone: TimeZone) {
        let zone = simpul.officeTime().timeZone
        let start = month.start(in: zone)
        guard start <= simpul.now() else {
            throw ServiceError(.invalid, Text(id: "bulan \(month) belum dimulai; pilih bulan ini atau sebelumnya",
                                              en: "month \(month) has not begun; choose this month or an earlier one"))
        }
        return (start, month.end(in: zone), zone)
    }

    /// `code`'s month against its contract. `evidence`: read the breaches' evidence (the events and
    /// the outbox's deliveries); the list of providers leaves it out.
    public func provider(_ code: String, month: ReportMonth, evidence: Bool = true, by principal: Principal) throws -> ProviderReport {
        try principal.require(.viewEstate)
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        let (start, end, zone) = try period(month)
        let now = simpul.now()
        return try simpul.database.read { r in
            guard let provider = try InventoryStore.providers(r, code: code).first, let providerID = try FaultStore.providerID(r, code: code) else {
                throw Self.noProvider(code)
            }
            return try Self.report(r, provider: provider, providerID: providerID, month: month, start: start, end: end, zone: zone, now: now,
                                   evidence: evidence, measure: measure)
        }
    }

    /// Every provider's month in brief (no evidence), by code.
    public func providers(month: ReportMonth, by principal: Principal) throws -> [ProviderReport] {
        try principal.require(.viewEstate)
        let (start, end, zone) = try period(month)
        let now = simpul.now()
        return try simpul.database.read { r in
            try InventoryStore.providers(r).compactMap { provider in
                guard let id = try FaultStore.providerID(r, code: provider.code) else { return nil }
                return try Self.report(r, provider: provider, providerID: id, month: month, start: start, end: end, zone: zone, now: now, evidence: false,
                                       measure: measure)
            }
        }
    }

    /// What the link-health poller measured of `circuits` in [`from`, `to`): its recorded states, as
    /// the report's arithmetic takes them. Nothing where no health file is configured (a link the
    /// poller never watched has no entry: its outage is the faults' records).
    func measure(_ circuits: [String], from: Date, to: Date) throws -> [String: LinkMeasurement] {
        guard simpul.health != nil, to > from, let fromMillis = EpochMillis.of(from), let toMillis = EpochMillis.of(to) else { return [:] }
        let states = try simpul.polling.healthDatabase().read { r in
            try HealthStore.stateSpans(r, circuits: circuits, from: fromMillis, to: toMillis)
        }
        return states.compactMapValues { spans in
            spans.isEmpty ? nil : LinkMeasurement(states: spans.map { (state: $0.state, span: Span(EpochMillis.date($0.start), EpochMillis.date($0.end))) })
        }
    }

    static func noProvider(_ code: String) -> ServiceError {
        ServiceError(.notFound, Text(id: "penyedia \"\(Excerpt.of(code, length: 40))\" tidak ada; lihat daftar penyedia (halaman Penyedia, atau simpul provider list)",
                                     en: "provider \"\(Excerpt.of(code, length: 40))\" does not exist; see the list of providers (the Providers page, or simpul provider list)"))
    }

    static func report(_ r: Reader, provider: Provider, providerID: Int64, month: ReportMonth, start: Date, end: Date, zone: TimeZone, now: Date,
                       evidence withEvidence: Bool, measure: ([String], Date, Date) throws -> [String: LinkMeasurement]) throws -> ProviderReport {
        let terms = ContractTerms(responseMinutes: provider.sla.responseMinutes, restoreMinutes: provider.sla.restoreMinutes,
                                  availabilityPercent: provider.sla.availabilityPercent)
        // A clock can only still be within the contract at the month's start if it began no longer ago than the contract's longest time.
        let reach = TimeInterval(max(terms.responseMinutes, terms.restoreMinutes, 0)) * 60
        let horizon = max(start, min(end, now))
        let stored = try FaultReportStore.escalated(r, providerID: providerID, from: start, to: end, carryFrom: start.addingTimeInterval(-reach))
        let outages = try FaultReportStore.outages(r, providerID: providerID, from: start, to: horizon)
        let extra = Set(outages.map(\.linkID)).union(stored.compactMap(\.linkID))
        let links = try FaultReportStore.links(r, providerID: providerID, extra: Array(extra).sorted())
        let measurements = try measure(links.map(\.circuit), start, horizon)
        let linkIDs = Dictionary(links.map { ($0.circuit, $0.id) }, uniquingKeysWith: { a, _ in a })
        let evaluated = ProviderMonth.evaluate(
            start: start, end: end, now: now, terms: terms,
            faults: stored.map { f in
                EscalatedFault(id: f.ticketID, linkID: f.linkID, startedAt: f.startedAt, escalatedAt: f.escalatedAt, acknowledgedAt: f.acknowledgedAt,
                               restoredAt: f.restoredAt, closedAt: f.closedAt)
            },
            outages: outages.map { o in
                LinkOutage(linkID: o.linkID, span: EscalatedFault(id: o.ticketID, linkID: o.linkID, startedAt: o.startedAt, escalatedAt: o.startedAt,
                                                                  acknowledgedAt: nil, restoredAt: o.restoredAt, closedAt: o.closedAt).outage(now: now),
                           escalated: o.escalated)
            },
            links: links.map(\.id),
            measured: Dictionary(measurements.compactMap { circuit, m in linkIDs[circuit].map { ($0, m) } }, uniquingKeysWith: { a, _ in a }))
        let byID = Dictionary(stored.map { ($0.ticketID, $0) }, uniquingKeysWith: { a, _ in a })
        let breachIDs = evaluated.breaches.map(\.fault.id)
        let events = withEvidence ? try FaultReportStore.events(r, ticketIDs: breachIDs) : [:]
        let deliveries = withEvidence ? try FaultReportStore.deliveries(r, ticketIDs: breachIDs) : [:]
        func clock(_ reading: SLAReading?) -> Clock? {
            reading.map { Clock(minutes: $0.minutes, limitMinutes: $0.limitMinutes, state: $0.state, endedBy: $0.endedBy, end: Timestamp.string($0.end)) }
        }
        var lines: [FaultLine] = []
        var breaches: [FaultLine] = []
        for result in evaluated.faults {
            guard let f = byID[result.fault.id] else { continue }
            var line = FaultLine(ticket: f.ticketID, agency: f.agencyCode, agencyName: f.agencyName, circuit: f.circuit, symptom: f.symptom, cause: f.cause,
                                 status: f.status, startedAt: Timestamp.string(f.startedAt), escalatedAt: Timestamp.string(f.escalatedAt),
                                 acknowledgedAt: f.acknowledgedAt.map(Timestamp.string), restoredAt: f.restoredAt.map(Timestamp.string),
                                 closedAt: f.closedAt.map(Timestamp.string), level: f.escalationLevel, providerTicket: f.providerTicket,
                                 carriedOver: result.carriedOver, response: clock(result.response), restore: clock(result.restore),
                                 breach: result.isBreach, evidence: nil)
            lines.append(line)
            if result.isBreach {
                if withEvidence {
                    line.evidence = Evidence(events: (events[f.ticketID] ?? []).map { e in
                        EvidenceEvent(kind: e.kind, level: e.level, at: Timestamp.string(e.at), by: e.by, byName: e.byName, note: e.note,
                                      providerTicket: e.providerTicket)
                    }, deliveries: (deliveries[f.ticketID] ?? []).map(Self.delivery))
                }
                breaches.append(line)
            }
        }
        let names = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let linkLines = evaluated.links.compactMap { l -> LinkLine? in
            guard let name = names[l.linkID] else { return nil }
            return LinkLine(circuit: name.circuit, agency: name.agencyCode, agencyName: name.agencyName, outageMinutes: l.outageSeconds / 60,
                            allFaultsOutageMinutes: l.allFaultsOutageSeconds / 60, availabilityPercent: l.availability.map { $0 * 100 },
                            meetsContract: l.meetsContract, faults: l.faults,
                            measuredPercent: evaluated.period.seconds > 0 && l.measuredSeconds > 0 ? l.measuredSeconds / evaluated.period.seconds * 100 : nil)
        }.sorted { ($0.availabilityPercent ?? 100, $0.circuit) < ($1.availabilityPercent ?? 100, $1.circuit) }
        let readings = evaluated.faults.flatMap { [$0.response, $0.restore].compactMap { $0 } }
        let summary = Summary(faultsEscalated: evaluated.escalatedInMonth, carriedOver: evaluated.faults.count - evaluated.escalatedInMonth,
                              responseBreaches: evaluated.responseBreaches, restoreBreaches: evaluated.restoreBreaches, faultsWithBreach: breaches.count,
                              overdue: readings.filter { $0.state == .overdue }.count, running: readings.filter { $0.state == .running }.count,
                              response: evaluated.response, restore: evaluated.restore,
                              linksBelowContract: linkLines.filter { !$0.meetsContract }.count, periodMinutes: evaluated.period.seconds / 60)
        return ProviderReport(provider: provider.code, providerName: provider.name, month: month, timeZone: zone.identifier,
                              from: Timestamp.string(start), to: Timestamp.string(end), measuredTo: Timestamp.string(evaluated.period.end),
                              complete: evaluated.complete, contract: terms, summary: summary, faults: lines, breaches: breaches, links: linkLines)
    }

    /// Who a mail went to and what it said, without decoding its body.
    struct MailEnvelope: Decodable {
        var to: [String]
        var cc: [String]
        var subject: String
    }

    /// A delivery of the fault's from the outbox, as evidence.
    static func delivery(_ row: Delivery) -> EvidenceDelivery {
        var to: [String] = []
        var subject: String? = nil
        if row.channel == .mail, let mail = try? JSONDecoder().decode(MailEnvelope.self, from: Data(row.payload.utf8)) {
            to = mail.to + mail.cc
            subject = mail.subject
        }
        let parts = row.dedupeKey.split(separator: ":")
        let level = parts.count >= 4 && parts[2] == "provider" ? Int(parts[3]) : nil
        return EvidenceDelivery(id: row.id, channel: row.channel, to: to, subject: subject, level: level, state: row.state,
                                createdAt: Timestamp.string(row.createdAt), deliveredAt: row.deliveredAt.map(Timestamp.string),
                                attempts: row.attempts, lastError: row.lastError)
    }

    // MARK: Per agency and per technician

    public enum Grouping: String, Sendable, Hashable, Codable, CaseIterable {
        case agency, technician
    }

    public struct GroupLine: Sendable, Hashable, Codable {
        public var key: String
        public var name: String?
        public var faults: Int
        public var repaired: Int
        /// Mean minutes from the outage's start to the restoration (or the result step).
        public var mttrMinutes: Double?
        /// Faults per cause (`fiber_cut`…), and `none` for those with no cause yet.
        public var causes: [String: Int]
    }

    public struct FaultsReport: Sendable, Hashable, Codable {
        public var month: ReportMonth
        public var timeZone: String
        public var by: Grouping
        public var groups: [GroupLine]
        public var total: GroupLine
    }

    /// The faults reported in `month`, grouped `by` agency or technician. A fault's technician is
    /// who completed its repair step (the last time), else whom it is assigned to now; `-` for none.
    public func faults(month: ReportMonth, by grouping: Grouping, by principal: Principal) throws -> FaultsReport {
        try principal.require(.viewEstate)
        let (start, end, zone) = try period(month)
        let rows = try simpul.database.read { r in try FaultReportStore.monthFaults(r, from: start, to: end) }
        var names: [String: String] = [:]
        let items = rows.map { row -> FaultTally.Item in
            let key: String
            switch grouping {
            case .agency:
                key = row.agencyCode
                names[key] = row.agencyName
            case .technician:
                key = row.technician ?? "-"
                if let name = row.technicianName { names[key] = name }
            }
            return FaultTally.Item(key: key, startedAt: row.startedAt, repairedAt: row.restoredAt ?? row.resultAt, cause: row.cause)
        }
        let tally = FaultTally.groups(items)
        func line(_ group: FaultTally.Group, name: String?) -> GroupLine {
            var causes = Dictionary(group.causes.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +)
            if group.noCause > 0 { causes["none"] = group.noCause }
            return GroupLine(key: group.key, name: name, faults: group.faults, repaired: group.repaired, mttrMinutes: group.mttrSeconds.map { $0 / 60 },
                             causes: causes)
        }
        return FaultsReport(month: month, timeZone: zone.identifier, by: grouping, groups: tally.groups.map { line($0, name: names[$0.key]) },
                            total: line(tally.total, name: nil))
    }
}

// MARK: - CSV

extension FaultReportService {
    /// A stored UTC time as ISO 8601 in the report's zone, to the minute: `2026-11-03T14:05+08:00`.
    static func local(_ stored: String?, _ zone: TimeZone) -> String {
        guard let stored, let date = Timestamp.date(stored) else { return "" }
        let offset = zone.secondsFromGMT(for: date)
        let shifted = Timestamp.string(date.addingTimeInterval(TimeInterval(offset)))
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) / 60 % 60
        return String(shifted.prefix(16)) + sign + String(format: "%02d:%02d", hours, minutes)
    }

    static func number(_ value: Double?, _ digits: Int = 1) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }

    /// The provider's month as CSV (RFC 4180, through SpreadsheetCSV): one row per fault, per link, per
    /// piece of a breach's evidence, and the summary's figures; headers in the chosen language, values
    /// raw (minutes, percentages with a dot, states as their codes, times ISO 8601 in the office's zone).
    public static func csv(_ report: ProviderReport, _ language: Language) -> String {
        let id = language == .id
        let zone = TimeZone(identifier: report.timeZone) ?? .gmt
        let header = id
            ? ["bagian", "tiket", "perangkat_daerah", "sirkuit", "mulai_gangguan", "eskalasi", "diterima", "pulih", "ditutup",
               "respons_menit", "batas_respons_menit", "status_respons", "pemulihan_menit", "batas_pemulihan_menit", "status_pemulihan",
               "pelanggaran", "gangguan_menit", "ketersediaan_persen", "target_ketersediaan_persen", "peristiwa", "waktu", "oleh", "keadaan", "keterangan"]
            : ["section", "ticket", "agency", "circuit", "outage_start", "escalated", "acknowledged", "restored", "closed",
               "response_minutes", "response_limit_minutes", "response_state", "restore_minutes", "restore_limit_minutes", "restore_state",
               "breach", "outage_minutes", "availability_percent", "contract_availability_percent", "event", "at", "by", "state", "detail"]
        var lines: [[String]] = [header]
        func row(_ section: String, ticket: String = "", agency: String = "", circuit: String = "", times: [String] = [], response: FaultReportService.Clock? = nil,
                 restore: FaultReportService.Clock? = nil, breach: String = "", outage: String = "", availability: String = "", contract: String = "",
                 event: String = "", at: String = "", by: String = "", state: String = "", detail: String = "") -> [String] {
            let t = times + Array(repeating: "", count: max(0, 5 - times.count))
            return [section, ticket, agency, circuit] + t.prefix(5)
                + [number(response?.minutes), response.map { String($0.limitMinutes) } ?? "", response?.state.rawValue ?? "",
                   number(restore?.minutes), restore.map { String($0.limitMinutes) } ?? "", restore?.state.rawValue ?? "",
                   breach, outage, availability, contract, event, at, by, state, detail]
        }
        let s = report.summary
        let summary: [(String, String, String)] = [
            ("penyedia", "provider", report.provider), ("bulan", "month", report.month.description), ("zona_waktu", "time_zone", report.timeZone),
            ("diukur_sampai", "measured_to", local(report.measuredTo, zone)), ("bulan_lengkap", "complete", report.complete ? "1" : "0"),
            ("gangguan_dieskalasi", "faults_escalated", String(s.faultsEscalated)), ("dari_bulan_lalu", "carried_over", String(s.carriedOver)),
            ("pelanggaran_respons", "response_breaches", String(s.responseBreaches)), ("pelanggaran_pemulihan", "restore_breaches", String(s.restoreBreaches)),
            ("rata_rata_respons_menit", "response_mean_minutes", number(s.response.meanMinutes)),
            ("p95_respons_menit", "response_p95_minutes", number(s.response.p95Minutes)),
            ("rata_rata_pemulihan_menit", "restore_mean_minutes", number(s.restore.meanMinutes)),
            ("p95_pemulihan_menit", "restore_p95_minutes", number(s.restore.p95Minutes)),
            ("sambungan_di_bawah_kontrak", "links_below_contract", String(s.linksBelowContract)),
        ]
        for (idName, enName, value) in summary { lines.append(row(id ? "ringkasan" : "summary", event: id ? idName : enName, detail: value)) }
        for f in report.faults {
            lines.append(row(id ? "gangguan" : "fault", ticket: String(f.ticket), agency: f.agency, circuit: f.circuit ?? "",
                             times: [f.startedAt, f.escalatedAt, f.acknowledgedAt, f.restoredAt, f.closedAt].map { local($0, zone) },
                             response: f.response, restore: f.restore, breach: f.breach ? "1" : "0",
                             detail: f.carriedOver ? (id ? "dari bulan sebelumnya" : "carried over from an earlier month") : ""))
        }
        for l in report.links {
            lines.append(row(id ? "sambungan" : "link", agency: l.agency, circuit: l.circuit, breach: l.meetsContract ? "0" : "1",
                             outage: number(l.outageMinutes), availability: number(l.availabilityPercent, 3),
                             contract: number(report.contract.availabilityPercent, 3),
                             state: l.measuredPercent.map { (id ? "diukur poller " : "measured by the poller ") + number($0, 1) + " %" } ?? (id ? "dari catatan gangguan" : "from the fault records"),
                             detail: (id ? "semua gangguan: " : "all faults: ") + number(l.allFaultsOutageMinutes) + (id ? " menit" : " minutes")))
        }
        for f in report.breaches {
            for e in f.evidence?.events ?? [] {
                lines.append(row(id ? "bukti" : "evidence", ticket: String(f.ticket), agency: f.agency, circuit: f.circuit ?? "",
                                 event: e.kind.rawValue + (e.level.map { ":\($0)" } ?? ""), at: local(e.at, zone), by: e.by,
                                 state: e.providerTicket ?? "", detail: e.note ?? ""))
            }
            for d in f.evidence?.deliveries ?? [] {
                lines.append(row(id ? "bukti" : "evidence", ticket: String(f.ticket), agency: f.agency, circuit: f.circuit ?? "",
                                 event: d.channel.rawValue + (d.level.map { ":\($0)" } ?? ""), at: local(d.deliveredAt ?? d.createdAt, zone),
                                 by: d.to.joined(separator: " "), state: d.state.rawValue, detail: d.lastError.map { $0(language) } ?? (d.subject ?? "")))
            }
        }
        return SpreadsheetCSV.document(lines)
    }

    /// The month's faults per agency or technician as CSV: faults, repaired, MTTR in minutes, and one column per cause.
    public static func csv(_ report: FaultsReport, _ language: Language) -> String {
        let id = language == .id
        let causes = FaultCause.allCases.map(\.rawValue) + ["none"]
        var lines: [[String]] = [(id ? [report.by == .agency ? "perangkat_daerah" : "teknisi", "nama", "gangguan", "diperbaiki", "mttr_menit"]
                                     : [report.by.rawValue, "name", "faults", "repaired", "mttr_minutes"]) + causes]
        func line(_ key: String, _ g: GroupLine) -> [String] {
            [key, g.name ?? "", String(g.faults), String(g.repaired), number(g.mttrMinutes)] + causes.map { String(g.causes[$0] ?? 0) }
        }
        lines += report.groups.map { line($0.key, $0) }
        lines.append(line(id ? "jumlah" : "total", report.total))
        return SpreadsheetCSV.document(lines)
    }
}

extension Simpul {
    public var faultReports: FaultReportService { FaultReportService(simpul: self) }
}
