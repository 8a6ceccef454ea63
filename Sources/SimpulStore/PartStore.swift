import Foundation
import GRDB
import SimpulCore

/// Spare parts in stock (`parts`) and every change of their stock (`part_movements`). Stock is only
/// taken by `take`, which checks what is there in the same statement that takes it. Every function
/// runs in the caller's `Reader` or `Transaction`.
public enum PartStore {
    /// One row of `parts`.
    struct Record: FetchableRecord {
        enum Columns {
            static let id = Column("id"), code = Column("code"), name = Column("name"), unit = Column("unit")
            static let quantity = Column("quantity"), minimum = Column("minimum"), location = Column("location")
            static let createdAt = Column("created_at"), updatedAt = Column("updated_at")
        }

        var part: Part

        init(row: Row) throws {
            part = Part(id: row[Columns.id], code: row[Columns.code], name: row[Columns.name], unit: row[Columns.unit],
                        quantity: row[Columns.quantity], minimum: row[Columns.minimum], location: row[Columns.location],
                        createdAt: try PartStore.time(row[Columns.createdAt]), updatedAt: try PartStore.time(row[Columns.updatedAt]))
        }
    }

    /// One row of `part_movements` with its part's code, name and unit and its ticket's subject.
    struct MovementRecord: FetchableRecord {
        enum Columns {
            static let id = Column("id"), code = Column("code"), name = Column("name"), unit = Column("unit"), delta = Column("delta")
            static let kind = Column("kind"), ticketID = Column("ticket_id"), subject = Column("subject"), logID = Column("log_id")
            static let note = Column("note"), at = Column("at"), by = Column("by")
        }

        var movement: PartMovement

        init(row: Row) throws {
            let kindText: String = row[Columns.kind]
            guard let kind = PartMovementKind(rawValue: kindText) else { throw StoreConflict(message: "unknown movement kind \(kindText)") }
            movement = PartMovement(id: row[Columns.id], partCode: row[Columns.code], partName: row[Columns.name], unit: row[Columns.unit],
                                    delta: row[Columns.delta], kind: kind, ticketID: row[Columns.ticketID], ticketSubject: row[Columns.subject],
                                    logID: row[Columns.logID], note: row[Columns.note], at: try PartStore.time(row[Columns.at]), by: row[Columns.by])
        }
    }

    /// A stored timestamp; a malformed one is a damaged row.
    static func time(_ text: String) throws -> Date {
        guard let date = Timestamp.date(text) else { throw StoreConflict(message: "malformed time \(text)") }
        return date
    }

    // MARK: Reading

    /// Parts below their minimum first (the furthest below first), then by name; only those below
    /// their minimum when `lowOnly`.
    public static func list(_ reader: Reader, lowOnly: Bool) throws -> [Part] {
        try Record.fetchAll(reader.db, sql: """
            SELECT * FROM parts WHERE (?1 = 0 OR quantity < minimum)
            ORDER BY (quantity < minimum) DESC, CASE WHEN quantity < minimum THEN quantity - minimum ELSE 0 END, name COLLATE NOCASE, code
            """, arguments: [lowOnly]).map(\.part)
    }

    /// How many parts are below their minimum.
    public static func lowCount(_ reader: Reader) throws -> Int {
        try Int.fetchOne(reader.db, sql: "SELECT COUNT(*) FROM parts WHERE quantity < minimum") ?? 0
    }

    public static func part(_ reader: Reader, code: String) throws -> Part? {
        try Record.fetchOne(reader.db, sql: "SELECT * FROM parts WHERE code = ?", arguments: [code])?.part
    }

    static let movementSelect = """
        SELECT m.*, p.code, p.name, p.unit, t.subject FROM part_movements m JOIN parts p ON p.id = m.part_id
        LEFT JOIN tickets t ON t.id = m.ticket_id
        """

    /// A part's movements, newest first, at most `limit`.
    public static func movements(_ reader: Reader, partID: Int64, limit: Int) throws -> [PartMovement] {
        try MovementRecord.fetchAll(reader.db, sql: "\(movementSelect) WHERE m.part_id = ? ORDER BY m.id DESC LIMIT ?",
                                    arguments: [partID, limit]).map(\.movement)
    }

    /// The parts used on (or returned to stock from) a ticket, in the order they were recorded.
    public static func movements(_ reader: Reader, ticketID: Int64) throws -> [PartMovement] {
        try MovementRecord.fetchAll(reader.db, sql: "\(movementSelect) WHERE m.ticket_id = ? ORDER BY m.id", arguments: [ticketID]).map(\.movement)
    }

    /// A ticket's status, nil when there is no such ticket: parts are used only on open or held ones.
    public static func ticketStatus(_ reader: Reader, id: Int64) throws -> TicketStatus? {
        try String.fetchOne(reader.db, sql: "SELECT status FROM tickets WHERE id = ?", arguments: [id]).flatMap(TicketStatus.init(rawValue:))
    }

    /// Whether `logID` is a work-log entry of ticket `ticketID`.
    public static func logEntryExists(_ reader: Reader, logID: Int64, ticketID: Int64) throws -> Bool {
        try Int.fetchOne(reader.db, sql: "SELECT 1 FROM fault_log WHERE id = ? AND ticket_id = ?", arguments: [logID, ticketID]) != nil
    }

    // MARK: Writing

    /// Adds a part with no stock (stock arrives by `put` with its movement). Throws `StoreConflict`
    /// when the code is taken (the unique index: a racing writer got there first).
    public static func insert(_ tx: Transaction, code: String, name: String, unit: String, minimum: Int, location: String?) throws -> Int64 {
        let now = Timestamp.string(tx.now)
        do {
            try tx.db.execute(sql: """
                INSERT INTO parts (code, name, unit, quantity, minimum, location, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?)
                """, arguments: [code, name, unit, minimum, location, now, now])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreConflict(message: error.message ?? "constraint")
        }
        return tx.db.lastInsertedRowID
    }

    /// Changes what is said about a part; its stock changes only by a movement.
    public static func update(_ tx: Transaction, id: Int64, name: String, unit: String, minimum: Int, location: String?) throws {
        try tx.db.execute(sql: "UPDATE parts SET name = ?, unit = ?, minimum = ?, location = ?, updated_at = ? WHERE id = ?",
                          arguments: [name, unit, minimum, location, Timestamp.string(tx.now), id])
    }

    /// Takes `count` out of stock only if at least that many are there, in one statement: false
    /// (and nothing changed) when there are fewer.
    public static func take(_ tx: Transaction, id: Int64, count: Int) throws -> Bool {
        try tx.db.execute(sql: "UPDATE parts SET quantity = quantity - ?, updated_at = ? WHERE id = ? AND quantity >= ?",
                          arguments: [count, Timestamp.string(tx.now), id, count])
        return tx.db.changesCount == 1
    }

    /// Puts `count` into stock unless that would take it past `ceiling`: false (and nothing changed) then.
    public static func put(_ tx: Transaction, id: Int64, count: Int, ceiling: Int) throws -> Bool {
        try tx.db.execute(sql: "UPDATE parts SET quantity = quantity + ?, updated_at = ? WHERE id = ? AND quantity <= ? - ?",
                          arguments: [count, Timestamp.string(tx.now), id, ceiling, count])
        return tx.db.changesCount == 1
    }

    /// Sets the counted quantity, only if the stock is still `expected` (what the caller read): false
    /// (and nothing changed) when it moved in between.
    public static func set(_ tx: Transaction, id: Int64, quantity: Int, expected: Int) throws -> Bool {
        try tx.db.execute(sql: "UPDATE parts SET quantity = ?, updated_at = ? WHERE id = ? AND quantity = ?",
                          arguments: [quantity, Timestamp.string(tx.now), id, expected])
        return tx.db.changesCount == 1
    }

    /// Records one movement of stock; returns its row.
    @discardableResult
    public static func record(_ tx: Transaction, partID: Int64, delta: Int, kind: PartMovementKind, ticketID: Int64?, logID: Int64?,
                              note: String?) throws -> Int64 {
        try tx.db.execute(sql: """
            INSERT INTO part_movements (part_id, delta, kind, ticket_id, log_id, note, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [partID, delta, kind.rawValue, ticketID, logID, note, Timestamp.string(tx.now), tx.actor])
        return tx.db.lastInsertedRowID
    }
}
