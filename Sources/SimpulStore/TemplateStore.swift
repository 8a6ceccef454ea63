import Foundation
import GRDB
import SimpulCore

/// The office's own text of a message template (`message_templates`); the shipped text is used
/// while there is none.
public enum TemplateStore {
    public struct Saved: Sendable, Hashable {
        public var subject: String
        public var body: String
        public var updatedAt: String
        public var updatedBy: String
    }

    public static func saved(_ reader: Reader, name: String) throws -> Saved? {
        try Row.fetchOne(reader.db, sql: "SELECT * FROM message_templates WHERE name = ?", arguments: [name]).map {
            Saved(subject: $0["subject"], body: $0["body"], updatedAt: $0["updated_at"], updatedBy: $0["updated_by"])
        }
    }

    public static func save(_ tx: Transaction, name: String, subject: String, body: String) throws {
        try tx.db.execute(sql: """
            INSERT INTO message_templates (name, subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, arguments: [name, subject, body, Timestamp.string(tx.now), tx.actor])
    }

    public static func remove(_ tx: Transaction, name: String) throws {
        try tx.db.execute(sql: "DELETE FROM message_templates WHERE name = ?", arguments: [name])
    }
}
