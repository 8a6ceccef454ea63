import Foundation

/// The record types Simpul manages in the office's zones.
public enum RecordType: String, Sendable, Hashable, Codable, CaseIterable {
    case a = "A", aaaa = "AAAA", ptr = "PTR", cname = "CNAME", txt = "TXT", mx = "MX"
}

/// One resource record as Simpul keeps it: an absolute owner name, a type, a TTL and the data in
/// presentation form (an address, a target name, a text, or `preference exchange` for MX).
public struct DNSRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: DomainName
    public var type: RecordType
    public var ttl: Int
    public var data: String

    public init(name: DomainName, type: RecordType, ttl: Int, data: String) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.data = data
    }

    public var description: String { "\(name). \(ttl) IN \(type.rawValue) \(ZoneFile.data(self))" }
}

/// Why a record may not be added to a zone (RFC 1034 3.6.2, RFC 1912 2.4, RFC 2181 10.1).
public enum RecordProblem: Error, Sendable, Hashable {
    case outsideZone(name: String, zone: String)
    case cnameAtApex(zone: String)
    case cnameBesideOtherData(name: String)
    case otherDataBesideCNAME(name: String)
    case badData(type: RecordType, data: String)
    case badTTL(Int)
    case duplicate(String)

    public var text: Text {
        switch self {
        case .outsideZone(let name, let zone):
            Text(id: "\(name) tidak berada di zona \(zone)", en: "\(name) is not inside zone \(zone)")
        case .cnameAtApex(let zone):
            Text(id: "CNAME tidak boleh di puncak zona \(zone) (ada SOA dan NS di sana)", en: "a CNAME may not sit at the apex of \(zone) (its SOA and NS are there)")
        case .cnameBesideOtherData(let name):
            Text(id: "\(name) sudah punya record lain; CNAME harus sendirian pada namanya", en: "\(name) already has other records; a CNAME must be alone at its name")
        case .otherDataBesideCNAME(let name):
            Text(id: "\(name) adalah CNAME; tidak boleh ada record lain pada nama itu", en: "\(name) is a CNAME; no other record may share its name")
        case .badData(let type, let data):
            Text(id: "\"\(data)\" bukan data \(type.rawValue) yang sah", en: "\"\(data)\" is not valid \(type.rawValue) data")
        case .badTTL(let ttl):
            Text(id: "TTL \(ttl) di luar 60–604800 detik", en: "TTL \(ttl) is outside 60–604800 seconds")
        case .duplicate(let record):
            Text(id: "record itu sudah ada: \(record)", en: "that record already exists: \(record)")
        }
    }
}

public enum RecordRules {
    /// What is wrong with adding `record` to a zone whose apex is `zone` and which already holds
    /// `existing`: empty when it may be added.
    public static func problems(adding record: DNSRecord, to existing: [DNSRecord], zone: DomainName) -> [RecordProblem] {
        var problems: [RecordProblem] = []
        if !record.name.isSubdomain(of: zone) { problems.append(.outsideZone(name: record.name.description, zone: zone.description)) }
        if !(60...604_800).contains(record.ttl) { problems.append(.badTTL(record.ttl)) }
        if !dataIsValid(record) { problems.append(.badData(type: record.type, data: record.data)) }
        let sameName = existing.filter { $0.name == record.name }
        if record.type == .cname {
            if record.name == zone { problems.append(.cnameAtApex(zone: zone.description)) }
            if sameName.contains(where: { $0.type != .cname }) || sameName.contains(where: { $0.type == .cname && $0.data != record.data }) {
                problems.append(.cnameBesideOtherData(name: record.name.description))
            }
        } else if sameName.contains(where: { $0.type == .cname }) {
            problems.append(.otherDataBesideCNAME(name: record.name.description))
        }
        if sameName.contains(where: { $0.type == record.type && normalized($0) == normalized(record) }) {
            problems.append(.duplicate(record.description))
        }
        return problems
    }

    static func dataIsValid(_ record: DNSRecord) -> Bool {
        switch record.type {
        case .a: return IPAddress(record.data)?.family == .v4
        case .aaaa: return IPAddress(record.data)?.family == .v6
        case .ptr, .cname: return DomainName(record.data) != nil
        case .txt: return !record.data.isEmpty && record.data.utf8.count <= 255 * 16
        case .mx:
            let parts = record.data.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count == 2 && UInt16(parts[0]) != nil && DomainName(String(parts[1])) != nil
        }
    }

    /// The name a CNAME, PTR or MX points at (an MX's exchange); nil for other types or bad data.
    public static func target(of record: DNSRecord) -> DomainName? {
        switch record.type {
        case .cname, .ptr: return DomainName(record.data.hasSuffix(".") ? String(record.data.dropLast()) : record.data)
        case .mx:
            guard let last = record.data.split(separator: " ", omittingEmptySubsequences: true).last else { return nil }
            return DomainName(last.hasSuffix(".") ? String(last.dropLast()) : String(last))
        case .a, .aaaa, .txt: return nil
        }
    }

    /// The data compared as the server would: addresses and names in canonical form.
    public static func normalized(_ record: DNSRecord) -> String {
        switch record.type {
        case .a, .aaaa: IPAddress(record.data)?.description ?? record.data
        case .ptr, .cname: DomainName(record.data)?.description ?? record.data
        case .txt, .mx: record.data.lowercased()
        }
    }
}

extension IPAddress {
    /// The name of this address's PTR record: `15.0.20.10.in-addr.arpa`, or 32 nibbles under `ip6.arpa`.
    public var reverseName: DomainName {
        switch family {
        case .v4:
            let v = UInt32(truncatingIfNeeded: low)
            return DomainName(labels: [v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24].map { String($0) } + ["in-addr", "arpa"])
        case .v6:
            var nibbles: [String] = []
            for word in [low, high] {
                for shift in stride(from: 0, to: 64, by: 4) { nibbles.append(String((word >> UInt64(shift)) & 0xF, radix: 16)) }
            }
            return DomainName(labels: nibbles + ["ip6", "arpa"])
        }
    }
}

/// SOA serials in the `YYYYMMDDnn` form (RFC 1912 2.2): the date of the change in the office's zone
/// and a two-digit counter. Bumped once per change set; always larger than the last one, even after
/// a hundred changes in a day or a clock set back (then it counts on from the old serial).
public enum SOASerial {
    public static func next(after current: UInt32, at date: Date, in timeZone: TimeZone) -> UInt32 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.dateComponents([.year, .month, .day], from: date)
        let today = UInt32((day.year ?? 1970) * 10_000 + (day.month ?? 1) * 100 + (day.day ?? 1)) * 100
        return today > current ? today : current &+ 1
    }
}
