import Crypto
import Foundation
import HummingbirdBcrypt
import SimpulCore
import SimpulStore

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

    /// The audit form of a user: never the password hash.
    struct AuditedUser: Encodable {
        var username: String, fullName: String, role: String, agency: String?, disabled: Bool
        init(_ u: User) { username = u.username; fullName = u.fullName; role = u.role.rawValue; agency = u.agency; disabled = u.disabled }
    }

    public func list(by principal: Principal) throws -> [User] {
        try principal.require(.manageUsers)
        return try simpul.database.read { try AccountStore.users($0).map(User.init) }
    }

    public func user(_ username: String, by principal: Principal) throws -> User {
        if principal.username != username { try principal.require(.manageUsers) }
        return try simpul.database.read { try fetchUser($0, username) }
    }

    func fetchUser(_ reader: Reader, _ username: String) throws -> User {
        guard let stored = try AccountStore.user(reader, username: username) else {
            throw ServiceError(.notFound, Text(id: "pengguna \"\(username)\" tidak ada", en: "user \"\(username)\" does not exist"))
        }
        return User(stored)
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
        let exists = ServiceError(.conflict, Text(id: "pengguna \"\(username)\" sudah ada", en: "user \"\(username)\" already exists"))
        return try simpul.database.write(as: principal.username, at: now) { tx in
            if try AccountStore.usernameTaken(tx, username) { throw exists }
            var agencyID: Int64?
            if let agency {
                guard let id = try InventoryStore.agencyID(tx, code: agency.uppercased()) else {
                    throw ServiceError(.invalid, Text(id: "instansi \"\(agency)\" tidak ada", en: "agency \"\(agency)\" does not exist"))
                }
                agencyID = id
            }
            let user: User
            do {
                user = User(try AccountStore.insertUser(tx, username: username, fullName: fullName, role: role, agencyID: agencyID, passwordHash: hash))
            } catch is StoreConflict {
                throw exists
            }
            try tx.audit("create", "user", username, after: AuditedUser(user))
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
        try simpul.database.write(as: principal.username, at: now) { tx in
            let user = try fetchUser(tx, username)
            try AccountStore.setPasswordHash(tx, userID: user.id, hash)
            try SessionStore.deleteAll(tx, userID: user.id)
            let revoked = try AccountStore.revokeTokens(tx, userID: user.id)
            try tx.audit("password", "user", username, after: ["tokens_revoked": String(revoked)])
        }
    }

    /// Disables or re-enables a user. Disabling ends their sessions and stops their tokens.
    public func setDisabled(_ disabled: Bool, username: String, by principal: Principal) throws {
        try principal.require(.manageUsers)
        if disabled && principal.username == username {
            throw ServiceError(.invalid, Text(id: "Anda tidak dapat menonaktifkan akun Anda sendiri", en: "you cannot disable your own account"))
        }
        let now = simpul.now()
        try simpul.database.write(as: principal.username, at: now) { tx in
            let before = try fetchUser(tx, username)
            guard before.disabled != disabled else { return }
            if disabled && before.role == .admin {
                if try AccountStore.activeAdminCount(tx) <= 1 {
                    throw ServiceError(.invalid, Text(id: "ini administrator aktif terakhir; tambahkan administrator lain dulu",
                                                      en: "this is the last active administrator; add another one first"))
                }
            }
            try AccountStore.setDisabled(tx, userID: before.id, disabled)
            if disabled { try SessionStore.deleteAll(tx, userID: before.id) }
            var after = before
            after.disabled = disabled
            try tx.audit(disabled ? "disable" : "enable", "user", username, before: AuditedUser(before), after: AuditedUser(after))
        }
    }

    /// Stores the user's language choice.
    public func setLanguage(_ language: Language, userID: Int64) throws {
        try simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
            try AccountStore.setLanguage(tx, userID: userID, language)
        }
    }

    // MARK: Sign-in

    /// Checks a username and password. After `maxLoginFailures` failures for the username or
    /// from the client address within the window, refuses even correct passwords until it passes.
    public func authenticate(username: String, password: String, remote: String) throws -> User {
        let username = username.lowercased().trimmingCharacters(in: .whitespaces)
        let now = simpul.now()
        let since = now.addingTimeInterval(-simpul.settings.throttleWindow)
        // Count and claim in one write transaction: the attempt is written as a failure before the
        // password is checked and taken back only when it was right, so parallel attempts cannot all
        // pass the count before any of them is recorded.
        let maxFailures = simpul.settings.maxLoginFailures, window = simpul.settings.throttleWindow
        let attempt: Int64 = try simpul.database.write(as: username, at: now) { tx in
            if try AccountStore.recentFailures(tx, username: username, remote: remote, since: since) >= maxFailures {
                let minutes = Int(window / 60)
                throw ServiceError(.throttled, Text(id: "terlalu banyak percobaan masuk yang gagal; coba lagi dalam \(minutes) menit",
                                                    en: "too many failed sign-in attempts; try again in \(minutes) minutes"))
            }
            return try AccountStore.recordFailure(tx, username: username, remote: remote)
        }
        let found = try simpul.database.read { try AccountStore.credentials($0, username: username) }
        // Verify against a dummy hash when the user does not exist, so timing does not tell.
        let hash = found?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5x1Xbw4ZKhQzeQh1mjE3cCZ2LuZ4pGm"
        let ok = Bcrypt.verify(password, hash: hash)
        guard ok, let found, !found.user.disabled else {
            // The attempt written above stays as the failure.
            throw ServiceError(.unauthorized, Text(id: "nama pengguna atau kata sandi salah", en: "wrong username or password"))
        }
        let user = User(found.user)
        try simpul.database.write(as: username, at: now) { tx in
            try AccountStore.recordLogin(tx, userID: user.id)
            try AccountStore.clearFailures(tx, username: username, attempt: attempt)
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
        return try simpul.database.write(as: principal.username, at: now) { tx in
            let user = try fetchUser(tx, username)
            if user.disabled {
                throw ServiceError(.invalid, Text(id: "pengguna \"\(username)\" nonaktif: tokennya tidak akan pernah berlaku; aktifkan dulu (simpul user enable)",
                                                  en: "user \"\(username)\" is disabled: a token for them could never work; enable them first (simpul user enable)"))
            }
            let id = try AccountStore.insertToken(tx, userID: user.id, name: name, prefix: String(secret.prefix(10)), hash: SecureRandom.sha256(secret))
            try tx.audit("create", "api_token", "\(id)", after: ["user": username, "name": name])
            return (Token(id: id, username: username, name: name, prefix: String(secret.prefix(10)), createdAt: Timestamp.string(now)), secret)
        }
    }

    /// Tokens the principal may see: everyone's for an admin, unless `ownOnly` (the account page).
    public func tokens(by principal: Principal, ownOnly: Bool = false) throws -> [Token] {
        let all = principal.can(.manageUsers) && !ownOnly
        return try simpul.database.read { try AccountStore.tokens($0, all: all, username: principal.username).map(Token.init) }
    }

    public func revokeToken(id: Int64, by principal: Principal) throws {
        let now = simpul.now()
        try simpul.database.write(as: principal.username, at: now) { tx in
            guard let owner = try AccountStore.tokenOwner(tx, id: id) else {
                throw ServiceError(.notFound, Text(id: "token #\(id) tidak ada", en: "token #\(id) does not exist"))
            }
            if owner != principal.username { try principal.require(.manageUsers) }
            try AccountStore.revokeToken(tx, id: id)
            try tx.audit("revoke", "api_token", "\(id)")
        }
    }

    /// The principal behind a bearer token, or nil when it is unknown, revoked or its user disabled.
    public func principal(forToken secret: String) throws -> Principal? {
        let hash = SecureRandom.sha256(secret)
        let now = simpul.now()
        guard let found = try simpul.database.read({ try AccountStore.tokenUser($0, hash: hash) }) else { return nil }
        // Record use at most once a minute, so reads stay reads.
        if found.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try simpul.database.write(as: found.user.username, at: now) { tx in try AccountStore.touchToken(tx, id: found.tokenID) }
        }
        return User(found.user).principal
    }
}

extension AccountService.User {
    init(_ stored: AccountStore.User) {
        self.init(id: stored.id, username: stored.username, fullName: stored.fullName, role: stored.role, agency: stored.agencyCode,
                  disabled: stored.disabled, language: stored.language, createdAt: stored.createdAt, lastLoginAt: stored.lastLoginAt)
    }
}

extension AccountService.Token {
    init(_ stored: AccountStore.Token) {
        self.init(id: stored.id, username: stored.username, name: stored.name, prefix: stored.tokenPrefix, createdAt: stored.createdAt,
                  lastUsedAt: stored.lastUsedAt, revokedAt: stored.revokedAt)
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
