import Foundation
import GRDB
import SimpulCore

/// The LAN module's rows (issue 15): installation requests, each agency's network inventory (the
/// control book), the technicians' work logs and the upkeep visits with their checklists. Letters
/// are `LetterStore`'s.
public enum LANStore {
    // MARK: Requests

    public struct NewRequest: Sendable {
        public var ticketID: Int64
        public var agencyID: Int64
        /// The incoming letter: all four are there, unless the request follows up an upkeep visit.
        public var letterNumber: String?
        public var letterDate: String?
        public var letterSignedBy: String?
        public var dispositionFrom: String?
        /// The upkeep visit (its ticket) whose failed checklist item this request follows up.
        public var followUpOf: Int64?
        public var building: String
        public var floor: String?
        public var rooms: String?
        public var points: Int
        public var wifi: Bool
        public var switches: Int
        public var asked: String
        public var contactName: String
        public var contactPhone: String?
        public var inventoryRows: Int

        public init(ticketID: Int64, agencyID: Int64, letterNumber: String?, letterDate: String?, letterSignedBy: String?, dispositionFrom: String?,
                    followUpOf: Int64? = nil, building: String, floor: String?, rooms: String?, points: Int, wifi: Bool, switches: Int, asked: String, contactName: String,
                    contactPhone: String?, inventoryRows: Int) {
            self.ticketID = ticketID
            self.agencyID = agencyID
            self.letterNumber = letterNumber
            self.letterDate = letterDate
            self.letterSignedBy = letterSignedBy
            self.dispositionFrom = dispositionFrom
            self.followUpOf = followUpOf
            self.building = building
            self.floor = floor
            self.rooms = rooms
            self.points = points
            self.wifi = wifi
            self.switches = switches
            self.asked = asked
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.inventoryRows = inventoryRows
        }
    }

    public static func insert(_ tx: Transaction, _ r: NewRequest) throws {
        try tx.db.execute(sql: """
            INSERT INTO lan_requests (ticket_id, agency_id, letter_number, letter_date, letter_signed_by, disposition_from, follow_up_of, building, floor,
              rooms, points, wifi, switches, asked, contact_name, contact_phone, inventory_rows, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.ticketID, r.agencyID, r.letterNumber, r.letterDate, r.letterSignedBy, r.dispositionFrom, r.followUpOf, r.building, r.floor, r.rooms,
                             r.points, r.wifi ? 1 : 0, r.switches, r.asked, r.contactName, r.contactPhone, r.inventoryRows,
                             Timestamp.string(tx.now), Timestamp.string(tx.now)])
    }

    /// A request as stored, with its agency and its ticket's standing.
    public struct RequestRow: Sendable, Hashable {
        public var ticketID: Int64
        public var agencyID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var agencyAddress: String?
        public var letterNumber: String?
        public var letterDate: String?
        public var letterSignedBy: String?
        public var dispositionFrom: String?
        public var followUpOf: Int64?
        public var building: String
        public var floor: String?
        public var rooms: String?
        public var points: Int
        public var wifi: Bool
        public var switches: Int
        public var asked: String
        public var contactName: String
        public var contactPhone: String?
        public var inventoryRows: Int
        public var createdAt: String
        public var status: String
        public var step: String?
        public var visit: Int?
        public var subject: String
    }

    static let requestSelect = """
        SELECT r.*, a.code AS agency_code, a.name AS agency_name, a.address AS agency_address, t.status, t.current_step, t.current_visit, t.subject
        FROM lan_requests r JOIN agencies a ON a.id = r.agency_id JOIN tickets t ON t.id = r.ticket_id
        """

    static func request(_ row: Row) -> RequestRow {
        RequestRow(ticketID: row["ticket_id"], agencyID: row["agency_id"], agencyCode: row["agency_code"], agencyName: row["agency_name"],
                   agencyAddress: row["agency_address"], letterNumber: row["letter_number"], letterDate: row["letter_date"],
                   letterSignedBy: row["letter_signed_by"], dispositionFrom: row["disposition_from"], followUpOf: row["follow_up_of"], building: row["building"], floor: row["floor"],
                   rooms: row["rooms"], points: row["points"], wifi: (row["wifi"] as Int) == 1, switches: row["switches"], asked: row["asked"],
                   contactName: row["contact_name"], contactPhone: row["contact_phone"], inventoryRows: row["inventory_rows"],
                   createdAt: row["created_at"], status: row["status"], step: row["current_step"], visit: row["current_visit"], subject: row["subject"])
    }

    public static func request(_ reader: Reader, ticketID: Int64) throws -> RequestRow? {
        try Row.fetchOne(reader.db, sql: requestSelect + " WHERE r.ticket_id = ?", arguments: [ticketID]).map(request)
    }

    /// Records the incoming letter of a follow-up request (received once: a letter already there stays).
    public static func setLetter(_ tx: Transaction, ticketID: Int64, number: String, date: String, signedBy: String, disposition: String) throws {
        try tx.db.execute(sql: """
            UPDATE lan_requests SET letter_number = ?, letter_date = ?, letter_signed_by = ?, disposition_from = ?, updated_at = ?
            WHERE ticket_id = ? AND letter_number IS NULL
            """, arguments: [number, date, signedBy, disposition, Timestamp.string(tx.now), ticketID])
    }

    /// The request that follows up the upkeep visit `visitTicket`, if one was opened.
    public static func followUp(_ reader: Reader, of visitTicket: Int64) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT ticket_id FROM lan_requests WHERE follow_up_of = ?", arguments: [visitTicket])
    }

    /// Requests, newest first; only `agency`'s when given; at most `limit`.
    public static func requests(_ reader: Reader, agency: String? = nil, limit: Int = 500) throws -> [RequestRow] {
        try Row.fetchAll(reader.db, sql: requestSelect + " WHERE ?1 IS NULL OR a.code = ?1 ORDER BY r.ticket_id DESC LIMIT ?2",
                         arguments: [agency, limit]).map(request)
    }

    // MARK: The agency's network inventory

    public struct InventoryRow: Sendable, Hashable, Codable {
        public var id: Int64
        public var item: LANInventoryItem
        public var source: String
        public var ticketID: Int64?
        public var createdAt: String
        public var createdBy: String
    }

    /// The agency's declared inventory becomes `items` (a request's upload replaces what it declared
    /// before; what installations and visits added stays).
    public static func replaceDeclared(_ tx: Transaction, agencyID: Int64, items: [LANInventoryItem], ticketID: Int64?) throws {
        try tx.db.execute(sql: "DELETE FROM lan_inventory WHERE agency_id = ? AND source = 'declared'", arguments: [agencyID])
        try add(tx, agencyID: agencyID, items: items, source: "declared", ticketID: ticketID)
    }

    public static func add(_ tx: Transaction, agencyID: Int64, items: [LANInventoryItem], source: String, ticketID: Int64?) throws {
        let statement = try tx.db.cachedStatement(sql: """
            INSERT INTO lan_inventory (agency_id, kind, brand, model, serial, quantity, location, condition, notes, source, ticket_id, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in items {
            try statement.execute(arguments: [agencyID, item.kind.rawValue, item.brand, item.model, item.serial, item.quantity, item.location,
                                              item.condition.rawValue, item.notes, source, ticketID, Timestamp.string(tx.now), tx.actor])
        }
    }

    public static func inventory(_ reader: Reader, agencyID: Int64) throws -> [InventoryRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM lan_inventory WHERE agency_id = ? ORDER BY kind, location, id", arguments: [agencyID]).compactMap { row in
            guard let kind = LANItemKind(rawValue: row["kind"]), let condition = LANItemCondition(rawValue: row["condition"]) else { return nil }
            return InventoryRow(id: row["id"], item: LANInventoryItem(kind: kind, brand: row["brand"], model: row["model"], serial: row["serial"],
                                                                      quantity: row["quantity"], location: row["location"], condition: condition,
                                                                      notes: row["notes"]),
                                source: row["source"], ticketID: row["ticket_id"], createdAt: row["created_at"], createdBy: row["created_by"])
        }
    }

    // MARK: Work logs

    public struct Work: Sendable, Hashable, Codable {
        public var at: String
        public var by: String
        public var pointsInstalled: Int
        public var pointsPassed: Int
        public var cableMetres: Int
        public var connectors: Int
        public var switches: Int
        public var accessPoints: Int
        public var results: String?
        public var note: String?

        public init(at: String, by: String, pointsInstalled: Int, pointsPassed: Int, cableMetres: Int, connectors: Int, switches: Int,
                    accessPoints: Int, results: String?, note: String?) {
            self.at = at
            self.by = by
            self.pointsInstalled = pointsInstalled
            self.pointsPassed = pointsPassed
            self.cableMetres = cableMetres
            self.connectors = connectors
            self.switches = switches
            self.accessPoints = accessPoints
            self.results = results
            self.note = note
        }
    }

    public static func insertWork(_ tx: Transaction, ticketID: Int64, _ w: Work) throws {
        try tx.db.execute(sql: """
            INSERT INTO lan_work (ticket_id, at, by, points_installed, points_passed, cable_metres, connectors, switches, access_points, results, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [ticketID, w.at, w.by, w.pointsInstalled, w.pointsPassed, w.cableMetres, w.connectors, w.switches, w.accessPoints,
                             w.results, w.note])
    }

    public static func work(_ reader: Reader, ticketID: Int64) throws -> [Work] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM lan_work WHERE ticket_id = ? ORDER BY id", arguments: [ticketID]).map { row in
            Work(at: row["at"], by: row["by"], pointsInstalled: row["points_installed"], pointsPassed: row["points_passed"],
                 cableMetres: row["cable_metres"], connectors: row["connectors"], switches: row["switches"], accessPoints: row["access_points"],
                 results: row["results"], note: row["note"])
        }
    }

    /// The agency's LAN tickets (installations and upkeep visits), newest first: its history.
    public struct HistoryRow: Sendable, Hashable {
        public var ticketID: Int64
        public var playbook: String
        public var subject: String
        public var status: String
        public var openedAt: String
        public var closedAt: String?
    }

    public static func history(_ reader: Reader, agencyID: Int64, limit: Int = 200) throws -> [HistoryRow] {
        try Row.fetchAll(reader.db, sql: """
            SELECT id, playbook_id, subject, status, opened_at, closed_at FROM tickets
            WHERE agency_id = ? AND playbook_id IN ('lan-installation', 'lan-upkeep', 'fault-dispatch') ORDER BY id DESC LIMIT ?
            """, arguments: [agencyID, limit]).map { row in
            HistoryRow(ticketID: row["id"], playbook: row["playbook_id"], subject: row["subject"], status: row["status"], openedAt: row["opened_at"],
                       closedAt: row["closed_at"])
        }
    }
}
