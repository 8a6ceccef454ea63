import Foundation
import GRDB
import SimpulCore

/// Playbook versions as loaded, and which version new tickets start on.
public enum PlaybookStore {
    public struct Loaded: Sendable {
        public var playbook: Playbook
        public var digest: String
        public var loadedAt: String
        public var loadedBy: String
        public var isHead: Bool
    }

    /// A loaded version's row as the queries below select it: not the definition, which is read
    /// only when the version is not in the cache yet.
    struct Version: Decodable, FetchableRecord {
        var id: String
        var version: Int
        var digest: String
        var loadedAt: String
        var loadedBy: String
        var isHead: Bool

        static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy
        static let columns = "p.id, p.version, p.digest, p.loaded_at, p.loaded_by"
    }

    public static func load(_ reader: Reader, id: String, version: Int) throws -> Loaded? {
        try Version.fetchOne(reader.db.cachedStatement(sql: """
            SELECT \(Version.columns), (h.version IS NOT NULL) AS is_head FROM playbooks p
            LEFT JOIN playbook_heads h ON h.id = p.id AND h.version = p.version
            WHERE p.id = ? AND p.version = ?
            """), arguments: [id, version]).map { try loaded(reader, $0) }
    }

    /// The version new tickets start on.
    public static func head(_ reader: Reader, id: String) throws -> Loaded? {
        try Version.fetchOne(reader.db.cachedStatement(sql: """
            SELECT \(Version.columns), 1 AS is_head FROM playbook_heads h JOIN playbooks p ON p.id = h.id AND p.version = h.version
            WHERE h.id = ?
            """), arguments: [id]).map { try loaded(reader, $0) }
    }

    public static func heads(_ reader: Reader) throws -> [Loaded] {
        try Version.fetchAll(reader.db.cachedStatement(sql: """
            SELECT \(Version.columns), 1 AS is_head FROM playbook_heads h JOIN playbooks p ON p.id = h.id AND p.version = h.version
            ORDER BY p.id
            """)).map { try loaded(reader, $0) }
    }

    /// Every loaded version of every playbook (old versions are kept for the tickets that run on them).
    public static func all(_ reader: Reader) throws -> [Loaded] {
        try Version.fetchAll(reader.db.cachedStatement(sql: """
            SELECT \(Version.columns), (h.version IS NOT NULL) AS is_head FROM playbooks p
            LEFT JOIN playbook_heads h ON h.id = p.id AND h.version = p.version
            ORDER BY p.id, p.version
            """)).map { try loaded(reader, $0) }
    }

    /// Stores a new version, loaded by `tx.actor` at `tx.now`.
    public static func insert(_ tx: Transaction, _ playbook: Playbook, digest: String) throws {
        try tx.db.execute(sql: """
            INSERT INTO playbooks (id, version, title_id, title_en, definition, digest, loaded_at, loaded_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [playbook.id, playbook.version, playbook.title.id, playbook.title.en,
                             try StoredJSON.encode(playbook), digest, StoredTime(tx.now), tx.actor])
    }

    public static func setHead(_ tx: Transaction, id: String, version: Int) throws {
        try tx.db.execute(sql: """
            INSERT INTO playbook_heads (id, version) VALUES (?, ?)
            ON CONFLICT(id) DO UPDATE SET version = excluded.version
            """, arguments: [id, version])
    }

    static func loaded(_ reader: Reader, _ row: Version) throws -> Loaded {
        Loaded(playbook: try decoded(reader, id: row.id, version: row.version, digest: row.digest), digest: row.digest,
               loadedAt: row.loadedAt, loadedBy: row.loadedBy, isHead: row.isHead)
    }

    /// A loaded version never changes, so its decoded form is kept by digest for the life of the
    /// process: every ticket page needs its playbook, and decoding JSON costs more than the query.
    static func decoded(_ reader: Reader, id: String, version: Int, digest: String) throws -> Playbook {
        if let cached = cache.get(digest) { return cached }
        let definition = try String.fetchOne(reader.db, sql: "SELECT definition FROM playbooks WHERE id = ? AND version = ?",
                                             arguments: [id, version]) ?? ""
        let playbook = try StoredJSON.decode(Playbook.self, from: definition)
        // Only a definition that matches its digest is kept (a hand-edited row is decoded each time).
        if (try? playbook.digest()) == digest { cache.set(digest, playbook) }
        return playbook
    }

    private static let cache = DecodedPlaybooks()

    // MARK: Calendar

    /// The office calendar (zone, hours, holidays); the WITA default until one is loaded.
    public static func calendar(_ reader: Reader) throws -> CalendarDefinition {
        guard let text = try String.fetchOne(reader.db, sql: "SELECT value FROM settings WHERE key = 'calendar'") else {
            return CalendarDefinition()
        }
        return try StoredJSON.decode(CalendarDefinition.self, from: text)
    }

    public static func isCalendarLoaded(_ reader: Reader) throws -> Bool {
        try Bool.fetchOne(reader.db, sql: "SELECT COUNT(*) > 0 FROM settings WHERE key = 'calendar'") ?? false
    }

    public static func saveCalendar(_ tx: Transaction, _ definition: CalendarDefinition) throws {
        try tx.db.execute(sql: """
            INSERT INTO settings (key, value) VALUES ('calendar', ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value
            """, arguments: [try StoredJSON.encode(definition)])
    }
}

/// The process-wide cache of decoded playbook versions.
final class DecodedPlaybooks: @unchecked Sendable {
    private let lock = NSLock()
    private var byDigest: [String: Playbook] = [:]

    func get(_ digest: String) -> Playbook? { lock.withLock { byDigest[digest] } }
    func set(_ digest: String, _ playbook: Playbook) { lock.withLock { byDigest[digest] = playbook } }
}
