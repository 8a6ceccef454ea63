/// An inventory item identified by a natural key (code, name, circuit…).
public protocol InventoryItem: Sendable, Hashable, Codable {
    /// The section name used in messages, the audit log and the YAML (`agencies`, `links`…).
    static var section: String { get }
    /// The audit log's object type (`agency`, `link`…).
    static var objectType: String { get }
    var key: String { get }
}

extension Agency: InventoryItem {
    public static var section: String { "agencies" }
    public static var objectType: String { "agency" }
    public var key: String { code }
}
extension Provider: InventoryItem {
    public static var section: String { "providers" }
    public static var objectType: String { "provider" }
    public var key: String { code }
}
extension Room: InventoryItem {
    public static var section: String { "rooms" }
    public static var objectType: String { "room" }
    public var key: String { code }
}
extension Rack: InventoryItem {
    public static var section: String { "racks" }
    public static var objectType: String { "rack" }
    public var key: String { code }
}
extension Device: InventoryItem {
    public static var section: String { "devices" }
    public static var objectType: String { "device" }
    public var key: String { name }
}
extension Link: InventoryItem {
    public static var section: String { "links" }
    public static var objectType: String { "link" }
    public var key: String { circuit }
}
extension Pool: InventoryItem {
    public static var section: String { "pools" }
    public static var objectType: String { "pool" }
    public var key: String { name }
}
extension Zone: InventoryItem {
    public static var section: String { "zones" }
    public static var objectType: String { "zone" }
    public var key: String { name.description }
}

/// What an import changes in one section.
public struct SectionChanges<Item: InventoryItem>: Sendable {
    public var added: [Item] = []
    /// Changed items: the stored value and the new one.
    public var changed: [(before: Item, after: Item)] = []
    public var removed: [Item] = []
    public var unchanged: Int = 0

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// Compares stored items with desired ones by key. Items only in `current` are removed
    /// when `prune` is set and otherwise kept untouched.
    public init(current: [Item], desired: [Item], prune: Bool) {
        var byKey: [String: Item] = [:]
        for item in current { byKey[item.key] = item }
        var desiredKeys = Set<String>()
        for item in desired {
            desiredKeys.insert(item.key)
            if let stored = byKey[item.key] {
                if stored == item { unchanged += 1 } else { changed.append((stored, item)) }
            } else {
                added.append(item)
            }
        }
        if prune {
            removed = current.filter { !desiredKeys.contains($0.key) }
        }
    }
}

/// The whole difference between the database and the files: what `inventory import` will do.
public struct InventoryChanges: Sendable {
    public var district: (before: District?, after: District)?
    public var agencies: SectionChanges<Agency>
    public var providers: SectionChanges<Provider>
    public var rooms: SectionChanges<Room>
    public var racks: SectionChanges<Rack>
    public var devices: SectionChanges<Device>
    public var links: SectionChanges<Link>
    public var pools: SectionChanges<Pool>
    public var zones: SectionChanges<Zone>

    public init(current: Inventory, desired: Inventory, prune: Bool) {
        if let after = desired.district, after != current.district { district = (current.district, after) }
        agencies = SectionChanges(current: current.agencies, desired: desired.agencies, prune: prune)
        providers = SectionChanges(current: current.providers, desired: desired.providers, prune: prune)
        rooms = SectionChanges(current: current.rooms, desired: desired.rooms, prune: prune)
        racks = SectionChanges(current: current.racks, desired: desired.racks, prune: prune)
        devices = SectionChanges(current: current.devices, desired: desired.devices, prune: prune)
        links = SectionChanges(current: current.links, desired: desired.links, prune: prune)
        pools = SectionChanges(current: current.pools, desired: desired.pools, prune: prune)
        zones = SectionChanges(current: current.zones, desired: desired.zones, prune: prune)
    }

    public var isEmpty: Bool {
        district == nil && agencies.isEmpty && providers.isEmpty && rooms.isEmpty && racks.isEmpty &&
            devices.isEmpty && links.isEmpty && pools.isEmpty && zones.isEmpty
    }

    /// One line per section: `agencies: +2 ~1 -0 (=15)`.
    public struct Summary: Sendable, Codable, Hashable {
        public var section: String
        public var added: [String]
        public var changed: [String]
        public var removed: [String]
        public var unchanged: Int
    }

    public var summary: [Summary] {
        func s<I>(_ c: SectionChanges<I>) -> Summary {
            Summary(section: I.section, added: c.added.map(\.key), changed: c.changed.map(\.after.key),
                    removed: c.removed.map(\.key), unchanged: c.unchanged)
        }
        return [s(agencies), s(providers), s(rooms), s(racks), s(devices), s(links), s(pools), s(zones)]
    }
}

extension Inventory {
    /// Items of `current` that an import keeps even though the files do not name them.
    public static func kept(current: Inventory, desired: Inventory, prune: Bool) -> Inventory {
        guard !prune else { return Inventory() }
        func rest<I: InventoryItem>(_ c: [I], _ d: [I]) -> [I] {
            let keys = Set(d.map(\.key))
            return c.filter { !keys.contains($0.key) }
        }
        var kept = Inventory()
        kept.agencies = rest(current.agencies, desired.agencies)
        kept.providers = rest(current.providers, desired.providers)
        kept.rooms = rest(current.rooms, desired.rooms)
        kept.racks = rest(current.racks, desired.racks)
        kept.devices = rest(current.devices, desired.devices)
        kept.links = rest(current.links, desired.links)
        kept.pools = rest(current.pools, desired.pools)
        kept.zones = rest(current.zones, desired.zones)
        return kept
    }
}
