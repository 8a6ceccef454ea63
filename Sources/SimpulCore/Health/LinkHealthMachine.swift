import Foundation

/// Everything the link state machine remembers between polls. Codable: `simpul poll` is a new process
/// each minute, so the service stores this with the link and hands it back next time.
public struct LinkHealth: Sendable, Hashable, Codable {
    /// What the link is now.
    public internal(set) var state: LinkState = .unknown
    /// When it became that; nil before the first change.
    public internal(set) var since: Date?
    /// Why it is degraded (empty otherwise).
    public internal(set) var impairments: [Impairment] = []
    /// The start of the outage a fault is open for (down, or flapping); nil when none is.
    public internal(set) var outageStart: Date?
    /// When the flapping began; nil when not flapping.
    public internal(set) var flappingSince: Date?

    /// A run of polls alike, with its first poll's time.
    struct Run: Sendable, Hashable, Codable {
        var count: Int
        var first: Date

        /// Counting stops at a million: more than any threshold, and a stored state cannot overflow it.
        static func next(_ run: Run?, _ at: Date) -> Run {
            guard let run else { return Run(count: 1, first: at) }
            return Run(count: min(run.count, 999_999) + 1, first: run.first)
        }
    }

    enum Seen: String, Sendable, Hashable, Codable { case up, down }

    /// Up or down after hysteresis; nil until first known.
    var confirmed: Seen?
    /// The last poll's raw observation, to see changes.
    var lastSeen: Seen?
    var downRun: Run?
    var upRun: Run?
    /// Polls in a row without an answer from the device.
    var silentRun: Run?
    var impairedRun: Run?
    var cleanRun: Run?
    var degraded = false
    /// Times of raw up/down changes within the flapping window (at most `flapTransitions` of them).
    var changes: [Date] = []
    var lastChange: Date?
    /// A fault raised by this machine belongs to the current episode: open, or restored less than the
    /// quiet period ago. A new outage inside an episode is the same trouble, never a second fault.
    var episodeOpen = false
    var lastRestored: Date?

    public init() {}
}

/// The link state machine with hysteresis: one mutating method per event, each returning what the
/// service must do (open a fault, record a restoration, record a change). Pure: time is a parameter.
///
/// - Down after `downAfter` failed polls in a row; the outage starts at the first of them.
/// - Up again after `upAfter` good polls in a row; restored at the first of them.
/// - Degraded after `degradedAfter` impaired polls in a row (errors, loss, load), up after `upAfter`
///   clean ones.
/// - Unknown after `unknownAfter` polls without an answer from the device. Such polls are neither good
///   nor failed: they interrupt no run, and a down link stays down (its fault open) while unknown.
/// - Flapping when the raw observation changed between up and down `flapTransitions` times within
///   `flapWindowSeconds` — counted before hysteresis, so a link that fails every other poll (and so
///   never fails N in a row) is caught — or when a link goes down again within `quietSeconds` of its
///   restoration. A flapping episode has ONE fault: it raises one only if none is open, and nothing is
///   opened or restored until the link has been quiet (no change) for `quietSeconds`.
public struct LinkHealthMachine: Sendable {
    public let settings: LinkHealthSettings
    public private(set) var health: LinkHealth

    public init(settings: LinkHealthSettings = .standard, health: LinkHealth = LinkHealth()) {
        self.settings = settings
        self.health = health
    }

    // MARK: Events

    /// The device answered and the link is up (interface operStatus up, the health address answers).
    public mutating func linkUp(at: Date, condition: LinkCondition = .healthy) -> LinkUpAction {
        observe(.up, at: at)
        health.downRun = nil
        let upRun = LinkHealth.Run.next(health.upRun, at)
        health.upRun = upRun
        let found = condition.impairments(settings)
        if found.isEmpty {
            health.cleanRun = LinkHealth.Run.next(health.cleanRun, at)
            health.impairedRun = nil
        } else {
            health.impairedRun = LinkHealth.Run.next(health.impairedRun, at)
            health.cleanRun = nil
        }

        var restoredAt: Date?
        switch health.confirmed {
        case nil: health.confirmed = .up
        case .down?:
            if upRun.count >= settings.upAfter {
                health.confirmed = .up
                restoredAt = upRun.first
            }
        case .up?: break
        }
        if health.confirmed == .up {
            if !health.degraded, let run = health.impairedRun, run.count >= settings.degradedAfter {
                health.degraded = true
            } else if health.degraded, let run = health.cleanRun, run.count >= settings.upAfter {
                health.degraded = false
            }
            if health.degraded, !found.isEmpty { health.impairments = found }
            if !health.degraded { health.impairments = [] }
        }

        if health.flappingSince != nil {
            guard quiet(at), health.confirmed == .up else { return .none }
            var end = FlappingEnd()
            if let start = health.outageStart {
                end.restoration = Restoration(outageStart: start, restoredAt: upRun.first)
                health.outageStart = nil
                health.lastRestored = upRun.first
            }
            return .endFlapping(stopFlapping(at: upRun.first), end)
        }
        if health.changes.count >= settings.flapTransitions {
            let (transition, start) = startFlapping(at: at, outage: nil)
            return .startFlapping(transition, start)
        }
        if let restoredAt, let start = health.outageStart {
            health.outageStart = nil
            health.lastRestored = restoredAt
            return .restore(move(to: display(), at: restoredAt), Restoration(outageStart: start, restoredAt: restoredAt))
        }
        return settle(at: at).map(LinkUpAction.record) ?? .none
    }

    /// The device answered and the link is down (operStatus down or lowerLayerDown while admin up; the
    /// health address does not answer while the device does).
    public mutating func linkDown(at: Date) -> LinkDownAction {
        observe(.down, at: at)
        health.upRun = nil
        health.impairedRun = nil
        health.cleanRun = nil
        let run = LinkHealth.Run.next(health.downRun, at)
        health.downRun = run
        var wentDown = false
        if health.confirmed != .down, run.count >= settings.downAfter {
            health.confirmed = .down
            health.degraded = false
            health.impairments = []
            wentDown = true
        }

        if health.flappingSince != nil {
            guard quiet(at), health.confirmed == .down else { return .none }
            if health.outageStart == nil { health.outageStart = run.first }
            let end = FlappingEnd(restoration: nil, stillDownSince: health.outageStart)
            return .endFlapping(stopFlapping(at: at), end)
        }
        if health.changes.count >= settings.flapTransitions {
            let (transition, start) = startFlapping(at: at, outage: wentDown ? run.first : nil)
            return .startFlapping(transition, start)
        }
        if wentDown {
            if health.episodeOpen {
                // Down again soon after a restoration: the same trouble, flapping, on the same fault.
                let (transition, start) = startFlapping(at: at, outage: run.first)
                return .startFlapping(transition, start)
            }
            health.outageStart = run.first
            health.episodeOpen = true
            return .openFault(move(to: display(), at: run.first), outageStart: run.first)
        }
        return settle(at: at).map(LinkDownAction.record) ?? .none
    }

    /// The device did not answer this poll (timeout, refused): nothing is known about the link.
    public mutating func deviceUnreachable(at: Date) -> UnreachableAction {
        health.silentRun = LinkHealth.Run.next(health.silentRun, at)
        return settle(at: at).map(UnreachableAction.record) ?? .none
    }

    // MARK: Rules shared by the events

    /// Notes an answered poll: ends a finished episode, counts a change, trims the window.
    private mutating func observe(_ seen: LinkHealth.Seen, at: Date) {
        if health.episodeOpen, health.outageStart == nil, health.flappingSince == nil {
            let calm = max(health.lastRestored ?? .distantPast, health.lastChange ?? .distantPast)
            if at.timeIntervalSince(calm) >= Double(settings.quietSeconds) {
                health.episodeOpen = false
                health.lastRestored = nil
            }
        }
        health.silentRun = nil
        if let last = health.lastSeen, last != seen {
            health.changes.append(at)
            health.lastChange = at
        }
        health.lastSeen = seen
        let windowStart = at.addingTimeInterval(-Double(settings.flapWindowSeconds))
        health.changes.removeAll { $0 < windowStart }
        if health.changes.count > settings.flapTransitions {
            health.changes.removeFirst(health.changes.count - settings.flapTransitions)
        }
    }

    /// No change for the quiet period.
    private func quiet(_ at: Date) -> Bool {
        guard let calm = health.lastChange ?? health.flappingSince else { return true }
        return at.timeIntervalSince(calm) >= Double(settings.quietSeconds)
    }

    private mutating func startFlapping(at: Date, outage: Date?) -> (LinkTransition, FlappingStart) {
        let since = health.changes.first ?? outage ?? at
        let raises = !health.episodeOpen
        health.episodeOpen = true
        health.flappingSince = since
        let outageStart = health.outageStart ?? outage ?? since
        health.outageStart = outageStart
        let start = FlappingStart(since: since, transitions: health.changes.count, raisesFault: raises, outageStart: outageStart)
        return (move(to: .flapping, at: at), start)
    }

    private mutating func stopFlapping(at: Date) -> LinkTransition {
        health.flappingSince = nil
        health.changes = []
        return move(to: display(), at: at)
    }

    /// The state the counters and runs amount to.
    private func display() -> LinkState {
        if health.flappingSince != nil { return .flapping }
        if let silent = health.silentRun, silent.count >= settings.unknownAfter { return .unknown }
        switch health.confirmed {
        case nil: return .unknown
        case .down?: return .down
        case .up?: return health.degraded ? .degraded : .up
        }
    }

    /// A transition to `state`, dated no earlier than the previous one.
    private mutating func move(to state: LinkState, at: Date) -> LinkTransition {
        let when = max(at, health.since ?? at)
        let transition = LinkTransition(from: health.state, to: state, at: when,
                                        impairments: state == .degraded ? health.impairments : [])
        health.state = state
        health.since = when
        return transition
    }

    private mutating func settle(at: Date) -> LinkTransition? {
        let state = display()
        return state == health.state ? nil : move(to: state, at: at)
    }
}
