import Hummingbird
import SimpulCore
import SimpulServices

/// `/api/v1`: the same services as the pages and the CLI, as JSON (the types of `API`), for a bearer token.
struct APIRoutes: Sendable {
    let simpul: Simpul

    /// Every route reads the database: each runs on the blocking threads (`offPool:`).
    func register(on router: Router<WebContext>) {
        let api = router.group("/api/v1").add(middleware: APIAuthMiddleware(simpul: simpul))
        api.get("/me", offPool: { _, context in
            let principal = try Self.principal(context)
            return try Response.json(API.User(try simpul.accounts.user(principal.username, by: principal)))
        })
        api.get("/agencies", offPool: { _, context in
            try Response.json(try simpul.estate.agencies(for: try Self.principal(context)).map(API.AgencySummary.init))
        })
        api.get("/agencies/:code", offPool: { _, context in
            try Response.json(API.AgencyDetail(try simpul.estate.agency(try context.parameters.require("code"), for: try Self.principal(context))))
        })
        api.get("/providers", offPool: { _, context in
            try Response.json(try simpul.estate.providers(for: try Self.principal(context)).map(API.ProviderEntry.init))
        })
        api.get("/providers/:code", offPool: { _, context in
            let (provider, links) = try simpul.estate.provider(try context.parameters.require("code"), for: try Self.principal(context))
            return try Response.json(API.ProviderDetail(provider: API.ProviderEntry(provider), links: links.map(API.LinkEntry.init)))
        })
        api.get("/links", offPool: { request, context in
            let query = FormData(encoded: request.uri.query)
            return try Response.json(try simpul.estate.links(for: try Self.principal(context), agency: query.text("agency").nilIfEmpty,
                                                             provider: query.text("provider").nilIfEmpty).map(API.LinkEntry.init))
        })
        api.get("/devices", offPool: { _, context in
            try Response.json(try simpul.estate.devices(for: try Self.principal(context)).map(API.Device.init))
        })
        api.get("/pools", offPool: { _, context in
            try Response.json(try simpul.estate.pools(for: try Self.principal(context)).map(API.PoolEntry.init))
        })
        IPAMAPIRoutes(simpul: simpul).register(on: api)
        api.get("/zones", offPool: { _, context in
            try Response.json(try simpul.estate.zones(for: try Self.principal(context)).map(API.Zone.init))
        })
        api.get("/racks", offPool: { _, context in
            try Response.json(try simpul.estate.racks(for: try Self.principal(context)).map(API.RackEntry.init))
        })
        api.get("/users", offPool: { _, context in
            try Response.json(try simpul.accounts.list(by: try Self.principal(context)).map(API.User.init))
        })
        api.get("/audit", offPool: { request, context in
            let query = FormData(encoded: request.uri.query)
            let limit = try Self.integer(query, "limit", default: 100, in: Bounds.listLimit)
            let offset = try Self.integer(query, "offset", default: 0, in: Bounds.listOffset)
            let (entries, total) = try simpul.audit.recent(limit: limit, offset: offset, by: try Self.principal(context))
            return try Response.json(API.AuditPage(entries: entries.map(API.AuditEntry.init), total: total, limit: limit, offset: offset))
        })
        TicketAPIRoutes(simpul: simpul).register(on: api)
        FaultAPIRoutes(simpul: simpul).register(on: api)
        PartAPIRoutes(simpul: simpul).register(on: api)
    }

    static func principal(_ context: WebContext) throws -> Principal {
        guard let principal = context.apiPrincipal else { throw WebRefusal.signInRequired }
        return principal
    }

    static func integer(_ query: FormData, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        try query.integer(name, Text(id: name, en: name), in: range, default: value)
    }
}
