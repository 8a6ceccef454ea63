import Foundation
import SimpulCore
import SimpulStore

/// Writing mail and webhook calls to the outbox, in the caller's transaction, for the modules that
/// send them (the faults module's escalations). What cannot be sent is refused here, with the
/// user's action, rather than failing later in the outbox.
extension OutboxService {
    /// The largest body a mail or a webhook call may carry.
    public static let largestBody = 256 * 1024

    /// Writes `message` as a mail row; the same `dedupeKey` again is the same mail (its row's id is
    /// returned, nothing is written). An empty Message-ID is made from the dedupe key and the
    /// district's domain, so every attempt at this row — a resend after a crash too — carries it.
    @discardableResult
    public static func enqueueMail(_ tx: Transaction, _ message: MailMessage, dedupeKey: String, ticketID: Int64? = nil,
                                   subject: String? = nil) throws -> Int64 {
        var message = message
        if message.messageID.isEmpty {
            let domain = try InventoryStore.district(tx)?.domain?.description ?? "simpul.invalid"
            message.messageID = MailMessage.messageID(for: dedupeKey, domain: domain)
        }
        if let problem = message.problem { throw ServiceError(.invalid, problem) }
        try ServiceError.limit(message.subject, Text(id: "judul surel", en: "the mail's subject"), 998)
        try ServiceError.limit(message.body, Text(id: "isi surel", en: "the mail's body"), largestBody)
        return try OutboxStore.enqueue(tx, channel: .mail, dedupeKey: dedupeKey, payload: try StoredJSON.encode(message),
                                       ticketID: ticketID, subject: subject)
    }

    /// Writes a webhook call with `body` (JSON text) to `url` (empty: the configured gateway,
    /// `SIMPUL_WEBHOOK_URL`, at the time it is sent); its Idempotency-Key is made from the dedupe key.
    @discardableResult
    public static func enqueueWebhook(_ tx: Transaction, body: String, url: String = "", dedupeKey: String, ticketID: Int64? = nil,
                                      subject: String? = nil) throws -> Int64 {
        let call = WebhookCall(url: url, body: body, idempotencyKey: WebhookCall.idempotencyKey(for: dedupeKey))
        if let problem = call.problem { throw ServiceError(.invalid, problem) }
        try ServiceError.limit(call.body, Text(id: "isi webhook", en: "the webhook's body"), largestBody)
        return try OutboxStore.enqueue(tx, channel: .webhook, dedupeKey: dedupeKey, payload: try StoredJSON.encode(call),
                                       ticketID: ticketID, subject: subject)
    }
}
