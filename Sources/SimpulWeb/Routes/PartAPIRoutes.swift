import Hummingbird
import SimpulCore
import SimpulServices

/// `/api/v1/parts`: the spare-parts stock as JSON, parts below their minimum first (`?low=true`
/// for only those), for office staff's tokens. Runs on the blocking threads.
struct PartAPIRoutes: Sendable {
    let simpul: Simpul

    func register(on api: RouterGroup<WebContext>) {
        api.get("/parts", offPool: { request, context in
            let query = FormData(encoded: request.uri.query)
            let low = query.text("low")
            guard ["", "true", "false", "1", "0"].contains(low) else {
                throw ServiceError(.invalid, Text(id: "low harus true atau false", en: "low must be true or false"))
            }
            let parts = try simpul.parts.list(lowOnly: low == "true" || low == "1", by: try APIRoutes.principal(context))
            return try Response.json(API.PartList(parts: parts.map(API.Part.init), low: parts.filter(\.isLow).count))
        })
    }
}
