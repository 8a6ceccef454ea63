import Foundation
import SimpulCore
import SimpulStore

/// Delivers webhook calls from the outbox through the configured gateway (`simpul.webhook`):
/// decodes the row's `WebhookCall` and POSTs it, with the row's Idempotency-Key on every attempt,
/// so a gateway can drop a repeat after a crash.
struct WebhookDeliverer: Deliverer {
    let simpul: Simpul
    var channel: DeliveryChannel { .webhook }

    func deliver(_ delivery: Delivery, deadline: ContinuousClock.Instant) async -> DeliveryResult {
        guard var call = try? StoredJSON.decode(WebhookCall.self, from: delivery.payload) else {
            return .failed(DeliveryError.damagedPayload(.webhook))
        }
        guard let transport = simpul.webhook else { return .failed(DeliveryError.notConfigured(.webhook).text) }
        if call.idempotencyKey.isEmpty { call.idempotencyKey = WebhookCall.idempotencyKey(for: delivery.dedupeKey) }
        do {
            try await transport.post(call, deadline: deadline)
            return .delivered()
        } catch {
            return .failed(error)
        }
    }
}
