import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Sessions, CSRF and roles")
struct AccessTests {
    @Test(arguments: ["/", "/agencies", "/agencies/DINKES", "/providers", "/links", "/devices", "/pools", "/zones",
                      "/racks", "/users", "/account", "/audit"])
    func pagesRedirectToLoginWithoutASession(path: String) async throws {
        try await WebFixture().test { browser in
            let page = try await browser.get(path)
            #expect(page.status == .seeOther)
            let location = try #require(page.location)
            #expect(location.hasPrefix("/login"))
            if path != "/" { #expect(location == "/login?next=" + path) }
            #expect(!page.body.contains("agency-link"))
        }
    }

    @Test func aBogusSessionCookieIsNoSession() async throws {
        try await WebFixture().test { browser in
            let page = try await browser.get("/agencies", cookies: ["simpul_session": "not-a-real-token"])
            #expect(page.status == .seeOther)
        }
    }

    @Test func postWithoutOrWithWrongCSRFIsRefusedAndDoesNothing() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("admin1")
            let newUser: [(String, String)] = [("username", "siti"), ("fullName", "Siti Aminah"), ("role", "viewer"),
                                               ("agency", ""), ("password", "panjang-sekali-1")]
            let missing = try await browser.post("/users", cookies: session.cookies, form: newUser)
            #expect(missing.status == .forbidden)
            #expect(missing.text(ofID: "error-message")?.contains("Formulir ini kedaluwarsa") == true)
            #expect(missing.body.contains("This form has expired or did not come from Simpul"))
            let wrong = try await browser.post("/users", cookies: session.cookies, form: newUser + [("_csrf", "x" + session.csrf)])
            #expect(wrong.status == .forbidden)
            #expect(try fixture.simpul.accounts.list(by: fixture.cli).contains { $0.username == "siti" } == false)
            // Logout without the token leaves the session alive.
            #expect(try await browser.post("/logout", cookies: session.cookies, form: []).status == .forbidden)
            #expect(try fixture.simpul.sessions.session(token: session.token) != nil)
            // And a language switch without it changes nothing.
            #expect(try await browser.post("/lang", cookies: session.cookies, form: [("to", "en"), ("back", "/")]).status == .forbidden)
            #expect(try fixture.simpul.sessions.session(token: session.token)?.language == .id)
        }
    }

    @Test func loginWithoutTheDoubleSubmitCookieIsRefused() async throws {
        try await WebFixture().test { browser in
            let form = try await browser.get("/login")
            let csrf = try #require(form.inputValue("_csrf"))
            let noCookie = try await browser.post("/login", form: [("_csrf", csrf), ("username", "admin1"), ("password", WebFixture.password)])
            #expect(noCookie.status == .forbidden)
            #expect(noCookie.setCookie("simpul_session") == nil)
            // Another token: its first character changed (never to the same one, or the test could pass by luck).
            let other = (csrf.first == "A" ? "B" : "A") + String(csrf.dropFirst())
            let mismatch = try await browser.post("/login", cookies: ["simpul_login": other],
                                                  form: [("_csrf", csrf), ("username", "admin1"), ("password", WebFixture.password)])
            #expect(mismatch.status == .forbidden)
            #expect(mismatch.setCookie("simpul_session") == nil)
        }
    }

    @Test func agencyUserSeesOnlyTheirOwnAgency() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("opd-dinkes")
            let list = try await browser.get("/agencies", cookies: session.cookies)
            #expect(list.status == .ok)
            #expect(list.body.contains(#"class="agency-link" href="/agencies/DINKES""#))
            #expect(list.body.components(separatedBy: "agency-link").count == 2)
            let own = try await browser.get("/agencies/DINKES", cookies: session.cookies)
            #expect(own.status == .ok)
            #expect(own.text(ofID: "agency-name") == "Dinas Kesehatan")
            let other = try await browser.get("/agencies/SETDA", cookies: session.cookies)
            #expect(other.status == .forbidden)
            #expect(other.text(ofID: "error-message") == "Anda hanya dapat melihat instansi Anda sendiri")
            #expect(!other.body.contains("Sekretariat Daerah"))
            #expect(try await browser.get("/providers", cookies: session.cookies).status == .forbidden)
            // The menu offers only what the role may open.
            #expect(!list.body.contains(#"id="nav-providers""#))
            #expect(!list.body.contains(#"id="nav-users""#))
        }
    }

    @Test func viewerIsRefusedTheUserListInTheirLanguage() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("viewer1")
            let page = try await browser.get("/users", cookies: session.cookies)
            #expect(page.status == .forbidden)
            #expect(page.htmlLang == "id")
            #expect(page.text(ofID: "error-message") == "peran Anda tidak mengizinkan tindakan ini")
            _ = try await browser.post("/lang", cookies: session.cookies, form: [("_csrf", session.csrf), ("to", "en"), ("back", "/users")])
            let english = try await browser.get("/users", cookies: session.cookies)
            #expect(english.status == .forbidden)
            #expect(english.htmlLang == "en")
            #expect(english.text(ofID: "error-message") == "your role does not allow this")
            // Nor may a viewer add a user by posting the form directly.
            let post = try await browser.post("/users", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("username", "budi"), ("fullName", "Budi"), ("role", "admin"), ("password", "panjang-sekali-1")])
            #expect(post.status == .forbidden)
            #expect(try fixture.simpul.accounts.list(by: fixture.cli).contains { $0.username == "budi" } == false)
            #expect(try await browser.get("/audit", cookies: session.cookies).status == .forbidden)
        }
    }

    @Test func unknownThingsAreNotFoundNotServerErrors() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            let agency = try await browser.get("/agencies/TIDAK-ADA", cookies: session.cookies)
            #expect(agency.status == .notFound)
            #expect(agency.text(ofID: "error-message") == #"instansi "TIDAK-ADA" tidak ada"#)
            #expect(try await browser.get("/providers/NOPE", cookies: session.cookies).status == .notFound)
            #expect(try await browser.get("/no/such/page", cookies: session.cookies).status == .notFound)
        }
    }
}
