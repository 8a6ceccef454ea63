import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// A completion names the step visit it completes: a double click or a re-sent page is refused with
/// who did that step and when, and never completes the next step (issue 12, part 1).
@Suite("Stale and repeated completions")
struct StaleCompletionTests {
    @Test func aResentCompletionIsRefusedAndChangesNothing() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes mati", agency: "DINKES")
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let page = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            let form = try #require(page.element("complete-form", closing: "form"))
            #expect(form.contains(#"<input type="hidden" name="step" value="report">"#))
            #expect(form.contains(#"<input type="hidden" name="visit" value="0">"#))
            let fields = [("_csrf", kasi.csrf), ("step", "report"), ("visit", "0"), ("ev_note", "Internet mati sejak pagi")]
            let first = try await browser.post("/tickets/\(id)/complete", cookies: kasi.cookies, form: fields)
            #expect(first.status == .seeOther)
            // The same form again (a double click): the ticket is now on "assign", which kasi could complete.
            let again = try await browser.post("/tickets/\(id)/complete", cookies: kasi.cookies, form: fields)
            #expect(again.status == .unprocessableContent)
            #expect(again.text(ofID: "act-error")?.contains("sudah diselesaikan oleh kasi1 pada") == true, "\(again.text(ofID: "act-error") ?? "")")
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.currentStep?.id == "assign" && detail.ticket.visits.count == 2)
        }
    }

    @Test func theAPIAndTheCLIsStepOptionRefuseAStaleStep() throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Link putus", agency: "DINKES")
        let kasi = try fixture.principal("kasi1")
        try fixture.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil),
                                       expecting: StepRef(stepID: "report", visit: 0), by: kasi)
        #expect {
            try fixture.simpul.tickets.act(id, .complete(evidence: [Evidence(kind: .note, value: "x")], branch: nil, note: nil, assignTo: nil),
                                           expecting: StepRef(stepID: "report", visit: nil), by: kasi)
        } throws: { ($0 as? ServiceError)?.text.en.contains("was already done by kasi1 at") == true }
        #expect {
            try fixture.simpul.tickets.act(id, .start, expecting: StepRef(stepID: "repair", visit: nil), by: kasi)
        } throws: { ($0 as? ServiceError)?.text.en.contains("no longer on the step") == true }
        #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).currentStep?.id == "assign")
    }
}
