/// A zone in BIND's master-file format (RFC 1035 5), as `named-checkzone` reads it: `$ORIGIN`,
/// `$TTL`, the SOA and NS at the apex, then the records sorted by name, owner names relative to the
/// origin and targets absolute.
public enum ZoneFile {
    public static func render(_ zone: Zone, serial: UInt32, records: [DNSRecord], comment: String? = nil) -> String {
        let origin = zone.name
        var out = ""
        if let comment { out += "; \(comment)\n" }
        out += "$ORIGIN \(origin).\n$TTL \(zone.defaultTTL)\n"
        let mailbox = SOAData.mailbox(fromEmail: zone.adminEmail)?.description ?? "hostmaster.\(origin)"
        let soa = SOAData(primaryNS: WireName(zone.primaryNS), mailbox: WireName(text: mailbox) ?? WireName(origin), serial: max(serial, 1))
        out += "@\t\(zone.defaultTTL)\tIN\tSOA\t\(zone.primaryNS). \(mailbox). (\n"
        out += "\t\t\t\(soa.serial)\t; serial (YYYYMMDDnn)\n\t\t\t\(soa.refresh)\t; refresh\n\t\t\t\(soa.retry)\t; retry\n"
        out += "\t\t\t\(soa.expire)\t; expire\n\t\t\t\(soa.minimum) )\t; negative TTL\n"
        out += "@\t\(zone.defaultTTL)\tIN\tNS\t\(zone.primaryNS).\n"
        let sorted = ZoneNameservers.withGlue(zone, records).sorted { ($0.name, $0.type.rawValue, $0.data) < ($1.name, $1.type.rawValue, $1.data) }
        for record in sorted {
            out += "\(owner(record.name, origin: origin))\t\(record.ttl)\tIN\t\(record.type.rawValue)\t\(data(record))\n"
        }
        return out
    }

    static func owner(_ name: DomainName, origin: DomainName) -> String {
        if name == origin { return "@" }
        return name.labels.dropLast(origin.labels.count).joined(separator: ".")
    }

    /// The record's data in presentation form: names absolute, text quoted and escaped in strings of
    /// at most 255 bytes.
    public static func data(_ record: DNSRecord) -> String {
        switch record.type {
        case .a, .aaaa: return record.data
        case .ptr, .cname: return record.data + "."
        case .mx:
            let parts = record.data.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count == 2 ? "\(parts[0]) \(parts[1])." : record.data
        case .txt:
            let bytes = Array(record.data.utf8)
            var strings: [String] = []
            var start = 0
            repeat {
                let end = min(start + 255, bytes.count)
                var text = "\""
                for byte in bytes[start..<end] {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): text += "\\" + String(UnicodeScalar(byte))
                    case 0x20...0x7E: text += String(UnicodeScalar(byte))
                    default: text += "\\" + String(repeating: "0", count: 3 - String(byte).count) + String(byte)
                    }
                }
                strings.append(text + "\"")
                start = end
            } while start < bytes.count
            return strings.joined(separator: " ")
        }
    }
}

/// How a zone on the server differs from the inventory's.
public struct ZoneDrift: Sendable, Hashable {
    public var zone: String
    public var inventorySerial: UInt32
    public var serverSerial: UInt32?
    /// In the inventory, not answered by the server.
    public var missing: [DNSRecord] = []
    /// Answered by the server, not in the inventory.
    public var extra: [DNSRecord] = []
    /// The same name and type with other data or TTL: (inventory, server).
    public var different: [(inventory: [DNSRecord], server: [DNSRecord])] = []
    /// A/AAAA records (in the inventory or on the server) whose address has no PTR where it should.
    public var aWithoutPTR: [DNSRecord] = []
    /// CNAMEs in the inventory whose target lies in a zone kept here and has no records: they answer nothing.
    public var danglingCNAMEs: [DNSRecord] = []

    public var isClean: Bool { missing.isEmpty && extra.isEmpty && different.isEmpty && aWithoutPTR.isEmpty && danglingCNAMEs.isEmpty }

    public static func == (lhs: ZoneDrift, rhs: ZoneDrift) -> Bool {
        lhs.zone == rhs.zone && lhs.missing == rhs.missing && lhs.extra == rhs.extra && lhs.aWithoutPTR == rhs.aWithoutPTR && lhs.danglingCNAMEs == rhs.danglingCNAMEs
            && lhs.different.map(\.inventory) == rhs.different.map(\.inventory) && lhs.different.map(\.server) == rhs.different.map(\.server)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(zone)
        hasher.combine(missing)
        hasher.combine(extra)
    }

    /// Compares one zone's records, name and type at a time. A-without-PTR needs every zone at once,
    /// so the caller fills it in.
    public static func compare(zone: String, inventorySerial: UInt32, serverSerial: UInt32?, inventory: [DNSRecord], server: [DNSRecord]) -> ZoneDrift {
        var drift = ZoneDrift(zone: zone, inventorySerial: inventorySerial, serverSerial: serverSerial)
        struct Key: Hashable { var name: DomainName; var type: RecordType }
        let mine = Dictionary(grouping: inventory) { Key(name: $0.name, type: $0.type) }
        let theirs = Dictionary(grouping: server) { Key(name: $0.name, type: $0.type) }
        func signature(_ r: DNSRecord) -> String { "\(RecordRules.normalized(r))|\(r.ttl)" }
        for key in Set(mine.keys).union(theirs.keys).sorted(by: { ($0.name, $0.type.rawValue) < ($1.name, $1.type.rawValue) }) {
            let a = mine[key] ?? [], b = theirs[key] ?? []
            let aSig = Set(a.map(signature)), bSig = Set(b.map(signature))
            if aSig == bSig { continue }
            if a.isEmpty { drift.extra += b; continue }
            if b.isEmpty { drift.missing += a; continue }
            let aData = Set(a.map(RecordRules.normalized)), bData = Set(b.map(RecordRules.normalized))
            if bData.isSubset(of: aData) && aData.count > bData.count && a.filter({ bData.contains(RecordRules.normalized($0)) }).map(signature).allSatisfy(bSig.contains) {
                drift.missing += a.filter { !bData.contains(RecordRules.normalized($0)) }
            } else if aData.isSubset(of: bData) && bData.count > aData.count && b.filter({ aData.contains(RecordRules.normalized($0)) }).map(signature).allSatisfy(aSig.contains) {
                drift.extra += b.filter { !aData.contains(RecordRules.normalized($0)) }
            } else {
                drift.different.append((a, b))
            }
        }
        return drift
    }
}
