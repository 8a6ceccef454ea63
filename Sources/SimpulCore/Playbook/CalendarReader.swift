import Foundation
import Yams

/// The office calendar as read from `Playbooks/calendar/holidays-<year>.yaml`: time zone, office
/// hours and holidays. Several yearly files merge into one calendar; they must agree on zone and hours.
public struct CalendarDefinition: Sendable, Hashable, Codable {
    public var timeZone: String
    /// `mon` … `sun`.
    public var days: [String]
    /// `"08:00"`.
    public var start: String
    public var end: String
    public var holidays: [WorkCalendar.Holiday]

    public init(timeZone: String = "Asia/Makassar", days: [String] = ["mon", "tue", "wed", "thu", "fri"],
                start: String = "08:00", end: String = "16:00", holidays: [WorkCalendar.Holiday] = []) {
        self.timeZone = timeZone
        self.days = days
        self.start = start
        self.end = end
        self.holidays = holidays
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The calendar to count with. Only call on a definition the reader accepted.
    public var calendar: WorkCalendar {
        WorkCalendar(timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Makassar")!,
                     officeDays: Set(days.compactMap { Self.dayNames.firstIndex(of: $0).map { $0 + 1 } }),
                     opens: Self.seconds(start) ?? 8 * 3600, closes: Self.seconds(end) ?? 16 * 3600,
                     holidays: holidays)
    }

    static func seconds(_ hhmm: String) -> Int? {
        let parts = hhmm.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 3600 + m * 60
    }
}

public enum CalendarReader {
    /// The years a holiday may fall in; checked before any day arithmetic.
    public static let years = 1970...2200

    /// `YYYY-MM-DD` with a year in `years`, before the date itself is checked.
    static func isHolidayDate(_ text: String) -> Bool {
        guard PlaybookReader.isISODate(text), let year = Int(text.prefix(4)) else { return false }
        return years.contains(year)
    }

    /// Reads and merges the calendar files. An empty list gives the WITA default without holidays.
    public static func read(_ documents: [PlaybookDocument]) -> (CalendarDefinition?, [InventoryIssue]) {
        let log = IssueLog()
        var merged: CalendarDefinition?
        var firstFile = ""
        var seenDates: [String: String] = [:]
        for document in documents {
            guard case .root(let root) = YAMLDocument.compose(document.text, file: document.file, log: log),
                  let top = FieldReader(root, file: document.file, path: "", log: log,
                                        allowed: ["time_zone", "office_hours", "holidays"]) else { continue }
            var definition = CalendarDefinition()
            if let zone = top.string("time_zone", required: true, expected: Text(id: "nama zona IANA, mis. Asia/Makassar", en: "an IANA zone name, e.g. Asia/Makassar")) {
                if TimeZone(identifier: zone) == nil {
                    top.fail("time_zone", Text(id: "zona waktu \"\(Excerpt.of(zone))\" tidak dikenal; gunakan Asia/Makassar (WITA), Asia/Jakarta (WIB) atau Asia/Jayapura (WIT)",
                                               en: "unknown time zone \"\(Excerpt.of(zone))\"; use Asia/Makassar (WITA), Asia/Jakarta (WIB) or Asia/Jayapura (WIT)"))
                }
                definition.timeZone = zone
            }
            if let hours = top.nested("office_hours", allowed: ["days", "start", "end"]) {
                var days: [String] = []
                for node in hours.sequence("days") {
                    let name = node.string?.lowercased() ?? ""
                    if CalendarDefinition.dayNames.contains(name) { days.append(name) } else {
                        hours.fail("days", Text(id: "\"\(Excerpt.of(name))\" bukan hari; tulis mon, tue, wed, thu, fri, sat atau sun",
                                                en: "\"\(Excerpt.of(name))\" is not a day; write mon, tue, wed, thu, fri, sat or sun"))
                    }
                }
                if !days.isEmpty { definition.days = days }
                for field in ["start", "end"] {
                    guard let text = hours.string(field, required: true, expected: Text(id: "jam \"HH:MM\"", en: "a time \"HH:MM\"")) else { continue }
                    if CalendarDefinition.seconds(text) == nil {
                        hours.fail(field, Text(id: "\"\(Excerpt.of(text))\" bukan jam; tulis \"HH:MM\" dalam tanda kutip, mis. \"08:00\"",
                                               en: "\"\(Excerpt.of(text))\" is not a time of day; write \"HH:MM\" in quotes, e.g. \"08:00\""))
                    } else if field == "start" { definition.start = text } else { definition.end = text }
                }
                if let s = CalendarDefinition.seconds(definition.start), let e = CalendarDefinition.seconds(definition.end), e <= s {
                    hours.fail("end", Text(id: "jam tutup harus setelah jam buka", en: "the closing time must be after the opening time"))
                }
            } else {
                top.missing("office_hours", Text(id: "{days: [mon, …], start: \"08:00\", end: \"16:00\"}", en: "{days: [mon, …], start: \"08:00\", end: \"16:00\"}"))
            }
            for (i, node) in top.sequence("holidays").enumerated() {
                guard let h = FieldReader(node, file: document.file, path: "holidays[\(i)]", log: log, allowed: ["date", "name", "kind"]) else { continue }
                let date = h.string("date", required: true, expected: Text(id: "tanggal YYYY-MM-DD", en: "a date YYYY-MM-DD"))
                let name = h.string("name", required: true, expected: Text(id: "nama hari libur", en: "the holiday's name"))
                let kind = h.choice("kind", WorkCalendar.Holiday.Kind.self, required: true)
                if let date, !Self.isHolidayDate(date) || WorkCalendar.dayNumber(date) == nil {
                    h.fail("date", Text(id: "\"\(Excerpt.of(date))\" bukan tanggal yang ada; tulis YYYY-MM-DD, tahun \(Self.years.lowerBound)–\(Self.years.upperBound)", en: "\"\(Excerpt.of(date))\" is not a real date; write YYYY-MM-DD, a year \(Self.years.lowerBound)–\(Self.years.upperBound)"))
                    continue
                }
                if let date, let other = seenDates[date] {
                    h.fail("date", Text(id: "\(date) sudah tercatat di \(other); tulis sekali saja", en: "\(date) is already listed at \(other); list it once"))
                    continue
                }
                if let date, let name, let kind {
                    seenDates[date] = "\(document.file):\(h.line)"
                    definition.holidays.append(WorkCalendar.Holiday(date: date, name: name, kind: kind))
                }
            }
            if var current = merged {
                if current.timeZone != definition.timeZone || current.days != definition.days ||
                    current.start != definition.start || current.end != definition.end {
                    top.fail("office_hours", Text(id: "zona waktu dan jam kantor harus sama dengan \(firstFile)",
                                                  en: "the time zone and office hours must match \(firstFile)"))
                }
                current.holidays += definition.holidays
                merged = current
            } else {
                merged = definition
                firstFile = document.file
            }
        }
        merged?.holidays.sort { $0.date < $1.date }
        return (log.count == 0 ? (merged ?? CalendarDefinition()) : nil, log.all)
    }
}
