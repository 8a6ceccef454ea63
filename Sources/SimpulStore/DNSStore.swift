import Foundation
import GRDB
import SimpulCore

/// The records of the office's zones, each zone's SOA serial, and the change sets waiting to be
/// pushed to (or already confirmed by) the DNS server. One record is one row, unique per zone, name,
/// type and data. Every function runs inside the caller's transaction.
public enum DNSStore {
    public struct ZoneRow: Sendable, Hashable {
        public var id: Int64
        public var zone: Zone
        /// The last serial given to the zone; 0 before its first change.
        public var serial: UInt32
    }

    public struct StoredRecord: Sendable, Hashable, Codable {
        public var id: Int64
        public var zone: String
        public var record: DNSRecord
        /// Who the record is for: `ticket:12`, `device:SIMPEG-01`, or what an admin wrote.
        public var owner: String?
        public var createdAt: String
        public var createdBy: String
    }

    public enum ChangeState: String, Sendable, Codable {
        case pending, pushed, failed, superseded
    }

    /// One change set of one zone: what it adds and deletes, under which serial, and how its push went.
    public struct Change: Sendable, Hashable, Codable {
        public var id: Int64
        public var zone: String
        public var serial: UInt32
        public var adds: [DNSRecord]
        public var deletes: [DNSRecord]
        public var state: ChangeState
        public var attempts: Int
        public var lastError: Text?
        public var requestedBy: String
        public var requestedAt: String
        public var pushedAt: String?
        public var ticketID: Int64?
    }

    // MARK: Zones

    public static func zones(_ reader: Reader) throws -> [ZoneRow] {
        try Row.fetchAll(reader.db, sql: """
            SELECT z.*, COALESCE(s.serial, 0) AS serial FROM zones z LEFT JOIN dns_zone_serials s ON s.zone_id = z.id ORDER BY z.name
            """).map { ZoneRow(id: $0["id"], zone: InventoryStore.zone($0), serial: UInt32(truncatingIfNeeded: $0["serial"] as Int64)) }
    }

    /// The zone that holds `name`: the deepest zone it lies in.
    public static func zone(_ reader: Reader, holding name: DomainName) throws -> ZoneRow? {
        try zones(reader).filter { name.isSubdomain(of: $0.zone.name) }.max { $0.zone.name.labels.count < $1.zone.name.labels.count }
    }

    public static func zone(_ reader: Reader, named name: DomainName) throws -> ZoneRow? {
        try zones(reader).first { $0.zone.name == name }
    }

    /// Gives the zone its next serial (YYYYMMDDnn, never lower than the last, nor than `floor`: a
    /// server whose serial went ahead) and returns it.
    public static func bumpSerial(_ tx: Transaction, zoneID: Int64, now: Date, timeZone: TimeZone, floor: UInt32 = 0) throws -> UInt32 {
        let db = tx.db
        let current = try Int64.fetchOne(db, sql: "SELECT serial FROM dns_zone_serials WHERE zone_id = ?", arguments: [zoneID]) ?? 0
        let next = SOASerial.next(after: max(UInt32(truncatingIfNeeded: current), floor), at: now, in: timeZone)
        try db.execute(sql: """
            INSERT INTO dns_zone_serials (zone_id, serial, changed_at) VALUES (?, ?, ?)
            ON CONFLICT (zone_id) DO UPDATE SET serial = excluded.serial, changed_at = excluded.changed_at
            """, arguments: [zoneID, Int64(next), Timestamp.string(now)])
        return next
    }

    // MARK: Records

    static func stored(_ row: Row) -> StoredRecord? {
        guard let name = DomainName(row["name"] as String), let type = RecordType(rawValue: row["type"]) else { return nil }
        return StoredRecord(id: row["id"], zone: row["zone"],
                            record: DNSRecord(name: name, type: type, ttl: row["ttl"], data: row["data"]),
                            owner: row["owner"], createdAt: row["created_at"], createdBy: row["created_by"])
    }

    static let recordSelect = "SELECT r.*, z.name AS zone FROM dns_records r JOIN zones z ON z.id = r.zone_id"

    public static func records(_ reader: Reader, zoneID: Int64) throws -> [StoredRecord] {
        try Row.fetchAll(reader.db, sql: "\(recordSelect) WHERE r.zone_id = ? ORDER BY r.name, r.type, r.data", arguments: [zoneID]).compactMap(stored)
    }

    public static func records(_ reader: Reader, name: DomainName) throws -> [StoredRecord] {
        try Row.fetchAll(reader.db.cachedStatement(sql: "\(recordSelect) WHERE r.name = ? ORDER BY r.type, r.data"),
                         arguments: [name.description]).compactMap(stored)
    }

    /// A and AAAA records whose data is `address`, wherever they are.
    public static func addressRecords(_ reader: Reader, address: IPAddress) throws -> [StoredRecord] {
        try Row.fetchAll(reader.db.cachedStatement(sql: "\(recordSelect) WHERE r.type IN ('A', 'AAAA') AND r.data = ? ORDER BY r.name"),
                         arguments: [address.description]).compactMap(stored)
    }

    public static func records(_ reader: Reader, owner: String) throws -> [StoredRecord] {
        try Row.fetchAll(reader.db.cachedStatement(sql: "\(recordSelect) WHERE r.owner = ? ORDER BY r.name, r.type"),
                         arguments: [owner]).compactMap(stored)
    }

    /// Throws `StoreConflict` when the database refuses the record (a duplicate, a CNAME beside other
    /// data) that a racing writer slipped past the service's own check.
    public static func insert(_ tx: Transaction, zoneID: Int64, _ record: DNSRecord, owner: String?, by: String, now: Date) throws {
        do {
            try tx.db.execute(sql: """
                INSERT INTO dns_records (zone_id, name, type, ttl, data, owner, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [zoneID, record.name.description, record.type.rawValue, record.ttl, record.data, owner, Timestamp.string(now), by])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreConflict(message: error.message ?? "constraint")
        }
    }

    public static func delete(_ tx: Transaction, id: Int64) throws {
        try tx.db.execute(sql: "DELETE FROM dns_records WHERE id = ?", arguments: [id])
    }

    /// How many records each zone holds, by zone id.
    public static func recordCounts(_ reader: Reader) throws -> [Int64: Int] {
        try counts(reader, "SELECT zone_id, COUNT(*) FROM dns_records GROUP BY zone_id")
    }

    /// How many change sets of each zone the server has not confirmed yet, by zone id.
    public static func waitingCounts(_ reader: Reader) throws -> [Int64: Int] {
        try counts(reader, "SELECT zone_id, COUNT(*) FROM dns_changes WHERE state IN ('pending', 'failed') GROUP BY zone_id")
    }

    static func counts(_ reader: Reader, _ sql: String) throws -> [Int64: Int] {
        Dictionary(try Row.fetchAll(reader.db, sql: sql).map { ($0[0] as Int64, $0[1] as Int) }, uniquingKeysWith: +)
    }

    // MARK: Change sets

    public static func insertChange(_ tx: Transaction, zoneID: Int64, serial: UInt32, adds: [DNSRecord], deletes: [DNSRecord],
                                    by: String, now: Date, ticketID: Int64?) throws -> Int64 {
        let db = tx.db
        try db.execute(sql: """
            INSERT INTO dns_changes (zone_id, serial, adds, deletes, state, requested_by, requested_at, ticket_id)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
            """, arguments: [zoneID, Int64(serial), try StoredJSON.encode(adds), try StoredJSON.encode(deletes), by, Timestamp.string(now), ticketID])
        return db.lastInsertedRowID
    }

    static func change(_ row: Row) throws -> Change {
        Change(id: row["id"], zone: row["zone"], serial: UInt32(truncatingIfNeeded: row["serial"] as Int64),
               adds: try StoredJSON.decode([DNSRecord].self, from: row["adds"]), deletes: try StoredJSON.decode([DNSRecord].self, from: row["deletes"]),
               state: ChangeState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
               lastError: try (row["last_error"] as String?).map { try StoredJSON.decode(Text.self, from: $0) },
               requestedBy: row["requested_by"], requestedAt: row["requested_at"], pushedAt: row["pushed_at"], ticketID: row["ticket_id"])
    }

    static let changeSelect = "SELECT c.*, z.name AS zone FROM dns_changes c JOIN zones z ON z.id = c.zone_id"

    /// Claims `zoneID` for one push by `holder` until `expires`; false while another holder's claim
    /// stands. Call inside the write transaction that then reads the zone's waiting change sets.
    public static func claimZone(_ tx: Transaction, zoneID: Int64, holder: String, now: Date, expires: Date) throws -> Bool {
        let db = tx.db
        try db.execute(sql: "DELETE FROM dns_push_claims WHERE zone_id = ? AND expires_at <= ?", arguments: [zoneID, Timestamp.string(now)])
        try db.execute(sql: "INSERT OR IGNORE INTO dns_push_claims (zone_id, holder, expires_at) VALUES (?, ?, ?)",
                       arguments: [zoneID, holder, Timestamp.string(expires)])
        return try String.fetchOne(db, sql: "SELECT holder FROM dns_push_claims WHERE zone_id = ?", arguments: [zoneID]) == holder
    }

    /// Lets `holder`'s claim on `zoneID` go (in the transaction that records the push's outcome).
    public static func releaseZone(_ tx: Transaction, zoneID: Int64, holder: String) throws {
        try tx.db.execute(sql: "DELETE FROM dns_push_claims WHERE zone_id = ? AND holder = ?", arguments: [zoneID, holder])
    }

    /// Change sets not yet confirmed, oldest first (a zone's sets must reach the server in order).
    public static func unpushed(_ reader: Reader, zoneID: Int64? = nil, ids: [Int64]? = nil) throws -> [Change] {
        var sql = "\(changeSelect) WHERE c.state IN ('pending', 'failed')"
        var arguments: StatementArguments = []
        if let zoneID {
            sql += " AND c.zone_id = ?"
            arguments += [zoneID]
        }
        if let ids {
            sql += " AND c.zone_id IN (SELECT zone_id FROM dns_changes WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ","))))"
            arguments += StatementArguments(ids)
        }
        return try Row.fetchAll(reader.db, sql: sql + " ORDER BY c.id", arguments: arguments).map(change)
    }

    public static func changes(_ reader: Reader, zoneID: Int64? = nil, ticketID: Int64? = nil, limit: Int = 50) throws -> [Change] {
        try Row.fetchAll(reader.db, sql: """
            \(changeSelect) WHERE (?1 IS NULL OR c.zone_id = ?1) AND (?2 IS NULL OR c.ticket_id = ?2) ORDER BY c.id DESC LIMIT ?3
            """, arguments: [zoneID, ticketID, limit]).map(change)
    }

    public static func change(_ reader: Reader, id: Int64) throws -> Change? {
        try Row.fetchOne(reader.db, sql: "\(changeSelect) WHERE c.id = ?", arguments: [id]).map(change)
    }

    public static func markPushed(_ tx: Transaction, id: Int64, now: Date) throws {
        try tx.db.execute(sql: "UPDATE dns_changes SET state = 'pushed', attempts = attempts + 1, last_error = NULL, pushed_at = ? WHERE id = ?",
                       arguments: [Timestamp.string(now), id])
    }

    /// A waiting change set made moot by a later one that carries the whole truth (a drift fix).
    public static func markSuperseded(_ tx: Transaction, id: Int64, by newer: Int64, now: Date) throws {
        let note = Text(id: "digantikan oleh perubahan #\(newer) (perbaikan drift)", en: "superseded by change #\(newer) (a drift fix)")
        try tx.db.execute(sql: "UPDATE dns_changes SET state = 'superseded', last_error = ?, pushed_at = ? WHERE id = ?",
                       arguments: [try StoredJSON.encode(note), Timestamp.string(now), id])
    }

    public static func markFailed(_ tx: Transaction, id: Int64, error: Text) throws {
        try tx.db.execute(sql: "UPDATE dns_changes SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                       arguments: [try StoredJSON.encode(error), id])
    }
}
