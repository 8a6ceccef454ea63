import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("JSON API")
struct APITests {
    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    func json(_ page: Browser.Page) throws -> Any { try JSONSerialization.jsonObject(with: Data(page.body.utf8)) }

    @Test func bearerTokenWorksAndRevokedTokenDoesNot() async throws {
        let fixture = try WebFixture()
        let viewer = try fixture.simpul.accounts.user("viewer1", by: fixture.cli).principal
        let (token, secret) = try fixture.simpul.accounts.createToken(username: "viewer1", name: "skrip", by: viewer)
        try await fixture.test { browser in
            let me = try await browser.get("/api/v1/me", headers: bearer(secret))
            #expect(me.status == .ok)
            #expect(me.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect((try json(me) as? [String: Any])?["username"] as? String == "viewer1")
            let agencies = try await browser.get("/api/v1/agencies", headers: bearer(secret))
            #expect((try json(agencies) as? [Any])?.count == (try fixture.simpul.estate.agencies(for: fixture.cli).count))
            #expect((try json(agencies) as? [Any])?.count ?? 0 > 20)
            #expect(try await browser.get("/api/v1/racks", headers: bearer(secret)).status == .ok)
            try fixture.simpul.accounts.revokeToken(id: token.id, by: viewer)
            let revoked = try await browser.get("/api/v1/me", headers: bearer(secret))
            #expect(revoked.status == .unauthorized)
            #expect(revoked.headers[.cacheControl] == "no-store")
        }
    }

    @Test func withoutATokenIs401JSONInTheAskedLanguage() async throws {
        try await WebFixture().test { browser in
            let plain = try await browser.get("/api/v1/agencies")
            #expect(plain.status == .unauthorized)
            let error = try #require((try json(plain) as? [String: Any])?["error"] as? [String: String])
            #expect(error["code"] == "unauthorized")
            #expect(error["message"] == error["message_id"])
            #expect(error["message_en"]?.isEmpty == false)
            let english = try await browser.get("/api/v1/agencies", headers: [.acceptLanguage: "en-US,en;q=0.9,id;q=0.8"])
            let detail = try #require((try json(english) as? [String: Any])?["error"] as? [String: String])
            #expect(detail["message"] == detail["message_en"])
            #expect(try await browser.get("/api/v1/agencies", headers: bearer("smp_bukan-token")).status == .unauthorized)
        }
    }

    @Test func rolesAndErrorsAreTheServicesOwn() async throws {
        let fixture = try WebFixture()
        let agencyUser = try fixture.simpul.accounts.user("opd-dinkes", by: fixture.cli).principal
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "opd-dinkes", name: "opd", by: agencyUser)
        try await fixture.test { browser in
            let list = try await browser.get("/api/v1/agencies", headers: bearer(secret))
            let codes = (try json(list) as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["DINKES"])
            let other = try await browser.get("/api/v1/agencies/SETDA", headers: bearer(secret))
            #expect(other.status == .forbidden)
            #expect(((try json(other) as? [String: Any])?["error"] as? [String: String])?["code"] == "forbidden")
            #expect(try await browser.get("/api/v1/users", headers: bearer(secret)).status == .forbidden)
            #expect(try await browser.get("/api/v1/audit?limit=abc", headers: bearer(secret)).status == .badRequest)
            #expect(try await browser.get("/api/v1/nothing-here", headers: bearer(secret)).status == .notFound)
        }
    }

    @Test func sessionCookieWorksForGetsAndAuditPages() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            let audit = try await browser.get("/api/v1/audit?limit=5&offset=0", cookies: session.cookies)
            #expect(audit.status == .ok)
            let body = try #require(try json(audit) as? [String: Any])
            #expect((body["entries"] as? [Any])?.count == 5)
            #expect((body["total"] as? Int ?? 0) > 5)
            #expect(try await browser.get("/api/v1/users", cookies: session.cookies).status == .ok)
        }
    }
}
