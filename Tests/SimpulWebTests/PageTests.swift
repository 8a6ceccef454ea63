import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Pages, language and headers")
struct PageTests {
    @Test func languageSwitchChangesHtmlLangAndTheMenu() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            let before = try await browser.get("/agencies/DINKES", cookies: session.cookies)
            #expect(before.htmlLang == "id")
            #expect(before.text(ofID: "nav-agencies") == "Instansi")
            #expect(before.body.contains(#"id="lang-en""#) && before.body.contains(#"id="lang-id""#) && before.body.contains(#"id="logout""#))
            let switched = try await browser.post("/lang", cookies: session.cookies,
                                                  form: [("_csrf", session.csrf), ("to", "en"), ("back", "/agencies/DINKES")])
            #expect(switched.status == .seeOther)
            #expect(switched.location == "/agencies/DINKES")
            let after = try await browser.get("/agencies/DINKES", cookies: session.cookies)
            #expect(after.htmlLang == "en")
            #expect(after.text(ofID: "nav-agencies") == "Agencies")
            let back = try await browser.post("/lang", cookies: session.cookies, form: [("_csrf", session.csrf), ("to", "id"), ("back", "//evil.example")])
            #expect(back.location == "/")
            #expect(try await browser.get("/", cookies: session.cookies).text(ofID: "nav-agencies") == "Instansi")
        }
    }

    @Test func securityHeadersOnPagesAndNoStoreOnHTML() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            for page in [try await browser.get("/login"), try await browser.get("/", cookies: session.cookies),
                         try await browser.get("/users", cookies: ["simpul_session": "nope"])] {
                #expect(page.headers[.contentSecurityPolicy] == "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(page.headers[.cacheControl] == "no-store")
            }
            let css = try await browser.get("/assets/simpul.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(css.body.contains("overflow-x: auto"))
            #expect(try await browser.get("/assets/nope.css").status == .notFound)
        }
    }

    @Test func healthzAnswersWithoutASession() async throws {
        try await WebFixture().test { browser in
            let health = try await browser.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.body == "ok\n")
        }
    }

    @Test(arguments: ["/", "/agencies", "/agencies/DISKOMINFO", "/providers", "/providers/NUSANET", "/links", "/devices",
                      "/pools", "/zones", "/racks", "/users", "/account", "/audit", "/audit?page=2"])
    func everyPageRendersForTheAdmin(path: String) async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            let page = try await browser.get(path, cookies: session.cookies)
            #expect(page.status == .ok, "\(path): \(page.body.prefix(300))")
            #expect(page.htmlLang == "id")
            #expect(page.body.contains("<h1"))
            #expect(!page.body.contains("{{"))
            // Every POST form carries the session's CSRF token.
            let forms = page.body.components(separatedBy: #"method="post""#).count - 1
            let tokens = page.body.components(separatedBy: #"name="_csrf" value="\#(session.csrf)""#).count - 1
            #expect(forms >= 2 && forms == tokens)
        }
    }

    @Test func dashboardShowsCountsBandwidthAndRecentAudit() async throws {
        try await WebFixture().test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/", cookies: admin.cookies)
            #expect(page.body.contains("Mbps"))
            #expect(page.body.contains("<svg class=\"bar\""))
            #expect(page.body.contains("href=\"/audit\""))
            let viewer = try await browser.logIn("viewer1")
            let viewed = try await browser.get("/", cookies: viewer.cookies)
            #expect(viewed.status == .ok)
            #expect(!viewed.body.contains("href=\"/audit\""))
        }
    }

    @Test func rackPageDrawsEachUnitBottomUp() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("admin1")
            let page = try await browser.get("/racks", cookies: session.cookies)
            let rack = try #require(page.body.range(of: #"id="rack-DC1-R01""#))
            let rest = page.body[rack.upperBound...]
            let top = try #require(rest.range(of: #"<th scope="row">42</th>"#))
            let bottom = try #require(rest.range(of: #"<th scope="row">1</th>"#))
            #expect(top.lowerBound < bottom.lowerBound)
            #expect(rest.contains("sw-inti-01"))
            #expect(rest.contains("<meter"))
        }
    }

    @Test func auditPageShowsTheVerifiedChain() async throws {
        try await WebFixture().test { browser in
            let session = try await browser.logIn("head1")
            let page = try await browser.get("/audit", cookies: session.cookies)
            #expect(page.status == .ok)
            #expect(page.text(ofID: "audit-verify")?.hasPrefix("Rantai audit utuh") == true)
            #expect(page.body.contains("WITA"))
            #expect(page.body.contains("<pre>"))
        }
    }
}
