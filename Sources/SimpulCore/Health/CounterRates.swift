/// Where an interval's length came from.
public enum IntervalSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The agent's sysUpTime delta: the agent's own clock, unaffected by the poll's latency.
    case agentUptime = "agent_uptime"
    /// sysUpTime wrapped past 2^32 hundredths (every 497.1 days) between the readings; corrected.
    case agentUptimeWrapped = "agent_uptime_wrapped"
    /// The poller's wall clock: the agent gave no sysUpTime in one of the readings.
    case wallClock = "wall_clock"
}

/// Traffic in and out as shares of a capacity (1 = full; above 1 is possible against a committed rate
/// the provider exceeds).
public struct Utilisation: Sendable, Hashable, Codable {
    public var inbound: Double
    public var outbound: Double

    public init(inbound: Double, outbound: Double) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// The busier direction: what a utilisation bar shows.
    public var peak: Double { max(inbound, outbound) }
}

/// The rates of one interval of one interface.
public struct InterfaceRates: Sendable, Hashable {
    /// The exact counts and span, as stored raw and rolled up.
    public var sample: TrafficSample
    public var source: IntervalSource
    /// The 32-bit counters that wrapped once in the interval and were corrected.
    public var wrapped: [CounterName]
    /// The port speed the checks and the port utilisation used (bits per second); nil when the agent
    /// gave none, in which case nothing was checked against it.
    public var speed: UInt64?
    /// Against the port's speed; nil without a speed.
    public var portUtilisation: Utilisation?
    /// Against the link's committed rate from the inventory; nil for an interface that carries no link.
    public var committedUtilisation: Utilisation?

    public var inBitsPerSecond: UInt64 { sample.inBitsPerSecond }
    public var outBitsPerSecond: UInt64 { sample.outBitsPerSecond }
    public var inErrorsPerSecond: Double? { sample.inErrorsPerSecond }
    public var outErrorsPerSecond: Double? { sample.outErrorsPerSecond }
    public var inDiscardsPerSecond: Double? { sample.inDiscardsPerSecond }
    public var outDiscardsPerSecond: Double? { sample.outDiscardsPerSecond }

    /// Errors in and out together, per second: what the link state machine compares with its threshold.
    public var errorsPerSecond: Double? {
        switch (inErrorsPerSecond, outErrorsPerSecond) {
        case (nil, nil): nil
        case let (a, b): (a ?? 0) + (b ?? 0)
        }
    }
}

/// The result of comparing two readings: rates, or why there are none.
public enum RateOutcome: Sendable, Hashable {
    case measured(InterfaceRates)
    case discarded(RateDiscard)

    public var rates: InterfaceRates? {
        if case .measured(let rates) = self { return rates }
        return nil
    }

    public var discard: RateDiscard? {
        if case .discarded(let reason) = self { return reason }
        return nil
    }

    /// Keep the previous reading as the next interval's base (see `RateDiscard.keepsPreviousBase`).
    public var keepsPreviousBase: Bool { discard?.keepsPreviousBase ?? false }
}

/// Rates from two consecutive readings of one interface. Pure and total: any counter values, however
/// hostile (0, `UInt64.max`, equal readings), give rates or a typed reason, never a trap.
public struct RateCalculator: Sendable {
    public let settings: RateSettings

    public init(settings: RateSettings = .standard) { self.settings = settings }

    /// 2^32 as a counter span.
    static let wrap32: UInt64 = 1 << 32
    /// Bits per octet × milliseconds per second × 100 (percent): scales an octet delta to compare with
    /// speed × milliseconds × (100 + tolerance).
    static let octetScale: UInt64 = 8 * 1000 * 100
    /// The shortest Ethernet frame (64 octets): an error or discard counter cannot count more packets
    /// than the port carries frames.
    static let packetScale: UInt64 = 64 * octetScale

    /// The rates between `previous` and `current` readings of the same interface. `continuity` is what
    /// the interface matcher said about it in this walk; `committed` the link's committed rates when
    /// the interface carries one.
    public func rates(from previous: CounterReading?, to current: CounterReading,
                      continuity: InterfaceContinuity = .same, committed: CommittedRate? = nil) -> RateOutcome {
        guard let previous else { return .discarded(.firstReading) }
        switch continuity {
        case .new: return .discarded(.firstReading)
        case .returned: return .discarded(.interfaceReturned)
        case .moved(let from): return .discarded(.interfaceMoved(from: from, to: current.ifIndex))
        case .same:
            if previous.ifIndex != current.ifIndex {
                return .discarded(.interfaceMoved(from: previous.ifIndex, to: current.ifIndex))
            }
        }

        let millis: Int64, source: IntervalSource
        switch interval(previous, current) {
        case .discarded(let reason): return .discarded(reason)
        case .measured(let length, let from): (millis, source) = (length, from)
        }
        if millis < Int64(settings.shortestSeconds) * 1000 {
            return .discarded(.intervalTooShort(millis: millis, shortestSeconds: settings.shortestSeconds))
        }
        if millis > Int64(settings.longestSeconds) * 1000 {
            return .discarded(.intervalTooLong(millis: millis, longestSeconds: settings.longestSeconds))
        }
        if previous.discontinuityTime != current.discontinuityTime {
            return .discarded(.counterDiscontinuity(before: previous.discontinuityTime, after: current.discontinuityTime))
        }

        guard let inBefore = previous.inOctets, let inAfter = current.inOctets,
              let outBefore = previous.outOctets, let outAfter = current.outOctets else {
            return .discarded(.countersMissing)
        }
        // The faster of the two readings' speeds: a port renegotiated in between may have run at either.
        let speed = [previous.speed, current.speed].compactMap { $0 }.filter { $0 > 0 }.max()
        // speed × ms × (100 + tolerance): the most a scaled delta may be (at most 2^99: never saturates).
        let limit = speed.map {
            WideProduct($0, times: UInt64(millis)).times(UInt64(100 + settings.speedTolerancePercent)) ?? .max
        }
        var wrapped: [CounterName] = []

        var octets: [UInt64] = []
        for (name, before, after) in [(CounterName.inOctets, inBefore, inAfter), (.outOctets, outBefore, outAfter)] {
            let delta: UInt64
            switch (before, after) {
            case let (.counter64(b), .counter64(a)):
                guard a >= b else { return .discarded(.counterWentBack(name)) }
                delta = a - b
            case let (.counter32(b), .counter32(a)):
                if let speed, let limit, limit >= WideProduct(Self.wrap32, times: Self.octetScale) {
                    // At its speed the port could move a whole 2^32 octets in the interval: a second wrap
                    // would look like none.
                    return .discarded(.ambiguousWrap(name, speed: speed, millis: millis))
                }
                delta = Self.delta32(b, a)
                if a < b { wrapped.append(name) }
            default:
                return .discarded(.counterWidthChanged(name))
            }
            if let speed, let limit, WideProduct(delta, times: Self.octetScale) > limit {
                return .discarded(.overSpeed(name, speed: speed, tolerancePercent: settings.speedTolerancePercent))
            }
            octets.append(delta)
        }

        var counts: [CounterName: UInt64] = [:]
        for name in [CounterName.inErrors, .outErrors, .inDiscards, .outDiscards] {
            guard let b = previous.errorCounter(name), let a = current.errorCounter(name) else { continue }
            let delta = Self.delta32(b, a)
            if a < b { wrapped.append(name) }
            if let speed, let limit, WideProduct(delta, times: Self.packetScale) > limit {
                return .discarded(.overSpeed(name, speed: speed, tolerancePercent: settings.speedTolerancePercent))
            }
            counts[name] = delta
        }

        guard let end = EpochMillis.of(current.at),
              let sample = TrafficSample(start: end - millis, end: end, inOctets: octets[0], outOctets: octets[1],
                                         inErrors: counts[.inErrors], outErrors: counts[.outErrors],
                                         inDiscards: counts[.inDiscards], outDiscards: counts[.outDiscards]) else {
            return .discarded(.timestampUnusable)
        }
        let portSpeed = current.speed.flatMap { $0 > 0 ? $0 : nil } ?? speed
        return .measured(InterfaceRates(
            sample: sample, source: source, wrapped: wrapped, speed: portSpeed,
            portUtilisation: portSpeed.map { Self.utilisation(sample, in: $0, out: $0) },
            committedUtilisation: committed.map { Self.utilisation(sample, in: $0.inBitsPerSecond, out: $0.outBitsPerSecond) }))
    }

    /// A 32-bit counter's delta, a decrease taken as one wrap.
    static func delta32(_ before: UInt32, _ after: UInt32) -> UInt64 {
        after >= before ? UInt64(after - before) : wrap32 - UInt64(before) + UInt64(after)
    }

    static func utilisation(_ sample: TrafficSample, in inCapacity: UInt64, out outCapacity: UInt64) -> Utilisation {
        Utilisation(inbound: inCapacity > 0 ? Double(sample.inBitsPerSecond) / Double(inCapacity) : 0,
                    outbound: outCapacity > 0 ? Double(sample.outBitsPerSecond) / Double(outCapacity) : 0)
    }

    /// The interval between two readings in milliseconds: the agent's sysUpTime delta where both readings
    /// have one, checked against the wall clock; the wall clock otherwise.
    enum Interval: Sendable, Hashable {
        case measured(Int64, IntervalSource)
        case discarded(RateDiscard)
    }

    func interval(_ previous: CounterReading, _ current: CounterReading) -> Interval {
        guard let end = EpochMillis.of(current.at) else { return .discarded(.timestampUnusable) }
        // Both within 1970…9999, so the difference cannot overflow.
        let wall = EpochMillis.of(previous.at).map { end - $0 }
        guard let before = previous.sysUpTime, let after = current.sysUpTime else {
            guard let wall else { return .discarded(.timestampUnusable) }
            return wall < 0 ? .discarded(.clockWentBack(millis: wall)) : .measured(wall, .wallClock)
        }
        let tolerance = settings.clockTolerance(over: wall ?? 0)
        if after >= before {
            let uptime = Int64(after - before) * 10
            // The agent counted less time than passed: it restarted in between and counted up again.
            if let wall, wall > 0, uptime + tolerance < wall {
                return .discarded(.agentRestarted(before: before, after: after))
            }
            // More than the wall clock: trust the agent (the poller's clock may have been stepped back).
            return .measured(uptime, .agentUptime)
        }
        // sysUpTime went back: its wrap at 2^32 hundredths only if the wrapped delta matches the wall clock.
        let wrapped = (Int64(Self.wrap32) - Int64(before) + Int64(after)) * 10
        if let wall, wall > 0, abs(wrapped - wall) <= tolerance {
            return .measured(wrapped, .agentUptimeWrapped)
        }
        return .discarded(.agentRestarted(before: before, after: after))
    }
}
