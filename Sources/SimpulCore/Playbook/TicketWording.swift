import Foundation

/// A ticket's history, outcomes and escalations in words, for the ticket page and `ticket show`
/// alike: step and outcome titles instead of their ids, escalation reasons rebuilt in the reader's
/// language from the rule that fired (no `reason_en`, no rule number), each detail under its label.
public struct TicketWording: Sendable {
    public let playbook: Playbook
    public let format: Format

    public init(playbook: Playbook, _ language: Language) {
        self.playbook = playbook
        self.format = Format(language)
    }

    var language: Language { format.language }

    // MARK: Steps and outcomes

    /// A step's title, or its id when the playbook has no such step.
    public func step(_ id: String) -> String { playbook.step(id)?.title(language) ?? id }

    /// Where an outcome or a step leads: the next step's title, or `selesai` / `done`.
    public func target(_ target: StepTarget) -> String {
        switch target {
        case .done: Text(id: "selesai", en: "done")(language)
        case .step(let id): step(id)
        }
    }

    /// The branch named `name`: of step `stepID`, else the one step of the file that has it.
    public func branch(_ name: String, at stepID: String? = nil) -> Branch? {
        if let stepID, let found = playbook.step(stepID)?.branch(name) { return found }
        return playbook.steps.lazy.compactMap { $0.branch(name) }.first
    }

    /// An outcome's title (`Teratasi`), never its name when the playbook gives a title.
    public func outcome(_ name: String, at stepID: String? = nil) -> String {
        (branch(name, at: stepID)?.shownTitle ?? Branch(name: name, target: .done).shownTitle)(language)
    }

    /// `Teratasi → Melaporkan hasil pemeliharaan jaringan`.
    public func outcomeLeads(_ branch: Branch) -> String { "\(branch.shownTitle(language)) → \(target(branch.target))" }

    // MARK: Escalations

    /// Why rule number `index` fires, in this language: `langkah X telah berjalan 100 % dari standar 60 menit`.
    public func escalationReason(rule index: Int) -> String? {
        guard playbook.escalations.indices.contains(index) else { return nil }
        return Self.reason(playbook.escalations[index], in: playbook)(language)
    }

    /// Why `rule` fires, in both languages, written by `Format`.
    public static func reason(_ rule: EscalationRule, in playbook: Playbook) -> Text {
        switch rule.trigger {
        case .elapsed(let stepID, let percent):
            let step = playbook.step(stepID)
            let title = step?.title ?? Text(id: stepID, en: stepID)
            let (id, en) = (Format.id, Format.en)
            let standardID = step?.standard.map(id.standard) ?? "", standardEN = step?.standard.map(en.standard) ?? ""
            return Text(id: "langkah \(title.id) telah berjalan \(id.percent(Double(percent), places: 0)) dari standar \(standardID)",
                        en: "step \(title.en) has run \(en.percent(Double(percent), places: 0)) of its standard \(standardEN)")
        case .branch(let name):
            let owner = playbook.steps.first { $0.branch(name) != nil }
            let outcome = owner?.branch(name)?.shownTitle ?? Branch(name: name, target: .done).shownTitle
            let title = owner?.title ?? Text(id: "?", en: "?")
            return Text(id: "hasil \"\(outcome.id)\" dipilih pada langkah \(title.id)", en: "outcome \"\(outcome.en)\" was chosen at step \(title.en)")
        }
    }

    // MARK: History

    /// What a history entry says besides who and when: an escalation's reason rebuilt from its rule,
    /// else the reason or note written.
    public func text(_ entry: HistoryEntry) -> String? {
        if entry.kind == .escalated, let rule = entry.detail["rule"].flatMap(Int.init), let reason = escalationReason(rule: rule) {
            return reason
        }
        return entry.text
    }

    /// The entry's details as `label: value`, in words: actors and priorities by their titles, an
    /// unassigned step as such; the rule number and the stored English reason are not for people.
    public func details(_ entry: HistoryEntry) -> [String] {
        var lines: [String] = []
        for (key, value) in entry.detail.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "rule", "reason_en", "reason_id": continue
            case "correction", "system": lines.append(Self.detailLabel(key)(language)); continue
            default: break
            }
            let shown: String = switch key {
            case "on_behalf_of", "for", "notify", "escalate_to": StepActor(rawValue: value)?.title(language) ?? value
            case "priority": value.split(separator: "→").map { Priority(rawValue: String($0))?.title(language) ?? String($0) }.joined(separator: " → ")
            case "to", "from", "assignee": value == "-" ? Text(id: "belum ditugaskan", en: "unassigned")(language) : value
            default: value
            }
            lines.append("\(Self.detailLabel(key)(language)): \(shown)")
        }
        return lines
    }

    /// The label of a detail key; an unknown key in words (`some_key` → `some key`).
    public static func detailLabel(_ key: String) -> Text {
        switch key {
        case "assignee": Text(id: "petugas", en: "assignee")
        case "correction": Text(id: "koreksi admin", en: "admin correction")
        case "system": Text(id: "otomatis, oleh Simpul", en: "automatically, by Simpul")
        case "escalate_to": Text(id: "eskalasi ke", en: "escalate to")
        case "for": Text(id: "sebagai atasan dari", en: "as superior of")
        case "from": Text(id: "dari", en: "from")
        case "note": Text(id: "catatan", en: "note")
        case "notify": Text(id: "beri tahu", en: "notify")
        case "on_behalf_of": Text(id: "atas nama", en: "on behalf of")
        case "priority": Text(id: "prioritas", en: "priority")
        case "to": Text(id: "kepada", en: "to")
        default:
            Text(id: key.replacingOccurrences(of: "_", with: " "), en: key.replacingOccurrences(of: "_", with: " "))
        }
    }

    /// `Pemberitahuan` / `Notification` for an outbox row's kind.
    public static func outboxKind(_ kind: String) -> Text {
        switch kind {
        case "notify": Text(id: "Pemberitahuan", en: "Notification")
        case "escalate": Text(id: "Eskalasi", en: "Escalation")
        default: Text(id: kind, en: kind)
        }
    }

    /// An outbox row's status: `Menunggu` / `Pending` …
    public static func outboxStatus(_ status: String) -> Text {
        switch status {
        case "pending": Text(id: "Menunggu", en: "Pending")
        case "sent": Text(id: "Terkirim", en: "Sent")
        case "seen": Text(id: "Dilihat", en: "Seen")
        case "failed": Text(id: "Gagal", en: "Failed")
        default: Text(id: status, en: status)
        }
    }

    /// `role:supervisor` → the role's title; `agency:DINKES` → `Perangkat Daerah DINKES`.
    public static func outboxTarget(_ target: String) -> Text {
        guard let colon = target.firstIndex(of: ":") else { return Text(id: target, en: target) }
        let kind = target[..<colon], value = String(target[target.index(after: colon)...])
        switch kind {
        case "role": return Role(rawValue: value)?.title ?? Text(id: value, en: value)
        case "agency": return Text(id: "\(StepActor.agency.title.id) \(value)", en: "\(StepActor.agency.title.en) \(value)")
        case "provider": return Text(id: "\(StepActor.provider.title.id) \(value)", en: "\(StepActor.provider.title.en) \(value)")
        case "user": return Text(id: value, en: value)
        default: return Text(id: value, en: value)
        }
    }
}

extension HistoryEntry.Kind {
    /// `Dibuka` / `Opened` …
    public var title: Text {
        switch self {
        case .opened: Text(id: "Dibuka", en: "Opened")
        case .started: Text(id: "Diambil", en: "Taken up")
        case .completed: Text(id: "Diselesaikan", en: "Completed")
        case .reassigned: Text(id: "Dialihkan", en: "Reassigned")
        case .held: Text(id: "Ditahan", en: "Held")
        case .resumed: Text(id: "Dilanjutkan", en: "Resumed")
        case .cancelled: Text(id: "Dibatalkan", en: "Cancelled")
        case .reopened: Text(id: "Dibuka kembali", en: "Reopened")
        case .escalated: Text(id: "Eskalasi", en: "Escalated")
        case .closed: Text(id: "Ditutup", en: "Closed")
        }
    }
}
