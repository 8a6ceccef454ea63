import Foundation
import SimpulCore
import SimpulStore

extension FaultService {
    /// Faults as a ticket module: it opens `fault-dispatch` tickets with their record and does the
    /// steps that carry it (`done_by: faults.*`); a fault is open while its ticket is.
    struct Module: TicketModule {
        let name = "faults"
        let playbooks: Set<String> = [FaultService.playbookID]
        let title = Text(id: "laporan gangguan", en: "fault report")
        let intake: String? = "/faults/new"

        func page(ticket: Int64) -> String { "/faults/\(ticket)" }

        func permits(_ action: String, _ principal: Principal) -> Bool {
            switch action {
            case "faults.report": principal.role != .viewer
            case "faults.log", "faults.close", "faults.restore": FaultService.fieldWorkers.contains(principal.role)
            default: false
            }
        }

        func cancelled(_ tx: Transaction, ticket: Int64, timeZone: TimeZone) throws -> [Int64] {
            try FaultStore.setOpen(tx, ticketID: ticket, false)
            return []
        }

        func reopened(_ tx: Transaction, ticket: Int64, by principal: Principal) throws {
            guard let fault = try FaultStore.fault(tx, ticketID: ticket) else { return }
            do {
                try FaultStore.setOpen(tx, ticketID: ticket, true)
            } catch is StoreConflict {
                let other = try FaultStore.openFault(tx, linkID: fault.linkID, deviceID: fault.deviceID).map { "#\($0)" } ?? ""
                throw ServiceError(.conflict, Text(id: "tiket tidak bisa dibuka lagi: \(fault.circuit ?? fault.deviceName ?? "") sudah punya laporan gangguan terbuka \(other)",
                                                   en: "the ticket cannot be reopened: \(fault.circuit ?? fault.deviceName ?? "") already has an open fault \(other)"))
            }
        }

        func moved(_ tx: Transaction, ticket: Int64, from previous: Ticket?, to transition: TicketTransition, tickets: TicketService) throws {
            guard try FaultStore.fault(tx, ticketID: ticket) != nil else { return }
            if transition.ticket.status == .done, previous?.status != .done {
                try FaultStore.setOpen(tx, ticketID: ticket, false)
                return
            }
            let timeZone = tickets.simpul.officeTime().timeZone
            // The SOP's not-fixed branch takes the fault to the provider of its own circuit, level 1.
            let notFixed = transition.history.contains { $0.kind == .completed && $0.stepID == "repair" && $0.branch == "not_fixed" }
            if notFixed, try FaultStore.escalatedLevels(tx, ticketID: ticket).isEmpty,
               try FaultStore.fault(tx, ticketID: ticket)?.linkID != nil {
                try FaultService.escalate(tx, ticketID: ticket, level: nil, cause: .notFixed, timeZone: timeZone, gateway: tickets.simpul.webhook != nil)
            }
            // A playbook rule escalating to the provider (its repair ran past its standard): the next level.
            let ruled = transition.effects.contains { if case .escalate(.provider, _, _) = $0 { true } else { false } }
            if ruled, try FaultStore.fault(tx, ticketID: ticket)?.linkID != nil {
                try FaultService.escalate(tx, ticketID: ticket, level: nil, cause: .rule, timeZone: timeZone, gateway: tickets.simpul.webhook != nil)
            }
            // The provider restored before the ticket reached its step: that step is done on arrival.
            if transition.ticket.current?.stepID == "provider_repair", previous?.current?.stepID != "provider_repair" {
                try FaultService.completeProviderStep(tx, ticketID: ticket, tickets: tickets, by: .system)
            }
        }

        func sweep(_ tx: Transaction, tickets: TicketService) throws -> Int {
            try FaultService.climbLadder(tx, timeZone: tickets.simpul.officeTime().timeZone, gateway: tickets.simpul.webhook != nil)
        }

        func providerCode(_ reader: Reader, ticket: Int64) throws -> String? {
            guard let fault = try FaultStore.fault(reader, ticketID: ticket) else { return nil }
            return fault.providerCode ?? fault.linkProviderCode
        }
    }
}
