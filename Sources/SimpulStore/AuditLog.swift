import Foundation
import GRDB
import SimpulCore

/// Appends chained rows to the audit log inside the caller's transaction. Create one per
/// transaction; it keeps the chain's head in memory and writes it back once at `close`.
/// Only `Transaction` holds one: code outside the store audits through `Transaction.audit`, and
/// `AppDatabase.write(as:at:)` closes it, so no caller can forget to.
struct AuditWriter {
    let db: Database
    let actor: String
    let at: String
    var headSeq: Int64
    var headHash: String
    private let insert: Statement

    init(_ db: Database, actor: String, now: Date) throws {
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
    mutating func record(action: String, objectType: String, objectKey: String,
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
    func close() throws {
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

/// An audit row as stored: the columns are the entry's fields in snake case.
extension AuditEntry: FetchableRecord {
    public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    enum Columns {
        static let seq = Column("seq"), objectType = Column("object_type"), objectKey = Column("object_key")
    }
}

/// Reading and verifying the audit log.
public enum AuditQueries {
    /// Newest first, optionally for one object.
    public static func recent(_ reader: Reader, limit: Int, offset: Int = 0, objectType: String? = nil, objectKey: String? = nil) throws -> [AuditEntry] {
        var sql = "SELECT * FROM audit_log"
        var arguments: StatementArguments = []
        if let objectType {
            sql += " WHERE object_type = ?"
            arguments += [objectType]
            if let objectKey { sql += " AND object_key = ?"; arguments += [objectKey] }
        }
        sql += " ORDER BY seq DESC LIMIT ? OFFSET ?"
        arguments += [limit, offset]
        return try AuditEntry.fetchAll(reader.db, sql: sql, arguments: arguments)
    }

    public static func count(_ reader: Reader) throws -> Int {
        try Int.fetchOne(reader.db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
    }

    /// Checks every row's hash and link, the recorded head, and that the append-only triggers are in place.
    public static func verify(_ reader: Reader) throws -> (checked: Int, problems: [AuditChain.Problem]) {
        let db = reader.db
        var verifier = AuditChain.Verifier()
        let entries = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
        while let entry = try entries.next() { verifier.check(entry) }
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
        verifier.finish(headSeq: head?[Column("seq")], headHash: head?[Column("hash")])
        var problems = verifier.problems
        let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        for name in ["audit_log_no_update", "audit_log_no_delete"] where !triggers.contains(name) {
            problems.append(AuditChain.Problem(seq: 0, text: Text(
                id: "pemicu \(name) yang menjaga log hanya-tambah telah dihapus", en: "the trigger \(name) that keeps the log append-only was dropped")))
        }
        return (verifier.count, problems)
    }
}
