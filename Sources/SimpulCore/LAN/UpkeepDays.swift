import Foundation

/// Civil-date arithmetic in one time zone for the upkeep planner: days counted from 1970-01-01 in
/// the zone, months added the calendar way. Plain integer arithmetic (Howard Hinnant's algorithms),
/// no `Calendar`, so a thousand agencies plan in milliseconds.
struct UpkeepDays: Sendable {
    let zone: TimeZone

    /// The zone's day that `date` falls on.
    func day(_ date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    /// Midnight at the start of `day` in the zone.
    func start(_ day: Int) -> Date {
        let local = Double(day) * 86_400
        let guess = Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))))
        return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: guess)))
    }

    /// Days since 1970-01-01 of a civil date (the day is not checked against the month).
    static func day(year: Int, month: Int, day: Int) -> Int {
        let yy = month <= 2 ? year - 1 : year
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) {
        let date = CivilDate(daysSince1970: Int64(day))
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `day` plus `months` calendar months, the day of the month kept and clamped to the month's
    /// length: 31 August + 6 months is 28 (or 29) February.
    static func adding(months: Int, to day: Int) -> Int {
        let (y, m, d) = civil(day)
        let index = y * 12 + (m - 1) + months
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        return Self.day(year: year, month: month, day: min(d, daysIn(year: year, month: month)))
    }

    /// 0 = Monday … 6 = Sunday (day 0, 1970-01-01, was a Thursday).
    static func weekday(_ day: Int) -> Int { ((day % 7 + 7) % 7 + 3) % 7 }

    static func isWeekday(_ day: Int) -> Bool { weekday(day) < 5 }

    /// The first day of `month` (1-based, may be 13 for the next year's January) of `year`.
    static func firstDay(year: Int, month: Int) -> Int {
        month > 12 ? day(year: year + 1, month: month - 12, day: 1) : day(year: year, month: month, day: 1)
    }
}
