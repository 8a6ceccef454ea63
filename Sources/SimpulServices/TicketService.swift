import Crypto
import Foundation
import SimpulCore
import SimpulStore

/// Tickets on playbooks: open, act on steps, hold and resume, cancel and reopen, list, show,
/// and the clock sweep that fires escalations. Each user action is one transaction with its
/// history, audit rows and notifications (and, for a module's subject, the outbox rows of its
/// side effects).
public struct TicketService: Sendable {
    let simpul: Simpul

    /// A ticket with everything its page shows.
    public struct Detail: Sendable {
        public var id: Int64
        public var ticket: Ticket
        public var playbook: Playbook
        /// The playbook version new tickets start on, when it differs from this ticket's.
        public var headVersion: Int
        public var agencyName: String?
        public var clocks: TicketClocks
        public var history: [HistoryEntry]
        /// In-app notifications and escalations of the ticket, newest first.
        public var notifications: [TicketStore.Notification]
        public var attachments: [TicketStore.AttachmentInfo]
        public var calendar: WorkCalendar
        /// The ticket's side effects (DNS changes, mail, webhooks) whose delivery failed or is being
        /// retried after an error, for office staff: what someone must look at, with its last error.
        public var troubled: [Delivery] = []
        /// Every side effect of the ticket (a provider's escalation mail, a DNS change) and each of
        /// its delivery attempts with the result, for office staff.
        public var deliveries: [Delivery] = []
        public var attempts: [OutboxStore.Attempt] = []

        public var currentStep: Step? { ticket.current.flatMap { playbook.step($0.stepID) } }
    }

    // MARK: Opening and acting

    /// Opens a ticket on the current version of a playbook.
    @discardableResult
    public func open(playbook playbookID: String, subject: String, agency: String?, priority: Priority = .normal,
                     assignee: String? = nil, note: String? = nil, by principal: Principal) throws -> Int64 {
        try ServiceError.limit(subject, Text(id: "pokok tiket", en: "the ticket's subject"), Limits.name)
        try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.longText)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try open(tx, playbook: playbookID, subject: subject, agency: agency, priority: priority, assignee: assignee,
                     note: note, by: principal, now: tx.now)
        }
    }

    /// Opens many tickets in one transaction (benchmarks and bulk imports); each as `open` would, opened
    /// at its time in `times` (the audit rows are written at the moment of the import).
    public func openMany(_ requests: [(playbook: String, subject: String, agency: String?)], by principal: Principal,
                         at times: [Date]) throws -> [Int64] {
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try zip(requests, times).map { request, time in
                try open(tx, playbook: request.playbook, subject: request.subject, agency: request.agency, priority: .normal,
                         assignee: nil, note: nil, by: principal, now: time)
            }
        }
    }

    /// `open` inside the caller's transaction (a hosting request opens its ticket with its own rows).
    /// `module`: the module opening a ticket of its own playbook (`faults`); a playbook whose first
    /// step a module does (`done_by: faults.report`) is opened only by that module, which does the
    /// step with its own record in the same transaction.
    func open(_ tx: Transaction, playbook playbookID: String, subject: String, agency: String?, priority: Priority,
              assignee: String?, note: String?, filedByAgency: Bool = false, module: String? = nil, by principal: Principal, now: Date) throws -> Int64 {
        guard let loaded = try PlaybookStore.head(tx, id: playbookID) else { throw PlaybookService.notLoaded(playbookID, version: nil) }
        let playbook = loaded.playbook
        if let owner = playbook.firstStep.doneBy, owner.split(separator: ".").first.map(String.init) != module {
            let place = TicketModules.intake(owner).map { Text(id: "di halaman \($0.title.id) (\($0.path))", en: "on the \($0.title.en) page (\($0.path))") }
                ?? Text(id: "di modulnya", en: "in its module")
            throw ServiceError(.invalid, Text(id: "tiket \(playbook.title.id) dibuka \(place.id), bersama catatannya sendiri",
                                              en: "\(playbook.title.en) tickets are opened \(place.en), with their own record"))
        }
        let machine = TicketMachine(playbook: playbook, calendar: try calendar(tx))
        // The state machine's rules first (who may open, for which agency), then what only the database knows.
        var transition = try refusing { () throws(TicketRefusal) -> TicketTransition in
            try machine.open(subject: subject, agency: agency?.uppercased(), priority: priority, assignee: assignee?.nilIfEmpty,
                             filedByAgency: filedByAgency, by: principal, at: now)
        }
        let agencyID = try transition.ticket.agencyCode.map { try self.agencyID(tx, code: $0) }
        if let assignee = assignee?.nilIfEmpty { try checkAssignee(tx, assignee, for: playbook.firstStep, agency: transition.ticket.agencyCode) }
        if let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty {
            transition.history[0].detail["note"] = note
        }
        let deadlines = machine.clocks.deadlines(transition.ticket, playbook: playbook, now: now)
        let id = try TicketStore.insert(tx, transition.ticket, agencyID: agencyID,
                                        deadlines: .init(dueSoonAt: deadlines.dueSoonAt, dueAt: deadlines.dueAt), now: now)
        try persist(tx, id: id, transition: transition, previous: nil, agencyID: agencyID, machine: machine, principal: principal,
                    reason: nil, now: now)
        return id
    }

    /// Applies one event to a ticket: start, complete, reassign, hold, resume, cancel, reopen.
    /// `expected`: the step visit the sender saw (a form's hidden fields, a module's own view); a
    /// start or completion for any other is refused and changes nothing.
    /// A step a module does (`done_by`) is refused here: it is done on the module's page.
    /// Returns the outbox rows the action wrote (a cancelled hosting request's DNS changes), for the
    /// caller to have delivered at once (`OutboxService.deliver(ids:)`); the worker delivers them otherwise.
    @discardableResult
    public func act(_ id: Int64, _ event: TicketEvent, reason: String? = nil, expecting expected: StepRef? = nil, by principal: Principal) throws -> [Int64] {
        try Self.checkLengths(event, reason: reason)
        let (_, deliveries) = try simpul.database.writeEnqueuing(as: principal.username, at: simpul.now()) { tx in
            try act(tx, id, event, reason: reason, expecting: expected, by: principal, now: tx.now)
        }
        return deliveries
    }

    /// Every free text an event carries, against its limit, before anything is read or written.
    static func checkLengths(_ event: TicketEvent, reason: String?) throws {
        try ServiceError.limit(reason, Text(id: "alasan", en: "the reason"), Limits.shortText)
        switch event {
        case .complete(let evidence, let branch, let note, let assignTo):
            try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.longText)
            try ServiceError.limit(branch, Text(id: "cabang", en: "the branch"), Limits.name)
            try ServiceError.limit(assignTo, Text(id: "pengguna tujuan", en: "the user to assign"), Limits.name)
            for item in evidence {
                try ServiceError.limit(item.value, item.kind.title, item.kind == .note || item.kind == .report ? Limits.longText : Limits.shortText)
            }
        case .reassign(let to):
            try ServiceError.limit(to, Text(id: "pengguna tujuan", en: "the user to assign"), Limits.name)
        case .start, .hold, .resume, .cancel, .reopen: break
        }
    }

    /// The note written when the ticket was opened (the complaint as the reporter gave it).
    static func openingNote(_ reader: Reader, ticketID: Int64) throws -> String? {
        guard let first = try TicketStore.history(reader, ticketID: ticketID).first, first.kind == .opened else { return nil }
        return first.detail["note"]?.nilIfEmpty
    }

    /// `act` inside the caller's transaction, for services whose step completion writes more.
    /// `module`: the module action completing its own step (`hosting.install`), nil for people.
    func act(_ tx: Transaction, _ id: Int64, _ event: TicketEvent, reason: String? = nil, expecting expected: StepRef? = nil,
             module: String? = nil, by principal: Principal, now: Date) throws {
        do {
            let (ticket, agencyID, playbook) = try loadVisible(tx, id: id, by: principal)
            if case .complete = event, let current = ticket.current, let step = playbook.step(current.stepID),
               let owner = step.doneBy, owner != module, ticket.status == .open, expected.map({ $0.stepID == step.id }) ?? true {
                let link = TicketModules.link(owner, ticket: id)
                let place = link.map { Text(id: "halaman \($0.title.id) (\($0.path))", en: "the \($0.title.en) page (\($0.path))") }
                    ?? Text(id: "modulnya", en: "its module")
                throw ServiceError(.invalid, Text(id: "langkah \"\(step.title.id)\" dikerjakan di \(place.id), bersama perubahannya sendiri; tidak dapat diselesaikan dari formulir tiket",
                                                  en: "the step \"\(step.title.en)\" is done on \(place.en), together with its own change; it cannot be completed from the ticket's form"))
            }
            let machine = TicketMachine(playbook: playbook, calendar: try calendar(tx))
            // Escalations that fell due before this event fire first, so the history keeps their order.
            let before = machine.escalate(ticket, at: now)
            var event = event
            switch event {
            case .complete(let evidence, let branch, let note, var assignTo):
                if let current = ticket.current, let step = playbook.step(current.stepID) {
                    let target: StepTarget? = switch step.exit {
                    case .next(let next): next
                    case .branches(let list): list.first { $0.name == branch }?.target
                    }
                    if case .step(let nextID) = target, let next = playbook.step(nextID) {
                        if let named = assignTo?.nilIfEmpty {
                            try checkAssignee(tx, named, for: next, agency: ticket.agencyCode)
                        } else if next.actor != step.actor {
                            // Nobody named: the module may know who (the visit's planned technician), if they still can.
                            for module in TicketModules.owning(playbook: ticket.playbookID) {
                                guard let proposed = try module.proposedAssignee(tx, ticket: id, next: next),
                                      (try? checkAssignee(tx, proposed, for: next, agency: ticket.agencyCode)) != nil else { continue }
                                assignTo = proposed
                                break
                            }
                        }
                    }
                }
                try checkAttachments(tx, ticketID: id, evidence: evidence)
                var evidence = evidence
                // The complaint typed when the ticket was opened is the first step's note, unless one is given.
                if let current = ticket.current, current.stepID == playbook.firstStep.id, ticket.visits.count == 1,
                   playbook.firstStep.evidence.contains(.note), !evidence.contains(where: { $0.kind == .note }),
                   let opening = try Self.openingNote(tx, ticketID: id) {
                    evidence.append(Evidence(kind: .note, value: opening))
                }
                event = .complete(evidence: evidence, branch: branch, note: note, assignTo: assignTo?.nilIfEmpty)
            case .reassign(let to):
                if let to = to?.nilIfEmpty, let current = ticket.current, let step = playbook.step(current.stepID) {
                    try checkAssignee(tx, to, for: step, agency: ticket.agencyCode)
                }
            default: break
            }
            var transition = try refusing { () throws(TicketRefusal) -> TicketTransition in
                try machine.handle(event, on: before.ticket, by: principal, reason: reason, expecting: expected, at: now)
            }
            transition.history = before.history + transition.history
            transition.effects = before.effects + transition.effects
            let deadlines = machine.clocks.deadlines(transition.ticket, playbook: playbook, now: now)
            try TicketStore.update(tx, id: id, transition.ticket, deadlines: .init(dueSoonAt: deadlines.dueSoonAt, dueAt: deadlines.dueAt), now: now)
            try persist(tx, id: id, transition: transition, previous: ticket, agencyID: agencyID, machine: machine, principal: principal,
                        reason: reason, now: now)
        }
    }

    /// Stores a file for a step's evidence; returns the value to record (`attachment:<id> <name>`).
    /// The stored type is decided from the bytes (`MediaType`); `contentType`, the uploader's claim, is ignored.
    public func attach(_ id: Int64, kind: EvidenceKind, fileName: String, contentType: String, data: Data, by principal: Principal) throws -> String {
        try ServiceError.limit(fileName, Text(id: "nama berkas", en: "the file name"), Limits.name)
        guard kind.isFile else {
            throw ServiceError(.invalid, Text(id: "\(kind.title.id) bukan berkas", en: "\(kind.title.en) is not a file"))
        }
        guard !data.isEmpty else {
            throw ServiceError(.invalid, Text(id: "berkas \(fileName) kosong", en: "the file \(fileName) is empty"))
        }
        guard data.count <= Self.maxAttachmentBytes else {
            throw ServiceError(.invalid, Text(id: "berkas \(fileName) lebih dari 10 MB; perkecil atau kompres dulu",
                                              en: "the file \(fileName) is over 10 MB; shrink or compress it first"))
        }
        let contentType = MediaType.of(data)
        if kind == .photo && !MediaType.isImage(contentType) {
            throw ServiceError(.invalid, Text(id: "foto harus berupa gambar JPEG, PNG, GIF atau WebP; berkas \(Excerpt.of(fileName)) bukan gambar",
                                              en: "a photo must be a JPEG, PNG, GIF or WebP image; the file \(Excerpt.of(fileName)) is not one"))
        }
        let name = Self.cleanFileName(fileName)
        let digest = SHA256Hex.of(data)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let (ticket, _, playbook) = try loadVisible(tx, id: id, by: principal)
            guard ticket.status.isActive, principal.role != .viewer else {
                throw ServiceError(.invalid, Text(id: "berkas hanya dapat dilampirkan pada tiket yang berjalan", en: "files can only be attached to a running ticket"))
            }
            // Files are evidence of the current step: only those who may do it attach them.
            guard let step = ticket.current.flatMap({ playbook.step($0.stepID) }),
                  TicketMachine.capacity(principal, for: step.actor, agency: ticket.agencyCode) != nil else {
                throw ServiceError(.forbidden, Text(id: "hanya yang boleh mengerjakan langkah saat ini yang dapat melampirkan berkas",
                                                    en: "only someone who may do the current step can attach files"))
            }
            let attachmentID = try TicketStore.insertAttachment(tx, ticketID: id, kind: kind, fileName: name, contentType: contentType, data: data,
                                                                 sha256: digest, by: principal.username, now: tx.now)
            try tx.audit("attach", "ticket", "#\(id)",
                         after: ["attachment": String(attachmentID), "file": name, "sha256": digest, "size": String(data.count)])
            return Evidence.fileReference(id: attachmentID, name: name)
        }
    }

    public static let maxAttachmentBytes = 10 * 1024 * 1024

    public func attachment(_ attachmentID: Int64, by principal: Principal) throws -> (TicketStore.AttachmentInfo, Data) {
        try simpul.database.read { r in
            guard let found = try TicketStore.attachment(r, id: attachmentID) else { throw Self.noAttachment(attachmentID) }
            _ = try loadVisible(r, id: found.0.ticketID, by: principal)
            return found
        }
    }

    // MARK: Reading

    public func detail(_ id: Int64, by principal: Principal) throws -> Detail {
        let now = simpul.now()
        return try simpul.database.read { r in
            let (ticket, _, playbook) = try loadVisible(r, id: id, by: principal)
            let calendar = try calendar(r)
            let clocks = ClockEvaluator(calendar: calendar).clocks(ticket, playbook: playbook, now: now)
            let agencyName = try ticket.agencyCode.flatMap { try TicketStore.agencyName(r, code: $0) }
            let head = try PlaybookStore.head(r, id: playbook.id)?.playbook.version ?? playbook.version
            let troubled = principal.can(.viewEstate)
                ? try OutboxStore.list(r, OutboxStore.Filter(states: [.failed, .pending], ticketID: id, limit: 20)).rows.filter { $0.state == .failed || $0.lastError != nil }
                : []
            let staff = principal.can(.viewEstate)
            return Detail(id: id, ticket: ticket, playbook: playbook, headVersion: head, agencyName: agencyName, clocks: clocks,
                          history: try TicketStore.history(r, ticketID: id), notifications: try TicketStore.notifications(r, ticketID: id),
                          attachments: try TicketStore.attachments(r, ticketID: id), calendar: calendar, troubled: troubled,
                          deliveries: staff ? try OutboxStore.list(r, OutboxStore.Filter(ticketID: id, limit: 50)).rows : [],
                          attempts: staff ? try OutboxStore.attempts(r, ticketID: id) : [])
        }
    }

    /// A page of the list; agency users see only their agency's tickets.
    public func list(_ filter: TicketStore.Filter, by principal: Principal) throws -> TicketStore.Page {
        let now = simpul.now()
        return try simpul.database.read { try Self.list($0, filter, by: principal, now: now) }
    }

    /// The list as `principal` may see it: an agency user only their own agency's tickets.
    static func list(_ reader: Reader, _ filter: TicketStore.Filter, by principal: Principal, now: Date) throws -> TicketStore.Page {
        var filter = filter
        if principal.role == .agency {
            guard let code = principal.agencyCode else { return TicketStore.Page(rows: [], total: 0, offset: 0, limit: filter.limit) }
            filter.agencyCode = code
        }
        return try TicketStore.list(reader, filter: filter, now: now)
    }

    /// What is waiting for this user: tickets assigned to them, unassigned tickets whose current step
    /// their role does, and recent notifications for their role.
    public struct Work: Sendable {
        public var assigned: [TicketStore.Summary]
        public var forRole: [TicketStore.Summary]
        /// Tickets on a provider's step, for those who chase the provider and record what it did
        /// (technicians and division/section heads): otherwise in nobody's queue.
        public var waitingOnProvider: [TicketStore.Summary]
        /// Notifications not yet marked read, one per ticket, kind and message, newest first.
        public var notifications: [TicketStore.Notification]
        public var unreadNotifications: Int
    }

    /// A work queue's order: urgent before high before normal; within a priority, what can still be
    /// done in time first (soonest deadline first), then what is already late, most recently late
    /// first — so a fault reported now is not buried under a month of stale late tickets.
    static func queueOrder(_ rows: [TicketStore.Summary], now: Date) -> [TicketStore.Summary] {
        let nowText = Timestamp.string(now)
        return rows.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            let aLate = a.dueAt.map { $0 < nowText } ?? false, bLate = b.dueAt.map { $0 < nowText } ?? false
            if aLate != bLate { return !aLate }
            if aLate { return (a.dueAt ?? "", a.id) > (b.dueAt ?? "", b.id) }
            return (a.dueAt ?? "~", a.id) < (b.dueAt ?? "~", b.id)
        }
    }

    /// Marks every notification for the user (and their role) read up to now.
    public func markNotificationsRead(by principal: Principal) throws {
        guard let userID = principal.userID else { return }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try TicketStore.markNotificationsRead(tx, userID: userID, targets: ["role:\(principal.role.rawValue)", "user:\(principal.username)"])
        }
    }

    public func work(by principal: Principal, limit: Int = 100) throws -> Work {
        let now = simpul.now()
        return try simpul.database.read { r in
            var assignedFilter = TicketStore.Filter()
            assignedFilter.assignee = principal.username
            assignedFilter.limit = limit
            let assigned = principal.role == .agency ? [] : try TicketStore.list(r, filter: assignedFilter, now: now).rows
            // Steps this role does itself (not those it may do for others).
            var pairs: [(String, String)] = []
            let versions = try PlaybookStore.all(r)
            for loaded in versions {
                for step in loaded.playbook.steps where TicketMachine.capacity(principal, for: step.actor, agency: principal.agencyCode) == .actor {
                    pairs.append((loaded.playbook.id, step.id))
                }
            }
            let agencyID = try principal.role == .agency ? InventoryStore.agencyID(r, code: principal.agencyCode ?? "") ?? -1 : nil
            // One index walk per (playbook, step), merged.
            func onSteps(_ pairs: [(String, String)], unassignedOnly: Bool) throws -> [TicketStore.Summary] {
                var seen: Set<String> = []
                var found: [TicketStore.Summary] = []
                for (playbookID, stepID) in pairs where seen.insert("\(playbookID)|\(stepID)").inserted {
                    found += try TicketStore.onStep(r, playbookID: playbookID, stepID: stepID, unassignedOnly: unassignedOnly,
                                                    agencyID: agencyID, limit: limit)
                }
                return Array(Self.queueOrder(found, now: now).prefix(limit))
            }
            let forRole = try onSteps(pairs, unassignedOnly: true)
            var providerPairs: [(String, String)] = []
            if [.technician, .supervisor].contains(principal.role) {
                for loaded in versions {
                    for step in loaded.playbook.steps where step.actor == .provider { providerPairs.append((loaded.playbook.id, step.id)) }
                }
            }
            let waitingOnProvider = try onSteps(providerPairs, unassignedOnly: false)
            // Notifications for the user and their role not yet marked read, each once.
            var notifications: [TicketStore.Notification] = []
            var unread = 0
            if principal.role != .agency {
                let readTo = try principal.userID.map { try TicketStore.notificationsReadTo(r, userID: $0) } ?? 0
                let all = try TicketStore.notifications(r, targets: ["role:\(principal.role.rawValue)", "user:\(principal.username)"], after: readTo, limit: 500)
                var seen: Set<String> = []
                let distinct = all.filter { seen.insert("\($0.ticketID ?? 0)|\($0.kind)|\($0.payload)").inserted }
                unread = distinct.count
                notifications = Array(distinct.prefix(20))
            }
            return Work(assigned: Self.queueOrder(assigned, now: now), forRole: forRole, waitingOnProvider: waitingOnProvider,
                        notifications: notifications, unreadNotifications: unread)
        }
    }

    /// Titles of every loaded playbook version, for lists.
    public func playbooks() throws -> [String: Playbook] {
        try simpul.database.read { r in
            Self.byVersion(try PlaybookStore.all(r))
        }
    }

    /// Loaded versions by `Playbook.versionKey`.
    static func byVersion(_ loaded: [PlaybookStore.Loaded]) -> [String: Playbook] {
        Dictionary(loaded.map { ($0.playbook.versionKey, $0.playbook) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: The clock sweep

    public struct SweepReport: Sendable, Codable {
        public var open: Int
        public var held: Int
        public var onTime: Int
        public var dueSoon: Int
        public var late: Int
        public var untimed: Int
        /// Escalation rules due (fired unless a dry run), and on how many tickets.
        public var escalations: Int
        public var ticketsEscalated: Int
        /// What the modules did that fell due (a provider's next escalation level sent).
        public var moduleActions = 0
        /// Reading every open ticket's current step from the database, and computing the clocks.
        public var readMilliseconds: Double
        public var evaluateMilliseconds: Double
        public var dryRun: Bool
    }

    /// Re-evaluates every open ticket's clock from its recorded times and fires the escalation rules
    /// that are due, each once per step visit. The systemd timer runs this every minute.
    public func sweep(dryRun: Bool = false) throws -> SweepReport {
        let now = simpul.now()
        let started = DispatchTime.now().uptimeNanoseconds
        let (open, playbooks, workCalendar): ([TicketStore.OpenClock], [PlaybookStore.Loaded], WorkCalendar) = try simpul.database.read { r in
            (try TicketStore.openClocks(r), try PlaybookStore.all(r), try self.calendar(r))
        }
        let read = DispatchTime.now().uptimeNanoseconds
        let evaluator = ClockEvaluator(calendar: workCalendar)
        // Each loaded version's steps by id, and its elapsed-time rules by step.
        struct Version { var playbook: Playbook; var steps: [String: Step]; var rules: [String: [(index: Int, percent: Int)]] }
        var versions: [String: [Int: Version]] = [:]
        for loaded in playbooks {
            let playbook = loaded.playbook
            let rules = ClockEvaluator.elapsedRules(playbook)
            versions[playbook.id, default: [:]][playbook.version] = Version(
                playbook: playbook, steps: Dictionary(playbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), rules: rules)
        }
        var report = SweepReport(open: 0, held: 0, onTime: 0, dueSoon: 0, late: 0, untimed: 0, escalations: 0, ticketsEscalated: 0,
                                 readMilliseconds: Double(read - started) / 1_000_000, evaluateMilliseconds: 0, dryRun: dryRun)
        var due: [Int64] = []
        for item in open {
            guard let version = versions[item.playbookID]?[item.playbookVersion], let step = version.steps[item.stepID] else { continue }
            if item.status == .held { report.held += 1 } else { report.open += 1 }
            var visit = StepVisit(stepID: item.stepID, enteredAt: item.enteredAt)
            visit.holds = item.holds
            let clock = evaluator.clock(visit: item.visit, visit, step: step, playbook: version.playbook, until: now, now: now)
            switch clock.state {
            case .onTime: report.onTime += 1
            case .dueSoon: report.dueSoon += 1
            case .late: report.late += 1
            case .untimed: report.untimed += 1
            }
            guard item.status == .open, let rules = version.rules[step.id] else { continue }
            let count = ClockEvaluator.due(rules, fraction: clock.fraction) { item.fired.contains($0) }.count
            if count > 0 {
                report.escalations += count
                due.append(item.id)
            }
        }
        report.ticketsEscalated = due.count
        report.evaluateMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - read) / 1_000_000
        guard !dryRun else { return report }
        // The modules' own work that falls due with time (a provider's next escalation level).
        report.moduleActions = try simpul.database.write(as: Transaction.system, at: now) { tx in
            try TicketModules.all.reduce(0) { $0 + (try $1.sweep(tx, tickets: self)) }
        }
        guard !due.isEmpty else { return report }
        // Fire in batches, one transaction each, so the web is never locked out for long.
        for batch in stride(from: 0, to: due.count, by: 500).map({ Array(due[$0..<min($0 + 500, due.count)]) }) {
            try simpul.database.write(as: Transaction.system, at: now) { tx in
                let calendar = try calendar(tx)
                for id in batch {
                    guard let (ticket, agencyID) = try TicketStore.load(tx, id: id),
                          let playbook = versions[ticket.playbookID]?[ticket.playbookVersion]?.playbook else { continue }
                    let machine = TicketMachine(playbook: playbook, calendar: calendar)
                    let transition = machine.escalate(ticket, at: now)
                    guard !transition.history.isEmpty else { continue }
                    let deadlines = machine.clocks.deadlines(transition.ticket, playbook: playbook, now: now)
                    try TicketStore.update(tx, id: id, transition.ticket, deadlines: .init(dueSoonAt: deadlines.dueSoonAt, dueAt: deadlines.dueAt), now: now)
                    try persist(tx, id: id, transition: transition, previous: ticket, agencyID: agencyID, machine: machine,
                                principal: Principal(userID: nil, username: Transaction.system, role: .admin), reason: nil, now: now)
                }
            }
        }
        return report
    }

    // MARK: Helpers

    /// Writes a transition: its visits, history, audit rows (by `tx.actor`), what the modules owning
    /// the ticket's subject give back or take up again, and its notifications.
    func persist(_ tx: Transaction, id: Int64, transition: TicketTransition, previous: Ticket?, agencyID: Int64?, machine: TicketMachine,
                 principal: Principal, reason: String?, now: Date) throws {
        let playbook = machine.playbook
        let clocks = machine.clocks.clocks(transition.ticket, playbook: playbook, now: now)
        try TicketStore.saveVisits(tx, ticketID: id, transition.ticket, clocks: clocks, agencyID: agencyID, playbook: playbook)
        try TicketStore.appendHistory(tx, ticketID: id, transition.history)
        for entry in transition.history {
            var after: [String: String] = ["kind": entry.kind.rawValue, "status": transition.ticket.status.rawValue]
            if let step = entry.stepID { after["step"] = step }
            if let branch = entry.branch { after["branch"] = branch }
            if let text = entry.text { after["text"] = text }
            for item in entry.evidence { after["evidence.\(item.kind.rawValue)"] = item.value }
            for (key, value) in entry.detail { after[key] = value }
            try tx.audit("ticket.\(entry.kind.rawValue)", "ticket", "#\(id)", after: after,
                         reason: entry.kind == .completed ? entry.detail["correction"].flatMap { _ in reason } : (entry.kind == .escalated ? nil : reason))
        }
        // The modules that own this playbook's subjects give back, or take up again, what it holds,
        // and hear of every other move (a step done, an escalation fired).
        for module in TicketModules.owning(playbook: playbook.id) {
            if transition.ticket.status == .cancelled, previous?.status != .cancelled {
                _ = try module.cancelled(tx, ticket: id, timeZone: simpul.officeTime().timeZone)
            } else if previous?.status == .cancelled, transition.ticket.status != .cancelled {
                try module.reopened(tx, ticket: id, by: principal)
            }
            try module.moved(tx, ticket: id, from: previous, to: transition, tickets: self)
        }
        for effect in transition.effects {
            let (kind, actor, rule, text): (String, StepActor, Int, Text) = switch effect {
            case .notify(let actor, let rule, let reason): ("notify", actor, rule, reason)
            case .escalate(let actor, let rule, let reason): ("escalate", actor, rule, reason)
            }
            let target = try notificationTarget(tx, actor: actor, ticket: transition.ticket, id: id, agencyID: agencyID)
            let payload = try StoredJSON.encode([
                "ticket": String(id), "playbook": playbook.id, "subject": transition.ticket.subject, "rule": String(rule),
                "reason_id": text.id, "reason_en": text.en, "priority": transition.ticket.priority.rawValue,
            ])
            try TicketStore.notify(tx, kind: kind, ticketID: id, target: target, payload: payload, now: now)
        }
    }

    /// Where an effect goes: a role's people, the agency, or the provider of the agency's link.
    func notificationTarget(_ reader: Reader, actor: StepActor, ticket: Ticket, id: Int64, agencyID: Int64?) throws -> String {
        switch actor {
        case .provider:
            // The module that owns the ticket knows its provider (a fault's own circuit's); otherwise
            // the provider of the agency's first link.
            for module in TicketModules.owning(playbook: ticket.playbookID) {
                if let code = try module.providerCode(reader, ticket: id) { return "provider:\(code)" }
            }
            if let agencyID, let code = try TicketStore.providerCode(reader, agencyID: agencyID) {
                return "provider:\(code)"
            }
            return "provider:-"
        case .agency: return "agency:\(ticket.agencyCode ?? "-")"
        case .procurement: return "procurement"
        case .head, .supervisor, .technician, .admin, .clerk: return "role:\(actor.rawValue)"
        }
    }

    func loadVisible(_ reader: Reader, id: Int64, by principal: Principal) throws -> (Ticket, Int64?, Playbook) {
        guard let (ticket, agencyID) = try TicketStore.load(reader, id: id) else { throw Self.noTicket(id) }
        if principal.role == .agency && (principal.agencyCode == nil || ticket.agencyCode != principal.agencyCode) {
            throw Self.noTicket(id)
        }
        guard let loaded = try PlaybookStore.load(reader, id: ticket.playbookID, version: ticket.playbookVersion) else {
            throw PlaybookService.notLoaded(ticket.playbookID, version: ticket.playbookVersion)
        }
        return (ticket, agencyID, loaded.playbook)
    }

    func calendar(_ reader: Reader) throws -> WorkCalendar {
        try PlaybookStore.calendar(reader).calendar
    }

    func agencyID(_ reader: Reader, code: String) throws -> Int64 {
        guard let id = try InventoryStore.agencyID(reader, code: code.uppercased()) else {
            throw ServiceError(.notFound, Text(id: "perangkat daerah \"\(code)\" tidak ada; lihat simpul agency list", en: "agency \"\(code)\" does not exist; see simpul agency list"))
        }
        return id
    }

    /// The assignee exists, is active, and may do the step.
    func checkAssignee(_ reader: Reader, _ username: String, for step: Step, agency: String?) throws {
        guard let person = try TicketStore.person(reader, username: username) else {
            throw ServiceError(.notFound, Text(id: "pengguna \"\(username)\" tidak ada", en: "user \"\(username)\" does not exist"))
        }
        if person.disabled {
            throw ServiceError(.invalid, Text(id: "pengguna \"\(username)\" dinonaktifkan", en: "user \"\(username)\" is disabled"))
        }
        let principal = Principal(userID: nil, username: username, role: person.role ?? .viewer, agencyCode: person.agencyCode)
        guard let capacity = TicketMachine.capacity(principal, for: step.actor, agency: agency), capacity != .correction else {
            throw ServiceError(.invalid, Text(id: "\(username) (\(principal.role.title.id)) tidak dapat mengerjakan langkah \"\(step.title.id)\" (\(step.actor.title.id))",
                                              en: "\(username) (\(principal.role.title.en)) cannot do step \"\(step.title.en)\" (\(step.actor.title.en))"))
        }
    }

    /// Attachment evidence must name files attached to this ticket.
    func checkAttachments(_ reader: Reader, ticketID: Int64, evidence: [Evidence]) throws {
        for item in evidence where item.kind.isFile {
            for line in item.value.split(separator: "\n") {
                guard let file = Evidence.file(line), try TicketStore.attachmentTicket(reader, id: file.id) == ticketID else {
                    throw ServiceError(.invalid, Text(id: "\(item.kind.title.id): unggah berkasnya pada tiket ini", en: "\(item.kind.title.en): upload the file to this ticket"))
                }
            }
        }
    }

    func refusing<T>(_ body: () throws(TicketRefusal) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ServiceError(.invalid, error.text)
        }
    }

    static func noTicket(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "tiket #\(id) tidak ada", en: "ticket #\(id) does not exist"))
    }

    static func noAttachment(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "lampiran \(id) tidak ada", en: "attachment \(id) does not exist"))
    }

    static func cleanFileName(_ name: String) -> String {
        let base = (name as NSString).lastPathComponent
        let cleaned = String(base.map { $0.isLetter || $0.isNumber || ".-_ ".contains($0) ? $0 : "_" }.prefix(120))
        return cleaned.isEmpty ? "berkas" : cleaned
    }
}

