import Foundation
import GRDB
import SimpulCore

/// Users, their API tokens and the sign-in throttle's failed attempts.
public enum AccountStore {
    /// A user as stored, with their agency's code; never the password hash.
    public struct User: Sendable, Hashable, Decodable, FetchableRecord {
        public var id: Int64
        public var username: String
        public var fullName: String
        public var role: Role
        public var agencyCode: String?
        public var disabled: Bool
        public var language: Language
        public var createdAt: String
        public var lastLoginAt: String?

        public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

        enum Columns {
            static let id = Column("id"), username = Column("username"), role = Column("role"), disabled = Column("disabled")
            static let passwordHash = Column("password_hash")
        }

        /// The users table with each user's agency code, as the queries below select it.
        static let select = "SELECT users.*, agencies.code AS agency_code FROM users LEFT JOIN agencies ON agencies.id = users.agency_id"
    }

    public struct Token: Sendable, Hashable, Decodable, FetchableRecord {
        public var id: Int64
        public var username: String
        public var name: String
        public var tokenPrefix: String
        public var createdAt: String
        public var lastUsedAt: String?
        public var revokedAt: String?

        public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy
    }

    // MARK: Users

    /// Every user, by username.
    public static func users(_ reader: Reader) throws -> [User] {
        try User.fetchAll(reader.db, sql: User.select + " ORDER BY users.username")
    }

    public static func user(_ reader: Reader, username: String) throws -> User? {
        try User.fetchOne(reader.db, sql: User.select + " WHERE users.username = ?", arguments: [username])
    }

    /// A user and their password hash, for checking a password.
    public static func credentials(_ reader: Reader, username: String) throws -> (user: User, passwordHash: String)? {
        guard let row = try Row.fetchOne(reader.db, sql: User.select + " WHERE users.username = ?", arguments: [username]) else { return nil }
        return (try User(row: row), row[User.Columns.passwordHash])
    }

    public static func usernameTaken(_ reader: Reader, _ username: String) throws -> Bool {
        try Int.fetchOne(reader.db, sql: "SELECT 1 FROM users WHERE username = ?", arguments: [username]) != nil
    }

    /// Enabled administrators.
    public static func activeAdminCount(_ reader: Reader) throws -> Int {
        try Int.fetchOne(reader.db, sql: "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0") ?? 0
    }

    /// Adds a user at `tx.now` and reads them back. A username taken meanwhile (the unique
    /// constraint) is a `StoreConflict`.
    public static func insertUser(_ tx: Transaction, username: String, fullName: String, role: Role, agencyID: Int64?,
                                  passwordHash: String) throws -> User {
        let at = StoredTime(tx.now)
        do {
            try tx.db.execute(sql: """
                INSERT INTO users (username, full_name, role, agency_id, password_hash, created_at, updated_at, password_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [username, fullName, role, agencyID, passwordHash, at, at, at])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreConflict(message: "user \(username) exists")
        }
        guard let user = try user(tx, username: username) else { throw StoreConflict(message: "user \(username) vanished") }
        return user
    }

    public static func setPasswordHash(_ tx: Transaction, userID: Int64, _ hash: String) throws {
        let at = StoredTime(tx.now)
        try tx.db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
                          arguments: [hash, at, at, userID])
    }

    public static func setDisabled(_ tx: Transaction, userID: Int64, _ disabled: Bool) throws {
        try tx.db.execute(sql: "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", arguments: [disabled, StoredTime(tx.now), userID])
    }

    public static func setLanguage(_ tx: Transaction, userID: Int64, _ language: Language) throws {
        try tx.db.execute(sql: "UPDATE users SET language = ? WHERE id = ?", arguments: [language, userID])
    }

    /// Records a successful sign-in at `tx.now`.
    public static func recordLogin(_ tx: Transaction, userID: Int64) throws {
        try tx.db.execute(sql: "UPDATE users SET last_login_at = ? WHERE id = ?", arguments: [StoredTime(tx.now), userID])
    }

    // MARK: Sign-in throttle

    /// The larger of the failures for `username` and those from `remote` after `since`.
    public static func recentFailures(_ reader: Reader, username: String, remote: String, since: Date) throws -> Int {
        try Int.fetchOne(reader.db, sql: """
            SELECT MAX((SELECT COUNT(*) FROM login_failures WHERE username = ?1 AND at > ?3),
                       (SELECT COUNT(*) FROM login_failures WHERE remote = ?2 AND at > ?3))
            """, arguments: [username, remote, StoredTime(since)]) ?? 0
    }

    /// Writes a failed attempt at `tx.now` and forgets those older than a day; returns the attempt's id.
    public static func recordFailure(_ tx: Transaction, username: String, remote: String) throws -> Int64 {
        try tx.db.execute(sql: "INSERT INTO login_failures (username, remote, at) VALUES (?, ?, ?)",
                          arguments: [username, remote, StoredTime(tx.now)])
        let id = tx.db.lastInsertedRowID
        try tx.db.execute(sql: "DELETE FROM login_failures WHERE at < ?", arguments: [StoredTime(tx.now.addingTimeInterval(-24 * 3600))])
        return id
    }

    /// Takes back the username's failures and the attempt `attempt` (a sign-in that succeeded).
    public static func clearFailures(_ tx: Transaction, username: String, attempt: Int64) throws {
        try tx.db.execute(sql: "DELETE FROM login_failures WHERE username = ? OR id = ?", arguments: [username, attempt])
    }

    // MARK: API tokens

    /// Adds a token at `tx.now`; returns its id.
    public static func insertToken(_ tx: Transaction, userID: Int64, name: String, prefix: String, hash: String) throws -> Int64 {
        try tx.db.execute(sql: "INSERT INTO api_tokens (user_id, name, token_prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                          arguments: [userID, name, prefix, hash, StoredTime(tx.now)])
        return tx.db.lastInsertedRowID
    }

    /// Everyone's tokens when `all`, else `username`'s, by id.
    public static func tokens(_ reader: Reader, all: Bool, username: String) throws -> [Token] {
        try Token.fetchAll(reader.db, sql: """
            SELECT t.*, u.username FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE ?1 OR u.username = ?2 ORDER BY t.id
            """, arguments: [all, username])
    }

    /// The username owning token `id`, if there is one.
    public static func tokenOwner(_ reader: Reader, id: Int64) throws -> String? {
        try String.fetchOne(reader.db, sql: "SELECT u.username FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
                            arguments: [id])
    }

    public static func revokeToken(_ tx: Transaction, id: Int64) throws {
        try tx.db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [StoredTime(tx.now), id])
    }

    /// Revokes every live token of a user; returns how many.
    public static func revokeTokens(_ tx: Transaction, userID: Int64) throws -> Int {
        try tx.db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                          arguments: [StoredTime(tx.now), userID])
        return tx.db.changesCount
    }

    /// A live token's owner (enabled), with the token's id and when it was last used.
    public static func tokenUser(_ reader: Reader, hash: String) throws -> (tokenID: Int64, lastUsedAt: Date?, user: User)? {
        guard let row = try Row.fetchOne(reader.db, sql: """
            SELECT t.id AS token_id, t.last_used_at, users.*, agencies.code AS agency_code FROM api_tokens t
            JOIN users ON users.id = t.user_id LEFT JOIN agencies ON agencies.id = users.agency_id
            WHERE t.token_hash = ? AND t.revoked_at IS NULL AND users.disabled = 0
            """, arguments: [hash]) else { return nil }
        let lastUsed = (row[Column("last_used_at")] as String?).flatMap(Timestamp.date)
        return (row[Column("token_id")], lastUsed, try User(row: row))
    }

    public static func touchToken(_ tx: Transaction, id: Int64) throws {
        try tx.db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [StoredTime(tx.now), id])
    }
}
