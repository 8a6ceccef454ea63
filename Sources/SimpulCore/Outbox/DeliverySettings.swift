import Foundation

/// The SMTP server from `SIMPUL_SMTP`: `smtp://host[:port]` (port 25 unless given; STARTTLS when
/// the server offers it, required with `?starttls=required`) or `smtps://host[:port]` (TLS from the
/// first byte, port 465 unless given). Checked when Simpul starts, so a typo is said at once.
public struct SMTPEndpoint: Sendable, Hashable {
    public enum Security: Sendable, Hashable {
        /// STARTTLS when the server offers it, else plain (`smtp://`).
        case startTLSIfOffered
        /// STARTTLS or no mail (`smtp://…?starttls=required`).
        case startTLSRequired
        /// TLS from the first byte (`smtps://`).
        case implicitTLS
    }

    /// A host name or an address literal (an IPv6 one without its brackets).
    public var host: String
    public var port: Int
    public var security: Security

    /// Reads `SIMPUL_SMTP`; the error says what is wrong and what to write instead.
    public init(parsing text: String) throws(DeliveryError) {
        let example = "smtp://mail.contohkab.go.id:587, smtp://mail.contohkab.go.id:587?starttls=required, smtps://mail.contohkab.go.id:465"
        // A password typed into the URL is not repeated in the message.
        let shown = Self.masked(text)
        func refuse(_ id: String, _ en: String) -> DeliveryError {
            .configuration(Text(id: "SIMPUL_SMTP \"\(shown)\" tidak sah: \(id); tulis mis. \(example)",
                                en: "SIMPUL_SMTP \"\(shown)\" is not valid: \(en); write e.g. \(example)"))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? true }) else {
            throw refuse("ada spasi, karakter kendali atau huruf non-ASCII", "it has spaces, control characters or non-ASCII letters")
        }
        let lower = trimmed.lowercased()
        var rest: Substring
        if lower.hasPrefix("smtp://") {
            security = .startTLSIfOffered
            port = 25
            rest = trimmed.dropFirst("smtp://".count)
        } else if lower.hasPrefix("smtps://") {
            security = .implicitTLS
            port = 465
            rest = trimmed.dropFirst("smtps://".count)
        } else {
            throw refuse("harus diawali smtp:// atau smtps://", "it must start with smtp:// or smtps://")
        }
        guard !rest.contains("#") else { throw refuse("ada bagian #", "it has a # fragment") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else { throw refuse("alamat server tidak memakai path", "a server address has no path") }
        guard !rest.contains("@") else {
            throw refuse("nama pengguna dan sandi tidak ditulis di URL, tetapi dalam berkas yang ditunjuk SIMPUL_SMTP_CREDENTIALS",
                         "the username and password go in the file SIMPUL_SMTP_CREDENTIALS names, not in the URL")
        }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw refuse("alamat IPv6 tanpa ]", "an IPv6 address without ]") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw refuse("setelah ] hanya boleh :PORT", "only :PORT may follow ]") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw refuse("alamat IPv6 \"\(host)\" tidak sah", "the IPv6 address \"\(host)\" is not valid")
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw refuse("alamat IPv6 ditulis dalam [ ]", "an IPv6 address is written in [ ]") }
            host = String(parts[0])
            if parts.count == 2 { portText = parts[1] }
            guard !host.isEmpty, host.count <= 253, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }),
                  !host.hasPrefix("-"), !host.hasPrefix(".") else {
                throw refuse("nama host \"\(host)\" tidak sah", "the host name \"\(host)\" is not valid")
            }
        }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw refuse("port \"\(portText)\" bukan bilangan 1–65535", "the port \"\(portText)\" is not a number 1–65535")
            }
            port = value
        }
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.lowercased() }
            switch (pair.first, pair.count == 2 ? pair[1] : nil) {
            case ("starttls", "required"?) where security != .implicitTLS: security = .startTLSRequired
            case ("starttls", "try"?) where security != .implicitTLS: security = .startTLSIfOffered
            case ("starttls", _) where security == .implicitTLS:
                throw refuse("smtps:// sudah TLS dari awal; starttls hanya untuk smtp://", "smtps:// is TLS from the start; starttls is for smtp:// only")
            default:
                throw refuse("pilihan \"\(item)\" tidak dikenal (yang ada: starttls=required, starttls=try)",
                             "the option \"\(item)\" is unknown (known: starttls=required, starttls=try)")
            }
        }
    }

    /// `text` with whatever stands between `://` and `@` (a user and password) as `***`.
    static func masked(_ text: String) -> String {
        guard let start = text.range(of: "://"), let at = text[start.upperBound...].firstIndex(of: "@") else { return text }
        return String(text[..<start.upperBound]) + "***" + String(text[at...])
    }

    /// `smtp://host:port` or `smtps://host:port`: what libcurl is given and what messages show.
    public var url: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        return "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The server is this machine: what crosses loopback never reaches the network.
    public var isLoopback: Bool {
        host == "::1" || host.lowercased() == "localhost" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
    }

    /// Whether a connection must be TLS: when asked for, and whenever a password is sent to a server
    /// off this machine (a password never crosses the network in clear).
    public func requiresTLS(sendingPassword: Bool) -> Bool {
        switch security {
        case .implicitTLS, .startTLSRequired: true
        case .startTLSIfOffered: sendingPassword && !isLoopback
        }
    }
}

/// The webhook gateway from `SIMPUL_WEBHOOK_URL`: an `http://` or `https://` address that takes a
/// POST of JSON.
public struct WebhookEndpoint: Sendable, Hashable {
    public var url: String
    /// `scheme://host:port`: a bearer token goes only to this origin.
    public var origin: String

    public init(parsing text: String, variable: String = "SIMPUL_WEBHOOK_URL") throws(DeliveryError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = SMTPEndpoint.masked(WebhookEndpoint.shown(text))
        func refuse(_ id: String, _ en: String) -> DeliveryError {
            .configuration(Text(id: "\(variable) \"\(shown)\" tidak sah: \(id); tulis mis. https://gateway.contohkab.go.id/kirim",
                                en: "\(variable) \"\(shown)\" is not valid: \(en); write e.g. https://gateway.example/send"))
        }
        guard !trimmed.isEmpty, trimmed.count <= 2000,
              !trimmed.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? true }) else {
            throw refuse("kosong, terlalu panjang, atau ada spasi, karakter kendali atau huruf non-ASCII",
                         "it is empty, too long, or has spaces, control characters or non-ASCII letters")
        }
        guard let origin = Self.origin(of: trimmed) else {
            throw refuse("harus http:// atau https:// dengan nama host", "it must be http:// or https:// with a host name")
        }
        guard let parts = URLComponents(string: trimmed), parts.user == nil, parts.password == nil else {
            throw refuse("nama pengguna atau sandi tidak ditulis di URL; pakai SIMPUL_WEBHOOK_TOKEN_FILE",
                         "no username or password in the URL; use SIMPUL_WEBHOOK_TOKEN_FILE")
        }
        guard parts.fragment == nil else { throw refuse("ada bagian #", "it has a # fragment") }
        url = trimmed
        self.origin = origin
    }

    /// `scheme://host:port` of an http(s) URL, lowercased with its default port, or nil.
    public static func origin(of url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host?.lowercased(), !host.isEmpty else { return nil }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return "\(scheme)://\(bare.contains(":") ? "[\(bare)]" : bare):\(port)"
    }

    /// `url` without its query, for messages (a query may carry a key).
    public static func shown(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }
}
