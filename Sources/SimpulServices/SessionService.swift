import Foundation
import SimpulCore
import SimpulStore

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
        try simpul.database.write(as: user.username, at: simpul.now()) { tx in
            try SessionStore.insert(tx, tokenHash: SecureRandom.sha256(token), userID: user.id, csrfToken: csrf, language: user.language,
                                    lifetime: simpul.settings.sessionLifetime)
        }
        return (token, Session(principal: user.principal, fullName: user.fullName, csrfToken: csrf, language: user.language))
    }

    /// The live session for a cookie token, or nil when unknown, expired or the user is disabled.
    public func session(token: String) throws -> Session? {
        let now = simpul.now()
        guard let live = try simpul.database.read({ try SessionStore.live($0, tokenHash: SecureRandom.sha256(token), now: now) }) else {
            return nil
        }
        let user = AccountService.User(live.user)
        return Session(principal: user.principal, fullName: user.fullName, csrfToken: live.csrfToken, language: live.language)
    }

    public func setLanguage(_ language: Language, token: String) throws {
        try simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
            try SessionStore.setLanguage(tx, tokenHash: SecureRandom.sha256(token), language)
        }
    }

    public func destroy(token: String) throws {
        try simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
            try SessionStore.delete(tx, tokenHash: SecureRandom.sha256(token))
        }
    }
}
