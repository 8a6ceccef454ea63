import Foundation
import SimpulCore
import SimpulStore

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
        return try simpul.database.read { try EstateStore.agencies($0, only: only) }.map { a in
            AgencySummary(code: a.code, name: a.name, kind: a.kind, contactName: a.contactName, contactPhone: a.contactPhone,
                          links: a.links, devices: a.devices, committedDownMbps: a.down, committedUpMbps: a.up)
        }
    }

    public struct AgencyName: Sendable, Codable, Hashable {
        public var code: String
        public var name: String
    }

    /// The agencies `principal` may see, code and name only, by name: for pickers and list filters.
    public func agencyNames(for principal: Principal) throws -> [AgencyName] {
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.read { try Self.agencyNames($0, only: only) }
    }

    static func agencyNames(_ reader: Reader, only code: String?) throws -> [AgencyName] {
        try EstateStore.agencyNames(reader, only: code).map { AgencyName(code: $0.code, name: $0.name) }
    }

    public func agency(_ code: String, for principal: Principal) throws -> AgencyDetail {
        let code = code.uppercased()
        guard principal.canSee(agency: code) else {
            throw ServiceError(.forbidden, Text(id: "Anda hanya dapat melihat instansi Anda sendiri", en: "you can see only your own agency"))
        }
        return try simpul.database.read { reader in
            guard let agency = try EstateStore.agency(reader, code: code) else {
                throw ServiceError(.notFound, Text(id: "instansi \"\(code)\" tidak ada", en: "agency \"\(code)\" does not exist"))
            }
            let links = try linkViews(reader, agency: code)
            return AgencyDetail(agency: agency, links: links, devices: try EstateStore.devices(reader, agency: code))
        }
    }

    func linkViews(_ reader: Reader, agency: String? = nil, provider: String? = nil) throws -> [LinkView] {
        try EstateStore.links(reader, agency: agency, provider: provider).map {
            LinkView(link: $0.link, agencyName: $0.agencyName, providerName: $0.providerName)
        }
    }

    public func links(for principal: Principal, agency: String? = nil, provider: String? = nil) throws -> [LinkView] {
        let only = try visibleAgencyFilter(principal)
        if let only, let agency, agency.uppercased() != only {
            throw ServiceError(.forbidden, Text(id: "Anda hanya dapat melihat instansi Anda sendiri", en: "you can see only your own agency"))
        }
        return try simpul.database.read { try linkViews($0, agency: only ?? agency?.uppercased(), provider: provider?.uppercased()) }
    }

    public func providers(for principal: Principal) throws -> [ProviderView] {
        try principal.require(.viewEstate)
        return try simpul.database.read { reader in
            let totals = try EstateStore.providerTotals(reader)
            return try InventoryStore.providers(reader).map {
                ProviderView(provider: $0, links: totals[$0.code]?.links ?? 0, committedDownMbps: totals[$0.code]?.downMbps ?? 0)
            }
        }
    }

    public func provider(_ code: String, for principal: Principal) throws -> (ProviderView, [LinkView]) {
        try principal.require(.viewEstate)
        guard let view = try providers(for: principal).first(where: { $0.provider.code == code.uppercased() }) else {
            throw ServiceError(.notFound, Text(id: "penyedia \"\(code)\" tidak ada", en: "provider \"\(code)\" does not exist"))
        }
        return (view, try simpul.database.read { try linkViews($0, provider: code.uppercased()) })
    }

    public func devices(for principal: Principal) throws -> [Device] {
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.read { try EstateStore.devices($0, only: only) }
    }

    public func pools(for principal: Principal) throws -> [PoolView] {
        try principal.require(.viewEstate)
        return try simpul.database.read { try InventoryStore.pools($0) }.map { pool in
            let reserved = pool.reserved.reduce(UInt64(0)) { total, r in
                let span = r.first.family == .v4 ? (r.last.low &- r.first.low) &+ 1 : (r.last.high == r.first.high ? (r.last.low &- r.first.low) &+ 1 : .max)
                return total.addingReportingOverflow(span).overflow ? .max : total + span
            }
            return PoolView(pool: pool, size: pool.prefix.size, reservedAddresses: reserved)
        }
    }

    public func zones(for principal: Principal) throws -> [Zone] {
        try principal.require(.viewEstate)
        return try simpul.database.read { try EstateStore.zones($0) }
    }

    public func racks(for principal: Principal) throws -> [RackView] {
        try principal.require(.viewEstate)
        return try simpul.database.read { try EstateStore.racks($0) }.map { contents in
            let racked = contents.devices.map {
                RackedDevice(name: $0.name, kind: $0.kind, agency: $0.agencyCode, position: $0.rackPosition, heightU: $0.heightU ?? 1,
                             powerWatts: $0.powerWatts)
            }
            return RackView(rack: contents.rack, roomName: contents.roomName, devices: racked,
                            usedU: racked.reduce(0) { $0 + $1.heightU }, powerPerFeedWatts: racked.reduce(0) { $0 + ($1.powerWatts ?? 0) })
        }
    }

    public func dashboard(for principal: Principal) throws -> Dashboard {
        let showAudit = principal.can(.viewAudit)
        let only = try visibleAgencyFilter(principal)
        return try simpul.database.read { reader in
            let s = try EstateStore.summary(reader, only: only)
            return Dashboard(
                district: try InventoryStore.district(reader),
                agencies: s.agencies, providers: s.providers, links: s.links, devices: s.devices,
                pools: s.pools, zones: s.zones, racks: s.racks, users: s.users,
                committedDownMbps: s.committedDownMbps, committedUpMbps: s.committedUpMbps,
                linksByProvider: s.linksByProvider.map { Dashboard.ProviderShare(code: $0.code, name: $0.name, links: $0.links, downMbps: $0.downMbps) },
                agenciesByKind: s.agenciesByKind.map { Dashboard.KindCount(kind: $0.kind, count: $0.count) },
                recentAudit: showAudit ? try AuditQueries.recent(reader, limit: 8) : [])
        }
    }
}
