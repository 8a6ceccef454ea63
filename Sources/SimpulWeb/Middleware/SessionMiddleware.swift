import Hummingbird
import SimpulServices

/// Finds the session named by the `simpul_session` cookie, if any, and puts it on the context.
/// Whether a route needs one is decided later, by `RequireSessionMiddleware`.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let simpul: Simpul

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        if !path.hasPrefix("/assets/"), path != "/healthz", path != "/favicon.ico",
           let token = request.cookies[Cookies.session]?.value, !token.isEmpty,
           let session = try await Blocking.run({ [simpul] in try simpul.sessions.session(token: token) }) {
            context.session = WebSession(token: token, session: session)
        }
        return try await next(request, context)
    }
}
