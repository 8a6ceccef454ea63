import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/tickets/:id`: one ticket — its header, the SOP as a timeline, the forms to act on the
/// current step, its history and its notifications. Each form posts to `/tickets/:id/<event>`;
/// `TicketService.act` decides, and a refusal shows this page again with its message (422).
struct TicketPageRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/tickets/:id", offPool: { request, context in try ticketPage(request, context, id: try Self.id(context)) })
        pages.post("/tickets/:id/start", offPool: { request, context in try await simple(.start, request, context) })
        pages.post("/tickets/:id/complete", offPool: complete)
        pages.post("/tickets/:id/hold", offPool: { request, context in try await simple(.hold, request, context) })
        pages.post("/tickets/:id/resume", offPool: { request, context in try await simple(.resume, request, context) })
        pages.post("/tickets/:id/reassign", offPool: { request, context in
            try await simple(.reassign(to: context.form.text("to").nilIfEmpty), request, context)
        })
        pages.post("/tickets/:id/cancel", offPool: { request, context in try await simple(.cancel, request, context) })
        pages.post("/tickets/:id/reopen", offPool: { request, context in try await simple(.reopen, request, context) })
    }

    static func id(_ context: WebContext) throws -> Int64 {
        let id = try context.parameters.rowID("id")
        return id
    }

    /// What the forms were filled with, to show them again after a refusal.
    struct Draft {
        var form = ""
        var evidence: [EvidenceKind: String] = [:]
        /// Files already stored for this attempt (`attachment:<id> <name>`), kept so they need not be sent again.
        var kept: [EvidenceKind: [String]] = [:]
        var branch = "", note = "", assignTo = "", reason = "", to = ""
    }

    // MARK: Acting

    /// One event; what it wrote to the outbox (a cancelled hosting request's DNS removal) is delivered
    /// at once after the commit, without holding a thread while the server answers. A delivery that
    /// fails stays in the outbox, retried, and shows on the ticket's page.
    func simple(_ event: TicketEvent, _ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.id(context)
        let form = context.form
        let reason = form.text("reason").nilIfEmpty
        do {
            let written = try simpul.tickets.act(id, event, reason: reason, expecting: try Self.expected(form), by: principal)
            if !written.isEmpty { _ = await simpul.outbox.deliverAtOnce(written) }
        } catch let error as ServiceError where error.kind != .notFound || (try? simpul.tickets.detail(id, by: principal)) != nil {
            let draft = Draft(form: event.name, reason: form["reason"] ?? "", to: form.text("to"))
            return try ticketPage(request, context, id: id, error: error.text(context.language), draft: draft, status: .unprocessableContent)
        }
        return .seeOther("/tickets/\(id)?done=\(event.name)")
    }

    /// Completes the current step: stores each uploaded file first (`attach`), then records the
    /// step with every piece of evidence (`act(.complete)`), in the service's two transactions.
    /// The step visit a form was for (its hidden `step` and `visit`), nil when the form has none.
    static func expected(_ form: FormData) throws -> StepRef? {
        let step = form.text("step")
        guard !step.isEmpty, let visit = try form.integer("visit", Text(id: "kunjungan langkah", en: "step visit"), in: 0...10_000) else { return nil }
        return StepRef(stepID: step, visit: visit)
    }

    func complete(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.id(context)
        let form = context.form
        var draft = Draft(form: "complete", branch: form.text("branch"), note: form["note"] ?? "", assignTo: form.text("assign_to"),
                          reason: form["reason"] ?? "")
        let detail = try simpul.tickets.detail(id, by: principal)
        let expected = try Self.expected(form)
        // Files are stored only when the step is one this user may complete, and the one the form
        // was for: a refusal then comes from `act`, and no file is left behind for it.
        let stale = expected.map { !TicketMachine.isCurrent($0, on: detail.ticket) } ?? false
        let mayAct = !stale && detail.ticket.status == .open && detail.currentStep.map {
            TicketMachine.capacity(principal, for: $0.actor, agency: detail.ticket.agencyCode) != nil
        } == true
        var evidence: [Evidence] = []
        do {
            for kind in EvidenceKind.allCases where kind != .signature {
                let name = "ev_\(kind.rawValue)"
                if kind.isFile {
                    var values = form.all("kept_\(kind.rawValue)").filter { Evidence.file($0) != nil }
                    draft.kept[kind] = values
                    if mayAct {
                        for file in context.files where file.name == name {
                            let value = try simpul.tickets.attach(id, kind: kind, fileName: file.fileName ?? "berkas",
                                                                  contentType: file.contentType ?? "application/octet-stream",
                                                                  data: Data(file.data), by: principal)
                            values.append(value)
                            draft.kept[kind] = values
                        }
                    }
                    if !values.isEmpty { evidence.append(Evidence(kind: kind, value: values.joined(separator: "\n"))) }
                } else if let value = form[name] {
                    draft.evidence[kind] = value
                    evidence.append(Evidence(kind: kind, value: value))
                }
            }
            try simpul.tickets.act(id, .complete(evidence: evidence, branch: draft.branch.nilIfEmpty, note: draft.note.nilIfEmpty,
                                                 assignTo: draft.assignTo.nilIfEmpty),
                                   reason: draft.reason.nilIfEmpty, expecting: expected, by: principal)
        } catch let error as ServiceError {
            return try ticketPage(request, context, id: id, error: error.text(context.language), draft: draft, status: .unprocessableContent)
        }
        return .seeOther("/tickets/\(id)?done=complete")
    }

    // MARK: The page

    func ticketPage(_ request: Request, _ context: WebContext, id: Int64, error: String? = nil, draft: Draft = Draft(),
                    status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let clock = renderer.clock(context)
        let detail = try simpul.tickets.detail(id, by: principal)
        let ticket = detail.ticket
        let playbook = detail.playbook
        let current = detail.currentStep
        let currentClock = detail.clocks.current
        let done = FormData(encoded: request.uri.query).text("done")
        let notice = error == nil ? TicketEvent.Name(rawValue: done).map { words("ticket_done_\($0.rawValue)") } : nil
        let state: ClockState? = ticket.status == .open ? currentClock?.state : nil
        let header = view([
            "id": id, "subject": ticket.subject,
            "playbook": playbook.title(language), "playbookID": playbook.id, "version": playbook.version,
            "newer": detail.headVersion != playbook.version
                ? renderer.catalogue.text("ticket_newer_version", language, String(detail.headVersion), String(playbook.version)) : nil,
            "agency": ticket.agencyCode, "agencyName": detail.agencyName,
            "badge": TicketViews.badge(state: state, status: ticket.status, language),
            "status": ticket.status.title(language), "statusClass": "status-\(ticket.status.rawValue)",
            "priority": ticket.priority.title(language), "priorityClass": "priority-\(ticket.priority.rawValue)",
            "opened": clock.show(ticket.openedAt), "openedBy": AuditWording.actor(ticket.openedBy)(language), "closed": clock.show(ticket.closedAt),
            "step": current?.title(language), "actor": current?.actor.title(language),
            "assignee": ticket.current.map { $0.assignee ?? words("ticket_unassigned") },
            "due": clock.show(currentClock?.dueAt),
            "officeTime": DurationText.format(detail.clocks.officeSeconds, language),
            "thirdPartyTime": DurationText.format(detail.clocks.thirdPartySeconds, language),
            "heldTime": DurationText.format(detail.clocks.heldSeconds, language),
            "hold": ticket.activeHold.map { hold in view(["reason": hold.reason, "by": AuditWording.actor(hold.by)(language), "since": clock.show(hold.start)]) },
        ])
        return renderer.page("ticket", title: "#\(id) \(ticket.subject)", view([
            "ticket": header,
            "timeline": TicketViews.timeline(detail, clock: clock, words: words),
            "act": try actions(detail, principal: principal, draft: draft, words: words),
            "actError": error,
            "notice": notice,
            "history": detail.history.map { TicketViews.history($0, playbook: playbook, clock: clock, words: words) },
            "deliveries": DeliveryViews.troubled(detail.troubled, clock: clock, language: language),
            "allDeliveries": DeliveryViews.all(detail.deliveries, attempts: detail.attempts, clock: clock, language: language),
            "outbox": detail.notifications.map { TicketViews.outbox($0, playbook: playbook, clock: clock, words: words) },
            "hasAttachments": !detail.attachments.isEmpty,
            "attachments": detail.attachments.map { file in
                view(["href": "/attachments/\(file.id)", "name": file.fileName, "kind": EvidenceKind(rawValue: file.kind)?.title(language),
                      "size": Format(language).bytes(file.size), "by": AuditWording.actor(file.uploadedBy)(language), "at": clock.show(file.uploadedAt)])
            },
        ]), request: request, context: context, status: status)
    }

    /// The forms this user may use now, filled from `draft` after a refusal; nil when none.
    func actions(_ detail: TicketService.Detail, principal: Principal, draft: Draft, words: Wording) throws -> View? {
        let language = words.language
        let allowed = TicketService.actions(detail, by: principal)
        let module = TicketService.moduleLink(detail)
        guard allowed.any || (module != nil && allowed.capacity != nil) else { return nil }
        let ticket = detail.ticket
        let playbook = detail.playbook
        let step = detail.currentStep
        var result: View = ["start": allowed.start, "hold": allowed.hold, "resume": allowed.resume, "cancel": allowed.cancel,
                            "reopen": allowed.reopen, "correction": allowed.capacity == .correction]
        // A step a module does is done on the module's page: a link instead of the completion form.
        if let module, let action = allowed.doneBy, allowed.mayDo(action) {
            result["moduleLink"] = ["path": module.path, "text": words.catalogue.text("ticket_module_step", language, module.title(language))]
        }
        // The visit this page shows, sent back with a start or a completion: a second click or a
        // re-sent page is then refused instead of acting on the next step.
        if let current = ticket.current { result["stepRef"] = ["step": current.stepID, "visit": ticket.visits.count - 1] }
        if let step {
            result["stepTitle"] = step.title(language)
            let actor = step.actor.title(language)
            switch allowed.capacity {
            case .onBehalf: result["capacityNote"] = words.catalogue.text("ticket_capacity_on_behalf", language, actor)
            case .superior: result["capacityNote"] = words.catalogue.text("ticket_capacity_superior", language, actor)
            case .correction: result["capacityNote"] = words.catalogue.text("ticket_capacity_correction", language, actor)
            case .actor, .system, nil: break
            }
        }
        if allowed.complete, let step {
            // The first step's note starts as the complaint typed when the ticket was opened.
            let opening = step.id == playbook.firstStep.id && ticket.visits.count == 1
                ? detail.history.first.flatMap { $0.kind == .opened ? $0.detail["note"] : nil } : nil
            let fields: [View] = step.evidence.filter { $0 != .signature }.map { kind in
                let kept = draft.kept[kind] ?? []
                return view([
                    "kind": kind.rawValue, "name": "ev_\(kind.rawValue)", "fieldID": "ev-\(kind.rawValue)",
                    "label": kind.title(language), "hint": words.catalogue.tables[language]?["evidence_hint_\(kind.rawValue)"],
                    "isFile": kind.isFile, "isPhoto": kind == .photo, "isLong": kind == .note || kind == .report,
                    "isLine": !kind.isFile && kind != .note && kind != .report,
                    "fieldValue": draft.evidence[kind] ?? (kind == .note ? opening ?? "" : ""), "required": !kind.isFile || kept.isEmpty,
                    "keptName": "kept_\(kind.rawValue)",
                    "kept": kept.compactMap { value in Evidence.file(value).map { ["keptValue": value, "fileName": $0.name] } },
                ])
            }
            let branches: [View] = step.exit.branches.map { branch in
                ["value": branch.name, "label": branch.shownTitle(language), "target": TicketViews.target(branch.target, in: playbook, words),
                 "checked": branch.name == draft.branch, "fieldID": "branch-\(branch.name)"]
            }
            let nextSteps = step.exit.targets.compactMap { target -> Step? in
                if case .step(let id) = target { return playbook.step(id) }
                return nil
            }
            let candidates = nextSteps.isEmpty ? [] : try simpul.tickets.assignable(for: nextSteps, agency: ticket.agencyCode, by: principal)
            result["complete"] = view([
                "fields": fields, "multipart": step.evidence.contains(where: \.isFile),
                "signature": step.evidence.contains(.signature),
                "branchChoice": branches.isEmpty ? nil : ["options": branches],
                "assign": candidates.isEmpty ? nil : ["options": TicketViews.userOptions(candidates, selected: draft.assignTo, language)],
                "showNote": !step.evidence.contains(.note),
                "nextStep": nextSteps.count == 1 ? nextSteps[0].title(language) : nil,
                "correction": allowed.capacity == .correction,
                "note": draft.note, "reason": draft.form == "complete" ? draft.reason : "",
            ])
        }
        if allowed.reassign, let step {
            let candidates = try simpul.tickets.assignable(for: [step], agency: ticket.agencyCode, by: principal)
            let selected = draft.form == "reassign" ? draft.to : ticket.assignee
            result["reassign"] = ["options": TicketViews.userOptions(candidates, selected: selected, language)]
        }
        for form in TicketEvent.Name.allCases where form != .complete {
            result["\(form.rawValue)Reason"] = draft.form == form.rawValue ? draft.reason : ""
        }
        return result
    }
}
