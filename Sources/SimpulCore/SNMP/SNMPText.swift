/// Text an agent sent (ifName, ifDescr, ifAlias, sysName) made safe to show and store: what a
/// device says about itself reaches terminals, pages and the database.
public enum SNMPText {
    /// DisplayString is at most 255 octets (RFC 2579); some agents send longer ifDescr. Longer than
    /// this is refused as a wrong value.
    public static let maxBytes = 1_024

    /// The bytes as text: trailing NULs and spaces dropped (agents pad ifDescr with them), bytes that
    /// are not UTF-8 replaced by U+FFFD, control characters (C0, DEL, C1: terminal escape sequences
    /// among them) replaced by "?". Nil when longer than ``maxBytes``.
    public static func display<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        guard bytes.count <= maxBytes else { return nil }
        var end = bytes.endIndex
        var count = bytes.count
        while count > 0 {
            let last = bytes.index(bytes.startIndex, offsetBy: count - 1)
            guard bytes[last] == 0 || bytes[last] == 0x20 else { break }
            end = last
            count -= 1
        }
        let trimmed = bytes[bytes.startIndex..<end]
        if trimmed.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: trimmed, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for scalar in String(decoding: trimmed, as: UTF8.self).unicodeScalars {
            let v = scalar.value
            out.append(v < 0x20 || (v >= 0x7F && v < 0xA0) ? "?" : scalar)
        }
        return String(out)
    }
}
