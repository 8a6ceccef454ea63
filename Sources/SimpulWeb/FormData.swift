import Foundation
import SimpulCore
import SimpulServices

/// The fields of an `application/x-www-form-urlencoded` body or a query string.
struct FormData: Sendable {
    private var fields: [(name: String, value: String)] = []

    init() {}

    init(encoded text: Substring) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    init(encoded text: String?) { self.init(encoded: (text ?? "")[...]) }

    /// Fields already split, as a multipart body gives them.
    init(fields: [(name: String, value: String)]) { self.fields = fields.map { ($0.name, Self.withoutControls($0.value)) } }

    /// A refusal when any field is longer than any form of Simpul takes (`Limits.longText`); the
    /// services check each field against its own, smaller limit.
    func tooLong() -> TextTooLong? {
        TextLength.firstTooLong(fields, limit: Limits.longText)
    }

    /// Every field as sent.
    var allFields: [(name: String, value: String)] { fields }

    /// Every value of `name`, in order (a multi-select, repeated inputs).
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The first value of `name`, or nil when absent.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The value of `name` trimmed of spaces, or "" when absent.
    func text(_ name: String) -> String { (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Form decoding: `+` is a space, then percent-escapes; a bad escape is kept as typed. Control
    /// characters no form field can hold (NUL, escape sequences…; tab and line breaks stay) are
    /// dropped here, so they are never stored, echoed into a page or written to a log.
    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return withoutControls(spaced.removingPercentEncoding ?? spaced)
    }

    static func withoutControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isStray) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !isStray($0) })
        return String(kept)
    }

    private static func isStray(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
    }
}

extension FormData {
    /// The whole number in field `name`, range-checked where it is parsed; nil when the field is
    /// absent or empty. Anything else — not a number, out of `range` — is refused with a message
    /// naming `label` (a 400, never a trap further on).
    func integer(_ name: String, _ label: Text, in range: ClosedRange<Int>) throws -> Int? {
        let text = self.text(name)
        if text.isEmpty { return nil }
        do { return try WholeNumber.parse(text, field: label, in: range) } catch { throw ServiceError(.invalid, error.text) }
    }

    /// As `integer`, with `value` when the field is absent or empty.
    func integer(_ name: String, _ label: Text, in range: ClosedRange<Int>, default value: Int) throws -> Int {
        try integer(name, label, in: range) ?? value
    }
}
