import Foundation
import SimpulCore
import SimpulStore

/// A module that owns the subject of a playbook's tickets (hosting requests for `hosting-intake`;
/// faults, LAN work and surveys next). It does the steps its playbooks mark `done_by:
/// <name>.<action>` — the ticket service refuses those on its own forms and points to the module's
/// page — and it is told when a ticket of its playbooks is cancelled or reopened, so the generic
/// ticket service names no module.
protocol TicketModule: Sendable {
    /// The name before the dot in `done_by`.
    var name: String { get }
    /// The playbooks whose tickets are this module's subjects.
    var playbooks: Set<String> { get }
    /// What the module is called on pages and in refusals.
    var title: Text { get }
    /// The module's page for a ticket.
    func page(ticket: Int64) -> String
    /// What the module itself asks of whoever does `action` (`hosting.allocate`: managing addresses
    /// and DNS), on top of the step's actor rule (`TicketMachine.capacity`).
    func permits(_ action: String, _ principal: Principal) -> Bool
    /// A ticket of its playbooks was cancelled: give back what the subject holds, in the ticket's
    /// transaction (by `tx.actor` at `tx.now`). Returns the outbox rows it wrote (also in
    /// `tx.enqueued`), which the caller of the ticket's action may have delivered at once.
    func cancelled(_ tx: Transaction, ticket: Int64, timeZone: TimeZone) throws -> [Int64]
    /// A cancelled ticket of its playbooks was reopened: make the subject live again, or refuse.
    func reopened(_ tx: Transaction, ticket: Int64, by principal: Principal) throws
    /// A side effect of a ticket of its playbooks reached its destination (the outbox delivered
    /// it; the DNS server confirmed the records): the module may move the ticket on, as
    /// `Principal.system`, in `tx` (by `Transaction.system`).
    func delivered(_ tx: Transaction, ticket: Int64, channel: DeliveryChannel, tickets: TicketService) throws
    /// A ticket of its playbooks moved (opened, a step done, held, an escalation fired, closed):
    /// `previous` is nil when it was just opened. In the ticket's transaction.
    func moved(_ tx: Transaction, ticket: Int64, from previous: Ticket?, to transition: TicketTransition, tickets: TicketService) throws
    /// Where tickets of its playbooks are opened, when the module opens them itself.
    var intake: String? { get }
    /// Work of its own that falls due with time (a provider's next escalation level), done by the
    /// ticket sweep in one transaction; returns how many things it did.
    func sweep(_ tx: Transaction, tickets: TicketService) throws -> Int
    /// The provider a ticket's escalation goes to, when the module knows it (a fault's own circuit's).
    func providerCode(_ reader: Reader, ticket: Int64) throws -> String?
    /// Who takes step `next` when the step before is completed without naming anyone and the actor
    /// changes (an upkeep visit's planned technician takes its inspection).
    func proposedAssignee(_ reader: Reader, ticket: Int64, next: Step) throws -> String?
}

extension TicketModule {
    func delivered(_ tx: Transaction, ticket: Int64, channel: DeliveryChannel, tickets: TicketService) throws {}
    func moved(_ tx: Transaction, ticket: Int64, from previous: Ticket?, to transition: TicketTransition, tickets: TicketService) throws {}
    var intake: String? { nil }
    func sweep(_ tx: Transaction, tickets: TicketService) throws -> Int { 0 }
    func providerCode(_ reader: Reader, ticket: Int64) throws -> String? { nil }
    func proposedAssignee(_ reader: Reader, ticket: Int64, next: Step) throws -> String? { nil }
}

/// The modules that own tickets' subjects: the one list the ticket service consults.
enum TicketModules {
    static let all: [any TicketModule] = [HostingService.Module(), FaultService.Module(), LANService.Module(), SurveyService.Module()]

    static func named(_ name: String) -> (any TicketModule)? { all.first { $0.name == name } }

    static func owning(playbook: String) -> [any TicketModule] { all.filter { $0.playbooks.contains(playbook) } }

    /// Tells the modules owning each ticket's playbook that its `channel` delivery arrived.
    static func delivered(_ tx: Transaction, tickets ids: Set<Int64>, channel: DeliveryChannel, tickets: TicketService) throws {
        for id in ids.sorted() {
            guard let (ticket, _) = try TicketStore.load(tx, id: id) else { continue }
            for module in owning(playbook: ticket.playbookID) { try module.delivered(tx, ticket: id, channel: channel, tickets: tickets) }
        }
    }

    /// The one answer to "may `principal` do the step a module does through `action`" on a ticket
    /// for `agency` whose current step's actor is `actor`: the step's actor rule and the module's own,
    /// used alike by the ticket page (its link), the module's page (its forms) and the module's
    /// service (its refusal).
    static func mayDo(_ action: String, _ principal: Principal, actor: StepActor, agency: String?) -> Bool {
        guard principal.role != .viewer, !principal.isSystem, TicketMachine.capacity(principal, for: actor, agency: agency) != nil,
              let name = action.split(separator: ".").first, let module = named(String(name)) else { return false }
        return module.permits(action, principal)
    }

    /// The module and its intake page for a playbook whose first step it does (`faults.report`).
    static func intake(_ action: String) -> (title: Text, path: String)? {
        guard let name = action.split(separator: ".").first, let module = named(String(name)), let path = module.intake else { return nil }
        return (module.title, path)
    }

    /// The module and its page for a step a module does (`hosting.allocate` on ticket 12).
    static func link(_ action: String, ticket: Int64) -> (title: Text, path: String)? {
        guard let name = action.split(separator: ".").first, let module = named(String(name)) else { return nil }
        return (module.title, module.page(ticket: ticket))
    }
}

extension TicketService {
    /// Where a module-owned step is done, for the ticket page's link: nil when people complete the
    /// current step on the ticket itself.
    public static func moduleLink(_ detail: Detail) -> (title: Text, path: String)? {
        guard let action = detail.currentStep?.doneBy else { return nil }
        return TicketModules.link(action, ticket: detail.id)
    }
}
