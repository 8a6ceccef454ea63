import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

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
        try simpul.database.rawRead { try Self.assignable($0, for: steps, agency: agency, by: principal) }
    }

    static func assignable(_ db: Database, for steps: [Step], agency: String?, by principal: Principal) throws -> [Assignable] {
        guard principal.role != .agency, principal.role != .viewer else { return [] }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT u.username, u.full_name, u.role, a.code AS agency FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
            WHERE u.disabled = 0 ORDER BY u.username
            """))
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
        return try simpul.database.rawRead { db in
            let versions = try PlaybookStore.all(db)
            return ListPage(
                page: try Self.list(db, filter, by: principal, now: now),
                playbooks: Self.byVersion(versions),
                current: versions.filter(\.isHead).map(\.playbook),
                agencies: try EstateService.agencyNames(db, only: agencyScope),
                staff: try Self.assignable(db, for: [], agency: nil, by: principal))
        }
    }

    /// Which of a ticket's forms a principal would have accepted now: the state machine's own rules.
    public static func actions(_ detail: Detail, by principal: Principal) -> TicketMachine.Allowed {
        TicketMachine(playbook: detail.playbook, calendar: detail.calendar).allowed(on: detail.ticket, by: principal)
    }

    /// The playbooks a principal may open tickets on: none for a viewer; for an agency user,
    /// those whose first step is the agency's own (a report, a request).
    public func openable(by principal: Principal) throws -> [PlaybookStore.Loaded] {
        guard principal.role != .viewer else { return [] }
        let heads = try simpul.playbooks.list(by: principal)
        return principal.role == .agency ? heads.filter { $0.playbook.firstStep.actor == .agency } : heads
    }
}
