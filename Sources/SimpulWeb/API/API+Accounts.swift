import SimpulCore
import SimpulServices

/// Accounts and the audit log.
extension API {
    /// `/me`, `/users`: an account, without anything secret.
    struct User: Encodable, Sendable {
        var id: Int64
        var username: String
        var fullName: String
        var role: String
        var agency: String?
        var disabled: Bool
        var language: String
        var createdAt: String
        var lastLoginAt: String?

        init(_ user: AccountService.User) {
            id = user.id
            username = user.username
            fullName = user.fullName
            role = user.role.rawValue
            agency = user.agency
            disabled = user.disabled
            language = user.language.rawValue
            createdAt = user.createdAt
            lastLoginAt = user.lastLoginAt
        }
    }

    /// One row of the audit log, with its place in the hash chain.
    struct AuditEntry: Encodable, Sendable {
        var seq: Int64
        var at: String
        var actor: String
        var action: String
        var objectType: String
        var objectKey: String
        var before: String?
        var after: String?
        var reason: String?
        var prevHash: String
        var hash: String

        init(_ entry: SimpulCore.AuditEntry) {
            seq = entry.seq
            at = entry.at
            actor = entry.actor
            action = entry.action
            objectType = entry.objectType
            objectKey = entry.objectKey
            before = entry.before
            after = entry.after
            reason = entry.reason
            prevHash = entry.prevHash
            hash = entry.hash
        }
    }

    /// `/audit`: a page of the log, newest first.
    struct AuditPage: Encodable, Sendable {
        var entries: [AuditEntry]
        var total: Int
        var limit: Int
        var offset: Int
    }
}
