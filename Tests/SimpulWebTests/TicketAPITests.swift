import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Ticket API")
struct TicketAPITests {
    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    func object(_ page: Browser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any], "\(page.body.prefix(300))")
    }

    func token(_ fixture: WebFixture, _ username: String) throws -> String {
        try fixture.simpul.accounts.createToken(username: username, name: "uji", by: try fixture.principal(username)).1
    }

    func postJSON(_ browser: Browser, _ uri: String, _ token: String, _ json: String) async throws -> Browser.Page {
        try await browser.postRaw(uri, headers: bearer(token), contentType: "application/json", body: Array(json.utf8))
    }

    @Test func openActAndReadBack() async throws {
        let fixture = try WebFixture()
        let kasi = try token(fixture, "kasi1"), tek = try token(fixture, "tek1")
        try await fixture.test { browser in
            let opened = try await postJSON(browser, "/api/v1/tickets", kasi,
                                            #"{"playbook": "fault-dispatch", "subject": "API: Internet Setda putus", "agency": "SETDA", "priority": "high", "note": "dari skrip"}"#)
            #expect(opened.status == .created)
            var ticket = try object(opened)
            let id = try #require(ticket["id"] as? Int)
            #expect(ticket["status"] as? String == "open" && ticket["currentStep"] as? String == "report" && ticket["priority"] as? String == "high")
            let visit = try #require((ticket["visits"] as? [[String: Any]])?.first)
            let clock = try #require(visit["clock"] as? [String: Any])
            #expect(clock["state"] as? String == "on_time" && clock["standardSeconds"] as? Double == 300 && clock["elapsedSeconds"] as? Double == 0)
            #expect(visit["enteredAt"] as? String == "2026-11-21T09:48:45.000Z")

            fixture.clock.advance(minutes: 3)
            let reported = try await postJSON(browser, "/api/v1/tickets/\(id)/events", kasi, #"{"event": "complete", "evidence": {"note": "lapor via WA"}}"#)
            #expect(reported.status == .ok)
            ticket = try object(reported)
            #expect(ticket["currentStep"] as? String == "assign")
            let first = try #require((ticket["visits"] as? [[String: Any]])?.first)
            #expect(first["onBehalf"] as? Bool == true && first["completedBy"] as? String == "kasi1")
            #expect((first["clock"] as? [String: Any])?["elapsedSeconds"] as? Double == 180)

            // The technician may not assign; the refusal is the service's, in JSON.
            let refused = try await postJSON(browser, "/api/v1/tickets/\(id)/events", tek, #"{"event": "complete", "evidence": {"note": "saya"}}"#)
            #expect(refused.status == .badRequest)
            let error = try #require(try object(refused)["error"] as? [String: String])
            #expect(error["code"] == "invalid")
            #expect(error["message_en"]?.contains("your role (Technician) may not do it") == true)
            let bogus = try await postJSON(browser, "/api/v1/tickets/\(id)/events", kasi, #"{"event": "teleport"}"#)
            #expect(bogus.status == .badRequest)
            #expect((try object(bogus)["error"] as? [String: String])?["message"] == "event harus salah satu dari: start, complete, reassign, hold, resume, cancel, reopen")
            let notJSON = try await postJSON(browser, "/api/v1/tickets/\(id)/events", kasi, "event=start")
            #expect(notJSON.status == .badRequest)
            let badKind = try await postJSON(browser, "/api/v1/tickets/\(id)/events", kasi, #"{"event": "complete", "evidence": {"smell": "x"}}"#)
            #expect(badKind.status == .badRequest)

            let assigned = try await postJSON(browser, "/api/v1/tickets/\(id)/events", kasi,
                                              #"{"event": "complete", "evidence": {"note": "ke lokasi"}, "assign_to": "tek1"}"#)
            #expect(assigned.status == .ok)
            #expect(try object(assigned)["assignee"] as? String == "tek1")
            let held = try await postJSON(browser, "/api/v1/tickets/\(id)/events", tek, #"{"event": "hold", "reason": "menunggu kunci ruang"}"#)
            #expect(held.status == .ok)
            #expect(try object(held)["status"] as? String == "held")
            let resumed = try await postJSON(browser, "/api/v1/tickets/\(id)/events", tek, #"{"event": "resume"}"#)
            #expect(try object(resumed)["status"] as? String == "open")

            // A file for the evidence, then the step with it.
            let file = try await browser.postRaw("/api/v1/tickets/\(id)/attachments?kind=attachment&filename=log.txt", headers: bearer(tek),
                                                 contentType: "text/plain", body: Array("ping gagal".utf8))
            #expect(file.status == .created)
            let value = try #require(try object(file)["value"] as? String)
            #expect(value.hasSuffix(" log.txt"))
            let big = try await browser.postRaw("/api/v1/tickets/\(id)/attachments?kind=photo&filename=besar.jpg", headers: bearer(tek),
                                                contentType: "image/jpeg", body: [UInt8](repeating: 0xFF, count: 10 * 1024 * 1024 + 1))
            #expect(big.status == .contentTooLarge)
            #expect((try object(big)["error"] as? [String: String])?["code"] == "too_large")

            let read = try await browser.get("/api/v1/tickets/\(id)", headers: bearer(tek))
            ticket = try object(read)
            let history = try #require(ticket["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["opened", "completed", "completed", "held", "resumed"])
            #expect((history[0]["detail"] as? [String: String])?["note"] == "dari skrip")
            #expect((ticket["attachments"] as? [Any])?.count == 1)

            let list = try await browser.get("/api/v1/tickets?assignee=tek1", headers: bearer(tek))
            let page = try object(list)
            #expect(page["total"] as? Int == 1)
            let row = try #require((page["tickets"] as? [[String: Any]])?.first)
            #expect(row["id"] as? Int == id && row["lateness"] as? String == "on_time" && row["subject"] as? String == "API: Internet Setda putus")
            #expect(try await browser.get("/api/v1/tickets?lateness=soon", headers: bearer(tek)).status == .badRequest)
            #expect(try await browser.get("/api/v1/tickets?limit=0", headers: bearer(tek)).status == .badRequest)
            #expect(try await browser.get("/api/v1/tickets/424242", headers: bearer(tek)).status == .notFound)
            let playbooks = try await browser.get("/api/v1/playbooks", headers: bearer(tek))
            #expect((try JSONSerialization.jsonObject(with: Data(playbooks.body.utf8)) as? [Any])?.count == 6)
        }
    }

    @Test func writesNeedATokenAndAgenciesSeeTheirOwn() async throws {
        let fixture = try WebFixture()
        let setda = try fixture.openTicket("fault-dispatch", "Setda putus", agency: "SETDA")
        let dinkes = try token(fixture, "opd-dinkes")
        try await fixture.test { browser in
            // A session cookie reads, but does not write, through the API.
            let session = try await browser.logIn("kasi1")
            #expect(try await browser.get("/api/v1/tickets/\(setda)", cookies: session.cookies).status == .ok)
            let write = try await browser.postRaw("/api/v1/tickets", cookies: session.cookies, contentType: "application/json",
                                                  body: Array(#"{"playbook": "fault-dispatch", "subject": "x", "agency": "SETDA"}"#.utf8))
            #expect(write.status == .unauthorized)
            #expect(try await browser.get("/api/v1/tickets/\(setda)", headers: bearer(dinkes)).status == .notFound)
            let opened = try await postJSON(browser, "/api/v1/tickets", dinkes, #"{"playbook": "fault-dispatch", "subject": "Wifi mati"}"#)
            #expect(opened.status == .created)
            #expect(try object(opened)["agency"] as? String == "DINKES")
            let list = try object(try await browser.get("/api/v1/tickets?scope=all", headers: bearer(dinkes)))
            #expect(list["total"] as? Int == 1)
            let missing = try await postJSON(browser, "/api/v1/tickets", dinkes, #"{"subject": "tanpa playbook"}"#)
            #expect(missing.status == .badRequest)
            #expect((try object(missing)["error"] as? [String: String])?["message_en"] == #"the request body is not the expected JSON (check "playbook")"#)
        }
    }
}
