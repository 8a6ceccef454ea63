/// A fully qualified domain name, validated by RFC 1035 / RFC 1123 rules and kept lowercase,
/// without the trailing dot.
public struct DomainName: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let labels: [String]

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong(Int)
        case emptyLabel
        case labelTooLong(String)
        case badCharacter(label: String, character: Character)
        case hyphenAtEdge(String)

        public var text: Text {
            switch self {
            case .empty:
                Text(id: "nama domain kosong", en: "the domain name is empty")
            case .tooLong(let n):
                Text(id: "nama domain \(n) karakter, maksimum 253", en: "the domain name is \(n) characters long; at most 253 are allowed")
            case .emptyLabel:
                Text(id: "ada label kosong (titik ganda atau titik di awal)", en: "it has an empty label (two dots in a row, or a leading dot)")
            case .labelTooLong(let l):
                Text(id: "label \"\(l)\" lebih dari 63 karakter", en: "label \"\(l)\" is longer than 63 characters")
            case .badCharacter(let l, let c):
                Text(id: "label \"\(l)\" memuat karakter \"\(c)\"; hanya huruf a-z, angka 0-9 dan tanda hubung yang boleh",
                     en: "label \"\(l)\" contains \"\(c)\"; only letters a-z, digits 0-9 and hyphens are allowed")
            case .hyphenAtEdge(let l):
                Text(id: "label \"\(l)\" tidak boleh diawali atau diakhiri tanda hubung", en: "label \"\(l)\" must not start or end with a hyphen")
            }
        }
    }

    /// Validates `text` as a host-style name (letters, digits, hyphens). A trailing dot is accepted.
    public static func parse(_ text: String) -> Result<DomainName, Problem> {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { return .failure(.empty) }
        guard name.count <= 253 else { return .failure(.tooLong(name.count)) }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for label in labels {
            if let problem = labelProblem(label) { return .failure(problem) }
        }
        return .success(DomainName(labels: labels))
    }

    /// The problem with `label` as a single DNS host label, or nil when it is valid.
    public static func labelProblem(_ label: String) -> Problem? {
        if label.isEmpty { return .emptyLabel }
        if label.utf8.count > 63 { return .labelTooLong(label) }
        if let bad = label.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")) }) {
            return .badCharacter(label: label, character: bad)
        }
        if label.hasPrefix("-") || label.hasSuffix("-") { return .hyphenAtEdge(label) }
        return nil
    }

    public init?(_ text: String) {
        guard case .success(let name) = Self.parse(text) else { return nil }
        self = name
    }

    init(labels: [String]) { self.labels = labels }

    public var description: String { labels.joined(separator: ".") }

    /// True when this name is `other` or lies below it.
    public func isSubdomain(of other: DomainName) -> Bool {
        labels.count >= other.labels.count && Array(labels.suffix(other.labels.count)) == other.labels
    }

    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.labels.reversed().lexicographicallyPrecedes(rhs.labels.reversed())
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let name = DomainName(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a domain name: \(text)")
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
