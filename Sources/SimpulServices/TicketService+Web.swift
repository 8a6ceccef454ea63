import Foundation
import GRDB
import SimpulCore
import SimpulStore

/// What the ticket pages need besides the use cases themselves: who can be picked in the
/// assign selects, which forms to show, which playbooks to offer. Read-only; the rules are
/// the same as `TicketMachine`'s and `act` still decides.
extension TicketService {
    /// A user who may be given a step.
    public struct Assignable: Sendable, Hashable, Codable {
        public var username: String
        public var fullName: String
        public var role: Role
        /// Their role is the step's actor (not a superior or someone recording on behalf).
        public var isActor: Bool
    }

    /// Active users who may do one of `steps` on a ticket for `agency`, as `act` checks an assignee:
    /// those whose role does the step first. With no steps: every active office user.
    /// Agency users and viewers assign nobody, so they get an empty list.
    public func assignable(for steps: [Step], agency: String?, by principal: Principal) throws -> [Assignable] {
        guard principal.role != .agency, principal.role != .viewer else { return [] }
        let rows = try simpul.database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.username, u.full_name, u.role, a.code AS agency FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE u.disabled = 0 ORDER BY u.username
                """)
        }
        var result: [Assignable] = []
        for row in rows {
            guard let role = Role(rawValue: row["role"]) else { continue }
            let user = Principal(userID: nil, username: row["username"], role: role, agencyCode: row["agency"])
            if steps.isEmpty {
                guard role != .agency, role != .viewer else { continue }
                result.append(Assignable(username: user.username, fullName: row["full_name"], role: role, isActor: false))
                continue
            }
            let capacities = steps.compactMap { TicketMachine.capacity(user, for: $0.actor, agency: agency) }.filter { $0 != .correction }
            guard !capacities.isEmpty else { continue }
            result.append(Assignable(username: user.username, fullName: row["full_name"], role: role, isActor: capacities.contains(.actor)))
        }
        return result.sorted { ($0.isActor ? 0 : 1, $0.username) < ($1.isActor ? 0 : 1, $1.username) }
    }

    /// Which of a ticket's forms a principal would have accepted now.
    public struct Actions: Sendable, Hashable {
        /// How the principal may act on the current step, if at all.
        public var capacity: ActingCapacity?
        public var start = false
        public var complete = false
        public var hold = false
        public var resume = false
        public var reassign = false
        public var cancel = false
        public var reopen = false

        public var any: Bool { start || complete || hold || resume || reassign || cancel || reopen }
    }

    /// The forms to show on a ticket's page: the same rules as `TicketMachine.handle`.
    public static func actions(_ detail: Detail, by principal: Principal) -> Actions {
        let ticket = detail.ticket
        var actions = Actions()
        let manages = [Role.head, .supervisor, .admin].contains(principal.role)
        guard principal.role != .viewer else { return actions }
        if let visit = ticket.visits.last, visit.isOpen, ticket.status.isActive, let step = detail.playbook.step(visit.stepID) {
            let capacity = TicketMachine.capacity(principal, for: step.actor, agency: ticket.agencyCode)
            let holder = visit.assignee == principal.username && principal.role != .agency
            actions.capacity = capacity
            actions.start = ticket.status == .open && capacity != nil && visit.startedAt == nil
            actions.complete = ticket.status == .open && capacity != nil
            actions.hold = ticket.status == .open && (manages || holder)
            actions.resume = ticket.status == .held && (manages || holder)
            actions.reassign = manages || (principal.role == .technician && visit.assignee == principal.username)
            actions.cancel = manages || (principal.role == .agency && principal.agencyCode == ticket.agencyCode && ticket.openedBy == principal.username)
        } else if !ticket.status.isActive {
            actions.reopen = manages
        }
        return actions
    }

    /// The playbooks a principal may open tickets on: none for a viewer; for an agency user,
    /// those whose first step is the agency's own (a report, a request).
    public func openable(by principal: Principal) throws -> [PlaybookStore.Loaded] {
        guard principal.role != .viewer else { return [] }
        let heads = try simpul.playbooks.list(by: principal)
        return principal.role == .agency ? heads.filter { $0.playbook.firstStep.actor == .agency } : heads
    }
}
