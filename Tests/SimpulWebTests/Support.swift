import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SimpulCore
import SimpulServices
import SimpulStore
import SimpulWeb
import Testing

/// A fresh in-memory district (the example `Inventory/`), some users, and the web router over it.
struct WebFixture {
    let simpul: Simpul
    let cli = Principal.commandLine("test")
    static let password = "rahasia-sekali-42"

    static let inventoryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Inventory").standardized.path

    /// Users made for every test: one per role that the tests need.
    static let users: [(username: String, role: Role, agency: String?)] = [
        ("admin1", .admin, nil), ("viewer1", .viewer, nil), ("head1", .head, nil),
        ("opd-dinkes", .agency, "DINKES"),
    ]

    init() throws {
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        settings.timeZone = "Asia/Makassar"
        simpul = Simpul(database: try AppDatabase.inMemory(), settings: settings, now: { Date(timeIntervalSince1970: 1_795_254_525) })
        try simpul.inventory.importDocuments(try InventoryService.documents(inDirectory: Self.inventoryFolder), by: cli)
        for user in Self.users {
            try simpul.accounts.add(username: user.username, fullName: "Test \(user.username)", role: user.role,
                                    agency: user.agency, password: Self.password, by: cli)
        }
    }

    func application(secureCookies: Bool = true) async throws -> some ApplicationProtocol {
        var configuration = WebConfiguration()
        configuration.secureCookies = secureCookies
        return Application(router: try await buildRouter(simpul: simpul, configuration: configuration))
    }

    /// Runs `body` against the router, without a socket.
    func test<T: Sendable>(_ body: @Sendable (Browser) async throws -> T) async throws -> T {
        try await application().test(.router) { client in try await body(Browser(client: client)) }
    }
}

/// A test client that keeps cookies like a browser and knows Simpul's forms.
struct Browser: Sendable {
    let client: any TestClientProtocol

    struct Page: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String

        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }

        /// The `Set-Cookie` line for `name`.
        func setCookie(_ name: String) -> String? { setCookies.first { $0.hasPrefix("\(name)=") } }

        /// The value a `Set-Cookie` gives `name`.
        func cookieValue(_ name: String) -> String? {
            setCookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }

        /// The value of the first `<input … name="…" … value="…">` with that name, unescaped.
        func inputValue(_ name: String) -> String? {
            var rest = body[...]
            while let open = rest.range(of: "<input ") {
                let tag = rest[open.upperBound...].prefix { $0 != ">" }
                rest = rest[open.upperBound...]
                guard tag.contains(#"name="\#(name)""#) else { continue }
                guard let value = tag.range(of: #"value=""#) else { return "" }
                return Self.unescape(String(tag[value.upperBound...].prefix { $0 != "\"" }))
            }
            return nil
        }

        static func unescape(_ html: String) -> String {
            html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }

        /// The `lang` attribute of `<html>`.
        var htmlLang: String? {
            guard let range = body.range(of: #"<html lang=""#) else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }

        /// The text of the element with `id`, tags stripped.
        func text(ofID id: String) -> String? {
            guard let start = body.range(of: #"id="\#(id)""#), let close = body[start.upperBound...].firstIndex(of: ">") else { return nil }
            let rest = body[body.index(after: close)...]
            guard let end = rest.range(of: "</") else { return nil }
            return Self.unescape(String(rest[..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    func get(_ uri: String, cookies: [String: String] = [:], headers: HTTPFields = [:]) async throws -> Page {
        try await send(uri, method: .get, cookies: cookies, headers: headers, form: nil)
    }

    func post(_ uri: String, cookies: [String: String] = [:], form: [(String, String)]) async throws -> Page {
        try await send(uri, method: .post, cookies: cookies, headers: [:], form: form)
    }

    func send(_ uri: String, method: HTTPRequest.Method, cookies: [String: String], headers: HTTPFields,
              form: [(String, String)]?) async throws -> Page {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: Self.encode(form))
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Page(status: response.status, headers: response.headers,
                    body: String(buffer: response.body))
    }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// Fetches the login form, then posts it: returns the answer to the POST.
    func submitLogin(_ username: String, _ password: String, next: String? = nil) async throws -> Page {
        let form = try await get("/login" + (next.map { "?next=" + $0 } ?? ""))
        let token = try #require(form.cookieValue("simpul_login"))
        return try await post("/login", cookies: ["simpul_login": token], form: [
            ("_csrf", try #require(form.inputValue("_csrf"))), ("next", form.inputValue("next") ?? "/"),
            ("username", username), ("password", password),
        ])
    }

    /// A signed-in session: its cookie and the CSRF token its pages carry.
    struct Session: Sendable {
        var token: String
        var csrf: String
        var cookies: [String: String] { ["simpul_session": token] }
    }

    func logIn(_ username: String, _ password: String = WebFixture.password) async throws -> Session {
        let answer = try await submitLogin(username, password)
        #expect(answer.status == .seeOther)
        let token = try #require(answer.cookieValue("simpul_session"))
        let home = try await get("/account", cookies: ["simpul_session": token])
        #expect(home.status == .ok)
        return Session(token: token, csrf: try #require(home.inputValue("_csrf")))
    }
}
