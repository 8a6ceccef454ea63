import Foundation
import SimpulCore
import SimpulStore

extension HostingService {
    /// Hosting as a ticket module: it does `hosting-intake`'s allocation, installation and
    /// monitoring steps (`done_by: hosting.*`), and gives back what a request holds when its ticket
    /// is cancelled.
    struct Module: TicketModule {
        let name = "hosting"
        let playbooks: Set<String> = ["hosting-intake"]
        let title = Text(id: "penitipan server", en: "server hosting")

        func page(ticket: Int64) -> String { "/hosting/\(ticket)" }

        func permits(_ action: String, _ principal: Principal) -> Bool {
            guard let found = Action.allCases.first(where: { $0.step != nil && "hosting.\($0.name)" == action }) else { return false }
            return found.allowed(for: principal)
        }

        func cancelled(_ tx: Transaction, ticket: Int64, timeZone: TimeZone) throws -> [Int64] {
            try HostingService.requestCancelled(tx, ticketID: ticket, timeZone: timeZone).deliveries
        }

        func reopened(_ tx: Transaction, ticket: Int64, by principal: Principal) throws {
            try HostingService.requestReopened(tx, ticketID: ticket, by: principal)
        }

        func delivered(_ tx: Transaction, ticket: Int64, channel: DeliveryChannel, tickets: TicketService) throws {
            guard channel == .dns else { return }
            try HostingService.dnsDelivered(tx, ticketID: ticket, tickets: tickets)
        }
    }
}
