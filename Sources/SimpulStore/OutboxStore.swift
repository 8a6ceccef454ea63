import Foundation
import GRDB
import SimpulCore

/// One side effect to deliver (a DNS change set, a mail, a webhook call), written in the
/// transaction of the user's action that caused it.
public struct Delivery: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var channel: DeliveryChannel
    public var dedupeKey: String
    public var payload: String
    public var ticketID: Int64?
    /// What it is about, for the pages that show it: `zone:<name>` for DNS.
    public var subject: String?
    public var state: DeliveryState
    public var attempts: Int
    public var maxAttempts: Int
    public var nextAttemptAt: Date
    public var claimedBy: String?
    public var claimExpiresAt: Date?
    public var lastError: Text?
    public var createdAt: Date
    public var createdBy: String
    public var deliveredAt: Date?
    /// Who retried or dismissed it last.
    public var settledBy: String?

    /// When a worker may next try it: its next attempt, or, while a worker holds it (delivering it,
    /// or dead), when that claim lapses if that is later.
    public var dueAt: Date {
        guard claimedBy != nil, let expires = claimExpiresAt, expires > nextAttemptAt else { return nextAttemptAt }
        return expires
    }
}

extension Delivery: FetchableRecord {
    enum Columns {
        static let id = Column("id"), channel = Column("channel"), dedupeKey = Column("dedupe_key"), state = Column("state")
        static let ticketID = Column("ticket_id"), subject = Column("subject"), nextAttemptAt = Column("next_attempt_at")
        static let claimedBy = Column("claimed_by"), claimExpiresAt = Column("claim_expires_at")
    }

    public init(row: Row) throws {
        id = row["id"]
        channel = DeliveryChannel(rawValue: row["channel"]) ?? .dns
        dedupeKey = row["dedupe_key"]
        payload = row["payload"]
        ticketID = row["ticket_id"]
        subject = row["subject"]
        state = DeliveryState(rawValue: row["state"]) ?? .pending
        attempts = row["attempts"]
        maxAttempts = row["max_attempts"]
        nextAttemptAt = Timestamp.date(row["next_attempt_at"]) ?? .distantPast
        claimedBy = row["claimed_by"]
        claimExpiresAt = (row["claim_expires_at"] as String?).flatMap(Timestamp.date)
        lastError = try (row["last_error"] as String?).map { try StoredJSON.decode(Text.self, from: $0) }
        createdAt = Timestamp.date(row["created_at"]) ?? .distantPast
        createdBy = row["created_by"]
        deliveredAt = (row["delivered_at"] as String?).flatMap(Timestamp.date)
        settledBy = row["settled_by"]
    }
}

/// The outbox: one queue of side effects, delivered at least once and never lost. A worker claims
/// due rows (a claim that expires, so a killed worker's rows come back), delivers each through its
/// channel, and records the outcome under its claim: delivered, due again after a backoff, or
/// failed for good and waiting for a person.
public enum OutboxStore {
    /// Writes a row in the caller's transaction, due at once. A row with the same dedupe key already
    /// there is the same side effect: its id is returned and nothing is written.
    @discardableResult
    public static func enqueue(_ tx: Transaction, channel: DeliveryChannel, dedupeKey: String, payload: String,
                               ticketID: Int64? = nil, subject: String? = nil) throws -> Int64 {
        let now = Timestamp.string(tx.now)
        try tx.db.execute(sql: """
            INSERT INTO outbox (channel, dedupe_key, payload, ticket_id, subject, max_attempts, next_attempt_at, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING
            """, arguments: [channel.rawValue, dedupeKey, payload, ticketID, subject, channel.policy.maxAttempts, now, now, tx.actor])
        guard let id = try Int64.fetchOne(tx.db, sql: "SELECT id FROM outbox WHERE dedupe_key = ?", arguments: [dedupeKey]) else {
            throw StoreConflict(message: "outbox row \(dedupeKey) vanished")
        }
        tx.noteEnqueued(id)
        return id
    }

    /// Claims up to `limit` due rows for `holder` until `tx.now + lease` (of `ids` only, when given:
    /// a request delivering what it just wrote), counting the attempt now — so a worker killed while
    /// delivering leaves a row that is due again when the claim lapses, its attempt counted.
    public static func claim(_ tx: Transaction, holder: String, lease: TimeInterval, limit: Int, ids: [Int64]? = nil) throws -> [Delivery] {
        let now = Timestamp.string(tx.now)
        var sql = """
            SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
              AND (claimed_by IS NULL OR claim_expires_at <= ?)
            """
        var arguments: StatementArguments = [now, now]
        if let ids {
            guard !ids.isEmpty else { return [] }
            sql += " AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(ids)
        }
        sql += " ORDER BY next_attempt_at, id LIMIT ?"
        arguments += [max(0, limit)]
        let due = try Delivery.fetchAll(tx.db, sql: sql, arguments: arguments)
        let expires = Timestamp.string(tx.now.addingTimeInterval(lease))
        let mark = try tx.db.cachedStatement(sql: "UPDATE outbox SET claimed_by = ?, claim_expires_at = ?, attempts = attempts + 1 WHERE id = ?")
        return try due.map { row in
            try mark.execute(arguments: [holder, expires, row.id])
            var claimed = row
            claimed.claimedBy = holder
            claimed.claimExpiresAt = tx.now.addingTimeInterval(lease)
            claimed.attempts += 1
            return claimed
        }
    }

    /// Records a delivery under `holder`'s claim. False when the claim was lost (it lapsed and
    /// another worker took the row): that worker's outcome stands.
    @discardableResult
    public static func delivered(_ tx: Transaction, id: Int64, holder: String) throws -> Bool {
        try tx.db.execute(sql: """
            UPDATE outbox SET state = 'delivered', delivered_at = ?, last_error = NULL, claimed_by = NULL, claim_expires_at = NULL
            WHERE id = ? AND claimed_by = ?
            """, arguments: [Timestamp.string(tx.now), id, holder])
        return tx.db.changesCount > 0
    }

    /// Marks rows delivered that were delivered along with another one (a zone's waiting change sets
    /// go to the server as one update), unless another worker holds them.
    public static func deliveredAlong(_ tx: Transaction, dedupeKeys: [String]) throws {
        guard !dedupeKeys.isEmpty else { return }
        try tx.db.execute(sql: """
            UPDATE outbox SET state = 'delivered', delivered_at = ?, last_error = NULL
            WHERE state IN ('pending', 'failed') AND claimed_by IS NULL AND dedupe_key IN (\(dedupeKeys.map { _ in "?" }.joined(separator: ",")))
            """, arguments: [Timestamp.string(tx.now)] + StatementArguments(dedupeKeys))
    }

    /// One attempt and how it ended (`delivered`, `failed`, `busy`), written with the row's outcome.
    public static func recordAttempt(_ tx: Transaction, id: Int64, outcome: String, error: Text?, milliseconds: Double, worker: String) throws {
        try tx.db.execute(sql: "INSERT INTO outbox_attempts (outbox_id, at, outcome, error, milliseconds, worker) VALUES (?, ?, ?, ?, ?, ?)",
                          arguments: [id, Timestamp.string(tx.now), outcome, try error.map(StoredJSON.encode), max(0, milliseconds), worker])
    }

    /// An attempt as recorded.
    public struct Attempt: Sendable, Hashable {
        public var deliveryID: Int64
        public var at: Date
        public var outcome: String
        public var error: Text?
        public var milliseconds: Double
    }

    /// The attempts of a ticket's deliveries, oldest first.
    public static func attempts(_ reader: Reader, ticketID: Int64, limit: Int = 200) throws -> [Attempt] {
        try Row.fetchAll(reader.db, sql: """
            SELECT a.* FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.ticket_id = ? ORDER BY a.id LIMIT ?
            """, arguments: [ticketID, limit]).map { row in
            Attempt(deliveryID: row["outbox_id"], at: Timestamp.date(row["at"]) ?? Date(timeIntervalSince1970: 0), outcome: row["outcome"],
                    error: try (row["error"] as String?).map { try StoredJSON.decode(Text.self, from: $0) }, milliseconds: row["milliseconds"])
        }
    }

    /// The tickets of the rows with these dedupe keys.
    public static func ticketIDs(_ reader: Reader, dedupeKeys: [String]) throws -> [Int64] {
        guard !dedupeKeys.isEmpty else { return [] }
        return try Int64.fetchAll(reader.db, sql: """
            SELECT DISTINCT ticket_id FROM outbox WHERE ticket_id IS NOT NULL AND dedupe_key IN (\(dedupeKeys.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(dedupeKeys))
    }

    /// Records a failed attempt under `holder`'s claim: due again at `next`, or failed for good when
    /// `next` is nil. Unclaimed rows named in `alsoWaiting` (they would fail the same way) take the
    /// same error and wait until the same moment.
    @discardableResult
    public static func attemptFailed(_ tx: Transaction, id: Int64, holder: String, error: Text, next: Date?,
                                     alsoWaiting: [String] = []) throws -> Bool {
        let errorJSON = try StoredJSON.encode(error)
        try tx.db.execute(sql: """
            UPDATE outbox SET state = ?, next_attempt_at = coalesce(?, next_attempt_at), last_error = ?, claimed_by = NULL, claim_expires_at = NULL
            WHERE id = ? AND claimed_by = ?
            """, arguments: [next == nil ? "failed" : "pending", next.map(Timestamp.string), errorJSON, id, holder])
        let held = tx.db.changesCount > 0
        if held, let next, !alsoWaiting.isEmpty {
            try tx.db.execute(sql: """
                UPDATE outbox SET last_error = ?, next_attempt_at = max(next_attempt_at, ?)
                WHERE state = 'pending' AND claimed_by IS NULL AND dedupe_key IN (\(alsoWaiting.map { _ in "?" }.joined(separator: ",")))
                """, arguments: [errorJSON, Timestamp.string(next)] + StatementArguments(alsoWaiting))
        }
        return held
    }

    /// Lets `holder`'s claim go without an attempt counted (the row was not tried: its zone was busy).
    public static func release(_ tx: Transaction, id: Int64, holder: String, next: Date) throws {
        try tx.db.execute(sql: """
            UPDATE outbox SET attempts = max(0, attempts - 1), next_attempt_at = ?, claimed_by = NULL, claim_expires_at = NULL
            WHERE id = ? AND claimed_by = ?
            """, arguments: [Timestamp.string(next), id, holder])
    }

    /// A person asks for another round of attempts: due now, its count started again.
    /// A row a worker holds under a live claim is left alone (it may be going out right now).
    public static func retry(_ tx: Transaction, id: Int64) throws -> Delivery? {
        try tx.db.execute(sql: """
            UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, settled_by = ?, claimed_by = NULL, claim_expires_at = NULL
            WHERE id = ? AND state IN ('failed', 'dismissed', 'pending') AND (claimed_by IS NULL OR claim_expires_at <= ?)
            """, arguments: [Timestamp.string(tx.now), tx.actor, id, Timestamp.string(tx.now)])
        return try delivery(tx, id: id)
    }

    /// A person decides a row should not be delivered.
    public static func dismiss(_ tx: Transaction, id: Int64) throws -> Delivery? {
        try tx.db.execute(sql: """
            UPDATE outbox SET state = 'dismissed', settled_by = ?, claimed_by = NULL, claim_expires_at = NULL
            WHERE id = ? AND state IN ('failed', 'pending') AND (claimed_by IS NULL OR claim_expires_at <= ?)
            """, arguments: [tx.actor, id, Timestamp.string(tx.now)])
        return try delivery(tx, id: id)
    }

    // MARK: Reading

    public static func delivery(_ reader: Reader, id: Int64) throws -> Delivery? {
        try Delivery.fetchOne(reader.db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id])
    }

    public static func deliveries(_ reader: Reader, ids: [Int64]) throws -> [Delivery] {
        guard !ids.isEmpty else { return [] }
        return try Delivery.fetchAll(reader.db, sql: "SELECT * FROM outbox WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
                                     arguments: StatementArguments(ids))
    }

    public struct Filter: Sendable, Hashable {
        public var states: [DeliveryState] = []
        public var channel: DeliveryChannel?
        public var ticketID: Int64?
        public var subject: String?
        public var limit = 50
        public var offset = 0

        public init(states: [DeliveryState] = [], channel: DeliveryChannel? = nil, ticketID: Int64? = nil, subject: String? = nil,
                    limit: Int = 50, offset: Int = 0) {
            self.states = states
            self.channel = channel
            self.ticketID = ticketID
            self.subject = subject
            self.limit = limit
            self.offset = offset
        }
    }

    /// Rows matching `filter`, newest first, and how many match in all.
    public static func list(_ reader: Reader, _ filter: Filter) throws -> (rows: [Delivery], total: Int) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if !filter.states.isEmpty {
            clauses.append("state IN (\(filter.states.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(filter.states.map(\.rawValue))
        }
        if let channel = filter.channel { clauses.append("channel = ?"); arguments += [channel.rawValue] }
        if let ticketID = filter.ticketID { clauses.append("ticket_id = ?"); arguments += [ticketID] }
        if let subject = filter.subject { clauses.append("subject = ?"); arguments += [subject] }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let total = try Int.fetchOne(reader.db, sql: "SELECT COUNT(*) FROM outbox \(whereSQL)", arguments: arguments) ?? 0
        let rows = try Delivery.fetchAll(reader.db, sql: "SELECT * FROM outbox \(whereSQL) ORDER BY id DESC LIMIT ? OFFSET ?",
                                         arguments: arguments + [max(0, min(filter.limit, 1000)), max(0, filter.offset)])
        return (rows, total)
    }

    /// How many rows stand in each state (the dashboard's and the outbox page's summary).
    public static func counts(_ reader: Reader) throws -> [DeliveryState: Int] {
        var counts: [DeliveryState: Int] = [:]
        for row in try Row.fetchAll(reader.db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") {
            if let state = DeliveryState(rawValue: row["state"]) { counts[state] = row["n"] }
        }
        return counts
    }

    /// When the next pending row falls due (the worker sleeps until then), if any.
    public static func nextDue(_ reader: Reader) throws -> Date? {
        try String.fetchOne(reader.db, sql: """
            SELECT min(CASE WHEN claimed_by IS NOT NULL AND claim_expires_at > next_attempt_at THEN claim_expires_at ELSE next_attempt_at END)
            FROM outbox WHERE state = 'pending'
            """).flatMap(Timestamp.date)
    }
}
