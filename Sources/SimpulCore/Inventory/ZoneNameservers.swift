import Foundation
import Yams

/// The address of a zone's primary name server when its name lies inside the zone
/// (`ns1.contohkab.go.id` in `contohkab.go.id`): the zone's glue. DNS servers refuse to load a zone
/// whose in-zone name server has no A/AAAA record ("NS … has no address records"), so the inventory
/// carries it with the zone, as `primary_ns_address` (one address or a list), and every zone file
/// Simpul exports or compares holds it beside the apex NS. An out-of-zone name server's address
/// belongs to the zone that holds its name.
public enum ZoneNameservers {
    /// The zone field in the inventory YAML.
    public static let field = "primary_ns_address"
    /// More addresses than this for one name server is a mistake, not a server.
    static let maxAddresses = 8

    /// Whether `zone`'s primary name server's name lies inside the zone.
    public static func isInZone(_ zone: Zone) -> Bool { isInZone(zone.primaryNS, zone.name) }

    static func isInZone(_ ns: DomainName, _ zone: DomainName) -> Bool { ns.isSubdomain(of: zone) }

    /// The glue records of `zone`: A/AAAA at its primary name server's name, with the zone's TTL.
    /// None when the name server is outside the zone.
    public static func glue(_ zone: Zone) -> [DNSRecord] {
        guard isInZone(zone) else { return [] }
        return zone.primaryNSAddresses.map {
            DNSRecord(name: zone.primaryNS, type: $0.family == .v4 ? .a : .aaaa, ttl: zone.defaultTTL, data: $0.description)
        }
    }

    /// `records` with the zone's glue added where it is not already among them.
    public static func withGlue(_ zone: Zone, _ records: [DNSRecord]) -> [DNSRecord] {
        records + glue(zone).filter { glue in !records.contains { $0.name == glue.name && $0.type == glue.type && $0.data == glue.data } }
    }

    // MARK: Reading and writing the inventory

    /// Reads `primary_ns_address` of a zone: one address or a list of them. An in-zone name server
    /// must have one (checked only when the zone read `clean`ly otherwise, so that a zone with a
    /// broken field gets one error); an out-of-zone one must not.
    static func read(_ r: FieldReader, zone: DomainName?, primaryNS: DomainName?, clean: Bool) -> [IPAddress] {
        var addresses: [IPAddress] = []
        var failed = false
        if let node = r.node(field) {
            let items: [Node] = node.sequence.map(Array.init) ?? [node]
            if items.count > maxAddresses {
                r.fail(field, Text(id: "paling banyak \(maxAddresses) alamat", en: "at most \(maxAddresses) addresses"))
                return []
            }
            for item in items {
                guard item.scalar != nil, let text = item.string?.trimmingCharacters(in: .whitespaces), let address = IPAddress(text) else {
                    let quoted = item.scalar != nil ? item.string.map { "\"\(Excerpt.of($0))\"" } : nil
                    r.fail(field, Text(id: "\(quoted ?? "nilainya") bukan alamat IPv4/IPv6 yang sah (contoh: 127.0.0.1 atau 2001:db8::53)",
                                       en: "\(quoted ?? "the value") is not a valid IPv4/IPv6 address (e.g. 127.0.0.1 or 2001:db8::53)"))
                    failed = true
                    continue
                }
                if addresses.contains(address) {
                    r.fail(field, Text(id: "\(address) ditulis dua kali", en: "\(address) is given twice"))
                    failed = true
                    continue
                }
                addresses.append(address)
            }
        }
        guard let zone, let primaryNS, !failed else { return addresses }
        if isInZone(primaryNS, zone) {
            if addresses.isEmpty && clean {
                r.fail("primary_ns", Text(
                    id: "\(primaryNS) ada di dalam zona \(zone) tetapi alamatnya tidak ditulis; tambahkan \(field): ALAMAT (server DNS menolak zona yang name server-nya di dalam zona tanpa record A/AAAA)",
                    en: "\(primaryNS) lies inside the zone \(zone) but its address is not given; add \(field): ADDRESS (DNS servers refuse a zone whose in-zone name server has no A/AAAA record)"))
            }
        } else if !addresses.isEmpty {
            r.fail(field, Text(
                id: "\(primaryNS) tidak di dalam zona \(zone); alamatnya ditulis pada zona yang memuat nama itu",
                en: "\(primaryNS) is not inside the zone \(zone); its address goes with the zone that holds that name"))
            return []
        }
        return addresses
    }

    /// The field's value as the inventory writes it: one address as a scalar, several as a list.
    static func node(_ addresses: [IPAddress]) -> Node? {
        switch addresses.count {
        case 0: return nil
        case 1: return Node(addresses[0].description)
        default: return Node(addresses.map { Node($0.description) })
        }
    }

    /// A name server's address that falls in a pool must be kept out of the pool's hands: in one
    /// of its reserved ranges (or its gateway), never an address the pool could give to someone else.
    static func issues(_ source: InventorySource, kept: Inventory) -> [InventoryIssue] {
        var pools: [String: Pool] = [:]
        for pool in kept.pools { pools[pool.name] = pool }
        for pool in source.pools { pools[pool.value.name] = pool.value }
        var issues: [InventoryIssue] = []
        for zone in source.zones {
            for address in zone.value.primaryNSAddresses {
                guard let pool = pools.values.sorted(by: { $0.name < $1.name }).first(where: { $0.prefix.contains(address) }) else { continue }
                let reserved = pool.gateway == address || pool.reserved.contains { $0.first <= address && address <= $0.last }
                guard !reserved else { continue }
                issues.append(zone.issue(field, Text(
                    id: "\(address) ada di pool \(pool.name) tetapi tidak dicadangkan; tambahkan ke reserved pool itu (note: \(zone.value.primaryNS)) agar tidak diberikan kepada yang lain",
                    en: "\(address) is in pool \(pool.name) but not reserved; add it to that pool's reserved ranges (note: \(zone.value.primaryNS)) so that it is not given to anyone else")))
            }
        }
        return issues
    }

    // MARK: Storing

    /// The addresses as stored in the zones table: space-separated, nil when there are none.
    public static func stored(_ addresses: [IPAddress]) -> String? {
        addresses.isEmpty ? nil : addresses.map(\.description).joined(separator: " ")
    }

    public static func addresses(stored text: String?) -> [IPAddress] {
        (text ?? "").split(separator: " ").compactMap { IPAddress(String($0)) }
    }
}
