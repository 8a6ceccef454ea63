import Foundation
import SimpulCore
import SimpulStore

extension LANService {
    /// LAN work as a ticket module: it does `lan-installation`'s request, paraf, signing, work-log,
    /// test, inventory and report steps and `lan-upkeep`'s inspection (`done_by: lan.*`), and keeps
    /// the upkeep visits in step with their tickets.
    struct Module: TicketModule {
        let name = "lan"
        let playbooks: Set<String> = [LANService.installation, LANService.upkeep]
        let title = Text(id: "pekerjaan LAN", en: "LAN work")
        var intake: String? { "/lan/new" }

        func page(ticket: Int64) -> String { "/lan/\(ticket)" }

        func permits(_ action: String, _ principal: Principal) -> Bool {
            switch action {
            case "lan.request": Action.receive.allowed(for: principal)
            case "lan.paraf": Action.paraf.allowed(for: principal)
            case "lan.sign": Action.sign.allowed(for: principal)
            case "lan.install", "lan.test", "lan.inventory": Action.install.allowed(for: principal)
            case "lan.close": Action.close.allowed(for: principal)
            case "lan.inspect": [.technician, .supervisor, .admin].contains(principal.role)
            default: false
            }
        }

        func cancelled(_ tx: Transaction, ticket: Int64, timeZone: TimeZone) throws -> [Int64] {
            // A request's issued letters stay issued (their numbers are never reused); a cancelled
            // visit's ticket stays on the visit until the planner opens a new one for it.
            []
        }

        func reopened(_ tx: Transaction, ticket: Int64, by principal: Principal) throws {}

        /// Opens the tickets of upkeep visits whose opening time has come (at most 200 a sweep).
        func sweep(_ tx: Transaction, tickets: TicketService) throws -> Int {
            try UpkeepService.openDue(tx, tickets: tickets, limit: 200)
        }

        /// An upkeep visit's inspection goes to the technician it was planned for.
        func proposedAssignee(_ reader: Reader, ticket: Int64, next: Step) throws -> String? {
            guard next.doneBy == "lan.inspect" else { return nil }
            return try UpkeepStore.visit(reader, ticketID: ticket)?.technician
        }

        func moved(_ tx: Transaction, ticket: Int64, from previous: Ticket?, to transition: TicketTransition, tickets: TicketService) throws {
            if transition.ticket.status == .done { try UpkeepStore.markDone(tx, ticketID: ticket) }
        }
    }
}
