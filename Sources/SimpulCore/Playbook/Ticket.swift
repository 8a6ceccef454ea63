import Foundation

/// Where a ticket is in its life.
public enum TicketStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, held, done, cancelled

    public var isActive: Bool { self == .open || self == .held }

    public var title: Text {
        switch self {
        case .open: Text(id: "Berjalan", en: "Open")
        case .held: Text(id: "Ditahan", en: "On hold")
        case .done: Text(id: "Selesai", en: "Done")
        case .cancelled: Text(id: "Dibatalkan", en: "Cancelled")
        }
    }
}

/// How urgent a ticket is; an escalation rule may raise it one level.
public enum Priority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case normal, high, urgent

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    public var rank: Int {
        switch self {
        case .normal: 0
        case .high: 1
        case .urgent: 2
        }
    }

    public var raised: Priority {
        switch self {
        case .normal: .high
        case .high, .urgent: .urgent
        }
    }

    public var title: Text {
        switch self {
        case .normal: Text(id: "Biasa", en: "Normal")
        case .high: Text(id: "Tinggi", en: "High")
        case .urgent: Text(id: "Mendesak", en: "Urgent")
        }
    }
}

/// One piece of evidence recorded when a step completes.
public struct Evidence: Sendable, Hashable, Codable {
    public var kind: EvidenceKind
    /// The text typed in; for a file, `attachment:<id> <file name>`; for a signature, who and when.
    public var value: String

    public init(kind: EvidenceKind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// The value that names a stored file: `attachment:<id> <name>`.
    public static func fileReference(id: Int64, name: String) -> String { "attachment:\(id) \(name)" }

    /// The stored file one line of a file's value names, if it names one.
    public static func file(_ line: some StringProtocol) -> (id: Int64, name: String)? {
        guard line.hasPrefix("attachment:") else { return nil }
        let rest = line.dropFirst("attachment:".count)
        let digits = rest.prefix { $0.isNumber }
        guard let id = Int64(digits) else { return nil }
        let name = rest.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        return (id, name.isEmpty ? "#\(id)" : name)
    }
}

/// A stretch of time a ticket was on hold.
public struct Hold: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date?
    public var reason: String
    public var by: String

    public init(start: Date, end: Date? = nil, reason: String, by: String) {
        self.start = start
        self.end = end
        self.reason = reason
        self.by = by
    }
}

/// One pass through a step. A step can be visited more than once (a failed test sends the
/// installation back; a reopened ticket visits its last step again).
public struct StepVisit: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case completed, cancelled
    }

    public var stepID: String
    /// When the step became current: its clock starts here.
    public var enteredAt: Date
    /// When someone took the step up, and who.
    public var startedAt: Date?
    public var startedBy: String?
    public var endedAt: Date?
    public var outcome: Outcome?
    public var completedBy: String?
    public var completedRole: Role?
    /// The step's actor is outside the office (agency, provider) and office staff recorded it.
    public var onBehalf: Bool
    /// An administrator completed a step that was not theirs, with a reason.
    public var correction: String?
    public var branch: String?
    public var evidence: [Evidence]
    public var holds: [Hold]
    /// Who the step is assigned to (username), if anyone.
    public var assignee: String?

    public init(stepID: String, enteredAt: Date, assignee: String? = nil) {
        self.stepID = stepID
        self.enteredAt = enteredAt
        self.onBehalf = false
        self.evidence = []
        self.holds = []
        self.assignee = assignee
    }

    public var isOpen: Bool { endedAt == nil }
}

/// A ticket: one run of a playbook for one request, fault, visit or survey.
public struct Ticket: Sendable, Hashable, Codable {
    public var playbookID: String
    /// The playbook version the ticket began on; it finishes on that version.
    public var playbookVersion: Int
    public var subject: String
    public var agencyCode: String?
    public var priority: Priority
    public var status: TicketStatus
    public var openedAt: Date
    public var openedBy: String
    public var closedAt: Date?
    public var visits: [StepVisit]
    /// Escalation rules that have fired, as (rule index, visit index): each fires once per visit.
    public var fired: [FiredRule]

    public init(playbookID: String, playbookVersion: Int, subject: String, agencyCode: String?, priority: Priority,
                status: TicketStatus, openedAt: Date, openedBy: String, closedAt: Date? = nil, visits: [StepVisit],
                fired: [FiredRule] = []) {
        self.playbookID = playbookID
        self.playbookVersion = playbookVersion
        self.subject = subject
        self.agencyCode = agencyCode
        self.priority = priority
        self.status = status
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.closedAt = closedAt
        self.visits = visits
        self.fired = fired
    }

    /// The visit in progress, for an open or held ticket.
    public var current: StepVisit? {
        guard status.isActive, let last = visits.last, last.isOpen else { return nil }
        return last
    }

    public var assignee: String? { current?.assignee }

    /// The hold in progress, if the ticket is on hold.
    public var activeHold: Hold? {
        guard status == .held else { return nil }
        return visits.last?.holds.last.flatMap { $0.end == nil ? $0 : nil }
    }
}

public struct FiredRule: Sendable, Hashable, Codable {
    public var rule: Int
    public var visit: Int

    public init(rule: Int, visit: Int) {
        self.rule = rule
        self.visit = visit
    }
}
