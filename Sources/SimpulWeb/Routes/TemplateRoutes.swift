import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// `/templates`: the messages Simpul sends (the provider's escalation mail, the gateway's message),
/// each with its placeholders; the head, supervisors and admins edit them. A text naming a
/// placeholder its message does not have comes back with the reason and what was typed.
struct TemplateRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/templates", offPool: { request, context in try list(request, context) })
        pages.post("/templates/:name", offPool: save)
    }

    func list(_ request: Request, _ context: WebContext, drafts: [String: (subject: String, body: String, error: String)] = [:],
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        guard principal.can(.viewEstate) else { throw WebRefusal.notFound }
        let language = context.language
        let clock = renderer.clock(context)
        let mayEdit = [Role.admin, .head, .supervisor].contains(principal.role)
        let done = FormData(encoded: request.uri.query).text("saved")
        let rows = try simpul.templates.list(by: principal).map { t -> View in
            let draft = drafts[t.template.name]
            return view([
                "name": t.template.name, "anchor": t.template.name.replacingOccurrences(of: ".", with: "-"), "title": t.template.title(language),
                "subject": draft?.subject ?? t.template.subject, "body": draft?.body ?? t.template.body,
                "hasSubject": !t.template.subject.isEmpty || !(draft?.subject.isEmpty ?? true),
                "edited": t.edited.map { "\(clock.show($0.updatedAt)) · \(AuditWording.actor($0.updatedBy)(language))" },
                "error": draft?.error, "saved": done == t.template.name,
                "placeholders": t.template.placeholders.map { p -> View in ["name": "{{\(p.name)}}", "meaning": p.meaning(language)] },
                "mayEdit": mayEdit,
            ])
        }
        return renderer.page("templates", title: renderer.text("nav_templates", context), ["templates": rows], request: request, context: context, status: status)
    }

    func save(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let name = try context.parameters.require("name")
        let form = context.form
        let reset = form.text("reset") == "1"
        do {
            _ = try simpul.templates.save(name, subject: form.text("subject"), body: reset ? nil : (form["body"] ?? ""), by: principal)
            return .seeOther("/templates?saved=\(name)#template-\(name.replacingOccurrences(of: ".", with: "-"))")
        } catch let error as ServiceError where error.kind == .invalid {
            let refusal = Refusal(error)
            return try list(request, context, drafts: [name: (form.text("subject"), form["body"] ?? "", refusal.text(context.language))], status: refusal.status)
        } catch let error as ServiceError where error.kind == .notFound {
            _ = error
            throw WebRefusal.notFound
        }
    }
}
