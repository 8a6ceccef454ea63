import Foundation
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
        try simpul.database.read { try Self.assignable($0, for: steps, agency: agency, by: principal) }
    }

    static func assignable(_ reader: Reader, for steps: [Step], agency: String?, by principal: Principal) throws -> [Assignable] {
        guard principal.role != .agency, principal.role != .viewer else { return [] }
        var result: [Assignable] = []
        for person in try TicketStore.activePeople(reader) {
            guard let role = person.role else { continue }
            let user = Principal(userID: nil, username: person.username, role: role, agencyCode: person.agencyCode)
            if steps.isEmpty {
                guard role != .agency, role != .viewer else { continue }
                result.append(Assignable(username: user.username, fullName: person.fullName, role: role, isActor: false))
                continue
            }
            let capacities = steps.compactMap { TicketMachine.capacity(user, for: $0.actor, agency: agency) }.filter { $0 != .correction }
            guard !capacities.isEmpty else { continue }
            result.append(Assignable(username: user.username, fullName: person.fullName, role: role, isActor: capacities.contains(.actor)))
        }
        return result.sorted { ($0.isActor ? 0 : 1, $0.username) < ($1.isActor ? 0 : 1, $1.username) }
    }

    /// Everything the ticket list page shows, read in one transaction: the page of tickets, every
    /// playbook version they run on (for step titles), and the filters' choices.
    public struct ListPage: Sendable {
        public var page: TicketStore.Page
        /// By `Playbook.versionKey`.
        public var playbooks: [String: Playbook]
        /// The versions new tickets start on, by id.
        public var current: [Playbook]
        public var agencies: [EstateService.AgencyName]
        /// Active office users, for the assignee filter.
        public var staff: [Assignable]
    }

    public func listPage(_ filter: TicketStore.Filter, by principal: Principal) throws -> ListPage {
        let now = simpul.now()
        let agencyScope = try simpul.estate.visibleAgencyFilter(principal)
        return try simpul.database.read { r in
            let versions = try PlaybookStore.all(r)
            return ListPage(
                page: try Self.list(r, filter, by: principal, now: now),
                playbooks: Self.byVersion(versions),
                current: versions.filter(\.isHead).map(\.playbook),
                agencies: try TicketStore.agencyNames(r, only: agencyScope).map { EstateService.AgencyName(code: $0.code, name: $0.name) },
                staff: try Self.assignable(r, for: [], agency: nil, by: principal))
        }
    }

    /// Which of a ticket's forms a principal would have accepted now: the state machine's own rules.
    public static func actions(_ detail: Detail, by principal: Principal) -> TicketMachine.Allowed {
        var allowed = TicketMachine(playbook: detail.playbook, calendar: detail.calendar).allowed(on: detail.ticket, by: principal)
        if let action = allowed.doneBy, let step = detail.currentStep {
            allowed.moduleAllows = TicketModules.mayDo(action, principal, actor: step.actor, agency: detail.ticket.agencyCode)
        }
        return allowed
    }

    /// The playbooks a principal may open tickets on: none for a viewer; for an agency user,
    /// those whose first step is the agency's own (a report, a request).
    public func openable(by principal: Principal) throws -> [PlaybookStore.Loaded] {
        guard principal.role != .viewer else { return [] }
        // A playbook whose tickets a module opens (faults) is opened on that module's page instead.
        let heads = try simpul.playbooks.list(by: principal).filter { $0.playbook.firstStep.doneBy == nil }
        return principal.role == .agency ? heads.filter { $0.playbook.firstStep.actor == .agency } : heads
    }
}
