import Foundation
import GRDB
import SimpulCore

// The estate's tables as records: each decodes one row (with the codes of what it refers to,
// joined in as `<table>_code`) and gives the core value the rest of Simpul uses.

struct AgencyRecord: Decodable, FetchableRecord {
    var code: String
    var name: String
    var kind: AgencyKind
    var address: String?
    var contactName: String?
    var contactTitle: String?
    var contactPhone: String?
    var contactWhatsapp: String?
    var contactEmail: String?
    var area: String?
    /// The agency's address ranges in their inventory order, space-separated (`select` joins them in).
    var networks: String?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    enum Columns {
        static let id = Column("id"), code = Column("code"), name = Column("name"), kind = Column("kind")
    }

    /// Agencies with their networks; add a WHERE/ORDER BY on `a`.
    static let select = """
        SELECT a.*, (SELECT group_concat(prefix, ' ') FROM (SELECT prefix FROM agency_networks n WHERE n.agency_id = a.id ORDER BY position))
          AS networks
        FROM agencies a
        """

    var agency: Agency {
        Agency(code: code, name: name, kind: kind, address: address,
               contact: contactName.map { Contact(name: $0, title: contactTitle, phone: contactPhone, whatsapp: contactWhatsapp, email: contactEmail) },
               area: area, networks: (networks ?? "").split(separator: " ").compactMap { Prefix(String($0)) })
    }
}

struct ProviderRecord: Decodable, FetchableRecord {
    var id: Int64
    var code: String
    var name: String
    var nocName: String?
    var nocPhone: String?
    var nocWhatsapp: String?
    var nocEmail: String?
    var slaResponseMinutes: Int
    var slaRestoreMinutes: Int
    var slaAvailabilityPercent: Double
    var tiers: String?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    func provider(escalation: [EscalationContact]) -> Provider {
        var noc: Contact?
        if nocName != nil || nocPhone != nil || nocEmail != nil {
            noc = Contact(name: nocName ?? "NOC", phone: nocPhone, whatsapp: nocWhatsapp, email: nocEmail)
        }
        return Provider(code: code, name: name, noc: noc,
                        sla: ContractSLA(responseMinutes: slaResponseMinutes, restoreMinutes: slaRestoreMinutes,
                                         availabilityPercent: slaAvailabilityPercent),
                        escalation: escalation, tiers: (try? JSONDecoder().decode([ProviderTier].self, from: Data((tiers ?? "[]").utf8))) ?? [])
    }
}

struct EscalationRecord: Decodable, FetchableRecord {
    var providerId: Int64
    var level: Int
    var name: String
    var title: String?
    var phone: String?
    var whatsapp: String?
    var email: String?
    var afterMinutes: Int

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    var contact: EscalationContact {
        EscalationContact(level: level, contact: Contact(name: name, title: title, phone: phone, whatsapp: whatsapp, email: email),
                          afterMinutes: afterMinutes)
    }
}

struct RoomRecord: Decodable, FetchableRecord {
    var code: String
    var name: String
    var site: String?

    var room: Room { Room(code: code, name: name, site: site) }
}

/// A rack, with its room's code (`room_code`).
struct RackRecord: Decodable, FetchableRecord {
    var id: Int64
    var code: String
    var roomCode: String
    var name: String?
    var heightU: Int
    var feedAWatts: Int?
    var feedBWatts: Int?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    var rack: Rack {
        Rack(code: code, room: roomCode, name: name, heightU: heightU, feedAWatts: feedAWatts, feedBWatts: feedBWatts)
    }
}

/// A device, with its agency's and rack's codes (`agency_code`, `rack_code`).
struct DeviceRecord: Decodable, FetchableRecord {
    var name: String
    var kind: DeviceKind
    var agencyCode: String?
    var managementAddress: IPAddress?
    var snmpVersion: String?
    var snmpCredential: String?
    var snmpPort: Int?
    var site: String?
    var rackCode: String?
    var rackPosition: Int?
    var heightU: Int?
    var powerWatts: Int?
    var vendor: String?
    var model: String?
    var serial: String?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    /// Read by column name, not through `Decodable` (as `LinkRecord`).
    init(row: Row) {
        name = row["name"]
        kind = row["kind"]
        agencyCode = row["agency_code"]
        managementAddress = row["management_address"]
        snmpVersion = row["snmp_version"]
        snmpCredential = row["snmp_credential"]
        snmpPort = row["snmp_port"]
        site = row["site"]
        rackCode = row["rack_code"]
        rackPosition = row["rack_position"]
        heightU = row["height_u"]
        powerWatts = row["power_watts"]
        vendor = row["vendor"]
        model = row["model"]
        serial = row["serial"]
    }

    var device: Device {
        var snmp: SNMPAccess?
        if let snmpVersion, let version = SNMPVersion(rawValue: snmpVersion), let snmpCredential {
            let port = snmpPort.flatMap { (1...65_535).contains($0) ? UInt16($0) : nil } ?? SNMPAccess.defaultPort
            snmp = SNMPAccess(version: version, credential: snmpCredential, port: port)
        }
        var placement: RackPlacement?
        if let rackCode, let rackPosition {
            placement = RackPlacement(rack: rackCode, position: rackPosition, heightU: heightU ?? 1)
        }
        return Device(name: name, kind: kind, agency: agencyCode, managementAddress: managementAddress, snmp: snmp, site: site,
                      placement: placement, powerWatts: powerWatts, vendor: vendor, model: model, serial: serial)
    }
}

/// A link, with its agency's and provider's codes and its device's name.
struct LinkRecord: Decodable, FetchableRecord {
    var circuit: String
    var agencyCode: String
    var providerCode: String
    var downMbps: Double
    var upMbps: Double
    var technology: LinkTechnology
    var deviceName: String?
    var interface: String?
    var healthAddress: IPAddress?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    /// Read by column name, not through `Decodable`: `simpul poll` reads every link each minute, and
    /// the keyed decoding container cost more than the query.
    init(row: Row) {
        circuit = row["circuit"]
        agencyCode = row["agency_code"]
        providerCode = row["provider_code"]
        downMbps = row["down_mbps"]
        upMbps = row["up_mbps"]
        technology = row["technology"]
        deviceName = row["device_name"]
        interface = row["interface"]
        healthAddress = row["health_address"]
    }

    var link: Link {
        Link(circuit: circuit, agency: agencyCode, provider: providerCode, downMbps: downMbps, upMbps: upMbps, technology: technology,
             device: deviceName, interface: interface, healthAddress: healthAddress)
    }
}

struct PoolRecord: Decodable, FetchableRecord {
    var id: Int64
    var name: String
    var prefix: String
    var scope: PoolScope
    var gateway: IPAddress?
    var vlan: Int?
    var description: String?
    var hosting: Int64?

    /// Nil for a prefix that does not parse (the pool is left out, as it always was).
    func pool(reserved: [ReservedRange]) -> Pool? {
        guard let prefix = Prefix(prefix) else { return nil }
        return Pool(name: name, prefix: prefix, scope: scope, gateway: gateway, vlan: vlan, description: description,
                    reserved: reserved, hosting: (hosting ?? 0) != 0)
    }
}

struct ReservedRecord: Decodable, FetchableRecord {
    var poolId: Int64
    var first: String
    var last: String
    var note: String?

    static let databaseColumnDecodingStrategy = SnakeCaseColumns.strategy

    var range: ReservedRange? {
        guard let first = IPAddress(first), let last = IPAddress(last) else { return nil }
        return ReservedRange(first: first, last: last, note: note)
    }
}

/// A zone; a name that does not parse reads as `invalid.invalid` (it shows, and fails its checks).
struct ZoneRecord: FetchableRecord {
    var zone: Zone

    enum Columns {
        static let name = Column("name"), kind = Column("kind"), primaryNS = Column("primary_ns"), adminEmail = Column("admin_email")
        static let defaultTTL = Column("default_ttl"), tsigKey = Column("tsig_key"), server = Column("server")
        static let primaryNSAddresses = Column("primary_ns_addresses")
    }

    init(row: Row) {
        let invalid = DomainName("invalid.invalid")!
        zone = Zone(name: DomainName(row[Columns.name] as String) ?? invalid, kind: row[Columns.kind] ?? .forward,
                    primaryNS: DomainName(row[Columns.primaryNS] as String) ?? invalid, adminEmail: row[Columns.adminEmail],
                    defaultTTL: row[Columns.defaultTTL], tsigKey: row[Columns.tsigKey], server: row[Columns.server],
                    primaryNSAddresses: ZoneNameservers.addresses(stored: row[Columns.primaryNSAddresses]))
    }
}
