import Hummingbird
import SimpulCore
import SimpulServices

/// Signing in and out, and choosing the language.
struct SessionRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer
    var secure: Bool { renderer.configuration.secureCookies }

    /// `GET /login` is public; `POST /login` carries its own double-submit CSRF check.
    func registerPublic(on router: Router<WebContext>) {
        router.get("/login") { request, context in try loginForm(request, context) }
        router.group("/login").add(middleware: LoginCSRFMiddleware()).post(offPool: logIn)
    }

    /// Behind sign-in and the session's CSRF check.
    func register(on pages: RouterGroup<WebContext>) {
        pages.post("/logout", offPool: { _, context in try logOut(context) })
        pages.post("/lang", offPool: { _, context in try setLanguage(context) })
    }

    func loginForm(_ request: Request, _ context: WebContext) throws -> Response {
        let query = FormData(encoded: request.uri.query)
        let next = LocalPath.safe(query["next"])
        if context.session != nil { return .seeOther(next) }
        var context = context
        context.languageOverride = Language(rawValue: query["lang"] ?? "")
        return loginPage(request, context, next: next, username: "", error: nil, status: .ok)
    }

    func logIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = context.form
        let next = LocalPath.safe(form["next"])
        var context = context
        context.languageOverride = Language(rawValue: form["lang"] ?? "")
        let user: AccountService.User
        do {
            // bcrypt takes ~0.25 s of CPU: keep it off the cooperative threads that serve other requests.
            let (accounts, username, password) = (simpul.accounts, form["username"] ?? "", form["password"] ?? "")
            let remote = context.clientAddress(for: request)
            user = try await Blocking.hashing { try accounts.authenticate(username: username, password: password, remote: remote) }
        } catch let error as ServiceError where error.kind == .unauthorized || error.kind == .throttled {
            let refusal = Refusal(error)
            return loginPage(request, context, next: next, username: form.text("username"), error: refusal.text(context.language),
                             status: refusal.status)
        }
        if let old = context.session { try simpul.sessions.destroy(token: old.token) }
        let (token, _) = try simpul.sessions.create(for: user)
        return .seeOther(next, cookies: [Cookies.session(token, secure: secure), Cookies.clearLogin(secure: secure)])
    }

    /// The form with its double-submit token, set as the `simpul_login` cookie beside it. A token
    /// the browser already holds is kept, so a second tab or a stray request for /login does not
    /// invalidate a form that is already open.
    func loginPage(_ request: Request, _ context: WebContext, next: String, username: String, error: String?,
                   status: HTTPResponse.Status) -> Response {
        let held = request.cookies[Cookies.login]?.value
        let csrf = held.flatMap { $0.count == 32 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? $0 : nil }
            ?? SecureRandom.token(bytes: 24)
        let language = context.language
        return renderer.page("login", title: renderer.text("login_title", context), view([
            "loginCSRF": csrf, "next": next, "nextQuery": LocalPath.encodedForQuery(next), "username": username, "loginError": error,
            "otherLanguage": language == .id ? "en" : "id",
            "otherLanguageName": language == .id ? "English" : "Bahasa Indonesia",
        ]), request: request, context: context, status: status, cookies: [Cookies.login(csrf, secure: secure)])
    }

    func logOut(_ context: WebContext) throws -> Response {
        let session = try context.requireSession()
        try simpul.sessions.destroy(token: session.token)
        return .seeOther("/login", cookies: [Cookies.clearSession(secure: secure)])
    }

    func setLanguage(_ context: WebContext) throws -> Response {
        let session = try context.requireSession()
        guard let language = Language(rawValue: context.form.text("to")) else {
            throw ServiceError(.invalid, Text(id: "bahasa harus id atau en", en: "the language must be id or en"))
        }
        try simpul.sessions.setLanguage(language, token: session.token)
        return .seeOther(LocalPath.safe(context.form["back"]))
    }
}
