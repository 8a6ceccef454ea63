import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// An outbox row in trouble as the zone and ticket pages list it (`deliveries.mustache`): its
/// state, attempts, next try and last error, linking to the outbox page where it is retried or dismissed.
enum DeliveryViews {
    /// Every delivery of a ticket with each attempt and its result (`ticket-deliveries.mustache`).
    static func all(_ rows: [Delivery], attempts: [OutboxStore.Attempt], clock: PageClock, language: Language) -> View {
        let byRow = Dictionary(grouping: attempts, by: \.deliveryID)
        func outcome(_ a: OutboxStore.Attempt) -> String {
            switch a.outcome {
            case "delivered": Text(id: "terkirim", en: "delivered")(language)
            case "busy": Text(id: "ditunda", en: "put off")(language)
            default: Text(id: "gagal", en: "failed")(language)
            }
        }
        func attempt(_ a: OutboxStore.Attempt) -> View {
            let at: String? = clock.show(Timestamp.string(a.at))
            let error: String? = a.error.map { $0(language) }
            let ms: String = String(format: "%.0f ms", a.milliseconds)
            return view(["at": at, "outcome": outcome(a), "error": error, "ms": ms])
        }
        func row(_ d: Delivery) -> View {
            let created: String? = clock.show(Timestamp.string(d.createdAt))
            let tried: [View] = (byRow[d.id] ?? []).map(attempt)
            return view(["id": String(d.id), "channel": d.channel.title(language), "state": d.state.title(language),
                         "stateClass": "outbox-\(d.state.rawValue)", "for": Listing.deliverySubject(d)(language), "created": created,
                         "attempts": tried])
        }
        let shown: [View] = rows.sorted { $0.id < $1.id }.map(row)
        return view(["hasDeliveries": !rows.isEmpty, "deliveries": shown])
    }

    static func troubled(_ rows: [Delivery], clock: PageClock, language: Language) -> View {
        view([
            "hasTroubled": !rows.isEmpty,
            "troubled": rows.map { d -> View in
                view(["id": String(d.id), "state": d.state.title(language), "stateClass": "outbox-\(d.state.rawValue)",
                      "channel": d.channel.title(language),
                      "attempts": "\(d.attempts)/\(d.maxAttempts)", "error": d.lastError.map { $0(language) },
                      "next": d.state == .pending ? clock.show(Timestamp.string(d.dueAt)) : nil])
            },
        ])
    }
}
