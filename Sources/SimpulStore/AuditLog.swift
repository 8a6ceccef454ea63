import Foundation
import GRDB
import SimpulCore

/// Appends chained rows to the audit log inside the caller's transaction. Create one per
/// transaction; it keeps the chain's head in memory and writes it back once at `close`.
public struct AuditWriter {
    let db: Database
    let actor: String
    let at: String
    var headSeq: Int64
    var headHash: String
    private let insert: Statement

    public init(_ db: Database, actor: String, now: Date) throws {
        self.db = db
        self.actor = actor
        self.at = Timestamp.string(now)
        if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1") {
            headSeq = row["seq"]
            headHash = row["hash"]
        } else {
            headSeq = 0
            headHash = AuditChain.genesis
        }
        insert = try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, at, actor, action, object_type, object_key, before, after, reason, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Records one change. `before`/`after` are encoded as JSON with sorted keys.
    public mutating func record(action: String, objectType: String, objectKey: String,
                                before: (any Encodable)? = nil, after: (any Encodable)? = nil, reason: String? = nil) throws {
        let entry = AuditChain.seal(AuditEntry(
            seq: headSeq + 1, at: at, actor: actor, action: action, objectType: objectType, objectKey: objectKey,
            before: try before.map(Self.json), after: try after.map(Self.json), reason: reason, prevHash: headHash), after: headHash)
        try insert.execute(arguments: [entry.seq, entry.at, entry.actor, entry.action, entry.objectType, entry.objectKey,
                                       entry.before, entry.after, entry.reason, entry.prevHash, entry.hash])
        headSeq = entry.seq
        headHash = entry.hash
    }

    /// Writes the new head beside the log. Call once before the transaction commits.
    public func close() throws {
        try db.execute(sql: """
            INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)
            ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
            """, arguments: [headSeq, headHash])
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: any Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Reading and verifying the audit log.
public enum AuditQueries {
    public static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(seq: row["seq"], at: row["at"], actor: row["actor"], action: row["action"], objectType: row["object_type"],
                   objectKey: row["object_key"], before: row["before"], after: row["after"], reason: row["reason"],
                   prevHash: row["prev_hash"], hash: row["hash"])
    }

    /// Newest first, optionally for one object.
    public static func recent(_ db: Database, limit: Int, offset: Int = 0, objectType: String? = nil, objectKey: String? = nil) throws -> [AuditEntry] {
        var sql = "SELECT * FROM audit_log"
        var arguments: StatementArguments = []
        if let objectType {
            sql += " WHERE object_type = ?"
            arguments += [objectType]
            if let objectKey { sql += " AND object_key = ?"; arguments += [objectKey] }
        }
        sql += " ORDER BY seq DESC LIMIT ? OFFSET ?"
        arguments += [limit, offset]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(entry)
    }

    public static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
    }

    /// Checks every row's hash and link, the recorded head, and that the append-only triggers are in place.
    public static func verify(_ db: Database) throws -> (checked: Int, problems: [AuditChain.Problem]) {
        var verifier = AuditChain.Verifier()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
        while let row = try rows.next() { verifier.check(entry(row)) }
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
        verifier.finish(headSeq: head?["seq"], headHash: head?["hash"])
        var problems = verifier.problems
        let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        for name in ["audit_log_no_update", "audit_log_no_delete"] where !triggers.contains(name) {
            problems.append(AuditChain.Problem(seq: 0, text: Text(
                id: "pemicu \(name) yang menjaga log hanya-tambah telah dihapus", en: "the trigger \(name) that keeps the log append-only was dropped")))
        }
        return (verifier.count, problems)
    }
}
