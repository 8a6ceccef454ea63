import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

extension WebFixture {
    func principal(_ username: String) throws -> Principal {
        try simpul.accounts.user(username, by: cli).principal
    }

    /// Opens a ticket through the service, as `username`.
    func openTicket(_ playbook: String, _ subject: String, agency: String?, by username: String = "kasi1",
                    assignee: String? = nil) throws -> Int64 {
        try simpul.tickets.open(playbook: playbook, subject: subject, agency: agency, assignee: assignee, by: try principal(username))
    }
}

extension Browser.Page {
    /// The markup of the element with `id` up to the end of the first `</tag>` after it.
    func element(_ id: String, closing tag: String = "li") -> Substring? {
        guard let start = body.range(of: #"id="\#(id)""#) else { return nil }
        let opening = body[..<start.lowerBound].lastIndex(of: "<") ?? start.lowerBound
        guard let end = body.range(of: "</\(tag)>", range: start.upperBound..<body.endIndex) else { return nil }
        return body[opening..<end.upperBound]
    }

    /// Where `needle` first appears, to compare the order of rows.
    func position(of needle: String) -> Int? {
        body.range(of: needle).map { body.distance(from: body.startIndex, to: $0.lowerBound) }
    }
}

@Suite("Ticket pages")
struct TicketPageTests {
    /// The list is written without Mustache; what users typed is still escaped everywhere on it,
    /// including the filter's query string carried into the pager and the language switch.
    @Test func theListEscapesWhatUsersTyped() async throws {
        let fixture = try WebFixture()
        let subject = #"<script>alert("x")</script> & 'kabel'"#
        for _ in 0..<26 { _ = try fixture.openTicket("fault-dispatch", subject, agency: "DINKES") }
        try await fixture.test { browser in
            let session = try await browser.logIn("kasi1")
            let list = try await browser.get(#"/tickets?agency=DINKES&priority="><b>"#, cookies: session.cookies)
            #expect(list.status == .ok)
            #expect(!list.body.contains("<script>") && !list.body.contains("\"><b>"))
            #expect(list.body.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;kabel&#39;"))
            // Carried into the language switch's way back and the pager, escaped.
            #expect(list.body.contains(#"value="/tickets?agency=DINKES&amp;priority=&quot;&gt;&lt;b&gt;""#))
            #expect(list.body.contains(#"href="/tickets?agency=DINKES&amp;priority=%22%3E%3Cb%3E&amp;offset=25" rel="next""#))
        }
    }

    @Test func listSortsMostOverdueFirstAndFilters() async throws {
        let fixture = try WebFixture()
        // A: reported at t0; B: 1.5 min later; C: hosting intake, on office hours (it is Saturday evening).
        let a = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        fixture.clock.advance(minutes: 1.5)
        let b = try fixture.openTicket("fault-dispatch", "Internet Setda lambat", agency: "SETDA")
        let c = try fixture.openTicket("hosting-intake", "Penitipan server SIMPEG", agency: "SETDA", assignee: "clerk1")
        fixture.clock.advance(minutes: 4.5)
        // Now A has run 6 of its 5 minutes (late), B 4.5 (90 %: due soon), C nothing yet (on time).
        try await fixture.test { browser in
            let session = try await browser.logIn("kasi1")
            let list = try await browser.get("/tickets", cookies: session.cookies)
            #expect(list.status == .ok)
            let positions = try [a, b, c].map { try #require(list.position(of: #"id="ticket-\#($0)""#)) }
            #expect(positions == positions.sorted())
            #expect(list.element("ticket-\(a)", closing: "tr")?.contains("badge state-late") == true)
            #expect(list.element("ticket-\(b)", closing: "tr")?.contains("badge state-due_soon") == true)
            #expect(list.element("ticket-\(c)", closing: "tr")?.contains("badge state-on_time") == true)
            #expect(list.element("ticket-\(a)", closing: "tr")?.contains("Menyampaikan keluhan gangguan jaringan") == true)
            #expect(list.element("ticket-\(a)", closing: "tr")?.contains("WITA") == true)
            #expect(list.text(ofID: "ticket-range") == "1–3 dari 3 tiket")

            func ids(_ query: String) async throws -> [Int64] {
                let page = try await browser.get("/tickets?" + query, cookies: session.cookies)
                #expect(page.status == .ok)
                return [a, b, c].filter { page.body.contains(#"id="ticket-\#($0)""#) }
            }
            #expect(try await ids("lateness=late") == [a])
            #expect(try await ids("lateness=due_soon") == [b])
            #expect(try await ids("lateness=on_time") == [c])
            #expect(try await ids("agency=DINKES") == [a])
            #expect(try await ids("playbook=hosting-intake") == [c])
            #expect(try await ids("step=fault-dispatch%3Areport") == [a, b])
            #expect(try await ids("playbook=fault-dispatch&step=report") == [a, b])
            #expect(try await ids("assignee=clerk1") == [c])
            #expect(try await ids("assignee=-") == [a, b])
            #expect(try await ids("scope=closed") == [])
            #expect(try await ids("scope=all&priority=normal") == [a, b, c])
            // The chosen filters stay chosen.
            let filtered = try await browser.get("/tickets?lateness=late&agency=DINKES", cookies: session.cookies)
            #expect(filtered.body.contains(#"<option value="late" selected>"#))
            #expect(filtered.body.contains(#"<option value="DINKES" selected>"#))
            #expect(filtered.body.contains("<details class=\"filters\" open>"))

            // An agency user sees only their agency's tickets.
            let agency = try await browser.logIn("opd-dinkes")
            let own = try await browser.get("/tickets?agency=SETDA", cookies: agency.cookies)
            #expect(own.body.contains(#"id="ticket-\#(a)""#))
            #expect(!own.body.contains(#"id="ticket-\#(b)""#) && !own.body.contains(#"id="ticket-\#(c)""#))
        }
    }

    @Test func listPagesTwentyFiveAtATime() async throws {
        let fixture = try WebFixture()
        let now = fixture.simpul.now()
        _ = try fixture.simpul.tickets.openMany((1...30).map { ("fault-dispatch", "Gangguan \($0)", "SETDA") }, by: fixture.cli,
                                                at: (1...30).map { now.addingTimeInterval(Double($0)) })
        try await fixture.test { browser in
            let session = try await browser.logIn("head1")
            let first = try await browser.get("/tickets", cookies: session.cookies)
            #expect(first.text(ofID: "ticket-range") == "1–25 dari 30 tiket")
            #expect(first.body.components(separatedBy: #"class="ticket-row""#).count - 1 == 25)
            #expect(first.body.contains(#"href="/tickets?offset=25""#))
            #expect(!first.body.contains(#"id="page-previous""#))
            let second = try await browser.get("/tickets?offset=25", cookies: session.cookies)
            #expect(second.text(ofID: "ticket-range") == "26–30 dari 30 tiket")
            #expect(second.body.components(separatedBy: #"class="ticket-row""#).count - 1 == 5)
            #expect(second.body.contains(#"href="/tickets" rel="prev""#))
            #expect(!second.body.contains(#"id="page-next""#))
            let english = try await browser.post("/lang", cookies: session.cookies, form: [("_csrf", session.csrf), ("to", "en"), ("back", "/")])
            #expect(english.status == .seeOther)
            let filtered = try await browser.get("/tickets?agency=SETDA&offset=25", cookies: session.cookies)
            #expect(filtered.text(ofID: "ticket-range") == "26–30 of 30 tickets")
            #expect(filtered.body.contains(#"href="/tickets?agency=SETDA" rel="prev""#))
        }
    }

    @Test func openATicketThroughTheForm() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("kasi1")
            let form = try await browser.get("/tickets/new", cookies: session.cookies)
            #expect(form.status == .ok)
            #expect(form.body.contains(#"<option value="fault-dispatch">"#))
            // Without the agency a fault report needs: the form again, with the message and what was typed.
            let refused = try await browser.post("/tickets", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("playbook", "fault-dispatch"), ("subject", "Internet Dinkes putus"), ("agency", ""),
                ("priority", "high"), ("note", "dilaporkan lewat telepon")])
            #expect(refused.status == .badRequest)
            #expect(refused.text(ofID: "form-error") == "playbook fault-dispatch perlu perangkat daerah; pilih perangkat daerahnya")
            #expect(refused.inputValue("subject") == "Internet Dinkes putus")
            #expect(refused.body.contains(#"<option value="fault-dispatch" selected>"#))
            #expect(refused.body.contains(#"<option value="high" selected>"#))
            #expect(refused.text(ofID: "open-note") == "dilaporkan lewat telepon")

            let opened = try await browser.post("/tickets", cookies: session.cookies, form: [
                ("_csrf", session.csrf), ("playbook", "fault-dispatch"), ("subject", "Internet Dinkes putus"), ("agency", "DINKES"),
                ("priority", "high"), ("assignee", ""), ("note", "dilaporkan lewat telepon")])
            #expect(opened.status == .seeOther)
            let location = try #require(opened.location)
            let id = try #require(Int64(location.dropFirst("/tickets/".count)))
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.ticket.agencyCode == "DINKES" && detail.ticket.priority == .high && detail.ticket.openedBy == "kasi1")
            #expect(detail.history.first?.detail["note"] == "dilaporkan lewat telepon")

            let page = try await browser.get(location, cookies: session.cookies)
            #expect(page.status == .ok)
            #expect(page.text(ofID: "ticket-title") == "#\(id) Internet Dinkes putus")
            #expect(page.text(ofID: "ticket-priority") == "Tinggi")
            #expect(page.element("step-report")?.contains("current") == true)
            #expect(page.element("step-assign")?.contains(#"class="pending""#) == true)

            // An agency user's form is fixed to their agency and offers only what they may open.
            let agency = try await browser.logIn("opd-dinkes")
            let own = try await browser.get("/tickets/new", cookies: agency.cookies)
            #expect(own.text(ofID: "open-own-agency") == "DINKES")
            #expect(own.body.contains(#"value="fault-dispatch""#))
            #expect(!own.body.contains(#"value="hosting-intake""#))
            #expect(!own.body.contains(#"name="agency""#))
            let theirs = try await browser.post("/tickets", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("playbook", "fault-dispatch"), ("subject", "Wifi lantai 2 mati"), ("agency", "SETDA")])
            #expect(theirs.status == .badRequest)
            #expect(theirs.text(ofID: "form-error") == "Anda hanya dapat membuka tiket untuk perangkat daerah Anda sendiri")
            let mine = try await browser.post("/tickets", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("playbook", "fault-dispatch"), ("subject", "Wifi lantai 2 mati")])
            #expect(mine.status == .seeOther)
        }
    }

    @Test func stepsCompleteWithEvidenceOnBehalfAndABranch() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let first = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(first.text(ofID: "capacity-note") == "Langkah ini dikerjakan Perangkat Daerah; Anda mencatatnya atas nama mereka.")
            #expect(first.element("complete-form", closing: "form")?.contains("multipart") == false)
            #expect(first.body.contains(#"<textarea id="ev-note" name="ev_note""#))

            fixture.clock.advance(minutes: 2)
            let reported = try await browser.post("/tickets/\(id)/complete", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("ev_note", "Telepon dari Pak Budi pukul 17.45")])
            #expect(reported.status == .seeOther)
            #expect(reported.location == "/tickets/\(id)?done=complete")
            fixture.clock.advance(minutes: 4)
            let assigned = try await browser.post("/tickets/\(id)/complete", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("ev_note", "Tek1 segera ke lokasi"), ("assign_to", "tek1")])
            #expect(assigned.status == .seeOther)
            var detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.ticket.visits[0].onBehalf && detail.ticket.visits[0].completedBy == "kasi1")
            #expect(detail.ticket.visits[0].evidence == [Evidence(kind: .note, value: "Telepon dari Pak Budi pukul 17.45")])
            #expect(detail.ticket.current?.stepID == "repair" && detail.ticket.assignee == "tek1")

            let page = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            let report = try #require(page.element("step-report"))
            #expect(report.contains("state-on_time done"))
            #expect(report.contains("dicatat atas nama Perangkat Daerah"))
            #expect(report.contains("Telepon dari Pak Budi pukul 17.45"))
            #expect(report.contains("2 menit"))
            #expect(report.contains("21 Nov 2026 17.50 WITA"))
            #expect(page.element("step-assign")?.contains("21 Nov 2026 17.54 WITA") == true)
            #expect(page.element("step-repair")?.contains("current") == true)
            #expect(page.text(ofID: "current-step")?.hasPrefix("Melakukan tindakan perbaikan") == true)
            #expect(page.text(ofID: "ticket-assignee") == "tek1")

            let tek = try await browser.logIn("tek1")
            let repair = try await browser.get("/tickets/\(id)", cookies: tek.cookies)
            #expect(repair.body.contains(#"name="branch" value="fixed""#) && repair.body.contains(#"name="branch" value="not_fixed""#))
            // No outcome chosen: refused, shown again with what was typed.
            let noBranch = try await browser.post("/tickets/\(id)/complete", cookies: tek.cookies, form: [
                ("_csrf", tek.csrf), ("ev_note", "Kabel putus di tiang depan")])
            #expect(noBranch.status == .unprocessableContent)
            // The outcomes by their titles (issue 11, item 18; this asserted "fixed, not_fixed" before).
            #expect(noBranch.text(ofID: "act-error") == "pilih hasil langkah ini: \"Teratasi\" atau \"Belum teratasi, perlu penyedia layanan\"")
            #expect(noBranch.text(ofID: "ev-note") == "Kabel putus di tiang depan")

            let notFixed = try await browser.post("/tickets/\(id)/complete", cookies: tek.cookies, form: [
                ("_csrf", tek.csrf), ("ev_note", "Kabel putus di tiang depan"), ("branch", "not_fixed")])
            #expect(notFixed.status == .seeOther)
            detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.ticket.current?.stepID == "coordinate_provider")
            #expect(detail.ticket.visits[2].branch == "not_fixed")
            #expect(detail.notifications.contains { $0.kind == "notify" && $0.target == "role:supervisor" })
            let after = try await browser.get("/tickets/\(id)?done=complete", cookies: tek.cookies)
            #expect(after.text(ofID: "act-notice") == "Langkah telah diselesaikan.")
            // The outcome by its title, not its name (issue 11, item 18).
            #expect(after.element("step-repair")?.contains("Belum teratasi, perlu penyedia layanan → Berkoordinasi dengan pihak penyedia") == true)
            #expect(after.element("step-repair")?.contains("not_fixed") == false)
            #expect(after.element("outbox", closing: "table")?.contains("Kepala Bidang/Seksi") == true)
            #expect(after.element("history", closing: "ol")?.contains("Eskalasi") == true)

            // What waits: the technician has it; the supervisor got the notification.
            let work = try await browser.get("/work", cookies: tek.cookies)
            #expect(work.element("work-assigned", closing: "section")?.contains(#"id="ticket-\#(id)""#) == true)
            let kasiWork = try await browser.get("/work", cookies: kasi.cookies)
            #expect(kasiWork.element("work-notifications", closing: "section")?.contains("/tickets/\(id)") == true)
        }
    }

    @Test func aWrongRoleIsRefusedWithItsMessage() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Wifi lantai 2 mati", agency: "DINKES", by: "opd-dinkes")
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let reported = try await browser.post("/tickets/\(id)/complete", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("ev_note", "Sejak pagi tidak bisa akses SIMPUS")])
            #expect(reported.status == .seeOther)
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).ticket.visits[0].onBehalf == false)

            // A technician cannot do the supervisor's step; the page does not offer it either.
            let tek = try await browser.logIn("tek1")
            let page = try await browser.get("/tickets/\(id)", cookies: tek.cookies)
            #expect(!page.body.contains(#"id="complete-form""#))
            let refused = try await browser.post("/tickets/\(id)/complete", cookies: tek.cookies, form: [
                ("_csrf", tek.csrf), ("ev_note", "saya saja")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text(ofID: "act-error") == #"langkah "Menugaskan teknisi jaringan melakukan pemeriksaan gangguan jaringan" dikerjakan oleh Kabid/Kasi; peran Anda (Teknisi) tidak boleh mengerjakannya. Minta Kabid/Kasi atau atasannya."#)
            #expect(refused.body.contains("<h1"))
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).ticket.current?.stepID == "assign")

            let kasi = try await browser.logIn("kasi1")
            _ = try await browser.post("/tickets/\(id)/complete", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("ev_note", "tek2 berangkat")])
            // The agency cannot do the technician's repair.
            let agencyRefused = try await browser.post("/tickets/\(id)/complete", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("ev_note", "sudah nyala"), ("branch", "fixed")])
            #expect(agencyRefused.status == .unprocessableContent)
            #expect(agencyRefused.text(ofID: "act-error")?.hasPrefix(#"langkah "Melakukan tindakan perbaikan jaringan apabila gangguan dapat langsung ditangani" dikerjakan oleh Teknisi; peran Anda (Perangkat Daerah)"#) == true)
            // A viewer sees the ticket and no forms at all.
            let viewer = try await browser.logIn("viewer1")
            let viewed = try await browser.get("/tickets/\(id)", cookies: viewer.cookies)
            #expect(viewed.status == .ok)
            #expect(!viewed.body.contains(#"id="actions""#))
            // Another agency does not see it at all.
            #expect(try await browser.get("/tickets/999999", cookies: viewer.cookies).status == .notFound)
        }
    }

    @Test func holdResumeCancelAndReopen() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let noReason = try await browser.post("/tickets/\(id)/hold", cookies: kasi.cookies, form: [("_csrf", kasi.csrf), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text(ofID: "act-error") == "tulis alasan menahan tiket (mis. menunggu suku cadang)")
            let tek = try await browser.logIn("tek1")
            let notTheirs = try await browser.post("/tickets/\(id)/hold", cookies: tek.cookies, form: [("_csrf", tek.csrf), ("reason", "istirahat")])
            #expect(notTheirs.status == .unprocessableContent)
            #expect(notTheirs.text(ofID: "act-error") == "hanya kepala, kabid/kasi, admin, atau yang memegang langkah ini yang dapat menahan tiket")

            let held = try await browser.post("/tickets/\(id)/hold", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("reason", "menunggu akses ruang server")])
            #expect(held.status == .seeOther)
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).ticket.status == .held)
            let page = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(page.text(ofID: "ticket-status") == "Ditahan")
            #expect(page.body.contains(#"id="resume-form""#) && !page.body.contains(#"id="complete-form""#) && !page.body.contains(#"id="hold-form""#))
            #expect(page.body.contains("menunggu akses ruang server"))

            fixture.clock.advance(minutes: 30)
            let resumed = try await browser.post("/tickets/\(id)/resume", cookies: kasi.cookies, form: [("_csrf", kasi.csrf), ("reason", "")])
            #expect(resumed.status == .seeOther)
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.ticket.status == .open)
            #expect(detail.clocks.heldSeconds == 1800)
            let again = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(again.text(ofID: "held-time") == "30 menit")
            #expect(again.text(ofID: "ticket-status") == "Berjalan")

            let cancelled = try await browser.post("/tickets/\(id)/cancel", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("reason", "laporan ganda")])
            #expect(cancelled.status == .seeOther)
            let closed = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(closed.text(ofID: "ticket-status") == "Dibatalkan")
            #expect(closed.body.contains(#"id="reopen-form""#) && !closed.body.contains(#"id="cancel-form""#))
            let reopened = try await browser.post("/tickets/\(id)/reopen", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("reason", "ternyata bukan ganda")])
            #expect(reopened.status == .seeOther)
            let open = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(open.ticket.status == .open && open.ticket.visits.count == 2)
            let twice = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(twice.element("step-report")?.contains("kunjungan 2") == true)
        }
    }

    @Test func anAdministratorCorrectsAStepWithAReason() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        try fixture.simpul.tickets.act(id, .complete(evidence: [.init(kind: .note, value: "via WA")], branch: nil, note: nil, assignTo: nil),
                                       by: try fixture.principal("kasi1"))
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/tickets/\(id)", cookies: admin.cookies)
            #expect(page.text(ofID: "capacity-note") == "Langkah ini milik Kabid/Kasi. Sebagai administrator Anda dapat mengoreksinya dengan menulis alasannya.")
            #expect(page.body.contains(#"id="start-reason""#) && page.body.contains(#"id="complete-reason""#))
            let noReason = try await browser.post("/tickets/\(id)/complete", cookies: admin.cookies, form: [
                ("_csrf", admin.csrf), ("ev_note", "tek1"), ("reason", "")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text(ofID: "act-error") == "langkah ini milik Kabid/Kasi; sebagai admin Anda dapat mengoreksinya dengan menulis alasan")
            let corrected = try await browser.post("/tickets/\(id)/complete", cookies: admin.cookies, form: [
                ("_csrf", admin.csrf), ("ev_note", "tek1"), ("reason", "Kasi sedang cuti; disposisi lisan Kabid")])
            #expect(corrected.status == .seeOther)
            let visit = try fixture.simpul.tickets.detail(id, by: fixture.cli).ticket.visits[1]
            #expect(visit.correction == "Kasi sedang cuti; disposisi lisan Kabid" && visit.completedBy == "admin1")
            let after = try await browser.get("/tickets/\(id)", cookies: admin.cookies)
            #expect(after.element("step-assign")?.contains("koreksi admin: Kasi sedang cuti; disposisi lisan Kabid") == true)
            #expect(after.element("history", closing: "ol")?.contains("koreksi admin") == true)
        }
    }

    @Test func reassignOffersThoseWhoMayDoTheStep() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("hosting-intake", "Penitipan server SIMPEG", agency: "SETDA")
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let page = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            let select = try #require(page.element("reassign-form", closing: "form"))
            #expect(select.contains(#"<option value="clerk1">"#))
            #expect(!select.contains(#"<option value="opd-dinkes">"#) && !select.contains(#"<option value="viewer1">"#))
            let moved = try await browser.post("/tickets/\(id)/reassign", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("to", "clerk1"), ("reason", "")])
            #expect(moved.status == .seeOther)
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).ticket.assignee == "clerk1")
            let wrong = try await browser.post("/tickets/\(id)/reassign", cookies: kasi.cookies, form: [
                ("_csrf", kasi.csrf), ("to", "opd-dinkes")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text(ofID: "act-error")?.hasPrefix("opd-dinkes (Perangkat Daerah) tidak dapat mengerjakan langkah") == true)
            let clerk = try await browser.logIn("clerk1")
            let work = try await browser.get("/work", cookies: clerk.cookies)
            #expect(work.element("work-assigned", closing: "section")?.contains(#"id="ticket-\#(id)""#) == true)
        }
    }

    @Test(arguments: ["admin1", "head1", "kasi1", "tek1", "clerk1", "opd-dinkes", "viewer1"])
    func everyTicketPageRendersForEveryRole(username: String) async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("fault-dispatch", "Internet Dinkes putus", agency: "DINKES")
        try await fixture.test { browser in
            let session = try await browser.logIn(username)
            let compliance = username == "opd-dinkes" ? HTTPResponse.Status.forbidden : .ok
            for (path, status) in [("/work", HTTPResponse.Status.ok), ("/tickets", .ok), ("/tickets?scope=all&lateness=late", .ok),
                                   ("/tickets/new", .ok), ("/tickets/\(id)", .ok), ("/playbooks", .ok),
                                   ("/playbooks/fault-dispatch", .ok), ("/playbooks/hosting-intake?version=2", .ok),
                                   ("/reports/compliance", compliance), ("/", .ok)] {
                let page = try await browser.get(path, cookies: session.cookies)
                #expect(page.status == status, "\(username) \(path): \(page.body.prefix(300))")
                #expect(page.body.contains("<h1"))
                #expect(!page.body.contains("{{"), "\(path)")
                let forms = page.body.components(separatedBy: #"method="post""#).count - 1
                let tokens = page.body.components(separatedBy: #"name="_csrf" value="\#(session.csrf)""#).count - 1
                #expect(forms == tokens, "\(username) \(path)")
            }
            let nav = try await browser.get("/", cookies: session.cookies)
            let work = try #require(nav.position(of: #"id="nav-work""#))
            let dashboard = try #require(nav.position(of: #"id="nav-dashboard""#))
            let agencies = try #require(nav.position(of: #"id="nav-agencies""#))
            #expect(dashboard < work && work < agencies)
            #expect(nav.body.contains(#"id="nav-tickets""#) && nav.body.contains(#"id="nav-playbooks""#))
            #expect(nav.body.contains(#"id="nav-compliance""#) == (username != "opd-dinkes"))
            #expect(nav.body.contains(#"href="/tickets?lateness=late""#))
        }
    }

    @Test func playbookPagesShowStepsRulesAndEscalations() async throws {
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let session = try await browser.logIn("tek1")
            let list = try await browser.get("/playbooks", cookies: session.cookies)
            #expect(list.body.components(separatedBy: "playbook-link").count - 1 == 6)
            #expect(list.body.contains("15/SOP-Diskominfo-SP/10/2019"))
            let page = try await browser.get("/playbooks/fault-dispatch", cookies: session.cookies)
            let repair = try #require(page.element("pstep-repair", closing: "tr"))
            #expect(repair.contains("Teknisi") && repair.contains("60 menit") && repair.contains("kantor"))
            // Outcomes by their titles, not their names (issue 11, item 18; this asserted `not_fixed` before).
            #expect(repair.contains("Teratasi → Melaporkan hasil pemeliharaan jaringan"))
            #expect(repair.contains("Belum teratasi, perlu penyedia layanan → Berkoordinasi"))
            #expect(page.body.contains("hasil &quot;Belum teratasi, perlu penyedia layanan&quot; dipilih") && !page.body.contains("not_fixed"))
            #expect(page.body.contains("24 jam, 7 hari"))
            #expect(try await browser.get("/playbooks/nope", cookies: session.cookies).status == .notFound)
        }
    }
}
