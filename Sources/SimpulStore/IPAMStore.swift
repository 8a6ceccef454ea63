import Foundation
import GRDB
import SimpulCore

/// Addresses handed out of pools. Each pool's free space is kept as ranges (`ip_free`), so the next
/// free address is the first row of an index and taking or returning one splits or merges a range.
/// One address is one row of `ip_addresses`, unique per pool: the database, not this code, refuses a
/// second holder, whatever process asks. Every function runs inside the caller's transaction.
public enum IPAMStore {
    public enum State: String, Sendable, Codable {
        case held, assigned
    }

    /// An address that is held or assigned.
    public struct Allocation: Sendable, Hashable, Codable {
        public var id: Int64
        public var pool: String
        public var address: IPAddress
        public var state: State
        /// Who it is for: `ticket:12`, `device:SIMPEG-01`, or what an admin wrote.
        public var owner: String
        public var hostname: String?
        public var note: String?
        public var idempotencyKey: String?
        /// For a hold: when it lapses.
        public var heldUntil: String?
        public var createdAt: String
        public var createdBy: String
        public var assignedAt: String?
        public var assignedBy: String?
    }

    public struct HistoryEntry: Sendable, Hashable, Codable {
        public var at: String
        public var action: String
        public var owner: String
        public var by: String
        public var note: String?
    }

    public struct PoolRow: Sendable {
        public var id: Int64
        public var pool: Pool
        public var layout: PoolLayout { PoolLayout(pool) }
    }

    // MARK: Pools and free space


    public static func pool(_ reader: Reader, name: String) throws -> PoolRow? {
        try pool(reader.db, name: name)
    }

    /// `pool(_:name:)` for the migrations and the inventory import (and callers not converted yet).
    @_spi(Raw) public static func pool(_ db: Database, name: String) throws -> PoolRow? {
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM pools WHERE name = ?"), arguments: [name]),
              let pool = try InventoryStore.pools(db, name: name).first else { return nil }
        return PoolRow(id: id, pool: pool)
    }

    /// The pool whose prefix holds `address` (pools never overlap).
    public static func pool(_ reader: Reader, containing address: IPAddress) throws -> PoolRow? {
        let db = reader.db
        guard let pool = try InventoryStore.pools(db).first(where: { $0.prefix.contains(address) }),
              let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM pools WHERE name = ?"), arguments: [pool.name]) else { return nil }
        return PoolRow(id: id, pool: pool)
    }

    /// The pool's row id, by name.
    public static func poolID(_ reader: Reader, name: String) throws -> Int64? {
        try Int64.fetchOne(reader.db.cachedStatement(sql: "SELECT id FROM pools WHERE name = ?"), arguments: [name])
    }

    /// Every pool as the inventory defines it.
    public static func pools(_ reader: Reader) throws -> [Pool] {
        try InventoryStore.pools(reader.db)
    }

    /// Recomputes a pool's free ranges from its layout and what is held or assigned: after an import
    /// created the pool or changed its prefix, gateway or reserved ranges.
    static func rebuildFree(_ db: Database, poolID: Int64, layout: PoolLayout) throws {
        let used = try String.fetchAll(db, sql: "SELECT key FROM ip_addresses WHERE pool_id = ?", arguments: [poolID]).compactMap(IPAddress.init(key:))
        try db.execute(sql: "DELETE FROM ip_free WHERE pool_id = ?", arguments: [poolID])
        let insert = try db.cachedStatement(sql: "INSERT INTO ip_free (pool_id, first, last) VALUES (?, ?, ?)")
        for range in layout.freeRanges(excluding: used) {
            try insert.execute(arguments: [poolID, range.first.key, range.last.key])
        }
    }

    /// Rebuilds every pool's free ranges (the migration that brought them in, and imports).
    static func rebuildAllFree(_ db: Database) throws {
        for pool in try InventoryStore.pools(db) {
            guard let row = try self.pool(db, name: pool.name) else { continue }
            try rebuildFree(db, poolID: row.id, layout: row.layout)
        }
    }

    /// The lowest free address, without taking it.
    public static func firstFree(_ reader: Reader, poolID: Int64) throws -> IPAddress? {
        let db = reader.db
        return try String.fetchOne(db.cachedStatement(sql: "SELECT first FROM ip_free WHERE pool_id = ? ORDER BY first LIMIT 1"),
                            arguments: [poolID]).flatMap(IPAddress.init(key:))
    }

    /// Takes `address` out of the free ranges; false when it is not free (held, assigned or excluded).
    public static func take(_ tx: Transaction, poolID: Int64, _ address: IPAddress) throws -> Bool {
        let db = tx.db
        let key = address.key
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT first, last FROM ip_free WHERE pool_id = ? AND first <= ? ORDER BY first DESC LIMIT 1
            """), arguments: [poolID, key]),
              let first = IPAddress(key: row[0]), let last = IPAddress(key: row[1]),
              let range = AddressRange(first: first, last: last), range.contains(address) else { return false }
        try db.execute(sql: "DELETE FROM ip_free WHERE pool_id = ? AND first = ?", arguments: [poolID, first.key])
        let insert = try db.cachedStatement(sql: "INSERT INTO ip_free (pool_id, first, last) VALUES (?, ?, ?)")
        for piece in range.removing(address) {
            try insert.execute(arguments: [poolID, piece.first.key, piece.last.key])
        }
        return true
    }

    /// Puts `address` back, merged with the free ranges just before and after it.
    public static func giveBack(_ tx: Transaction, poolID: Int64, _ address: IPAddress) throws {
        let db = tx.db
        var first = address, last = address
        if let before = address.predecessor,
           let start = try String.fetchOne(db.cachedStatement(sql: "SELECT first FROM ip_free WHERE pool_id = ? AND last = ?"),
                                           arguments: [poolID, before.key]).flatMap(IPAddress.init(key:)) {
            try db.execute(sql: "DELETE FROM ip_free WHERE pool_id = ? AND first = ?", arguments: [poolID, start.key])
            first = start
        }
        if let after = address.advanced(by: 1),
           let end = try String.fetchOne(db.cachedStatement(sql: "SELECT last FROM ip_free WHERE pool_id = ? AND first = ?"),
                                         arguments: [poolID, after.key]).flatMap(IPAddress.init(key:)) {
            try db.execute(sql: "DELETE FROM ip_free WHERE pool_id = ? AND first = ?", arguments: [poolID, after.key])
            last = end
        }
        try db.execute(sql: "INSERT INTO ip_free (pool_id, first, last) VALUES (?, ?, ?)", arguments: [poolID, first.key, last.key])
    }

    // MARK: Allocations

    static let allocationColumns = """
        a.id, p.name AS pool, a.address, a.state, a.owner, a.hostname, a.note, a.idempotency_key, a.held_until,
        a.created_at, a.created_by, a.assigned_at, a.assigned_by
        """


    public static func allocation(_ reader: Reader, poolID: Int64, address: IPAddress) throws -> Allocation? {
        let db = reader.db
        return try Allocation.fetchOne(db.cachedStatement(sql: """
            SELECT \(allocationColumns) FROM ip_addresses a JOIN pools p ON p.id = a.pool_id WHERE a.pool_id = ? AND a.key = ?
            """), arguments: [poolID, address.key])
    }

    public static func allocation(_ reader: Reader, poolID: Int64, idempotencyKey: String) throws -> Allocation? {
        let db = reader.db
        return try Allocation.fetchOne(db.cachedStatement(sql: """
            SELECT \(allocationColumns) FROM ip_addresses a JOIN pools p ON p.id = a.pool_id WHERE a.pool_id = ? AND a.idempotency_key = ?
            """), arguments: [poolID, idempotencyKey])
    }

    /// The first address `owner` has in the pool (an index lookup: asked on every allocation).
    public static func allocation(_ reader: Reader, poolID: Int64, owner: String) throws -> Allocation? {
        let db = reader.db
        return try Allocation.fetchOne(db.cachedStatement(sql: """
            SELECT \(allocationColumns) FROM ip_addresses a JOIN pools p ON p.id = a.pool_id WHERE a.owner = ? AND a.pool_id = ?
            ORDER BY a.key LIMIT 1
            """), arguments: [owner, poolID])
    }

    /// A pool's held and assigned addresses in address order, optionally one state or one owner.
    public static func allocations(_ reader: Reader, poolID: Int64? = nil, state: State? = nil, owner: String? = nil,
                                   limit: Int = 500, offset: Int = 0) throws -> [Allocation] {
        let db = reader.db
        return try Allocation.fetchAll(db.cachedStatement(sql: """
            SELECT \(allocationColumns) FROM ip_addresses a JOIN pools p ON p.id = a.pool_id
            WHERE (?1 IS NULL OR a.pool_id = ?1) AND (?2 IS NULL OR a.state = ?2) AND (?3 IS NULL OR a.owner = ?3)
            ORDER BY p.name, a.key LIMIT ?4 OFFSET ?5
            """), arguments: [poolID, state?.rawValue, owner, limit, offset])
    }

    /// `allocations(_:…)` for callers not converted yet (the inventory import).
    @_spi(Raw) public static func allocations(_ db: Database, poolID: Int64? = nil) throws -> [Allocation] {
        try allocations(Reader(db), poolID: poolID)
    }

    public struct NewAllocation {
        public var poolID: Int64
        public var address: IPAddress
        public var state: State
        public var owner: String
        public var hostname: String?
        public var note: String?
        public var idempotencyKey: String?
        public var heldUntil: Date?

        public init(poolID: Int64, address: IPAddress, state: State, owner: String, hostname: String? = nil, note: String? = nil,
                    idempotencyKey: String? = nil, heldUntil: Date? = nil) {
            self.poolID = poolID
            self.address = address
            self.state = state
            self.owner = owner
            self.hostname = hostname
            self.note = note
            self.idempotencyKey = idempotencyKey
            self.heldUntil = heldUntil
        }
    }

    /// Inserts the row of an address already taken out of the free ranges.
    public static func insert(_ tx: Transaction, _ new: NewAllocation, by: String, now: Date) throws {
        let db = tx.db
        let at = Timestamp.string(now)
        try db.cachedStatement(sql: """
            INSERT INTO ip_addresses (pool_id, key, address, state, owner, hostname, note, idempotency_key, held_until,
                                      created_at, created_by, assigned_at, assigned_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                new.poolID, new.address.key, new.address.description, new.state.rawValue, new.owner, new.hostname, new.note,
                new.idempotencyKey, new.heldUntil.map(Timestamp.string), at, by,
                new.state == .assigned ? at : nil, new.state == .assigned ? by : nil,
            ])
        try history(tx, poolID: new.poolID, address: new.address, action: new.state.rawValue, owner: new.owner, by: by, at: at,
                    note: new.note)
    }

    /// A hold becomes an assignment (its row stays, so the address never passes through free).
    public static func confirm(_ tx: Transaction, poolID: Int64, address: IPAddress, hostname: String?, by: String, now: Date) throws {
        let db = tx.db
        let at = Timestamp.string(now)
        try db.execute(sql: """
            UPDATE ip_addresses SET state = 'assigned', held_until = NULL, hostname = coalesce(?, hostname), assigned_at = ?, assigned_by = ?
            WHERE pool_id = ? AND key = ?
            """, arguments: [hostname, at, by, poolID, address.key])
        let owner = try String.fetchOne(db, sql: "SELECT owner FROM ip_addresses WHERE pool_id = ? AND key = ?", arguments: [poolID, address.key]) ?? ""
        try history(tx, poolID: poolID, address: address, action: "assigned", owner: owner, by: by, at: at, note: nil)
    }

    /// Deletes the row and returns the address to the free ranges. `action` is `released` or `expired`.
    public static func remove(_ tx: Transaction, poolID: Int64, address: IPAddress, action: String, by: String, now: Date, note: String?) throws {
        let db = tx.db
        guard let owner = try String.fetchOne(db, sql: "SELECT owner FROM ip_addresses WHERE pool_id = ? AND key = ?",
                                              arguments: [poolID, address.key]) else { return }
        try db.execute(sql: "DELETE FROM ip_addresses WHERE pool_id = ? AND key = ?", arguments: [poolID, address.key])
        try giveBack(tx, poolID: poolID, address)
        try history(tx, poolID: poolID, address: address, action: action, owner: owner, by: by, at: Timestamp.string(now), note: note)
    }

    /// Holds whose time has passed, in `poolID` or every pool.
    public static func lapsedHolds(_ reader: Reader, poolID: Int64? = nil, now: Date) throws -> [(poolID: Int64, address: IPAddress)] {
        let db = reader.db
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT pool_id, key FROM ip_addresses WHERE state = 'held' AND held_until <= ?2 AND (?1 IS NULL OR pool_id = ?1)
            """), arguments: [poolID, Timestamp.string(now)]).compactMap { row in
            IPAddress(key: row[1]).map { (row[0], $0) }
        }
    }

    static func history(_ tx: Transaction, poolID: Int64, address: IPAddress, action: String, owner: String, by: String, at: String, note: String?) throws {
        let db = tx.db
        return try db.cachedStatement(sql: """
            INSERT INTO ip_history (pool_id, key, address, action, owner, by, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [poolID, address.key, address.description, action, owner, by, at, note])
    }

    /// Who had `address` and when, oldest first.
    public static func history(_ reader: Reader, poolID: Int64, address: IPAddress) throws -> [HistoryEntry] {
        let db = reader.db
        return try HistoryEntry.fetchAll(db, sql: "SELECT at, action, owner, by, note FROM ip_history WHERE pool_id = ? AND key = ? ORDER BY id",
                                  arguments: [poolID, address.key])
    }

    // MARK: Use

    public struct Usage: Sendable, Codable {
        public var pool: String
        public var prefix: String
        /// Addresses that may ever be handed out (prefix minus network, broadcast, gateway, reserved).
        public var assignable: Double
        public var assigned: Int
        public var held: Int
        public var free: Double { max(0, assignable - Double(assigned + held)) }
        /// Assigned and held, as a share of `assignable` (0–100).
        public var percentUsed: Double { assignable > 0 ? Double(assigned + held) / assignable * 100 : 0 }
    }

    /// Each pool's use, or only the pool `name`'s (its addresses alone are counted).
    public static func usage(_ reader: Reader, pool name: String? = nil) throws -> [Usage] {
        let db = reader.db
        let counts = try Row.fetchAll(db, sql: """
            SELECT pool_id, sum(state = 'assigned'), sum(state = 'held') FROM ip_addresses
            WHERE ?1 IS NULL OR pool_id = (SELECT id FROM pools WHERE name = ?1) GROUP BY pool_id
            """, arguments: [name]).reduce(into: [Int64: (Int, Int)]()) { $0[$1[0]] = ($1[1], $1[2]) }
        let ids = try Row.fetchAll(db, sql: "SELECT name, id FROM pools").reduce(into: [String: Int64]()) { $0[$1[0]] = $1[1] }
        return try InventoryStore.pools(db, name: name).map { pool in
            let (assigned, held) = ids[pool.name].flatMap { counts[$0] } ?? (0, 0)
            return Usage(pool: pool.name, prefix: pool.prefix.description, assignable: PoolLayout(pool).assignableCount,
                         assigned: assigned, held: held)
        }
    }
}

extension IPAMStore.State: DatabaseValueConvertible {}

extension IPAMStore.Allocation: FetchableRecord {
    /// A row selected with `IPAMStore.allocationColumns`, by position (read on every allocation).
    public init(row: Row) {
        self.init(id: row[0], pool: row[1], address: IPAddress(row[2] as String) ?? IPAddress(v4: 0),
                  state: IPAMStore.State(rawValue: row[3]) ?? .held, owner: row[4], hostname: row[5], note: row[6], idempotencyKey: row[7],
                  heldUntil: row[8], createdAt: row[9], createdBy: row[10], assignedAt: row[11], assignedBy: row[12])
    }
}

extension IPAMStore.HistoryEntry: FetchableRecord {
    enum Columns {
        static let at = Column("at"), action = Column("action"), owner = Column("owner"), by = Column("by"), note = Column("note")
    }

    public init(row: Row) {
        self.init(at: row[Columns.at], action: row[Columns.action], owner: row[Columns.owner], by: row[Columns.by], note: row[Columns.note])
    }
}
