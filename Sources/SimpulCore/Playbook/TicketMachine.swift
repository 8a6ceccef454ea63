import Foundation

/// Something a user does to a ticket.
public enum TicketEvent: Sendable, Hashable {
    /// Take up the current step (it is assigned to whoever takes it, if no one has it).
    case start
    /// Finish the current step with its evidence; `branch` when the step has outcomes;
    /// `assignTo` names who takes the next step.
    case complete(evidence: [Evidence], branch: String?, note: String?, assignTo: String?)
    case reassign(to: String?)
    case hold
    case resume
    case cancel
    case reopen

    /// An event's name as forms, the API, the CLI and the pages' notices spell it: parsed here only.
    public enum Name: String, Sendable, CaseIterable {
        case start, complete, reassign, hold, resume, cancel, reopen
    }

    public var kind: Name {
        switch self {
        case .start: .start
        case .complete: .complete
        case .reassign: .reassign
        case .hold: .hold
        case .resume: .resume
        case .cancel: .cancel
        case .reopen: .reopen
        }
    }

    public var name: String { kind.rawValue }

    /// The event named `name` whose only content is its name (all but `complete` and `reassign`,
    /// which carry evidence or a person); nil otherwise.
    public init?(simple name: Name) {
        switch name {
        case .start: self = .start
        case .hold: self = .hold
        case .resume: self = .resume
        case .cancel: self = .cancel
        case .reopen: self = .reopen
        case .complete, .reassign: return nil
        }
    }
}

/// The step visit a person or a module acted on: the step's id and its place among the ticket's
/// visits (0 for the first). A form carries it, so that what was seen is what is changed.
public struct StepRef: Sendable, Hashable, Codable {
    public var stepID: String
    /// Nil when only the step is known (a person typing `--step` on the command line): its latest visit.
    public var visit: Int?

    public init(stepID: String, visit: Int?) {
        self.stepID = stepID
        self.visit = visit
    }
}

/// One line of a ticket's history: who did what, when, on which step, with what evidence.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case opened, started, completed, reassigned, held, resumed, cancelled, reopened, escalated, closed
    }

    public var at: Date
    /// Username, or `simpul` for what the engine did by itself (escalations).
    public var by: String
    public var role: Role?
    public var kind: Kind
    public var stepID: String?
    public var visit: Int?
    public var branch: String?
    public var evidence: [Evidence]
    /// The reason given (hold, cancel, reopen, correction) or the note written.
    public var text: String?
    /// Extra facts: the assignee, the escalation's actions, `on behalf of agency`, `correction`.
    public var detail: [String: String]

    public init(at: Date, by: String, role: Role?, kind: Kind, stepID: String? = nil, visit: Int? = nil, branch: String? = nil,
                evidence: [Evidence] = [], text: String? = nil, detail: [String: String] = [:]) {
        self.at = at
        self.by = by
        self.role = role
        self.kind = kind
        self.stepID = stepID
        self.visit = visit
        self.branch = branch
        self.evidence = evidence
        self.text = text
        self.detail = detail
    }
}

/// What the caller must do after a transition, besides storing the ticket and its history.
public enum TicketEffect: Sendable, Hashable {
    /// Tell everyone in this role (or the provider's escalation contacts) about the ticket.
    case notify(StepActor, rule: Int, reason: Text)
    /// Hand the ticket to this actor's escalation path (for `provider`: the inventory's contacts).
    case escalate(StepActor, rule: Int, reason: Text)
}

/// The result of an event: the new ticket, the history to append, the effects to perform.
public struct TicketTransition: Sendable {
    public var ticket: Ticket
    public var history: [HistoryEntry]
    public var effects: [TicketEffect]
}

/// Why an event was refused, in both languages.
public struct TicketRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public var text: Text
    public init(_ text: Text) { self.text = text }
    public var description: String { text.en }
}

/// How a principal may act on a step.
public enum ActingCapacity: Sendable, Hashable {
    /// The principal's role is the step's actor.
    case actor
    /// A head acting for someone below.
    case superior
    /// Office staff recording what an outside actor (agency, provider, procurement) did.
    case onBehalf
    /// An administrator correcting a step that is not theirs; needs a reason.
    case correction
    /// Simpul itself, on what software learned (`Principal.system`): a module's step whose outcome
    /// arrived later (the DNS server confirmed the records).
    case system
}

/// The ticket state machine: (playbook, ticket, event, principal, now) → new ticket, history, effects.
/// Pure: it neither reads the clock nor stores anything; the caller does.
public struct TicketMachine: Sendable {
    public let playbook: Playbook
    public let clocks: ClockEvaluator

    public init(playbook: Playbook, calendar: WorkCalendar) {
        self.playbook = playbook
        self.clocks = ClockEvaluator(calendar: calendar)
    }

    // MARK: Who may do what

    /// How `principal` may act on a step of `actor` on a ticket for `agency`; nil when not at all.
    public static func capacity(_ principal: Principal, for actor: StepActor, agency: String?) -> ActingCapacity? {
        if principal.isSystem { return .system }
        let role = principal.role
        switch actor {
        case .agency:
            if role == .agency { return agency != nil && principal.agencyCode == agency ? .actor : nil }
            return [.clerk, .technician, .supervisor, .head, .admin].contains(role) ? .onBehalf : nil
        case .provider:
            return [.technician, .supervisor, .head, .admin].contains(role) ? .onBehalf : nil
        case .procurement:
            return [.clerk, .supervisor, .head].contains(role) ? .onBehalf : role == .admin ? .correction : nil
        case .head:
            return role == .head ? .actor : role == .admin ? .correction : nil
        case .supervisor:
            return role == .supervisor ? .actor : role == .head ? .superior : role == .admin ? .correction : nil
        case .technician, .clerk:
            if role.rawValue == actor.rawValue { return .actor }
            return role == .head || role == .supervisor ? .superior : role == .admin ? .correction : nil
        case .admin:
            return role == .admin ? .actor : role == .head || role == .supervisor ? .superior : nil
        }
    }

    /// Office roles that run tickets (hold, resume, reassign, cancel).
    static func manages(_ role: Role) -> Bool { role == .head || role == .supervisor || role == .admin }

    /// Whoever holds the current step (office staff only) may hold and resume it.
    static func holds(_ principal: Principal, _ visit: StepVisit) -> Bool {
        visit.assignee == principal.username && principal.role != .agency && principal.role != .viewer
    }

    static func mayRun(_ principal: Principal, _ visit: StepVisit) -> Bool { manages(principal.role) || holds(principal, visit) }

    static func mayReassign(_ principal: Principal, _ visit: StepVisit) -> Bool {
        manages(principal.role) || (principal.role == .technician && visit.assignee == principal.username)
    }

    /// Those who run tickets, or the agency user who opened it.
    static func mayCancel(_ principal: Principal, _ ticket: Ticket) -> Bool {
        manages(principal.role) ||
            (principal.role == .agency && principal.agencyCode == ticket.agencyCode && ticket.openedBy == principal.username)
    }

    /// The events a principal may send now (evidence and reasons aside): what a screen offers.
    public struct Allowed: Sendable, Hashable {
        /// How the principal may act on the current step, if at all.
        public var capacity: ActingCapacity?
        public var start = false
        public var complete = false
        public var hold = false
        public var resume = false
        public var reassign = false
        public var cancel = false
        public var reopen = false
        /// The module action that does the current step (`hosting.allocate`), when a module owns it:
        /// then `complete` is false on the ticket's own forms, and `capacity` says whether this
        /// principal may do it on the module's page.
        public var doneBy: String?

        public var any: Bool { start || complete || hold || resume || reassign || cancel || reopen }

        /// Whether the principal may do the current step through `action` (a module's page).
        public func mayDo(_ action: String) -> Bool { doneBy == action && capacity != nil && moduleStepOpen && moduleAllows }
        var moduleStepOpen = false
        /// What the module itself asks of the principal (filled by the service that knows the
        /// modules; the machine knows only the step's actor rule).
        public var moduleAllows = true
    }

    /// The same rules as `handle`, asked without an event.
    public func allowed(on ticket: Ticket, by principal: Principal) -> Allowed {
        var allowed = Allowed()
        guard principal.role != .viewer else { return allowed }
        if ticket.status.isActive, let visit = ticket.visits.last, visit.isOpen, let step = playbook.step(visit.stepID) {
            let capacity = Self.capacity(principal, for: step.actor, agency: ticket.agencyCode)
            let open = ticket.status == .open
            allowed.capacity = capacity
            allowed.start = open && capacity != nil && visit.startedAt == nil
            allowed.complete = open && capacity != nil && step.doneBy == nil
            allowed.doneBy = step.doneBy
            allowed.moduleStepOpen = open
            allowed.hold = open && Self.mayRun(principal, visit)
            allowed.resume = ticket.status == .held && Self.mayRun(principal, visit)
            allowed.reassign = Self.mayReassign(principal, visit)
            allowed.cancel = Self.mayCancel(principal, ticket)
        } else if !ticket.status.isActive {
            allowed.reopen = Self.manages(principal.role)
        }
        return allowed
    }

    static func wrongRole(_ principal: Principal, _ step: Step) -> TicketRefusal {
        TicketRefusal(Text(id: "langkah \"\(step.title.id)\" dikerjakan oleh \(step.actor.title.id); peran Anda (\(principal.role.title.id)) tidak boleh mengerjakannya. Minta \(step.actor.title.id) atau atasannya.",
                           en: "step \"\(step.title.en)\" is done by the \(step.actor.title.en); your role (\(principal.role.title.en)) may not do it. Ask the \(step.actor.title.en) or a superior."))
    }

    // MARK: Opening

    /// Opens a ticket at the playbook's first step.
    /// `filedByAgency`: the request arrives through an agency's own form (a hosting request is its
    /// letter), so an agency user may open it for its own agency and the office receives it on the
    /// first step.
    public func open(subject: String, agency: String?, priority: Priority = .normal, assignee: String? = nil,
                     filedByAgency: Bool = false, by principal: Principal, at now: Date) throws(TicketRefusal) -> TicketTransition {
        let subject = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else {
            throw TicketRefusal(Text(id: "tulis perihal tiket (mis. \"Internet Dinkes putus\")", en: "write the ticket's subject (e.g. \"Dinkes internet down\")"))
        }
        guard subject.count <= 200 else {
            throw TicketRefusal(Text(id: "perihal paling panjang 200 karakter; tulis rinciannya di catatan", en: "the subject is at most 200 characters; put details in a note"))
        }
        if principal.role == .viewer {
            throw TicketRefusal(Text(id: "peran Pemantau tidak dapat membuka tiket", en: "the viewer role cannot open tickets"))
        }
        if principal.role == .agency {
            guard playbook.firstStep.actor == .agency || filedByAgency else {
                throw TicketRefusal(Text(id: "Perangkat Daerah tidak dapat membuka tiket \(playbook.title.id); hubungi Diskominfo",
                                         en: "agencies cannot open \(playbook.title.en) tickets; contact the office"))
            }
            guard let own = principal.agencyCode, agency == nil || agency == own else {
                throw TicketRefusal(Text(id: "Anda hanya dapat membuka tiket untuk perangkat daerah Anda sendiri", en: "you can only open tickets for your own agency"))
            }
        }
        let agency = principal.role == .agency ? principal.agencyCode : agency
        if playbook.recurrence?.per == "agency" || playbook.firstStep.actor == .agency, agency == nil {
            throw TicketRefusal(Text(id: "playbook \(playbook.id) perlu perangkat daerah; pilih perangkat daerahnya", en: "playbook \(playbook.id) needs an agency; choose the agency"))
        }
        let first = StepVisit(stepID: playbook.firstStep.id, enteredAt: now, assignee: assignee)
        let ticket = Ticket(playbookID: playbook.id, playbookVersion: playbook.version, subject: subject, agencyCode: agency,
                            priority: priority, status: .open, openedAt: now, openedBy: principal.username, visits: [first])
        var detail = ["priority": priority.rawValue]
        if let assignee { detail["assignee"] = assignee }
        let entry = HistoryEntry(at: now, by: principal.username, role: principal.role, kind: .opened, stepID: first.stepID,
                                 visit: 0, text: subject, detail: detail)
        return TicketTransition(ticket: ticket, history: [entry], effects: [])
    }

    // MARK: Events

    /// Applies one event. `reason` is required to hold, cancel, reopen and for an administrator's correction.
    /// `expected` is the step (and visit) the sender saw: a start or completion sent for a step that
    /// is no longer current — a double click, a re-sent page, a module's stale view — is refused
    /// with who did that step and when, and changes nothing; it never acts on the next step.
    public func handle(_ event: TicketEvent, on ticket: Ticket, by principal: Principal, reason: String?,
                       expecting expected: StepRef? = nil, at now: Date) throws(TicketRefusal) -> TicketTransition {
        guard ticket.playbookID == playbook.id, ticket.playbookVersion == playbook.version else {
            throw TicketRefusal(Text(id: "tiket berjalan pada \(ticket.playbookID) versi \(ticket.playbookVersion), bukan \(playbook.id) versi \(playbook.version)",
                                     en: "the ticket runs on \(ticket.playbookID) version \(ticket.playbookVersion), not \(playbook.id) version \(playbook.version)"))
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        switch event {
        case .start, .complete: try checkExpected(expected, ticket)
        case .reassign, .hold, .resume, .cancel, .reopen: break
        }
        var ticket = ticket
        var history: [HistoryEntry] = []
        var effects: [TicketEffect] = []
        switch event {
        case .start:
            let (step, index) = try currentStep(ticket, mustBeOpen: true)
            let capacity = try capacityOrRefuse(principal, step, ticket, reason: reason)
            guard ticket.visits[index].startedAt == nil else {
                throw TicketRefusal(Text(id: "langkah ini sudah dikerjakan oleh \(ticket.visits[index].startedBy ?? "?")", en: "this step was already taken up by \(ticket.visits[index].startedBy ?? "?")"))
            }
            ticket.visits[index].startedAt = now
            ticket.visits[index].startedBy = principal.username
            if ticket.visits[index].assignee == nil { ticket.visits[index].assignee = principal.username }
            history.append(entry(now, principal, .started, step: step, visit: index, text: reason, capacity: capacity))

        case .complete(let evidence, let branch, let note, let assignTo):
            let (step, index) = try currentStep(ticket, mustBeOpen: true)
            let capacity = try capacityOrRefuse(principal, step, ticket, reason: reason)
            let recorded = try checkEvidence(evidence, for: step, by: principal, at: now)
            let target: StepTarget
            var chosen: String?
            switch step.exit {
            case .next(let next):
                if let branch, !branch.isEmpty {
                    throw TicketRefusal(Text(id: "langkah \"\(step.title.id)\" tidak bercabang; jangan pilih hasil \"\(branch)\"",
                                             en: "the step \"\(step.title.en)\" has no outcomes; do not choose \"\(branch)\""))
                }
                target = next
            case .branches(let list):
                // The outcomes by their titles; a name that is none of them (only the CLI and the API
                // can send one) is answered with each name and its title.
                let titles = { (l: Language) in list.map { "\"\($0.shownTitle(l))\"" }.joined(separator: l == .id ? " atau " : " or ") }
                guard let branch, !branch.isEmpty else {
                    throw TicketRefusal(Text(id: "pilih hasil langkah ini: \(titles(.id))", en: "choose this step's outcome: \(titles(.en))"))
                }
                guard let found = list.first(where: { $0.name == branch }) else {
                    let named = { (l: Language) in list.map { "\($0.name) (\($0.shownTitle(l)))" }.joined(separator: ", ") }
                    throw TicketRefusal(Text(id: "\"\(branch)\" bukan hasil langkah ini; pilih: \(named(.id))",
                                             en: "\"\(branch)\" is not an outcome of this step; choose: \(named(.en))"))
                }
                target = found.target
                chosen = branch
            }
            ticket.visits[index].endedAt = now
            ticket.visits[index].outcome = .completed
            ticket.visits[index].completedBy = principal.username
            ticket.visits[index].completedRole = principal.role
            ticket.visits[index].onBehalf = capacity == .onBehalf
            ticket.visits[index].correction = capacity == .correction ? reason : nil
            ticket.visits[index].branch = chosen
            ticket.visits[index].evidence = recorded
            if ticket.visits[index].startedAt == nil {
                ticket.visits[index].startedAt = now
                ticket.visits[index].startedBy = principal.username
            }
            var completed = entry(now, principal, .completed, step: step, visit: index, text: note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? reason,
                                  capacity: capacity)
            completed.branch = chosen
            completed.evidence = recorded
            history.append(completed)
            if let chosen {
                for (ruleIndex, rule) in playbook.escalations.enumerated() {
                    guard case .branch(let name) = rule.trigger, name == chosen else { continue }
                    fire(ruleIndex, rule, visit: index, reason: TicketWording.reason(rule, in: playbook), on: &ticket, history: &history, effects: &effects, at: now)
                }
            }
            switch target {
            case .done:
                ticket.status = .done
                ticket.closedAt = now
                history.append(HistoryEntry(at: now, by: principal.username, role: principal.role, kind: .closed, stepID: step.id, visit: index))
            case .step(let nextID):
                guard let next = playbook.step(nextID) else {
                    throw TicketRefusal(Text(id: "langkah \"\(nextID)\" tidak ada di playbook", en: "step \"\(nextID)\" is not in the playbook"))
                }
                // The next step's assignee: the one named, or the same person when the actor is the same.
                let keep = next.actor == step.actor ? ticket.visits[index].assignee : nil
                ticket.visits.append(StepVisit(stepID: next.id, enteredAt: now, assignee: assignTo?.nilIfEmpty ?? keep))
            }

        case .reassign(let to):
            let (step, index) = try currentStep(ticket, mustBeOpen: false)
            guard Self.mayReassign(principal, ticket.visits[index]) else {
                throw TicketRefusal(Text(id: "hanya kepala, kabid/kasi, admin, atau teknisi yang memegang langkah ini yang dapat mengalihkannya",
                                         en: "only a head, supervisor, administrator, or the technician holding this step can reassign it"))
            }
            let from = ticket.visits[index].assignee
            ticket.visits[index].assignee = to?.nilIfEmpty
            var detail: [String: String] = ["to": to?.nilIfEmpty ?? "-"]
            if let from { detail["from"] = from }
            var e = entry(now, principal, .reassigned, step: step, visit: index, text: reason, capacity: nil)
            e.detail.merge(detail) { $1 }
            history.append(e)

        case .hold:
            let (step, index) = try currentStep(ticket, mustBeOpen: true)
            try requireRunner(principal, ticket, index, verb: Text(id: "menahan", en: "hold"))
            guard let reason else {
                throw TicketRefusal(Text(id: "tulis alasan menahan tiket (mis. menunggu suku cadang)", en: "give a reason to hold the ticket (e.g. waiting for spare parts)"))
            }
            ticket.visits[index].holds.append(Hold(start: now, reason: reason, by: principal.username))
            ticket.status = .held
            history.append(entry(now, principal, .held, step: step, visit: index, text: reason, capacity: nil))

        case .resume:
            guard ticket.status == .held, let index = ticket.visits.indices.last,
                  let holdIndex = ticket.visits[index].holds.indices.last, ticket.visits[index].holds[holdIndex].end == nil,
                  let step = playbook.step(ticket.visits[index].stepID) else {
                throw TicketRefusal(Text(id: "tiket tidak sedang ditahan", en: "the ticket is not on hold"))
            }
            try requireRunner(principal, ticket, index, verb: Text(id: "melanjutkan", en: "resume"))
            ticket.visits[index].holds[holdIndex].end = now
            ticket.status = .open
            history.append(entry(now, principal, .resumed, step: step, visit: index, text: reason, capacity: nil))

        case .cancel:
            let (step, index) = try currentStep(ticket, mustBeOpen: false)
            guard Self.mayCancel(principal, ticket) else {
                throw TicketRefusal(Text(id: "hanya kepala, kabid/kasi atau admin yang dapat membatalkan tiket (atau perangkat daerah yang membuatnya)",
                                         en: "only a head, supervisor or administrator can cancel a ticket (or the agency user who opened it)"))
            }
            guard let reason else {
                throw TicketRefusal(Text(id: "tulis alasan pembatalan", en: "give a reason for cancelling"))
            }
            closeHold(&ticket.visits[index], at: now)
            ticket.visits[index].endedAt = now
            ticket.visits[index].outcome = .cancelled
            ticket.status = .cancelled
            ticket.closedAt = now
            history.append(entry(now, principal, .cancelled, step: step, visit: index, text: reason, capacity: nil))

        case .reopen:
            guard !ticket.status.isActive, let last = ticket.visits.last, let step = playbook.step(last.stepID) else {
                throw TicketRefusal(Text(id: "tiket masih berjalan; hanya tiket selesai atau dibatalkan yang dapat dibuka kembali", en: "the ticket is still running; only a done or cancelled ticket can be reopened"))
            }
            guard Self.manages(principal.role) else {
                throw TicketRefusal(Text(id: "hanya kepala, kabid/kasi atau admin yang dapat membuka kembali tiket", en: "only a head, supervisor or administrator can reopen a ticket"))
            }
            guard let reason else {
                throw TicketRefusal(Text(id: "tulis alasan membuka kembali", en: "give a reason for reopening"))
            }
            ticket.status = .open
            ticket.closedAt = nil
            ticket.visits.append(StepVisit(stepID: step.id, enteredAt: now, assignee: last.assignee))
            history.append(entry(now, principal, .reopened, step: step, visit: ticket.visits.count - 1, text: reason, capacity: nil))
        }
        return TicketTransition(ticket: ticket, history: history, effects: effects)
    }

    /// Fires the elapsed-time escalation rules that are due. Run by the timer; also after each event.
    public func escalate(_ ticket: Ticket, at now: Date) -> TicketTransition {
        var ticket = ticket
        var history: [HistoryEntry] = []
        var effects: [TicketEffect] = []
        let due = clocks.dueEscalations(ticket, playbook: playbook, now: now)
        if let index = ticket.visits.indices.last, playbook.step(ticket.visits[index].stepID) != nil {
            for ruleIndex in due {
                let rule = playbook.escalations[ruleIndex]
                guard case .elapsed = rule.trigger else { continue }
                // The reason in both languages, written by Format (`100 %`, `60 menit`).
                fire(ruleIndex, rule, visit: index, reason: TicketWording.reason(rule, in: playbook), on: &ticket, history: &history, effects: &effects, at: now)
            }
        }
        return TicketTransition(ticket: ticket, history: history, effects: effects)
    }

    // MARK: Helpers

    func fire(_ ruleIndex: Int, _ rule: EscalationRule, visit: Int, reason: Text, on ticket: inout Ticket,
              history: inout [HistoryEntry], effects: inout [TicketEffect], at now: Date) {
        let key = FiredRule(rule: ruleIndex, visit: visit)
        guard !ticket.fired.contains(key) else { return }
        ticket.fired.append(key)
        var detail: [String: String] = ["rule": String(ruleIndex), "reason_en": reason.en]
        if let notify = rule.notify {
            effects.append(.notify(notify, rule: ruleIndex, reason: reason))
            detail["notify"] = notify.rawValue
        }
        if let to = rule.escalateTo {
            effects.append(.escalate(to, rule: ruleIndex, reason: reason))
            detail["escalate_to"] = to.rawValue
        }
        if rule.raisePriority {
            detail["priority"] = "\(ticket.priority.rawValue)→\(ticket.priority.raised.rawValue)"
            ticket.priority = ticket.priority.raised
        }
        history.append(HistoryEntry(at: now, by: "simpul", role: nil, kind: .escalated, stepID: ticket.visits[visit].stepID,
                                    visit: visit, text: reason.id, detail: detail))
    }

    func closeHold(_ visit: inout StepVisit, at now: Date) {
        if let last = visit.holds.indices.last, visit.holds[last].end == nil { visit.holds[last].end = now }
    }

    func currentStep(_ ticket: Ticket, mustBeOpen: Bool) throws(TicketRefusal) -> (Step, Int) {
        guard ticket.status.isActive, let index = ticket.visits.indices.last, ticket.visits[index].isOpen else {
            throw TicketRefusal(Text(id: "tiket sudah \(ticket.status.title.id.lowercased()); buka kembali dulu bila perlu",
                                     en: "the ticket is \(ticket.status.title.en.lowercased()); reopen it first if needed"))
        }
        if mustBeOpen && ticket.status == .held {
            throw TicketRefusal(Text(id: "tiket sedang ditahan; lanjutkan dulu", en: "the ticket is on hold; resume it first"))
        }
        guard let step = playbook.step(ticket.visits[index].stepID) else {
            throw TicketRefusal(Text(id: "langkah \"\(ticket.visits[index].stepID)\" tidak ada di playbook", en: "step \"\(ticket.visits[index].stepID)\" is not in the playbook"))
        }
        return (step, index)
    }

    /// Whether `expected` is the ticket's open current step visit (a nil visit: its latest).
    public static func isCurrent(_ expected: StepRef, on ticket: Ticket) -> Bool {
        guard ticket.status.isActive, let current = ticket.visits.indices.last else { return false }
        return ticket.visits[current].stepID == expected.stepID && (expected.visit ?? current) == current
    }

    /// Refuses an event meant for a step visit that is not the ticket's open current one.
    func checkExpected(_ expected: StepRef?, _ ticket: Ticket) throws(TicketRefusal) {
        guard let expected, !Self.isCurrent(expected, on: ticket) else { return }
        let title = playbook.step(expected.stepID)?.title ?? Text(id: expected.stepID, en: expected.stepID)
        let time = OfficeTime(identifier: clocks.calendar.timeZone.identifier)
        let index = expected.visit ?? ticket.visits.lastIndex { $0.stepID == expected.stepID }
        if let index, index >= 0, index < ticket.visits.count, ticket.visits[index].stepID == expected.stepID,
           let ended = ticket.visits[index].endedAt {
            let visit = ticket.visits[index]
            if visit.outcome == .completed {
                let who = visit.completedBy ?? "?"
                throw TicketRefusal(Text(id: "langkah \"\(title.id)\" sudah diselesaikan oleh \(who) pada \(time.format(ended, .id)); tidak ada yang diubah — muat ulang untuk melihat langkah saat ini",
                                         en: "the step \"\(title.en)\" was already done by \(who) at \(time.format(ended, .en)); nothing was changed — reload to see the current step"))
            }
            throw TicketRefusal(Text(id: "langkah \"\(title.id)\" sudah berakhir pada \(time.format(ended, .id)) (tiket dibatalkan); tidak ada yang diubah",
                                     en: "the step \"\(title.en)\" ended at \(time.format(ended, .en)) (the ticket was cancelled); nothing was changed"))
        }
        throw TicketRefusal(Text(id: "tiket ini tidak lagi pada langkah \"\(title.id)\"; tidak ada yang diubah — muat ulang untuk melihat langkah saat ini",
                                 en: "this ticket is no longer on the step \"\(title.en)\"; nothing was changed — reload to see the current step"))
    }

    func capacityOrRefuse(_ principal: Principal, _ step: Step, _ ticket: Ticket, reason: String?) throws(TicketRefusal) -> ActingCapacity {
        guard let capacity = Self.capacity(principal, for: step.actor, agency: ticket.agencyCode) else {
            throw Self.wrongRole(principal, step)
        }
        if capacity == .correction && reason == nil {
            throw TicketRefusal(Text(id: "langkah ini milik \(step.actor.title.id); sebagai admin Anda dapat mengoreksinya dengan menulis alasan",
                                     en: "this step belongs to the \(step.actor.title.en); as an administrator you can correct it by giving a reason"))
        }
        return capacity
    }

    /// Holding and resuming: those who run tickets, or the technician holding the step.
    func requireRunner(_ principal: Principal, _ ticket: Ticket, _ index: Int, verb: Text) throws(TicketRefusal) {
        guard Self.mayRun(principal, ticket.visits[index]) else {
            throw TicketRefusal(Text(id: "hanya kepala, kabid/kasi, admin, atau yang memegang langkah ini yang dapat \(verb.id) tiket",
                                     en: "only a head, supervisor, administrator, or whoever holds this step can \(verb.en) the ticket"))
        }
    }

    func entry(_ now: Date, _ principal: Principal, _ kind: HistoryEntry.Kind, step: Step, visit: Int, text: String?,
               capacity: ActingCapacity?) -> HistoryEntry {
        var detail: [String: String] = [:]
        switch capacity {
        case .onBehalf: detail["on_behalf_of"] = step.actor.rawValue
        case .superior: detail["for"] = step.actor.rawValue
        case .correction: detail["correction"] = "true"
        case .system: detail["system"] = "true"
        case .actor, nil: break
        }
        return HistoryEntry(at: now, by: principal.username, role: principal.role, kind: kind, stepID: step.id, visit: visit,
                            text: text, detail: detail)
    }

    /// Every evidence kind the step needs, well-formed. A signature is recorded as who and when.
    func checkEvidence(_ given: [Evidence], for step: Step, by principal: Principal, at now: Date) throws(TicketRefusal) -> [Evidence] {
        var byKind: [EvidenceKind: String] = [:]
        for item in given {
            let value = item.value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            byKind[item.kind] = byKind[item.kind].map { "\($0)\n\(value)" } ?? value
        }
        var missing: [EvidenceKind] = []
        var recorded: [Evidence] = []
        for kind in step.evidence {
            if kind == .signature {
                recorded.append(Evidence(kind: .signature, value: "\(principal.username) \(Timestamp.string(now))"))
                continue
            }
            guard let value = byKind[kind] else { missing.append(kind); continue }
            if let problem = Self.evidenceProblem(kind, value) { throw problem }
            recorded.append(Evidence(kind: kind, value: value))
        }
        if !missing.isEmpty {
            throw TicketRefusal(Text(id: "langkah ini perlu bukti: \(missing.map { $0.title.id.lowercased() }.joined(separator: ", "))",
                                     en: "this step needs evidence: \(missing.map { $0.title.en.lowercased() }.joined(separator: ", "))"))
        }
        // Extra evidence (a note on a step that does not demand one) is kept too.
        for (kind, value) in byKind.sorted(by: { $0.key < $1.key }) where !step.evidence.contains(kind) && kind != .signature {
            if let problem = Self.evidenceProblem(kind, value) { throw problem }
            recorded.append(Evidence(kind: kind, value: value))
        }
        return recorded
    }

    static func evidenceProblem(_ kind: EvidenceKind, _ value: String) -> TicketRefusal? {
        if value.count > 20_000 {
            return TicketRefusal(Text(id: "\(kind.title.id) terlalu panjang (paling banyak 20.000 karakter)", en: "\(kind.title.en) is too long (at most 20,000 characters)"))
        }
        switch kind {
        case .ipAddress:
            for line in value.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == " " }) where IPAddress(String(line)) == nil {
                return TicketRefusal(Text(id: "\"\(line)\" bukan alamat IP (contoh 10.20.0.15 atau 2001:db8:20::15)", en: "\"\(line)\" is not an IP address (e.g. 10.20.0.15 or 2001:db8:20::15)"))
            }
        case .dnsName:
            for line in value.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == " " }) where DomainName(String(line)) == nil {
                return TicketRefusal(Text(id: "\"\(line)\" bukan nama DNS (contoh simpeg.contohkab.go.id)", en: "\"\(line)\" is not a DNS name (e.g. simpeg.contohkab.go.id)"))
            }
        case .letterNumber:
            if !value.contains("/") || value.count > 100 {
                return TicketRefusal(Text(id: "\"\(value)\" bukan nomor surat; tulis seperti 800/DKISP/12/IV/2026", en: "\"\(value)\" is not a letter number; write it like 800/DKISP/12/IV/2026"))
            }
        default:
            break
        }
        return nil
    }
}

extension String {
    /// nil for the empty string: optional form fields and flags.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
