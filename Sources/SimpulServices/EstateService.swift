import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

/// Read-only views of the estate for listings, detail pages and the API. Agency users see
/// only their own agency; everyone else with `viewEstate` sees everything.
public struct EstateService: Sendable {
    let simpul: Simpul

    public struct AgencySummary: Sendable, Codable, Hashable {
        public var code: String
        public var name: String
        public var kind: AgencyKind
        public var contactName: String?
        public var contactPhone: String?
        public var links: Int
        public var devices: Int
        public var committedDownMbps: Double
        public var committedUpMbps: Double
    }

    public struct LinkView: Sendable, Codable, Hashable {
        public var link: Link
        public var agencyName: String
        public var providerName: String
    }

    public struct AgencyDetail: Sendable, Codable {
        public var agency: Agency
        public var links: [LinkView]
        public var devices: [Device]
    }

    public struct ProviderView: Sendable, Codable {
        public var provider: Provider
        public var links: Int
        public var committedDownMbps: Double
    }

    public struct PoolView: Sendable, Codable {
        public var pool: Pool
        /// Addresses in the prefix (saturating for huge IPv6 prefixes).
        public var size: UInt64
        public var reservedAddresses: UInt64
    }

    public struct RackedDevice: Sendable, Codable, Hashable {
        public var name: String
        public var kind: DeviceKind
        public var agency: String?
        public var position: Int
        public var heightU: Int
        public var powerWatts: Int?
    }

    public struct RackView: Sendable, Codable {
        public var rack: Rack
        public var roomName: String
        public var devices: [RackedDevice]
        public var usedU: Int
        /// Each device draws `power_watts` on each feed.
        public var powerPerFeedWatts: Int
    }

    public struct Dashboard: Sendable, Codable {
        public var district: District?
        public var agencies: Int
        public var providers: Int
        public var links: Int
        public var devices: Int
        public var pools: Int
        public var zones: Int
        public var racks: Int
        public var users: Int
        public var committedDownMbps: Double
        public var committedUpMbps: Double
        public var linksByProvider: [ProviderShare]
        public var agenciesByKind: [KindCount]
        public var recentAudit: [AuditEntry]

        public struct ProviderShare: Sendable, Codable { public var code: String; public var name: String; public var links: Int; public var downMbps: Double }
        public struct KindCount: Sendable, Codable { public var kind: AgencyKind; public var count: Int }
    }

    func visibleAgencyFilter(_ principal: Principal) throws -> String? {
        if principal.role == .agency { return principal.agencyCode ?? "" }
        try principal.require(.viewEstate)
        return nil
    }

    public func agencies(for principal: Principal) throws -> [AgencySummary] {
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.rawRead { db in
            try Row.fetchAll(db, sql: """
                SELECT a.code, a.name, a.kind, a.contact_name, a.contact_phone,
                  (SELECT COUNT(*) FROM links l WHERE l.agency_id = a.id) AS links,
                  (SELECT COUNT(*) FROM devices d WHERE d.agency_id = a.id) AS devices,
                  (SELECT COALESCE(SUM(down_mbps), 0) FROM links l WHERE l.agency_id = a.id) AS down,
                  (SELECT COALESCE(SUM(up_mbps), 0) FROM links l WHERE l.agency_id = a.id) AS up
                FROM agencies a WHERE ?1 IS NULL OR a.code = ?1 ORDER BY a.name
                """, arguments: [only]).map { row in
                AgencySummary(code: row["code"], name: row["name"], kind: AgencyKind(rawValue: row["kind"]) ?? .lainnya,
                              contactName: row["contact_name"], contactPhone: row["contact_phone"], links: row["links"],
                              devices: row["devices"], committedDownMbps: row["down"], committedUpMbps: row["up"])
            }
        }
    }

    public struct AgencyName: Sendable, Codable, Hashable {
        public var code: String
        public var name: String
    }

    /// The agencies `principal` may see, code and name only, by name: for pickers and list filters.
    public func agencyNames(for principal: Principal) throws -> [AgencyName] {
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.rawRead { try Self.agencyNames($0, only: only) }
    }

    static func agencyNames(_ db: Database, only code: String?) throws -> [AgencyName] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT code, name FROM agencies WHERE ?1 IS NULL OR code = ?1 ORDER BY name"),
                         arguments: [code]).map { AgencyName(code: $0[0], name: $0[1]) }
    }

    public func agency(_ code: String, for principal: Principal) throws -> AgencyDetail {
        let code = code.uppercased()
        guard principal.canSee(agency: code) else {
            throw ServiceError(.forbidden, Text(id: "Anda hanya dapat melihat instansi Anda sendiri", en: "you can see only your own agency"))
        }
        return try simpul.database.rawRead { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM agencies WHERE code = ?", arguments: [code]) else {
                throw ServiceError(.notFound, Text(id: "instansi \"\(code)\" tidak ada", en: "agency \"\(code)\" does not exist"))
            }
            let links = try linkViews(db, agency: code)
            let devices = try Row.fetchAll(db, sql: """
                SELECT devices.*, agencies.code AS agency_code, racks.code AS rack_code FROM devices
                JOIN agencies ON agencies.id = devices.agency_id LEFT JOIN racks ON racks.id = devices.rack_id
                WHERE agencies.code = ? ORDER BY devices.name
                """, arguments: [code]).map(InventoryStore.device)
            return AgencyDetail(agency: InventoryStore.agency(row), links: links, devices: devices)
        }
    }

    func linkViews(_ db: Database, agency: String? = nil, provider: String? = nil) throws -> [LinkView] {
        try Row.fetchAll(db, sql: """
            SELECT links.*, agencies.code AS agency_code, agencies.name AS agency_name, providers.code AS provider_code,
              providers.name AS provider_name, devices.name AS device_name
            FROM links JOIN agencies ON agencies.id = links.agency_id JOIN providers ON providers.id = links.provider_id
            LEFT JOIN devices ON devices.id = links.device_id
            WHERE (?1 IS NULL OR agencies.code = ?1) AND (?2 IS NULL OR providers.code = ?2)
            ORDER BY agencies.name, links.circuit
            """, arguments: [agency, provider]).map {
            LinkView(link: InventoryStore.link($0), agencyName: $0["agency_name"], providerName: $0["provider_name"])
        }
    }

    public func links(for principal: Principal, agency: String? = nil, provider: String? = nil) throws -> [LinkView] {
        let only = try visibleAgencyFilter(principal)
        if let only, let agency, agency.uppercased() != only {
            throw ServiceError(.forbidden, Text(id: "Anda hanya dapat melihat instansi Anda sendiri", en: "you can see only your own agency"))
        }
        return try simpul.database.rawRead { try linkViews($0, agency: only ?? agency?.uppercased(), provider: provider?.uppercased()) }
    }

    public func providers(for principal: Principal) throws -> [ProviderView] {
        try principal.require(.viewEstate)
        return try simpul.database.rawRead { db in
            let totals = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT providers.code, COUNT(links.id) AS n, COALESCE(SUM(links.down_mbps), 0) AS down
                FROM providers LEFT JOIN links ON links.provider_id = providers.id GROUP BY providers.id
                """).map { ($0["code"] as String, ($0["n"] as Int, $0["down"] as Double)) })
            return try InventoryStore.providers(db).map {
                ProviderView(provider: $0, links: totals[$0.code]?.0 ?? 0, committedDownMbps: totals[$0.code]?.1 ?? 0)
            }
        }
    }

    public func provider(_ code: String, for principal: Principal) throws -> (ProviderView, [LinkView]) {
        try principal.require(.viewEstate)
        guard let view = try providers(for: principal).first(where: { $0.provider.code == code.uppercased() }) else {
            throw ServiceError(.notFound, Text(id: "penyedia \"\(code)\" tidak ada", en: "provider \"\(code)\" does not exist"))
        }
        return (view, try simpul.database.rawRead { try linkViews($0, provider: code.uppercased()) })
    }

    public func devices(for principal: Principal) throws -> [Device] {
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.rawRead { db in
            try Row.fetchAll(db, sql: """
                SELECT devices.*, agencies.code AS agency_code, racks.code AS rack_code FROM devices
                LEFT JOIN agencies ON agencies.id = devices.agency_id LEFT JOIN racks ON racks.id = devices.rack_id
                WHERE ?1 IS NULL OR agencies.code = ?1 ORDER BY devices.name
                """, arguments: [only]).map(InventoryStore.device)
        }
    }

    public func pools(for principal: Principal) throws -> [PoolView] {
        try principal.require(.viewEstate)
        return try simpul.database.rawRead { try InventoryStore.pools($0) }.map { pool in
            let reserved = pool.reserved.reduce(UInt64(0)) { total, r in
                let span = r.first.family == .v4 ? (r.last.low &- r.first.low) &+ 1 : (r.last.high == r.first.high ? (r.last.low &- r.first.low) &+ 1 : .max)
                return total.addingReportingOverflow(span).overflow ? .max : total + span
            }
            return PoolView(pool: pool, size: pool.prefix.size, reservedAddresses: reserved)
        }
    }

    public func zones(for principal: Principal) throws -> [Zone] {
        try principal.require(.viewEstate)
        return try simpul.database.rawRead { try Row.fetchAll($0, sql: "SELECT * FROM zones ORDER BY kind, name").map(InventoryStore.zone) }
    }

    public func racks(for principal: Principal) throws -> [RackView] {
        try principal.require(.viewEstate)
        return try simpul.database.rawRead { db in
            let devices = Dictionary(grouping: try Row.fetchAll(db, sql: """
                SELECT devices.name, devices.kind, devices.rack_id, devices.rack_position, devices.height_u, devices.power_watts,
                  agencies.code AS agency_code
                FROM devices LEFT JOIN agencies ON agencies.id = devices.agency_id WHERE devices.rack_id IS NOT NULL
                ORDER BY devices.rack_position DESC
                """), by: { $0["rack_id"] as Int64 })
            return try Row.fetchAll(db, sql: """
                SELECT racks.*, rooms.code AS room_code, rooms.name AS room_name FROM racks JOIN rooms ON rooms.id = racks.room_id
                ORDER BY racks.code
                """).map { row in
                let racked = (devices[row["id"]] ?? []).map {
                    RackedDevice(name: $0["name"], kind: DeviceKind(rawValue: $0["kind"]) ?? .other, agency: $0["agency_code"],
                                 position: $0["rack_position"], heightU: $0["height_u"] ?? 1, powerWatts: $0["power_watts"])
                }
                return RackView(rack: InventoryStore.rack(row), roomName: row["room_name"], devices: racked,
                                usedU: racked.reduce(0) { $0 + $1.heightU }, powerPerFeedWatts: racked.reduce(0) { $0 + ($1.powerWatts ?? 0) })
            }
        }
    }

    public func dashboard(for principal: Principal) throws -> Dashboard {
        let showAudit = principal.can(.viewAudit)
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.rawRead { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: [only]) ?? 0 }
            let totals = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(down_mbps), 0) AS down, COALESCE(SUM(up_mbps), 0) AS up FROM links
                WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)
                """, arguments: [only])!
            let shares = try Row.fetchAll(db, sql: """
                SELECT p.code, p.name, COUNT(l.id) AS n, COALESCE(SUM(l.down_mbps), 0) AS down FROM providers p
                LEFT JOIN links l ON l.provider_id = p.id AND (?1 IS NULL OR l.agency_id = (SELECT id FROM agencies WHERE code = ?1))
                GROUP BY p.id ORDER BY n DESC, p.code
                """, arguments: [only]).map { Dashboard.ProviderShare(code: $0["code"], name: $0["name"], links: $0["n"], downMbps: $0["down"]) }
            let kinds = try Row.fetchAll(db, sql: """
                SELECT kind, COUNT(*) AS n FROM agencies WHERE ?1 IS NULL OR code = ?1 GROUP BY kind ORDER BY n DESC, kind
                """, arguments: [only]).map { Dashboard.KindCount(kind: AgencyKind(rawValue: $0["kind"]) ?? .lainnya, count: $0["n"]) }
            return Dashboard(
                district: try InventoryStore.district(db),
                agencies: try count("SELECT COUNT(*) FROM agencies WHERE ?1 IS NULL OR code = ?1"),
                providers: try count("SELECT COUNT(*) FROM providers WHERE ?1 IS NULL OR 1"),
                links: try count("SELECT COUNT(*) FROM links WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)"),
                devices: try count("SELECT COUNT(*) FROM devices WHERE ?1 IS NULL OR agency_id = (SELECT id FROM agencies WHERE code = ?1)"),
                pools: only == nil ? try count("SELECT COUNT(*) FROM pools WHERE ?1 IS NULL") : 0,
                zones: only == nil ? try count("SELECT COUNT(*) FROM zones WHERE ?1 IS NULL") : 0,
                racks: only == nil ? try count("SELECT COUNT(*) FROM racks WHERE ?1 IS NULL") : 0,
                users: only == nil ? try count("SELECT COUNT(*) FROM users WHERE ?1 IS NULL AND disabled = 0") : 0,
                committedDownMbps: totals["down"], committedUpMbps: totals["up"],
                linksByProvider: shares, agenciesByKind: kinds,
                recentAudit: showAudit ? try AuditQueries.recent(db, limit: 8) : [])
        }
    }
}
