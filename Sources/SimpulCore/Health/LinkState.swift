import Foundation

/// A link's health as the links page, the dashboard map and the history show it.
public enum LinkState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Up and clean.
    case up
    /// Up, but with errors, loss or sustained load above the threshold.
    case degraded
    /// Down: a fault is open for it.
    case down
    /// The device does not answer, or has never been polled: nothing is known about the link.
    case unknown
    /// Going down and up too often: one fault for the whole episode.
    case flapping

    public var title: Text {
        switch self {
        case .up: Text(id: "Normal", en: "Up")
        case .degraded: Text(id: "Menurun", en: "Degraded")
        case .down: Text(id: "Putus", en: "Down")
        case .unknown: Text(id: "Tidak diketahui", en: "Unknown")
        case .flapping: Text(id: "Putus-sambung", en: "Flapping")
        }
    }
}

/// What makes an up link degraded.
public enum Impairment: String, Sendable, Hashable, Codable, CaseIterable {
    case errors, loss, load

    public var title: Text {
        switch self {
        case .errors: Text(id: "galat antarmuka", en: "interface errors")
        case .loss: Text(id: "paket hilang", en: "packet loss")
        case .load: Text(id: "beban di atas ambang", en: "load above the threshold")
        }
    }
}

/// How an up link looked in one poll. Nil values were not measured (an interval discarded, no probe)
/// and count as fine, not as bad.
public struct LinkCondition: Sendable, Hashable {
    /// Interface errors in and out together, per second (`InterfaceRates.errorsPerSecond`).
    public var errorsPerSecond: Double?
    /// The share of probes lost (0–1), from the health address's ICMP or TCP check.
    public var loss: Double?
    /// The busier direction against the committed rate (`InterfaceRates.committedUtilisation?.peak`).
    public var utilisation: Double?

    public init(errorsPerSecond: Double? = nil, loss: Double? = nil, utilisation: Double? = nil) {
        self.errorsPerSecond = errorsPerSecond
        self.loss = loss
        self.utilisation = utilisation
    }

    /// From this poll's rates (nil when the interval was discarded: nothing measured, nothing bad) and
    /// the health probe's loss.
    public init(rates: InterfaceRates?, loss: Double? = nil) {
        self.init(errorsPerSecond: rates?.errorsPerSecond, loss: loss, utilisation: rates?.committedUtilisation?.peak)
    }

    public static let healthy = LinkCondition()

    /// What is above its threshold, in a fixed order. A value that is not a number is not above anything.
    public func impairments(_ settings: LinkHealthSettings) -> [Impairment] {
        var found: [Impairment] = []
        if let errorsPerSecond, errorsPerSecond > settings.errorRateThreshold { found.append(.errors) }
        if let loss, loss > settings.lossThreshold { found.append(.loss) }
        if let utilisation, utilisation > settings.loadThreshold { found.append(.load) }
        return found
    }
}

/// A change of state, for the link's history.
public struct LinkTransition: Sendable, Hashable, Codable {
    public var from: LinkState
    public var to: LinkState
    /// When the new state began: the first failed poll for down, the first good one for a restoration,
    /// the poll that decided it otherwise (never before the previous change).
    public var at: Date
    /// Why, when `to` is degraded.
    public var impairments: [Impairment]

    public init(from: LinkState, to: LinkState, at: Date, impairments: [Impairment] = []) {
        self.from = from
        self.to = to
        self.at = at
        self.impairments = impairments
    }
}

/// An outage that ended: the fault records the restoration, and the provider's restore time when the
/// fault is with the provider.
public struct Restoration: Sendable, Hashable, Codable {
    /// The first failed poll of the outage.
    public var outageStart: Date
    /// The first good poll after it.
    public var restoredAt: Date

    public init(outageStart: Date, restoredAt: Date) {
        self.outageStart = outageStart
        self.restoredAt = restoredAt
    }

    public var seconds: TimeInterval { max(0, restoredAt.timeIntervalSince(outageStart)) }
}

/// A link began flapping.
public struct FlappingStart: Sendable, Hashable, Codable {
    /// The first up/down change counted in the window: when the trouble began.
    public var since: Date
    /// Up/down changes seen in the window.
    public var transitions: Int
    /// True when no fault of this episode is open: open ONE (symptom intermittent, starting at
    /// `outageStart`). False when the episode's fault exists (the link went down, came back and went
    /// down again): attach to it, open nothing.
    public var raisesFault: Bool
    /// The start of the outage the fault measures.
    public var outageStart: Date
}

/// A link stopped flapping after the quiet period.
public struct FlappingEnd: Sendable, Hashable, Codable {
    /// It ended up: the episode's outage is restored (record it on the fault).
    public var restoration: Restoration?
    /// It ended down: the fault stays open, its outage measured from this time.
    public var stillDownSince: Date?
}

/// What the service does after `LinkHealthMachine.linkUp`.
public enum LinkUpAction: Sendable, Hashable {
    case none
    /// The state changed; record it in the history. Nothing else.
    case record(LinkTransition)
    /// The outage is over: record the restoration on the link's fault (and the history).
    case restore(LinkTransition, Restoration)
    /// Flapping began: one fault for the episode (`FlappingStart.raisesFault`).
    case startFlapping(LinkTransition, FlappingStart)
    /// Flapping ended up: record the restoration it carries, if any.
    case endFlapping(LinkTransition, FlappingEnd)
}

/// What the service does after `LinkHealthMachine.linkDown`.
public enum LinkDownAction: Sendable, Hashable {
    case none
    case record(LinkTransition)
    /// The link is down: open a fault on it (channel: monitoring), or attach to the open one, with the
    /// outage start — the first failed poll, not the one that confirmed it.
    case openFault(LinkTransition, outageStart: Date)
    case startFlapping(LinkTransition, FlappingStart)
    /// Flapping ended with the link down: the episode's fault stays open.
    case endFlapping(LinkTransition, FlappingEnd)
}

/// What the service does after `LinkHealthMachine.deviceUnreachable`: at most a change to unknown.
public enum UnreachableAction: Sendable, Hashable {
    case none
    case record(LinkTransition)
}
