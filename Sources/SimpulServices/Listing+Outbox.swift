import Foundation
import SimpulCore
import SimpulStore

extension Listing {
    /// `simpul outbox list`: each delivery, where it stands, and for a failed one what went wrong.
    public func deliveries(_ rows: [Delivery]) -> TextTable {
        TextTable([h("#", "#"), h("jenis", "channel"), h("untuk", "for"), h("keadaan", "state"), h("percobaan", "attempts"),
                   h("berikutnya", "next"), h("dibuat", "created"), h("galat", "error")],
                  rows.map { d in
                      ["#\(d.id)", d.channel.title(language), Self.deliverySubject(d)(language),
                       d.state.title(language) + (d.state == .pending && d.claimedBy != nil ? " " + Text(id: "(dipegang pengirim)", en: "(held by a worker)")(language) : ""),
                       "\(format.number(d.attempts))/\(format.number(d.maxAttempts))",
                       d.state == .pending ? when(Timestamp.string(d.dueAt)) : "-", when(Timestamp.string(d.createdAt)),
                       d.lastError.map { Self.brief($0(language), 80) } ?? "-"]
                  })
    }

    /// What a delivery is for, in words: `zona contohkab.go.id`, `tiket #12`.
    public static func deliverySubject(_ delivery: Delivery) -> Text {
        var parts: [Text] = []
        if let subject = delivery.subject, subject.hasPrefix("zone:") {
            let zone = subject.dropFirst("zone:".count)
            parts.append(Text(id: "zona \(zone)", en: "zone \(zone)"))
        } else if let subject = delivery.subject, subject.hasPrefix("provider:") {
            let provider = subject.dropFirst("provider:".count)
            parts.append(Text(id: "penyedia \(provider)", en: "provider \(provider)"))
        }
        if let ticket = delivery.ticketID { parts.append(Text(id: "tiket #\(ticket)", en: "ticket #\(ticket)")) }
        guard !parts.isEmpty else { return Text(id: "-", en: "-") }
        return Text(id: parts.map(\.id).joined(separator: ", "), en: parts.map(\.en).joined(separator: ", "))
    }
}
