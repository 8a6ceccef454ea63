import SimpulCore
import SimpulServices

/// Estate values as template views. Presentation only: which rows a user sees was decided by the service.
enum EstateViews {
    static func contact(_ contact: Contact?) -> View? {
        guard let contact else { return nil }
        return view(["name": contact.name, "title": contact.title, "phone": contact.phone,
                     "whatsapp": contact.whatsapp, "email": contact.email])
    }

    static func agency(_ summary: EstateService.AgencySummary, _ words: Wording) -> View {
        let format = Format(words.language)
        return view(["code": summary.code, "name": summary.name, "kind": words.kind(summary.kind),
              "contactName": summary.contactName, "contactPhone": summary.contactPhone,
              "links": summary.links, "devices": summary.devices,
              "down": format.mbps(summary.committedDownMbps), "up": format.mbps(summary.committedUpMbps)])
    }

    static func link(_ item: EstateService.LinkView, _ language: Language) -> View {
        let link = item.link, format = Format(language)
        return view(["circuit": link.circuit, "agency": link.agency, "agencyName": item.agencyName,
                     "provider": link.provider, "providerName": item.providerName,
                     "technology": link.technology.title(language),
                     "down": format.mbps(link.downMbps), "up": format.mbps(link.upMbps),
                     "device": link.device, "interface": link.interface, "healthAddress": link.healthAddress?.description])
    }

    static func device(_ device: Device, _ language: Language) -> View {
        let format = Format(language)
        return view(["name": device.name, "kind": device.kind.title(language), "agency": device.agency,
              "address": device.managementAddress?.description,
              "snmp": device.snmp.map { "\($0.version.title) · \($0.credential)" }, "site": device.site,
              "rack": device.placement.map { format.rackPlace($0.rack, position: $0.position, heightU: $0.heightU) },
              "power": device.powerWatts.map(format.watts),
              "model": [device.vendor, device.model].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
              "serial": device.serial])
    }

    static func provider(_ item: EstateService.ProviderView, _ language: Language) -> View {
        let p = item.provider, format = Format(language)
        return view(["code": p.code, "name": p.name, "noc": contact(p.noc),
                     "response": format.minutes(p.sla.responseMinutes), "restore": format.minutes(p.sla.restoreMinutes),
                     "availability": format.percent(p.sla.availabilityPercent, places: 2),
                     "links": item.links, "down": format.mbps(item.committedDownMbps),
                     "escalation": p.escalation.sorted { $0.level < $1.level }.map { rung in
                         view(["level": rung.level, "after": format.minutes(rung.afterMinutes), "contact": contact(rung.contact)])
                     }])
    }

    static func pool(_ item: EstateService.PoolView, _ language: Language) -> View {
        let pool = item.pool, format = Format(language)
        return view(["name": pool.name, "prefix": pool.prefix.description, "scope": pool.scope.title(language),
                     "gateway": pool.gateway?.description, "vlan": pool.vlan, "description": pool.description,
                     "size": format.addresses(hostBits: pool.prefix.family.bitWidth - pool.prefix.length),
                     "reservedCount": format.count(item.reservedAddresses),
                     "reserved": pool.reserved.map { view(["range": $0.text, "note": $0.note]) }])
    }

    static func zone(_ zone: Zone, _ language: Language) -> View {
        view(["name": zone.name.description, "kind": zone.kind.title(language), "primaryNS": zone.primaryNS.description,
              "adminEmail": zone.adminEmail, "ttl": Format(language).exactly(zone.defaultTTL), "tsigKey": zone.tsigKey, "server": zone.server])
    }
}

