import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Signing in and out")
struct LoginTests {
    @Test func successSetsAHardenedSessionCookieAndRedirects() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let answer = try await browser.submitLogin("admin1", WebFixture.password)
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/")
            let cookie = try #require(answer.setCookie("simpul_session"))
            #expect(cookie.contains("; HttpOnly"))
            #expect(cookie.contains("; Secure"))
            #expect(cookie.contains("; SameSite=Lax"))
            #expect(cookie.contains("; Path=/"))
            let token = try #require(answer.cookieValue("simpul_session"))
            #expect(token.count >= 40)
            // The token is a live session on the server.
            #expect(try fixture.simpul.sessions.session(token: token)?.principal.username == "admin1")
            // The login form's double-submit cookie is cleared.
            #expect(answer.setCookie("simpul_login")?.contains("Max-Age=0") == true)
        }
    }

    @Test func loginFormSetsAStrictDoubleSubmitCookie() async throws {
        try await WebFixture().test { browser in
            let form = try await browser.get("/login")
            #expect(form.status == .ok)
            let cookie = try #require(form.setCookie("simpul_login"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"))
            #expect(form.cookieValue("simpul_login") == form.inputValue("_csrf"))
            for id in ["username", "password", "login-submit"] { #expect(form.body.contains(#"id="\#(id)""#)) }
            #expect(form.htmlLang == "id")
        }
    }

    /// A second tab, or a stray request that lands on /login, must not invalidate an open form.
    @Test func anOpenLoginFormStaysValid() async throws {
        try await WebFixture().test { browser in
            let first = try await browser.get("/login")
            let token = try #require(first.cookieValue("simpul_login"))
            let second = try await browser.get("/login", cookies: ["simpul_login": token])
            #expect(second.inputValue("_csrf") == token)
            let icon = try await browser.get("/favicon.ico")
            #expect(icon.status == .ok, "the favicon is public and never bounces to /login")
        }
    }

    @Test func insecureCookiesWhenConfigured() async throws {
        let fixture = try WebFixture()
        try await fixture.application(secureCookies: false).test(.router) { client in
            let answer = try await Browser(client: client).submitLogin("admin1", WebFixture.password)
            let cookie = try #require(answer.setCookie("simpul_session"))
            #expect(!cookie.contains("Secure"))
            #expect(cookie.contains("HttpOnly"))
        }
    }

    @Test func followsOnlyLocalNextPaths() async throws {
        try await WebFixture().test { browser in
            let local = try await browser.submitLogin("admin1", WebFixture.password, next: "%2Fagencies%2FDINKES")
            #expect(local.location == "/agencies/DINKES")
            let foreign = try await browser.submitLogin("admin1", WebFixture.password, next: "%2F%2Fevil.example%2Fx")
            #expect(foreign.location == "/")
            let absolute = try await browser.submitLogin("admin1", WebFixture.password, next: "https%3A%2F%2Fevil.example%2F")
            #expect(absolute.location == "/")
        }
    }

    @Test func wrongPasswordShowsTheErrorOnTheForm() async throws {
        try await WebFixture().test { browser in
            let answer = try await browser.submitLogin("admin1", "salah-sekali-99")
            #expect(answer.status == .unauthorized)
            #expect(answer.setCookie("simpul_session") == nil)
            #expect(answer.text(ofID: "login-error") == "nama pengguna atau kata sandi salah")
            #expect(answer.body.contains(#"id="username""#))
            #expect(answer.inputValue("username") == "admin1")
        }
    }

    @Test func sixthFailedAttemptIsThrottledEvenWithTheRightPassword() async throws {
        try await WebFixture().test { browser in
            for _ in 1...5 {
                #expect(try await browser.submitLogin("viewer1", "bukan-sandinya-1").status == .unauthorized)
            }
            let sixth = try await browser.submitLogin("viewer1", WebFixture.password)
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.setCookie("simpul_session") == nil)
            #expect(sixth.text(ofID: "login-error")?.contains("terlalu banyak percobaan") == true)
        }
    }

    @Test func logoutDestroysTheSessionOnTheServer() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("admin1")
            let out = try await browser.post("/logout", cookies: session.cookies, form: [("_csrf", session.csrf)])
            #expect(out.status == .seeOther)
            #expect(out.location == "/login")
            #expect(out.setCookie("simpul_session")?.contains("Max-Age=0") == true)
            #expect(try fixture.simpul.sessions.session(token: session.token) == nil)
            // The old cookie, replayed, no longer opens anything.
            let again = try await browser.get("/agencies", cookies: session.cookies)
            #expect(again.status == .seeOther)
            #expect(again.location?.hasPrefix("/login") == true)
        }
    }
}
