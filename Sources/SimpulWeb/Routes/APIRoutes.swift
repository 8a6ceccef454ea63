import Hummingbird
import SimpulCore
import SimpulServices

/// `/api/v1`: the same services as the pages and the CLI, as JSON, for a bearer token.
struct APIRoutes: Sendable {
    let simpul: Simpul

    struct AuditPage: Encodable {
        var entries: [AuditEntry]
        var total: Int
        var limit: Int
        var offset: Int
    }

    struct ProviderDetail: Encodable {
        var provider: EstateService.ProviderView
        var links: [EstateService.LinkView]
    }

    func register(on router: Router<WebContext>) {
        let api = router.group("/api/v1").add(middleware: APIAuthMiddleware(simpul: simpul))
        api.get("/me") { _, context in
            let principal = try Self.principal(context)
            return try Response.json(try simpul.accounts.user(principal.username, by: principal))
        }
        api.get("/agencies") { _, context in try Response.json(try simpul.estate.agencies(for: try Self.principal(context))) }
        api.get("/agencies/:code") { _, context in
            try Response.json(try simpul.estate.agency(try context.parameters.require("code"), for: try Self.principal(context)))
        }
        api.get("/providers") { _, context in try Response.json(try simpul.estate.providers(for: try Self.principal(context))) }
        api.get("/providers/:code") { _, context in
            let (provider, links) = try simpul.estate.provider(try context.parameters.require("code"), for: try Self.principal(context))
            return try Response.json(ProviderDetail(provider: provider, links: links))
        }
        api.get("/links") { request, context in
            let query = FormData(encoded: request.uri.query)
            return try Response.json(try simpul.estate.links(for: try Self.principal(context), agency: query.text("agency").nilIfEmpty,
                                                             provider: query.text("provider").nilIfEmpty))
        }
        api.get("/devices") { _, context in try Response.json(try simpul.estate.devices(for: try Self.principal(context))) }
        api.get("/pools") { _, context in try Response.json(try simpul.estate.pools(for: try Self.principal(context))) }
        IPAMAPIRoutes(simpul: simpul).register(on: api)
        api.get("/zones") { _, context in try Response.json(try simpul.estate.zones(for: try Self.principal(context))) }
        api.get("/racks") { _, context in try Response.json(try simpul.estate.racks(for: try Self.principal(context))) }
        api.get("/users") { _, context in try Response.json(try simpul.accounts.list(by: try Self.principal(context))) }
        api.get("/audit") { request, context in
            let query = FormData(encoded: request.uri.query)
            let limit = try Self.integer(query, "limit", default: 100, in: Bounds.listLimit)
            let offset = try Self.integer(query, "offset", default: 0, in: Bounds.listOffset)
            let (entries, total) = try simpul.audit.recent(limit: limit, offset: offset, by: try Self.principal(context))
            return try Response.json(AuditPage(entries: entries, total: total, limit: limit, offset: offset))
        }
        TicketAPIRoutes(simpul: simpul).register(on: api)
    }

    static func principal(_ context: WebContext) throws -> Principal {
        guard let principal = context.apiPrincipal else { throw WebRefusal.signInRequired }
        return principal
    }

    static func integer(_ query: FormData, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        try query.integer(name, Text(id: name, en: name), in: range, default: value)
    }
}
