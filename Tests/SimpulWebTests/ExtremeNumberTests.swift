import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// Every numeric parameter of every route, fed the numbers that end a server which does arithmetic
/// on them unchecked (Swift traps on overflow): each is refused with a 4xx and a message, or
/// ignored, and the server answers the next request. A trap would end this test process.
@Suite("Extreme numbers on every route")
struct ExtremeNumberTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
        "-1", "0", "2147483648", "4294967296", "1e308", "0x10", "NaN", " 12 ", "+7", "１２",
    ]

    /// Query parameters that any page might read as a number.
    static let numericNames = ["offset", "limit", "page", "version", "position", "port", "height", "watts", "depth", "ports", "id", "visit"]

    static let pages = [
        "/", "/work", "/tickets", "/tickets/new", "/agencies", "/agencies/DINKES", "/providers", "/links", "/devices",
        "/hosting", "/hosting/new", "/pools", "/zones", "/racks", "/playbooks", "/playbooks/fault-dispatch",
        "/reports/compliance", "/audit", "/users", "/account",
    ]

    static let apiPaths = [
        "/api/v1/tickets", "/api/v1/audit", "/api/v1/playbooks/fault-dispatch", "/api/v1/links", "/api/v1/pools/usage",
    ]

    @Test func everyPageAndAPIListRefusesOrIgnoresExtremeNumbers() async throws {
        let fixture = try WebFixture()
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "admin1", name: "extremes", by: fixture.cli)
        try await fixture.test { browser in
            for user in ["admin1", "viewer1", "opd-dinkes"] {
                let session = try await browser.logIn(user)
                for page in Self.pages {
                    for name in Self.numericNames {
                        for value in Self.extremes {
                            let uri = "\(page)?\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                            let answer = try await browser.get(uri, cookies: session.cookies)
                            #expect(answer.status.code < 500, "\(user) GET \(uri) → \(answer.status)")
                        }
                    }
                }
            }
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            for path in Self.apiPaths {
                for name in Self.numericNames {
                    for value in Self.extremes {
                        let uri = "\(path)?\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                        let answer = try await browser.get(uri, headers: auth)
                        #expect(answer.status.code < 500, "GET \(uri) → \(answer.status)")
                    }
                }
            }
            // The three that ended the server: each is a 400 that says what is allowed.
            let admin = try await browser.logIn("admin1")
            for uri in ["/tickets?offset=9223372036854775807", "/audit?page=9223372036854775807"] {
                let answer = try await browser.get(uri, cookies: admin.cookies)
                #expect(answer.status == .badRequest, "\(uri) → \(answer.status)")
                #expect(answer.body.contains("bilangan bulat"), "\(uri) says what is allowed")
            }
            let api = try await browser.get("/api/v1/tickets?offset=9223372036854775807", headers: auth)
            #expect(api.status == .badRequest && api.body.contains("1000000"))
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    @Test func everyPathNumberIsANotFoundNotACrash() async throws {
        let fixture = try WebFixture()
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "admin1", name: "extremes", by: fixture.cli)
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            for value in Self.extremes {
                let v = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                for path in ["/tickets/\(v)", "/hosting/\(v)", "/attachments/\(v)"] {
                    let answer = try await browser.get(path, cookies: admin.cookies)
                    #expect(answer.status.code < 500, "GET \(path) → \(answer.status)")
                }
                for path in ["/tickets/\(v)/start", "/hosting/\(v)/install", "/account/tokens/\(v)/revoke"] {
                    let answer = try await browser.post(path, cookies: admin.cookies, form: [("_csrf", admin.csrf)])
                    #expect(answer.status.code < 500, "POST \(path) → \(answer.status)")
                }
                let api = try await browser.get("/api/v1/tickets/\(v)", headers: [.authorization: "Bearer \(secret)"])
                #expect(api.status.code < 500, "GET /api/v1/tickets/\(v) → \(api.status)")
            }
        }
    }

    @Test func hostingFormsRefuseExtremeNumbersWithTheirReason() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let base: [(String, String)] = [
                ("_csrf", agency.csrf), ("letter", "045/9/DINKES/XI/2026"), ("letterDate", "2026-11-20"), ("signedBy", "dr. Rahmawati"),
                ("contact", "Budi"), ("phone", "0812"), ("email", ""), ("hostname", "simkes"), ("dns", "simkes"), ("form", "rack"),
                ("height", "2"), ("watts", "400"), ("ports", "2"), ("depth", ""), ("os", "Debian 12"), ("application", "SIMKES"),
                ("scope", "private"),
            ]
            for field in ["height", "watts", "ports", "depth"] {
                for value in Self.extremes where value != " 12 " && value != "+7" {
                    let form = base.map { $0.0 == field ? (field, value) : $0 }
                    let answer = try await browser.post("/hosting", cookies: agency.cookies, form: form)
                    #expect(answer.status.code >= 400 && answer.status.code < 500, "\(field)=\(value) → \(answer.status)")
                    #expect(answer.body.contains("hosting-error"), "\(field)=\(value) shows the form's error")
                }
            }
            // The request filed with sane numbers, then the technician's install and the monitor with extreme ones.
            let filed = try await browser.post("/hosting", cookies: agency.cookies, form: base)
            #expect(filed.status == .seeOther)
            let location = try #require(filed.location)
            let admin = try await browser.logIn("admin1")
            for value in Self.extremes {
                let install = try await browser.postMultipart("\(location)/install", cookies: admin.cookies,
                    fields: [("_csrf", admin.csrf), ("rack", "DC1-R01"), ("position", value), ("report", "dipasang")],
                    files: [.init(field: "photo", fileName: "server.png", contentType: "image/png", data: Array(Self.png))])
                #expect(install.status.code < 500, "install position=\(value) → \(install.status)")
                let monitor = try await browser.post("\(location)/monitor", cookies: admin.cookies, form: [("_csrf", admin.csrf), ("port", value)])
                #expect(monitor.status.code < 500, "monitor port=\(value) → \(monitor.status)")
            }
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    /// A 1×1 PNG.
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
}

/// The one parser every number from outside goes through.
@Suite("Whole numbers")
struct WholeNumberTests {
    @Test(arguments: [
        ("12", 12), (" 7 ", 7), ("+3", 3), ("0", 0), ("60", 60),
    ])
    func accepts(_ text: String, _ value: Int) throws {
        #expect(try WholeNumber.parse(text, field: Text(id: "x", en: "x"), in: 0...60) == value)
    }

    @Test(arguments: ["61", "-1", "9223372036854775807", "9223372036854775808", "1e3", "0x10", "", "1 2", "１２", "12a",
                      String(repeating: "9", count: 100)])
    func refuses(_ text: String) {
        #expect(throws: NumberRefusal.self) { try WholeNumber.parse(text, field: Text(id: "posisi U", en: "U position"), in: 0...60) }
        do { _ = try WholeNumber.parse(text, field: Text(id: "posisi U", en: "U position"), in: 0...60) } catch {
            #expect(error.text.en.contains("U position must be a whole number from 0 to 60"))
            #expect(error.text.en.count < 200, "the input is quoted as an excerpt, never whole")
        }
    }

    @Test(arguments: ["9223372036854775807-01-01", "-9223372036854775808-01-01", "99999-01-01", "0000-01-01", "2026-13-01", "2026-02-30"])
    func datesOutOfRangeAreNotDays(_ text: String) {
        #expect(WorkCalendar.dayNumber(text) == nil)
    }

    @Test func oneReadingOfACivilDate() throws {
        let wita = try #require(TimeZone(identifier: "Asia/Makassar"))
        #expect(WorkCalendar.midnight("2026-11-21", in: wita) == Date(timeIntervalSince1970: 1_795_219_200 - 8 * 3600))
        for bad in ["2026-02-30", "2026-2-3", "26-11-21", "2026-11-21 ", "9223372036854775807-01-01", ""] {
            #expect(WorkCalendar.midnight(bad, in: wita) == nil, "\(bad)")
        }
    }

    @Test func rackFitNeverOverflows() {
        let rack = RackSpace(code: "R01", heightU: 42, feedAWatts: 5000, feedBWatts: 5000, occupied: [(1, 2)], loadPerFeedWatts: 100)
        for position in [Int.max, Int.min, 0, -1, 43, 42] {
            for height in [Int.max, Int.min, 0, 1, 42] {
                _ = RackFit.problem(rack, position: position, heightU: height, watts: 100)
            }
        }
        #expect(RackFit.problem(rack, position: Int.max, heightU: 2, watts: 100) == .outsideRack(rack: "R01", heightU: 42))
        #expect(RackFit.problem(rack, position: 41, heightU: Int.max, watts: 100) == .outsideRack(rack: "R01", heightU: 42))
        #expect(RackFit.problem(rack, position: 41, heightU: 2, watts: 100) == nil)
    }
}
