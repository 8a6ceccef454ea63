import Foundation

// The LAN upkeep planner (the SOP's "at least two checks a year at every agency"): which visits are
// due when, for every agency, over one or more calendar years. Pure: the time zone and now are
// parameters; a thousand agencies over two years plan in milliseconds (integer day arithmetic).

/// An agency as the planner sees it.
public struct UpkeepAgency: Sendable, Hashable, Codable {
    /// The agency's code in the inventory; the plan's key (a repeated code is one agency).
    public var code: String
    /// When it joined the district's inventory: no visit is planned in a window that ended before.
    public var since: Date
    /// Its area (kecamatan, cluster), for the board; the planner does not use it.
    public var area: String?
    /// Its visits known to the office, completed or already planned, any order.
    public var lastVisits: [Date]

    public init(code: String, since: Date, area: String? = nil, lastVisits: [Date] = []) {
        self.code = code
        self.since = since
        self.area = area
        self.lastVisits = lastVisits
    }
}

/// A visit the planner asks for: one agency, one window of one year.
public struct PlannedVisit: Sendable, Hashable, Codable {
    public var agency: String
    public var year: Int
    /// Which window of the year, 1 … visitsPerYear.
    public var index: Int
    /// The target day, midnight at its start in the office's zone.
    public var due: Date
    /// When its ticket opens: `openAheadDays` days before `due` (midnight).
    public var opensAt: Date
    /// The window [windowStart, windowEnd) the visit belongs to, midnights in the office's zone.
    public var windowStart: Date
    public var windowEnd: Date
    /// Its spread date had passed without a visit: due today, first in line.
    public var overdue: Bool
}

/// A visit the planner could not place in its window, with the reason: never dropped silently.
public struct UpkeepConflict: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// The window ended (before now) without a known visit: the visit was missed.
        case missed
        /// The visit before (`previous`) leaves the earliest allowed day (`earliest`) past the window's end.
        case gapBeyondWindow(previous: Date, earliest: Date)
        /// A known later visit (`next`) needs this one by `latest`, before anything the window allows.
        case tooCloseToNextVisit(next: Date, latest: Date)
    }

    public var agency: String
    public var year: Int
    public var index: Int
    public var windowStart: Date
    public var windowEnd: Date
    public var reason: Reason
    /// What happened and what to do, in both languages.
    public var text: Text
}

/// The planned upkeep visits over a range of years, and the visits that could not be placed.
///
/// Rules:
/// - **Windows.** Each year is split into `visitsPerYear` windows of whole calendar months
///   (`UpkeepSchedule.windowMonths`); one visit per agency per window.
/// - **Covered.** A window with a known visit (`lastVisits`) inside it is not planned again.
/// - **Newcomers.** A window that ended on or before the agency's `since` day is not planned; in
///   the window it joined, the visit is due no earlier than its `since` day.
/// - **Spreading.** Each agency has a fixed point in [0, 1) from a stable hash of its code
///   (FNV-1a 64 with a SplitMix finaliser; the same on every machine and run, and unaffected by
///   other agencies joining). Its visit is due on the weekday (Monday–Friday) at that point of the
///   window's weekdays, so 40 agencies spread over the window's ~130 weekdays and one agency sits at
///   the same point of every window (its visits about a window apart). Holidays are not known here.
/// - **Gap.** A visit is due no earlier than the agency's previous visit (known or planned) plus
///   `minimumGapMonths` calendar months (day of month kept, clamped to the month's end), and no
///   later than a known later visit minus that gap. The spread day is moved into those bounds (to
///   the next weekday when there is one in bounds); when the bounds are empty the visit is a
///   conflict with its reason. Years of a range are planned in order, so December's visit and the
///   next January's respect the gap.
/// - **Overdue.** A visit whose day is before today, in a window not yet over, is due today.
///   A window already over with no known visit is a `missed` conflict.
public struct UpkeepPlan: Sendable, Hashable {
    /// The years a plan may cover.
    public static let years: ClosedRange<Int> = 2000...2100
    /// The most years one plan covers.
    public static let maximumYears = 10

    /// The visits to make, by due date (then agency, year, window).
    public var visits: [PlannedVisit]
    /// The visits that could not be placed, by agency, year, window.
    public var conflicts: [UpkeepConflict]

    /// Plans `years` for `agencies` under `schedule` in `timeZone`, as of `now`.
    public static func plan(agencies: [UpkeepAgency], years: ClosedRange<Int>, schedule: UpkeepSchedule,
                            timeZone: TimeZone, now: Date) throws(UpkeepRefusal) -> UpkeepPlan {
        guard Self.years.contains(years.lowerBound), Self.years.contains(years.upperBound), years.count <= maximumYears else {
            throw UpkeepRefusal(.years(years))
        }
        let days = UpkeepDays(zone: timeZone)
        let windows = years.flatMap { year in
            (1...schedule.visitsPerYear).map { index in Window(year: year, index: index, months: schedule.windowMonths(index)) }
        }
        let today = days.day(now)
        let gap = schedule.minimumGapMonths

        // One entry per code: the earliest `since`, every known visit.
        var merged: [String: (since: Int, visits: [Int])] = [:]
        for agency in agencies {
            let since = days.day(agency.since)
            let visits = agency.lastVisits.map(days.day)
            if let existing = merged[agency.code] {
                merged[agency.code] = (min(existing.since, since), existing.visits + visits)
            } else {
                merged[agency.code] = (since, visits)
            }
        }

        var visits: [PlannedVisit] = []
        var conflicts: [UpkeepConflict] = []
        visits.reserveCapacity(merged.count * windows.count)
        for code in merged.keys.sorted() {
            guard let entry = merged[code] else { continue }
            let known = Array(Set(entry.visits)).sorted()
            let point = spreadPoint(code)
            var previous: Int?
            var p = 0
            for window in windows {
                while p < known.count, known[p] < window.start {
                    previous = max(previous ?? known[p], known[p])
                    p += 1
                }
                var q = p
                while q < known.count, known[q] < window.end { q += 1 }
                if q > p {
                    previous = max(previous ?? known[q - 1], known[q - 1])
                    p = q
                    continue
                }
                guard window.end > entry.since else { continue }
                func conflict(_ reason: UpkeepConflict.Reason) {
                    conflicts.append(UpkeepConflict(agency: code, year: window.year, index: window.index, windowStart: days.start(window.start),
                                                    windowEnd: days.start(window.end), reason: reason,
                                                    text: conflictText(code, window, reason, days)))
                }
                if window.end <= today {
                    conflict(.missed)
                    continue
                }
                let gapLower = previous.map { gap > 0 ? UpkeepDays.adding(months: gap, to: $0) : $0 }
                let lower = max(window.start, entry.since, today, gapLower ?? window.start)
                let next = q < known.count ? known[q] : nil
                let gapUpper = next.map { gap > 0 ? UpkeepDays.adding(months: -gap, to: $0) : $0 }
                let upper = min(window.end - 1, gapUpper ?? window.end - 1)
                if let previous, let gapLower, gapLower >= window.end {
                    conflict(.gapBeyondWindow(previous: days.start(previous), earliest: days.start(gapLower)))
                    continue
                }
                if let next, let gapUpper, gapUpper < lower {
                    conflict(.tooCloseToNextVisit(next: days.start(next), latest: days.start(gapUpper)))
                    continue
                }
                let spread = window.weekdays[Int((point * UInt64(window.weekdays.count)) >> 32)]
                var due = min(max(spread, lower), upper)
                if !UpkeepDays.isWeekday(due), due != today {
                    if let weekday = (due...upper).first(where: UpkeepDays.isWeekday) {
                        due = weekday
                    } else if let weekday = (lower...due).reversed().first(where: UpkeepDays.isWeekday) {
                        due = weekday
                    }
                }
                visits.append(PlannedVisit(agency: code, year: window.year, index: window.index, due: days.start(due),
                                           opensAt: days.start(due - schedule.openAheadDays), windowStart: days.start(window.start),
                                           windowEnd: days.start(window.end), overdue: spread < today && due == today))
                previous = due
            }
        }
        visits.sort { ($0.due, $0.agency, $0.year, $0.index) < ($1.due, $1.agency, $1.year, $1.index) }
        return UpkeepPlan(visits: visits, conflicts: conflicts)
    }

    /// One window of one year: day numbers [start, end) and its weekdays.
    struct Window {
        let year: Int
        let index: Int
        let start: Int
        let end: Int
        let weekdays: [Int]

        init(year: Int, index: Int, months: ClosedRange<Int>) {
            self.year = year
            self.index = index
            start = UpkeepDays.firstDay(year: year, month: months.lowerBound)
            end = UpkeepDays.firstDay(year: year, month: months.upperBound + 1)
            weekdays = (start..<end).filter(UpkeepDays.isWeekday)
        }
    }

    /// The agency's fixed point in the windows, as a 32-bit fraction: FNV-1a 64 of its code's UTF-8,
    /// mixed by SplitMix64's finaliser. Stable across runs and machines (unlike `Hasher`).
    static func spreadPoint(_ code: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in code.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return hash >> 32
    }

    private static func conflictText(_ code: String, _ window: Window, _ reason: UpkeepConflict.Reason, _ days: UpkeepDays) -> Text {
        let agency = Excerpt.of(code, length: 40)
        let from = WorkCalendar.dateString(day: window.start), to = WorkCalendar.dateString(day: window.end - 1)
        let which = "\(window.index)/\(window.year) (\(from) – \(to))"
        func date(_ d: Date) -> String { WorkCalendar.dateString(day: days.day(d)) }
        return switch reason {
        case .missed:
            Text(id: "kunjungan pemeliharaan \(which) untuk \(agency) terlewat: jendelanya sudah berakhir tanpa kunjungan tercatat; catat kunjungannya bila sudah dilakukan, atau jadwalkan segera",
                 en: "upkeep visit \(which) for \(agency) was missed: its window ended with no visit recorded; record the visit if it was made, or schedule one at once")
        case .gapBeyondWindow(let previous, let earliest):
            Text(id: "kunjungan pemeliharaan \(which) untuk \(agency) tidak muat: kunjungan sebelumnya \(date(previous)), jadi yang berikutnya paling cepat \(date(earliest)), setelah jendelanya berakhir; majukan kunjungan sebelumnya atau perkecil jarak minimal",
                 en: "upkeep visit \(which) for \(agency) does not fit: the visit before was on \(date(previous)), so the next can be no earlier than \(date(earliest)), after its window ends; bring the earlier visit forward or lower the minimum gap")
        case .tooCloseToNextVisit(let next, let latest):
            Text(id: "kunjungan pemeliharaan \(which) untuk \(agency) tidak muat: kunjungan berikutnya sudah dijadwalkan \(date(next)), jadi yang ini paling lambat \(date(latest)), sebelum yang diizinkan jendelanya; geser kunjungan \(date(next)) atau perkecil jarak minimal",
                 en: "upkeep visit \(which) for \(agency) does not fit: the next visit is already set for \(date(next)), so this one would have to be by \(date(latest)), earlier than its window allows; move the \(date(next)) visit or lower the minimum gap")
        }
    }
}
