import Hummingbird
import SimpulCore
import SimpulServices

/// `/playbooks`: the SOPs as loaded — which version new tickets start on, and each step's
/// actor, standard time, calendar, clock owner and evidence.
struct PlaybookRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/playbooks", offPool: list)
        pages.get("/playbooks/:id", offPool: playbook)
    }

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let rows = try simpul.playbooks.list(by: principal).map { loaded -> View in
            let p = loaded.playbook
            return view(["id": p.id, "title": p.title(language), "version": p.version, "sop": p.source.sop, "sopTitle": p.source.title,
                         "document": p.source.document, "date": p.source.date, "steps": p.steps.count,
                         "calendar": words("calendar_\(p.calendar.rawValue)")])
        }
        return renderer.page("playbooks", title: words("nav_playbooks"), ["playbooks": rows], request: request, context: context)
    }

    func playbook(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let version = try FormData(encoded: request.uri.query).integer("version", Text(id: "versi", en: "version"), in: Bounds.playbookVersion)
        let loaded = try simpul.playbooks.playbook(try context.parameters.require("id"), version: version, by: principal)
        let p = loaded.playbook
        let steps = p.steps.enumerated().map { index, step -> View in
            let exits: [String] = switch step.exit {
            case .next(let target): [TicketViews.target(target, in: p, words)]
            case .branches(let list): list.map { "\($0.shownTitle(language)) → \(TicketViews.target($0.target, in: p, words))" }
            }
            return view([
                "number": step.sourceStep.map { "\($0)\(step.sourceRef.map { " (\($0))" } ?? "")" } ?? "·\(index + 1)",
                "id": step.id, "title": step.title(language), "actor": step.actor.title(language),
                "standard": step.standard?.text(language) ?? words("ticket_no_standard"),
                "calendar": words("calendar_\(p.calendar(of: step).rawValue)"),
                "owner": step.clock.title(language), "needs": step.needs?(language), "produces": step.produces?(language),
                "evidence": step.evidence.map { $0.title(language) }.joined(separator: ", ").nilIfEmpty,
                "exits": exits,
            ])
        }
        let escalations = p.escalations.map { rule -> View in
            var when: String
            switch rule.trigger {
            case .elapsed(let stepID, let percent):
                when = renderer.catalogue.text("playbook_when_elapsed", language, p.step(stepID)?.title(language) ?? stepID,
                                               Format(language).percent(Double(percent), places: 0))
            case .branch(let name):
                when = renderer.catalogue.text("playbook_when_branch", language, TicketWording(playbook: p, language).outcome(name))
            }
            var then: [String] = []
            if let notify = rule.notify { then.append(renderer.catalogue.text("playbook_then_notify", language, notify.title(language))) }
            if let to = rule.escalateTo { then.append(renderer.catalogue.text("playbook_then_escalate", language, to.title(language))) }
            if rule.raisePriority { then.append(words("playbook_then_raise")) }
            return ["when": when, "then": then.joined(separator: "; ")]
        }
        return renderer.page("playbook", title: p.title(language), view([
            "playbook": view([
                "id": p.id, "title": p.title(language), "version": p.version, "isHead": loaded.isHead,
                "sop": p.source.sop, "sopTitle": p.source.title, "document": p.source.document, "date": p.source.date,
                "merged": p.mergedFrom.map { ["ref": $0.ref, "sop": $0.source.sop, "title": $0.source.title] },
                "calendar": words("calendar_\(p.calendar.rawValue)"),
                "recurrence": p.recurrence.map { renderer.catalogue.text("playbook_recurrence", language, $0.every.text(language), $0.openBefore.text(language)) },
                "loaded": renderer.clock(context).show(loaded.loadedAt), "loadedBy": AuditWording.actor(loaded.loadedBy)(language),
            ]),
            "steps": steps,
            "rules": p.rules.map { $0(language) },
            "escalations": escalations,
            "canOpen": principal.role != .viewer && (principal.role != .agency || p.firstStep.actor == .agency),
        ]), request: request, context: context)
    }
}
