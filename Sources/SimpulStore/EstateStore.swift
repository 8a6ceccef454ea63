import Foundation
import GRDB
import SimpulCore

/// Read-only views of the estate for the listings, detail pages and the dashboard. Where a query
/// takes `only`, it is an agency's code: the rows of that agency alone (an agency user's view), or
/// everything when nil.
public enum EstateStore {
    /// An agency with its totals.
    public struct AgencyTotals: Sendable, Decodable, FetchableRecord {
        public var code: String
        public var name: String
        public var kind: AgencyKind
        public var contactName: String?
        public var contactPhone: String?
        public var links: Int
        public var devices: Int
        public var down: Double
        public var up: Double

        public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy
    }

    public static func agencies(_ reader: Reader, only: String?) throws -> [AgencyTotals] {
        try AgencyTotals.fetchAll(reader.db, sql: """
            SELECT a.code, a.name, a.kind, a.contact_name, a.contact_phone,
              (SELECT COUNT(*) FROM links l WHERE l.agency_id = a.id) AS links,
              (SELECT COUNT(*) FROM devices d WHERE d.agency_id = a.id) AS devices,
              (SELECT COALESCE(SUM(down_mbps), 0) FROM links l WHERE l.agency_id = a.id) AS down,
              (SELECT COALESCE(SUM(up_mbps), 0) FROM links l WHERE l.agency_id = a.id) AS up
            FROM agencies a WHERE ?1 IS NULL OR a.code = ?1 ORDER BY a.name
            """, arguments: [only])
    }

    /// Codes and names, by name: for pickers and list filters.
    public static func agencyNames(_ reader: Reader, only: String?) throws -> [(code: String, name: String)] {
        try Row.fetchAll(reader.db.cachedStatement(sql: "SELECT code, name FROM agencies WHERE ?1 IS NULL OR code = ?1 ORDER BY name"),
                         arguments: [only]).map { ($0[AgencyRecord.Columns.code], $0[AgencyRecord.Columns.name]) }
    }

    public static func agency(_ reader: Reader, code: String) throws -> Agency? {
        try AgencyRecord.fetchOne(reader.db, sql: AgencyRecord.select + " WHERE a.code = ?", arguments: [code])?.agency
    }

    /// One agency's devices, by name.
    public static func devices(_ reader: Reader, agency code: String) throws -> [Device] {
        try DeviceRecord.fetchAll(reader.db, sql: """
            SELECT devices.*, agencies.code AS agency_code, racks.code AS rack_code FROM devices
            JOIN agencies ON agencies.id = devices.agency_id LEFT JOIN racks ON racks.id = devices.rack_id
            WHERE agencies.code = ? ORDER BY devices.name
            """, arguments: [code]).map(\.device)
    }

    /// Every device (or one agency's), by name.
    public static func devices(_ reader: Reader, only: String?) throws -> [Device] {
        try DeviceRecord.fetchAll(reader.db, sql: """
            SELECT devices.*, agencies.code AS agency_code, racks.code AS rack_code FROM devices
            LEFT JOIN agencies ON agencies.id = devices.agency_id LEFT JOIN racks ON racks.id = devices.rack_id
            WHERE ?1 IS NULL OR agencies.code = ?1 ORDER BY devices.name
            """, arguments: [only]).map(\.device)
    }

    /// A link with its agency's and provider's names.
    public struct NamedLink: Sendable {
        public var link: Link
        public var agencyName: String
        public var providerName: String
    }

    /// Links, of one agency or one provider or both when given, by agency name and circuit.
    public static func links(_ reader: Reader, agency: String? = nil, provider: String? = nil) throws -> [NamedLink] {
        try Row.fetchAll(reader.db, sql: """
            SELECT links.*, agencies.code AS agency_code, agencies.name AS agency_name, providers.code AS provider_code,
              providers.name AS provider_name, devices.name AS device_name
            FROM links JOIN agencies ON agencies.id = links.agency_id JOIN providers ON providers.id = links.provider_id
            LEFT JOIN devices ON devices.id = links.device_id
            WHERE (?1 IS NULL OR agencies.code = ?1) AND (?2 IS NULL OR providers.code = ?2)
            ORDER BY agencies.name, links.circuit
            """, arguments: [agency, provider]).map {
            NamedLink(link: try LinkRecord(row: $0).link, agencyName: $0[Column("agency_name")], providerName: $0[Column("provider_name")])
        }
    }

    /// Each provider's number of links and committed download, by provider code.
    public static func providerTotals(_ reader: Reader) throws -> [String: (links: Int, downMbps: Double)] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(reader.db, sql: """
            SELECT providers.code, COUNT(links.id) AS n, COALESCE(SUM(links.down_mbps), 0) AS down
            FROM providers LEFT JOIN links ON links.provider_id = providers.id GROUP BY providers.id
            """).map { ($0[Column("code")] as String, ($0[Column("n")] as Int, $0[Column("down")] as Double)) })
    }

    /// Every zone, by kind and name.
    public static func zones(_ reader: Reader) throws -> [Zone] {
        try ZoneRecord.fetchAll(reader.db, sql: "SELECT * FROM zones ORDER BY kind, name").map(\.zone)
    }

    /// A device in a rack, as the rack view shows it.
    public struct Racked: Sendable, Decodable, FetchableRecord {
        public var name: String
        public var kind: DeviceKind
        public var rackId: Int64
        public var rackPosition: Int
        public var heightU: Int?
        public var powerWatts: Int?
        public var agencyCode: String?

        public static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy
    }

    public struct RackContents: Sendable {
        public var rack: Rack
        public var roomName: String
        /// Top position first.
        public var devices: [Racked]
    }

    /// Every rack, by code, with what is in it.
    public static func racks(_ reader: Reader) throws -> [RackContents] {
        let db = reader.db
        let devices = Dictionary(grouping: try Racked.fetchAll(db, sql: """
            SELECT devices.name, devices.kind, devices.rack_id, devices.rack_position, devices.height_u, devices.power_watts,
              agencies.code AS agency_code
            FROM devices LEFT JOIN agencies ON agencies.id = devices.agency_id WHERE devices.rack_id IS NOT NULL
            ORDER BY devices.rack_position DESC
            """), by: \.rackId)
        return try Row.fetchAll(db, sql: """
            SELECT racks.*, rooms.code AS room_code, rooms.name AS room_name FROM racks JOIN rooms ON rooms.id = racks.room_id
            ORDER BY racks.code
            """).map { row in
            let record = try RackRecord(row: row)
            return RackContents(rack: record.rack, roomName: row[Column("room_name")], devices: devices[record.id] ?? [])
        }
    }

    /// The dashboard's figures.
    public struct Summary: Sendable {
        public var agencies = 0, providers = 0, links = 0, devices = 0, pools = 0, zones = 0, racks = 0, users = 0
        public var committedDownMbps = 0.0, committedUpMbps = 0.0
        public var linksByProvider: [(code: String, name: String, links: Int, downMbps: Double)] = []
        public var agenciesByKind: [(kind: AgencyKind, count: Int)] = []
    }

    /// The dashboard's figures, of one agency when `only` names it (pools, zones, racks and users
    /// are then not counted: they are nobody's).
    public static func summary(_ reader: Reader, only: String?) throws -> Summary {
        let db = reader.db
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: [only]) ?? 0 }
        var summary = Summary()
        let totals = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(down_mbps), 0) AS down, COALESCE(SUM(up_mbps), 0) AS up FROM links
            WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)
            """, arguments: [only])!
        summary.committedDownMbps = totals[Column("down")]
        summary.committedUpMbps = totals[Column("up")]
        summary.linksByProvider = try Row.fetchAll(db, sql: """
            SELECT p.code, p.name, COUNT(l.id) AS n, COALESCE(SUM(l.down_mbps), 0) AS down FROM providers p
            LEFT JOIN links l ON l.provider_id = p.id AND (?1 IS NULL OR l.agency_id = (SELECT id FROM agencies WHERE code = ?1))
            GROUP BY p.id ORDER BY n DESC, p.code
            """, arguments: [only]).map { ($0[Column("code")], $0[Column("name")], $0[Column("n")], $0[Column("down")]) }
        summary.agenciesByKind = try Row.fetchAll(db, sql: """
            SELECT kind, COUNT(*) AS n FROM agencies WHERE ?1 IS NULL OR code = ?1 GROUP BY kind ORDER BY n DESC, kind
            """, arguments: [only]).map { ($0[AgencyRecord.Columns.kind], $0[Column("n")]) }
        summary.agencies = try count("SELECT COUNT(*) FROM agencies WHERE ?1 IS NULL OR code = ?1")
        summary.providers = try count("SELECT COUNT(*) FROM providers WHERE ?1 IS NULL OR 1")
        summary.links = try count("SELECT COUNT(*) FROM links WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)")
        summary.devices = try count("SELECT COUNT(*) FROM devices WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)")
        if only == nil {
            summary.pools = try count("SELECT COUNT(*) FROM pools WHERE ?1 IS NULL")
            summary.zones = try count("SELECT COUNT(*) FROM zones WHERE ?1 IS NULL")
            summary.racks = try count("SELECT COUNT(*) FROM racks WHERE ?1 IS NULL")
            summary.users = try count("SELECT COUNT(*) FROM users WHERE ?1 IS NULL AND disabled = 0")
        }
        return summary
    }
}
