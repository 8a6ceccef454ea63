import Foundation

/// A step's standing against its standard.
public enum ClockState: String, Sendable, Hashable, Codable, CaseIterable {
    case onTime = "on_time"
    /// At least 80 % of the standard has passed.
    case dueSoon = "due_soon"
    case late
    /// The step has no standard (the SOP gives none): timed, never late.
    case untimed

    public static let dueSoonShare = 0.8

    public init(fraction: Double?) {
        guard let fraction else { self = .untimed; return }
        self = fraction > 1 ? .late : fraction >= Self.dueSoonShare ? .dueSoon : .onTime
    }

    /// A ticket's standing from the deadlines stored with it (see `ClockEvaluator.deadlines`): nil for a
    /// closed ticket, and for a held one that was not late when it was held (its clock is stopped).
    public init?(status: TicketStatus, dueAt: Date?, dueSoonAt: Date?, now: Date) {
        guard status.isActive else { return nil }
        guard let dueAt else {
            if status == .held { return nil }
            self = .untimed
            return
        }
        if now > dueAt { self = .late }
        else if let dueSoonAt, now >= dueSoonAt { self = .dueSoon }
        else { self = .onTime }
    }

    public var title: Text {
        switch self {
        case .onTime: Text(id: "Tepat waktu", en: "On time")
        case .dueSoon: Text(id: "Segera jatuh tempo", en: "Due soon")
        case .late: Text(id: "Terlambat", en: "Late")
        case .untimed: Text(id: "Tanpa standar", en: "No standard")
        }
    }
}

/// The clock of one step visit: when it started and ended, its standard, and how much of the
/// step's calendar has passed (hold time taken out).
public struct StepClock: Sendable, Hashable {
    public var visit: Int
    public var stepID: String
    public var enteredAt: Date
    public var endedAt: Date?
    public var basis: ClockBasis
    public var owner: ClockOwner
    /// The standard in seconds of `basis`, if the step has one.
    public var standard: Double?
    /// Seconds of `basis` the step has run, without its holds.
    public var elapsed: Double
    /// Seconds of `basis` the step was on hold.
    public var held: Double
    /// When the step is (or was) due, if it has a standard and is not on hold.
    public var dueAt: Date?
    public var state: ClockState

    public var fraction: Double? { standard.map { $0 > 0 ? elapsed / $0 : 0 } }
}

/// A ticket's clocks: every visit's, and the totals kept apart by whose time they are.
public struct TicketClocks: Sendable, Hashable {
    public var steps: [StepClock]
    /// Time on the office's own steps.
    public var officeSeconds: Double
    /// Time on agency, provider and procurement steps.
    public var thirdPartySeconds: Double
    public var heldSeconds: Double

    public var current: StepClock? { steps.last.flatMap { $0.endedAt == nil ? $0 : nil } }
}

/// Computes clocks from recorded step times and the calendar; nothing is stored that could drift.
public struct ClockEvaluator: Sendable {
    public let calendar: WorkCalendar

    public init(calendar: WorkCalendar) { self.calendar = calendar }

    public func clocks(_ ticket: Ticket, playbook: Playbook, now: Date) -> TicketClocks {
        var steps: [StepClock] = []
        var office = 0.0, third = 0.0, held = 0.0
        for (index, visit) in ticket.visits.enumerated() {
            guard let step = playbook.step(visit.stepID) else { continue }
            let end = visit.endedAt ?? (ticket.status.isActive ? now : ticket.closedAt ?? now)
            let clock = self.clock(visit: index, visit, step: step, playbook: playbook, until: end, now: now)
            steps.append(clock)
            if step.clock == .office { office += clock.elapsed } else { third += clock.elapsed }
            held += clock.held
        }
        return TicketClocks(steps: steps, officeSeconds: office, thirdPartySeconds: third, heldSeconds: held)
    }

    /// One visit's clock, measured up to `until` (its end, or now).
    public func clock(visit index: Int, _ visit: StepVisit, step: Step, playbook: Playbook, until end: Date, now: Date) -> StepClock {
        let basis = playbook.basis(of: step)
        let standard = step.standard.map { Double($0.seconds(officeDay: calendar.officeDay)) }
        let total = calendar.seconds(basis, from: visit.enteredAt, to: end)
        var heldSeconds = 0.0
        var onHold = false
        for hold in visit.holds {
            let holdEnd = min(hold.end ?? end, end)
            if hold.end == nil { onHold = true }
            heldSeconds += calendar.seconds(basis, from: max(hold.start, visit.enteredAt), to: holdEnd)
        }
        let elapsed = max(0, total - heldSeconds)
        let fraction = standard.map { $0 > 0 ? elapsed / $0 : 0 }
        var dueAt: Date?
        if let standard {
            let due = calendar.adding(standard + heldSeconds, basis, to: visit.enteredAt)
            // A step on hold has no due time unless it was already late when it was held.
            dueAt = onHold && visit.endedAt == nil && (fraction ?? 0) <= 1 ? nil : due
        }
        return StepClock(visit: index, stepID: step.id, enteredAt: visit.enteredAt, endedAt: visit.endedAt, basis: basis,
                         owner: step.clock, standard: standard, elapsed: elapsed, held: heldSeconds, dueAt: dueAt,
                         state: ClockState(fraction: fraction))
    }

    /// When the current step becomes due soon and due (for sorting and filtering in the store).
    public func deadlines(_ ticket: Ticket, playbook: Playbook, now: Date) -> (dueSoonAt: Date?, dueAt: Date?) {
        guard let visit = ticket.current, let step = playbook.step(visit.stepID), let standardTime = step.standard else { return (nil, nil) }
        let clock = self.clock(visit: ticket.visits.count - 1, visit, step: step, playbook: playbook, until: now, now: now)
        guard let dueAt = clock.dueAt else { return (nil, nil) }
        let standard = Double(standardTime.seconds(officeDay: calendar.officeDay))
        let soon = calendar.adding(standard * ClockState.dueSoonShare + clock.held, clock.basis, to: visit.enteredAt)
        return (soon, dueAt)
    }

    /// The elapsed-time escalation rules of the current step that are due and have not fired.
    public func dueEscalations(_ ticket: Ticket, playbook: Playbook, now: Date) -> [Int] {
        guard ticket.status == .open, let visit = ticket.current, let step = playbook.step(visit.stepID),
              step.standard != nil else { return [] }
        let visitIndex = ticket.visits.count - 1
        let rules = Self.elapsedRules(playbook)[step.id] ?? []
        guard rules.contains(where: { !ticket.fired.contains(FiredRule(rule: $0.index, visit: visitIndex)) }) else { return [] }
        let fraction = clock(visit: visitIndex, visit, step: step, playbook: playbook, until: now, now: now).fraction
        return Self.due(rules, fraction: fraction) { ticket.fired.contains(FiredRule(rule: $0, visit: visitIndex)) }
    }

    /// A playbook's elapsed-time escalation rules by step: (index among its rules, percent of the
    /// step's standard time).
    public static func elapsedRules(_ playbook: Playbook) -> [String: [(index: Int, percent: Int)]] {
        var rules: [String: [(index: Int, percent: Int)]] = [:]
        for (index, rule) in playbook.escalations.enumerated() {
            if case .elapsed(let stepID, let percent) = rule.trigger { rules[stepID, default: []].append((index, percent)) }
        }
        return rules
    }

    /// The one rule for "which of these are due": the step's clock has run `percent` % of its
    /// standard time, and the rule has not fired on this visit. The ticket's own events and the
    /// sweep both ask it.
    public static func due(_ rules: [(index: Int, percent: Int)], fraction: Double?, fired: (Int) -> Bool) -> [Int] {
        guard let fraction else { return [] }
        return rules.filter { fraction * 100 >= Double($0.percent) && !fired($0.index) }.map(\.index)
    }
}
