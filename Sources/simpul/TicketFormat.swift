import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// Text forms of tickets for the terminal.
enum TicketFormat {
    /// On time / due soon / late from the stored deadlines, or the status when not running.
    static func standing(_ row: TicketStore.Summary, now: Date) -> Text {
        guard let state = row.lateness(now: now) else { return row.status.title }
        if row.status == .held { return Text(id: "ditahan, \(state.title.id.lowercased())", en: "held, \(state.title.en.lowercased())") }
        return state.title
    }

    static func print(_ detail: TicketService.Detail, time: OfficeTime, language: Language) {
        let ticket = detail.ticket, playbook = detail.playbook, id = language == .id
        Swift.print("#\(detail.id) \(ticket.subject)")
        Swift.print("\(playbook.title(language)) (\(playbook.id) v\(playbook.version))\(detail.headVersion != playbook.version ? (id ? " — versi berlaku: \(detail.headVersion)" : " — current version: \(detail.headVersion)") : "")")
        if let code = ticket.agencyCode { Swift.print((id ? "Perangkat daerah: " : "Agency: ") + "\(code) \(detail.agencyName ?? "")") }
        Swift.print((id ? "Status: " : "Status: ") + ticket.status.title(language) + " · " + (id ? "prioritas " : "priority ") + ticket.priority.title(language).lowercased())
        Swift.print((id ? "Dibuka: " : "Opened: ") + time.format(ticket.openedAt, language) + " " + (id ? "oleh" : "by") + " \(ticket.openedBy)")
        let c = detail.clocks
        Swift.print((id ? "Waktu kantor " : "Office time ") + DurationText.format(c.officeSeconds, language) + " · " +
                    (id ? "pihak ketiga " : "third party ") + DurationText.format(c.thirdPartySeconds, language) + " · " +
                    (id ? "ditahan " : "held ") + DurationText.format(c.heldSeconds, language))
        Swift.print()
        var rows: [[String]] = []
        let clocksByVisit = Dictionary(c.steps.map { ($0.visit, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, visit) in ticket.visits.enumerated() {
            guard let step = playbook.step(visit.stepID), let clock = clocksByVisit[index] else { continue }
            var who = visit.completedBy ?? visit.assignee ?? "-"
            if visit.onBehalf { who += id ? " (atas nama \(step.actor.rawValue))" : " (for \(step.actor.rawValue))" }
            if visit.correction != nil { who += id ? " (koreksi)" : " (correction)" }
            rows.append([step.id, step.actor.rawValue, step.standard?.description ?? "-", DurationText.format(clock.elapsed, language),
                         clock.state.title(language), time.format(visit.enteredAt, language),
                         visit.endedAt.map { time.format($0, language) } ?? (id ? "berjalan" : "running"), who, visit.branch ?? ""])
        }
        let reached = Set(ticket.visits.map(\.stepID))
        for step in playbook.steps where !reached.contains(step.id) {
            rows.append([step.id, step.actor.rawValue, step.standard?.description ?? "-", "", "", "", "", "", ""])
        }
        Output.table([id ? "langkah" : "step", id ? "pelaku" : "actor", id ? "standar" : "standard", id ? "lama" : "elapsed",
                      id ? "keadaan" : "state", id ? "mulai" : "started", id ? "selesai" : "ended", id ? "oleh" : "by", id ? "hasil" : "outcome"], rows)
        if let step = detail.currentStep {
            Swift.print()
            Swift.print((id ? "Langkah saat ini: " : "Current step: ") + "\(step.id) — \(step.title(language)) [\(step.actor.title(language))]")
            if !step.evidence.isEmpty {
                Swift.print((id ? "  bukti: " : "  evidence: ") + step.evidence.map(\.rawValue).joined(separator: ", "))
            }
            if case .branches(let list) = step.exit {
                Swift.print((id ? "  hasil: " : "  outcomes: ") + list.map { "\($0.name) → \($0.target)" }.joined(separator: ", "))
            }
        }
        Swift.print()
        Swift.print(id ? "Riwayat:" : "History:")
        for entry in detail.history {
            var line = "  \(time.format(entry.at, language))  \(entry.by)  \(entry.kind.rawValue)"
            if let step = entry.stepID { line += " \(step)" }
            if let branch = entry.branch { line += " → \(branch)" }
            if let text = entry.text { line += ": \(text.replacingOccurrences(of: "\n", with: " "))" }
            for item in entry.evidence where item.kind != .note || item.value != entry.text {
                line += " [\(item.kind.rawValue): \(item.value.replacingOccurrences(of: "\n", with: " "))]"
            }
            for (key, value) in entry.detail.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
            Swift.print(line)
        }
        if !detail.outbox.isEmpty {
            Swift.print()
            Swift.print(id ? "Pemberitahuan:" : "Notifications:")
            for item in detail.outbox.reversed() {
                Swift.print("  \(time.format(stored: item.createdAt, language))  \(item.kind) → \(item.target)  [\(item.status)]")
            }
        }
    }
}

/// The JSON form of `ticket show --json`.
struct TicketJSON: Encodable {
    struct Clock: Encodable {
        var visit: Int, step: String, actor: String, clock: String, basis: String
        var enteredAt: String, endedAt: String?, standardSeconds: Double?, elapsedSeconds: Double, heldSeconds: Double
        var dueAt: String?, state: String
    }
    var id: Int64
    var ticket: Ticket
    var clocks: [Clock]
    var officeSeconds: Double, thirdPartySeconds: Double, heldSeconds: Double
    var history: [HistoryEntry]

    init(_ detail: TicketService.Detail) {
        id = detail.id
        ticket = detail.ticket
        clocks = detail.clocks.steps.map { c in
            Clock(visit: c.visit, step: c.stepID, actor: detail.playbook.step(c.stepID)?.actor.rawValue ?? "?", clock: c.owner.rawValue,
                  basis: c.basis.rawValue, enteredAt: Timestamp.string(c.enteredAt), endedAt: c.endedAt.map(Timestamp.string),
                  standardSeconds: c.standard, elapsedSeconds: c.elapsed, heldSeconds: c.held, dueAt: c.dueAt.map(Timestamp.string),
                  state: c.state.rawValue)
        }
        officeSeconds = detail.clocks.officeSeconds
        thirdPartySeconds = detail.clocks.thirdPartySeconds
        heldSeconds = detail.clocks.heldSeconds
        history = detail.history
    }
}
