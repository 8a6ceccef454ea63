import Foundation
import SimpulCore
import SimpulStore

extension Listing {
    /// `simpul ticket show`: the SOP as a timeline, the current step with its outcomes, the history and
    /// the notifications, every step, outcome, actor, evidence kind and escalation in words
    /// (`TicketWording`, the same words the ticket page uses).
    public func ticket(_ detail: TicketService.Detail) -> [String] {
        let ticket = detail.ticket, playbook = detail.playbook
        let wording = TicketWording(playbook: playbook, language)
        let t = { (id: String, en: String) in Text(id: id, en: en)(language) }
        var lines: [String] = []
        lines.append("#\(detail.id) \(ticket.subject)")
        var service = "\(playbook.title(language)) (\(t("versi", "version")) \(playbook.version))"
        if detail.headVersion != playbook.version { service += " — \(t("versi berlaku", "current version")): \(detail.headVersion)" }
        lines.append(service)
        if let code = ticket.agencyCode { lines.append("\(t("Instansi", "Agency")): \(code) \(detail.agencyName ?? "")") }
        lines.append("\(t("Status", "Status")): \(ticket.status.title(language)) · \(t("prioritas", "priority")) \(ticket.priority.title(language).lowercased())")
        lines.append("\(t("Dibuka", "Opened")): \(time.format(ticket.openedAt, language)) \(t("oleh", "by")) \(AuditWording.actor(ticket.openedBy)(language))")
        let c = detail.clocks
        lines.append("\(t("Waktu kantor", "Office time")) \(format.duration(c.officeSeconds)) · \(t("pihak ketiga", "third party")) \(format.duration(c.thirdPartySeconds))"
                     + " · \(t("ditahan", "held")) \(format.duration(c.heldSeconds))")
        lines.append("")

        var rows: [[String]] = []
        let clocksByVisit = Dictionary(c.steps.map { ($0.visit, $0) }, uniquingKeysWith: { a, _ in a })
        func number(_ step: Step) -> String {
            step.sourceStep.map(String.init) ?? "·\((playbook.steps.firstIndex(of: step) ?? 0) + 1)"
        }
        for (index, visit) in ticket.visits.enumerated() {
            guard let step = playbook.step(visit.stepID), let clock = clocksByVisit[index] else { continue }
            var who = (visit.completedBy ?? visit.assignee).map { AuditWording.actor($0)(language) } ?? "-"
            if visit.onBehalf { who += " (\(t("atas nama", "for")) \(step.actor.title(language)))" }
            if visit.correction != nil { who += " (\(t("koreksi", "correction")))" }
            rows.append([number(step), Self.brief(step.title(language)), step.actor.title(language), step.standard.map(format.standard) ?? "-",
                         format.duration(clock.elapsed), clock.state.title(language), time.format(visit.enteredAt, language),
                         visit.endedAt.map { time.format($0, language) } ?? t("berjalan", "running"), who,
                         visit.branch.map { wording.outcome($0, at: step.id) } ?? ""])
        }
        let reached = Set(ticket.visits.map(\.stepID))
        for step in playbook.steps where !reached.contains(step.id) {
            rows.append([number(step), Self.brief(step.title(language)), step.actor.title(language), step.standard.map(format.standard) ?? "-",
                         "", "", "", "", "", ""])
        }
        lines += TextTable([h("#", "#"), h("langkah", "step"), h("pelaku", "actor"), h("standar", "standard"), h("lama", "elapsed"),
                            h("keadaan", "state"), h("mulai", "started"), h("selesai", "ended"), h("oleh", "by"), h("hasil", "outcome")], rows).lines

        if let step = detail.currentStep {
            lines.append("")
            lines.append("\(t("Langkah saat ini", "Current step")): \(step.title(language)) [\(step.actor.title(language))]")
            if !step.evidence.isEmpty {
                lines.append("  \(t("bukti", "evidence")): " + step.evidence.map { $0.title(language) }.joined(separator: ", "))
            }
            if case .branches(let list) = step.exit {
                lines.append("  \(t("hasil", "outcomes")): " + list.map(wording.outcomeLeads).joined(separator: "; "))
                lines.append("  " + t("(pilih dengan --branch: ", "(choose with --branch: ") + list.map(\.name).joined(separator: ", ") + ")")
            }
        }

        lines.append("")
        lines.append(t("Riwayat:", "History:"))
        for entry in detail.history {
            var line = "  \(time.format(entry.at, language))  \(AuditWording.actor(entry.by)(language))"
            if let role = entry.role { line += " (\(role.title(language)))" }
            line += "  \(entry.kind.title(language))"
            if let step = entry.stepID { line += ": \(wording.step(step))" }
            if let branch = entry.branch { line += " → \(wording.outcome(branch, at: entry.stepID))" }
            if let text = wording.text(entry) { line += " — \(text.replacingOccurrences(of: "\n", with: " "))" }
            for item in entry.evidence where item.kind != .note || item.value != entry.text {
                line += " [\(item.kind.title(language)): \(item.value.replacingOccurrences(of: "\n", with: " "))]"
            }
            let details = wording.details(entry)
            if !details.isEmpty { line += " · " + details.joined(separator: " · ") }
            lines.append(line)
        }
        if !detail.notifications.isEmpty {
            lines.append("")
            lines.append(t("Pemberitahuan:", "Notifications:"))
            for item in detail.notifications.reversed() {
                let payload = (try? StoredJSON.decode([String: String].self, from: item.payload)) ?? [:]
                let reason = payload["rule"].flatMap(Int.init).flatMap(wording.escalationReason(rule:))
                lines.append("  \(time.format(stored: item.createdAt, language))  \(TicketWording.outboxKind(item.kind)(language)) → "
                             + "\(TicketWording.outboxTarget(item.target)(language))  [\(TicketWording.outboxStatus(item.status)(language))]"
                             + (reason.map { " — \($0)" } ?? ""))
            }
        }
        return lines
    }
}
