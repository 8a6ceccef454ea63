import Foundation
import GRDB
import SimpulCore

/// Web sessions: only the SHA-256 of each cookie token is kept.
public enum SessionStore {
    /// A live session and its user.
    public struct Live: Sendable {
        public var user: AccountStore.User
        public var csrfToken: String
        public var language: Language
    }

    /// Starts a session at `tx.now` lasting `lifetime`, and forgets the expired ones.
    public static func insert(_ tx: Transaction, tokenHash: String, userID: Int64, csrfToken: String, language: Language,
                              lifetime: TimeInterval) throws {
        let now = StoredTime(tx.now)
        try tx.db.execute(sql: """
            INSERT INTO sessions (token_hash, user_id, csrf_token, language, created_at, expires_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [tokenHash, userID, csrfToken, language, now, StoredTime(tx.now.addingTimeInterval(lifetime)), now])
        try tx.db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [now])
    }

    /// The session unexpired at `now` whose token hashes to `tokenHash`, of a user not disabled.
    public static func live(_ reader: Reader, tokenHash: String, now: Date) throws -> Live? {
        // Cached: every page request compiles nothing for its session.
        guard let row = try Row.fetchOne(reader.db.cachedStatement(sql: """
            SELECT s.csrf_token, s.language AS session_language, users.*, agencies.code AS agency_code FROM sessions s
            JOIN users ON users.id = s.user_id LEFT JOIN agencies ON agencies.id = users.agency_id
            WHERE s.token_hash = ? AND s.expires_at > ? AND users.disabled = 0
            """), arguments: [tokenHash, StoredTime(now)]) else { return nil }
        return Live(user: try AccountStore.User(row: row), csrfToken: row[Column("csrf_token")], language: row[Column("session_language")])
    }

    /// Sets a session's language, and its user's.
    public static func setLanguage(_ tx: Transaction, tokenHash: String, _ language: Language) throws {
        try tx.db.execute(sql: "UPDATE sessions SET language = ? WHERE token_hash = ?", arguments: [language, tokenHash])
        try tx.db.execute(sql: """
            UPDATE users SET language = ? WHERE id = (SELECT user_id FROM sessions WHERE token_hash = ?)
            """, arguments: [language, tokenHash])
    }

    public static func delete(_ tx: Transaction, tokenHash: String) throws {
        try tx.db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
    }

    /// Ends every session of a user.
    public static func deleteAll(_ tx: Transaction, userID: Int64) throws {
        try tx.db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
    }
}
