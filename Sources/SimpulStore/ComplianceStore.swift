import Foundation
import GRDB
import SimpulCore

/// What the compliance report counts: the step visits completed in a period and the tickets
/// opened and closed in it.
public enum ComplianceStore {
    /// One completed step visit, with its agency and the full name of who completed it.
    public struct Visit: Sendable, Decodable, FetchableRecord {
        public var stepId: String
        public var elapsedSeconds: Double?
        public var standardSeconds: Double?
        public var completedBy: String?
        public var completedRole: String?
        public var onBehalf: Bool
        public var agencyCode: String?
        public var agencyName: String?
        public var fullName: String?

        public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy
    }

    /// The visits of `playbookID`'s steps completed in [`from`, `to`).
    public static func completedVisits(_ reader: Reader, playbookID: String, from: Date, to: Date) throws -> [Visit] {
        try Visit.fetchAll(reader.db, sql: """
            SELECT s.step_id, s.elapsed_seconds, s.standard_seconds, s.completed_by, s.completed_role, s.on_behalf,
                   a.code AS agency_code, a.name AS agency_name, u.full_name
            FROM ticket_steps s
            LEFT JOIN agencies a ON a.id = s.agency_id
            LEFT JOIN users u ON u.username = s.completed_by
            WHERE s.playbook_id = ? AND s.outcome = 'completed' AND s.ended_at >= ? AND s.ended_at < ?
            """, arguments: [playbookID, StoredTime(from), StoredTime(to)])
    }

    public struct TicketCounts: Sendable {
        public var opened: Int
        public var done: Int
        public var cancelled: Int
    }

    /// `playbookID`'s tickets opened in [`from`, `to`), and those closed in it done or cancelled.
    public static func ticketCounts(_ reader: Reader, playbookID: String, from: Date, to: Date) throws -> TicketCounts {
        let db = reader.db
        let arguments: StatementArguments = [playbookID, StoredTime(from), StoredTime(to)]
        let opened = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE playbook_id = ? AND opened_at >= ? AND opened_at < ?",
                                      arguments: arguments) ?? 0
        let done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE playbook_id = ? AND status = 'done' AND closed_at >= ? AND closed_at < ?",
                                    arguments: arguments) ?? 0
        let cancelled = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE playbook_id = ? AND status = 'cancelled' AND closed_at >= ? AND closed_at < ?",
                                         arguments: arguments) ?? 0
        return TicketCounts(opened: opened, done: done, cancelled: cancelled)
    }
}
