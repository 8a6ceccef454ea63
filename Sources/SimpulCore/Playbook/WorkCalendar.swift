import Foundation

/// The office's working time: office hours on office days in its time zone, minus national
/// holidays and cuti bersama. Counts office seconds between two instants in O(log holidays),
/// so every open ticket's clock can be re-evaluated on each page view.
public struct WorkCalendar: Sendable, Hashable {
    public struct Holiday: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case libur_nasional, cuti_bersama
        }
        /// `2026-08-17`.
        public var date: String
        public var name: String
        public var kind: Kind

        public init(date: String, name: String, kind: Kind) {
            self.date = date
            self.name = name
            self.kind = kind
        }
    }

    public let timeZone: TimeZone
    /// 1 = Monday … 7 = Sunday.
    public let officeDays: Set<Int>
    /// Office hours as seconds after local midnight.
    public let opens: Int
    public let closes: Int
    public let holidays: [Holiday]
    /// Local day numbers (days since 1970-01-01) of holidays that fall on office days, sorted.
    private let closedDays: [Int]
    private let weekMask: [Bool]
    private let officeDaysPerWeek: Int
    /// When the zone has one fixed offset (WITA, WIB, WIT), it is used without asking Foundation.
    private let fixedOffset: Int?

    public init(timeZone: TimeZone, officeDays: Set<Int> = [1, 2, 3, 4, 5], opens: Int = 8 * 3600, closes: Int = 16 * 3600,
                holidays: [Holiday] = []) {
        self.timeZone = timeZone
        self.officeDays = officeDays
        self.opens = opens
        self.closes = max(opens, closes)
        self.holidays = holidays.sorted { $0.date < $1.date }
        let mask = (1...7).map { officeDays.contains($0) }
        weekMask = mask
        officeDaysPerWeek = mask.filter { $0 }.count
        closedDays = Set(holidays.compactMap { Self.dayNumber($0.date) })
            .filter { mask[Self.weekday(ofDay: $0) - 1] }
            .sorted()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let offsets = stride(from: 0, to: 86_400 * 366 * 2, by: 86_400 * 30).map {
            timeZone.secondsFromGMT(for: now.addingTimeInterval(Double($0)))
        }
        fixedOffset = Set(offsets).count == 1 && timeZone.nextDaylightSavingTimeTransition(after: now) == nil ? offsets[0] : nil
    }

    /// WITA office hours (Mon–Fri 08:00–16:00) without holidays.
    public static let wita = WorkCalendar(timeZone: TimeZone(identifier: "Asia/Makassar")!)

    public var officeDay: Int { closes - opens }

    public func isHoliday(day: Int) -> Bool { binarySearch(day) != nil }

    /// The holiday on a local date, if any.
    public func holiday(on date: Date) -> Holiday? {
        let day = localDay(date)
        return holidays.first { Self.dayNumber($0.date) == day }
    }

    public func isOfficeDay(_ day: Int) -> Bool {
        weekMask[Self.weekday(ofDay: day) - 1] && binarySearch(day) == nil
    }

    /// Office seconds between two instants (0 when `to` is not after `from`).
    public func officeSeconds(from: Date, to: Date) -> Double {
        guard to > from else { return 0 }
        return position(to) - position(from)
    }

    /// Seconds of the given basis between two instants.
    public func seconds(_ basis: ClockBasis, from: Date, to: Date) -> Double {
        switch basis {
        case .wall: max(0, to.timeIntervalSince(from))
        case .office: officeSeconds(from: from, to: to)
        }
    }

    /// The instant `seconds` of the basis after `start`: for office time, the office second at which
    /// that much office time has passed (a step due exactly at closing is due at closing, not the next morning).
    public func adding(_ seconds: Double, _ basis: ClockBasis, to start: Date) -> Date {
        switch basis {
        case .wall: return start.addingTimeInterval(seconds)
        case .office: return addingOffice(seconds, to: start)
        }
    }

    func addingOffice(_ seconds: Double, to start: Date) -> Date {
        guard officeDaysPerWeek > 0, officeDay > 0 else { return .distantFuture }
        let target = position(start) + max(0, seconds)
        let length = Double(officeDay)
        // The target lies on the k-th office day (0-based) since the epoch, r seconds after opening.
        var k = (target / length).rounded(.up) - 1
        if k < 0 { k = 0 }
        let r = target - k * length
        let wanted = Int(k)
        // The day d with officeDaysBefore(d) == wanted that is itself an office day: the smallest d
        // with officeDaysBefore(d + 1) > wanted (the count is monotone, so search for it).
        var low = localDay(start) - 1
        var step = 8
        var high = low + step
        while officeDaysBefore(high + 1) <= wanted {
            low = high
            step *= 2
            high += step
        }
        while low + 1 < high {
            let mid = low + (high - low) / 2
            if officeDaysBefore(mid + 1) > wanted { high = mid } else { low = mid }
        }
        let day = high
        let localSeconds = Double(day) * 86_400 + Double(opens) + r
        return utc(localSeconds: localSeconds)
    }

    /// Office seconds since the epoch at `date`: the office days before its day, plus the office
    /// time elapsed on its day.
    func position(_ date: Date) -> Double {
        let local = date.timeIntervalSince1970 + Double(offset(date))
        let day = Int((local / 86_400).rounded(.down))
        let secondOfDay = local - Double(day) * 86_400
        var position = Double(officeDaysBefore(day)) * Double(officeDay)
        if isOfficeDay(day) {
            position += min(max(secondOfDay - Double(opens), 0), Double(officeDay))
        }
        return position
    }

    /// Office days in [epoch day 0, day): weekday count minus holidays on office days.
    func officeDaysBefore(_ day: Int) -> Int {
        let weeks = Int((Double(day) / 7).rounded(.down))
        var count = weeks * officeDaysPerWeek
        var d = weeks * 7
        while d < day {
            if weekMask[Self.weekday(ofDay: d) - 1] { count += 1 }
            d += 1
        }
        return count - lowerBound(day)
    }

    func offset(_ date: Date) -> Int { fixedOffset ?? timeZone.secondsFromGMT(for: date) }

    public func localDay(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + Double(offset(date))) / 86_400).rounded(.down))
    }

    func utc(localSeconds: Double) -> Date {
        let guess = Date(timeIntervalSince1970: localSeconds - Double(fixedOffset ?? 0))
        guard fixedOffset == nil else { return guess }
        let first = Date(timeIntervalSince1970: localSeconds - Double(timeZone.secondsFromGMT(for: guess)))
        return Date(timeIntervalSince1970: localSeconds - Double(timeZone.secondsFromGMT(for: first)))
    }

    private func binarySearch(_ day: Int) -> Int? {
        let i = lowerBound(day)
        return i < closedDays.count && closedDays[i] == day ? i : nil
    }

    /// Number of closed days before `day`.
    private func lowerBound(_ day: Int) -> Int {
        var low = 0, high = closedDays.count
        while low < high {
            let mid = (low + high) / 2
            if closedDays[mid] < day { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// 1 = Monday … 7 = Sunday; day 0 (1970-01-01) was a Thursday.
    static func weekday(ofDay day: Int) -> Int {
        ((day % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD`.
    public static func dayNumber(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        // The year is bounded before any arithmetic, so no text can make the day count overflow.
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1970...2200).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Days from civil (Howard Hinnant).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        // Reject dates such as 2026-02-30.
        guard dateString(day: days) == String(format: "%04d-%02d-%02d", y, m, d) else { return nil }
        return days
    }

    /// `2026-11-21` at midnight in `timeZone`: the one reading of a civil date typed by a person,
    /// for every front end. Nil unless it is a real date (not 2026-02-30) written YYYY-MM-DD with a
    /// year from 1970 to 2200.
    public static func midnight(_ text: String, in timeZone: TimeZone) -> Date? {
        guard text.count == 10, dayNumber(text) != nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    public static func dateString(day: Int) -> String {
        let text = Timestamp.string(Date(timeIntervalSince1970: Double(day) * 86_400))
        return String(text.prefix(10))
    }
}
