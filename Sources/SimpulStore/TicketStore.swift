import Foundation
import GRDB
import SimpulCore

/// Tickets, their step visits, history, attachments and in-app notifications. Every function takes
/// the caller's `Reader` or `Transaction`.
public enum TicketStore {
    /// The ticket's row in the list: enough to filter, sort and show without decoding its state.
    public struct Summary: Sendable, Hashable, Codable, FetchableRecord {
        public var id: Int64
        public var playbookID: String
        public var playbookVersion: Int
        public var subject: String
        public var agencyCode: String?
        public var agencyName: String?
        public var status: TicketStatus
        public var priority: Priority
        public var openedAt: String
        public var closedAt: String?
        public var currentStep: String?
        public var currentEnteredAt: String?
        public var assignee: String?
        public var dueSoonAt: String?
        public var dueAt: String?

        /// A row selected with `summaryColumns` (tickets `t` joined to agencies `a`), read by position:
        /// a list reads these for every row.
        public init(row: Row) {
            id = row[0]
            playbookID = row[1]
            playbookVersion = row[2]
            subject = row[3]
            agencyCode = row[4]
            agencyName = row[5]
            status = TicketStatus(rawValue: row[6]) ?? .open
            priority = Priority(rawValue: row[7]) ?? .normal
            openedAt = row[8]
            closedAt = row[9]
            currentStep = row[10]
            currentEnteredAt = row[11]
            assignee = row[12]
            dueSoonAt = row[13]
            dueAt = row[14]
        }

        /// Late, due soon, on time or untimed now, from the stored deadlines; nil when closed or held in time.
        public func lateness(now: Date) -> ClockState? {
            ClockState(status: status, dueAt: dueAt.flatMap(Timestamp.date), dueSoonAt: dueSoonAt.flatMap(Timestamp.date), now: now)
        }
    }

    /// Filters of the ticket list. Lateness is judged against `now` from the stored deadlines.
    public struct Filter: Sendable, Hashable {
        public enum Scope: String, Sendable, CaseIterable { case active, closed, all }
        public enum Lateness: String, Sendable, CaseIterable { case late, dueSoon = "due_soon", onTime = "on_time" }

        public var scope: Scope = .active
        public var playbookID: String?
        public var agencyCode: String?
        public var stepID: String?
        public var assignee: String?
        /// `-` for unassigned.
        public var lateness: Lateness?
        public var priority: Priority?
        public var limit = 50
        public var offset = 0
        /// Counting stops this many rows past `offset`: a page says "1–25 of 1 000+" rather than walk
        /// every matching row on each request.
        public var countAhead = 1_000

        public init() {}
    }

    public struct Page: Sendable {
        public var rows: [Summary]
        /// Matching tickets; at least this many when `totalIsLowerBound`.
        public var total: Int
        public var totalIsLowerBound = false
        public var offset: Int
        public var limit: Int

        public init(rows: [Summary], total: Int, offset: Int, limit: Int) {
            self.rows = rows
            self.total = total
            self.offset = offset
            self.limit = limit
        }
    }

    // MARK: Writing

    public struct Deadlines: Sendable {
        public var dueSoonAt: Date?
        public var dueAt: Date?
        public init(dueSoonAt: Date?, dueAt: Date?) {
            self.dueSoonAt = dueSoonAt
            self.dueAt = dueAt
        }
    }

    public static func insert(_ tx: Transaction, _ ticket: Ticket, agencyID: Int64?, deadlines: Deadlines, now: Date) throws -> Int64 {
        let db = tx.db
        try db.execute(sql: """
            INSERT INTO tickets (playbook_id, playbook_version, subject, agency_id, status, priority, opened_at, opened_by,
                                 closed_at, current_step, current_visit, current_entered_at, assignee, due_soon_at, due_at,
                                 current_fired, current_holds, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: StatementArguments([ticket.playbookID, ticket.playbookVersion, ticket.subject, agencyID] + columns(ticket, deadlines: deadlines, now: now, opened: true)))
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO ticket_states (ticket_id, state) VALUES (?, ?)", arguments: [id, try StoredJSON.encode(ticket)])
        return id
    }

    public static func update(_ tx: Transaction, id: Int64, _ ticket: Ticket, deadlines: Deadlines, now: Date) throws {
        let values = columns(ticket, deadlines: deadlines, now: now, opened: false)
        try tx.db.execute(sql: """
            UPDATE tickets SET status = ?, priority = ?, closed_at = ?, current_step = ?, current_visit = ?,
                current_entered_at = ?, assignee = ?, due_soon_at = ?, due_at = ?, current_fired = ?, current_holds = ?,
                updated_at = ?, subject = ?
            WHERE id = ?
            """, arguments: StatementArguments(values + [ticket.subject, id]))
        try tx.db.execute(sql: "UPDATE ticket_states SET state = ? WHERE ticket_id = ?", arguments: [try StoredJSON.encode(ticket), id])
    }

    static func columns(_ ticket: Ticket, deadlines: Deadlines, now: Date, opened: Bool) -> [(any DatabaseValueConvertible)?] {
        let current = ticket.current
        let visitIndex = current == nil ? nil : ticket.visits.count - 1
        let fired = visitIndex.map { index in ticket.fired.filter { $0.visit == index }.map { String($0.rule) }.joined(separator: ",") }
        let holds = current.flatMap { $0.holds.isEmpty ? nil : try? StoredJSON.encode($0.holds) }
        var values: [(any DatabaseValueConvertible)?] = [ticket.status.rawValue, ticket.priority.rawValue]
        if opened { values += [Timestamp.string(ticket.openedAt), ticket.openedBy] }
        values += [ticket.closedAt.map(Timestamp.string), current?.stepID, visitIndex, current.map { Timestamp.string($0.enteredAt) },
                   current?.assignee, deadlines.dueSoonAt.map(Timestamp.string), deadlines.dueAt.map(Timestamp.string),
                   fired?.isEmpty == false ? fired : nil, holds, Timestamp.string(now)]
        return values
    }

    /// Writes every visit's row (the compliance report reads these).
    public static func saveVisits(_ tx: Transaction, ticketID: Int64, _ ticket: Ticket, clocks: TicketClocks, agencyID: Int64?, playbook: Playbook) throws {
        let statement = try tx.db.cachedStatement(sql: """
            INSERT INTO ticket_steps (ticket_id, visit, playbook_id, playbook_version, step_id, actor, clock, basis, standard_seconds,
                                      agency_id, entered_at, ended_at, outcome, completed_by, completed_role, on_behalf, branch,
                                      elapsed_seconds, held_seconds, clock_state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(ticket_id, visit) DO UPDATE SET ended_at = excluded.ended_at, outcome = excluded.outcome,
                completed_by = excluded.completed_by, completed_role = excluded.completed_role, on_behalf = excluded.on_behalf,
                branch = excluded.branch, elapsed_seconds = excluded.elapsed_seconds, held_seconds = excluded.held_seconds,
                clock_state = excluded.clock_state, agency_id = excluded.agency_id
            """)
        let clocksByVisit = Dictionary(clocks.steps.map { ($0.visit, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, visit) in ticket.visits.enumerated() {
            guard let step = playbook.step(visit.stepID), let clock = clocksByVisit[index] else { continue }
            let ended = visit.endedAt != nil
            try statement.execute(arguments: [
                ticketID, index, playbook.id, playbook.version, step.id, step.actor.rawValue, step.clock.rawValue, clock.basis.rawValue,
                clock.standard, agencyID, Timestamp.string(visit.enteredAt), visit.endedAt.map(Timestamp.string), visit.outcome?.rawValue,
                visit.completedBy, visit.completedRole?.rawValue, visit.onBehalf, visit.branch,
                ended ? clock.elapsed : nil, clock.held, ended ? clock.state.rawValue : nil,
            ])
        }
    }

    public static func appendHistory(_ tx: Transaction, ticketID: Int64, _ entries: [HistoryEntry]) throws {
        let statement = try tx.db.cachedStatement(sql: """
            INSERT INTO ticket_history (ticket_id, at, by, role, kind, step_id, visit, branch, text, evidence, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            try statement.execute(arguments: [
                ticketID, Timestamp.string(entry.at), entry.by, entry.role?.rawValue, entry.kind.rawValue, entry.stepID, entry.visit,
                entry.branch, entry.text, entry.evidence.isEmpty ? nil : try StoredJSON.encode(entry.evidence),
                entry.detail.isEmpty ? nil : try StoredJSON.encode(entry.detail),
            ])
        }
    }

    /// Writes an in-app notification or escalation (the `notifications` table: read on the work page,
    /// not delivered by the outbox).
    public static func notify(_ tx: Transaction, kind: String, ticketID: Int64, target: String, payload: String, now: Date) throws {
        try tx.db.execute(sql: "INSERT INTO notifications (created_at, kind, ticket_id, target, payload) VALUES (?, ?, ?, ?, ?)",
                          arguments: [Timestamp.string(now), kind, ticketID, target, payload])
    }

    /// Marks every notification for `targets` read by the user, up to the newest one.
    public static func markNotificationsRead(_ tx: Transaction, userID: Int64, targets: [String]) throws {
        guard !targets.isEmpty else { return }
        let placeholders = targets.map { _ in "?" }.joined(separator: ", ")
        let newest = try Int64.fetchOne(tx.db, sql: "SELECT MAX(id) FROM notifications WHERE target IN (\(placeholders))",
                                        arguments: StatementArguments(targets)) ?? 0
        try tx.db.execute(sql: "UPDATE users SET notifications_read_to = max(notifications_read_to, ?) WHERE id = ?", arguments: [newest, userID])
    }

    /// The newest notification the user has marked read (0 when none).
    public static func notificationsReadTo(_ reader: Reader, userID: Int64) throws -> Int64 {
        try Int64.fetchOne(reader.db, sql: "SELECT notifications_read_to FROM users WHERE id = ?", arguments: [userID]) ?? 0
    }

    // MARK: Reading

    public static func load(_ reader: Reader, id: Int64) throws -> (ticket: Ticket, agencyID: Int64?)? {
        guard let row = try Row.fetchOne(reader.db, sql: """
            SELECT s.state, t.agency_id FROM tickets t JOIN ticket_states s ON s.ticket_id = t.id WHERE t.id = ?
            """, arguments: [id]) else { return nil }
        return (try StoredJSON.decode(Ticket.self, from: row[0] as String), row[1])
    }

    /// Whether ticket `id` exists.
    public static func exists(_ reader: Reader, id: Int64) throws -> Bool {
        try Int.fetchOne(reader.db, sql: "SELECT 1 FROM tickets WHERE id = ?", arguments: [id]) != nil
    }

    /// One row of `ticket_history`.
    struct HistoryRecord: FetchableRecord {
        enum Columns {
            static let ticketID = Column("ticket_id"), id = Column("id")
        }

        var entry: HistoryEntry

        init(row: Row) throws {
            entry = HistoryEntry(
                at: Timestamp.date(row["at"]) ?? .distantPast, by: row["by"], role: (row["role"] as String?).flatMap(Role.init(rawValue:)),
                kind: HistoryEntry.Kind(rawValue: row["kind"]) ?? .opened, stepID: row["step_id"], visit: row["visit"],
                branch: row["branch"], evidence: try (row["evidence"] as String?).map { try StoredJSON.decode([Evidence].self, from: $0) } ?? [],
                text: row["text"], detail: try (row["detail"] as String?).map { try StoredJSON.decode([String: String].self, from: $0) } ?? [:])
        }
    }

    public static func history(_ reader: Reader, ticketID: Int64) throws -> [HistoryEntry] {
        try HistoryRecord.fetchAll(reader.db, sql: "SELECT * FROM ticket_history WHERE ticket_id = ? ORDER BY id", arguments: [ticketID]).map(\.entry)
    }

    /// An in-app notification or escalation (the `notifications` table).
    public struct Notification: Sendable, Hashable, FetchableRecord {
        public var id: Int64
        public var createdAt: String
        public var kind: String
        public var ticketID: Int64?
        public var target: String
        public var payload: String
        public var status: String
        public var attempts: Int
        public var lastError: String?

        enum Columns {
            static let id = Column("id"), createdAt = Column("created_at"), kind = Column("kind"), ticketID = Column("ticket_id")
            static let target = Column("target"), payload = Column("payload"), status = Column("status"), attempts = Column("attempts")
            static let lastError = Column("last_error")
        }

        public init(row: Row) {
            id = row[Columns.id]
            createdAt = row[Columns.createdAt]
            kind = row[Columns.kind]
            ticketID = row[Columns.ticketID]
            target = row[Columns.target]
            payload = row[Columns.payload]
            status = row[Columns.status]
            attempts = row[Columns.attempts]
            lastError = row[Columns.lastError]
        }
    }

    public static func notifications(_ reader: Reader, ticketID: Int64? = nil, targets: [String]? = nil, status: String? = nil, after: Int64? = nil,
                                     limit: Int = 200) throws -> [Notification] {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let after { clauses.append("id > ?"); arguments.append(after) }
        if let ticketID { clauses.append("ticket_id = ?"); arguments.append(ticketID) }
        if let targets {
            clauses.append("target IN (\(targets.map { _ in "?" }.joined(separator: ",")))")
            arguments += targets
        }
        if let status { clauses.append("status = ?"); arguments.append(status) }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Notification.fetchAll(reader.db, sql: "SELECT * FROM notifications \(whereSQL) ORDER BY id DESC LIMIT \(limit)",
                                         arguments: StatementArguments(arguments))
    }

    public struct AttachmentInfo: Sendable, Hashable, FetchableRecord {
        public var id: Int64
        public var ticketID: Int64
        public var kind: String
        public var fileName: String
        public var contentType: String
        public var size: Int
        public var sha256: String
        public var uploadedBy: String
        public var uploadedAt: String

        enum Columns {
            static let id = Column("id"), ticketID = Column("ticket_id"), kind = Column("kind"), fileName = Column("file_name")
            static let contentType = Column("content_type"), size = Column("size"), sha256 = Column("sha256")
            static let uploadedBy = Column("uploaded_by"), uploadedAt = Column("uploaded_at"), data = Column("data")
        }

        public init(row: Row) {
            id = row[Columns.id]
            ticketID = row[Columns.ticketID]
            kind = row[Columns.kind]
            fileName = row[Columns.fileName]
            contentType = row[Columns.contentType]
            size = row[Columns.size]
            sha256 = row[Columns.sha256]
            uploadedBy = row[Columns.uploadedBy]
            uploadedAt = row[Columns.uploadedAt]
        }
    }

    public static func insertAttachment(_ tx: Transaction, ticketID: Int64, kind: EvidenceKind, fileName: String, contentType: String, data: Data,
                                        sha256: String, by: String, now: Date) throws -> Int64 {
        try tx.db.execute(sql: """
            INSERT INTO attachments (ticket_id, kind, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [ticketID, kind.rawValue, fileName, contentType, data.count, sha256, data, by, Timestamp.string(now)])
        return tx.db.lastInsertedRowID
    }

    public static func attachments(_ reader: Reader, ticketID: Int64) throws -> [AttachmentInfo] {
        try AttachmentInfo.fetchAll(reader.db, sql: """
            SELECT id, ticket_id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at FROM attachments
            WHERE ticket_id = ? ORDER BY id
            """, arguments: [ticketID])
    }

    public static func attachment(_ reader: Reader, id: Int64) throws -> (AttachmentInfo, Data)? {
        guard let row = try Row.fetchOne(reader.db, sql: "SELECT * FROM attachments WHERE id = ?", arguments: [id]) else { return nil }
        return (AttachmentInfo(row: row), row[AttachmentInfo.Columns.data])
    }

    /// The ticket an attachment belongs to, if it exists.
    public static func attachmentTicket(_ reader: Reader, id: Int64) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT ticket_id FROM attachments WHERE id = ?", arguments: [id])
    }

    /// One page of the list, most overdue first (active tickets) or most recently closed first.
    /// Active filters use the partial indexes on `ifnull(due_at, '~')` (see the v2 migration).
    public static func list(_ reader: Reader, filter: Filter, now: Date) throws -> Page {
        let db = reader.db
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        switch filter.scope {
        case .active: clauses.append("t.status IN ('open', 'held')")
        case .closed: clauses.append("t.status IN ('done', 'cancelled')")
        case .all: break
        }
        if let id = filter.playbookID { clauses.append("t.playbook_id = ?"); arguments.append(id) }
        if let code = filter.agencyCode {
            // Resolved first, so the agency index can be walked directly.
            clauses.append("t.agency_id = ?")
            arguments.append(try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM agencies WHERE code = ?"), arguments: [code]) ?? -1)
        }
        if let step = filter.stepID { clauses.append("t.current_step = ?"); arguments.append(step) }
        if let assignee = filter.assignee {
            if assignee == "-" { clauses.append("t.assignee IS NULL") } else { clauses.append("t.assignee = ?"); arguments.append(assignee) }
        }
        if let priority = filter.priority { clauses.append("t.priority = ?"); arguments.append(priority.rawValue) }
        let nowText = Timestamp.string(now)
        switch filter.lateness {
        // On the sort expression, so that lateness is a range of the same index walk.
        case .late: clauses.append("ifnull(t.due_at, '~') < ?"); arguments.append(nowText)
        case .dueSoon: clauses.append("ifnull(t.due_at, '~') >= ? AND t.due_soon_at <= ?"); arguments += [nowText, nowText]
        case .onTime: clauses.append("ifnull(t.due_at, '~') >= ? AND (t.due_soon_at IS NULL OR t.due_soon_at > ?)"); arguments += [nowText, nowText]
        case nil: break
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let order = filter.scope == .closed ? "t.closed_at DESC, t.id DESC" : "ifnull(t.due_at, '~'), t.id"
        let index = filter.scope == .active ? " INDEXED BY \(activeIndex(filter))" : ""
        let limit = max(1, min(filter.limit, 500)), offset = min(max(0, filter.offset), Bounds.listOffset.upperBound)
        // Statements are cached per connection, one per combination of filters (a few hundred at most):
        // limit and offset are bound, not written into the SQL.
        // Read through a cursor: each row is decoded where it lies, not copied with its column names.
        var rows: [Summary] = []
        let cursor = try Summary.fetchCursor(db.cachedStatement(sql: """
            SELECT \(summaryColumns) FROM tickets t\(index) LEFT JOIN agencies a ON a.id = t.agency_id
            \(whereSQL) ORDER BY \(order) LIMIT ? OFFSET ?
            """), arguments: StatementArguments(arguments + [limit, offset]))
        while let row = try cursor.next() { rows.append(row) }
        // A page that is not full is the last one: its end is the total. Otherwise count from this page
        // on, up to `countAhead` rows, so that the next page is known to exist at any depth (from the
        // start for a page past the end, so the total is still right).
        if rows.count < limit && (offset == 0 || !rows.isEmpty) {
            return Page(rows: rows, total: offset + rows.count, offset: offset, limit: limit)
        }
        let ahead = max(limit, filter.countAhead), from = rows.isEmpty ? 0 : offset
        let counted = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM (SELECT 1 FROM tickets t\(index) \(whereSQL) LIMIT ? OFFSET ?)
            """), arguments: StatementArguments(arguments + [ahead + 1, from])) ?? 0
        var page = Page(rows: rows, total: from + min(counted, ahead), offset: offset, limit: limit)
        page.totalIsLowerBound = counted > ahead
        return page
    }

    /// Which of the active list's indexes a filter walks. Each holds every filtered column, so any
    /// of them answers any filter; the one keyed on the filter that usually leaves the fewest tickets
    /// is walked. Chosen here because this SQLite has no per-value statistics: with only averages it
    /// takes a common step ("report", a sixth of all open tickets) for as narrow as an agency.
    static func activeIndex(_ filter: Filter) -> String {
        if filter.assignee != nil { return "tickets_active_assignee" }  // one person's queue
        if filter.agencyCode != nil { return "tickets_active_agency" }  // one of the district's agencies
        if filter.stepID != nil { return "tickets_active_step" }
        if filter.playbookID != nil { return "tickets_active_playbook" }  // one of six
        return "tickets_active_due"
    }

    /// The columns `Summary.init(row:)` reads, in its order (by position: a list reads them for every row).
    static let summaryColumns = """
        t.id, t.playbook_id, t.playbook_version, t.subject, a.code AS agency_code, a.name AS agency_name, t.status, \
        t.priority, t.opened_at, t.closed_at, t.current_step, t.current_entered_at, t.assignee, t.due_soon_at, t.due_at
        """

    /// Active tickets on one step of one playbook, soonest deadline first (one walk of the step index):
    /// unassigned ones only, or those of one agency, when asked. For the work queues.
    public static func onStep(_ reader: Reader, playbookID: String, stepID: String, unassignedOnly: Bool, agencyID: Int64?,
                              limit: Int) throws -> [Summary] {
        var arguments: [any DatabaseValueConvertible] = [stepID, playbookID]
        var agencyClause = ""
        if let agencyID { agencyClause = "AND t.agency_id = ?"; arguments.append(agencyID) }
        return try Summary.fetchAll(reader.db.cachedStatement(sql: """
            SELECT \(summaryColumns) FROM tickets t INDEXED BY tickets_active_step LEFT JOIN agencies a ON a.id = t.agency_id
            WHERE t.status IN ('open', 'held') AND t.current_step = ? AND t.playbook_id = ? \(unassignedOnly ? "AND t.assignee IS NULL" : "") \(agencyClause)
            ORDER BY ifnull(t.due_at, '~'), t.id LIMIT ?
            """), arguments: StatementArguments(arguments + [limit]))
    }

    /// What the clock sweep needs of each open ticket, without decoding its whole state.
    public struct OpenClock: Sendable {
        public var id: Int64
        public var playbookID: String
        public var playbookVersion: Int
        public var status: TicketStatus
        public var visit: Int
        public var stepID: String
        public var enteredAt: Date
        public var holds: [Hold]
        public var fired: [Int]
    }

    /// Every open or held ticket's current step, in id order (one pass over the narrow table: an index
    /// on status would turn it into 100 000 random lookups).
    public static func openClocks(_ reader: Reader) throws -> [OpenClock] {
        var result: [OpenClock] = []
        let cursor = try Row.fetchCursor(reader.db, sql: """
            SELECT id, playbook_id, playbook_version, status, current_visit, current_step, current_entered_at, current_holds, current_fired
            FROM tickets NOT INDEXED WHERE status IN ('open', 'held') AND current_step IS NOT NULL
            """)
        while let row = try cursor.next() {
            // Columns by position: this loop reads every open ticket on each sweep.
            let entered: String = row[6]
            let holds: String? = row[7]
            let fired: String? = row[8]
            let status: String = row[3]
            result.append(OpenClock(
                id: row[0], playbookID: row[1], playbookVersion: row[2],
                status: status == "held" ? .held : .open, visit: row[4], stepID: row[5],
                enteredAt: Timestamp.date(entered) ?? .distantPast,
                holds: try holds.map { try StoredJSON.decode([Hold].self, from: $0) } ?? [],
                fired: fired.map { $0.split(separator: ",").compactMap { Int($0) } } ?? []))
        }
        return result
    }

    // MARK: Who and where (read for the ticket's rules)

    /// A user as the ticket rules see them: may they be given a step?
    public struct Person: Sendable, Hashable, FetchableRecord {
        public var username: String
        public var fullName: String
        /// Nil for a role this version does not know.
        public var role: Role?
        public var disabled: Bool
        public var agencyCode: String?

        enum Columns {
            static let username = Column("username"), fullName = Column("full_name"), role = Column("role")
            static let disabled = Column("disabled"), agency = Column("agency")
        }

        public init(row: Row) {
            username = row[Columns.username]
            fullName = row[Columns.fullName]
            role = Role(rawValue: row[Columns.role])
            disabled = row[Columns.disabled]
            agencyCode = row[Columns.agency]
        }
    }

    public static func person(_ reader: Reader, username: String) throws -> Person? {
        try Person.fetchOne(reader.db, sql: """
            SELECT u.username, u.full_name, u.role, u.disabled, a.code AS agency FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.username = ?
            """, arguments: [username])
    }

    /// Every active user, by username.
    public static func activePeople(_ reader: Reader) throws -> [Person] {
        try Person.fetchAll(reader.db.cachedStatement(sql: """
            SELECT u.username, u.full_name, u.role, u.disabled, a.code AS agency FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
            WHERE u.disabled = 0 ORDER BY u.username
            """))
    }

    public static func agencyName(_ reader: Reader, code: String) throws -> String? {
        try String.fetchOne(reader.db, sql: "SELECT name FROM agencies WHERE code = ?", arguments: [code])
    }

    /// Agencies' codes and names by name (only `code`'s when given), for the list's filter.
    public static func agencyNames(_ reader: Reader, only code: String?) throws -> [(code: String, name: String)] {
        try Row.fetchAll(reader.db.cachedStatement(sql: "SELECT code, name FROM agencies WHERE ?1 IS NULL OR code = ?1 ORDER BY name"),
                         arguments: [code]).map { ($0[0], $0[1]) }
    }

    /// The provider of the agency's first link (where a provider's step is escalated).
    public static func providerCode(_ reader: Reader, agencyID: Int64) throws -> String? {
        try String.fetchOne(reader.db, sql: """
            SELECT p.code FROM links l JOIN providers p ON p.id = l.provider_id WHERE l.agency_id = ? ORDER BY l.id LIMIT 1
            """, arguments: [agencyID])
    }
}
