import Foundation

/// UTC timestamps as stored (`2026-11-21T09:48:45.123Z`) and shown in the office's zone.
public enum Timestamp {
    /// The stored form: UTC, ISO 8601, milliseconds. Sorts as text.
    public static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        let h = msOfDay / 3_600_000, m = (msOfDay / 60_000) % 60, s = (msOfDay / 1000) % 60, ms = msOfDay % 1000
        func pad(_ v: Int64, _ width: Int) -> String {
            let text = String(v)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
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

    public init(identifier: String?) {
        timeZone = identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Makassar")!
    }

    public var abbreviation: String {
        switch timeZone.identifier {
        case "Asia/Jakarta", "Asia/Pontianak": "WIB"
        case "Asia/Makassar": "WITA"
        case "Asia/Jayapura": "WIT"
        default: timeZone.abbreviation() ?? timeZone.identifier
        }
    }

    static let monthsID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    static let monthsEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `21 Nov 2026 17.48 WITA` (Indonesian uses a dot between hours and minutes).
    public func format(_ date: Date, _ language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let months = language == .id ? Self.monthsID : Self.monthsEN
        let separator = language == .id ? "." : ":"
        let hour = String(format: "%02d", c.hour ?? 0), minute = String(format: "%02d", c.minute ?? 0)
        return "\(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) \(hour)\(separator)\(minute) \(abbreviation)"
    }

    /// Formats a stored UTC timestamp, or returns it unchanged when it does not parse.
    public func format(stored: String, _ language: Language) -> String {
        Timestamp.date(stored).map { format($0, language) } ?? stored
    }
}
