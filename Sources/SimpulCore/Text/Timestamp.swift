import Foundation

/// UTC timestamps as stored (`2026-11-21T09:48:45.123Z`) and shown in the office's zone.
public enum Timestamp {
    /// The stored form: UTC, ISO 8601, milliseconds. Sorts as text.
    public static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (civil, msOfDay) = CivilDate.split(millis: millis)
        let h = msOfDay / 3_600_000, m = (msOfDay / 60_000) % 60, s = (msOfDay / 1000) % 60, ms = msOfDay % 1000
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    /// `v` in decimal with leading zeros to `width` digits.
    static func pad(_ v: Int64, _ width: Int) -> String {
        let text = String(v)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Parses the stored form back, exactly (integer arithmetic, no calendar rounding).
    public static func date(_ text: String) -> Date? {
        var parts: [Int] = []
        parts.reserveCapacity(7)
        var current = 0, digits = 0
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + Int(byte - 48)
                digits += 1
            } else if byte == 45 || byte == 84 || byte == 58 || byte == 46 || byte == 90 {  // - T : . Z
                if digits > 0 { parts.append(current) }
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        if digits > 0 { parts.append(current) }
        guard parts.count >= 6, (1...12).contains(parts[1]), (1...31).contains(parts[2]), parts[3] < 24, parts[4] < 60, parts[5] < 61 else { return nil }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5]
        let millis = parts.count > 6 ? parts[6] : 0
        return Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
    }
}

/// Shows times in the office's time zone, with its Indonesian abbreviation (WIB, WITA, WIT).
public struct OfficeTime: Sendable {
    public let timeZone: TimeZone

    public let abbreviation: String

    public init(identifier: String?) {
        timeZone = identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Makassar")!
        abbreviation = switch timeZone.identifier {
        case "Asia/Jakarta", "Asia/Pontianak": "WIB"
        case "Asia/Makassar": "WITA"
        case "Asia/Jayapura": "WIT"
        default: timeZone.abbreviation() ?? timeZone.identifier
        }
    }

    static let monthsID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    static let monthsEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `21 Nov 2026 17.48 WITA` (Indonesian uses a dot between hours and minutes).
    /// Plain arithmetic on the zone's offset at that instant (lists format a time per row).
    public func format(_ date: Date, _ language: Language) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: date))
        let (civil, msOfDay) = CivilDate.split(millis: seconds * 1000)
        let months = language == .id ? Self.monthsID : Self.monthsEN
        let separator = language == .id ? "." : ":"
        let hour = Timestamp.pad(msOfDay / 3_600_000, 2), minute = Timestamp.pad((msOfDay / 60_000) % 60, 2)
        return "\(civil.day) \(months[Int(civil.month) - 1]) \(civil.year) \(hour)\(separator)\(minute) \(abbreviation)"
    }

    /// A local time as people type it, `YYYY-MM-DD HH:MM` (a `T` instead of the space, and `.`
    /// instead of `:`, are taken too), in the office's zone; nil when it is not a real date and time.
    public func parse(local text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, parts[0].count == 10, let day = WorkCalendar.dayNumber(String(parts[0])) else { return nil }
        let clock = parts[1].split(whereSeparator: { $0 == ":" || $0 == "." })
        guard clock.count == 2, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]), let minute = Int(clock[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let naive = Double(day * 86_400 + hour * 3600 + minute * 60)
        // The zone's offset at that wall time (Indonesia keeps no daylight saving; taken at the instant anyway).
        let guess = Date(timeIntervalSince1970: naive)
        return Date(timeIntervalSince1970: naive - Double(timeZone.secondsFromGMT(for: guess)))
    }

    /// Formats a stored UTC timestamp, or returns it unchanged when it does not parse.
    public func format(stored: String, _ language: Language) -> String {
        Timestamp.date(stored).map { format($0, language) } ?? stored
    }
}

/// A proleptic Gregorian date from a count of days since 1970-01-01 (Howard Hinnant's algorithm).
struct CivilDate {
    var year: Int64
    var month: Int64
    var day: Int64

    init(daysSince1970: Int64) {
        let days = daysSince1970 + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The date of an instant in milliseconds since 1970, and the milliseconds into that day.
    static func split(millis: Int64) -> (CivilDate, msOfDay: Int64) {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        return (CivilDate(daysSince1970: days), millis - days * 86_400_000)
    }
}
