/// Why a mail or a webhook call did not go out, worded for the admin who has to act on it: what
/// happened, what it means and what to do. Never carries a password or a token, only the name of
/// the file that holds one.
public struct DeliveryError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    /// What kind of failure it is, for code that decides (tests, the deliverers).
    public enum Kind: Sendable, Hashable {
        /// `SIMPUL_SMTP`, `SIMPUL_WEBHOOK_URL` or a file they name is missing or wrong.
        case configuration
        /// The outbox row cannot become a message (a bad address, an unreadable payload).
        case badMessage
        /// Nothing answered at the address (refused, no route, no such name).
        case unreachable
        /// No answer before the deadline (or the caller stopped waiting).
        case timeout
        /// The TLS handshake failed or the certificate is not trusted.
        case tls
        /// TLS is required but the server does not offer STARTTLS.
        case startTLSUnavailable
        /// The server refused the username or password (SMTP 535).
        case authRefused
        case senderRefused
        case recipientRefused
        /// The server refused the message itself after receiving it.
        case messageRefused
        /// A webhook answered with a status other than 2xx.
        case httpStatus
        case other
    }

    public let kind: Kind
    public let text: Text
    /// Sending the same thing again will fail the same way until someone changes something
    /// (a 4xx answer, a damaged message): said in `text`, so a person retries or dismisses it.
    public let isPermanent: Bool
    /// The SMTP reply code or HTTP status that came back, when one did.
    public let code: Int?

    public init(_ kind: Kind, _ text: Text, permanent: Bool = false, code: Int? = nil) {
        self.kind = kind
        self.text = text
        self.isPermanent = permanent
        self.code = code
    }

    public var description: String { text.en }

    private static let later = Text(id: "dicoba lagi nanti", en: "it is tried again later")
    private static let noRetry = Text(id: "mengirim ulang tidak akan berhasil: perbaiki dulu, lalu coba lagi atau abaikan kiriman ini",
                                      en: "sending it again will not help: fix this first, then retry or dismiss the delivery")

    // MARK: Configuration

    /// The channel has no transport in this process.
    public static func notConfigured(_ channel: DeliveryChannel) -> DeliveryError {
        switch channel {
        case .webhook:
            DeliveryError(.configuration, Text(id: "webhook belum dikonfigurasi: atur SIMPUL_WEBHOOK_URL (mis. https://gateway.contohkab.go.id/kirim) lalu jalankan ulang Simpul; kiriman ini menunggu",
                                               en: "webhooks are not configured: set SIMPUL_WEBHOOK_URL (e.g. https://gateway.example/send) and restart Simpul; this delivery waits"))
        default:
            DeliveryError(.configuration, Text(id: "surel belum dikonfigurasi: atur SIMPUL_SMTP (mis. smtp://mail.contohkab.go.id:587) lalu jalankan ulang Simpul; surel ini menunggu",
                                               en: "mail is not configured: set SIMPUL_SMTP (e.g. smtp://mail.example:587) and restart Simpul; this mail waits"))
        }
    }

    /// A setting that cannot be used as it is: `what` says which and why.
    public static func configuration(_ what: Text) -> DeliveryError {
        DeliveryError(.configuration, what)
    }

    /// A file named by the configuration (`SIMPUL_SMTP_CREDENTIALS`, `SIMPUL_WEBHOOK_TOKEN_FILE`) that
    /// cannot be used. Only its path and the reason are said, never its content.
    public static func secretFile(_ variable: String, path: String, reason: Text) -> DeliveryError {
        DeliveryError(.configuration, Text(id: "berkas \(path) (\(variable)) tidak dapat dipakai: \(reason.id); perbaiki berkasnya, dibaca ulang setiap pengiriman; \(later.id)",
                                           en: "the file \(path) (\(variable)) cannot be used: \(reason.en); fix the file, it is read again on every send; \(later.en)"))
    }

    // MARK: The message

    /// The outbox row cannot be sent as it is.
    public static func badMessage(_ channel: DeliveryChannel, _ reason: Text) -> DeliveryError {
        DeliveryError(.badMessage, Text(id: "\(channel.title.id) tidak dapat dikirim: \(reason.id); \(noRetry.id)",
                                        en: "the \(channel.title.en.lowercased()) cannot be sent: \(reason.en); \(noRetry.en)"), permanent: true)
    }

    /// The payload does not decode as the channel's message.
    public static func damagedPayload(_ channel: DeliveryChannel) -> DeliveryError {
        badMessage(channel, Text(id: "isi kiriman di kotak keluar rusak", en: "the outbox row's payload is damaged"))
    }

    // MARK: Connections (mail and webhooks)

    public static func unreachable(_ server: String, reason: String) -> DeliveryError {
        DeliveryError(.unreachable, Text(id: "\(server) tidak dapat dihubungi (\(reason)); periksa server itu berjalan dan alamat serta port di konfigurasi benar; \(later.id)",
                                         en: "\(server) cannot be reached (\(reason)); check that the server runs and that the configured host and port are right; \(later.en)"))
    }

    public static func timeout(_ server: String) -> DeliveryError {
        DeliveryError(.timeout, Text(id: "\(server) tidak menjawab tepat waktu; periksa server itu dan firewall; \(later.id)",
                                     en: "\(server) did not answer in time; check the server and the firewall; \(later.en)"))
    }

    public static func tls(_ server: String, detail: String, caVariable: String?) -> DeliveryError {
        let ca = caVariable.map { Text(id: ", atau beri sertifikat CA-nya dengan \($0)", en: ", or give its CA certificate with \($0)") } ?? Text(id: "", en: "")
        return DeliveryError(.tls, Text(id: "TLS dengan \(server) gagal (\(detail)): sertifikat server tidak dipercaya atau TLS-nya salah atur; periksa sertifikat dan nama host\(ca.id); \(later.id)",
                                        en: "TLS with \(server) failed (\(detail)): the server's certificate is not trusted or its TLS is misconfigured; check the certificate and the host name\(ca.en); \(later.en)"))
    }

    /// TLS was required (`?starttls=required`, or a password to send) and the server offers no STARTTLS.
    public static func startTLSUnavailable(_ server: String, becauseOfPassword: Bool) -> DeliveryError {
        let why = becauseOfPassword
            ? Text(id: "Simpul mengirim kata sandi hanya lewat TLS", en: "Simpul sends a password only over TLS")
            : Text(id: "SIMPUL_SMTP mewajibkannya (?starttls=required)", en: "SIMPUL_SMTP requires it (?starttls=required)")
        return DeliveryError(.startTLSUnavailable, Text(id: "\(server) tidak menawarkan STARTTLS, padahal \(why.id); aktifkan STARTTLS di server atau pakai smtps://; \(later.id)",
                                                        en: "\(server) does not offer STARTTLS, but \(why.en); enable STARTTLS on the server or use smtps://; \(later.en)"))
    }

    // MARK: SMTP

    public static func authRefused(_ server: String, code: Int?) -> DeliveryError {
        DeliveryError(.authRefused, Text(id: "\(server) menolak nama pengguna atau kata sandi\(codeText(code)); periksa berkas yang ditunjuk SIMPUL_SMTP_CREDENTIALS (pengguna:sandi dalam satu baris); \(later.id)",
                                         en: "\(server) refused the username or password\(codeText(code)); check the file SIMPUL_SMTP_CREDENTIALS names (username:password on one line); \(later.en)"), code: code)
    }

    /// The server wants AUTH and none was configured (SMTP 530).
    public static func authRequired(_ server: String, code: Int?) -> DeliveryError {
        DeliveryError(.authRefused, Text(id: "\(server) meminta login (AUTH)\(codeText(code)); atur SIMPUL_SMTP_CREDENTIALS ke berkas berisi pengguna:sandi; \(later.id)",
                                         en: "\(server) requires a login (AUTH)\(codeText(code)); set SIMPUL_SMTP_CREDENTIALS to a file holding username:password; \(later.en)"), code: code)
    }

    public static func senderRefused(_ server: String, sender: String, code: Int?) -> DeliveryError {
        DeliveryError(.senderRefused, Text(id: "\(server) menolak alamat pengirim \(sender)\(codeText(code)); atur SIMPUL_MAIL_FROM ke alamat yang boleh mengirim lewat server itu; \(later.id)",
                                           en: "\(server) refused the sender address \(sender)\(codeText(code)); set SIMPUL_MAIL_FROM to an address allowed to send through that server; \(later.en)"), code: code)
    }

    public static func recipientRefused(_ server: String, recipients: [String], code: Int?) -> DeliveryError {
        let list = recipients.joined(separator: ", ")
        let permanent = (code ?? 0) >= 500
        let next = permanent ? noRetry : later
        return DeliveryError(.recipientRefused, Text(id: "\(server) menolak penerima (salah satu dari: \(list))\(codeText(code)); periksa alamat surel kontak di inventaris; \(next.id)",
                                                     en: "\(server) refused a recipient (one of: \(list))\(codeText(code)); check the contacts' e-mail addresses in the inventory; \(next.en)"),
                             permanent: permanent, code: code)
    }

    public static func messageRefused(_ server: String, code: Int?, detail: String) -> DeliveryError {
        DeliveryError(.messageRefused, Text(id: "\(server) menolak surel ini\(codeText(code)) (\(detail)); lihat log server surel; \(later.id)",
                                            en: "\(server) refused this mail\(codeText(code)) (\(detail)); see the mail server's log; \(later.en)"), code: code)
    }

    // MARK: Webhooks

    /// A webhook answered `status`: 2xx never comes here. 408, 429 and 5xx are tried again; any other
    /// answer will not change by sending the same call again.
    public static func httpStatus(_ url: String, status: Int, detail: String) -> DeliveryError {
        let said = detail.isEmpty ? "" : ": \(detail)"
        switch status {
        case 401, 403:
            return DeliveryError(.httpStatus, Text(id: "\(url) menjawab \(status) (ditolak\(said)): token tidak diterima; periksa berkas SIMPUL_WEBHOOK_TOKEN_FILE dan pengaturan gateway; \(noRetry.id)",
                                                   en: "\(url) answered \(status) (refused\(said)): the token was not accepted; check the file SIMPUL_WEBHOOK_TOKEN_FILE and the gateway's settings; \(noRetry.en)"),
                                 permanent: true, code: status)
        case 408, 429, 500...599:
            return DeliveryError(.httpStatus, Text(id: "\(url) menjawab \(status)\(said): gateway sedang sibuk atau bermasalah; \(later.id)",
                                                   en: "\(url) answered \(status)\(said): the gateway is busy or in trouble; \(later.en)"), code: status)
        case 300...399:
            return DeliveryError(.httpStatus, Text(id: "\(url) menjawab \(status) (dialihkan\(said)); atur SIMPUL_WEBHOOK_URL ke alamat tujuan akhirnya; \(noRetry.id)",
                                                   en: "\(url) answered \(status) (a redirect\(said)); set SIMPUL_WEBHOOK_URL to its final address; \(noRetry.en)"),
                                 permanent: true, code: status)
        default:
            return DeliveryError(.httpStatus, Text(id: "\(url) menjawab \(status)\(said): alamat atau isi kiriman tidak diterima gateway; periksa SIMPUL_WEBHOOK_URL, templat pesan dan log gateway; \(noRetry.id)",
                                                   en: "\(url) answered \(status)\(said): the gateway does not take this address or body; check SIMPUL_WEBHOOK_URL, the message template and the gateway's log; \(noRetry.en)"),
                                 permanent: status >= 400 && status < 500, code: status)
        }
    }

    public static func other(_ server: String, detail: String) -> DeliveryError {
        DeliveryError(.other, Text(id: "pengiriman ke \(server) gagal: \(detail); \(later.id)", en: "sending to \(server) failed: \(detail); \(later.en)"))
    }

    private static func codeText(_ code: Int?) -> String { code.map { " (\($0))" } ?? "" }
}
