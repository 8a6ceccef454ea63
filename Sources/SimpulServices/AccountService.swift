import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
import SimpulCore
@_spi(Raw) import SimpulStore

/// Users, passwords, API tokens and sign-in with throttling.
public struct AccountService: Sendable {
    let simpul: Simpul

    public struct User: Sendable, Codable, Hashable {
        public var id: Int64
        public var username: String
        public var fullName: String
        public var role: Role
        public var agency: String?
        public var disabled: Bool
        public var language: Language
        public var createdAt: String
        public var lastLoginAt: String?

        public var principal: Principal { Principal(userID: id, username: username, role: role, agencyCode: agency) }
    }

    public struct Token: Sendable, Codable, Hashable {
        public var id: Int64
        public var username: String
        public var name: String
        public var prefix: String
        public var createdAt: String
        public var lastUsedAt: String?
        public var revokedAt: String?
    }

    static let userColumns = """
        SELECT users.*, agencies.code AS agency_code FROM users LEFT JOIN agencies ON agencies.id = users.agency_id
        """

    static func user(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], fullName: row["full_name"], role: Role(rawValue: row["role"]) ?? .viewer,
             agency: row["agency_code"], disabled: row["disabled"], language: Language(tag: row["language"]),
             createdAt: row["created_at"], lastLoginAt: row["last_login_at"])
    }

    /// The audit form of a user: never the password hash.
    struct AuditedUser: Encodable {
        var username: String, fullName: String, role: String, agency: String?, disabled: Bool
        init(_ u: User) { username = u.username; fullName = u.fullName; role = u.role.rawValue; agency = u.agency; disabled = u.disabled }
    }

    public func list(by principal: Principal) throws -> [User] {
        try principal.require(.manageUsers)
        return try simpul.database.rawRead { try Row.fetchAll($0, sql: Self.userColumns + " ORDER BY users.username").map(Self.user) }
    }

    public func user(_ username: String, by principal: Principal) throws -> User {
        if principal.username != username { try principal.require(.manageUsers) }
        return try simpul.database.rawRead { db in try fetchUser(db, username) }
    }

    func fetchUser(_ db: Database, _ username: String) throws -> User {
        guard let row = try Row.fetchOne(db, sql: Self.userColumns + " WHERE users.username = ?", arguments: [username]) else {
            throw ServiceError(.notFound, Text(id: "pengguna \"\(username)\" tidak ada", en: "user \"\(username)\" does not exist"))
        }
        return Self.user(row)
    }

    /// Creates a user. `agency` is required for, and only for, the `agency` role.
    @discardableResult
    public func add(username: String, fullName: String, role: Role, agency: String?, password: String, by principal: Principal) throws -> User {
        try principal.require(.manageUsers)
        let username = username.lowercased()
        if let problem = AccountRules.usernameProblem(username) { throw ServiceError(.invalid, problem) }
        if let problem = AccountRules.passwordProblem(password, username: username) { throw ServiceError(.invalid, problem) }
        try ServiceError.limit(fullName, Text(id: "nama lengkap", en: "the full name"), Limits.name)
        let fullName = fullName.trimmingCharacters(in: .whitespaces)
        if fullName.isEmpty { throw ServiceError(.invalid, Text(id: "nama lengkap wajib diisi", en: "a full name is required")) }
        if role == .agency && agency == nil {
            throw ServiceError(.invalid, Text(id: "peran agency memerlukan --agency KODE", en: "the agency role needs --agency CODE"))
        }
        if role != .agency && agency != nil {
            throw ServiceError(.invalid, Text(id: "hanya peran agency yang terikat ke satu instansi", en: "only the agency role is bound to an agency"))
        }
        let hash = Bcrypt.hash(password, cost: simpul.settings.bcryptCost)
        let now = simpul.now()
        return try simpul.database.rawWrite { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE username = ?", arguments: [username]) != nil {
                throw ServiceError(.conflict, Text(id: "pengguna \"\(username)\" sudah ada", en: "user \"\(username)\" already exists"))
            }
            var agencyID: Int64?
            if let agency {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM agencies WHERE code = ?", arguments: [agency.uppercased()]) else {
                    throw ServiceError(.invalid, Text(id: "instansi \"\(agency)\" tidak ada", en: "agency \"\(agency)\" does not exist"))
                }
                agencyID = id
            }
            let at = Timestamp.string(now)
            try db.execute(sql: """
                INSERT INTO users (username, full_name, role, agency_id, password_hash, created_at, updated_at, password_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [username, fullName, role.rawValue, agencyID, hash, at, at, at])
            let user = try fetchUser(db, username)
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "create", objectType: "user", objectKey: username, after: AuditedUser(user))
            try audit.close()
            return user
        }
    }

    /// Sets a new password. Users may change their own; admins anyone's. Ends the user's sessions and
    /// revokes their API tokens: a token made under the old password must not outlive it.
    public func setPassword(username: String, password: String, by principal: Principal) throws {
        if principal.username != username { try principal.require(.manageUsers) }
        if let problem = AccountRules.passwordProblem(password, username: username) { throw ServiceError(.invalid, problem) }
        let hash = Bcrypt.hash(password, cost: simpul.settings.bcryptCost)
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            let user = try fetchUser(db, username)
            let at = Timestamp.string(now)
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [hash, at, at, user.id])
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [user.id])
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", arguments: [at, user.id])
            let revoked = db.changesCount
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "password", objectType: "user", objectKey: username, after: ["tokens_revoked": String(revoked)])
            try audit.close()
        }
    }

    /// Disables or re-enables a user. Disabling ends their sessions and stops their tokens.
    public func setDisabled(_ disabled: Bool, username: String, by principal: Principal) throws {
        try principal.require(.manageUsers)
        if disabled && principal.username == username {
            throw ServiceError(.invalid, Text(id: "Anda tidak dapat menonaktifkan akun Anda sendiri", en: "you cannot disable your own account"))
        }
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            let before = try fetchUser(db, username)
            guard before.disabled != disabled else { return }
            if disabled && before.role == .admin {
                let admins = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0") ?? 0
                if admins <= 1 {
                    throw ServiceError(.invalid, Text(id: "ini administrator aktif terakhir; tambahkan administrator lain dulu",
                                                      en: "this is the last active administrator; add another one first"))
                }
            }
            try db.execute(sql: "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", arguments: [disabled, Timestamp.string(now), before.id])
            if disabled { try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [before.id]) }
            var after = before
            after.disabled = disabled
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: disabled ? "disable" : "enable", objectType: "user", objectKey: username,
                             before: AuditedUser(before), after: AuditedUser(after))
            try audit.close()
        }
    }

    /// Stores the user's language choice.
    public func setLanguage(_ language: Language, userID: Int64) throws {
        try simpul.database.rawWrite { db in
            try db.execute(sql: "UPDATE users SET language = ? WHERE id = ?", arguments: [language.rawValue, userID])
        }
    }

    // MARK: Sign-in

    /// Checks a username and password. After `maxLoginFailures` failures for the username or
    /// from the client address within the window, refuses even correct passwords until it passes.
    public func authenticate(username: String, password: String, remote: String) throws -> User {
        let username = username.lowercased().trimmingCharacters(in: .whitespaces)
        let now = simpul.now()
        let since = Timestamp.string(now.addingTimeInterval(-simpul.settings.throttleWindow))
        // Count and claim in one write transaction: the attempt is written as a failure before the
        // password is checked and taken back only when it was right, so parallel attempts cannot all
        // pass the count before any of them is recorded.
        let maxFailures = simpul.settings.maxLoginFailures, window = simpul.settings.throttleWindow
        let attempt: Int64 = try simpul.database.rawWrite { db in
            let failures = try Int.fetchOne(db, sql: """
                SELECT MAX((SELECT COUNT(*) FROM login_failures WHERE username = ?1 AND at > ?3),
                           (SELECT COUNT(*) FROM login_failures WHERE remote = ?2 AND at > ?3))
                """, arguments: [username, remote, since]) ?? 0
            if failures >= maxFailures {
                let minutes = Int(window / 60)
                throw ServiceError(.throttled, Text(id: "terlalu banyak percobaan masuk yang gagal; coba lagi dalam \(minutes) menit",
                                                    en: "too many failed sign-in attempts; try again in \(minutes) minutes"))
            }
            try db.execute(sql: "INSERT INTO login_failures (username, remote, at) VALUES (?, ?, ?)",
                           arguments: [username, remote, Timestamp.string(now)])
            let id = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM login_failures WHERE at < ?", arguments: [Timestamp.string(now.addingTimeInterval(-24 * 3600))])
            return id
        }
        let row = try simpul.database.rawRead { db in
            try Row.fetchOne(db, sql: Self.userColumns + " WHERE users.username = ?", arguments: [username])
        }
        // Verify against a dummy hash when the user does not exist, so timing does not tell.
        let hash: String = row?["password_hash"] ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5x1Xbw4ZKhQzeQh1mjE3cCZ2LuZ4pGm"
        let ok = Bcrypt.verify(password, hash: hash)
        guard ok, let row, !(row["disabled"] as Bool) else {
            // The attempt written above stays as the failure.
            throw ServiceError(.unauthorized, Text(id: "nama pengguna atau kata sandi salah", en: "wrong username or password"))
        }
        let user = Self.user(row)
        try simpul.database.rawWrite { db in
            try db.execute(sql: "UPDATE users SET last_login_at = ? WHERE id = ?", arguments: [Timestamp.string(now), user.id])
            try db.execute(sql: "DELETE FROM login_failures WHERE username = ? OR id = ?", arguments: [username, attempt])
        }
        return user
    }

    // MARK: API tokens

    /// Creates an API token for `username` and returns its secret, shown once; only its hash is kept.
    public func createToken(username: String, name: String, by principal: Principal) throws -> (Token, secret: String) {
        if principal.username != username { try principal.require(.manageUsers) }
        try ServiceError.limit(name, Text(id: "nama token", en: "the token's name"), 64)
        let secret = "smp_" + SecureRandom.token(bytes: 24)
        let now = simpul.now()
        return try simpul.database.rawWrite { db in
            let user = try fetchUser(db, username)
            if user.disabled {
                throw ServiceError(.invalid, Text(id: "pengguna \"\(username)\" nonaktif: tokennya tidak akan pernah berlaku; aktifkan dulu (simpul user enable)",
                                                  en: "user \"\(username)\" is disabled: a token for them could never work; enable them first (simpul user enable)"))
            }
            let at = Timestamp.string(now)
            try db.execute(sql: "INSERT INTO api_tokens (user_id, name, token_prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [user.id, name, String(secret.prefix(10)), SecureRandom.sha256(secret), at])
            let id = db.lastInsertedRowID
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "create", objectType: "api_token", objectKey: "\(id)", after: ["user": username, "name": name])
            try audit.close()
            return (Token(id: id, username: username, name: name, prefix: String(secret.prefix(10)), createdAt: at), secret)
        }
    }

    /// Tokens the principal may see: everyone's for an admin, unless `ownOnly` (the account page).
    public func tokens(by principal: Principal, ownOnly: Bool = false) throws -> [Token] {
        let all = principal.can(.manageUsers) && !ownOnly
        return try simpul.database.rawRead { db in
            try Row.fetchAll(db, sql: """
                SELECT t.*, u.username FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE ?1 OR u.username = ?2 ORDER BY t.id
                """, arguments: [all, principal.username]).map {
                Token(id: $0["id"], username: $0["username"], name: $0["name"], prefix: $0["token_prefix"], createdAt: $0["created_at"],
                      lastUsedAt: $0["last_used_at"], revokedAt: $0["revoked_at"])
            }
        }
    }

    public func revokeToken(id: Int64, by principal: Principal) throws {
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            guard let owner = try String.fetchOne(db, sql: "SELECT u.username FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
                                                  arguments: [id]) else {
                throw ServiceError(.notFound, Text(id: "token #\(id) tidak ada", en: "token #\(id) does not exist"))
            }
            if owner != principal.username { try principal.require(.manageUsers) }
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [Timestamp.string(now), id])
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "revoke", objectType: "api_token", objectKey: "\(id)")
            try audit.close()
        }
    }

    /// The principal behind a bearer token, or nil when it is unknown, revoked or its user disabled.
    public func principal(forToken secret: String) throws -> Principal? {
        let hash = SecureRandom.sha256(secret)
        let now = simpul.now()
        guard let row = try simpul.database.rawRead({ db in
            try Row.fetchOne(db, sql: """
                SELECT t.id AS token_id, t.last_used_at, users.*, agencies.code AS agency_code FROM api_tokens t
                JOIN users ON users.id = t.user_id LEFT JOIN agencies ON agencies.id = users.agency_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND users.disabled = 0
                """, arguments: [hash])
        }) else { return nil }
        // Record use at most once a minute, so reads stay reads.
        let last = (row["last_used_at"] as String?).flatMap(Timestamp.date)
        if last.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try simpul.database.rawWrite { db in
                try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [Timestamp.string(now), row["token_id"] as Int64])
            }
        }
        return Self.user(row).principal
    }
}

/// Random secrets and their hashes.
public enum SecureRandom {
    /// URL-safe random text from `bytes` random bytes.
    public static func token(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A password that is easy to read aloud: no look-alike characters.
    public static func password(length: Int = 16) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
