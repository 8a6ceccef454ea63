import Foundation
import Yams

/// Collects issues while reading; a reference so nested readers share one list. Keeps the first
/// `cap` and counts the rest, so a file of a hundred thousand wrong lines gives a readable answer.
final class IssueLog {
    static let cap = 1_000

    private(set) var issues: [InventoryIssue] = []
    private(set) var dropped = 0

    /// Issues found so far, kept or not.
    var count: Int { issues.count + dropped }

    func add(_ location: SourceLocation?, _ field: String, _ text: Text) {
        guard issues.count < Self.cap else {
            dropped += 1
            return
        }
        issues.append(InventoryIssue(location: location, field: field, text: text))
    }

    /// The issues kept, and a last one saying how many more there were.
    var all: [InventoryIssue] {
        guard dropped > 0 else { return issues }
        return issues + [InventoryIssue(location: nil, field: "(…)", text: Text(
            id: "dan \(dropped) kesalahan lain tidak ditampilkan; perbaiki yang di atas dulu",
            en: "and \(dropped) more error(s) not shown; fix the ones above first"))]
    }
}

/// Reads one YAML mapping (an inventory item or a nested object) field by field,
/// recording the line of every field and an issue for anything wrong.
struct FieldReader {
    let mapping: Node.Mapping
    let file: String
    let path: String
    let line: Int
    let log: IssueLog
    private(set) var fieldLines: [String: Int] = [:]
    /// The mapping's values by key text, built once: Yams' `mapping["key"]` resolves the key's tag
    /// (regular expressions) on every lookup, which made reading a large file slow.
    private var values: [String: Node] = [:]

    init?(_ node: Node, file: String, path: String, log: IssueLog, allowed: [String]) {
        let line = node.mark?.line ?? 0
        guard let mapping = node.mapping else {
            log.add(SourceLocation(file: file, line: line), path,
                    Text(id: "harus berupa pemetaan (kunci: nilai)", en: "must be a mapping (key: value pairs)"))
            return nil
        }
        self.mapping = mapping
        self.file = file
        self.path = path
        self.line = line
        self.log = log
        for (key, value) in mapping {
            let name = key.string ?? "?"
            if values[name] == nil, key.string != nil { values[name] = value }
            fieldLines[name] = value.mark?.line ?? key.mark?.line ?? line
            if !allowed.contains(name) {
                log.add(SourceLocation(file: file, line: key.mark?.line ?? line), path.isEmpty ? name : "\(path).\(name)",
                        Text(id: "kolom tidak dikenal; yang dikenal: \(allowed.joined(separator: ", "))",
                             en: "unknown field; known fields are: \(allowed.joined(separator: ", "))"))
            }
        }
    }

    var location: SourceLocation { SourceLocation(file: file, line: line) }

    func location(_ field: String) -> SourceLocation {
        SourceLocation(file: file, line: fieldLines[field] ?? line)
    }

    /// A plain `null`, `~` or nothing (YAML 1.2 core schema), without resolving the tag through
    /// Yams' regular expressions; an explicit `!!null` tag too.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        let tag = scalar.tag.description
        if tag == Tag.Name.null.rawValue { return true }
        // Implicit (not yet resolved) and plain: null by the core schema's words.
        guard tag == Tag.Name.implicit.rawValue, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// `path.field`, or just `field` at the top of a file.
    func fieldPath(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

    func fail(_ field: String, _ text: Text) {
        log.add(location(field), fieldPath(field), text)
    }

    func node(_ field: String) -> Node? {
        guard let node = values[field] else { return nil }
        if Self.isNull(node) { return nil }
        return node
    }

    func missing(_ field: String, _ expected: Text) {
        log.add(location, fieldPath(field),
                Text(id: "wajib diisi: \(expected.id)", en: "is required: \(expected.en)"))
    }

    /// A non-empty string of at most `max` characters (`Limits`), or nil (with an issue when
    /// required, or when it is too long).
    func string(_ field: String, required: Bool = false, max: Int = Limits.name,
                expected: Text = Text(id: "teks", en: "text")) -> String? {
        guard let node = node(field) else {
            if required { missing(field, expected) }
            return nil
        }
        guard node.scalar != nil, let value = node.string?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            fail(field, Text(id: "harus berupa teks", en: "must be text"))
            return nil
        }
        if value.isEmpty {
            if required { missing(field, expected) }
            return nil
        }
        let length = value.count
        if length > max {
            fail(field, Text(id: "terlalu panjang: \(length) karakter, paling banyak \(max) (\"\(Excerpt.of(value))\")",
                             en: "is too long: \(length) characters, at most \(max) (\"\(Excerpt.of(value))\")"))
            return nil
        }
        return value
    }

    /// A whole number in `range`; the ranges are documented in docs/inventory.md and docs/playbooks.md.
    /// Checked here, where it is read, so that no later sum or product can overflow.
    func int(_ field: String, required: Bool = false, range: ClosedRange<Int>, expected: Text) -> Int? {
        guard let node = node(field) else {
            if required { missing(field, expected) }
            return nil
        }
        let low = range.lowerBound, high = range.upperBound
        guard let text = node.scalar?.string, text.utf8.count <= 24, let value = Int(text) else {
            let given = node.scalar.map { "; yang diberikan \"\(Excerpt.of($0.string))\"" } ?? ""
            let givenEN = node.scalar.map { "; got \"\(Excerpt.of($0.string))\"" } ?? ""
            fail(field, Text(id: "harus bilangan bulat \(low)–\(high): \(expected.id)\(given)",
                             en: "must be a whole number \(low)–\(high): \(expected.en)\(givenEN)"))
            return nil
        }
        if !range.contains(value) {
            fail(field, Text(id: "\(value) di luar rentang \(low)–\(high): \(expected.id)",
                             en: "\(value) is outside \(low)–\(high): \(expected.en)"))
            return nil
        }
        return value
    }

    /// A number above `above` and at most `atMost` (finite: no `.inf`, no `.nan`).
    func double(_ field: String, required: Bool = false, above: Double, atMost: Double, expected: Text) -> Double? {
        guard let node = node(field) else {
            if required { missing(field, expected) }
            return nil
        }
        let low = Self.number(above), high = Self.number(atMost)
        guard let text = node.scalar?.string, text.utf8.count <= 32, let value = Double(text), value.isFinite else {
            let given = node.scalar.map { "; yang diberikan \"\(Excerpt.of($0.string))\"" } ?? ""
            let givenEN = node.scalar.map { "; got \"\(Excerpt.of($0.string))\"" } ?? ""
            fail(field, Text(id: "harus berupa angka di atas \(low) sampai \(high): \(expected.id)\(given)",
                             en: "must be a number above \(low) and at most \(high): \(expected.en)\(givenEN)"))
            return nil
        }
        if !(value > above && value <= atMost) {
            fail(field, Text(id: "\(Self.number(value)) harus di atas \(low) dan paling tinggi \(high): \(expected.id)",
                             en: "\(Self.number(value)) must be above \(low) and at most \(high): \(expected.en)"))
            return nil
        }
        return value
    }

    /// `1000000` rather than `1000000.0`; exponent form only where a plain one would be long.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    func choice<E: RawRepresentable & CaseIterable>(_ field: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let raw = string(field, required: required, expected: Text(id: "salah satu dari \(allowed)", en: "one of \(allowed)")) else {
            return nil
        }
        guard let value = E(rawValue: raw.lowercased()) else {
            fail(field, Text(id: "\"\(Excerpt.of(raw))\" tidak dikenal; pilih salah satu: \(allowed)",
                             en: "\"\(Excerpt.of(raw))\" is not known; use one of: \(allowed)"))
            return nil
        }
        return value
    }

    func address(_ field: String, required: Bool = false) -> IPAddress? {
        guard let raw = string(field, required: required, expected: Text(id: "alamat IP", en: "an IP address")) else { return nil }
        guard let address = IPAddress(raw) else {
            fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan alamat IPv4/IPv6 yang sah (contoh: 10.20.0.1 atau 2001:db8::1)",
                             en: "\"\(Excerpt.of(raw))\" is not a valid IPv4/IPv6 address (e.g. 10.20.0.1 or 2001:db8::1)"))
            return nil
        }
        return address
    }

    func domain(_ field: String, required: Bool = false) -> DomainName? {
        guard let raw = string(field, required: required, expected: Text(id: "nama domain", en: "a domain name")) else { return nil }
        switch DomainName.parse(raw) {
        case .success(let name): return name
        case .failure(let problem):
            fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan nama domain yang sah: \(problem.text.id)",
                             en: "\"\(Excerpt.of(raw))\" is not a valid domain name: \(problem.text.en)"))
            return nil
        }
    }

    func nested(_ field: String, allowed: [String]) -> FieldReader? {
        guard let node = node(field) else { return nil }
        return FieldReader(node, file: file, path: fieldPath(field), log: log, allowed: allowed)
    }

    func sequence(_ field: String) -> [Node] {
        guard let node = node(field) else { return [] }
        guard let sequence = node.sequence else {
            fail(field, Text(id: "harus berupa daftar (- item)", en: "must be a list (- items)"))
            return []
        }
        return Array(sequence)
    }

    /// A contact block: name required, the rest optional and checked for shape.
    func contact(_ field: String, extraAllowed: [String] = []) -> (Contact?, FieldReader?) {
        guard let reader = nested(field, allowed: ["name", "title", "phone", "whatsapp", "email"] + extraAllowed) else {
            return (nil, nil)
        }
        return (reader.contactValue(requireName: true), reader)
    }

    func contactValue(requireName: Bool) -> Contact? {
        let name = string("name", required: requireName, expected: Text(id: "nama orang atau unit", en: "a person's or unit's name"))
        let phone = phoneNumber("phone")
        let whatsapp = phoneNumber("whatsapp")
        let email = emailAddress("email")
        let title = string("title")
        guard let name else { return nil }
        return Contact(name: name, title: title, phone: phone, whatsapp: whatsapp, email: email)
    }

    func phoneNumber(_ field: String) -> String? {
        guard let raw = string(field) else { return nil }
        let digits = raw.filter(\.isNumber)
        let allowed = raw.allSatisfy { $0.isNumber || " +-().".contains($0) }
        if !allowed || digits.count < 5 || digits.count > 16 {
            fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan nomor telepon; tulis seperti \"+62 812-3456-7890\" (dalam tanda kutip)",
                             en: "\"\(Excerpt.of(raw))\" is not a phone number; write it like \"+62 812-3456-7890\" (in quotes)"))
            return nil
        }
        return raw
    }

    func emailAddress(_ field: String) -> String? {
        guard let raw = string(field) else { return nil }
        if !EmailAddress.isValid(raw) {
            fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan alamat surel; tulis seperti nama@contohkab.go.id",
                             en: "\"\(Excerpt.of(raw))\" is not an e-mail address; write it like name@contohkab.go.id"))
            return nil
        }
        return raw
    }
}

/// A light e-mail address check: one `@`, a non-empty local part, a valid domain.
public enum EmailAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(where: \.isWhitespace),
              let domain = DomainName(String(parts[1])), domain.labels.count >= 2 else { return false }
        return true
    }
}
