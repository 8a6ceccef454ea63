import Foundation
import SimpulCore
import SimpulStore

/// The services over one database, shared by the CLI and the web. Time is injected so
/// tests control it; nothing here reads the wall clock directly.
public struct Simpul: Sendable {
    public let database: AppDatabase
    public let now: @Sendable () -> Date
    public let settings: Settings
    /// The DNS server's client (SimpulDNS), wired by the executable; nil leaves change sets waiting.
    public let dns: (any DNSUpdater)?
    /// The SMTP server's client (SimpulMail), wired by the executable from `SIMPUL_SMTP`; nil leaves
    /// mail waiting in the outbox with "mail is not configured".
    public let mail: (any MailTransport)?
    /// The webhook gateway's client (SimpulMail), from `SIMPUL_WEBHOOK_URL`; nil: no webhook deliverer.
    public let webhook: (any WebhookTransport)?
    /// Link health's own file beside the database (`HealthDatabase`); nil where nothing polls.
    public let health: HealthFile?
    /// Prints letters to PDF (SimpulPDF's headless Chromium), wired by the executable; nil: none.
    public let pdf: (any PDFRenderer)?

    /// Tunables that are not inventory: security parameters and the office's display zone.
    public struct Settings: Sendable {
        /// bcrypt cost; 12 in production, lower in tests.
        public var bcryptCost: UInt8 = 12
        public var sessionLifetime: TimeInterval = 12 * 3600
        /// Failed logins allowed per username (and per client address) in `throttleWindow`.
        public var maxLoginFailures = 5
        public var throttleWindow: TimeInterval = 15 * 60
        /// Overrides the district's time zone when set (SIMPUL_TZ).
        public var timeZone: String?
        /// The sender of mail (SIMPUL_MAIL_FROM); nil: `simpul@<the district's domain>`.
        public var mailFrom: String?
        /// How long a person's request waits for what it wrote to go out (`OutboxService.deliverAtOnce`).
        /// Tests whose servers share two cores with hundreds of other tests give it longer.
        public var atOnceBudget: Duration = OutboxService.atOnceBudget
        /// The longest one delivery attempt (a DNS update and its confirming queries, a mail) may
        /// take (`OutboxService.attemptDeadline` unless configured otherwise); tests give it longer
        /// for the same reason.
        public var attemptDeadline: Duration = OutboxService.attemptDeadline

        public init() {}
    }

    public init(database: AppDatabase, settings: Settings = Settings(), dns: (any DNSUpdater)? = nil,
                mail: (any MailTransport)? = nil, webhook: (any WebhookTransport)? = nil, health: HealthFile? = nil,
                pdf: (any PDFRenderer)? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.pdf = pdf
        self.database = database
        self.settings = settings
        self.dns = dns
        self.mail = mail
        self.webhook = webhook
        self.health = health
        self.now = now
    }

    public var inventory: InventoryService { InventoryService(simpul: self) }
    public var estate: EstateService { EstateService(simpul: self) }
    public var accounts: AccountService { AccountService(simpul: self) }
    public var sessions: SessionService { SessionService(simpul: self) }
    public var audit: AuditService { AuditService(simpul: self) }
    public var playbooks: PlaybookService { PlaybookService(simpul: self) }
    public var tickets: TicketService { TicketService(simpul: self) }
    public var compliance: ComplianceService { ComplianceService(simpul: self) }
    public var dnsRecords: DNSService { DNSService(simpul: self) }

    /// The office's time zone for display: the setting, else the district's, else WITA.
    /// Every page shows times, so the district's zone is read at most once a minute (an import in
    /// this process forgets it at once; one in another process shows within the minute).
    public func officeTime() -> OfficeTime {
        if let zone = settings.timeZone { return officeZone.get(now()) { OfficeTime(identifier: zone) } }
        return officeZone.get(now()) {
            let district = (try? database.read { try InventoryStore.district($0) }) ?? nil
            return OfficeTime(identifier: district?.timeZone)
        }
    }

    let officeZone = OfficeZone()
}

/// The office time last worked out, and when.
final class OfficeZone: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (time: OfficeTime, at: Date)?
    static let lifetime: TimeInterval = 60

    func get(_ now: Date, _ make: () -> OfficeTime) -> OfficeTime {
        if let cached = lock.withLock({ cached }), abs(now.timeIntervalSince(cached.at)) < Self.lifetime { return cached.time }
        let time = make()
        lock.withLock { cached = (time, now) }
        return time
    }

    func forget() { lock.withLock { cached = nil } }
}

/// A refusal or failure the user can act on, in both languages.
public struct ServiceError: Error, UserFacingError, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, forbidden, invalid, conflict, unauthorized, throttled }
    public let kind: Kind
    public let text: Text

    public init(_ kind: Kind, _ text: Text) {
        self.kind = kind
        self.text = text
    }

    public var description: String { text.en }

    /// Refuses free text longer than `limit` characters (`Limits`), as an `.invalid` the forms show
    /// beside what was typed.
    static func limit(_ value: String?, _ field: Text, _ limit: Int) throws {
        do { try TextLength.check(value, field, limit: limit) } catch { throw ServiceError(.invalid, error.text) }
    }

    static func forbidden(_ permission: Permission) -> ServiceError {
        ServiceError(.forbidden, Text(id: "peran Anda tidak mengizinkan tindakan ini", en: "your role does not allow this"))
    }
}

extension Principal {
    func require(_ permission: Permission) throws {
        guard can(permission) else { throw ServiceError.forbidden(permission) }
    }
}
