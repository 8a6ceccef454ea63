import Foundation

/// What one device showed the poller in one cycle, whatever client asked it.
public struct DeviceObservation: Sendable, Hashable {
    /// The device's inventory name.
    public var device: String
    /// When the answer came (the poller's wall clock).
    public var at: Date
    public var outcome: Outcome
    /// How long the device took to answer (or to be given up on), when the walker measured it.
    public var duration: Duration?
    /// The GETBULK size the walk settled on (the next walk starts there), when it answered over SNMP.
    public var maxRepetitions: Int?

    public enum Outcome: Sendable, Hashable {
        /// The device answered: its interfaces with their readings (`CounterReading.at` is `at`).
        case answered([ObservedInterface])
        /// No answer, or an answer the poller could not use; the reason, for the device's page.
        case unreachable(Text)
    }

    public init(device: String, at: Date, outcome: Outcome, duration: Duration? = nil) {
        self.device = device
        self.at = at
        self.outcome = outcome
        self.duration = duration
    }
}

/// One interface as a walk showed it.
public struct ObservedInterface: Sendable, Hashable {
    public var walked: WalkedInterface
    /// ifOperStatus up (1); nil when the agent did not say.
    public var operUp: Bool?
    /// ifAdminStatus up (1); nil when the agent did not say.
    public var adminUp: Bool?
    public var reading: CounterReading

    public init(walked: WalkedInterface, operUp: Bool?, adminUp: Bool?, reading: CounterReading) {
        self.walked = walked
        self.operUp = operUp
        self.adminUp = adminUp
        self.reading = reading
    }
}

/// A link whose health comes from one of this device's interfaces (the inventory's `device` and
/// `interface`), with its committed rate and its state machine as the last run left it.
public struct PolledLink: Sendable, Hashable {
    public var circuit: String
    /// The interface's name (ifName), alias or description, as the inventory gives it.
    public var interface: String
    public var committed: CommittedRate?
    public var health: LinkHealth

    public init(circuit: String, interface: String, committed: CommittedRate?, health: LinkHealth) {
        self.circuit = circuit
        self.interface = interface
        self.committed = committed
        self.health = health
    }
}

/// What one device's poll comes to: the pure middle of the poller's pipeline (observation → interface
/// identity → rates → link states → actions), with the database at its two ends in the service.
public struct DevicePollResult: Sendable {
    /// The walk against the known interfaces, for the store (`HealthStore.recordWalk`); nil when the
    /// device did not answer.
    public var match: InterfaceMatch?
    /// This walk's readings by ifIndex: the previous readings of the next cycle.
    public var readings: [Int32: CounterReading] = [:]
    /// Samples for interfaces already known (new ones have no previous reading), by interface id.
    public var samples: [(interfaceID: Int64, sample: TrafficSample)] = []
    /// Intervals discarded, by interface id, with the reason (for the device's page and the log).
    public var discarded: [(interfaceID: Int64, reason: RateDiscard)] = []
    /// The latest rates of each known interface that was measured.
    public var rates: [Int64: InterfaceRates] = [:]
    /// Each link's machine after this poll, and what its action asks of the service.
    public var links: [LinkOutcome] = []
    /// Links whose interface (as the inventory names it) this device has never shown.
    public var unknownInterfaces: [(circuit: String, interface: String)] = []

    public struct LinkOutcome: Sendable {
        public var circuit: String
        public var health: LinkHealth
        public var action: Action
        /// The interface that carries it, when the walk showed it.
        public var interfaceID: Int64?

        public enum Action: Sendable, Hashable {
            case up(LinkUpAction)
            case down(LinkDownAction)
            case unreachable(UnreachableAction)
        }

        /// The change of state this poll made, if any, for the link's history.
        public var transition: LinkTransition? {
            switch action {
            case .up(.record(let t)), .up(.restore(let t, _)), .up(.startFlapping(let t, _)), .up(.endFlapping(let t, _)): t
            case .down(.record(let t)), .down(.openFault(let t, _)), .down(.startFlapping(let t, _)), .down(.endFlapping(let t, _)): t
            case .unreachable(.record(let t)): t
            case .up(.none), .down(.none), .unreachable(.none): nil
            }
        }
    }

    public init() {}
}

/// One device's poll, computed.
public enum DevicePoll {
    /// `known`: the device's interfaces as stored; `previous`: their last readings by interface id;
    /// `links`: the links this device carries.
    public static func evaluate(_ observation: DeviceObservation, known: [KnownInterface], previous: [Int64: CounterReading],
                                links: [PolledLink], calculator: RateCalculator = RateCalculator(),
                                settings: LinkHealthSettings = .standard) -> DevicePollResult {
        var result = DevicePollResult()
        guard case .answered(let interfaces) = observation.outcome else {
            for link in links {
                var machine = LinkHealthMachine(settings: settings, health: link.health)
                let action = machine.deviceUnreachable(at: observation.at)
                result.links.append(.init(circuit: link.circuit, health: machine.health, action: .unreachable(action), interfaceID: nil))
            }
            return result
        }
        let match = InterfaceMatcher.match(known: known, walked: interfaces.map(\.walked))
        result.match = match
        var byIndex: [Int32: ObservedInterface] = [:]
        for interface in interfaces { byIndex[interface.walked.ifIndex] = interface }
        for interface in interfaces { result.readings[interface.walked.ifIndex] = interface.reading }

        // Which link each known interface carries, for its committed rate.
        var idOfIndex: [Int32: Int64] = [:]
        for pair in match.matched { idOfIndex[pair.walked.ifIndex] = pair.known.id }
        var linkOfID: [Int64: PolledLink] = [:]
        for link in links {
            if let pair = match.matched.first(where: { carries($0.walked, link.interface) }) { linkOfID[pair.known.id] = link }
        }

        for pair in match.matched {
            guard let current = byIndex[pair.walked.ifIndex]?.reading else { continue }
            let outcome = calculator.rates(from: previous[pair.known.id], to: current, continuity: pair.continuity,
                                           committed: linkOfID[pair.known.id]?.committed)
            switch outcome {
            case .measured(let rates):
                result.samples.append((pair.known.id, rates.sample))
                result.rates[pair.known.id] = rates
            case .discarded(let reason):
                result.discarded.append((pair.known.id, reason))
            }
        }

        for link in links {
            var machine = LinkHealthMachine(settings: settings, health: link.health)
            let walked = interfaces.first { carries($0.walked, link.interface) }
            let id = walked.flatMap { idOfIndex[$0.walked.ifIndex] }
            let action: DevicePollResult.LinkOutcome.Action
            if walked == nil, !known.contains(where: { carries(WalkedInterface(ifIndex: $0.ifIndex, name: $0.name, alias: $0.alias, descr: $0.descr), link.interface) }) {
                // An interface this device has never shown: the inventory may name it wrongly. Not
                // measurable, so unknown — never a fault on a guess.
                result.unknownInterfaces.append((circuit: link.circuit, interface: link.interface))
                action = .unreachable(machine.deviceUnreachable(at: observation.at))
            } else if let walked, walked.adminUp == false {
                // Shut by an administrator: nobody's outage to report, and no traffic to measure.
                action = .unreachable(machine.deviceUnreachable(at: observation.at))
            } else if let walked, walked.operUp != false {
                let rates = id.flatMap { result.rates[$0] }
                let condition = LinkCondition(errorsPerSecond: rates?.errorsPerSecond, utilisation: rates?.committedUtilisation?.peak)
                action = .up(machine.linkUp(at: observation.at, condition: condition))
            } else {
                // Down, or gone from the device: the link carries nothing.
                action = .down(machine.linkDown(at: observation.at))
            }
            result.links.append(.init(circuit: link.circuit, health: machine.health, action: action, interfaceID: id))
        }
        return result
    }

    /// Whether `walked` is the interface the inventory names (`named`).
    static func carries(_ walked: WalkedInterface, _ name: String) -> Bool {
        named(name, name: walked.name, alias: walked.alias, descr: walked.descr) != nil
    }

    /// How well an interface answers to the name the inventory gives a link's interface, ignoring
    /// case: 0 by ifName, 1 by ifAlias, 2 by ifDescr (lower is better), nil not at all. The poll and
    /// the pages find a link's interface by this one rule.
    public static func named(_ wanted: String, name: String?, alias: String?, descr: String?) -> Int? {
        let wanted = wanted.lowercased()
        return [name, alias, descr].firstIndex { $0?.lowercased() == wanted }
    }
}
