/// The media type Simpul gives a stored file, decided from its bytes, never from what the uploader
/// claimed: the images a browser shows (JPEG, PNG, GIF, WebP) by their signatures, everything else
/// `application/octet-stream`, so a page or a script disguised as a photo is only ever downloaded.
public enum MediaType {
    public static let octetStream = "application/octet-stream"

    public static func of(_ bytes: some Collection<UInt8>) -> String {
        let head = Array(bytes.prefix(12))
        func starts(_ signature: [UInt8]) -> Bool { head.count >= signature.count && Array(head.prefix(signature.count)) == signature }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && head.count >= 12 && Array(head[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return octetStream
    }

    /// Whether `type` is one of the images above.
    public static func isImage(_ type: String) -> Bool { type.hasPrefix("image/") }
}
