/// HTML written by appending to one byte buffer, for the pages that repeat a block once per row of a
/// long list (the ticket list and "my work"). Mustache looks every `{{name}}` up through its context
/// stack with dynamic casts; for a list page that cost more than the database did (`scripts/bench.sh e`).
///
/// Safe by construction: `markup` takes only string literals, so anything from a user or the database
/// goes through `text`, which escapes `& < > " '` as Mustache's `{{name}}` does. `raw` is only for
/// the output of a template, which escaped its own values.
struct HTML {
    private var bytes: [UInt8] = []

    init(capacity: Int = 8 * 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup from the source code, written as it is.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text or an attribute value, escaped.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { source in
            var start = 0
            for index in source.indices {
                let replacement: StaticString
                switch source[index] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index]))
                replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
        }
    }

    mutating func text(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Markup made elsewhere that is already HTML: a rendered template inside the layout.
    mutating func raw(_ html: String) {
        bytes.append(contentsOf: html.utf8)
    }

    /// Another piece built the same way.
    mutating func append(_ other: HTML) {
        bytes.append(contentsOf: other.bytes)
    }

    /// `<option value="…"[ selected]>label</option>`
    mutating func option(value: String, label: String, selected: Bool) {
        markup("<option value=\"")
        text(value)
        markup(selected ? "\" selected>" : "\">")
        text(label)
        markup("</option>")
    }

    /// Bytes written so far.
    var count: Int { bytes.count }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
