import Foundation

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
    init(fields: [(name: String, value: String)]) { self.fields = fields }

    /// Every value of `name`, in order (a multi-select, repeated inputs).
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The first value of `name`, or nil when absent.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The value of `name` trimmed of spaces, or "" when absent.
    func text(_ name: String) -> String { (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Form decoding: `+` is a space, then percent-escapes; a bad escape is kept as typed.
    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
