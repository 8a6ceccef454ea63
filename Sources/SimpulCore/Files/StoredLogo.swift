import Foundation

/// The office's logo for its letterhead, as imported from the inventory: its media type decided
/// from its bytes (PNG and JPEG by signature; SVG as UTF-8 text whose root element is `<svg`), and
/// shown only ever inside `<img>` as a `data:` URL, so an SVG's scripts never run.
public struct StoredLogo: Sendable, Hashable, Codable {
    public var mediaType: String
    public var base64: String

    /// Nil when `bytes` is over `Limits.logoBytes` or not a PNG, JPEG or SVG image.
    public init?(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= Limits.logoBytes else { return nil }
        let sniffed = MediaType.of(bytes)
        if sniffed == "image/png" || sniffed == "image/jpeg" {
            mediaType = sniffed
        } else if let text = String(validating: bytes, as: UTF8.self), Self.isSVG(text) {
            mediaType = "image/svg+xml"
        } else {
            return nil
        }
        base64 = Data(bytes).base64EncodedString()
    }

    /// Text whose first element (after an XML declaration, comments and a doctype) is `<svg`.
    static func isSVG(_ text: String) -> Bool {
        var rest = Substring(text.drop { $0 == "\u{FEFF}" })
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("<?") || rest.hasPrefix("<!--") || rest.hasPrefix("<!DOCTYPE") || rest.hasPrefix("<!doctype") {
                let close = rest.hasPrefix("<!--") ? "-->" : ">"
                guard let end = rest.range(of: close) else { return false }
                rest = rest[end.upperBound...]
                continue
            }
            return rest.hasPrefix("<svg")
        }
    }

    /// `data:image/png;base64,…`: what an `<img src>` shows.
    public var dataURL: String { "data:\(mediaType);base64,\(base64)" }
}
