import Foundation
import Yams

/// Renders an inventory as the YAML files that `InventoryReader` reads back to the same values.
public enum InventoryWriter {
    /// One document per section file, in the layout of the example `Inventory/`.
    static func letters(_ l: LetterSettings) -> Node {
        func official(_ o: Official) -> Node {
            map([("name", s(o.name)), ("position", s(o.position)), ("rank", s(o.rank)), ("nip", q(o.nip)), ("user", s(o.user))])
        }
        return map([
            ("heading", Node(l.heading.map { Node($0) })), ("address", s(l.address)), ("phone", q(l.phone)), ("email", s(l.email)),
            ("website", s(l.website)), ("logo", s(l.logo)), ("number", q(l.number)), ("start_at", n(l.startAt)), ("city", s(l.city)),
            ("signatory", official(l.signatory)), ("paraf", Node(l.paraf.map(official))),
        ])
    }

    public static func documents(_ inventory: Inventory) throws -> [InventoryDocument] {
        var documents: [InventoryDocument] = []
        func add(_ file: String, _ key: String, _ node: Node) throws {
            let root = Node([(Node(key), node)])
            documents.append(InventoryDocument(file: file, text: try Yams.serialize(node: root, width: -1, allowUnicode: true)))
        }
        if let district = inventory.district {
            try add("district.yaml", "district", map([
                ("name", s(district.name)), ("office", s(district.office)),
                ("domain", s(district.domain?.description)), ("time_zone", s(district.timeZone)),
                ("letters", district.letters.map(letters)),
                ("bandwidth", district.bandwidth.map { b in map([("headroom", d(b.headroom)), ("monthly_budget", b.monthlyBudget.map(n))]) }),
            ]))
        }
        try add("agencies.yaml", "agencies", Node(inventory.agencies.sorted { $0.code < $1.code }.map { a in
            map([("code", s(a.code)), ("name", s(a.name)), ("kind", s(a.kind.rawValue)), ("address", s(a.address)),
                 ("contact", a.contact.map(contact)), ("area", s(a.area)),
                 ("networks", a.networks.isEmpty ? nil : Node(a.networks.map { Node($0.description) }))])
        }))
        try add("providers.yaml", "providers", Node(inventory.providers.sorted { $0.code < $1.code }.map { p in
            map([
                ("code", s(p.code)), ("name", s(p.name)),
                ("noc", p.noc.map { map([("name", s($0.name)), ("phone", q($0.phone)), ("whatsapp", q($0.whatsapp)), ("email", s($0.email))]) }),
                ("sla", map([("response_minutes", n(p.sla.responseMinutes)), ("restore_minutes", n(p.sla.restoreMinutes)),
                             ("availability_percent", d(p.sla.availabilityPercent))])),
                ("tiers", p.tiers.isEmpty ? nil : Node(p.tiers.map { t in map([("mbps", n(t.mbps)), ("monthly_price", n(t.monthlyPrice))]) })),
                ("escalation", p.escalation.isEmpty ? nil : Node(p.escalation.map { e in
                    map([("level", n(e.level)), ("name", s(e.contact.name)), ("title", s(e.contact.title)),
                         ("phone", q(e.contact.phone)), ("whatsapp", q(e.contact.whatsapp)), ("email", s(e.contact.email)),
                         ("after_minutes", n(e.afterMinutes))])
                })),
            ])
        }))
        let racksByRoom = Dictionary(grouping: inventory.racks, by: \.room)
        try add("datacenter.yaml", "rooms", Node(inventory.rooms.sorted { $0.code < $1.code }.map { room in
            map([("code", s(room.code)), ("name", s(room.name)), ("site", s(room.site)),
                 ("racks", Node((racksByRoom[room.code] ?? []).sorted { $0.code < $1.code }.map { r in
                     map([("code", s(r.code)), ("name", s(r.name)), ("height_u", n(r.heightU)),
                          ("feed_a_watts", r.feedAWatts.map(n)), ("feed_b_watts", r.feedBWatts.map(n))])
                 }))])
        }))
        try add("devices.yaml", "devices", Node(inventory.devices.sorted { $0.name < $1.name }.map { dv in
            map([
                ("name", s(dv.name)), ("kind", s(dv.kind.rawValue)), ("agency", s(dv.agency)),
                ("management_address", s(dv.managementAddress?.description)),
                ("snmp", dv.snmp.map { map([("version", q($0.version.rawValue)), ("credential", s($0.credential)),
                                              ("port", $0.port == SNMPAccess.defaultPort ? nil : n(Int($0.port)))]) }),
                ("site", s(dv.site)), ("rack", s(dv.placement?.rack)), ("position", dv.placement.map { n($0.position) }),
                ("height_u", dv.placement.map { n($0.heightU) }), ("power_watts", dv.powerWatts.map(n)),
                ("vendor", s(dv.vendor)), ("model", s(dv.model)), ("serial", q(dv.serial)),
            ])
        }))
        try add("links.yaml", "links", Node(inventory.links.sorted { $0.circuit < $1.circuit }.map { l in
            map([("circuit", s(l.circuit)), ("agency", s(l.agency)), ("provider", s(l.provider)),
                 ("down_mbps", d(l.downMbps)), ("up_mbps", d(l.upMbps)), ("technology", s(l.technology.rawValue)),
                 ("device", s(l.device)), ("interface", s(l.interface)), ("health_address", s(l.healthAddress?.description))])
        }))
        try add("pools.yaml", "pools", Node(inventory.pools.sorted { $0.name < $1.name }.map { p in
            map([("name", s(p.name)), ("prefix", s(p.prefix.description)), ("scope", s(p.scope.rawValue)),
                 ("gateway", s(p.gateway?.description)), ("vlan", p.vlan.map(n)), ("description", s(p.description)),
                 ("hosting", p.hosting ? Node("true", Tag(.bool)) : nil),
                 ("reserved", p.reserved.isEmpty ? nil : Node(p.reserved.map { r in map([("range", s(r.text)), ("note", s(r.note))]) }))])
        }))
        try add("zones.yaml", "zones", Node(inventory.zones.sorted { $0.name < $1.name }.map { z in
            map([("name", s(z.name.description)), ("kind", s(z.kind.rawValue)), ("primary_ns", s(z.primaryNS.description)),
                 (ZoneNameservers.field, ZoneNameservers.node(z.primaryNSAddresses)), ("admin_email", s(z.adminEmail)), ("default_ttl", n(z.defaultTTL)), ("tsig_key", s(z.tsigKey)), ("server", s(z.server))])
        }))
        return documents
    }

    static func map(_ pairs: [(String, Node?)]) -> Node {
        Node(pairs.compactMap { key, value in value.map { (Node(key), $0) } })
    }

    static func contact(_ c: Contact) -> Node {
        map([("name", s(c.name)), ("title", s(c.title)), ("phone", q(c.phone)), ("whatsapp", q(c.whatsapp)), ("email", s(c.email))])
    }

    static func s(_ value: String?) -> Node? {
        value.map { Node($0, Tag(.str), needsQuotes($0) ? .doubleQuoted : .plain) }
    }

    static func q(_ value: String?) -> Node? { value.map { Node($0, Tag(.str), .doubleQuoted) } }
    static func n(_ value: Int) -> Node { Node(String(value), Tag(.int)) }

    static func d(_ value: Double) -> Node {
        value == value.rounded() && abs(value) < 1e15 ? Node(String(Int(value)), Tag(.int)) : Node(String(value), Tag(.float))
    }

    /// Plain scalars YAML would read as something other than this string.
    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty || Double(text) != nil { return true }
        let lowered = text.lowercased()
        return ["true", "false", "yes", "no", "on", "off", "null", "~"].contains(lowered)
    }
}
