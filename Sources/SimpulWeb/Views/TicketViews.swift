import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

extension PageClock {
    func show(_ date: Date?) -> String? { date.map { time.format($0, language) } }
}

/// Tickets as template views. Presentation only: what a user may see and do is the service's rule.
enum TicketViews {
    /// A ticket's standing from its stored deadlines; nil shows its status instead.
    static func lateness(_ summary: TicketStore.Summary, now: Date) -> ClockState? { summary.lateness(now: now) }

    /// A coloured label: a clock state (`state-late` …) or, without one, the ticket's status.
    static func badge(state: ClockState?, status: TicketStatus, _ language: Language) -> View {
        if let state { return ["label": state.title(language), "class": "state-\(state.rawValue)"] }
        return ["label": status.title(language), "class": "status-\(status.rawValue)"]
    }

    /// The ticket table of the list and of "my work", in the order given (most overdue first).
    static func table(_ rows: [TicketStore.Summary], playbooks: [String: Playbook], now: Date, clock: PageClock, words: Wording) -> HTML {
        let language = clock.language
        var html = HTML(capacity: 1024 + rows.count * 900)
        let due = words("col_due"), step = words("col_step"), agency = words("col_agency")
        let assignee = words("col_assignee"), priority = words("col_priority"), unassigned = words("ticket_unassigned")
        html.markup("<div class=\"scroll\">\n<table class=\"tickets cards\">\n<thead><tr><th scope=\"col\">")
        html.text(words("col_ticket"))
        html.markup("</th><th scope=\"col\">")
        html.text(words("tickets_lateness"))
        for heading in [step, agency, assignee, priority] {
            html.markup("</th><th scope=\"col\">")
            html.text(heading)
        }
        html.markup("</th></tr></thead>\n<tbody>\n")
        for summary in rows {
            let playbook = playbooks[Playbook.versionKey(id: summary.playbookID, version: summary.playbookVersion)]
            let current = summary.currentStep.flatMap { playbook?.step($0) }
            html.markup("<tr id=\"ticket-")
            html.text(summary.id)
            html.markup("\" class=\"ticket-row\"><td class=\"wrap\"><a class=\"ticket-link\" href=\"/tickets/")
            html.text(summary.id)
            html.markup("\">#")
            html.text(summary.id)
            html.markup("</a> ")
            html.text(summary.subject)
            html.markup("<br><small>")
            html.text(playbook?.title(language) ?? summary.playbookID)
            html.markup("</small></td>\n<td data-label=\"")
            html.text(due)
            html.markup("\">")
            if let state = lateness(summary, now: now) {
                html.markup("<span class=\"badge state-")
                html.text(state.rawValue)
                html.markup("\">")
                html.text(state.title(language))
            } else {
                html.markup("<span class=\"badge status-")
                html.text(summary.status.rawValue)
                html.markup("\">")
                html.text(summary.status.title(language))
            }
            html.markup("</span>")
            if summary.status.isActive, let at = clock.show(summary.dueAt) {
                html.markup(" <small class=\"due\">")
                html.text(at)
                html.markup("</small>")
            }
            if let closed = clock.show(summary.closedAt) {
                html.markup(" <small>")
                html.text(closed)
                html.markup("</small>")
            }
            html.markup("</td>\n<td class=\"wrap\" data-label=\"")
            html.text(step)
            html.markup("\">")
            html.text(current?.title(language) ?? summary.currentStep ?? "")
            if let actor = current?.actor {
                html.markup(" <small>(")
                html.text(actor.title(language))
                html.markup(")</small>")
            }
            html.markup("</td>\n<td data-label=\"")
            html.text(agency)
            html.markup("\">")
            if let code = summary.agencyCode {
                html.markup("<abbr title=\"")
                html.text(summary.agencyName ?? "")
                html.markup("\">")
                html.text(code)
                html.markup("</abbr>")
            } else {
                html.markup("–")
            }
            html.markup("</td>\n<td data-label=\"")
            html.text(assignee)
            html.markup("\">")
            if let name = summary.assignee {
                html.text(name)
            } else {
                html.markup("<span class=\"muted\">")
                html.text(unassigned)
                html.markup("</span>")
            }
            html.markup("</td>\n<td data-label=\"")
            html.text(priority)
            html.markup("\"><span class=\"priority-")
            html.text(summary.priority.rawValue)
            html.markup("\">")
            html.text(summary.priority.title(language))
            html.markup("</span></td></tr>\n")
        }
        if rows.isEmpty {
            html.markup("<tr><td colspan=\"6\" class=\"muted\">")
            html.text(words("tickets_none"))
            html.markup("</td></tr>\n")
        }
        html.markup("</tbody>\n</table>\n</div>\n")
        return html
    }

    /// The value of a piece of evidence as lines: files become links, a signature who and when.
    static func evidence(_ item: Evidence, clock: PageClock) -> View {
        let lines = item.value.split(separator: "\n", omittingEmptySubsequences: true).map { line -> View in
            if item.kind.isFile, let file = Evidence.file(line) {
                return ["isFile": true, "href": "/attachments/\(file.id)", "name": file.name]
            }
            if item.kind == .signature, let space = line.lastIndex(of: " "), let at = Timestamp.date(String(line[line.index(after: space)...])) {
                return ["isFile": false, "text": "\(line[..<space]) · \(clock.time.format(at, clock.language))"]
            }
            return ["isFile": false, "text": String(line)]
        }
        return ["kind": item.kind.title(clock.language), "kindID": item.kind.rawValue, "lines": lines]
    }

    /// `<step title>` for a branch's target, or the word for done.
    static func target(_ target: StepTarget, in playbook: Playbook, _ words: Wording) -> String {
        switch target {
        case .done: words("ticket_target_done")
        case .step(let id): playbook.step(id)?.title(words.language) ?? id
        }
    }

    // MARK: The timeline

    /// Every step of the playbook in order, with each visit to it; steps not reached greyed.
    static func timeline(_ detail: TicketService.Detail, clock: PageClock, words: Wording) -> [View] {
        let language = clock.language
        let playbook = detail.playbook
        let clocks = Dictionary(detail.clocks.steps.map { ($0.visit, $0) }, uniquingKeysWith: { a, _ in a })
        let currentIndex = detail.ticket.current == nil ? nil : detail.ticket.visits.count - 1
        return playbook.steps.enumerated().map { position, step in
            let visits = detail.ticket.visits.enumerated().filter { $0.element.stepID == step.id }
            let visitViews = visits.map { index, visit in
                self.visit(index, visit, step: step, clock: clocks[index], current: index == currentIndex, repeated: visits.count > 1,
                           playbook: playbook, detail: detail, clockFormat: clock, words: words)
            }
            let last = visits.last.flatMap { clocks[$0.offset] }
            let isCurrent = visits.last.map { $0.offset == currentIndex } ?? false
            let stateClass = visits.isEmpty ? "pending" : "state-\(last?.state.rawValue ?? ClockState.untimed.rawValue)"
            return view([
                "id": step.id, "number": step.sourceStep.map(String.init) ?? "·\(position + 1)",
                "title": step.title(language), "actor": step.actor.title(language),
                "standard": step.standard?.text(language) ?? words("ticket_no_standard"),
                "owner": step.clock.title(language),
                "reached": !visits.isEmpty, "current": isCurrent,
                "class": [stateClass, isCurrent ? "current" : nil, visits.isEmpty ? nil : (isCurrent ? nil : "done")]
                    .compactMap { $0 }.joined(separator: " "),
                "visits": visitViews,
            ])
        }
    }

    static func visit(_ index: Int, _ visit: StepVisit, step: Step, clock stepClock: StepClock?, current: Bool, repeated: Bool,
                      playbook: Playbook, detail: TicketService.Detail, clockFormat clock: PageClock, words: Wording) -> View {
        let language = clock.language
        let state = stepClock?.state ?? .untimed
        var who: String?
        if let by = visit.completedBy {
            who = AuditWording.actor(by)(language) + (visit.completedRole.map { " (\($0.title(language)))" } ?? "")
        }
        let branch = visit.branch.flatMap { name in step.branch(name) }.map { branch in
            ["name": branch.shownTitle(language), "target": target(branch.target, in: playbook, words)]
        }
        return view([
            "number": index + 1, "repeated": repeated, "current": current,
            "class": "state-\(state.rawValue)",
            "state": state.title(language),
            "elapsed": stepClock.map { DurationText.format($0.elapsed, language) },
            "visitStandard": step.standard?.text(language),
            "basis": stepClock.map { words("ticket_basis_\($0.basis.rawValue)") },
            "entered": clock.show(visit.enteredAt), "started": clock.show(visit.startedAt), "startedBy": visit.startedBy.map { AuditWording.actor($0)(language) },
            "ended": clock.show(visit.endedAt),
            "visitDue": current ? clock.show(stepClock?.dueAt) : nil,
            "cancelled": visit.outcome == .cancelled,
            "completedBy": who,
            "onBehalf": visit.onBehalf ? words.catalogue.text("ticket_on_behalf", language, step.actor.title(language)) : nil,
            "correction": visit.correction,
            "taken": branch,
            "visitAssignee": visit.assignee,
            "held": (stepClock?.held ?? 0) > 0 ? DurationText.format(stepClock?.held ?? 0, language) : nil,
            "holds": visit.holds.map { hold in
                view(["start": clock.show(hold.start), "end": clock.show(hold.end), "reason": hold.reason, "by": AuditWording.actor(hold.by)(language)])
            },
            "evidence": visit.evidence.map { evidence($0, clock: clock) },
        ])
    }

    // MARK: History and outbox

    /// One history line, worded by `TicketWording` (the same words `simpul ticket show` prints).
    static func history(_ entry: HistoryEntry, playbook: Playbook, clock: PageClock, words: Wording) -> View {
        let language = clock.language
        let wording = TicketWording(playbook: playbook, language)
        let details = wording.details(entry)
        return view([
            "at": clock.show(entry.at), "by": AuditWording.actor(entry.by)(language), "role": entry.role?.title(language),
            "kind": entry.kind.title(language), "kindID": entry.kind.rawValue,
            "histStep": entry.stepID.map(wording.step), "histVisit": entry.visit.map { $0 + 1 },
            "histBranch": entry.branch.map { wording.outcome($0, at: entry.stepID) }, "histText": wording.text(entry),
            "details": details.isEmpty ? nil : details.joined(separator: " · "),
            "evidence": entry.evidence.map { evidence($0, clock: clock) },
        ])
    }

    /// One notification or escalation; with the ticket's `playbook` its reason is rebuilt in the
    /// reader's language from the rule, else the stored reason of that language is shown.
    static func outbox(_ item: TicketStore.Notification, playbook: Playbook? = nil, clock: PageClock, words: Wording) -> View {
        let language = clock.language
        let payload = (try? StoredJSON.decode([String: String].self, from: item.payload)) ?? [:]
        let reason = playbook.flatMap { playbook in
            payload["rule"].flatMap(Int.init).flatMap { TicketWording(playbook: playbook, language).escalationReason(rule: $0) }
        }
        return view([
            "id": item.id, "at": clock.show(item.createdAt), "kind": TicketWording.outboxKind(item.kind)(language),
            "target": target(item.target, language), "status": TicketWording.outboxStatus(item.status)(language),
            "statusClass": "outbox-\(item.status)", "attempts": item.attempts, "error": item.lastError,
            "reason": reason ?? (language == .id ? payload["reason_id"] : payload["reason_en"] ?? payload["reason_id"]),
            "ticket": item.ticketID, "subject": payload["subject"],
        ])
    }

    /// `role:supervisor` → the role's title; `agency:DINKES` → `Perangkat Daerah DINKES`.
    static func target(_ target: String, _ language: Language) -> String { TicketWording.outboxTarget(target)(language) }

    /// Options of a user select: `username — Full Name (Role)`.
    static func userOptions(_ users: [TicketService.Assignable], selected: String?, _ language: Language) -> [View] {
        users.map { user in
            ["value": user.username, "label": "\(user.username) — \(user.fullName) (\(user.role.title(language)))",
             "selected": user.username == selected]
        }
    }
}
