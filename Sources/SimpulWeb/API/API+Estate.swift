import SimpulCore
import SimpulServices

/// The estate: agencies, providers, links, devices, pools, zones and racks.
extension API {
    /// A person to call.
    struct Contact: Encodable, Sendable {
        var name: String
        var title: String?
        var phone: String?
        var whatsapp: String?
        var email: String?

        init(_ contact: SimpulCore.Contact) {
            name = contact.name
            title = contact.title
            phone = contact.phone
            whatsapp = contact.whatsapp
            email = contact.email
        }
    }

    /// `/agencies`: an agency with its links and devices counted.
    struct AgencySummary: Encodable, Sendable {
        var code: String
        var name: String
        var kind: String
        var contactName: String?
        var contactPhone: String?
        var links: Int
        var devices: Int
        var committedDownMbps: Double
        var committedUpMbps: Double

        init(_ summary: EstateService.AgencySummary) {
            code = summary.code
            name = summary.name
            kind = summary.kind.rawValue
            contactName = summary.contactName
            contactPhone = summary.contactPhone
            links = summary.links
            devices = summary.devices
            committedDownMbps = summary.committedDownMbps
            committedUpMbps = summary.committedUpMbps
        }
    }

    struct Agency: Encodable, Sendable {
        var code: String
        var name: String
        var kind: String
        var address: String?
        var contact: Contact?

        init(_ agency: SimpulCore.Agency) {
            code = agency.code
            name = agency.name
            kind = agency.kind.rawValue
            address = agency.address
            contact = agency.contact.map(Contact.init)
        }
    }

    /// `/agencies/{code}`: the agency, its links and its devices.
    struct AgencyDetail: Encodable, Sendable {
        var agency: Agency
        var links: [LinkEntry]
        var devices: [Device]

        init(_ detail: EstateService.AgencyDetail) {
            agency = Agency(detail.agency)
            links = detail.links.map(LinkEntry.init)
            devices = detail.devices.map(Device.init)
        }
    }

    struct Link: Encodable, Sendable {
        var circuit: String
        var agency: String
        var provider: String
        var downMbps: Double
        var upMbps: Double
        var technology: String
        var device: String?
        var interface: String?
        var healthAddress: String?

        init(_ link: SimpulCore.Link) {
            circuit = link.circuit
            agency = link.agency
            provider = link.provider
            downMbps = link.downMbps
            upMbps = link.upMbps
            technology = link.technology.rawValue
            device = link.device
            interface = link.interface
            healthAddress = link.healthAddress?.description
        }
    }

    /// A link with its agency's and provider's names.
    struct LinkEntry: Encodable, Sendable {
        var link: Link
        var agencyName: String
        var providerName: String

        init(_ view: EstateService.LinkView) {
            link = Link(view.link)
            agencyName = view.agencyName
            providerName = view.providerName
        }
    }

    struct Device: Encodable, Sendable {
        struct SNMP: Encodable, Sendable {
            var version: String
            /// The name of the credentials file's entry, never a secret.
            var credential: String
        }

        struct Placement: Encodable, Sendable {
            var rack: String
            var position: Int
            var heightU: Int
        }

        var name: String
        var kind: String
        var agency: String?
        var managementAddress: String?
        var snmp: SNMP?
        var site: String?
        var placement: Placement?
        var powerWatts: Int?
        var vendor: String?
        var model: String?
        var serial: String?

        init(_ device: SimpulCore.Device) {
            name = device.name
            kind = device.kind.rawValue
            agency = device.agency
            managementAddress = device.managementAddress?.description
            snmp = device.snmp.map { SNMP(version: $0.version.rawValue, credential: $0.credential) }
            site = device.site
            placement = device.placement.map { Placement(rack: $0.rack, position: $0.position, heightU: $0.heightU) }
            powerWatts = device.powerWatts
            vendor = device.vendor
            model = device.model
            serial = device.serial
        }
    }

    struct Provider: Encodable, Sendable {
        struct SLA: Encodable, Sendable {
            var responseMinutes: Int
            var restoreMinutes: Int
            var availabilityPercent: Double
        }

        struct EscalationContact: Encodable, Sendable {
            var level: Int
            var contact: Contact
            var afterMinutes: Int
        }

        var code: String
        var name: String
        var noc: Contact?
        var sla: SLA
        var escalation: [EscalationContact]

        init(_ provider: SimpulCore.Provider) {
            code = provider.code
            name = provider.name
            noc = provider.noc.map(Contact.init)
            sla = SLA(responseMinutes: provider.sla.responseMinutes, restoreMinutes: provider.sla.restoreMinutes,
                      availabilityPercent: provider.sla.availabilityPercent)
            escalation = provider.escalation.map {
                EscalationContact(level: $0.level, contact: Contact($0.contact), afterMinutes: $0.afterMinutes)
            }
        }
    }

    /// `/providers`: a provider with its links counted.
    struct ProviderEntry: Encodable, Sendable {
        var provider: Provider
        var links: Int
        var committedDownMbps: Double

        init(_ view: EstateService.ProviderView) {
            provider = Provider(view.provider)
            links = view.links
            committedDownMbps = view.committedDownMbps
        }
    }

    /// `/providers/{code}`: the provider and its links.
    struct ProviderDetail: Encodable, Sendable {
        var provider: ProviderEntry
        var links: [LinkEntry]
    }

    struct Pool: Encodable, Sendable {
        struct ReservedRange: Encodable, Sendable {
            var first: String
            var last: String
            var note: String?
        }

        var name: String
        var prefix: String
        var scope: String
        var gateway: String?
        var vlan: Int?
        var description: String?
        var reserved: [ReservedRange]
        var hosting: Bool

        init(_ pool: SimpulCore.Pool) {
            name = pool.name
            prefix = pool.prefix.description
            scope = pool.scope.rawValue
            gateway = pool.gateway?.description
            vlan = pool.vlan
            description = pool.description
            reserved = pool.reserved.map { ReservedRange(first: $0.first.description, last: $0.last.description, note: $0.note) }
            hosting = pool.hosting
        }
    }

    /// `/pools`: a pool with its size.
    struct PoolEntry: Encodable, Sendable {
        var pool: Pool
        var size: UInt64
        var reservedAddresses: UInt64

        init(_ view: EstateService.PoolView) {
            pool = Pool(view.pool)
            size = view.size
            reservedAddresses = view.reservedAddresses
        }
    }

    struct Zone: Encodable, Sendable {
        var name: String
        var kind: String
        var primaryNS: String
        var adminEmail: String
        var defaultTTL: Int
        var tsigKey: String?
        var server: String?
        var primaryNSAddresses: [String]

        init(_ zone: SimpulCore.Zone) {
            name = zone.name.description
            kind = zone.kind.rawValue
            primaryNS = zone.primaryNS.description
            adminEmail = zone.adminEmail
            defaultTTL = zone.defaultTTL
            tsigKey = zone.tsigKey
            server = zone.server
            primaryNSAddresses = zone.primaryNSAddresses.map(\.description)
        }
    }

    /// `/racks`: a rack, its room's name, and what is in it.
    struct RackEntry: Encodable, Sendable {
        struct Rack: Encodable, Sendable {
            var code: String
            var room: String
            var name: String?
            var heightU: Int
            var feedAWatts: Int?
            var feedBWatts: Int?
        }

        struct RackedDevice: Encodable, Sendable {
            var name: String
            var kind: String
            var agency: String?
            var position: Int
            var heightU: Int
            var powerWatts: Int?
        }

        var rack: Rack
        var roomName: String
        var devices: [RackedDevice]
        var usedU: Int
        var powerPerFeedWatts: Int

        init(_ view: EstateService.RackView) {
            let r = view.rack
            rack = Rack(code: r.code, room: r.room, name: r.name, heightU: r.heightU, feedAWatts: r.feedAWatts, feedBWatts: r.feedBWatts)
            roomName = view.roomName
            devices = view.devices.map {
                RackedDevice(name: $0.name, kind: $0.kind.rawValue, agency: $0.agency, position: $0.position, heightU: $0.heightU,
                             powerWatts: $0.powerWatts)
            }
            usedU = view.usedU
            powerPerFeedWatts = view.powerPerFeedWatts
        }
    }
}
