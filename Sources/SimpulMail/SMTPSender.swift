import CCurl
import Foundation
import SimpulCore

/// Sends mail through one SMTP server with libcurl: STARTTLS when the server offers it (or always,
/// with `?starttls=required`), `smtps://` for TLS from the first byte, AUTH when a credentials file
/// is configured (over TLS only, unless the server is on loopback). The message is built by
/// `MailMessage.wire(from:date:)`; libcurl does the dialogue and the dot-stuffing.
public struct SMTPSender: MailTransport {
    public let endpoint: SMTPEndpoint
    /// A file with `username:password` on one line, read on each send (a rotated secret is used at
    /// once); its content never goes into a log, the database or an error.
    public let credentialsFile: String?
    /// A PEM file of the CA (or the certificate) to trust for the server instead of the system's.
    public let caFile: String?

    public init(endpoint: SMTPEndpoint, credentialsFile: String? = nil, caFile: String? = nil) {
        self.endpoint = endpoint
        self.credentialsFile = credentialsFile
        self.caFile = caFile
    }

    public var server: String { endpoint.url }

    public func send(_ message: MailMessage, from sender: MailSender, deadline: ContinuousClock.Instant) async throws(DeliveryError) {
        let wire: String
        switch message.wire(from: sender, date: Date()) {
        case .success(let text): wire = text
        case .failure(let problem): throw .badMessage(.mail, problem.text)
        }
        let credentials = try credentialsFile.map { path throws(DeliveryError) in try Self.credentials(path) }
        let endpoint = self.endpoint, caFile = self.caFile, server = self.server
        let recipients = message.to + message.cc
        let ehlo = sender.address.split(separator: "@").last.map(String.init) ?? "localhost"
        try await Curl.perform(server: server) { (cancellation: Cancellation) throws(DeliveryError) in
            let easy = try EasyHandle(server: server, cancellation: cancellation, upload: Array(wire.utf8))
            // The path of an SMTP URL is the name libcurl gives in EHLO.
            try easy.set(CURLOPT_URL, endpoint.url + "/" + ehlo)
            try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            let tlsRequired = endpoint.requiresTLS(sendingPassword: credentials != nil)
            if endpoint.security != .implicitTLS {
                try easy.set(CURLOPT_USE_SSL, tlsRequired ? simpul_curl_usessl_all : simpul_curl_usessl_try)
            }
            if let caFile { try easy.set(CURLOPT_CAINFO, caFile) }
            if let credentials {
                try easy.set(CURLOPT_USERNAME, credentials.username)
                try easy.set(CURLOPT_PASSWORD, credentials.password)
            }
            try easy.set(CURLOPT_MAIL_FROM, "<\(sender.address)>")
            try easy.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0)>" })
            try easy.setDeadline(deadline)
            let (code, detail) = easy.perform()
            guard code != CURLE_OK else { return }
            throw Self.error(code, detail: detail, reply: easy.responseCode, server: server, sender: sender.address, recipients: recipients,
                             passwordForcedTLS: tlsRequired && endpoint.security == .startTLSIfOffered, cancelled: cancellation.isCancelled,
                             caVariable: "SIMPUL_SMTP_CA_FILE")
        }
    }

    /// What a failed transfer means, in the words of `DeliveryError`.
    static func error(_ code: CURLcode, detail: String, reply: Int, server: String, sender: String, recipients: [String],
                      passwordForcedTLS: Bool, cancelled: Bool, caVariable: String) -> DeliveryError {
        // libcurl's account names the SMTP command that failed and the server's code: "RCPT failed: 550".
        let said = Self.replyCode(in: detail) ?? (reply > 0 ? reply : nil)
        if let error = Curl.connectionError(code, detail: detail, server: server, cancelled: cancelled, caVariable: caVariable) { return error }
        switch code {
        case CURLE_LOGIN_DENIED:
            return .authRefused(server, code: said)
        case CURLE_USE_SSL_FAILED:
            return .startTLSUnavailable(server, becauseOfPassword: passwordForcedTLS)
        default:
            if said == 530 { return .authRequired(server, code: said) }
            if detail.hasPrefix("RCPT failed") { return .recipientRefused(server, recipients: recipients, code: said) }
            if detail.hasPrefix("MAIL failed") { return .senderRefused(server, sender: sender, code: said) }
            if code == CURLE_SEND_ERROR && said == nil { return .unreachable(server, reason: detail) }
            if let said, said >= 400 { return .messageRefused(server, code: said, detail: detail) }
            return .other(server, detail: detail)
        }
    }

    /// The three-digit code at the end of libcurl's "… failed: 550", if any.
    static func replyCode(in detail: String) -> Int? {
        guard let colon = detail.lastIndex(of: ":") else { return nil }
        let digits = detail[detail.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard digits.count == 3, let code = Int(digits), (200...599).contains(code) else { return nil }
        return code
    }

    /// `username:password` from the first line of `path` (the password may hold colons).
    static func credentials(_ path: String) throws(DeliveryError) -> (username: String, password: String) {
        let variable = "SIMPUL_SMTP_CREDENTIALS"
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path)
                ? Text(id: "tidak dapat dibaca (periksa izinnya)", en: "it cannot be read (check its permissions)")
                : Text(id: "tidak ada", en: "it does not exist")
            throw .secretFile(variable, path: path, reason: reason)
        }
        guard data.count <= 4096, let text = String(data: data, encoding: .utf8) else {
            throw .secretFile(variable, path: path, reason: Text(id: "bukan teks UTF-8 pendek", en: "it is not short UTF-8 text"))
        }
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).first.map(String.init) ?? ""
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, line.index(after: colon) != line.endIndex else {
            throw .secretFile(variable, path: path, reason: Text(id: "baris pertamanya harus pengguna:sandi", en: "its first line must be username:password"))
        }
        let username = String(line[..<colon]), password = String(line[line.index(after: colon)...])
        guard !(username + password).contains(where: { $0.asciiValue.map { $0 < 0x20 } ?? false }) else {
            throw .secretFile(variable, path: path, reason: Text(id: "ada karakter kendali", en: "it has control characters"))
        }
        return (username, password)
    }
}
