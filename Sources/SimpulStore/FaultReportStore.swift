import Foundation
import GRDB
import SimpulCore

/// What the fault reports read (issue 13, "Reports"): the faults escalated to a provider in a
/// month with their ticket's close, the faults on its links for the outage minutes, the provider's
/// events as evidence, and the month's faults with who repaired them. Read-only; every query is
/// bounded by a provider and a period, and none is run per fault.
public enum FaultReportStore {
    /// A fault escalated to the provider, with what the report shows beside it.
    public struct Escalated: Sendable, Hashable, FetchableRecord {
        public var ticketID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var linkID: Int64?
        public var circuit: String?
        public var symptom: FaultSymptom
        public var cause: FaultCause?
        public var startedAt: Date
        public var escalatedAt: Date
        public var escalationLevel: Int?
        public var providerTicket: String?
        public var acknowledgedAt: Date?
        public var restoredAt: Date?
        public var closedAt: Date?
        public var status: TicketStatus

        public init(row: Row) throws {
            ticketID = row["ticket_id"]
            agencyCode = row["agency_code"]
            agencyName = row["agency_name"]
            linkID = row["link_id"]
            circuit = row["circuit"]
            symptom = try FaultStore.Stored.decode(FaultSymptom.self, row["symptom"])
            cause = try (row["cause"] as String?).map { try FaultStore.Stored.decode(FaultCause.self, $0) }
            startedAt = try FaultStore.time(row["started_at"])
            escalatedAt = try FaultStore.time(row["escalated_at"])
            escalationLevel = row["escalation_level"]
            providerTicket = row["provider_ticket"]
            acknowledgedAt = try (row["acknowledged_at"] as String?).map(FaultStore.time)
            restoredAt = try (row["restored_at"] as String?).map(FaultStore.time)
            closedAt = try (row["closed_at"] as String?).map(FaultStore.time)
            status = try FaultStore.Stored.decode(TicketStatus.self, row["status"])
        }
    }

    /// The faults first escalated to `providerID` in [`from`, `to`). `carryFrom` (before `from`)
    /// widens the window back for the faults a clock of which may still have been running when the
    /// month began: those not restored and not closed before `from`.
    public static func escalated(_ reader: Reader, providerID: Int64, from: Date, to: Date, carryFrom: Date) throws -> [Escalated] {
        try Escalated.fetchAll(reader.db, sql: """
            SELECT f.ticket_id, a.code AS agency_code, a.name AS agency_name, f.link_id, l.circuit, f.symptom, f.cause, f.started_at,
                   f.escalated_at, f.escalation_level, f.provider_ticket, f.acknowledged_at, f.restored_at, t.closed_at, t.status
            FROM faults f
            JOIN tickets t ON t.id = f.ticket_id
            JOIN agencies a ON a.id = f.agency_id
            LEFT JOIN links l ON l.id = f.link_id
            WHERE f.provider_id = ?1 AND f.escalated_at >= ?2 AND f.escalated_at < ?4
              AND (f.escalated_at >= ?3 OR ((f.restored_at IS NULL OR f.restored_at >= ?3) AND (t.closed_at IS NULL OR t.closed_at >= ?3)))
            ORDER BY f.escalated_at, f.ticket_id
            """, arguments: [providerID, Timestamp.string(min(carryFrom, from)), Timestamp.string(from), Timestamp.string(to)])
    }

    /// A fault's outage on one of the provider's links.
    public struct Outage: Sendable, Hashable {
        public var ticketID: Int64
        public var linkID: Int64
        public var startedAt: Date
        public var restoredAt: Date?
        public var closedAt: Date?
        /// Escalated to this provider.
        public var escalated: Bool
    }

    /// Every fault on the provider's links (or escalated to it) whose outage overlaps [`from`, `to`):
    /// started before `to`, and neither restored nor closed by `from`.
    public static func outages(_ reader: Reader, providerID: Int64, from: Date, to: Date) throws -> [Outage] {
        try Row.fetchAll(reader.db, sql: """
            SELECT f.ticket_id, f.link_id, f.started_at, f.restored_at, t.closed_at, f.provider_id = ?1 AS escalated
            FROM faults f
            JOIN tickets t ON t.id = f.ticket_id
            WHERE f.link_id IS NOT NULL
              AND (f.link_id IN (SELECT id FROM links WHERE provider_id = ?1) OR f.provider_id = ?1)
              AND f.started_at < ?3
              AND (f.restored_at IS NULL OR f.restored_at > ?2) AND (t.closed_at IS NULL OR t.closed_at > ?2)
            """, arguments: [providerID, Timestamp.string(from), Timestamp.string(to)]).map { row in
            Outage(ticketID: row["ticket_id"], linkID: row["link_id"], startedAt: try FaultStore.time(row["started_at"]),
                   restoredAt: try (row["restored_at"] as String?).map(FaultStore.time), closedAt: try (row["closed_at"] as String?).map(FaultStore.time),
                   escalated: row["escalated"] ?? false)
        }
    }

    /// A link of the provider's, as the report names it.
    public struct LinkName: Sendable, Hashable {
        public var id: Int64
        public var circuit: String
        public var agencyCode: String
        public var agencyName: String
    }

    /// The provider's links, and any other link a fault escalated to it is on (`extra`), by circuit.
    public static func links(_ reader: Reader, providerID: Int64, extra: [Int64] = []) throws -> [LinkName] {
        try Row.fetchAll(reader.db, sql: """
            SELECT l.id, l.circuit, a.code, a.name FROM links l JOIN agencies a ON a.id = l.agency_id
            WHERE l.provider_id = ? OR l.id IN (SELECT value FROM json_each(?)) ORDER BY l.circuit
            """, arguments: [providerID, jsonArray(extra)]).map { row in
            LinkName(id: row["id"], circuit: row["circuit"], agencyCode: row["code"], agencyName: row["name"])
        }
    }

    /// The provider's side of a fault as evidence: an escalation level sent, the acknowledgement, the
    /// restoration, who recorded it (and their full name, when they are a user).
    public struct Event: Sendable, Hashable {
        public var ticketID: Int64
        public var kind: ProviderEventKind
        public var level: Int?
        public var at: Date
        public var by: String
        public var byName: String?
        public var note: String?
        public var providerTicket: String?
    }

    /// The provider events of `ticketIDs`, each fault's in the order they happened: one query.
    public static func events(_ reader: Reader, ticketIDs: [Int64]) throws -> [Int64: [Event]] {
        guard !ticketIDs.isEmpty else { return [:] }
        let events = try Row.fetchAll(reader.db, sql: """
            SELECT e.ticket_id, e.kind, e.level, e.at, e.by, e.note, e.provider_ticket, u.full_name
            FROM provider_events e LEFT JOIN users u ON u.username = e.by
            WHERE e.ticket_id IN (SELECT value FROM json_each(?))
            ORDER BY e.ticket_id, e.at, e.id
            """, arguments: [jsonArray(ticketIDs)]).map { row in
            Event(ticketID: row["ticket_id"], kind: try FaultStore.Stored.decode(ProviderEventKind.self, row["kind"]), level: row["level"],
                  at: try FaultStore.time(row["at"]), by: row["by"], byName: row["full_name"], note: row["note"], providerTicket: row["provider_ticket"])
        }
        return Dictionary(grouping: events, by: \.ticketID)
    }

    /// The outbox's deliveries of `ticketIDs` (the escalation mails), each fault's oldest first: one
    /// query for the whole report, where `OutboxStore.list(ticketID:)` per breach took most of its time.
    public static func deliveries(_ reader: Reader, ticketIDs: [Int64]) throws -> [Int64: [Delivery]] {
        guard !ticketIDs.isEmpty else { return [:] }
        let rows = try Delivery.fetchAll(reader.db, sql: """
            SELECT * FROM outbox WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, id
            """, arguments: [jsonArray(ticketIDs)])
        return Dictionary(grouping: rows, by: { $0.ticketID ?? 0 })
    }

    /// How many faults were first escalated to each provider (by code) in [`from`, `to`).
    public static func escalationCounts(_ reader: Reader, from: Date, to: Date) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(reader.db, sql: """
            SELECT p.code, count(*) AS n FROM faults f JOIN providers p ON p.id = f.provider_id
            WHERE f.escalated_at >= ? AND f.escalated_at < ? GROUP BY p.code
            """, arguments: [Timestamp.string(from), Timestamp.string(to)]) {
            counts[row["code"]] = row["n"]
        }
        return counts
    }

    // MARK: Per agency and per technician

    /// A fault reported in the month, with when it was repaired and by whom.
    public struct MonthFault: Sendable, Hashable {
        public var ticketID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var startedAt: Date
        public var restoredAt: Date?
        /// When its ticket first reached the result step (`report_result`): the office's own fix, or after the provider's.
        public var resultAt: Date?
        public var cause: FaultCause?
        public var status: TicketStatus
        /// Who completed its repair step last (the technician's outcome), else who it is assigned to now.
        public var technician: String?
        public var technicianName: String?
    }

    /// The faults reported in [`from`, `to`).
    public static func monthFaults(_ reader: Reader, from: Date, to: Date) throws -> [MonthFault] {
        try Row.fetchAll(reader.db, sql: """
            WITH m AS (
                SELECT f.ticket_id, f.agency_id, f.started_at, f.reported_at, f.restored_at, f.cause, t.status,
                       ifnull((SELECT s.completed_by FROM ticket_steps s WHERE s.ticket_id = f.ticket_id AND s.step_id = 'repair' AND s.outcome = 'completed'
                               ORDER BY s.visit DESC LIMIT 1), t.assignee) AS technician,
                       (SELECT min(s.entered_at) FROM ticket_steps s WHERE s.ticket_id = f.ticket_id AND s.step_id = 'report_result') AS result_at
                FROM faults f JOIN tickets t ON t.id = f.ticket_id
                WHERE f.reported_at >= ? AND f.reported_at < ?)
            SELECT m.*, a.code, a.name, u.full_name
            FROM m JOIN agencies a ON a.id = m.agency_id LEFT JOIN users u ON u.username = m.technician
            ORDER BY m.reported_at, m.ticket_id
            """, arguments: [Timestamp.string(from), Timestamp.string(to)]).map { row in
            MonthFault(ticketID: row["ticket_id"], agencyCode: row["code"], agencyName: row["name"], startedAt: try FaultStore.time(row["started_at"]),
                       restoredAt: try (row["restored_at"] as String?).map(FaultStore.time),
                       resultAt: try (row["result_at"] as String?).map(FaultStore.time),
                       cause: try (row["cause"] as String?).map { try FaultStore.Stored.decode(FaultCause.self, $0) },
                       status: try FaultStore.Stored.decode(TicketStatus.self, row["status"]),
                       technician: row["technician"], technicianName: row["full_name"])
        }
    }

    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
