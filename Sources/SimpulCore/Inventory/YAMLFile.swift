/// The bytes of one YAML file (inventory, playbook or calendar) as text, or an issue that says
/// where it stops being text. Reading the disk is the caller's job; the caller also checks the
/// size against `Limits.yamlFileBytes` before reading, so that it never reads more.
public enum YAMLFile {
    /// `bytes` as UTF-8 text named `file`; an issue with the line and byte of the first byte that is
    /// not UTF-8 otherwise (a binary file, or one saved as Latin-1 or UTF-16).
    public static func document(_ bytes: [UInt8], file: String) -> Result<InventoryDocument, InventoryIssue> {
        if bytes.count > Limits.yamlFileBytes { return .failure(tooLarge(bytes.count, file: file)) }
        if let offset = firstInvalidUTF8(bytes) {
            let before = bytes[..<offset]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let byte = String(bytes[offset], radix: 16, uppercase: true)
            let hex = byte.count == 1 ? "0x0\(byte)" : "0x\(byte)"
            let utf16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            let hint = utf16
                ? Text(id: "berkas ini tampaknya UTF-16; simpan ulang sebagai UTF-8", en: "the file looks like UTF-16; save it again as UTF-8")
                : Text(id: "simpan berkas sebagai teks UTF-8 (berkas biner tidak bisa dibaca)", en: "save the file as UTF-8 text (a binary file cannot be read)")
            return .failure(InventoryIssue(location: SourceLocation(file: file, line: line), field: "(file)", text: Text(
                id: "bukan teks UTF-8: bita \(hex) di baris \(line), bita ke-\(column) pada baris itu (bita ke-\(offset + 1) berkas); \(hint.id)",
                en: "is not UTF-8 text: byte \(hex) at line \(line), byte \(column) of that line (byte \(offset + 1) of the file); \(hint.en)")))
        }
        return .success(InventoryDocument(file: file, text: String(decoding: bytes, as: UTF8.self)))
    }

    /// The issue for a file of `size` bytes, past `Limits.yamlFileBytes`.
    public static func tooLarge(_ size: Int, file: String) -> InventoryIssue {
        InventoryIssue(location: SourceLocation(file: file, line: 1), field: "(file)", text: Text(
            id: "berkas terlalu besar: \(size) bita; paling besar \(Limits.yamlFileBytes) bita (5 MiB); bagi menjadi beberapa berkas",
            en: "the file is too large: \(size) bytes; at most \(Limits.yamlFileBytes) bytes (5 MiB); split it into several files"))
    }

    /// The offset of the first byte that does not belong to well-formed UTF-8 (no overlong forms,
    /// no surrogates, nothing past U+10FFFF), or nil when all of it is UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the second byte's range
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            for k in 1..<length {
                guard i + k < n else { return i }
                let byte = bytes[i + k]
                let ok = k == 1 ? (low...high).contains(byte) : (0x80...0xBF).contains(byte)
                if !ok { return i }  // the character that starts here is cut short
            }
            i += length
        }
        return nil
    }
}
