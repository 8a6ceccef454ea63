import Foundation
import SimpulCore
import SimpulMail
import SimpulServices
@_spi(Raw) import SimpulStore
import SimpulTestRigs
import Testing

/// Mail and webhooks through the outbox, to real servers on 127.0.0.1 (aiosmtpd, an HTTP sink):
/// written in the user's transaction, delivered by the worker, waiting with their error while the
/// server is away, once per dedupe key, and the same message when sent again after a crash.
@Suite("Mail and webhooks through the outbox", .serialized, .timeLimit(.minutes(2)))
struct MailDeliveryTests {
    /// The district's services with mail (and webhooks) going to these servers.
    func services(_ district: TestDistrict, smtp: SMTPServer? = nil, smtpURL: String? = nil, sink: HTTPSink? = nil,
                  mailFrom: String? = nil) throws -> Simpul {
        var settings = district.simpul.settings
        settings.mailFrom = mailFrom
        let url = smtpURL ?? smtp?.url
        return Simpul(database: district.simpul.database, settings: settings, dns: nil,
                      mail: try url.map { SMTPSender(endpoint: try SMTPEndpoint(parsing: $0)) },
                      webhook: try sink.map { WebhookPoster(endpoint: try WebhookEndpoint(parsing: $0.url)) }, now: district.simpul.now)
    }

    func escalation(_ n: Int = 1, messageID: String = "") -> MailMessage {
        MailMessage(to: ["noc@nusanet.example"], cc: ["kabid.tik@contohkab.go.id"], subject: "Eskalasi gangguan #\(n) — sirkuit NSN-0042",
                    body: "Mohon dicek: sirkuit NSN-0042 putus sejak 08.15 WITA.\n", messageID: messageID)
    }

    func row(_ simpul: Simpul, _ id: Int64) async throws -> Delivery {
        try #require(try await simpul.database.read { r in try OutboxStore.delivery(r, id: id) })
    }

    @Test func mailWrittenInATransactionIsDeliveredByTheOutbox() async throws {
        let district = try TestDistrict()
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let simpul = try services(district, smtp: smtp)
        let given = "simpul.given.1@contohkab.go.id"
        let ids = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
            [try OutboxService.enqueueMail(tx, escalation(1), dedupeKey: "fault:7:provider:1:mail", subject: "provider:NUSANET"),
             try OutboxService.enqueueMail(tx, escalation(2, messageID: given), dedupeKey: "fault:8:provider:1:mail")]
        }
        let report = await simpul.outbox.deliver(ids: ids)
        #expect(report.delivered == 2, "\(report.attempts.map { $0.error?.en ?? "ok" })")
        #expect(!report.hasFailures)
        let received = try smtp.waitForMessages(2)
        #expect(received.count == 2)
        // An empty Message-ID is made from the dedupe key and the district's domain; a given one is kept.
        let made = MailMessage.messageID(for: "fault:7:provider:1:mail", domain: "contohkab.go.id")
        #expect(Set(received.compactMap { $0.header("Message-ID") }) == ["<\(made)>", "<\(given)>"])
        // From the district's own address, under the office's name.
        #expect(received.allSatisfy { $0.mailFrom == "simpul@contohkab.go.id" })
        // The name has commas: quoted, so it stays one name.
        #expect(received.first?.header("From") == "\"Dinas Komunikasi, Informatika, Statistik dan Persandian\" <simpul@contohkab.go.id>")
        #expect(received.allSatisfy { $0.recipients == ["noc@nusanet.example", "kabid.tik@contohkab.go.id"] })
        #expect(Set(received.compactMap { $0.header("Subject") }) == ["Eskalasi gangguan #1 — sirkuit NSN-0042", "Eskalasi gangguan #2 — sirkuit NSN-0042"])
        for id in ids { #expect(try await row(simpul, id).state == .delivered) }
        #expect(try district.count("outbox_attempts") == 2)
    }

    @Test func aServerThatIsDownMakesTheMailWaitWithItsErrorUntilALaterRun() async throws {
        let district = try TestDistrict()
        let first = try SMTPServer()
        let port = first.port
        first.stop()
        let simpul = try services(district, smtpURL: "smtp://127.0.0.1:\(port)", mailFrom: "noc@contohkab.go.id")
        let id = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
            try OutboxService.enqueueMail(tx, escalation(), dedupeKey: "fault:9:provider:1:mail")
        }
        let report = await simpul.outbox.deliver()
        #expect(report.attempts.count == 1 && report.hasFailures)
        #expect(report.attempts.first?.gaveUp == false)
        var waiting = try await row(simpul, id)
        #expect(waiting.state == .pending)
        #expect(waiting.lastError?.en.contains("smtp://127.0.0.1:\(port) cannot be reached") == true, "\(waiting.lastError?.en ?? "-")")
        #expect(waiting.lastError?.id.contains("tidak dapat dihubungi") == true)
        // Nothing is tried before its wait is over (a minute and a little more, for mail).
        let wait = waiting.nextAttemptAt.timeIntervalSince(district.clock.now)
        #expect(wait >= 60 && wait <= 72)
        #expect(await simpul.outbox.deliver().attempts.isEmpty)

        // The server is back on the same address; the next run after the wait delivers it.
        let again = try SMTPServer(.init(port: port))
        defer { again.stop() }
        district.clock.now = waiting.nextAttemptAt
        let later = await simpul.outbox.deliver()
        #expect(later.delivered == 1 && !later.hasFailures, "\(later.attempts.map { $0.error?.en ?? "ok" })")
        waiting = try await row(simpul, id)
        #expect(waiting.state == .delivered && waiting.attempts == 2 && waiting.lastError == nil)
        let received = try again.waitForMessages(1)
        #expect(received.count == 1)
        #expect(received.first?.mailFrom == "noc@contohkab.go.id")
    }

    @Test func theSameDedupeKeyTwiceIsOneMail() async throws {
        let district = try TestDistrict()
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let simpul = try services(district, smtp: smtp)
        let key = "fault:10:provider:1:mail"
        let first = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in try OutboxService.enqueueMail(tx, escalation(1), dedupeKey: key) }
        let second = try await simpul.database.write(as: "teknisi1", at: district.clock.now) { tx in try OutboxService.enqueueMail(tx, escalation(2), dedupeKey: key) }
        #expect(first == second)
        #expect(try district.count("outbox") == 1)
        let report = await simpul.outbox.deliverAllDue()
        #expect(report.delivered == 1)
        district.clock.advance(3600)
        #expect(await simpul.outbox.deliverAllDue().attempts.isEmpty)
        let received = try smtp.waitForMessages(1)
        #expect(received.count == 1)
        #expect(received.first?.header("Subject") == "Eskalasi gangguan #1 — sirkuit NSN-0042", "the first one written stands")
    }

    /// A worker that sent the mail and died before recording it: the row comes back when its claim
    /// lapses and is sent again, as the same message (the same Message-ID), so the provider's mail
    /// reader can tell it is a repeat.
    @Test func aResendAfterALapsedClaimCarriesTheSameMessageID() async throws {
        let district = try TestDistrict()
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let simpul = try services(district, smtp: smtp)
        let key = "fault:11:provider:1:mail"
        _ = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in try OutboxService.enqueueMail(tx, escalation(), dedupeKey: key) }
        // The dead worker: claims the row, sends what it holds, and never settles it.
        let claimed = try await simpul.database.write(as: Transaction.system, at: district.clock.now) { tx in
            try OutboxStore.claim(tx, holder: "dead-worker", lease: OutboxService.lease, limit: 10)
        }
        let row = try #require(claimed.first)
        let held = try StoredJSON.decode(MailMessage.self, from: row.payload)
        try await #require(simpul.mail).send(held, from: MailSender(address: "simpul@contohkab.go.id"), deadline: .now + .seconds(10))

        // While the claim holds, nobody else sends it.
        #expect(await simpul.outbox.deliver().attempts.isEmpty)
        district.clock.advance(OutboxService.lease + 1)
        let report = await simpul.outbox.deliver()
        #expect(report.delivered == 1)
        let received = try smtp.waitForMessages(2)
        #expect(received.count == 2)
        let ids = received.compactMap { $0.header("Message-ID") }
        #expect(ids.count == 2 && ids[0] == ids[1])
        #expect(ids.first == "<\(MailMessage.messageID(for: key, domain: "contohkab.go.id"))>")
        #expect(try await self.row(simpul, row.id).attempts == 2)
    }

    @Test func withoutSIMPULSMTPAMailWaitsAndSaysWhatToSet() async throws {
        let district = try TestDistrict()
        let id = try await district.simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
            try OutboxService.enqueueMail(tx, escalation(), dedupeKey: "fault:12:provider:1:mail")
        }
        let report = await district.simpul.outbox.deliver()
        #expect(report.attempts.count == 1)
        let waiting = try await row(district.simpul, id)
        #expect(waiting.state == .pending)
        #expect(waiting.lastError?.en.contains("mail is not configured: set SIMPUL_SMTP") == true, "\(waiting.lastError?.en ?? "-")")
        #expect(waiting.lastError?.id.contains("SIMPUL_SMTP") == true)
    }

    @Test func aDamagedRowFailsWithAClearError() async throws {
        let district = try TestDistrict()
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let simpul = try services(district, smtp: smtp)
        let id = try await simpul.database.write(as: "test", at: district.clock.now) { tx in
            try OutboxStore.enqueue(tx, channel: .mail, dedupeKey: "broken:1", payload: #"{"to": "not a list"}"#)
        }
        let report = await simpul.outbox.deliver()
        #expect(report.attempts.first?.error?.en.contains("payload is damaged") == true)
        #expect(report.attempts.first?.error?.en.contains("will not help") == true)
        // Sending it again cannot help: failed for good at once, for a person to retry or dismiss.
        #expect(try await row(simpul, id).state == .failed && report.attempts.first?.gaveUp == true)
        #expect(try smtp.messages().isEmpty)
    }

    @Test func aMailThatCannotBeSentIsRefusedWithTheActionThatWroteIt() throws {
        let district = try TestDistrict()
        for bad in ["noc@nusanet.example\r\nBcc: x@evil.example", "noc@nusanet.example, x@evil.example", "noc"] {
            var mail = escalation()
            mail.to = [bad]
            #expect(throws: ServiceError.self) {
                try district.simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
                    try tx.audit("fault.escalate", "ticket", "#1")
                    try OutboxService.enqueueMail(tx, mail, dedupeKey: "bad:\(bad.hashValue)")
                }
            }
        }
        #expect(try district.count("outbox") == 0)
        #expect(try district.simpul.database.rawRead { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'fault.escalate'") } == 0)
        #expect(throws: ServiceError.self) {
            try district.simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
                try OutboxService.enqueueWebhook(tx, body: #"{"text": "kabel "drop""}"#, dedupeKey: "bad:webhook")
            }
        }
        #expect(try district.count("outbox") == 0)
    }

    @Test func aWebhookGoesThroughTheOutboxWithItsIdempotencyKeyAndWaitsOnAnError() async throws {
        let district = try TestDistrict()
        let sink = try HTTPSink()
        defer { sink.stop() }
        let simpul = try services(district, sink: sink)
        let body = #"{"to": "+6281255501010", "text": "Gangguan #7 sirkuit NSN-0042"}"#
        let id = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
            try OutboxService.enqueueWebhook(tx, body: body, dedupeKey: "fault:7:provider:1:webhook")
        }
        try sink.answer(503)
        let failed = await simpul.outbox.deliver(ids: [id])
        #expect(failed.attempts.first?.error?.en.contains("answered 503") == true)
        let waiting = try await row(simpul, id)
        #expect(waiting.state == .pending && waiting.lastError != nil)

        try sink.answer(200)
        district.clock.now = waiting.nextAttemptAt
        let report = await simpul.outbox.deliver()
        #expect(report.delivered == 1)
        let requests = try sink.requests()
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.body == body })
        let keys = requests.compactMap { $0.header("Idempotency-Key") }
        #expect(keys == Array(repeating: WebhookCall.idempotencyKey(for: "fault:7:provider:1:webhook"), count: 2), "the same key on every attempt")
        #expect(try await row(simpul, id).state == .delivered)
    }

    /// A person's request waits for what it wrote within a budget: a slow gateway cuts the attempt
    /// short, and the row not begun by then is handed back to the worker with no attempt counted.
    @Test func anAtOnceDeliveryKeepsToItsBudgetAndLeavesTheRestToTheWorker() async throws {
        let district = try TestDistrict()
        let sink = try HTTPSink()
        defer { sink.stop() }
        try sink.delay(milliseconds: 20_000)
        let simpul = try services(district, sink: sink)
        let ids = try await simpul.database.write(as: "kabid.tik", at: district.clock.now) { tx in
            try (1...2).map { try OutboxService.enqueueWebhook(tx, body: #"{"n": \#($0)}"#, dedupeKey: "budget:\($0)") }
        }
        let started = ContinuousClock.now
        let report = await simpul.outbox.deliver(ids: ids, within: .milliseconds(800))
        let took = ContinuousClock.now - started
        #expect(took < .seconds(10), "the request answered after \(took), not when the gateway did after 20 s")
        #expect(report.attempts.count == 2)
        #expect(report.attempts.first?.error != nil, "the first attempt ran out of time")
        #expect(report.attempts.last?.busy == true && report.attempts.last?.error == nil)
        let first = try await row(simpul, ids[0]), second = try await row(simpul, ids[1])
        #expect(first.state == .pending && first.attempts == 1 && first.lastError != nil)
        #expect(second.state == .pending && second.attempts == 0 && second.claimedBy == nil)
        #expect(second.nextAttemptAt <= district.clock.now, "handed back due at once")
    }
}
