import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/faults`: fault reports (SOP 15). The report form is for a phone: the agency first, then its
/// links and devices and the symptom on the next screen (no script needed), a handful of fields.
/// A fault's page has its reports, the technician's work log with the parts used, the result, and
/// the past faults like it; the SOP's timeline is on the ticket's page.
struct FaultRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/faults", offPool: list)
        pages.get("/faults/new", offPool: { request, context in try new(request, context, draft: FormData(encoded: request.uri.query)) })
        pages.post("/faults", offPool: report)
        pages.get("/faults/:ticket", offPool: { request, context in try show(request, context) })
        pages.post("/faults/:ticket/log", offPool: log)
        pages.post("/faults/:ticket/close", offPool: close)
        pages.post("/faults/:ticket/escalate", offPool: { request, context in
            try await provider(request, context) { simpul, id, _, principal in try simpul.faults.escalate(ticket: id, by: principal).deliveries }
        })
        pages.post("/faults/:ticket/ack", offPool: { request, context in
            try await provider(request, context) { simpul, id, form, principal in
                try simpul.faults.acknowledge(ticket: id, providerTicket: form.text("providerTicket").nilIfEmpty, note: form.text("note").nilIfEmpty, by: principal)
                return []
            }
        })
        pages.post("/faults/:ticket/restore", offPool: { request, context in
            try await provider(request, context) { simpul, id, form, principal in
                try simpul.faults.restore(ticket: id, note: form.text("note").nilIfEmpty, by: principal)
                return []
            }
        })
    }

    static func ticket(_ context: WebContext) throws -> Int64 {
        let id = try context.parameters.rowID("ticket")
        return id
    }

    // MARK: List

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let clock = renderer.clock(context)
        let query = FormData(encoded: request.uri.query)
        let openOnly = query.text("all") != "1"
        let page = try simpul.faults.list(FaultStore.Filter(openOnly: openOnly, limit: 200), by: principal)
        let rows = page.rows.map { f -> View in
            view(["ticket": String(f.ticketID), "agency": f.agencyName, "about": f.circuit ?? f.deviceName, "symptom": f.symptom.title(language),
                  "reported": clock.show(Timestamp.string(f.reportedAt)), "open": f.open,
                  "state": f.open ? renderer.text("fault_state_open", context) : (f.cause?.title(language) ?? renderer.text("fault_state_closed", context))])
        }
        return renderer.page("faults", title: renderer.text("nav_faults", context),
                             ["faults": rows, "openOnly": openOnly, "total": String(page.total), "canReport": principal.role != .viewer],
                             request: request, context: context)
    }

    // MARK: Reporting

    func new(_ request: Request, _ context: WebContext, draft: FormData, error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        guard principal.role != .viewer else { throw WebRefusal.notFound }
        let language = context.language
        let agency = principal.role == .agency ? principal.agencyCode : draft.text("agency").nilIfEmpty?.uppercased()
        var values: View = view([
            "ownAgency": principal.role == .agency ? principal.agencyCode : nil,
            "formError": error,
        ])
        if principal.role != .agency {
            values["agencies"] = try simpul.estate.agencies(for: principal).map { a -> View in ["code": a.code, "name": a.name, "selected": a.code == agency] }
        }
        if let agency {
            let subjects = try simpul.faults.subjects(agency: agency, by: principal)
            let about = draft.text("about")
            values["chosen"] = view([
                "agency": agency,
                "links": subjects.links.map { l -> View in
                    ["value": "link:\(l.circuit)", "label": l.circuit, "detail": "\(l.provider), \(l.technology)", "checked": about == "link:\(l.circuit)"]
                },
                "devices": subjects.devices.map { d -> View in ["value": "device:\(d.name)", "label": d.name, "detail": d.kind, "checked": about == "device:\(d.name)"] },
                "noneChecked": about.isEmpty || about == "none",
                "symptoms": FaultSymptom.allCases.map { s -> View in
                    ["value": s.rawValue, "label": s.title(language), "checked": draft.text("symptom") == s.rawValue]
                },
                "channels": FaultChannel.allCases.filter { $0 != .monitoring && $0 != .api && (principal.role != .agency || $0 == .web) }.map { c -> View in
                    ["value": c.rawValue, "label": c.title(language),
                     "selected": draft.text("channel") == c.rawValue || (draft.text("channel").isEmpty && c == (principal.role == .agency ? .web : .phone))]
                },
                "reporter": draft.text("reporter"), "contact": draft.text("contact"), "description": draft.text("description"),
                "started": draft.text("started"),
            ])
        }
        return renderer.page("fault-new", title: renderer.text("fault_new", context), values, request: request, context: context, status: status)
    }

    func report(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        do {
            let about = form.text("about")
            let symptom = FaultSymptom(rawValue: form.text("symptom"))
            guard let symptom else {
                throw ServiceError(.invalid, Text(id: "pilih gejalanya", en: "choose the symptom"))
            }
            let channel = FaultChannel(rawValue: form.text("channel")) ?? (principal.role == .agency ? .web : .phone)
            let started = try form.text("started").nilIfEmpty.map { text -> Date in
                guard let date = simpul.officeTime().parse(local: text) else {
                    throw ServiceError(.invalid, Text(id: "waktu mulai \"\(text)\" harus tanggal dan jam, mis. 2026-12-05 08:30",
                                                      en: "the start time \"\(text)\" must be a date and time, e.g. 2026-12-05 08:30"))
                }
                return date
            }
            let opened = try simpul.faults.open(FaultService.Report(
                agency: form.text("agency").nilIfEmpty, link: about.hasPrefix("link:") ? String(about.dropFirst(5)) : nil,
                device: about.hasPrefix("device:") ? String(about.dropFirst(7)) : nil, channel: channel,
                reporterName: form.text("reporter"), reporterContact: form.text("contact").nilIfEmpty, symptom: symptom,
                description: form.text("description"), startedAt: started), by: principal)
            return .seeOther("/faults/\(opened.ticketID)?done=\(opened.kind.rawValue)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try new(request, context, draft: form, error: refusal.text(context.language), status: refusal.status)
        }
    }

    // MARK: A fault

    func show(_ request: Request, _ context: WebContext, logError: String? = nil, closeError: String? = nil, providerError: String? = nil,
              draft: FormData = FormData(), status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        let detail: FaultService.Detail
        do { detail = try simpul.faults.fault(ticket: id, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        let f = detail.fault
        let language = context.language
        let clock = renderer.clock(context)
        let done = FormData(encoded: request.uri.query).text("done")
        let notice: String? = switch done {
        case "opened": renderer.text("fault_notice_opened", context)
        case "attached": renderer.text("fault_notice_attached", context)
        case "repeated": renderer.text("fault_notice_repeated", context)
        case "log": renderer.text("fault_notice_logged", context)
        case "log_escalated": renderer.text("fault_notice_logged_escalated", context)
        case "close": renderer.text("fault_notice_closed", context)
        case "escalate": renderer.text("fault_notice_escalated", context)
        case "ack": renderer.text("fault_notice_acknowledged", context)
        case "restore": renderer.text("fault_notice_restored", context)
        default: nil
        }
        let fieldWorker = [Role.technician, .supervisor, .head, .admin].contains(principal.role)
        let parts = fieldWorker && f.status.isActive ? try simpul.parts.list(by: principal) : []
        return renderer.page("fault", title: "#\(id) \(f.subject)", view([
            "ticket": String(id), "subject": f.subject, "agency": f.agencyName, "agencyCode": f.agencyCode,
            "link": f.circuit, "device": f.deviceName, "provider": f.linkProviderCode,
            "symptom": f.symptom.title(language), "channel": f.channel.title(language),
            "reporter": f.reporterName, "contact": f.reporterContact, "description": f.description.nilIfEmpty,
            "started": clock.show(Timestamp.string(f.startedAt)), "reported": clock.show(Timestamp.string(f.reportedAt)),
            "step": detail.stepTitle.map { $0(language) }, "assignee": f.assignee, "open": f.open,
            "cause": f.cause?.title(language), "resolution": f.resolution,
            "notice": notice,
            "reports": detail.reports.count > 1 ? detail.reports.map { r -> View in
                ["at": clock.show(Timestamp.string(r.reportedAt)), "reporter": r.reporterName, "channel": r.channel.title(language),
                 "description": r.description.nilIfEmpty, "contact": r.reporterContact]
            } : [],
            "log": detail.log.map { e -> View in
                view(["at": clock.show(Timestamp.string(e.at)), "by": AuditWording.actor(e.by)(language), "checked": e.checked.nilIfEmpty,
                      "found": e.found.nilIfEmpty, "did": e.did.nilIfEmpty, "outcome": e.outcome.title(language)])
            },
            "similar": detail.similar.map { s -> View in
                view(["ticket": String(s.fault.ticketID), "reported": clock.show(Timestamp.string(s.fault.reportedAt)),
                      "about": s.fault.circuit ?? s.fault.deviceName ?? s.fault.agencyName, "symptom": s.fault.symptom.title(language),
                      "cause": s.fault.cause?.title(language), "resolution": s.fault.resolution])
            },
            "hasReports": detail.reports.count > 1, "hasSimilar": !detail.similar.isEmpty,
            "providerEvents": detail.providerEvents.map { e -> View in
                view(["kind": e.kind.title(language), "level": e.level.map(String.init), "at": clock.show(Timestamp.string(e.at)),
                      "by": AuditWording.actor(e.by)(language), "note": e.note, "providerTicket": e.providerTicket, "provider": e.providerName])
            },
            "hasProviderEvents": !detail.providerEvents.isEmpty,
            "providerError": providerError,
            "canEscalate": fieldWorker && f.status.isActive && f.linkID != nil && f.restoredAt == nil,
            "canAck": fieldWorker && f.status.isActive && f.escalatedAt != nil && f.acknowledgedAt == nil,
            "canRestore": fieldWorker && f.status.isActive && f.escalatedAt != nil && f.restoredAt == nil,
            "canLog": fieldWorker && f.status.isActive,
            // An administrator doing the technician's step says why (a correction).
            "askReason": principal.role == .admin,
            "logError": logError,
            "logDraft": ["checked": draft.text("checked"), "found": draft.text("found"), "did": draft.text("did")],
            "outcomes": FaultLogOutcome.allCases.map { o -> View in
                ["value": o.rawValue, "label": o.title(language), "checked": (draft.text("outcome").nilIfEmpty ?? "progress") == o.rawValue]
            },
            "onRepair": f.step == "repair",
            "parts": parts.filter { $0.quantity > 0 }.map { p -> View in ["code": p.code, "label": "\(p.name) (\(p.quantity) \(p.unit))"] },
            "hasParts": parts.contains { $0.quantity > 0 },
            "canClose": fieldWorker && f.status == .open && f.step == "report_result",
            "closeError": closeError,
            "causes": FaultCause.allCases.map { c -> View in ["value": c.rawValue, "label": c.title(language), "checked": draft.text("cause") == c.rawValue] },
            "resolutionDraft": draft.text("resolution"),
        ]), request: request, context: context, status: status)
    }

    func log(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        let form = context.form
        do {
            guard let outcome = FaultLogOutcome(rawValue: form.text("outcome").nilIfEmpty ?? "progress") else {
                throw ServiceError(.invalid, Text(id: "pilih hasilnya", en: "choose the outcome"))
            }
            var parts: [(code: String, quantity: Int)] = []
            for slot in 1...3 {
                guard let code = form.text("part\(slot)").nilIfEmpty else { continue }
                guard let quantity = try form.integer("qty\(slot)", Text(id: "jumlah suku cadang", en: "the part's quantity"), in: 1...10_000) else {
                    throw ServiceError(.invalid, Text(id: "tulis jumlah \(code) yang dipakai", en: "write how many \(code) were used"))
                }
                parts.append((code, quantity))
            }
            let logged = try simpul.faults.log(ticket: id, FaultService.LogForm(checked: form.text("checked"), found: form.text("found"), did: form.text("did"),
                                                                   outcome: outcome, parts: parts, reason: form.text("reason").nilIfEmpty), by: principal)
            // The provider's mail (when it said not fixed) goes out at once; a failure stays in the outbox.
            if !logged.deliveries.isEmpty {
                _ = await simpul.outbox.deliverAtOnce(logged.deliveries)
                return .seeOther("/faults/\(id)?done=log_escalated")
            }
            return .seeOther("/faults/\(id)?done=log")
        } catch let error as ServiceError where error.kind != .forbidden && error.kind != .notFound {
            let refusal = Refusal(error)
            return try show(request, context, logError: refusal.text(context.language), draft: form, status: refusal.status)
        }
    }

    /// Escalating, and recording the provider's acknowledgement and restoration. What an action wrote
    /// to the outbox (the escalation mail) goes out with the delivery worker.
    func provider(_ request: Request, _ context: WebContext,
                  _ action: @escaping @Sendable (Simpul, Int64, FormData, Principal) throws -> [Int64]) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        let form = context.form
        let verb = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
        do {
            let written = try action(simpul, id, form, principal)
            if !written.isEmpty { _ = await simpul.outbox.deliverAtOnce(written) }
            return .seeOther("/faults/\(id)?done=\(verb)")
        } catch let error as ServiceError where error.kind != .forbidden && error.kind != .notFound {
            let refusal = Refusal(error)
            return try show(request, context, providerError: refusal.text(context.language), status: refusal.status)
        }
    }

    func close(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        let form = context.form
        do {
            guard let cause = FaultCause(rawValue: form.text("cause")) else {
                throw ServiceError(.invalid, Text(id: "pilih penyebabnya", en: "choose the cause"))
            }
            _ = try simpul.faults.close(ticket: id, cause: cause, resolution: form.text("resolution"), reason: form.text("reason").nilIfEmpty, by: principal)
            return .seeOther("/faults/\(id)?done=close")
        } catch let error as ServiceError where error.kind != .forbidden && error.kind != .notFound {
            let refusal = Refusal(error)
            return try show(request, context, closeError: refusal.text(context.language), draft: form, status: refusal.status)
        }
    }
}
