import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// `/parts`: the spare-parts stock for office staff — parts below their minimum first and marked,
/// the forms to add a part and to record stock received; a part's page has its history and the
/// forms to use it on a ticket, correct its stock after a count, and change what is said about it.
/// A refused form comes back with the reason and what was typed.
struct PartRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/parts", offPool: { request, context in try list(request, context) })
        pages.post("/parts", offPool: add)
        pages.post("/parts/receive", offPool: { request, context in try await receive(request, context, code: nil) })
        pages.get("/parts/:code", offPool: { request, context in try show(request, context) })
        pages.post("/parts/:code/:action", offPool: act)
    }

    /// Which form a refusal belongs to, so that it shows beside that form with what was typed.
    enum Form: String {
        case add, receive, use, adjust, edit
    }

    // MARK: The stock

    func list(_ request: Request, _ context: WebContext, failed: Form? = nil, error: String? = nil, draft: FormData = FormData(),
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let format = Format(language)
        let query = FormData(encoded: request.uri.query)
        let lowOnly = query.text("low") == "1"
        let parts = try simpul.parts.list(lowOnly: lowOnly, by: principal)
        let all = lowOnly && PartService.Action.receive.allowed(for: principal) ? try simpul.parts.list(by: principal) : parts
        let notice: String? = switch query.text("done") {
        case "add": renderer.text("part_notice_add", context)
        case "receive": renderer.text("part_notice_receive", context)
        default: nil
        }
        let chosen = draft.text("code").uppercased()
        return renderer.page("parts", title: renderer.text("nav_parts", context), view([
            "parts": parts.map { p -> View in
                view(["code": p.code, "name": p.name, "stock": p.amount(p.quantity, format), "minimum": format.number(p.minimum),
                      "location": p.location, "low": p.isLow])
            },
            "lowCount": parts.filter(\.isLow).count > 0 ? format.number(parts.filter(\.isLow).count) : nil,
            "lowOnly": lowOnly,
            "notice": notice,
            "canAdd": PartService.Action.add.allowed(for: principal),
            "canReceive": PartService.Action.receive.allowed(for: principal) && !all.isEmpty,
            "choices": all.map { p -> View in
                ["code": p.code, "label": "\(p.name) (\(p.amount(p.quantity, format)))", "selected": p.code == chosen]
            },
            "addError": failed == .add ? error : nil,
            "receiveError": failed == .receive ? error : nil,
            "addDraft": failed == .add ? ["code": draft.text("code"), "name": draft.text("name"), "unit": draft.text("unit"),
                                          "minimum": draft.text("minimum"), "location": draft.text("location")]
                                       : ["code": "", "name": "", "unit": "", "minimum": "0", "location": ""],
            "receiveDraft": ["quantity": failed == .receive ? draft.text("quantity") : "", "note": failed == .receive ? draft.text("note") : ""],
        ]), request: request, context: context, status: status)
    }

    func add(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        do {
            let minimum = try form.integer("minimum", Text(id: "batas minimum", en: "the minimum level"), in: PartRules.quantities, default: 0)
            let part = try simpul.parts.add(code: form.text("code"), name: form.text("name"), unit: form.text("unit"), minimum: minimum,
                                            location: form.text("location"), by: principal)
            return .seeOther("/parts/\(part.code)?done=add")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try list(request, context, failed: .add, error: refusal.text(context.language), draft: form, status: refusal.status)
        }
    }

    /// Stock received, from the list (the part chosen in the form) or from a part's page (`code`).
    func receive(_ request: Request, _ context: WebContext, code: String?) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        do {
            guard let code = code ?? form.text("code").nilIfEmpty else {
                throw ServiceError(.invalid, Text(id: "pilih suku cadang yang diterima", en: "choose the part received"))
            }
            guard let quantity = try form.integer("quantity", Text(id: "jumlah diterima", en: "the quantity received"), in: PartRules.movement) else {
                throw ServiceError(.invalid, Text(id: "tulis jumlah yang diterima", en: "write how many were received"))
            }
            let part = try simpul.parts.receive(code: code, quantity: quantity, note: form.text("note"), by: principal)
            return .seeOther(Self.fromList(request) ? "/parts?done=receive" : "/parts/\(part.code)?done=receive")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            if let code, !Self.fromList(request) {
                return try show(request, context, code: code, failed: .receive, error: refusal.text(context.language), draft: form, status: refusal.status)
            }
            return try list(request, context, failed: .receive, error: refusal.text(context.language), draft: form, status: refusal.status)
        }
    }

    /// The list's receive form posts to `/parts/receive`; a part's page to `/parts/{code}/receive`.
    static func fromList(_ request: Request) -> Bool { request.uri.path == "/parts/receive" }

    // MARK: A part

    func show(_ request: Request, _ context: WebContext, code: String? = nil, failed: Form? = nil, error: String? = nil,
              draft: FormData = FormData(), status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let code = try code ?? context.parameters.require("code")
        let language = context.language
        let format = Format(language)
        let clock = renderer.clock(context)
        let found: (part: Part, movements: [PartMovement])
        do {
            found = try simpul.parts.movements(code: code, by: principal)
        } catch let e as ServiceError where e.kind == .notFound || e.kind == .invalid {
            throw WebRefusal.notFound
        }
        let p = found.part
        let notice: String? = switch FormData(encoded: request.uri.query).text("done") {
        case "add": renderer.text("part_notice_add", context)
        case "receive": renderer.text("part_notice_receive", context)
        case "use": renderer.text("part_notice_use", context)
        case "adjust": renderer.text("part_notice_adjust", context)
        case "edit": renderer.text("part_notice_edit", context)
        default: nil
        }
        func typed(_ form: Form, _ name: String, _ fallback: String = "") -> String { failed == form ? draft.text(name) : fallback }
        return renderer.page("part", title: p.name, view([
            "code": p.code, "name": p.name, "unit": p.unit, "stock": p.amount(p.quantity, format), "minimum": p.amount(p.minimum, format),
            "location": p.location, "low": p.isLow, "updated": clock.show(Timestamp.string(p.updatedAt)),
            "notice": notice,
            "movements": found.movements.map { m -> View in
                view(["at": clock.show(Timestamp.string(m.at)), "kind": m.kind.title(language), "kindClass": m.kind.rawValue,
                      "delta": (m.delta > 0 ? "+" : "") + format.number(m.delta) + " \(m.unit)",
                      "ticket": m.ticketID.map(String.init), "subject": m.ticketSubject, "by": AuditWording.actor(m.by)(language), "note": m.note])
            },
            "canReceive": PartService.Action.receive.allowed(for: principal),
            "canUse": PartService.Action.use.allowed(for: principal) && p.quantity > 0,
            "canAdjust": PartService.Action.adjust.allowed(for: principal),
            "canEdit": PartService.Action.add.allowed(for: principal),
            "receiveError": failed == .receive ? error : nil,
            "useError": failed == .use ? error : nil,
            "adjustError": failed == .adjust ? error : nil,
            "editError": failed == .edit ? error : nil,
            "receiveDraft": ["quantity": typed(.receive, "quantity"), "note": typed(.receive, "note")],
            "useDraft": ["ticket": typed(.use, "ticket"), "quantity": typed(.use, "quantity", "1"), "note": typed(.use, "note")],
            "adjustDraft": ["quantity": typed(.adjust, "quantity", String(p.quantity)), "reason": typed(.adjust, "reason")],
            "editDraft": ["name": typed(.edit, "name", p.name), "unit": typed(.edit, "unit", p.unit),
                          "minimum": typed(.edit, "minimum", String(p.minimum)), "location": typed(.edit, "location", p.location ?? "")],
        ]), request: request, context: context, status: status)
    }

    func act(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let code = try context.parameters.require("code")
        guard let action = Form(rawValue: try context.parameters.require("action")), action != .add else { throw WebRefusal.notFound }
        if action == .receive { return try await receive(request, context, code: code) }
        let form = context.form
        do {
            let part: Part
            switch action {
            case .use:
                let ticketText = form.text("ticket").trimmingCharacters(in: CharacterSet(charactersIn: "#"))
                guard !ticketText.isEmpty else {
                    throw ServiceError(.invalid, Text(id: "tulis nomor tiket tempat suku cadang dipakai", en: "write the number of the ticket the part is used on"))
                }
                let ticket: Int64
                do { ticket = try WholeNumber.parse(ticketText, field: Text(id: "nomor tiket", en: "the ticket number"), in: Bounds.rowID) } catch {
                    throw ServiceError(.invalid, error.text)
                }
                guard let quantity = try form.integer("quantity", Text(id: "jumlah dipakai", en: "the quantity used"), in: PartRules.movement) else {
                    throw ServiceError(.invalid, Text(id: "tulis jumlah yang dipakai", en: "write how many are used"))
                }
                part = try simpul.parts.use(code: code, quantity: quantity, ticket: ticket, note: form.text("note"), by: principal)
            case .adjust:
                guard let quantity = try form.integer("quantity", Text(id: "jumlah terhitung", en: "the counted quantity"), in: PartRules.quantities) else {
                    throw ServiceError(.invalid, Text(id: "tulis jumlah hasil hitung", en: "write the counted quantity"))
                }
                part = try simpul.parts.adjust(code: code, to: quantity, reason: form.text("reason"), by: principal)
            case .edit:
                let minimum = try form.integer("minimum", Text(id: "batas minimum", en: "the minimum level"), in: PartRules.quantities)
                part = try simpul.parts.update(code: code, name: form.text("name"), unit: form.text("unit"), minimum: minimum,
                                               location: form.text("location"), by: principal)
            case .add, .receive:
                throw WebRefusal.notFound
            }
            return .seeOther("/parts/\(part.code)?done=\(action.rawValue)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            if error.kind == .notFound, (try? simpul.parts.part(code: code, by: principal)) == nil { throw WebRefusal.notFound }
            return try show(request, context, code: code, failed: action, error: refusal.text(context.language), draft: form, status: refusal.status)
        }
    }
}
