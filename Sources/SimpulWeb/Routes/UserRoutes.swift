import Hummingbird
import SimpulCore
import SimpulServices

/// `/users`: the administrator's list of accounts, the add-user form, disable and enable.
/// `AccountService` refuses every other role.
struct UserRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/users", offPool: { request, context in try usersPage(request, context) })
        pages.post("/users", offPool: addUser)
        pages.post("/users/:username/disable", offPool: { request, context in try setDisabled(true, request, context) })
        pages.post("/users/:username/enable", offPool: { request, context in try setDisabled(false, request, context) })
    }

    /// What the add-user form was filled with, to show it again after a mistake.
    struct Draft {
        var username = "", fullName = "", role = Role.viewer.rawValue, agency = ""
    }

    func usersPage(_ request: Request, _ context: WebContext, draft: Draft = Draft(), notice: String? = nil,
                   created: String? = nil, password: String? = nil, error: String? = nil,
                   status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let users = try simpul.accounts.list(by: principal)
        let agencies = try simpul.estate.agencyNames(for: principal)
        let clock = renderer.clock(context)
        return renderer.page("users", title: renderer.text("nav_users", context), view([
            "users": users.map { UserViews.user($0, me: principal.username, clock: clock) },
            "draft": ["username": draft.username, "fullName": draft.fullName],
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": $0.title(context.language), "selected": $0.rawValue == draft.role] },
            "agencyOptions": agencies.map { ["code": $0.code, "name": $0.name, "selected": $0.code == draft.agency] },
            "notice": notice, "created": created, "generatedPassword": password, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func addUser(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let draft = Draft(username: form.text("username"), fullName: form.text("fullName"), role: form.text("role"), agency: form.text("agency"))
        do {
            guard let role = Role(rawValue: draft.role) else {
                throw ServiceError(.invalid, Text(id: "pilih peran dari daftar", en: "choose a role from the list"))
            }
            let typed = form["password"] ?? ""
            let password = typed.isEmpty ? SecureRandom.password() : typed
            // bcrypt off the server's threads: a hash takes a quarter of a second of CPU.
            let user = try await Blocking.hashing { [simpul] in
                try simpul.accounts.add(username: draft.username, fullName: draft.fullName, role: role,
                                        agency: draft.agency.nilIfEmpty, password: password, by: principal)
            }
            return try usersPage(request, context, notice: renderer.catalogue.text("users_created", context.language, user.username),
                                 created: user.username, password: typed.isEmpty ? password : nil)
        } catch let error as ServiceError where error.kind == .invalid || error.kind == .conflict {
            let refusal = Refusal(error)
            return try usersPage(request, context, draft: draft, error: refusal.text(context.language), status: refusal.status)
        }
    }

    func setDisabled(_ disabled: Bool, _ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let username = try context.parameters.require("username")
        if disabled && !Confirmation.confirmed(context.form) && principal.can(.manageUsers) && principal.username != username {
            return Confirmation(renderer: renderer).ask(
                request, context, question: renderer.catalogue.text("confirm_user_disable", context.language, username),
                consequences: [renderer.text("confirm_user_disable_effects", context)], action: "/users/\(username)/disable",
                confirmLabel: renderer.text("users_disable", context), cancel: "/users")
        }
        do {
            try simpul.accounts.setDisabled(disabled, username: username, by: principal)
        } catch let error as ServiceError where error.kind == .invalid {
            return try usersPage(request, context, error: error.text(context.language), status: .badRequest)
        }
        return .seeOther("/users")
    }
}
