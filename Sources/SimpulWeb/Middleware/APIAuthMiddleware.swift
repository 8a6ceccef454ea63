import Foundation
import Hummingbird
import SimpulServices

/// The API's caller: a bearer token (`Authorization: Bearer smp_…`), or for a GET the
/// browser's session cookie. Anything else is `401` in JSON.
struct APIAuthMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let simpul: Simpul

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw WebRefusal.signInRequired }
            let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
            guard let principal = try await Blocking.run({ [simpul] in try simpul.accounts.principal(forToken: token) }) else {
                throw WebRefusal.signInRequired
            }
            context.apiPrincipal = principal
        } else if request.method == .get, let session = context.session {
            context.apiPrincipal = session.principal
        } else {
            throw WebRefusal.signInRequired
        }
        return try await next(request, context)
    }
}
