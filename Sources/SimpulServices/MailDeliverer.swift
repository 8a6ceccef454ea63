import Foundation
import SimpulCore
import SimpulStore

/// Delivers mail from the outbox through the configured SMTP server (`simpul.mail`): decodes the
/// row's `MailMessage`, sends it from `SIMPUL_MAIL_FROM` (else `simpul@<the district's domain>`,
/// under the office's name), and reports what the server said. The Message-ID comes with the row,
/// so every attempt at the same row — a resend after a crash too — is the same message. A row
/// whose Message-ID is empty gets one from its dedupe key, the same on every attempt.
struct MailDeliverer: Deliverer {
    let simpul: Simpul
    var channel: DeliveryChannel { .mail }

    func deliver(_ delivery: Delivery, deadline: ContinuousClock.Instant) async -> DeliveryResult {
        guard var message = try? StoredJSON.decode(MailMessage.self, from: delivery.payload) else {
            return .failed(DeliveryError.damagedPayload(.mail))
        }
        guard let transport = simpul.mail else { return .failed(DeliveryError.notConfigured(.mail).text) }
        let district: District?
        do {
            district = try await simpul.database.read { r in try InventoryStore.district(r) }
        } catch {
            return .failed(OutboxService.storeError(error))
        }
        let domain = district?.domain?.description
        if message.messageID.isEmpty {
            message.messageID = MailMessage.messageID(for: delivery.dedupeKey, domain: domain ?? "simpul.invalid")
        }
        guard let address = simpul.settings.mailFrom ?? domain.map({ "simpul@\($0)" }) else {
            return .failed(DeliveryError.configuration(Text(
                id: "alamat pengirim surel tidak diketahui: atur SIMPUL_MAIL_FROM (mis. simpul@contohkab.go.id) atau domain kabupaten di inventaris",
                en: "the mail's sender address is unknown: set SIMPUL_MAIL_FROM (e.g. simpul@contohkab.go.id) or the district's domain in the inventory")).text)
        }
        let sender = MailSender(address: address, name: district.map { $0.office ?? $0.name })
        do {
            try await transport.send(message, from: sender, deadline: deadline)
            return .delivered()
        } catch {
            return .failed(error)
        }
    }
}
