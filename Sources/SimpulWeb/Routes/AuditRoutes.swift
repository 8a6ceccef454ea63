import Hummingbird
import SimpulCore
import SimpulServices

/// `/audit`: the append-only log, newest first, with the chain's verification.
struct AuditRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer
    static let pageSize = 50

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/audit", offPool: auditPage)
    }

    func auditPage(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let page = try FormData(encoded: request.uri.query).integer("page", Text(id: "halaman", en: "page"), in: Bounds.pageNumber, default: 1)
        let (entries, total) = try simpul.audit.recent(limit: Self.pageSize, offset: (page - 1) * Self.pageSize, by: principal)
        let verification = try simpul.audit.verify(by: principal)
        let clock = renderer.clock(context)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let language = context.language
        return renderer.page("audit", title: renderer.text("nav_audit", context), view([
            "entries": entries.map { AuditViews.entry($0, clock: clock, detail: true) },
            "intact": verification.isIntact,
            "checked": Format(language).number(verification.checked),
            "problems": verification.problems.map { ["seq": $0.seq, "text": $0.text(language)] },
            "page": page, "pages": pages, "total": Format(language).number(total),
            "newer": page > 1 ? "/audit?page=\(page - 1)" : nil,
            "older": page < pages ? "/audit?page=\(page + 1)" : nil,
        ]), request: request, context: context)
    }
}
