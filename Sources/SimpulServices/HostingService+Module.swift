import Foundation
import GRDB
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

        func cancelled(_ db: Database, ticket: Int64, by: String, now: Date, timeZone: TimeZone, audit: inout AuditWriter) throws -> [Int64] {
            try HostingService.requestCancelled(db, ticketID: ticket, by: by, now: now, timeZone: timeZone, audit: &audit)
        }

        func reopened(_ db: Database, ticket: Int64, by principal: Principal, now: Date, audit: inout AuditWriter) throws {
            try HostingService.requestReopened(db, ticketID: ticket, by: principal, now: now, audit: &audit)
        }
    }
}
