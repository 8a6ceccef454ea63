import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Forms that change things")
struct AdminFormTests {
    @Test func adminAddsAUserThroughTheForm() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("admin1")
            let page = try await browser.post("/users", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("username", "siti"), ("fullName", "Siti Aminah"), ("role", "agency"),
                ("agency", "DINKES"), ("password", "panjang-sekali-1")])
            #expect(page.status == .ok)
            let user = try #require(try fixture.simpul.accounts.list(by: fixture.cli).first { $0.username == "siti" })
            #expect(user.role == .agency && user.agency == "DINKES" && user.fullName == "Siti Aminah")
            // And the new user can sign in.
            #expect(try await browser.submitLogin("siti", "panjang-sekali-1").status == .seeOther)
        }
    }

    @Test func badInputReRendersTheFormWithTheMessage() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("admin1")
            let short = try await browser.post("/users", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("username", "andi"), ("fullName", "Andi"), ("role", "viewer"), ("password", "pendek")])
            #expect(short.status == .badRequest)
            #expect(short.text(ofID: "form-error") == "kata sandi minimal 10 karakter")
            #expect(short.inputValue("fullName") == "Andi")
            #expect(short.inputValue("username") == "andi")
            let duplicate = try await browser.post("/users", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("username", "viewer1"), ("fullName", "Lagi"), ("role", "viewer"), ("password", "panjang-sekali-1")])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text(ofID: "form-error") == #"pengguna "viewer1" sudah ada"#)
            #expect(try fixture.simpul.accounts.list(by: fixture.cli).contains { $0.username == "andi" } == false)
        }
    }

    @Test func adminDisablesAndEnablesAUser() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let viewer = try await browser.logIn("viewer1")
            // One tap asks first; nothing changes until it is confirmed.
            let asked = try await browser.post("/users/viewer1/disable", cookies: admin.cookies, form: [("_csrf", admin.csrf)])
            #expect(asked.status == .ok && asked.text(ofID: "confirm-question") == "Nonaktifkan pengguna viewer1?")
            #expect(try fixture.simpul.accounts.user("viewer1", by: fixture.cli).disabled == false)
            #expect(asked.body.contains(#"<input type="hidden" name="confirm" value="yes">"#))
            let off = try await browser.post("/users/viewer1/disable", cookies: admin.cookies, form: [("_csrf", admin.csrf), ("confirm", "yes")])
            #expect(off.status == .seeOther)
            #expect(try fixture.simpul.accounts.user("viewer1", by: fixture.cli).disabled)
            #expect(try await browser.get("/", cookies: viewer.cookies).status == .seeOther)
            #expect(try await browser.submitLogin("viewer1", WebFixture.password).status == .unauthorized)
            _ = try await browser.post("/users/viewer1/enable", cookies: admin.cookies, form: [("_csrf", admin.csrf)])
            #expect(try fixture.simpul.accounts.user("viewer1", by: fixture.cli).disabled == false)
            // The page refuses, readably, to disable oneself.
            let selfDisable = try await browser.post("/users/admin1/disable", cookies: admin.cookies, form: [("_csrf", admin.csrf)])
            #expect(selfDisable.status == .badRequest)
            #expect(selfDisable.text(ofID: "form-error") == "Anda tidak dapat menonaktifkan akun Anda sendiri")
        }
    }

    @Test func userChangesTheirOwnPassword() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("viewer1")
            let wrong = try await browser.post("/account/password", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("current", "bukan-ini-123"), ("new", "sandi-baru-yang-panjang"), ("confirm", "sandi-baru-yang-panjang")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.text(ofID: "password-error") == "kata sandi saat ini salah")
            let changed = try await browser.post("/account/password", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("current", WebFixture.password), ("new", "sandi-baru-yang-panjang"), ("confirm", "sandi-baru-yang-panjang")])
            #expect(changed.status == .seeOther)
            let fresh = try #require(changed.cookieValue("simpul_session"))
            #expect(try fixture.simpul.sessions.session(token: session.token) == nil)
            #expect(try fixture.simpul.sessions.session(token: fresh) != nil)
            #expect(try await browser.submitLogin("viewer1", "sandi-baru-yang-panjang").status == .seeOther)
        }
    }

    @Test func userCreatesATokenShownOnceAndRevokesIt() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("viewer1")
            let created = try await browser.post("/account/tokens", cookies: session.cookies, form: [("_csrf", session.csrf), ("name", "laporan")])
            #expect(created.status == .ok)
            let secret = try #require(created.text(ofID: "new-token"))
            #expect(secret.hasPrefix("smp_"))
            let api = try await browser.get("/api/v1/me", headers: [.authorization: "Bearer \(secret)"])
            #expect(api.status == .ok)
            // Shown once: the account page lists the token by prefix only.
            let later = try await browser.get("/account", cookies: session.cookies)
            #expect(later.body.contains("laporan") && !later.body.contains(secret))
            let token = try #require(try fixture.simpul.accounts.tokens(by: fixture.cli).first { $0.name == "laporan" })
            let revoked = try await browser.post("/account/tokens/\(token.id)/revoke", cookies: session.cookies, form: [("_csrf", session.csrf)])
            #expect(revoked.status == .seeOther)
            #expect(try await browser.get("/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status == .unauthorized)
            // Another user's token is not theirs to revoke.
            let admin = try fixture.simpul.accounts.user("admin1", by: fixture.cli).principal
            let (other, _) = try fixture.simpul.accounts.createToken(username: "admin1", name: "admin", by: admin)
            let refused = try await browser.post("/account/tokens/\(other.id)/revoke", cookies: session.cookies, form: [("_csrf", session.csrf)])
            #expect(refused.status == .forbidden)
        }
    }
}
