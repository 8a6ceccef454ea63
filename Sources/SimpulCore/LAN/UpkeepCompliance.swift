import Foundation

/// One agency's upkeep standing in one year, for the board: visits done, the last and next visit,
/// and whether it is behind.
///
/// Behind when either holds, measured at the earlier of now and the year's last day:
/// - fewer visits were done in the year than the windows already over require (windows that
///   ended after the agency's `since` day count; a visit is done when its day is not after today);
/// - the last visit (or, with none, the agency's `since`) is more than
///   `UpkeepSchedule.longestWindowMonths` calendar months ago (6 for two visits a year).
public struct UpkeepCompliance: Sendable, Hashable {
    public var agency: String
    public var area: String?
    public var year: Int
    /// Known visits in the year on or before today.
    public var done: Int
    /// Windows of the year already over (that the agency existed for): visits that should be done by now.
    public var required: Int
    /// The latest known visit on or before today, any year.
    public var lastVisit: Date?
    /// The earliest visit ahead: a known one after today, or one of the plan's.
    public var nextPlanned: Date?
    public var behind: Bool

    /// `agency`'s standing in `year` as of `now`; `planned` may hold every agency's planned visits.
    public static func evaluate(_ agency: UpkeepAgency, year: Int, schedule: UpkeepSchedule, planned: [PlannedVisit],
                                timeZone: TimeZone, now: Date) -> UpkeepCompliance {
        let days = UpkeepDays(zone: timeZone)
        let today = days.day(now)
        let since = days.day(agency.since)
        let visits = agency.lastVisits.map(days.day).sorted()
        let yearStart = UpkeepDays.day(year: year, month: 1, day: 1)
        let yearEnd = UpkeepDays.day(year: year + 1, month: 1, day: 1)
        let done = visits.filter { $0 >= yearStart && $0 < yearEnd && $0 <= today }.count
        let required = (1...schedule.visitsPerYear).filter { index in
            let end = UpkeepDays.firstDay(year: year, month: schedule.windowMonths(index).upperBound + 1)
            return end <= today && end > since
        }.count
        let last = visits.last { $0 <= today }
        let futureKnown = visits.first { $0 > today }.map(days.start)
        let futurePlanned = planned.filter { $0.agency == agency.code }.map(\.due).min()
        let next = [futureKnown, futurePlanned].compactMap { $0 }.min()
        let at = min(today, yearEnd - 1)
        let reference = last ?? since
        let stale = at >= since && UpkeepDays.adding(months: schedule.longestWindowMonths, to: reference) < at
        return UpkeepCompliance(agency: agency.code, area: agency.area, year: year, done: done, required: required,
                                lastVisit: last.map(days.start), nextPlanned: next, behind: done < required || stale)
    }

    /// The board's order: behind first, then by the next visit (none last), then by agency code.
    public static func boardOrder(_ a: UpkeepCompliance, _ b: UpkeepCompliance) -> Bool {
        if a.behind != b.behind { return a.behind }
        switch (a.nextPlanned, b.nextPlanned) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.agency < b.agency
        }
    }

    /// `rows` in the board's order.
    public static func board(_ rows: [UpkeepCompliance]) -> [UpkeepCompliance] { rows.sorted(by: boardOrder) }
}
