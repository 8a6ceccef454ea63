/// Free text from outside — a form, a request, the command line — checked against `Limits` where
/// a service takes it, so that a 2 MB "note" never reaches a ticket's history, the audit log or a page.
public struct TextTooLong: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public let text: Text

    public init(field: Text, limit: Int, length: Int) {
        text = Text(id: "\(field.id) terlalu panjang: \(length) karakter, paling banyak \(limit); persingkat lalu kirim lagi",
                    en: "\(field.en) is too long: \(length) characters, at most \(limit); shorten it and send it again")
    }

    public var description: String { text.en }
}

public enum TextLength {
    /// Refuses `value` when it has more than `limit` characters. Counting stops just past the limit,
    /// so a megabyte is refused as fast as a kilobyte.
    public static func check(_ value: String?, _ field: Text, limit: Int) throws(TextTooLong) {
        guard let value, value.utf8.count > limit else { return }
        var count = 0
        for _ in value {
            count += 1
            if count > limit { throw TextTooLong(field: field, limit: limit, length: value.count) }
        }
    }

    /// The first of `fields` (name, value) longer than `limit`, as a refusal; nil when all fit.
    public static func firstTooLong(_ fields: [(name: String, value: String)], limit: Int) -> TextTooLong? {
        for (name, value) in fields {
            do { try check(value, Text(id: "isian \"\(Excerpt.of(name, length: 40))\"", en: "the field \"\(Excerpt.of(name, length: 40))\""), limit: limit) } catch { return error }
        }
        return nil
    }
}
