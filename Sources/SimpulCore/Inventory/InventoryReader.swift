import Foundation
import Yams

/// One inventory file's name and text. Reading the disk is the caller's job.
public struct InventoryDocument: Sendable {
    public var file: String
    public var text: String

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }
}

/// The inventory as read from its files, every item with its source location.
public struct InventorySource: Sendable {
    public var district: Sourced<District>?
    public var agencies: [Sourced<Agency>] = []
    public var providers: [Sourced<Provider>] = []
    public var rooms: [Sourced<Room>] = []
    public var racks: [Sourced<Rack>] = []
    public var devices: [Sourced<Device>] = []
    public var links: [Sourced<Link>] = []
    public var pools: [Sourced<Pool>] = []
    public var zones: [Sourced<Zone>] = []
    /// Keys of items that were named but had errors of their own (`agencies:DINKES`); references
    /// to them are not reported again as unknown.
    public var brokenKeys: Set<String> = []

    public init() {}

    /// The values without their locations.
    public var inventory: Inventory {
        var inventory = Inventory()
        inventory.district = district?.value
        inventory.agencies = agencies.map(\.value)
        inventory.providers = providers.map(\.value)
        inventory.rooms = rooms.map(\.value)
        inventory.racks = racks.map(\.value)
        inventory.devices = devices.map(\.value)
        inventory.links = links.map(\.value)
        inventory.pools = pools.map(\.value)
        inventory.zones = zones.map(\.value)
        return inventory
    }
}

/// Turns inventory YAML into values, collecting every problem with its file, line and field.
public enum InventoryReader {
    static let sections = ["district", "agencies", "providers", "rooms", "devices", "links", "pools", "zones"]

    /// Reads all documents. Returns what could be read and every issue found; an item with
    /// an issue in a required field is left out of the result.
    public static func read(_ documents: [InventoryDocument]) -> (InventorySource, [InventoryIssue]) {
        let log = IssueLog()
        var source = InventorySource()
        for document in documents {
            read(document, into: &source, log: log)
        }
        return (source, log.all)
    }

    static func read(_ document: InventoryDocument, into source: inout InventorySource, log: IssueLog) {
        let file = document.file
        let root: Node
        switch YAMLDocument.compose(document.text, file: file, log: log) {
        case .root(let node): root = node
        case .empty, .failed: return  // an empty file is fine
        }
        guard let top = FieldReader(root, file: file, path: "", log: log, allowed: sections) else { return }

        if let node = top.node("district"), let r = FieldReader(node, file: file, path: "district", log: log,
                                                                   allowed: ["name", "office", "domain", "time_zone", "letters", "bandwidth"]) {
            let name = r.string("name", required: true, expected: Text(id: "nama kabupaten/kota", en: "the district's name"))
            let timeZone = r.string("time_zone")
            if let timeZone, TimeZone(identifier: timeZone) == nil {
                r.fail("time_zone", Text(id: "zona waktu \"\(Excerpt.of(timeZone))\" tidak dikenal; gunakan nama IANA seperti Asia/Makassar (WITA), Asia/Jakarta (WIB) atau Asia/Jayapura (WIT)",
                                         en: "unknown time zone \"\(Excerpt.of(timeZone))\"; use an IANA name such as Asia/Makassar (WITA), Asia/Jakarta (WIB) or Asia/Jayapura (WIT)"))
            }
            let office = r.string("office")
            var bandwidth: BandwidthSizing.Settings?
            if let b = r.nested("bandwidth", allowed: ["headroom", "monthly_budget"]) {
                let range = BandwidthSizing.Settings.headroomRange
                let headroom = b.double("headroom", above: range.lowerBound - 0.000_001, atMost: range.upperBound,
                                        expected: Text(id: "faktor cadangan \(range.lowerBound)–\(range.upperBound), mis. 1.3", en: "a headroom factor \(range.lowerBound)–\(range.upperBound), e.g. 1.3"))
                let budget = b.int("monthly_budget", range: 0...1_000_000_000_000,
                                   expected: Text(id: "anggaran bulanan dalam rupiah, bilangan bulat", en: "the monthly budget in rupiah, a whole number"))
                bandwidth = BandwidthSizing.Settings(headroom: headroom ?? 1.3, monthlyBudget: budget)
            }
            let district = District(name: name ?? "", office: office, domain: r.domain("domain"), timeZone: timeZone,
                                    letters: r.nested("letters", allowed: LetterSettingsReader.fields).flatMap { LetterSettingsReader.read($0, office: office) },
                                    bandwidth: bandwidth)
            if let previous = source.district {
                r.fail("name", Text(id: "district sudah ditulis di \(previous.location); tulis sekali saja",
                                    en: "district is already given at \(previous.location); give it once"))
            } else if name != nil {
                source.district = Sourced(value: district, location: r.location, path: "district", fieldLines: r.fieldLines)
            }
        }
        for (i, node) in top.sequence("agencies").enumerated() {
            if let item = agency(node, file: file, path: "agencies[\(i)]", log: log) {
                source.agencies.append(item)
            } else if let code = node["code"]?.string {
                source.brokenKeys.insert("agencies:\(code.uppercased())")
            }
        }
        for (i, node) in top.sequence("providers").enumerated() {
            if let item = provider(node, file: file, path: "providers[\(i)]", log: log) {
                source.providers.append(item)
            } else if let code = node["code"]?.string {
                source.brokenKeys.insert("providers:\(code.uppercased())")
            }
        }
        for (i, node) in top.sequence("rooms").enumerated() {
            room(node, file: file, path: "rooms[\(i)]", log: log, into: &source)
        }
        for (i, node) in top.sequence("devices").enumerated() {
            if let item = device(node, file: file, path: "devices[\(i)]", log: log) {
                source.devices.append(item)
            } else if let name = node["name"]?.string {
                source.brokenKeys.insert("devices:\(name.lowercased())")
            }
        }
        for (i, node) in top.sequence("links").enumerated() {
            if let item = link(node, file: file, path: "links[\(i)]", log: log) { source.links.append(item) }
        }
        for (i, node) in top.sequence("pools").enumerated() {
            if let item = pool(node, file: file, path: "pools[\(i)]", log: log) { source.pools.append(item) }
        }
        for (i, node) in top.sequence("zones").enumerated() {
            if let item = zone(node, file: file, path: "zones[\(i)]", log: log) { source.zones.append(item) }
        }
    }

    /// A committed rate in Mbps: above 0 and at most a terabit (docs/inventory.md).
    static let maxMbps: Double = 1_000_000

    static let codeExpected = Text(id: "kode huruf besar/angka/-/_ 2–32 karakter, mis. DINKES", en: "a code of capitals, digits, - or _, 2–32 characters, e.g. DINKES")

    static func code(_ r: FieldReader, _ field: String = "code") -> String? {
        guard let raw = r.string(field, required: true, expected: codeExpected) else { return nil }
        let code = raw.uppercased()
        let ok = (2...32).contains(code.count) && code.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        if !ok {
            r.fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan kode yang sah: \(codeExpected.id)", en: "\"\(Excerpt.of(raw))\" is not a valid code: \(codeExpected.en)"))
            return nil
        }
        return code
    }

    static func agency(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Agency>? {
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["code", "name", "kind", "address", "contact", "area", "networks"]) else { return nil }
        let code = code(r)
        let name = r.string("name", required: true, expected: Text(id: "nama instansi", en: "the agency's name"))
        let kind = r.choice("kind", AgencyKind.self, required: true)
        let (contact, _) = r.contact("contact")
        var networks: [Prefix] = []
        var lines = r.fieldLines
        let listed = r.sequence("networks")
        if listed.count > Agency.maxNetworks {
            r.fail("networks", Text(id: "paling banyak \(Agency.maxNetworks) jaringan per instansi", en: "at most \(Agency.maxNetworks) networks per agency"))
        }
        for (i, item) in listed.prefix(Agency.maxNetworks).enumerated() {
            lines["networks[\(i)]"] = item.mark?.line
            guard let raw = item.string, !raw.isEmpty else {
                r.fail("networks", Text(id: "butir ke-\(i + 1) harus prefiks CIDR, mis. 10.20.0.0/24", en: "item \(i + 1) must be a CIDR prefix, e.g. 10.20.0.0/24"))
                continue
            }
            switch Prefix.parse(raw) {
            case .success(let prefix):
                if networks.contains(prefix) {
                    r.fail("networks", Text(id: "\(prefix) tertulis dua kali", en: "\(prefix) is listed twice"))
                } else {
                    networks.append(prefix)
                }
            case .failure(let problem): r.fail("networks", prefixProblem(raw, problem))
            }
        }
        guard let code, let name, let kind else { return nil }
        let agency = Agency(code: code, name: name, kind: kind, address: r.string("address", max: Limits.shortText), contact: contact,
                            area: r.string("area", max: 100), networks: networks)
        return Sourced(value: agency, location: r.location, path: path, fieldLines: lines)
    }

    static func provider(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Provider>? {
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["code", "name", "noc", "sla", "escalation", "tiers"]) else { return nil }
        let code = code(r)
        let name = r.string("name", required: true, expected: Text(id: "nama penyedia", en: "the provider's name"))
        var noc: Contact?
        if let n = r.nested("noc", allowed: ["name", "phone", "whatsapp", "email"]) {
            let contact = n.contactValue(requireName: false)
            noc = contact ?? Contact(name: "NOC", phone: n.phoneNumber("phone"), whatsapp: n.phoneNumber("whatsapp"), email: n.emailAddress("email"))
        }
        var sla: ContractSLA?
        if let s = r.nested("sla", allowed: ["response_minutes", "restore_minutes", "availability_percent"]) {
            let response = s.int("response_minutes", required: true, range: 1...100_000, expected: Text(id: "menit tanggap sesuai kontrak", en: "contracted response minutes"))
            let restore = s.int("restore_minutes", required: true, range: 1...100_000, expected: Text(id: "menit pemulihan sesuai kontrak", en: "contracted restore minutes"))
            let availability = s.double("availability_percent", required: true, above: 0, atMost: 100,
                                        expected: Text(id: "persen ketersediaan bulanan", en: "monthly availability percent"))
            if let response, let restore, let availability {
                sla = ContractSLA(responseMinutes: response, restoreMinutes: restore, availabilityPercent: availability)
            }
        } else {
            r.missing("sla", Text(id: "response_minutes, restore_minutes, availability_percent", en: "response_minutes, restore_minutes, availability_percent"))
        }
        var escalation: [EscalationContact] = []
        for (i, item) in r.sequence("escalation").enumerated() {
            guard let e = FieldReader(item, file: file, path: "\(path).escalation[\(i)]", log: log,
                                      allowed: ["level", "name", "title", "phone", "whatsapp", "email", "after_minutes"]) else { continue }
            let level = e.int("level", required: true, range: 1...9, expected: Text(id: "tingkat 1–9", en: "level 1–9"))
            let after = e.int("after_minutes", range: 0...100_000, expected: Text(id: "menit sejak gangguan dibuka", en: "minutes since the fault opened")) ?? 0
            if let level, let contact = e.contactValue(requireName: true) {
                escalation.append(EscalationContact(level: level, contact: contact, afterMinutes: after))
            }
        }
        var tiers: [ProviderTier] = []
        for (i, item) in r.sequence("tiers").prefix(100).enumerated() {
            guard let t = FieldReader(item, file: file, path: "\(path).tiers[\(i)]", log: log, allowed: ["mbps", "monthly_price"]) else { continue }
            let mbps = t.int("mbps", required: true, range: 1...400_000, expected: Text(id: "bandwidth dalam Mbps, 1–400000", en: "the bandwidth in Mbps, 1–400000"))
            let price = t.int("monthly_price", required: true, range: 0...1_000_000_000_000,
                              expected: Text(id: "harga bulanan dalam rupiah, bilangan bulat", en: "the monthly price in rupiah, a whole number"))
            guard let mbps, let price else { continue }
            if tiers.contains(where: { $0.mbps == mbps }) {
                t.fail("mbps", Text(id: "paket \(mbps) Mbps sudah ada", en: "a \(mbps) Mbps tier is already listed"))
                continue
            }
            tiers.append(ProviderTier(mbps: mbps, monthlyPrice: price))
        }
        guard let code, let name, let sla else { return nil }
        let provider = Provider(code: code, name: name, noc: noc, sla: sla, escalation: escalation.sorted { $0.level < $1.level }, tiers: tiers.sorted())
        return Sourced(value: provider, location: r.location, path: path, fieldLines: r.fieldLines)
    }

    static func room(_ node: Node, file: String, path: String, log: IssueLog, into source: inout InventorySource) {
        guard let r = FieldReader(node, file: file, path: path, log: log, allowed: ["code", "name", "site", "racks"]) else { return }
        let code = code(r)
        let name = r.string("name", required: true, expected: Text(id: "nama ruang", en: "the room's name"))
        if let code, let name {
            source.rooms.append(Sourced(value: Room(code: code, name: name, site: r.string("site", max: Limits.shortText)), location: r.location,
                                        path: path, fieldLines: r.fieldLines))
        }
        for (i, item) in r.sequence("racks").enumerated() {
            let rackPath = "\(path).racks[\(i)]"
            guard let k = FieldReader(item, file: file, path: rackPath, log: log,
                                      allowed: ["code", "name", "height_u", "feed_a_watts", "feed_b_watts"]) else { continue }
            let rackCode = Self.code(k)
            let height = k.int("height_u", required: true, range: 1...60, expected: Text(id: "tinggi rak dalam U", en: "the rack's height in U"))
            let a = k.int("feed_a_watts", range: 0...100_000, expected: Text(id: "daya feed A (watt)", en: "feed A budget (watts)"))
            let b = k.int("feed_b_watts", range: 0...100_000, expected: Text(id: "daya feed B (watt)", en: "feed B budget (watts)"))
            if let rackCode, let height, let code {
                let rack = Rack(code: rackCode, room: code, name: k.string("name"), heightU: height, feedAWatts: a, feedBWatts: b)
                source.racks.append(Sourced(value: rack, location: k.location, path: rackPath, fieldLines: k.fieldLines))
            } else if let raw = item["code"]?.string {
                // A rack with an error of its own (or in a room with one): devices in it are not told it is missing.
                source.brokenKeys.insert("racks:\(raw.uppercased())")
            }
        }
    }

    static func device(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Device>? {
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["name", "kind", "agency", "management_address", "snmp", "site", "rack", "position",
                                            "height_u", "power_watts", "vendor", "model", "serial"]) else { return nil }
        var name = r.string("name", required: true, expected: Text(id: "nama perangkat (label DNS)", en: "the device's name (a DNS label)"))?.lowercased()
        if let n = name, let problem = DomainName.labelProblem(n) {
            r.fail("name", Text(id: "\"\(Excerpt.of(n))\" bukan nama perangkat yang sah: \(problem.text.id)", en: "\"\(Excerpt.of(n))\" is not a valid device name: \(problem.text.en)"))
            name = nil
        }
        let kind = r.choice("kind", DeviceKind.self, required: true)
        let agency = r.string("agency")?.uppercased()
        let management = r.address("management_address")
        var snmp: SNMPAccess?
        if let s = r.nested("snmp", allowed: ["version", "credential", "port"]) {
            let version = s.choice("version", SNMPVersion.self, required: true)
            let credential = s.string("credential", required: true, expected: Text(id: "nama kredensial di berkas kredensial", en: "the credential's name in the credentials file"))
            let port = s.int("port", range: 1...65_535, expected: Text(id: "port UDP agen SNMP (bawaan 161)", en: "the SNMP agent's UDP port (161 when absent)"))
            if let version, let credential, s.node("port") == nil || port != nil {
                snmp = SNMPAccess(version: version, credential: credential, port: port.map { UInt16($0) } ?? SNMPAccess.defaultPort)
            }
        }
        var placement: RackPlacement?
        let rack = r.string("rack")?.uppercased()
        let position = r.int("position", range: 1...60, expected: Text(id: "U terbawah yang dipakai (1 = paling bawah)", en: "the lowest unit used (1 = bottom)"))
        let height = r.int("height_u", range: 1...60, expected: Text(id: "tinggi perangkat dalam U", en: "the device's height in U"))
        if let rack {
            if let position {
                placement = RackPlacement(rack: rack, position: position, heightU: height ?? 1)
            } else if r.node("position") == nil {
                r.missing("position", Text(id: "posisi U di rak \(rack)", en: "the unit position in rack \(rack)"))
            }
        } else if position != nil {
            r.fail("position", Text(id: "posisi diberikan tanpa rak; tambahkan rack:", en: "a position is given without a rack; add rack:"))
        }
        let power = r.int("power_watts", range: 0...50_000, expected: Text(id: "daya per feed (watt)", en: "power per feed (watts)"))
        guard let name, let kind else { return nil }
        let device = Device(name: name, kind: kind, agency: agency, managementAddress: management, snmp: snmp, site: r.string("site", max: Limits.shortText),
                            placement: placement, powerWatts: power, vendor: r.string("vendor"), model: r.string("model"), serial: r.string("serial"))
        return Sourced(value: device, location: r.location, path: path, fieldLines: r.fieldLines)
    }

    static func link(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Link>? {
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["circuit", "agency", "provider", "down_mbps", "up_mbps", "technology", "device",
                                            "interface", "health_address"]) else { return nil }
        let circuit = r.string("circuit", required: true, expected: Text(id: "ID sirkuit dari penyedia", en: "the provider's circuit id"))
        let agency = r.string("agency", required: true, expected: Text(id: "kode instansi", en: "an agency code"))?.uppercased()
        let provider = r.string("provider", required: true, expected: Text(id: "kode penyedia", en: "a provider code"))?.uppercased()
        let rate = Text(id: "Mbps yang dijamin kontrak", en: "committed Mbps")
        let down = r.double("down_mbps", required: true, above: 0, atMost: maxMbps, expected: rate)
        let up = r.double("up_mbps", required: true, above: 0, atMost: maxMbps, expected: rate)
        let technology = r.choice("technology", LinkTechnology.self) ?? .other
        let device = r.string("device")?.lowercased()
        let health = r.address("health_address")
        guard let circuit, let agency, let provider, let down, let up else { return nil }
        let link = Link(circuit: circuit, agency: agency, provider: provider, downMbps: down, upMbps: up, technology: technology,
                        device: device, interface: r.string("interface"), healthAddress: health)
        return Sourced(value: link, location: r.location, path: path, fieldLines: r.fieldLines)
    }

    static func pool(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Pool>? {
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["name", "prefix", "scope", "gateway", "vlan", "description", "reserved", "hosting"]) else { return nil }
        let name = r.string("name", required: true, expected: Text(id: "nama pool", en: "the pool's name"))
        var prefix: Prefix?
        if let raw = r.string("prefix", required: true, expected: Text(id: "prefiks CIDR, mis. 10.20.0.0/24", en: "a CIDR prefix, e.g. 10.20.0.0/24")) {
            switch Prefix.parse(raw) {
            case .success(let p): prefix = p
            case .failure(let problem): r.fail("prefix", prefixProblem(raw, problem))
            }
        }
        let scope = r.choice("scope", PoolScope.self, required: true)
        let gateway = r.address("gateway")
        let vlan = r.int("vlan", range: 1...4094, expected: Text(id: "ID VLAN 1–4094", en: "a VLAN id 1–4094"))
        var reserved: [ReservedRange] = []
        for (i, item) in r.sequence("reserved").enumerated() {
            guard let e = FieldReader(item, file: file, path: "\(path).reserved[\(i)]", log: log, allowed: ["range", "note"]) else { continue }
            guard let raw = e.string("range", required: true, expected: Text(id: "alamat, rentang a-b, atau CIDR", en: "an address, a first-last range or a CIDR")) else { continue }
            guard let range = AddressRange(raw) else {
                e.fail("range", Text(id: "\"\(Excerpt.of(raw))\" bukan alamat, rentang (awal-akhir, awal ≤ akhir) atau CIDR",
                                     en: "\"\(Excerpt.of(raw))\" is not an address, a range (first-last, first ≤ last) or a CIDR"))
                continue
            }
            reserved.append(ReservedRange(first: range.first, last: range.last, note: e.string("note", max: Limits.shortText)))
        }
        guard let name, let prefix, let scope else { return nil }
        var hosting = false
        if let raw = r.string("hosting") {
            switch raw.lowercased() {
            case "true", "yes", "ya": hosting = true
            case "false", "no", "tidak": hosting = false
            default: r.fail("hosting", Text(id: "harus true atau false", en: "must be true or false"))
            }
        }
        let pool = Pool(name: name, prefix: prefix, scope: scope, gateway: gateway, vlan: vlan, description: r.string("description", max: Limits.shortText), reserved: reserved,
                        hosting: hosting)
        var lines = r.fieldLines
        for (i, item) in r.sequence("reserved").enumerated() { lines["reserved[\(i)]"] = item.mark?.line }
        return Sourced(value: pool, location: r.location, path: path, fieldLines: lines)
    }

    static func prefixProblem(_ raw: String, _ problem: Prefix.ParseError) -> Text {
        switch problem {
        case .notCIDR:
            Text(id: "\"\(Excerpt.of(raw))\" bukan prefiks CIDR; tulis alamat/panjang, mis. 10.20.0.0/24",
                 en: "\"\(Excerpt.of(raw))\" is not a CIDR prefix; write address/length, e.g. 10.20.0.0/24")
        case .badAddress:
            Text(id: "\"\(Excerpt.of(raw))\": alamat jaringannya tidak sah", en: "\"\(Excerpt.of(raw))\": the network address is not valid")
        case .badLength(let max):
            Text(id: "\"\(Excerpt.of(raw))\": panjang prefiks harus 0–\(max)", en: "\"\(Excerpt.of(raw))\": the prefix length must be 0–\(max)")
        case .hostBitsSet(let suggested):
            Text(id: "\"\(Excerpt.of(raw))\" memuat bit host; maksudnya \(suggested)?", en: "\"\(Excerpt.of(raw))\" has host bits set; did you mean \(suggested)?")
        }
    }

    static func zone(_ node: Node, file: String, path: String, log: IssueLog) -> Sourced<Zone>? {
        let issuesBefore = log.count
        guard let r = FieldReader(node, file: file, path: path, log: log,
                                  allowed: ["name", "kind", "primary_ns", ZoneNameservers.field, "admin_email", "default_ttl", "tsig_key", "server"]) else { return nil }
        let name = r.domain("name", required: true)
        let kind = r.choice("kind", ZoneKind.self, required: true)
        let ns = r.domain("primary_ns", required: true)
        let email = r.emailAddress("admin_email")
        if r.node("admin_email") == nil { r.missing("admin_email", Text(id: "surel pengelola zona", en: "the zone administrator's e-mail")) }
        let ttl = r.int("default_ttl", range: 60...604_800, expected: Text(id: "TTL bawaan dalam detik (60–604800)", en: "default TTL in seconds (60–604800)")) ?? 3600
        var tsig = r.string("tsig_key")
        if let key = tsig, DomainName(key) == nil {
            r.fail("tsig_key", Text(id: "\"\(Excerpt.of(key))\" bukan nama kunci TSIG yang sah (huruf, angka, tanda hubung, titik)",
                                    en: "\"\(Excerpt.of(key))\" is not a valid TSIG key name (letters, digits, hyphens, dots)"))
            tsig = nil
        }
        var server = r.string("server")
        if let s = server, HostPort(s) == nil {
            r.fail("server", Text(id: "\"\(Excerpt.of(s))\" bukan host:port, mis. 127.0.0.1:5300 atau [::1]:53", en: "\"\(Excerpt.of(s))\" is not host:port, e.g. 127.0.0.1:5300 or [::1]:53"))
            server = nil
        }
        let addresses = ZoneNameservers.read(r, zone: name, primaryNS: ns, clean: log.count == issuesBefore)
        guard let name, let kind, let ns, let email else { return nil }
        let zone = Zone(name: name, kind: kind, primaryNS: ns, adminEmail: email, defaultTTL: ttl, tsigKey: tsig, server: server,
                        primaryNSAddresses: addresses)
        return Sourced(value: zone, location: r.location, path: path, fieldLines: r.fieldLines)
    }
}

/// `host:port` with an IP address host, as used for a DNS server to update.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int

    public init?(_ text: String) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let address = IPAddress(host), let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.address = address
        self.port = port
    }

    public var description: String {
        address.family == .v6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
