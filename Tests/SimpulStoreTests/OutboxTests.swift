import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

/// The outbox's rules, on a real database file: one row per side effect, one worker per row at a
/// time, a killed worker's row comes back, failures back off and then wait for a person.
@Suite("The outbox")
struct OutboxTests {
    /// A row of a channel this process has no deliverer for (webhooks come with fault dispatch):
    /// every attempt fails with a reason, which is what these tests need.
    func enqueue(_ district: TestDistrict, key: String = "test:1", ticket: Int64? = nil) throws -> Int64 {
        try district.simpul.database.write(as: "test", at: district.clock.now) { tx in
            try OutboxStore.enqueue(tx, channel: .webhook, dedupeKey: key, payload: "{}", ticketID: ticket)
        }
    }

    @Test func theSameSideEffectAskedForTwiceIsOneRow() throws {
        let district = try TestDistrict()
        let first = try enqueue(district)
        let again = try enqueue(district)
        #expect(first == again)
        #expect(try district.count("outbox") == 1)
        _ = try enqueue(district, key: "test:2")
        #expect(try district.count("outbox") == 2)
    }

    @Test func aClaimedRowIsNotClaimedTwiceAndComesBackWhenItsClaimLapses() throws {
        let district = try TestDistrict()
        let id = try enqueue(district)
        let database = district.simpul.database
        let t0 = district.clock.now
        // Worker A claims it and is killed before it settles anything.
        let a = try database.write(as: Transaction.system, at: t0) { tx in try OutboxStore.claim(tx, holder: "A", lease: 120, limit: 10) }
        #expect(a.map(\.id) == [id] && a.first?.attempts == 1)
        // Worker B, meanwhile, does not get it.
        let b = try database.write(as: Transaction.system, at: t0.addingTimeInterval(60)) { tx in try OutboxStore.claim(tx, holder: "B", lease: 120, limit: 10) }
        #expect(b.isEmpty)
        // Once A's claim has lapsed, B takes it, the killed attempt counted.
        let later = try database.write(as: Transaction.system, at: t0.addingTimeInterval(121)) { tx in try OutboxStore.claim(tx, holder: "B", lease: 120, limit: 10) }
        #expect(later.map(\.id) == [id] && later.first?.attempts == 2)
        // A, coming back late, cannot settle a row it no longer holds.
        let settled = try database.write(as: Transaction.system, at: t0.addingTimeInterval(122)) { tx in try OutboxStore.delivered(tx, id: id, holder: "A") }
        #expect(!settled)
        let stillB = try database.read { r in try OutboxStore.delivery(r, id: id) }
        #expect(stillB?.claimedBy == "B" && stillB?.state == .pending)
    }

    @Test func failuresBackOffThenWaitForAPersonWhoRetriesOrDismisses() async throws {
        let district = try TestDistrict()
        let id = try enqueue(district, key: "test:backoff")
        let outbox = district.simpul.outbox
        var report = await outbox.deliver()
        #expect(report.attempts.count == 1 && report.hasFailures)
        #expect(report.attempts.first?.error?.en.contains("no deliverer for the Webhook channel") == true)
        var row = try #require(try await district.simpul.database.read { r in try OutboxStore.delivery(r, id: id) })
        #expect(row.state == .pending && row.attempts == 1 && row.lastError != nil)
        // The first wait is 30 s plus at most a fifth of it; nothing is due before.
        let wait = row.nextAttemptAt.timeIntervalSince(district.clock.now)
        #expect(wait >= 30 && wait <= 36)
        report = await outbox.deliver()
        #expect(report.attempts.isEmpty)
        // Each failure waits longer, until the last attempt: then it waits for a person.
        var waits: [TimeInterval] = [wait]
        while row.state == .pending {
            district.clock.now = row.nextAttemptAt
            report = await outbox.deliver()
            #expect(report.attempts.count == 1)
            row = try #require(try await district.simpul.database.read { r in try OutboxStore.delivery(r, id: id) })
            if row.state == .pending { waits.append(row.nextAttemptAt.timeIntervalSince(district.clock.now)) }
        }
        #expect(row.state == .failed && row.attempts == DeliveryChannel.webhook.policy.maxAttempts)
        #expect(report.attempts.first?.gaveUp == true)
        #expect(zip(waits, waits.dropFirst()).allSatisfy { $0.0 <= $0.1 * 1.0001 || $0.1 >= 3600 }, "waits grow: \(waits)")
        #expect(waits.max()! <= 3600 * 1.2 + 1)
        // Nothing is due any more, and the failure is listed.
        district.clock.advance(86_400 * 30)
        #expect(await outbox.deliver().attempts.isEmpty)
        let admin = district.cli
        #expect(try outbox.list(OutboxStore.Filter(states: [.failed]), by: admin).rows.map(\.id) == [id])

        // A person retries it: due at once, its count started again.
        let retried = try outbox.retry(id, by: admin)
        #expect(retried.state == .pending && retried.attempts == 0)
        #expect(await outbox.deliver().attempts.count == 1)
        // Or dismisses it, with a reason that the audit log keeps.
        #expect(throws: ServiceError.self) { try outbox.dismiss(id, reason: "  ", by: admin) }
        let dismissed = try outbox.dismiss(id, reason: "penerima webhook sudah tidak dipakai", by: admin)
        #expect(dismissed.state == .dismissed)
        district.clock.advance(86_400)
        #expect(await outbox.deliver().attempts.isEmpty)
        let audit = try district.simpul.database.rawRead { db in
            try String.fetchAll(db, sql: "SELECT action || ' ' || ifnull(reason, '') FROM audit_log WHERE object_type = 'outbox' ORDER BY seq")
        }
        #expect(audit == ["outbox.retry ", "outbox.dismiss penerima webhook sudah tidak dipakai"])
        // A delivered row is not retried; one that is not there says so.
        #expect(throws: ServiceError.self) { try outbox.retry(999_999, by: admin) }
    }

    @Test func onlyThoseWhoManageDeliveriesSeeOrTouchThem() throws {
        let district = try TestDistrict()
        let id = try enqueue(district)
        try district.simpul.accounts.add(username: "teknisi", fullName: "Teknisi", role: .technician, agency: nil, password: "rahasia-sekali-42", by: district.cli)
        let technician = try district.simpul.accounts.user("teknisi", by: district.cli).principal
        #expect(throws: ServiceError.self) { try district.simpul.outbox.list(OutboxStore.Filter(), by: technician) }
        #expect(throws: ServiceError.self) { try district.simpul.outbox.retry(id, by: technician) }
        #expect(throws: ServiceError.self) { try district.simpul.outbox.dismiss(id, reason: "x", by: technician) }
    }
}
