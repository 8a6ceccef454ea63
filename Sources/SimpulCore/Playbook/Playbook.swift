import Foundation

/// One SOP as data: its steps, their actors and standard times, and its escalation rules.
/// Read from `Playbooks/<id>.yaml` (format: docs/playbooks.md); tickets keep the version they began on.
public struct Playbook: Sendable, Hashable, Codable {
    public var id: String
    public var version: Int
    public var title: Text
    public var source: SOPSource
    public var mergedFrom: [MergedSource]
    public var calendar: CalendarKind
    public var recurrence: Recurrence?
    public var rules: [Text]
    public var steps: [Step]
    public var escalations: [EscalationRule]

    public init(id: String, version: Int, title: Text, source: SOPSource, mergedFrom: [MergedSource] = [],
                calendar: CalendarKind, recurrence: Recurrence? = nil, rules: [Text] = [], steps: [Step],
                escalations: [EscalationRule] = []) {
        self.id = id
        self.version = version
        self.title = title
        self.source = source
        self.mergedFrom = mergedFrom
        self.calendar = calendar
        self.recurrence = recurrence
        self.rules = rules
        self.steps = steps
        self.escalations = escalations
    }

    public var firstStep: Step { steps[0] }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// The calendar a step's clock runs on.
    public func calendar(of step: Step) -> CalendarKind { step.calendar ?? calendar }

    /// How a step's time is counted (wall clock or office hours).
    public func basis(of step: Step) -> ClockBasis {
        step.standard?.basis(on: calendar(of: step)) ?? (calendar(of: step) == .workingDays ? .office : .wall)
    }

    /// Every branch name used in the playbook.
    public var branchNames: Set<String> {
        Set(steps.flatMap { $0.exit.branches.map(\.name) })
    }
}

/// Where a playbook comes from: the SOP's number, name, document and date of effect.
public struct SOPSource: Sendable, Hashable, Codable {
    public var sop: String
    public var title: String
    public var document: String?
    public var date: String?

    public init(sop: String, title: String, document: String? = nil, date: String? = nil) {
        self.sop = sop
        self.title = title
        self.document = document
        self.date = date
    }
}

public struct MergedSource: Sendable, Hashable, Codable {
    public var ref: String
    public var source: SOPSource

    public init(ref: String, source: SOPSource) {
        self.ref = ref
        self.source = source
    }
}

/// Scheduled work: one ticket per agency so that none goes longer than `every` between visits.
public struct Recurrence: Sendable, Hashable, Codable {
    public var per: String
    public var every: StandardTime
    public var openBefore: StandardTime
    /// Visits each calendar year (`per_year`), for work planned by the year (LAN upkeep: 2).
    public var perYear: Int?
    /// The least months between two visits of one agency (`minimum_gap_months`).
    public var minimumGapMonths: Int?

    public init(per: String, every: StandardTime, openBefore: StandardTime, perYear: Int? = nil, minimumGapMonths: Int? = nil) {
        self.per = per
        self.every = every
        self.openBefore = openBefore
        self.perYear = perYear
        self.minimumGapMonths = minimumGapMonths
    }
}

/// Who performs a step, in the SOP's terms.
public enum StepActor: String, Sendable, Hashable, Codable, CaseIterable {
    case head, supervisor, technician, admin, clerk, agency, provider, procurement

    public var title: Text {
        switch self {
        case .head: Text(id: "Kepala Dinas", en: "Head of office")
        case .supervisor: Text(id: "Kabid/Kasi", en: "Division/section head")
        case .technician: Text(id: "Teknisi", en: "Technician")
        case .admin: Text(id: "Admin IP/DNS", en: "IP/DNS admin")
        case .clerk: Text(id: "Petugas Administrasi", en: "Clerk")
        case .agency: Text(id: "Perangkat Daerah", en: "Agency")
        case .provider: Text(id: "Penyedia Layanan", en: "Service provider")
        case .procurement: Text(id: "Unit Pengadaan", en: "Procurement unit")
        }
    }

    /// Agency, provider and procurement are outside the office.
    public var isExternal: Bool { self == .agency || self == .provider || self == .procurement }
}

/// Whose time a step's clock measures.
public enum ClockOwner: String, Sendable, Hashable, Codable, CaseIterable {
    case office
    case thirdParty = "third_party"

    public var title: Text {
        switch self {
        case .office: Text(id: "kantor", en: "office")
        case .thirdParty: Text(id: "pihak ketiga", en: "third party")
        }
    }
}

/// What must be recorded before a step can complete.
public enum EvidenceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case note, attachment, photo
    case letterNumber = "letter_number"
    case ipAddress = "ip_address"
    case dnsName = "dns_name"
    case rackPosition = "rack_position"
    case signature, report

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var title: Text {
        switch self {
        case .note: Text(id: "Catatan", en: "Note")
        case .attachment: Text(id: "Lampiran", en: "Attachment")
        case .photo: Text(id: "Foto", en: "Photo")
        case .letterNumber: Text(id: "Nomor surat", en: "Letter number")
        case .ipAddress: Text(id: "Alamat IP", en: "IP address")
        case .dnsName: Text(id: "Nama DNS", en: "DNS name")
        case .rackPosition: Text(id: "Posisi rak", en: "Rack position")
        case .signature: Text(id: "Tanda tangan/paraf", en: "Signature/initials")
        case .report: Text(id: "Laporan", en: "Report")
        }
    }

    /// A file is uploaded for these; the rest are typed in. A signature is who and when.
    public var isFile: Bool { self == .attachment || self == .photo }
}

/// Where a step leads: `done`, or a step id.
public enum StepTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case step(String)
    case done

    public init(_ text: String) { self = text == "done" ? .done : .step(text) }

    public var description: String {
        switch self {
        case .step(let id): id
        case .done: "done"
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A named outcome of a step and where it leads. The name is the outcome's id (in files, forms, the
/// API and escalation rules); people read its title.
public struct Branch: Sendable, Hashable, Codable {
    public var name: String
    public var target: StepTarget
    /// What the outcome is called (`Teratasi` / `Fixed`); nil in files written before outcomes had titles.
    public var title: Text?

    public init(name: String, target: StepTarget, title: Text? = nil) {
        self.name = name
        self.target = target
        self.title = title
    }

    /// The title, or for an outcome without one its name in words (`not_fixed` → `not fixed`).
    public var shownTitle: Text {
        if let title { return title }
        let words = name.replacingOccurrences(of: "_", with: " ")
        return Text(id: words, en: words)
    }
}

/// A step leads to one next step, or to one of several named outcomes.
public enum StepExit: Sendable, Hashable, Codable {
    case next(StepTarget)
    case branches([Branch])

    public var branches: [Branch] {
        if case .branches(let list) = self { return list }
        return []
    }

    public var targets: [StepTarget] {
        switch self {
        case .next(let target): [target]
        case .branches(let list): list.map(\.target)
        }
    }
}

/// One row of an SOP table.
public struct Step: Sendable, Hashable, Codable {
    public var id: String
    /// The SOP table's row number, or nil for the office's own practice.
    public var sourceStep: Int?
    public var sourceRef: String?
    public var title: Text
    public var actor: StepActor
    public var standard: StandardTime?
    public var calendar: CalendarKind?
    public var needs: Text?
    public var produces: Text?
    public var clock: ClockOwner
    public var evidence: [EvidenceKind]
    public var exit: StepExit
    /// The module action that does this step (`hosting.allocate`): the step is completed only by
    /// that module, in the same transaction as its own change; the generic ticket forms, API and
    /// CLI refuse it and point to the module's page. Nil for a step people complete on the ticket.
    public var doneBy: String?
    /// What the step checks, item by item (an upkeep visit's rack, cabling, switches, UPS…): each is
    /// passed or failed with a note on the module's page. Empty for most steps.
    public var checklist: [ChecklistItem]

    public init(id: String, sourceStep: Int? = nil, sourceRef: String? = nil, title: Text, actor: StepActor,
                standard: StandardTime?, calendar: CalendarKind? = nil, needs: Text? = nil, produces: Text? = nil,
                clock: ClockOwner, evidence: [EvidenceKind], exit: StepExit, doneBy: String? = nil, checklist: [ChecklistItem] = []) {
        self.doneBy = doneBy
        self.checklist = checklist
        self.id = id
        self.sourceStep = sourceStep
        self.sourceRef = sourceRef
        self.title = title
        self.actor = actor
        self.standard = standard
        self.calendar = calendar
        self.needs = needs
        self.produces = produces
        self.clock = clock
        self.evidence = evidence
        self.exit = exit
    }

    public func branch(_ name: String) -> Branch? { exit.branches.first { $0.name == name } }
}

/// One item of a step's checklist: an id (`rack_tidy`) and what is checked, in both languages.
public struct ChecklistItem: Sendable, Hashable, Codable {
    public var id: String
    public var title: Text

    public init(id: String, title: Text) {
        self.id = id
        self.title = title
    }
}

extension Step {
    // Stored playbooks from before checklists decode with none.
    enum CodingKeys: String, CodingKey {
        case id, sourceStep, sourceRef, title, actor, standard, calendar, needs, produces, clock, evidence, exit, doneBy, checklist
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), sourceStep: try c.decodeIfPresent(Int.self, forKey: .sourceStep),
                  sourceRef: try c.decodeIfPresent(String.self, forKey: .sourceRef), title: try c.decode(Text.self, forKey: .title),
                  actor: try c.decode(StepActor.self, forKey: .actor), standard: try c.decodeIfPresent(StandardTime.self, forKey: .standard),
                  calendar: try c.decodeIfPresent(CalendarKind.self, forKey: .calendar), needs: try c.decodeIfPresent(Text.self, forKey: .needs),
                  produces: try c.decodeIfPresent(Text.self, forKey: .produces), clock: try c.decode(ClockOwner.self, forKey: .clock),
                  evidence: try c.decode([EvidenceKind].self, forKey: .evidence), exit: try c.decode(StepExit.self, forKey: .exit),
                  doneBy: try c.decodeIfPresent(String.self, forKey: .doneBy),
                  checklist: try c.decodeIfPresent([ChecklistItem].self, forKey: .checklist) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(sourceStep, forKey: .sourceStep)
        try c.encodeIfPresent(sourceRef, forKey: .sourceRef)
        try c.encode(title, forKey: .title)
        try c.encode(actor, forKey: .actor)
        try c.encodeIfPresent(standard, forKey: .standard)
        try c.encodeIfPresent(calendar, forKey: .calendar)
        try c.encodeIfPresent(needs, forKey: .needs)
        try c.encodeIfPresent(produces, forKey: .produces)
        try c.encode(clock, forKey: .clock)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(exit, forKey: .exit)
        try c.encodeIfPresent(doneBy, forKey: .doneBy)
        if !checklist.isEmpty { try c.encode(checklist, forKey: .checklist) }
    }
}

/// When a step runs past a share of its standard, or an outcome is chosen: who to tell and what to do.
public struct EscalationRule: Sendable, Hashable, Codable {
    public enum Trigger: Sendable, Hashable, Codable {
        /// The step has run `percent` % of its standard.
        case elapsed(step: String, percent: Int)
        case branch(String)
    }

    public var trigger: Trigger
    public var notify: StepActor?
    public var escalateTo: StepActor?
    public var raisePriority: Bool

    public init(trigger: Trigger, notify: StepActor? = nil, escalateTo: StepActor? = nil, raisePriority: Bool = false) {
        self.trigger = trigger
        self.notify = notify
        self.escalateTo = escalateTo
        self.raisePriority = raisePriority
    }
}

extension Playbook {
    /// `fault-dispatch v2`: one loaded version, as tickets name theirs and the audit log records it.
    public static func versionKey(id: String, version: Int) -> String { "\(id) v\(version)" }

    public var versionKey: String { Self.versionKey(id: id, version: version) }
}
