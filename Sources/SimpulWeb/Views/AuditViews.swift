import Foundation
import SimpulCore
import SimpulServices

enum AuditViews {
    /// One row of the log in words (`AuditWording`, as `simpul audit list` prints it); the codes stay
    /// as `actionID` and `actorID` for the page's classes and links.
    static func entry(_ entry: AuditEntry, clock: PageClock, detail: Bool) -> View {
        let language = clock.language
        var result = view(["seq": entry.seq, "at": clock.show(entry.at), "actor": AuditWording.actor(entry.actor)(language), "actorID": entry.actor,
                           "action": AuditWording.action(entry.action, objectType: entry.objectType)(language), "actionID": entry.action,
                           "object": AuditWording.object(type: entry.objectType, key: entry.objectKey)(language),
                           "objectType": entry.objectType, "objectKey": entry.objectKey, "reason": entry.reason])
        if detail {
            result["before"] = entry.before.map(pretty)
            result["after"] = entry.after.map(pretty)
            result["hash"] = String(entry.hash.prefix(12))
        }
        return result
    }

    /// Stored JSON indented for reading; shown as stored when it does not parse.
    static func pretty(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return json }
        return text
    }
}

enum UserViews {
    static func user(_ user: AccountService.User, me: String, clock: PageClock) -> View {
        view(["username": user.username, "fullName": user.fullName, "role": user.role.title(clock.language),
              "owner": user.agency, "disabled": user.disabled, "isSelf": user.username == me,
              "createdAt": clock.show(user.createdAt), "lastLoginAt": clock.show(user.lastLoginAt)])
    }

    static func token(_ token: AccountService.Token, clock: PageClock) -> View {
        view(["id": token.id, "name": token.name, "prefix": token.prefix, "createdAt": clock.show(token.createdAt),
              "lastUsedAt": clock.show(token.lastUsedAt), "revokedAt": clock.show(token.revokedAt),
              "active": token.revokedAt == nil])
    }
}
