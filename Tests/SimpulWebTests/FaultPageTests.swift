import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// The fault pages (issue 13): the phone form (agency, then its links and devices, then the
/// symptom), a second report attached, the work log with its outcome, the result; the message
/// templates page refusing an unknown placeholder.
@Suite("Fault pages")
struct FaultPageTests {
    @Test func aClerkReportsAFaultAndATechnicianLogsAndClosesIt() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let clerk = try await browser.logIn("clerk1")
            var page = try await browser.get("/faults/new", cookies: clerk.cookies)
            #expect(page.status == .ok && page.body.contains(#"id="f-agency""#) && !page.body.contains(#"id="fault-form""#))
            page = try await browser.get("/faults/new?agency=DINKES", cookies: clerk.cookies)
            #expect(page.body.contains(#"value="link:NUS-CKB-0008""#) && page.body.contains(#"value="device:rtr-dinkes""#))
            #expect(!page.body.contains(#"value="link:NUS-CKB-0001""#), "only the agency's own links")
            // A report with no way to reach the reporter comes back with the reason and what was typed.
            var form: [(String, String)] = [("_csrf", clerk.csrf), ("agency", "DINKES"), ("about", "link:NUS-CKB-0008"), ("symptom", "no_connection"),
                                            ("reporter", "Budi"), ("contact", ""), ("channel", "phone"), ("description", "Internet mati sejak pagi"), ("started", "")]
            page = try await browser.post("/faults", cookies: clerk.cookies, form: form)
            #expect(page.status == .unprocessableContent || page.status == .badRequest)
            #expect(page.text(ofID: "fault-error")?.contains("cara menghubungi pelapor") == true && page.body.contains("Internet mati sejak pagi"))
            form[5] = ("contact", "0812 555 0101")
            form[8] = ("started", "2026-02-30 08:00")
            page = try await browser.post("/faults", cookies: clerk.cookies, form: form)
            #expect(page.text(ofID: "fault-error")?.contains("2026-02-30 08:00") == true)
            form[8] = ("started", "")
            page = try await browser.post("/faults", cookies: clerk.cookies, form: form)
            #expect(page.status == .seeOther)
            let location = try #require(page.headers[.location])
            let id = try #require(Int64(location.split(separator: "/").last?.split(separator: "?").first ?? ""))
            // The agency's second report about the same link is attached to it.
            let agency = try await browser.logIn("opd-dinkes")
            page = try await browser.post("/faults", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("about", "link:NUS-CKB-0008"), ("symptom", "slow"), ("reporter", "Operator"), ("contact", "0813"),
                ("description", "masih mati"),
            ])
            #expect(page.headers[.location] == "/faults/\(id)?done=attached")
            page = try await browser.get("/faults/\(id)?done=attached", cookies: agency.cookies)
            #expect(page.text(ofID: "fault-notice")?.contains("ditambahkan") == true)
            #expect(!page.body.contains(#"id="fault-log-form""#), "the agency follows its fault but does not log work")

            try fixture.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek1"),
                                           by: try fixture.principal("kasi1"))
            let tech = try await browser.logIn("tek1")
            page = try await browser.get("/faults/\(id)", cookies: tech.cookies)
            #expect(page.body.contains(#"id="fault-log-form""#) && !page.body.contains(#"id="fault-close-form""#))
            page = try await browser.post("/faults/\(id)/log", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("outcome", "fixed")])
            #expect(page.text(ofID: "fault-log-error")?.contains("tulis apa yang diperiksa") == true)
            page = try await browser.post("/faults/\(id)/log", cookies: tech.cookies, form: [
                ("_csrf", tech.csrf), ("checked", "ONT"), ("found", "kabel patch putus"), ("did", "diganti"), ("outcome", "fixed"),
            ])
            #expect(page.headers[.location] == "/faults/\(id)?done=log")
            page = try await browser.get("/faults/\(id)", cookies: tech.cookies)
            #expect(page.element("fault-log", closing: "ol")?.contains("kabel patch putus") == true && page.body.contains(#"id="fault-close-form""#))
            page = try await browser.post("/faults/\(id)/close", cookies: tech.cookies, form: [
                ("_csrf", tech.csrf), ("cause", "device_failure"), ("resolution", "Kabel patch diganti; koneksi normal"),
            ])
            #expect(page.headers[.location] == "/faults/\(id)?done=close")
            page = try await browser.get("/faults/\(id)", cookies: tech.cookies)
            #expect(page.text(ofID: "fault-cause")?.contains("Perangkat rusak") == true)
            // The fault list, and numbers that are not fault numbers.
            page = try await browser.get("/faults", cookies: tech.cookies)
            #expect(page.body.contains(#"id="fault-\#(id)""#))
            for bad in ["0", "-1", "abc", "99999999999999999999", "9223372036854775807"] {
                #expect(try await browser.get("/faults/\(bad)", cookies: tech.cookies).status == .notFound)
            }
        }
    }

    @Test func theTemplatesPageRefusesAnUnknownPlaceholder() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            var page = try await browser.get("/templates", cookies: admin.cookies)
            #expect(page.status == .ok && page.body.contains("provider.escalation.mail") && page.body.contains("{{circuit}}"))
            page = try await browser.post("/templates/provider.escalation.mail", cookies: admin.cookies, form: [
                ("_csrf", admin.csrf), ("subject", "Gangguan {{circuit}}"), ("body", "Sirkuit {{sirkuit}} mati"),
            ])
            #expect(page.status == .unprocessableContent || page.status == .badRequest)
            #expect(page.text(ofID: "template-error")?.contains("{{sirkuit}}") == true && page.body.contains("Sirkuit {{sirkuit}} mati"))
            page = try await browser.post("/templates/provider.escalation.mail", cookies: admin.cookies, form: [
                ("_csrf", admin.csrf), ("subject", "Gangguan {{circuit}}"), ("body", "Sirkuit {{circuit}} mati"),
            ])
            #expect(page.status == .seeOther)
            #expect(try await browser.post("/templates/no.such", cookies: admin.cookies, form: [("_csrf", admin.csrf), ("body", "x")]).status == .notFound)
            let tech = try await browser.logIn("tek1")
            page = try await browser.get("/templates", cookies: tech.cookies)
            #expect(page.status == .ok && !page.body.contains("<textarea"))
            page = try await browser.post("/templates/provider.escalation.mail", cookies: tech.cookies, form: [("_csrf", tech.csrf), ("body", "x")])
            #expect(page.status == .forbidden || page.status == .notFound)
        }
    }
}
