import Foundation
import Hummingbird
import Mustache
import SimpulCore
import SimpulServices

/// Values handed to a Mustache template.
typealias View = [String: Any]

/// A view from pairs, leaving out the nil ones so that `{{#key}}` sections see them as absent.
func view(_ pairs: KeyValuePairs<String, Any?>) -> View {
    var result: View = [:]
    for (key, value) in pairs {
        if let value { result[key] = value }
    }
    return result
}

/// Renders pages: a template from `Templates/` inside the `layout` parent, with the catalogue
/// of the user's language as `t`, the navigation for their role and the session's CSRF token.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let catalogue: Catalogue
    let simpul: Simpul
    let configuration: WebConfiguration

    init(simpul: Simpul, configuration: WebConfiguration) async throws {
        self.library = try await MustacheLibrary(directory: Resources.url("Templates").path)
        self.catalogue = try Catalogue.bundled()
        self.simpul = simpul
        self.configuration = configuration
    }

    /// The catalogue string `key` in the request's language.
    func text(_ key: String, _ context: WebContext) -> String { catalogue.text(key, context.language) }

    /// The catalogue in the request's language, for building views.
    func wording(_ context: WebContext) -> Wording { Wording(catalogue: catalogue, language: context.language) }

    /// Formats stored UTC times in the office's zone and the user's language.
    func clock(_ context: WebContext) -> PageClock { PageClock(time: simpul.officeTime(), language: context.language) }

    /// `template` rendered inside the layout, as an HTML response.
    func page(_ template: String, title: String, _ data: View, request: Request, context: WebContext,
              status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        let language = context.language
        var all: View = [
            "lang": language.rawValue,
            "t": catalogue.table(language),
            "pageTitle": title,
        ]
        if let session = context.session { all["csrf"] = session.session.csrfToken }
        all.merge(data.compactMapValues(present)) { _, new in new }
        guard let main = library.render(all, withTemplate: template) else {
            return .html("template \(template) is missing", status: .internalServerError)
        }
        return .html(layout(title: title, request: request, context: context).render(main: main, wording(context)),
                     status: status, cookies: cookies)
    }

    /// Content written with `HTML` (the pages with long repeated parts), inside the layout.
    func page(_ body: HTML, title: String, request: Request, context: WebContext,
              status: HTTPResponse.Status = .ok) -> Response {
        .html(layout(title: title, request: request, context: context).render(main: body, wording(context)), status: status)
    }

    private func layout(title: String, request: Request, context: WebContext) -> Layout {
        Layout(title: title, language: context.language, user: context.session.map { session in
            Layout.User(fullName: session.session.fullName, roleTitle: session.principal.role.title(context.language),
                        csrf: session.session.csrfToken,
                        back: request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path,
                        menu: Navigation.items(for: session.principal, path: request.uri.path))
        })
    }
}

/// An optional inside a view, seen through `Any`.
private protocol OptionalValue {
    var wrapped: Any? { get }
}

extension Optional: OptionalValue {
    fileprivate var wrapped: Any? {
        switch self {
        case .some(let value): value
        case .none: nil
        }
    }
}

/// `value` with every nil left out, at any depth: Mustache would print a nil optional as "nil"
/// where `{{#key}}` should see nothing.
private func present(_ value: Any) -> Any? {
    if let optional = value as? any OptionalValue {
        guard let inner = optional.wrapped else { return nil }
        return present(inner)
    }
    if let nested = value as? View { return nested.compactMapValues(present) }
    if let list = value as? [View] { return list.map { $0.compactMapValues(present) } }
    if let list = value as? [Any] { return list.compactMap(present) }
    return value
}

/// The catalogue in one language.
struct Wording {
    let catalogue: Catalogue
    let language: Language

    func callAsFunction(_ key: String) -> String { catalogue.text(key, language) }

    /// An agency kind as the office says it (SimpulCore's title, the same the CLI prints).
    func kind(_ kind: AgencyKind) -> String { kind.title(language) }
}

/// Stored UTC timestamps shown in the office's time zone.
struct PageClock {
    let time: OfficeTime
    let language: Language

    func show(_ stored: String?) -> String? { stored.map { time.format(stored: $0, language) } }
}
