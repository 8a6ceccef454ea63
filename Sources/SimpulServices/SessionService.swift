import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

/// Web sessions, kept in the database so they survive a restart and work across processes.
/// The cookie holds a random token; only its SHA-256 is stored.
public struct SessionService: Sendable {
    let simpul: Simpul

    public struct Session: Sendable {
        public var principal: Principal
        public var fullName: String
        public var csrfToken: String
        public var language: Language
    }

    /// Starts a session for a signed-in user. Returns the cookie token.
    public func create(for user: AccountService.User) throws -> (token: String, session: Session) {
        let token = SecureRandom.token(bytes: 32)
        let csrf = SecureRandom.token(bytes: 24)
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            try db.execute(sql: """
                INSERT INTO sessions (token_hash, user_id, csrf_token, language, created_at, expires_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [SecureRandom.sha256(token), user.id, csrf, user.language.rawValue, Timestamp.string(now),
                                 Timestamp.string(now.addingTimeInterval(simpul.settings.sessionLifetime)), Timestamp.string(now)])
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [Timestamp.string(now)])
        }
        return (token, Session(principal: user.principal, fullName: user.fullName, csrfToken: csrf, language: user.language))
    }

    /// The live session for a cookie token, or nil when unknown, expired or the user is disabled.
    public func session(token: String) throws -> Session? {
        let now = simpul.now()
        let at = Timestamp.string(now)
        return try simpul.database.rawRead { db in
            // Cached: every page request compiles nothing for its session.
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.csrf_token, s.language AS session_language, users.*, agencies.code AS agency_code FROM sessions s
                JOIN users ON users.id = s.user_id LEFT JOIN agencies ON agencies.id = users.agency_id
                WHERE s.token_hash = ? AND s.expires_at > ? AND users.disabled = 0
                """), arguments: [SecureRandom.sha256(token), at]) else { return nil }
            let user = AccountService.user(row)
            return Session(principal: user.principal, fullName: user.fullName, csrfToken: row["csrf_token"],
                           language: Language(tag: row["session_language"]))
        }
    }

    public func setLanguage(_ language: Language, token: String) throws {
        try simpul.database.rawWrite { db in
            try db.execute(sql: "UPDATE sessions SET language = ? WHERE token_hash = ?", arguments: [language.rawValue, SecureRandom.sha256(token)])
            try db.execute(sql: """
                UPDATE users SET language = ? WHERE id = (SELECT user_id FROM sessions WHERE token_hash = ?)
                """, arguments: [language.rawValue, SecureRandom.sha256(token)])
        }
    }

    public func destroy(token: String) throws {
        try simpul.database.rawWrite { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [SecureRandom.sha256(token)])
        }
    }
}
