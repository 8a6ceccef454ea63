/// Who a mail is from: `SIMPUL_MAIL_FROM`, else `simpul@<the district's domain>`, with the office's
/// name shown beside it.
public struct MailSender: Sendable, Hashable {
    public var address: String
    public var name: String?

    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// The SMTP server as Simpul's services see it. `SimpulMail` implements it over libcurl; tests of
/// the services may use their own.
public protocol MailTransport: Sendable {
    // Each call is over by `deadline`: a server that has not answered by then is `.timeout`, as is a
    // call whose task is cancelled. An implementation does its network I/O off Swift's cooperative
    // thread pool (issue 12, part 4).

    /// Where mail goes, for messages and logs: `smtp://host:port` (never a password).
    var server: String { get }
    /// Sends `message` once; returns when the server has accepted it for delivery.
    func send(_ message: MailMessage, from sender: MailSender, deadline: ContinuousClock.Instant) async throws(DeliveryError)
}

/// The webhook gateway (WhatsApp, Telegram) as Simpul's services see it. `SimpulMail` implements
/// it over libcurl.
public protocol WebhookTransport: Sendable {
    /// The configured gateway, for messages and logs (without its query).
    var destination: String { get }
    /// POSTs `call` (to the configured gateway when its `url` is empty); returns on a 2xx answer.
    func post(_ call: WebhookCall, deadline: ContinuousClock.Instant) async throws(DeliveryError)
}
