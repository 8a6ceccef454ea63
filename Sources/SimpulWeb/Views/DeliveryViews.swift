import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// An outbox row in trouble as the zone and ticket pages list it (`deliveries.mustache`): its
/// state, attempts, next try and last error, linking to the outbox page where it is retried or dismissed.
enum DeliveryViews {
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
