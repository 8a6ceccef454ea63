import Foundation

/// DNS messages on the wire (RFC 1035 4, RFC 2136 2): enough of the format to send queries, zone
/// transfers and dynamic updates, and to read what a server answers. Encoding never compresses
/// names; decoding follows compression pointers (with a loop guard) and expands every name inside
/// the RDATA of the types Simpul reads, so a decoded record stands on its own.
public struct DNSMessage: Sendable, Hashable {
    public enum Opcode: UInt8, Sendable { case query = 0, update = 5 }

    public var id: UInt16
    public var isResponse = false
    public var opcode: Opcode = .query
    public var authoritative = false
    public var truncated = false
    public var recursionDesired = false
    public var recursionAvailable = false
    public var rcode: UInt8 = 0
    /// The question section; in an update, the zone section (one SOA question for the zone).
    public var questions: [Question] = []
    /// Answers; in an update, the prerequisites.
    public var answers: [WireRecord] = []
    /// Authority; in an update, the updates.
    public var authority: [WireRecord] = []
    public var additional: [WireRecord] = []

    public init(id: UInt16, opcode: Opcode = .query) {
        self.id = id
        self.opcode = opcode
    }

    public struct Question: Sendable, Hashable {
        public var name: WireName
        public var type: UInt16
        public var qclass: UInt16
        public init(name: WireName, type: UInt16, qclass: UInt16 = DNSClass.in) {
            self.name = name
            self.type = type
            self.qclass = qclass
        }
    }

    public var flags: UInt16 {
        var f: UInt16 = 0
        if isResponse { f |= 0x8000 }
        f |= UInt16(opcode.rawValue & 0xF) << 11
        if authoritative { f |= 0x0400 }
        if truncated { f |= 0x0200 }
        if recursionDesired { f |= 0x0100 }
        if recursionAvailable { f |= 0x0080 }
        f |= UInt16(rcode & 0xF)
        return f
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.appendUInt16(id)
        out.appendUInt16(flags)
        for count in [questions.count, answers.count, authority.count, additional.count] { out.appendUInt16(UInt16(count)) }
        for q in questions {
            q.name.append(to: &out)
            out.appendUInt16(q.type)
            out.appendUInt16(q.qclass)
        }
        for r in answers + authority + additional { r.append(to: &out) }
        return out
    }

    /// A message decoded from `bytes`, and where its last additional record starts when that record
    /// is a TSIG (the signature covers everything before it).
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> (message: DNSMessage, tsigStart: Int?) {
        var reader = WireReader(bytes: bytes)
        let id = try reader.uint16()
        let flags = try reader.uint16()
        var message = DNSMessage(id: id)
        message.isResponse = flags & 0x8000 != 0
        guard let opcode = Opcode(rawValue: UInt8((flags >> 11) & 0xF)) else { throw .unsupported("opcode \((flags >> 11) & 0xF)") }
        message.opcode = opcode
        message.authoritative = flags & 0x0400 != 0
        message.truncated = flags & 0x0200 != 0
        message.recursionDesired = flags & 0x0100 != 0
        message.recursionAvailable = flags & 0x0080 != 0
        message.rcode = UInt8(flags & 0xF)
        let qd = Int(try reader.uint16()), an = Int(try reader.uint16()), ns = Int(try reader.uint16()), ar = Int(try reader.uint16())
        for _ in 0..<qd {
            let name = try reader.name()
            message.questions.append(Question(name: name, type: try reader.uint16(), qclass: try reader.uint16()))
        }
        for _ in 0..<an { message.answers.append(try reader.record()) }
        for _ in 0..<ns { message.authority.append(try reader.record()) }
        var tsigStart: Int?
        for _ in 0..<ar {
            let start = reader.offset
            let record = try reader.record()
            tsigStart = record.type == DNSType.tsig ? start : nil
            message.additional.append(record)
        }
        return (message, tsigStart)
    }
}

/// Record type numbers (RFC 1035 3.2.2, RFC 3596, RFC 8945).
public enum DNSType {
    public static let a: UInt16 = 1, ns: UInt16 = 2, cname: UInt16 = 5, soa: UInt16 = 6, ptr: UInt16 = 12
    public static let mx: UInt16 = 15, txt: UInt16 = 16, aaaa: UInt16 = 28, tsig: UInt16 = 250, axfr: UInt16 = 252, any: UInt16 = 255

    public static func number(_ type: RecordType) -> UInt16 {
        switch type {
        case .a: a
        case .aaaa: aaaa
        case .ptr: ptr
        case .cname: cname
        case .txt: txt
        case .mx: mx
        }
    }

    public static func recordType(_ number: UInt16) -> RecordType? {
        RecordType.allCases.first { Self.number($0) == number }
    }
}

public enum DNSClass {
    public static let `in`: UInt16 = 1, none: UInt16 = 254, any: UInt16 = 255
}

/// Response codes (RFC 1035 4.1.1, RFC 2136 2.2, RFC 8945 3), with what each means for an admin.
public enum DNSRcode {
    public static func text(_ rcode: UInt16) -> Text {
        switch rcode {
        case 1: Text(id: "server menolak pesan sebagai salah format (FORMERR)", en: "the server rejected the message as malformed (FORMERR)")
        case 2: Text(id: "server gagal memproses (SERVFAIL); periksa log named", en: "the server failed (SERVFAIL); check named's log")
        case 3: Text(id: "nama tidak ada (NXDOMAIN)", en: "no such name (NXDOMAIN)")
        case 4: Text(id: "server tidak mendukung operasi ini (NOTIMP)", en: "the server does not implement this (NOTIMP)")
        case 5: Text(id: "server menolak (REFUSED); periksa allow-update/allow-transfer untuk kunci ini", en: "the server refused (REFUSED); check allow-update/allow-transfer for this key")
        case 6: Text(id: "nama sudah ada padahal seharusnya tidak (YXDOMAIN)", en: "a name exists that should not (YXDOMAIN)")
        case 7: Text(id: "RRset sudah ada padahal seharusnya tidak (YXRRSET)", en: "an RRset exists that should not (YXRRSET)")
        case 8: Text(id: "RRset yang diharapkan tidak ada (NXRRSET)", en: "an RRset that should exist does not (NXRRSET)")
        case 9: Text(id: "server tidak berwenang atas zona ini atau kunci TSIG ditolak (NOTAUTH)", en: "the server is not authoritative for the zone, or refused the TSIG key (NOTAUTH)")
        case 10: Text(id: "nama di luar zona (NOTZONE)", en: "a name lies outside the zone (NOTZONE)")
        case 16: Text(id: "tanda tangan TSIG salah (BADSIG); rahasia kunci di file tidak cocok dengan server", en: "bad TSIG signature (BADSIG); the key file's secret does not match the server's")
        case 17: Text(id: "kunci TSIG tidak dikenal server (BADKEY); periksa nama kunci dan algoritmanya", en: "the server does not know the TSIG key (BADKEY); check the key's name and algorithm")
        case 18: Text(id: "jam server dan jam Simpul berbeda terlalu jauh (BADTIME); sinkronkan NTP", en: "the server's clock and Simpul's differ too much (BADTIME); synchronise NTP")
        default: Text(id: "server menjawab dengan kode \(rcode)", en: "the server answered with code \(rcode)")
        }
    }
}

public enum WireError: Error, Sendable, Hashable {
    case truncated
    case badPointer
    case badLabel
    case unsupported(String)
}

/// A name as it travels: raw labels, without the host-name rules of ``DomainName`` (a server may
/// hold `_dmarc` or a TSIG algorithm name). Compared case-insensitively, as DNS does.
public struct WireName: Sendable, Hashable, CustomStringConvertible {
    public let labels: [String]

    public init(labels: [String]) { self.labels = labels.map { $0.lowercased() } }
    public init(_ name: DomainName) { labels = name.labels }
    public init?(text: String) {
        var t = text
        if t.hasSuffix(".") { t.removeLast() }
        let labels = t.isEmpty ? [] : t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }) else { return nil }
        self.init(labels: labels)
    }

    public var description: String { labels.isEmpty ? "." : labels.joined(separator: ".") }
    public var domainName: DomainName? { DomainName(description) }

    /// Uncompressed, lowercase: the canonical form RFC 8945 signs.
    public func append(to out: inout [UInt8]) {
        for label in labels {
            let bytes = Array(label.utf8)
            out.append(UInt8(bytes.count))
            out.append(contentsOf: bytes)
        }
        out.append(0)
    }
}

/// One resource record on the wire, RDATA already expanded (no compression pointers in it).
public struct WireRecord: Sendable, Hashable {
    public var name: WireName
    public var type: UInt16
    public var rclass: UInt16
    public var ttl: UInt32
    public var rdata: [UInt8]

    public init(name: WireName, type: UInt16, rclass: UInt16 = DNSClass.in, ttl: UInt32, rdata: [UInt8]) {
        self.name = name
        self.type = type
        self.rclass = rclass
        self.ttl = ttl
        self.rdata = rdata
    }

    public func append(to out: inout [UInt8]) {
        name.append(to: &out)
        out.appendUInt16(type)
        out.appendUInt16(rclass)
        out.appendUInt32(ttl)
        out.appendUInt16(UInt16(rdata.count))
        out.append(contentsOf: rdata)
    }

    /// `record` in wire form; nil when its data does not parse (``RecordRules`` refuses those first).
    public init?(_ record: DNSRecord) {
        guard let rdata = Self.rdata(of: record) else { return nil }
        self.init(name: WireName(record.name), type: DNSType.number(record.type), ttl: UInt32(clamping: record.ttl), rdata: rdata)
    }

    static func rdata(of record: DNSRecord) -> [UInt8]? {
        var out: [UInt8] = []
        switch record.type {
        case .a:
            guard let v = IPAddress(record.data)?.v4Value else { return nil }
            out.appendUInt32(v)
        case .aaaa:
            guard let ip = IPAddress(record.data), ip.family == .v6 else { return nil }
            out.appendUInt32(UInt32(ip.high >> 32)); out.appendUInt32(UInt32(truncatingIfNeeded: ip.high))
            out.appendUInt32(UInt32(ip.low >> 32)); out.appendUInt32(UInt32(truncatingIfNeeded: ip.low))
        case .ptr, .cname:
            guard let target = WireName(text: record.data) else { return nil }
            target.append(to: &out)
        case .mx:
            let parts = record.data.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let preference = UInt16(parts[0]), let exchange = WireName(text: String(parts[1])) else { return nil }
            out.appendUInt16(preference)
            exchange.append(to: &out)
        case .txt:
            let bytes = Array(record.data.utf8)
            guard !bytes.isEmpty else { return nil }
            var start = 0
            while start < bytes.count {
                let end = min(start + 255, bytes.count)
                out.append(UInt8(end - start))
                out.append(contentsOf: bytes[start..<end])
                start = end
            }
        }
        return out
    }

    /// This record as Simpul keeps records, when it is of a type Simpul manages and its owner name is
    /// a host name.
    public var record: DNSRecord? {
        guard rclass == DNSClass.in, let type = DNSType.recordType(type), let name = name.domainName else { return nil }
        var r = WireReader(bytes: rdata)
        let data: String?
        switch type {
        case .a:
            data = rdata.count == 4 ? (try? r.uint32()).map { IPAddress(v4: $0).description } : nil
        case .aaaa:
            if rdata.count == 16, let a = try? r.uint32(), let b = try? r.uint32(), let c = try? r.uint32(), let d = try? r.uint32() {
                data = IPAddress(v6High: UInt64(a) << 32 | UInt64(b), low: UInt64(c) << 32 | UInt64(d)).description
            } else { data = nil }
        case .ptr, .cname:
            data = (try? r.name())?.description
        case .mx:
            if let p = try? r.uint16(), let n = try? r.name() { data = "\(p) \(n)" } else { data = nil }
        case .txt:
            var text: [UInt8] = []
            while r.offset < rdata.count, let n = try? r.uint8(), let chunk = try? r.bytes(Int(n)) { text += chunk }
            data = String(decoding: text, as: UTF8.self)
        }
        guard let data else { return nil }
        return DNSRecord(name: name, type: type, ttl: Int(ttl), data: data)
    }
}

/// The SOA fields Simpul writes; the timers follow RFC 1912 2.2's advice for a small office zone.
public struct SOAData: Sendable, Hashable {
    public var primaryNS: WireName
    public var mailbox: WireName
    public var serial: UInt32
    public var refresh: UInt32 = 3600
    public var retry: UInt32 = 900
    public var expire: UInt32 = 1_209_600
    public var minimum: UInt32 = 300

    public init(primaryNS: WireName, mailbox: WireName, serial: UInt32) {
        self.primaryNS = primaryNS
        self.mailbox = mailbox
        self.serial = serial
    }

    /// `hostmaster@contohkab.go.id` → `hostmaster.contohkab.go.id` (RFC 1035 8; a dot in the local
    /// part would need escaping, so it is refused by the inventory's validation).
    public static func mailbox(fromEmail email: String) -> WireName? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains("."), let domain = WireName(text: String(parts[1])) else { return nil }
        return WireName(labels: [String(parts[0])] + domain.labels)
    }

    public var rdata: [UInt8] {
        var out: [UInt8] = []
        primaryNS.append(to: &out)
        mailbox.append(to: &out)
        for v in [serial, refresh, retry, expire, minimum] { out.appendUInt32(v) }
        return out
    }

    public init?(rdata: [UInt8]) {
        var r = WireReader(bytes: rdata)
        guard let ns = try? r.name(), let mb = try? r.name(), let s = try? r.uint32(), let rf = try? r.uint32(),
              let rt = try? r.uint32(), let ex = try? r.uint32(), let mn = try? r.uint32() else { return nil }
        self.init(primaryNS: ns, mailbox: mb, serial: s)
        refresh = rf; retry = rt; expire = ex; minimum = mn
    }
}

/// Reads big-endian fields and (possibly compressed) names from a message.
public struct WireReader {
    let bytes: [UInt8]
    public private(set) var offset = 0

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public mutating func uint8() throws(WireError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uint16() throws(WireError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw .truncated }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func uint32() throws(WireError) -> UInt32 {
        UInt32(try uint16()) << 16 | UInt32(try uint16())
    }

    public mutating func bytes(_ n: Int) throws(WireError) -> [UInt8] {
        guard n >= 0, offset + n <= bytes.count else { throw .truncated }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    public mutating func name() throws(WireError) -> WireName {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        var total = 0
        while true {
            guard position < bytes.count else { throw .truncated }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                jumps += 1
                guard target < position, jumps < 128 else { throw .badPointer }
                if !jumped { offset = position + 2 }
                jumped = true
                position = target
            case 0x00:
                if length == 0 {
                    if !jumped { offset = position + 1 }
                    return WireName(labels: labels)
                }
                guard position + 1 + length <= bytes.count else { throw .truncated }
                total += length + 1
                guard total <= 255 else { throw .badLabel }
                labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self))
                position += 1 + length
            default:
                throw .badLabel
            }
        }
    }

    /// A record whose RDATA is re-encoded without compression for the types that hold names.
    mutating func record() throws(WireError) -> WireRecord {
        let name = try name()
        let type = try uint16()
        let rclass = try uint16()
        let ttl = try uint32()
        let length = Int(try uint16())
        guard offset + length <= bytes.count else { throw .truncated }
        let end = offset + length
        var rdata: [UInt8] = []
        switch type {
        case DNSType.ns, DNSType.cname, DNSType.ptr:
            try self.name().append(to: &rdata)
        case DNSType.mx:
            rdata.appendUInt16(try uint16())
            try self.name().append(to: &rdata)
        case DNSType.soa:
            try self.name().append(to: &rdata)
            try self.name().append(to: &rdata)
            for _ in 0..<5 { rdata.appendUInt32(try uint32()) }
        default:
            rdata = try bytes(length)
        }
        guard offset == end else { throw .badLabel }
        return WireRecord(name: name, type: type, rclass: rclass, ttl: ttl, rdata: rdata)
    }
}

extension Array where Element == UInt8 {
    mutating func appendUInt16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }

    mutating func appendUInt32(_ v: UInt32) {
        appendUInt16(UInt16(v >> 16))
        appendUInt16(UInt16(v & 0xFFFF))
    }
}
