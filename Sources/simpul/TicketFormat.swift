import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// Text forms of tickets for the terminal, written by `Listing` (SimpulServices) in the user's language.
enum TicketFormat {
    /// On time / due soon / late from the stored deadlines, or the status when not running.
    static func standing(_ row: TicketStore.Summary, now: Date) -> Text { Listing.standing(row, now: now) }

    static func print(_ detail: TicketService.Detail, time: OfficeTime, language: Language) {
        Output.lines(Listing(language, time: time).ticket(detail))
    }
}

/// The JSON form of `ticket show --json`.
struct TicketJSON: Encodable {
    struct Clock: Encodable {
        var visit: Int, step: String, actor: String, clock: String, basis: String
        var enteredAt: String, endedAt: String?, standardSeconds: Double?, elapsedSeconds: Double, heldSeconds: Double
        var dueAt: String?, state: String
    }
    var id: Int64
    var ticket: Ticket
    var clocks: [Clock]
    var officeSeconds: Double, thirdPartySeconds: Double, heldSeconds: Double
    var history: [HistoryEntry]

    init(_ detail: TicketService.Detail) {
        id = detail.id
        ticket = detail.ticket
        clocks = detail.clocks.steps.map { c in
            Clock(visit: c.visit, step: c.stepID, actor: detail.playbook.step(c.stepID)?.actor.rawValue ?? "?", clock: c.owner.rawValue,
                  basis: c.basis.rawValue, enteredAt: Timestamp.string(c.enteredAt), endedAt: c.endedAt.map(Timestamp.string),
                  standardSeconds: c.standard, elapsedSeconds: c.elapsed, heldSeconds: c.held, dueAt: c.dueAt.map(Timestamp.string),
                  state: c.state.rawValue)
        }
        officeSeconds = detail.clocks.officeSeconds
        thirdPartySeconds = detail.clocks.thirdPartySeconds
        heldSeconds = detail.clocks.heldSeconds
        history = detail.history
    }
}
