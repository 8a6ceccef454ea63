/// Cross-item rules of the inventory: unique keys, references that resolve, pools that do not
/// overlap, devices that fit their racks. Pure: takes what was read and what the database
/// already holds, returns every issue.
public enum InventoryValidator {
    /// Validates `source`. `kept` is what stays in the database besides the files' content
    /// (rows absent from the files, when not pruning); references may point at it.
    public static func validate(_ source: InventorySource, kept: Inventory = Inventory()) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []

        func unique<V>(_ items: [Sourced<V>], field: String, key: (V) -> String, what: Text) {
            var seen: [String: SourceLocation] = [:]
            for item in items {
                let k = key(item.value)
                if let first = seen[k] {
                    issues.append(item.issue(field, Text(
                        id: "\(what.id) \"\(Excerpt.of(k))\" sudah dipakai di \(first); setiap \(what.id) harus unik",
                        en: "\(what.en) \"\(Excerpt.of(k))\" is already used at \(first); each \(what.en) must be unique")))
                } else {
                    seen[k] = item.location(of: field)
                }
            }
        }
        unique(source.agencies, field: "code", key: \.code, what: Text(id: "kode instansi", en: "agency code"))
        unique(source.providers, field: "code", key: \.code, what: Text(id: "kode penyedia", en: "provider code"))
        unique(source.rooms, field: "code", key: \.code, what: Text(id: "kode ruang", en: "room code"))
        unique(source.racks, field: "code", key: \.code, what: Text(id: "kode rak", en: "rack code"))
        unique(source.devices, field: "name", key: \.name, what: Text(id: "nama perangkat", en: "device name"))
        unique(source.links, field: "circuit", key: \.circuit, what: Text(id: "ID sirkuit", en: "circuit id"))
        unique(source.pools, field: "name", key: \.name, what: Text(id: "nama pool", en: "pool name"))
        unique(source.zones, field: "name", key: { $0.name.description }, what: Text(id: "nama zona", en: "zone name"))

        // One address range belongs to one agency (nested ranges are fine: the longest prefix wins).
        var networkOwners: [Prefix: String] = [:]
        for agency in kept.agencies where !source.agencies.contains(where: { $0.value.code == agency.code }) {
            for prefix in agency.networks { networkOwners[prefix] = agency.code }
        }
        for agency in source.agencies {
            for prefix in agency.value.networks {
                if let owner = networkOwners[prefix], owner != agency.value.code {
                    issues.append(agency.issue("networks", Text(
                        id: "\(prefix) sudah milik \(owner); satu rentang alamat hanya milik satu instansi (rentang yang lebih sempit di dalamnya boleh)",
                        en: "\(prefix) already belongs to \(owner); one address range belongs to one agency (a narrower range inside it may belong to another)")))
                } else {
                    networkOwners[prefix] = agency.value.code
                }
            }
        }

        let agencies = Set(source.agencies.map(\.value.code)).union(kept.agencies.map(\.code))
        let providers = Set(source.providers.map(\.value.code)).union(kept.providers.map(\.code))
        let deviceNames = Set(source.devices.map(\.value.name)).union(kept.devices.map(\.name))
        // Items that were named but broken already have their own error.
        func reported(_ section: String, _ key: String) -> Bool { source.brokenKeys.contains("\(section):\(key)") }
        var racks: [String: Rack] = [:]
        for rack in kept.racks { racks[rack.code] = rack }
        for rack in source.racks { racks[rack.value.code] = rack.value }

        func unknown(_ what: Text, _ value: String, known: Set<String>, hint: Text) -> Text {
            let sample = known.sorted().prefix(8).joined(separator: ", ")
            return Text(id: "\(what.id) \"\(Excerpt.of(value))\" tidak ada; \(hint.id)\(sample.isEmpty ? "" : " (yang ada: \(sample)\(known.count > 8 ? ", …" : ""))")",
                        en: "\(what.en) \"\(Excerpt.of(value))\" does not exist; \(hint.en)\(sample.isEmpty ? "" : " (known: \(sample)\(known.count > 8 ? ", …" : ""))")")
        }
        let agencyHint = Text(id: "tambahkan ke agencies atau perbaiki kodenya", en: "add it under agencies or correct the code")

        for link in source.links {
            let value = link.value
            if !agencies.contains(value.agency) && !reported("agencies", value.agency) {
                issues.append(link.issue("agency", unknown(Text(id: "instansi", en: "agency"), value.agency, known: agencies, hint: agencyHint)))
            }
            if !providers.contains(value.provider) && !reported("providers", value.provider) {
                issues.append(link.issue("provider", unknown(Text(id: "penyedia", en: "provider"), value.provider, known: providers,
                                                              hint: Text(id: "tambahkan ke providers atau perbaiki kodenya", en: "add it under providers or correct the code"))))
            }
            if let device = value.device, !deviceNames.contains(device), !reported("devices", device) {
                issues.append(link.issue("device", unknown(Text(id: "perangkat", en: "device"), device, known: deviceNames,
                                                            hint: Text(id: "tambahkan ke devices atau perbaiki namanya", en: "add it under devices or correct the name"))))
            }
        }

        // Devices: owners, racks, and no two devices in the same units.
        var occupied: [String: [(units: ClosedRange<Int>, device: String, at: SourceLocation?)]] = [:]
        let namedInFiles = Set(source.devices.map(\.value.name))
        for device in kept.devices where !namedInFiles.contains(device.name) {
            if let p = device.placement { occupied[p.rack, default: []].append((p.units, device.name, nil)) }
        }
        for device in source.devices {
            let value = device.value
            if let agency = value.agency, !agencies.contains(agency), !reported("agencies", agency) {
                issues.append(device.issue("agency", unknown(Text(id: "instansi", en: "agency"), agency, known: agencies, hint: agencyHint)))
            }
            guard let placement = value.placement else { continue }
            guard let rack = racks[placement.rack] else {
                if reported("racks", placement.rack) { continue }
                issues.append(device.issue("rack", unknown(Text(id: "rak", en: "rack"), placement.rack, known: Set(racks.keys),
                                                            hint: Text(id: "tambahkan ke racks di rooms atau perbaiki kodenya", en: "add it under a room's racks or correct the code"))))
                continue
            }
            if placement.units.upperBound > rack.heightU {
                issues.append(device.issue("position", Text(
                    id: "U \(placement.units.lowerBound)–\(placement.units.upperBound) melewati tinggi rak \(rack.code) (\(rack.heightU)U)",
                    en: "units \(placement.units.lowerBound)–\(placement.units.upperBound) go past the top of rack \(rack.code) (\(rack.heightU)U)")))
                continue
            }
            if let clash = occupied[placement.rack]?.first(where: { $0.units.overlaps(placement.units) }) {
                let whereText = clash.at.map { " (\($0))" } ?? ""
                issues.append(device.issue("position", Text(
                    id: "U \(placement.units.lowerBound)–\(placement.units.upperBound) di rak \(rack.code) sudah dipakai \(clash.device)\(whereText); pilih U yang kosong",
                    en: "units \(placement.units.lowerBound)–\(placement.units.upperBound) of rack \(rack.code) are already used by \(clash.device)\(whereText); choose free units")))
                continue
            }
            occupied[placement.rack, default: []].append((placement.units, value.name, device.location(of: "position")))
        }

        // Pools: no overlap, gateway and reserved ranges inside, gateway not network/broadcast.
        var seenPools: [(Prefix, String, SourceLocation?)] = []
        let poolNamesInFiles = Set(source.pools.map(\.value.name))
        for pool in kept.pools where !poolNamesInFiles.contains(pool.name) { seenPools.append((pool.prefix, pool.name, nil)) }
        for pool in source.pools {
            let value = pool.value
            if let clash = seenPools.first(where: { $0.0.overlaps(value.prefix) }) {
                let whereText = clash.2.map { " (\($0))" } ?? ""
                issues.append(pool.issue("prefix", Text(
                    id: "\(value.prefix) tumpang tindih dengan pool \(clash.1) \(clash.0)\(whereText); setiap alamat hanya boleh di satu pool",
                    en: "\(value.prefix) overlaps pool \(clash.1) \(clash.0)\(whereText); an address may belong to one pool only")))
            } else {
                seenPools.append((value.prefix, value.name, pool.location(of: "prefix")))
            }
            if let gateway = value.gateway {
                if !value.prefix.contains(gateway) {
                    issues.append(pool.issue("gateway", Text(id: "gateway \(gateway) di luar prefiks \(value.prefix)",
                                                             en: "gateway \(gateway) is outside the prefix \(value.prefix)")))
                } else if value.prefix.family == .v4 && value.prefix.length <= 30 &&
                            (gateway == value.prefix.network || gateway == value.prefix.last) {
                    issues.append(pool.issue("gateway", Text(id: "gateway \(gateway) adalah alamat jaringan atau broadcast dari \(value.prefix)",
                                                             en: "gateway \(gateway) is the network or broadcast address of \(value.prefix)")))
                }
            }
            for (i, range) in value.reserved.enumerated() where !(value.prefix.contains(range.first) && value.prefix.contains(range.last)) {
                let location = SourceLocation(file: pool.location.file, line: pool.fieldLines["reserved[\(i)]"] ?? pool.location.line)
                issues.append(InventoryIssue(location: location, field: "\(pool.path).reserved[\(i)].range", text: Text(
                    id: "rentang \(range.text) di luar prefiks \(value.prefix)", en: "range \(range.text) is outside the prefix \(value.prefix)")))
            }
        }

        // Zones: reverse names live under the arpa trees, forward ones do not.
        for zone in source.zones {
            let name = zone.value.name.description
            let isArpa = name.hasSuffix("in-addr.arpa") || name.hasSuffix("ip6.arpa")
            if zone.value.kind == .reverse && !isArpa {
                issues.append(zone.issue("name", Text(id: "zona reverse \"\(Excerpt.of(name))\" harus berakhir dengan in-addr.arpa atau ip6.arpa",
                                                      en: "reverse zone \"\(Excerpt.of(name))\" must end in in-addr.arpa or ip6.arpa")))
            } else if zone.value.kind == .forward && isArpa {
                issues.append(zone.issue("kind", Text(id: "zona \"\(Excerpt.of(name))\" adalah zona reverse; tulis kind: reverse",
                                                      en: "zone \"\(Excerpt.of(name))\" is a reverse zone; write kind: reverse")))
            }
        }

        issues += ZoneNameservers.issues(source, kept: kept)

        for provider in source.providers {
            let levels = provider.value.escalation.map(\.level)
            if Set(levels).count != levels.count {
                issues.append(provider.issue("escalation", Text(id: "tingkat eskalasi ganda; setiap tingkat sekali saja",
                                                                en: "an escalation level is given twice; give each level once")))
            }
        }
        return issues.sorted { ($0.location?.file ?? "", $0.location?.line ?? 0) < ($1.location?.file ?? "", $1.location?.line ?? 0) }
    }
}
