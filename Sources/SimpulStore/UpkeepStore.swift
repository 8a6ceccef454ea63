import Foundation
import GRDB
import SimpulCore

/// Upkeep visits (issue 15): planned per agency and year, opened as `lan-upkeep` tickets ahead of
/// their date, done when the ticket closes; and each visit's checklist results.
public enum UpkeepStore {
    public struct VisitRow: Sendable, Hashable {
        public var id: Int64
        public var agencyID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var year: Int
        public var index: Int
        public var due: String
        public var opensAt: String
        public var ticketID: Int64?
        public var technician: String?
        public var doneAt: String?
        public var ticketStatus: String?
    }

    static let select = """
        SELECT v.*, a.code AS agency_code, a.name AS agency_name, t.status AS ticket_status
        FROM upkeep_visits v JOIN agencies a ON a.id = v.agency_id LEFT JOIN tickets t ON t.id = v.ticket_id
        """

    static func visit(_ row: Row) -> VisitRow {
        VisitRow(id: row["id"], agencyID: row["agency_id"], agencyCode: row["agency_code"], agencyName: row["agency_name"], year: row["year"],
                 index: row["idx"], due: row["due"], opensAt: row["opens_at"], ticketID: row["ticket_id"], technician: row["technician"],
                 doneAt: row["done_at"], ticketStatus: row["ticket_status"])
    }

    /// Every visit of the years in `years` (all years when nil), by agency then date.
    public static func visits(_ reader: Reader, years: ClosedRange<Int>? = nil, agencyID: Int64? = nil) throws -> [VisitRow] {
        try Row.fetchAll(reader.db, sql: select + """
             WHERE (?1 IS NULL OR v.year BETWEEN ?1 AND ?2) AND (?3 IS NULL OR v.agency_id = ?3) ORDER BY a.code, v.year, v.idx
            """, arguments: [years?.lowerBound, years?.upperBound, agencyID]).map(visit)
    }

    public static func visit(_ reader: Reader, ticketID: Int64) throws -> VisitRow? {
        try Row.fetchOne(reader.db, sql: select + " WHERE v.ticket_id = ?", arguments: [ticketID]).map(visit)
    }

    /// Adds a planned visit; false when the agency already has that year's visit `index`.
    @discardableResult
    public static func plan(_ tx: Transaction, agencyID: Int64, year: Int, index: Int, due: String, opensAt: String, technician: String? = nil) throws -> Bool {
        try tx.db.execute(sql: """
            INSERT INTO upkeep_visits (agency_id, year, idx, due, opens_at, technician, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (agency_id, year, idx) DO NOTHING
            """, arguments: [agencyID, year, index, due, opensAt, technician, Timestamp.string(tx.now)])
        return tx.db.changesCount > 0
    }

    /// The technician planned for a visit not yet opened (a new plan's assignment).
    public static func assign(_ tx: Transaction, agencyID: Int64, year: Int, index: Int, technician: String) throws {
        try tx.db.execute(sql: "UPDATE upkeep_visits SET technician = ? WHERE agency_id = ? AND year = ? AND idx = ? AND ticket_id IS NULL",
                          arguments: [technician, agencyID, year, index])
    }

    /// Visits whose opening time has come and that have no ticket yet, oldest first, at most `limit`.
    public static func dueToOpen(_ reader: Reader, now: String, limit: Int) throws -> [VisitRow] {
        try Row.fetchAll(reader.db, sql: select + """
             WHERE (v.ticket_id IS NULL OR t.status = 'cancelled') AND v.done_at IS NULL AND v.opens_at <= ? ORDER BY v.due, a.code LIMIT ?
            """,
                         arguments: [now, limit]).map(visit)
    }

    /// The visit's ticket; `technician` only where none was planned.
    public static func attach(_ tx: Transaction, visitID: Int64, ticketID: Int64, technician: String?) throws {
        try tx.db.execute(sql: "UPDATE upkeep_visits SET ticket_id = ?, technician = coalesce(technician, ?) WHERE id = ?",
                          arguments: [ticketID, technician, visitID])
    }

    public static func markDone(_ tx: Transaction, ticketID: Int64) throws {
        try tx.db.execute(sql: "UPDATE upkeep_visits SET done_at = ? WHERE ticket_id = ? AND done_at IS NULL",
                          arguments: [Timestamp.string(tx.now), ticketID])
    }


    // MARK: The checklist

    public struct CheckRow: Sendable, Hashable, Codable {
        public var item: String
        public var passed: Bool
        public var note: String?
        public var followUpTicket: Int64?
        public var at: String
        public var by: String
    }

    public static func check(_ tx: Transaction, ticketID: Int64, item: String, passed: Bool, note: String?, followUp: Int64?) throws {
        try tx.db.execute(sql: """
            INSERT INTO upkeep_checks (ticket_id, item, passed, note, follow_up_ticket, at, by) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (ticket_id, item) DO UPDATE SET passed = excluded.passed, note = excluded.note,
              follow_up_ticket = COALESCE(excluded.follow_up_ticket, upkeep_checks.follow_up_ticket), at = excluded.at, by = excluded.by
            """, arguments: [ticketID, item, passed ? 1 : 0, note, followUp, Timestamp.string(tx.now), tx.actor])
    }

    public static func checks(_ reader: Reader, ticketID: Int64) throws -> [CheckRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM upkeep_checks WHERE ticket_id = ? ORDER BY rowid", arguments: [ticketID]).map { row in
            CheckRow(item: row["item"], passed: (row["passed"] as Int) == 1, note: row["note"], followUpTicket: row["follow_up_ticket"],
                     at: row["at"], by: row["by"])
        }
    }

    /// The agencies and when each joined the inventory: who the planner plans for.
    public static func agencies(_ reader: Reader) throws -> [(id: Int64, code: String, name: String, since: String, area: String?)] {
        try Row.fetchAll(reader.db, sql: "SELECT id, code, name, created_at, area FROM agencies ORDER BY code").map { row in
            (row["id"], row["code"], row["name"], row["created_at"], row["area"])
        }
    }
}
