public struct District: Sendable, Hashable, Codable {
    public var name: String
    public var office: String?
    public var domain: DomainName?
    /// IANA time-zone name used to show times (WITA: `Asia/Makassar`).
    public var timeZone: String?
    /// The office's letterhead (kop surat) and letter settings: what its letters print and how they
    /// are numbered and signed. Nil: no letters can be issued until the inventory gives them.
    public var letters: LetterSettings?
    /// How bandwidth surveys size what to buy: the headroom over the measured 95th percentile and
    /// the monthly budget line. Nil: the defaults (1.3, no budget line).
    public var bandwidth: BandwidthSizing.Settings?

    public init(name: String, office: String? = nil, domain: DomainName? = nil, timeZone: String? = nil, letters: LetterSettings? = nil,
                bandwidth: BandwidthSizing.Settings? = nil) {
        self.name = name
        self.office = office
        self.domain = domain
        self.timeZone = timeZone
        self.letters = letters
        self.bandwidth = bandwidth
    }
}

/// An official named on the office's letters: who initials (paraf) a draft or signs it, as printed
/// under the signature: name, position (jabatan), rank (pangkat/golongan) and NIP. `user` is the
/// Simpul account that may give the paraf or the signature.
public struct Official: Sendable, Hashable, Codable {
    public var name: String
    /// The position, as printed: `Kepala Seksi Infrastruktur Jaringan`.
    public var position: String
    /// Pangkat/golongan: `Pembina Tk. I (IV/b)`.
    public var rank: String?
    /// Nomor Induk Pegawai: 18 digits.
    public var nip: String?
    public var user: String?

    public init(name: String, position: String, rank: String? = nil, nip: String? = nil, user: String? = nil) {
        self.name = name
        self.position = position
        self.rank = rank
        self.nip = nip
        self.user = user
    }
}

/// The letterhead (kop surat) and the rules of the office's letters.
public struct LetterSettings: Sendable, Hashable, Codable {
    /// The office's name on the letterhead, in capitals as printed (defaults to the district's office).
    public var heading: [String]
    public var address: String
    public var phone: String?
    public var email: String?
    public var website: String?
    /// The logo's file, beside the inventory's YAML (PNG, JPEG or SVG); read at import.
    public var logo: String?
    /// The number's pattern (`LetterNumberScheme`): `800/DKISP/{seq}/{month_roman}/{year}`.
    public var number: String
    /// The first sequence number of a year.
    public var startAt: Int
    /// Where letters are dated: `Tilamuta`.
    public var city: String
    /// Who signs (the head of office).
    public var signatory: Official
    /// Who initials a draft before it is signed, in order (section head, then division head).
    public var paraf: [Official]

    public static let defaultNumber = "800/DKISP/{seq}/{month_roman}/{year}"

    public init(heading: [String], address: String, phone: String? = nil, email: String? = nil, website: String? = nil, logo: String? = nil,
                number: String = Self.defaultNumber, startAt: Int = 1, city: String, signatory: Official, paraf: [Official]) {
        self.heading = heading
        self.address = address
        self.phone = phone
        self.email = email
        self.website = website
        self.logo = logo
        self.number = number
        self.startAt = startAt
        self.city = city
        self.signatory = signatory
        self.paraf = paraf
    }
}

/// A person to call: an agency's contact or a provider's escalation contact.
public struct Contact: Sendable, Hashable, Codable {
    public var name: String
    public var title: String?
    public var phone: String?
    public var whatsapp: String?
    public var email: String?

    public init(name: String, title: String? = nil, phone: String? = nil, whatsapp: String? = nil, email: String? = nil) {
        self.name = name
        self.title = title
        self.phone = phone
        self.whatsapp = whatsapp
        self.email = email
    }
}

/// The kinds of government agency (perangkat daerah) a district has.
public enum AgencyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dinas, badan, sekretariat, inspektorat, kantor, satpol, kecamatan, kelurahan, desa, puskesmas, rsud, sekolah, lainnya
}

/// A government agency of the district (perangkat daerah / OPD): a customer of the office.
public struct Agency: Sendable, Hashable, Codable {
    /// How many address ranges one agency may list.
    public static let maxNetworks = 64

    public var code: String
    public var name: String
    public var kind: AgencyKind
    public var address: String?
    public var contact: Contact?
    /// The area (kecamatan, zone) the office groups agencies by for upkeep rounds.
    public var area: String?
    /// The agency's own address ranges: traffic to and from them is the agency's in a packet
    /// capture (longest prefix wins where ranges nest). Data only: nothing connects to them.
    public var networks: [Prefix]

    public init(code: String, name: String, kind: AgencyKind, address: String? = nil, contact: Contact? = nil, area: String? = nil,
                networks: [Prefix] = []) {
        self.code = code
        self.name = name
        self.kind = kind
        self.address = address
        self.contact = contact
        self.area = area
        self.networks = networks
    }
}

/// A provider's contract service levels.
public struct ContractSLA: Sendable, Hashable, Codable {
    public var responseMinutes: Int
    public var restoreMinutes: Int
    public var availabilityPercent: Double

    public init(responseMinutes: Int, restoreMinutes: Int, availabilityPercent: Double) {
        self.responseMinutes = responseMinutes
        self.restoreMinutes = restoreMinutes
        self.availabilityPercent = availabilityPercent
    }
}

/// One rung of a provider's escalation ladder.
public struct EscalationContact: Sendable, Hashable, Codable {
    public var level: Int
    public var contact: Contact
    /// Escalate to this level when a fault has been open this long.
    public var afterMinutes: Int

    public init(level: Int, contact: Contact, afterMinutes: Int) {
        self.level = level
        self.contact = contact
        self.afterMinutes = afterMinutes
    }
}

/// A network service provider (ISP) under contract (penyedia layanan).
public struct Provider: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var noc: Contact?
    public var sla: ContractSLA
    public var escalation: [EscalationContact]
    /// The bandwidth products the provider sells under its contract (surveys round up to them).
    public var tiers: [ProviderTier]

    public init(code: String, name: String, noc: Contact? = nil, sla: ContractSLA, escalation: [EscalationContact] = [], tiers: [ProviderTier] = []) {
        self.code = code
        self.name = name
        self.noc = noc
        self.sla = sla
        self.escalation = escalation
        self.tiers = tiers
    }
}

/// A data-center room.
public struct Room: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var site: String?

    public init(code: String, name: String, site: String? = nil) {
        self.code = code
        self.name = name
        self.site = site
    }
}

/// A rack in a room, with its height and power budget per feed.
public struct Rack: Sendable, Hashable, Codable {
    public var code: String
    public var room: String
    public var name: String?
    public var heightU: Int
    public var feedAWatts: Int?
    public var feedBWatts: Int?

    public init(code: String, room: String, name: String? = nil, heightU: Int, feedAWatts: Int? = nil, feedBWatts: Int? = nil) {
        self.code = code
        self.room = room
        self.name = name
        self.heightU = heightU
        self.feedAWatts = feedAWatts
        self.feedBWatts = feedBWatts
    }
}

public enum DeviceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case router, `switch`, firewall, server, access_point, ups, other
}

public enum SNMPVersion: String, Sendable, Hashable, Codable, CaseIterable {
    case v2c = "2c"
    case v3 = "3"
}

/// How to reach a device over SNMP. `credential` names an entry in the credentials file;
/// the community or passphrases themselves never enter the database.
public struct SNMPAccess: Sendable, Hashable, Codable {
    /// The agent's UDP port when the inventory does not give one.
    public static let defaultPort: UInt16 = 161

    public var version: SNMPVersion
    public var credential: String
    /// The agent's UDP port: 161 unless given (example and test agents listen on loopback high ports).
    public var port: UInt16

    public init(version: SNMPVersion, credential: String, port: UInt16 = SNMPAccess.defaultPort) {
        self.version = version
        self.credential = credential
        self.port = port
    }

    enum CodingKeys: String, CodingKey { case version, credential, port }

    /// `port` may be absent (JSON written before it existed): 161.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(SNMPVersion.self, forKey: .version)
        credential = try c.decode(String.self, forKey: .credential)
        let port = try c.decodeIfPresent(UInt16.self, forKey: .port) ?? Self.defaultPort
        guard port >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "an SNMP port is 1…65535")
        }
        self.port = port
    }
}

/// Where a device sits in a rack: its lowest unit and height.
public struct RackPlacement: Sendable, Hashable, Codable {
    public var rack: String
    public var position: Int
    public var heightU: Int

    public init(rack: String, position: Int, heightU: Int) {
        self.rack = rack
        self.position = position
        self.heightU = heightU
    }

    /// The units occupied, bottom to top.
    public var units: ClosedRange<Int> { position...(position + heightU - 1) }
}

/// A router, switch, server or other managed device.
public struct Device: Sendable, Hashable, Codable {
    public var name: String
    public var kind: DeviceKind
    public var agency: String?
    public var managementAddress: IPAddress?
    public var snmp: SNMPAccess?
    public var site: String?
    public var placement: RackPlacement?
    public var powerWatts: Int?
    public var vendor: String?
    public var model: String?
    public var serial: String?

    public init(name: String, kind: DeviceKind, agency: String? = nil, managementAddress: IPAddress? = nil,
                snmp: SNMPAccess? = nil, site: String? = nil, placement: RackPlacement? = nil, powerWatts: Int? = nil,
                vendor: String? = nil, model: String? = nil, serial: String? = nil) {
        self.name = name
        self.kind = kind
        self.agency = agency
        self.managementAddress = managementAddress
        self.snmp = snmp
        self.site = site
        self.placement = placement
        self.powerWatts = powerWatts
        self.vendor = vendor
        self.model = model
        self.serial = serial
    }
}

public enum LinkTechnology: String, Sendable, Hashable, Codable, CaseIterable {
    case fiber, radio, metro_ethernet, vsat, lte, adsl, other
}

/// A circuit from a provider to an agency, with its committed rates and where to check its health.
public struct Link: Sendable, Hashable, Codable {
    public var circuit: String
    public var agency: String
    public var provider: String
    public var downMbps: Double
    public var upMbps: Double
    public var technology: LinkTechnology
    public var device: String?
    public var interface: String?
    public var healthAddress: IPAddress?

    public init(circuit: String, agency: String, provider: String, downMbps: Double, upMbps: Double,
                technology: LinkTechnology, device: String? = nil, interface: String? = nil, healthAddress: IPAddress? = nil) {
        self.circuit = circuit
        self.agency = agency
        self.provider = provider
        self.downMbps = downMbps
        self.upMbps = upMbps
        self.technology = technology
        self.device = device
        self.interface = interface
        self.healthAddress = healthAddress
    }
}

public enum PoolScope: String, Sendable, Hashable, Codable, CaseIterable {
    case `private`, `public`
}

/// A range inside a pool that is never handed out.
public struct ReservedRange: Sendable, Hashable, Codable {
    public var first: IPAddress
    public var last: IPAddress
    public var note: String?

    public init(first: IPAddress, last: IPAddress, note: String? = nil) {
        self.first = first
        self.last = last
        self.note = note
    }

    public var text: String { first == last ? first.description : "\(first)-\(last)" }
}

/// An address pool: a prefix the office hands addresses out of.
public struct Pool: Sendable, Hashable, Codable {
    public var name: String
    public var prefix: Prefix
    public var scope: PoolScope
    public var gateway: IPAddress?
    public var vlan: Int?
    public var description: String?
    public var reserved: [ReservedRange]
    /// Servers placed in the data center take their address from this pool (of their scope).
    public var hosting: Bool

    public init(name: String, prefix: Prefix, scope: PoolScope, gateway: IPAddress? = nil, vlan: Int? = nil,
                description: String? = nil, reserved: [ReservedRange] = [], hosting: Bool = false) {
        self.hosting = hosting
        self.name = name
        self.prefix = prefix
        self.scope = scope
        self.gateway = gateway
        self.vlan = vlan
        self.description = description
        self.reserved = reserved
    }
}

public enum ZoneKind: String, Sendable, Hashable, Codable, CaseIterable {
    case forward, reverse
}

/// A DNS zone the office is authoritative for.
public struct Zone: Sendable, Hashable, Codable {
    public var name: DomainName
    public var kind: ZoneKind
    public var primaryNS: DomainName
    public var adminEmail: String
    public var defaultTTL: Int
    /// Name of the TSIG key that signs updates; the secret lives in a file.
    public var tsigKey: String?
    /// `host:port` of the DNS server that takes this zone's dynamic updates.
    public var server: String?
    /// The primary name server's address(es) when its name lies inside the zone: the zone's glue (`ZoneNameservers`).
    public var primaryNSAddresses: [IPAddress]

    public init(name: DomainName, kind: ZoneKind, primaryNS: DomainName, adminEmail: String, defaultTTL: Int = 3600,
                tsigKey: String? = nil, server: String? = nil, primaryNSAddresses: [IPAddress] = []) {
        self.name = name
        self.kind = kind
        self.primaryNS = primaryNS
        self.adminEmail = adminEmail
        self.defaultTTL = defaultTTL
        self.tsigKey = tsigKey
        self.server = server
        self.primaryNSAddresses = primaryNSAddresses
    }
}

/// The whole estate as values: what `Inventory/` describes and what the database holds.
public struct Inventory: Sendable, Hashable {
    public var district: District?
    public var agencies: [Agency] = []
    public var providers: [Provider] = []
    public var rooms: [Room] = []
    public var racks: [Rack] = []
    public var devices: [Device] = []
    public var links: [Link] = []
    public var pools: [Pool] = []
    public var zones: [Zone] = []

    public init() {}
}
