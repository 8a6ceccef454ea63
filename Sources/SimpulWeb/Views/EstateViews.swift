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
        let language = words.language
        return view(["code": summary.code, "name": summary.name, "kind": words.kind(summary.kind),
              "contactName": summary.contactName, "contactPhone": summary.contactPhone,
              "links": summary.links, "devices": summary.devices,
              "down": Format.mbps(summary.committedDownMbps, language), "up": Format.mbps(summary.committedUpMbps, language)])
    }

    static func link(_ item: EstateService.LinkView, _ language: Language) -> View {
        let link = item.link
        return view(["circuit": link.circuit, "agency": link.agency, "agencyName": item.agencyName,
                     "provider": link.provider, "providerName": item.providerName,
                     "technology": link.technology.rawValue,
                     "down": Format.mbps(link.downMbps, language), "up": Format.mbps(link.upMbps, language),
                     "device": link.device, "interface": link.interface, "healthAddress": link.healthAddress?.description])
    }

    static func device(_ device: Device) -> View {
        view(["name": device.name, "kind": device.kind.rawValue, "agency": device.agency,
              "address": device.managementAddress?.description,
              "snmp": device.snmp.map { "v\($0.version.rawValue) · \($0.credential)" }, "site": device.site,
              "rack": device.placement.map { p in p.heightU > 1 ? "\(p.rack) U\(p.position)–U\(p.position + p.heightU - 1)" : "\(p.rack) U\(p.position)" },
              "power": device.powerWatts.map { "\($0) W" },
              "model": [device.vendor, device.model].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
              "serial": device.serial])
    }

    static func provider(_ item: EstateService.ProviderView, _ language: Language) -> View {
        let p = item.provider
        return view(["code": p.code, "name": p.name, "noc": contact(p.noc),
                     "response": p.sla.responseMinutes, "restore": p.sla.restoreMinutes,
                     "availability": availability(p.sla.availabilityPercent, language),
                     "links": item.links, "down": Format.mbps(item.committedDownMbps, language),
                     "escalation": p.escalation.sorted { $0.level < $1.level }.map { rung in
                         view(["level": rung.level, "after": rung.afterMinutes, "contact": contact(rung.contact)])
                     }])
    }

    static func availability(_ percent: Double, _ language: Language) -> String {
        var text = String(percent)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return (language == .id ? text.replacingOccurrences(of: ".", with: ",") : text) + "%"
    }

    static func pool(_ item: EstateService.PoolView, _ language: Language) -> View {
        let pool = item.pool
        return view(["name": pool.name, "prefix": pool.prefix.description, "scope": pool.scope.rawValue,
                     "gateway": pool.gateway?.description, "vlan": pool.vlan, "description": pool.description,
                     "size": item.size == .max ? "≥ 2^64" : Format.number(Int(clamping: item.size), language),
                     "reservedCount": item.reservedAddresses == .max ? "≥ 2^64" : Format.number(Int(clamping: item.reservedAddresses), language),
                     "reserved": pool.reserved.map { view(["range": $0.text, "note": $0.note]) }])
    }

    static func zone(_ zone: Zone) -> View {
        view(["name": zone.name.description, "kind": zone.kind.rawValue, "primaryNS": zone.primaryNS.description,
              "adminEmail": zone.adminEmail, "ttl": zone.defaultTTL, "tsigKey": zone.tsigKey, "server": zone.server])
    }
}

