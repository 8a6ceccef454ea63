import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SimpulCore
import SimpulServices
import SimpulStore
import SimpulWeb
import Testing

/// The tests' clock: it stands still unless a test moves it on.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(minutes: Double) { lock.withLock { current.addTimeInterval(minutes * 60) } }
}

/// A fresh in-memory district (the tests' own, `Tests/Fixtures/District`), the playbooks
/// (`Tests/Fixtures/Playbooks`: not the demo or the SOPs, so editing those moves no web test), some users,
/// and the web router over it. Its clock starts on Saturday 21 November 2026, 17.48 WITA.
struct WebFixture {
    let simpul: Simpul
    let clock = TestClock(Date(timeIntervalSince1970: 1_795_254_525))
    let cli = Principal.commandLine("test")
    static let password = "rahasia-sekali-42"

    static let inventoryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/District").standardized.path
    static let playbookFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/Playbooks").standardized.path

    /// Users made for every test: one per role that the tests need.
    static let users: [(username: String, role: Role, agency: String?)] = [
        ("admin1", .admin, nil), ("viewer1", .viewer, nil), ("head1", .head, nil),
        ("opd-dinkes", .agency, "DINKES"), ("kasi1", .supervisor, nil), ("tek1", .technician, nil), ("tek2", .technician, nil),
        ("clerk1", .clerk, nil),
    ]

    /// `dnsServer` points the example zones (127.0.0.1:5300) at a test's own named.
    init(dns: (any DNSUpdater)? = nil, dnsServer: String? = nil) throws {
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        // The tests' named shares two busy cores with every other test: a delivery made at once may
        // take longer than a person would be kept waiting (OutboxService.atOnceBudget).
        settings.atOnceBudget = .seconds(30)
        settings.attemptDeadline = .seconds(30)
        settings.timeZone = "Asia/Makassar"
        let clock = self.clock
        simpul = Simpul(database: try AppDatabase.inMemory(), settings: settings, dns: dns, now: { clock.now })
        var documents = try InventoryService.documents(inDirectory: Self.inventoryFolder)
        if let dnsServer {
            for i in documents.indices { documents[i].text = documents[i].text.replacingOccurrences(of: "127.0.0.1:5300", with: dnsServer) }
        }
        try simpul.inventory.importDocuments(documents, by: cli)
        try simpul.playbooks.load(try PlaybookService.documents(inDirectory: Self.playbookFolder), by: cli)
        for user in Self.users {
            try simpul.accounts.add(username: user.username, fullName: "Test \(user.username)", role: user.role,
                                    agency: user.agency, password: Self.password, by: cli)
        }
    }

    /// The web configuration of the tests: database work a request does off the blocking threads
    /// fails it (`threadCheck`), so a route that forgets them fails its test with a 500.
    static func configuration(secureCookies: Bool = true) -> WebConfiguration {
        var configuration = WebConfiguration()
        configuration.secureCookies = secureCookies
        configuration.threadCheck = true
        configuration.blockingThreads = 4
        return configuration
    }

    func application(secureCookies: Bool = true) async throws -> some ApplicationProtocol {
        try await application { try await buildRouter(simpul: simpul, configuration: Self.configuration(secureCookies: secureCookies), threads: $0) }
    }

    /// An application over the router `build` makes with its blocking threads, which it runs and stops.
    func application(_ build: (BlockingThreads) async throws -> Router<WebContext>) async throws -> some ApplicationProtocol {
        let threads = BlockingThreads(count: Self.configuration().blockingThreads)
        do {
            return Application(router: try await build(threads), services: [threads])
        } catch {
            try? await threads.stop()
            throw error
        }
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
        /// The body as sent, for files.
        var bytes: [UInt8] = []

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

    /// A file for a `multipart/form-data` form.
    struct Upload: Sendable {
        var field: String
        var fileName: String
        var contentType: String
        var data: [UInt8]
    }

    static let boundary = "----SimpulTestBoundary7MA4YWxkTrZu0gW"

    /// A `multipart/form-data` body as a browser sends it: fields first, then files.
    static func multipart(_ fields: [(String, String)], files: [Upload], boundary: String = boundary) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.fileName)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8)
            body += file.data + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }

    /// Posts a file form (`enctype="multipart/form-data"`).
    func postMultipart(_ uri: String, cookies: [String: String] = [:], fields: [(String, String)], files: [Upload]) async throws -> Page {
        try await postRaw(uri, cookies: cookies, contentType: "multipart/form-data; boundary=\(Self.boundary)",
                          body: Self.multipart(fields, files: files))
    }

    /// Posts `body` as it is, with `contentType`.
    func postRaw(_ uri: String, cookies: [String: String] = [:], headers: HTTPFields = [:], contentType: String, body: [UInt8]) async throws -> Page {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        headers[.contentType] = contentType
        let response = try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body),
                    bytes: Array(response.body.readableBytesView))
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
                    body: String(buffer: response.body), bytes: Array(response.body.readableBytesView))
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
