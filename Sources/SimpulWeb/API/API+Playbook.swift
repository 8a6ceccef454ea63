import SimpulCore

/// `/playbooks`: the SOPs as loaded.
extension API {
    struct Playbook: Encodable, Sendable {
        struct Source: Encodable, Sendable {
            var sop: String
            var title: String
            var document: String?
            var date: String?

            init(_ source: SOPSource) {
                sop = source.sop
                title = source.title
                document = source.document
                date = source.date
            }
        }

        struct MergedSource: Encodable, Sendable {
            var ref: String
            var source: Source
        }

        struct Recurrence: Encodable, Sendable {
            var per: String
            var every: StandardTime
            var openBefore: StandardTime
        }

        var id: String
        var version: Int
        var title: Text
        var source: Source
        var mergedFrom: [MergedSource]
        /// `24x7` or `working-days`.
        var calendar: String
        var recurrence: Recurrence?
        var rules: [Text]
        var steps: [Step]
        var escalations: [EscalationRule]

        init(_ playbook: SimpulCore.Playbook) {
            id = playbook.id
            version = playbook.version
            title = Text(playbook.title)
            source = Source(playbook.source)
            mergedFrom = playbook.mergedFrom.map { MergedSource(ref: $0.ref, source: Source($0.source)) }
            calendar = playbook.calendar.rawValue
            recurrence = playbook.recurrence.map {
                Recurrence(per: $0.per, every: StandardTime($0.every), openBefore: StandardTime($0.openBefore))
            }
            rules = playbook.rules.map(Text.init)
            steps = playbook.steps.map(Step.init)
            escalations = playbook.escalations.map(EscalationRule.init)
        }
    }

    /// A standard time as the SOP writes it: `{"value": 3, "unit": "h"}`.
    struct StandardTime: Encodable, Sendable {
        var value: Int
        /// `m`, `h`, `d`, `w` or `wd` (working days).
        var unit: String

        init(_ time: SimpulCore.StandardTime) {
            value = time.value
            unit = time.unit.rawValue
        }
    }

    struct Step: Encodable, Sendable {
        var id: String
        var sourceStep: Int?
        var sourceRef: String?
        var title: Text
        var actor: String
        var standard: StandardTime?
        var calendar: String?
        var needs: Text?
        var produces: Text?
        /// `office` or `third_party`.
        var clock: String
        var evidence: [String]
        var exit: Exit
        var doneBy: String?

        init(_ step: SimpulCore.Step) {
            id = step.id
            sourceStep = step.sourceStep
            sourceRef = step.sourceRef
            title = Text(step.title)
            actor = step.actor.rawValue
            standard = step.standard.map(StandardTime.init)
            calendar = step.calendar?.rawValue
            needs = step.needs.map(Text.init)
            produces = step.produces.map(Text.init)
            clock = step.clock.rawValue
            evidence = step.evidence.map(\.rawValue)
            exit = Exit(step.exit)
            doneBy = step.doneBy
        }
    }

    /// Where a step leads: `{"next": {"_0": "<step or done>"}}`, or `{"branches": {"_0": [branch…]}}`
    /// (the shape the API has always had).
    enum Exit: Encodable, Sendable {
        case next(String)
        case branches([Branch])

        init(_ exit: StepExit) {
            switch exit {
            case .next(let target): self = .next(target.description)
            case .branches(let list): self = .branches(list.map(Branch.init))
            }
        }

        enum Key: String, CodingKey { case next, branches }
        enum Value: String, CodingKey { case value = "_0" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            switch self {
            case .next(let target):
                var inner = container.nestedContainer(keyedBy: Value.self, forKey: .next)
                try inner.encode(target, forKey: .value)
            case .branches(let list):
                var inner = container.nestedContainer(keyedBy: Value.self, forKey: .branches)
                try inner.encode(list, forKey: .value)
            }
        }
    }

    /// A named outcome of a step and where it leads (a step id or `done`).
    struct Branch: Encodable, Sendable {
        var name: String
        var target: String
        var title: Text?

        init(_ branch: SimpulCore.Branch) {
            name = branch.name
            target = branch.target.description
            title = branch.title.map(Text.init)
        }
    }

    struct EscalationRule: Encodable, Sendable {
        /// `{"elapsed": {"step": …, "percent": …}}` or `{"branch": {"_0": "<outcome>"}}`.
        enum Trigger: Encodable, Sendable {
            case elapsed(step: String, percent: Int)
            case branch(String)

            enum Key: String, CodingKey { case elapsed, branch }
            enum Elapsed: String, CodingKey { case step, percent }
            enum Value: String, CodingKey { case value = "_0" }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                switch self {
                case .elapsed(let step, let percent):
                    var inner = container.nestedContainer(keyedBy: Elapsed.self, forKey: .elapsed)
                    try inner.encode(step, forKey: .step)
                    try inner.encode(percent, forKey: .percent)
                case .branch(let name):
                    var inner = container.nestedContainer(keyedBy: Value.self, forKey: .branch)
                    try inner.encode(name, forKey: .value)
                }
            }
        }

        var trigger: Trigger
        var notify: String?
        var escalateTo: String?
        var raisePriority: Bool

        init(_ rule: SimpulCore.EscalationRule) {
            trigger = switch rule.trigger {
            case .elapsed(let step, let percent): .elapsed(step: step, percent: percent)
            case .branch(let name): .branch(name)
            }
            notify = rule.notify?.rawValue
            escalateTo = rule.escalateTo?.rawValue
            raisePriority = rule.raisePriority
        }
    }
}
