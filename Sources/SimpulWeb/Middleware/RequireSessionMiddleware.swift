import Hummingbird

/// Pages behind sign-in: without a session, a `303` to `/login?next=<this page>`.
struct RequireSessionMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.session != nil else {
            // Only a GET is worth coming back to; a POST's form is gone.
            let here = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
            let back = request.method == .get && here != "/" ? "?next=" + LocalPath.encodedForQuery(here) : ""
            return .seeOther("/login" + back)
        }
        return try await next(request, context)
    }
}
