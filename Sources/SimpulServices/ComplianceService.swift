import Foundation
import SimpulCore
import SimpulStore

/// How well each SOP step met its standard over a period: per step, per agency, per person.
/// Counts the step visits that ended in the period (from the store's per-visit rows).
public struct ComplianceService: Sendable {
    let simpul: Simpul

    public struct StepFigures: Sendable, Codable, Hashable {
        public var stepID: String
        public var title: Text
        public var actor: StepActor
        public var clock: ClockOwner
        public var standard: StandardTime?
        public var standardSeconds: Double?
        public var done: Int
        public var onTime: Int
        /// nil when the step has no standard.
        public var onTimeShare: Double?
        /// Elapsed seconds (of the step's basis), median and 90th percentile.
        public var median: Double?
        public var p90: Double?
        /// Who did it: completed visits per role.
        public var byRole: [String: Int]
        public var onBehalf: Int
    }

    public struct GroupFigures: Sendable, Codable, Hashable {
        public var key: String
        public var name: String
        public var done: Int
        public var timed: Int
        public var onTime: Int
        public var onTimeShare: Double?
        /// Median of elapsed ÷ standard over the timed steps.
        public var medianShareOfStandard: Double?
    }

    public struct Report: Sendable, Codable {
        public var playbookID: String
        public var title: Text
        public var from: Date
        public var to: Date
        public var ticketsOpened: Int
        public var ticketsDone: Int
        public var ticketsCancelled: Int
        public var steps: [StepFigures]
        public var agencies: [GroupFigures]
        public var people: [GroupFigures]
        /// All timed step visits together.
        public var overallOnTimeShare: Double?
    }

    public func report(playbook playbookID: String, from: Date, to: Date, by principal: Principal) throws -> Report {
        try principal.require(.viewEstate)
        guard to > from else {
            throw ServiceError(.invalid, Text(id: "akhir periode harus setelah awalnya", en: "the period must end after it starts"))
        }
        return try simpul.database.read { reader in
            let versions = try PlaybookStore.all(reader).filter { $0.playbook.id == playbookID }
            guard let head = versions.first(where: \.isHead) ?? versions.last else { throw PlaybookService.notLoaded(playbookID, version: nil) }
            let stored = try ComplianceStore.completedVisits(reader, playbookID: playbookID, from: from, to: to)
            struct Visit { var step: String; var elapsed: Double; var standard: Double?; var by: String; var role: String?; var onBehalf: Bool
                           var agency: String?; var agencyName: String?; var person: String? }
            let visits = stored.map { v in
                Visit(step: v.stepId, elapsed: v.elapsedSeconds ?? 0, standard: v.standardSeconds, by: v.completedBy ?? "?",
                      role: v.completedRole, onBehalf: v.onBehalf, agency: v.agencyCode, agencyName: v.agencyName, person: v.fullName)
            }
            // Steps in the current version's order, then any only older versions had.
            var steps: [Step] = head.playbook.steps
            for loaded in versions { for step in loaded.playbook.steps where !steps.contains(where: { $0.id == step.id }) { steps.append(step) } }
            let byStep = Dictionary(grouping: visits, by: \.step)
            let officeDay = try PlaybookStore.calendar(reader).calendar.officeDay
            let figures: [StepFigures] = steps.map { step in
                let list = byStep[step.id] ?? []
                let timed = list.filter { $0.standard != nil }
                let onTime = timed.filter { $0.elapsed <= $0.standard! }.count
                let sorted = list.map(\.elapsed).sorted()
                var roles: [String: Int] = [:]
                for visit in list { roles[visit.role ?? "?", default: 0] += 1 }
                return StepFigures(stepID: step.id, title: step.title, actor: step.actor, clock: step.clock, standard: step.standard,
                                   standardSeconds: step.standard.map { Double($0.seconds(officeDay: officeDay)) },
                                   done: list.count, onTime: onTime, onTimeShare: timed.isEmpty ? nil : Double(onTime) / Double(timed.count),
                                   median: Self.percentile(sorted, 0.5), p90: Self.percentile(sorted, 0.9), byRole: roles,
                                   onBehalf: list.filter(\.onBehalf).count)
            }
            func group(_ key: (Visit) -> String?, _ name: (Visit) -> String?) -> [GroupFigures] {
                let grouped = Dictionary(grouping: visits.filter { key($0) != nil }, by: { key($0)! })
                return grouped.map { key, list in
                    let timed = list.filter { $0.standard != nil && $0.standard! > 0 }
                    let onTime = timed.filter { $0.elapsed <= $0.standard! }.count
                    let shares = timed.map { $0.elapsed / $0.standard! }.sorted()
                    return GroupFigures(key: key, name: list.first.flatMap(name) ?? key, done: list.count, timed: timed.count, onTime: onTime,
                                        onTimeShare: timed.isEmpty ? nil : Double(onTime) / Double(timed.count),
                                        medianShareOfStandard: Self.percentile(shares, 0.5))
                }.sorted { ($0.onTimeShare ?? 2, $0.key) < ($1.onTimeShare ?? 2, $1.key) }
            }
            let timedAll = visits.filter { $0.standard != nil }
            let tickets = try ComplianceStore.ticketCounts(reader, playbookID: playbookID, from: from, to: to)
            return Report(playbookID: playbookID, title: head.playbook.title, from: from, to: to, ticketsOpened: tickets.opened,
                          ticketsDone: tickets.done, ticketsCancelled: tickets.cancelled, steps: figures,
                          agencies: group({ $0.agency }, { $0.agencyName }),
                          people: group({ $0.onBehalf ? nil : $0.by }, { $0.person }),
                          overallOnTimeShare: timedAll.isEmpty ? nil : Double(timedAll.filter { $0.elapsed <= $0.standard! }.count) / Double(timedAll.count))
        }
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        Percentile.nearestRank(sorted, p)
    }

    /// The report as CSV (RFC 4180, through SpreadsheetCSV): one section per table, headers in the
    /// chosen language.
    public static func csv(_ report: Report, _ language: Language) -> String {
        func number(_ value: Double?, _ digits: Int = 1) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }
        func minutes(_ seconds: Double?) -> String { number(seconds.map { $0 / 60 }) }
        let id = language == .id
        var lines: [[String]] = []
        lines.append([id ? "bagian" : "section", id ? "kunci" : "key", id ? "nama" : "name", id ? "pelaku" : "actor", id ? "jam" : "clock",
                      id ? "standar" : "standard", id ? "standar_menit" : "standard_minutes", id ? "selesai" : "done",
                      id ? "tepat_waktu" : "on_time", id ? "persen_tepat_waktu" : "on_time_percent", id ? "median_menit" : "median_minutes",
                      id ? "p90_menit" : "p90_minutes", id ? "median_persen_standar" : "median_percent_of_standard", id ? "dicatat_atas_nama" : "on_behalf"])
        for step in report.steps {
            lines.append([id ? "langkah" : "step", step.stepID, step.title(language), step.actor.rawValue, step.clock.rawValue,
                          step.standard?.description ?? "", minutes(step.standardSeconds), String(step.done), String(step.onTime),
                          number(step.onTimeShare.map { $0 * 100 }), minutes(step.median), minutes(step.p90), "", String(step.onBehalf)])
        }
        for (section, groups) in [(id ? "perangkat_daerah" : "agency", report.agencies), (id ? "orang" : "person", report.people)] {
            for g in groups {
                lines.append([section, g.key, g.name, "", "", "", "", String(g.done), String(g.onTime),
                              number(g.onTimeShare.map { $0 * 100 }), "", "", number(g.medianShareOfStandard.map { $0 * 100 }), ""])
            }
        }
        return SpreadsheetCSV.document(lines)
    }
}
