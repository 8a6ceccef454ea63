import Foundation

/// The addresses Simpul may send a check to (a ping, a TCP connect, later an SNMP request): every
/// prober asks ``permits(_:)`` before it opens a socket, and a target outside the scope is not
/// sent and says so.
///
/// Production leaves `SIMPUL_PROBE_ALLOW` unset, which permits any address. `make run` and the
/// tests set it to loopback (`127.0.0.0/8,::1/128`), so an example district whose pools are real
/// private ranges — data only — can never be probed from a demo or a test.
public struct ProbeScope: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable the scope is read from.
    public static let variable = "SIMPUL_PROBE_ALLOW"
    /// At most this many prefixes in one scope, and this many characters of text.
    public static let maxEntries = 256
    public static let maxLength = 8_192

    /// The permitted prefixes, or nil for any address.
    public let prefixes: [Prefix]?

    /// Any address: what production needs.
    public static let anyAddress = ProbeScope(prefixes: nil)
    /// 127.0.0.0/8 and ::1/128.
    public static let loopback = ProbeScope(prefixes: [Prefix("127.0.0.0/8")!, Prefix("::1/128")!])

    public init(prefixes: [Prefix]?) {
        self.prefixes = prefixes
    }

    /// Parses a comma-separated list of CIDR prefixes such as `127.0.0.0/8,::1/128`, strictly:
    /// every entry must be an IPv4 or IPv6 prefix with its length in range and no host bits set,
    /// with nothing empty between commas. The error names the entry that is wrong.
    public init(parsing text: String) throws(ProbeScopeError) {
        guard text.utf8.count <= Self.maxLength else { throw .tooLong(text.utf8.count) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .empty }
        let entries = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        guard entries.count <= Self.maxEntries else { throw .tooMany(entries.count) }
        var prefixes: [Prefix] = []
        for (index, raw) in entries.enumerated() {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { throw .emptyEntry(position: index + 1) }
            switch Prefix.parse(entry) {
            case .success(let prefix):
                if !prefixes.contains(prefix) { prefixes.append(prefix) }
            case .failure(.notCIDR):
                throw IPAddress(entry) == nil ? .badAddress(entry) : .notCIDR(entry)
            case .failure(.badAddress):
                throw .badAddress(entry)
            case .failure(.badLength(let max)):
                throw .badLength(entry, max: max)
            case .failure(.hostBitsSet(let suggested)):
                throw .hostBitsSet(entry, suggested: suggested)
            }
        }
        self.prefixes = prefixes
    }

    /// The scope from `SIMPUL_PROBE_ALLOW` in `environment`: unset is any address. Set but empty is
    /// refused rather than read as "anything", since a scope is a safety setting.
    public init(environment: [String: String]) throws(ProbeScopeError) {
        guard let text = environment[Self.variable] else {
            self = .anyAddress
            return
        }
        try self.init(parsing: text)
    }

    /// Whether a check may be sent to `address`. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`)
    /// is judged as the IPv4 address it reaches.
    public func permits(_ address: IPAddress) -> Bool {
        guard let prefixes else { return true }
        let reached = address.probeDestination
        return prefixes.contains { $0.contains(reached) }
    }

    public var isAnyAddress: Bool { prefixes == nil }

    /// The scope as it would be written in `SIMPUL_PROBE_ALLOW` (`any` for no limit).
    public var description: String {
        prefixes.map { $0.map(\.description).joined(separator: ",") } ?? "any"
    }
}

/// A `SIMPUL_PROBE_ALLOW` that cannot be read: names the entry and says how to write it.
public struct ProbeScopeError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case empty
        case tooLong(Int)
        case tooMany(Int)
        case emptyEntry(position: Int)
        case notCIDR(String)
        case badAddress(String)
        case badLength(String, max: Int)
        case hostBitsSet(String, suggested: Prefix)
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    static let empty = ProbeScopeError(.empty)
    static func tooLong(_ length: Int) -> Self { Self(.tooLong(length)) }
    static func tooMany(_ count: Int) -> Self { Self(.tooMany(count)) }
    static func emptyEntry(position: Int) -> Self { Self(.emptyEntry(position: position)) }
    static func notCIDR(_ entry: String) -> Self { Self(.notCIDR(entry)) }
    static func badAddress(_ entry: String) -> Self { Self(.badAddress(entry)) }
    static func badLength(_ entry: String, max: Int) -> Self { Self(.badLength(entry, max: max)) }
    static func hostBitsSet(_ entry: String, suggested: Prefix) -> Self { Self(.hostBitsSet(entry, suggested: suggested)) }

    /// The entry that is wrong, when one is.
    public var entry: String? {
        switch kind {
        case .notCIDR(let entry), .badAddress(let entry), .badLength(let entry, _), .hostBitsSet(let entry, _): entry
        case .empty, .tooLong, .tooMany, .emptyEntry: nil
        }
    }

    public var text: Text {
        let name = ProbeScope.variable
        let example = "127.0.0.0/8,::1/128"
        let problem: Text
        switch kind {
        case .empty:
            problem = Text(id: "kosong; tulis awalan yang boleh diperiksa, mis. \(example), atau hapus variabelnya agar semua alamat boleh",
                           en: "is empty; list the prefixes that may be checked, e.g. \(example), or unset it to allow any address")
        case .tooLong(let length):
            problem = Text(id: "terlalu panjang (\(length) bita, paling banyak \(ProbeScope.maxLength)); gabungkan awalan menjadi yang lebih besar",
                           en: "is too long (\(length) bytes, at most \(ProbeScope.maxLength)); merge prefixes into larger ones")
        case .tooMany(let count):
            problem = Text(id: "berisi \(count) awalan, paling banyak \(ProbeScope.maxEntries); gabungkan awalan menjadi yang lebih besar",
                           en: "holds \(count) prefixes, at most \(ProbeScope.maxEntries); merge prefixes into larger ones")
        case .emptyEntry(let position):
            problem = Text(id: "entri ke-\(position) kosong (dua koma berturut-turut atau koma di ujung); hapus komanya",
                           en: "entry \(position) is empty (two commas in a row, or one at either end); remove the comma")
        case .notCIDR(let entry):
            let shown = Excerpt.of(entry)
            let length = entry.contains(":") ? 128 : 32
            problem = Text(id: "\"\(shown)\" bukan awalan CIDR; tulis dengan panjangnya, mis. \(shown)/\(length) untuk satu alamat",
                           en: "\"\(shown)\" is not a CIDR prefix; write it with its length, e.g. \(shown)/\(length) for one address")
        case .badAddress(let entry):
            let shown = Excerpt.of(entry)
            problem = Text(id: "\"\(shown)\" bukan awalan IPv4 atau IPv6; tulis mis. 127.0.0.0/8 atau ::1/128",
                           en: "\"\(shown)\" is not an IPv4 or IPv6 prefix; write e.g. 127.0.0.0/8 or ::1/128")
        case .badLength(let entry, let max):
            let shown = Excerpt.of(entry)
            problem = Text(id: "panjang awalan \"\(shown)\" harus bilangan bulat dari 0 sampai \(max)",
                           en: "the length of \"\(shown)\" must be a whole number from 0 to \(max)")
        case .hostBitsSet(let entry, let suggested):
            let shown = Excerpt.of(entry)
            problem = Text(id: "\"\(shown)\" memuat bit host; maksudnya \(suggested)?",
                           en: "\"\(shown)\" has host bits set; did you mean \(suggested)?")
        }
        return Text(id: "\(name) tidak dapat dibaca: \(problem.id)", en: "\(name) cannot be read: \(problem.en)")
    }

    public var description: String { text.en }
}

extension IPAddress {
    /// The address a packet sent to this one really reaches: an IPv4-mapped IPv6 address
    /// (`::ffff:a.b.c.d`) goes to its IPv4 address through an IPv6 socket, so it is that address
    /// for the scope and for the socket.
    public var probeDestination: IPAddress {
        guard family == .v6, high == 0, low >> 32 == 0xFFFF else { return self }
        return IPAddress(v4: UInt32(truncatingIfNeeded: low))
    }
}
