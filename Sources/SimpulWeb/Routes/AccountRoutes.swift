import Hummingbird
import SimpulCore
import SimpulServices

/// `/account`: the signed-in user's own password and API tokens.
struct AccountRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer
    var secure: Bool { renderer.configuration.secureCookies }

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/account", offPool: { request, context in
            let done = FormData(encoded: request.uri.query).text("done")
            let notice = ["password", "revoked"].contains(done) ? renderer.text("account_done_\(done)", context) : nil
            return try accountPage(request, context, notice: notice)
        })
        pages.post("/account/password", offPool: changePassword)
        pages.post("/account/tokens", offPool: createToken)
        pages.post("/account/tokens/:id/revoke", offPool: { _, context in try revokeToken(context) })
    }

    func accountPage(_ request: Request, _ context: WebContext, notice: String? = nil, passwordError: String? = nil,
                     tokenError: String? = nil, newToken: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let session = try context.requireSession()
        let principal = session.principal
        let clock = renderer.clock(context)
        let tokens = try simpul.accounts.tokens(by: principal, ownOnly: true)
        return renderer.page("account", title: renderer.text("nav_account", context), view([
            "me": view(["username": principal.username, "fullName": session.session.fullName,
                        "role": principal.role.title(context.language), "owner": principal.agencyCode]),
            "tokens": tokens.reversed().map { UserViews.token($0, clock: clock) },
            "notice": notice, "passwordError": passwordError, "tokenError": tokenError, "newToken": newToken,
        ]), request: request, context: context, status: status)
    }

    func changePassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let new = form["new"] ?? ""
        guard new == (form["confirm"] ?? "") else {
            return try accountPage(request, context, passwordError: renderer.text("account_password_mismatch", context), status: .badRequest)
        }
        let user: AccountService.User
        do {
            // Two bcrypt runs (check the current password, hash the new one), off the server's threads.
            let current = form["current"] ?? "", remote = context.clientAddress(for: request)
            user = try await Blocking.hashing { [simpul] in
                try simpul.accounts.changeOwnPassword(current: current, new: new, by: principal, remote: remote)
            }
        } catch let error as ServiceError where error.kind == .invalid || error.kind == .throttled {
            let refusal = Refusal(error)
            return try accountPage(request, context, passwordError: refusal.text(context.language), status: refusal.status)
        }
        // The change ended every session of the user, this one too: start a fresh one.
        let (token, _) = try simpul.sessions.create(for: user)
        return .seeOther("/account?done=password", cookies: [Cookies.session(token, secure: secure)])
    }

    func createToken(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let name = context.form.text("name")
        guard !name.isEmpty, name.count <= 64 else {
            return try accountPage(request, context, tokenError: renderer.text("account_token_name_needed", context), status: .badRequest)
        }
        let (_, secret) = try simpul.accounts.createToken(username: principal.username, name: name, by: principal)
        return try accountPage(request, context, newToken: secret)
    }

    func revokeToken(_ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let id = try context.parameters.rowID("id")
        try simpul.accounts.revokeToken(id: id, by: principal)
        return .seeOther("/account?done=revoked")
    }
}
