import Foundation

/// A mail as it goes on the wire (RFC 5322 with MIME, RFC 2045–2047): headers with CRLF line ends,
/// a subject or sender name that is not ASCII as encoded words, the body as 7bit text or quoted-
/// printable. Nothing that came from data can end a header line: addresses and ids are checked,
/// line breaks in a subject or a name become spaces. Dot-stuffing is the SMTP client's (libcurl's).
extension MailMessage {
    /// Why this message cannot be sent, or nil: no recipient, a bad address, a bad Message-ID.
    public var problem: Text? {
        guard !to.isEmpty else {
            return Text(id: "surel tanpa penerima", en: "the mail has no recipient")
        }
        for address in to + cc {
            if let problem = Self.addressProblem(address) { return problem }
        }
        if let problem = Self.messageIDProblem(messageID, field: "Message-ID") { return problem }
        if let inReplyTo, let problem = Self.messageIDProblem(inReplyTo, field: "In-Reply-To") { return problem }
        return nil
    }

    /// Why `id` cannot stand between `<` and `>` in a header, or nil: one `left@right` of printable
    /// ASCII without spaces, brackets or quotes.
    public static func messageIDProblem(_ id: String, field: String = "Message-ID") -> Text? {
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        let allowed = id.allSatisfy { $0.isASCII && $0.asciiValue! > 0x20 && $0.asciiValue! < 0x7f && !"<>()[]\\,;:\"@".contains($0) || $0 == "@" }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, id.utf8.count <= 250, allowed else {
            return Text(id: "\(field) \"\(id)\" tidak sah (contoh: simpul.123@contohkab.go.id)", en: "the \(field) \"\(id)\" is not valid (e.g. simpul.123@contohkab.go.id)")
        }
        return nil
    }

    /// The whole message, headers and body, with CRLF line ends; nil with the reason when it cannot
    /// be sent (`problem`, or a sender address that is not valid).
    public func wire(from sender: MailSender, date: Date) -> Result<String, MailProblem> {
        if let problem { return .failure(MailProblem(text: problem)) }
        if let problem = Self.addressProblem(sender.address) { return .failure(MailProblem(text: problem)) }
        var lines: [String] = []
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append(Self.header("From", Self.mailbox(sender)))
        lines.append(Self.header("To", to.joined(separator: ", "), foldAfterCommas: true))
        if !cc.isEmpty { lines.append(Self.header("Cc", cc.joined(separator: ", "), foldAfterCommas: true)) }
        lines.append(Self.header("Subject", Self.encodedText(subject)))
        lines.append("Message-ID: <\(messageID)>")
        if let inReplyTo {
            lines.append("In-Reply-To: <\(inReplyTo)>")
            lines.append("References: <\(inReplyTo)>")
        }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=UTF-8")
        let (encoding, body) = Self.encodedBody(self.body)
        lines.append("Content-Transfer-Encoding: \(encoding)")
        // RFC 3834: nobody's out-of-office reply should answer an automated escalation.
        lines.append("Auto-Submitted: auto-generated")
        return .success(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    // MARK: Headers

    /// `Name: value`, folded at spaces past 78 characters (an address list after its commas).
    static func header(_ name: String, _ value: String, foldAfterCommas: Bool = false) -> String {
        let tokens = foldAfterCommas
            ? value.components(separatedBy: ", ").enumerated().map { $0.offset == 0 ? $0.element : "," + $0.element }
            : value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var lines: [String] = []
        var line = "\(name):"
        var first = true
        for token in tokens {
            // A comma ends the previous line's last address, not the next line.
            let word = foldAfterCommas && token.hasPrefix(",") ? String(token.dropFirst()) : token
            if foldAfterCommas && token.hasPrefix(",") { line += "," }
            if !first && !word.isEmpty && line.count + 1 + word.count > 78 {
                lines.append(line)
                line = " " + word
            } else {
                line += " " + word
            }
            first = false
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// A subject or name as header text: line breaks and other control characters become spaces;
    /// printable ASCII stays as it is, anything else is RFC 2047 encoded words (`=?UTF-8?B?…?=`),
    /// each at most 75 characters and whole characters each.
    static func encodedText(_ raw: String) -> String {
        let text = String(raw.map { $0.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" } ? " " : $0 })
        if text.allSatisfy({ $0.isASCII }) && !text.contains("=?") && !text.split(separator: " ").contains(where: { $0.count > 900 }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 && !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: " ")
    }

    /// `"Name" <address>` (the name quoted or encoded), or the bare address.
    static func mailbox(_ sender: MailSender) -> String {
        guard let name = sender.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return sender.address }
        let encoded = encodedText(name)
        if encoded.hasPrefix("=?") { return "\(encoded) <\(sender.address)>" }
        let quoted = encoded.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(sender.address)>"
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    // MARK: Body

    /// The body with CRLF line ends: `7bit` when it is printable ASCII in lines of at most 998
    /// characters, else `quoted-printable` (any server takes it, whether or not it speaks 8BITMIME).
    static func encodedBody(_ body: String) -> (encoding: String, text: String) {
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        let plain = lines.allSatisfy { line in
            line.utf8.count <= 998 && line.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 }
        }
        if plain { return ("7bit", lines.joined(separator: "\r\n") + (body.hasSuffix("\n") ? "" : "\r\n")) }
        return ("quoted-printable", lines.map { quotedPrintable(Array($0.utf8)) }.joined(separator: "\r\n") + (body.hasSuffix("\n") ? "" : "\r\n"))
    }

    /// One line as quoted-printable (RFC 2045 §6.7): at most 76 characters a line, soft breaks `=`.
    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        var line = ""
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let literal = (byte >= 0x21 && byte <= 0x7e && byte != 0x3d) || ((byte == 0x20 || byte == 0x09) && !last)
            let piece = literal ? String(UnicodeScalar(byte)) : "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0f)])
            if line.count + piece.count > 75 {
                out += line + "=\r\n"
                line = ""
            }
            line += piece
        }
        return out + line
    }
}

/// Why a mail cannot be put on the wire.
public struct MailProblem: Error, Sendable, Hashable {
    public let text: Text
}
