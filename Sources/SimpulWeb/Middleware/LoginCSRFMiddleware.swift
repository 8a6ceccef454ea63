import Hummingbird
import SimpulCore
import SimpulServices

/// The login form has no session yet, so its CSRF check is a double submit: the form's
/// `_csrf` must equal the `simpul_login` cookie set (HttpOnly, SameSite=Strict) with the form.
struct LoginCSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.form = try await FormReader.read(request, context: context)
        guard let cookie = request.cookies[Cookies.login]?.value, cookie.count >= 16,
              let sent = context.form["_csrf"], constantTimeEquals(sent, cookie) else {
            throw WebRefusal.badCSRF
        }
        if let tooLong = TextLength.firstTooLong(context.form.allFields, limit: Limits.shortText) { throw ServiceError(.invalid, tooLong.text) }
        return try await next(request, context)
    }
}
