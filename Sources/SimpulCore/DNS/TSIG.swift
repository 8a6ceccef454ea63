import Crypto
import Foundation

/// A TSIG key (RFC 8945) as BIND's `tsig-keygen -a hmac-sha256` writes it. The secret never leaves
/// this value: its description names the key only, so it cannot end up in a log or the database.
public struct TSIGKey: Sendable, CustomStringConvertible {
    public let name: WireName
    public let algorithm: WireName
    let secret: [UInt8]

    public static let hmacSHA256 = WireName(labels: ["hmac-sha256"])

    public init(name: WireName, secret: [UInt8]) {
        self.name = name
        self.algorithm = Self.hmacSHA256
        self.secret = secret
    }

    public var description: String { "TSIG key \(name) (\(algorithm))" }

    public enum Problem: Error, Sendable, Hashable {
        case noKey
        case named(String, found: [String])
        case algorithm(String)
        case secret

        public var text: Text {
            switch self {
            case .noKey:
                Text(id: "file kunci tidak memuat blok key { algorithm …; secret \"…\"; }; buat dengan: tsig-keygen -a hmac-sha256 NAMA",
                     en: "the key file holds no key { algorithm …; secret \"…\"; } block; make one with: tsig-keygen -a hmac-sha256 NAME")
            case .named(let name, let found):
                Text(id: "file kunci tidak memuat kunci \"\(name)\" (ada: \(found.joined(separator: ", ")))",
                     en: "the key file has no key \"\(name)\" (it has: \(found.joined(separator: ", ")))")
            case .algorithm(let a):
                Text(id: "algoritma kunci \(a) tidak didukung; pakai hmac-sha256", en: "key algorithm \(a) is not supported; use hmac-sha256")
            case .secret:
                Text(id: "secret kunci bukan base64 yang sah", en: "the key's secret is not valid base64")
            }
        }
    }

    /// `text` without BIND's comments (`#` and `//` to the end of the line, `/* … */`), outside
    /// quoted strings only: a base64 secret may itself contain `//`.
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var inQuotes = false
        var iterator = Array(text.unicodeScalars)[...]
        while let c = iterator.first {
            iterator = iterator.dropFirst()
            if c == "\"" { inQuotes.toggle(); out.unicodeScalars.append(c); continue }
            if !inQuotes {
                if c == "#" || (c == "/" && iterator.first == "/") {
                    while let next = iterator.first, next != "\n" { iterator = iterator.dropFirst() }
                    continue
                }
                if c == "/" && iterator.first == "*" {
                    iterator = iterator.dropFirst()
                    while let next = iterator.first, !(next == "*" && iterator.dropFirst().first == "/") { iterator = iterator.dropFirst() }
                    iterator = iterator.dropFirst(2)
                    continue
                }
            }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// The key called `name` in a BIND key file (`key "name" { algorithm hmac-sha256; secret "…"; };`),
    /// or the only key in it when `name` is nil.
    public static func parse(bindKeyFile text: String, name wanted: String?) throws(Problem) -> TSIGKey {
        var keys: [(name: String, algorithm: String, secret: String)] = []
        var rest = Substring(Self.withoutComments(text))
        while let keyword = rest.range(of: "key") {
            rest = rest[keyword.upperBound...]
            guard let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") else { break }
            let name = rest[..<open].trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            var algorithm = "", secret = ""
            for statement in rest[rest.index(after: open)..<close].split(separator: ";") {
                let words = statement.split(whereSeparator: { $0.isWhitespace })
                guard words.count >= 2 else { continue }
                let value = words[1...].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                switch words[0] {
                case "algorithm": algorithm = value.lowercased()
                case "secret": secret = value
                default: break
                }
            }
            keys.append((name, algorithm, secret))
            rest = rest[close...]
        }
        guard !keys.isEmpty else { throw .noKey }
        let chosen: (name: String, algorithm: String, secret: String)
        if let wanted {
            guard let match = keys.first(where: { $0.name.lowercased() == wanted.lowercased() }) else { throw .named(wanted, found: keys.map(\.name)) }
            chosen = match
        } else {
            chosen = keys[0]
        }
        guard chosen.algorithm == "hmac-sha256" else { throw .algorithm(chosen.algorithm.isEmpty ? "(none)" : chosen.algorithm) }
        guard let secret = Data(base64Encoded: chosen.secret), !secret.isEmpty, let keyName = WireName(text: chosen.name) else { throw .secret }
        return TSIGKey(name: keyName, secret: Array(secret))
    }
}

/// Why a signed answer was not accepted.
public enum TSIGError: Error, Sendable, Hashable {
    /// The answer carries no TSIG although the request was signed.
    case unsigned
    /// The server reported a TSIG error (BADSIG, BADKEY, BADTIME) in the TSIG record.
    case server(UInt16)
    /// The MAC does not verify: the answer was altered or signed with another key.
    case badMAC
    /// The answer was signed too long before or after our clock.
    case badTime(serverTime: UInt64)
    case malformed

    public var text: Text {
        switch self {
        case .unsigned: Text(id: "jawaban server tidak ditandatangani TSIG", en: "the server's answer is not TSIG-signed")
        case .server(let code): DNSRcode.text(code)
        case .badMAC: Text(id: "tanda tangan TSIG pada jawaban tidak sah; kunci tidak cocok", en: "the answer's TSIG signature does not verify; the keys differ")
        case .badTime: Text(id: "waktu tanda tangan server terlalu jauh dari jam Simpul; sinkronkan NTP", en: "the server signed at a time too far from Simpul's clock; synchronise NTP")
        case .malformed: Text(id: "record TSIG pada jawaban rusak", en: "the answer's TSIG record is malformed")
        }
    }
}

/// The fields of a TSIG record's RDATA (RFC 8945 4.2).
public struct TSIGRecord: Sendable, Hashable {
    public var algorithm: WireName
    public var timeSigned: UInt64
    public var fudge: UInt16
    public var mac: [UInt8]
    public var originalID: UInt16
    public var error: UInt16
    public var other: [UInt8]

    var rdata: [UInt8] {
        var out: [UInt8] = []
        algorithm.append(to: &out)
        out.appendUInt16(UInt16(truncatingIfNeeded: timeSigned >> 32))
        out.appendUInt32(UInt32(truncatingIfNeeded: timeSigned))
        out.appendUInt16(fudge)
        out.appendUInt16(UInt16(mac.count))
        out += mac
        out.appendUInt16(originalID)
        out.appendUInt16(error)
        out.appendUInt16(UInt16(other.count))
        out += other
        return out
    }

    init(algorithm: WireName, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16, error: UInt16, other: [UInt8]) {
        self.algorithm = algorithm
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = error
        self.other = other
    }

    init?(rdata: [UInt8]) {
        var r = WireReader(bytes: rdata)
        guard let algorithm = try? r.name(), let hi = try? r.uint16(), let lo = try? r.uint32(), let fudge = try? r.uint16(),
              let macSize = try? r.uint16(), let mac = try? r.bytes(Int(macSize)), let id = try? r.uint16(),
              let error = try? r.uint16(), let otherSize = try? r.uint16(), let other = try? r.bytes(Int(otherSize)) else { return nil }
        self.init(algorithm: algorithm, timeSigned: UInt64(hi) << 32 | UInt64(lo), fudge: fudge, mac: mac, originalID: id, error: error, other: other)
    }

    /// The TSIG variables (RFC 8945 4.3.3): all of them, or only the timers on later messages of a
    /// TCP stream.
    func variables(key: TSIGKey, timersOnly: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if !timersOnly {
            key.name.append(to: &out)
            out.appendUInt16(DNSClass.any)
            out.appendUInt32(0)
            algorithm.append(to: &out)
        }
        out.appendUInt16(UInt16(truncatingIfNeeded: timeSigned >> 32))
        out.appendUInt32(UInt32(truncatingIfNeeded: timeSigned))
        out.appendUInt16(fudge)
        if !timersOnly {
            out.appendUInt16(error)
            out.appendUInt16(UInt16(other.count))
            out += other
        }
        return out
    }
}

/// Signs a request and verifies the answers to it, one message or a TCP stream of them (a zone
/// transfer), as RFC 8945 5.3 describes.
public struct TSIGSession: Sendable {
    public let key: TSIGKey
    public let fudge: UInt16
    var priorMAC: [UInt8] = []
    var unsigned: [UInt8] = []
    var unsignedCount = 0
    var verifiedOne = false

    public init(key: TSIGKey, fudge: UInt16 = 300) {
        self.key = key
        self.fudge = fudge
    }

    /// `message` encoded with a TSIG record appended, signed at `time` (seconds since 1970).
    public mutating func sign(_ message: DNSMessage, at time: UInt64) -> [UInt8] {
        var tsig = TSIGRecord(algorithm: key.algorithm, timeSigned: time, fudge: fudge, mac: [], originalID: message.id, error: 0, other: [])
        let body = message.encoded()
        tsig.mac = mac(body + tsig.variables(key: key, timersOnly: false))
        priorMAC = tsig.mac
        unsigned = []
        unsignedCount = 0
        verifiedOne = false
        var signed = message
        signed.additional.append(WireRecord(name: key.name, type: DNSType.tsig, rclass: DNSClass.any, ttl: 0, rdata: tsig.rdata))
        return signed.encoded()
    }

    /// Checks one answer to the signed request. Within a stream, up to 99 messages may come unsigned
    /// between signed ones (RFC 8945 5.3.1); the first and the last must be signed, which the caller
    /// checks with ``finish()``.
    public mutating func verify(_ bytes: [UInt8], now: UInt64) throws(TSIGError) -> DNSMessage {
        let decoded: (message: DNSMessage, tsigStart: Int?)
        do { decoded = try DNSMessage.decode(bytes) } catch { throw .malformed }
        guard let start = decoded.tsigStart, let record = decoded.message.additional.last, let tsig = TSIGRecord(rdata: record.rdata) else {
            guard verifiedOne, decoded.message.rcode == 0 else {
                if decoded.message.rcode == 9 || decoded.message.rcode == 5 { throw .server(UInt16(decoded.message.rcode)) }
                throw .unsigned
            }
            unsigned += bytes
            unsignedCount += 1
            if unsignedCount >= 100 { throw .unsigned }
            return decoded.message
        }
        if tsig.error != 0 { throw .server(tsig.error) }
        guard record.name == key.name, tsig.algorithm == key.algorithm else { throw .badMAC }
        // The message as it was before the server added its TSIG: ARCOUNT one less, the original ID.
        var body = Array(bytes[..<start])
        let arcount = (UInt16(body[10]) << 8 | UInt16(body[11])) - 1
        body[10] = UInt8(arcount >> 8); body[11] = UInt8(arcount & 0xFF)
        body[0] = UInt8(tsig.originalID >> 8); body[1] = UInt8(tsig.originalID & 0xFF)
        var digest: [UInt8] = []
        digest.appendUInt16(UInt16(priorMAC.count))
        digest += priorMAC
        digest += unsigned
        digest += body
        digest += tsig.variables(key: key, timersOnly: verifiedOne)
        guard constantTimeEqual(mac(digest), tsig.mac) else { throw .badMAC }
        let skew = now > tsig.timeSigned ? now - tsig.timeSigned : tsig.timeSigned - now
        guard skew <= UInt64(tsig.fudge) else { throw .badTime(serverTime: tsig.timeSigned) }
        priorMAC = tsig.mac
        unsigned = []
        unsignedCount = 0
        verifiedOne = true
        var message = decoded.message
        message.additional.removeLast()
        return message
    }

    /// True when the stream's last message was signed.
    public var endsSigned: Bool { verifiedOne && unsignedCount == 0 }

    func mac(_ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key.secret)))
    }

    func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
