import Foundation

// The arithmetic of the fault reports (issue 13, "Reports"): calendar months in the office's zone,
// the provider's two clocks against its contract, outage intervals and availability, and the per-agency
// and per-technician tallies. Pure: every time is a parameter, nothing here reads a clock or a disk.

// MARK: - Months

/// A calendar month in the office's time zone, written `2026-11`: what the monthly reports are for.
public struct ReportMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// The years a report may ask for: bounded before any arithmetic.
    public static let years: ClosedRange<Int> = 2000...2100

    public init?(year: Int, month: Int) {
        guard Self.years.contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Exactly `YYYY-MM` (ASCII digits), a real month in `years`; nil otherwise.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || (48...57).contains($0.element) }),
              let year = Int(String(decoding: bytes[0..<4], as: UTF8.self)), let month = Int(String(decoding: bytes[5..<7], as: UTF8.self))
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `text` (trimmed) as a month, or a refusal that says how to write one.
    public static func parse(_ text: String) throws(MonthRefusal) -> ReportMonth {
        guard let month = ReportMonth(text.trimmingCharacters(in: .whitespaces)) else { throw MonthRefusal(typed: text) }
        return month
    }

    /// The month `date` falls in, in `zone`.
    public static func containing(_ date: Date, in zone: TimeZone) -> ReportMonth {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month], from: date)
        let year = min(max(parts.year ?? years.lowerBound, years.lowerBound), years.upperBound)
        return ReportMonth(year: year, month: parts.month ?? 1) ?? ReportMonth(year: years.lowerBound, month: 1)!
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    /// Midnight of its first day in `zone`.
    public func start(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: 1))!
    }

    /// Midnight of the next month's first day in `zone`: the month is [start, end).
    public func end(in zone: TimeZone) -> Date { next.start(in: zone) }

    /// The month after (December 2100 has one too, for its end).
    public var next: ReportMonth {
        month == 12 ? ReportMonth(unchecked: year + 1, 1) : ReportMonth(unchecked: year, month + 1)
    }

    /// The month before; nil before the first year a report may ask for.
    public var previous: ReportMonth? {
        month == 1 ? ReportMonth(year: year - 1, month: 12) : ReportMonth(year: year, month: month - 1)
    }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    static let namesID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
    static let namesEN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// `November 2026`, `Agustus 2026`.
    public func title(_ language: Language) -> String {
        (language == .id ? Self.namesID : Self.namesEN)[month - 1] + " \(year)"
    }

    public static func < (a: ReportMonth, b: ReportMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = ReportMonth(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a month: \(text)"))
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A month that is not written `YYYY-MM` or does not exist: says what was typed and how to write it.
public struct MonthRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public let text: Text

    public init(typed: String) {
        let shown = Excerpt.of(typed, length: 20)
        let years = "\(ReportMonth.years.lowerBound)–\(ReportMonth.years.upperBound)"
        text = Text(id: "bulan \"\(shown)\" tidak dikenal; tulis TTTT-BB, mis. 2026-11 (bulan 01–12, tahun \(years))",
                    en: "month \"\(shown)\" is not a month; write YYYY-MM, e.g. 2026-11 (months 01–12, years \(years))")
    }

    public var description: String { text.en }
}

// MARK: - Intervals

/// A stretch of time [start, end); empty when end is not after start.
public struct Span: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(_ start: Date, _ end: Date) {
        self.start = start
        self.end = end
    }

    public var seconds: TimeInterval { max(0, end.timeIntervalSince(start)) }
    public var isEmpty: Bool { end <= start }

    /// The part of this span inside `bounds`; nil when none of it is.
    public func clipped(to bounds: Span) -> Span? {
        let clipped = Span(max(start, bounds.start), min(end, bounds.end))
        return clipped.isEmpty ? nil : clipped
    }

    /// The same time as `spans`, as disjoint spans in order: overlapping or touching spans become one,
    /// empty ones are left out. Two faults of one link at once are one outage, never counted twice.
    public static func union(_ spans: [Span]) -> [Span] {
        var merged: [Span] = []
        for span in spans.filter({ !$0.isEmpty }).sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// The parts of `bounds` that none of `spans` covers, in order.
    public static func gaps(_ spans: [Span], within bounds: Span) -> [Span] {
        var gaps: [Span] = []
        var cursor = bounds.start
        for span in union(spans.compactMap { $0.clipped(to: bounds) }) {
            if span.start > cursor { gaps.append(Span(cursor, span.start)) }
            cursor = max(cursor, span.end)
        }
        if bounds.end > cursor { gaps.append(Span(cursor, bounds.end)) }
        return gaps
    }

    /// Whether the two share any time (touching is not sharing).
    public func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end && !isEmpty && !other.isEmpty }

    /// Seconds of `bounds` that any of `spans` covers.
    public static func covered(_ spans: [Span], within bounds: Span) -> TimeInterval {
        union(spans.compactMap { $0.clipped(to: bounds) }).reduce(0) { $0 + $1.seconds }
    }
}

// MARK: - The provider's clocks

/// What ended a clock, or where it was measured to.
public enum SLAEnd: String, Sendable, Hashable, Codable, CaseIterable {
    case acknowledged, restored
    /// The fault's ticket was closed (cancelled, or done) with neither recorded.
    case closed
    /// Not ended within the month: measured to its end.
    case monthEnd = "month_end"
    /// Not ended yet, in a month still running: measured to now.
    case now

    public var ended: Bool { self == .acknowledged || self == .restored || self == .closed }

    /// What ended it, or where it was measured to, as a phrase: `diterima` / `acknowledged`.
    public var title: Text {
        switch self {
        case .acknowledged: Text(id: "diterima penyedia", en: "acknowledged")
        case .restored: Text(id: "dipulihkan", en: "restored")
        case .closed: Text(id: "tiket ditutup", en: "ticket closed")
        case .monthEnd: Text(id: "belum selesai pada akhir bulan", en: "not done by the month's end")
        case .now: Text(id: "belum selesai sampai sekarang", en: "not done yet")
        }
    }
}

/// A clock read against the contract.
public enum SLAState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Ended within the contract's time.
    case met
    /// Ended after it: a breach.
    case breached
    /// Not ended by the month's end (or now) and already past the contract's time: a breach too.
    case overdue
    /// Not ended by the month's end (or now), still within the contract's time: no breach yet.
    case running

    public var isBreach: Bool { self == .breached || self == .overdue }

    public var title: Text {
        switch self {
        case .met: Text(id: "sesuai kontrak", en: "within the contract")
        case .breached: Text(id: "melanggar", en: "breached")
        case .overdue: Text(id: "melanggar, belum selesai", en: "breached, not done")
        case .running: Text(id: "berjalan, masih dalam kontrak", en: "running, within the contract")
        }
    }
}

/// One clock of one fault: from its start to what ended it (or to where it was measured), against
/// the contract's minutes.
public struct SLAReading: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var endedBy: SLAEnd
    public var limitMinutes: Int
    public var state: SLAState

    public var minutes: Double { max(0, end.timeIntervalSince(start)) / 60 }

    /// Reads a clock started at `start`: it ends at the earliest of `ends` that happened at or before
    /// `horizon` (never before its start); with none, it is measured to `horizon` (`horizonKind`:
    /// the month's end, or now). A breach is strictly more than `limitMinutes`: exactly the
    /// contract's time is within it.
    public static func read(start: Date, ends: [(at: Date?, kind: SLAEnd)], limitMinutes: Int, horizon: Date, horizonKind: SLAEnd) -> SLAReading {
        let limit = TimeInterval(max(0, limitMinutes)) * 60
        let happened = ends.compactMap { end in end.at.map { (at: max($0, start), kind: end.kind) } }.filter { $0.at <= horizon }
        if let first = happened.min(by: { $0.at < $1.at }) {
            let over = first.at.timeIntervalSince(start) > limit
            return SLAReading(start: start, end: first.at, endedBy: first.kind, limitMinutes: limitMinutes, state: over ? .breached : .met)
        }
        let end = max(horizon, start)
        let over = end.timeIntervalSince(start) > limit
        return SLAReading(start: start, end: end, endedBy: horizonKind, limitMinutes: limitMinutes, state: over ? .overdue : .running)
    }
}

/// The contract's terms a report is measured against.
public struct ContractTerms: Sendable, Hashable, Codable {
    public var responseMinutes: Int
    public var restoreMinutes: Int
    public var availabilityPercent: Double

    public init(responseMinutes: Int, restoreMinutes: Int, availabilityPercent: Double) {
        self.responseMinutes = responseMinutes
        self.restoreMinutes = restoreMinutes
        self.availabilityPercent = availabilityPercent
    }
}

/// A fault escalated to the provider, as its times stand.
public struct EscalatedFault: Sendable, Hashable {
    public var id: Int64
    public var linkID: Int64?
    /// When the outage started: the restore clock runs from here.
    public var startedAt: Date
    /// The first escalation: the response clock runs from here.
    public var escalatedAt: Date
    public var acknowledgedAt: Date?
    public var restoredAt: Date?
    /// When its ticket was closed (done or cancelled).
    public var closedAt: Date?

    public init(id: Int64, linkID: Int64?, startedAt: Date, escalatedAt: Date, acknowledgedAt: Date?, restoredAt: Date?, closedAt: Date?) {
        self.id = id
        self.linkID = linkID
        self.startedAt = startedAt
        self.escalatedAt = escalatedAt
        self.acknowledgedAt = acknowledgedAt
        self.restoredAt = restoredAt
        self.closedAt = closedAt
    }

    /// The response clock: from the escalation to the acknowledgement. A restoration with no
    /// acknowledgement recorded is the provider's response too (the ladder stops at either), and a
    /// ticket closed with neither stops it.
    public func response(_ terms: ContractTerms, horizon: Date, horizonKind: SLAEnd) -> SLAReading {
        SLAReading.read(start: escalatedAt, ends: [(acknowledgedAt, .acknowledged), (restoredAt, .restored), (closedAt, .closed)],
                          limitMinutes: terms.responseMinutes, horizon: horizon, horizonKind: horizonKind)
    }

    /// The restore clock: from the outage's start to the restoration (or the ticket's close).
    public func restore(_ terms: ContractTerms, horizon: Date, horizonKind: SLAEnd) -> SLAReading {
        SLAReading.read(start: startedAt, ends: [(restoredAt, .restored), (closedAt, .closed)],
                          limitMinutes: terms.restoreMinutes, horizon: horizon, horizonKind: horizonKind)
    }

    /// When the link was out because of it: from the outage's start to the restoration, the close, or `now`.
    public func outage(now: Date) -> Span { Span(startedAt, restoredAt ?? closedAt ?? max(now, startedAt)) }
}

/// A fault on one of the provider's links, for the outage minutes: escalated to this provider or not.
public struct LinkOutage: Sendable, Hashable {
    public var linkID: Int64
    public var span: Span
    /// Escalated to the provider: counts against its contract. The others (fixed by the office, a
    /// user-side fault) are shown beside it, never counted against it.
    public var escalated: Bool

    public init(linkID: Int64, span: Span, escalated: Bool) {
        self.linkID = linkID
        self.span = span
        self.escalated = escalated
    }
}

/// What the link-health poller measured of one link (issue 14): when it knew the link's state, and
/// when the link was down. Where it knew, its measurement is the outage; where it did not (before it
/// watched the link, the device unanswered while the link was up, a flapping episode whose minutes
/// are not exact), the faults' recorded times are.
public struct LinkMeasurement: Sendable, Hashable {
    /// When the poller knew whether the link was out: up, degraded or down.
    public var known: [Span]
    /// When it was down, by the poller's state machine (from the first failed poll to the first good one).
    public var down: [Span]

    public init(known: [Span], down: [Span]) {
        self.known = Span.union(known)
        self.down = Span.union(down)
    }

    /// From the link's states over time, as the poller recorded them.
    public init(states: [(state: LinkState, span: Span)]) {
        self.init(known: states.filter { [.up, .degraded, .down].contains($0.state) }.map(\.span),
                  down: states.filter { $0.state == .down }.map(\.span))
    }
}

/// Mean and 95th percentile of some minutes.
public struct MinuteFigures: Sendable, Hashable, Codable {
    public var count: Int
    public var meanMinutes: Double?
    public var p95Minutes: Double?

    public init(_ minutes: [Double]) {
        count = minutes.count
        meanMinutes = minutes.isEmpty ? nil : minutes.reduce(0, +) / Double(minutes.count)
        p95Minutes = Percentile.nearestRank(minutes.sorted(), 0.95)
    }
}

/// One provider's month against its contract (issue 13): the faults escalated to it in the month,
/// each one's response and restore clocks, the breaches, and each link's outage and availability.
///
/// A fault belongs to the month of its first escalation. A clock ends at its event if that happened
/// by the month's end; otherwise it is measured to the month's end (to now while the month runs) and
/// is a breach once past the contract's time (`overdue`). A clock still within the contract at the
/// month's end (`running`) is not a breach yet: it is carried into the next month, and read there in
/// full, so an escalation late on the last day is neither lost nor counted twice.
public struct ProviderMonth: Sendable, Hashable {
    public struct FaultResult: Sendable, Hashable {
        public var fault: EscalatedFault
        /// Escalated in an earlier month; a clock of it was still within the contract when this month began.
        public var carriedOver: Bool
        /// Nil when the clock was settled in an earlier month's report.
        public var response: SLAReading?
        public var restore: SLAReading?

        public var isBreach: Bool { (response?.state.isBreach ?? false) || (restore?.state.isBreach ?? false) }
    }

    public struct LinkResult: Sendable, Hashable {
        public var linkID: Int64
        /// Seconds of the period the link was out with a fault escalated to the provider (the union, clipped).
        public var outageSeconds: TimeInterval
        /// The same over every fault on the link, the office's own included.
        public var allFaultsOutageSeconds: TimeInterval
        /// 1 − outage ÷ the period; nil for an empty period.
        public var availability: Double?
        public var meetsContract: Bool
        /// Faults escalated to the provider on the link overlapping the period.
        public var faults: Int
        /// Seconds of the period whose outage the poller measured (0: every minute is from the faults' records).
        public var measuredSeconds: TimeInterval
    }

    public var period: Span
    /// The month is over: measured to its end, not to now.
    public var complete: Bool
    public var faults: [FaultResult]
    public var response: MinuteFigures
    public var restore: MinuteFigures
    public var links: [LinkResult]

    public var escalatedInMonth: Int { faults.filter { !$0.carriedOver }.count }
    public var responseBreaches: Int { faults.filter { $0.response?.state.isBreach ?? false }.count }
    public var restoreBreaches: Int { faults.filter { $0.restore?.state.isBreach ?? false }.count }
    public var breaches: [FaultResult] { faults.filter(\.isBreach) }

    /// The month [`start`, `end`) as of `now`; `faults` escalated to the provider (those of the month
    /// and the candidates carried from before it, any order), `outages` of faults on its links, and
    /// `links` (the provider's links, listed even with no fault), and what the poller `measured` of
    /// them. A link's outage is the poller's down time where it knew the link's state — against the
    /// provider when a fault escalated to it overlaps that down time — and the faults' recorded
    /// times for the rest of the period.
    public static func evaluate(start: Date, end: Date, now: Date, terms: ContractTerms, faults: [EscalatedFault], outages: [LinkOutage],
                                links: [Int64], measured: [Int64: LinkMeasurement] = [:]) -> ProviderMonth {
        let complete = now >= end
        let horizon = max(start, min(end, now))
        let horizonKind: SLAEnd = complete ? .monthEnd : .now
        var results: [FaultResult] = []
        for fault in faults.sorted(by: { ($0.escalatedAt, $0.id) < ($1.escalatedAt, $1.id) }) {
            if fault.escalatedAt >= start && fault.escalatedAt < end {
                guard fault.escalatedAt <= horizon else { continue }
                results.append(FaultResult(fault: fault, carriedOver: false, response: fault.response(terms, horizon: horizon, horizonKind: horizonKind),
                                           restore: fault.restore(terms, horizon: horizon, horizonKind: horizonKind)))
            } else if fault.escalatedAt < start {
                // Read as the month before ended: a clock still running within the contract then is read here.
                let carryResponse = fault.response(terms, horizon: start, horizonKind: .monthEnd).state == .running
                let carryRestore = fault.restore(terms, horizon: start, horizonKind: .monthEnd).state == .running
                guard carryResponse || carryRestore else { continue }
                results.append(FaultResult(fault: fault, carriedOver: true,
                                           response: carryResponse ? fault.response(terms, horizon: horizon, horizonKind: horizonKind) : nil,
                                           restore: carryRestore ? fault.restore(terms, horizon: horizon, horizonKind: horizonKind) : nil))
            }
        }
        let period = Span(start, horizon)
        let byLink = Dictionary(grouping: outages, by: \.linkID)
        let linkIDs = Array(Set(links).union(byLink.keys)).sorted()
        let linkResults = linkIDs.map { id -> LinkResult in
            let all = byLink[id] ?? []
            let escalated = all.filter(\.escalated)
            var outageSpans = escalated.map(\.span)
            var allSpans = all.map(\.span)
            var measuredSeconds: TimeInterval = 0
            if let measurement = measured[id] {
                // Where the poller knew, its down time; elsewhere, the records clipped to what it did not know.
                let unknown = Span.gaps(measurement.known, within: period)
                func recorded(_ spans: [Span]) -> [Span] { spans.flatMap { span in unknown.compactMap { span.clipped(to: $0) } } }
                let down = measurement.down.compactMap { $0.clipped(to: period) }
                outageSpans = down.filter { d in escalated.contains { $0.span.overlaps(d) } } + recorded(outageSpans)
                allSpans = down + recorded(allSpans)
                measuredSeconds = Span.covered(measurement.known, within: period)
            }
            let outage = Span.covered(outageSpans, within: period)
            let availability = period.seconds > 0 ? 1 - outage / period.seconds : nil
            return LinkResult(linkID: id, outageSeconds: outage, allFaultsOutageSeconds: Span.covered(allSpans, within: period),
                              availability: availability,
                              meetsContract: availability.map { $0 * 100 + 1e-9 >= terms.availabilityPercent } ?? true,
                              faults: escalated.filter { $0.span.clipped(to: period) != nil }.count, measuredSeconds: measuredSeconds)
        }
        return ProviderMonth(period: period, complete: complete, faults: results,
                             response: MinuteFigures(results.compactMap { $0.response?.minutes }),
                             restore: MinuteFigures(results.compactMap { $0.restore?.minutes }),
                             links: linkResults)
    }
}

// MARK: - Per agency and per technician

/// Faults grouped (by agency, or by technician): how many, how many repaired, the mean time to
/// repair (from the outage's start to the restoration, or to the result step when the office fixed
/// it itself), and the causes.
public struct FaultTally: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var key: String
        public var startedAt: Date
        /// Restored, or the result step reached; nil while it is not repaired.
        public var repairedAt: Date?
        public var cause: FaultCause?

        public init(key: String, startedAt: Date, repairedAt: Date?, cause: FaultCause?) {
            self.key = key
            self.startedAt = startedAt
            self.repairedAt = repairedAt
            self.cause = cause
        }
    }

    public struct Group: Sendable, Hashable {
        public var key: String
        public var faults: Int
        public var repaired: Int
        /// Mean seconds to repair over the repaired ones; nil with none.
        public var mttrSeconds: Double?
        public var causes: [FaultCause: Int]
        /// Faults with no cause recorded yet.
        public var noCause: Int
    }

    /// One group per key, most faults first (then by key); `total` over every item.
    public static func groups(_ items: [Item]) -> (groups: [Group], total: Group) {
        func group(_ key: String, _ list: [Item]) -> Group {
            let repairs = list.compactMap { item in item.repairedAt.map { max(0, $0.timeIntervalSince(item.startedAt)) } }
            var causes: [FaultCause: Int] = [:]
            for item in list { if let cause = item.cause { causes[cause, default: 0] += 1 } }
            return Group(key: key, faults: list.count, repaired: repairs.count,
                         mttrSeconds: repairs.isEmpty ? nil : repairs.reduce(0, +) / Double(repairs.count),
                         causes: causes, noCause: list.filter { $0.cause == nil }.count)
        }
        let groups = Dictionary(grouping: items, by: \.key).map { group($0.key, $0.value) }
            .sorted { ($1.faults, $0.key) < ($0.faults, $1.key) }
        return (groups, group("", items))
    }
}
