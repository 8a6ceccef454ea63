import Foundation

/// An e-mail as an outbox row carries it (`channel = mail`): who it goes to, what it says, and the
/// Message-ID made from the row's dedupe key, so a resend after a crash is the same message to
/// whoever receives it twice. The mail deliverer (SMTP over libcurl) sends exactly this.
public struct MailMessage: Sendable, Hashable, Codable {
    /// Addresses (`noc@provider.example`), each checked by `MailMessage.addressProblem`.
    public var to: [String]
    public var cc: [String]
    public var subject: String
    /// Plain text, UTF-8; lines end in LF here and CRLF on the wire.
    public var body: String
    /// Without angle brackets: `<dedupe-key-digest>@<domain>` is written by `messageID(for:domain:)`.
    public var messageID: String
    /// The Message-ID of the first mail about the same thing (a fault's level 1), so a mail
    /// reader threads level 2 under it.
    public var inReplyTo: String?

    public init(to: [String], cc: [String] = [], subject: String, body: String, messageID: String, inReplyTo: String? = nil) {
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.inReplyTo = inReplyTo
    }

    /// A Message-ID that depends on the dedupe key alone: `simpul.<hex>@<domain>`.
    public static func messageID(for dedupeKey: String, domain: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in dedupeKey.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let safeKey = dedupeKey.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "." }
        return "simpul.\(String(safeKey.prefix(40))).\(String(hash, radix: 16))@\(domain)"
    }

    /// Why `address` cannot be a recipient, or nil: one `local@domain`, no spaces, angle brackets,
    /// commas or line breaks (which would add headers or recipients).
    public static func addressProblem(_ address: String) -> Text? {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = address.contains { $0.isWhitespace || "<>,;:\"\\()[]".contains($0) || !$0.isASCII || $0.asciiValue! < 0x20 }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              address.count <= 254, !forbidden else {
            return Text(id: "alamat surel \"\(address)\" tidak sah (contoh: noc@penyedia.co.id)",
                        en: "the e-mail address \"\(address)\" is not valid (e.g. noc@provider.example)")
        }
        return nil
    }
}

/// An HTTP POST as an outbox row carries it (`channel = webhook`): to a gateway (WhatsApp,
/// Telegram) that passes the message on. The body is JSON rendered from the office's template.
public struct WebhookCall: Sendable, Hashable, Codable {
    /// `http://` or `https://`, checked when configured.
    public var url: String
    /// The JSON text sent as the body (`Content-Type: application/json`).
    public var body: String
    /// Sent as `Idempotency-Key`, so a gateway can drop a repeat after a crash.
    public var idempotencyKey: String

    public init(url: String, body: String, idempotencyKey: String) {
        self.url = url
        self.body = body
        self.idempotencyKey = idempotencyKey
    }
}

extension WebhookCall {
    /// An `Idempotency-Key` that depends on the dedupe key alone (`simpul.<key>.<hash>`), so a
    /// resend after a crash carries the same one.
    public static func idempotencyKey(for dedupeKey: String) -> String {
        let id = MailMessage.messageID(for: dedupeKey, domain: "x")
        return String(id.dropLast(2))
    }

    /// Why this call cannot be sent, or nil: a body that is not JSON, a URL that is not http(s), an
    /// idempotency key that could not be a header value.
    public var problem: Text? {
        guard let data = body.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
            return Text(id: "isi webhook bukan JSON yang sah; periksa templat pesannya", en: "the webhook body is not valid JSON; check its message template")
        }
        if !url.isEmpty && (WebhookEndpoint.origin(of: url) == nil || url.contains { $0.isWhitespace || !$0.isASCII || $0.asciiValue! < 0x20 }) {
            return Text(id: "alamat webhook \"\(WebhookEndpoint.shown(url))\" bukan http:// atau https://", en: "the webhook address \"\(WebhookEndpoint.shown(url))\" is not http:// or https://")
        }
        guard !idempotencyKey.isEmpty, idempotencyKey.utf8.count <= 200, idempotencyKey.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            return Text(id: "Idempotency-Key \"\(idempotencyKey)\" tidak sah (1–200 karakter ASCII tanpa spasi)",
                        en: "the Idempotency-Key \"\(idempotencyKey)\" is not valid (1–200 ASCII characters without spaces)")
        }
        return nil
    }
}
