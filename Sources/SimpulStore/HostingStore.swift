import Foundation
import GRDB
import SimpulCore

/// Server hosting requests (`hosting_requests`), the servers they put in the racks (`devices`, with
/// their rack place) and their enrolment for monitoring (`monitor_targets`). Every function runs in
/// the caller's `Reader` or `Transaction`.
public enum HostingStore {
    /// A request's stored lifecycle.
    public enum State: String, Sendable, Codable, DatabaseValueConvertible {
        case requested, placed, cancelled, decommissioned
    }

    /// A request as stored, with what is shown beside it: its agency, its address's state in its pool,
    /// its device and rack place, whether it is monitored, and the ticket's current step.
    public struct Stored: Sendable, FetchableRecord {
        public var id: Int64
        public var ticketID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var state: State
        public var letterNumber: String
        public var letterDate: String
        public var letterSignedBy: String
        public var contactName: String
        public var contactPhone: String?
        public var contactEmail: String?
        public var hostname: String
        public var dnsName: String
        /// `rack`, `tower` or `blade`.
        public var formFactor: String
        public var heightU: Int
        public var depthMM: Int?
        public var powerWatts: Int
        public var networkPorts: Int
        public var os: String?
        public var application: String
        public var addressScope: PoolScope
        public var pool: String?
        public var address: String?
        /// `held` or `assigned` in its pool; nil when the pool no longer has it.
        public var addressState: String?
        public var deviceName: String?
        public var rackCode: String?
        public var rackPosition: Int?
        public var monitored: Bool
        public var lastError: Text?
        public var lastCheckAt: String?
        public var lastCheckBy: String?
        public var createdAt: String
        public var updatedAt: String?
        public var decommissionedAt: String?
        /// The ticket's current step and visit while it is open or held; its playbook version.
        public var step: String?
        public var visit: Int?
        public var playbookVersion: Int?

        enum Columns {
            static let id = Column("id"), ticketID = Column("ticket_id"), agencyCode = Column("agency_code"), agencyName = Column("agency_name")
            static let state = Column("state"), letterNumber = Column("letter_number"), letterDate = Column("letter_date")
            static let letterSignedBy = Column("letter_signed_by"), contactName = Column("contact_name"), contactPhone = Column("contact_phone")
            static let contactEmail = Column("contact_email"), hostname = Column("hostname"), dnsName = Column("dns_name")
            static let formFactor = Column("form_factor"), heightU = Column("height_u"), depthMM = Column("depth_mm")
            static let powerWatts = Column("power_watts"), networkPorts = Column("network_ports"), os = Column("os")
            static let application = Column("application"), addressScope = Column("address_scope"), pool = Column("pool")
            static let address = Column("address"), addressState = Column("address_state"), deviceName = Column("device_name")
            static let rackCode = Column("rack_code"), rackPosition = Column("rack_position"), monitored = Column("monitored")
            static let lastError = Column("last_error"), lastCheckAt = Column("last_check_at"), lastCheckBy = Column("last_check_by")
            static let createdAt = Column("created_at"), updatedAt = Column("updated_at"), decommissionedAt = Column("decommissioned_at")
            static let step = Column("step"), visit = Column("visit"), playbookVersion = Column("playbook_version")
        }

        public init(row: Row) throws {
            id = row[Columns.id]
            ticketID = row[Columns.ticketID]
            agencyCode = row[Columns.agencyCode]
            agencyName = row[Columns.agencyName]
            state = State(rawValue: row[Columns.state]) ?? .requested
            letterNumber = row[Columns.letterNumber]
            letterDate = row[Columns.letterDate]
            letterSignedBy = row[Columns.letterSignedBy]
            contactName = row[Columns.contactName]
            contactPhone = row[Columns.contactPhone]
            contactEmail = row[Columns.contactEmail]
            hostname = row[Columns.hostname]
            dnsName = row[Columns.dnsName]
            formFactor = row[Columns.formFactor]
            heightU = row[Columns.heightU]
            depthMM = row[Columns.depthMM]
            powerWatts = row[Columns.powerWatts]
            networkPorts = row[Columns.networkPorts]
            os = row[Columns.os]
            application = row[Columns.application]
            addressScope = PoolScope(rawValue: row[Columns.addressScope]) ?? .private
            pool = row[Columns.pool]
            address = row[Columns.address]
            addressState = row[Columns.addressState]
            deviceName = row[Columns.deviceName]
            rackCode = row[Columns.rackCode]
            rackPosition = row[Columns.rackPosition]
            monitored = (row[Columns.monitored] as Int) > 0
            lastError = try (row[Columns.lastError] as String?).map { try StoredJSON.decode(Text.self, from: $0) }
            lastCheckAt = row[Columns.lastCheckAt]
            lastCheckBy = row[Columns.lastCheckBy]
            createdAt = row[Columns.createdAt]
            updatedAt = row[Columns.updatedAt]
            decommissionedAt = row[Columns.decommissionedAt]
            step = row[Columns.step]
            visit = row[Columns.visit]
            playbookVersion = row[Columns.playbookVersion]
        }
    }

    static let select = """
        SELECT h.*, a.code AS agency_code, a.name AS agency_name, d.name AS device_name, r.code AS rack_code, d.rack_position,
          (SELECT state FROM ip_addresses i JOIN pools p ON p.id = i.pool_id WHERE p.name = h.pool AND i.address = h.address) AS address_state,
          (SELECT current_step FROM tickets t WHERE t.id = h.ticket_id AND t.status IN ('open', 'held')) AS step,
          (SELECT current_visit FROM tickets t WHERE t.id = h.ticket_id AND t.status IN ('open', 'held')) AS visit,
          (SELECT playbook_version FROM tickets t WHERE t.id = h.ticket_id) AS playbook_version,
          (SELECT COUNT(*) FROM monitor_targets m WHERE m.device_id = h.device_id) AS monitored
        FROM hosting_requests h JOIN agencies a ON a.id = h.agency_id
        LEFT JOIN devices d ON d.id = h.device_id LEFT JOIN racks r ON r.id = d.rack_id
        """

    // MARK: Reading

    public static func request(_ reader: Reader, ticketID: Int64) throws -> Stored? {
        try Stored.fetchOne(reader.db, sql: "\(select) WHERE h.ticket_id = ?", arguments: [ticketID])
    }

    /// Requests newest first, of one agency and in one state when given.
    public static func requests(_ reader: Reader, agencyCode: String?, state: State?) throws -> [Stored] {
        try Stored.fetchAll(reader.db, sql: "\(select) WHERE (?1 IS NULL OR a.code = ?1) AND (?2 IS NULL OR h.state = ?2) ORDER BY h.id DESC",
                            arguments: [agencyCode, state])
    }

    /// Where a request stands for taking it out: its state and whether it has a device.
    public struct Standing: Sendable, FetchableRecord {
        /// Nil for a state this version does not know.
        public var state: State?
        public var stateText: String
        public var installed: Bool

        enum Columns { static let state = Column("state"), deviceID = Column("device_id") }

        public init(row: Row) {
            stateText = row[Columns.state]
            state = State(rawValue: stateText)
            installed = (row[Columns.deviceID] as Int64?) != nil
        }
    }

    public static func standing(_ reader: Reader, ticketID: Int64) throws -> Standing? {
        try Standing.fetchOne(reader.db, sql: "SELECT state, device_id FROM hosting_requests WHERE ticket_id = ?", arguments: [ticketID])
    }

    /// A cancelled request's names and pool, to make it live again.
    public struct Names: Sendable, FetchableRecord {
        public var hostname: String
        public var dnsName: String
        public var pool: String?

        public init(row: Row) {
            hostname = row[Stored.Columns.hostname]
            dnsName = row[Stored.Columns.dnsName]
            pool = row[Stored.Columns.pool]
        }
    }

    public static func cancelled(_ reader: Reader, ticketID: Int64) throws -> Names? {
        try Names.fetchOne(reader.db, sql: "SELECT hostname, dns_name, pool FROM hosting_requests WHERE ticket_id = ? AND state = 'cancelled'",
                           arguments: [ticketID])
    }

    // MARK: Writing

    /// What a filed request's row holds.
    public struct NewRequest: Sendable {
        public var ticketID: Int64
        public var agencyID: Int64
        public var letterNumber: String
        public var letterDate: String
        public var letterSignedBy: String
        public var contactName: String
        public var contactPhone: String?
        public var contactEmail: String?
        public var hostname: String
        public var dnsName: String
        public var formFactor: String
        public var heightU: Int
        public var depthMM: Int?
        public var powerWatts: Int
        public var networkPorts: Int
        public var os: String?
        public var application: String
        public var addressScope: PoolScope
        public var pool: String

        public init(ticketID: Int64, agencyID: Int64, letterNumber: String, letterDate: String, letterSignedBy: String, contactName: String,
                    contactPhone: String?, contactEmail: String?, hostname: String, dnsName: String, formFactor: String, heightU: Int,
                    depthMM: Int?, powerWatts: Int, networkPorts: Int, os: String?, application: String, addressScope: PoolScope, pool: String) {
            self.ticketID = ticketID
            self.agencyID = agencyID
            self.letterNumber = letterNumber
            self.letterDate = letterDate
            self.letterSignedBy = letterSignedBy
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.contactEmail = contactEmail
            self.hostname = hostname
            self.dnsName = dnsName
            self.formFactor = formFactor
            self.heightU = heightU
            self.depthMM = depthMM
            self.powerWatts = powerWatts
            self.networkPorts = networkPorts
            self.os = os
            self.application = application
            self.addressScope = addressScope
            self.pool = pool
        }
    }

    /// Writes a filed request. Throws `StoreConflict` when a live request or server already has its
    /// host name or DNS name (the database's unique indexes).
    public static func insert(_ tx: Transaction, _ new: NewRequest, now: Date) throws {
        do {
            try tx.db.execute(sql: """
                INSERT INTO hosting_requests (ticket_id, agency_id, state, letter_number, letter_date, letter_signed_by, contact_name, contact_phone,
                  contact_email, hostname, dns_name, form_factor, height_u, depth_mm, power_watts, network_ports, os, application, address_scope,
                  pool, created_at, updated_at)
                VALUES (?, ?, 'requested', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.ticketID, new.agencyID, new.letterNumber, new.letterDate, new.letterSignedBy, new.contactName, new.contactPhone,
                                 new.contactEmail, new.hostname, new.dnsName, new.formFactor, new.heightU, new.depthMM, new.powerWatts,
                                 new.networkPorts, new.os, new.application, new.addressScope.rawValue, new.pool,
                                 Timestamp.string(now), Timestamp.string(now)])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreConflict(message: error.message ?? "constraint")
        }
    }

    /// A cancelled request is live again, without an address. Throws `StoreConflict` when its names
    /// are now used by another live request or server.
    public static func reopen(_ tx: Transaction, ticketID: Int64, now: Date) throws {
        do {
            try tx.db.execute(sql: "UPDATE hosting_requests SET state = 'requested', address = NULL, last_error = NULL, updated_at = ? WHERE ticket_id = ?",
                              arguments: [Timestamp.string(now), ticketID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreConflict(message: error.message ?? "constraint")
        }
    }

    /// Notes the address held for the request.
    public static func setAddress(_ tx: Transaction, ticketID: Int64, address: String) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET address = ? WHERE ticket_id = ?", arguments: [address, ticketID])
    }

    /// Notes the pool and address assigned to the request.
    public static func assign(_ tx: Transaction, ticketID: Int64, pool: String, address: String, now: Date) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET pool = ?, address = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [pool, address, Timestamp.string(now), ticketID])
    }

    /// Keeps why the request's step could not be finished (its DNS did not go out).
    public static func setLastError(_ tx: Transaction, ticketID: Int64, _ error: Text, now: Date) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET last_error = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [try StoredJSON.encode(error), Timestamp.string(now), ticketID])
    }

    public static func clearLastError(_ tx: Transaction, ticketID: Int64) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET last_error = NULL WHERE ticket_id = ?", arguments: [ticketID])
    }

    /// The server becomes a device of its agency in `rackID` from unit `position` up (its site is the
    /// rack's room), and the request's device. Returns the device's id.
    @discardableResult
    public static func install(_ tx: Transaction, ticketID: Int64, hostname: String, agencyID: Int64, address: String, rackID: Int64, position: Int,
                               heightU: Int, powerWatts: Int, now: Date) throws -> Int64 {
        try tx.db.execute(sql: """
            INSERT INTO devices (name, kind, agency_id, management_address, site, rack_id, rack_position, height_u, power_watts, created_at, updated_at)
            VALUES (?, 'server', ?, ?, (SELECT ro.name FROM racks r JOIN rooms ro ON ro.id = r.room_id WHERE r.id = ?), ?, ?, ?, ?, ?, ?)
            """, arguments: [hostname, agencyID, address, rackID, rackID, position, heightU, powerWatts, Timestamp.string(now), Timestamp.string(now)])
        let deviceID = tx.db.lastInsertedRowID
        try tx.db.execute(sql: "UPDATE hosting_requests SET device_id = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [deviceID, Timestamp.string(now), ticketID])
        return deviceID
    }

    /// A server enrolled for monitoring: its device's name and agency, and how the poller checks it.
    public struct Monitored: Sendable, Hashable {
        public var device: String
        public var agencyCode: String?
        public var ticketID: Int64?
        public var address: String
        public var method: String
        public var port: Int?

        /// How it is checked, as shown: `icmp 10.20.0.5`, `tcp/443 10.20.0.5`.
        public var enrolled: String { "\(method)\(port.map { "/\($0)" } ?? "") \(address)" }
    }

    /// Every enrolled server, by device name.
    public static func monitored(_ reader: Reader) throws -> [Monitored] {
        try Row.fetchAll(reader.db, sql: """
            SELECT d.name AS device, a.code AS agency, h.ticket_id AS ticket, m.address, m.method, m.port
            FROM monitor_targets m JOIN devices d ON d.id = m.device_id
            LEFT JOIN agencies a ON a.id = d.agency_id
            LEFT JOIN hosting_requests h ON h.device_id = d.id
            ORDER BY d.name
            """).map { row in
            Monitored(device: row["device"], agencyCode: row["agency"], ticketID: row["ticket"], address: row["address"], method: row["method"], port: row["port"])
        }
    }

    /// Enrols the device named `device` with the poller (`icmp`, or `tcp` on `port`), and the request
    /// is placed: in use, its monthly check counted from now.
    public static func enrol(_ tx: Transaction, ticketID: Int64, device: String, address: String, method: String, port: Int?, by: String, now: Date) throws {
        try tx.db.execute(sql: """
            INSERT INTO monitor_targets (device_id, address, method, port, enrolled_at, enrolled_by) SELECT id, ?, ?, ?, ?, ? FROM devices WHERE name = ?
            ON CONFLICT (device_id) DO UPDATE SET address = excluded.address, method = excluded.method, port = excluded.port
            """, arguments: [address, method, port, Timestamp.string(now), by, device])
        try tx.db.execute(sql: "UPDATE hosting_requests SET state = 'placed', last_check_at = ?, last_check_by = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [Timestamp.string(now), by, Timestamp.string(now), ticketID])
    }

    /// The agency's monthly check of its server.
    public static func recordCheck(_ tx: Transaction, ticketID: Int64, by: String, now: Date) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET last_check_at = ?, last_check_by = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [Timestamp.string(now), by, Timestamp.string(now), ticketID])
    }

    /// Where a request's server was, as it leaves.
    public struct RemovedDevice: Sendable, FetchableRecord {
        var id: Int64
        public var name: String
        public var rack: String?
        public var position: Int?
        public var address: String?

        enum Columns {
            static let id = Column("id"), name = Column("name"), rack = Column("rack"), position = Column("rack_position"), address = Column("address")
        }

        public init(row: Row) {
            id = row[Columns.id]
            name = row[Columns.name]
            rack = row[Columns.rack]
            position = row[Columns.position]
            address = row[Columns.address]
        }
    }

    /// Takes the request's device out of its rack and the inventory (its monitor target goes with it,
    /// ON DELETE CASCADE); nil when it has none.
    public static func removeDevice(_ tx: Transaction, ticketID: Int64) throws -> RemovedDevice? {
        guard let device = try RemovedDevice.fetchOne(tx.db, sql: """
            SELECT d.id, d.name, r.code AS rack, d.rack_position, h.address FROM hosting_requests h
            JOIN devices d ON d.id = h.device_id LEFT JOIN racks r ON r.id = d.rack_id WHERE h.ticket_id = ?
            """, arguments: [ticketID]) else { return nil }
        try tx.db.execute(sql: "UPDATE hosting_requests SET device_id = NULL WHERE ticket_id = ?", arguments: [ticketID])
        try tx.db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [device.id])
        return device
    }

    /// The request ends in `state` (cancelled, or decommissioned now).
    public static func end(_ tx: Transaction, ticketID: Int64, state: State, now: Date) throws {
        try tx.db.execute(sql: "UPDATE hosting_requests SET state = ?, decommissioned_at = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [state, state == .decommissioned ? Timestamp.string(now) : nil, Timestamp.string(now), ticketID])
    }

    // MARK: The estate a request lands in

    /// Every rack with what is in it: units taken and power drawn per feed.
    public static func rackSpaces(_ reader: Reader) throws -> [RackSpace] {
        let devices = Dictionary(grouping: try Racked.fetchAll(reader.db, sql: """
            SELECT rack_id, rack_position, COALESCE(height_u, 1) AS height_u, COALESCE(power_watts, 0) AS power_watts FROM devices WHERE rack_id IS NOT NULL
            """), by: \.rackID)
        return try RackRow.fetchAll(reader.db, sql: "SELECT id, code, height_u, feed_a_watts, feed_b_watts FROM racks ORDER BY code").map { rack in
            let racked = devices[rack.id] ?? []
            return RackSpace(code: rack.code, heightU: rack.heightU, feedAWatts: rack.feedAWatts, feedBWatts: rack.feedBWatts,
                             occupied: racked.map { ($0.position, $0.heightU) }, loadPerFeedWatts: racked.reduce(0) { $0 + $1.powerWatts })
        }
    }

    /// A rack's size and feeds.
    struct RackRow: FetchableRecord {
        var id: Int64, code: String, heightU: Int, feedAWatts: Int?, feedBWatts: Int?

        enum Columns {
            static let id = Column("id"), code = Column("code"), heightU = Column("height_u")
            static let feedAWatts = Column("feed_a_watts"), feedBWatts = Column("feed_b_watts")
        }

        init(row: Row) {
            id = row[Columns.id]
            code = row[Columns.code]
            heightU = row[Columns.heightU]
            feedAWatts = row[Columns.feedAWatts]
            feedBWatts = row[Columns.feedBWatts]
        }
    }

    /// A device in a rack: where, how tall, what it draws.
    struct Racked: FetchableRecord {
        var rackID: Int64, position: Int, heightU: Int, powerWatts: Int

        enum Columns {
            static let rackID = Column("rack_id"), position = Column("rack_position"), heightU = Column("height_u"), powerWatts = Column("power_watts")
        }

        init(row: Row) {
            rackID = row[Columns.rackID]
            position = row[Columns.position]
            heightU = row[Columns.heightU]
            powerWatts = row[Columns.powerWatts]
        }
    }

    public static func rackID(_ reader: Reader, code: String) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT id FROM racks WHERE code = ?", arguments: [code])
    }

    /// Whether the inventory already has a device of that name.
    public static func deviceExists(_ reader: Reader, name: String) throws -> Bool {
        try Int.fetchOne(reader.db, sql: "SELECT 1 FROM devices WHERE name = ?", arguments: [name]) != nil
    }

    /// The district's domain, which a bare DNS label is put under.
    public static func districtDomain(_ reader: Reader) throws -> DomainName? {
        try InventoryStore.district(reader.db)?.domain
    }
}
