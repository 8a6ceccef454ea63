import Foundation
import GRDB
import SimpulCore

/// Reads the estate out of the database as core values and writes an import's changes back.
public enum InventoryStore {
    // MARK: Loading

    public static func load(_ reader: Reader) throws -> Inventory {
        let db = reader.db
        var inventory = Inventory()
        inventory.district = try district(reader)
        inventory.agencies = try AgencyRecord.fetchAll(db, sql: AgencyRecord.select + " ORDER BY a.code").map(\.agency)
        inventory.providers = try providers(reader)
        inventory.rooms = try RoomRecord.fetchAll(db, sql: "SELECT * FROM rooms ORDER BY code").map(\.room)
        inventory.racks = try RackRecord.fetchAll(db, sql: """
            SELECT racks.*, rooms.code AS room_code FROM racks JOIN rooms ON rooms.id = racks.room_id ORDER BY racks.code
            """).map(\.rack)
        inventory.devices = try DeviceRecord.fetchAll(db, sql: """
            SELECT devices.*, agencies.code AS agency_code, racks.code AS rack_code FROM devices
            LEFT JOIN agencies ON agencies.id = devices.agency_id
            LEFT JOIN racks ON racks.id = devices.rack_id
            ORDER BY devices.name
            """).map(\.device)
        inventory.links = try LinkRecord.fetchAll(db, sql: """
            SELECT links.*, agencies.code AS agency_code, providers.code AS provider_code, devices.name AS device_name
            FROM links JOIN agencies ON agencies.id = links.agency_id JOIN providers ON providers.id = links.provider_id
            LEFT JOIN devices ON devices.id = links.device_id ORDER BY links.circuit
            """).map(\.link)
        inventory.pools = try pools(reader)
        inventory.zones = try ZoneRecord.fetchAll(db, sql: "SELECT * FROM zones ORDER BY name").map(\.zone)
        return inventory
    }

    public static func district(_ reader: Reader) throws -> District? {
        guard let json = try String.fetchOne(reader.db, sql: "SELECT value FROM settings WHERE key = 'district'") else { return nil }
        return try JSONDecoder().decode(District.self, from: Data(json.utf8))
    }

    /// The letterhead's logo, as last imported.
    public static func logo(_ reader: Reader) throws -> StoredLogo? {
        guard let json = try String.fetchOne(reader.db, sql: "SELECT value FROM settings WHERE key = 'letterhead_logo'") else { return nil }
        return try? JSONDecoder().decode(StoredLogo.self, from: Data(json.utf8))
    }

    /// Keeps `logo` as the letterhead's, in the import's transaction.
    public static func saveLogo(_ tx: Transaction, _ logo: StoredLogo) throws {
        try tx.db.execute(sql: "INSERT INTO settings (key, value) VALUES ('letterhead_logo', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          arguments: [String(decoding: try JSONEncoder().encode(logo), as: UTF8.self)])
    }

    public static func providers(_ reader: Reader, code: String? = nil) throws -> [Provider] {
        let db = reader.db
        let escalations = Dictionary(grouping: try EscalationRecord.fetchAll(db, sql: "SELECT * FROM provider_escalations ORDER BY level"),
                                     by: \.providerId)
        return try ProviderRecord.fetchAll(db, sql: "SELECT * FROM providers WHERE ?1 IS NULL OR code = ?1 ORDER BY code", arguments: [code])
            .map { $0.provider(escalation: (escalations[$0.id] ?? []).map(\.contact)) }
    }

    public static func pools(_ reader: Reader, name: String? = nil) throws -> [Pool] {
        let db = reader.db
        // Only the named pool's reserved ranges when one is named: an allocation reads its pool each time.
        let reserved = Dictionary(grouping: try ReservedRecord.fetchAll(db, sql: """
            SELECT * FROM pool_reserved WHERE ?1 IS NULL OR pool_id = (SELECT id FROM pools WHERE name = ?1) ORDER BY id
            """, arguments: [name]), by: \.poolId)
        return try PoolRecord.fetchAll(db, sql: "SELECT * FROM pools WHERE ?1 IS NULL OR name = ?1 ORDER BY name", arguments: [name])
            .compactMap { $0.pool(reserved: (reserved[$0.id] ?? []).compactMap(\.range)) }
    }

    /// A zone from a row of `zones` (with any other columns beside).
    static func zone(_ row: Row) -> Zone {
        ZoneRecord(row: row).zone
    }

    // MARK: Applying an import

    /// Writes `changes` and one audit row per changed item, in the caller's transaction.
    /// Order matters for foreign keys: parents are added before children and removed after them.
    public static func apply(_ changes: InventoryChanges, _ tx: Transaction) throws {
        let db = tx.db
        let at = StoredTime(tx.now)
        if let district = changes.district {
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('district', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [try AuditWriter.json(district.after)])
            try tx.audit(district.before == nil ? "create" : "update", "district", district.after.name,
                         before: district.before, after: district.after)
        }
        // Removals of children first.
        try remove(changes.links.removed, table: "links", column: "circuit", tx)
        try remove(changes.devices.removed, table: "devices", column: "name", tx)
        try remove(changes.racks.removed, table: "racks", column: "code", tx)
        try remove(changes.rooms.removed, table: "rooms", column: "code", tx)
        try remove(changes.pools.removed, table: "pools", column: "name", tx)
        try remove(changes.zones.removed, table: "zones", column: "name", tx)

        var ids = try IDMaps(db)
        try upsert(changes.agencies, tx) { agency, isNew in
            let c = agency.contact
            let args: StatementArguments = [agency.name, agency.kind.rawValue, agency.address, c?.name, c?.title, c?.phone, c?.whatsapp, c?.email,
                                            agency.area, at, agency.code]
            if isNew {
                try db.cachedStatement(sql: """
                    INSERT INTO agencies (name, kind, address, contact_name, contact_title, contact_phone, contact_whatsapp, contact_email, area,
                      updated_at, code, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: args + [at])
                ids.agencies[agency.code] = db.lastInsertedRowID
            } else {
                try db.cachedStatement(sql: """
                    UPDATE agencies SET name = ?, kind = ?, address = ?, contact_name = ?, contact_title = ?, contact_phone = ?,
                    contact_whatsapp = ?, contact_email = ?, area = ?, updated_at = ? WHERE code = ?
                    """).execute(arguments: args)
            }
            try db.execute(sql: "DELETE FROM agency_networks WHERE agency_id = (SELECT id FROM agencies WHERE code = ?)", arguments: [agency.code])
            for (position, prefix) in agency.networks.enumerated() {
                try db.cachedStatement(sql: """
                    INSERT INTO agency_networks (agency_id, prefix, position) SELECT id, ?, ? FROM agencies WHERE code = ?
                    """).execute(arguments: [prefix.description, position, agency.code])
            }
        }
        try upsert(changes.providers, tx) { p, isNew in
            let tiers = String(decoding: try JSONEncoder().encode(p.tiers), as: UTF8.self)
            let args: StatementArguments = [p.name, p.noc?.name, p.noc?.phone, p.noc?.whatsapp, p.noc?.email, p.sla.responseMinutes,
                                            p.sla.restoreMinutes, p.sla.availabilityPercent, tiers, at, p.code]
            if isNew {
                try db.execute(sql: """
                    INSERT INTO providers (name, noc_name, noc_phone, noc_whatsapp, noc_email, sla_response_minutes, sla_restore_minutes,
                    sla_availability_percent, tiers, updated_at, code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: args + [at])
                ids.providers[p.code] = db.lastInsertedRowID
            } else {
                try db.execute(sql: """
                    UPDATE providers SET name = ?, noc_name = ?, noc_phone = ?, noc_whatsapp = ?, noc_email = ?, sla_response_minutes = ?,
                    sla_restore_minutes = ?, sla_availability_percent = ?, tiers = ?, updated_at = ? WHERE code = ?
                    """, arguments: args)
            }
            let id = ids.providers[p.code]!
            try db.execute(sql: "DELETE FROM provider_escalations WHERE provider_id = ?", arguments: [id])
            for e in p.escalation {
                try db.execute(sql: """
                    INSERT INTO provider_escalations (provider_id, level, name, title, phone, whatsapp, email, after_minutes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, e.level, e.contact.name, e.contact.title, e.contact.phone, e.contact.whatsapp, e.contact.email, e.afterMinutes])
            }
        }
        try upsert(changes.rooms, tx) { room, isNew in
            if isNew {
                try db.execute(sql: "INSERT INTO rooms (code, name, site, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [room.code, room.name, room.site, at, at])
                ids.rooms[room.code] = db.lastInsertedRowID
            } else {
                try db.execute(sql: "UPDATE rooms SET name = ?, site = ?, updated_at = ? WHERE code = ?", arguments: [room.name, room.site, at, room.code])
            }
        }
        try upsert(changes.racks, tx) { rack, isNew in
            let args: StatementArguments = [ids.rooms[rack.room], rack.name, rack.heightU, rack.feedAWatts, rack.feedBWatts, at, rack.code]
            if isNew {
                try db.execute(sql: "INSERT INTO racks (room_id, name, height_u, feed_a_watts, feed_b_watts, updated_at, code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: args + [at])
                ids.racks[rack.code] = db.lastInsertedRowID
            } else {
                try db.execute(sql: "UPDATE racks SET room_id = ?, name = ?, height_u = ?, feed_a_watts = ?, feed_b_watts = ?, updated_at = ? WHERE code = ?",
                               arguments: args)
            }
        }
        try upsert(changes.devices, tx) { d, isNew in
            let args: StatementArguments = [
                d.kind.rawValue, d.agency.flatMap { ids.agencies[$0] }, d.managementAddress?.description, d.snmp?.version.rawValue,
                d.snmp?.credential, d.snmp.map { Int($0.port) }, d.site, d.placement.flatMap { ids.racks[$0.rack] }, d.placement?.position, d.placement?.heightU,
                d.powerWatts, d.vendor, d.model, d.serial, at, d.name,
            ]
            if isNew {
                try db.cachedStatement(sql: """
                    INSERT INTO devices (kind, agency_id, management_address, snmp_version, snmp_credential, snmp_port, site, rack_id, rack_position,
                    height_u, power_watts, vendor, model, serial, updated_at, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: args + [at])
                ids.devices[d.name] = db.lastInsertedRowID
            } else {
                try db.cachedStatement(sql: """
                    UPDATE devices SET kind = ?, agency_id = ?, management_address = ?, snmp_version = ?, snmp_credential = ?, snmp_port = ?, site = ?,
                    rack_id = ?, rack_position = ?, height_u = ?, power_watts = ?, vendor = ?, model = ?, serial = ?, updated_at = ? WHERE name = ?
                    """).execute(arguments: args)
            }
        }
        try upsert(changes.links, tx) { l, isNew in
            let args: StatementArguments = [ids.agencies[l.agency], ids.providers[l.provider], l.downMbps, l.upMbps, l.technology.rawValue,
                                            l.device.flatMap { ids.devices[$0] }, l.interface, l.healthAddress?.description, at, l.circuit]
            if isNew {
                try db.cachedStatement(sql: """
                    INSERT INTO links (agency_id, provider_id, down_mbps, up_mbps, technology, device_id, interface, health_address, updated_at, circuit, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: args + [at])
            } else {
                try db.cachedStatement(sql: """
                    UPDATE links SET agency_id = ?, provider_id = ?, down_mbps = ?, up_mbps = ?, technology = ?, device_id = ?, interface = ?,
                    health_address = ?, updated_at = ? WHERE circuit = ?
                    """).execute(arguments: args)
            }
        }
        try upsert(changes.pools, tx) { p, isNew in
            let args: StatementArguments = [p.prefix.description, p.prefix.family.rawValue, p.scope.rawValue, p.gateway?.description,
                                            p.vlan, p.description, p.hosting, at, p.name]
            if isNew {
                try db.execute(sql: "INSERT INTO pools (prefix, family, scope, gateway, vlan, description, hosting, updated_at, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: args + [at])
                ids.pools[p.name] = db.lastInsertedRowID
            } else {
                try db.execute(sql: "UPDATE pools SET prefix = ?, family = ?, scope = ?, gateway = ?, vlan = ?, description = ?, hosting = ?, updated_at = ? WHERE name = ?",
                               arguments: args)
            }
            let id = ids.pools[p.name]!
            try db.execute(sql: "DELETE FROM pool_reserved WHERE pool_id = ?", arguments: [id])
            for r in p.reserved {
                try db.execute(sql: "INSERT INTO pool_reserved (pool_id, first, last, note) VALUES (?, ?, ?, ?)",
                               arguments: [id, r.first.description, r.last.description, r.note])
            }
            // The free space follows the new layout; what is held or assigned stays taken.
            try IPAMStore.rebuildFree(db, poolID: id, layout: PoolLayout(p))
        }
        try upsert(changes.zones, tx) { z, isNew in
            let args: StatementArguments = [z.kind.rawValue, z.primaryNS.description, ZoneNameservers.stored(z.primaryNSAddresses), z.adminEmail,
                                            z.defaultTTL, z.tsigKey, z.server, at, z.name.description]
            if isNew {
                try db.execute(sql: "INSERT INTO zones (kind, primary_ns, primary_ns_addresses, admin_email, default_ttl, tsig_key, server, updated_at, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: args + [at])
            } else {
                try db.execute(sql: "UPDATE zones SET kind = ?, primary_ns = ?, primary_ns_addresses = ?, admin_email = ?, default_ttl = ?, tsig_key = ?, server = ?, updated_at = ? WHERE name = ?",
                               arguments: args)
            }
        }
        // Removals of parents last.
        try remove(changes.providers.removed, table: "providers", column: "code", tx)
        try remove(changes.agencies.removed, table: "agencies", column: "code", tx)
    }

    /// Natural key → row id, for resolving references while writing.
    struct IDMaps {
        var agencies: [String: Int64] = [:]
        var providers: [String: Int64] = [:]
        var rooms: [String: Int64] = [:]
        var racks: [String: Int64] = [:]
        var devices: [String: Int64] = [:]
        var pools: [String: Int64] = [:]

        init(_ db: Database) throws {
            func map(_ sql: String) throws -> [String: Int64] {
                var result: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] }
                return result
            }
            agencies = try map("SELECT code, id FROM agencies")
            providers = try map("SELECT code, id FROM providers")
            rooms = try map("SELECT code, id FROM rooms")
            racks = try map("SELECT code, id FROM racks")
            devices = try map("SELECT name, id FROM devices")
            pools = try map("SELECT name, id FROM pools")
        }
    }

    static func upsert<I: InventoryItem>(_ changes: SectionChanges<I>, _ tx: Transaction, write: (I, Bool) throws -> Void) throws {
        for item in changes.added {
            try write(item, true)
            try tx.audit("create", I.objectType, item.key, after: item)
        }
        for (before, after) in changes.changed {
            try write(after, false)
            try tx.audit("update", I.objectType, after.key, before: before, after: after)
        }
    }

    static func remove<I: InventoryItem>(_ items: [I], table: String, column: String, _ tx: Transaction) throws {
        for item in items {
            do {
                try tx.db.execute(sql: "DELETE FROM \(table) WHERE \(column) = ?", arguments: [item.key])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError.stillReferenced(objectType: I.objectType, key: item.key)
            }
            try tx.audit("delete", I.objectType, item.key, before: item)
        }
    }
}

/// Store-level refusals a user can act on.
public struct StoreError: Error, UserFacingError, Sendable {
    public let text: Text

    public static func stillReferenced(objectType: String, key: String) -> StoreError {
        StoreError(text: Text(
            id: "\(objectType) \"\(key)\" tidak dapat dihapus karena masih dipakai (oleh pengguna, perangkat, sirkuit atau tiket); hapus atau pindahkan yang memakainya dulu",
            en: "\(objectType) \"\(key)\" cannot be removed because something still uses it (a user, device, link or ticket); remove or move that first"))
    }
}

extension InventoryStore {
    /// Whether a zone still holds records, or change sets waiting for its server: an import may
    /// not drop it then.
    public static func zoneInUse(_ reader: Reader, name: DomainName) throws -> Bool {
        let used = try Int.fetchOne(reader.db, sql: "SELECT (SELECT COUNT(*) FROM dns_records WHERE zone_id = z.id) + (SELECT COUNT(*) FROM dns_changes WHERE zone_id = z.id AND state IN ('pending', 'failed')) FROM zones z WHERE z.name = ?",
                                    arguments: [name]) ?? 0
        return used > 0
    }

    /// The row id of the agency with `code`, if there is one.
    public static func agencyID(_ reader: Reader, code: String) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT id FROM agencies WHERE code = ?", arguments: [code])
    }

    /// The street address of the agency with `code`.
    public static func agencyAddress(_ reader: Reader, code: String) throws -> String? {
        try String.fetchOne(reader.db, sql: "SELECT address FROM agencies WHERE code = ?", arguments: [code])
    }

    /// The code of the agency with row id `id`.
    public static func agencyCode(_ reader: Reader, id: Int64) throws -> String? {
        try String.fetchOne(reader.db, sql: "SELECT code FROM agencies WHERE id = ?", arguments: [id])
    }
}

// MARK: Raw access

extension InventoryStore {
    /// For the tests' raw checks.
    @_spi(Raw) public static func load(_ db: Database) throws -> Inventory { try load(Reader(db)) }
    // For the stores' own raw helpers (pool rows, free space, hosting names).
    static func district(_ db: Database) throws -> District? { try district(Reader(db)) }
    static func pools(_ db: Database, name: String? = nil) throws -> [Pool] { try pools(Reader(db), name: name) }
}
