import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/outbox`: every delivery (DNS change sets, mail, webhook calls), those in trouble first:
/// where each stands, its attempts and last error; for admins, retry and dismiss.
struct OutboxRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer
    static let pageSize = 50

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/outbox") { request, context in try await Blocking.run { try list(request, context) } }
        pages.post("/outbox/:id/retry") { request, context in try await Blocking.run { try retry(request, context) } }
        pages.post("/outbox/:id/dismiss") { request, context in try await Blocking.run { try dismiss(request, context) } }
    }

    func list(_ request: Request, _ context: WebContext, notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let query = try FormData(encoded: request.uri.query)
        let page = try query.integer("page", Text(id: "halaman", en: "page"), in: Bounds.pageNumber, default: 1)
        let stateText = query.text("state")
        let state = DeliveryState(rawValue: stateText)
        guard stateText.isEmpty || state != nil else {
            throw ServiceError(.invalid, Text(id: "keadaan kiriman \"\(Excerpt.of(stateText))\" tidak dikenal; pakai pending, delivered, failed atau dismissed",
                                              en: "delivery state \"\(Excerpt.of(stateText))\" is unknown; use pending, delivered, failed or dismissed"))
        }
        let filter = OutboxStore.Filter(states: state.map { [$0] } ?? [], limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let (rows, total) = try simpul.outbox.list(filter, by: principal)
        let counts = try simpul.outbox.counts(by: principal)
        let clock = renderer.clock(context)
        let format = Format(language)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        func link(_ page: Int) -> String { "/outbox?page=\(page)" + (state.map { "&state=\($0.rawValue)" } ?? "") }
        return renderer.page("outbox", title: renderer.text("nav_outbox", context), view([
            "filters": ([nil] + DeliveryState.allCases.map { Optional($0) }).map { s -> View in
                view(["href": s.map { "/outbox?state=\($0.rawValue)" } ?? "/outbox",
                      "label": s.map { "\($0.title(language)) (\(format.number(counts[$0] ?? 0)))" } ?? renderer.text("outbox_all", context),
                      "current": s == state])
            },
            "rows": rows.map { d -> View in
                view(["id": String(d.id), "channel": d.channel.title(language), "subject": Listing.deliverySubject(d)(language),
                      "ticket": d.ticketID.map(String.init), "zone": d.subject.flatMap { $0.hasPrefix("zone:") ? String($0.dropFirst(5)) : nil },
                      "state": d.state.title(language), "stateClass": "outbox-\(d.state.rawValue)",
                      "attempts": "\(format.number(d.attempts))/\(format.number(d.maxAttempts))",
                      "next": d.state == .pending ? clock.show(Timestamp.string(d.dueAt)) : nil,
                      "created": clock.show(Timestamp.string(d.createdAt)), "by": AuditWording.actor(d.createdBy)(language),
                      "delivered": d.deliveredAt.map { clock.show(Timestamp.string($0)) },
                      "error": d.lastError.map { $0(language) },
                      "canRetry": d.state == .failed || d.state == .dismissed, "canDismiss": d.state == .failed || d.state == .pending])
            },
            "empty": rows.isEmpty,
            "page": page, "pages": pages, "total": format.number(total),
            "newer": page > 1 ? link(page - 1) : nil, "older": page < pages ? link(page + 1) : nil,
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func id(_ context: WebContext) throws -> Int64 {
        let id = try context.parameters.rowID("id")
        return id
    }

    func retry(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        do {
            let delivery = try simpul.outbox.retry(try id(context), by: principal)
            return try list(request, context, notice: renderer.catalogue.text("outbox_retried", language, "#\(delivery.id)"))
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try list(request, context, error: refusal.text(language), status: refusal.status)
        }
    }

    func dismiss(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let id = try id(context)
        let form = context.form
        guard Confirmation.confirmed(form) else {
            return Confirmation(renderer: renderer).ask(
                request, context, question: renderer.catalogue.text("outbox_confirm_dismiss", language, "#\(id)"),
                consequences: [renderer.text("outbox_confirm_dismiss_effect", context)], action: "/outbox/\(id)/dismiss",
                confirmLabel: renderer.text("outbox_dismiss", context), cancel: "/outbox")
        }
        do {
            let delivery = try simpul.outbox.dismiss(id, reason: form.text("reason"), by: principal)
            return try list(request, context, notice: renderer.catalogue.text("outbox_dismissed", language, "#\(delivery.id)"))
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try list(request, context, error: refusal.text(language), status: refusal.status)
        }
    }
}
