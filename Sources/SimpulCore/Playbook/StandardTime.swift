import Foundation

/// A step's standard time (mutu baku: waktu) as the SOP writes it: `5m`, `3h`, `2d`, `1w`, `30wd`.
public struct StandardTime: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case minutes = "m", hours = "h", days = "d", weeks = "w", workingDays = "wd"
    }

    public var value: Int
    public var unit: Unit

    public init(value: Int, unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// Parses `60m`, `15h`, `2d`, `1w`, `30wd`; nil for anything else (no zero, no fractions, no
    /// more than `maximum`). `parse` says which.
    public init?(_ text: String) {
        guard case .success(let time) = Self.parse(text) else { return nil }
        self = time
    }

    /// Why a text is not a standard time.
    public enum Problem: Error, Sendable, Hashable {
        /// Not a whole number followed by one of the units.
        case notDuration
        /// `0m`, `0wd`: a standard must be above zero.
        case zero
        /// More than a year: the most a standard may be in this unit.
        case tooLong(maximum: StandardTime)
    }

    /// The most a standard may be, per unit: a year (`527040m`, `8784h`, `366d`, `52w`, `262wd`).
    /// Keeps every count of seconds far from overflow.
    public static func maximum(_ unit: Unit) -> Int {
        switch unit {
        case .minutes: 366 * 24 * 60
        case .hours: 366 * 24
        case .days: 366
        case .weeks: 52
        case .workingDays: 262
        }
    }

    /// `text` as a standard time, or why it is not one.
    public static func parse(_ text: String) -> Result<StandardTime, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, let unit = Unit(rawValue: String(trimmed.dropFirst(digits.count))) else {
            return .failure(.notDuration)
        }
        let significant = digits.drop(while: { $0 == "0" })
        if significant.isEmpty { return .failure(.zero) }
        let top = maximum(unit)
        guard significant.count <= 7, let value = Int(significant), value <= top else {
            return .failure(.tooLong(maximum: StandardTime(value: top, unit: unit)))
        }
        return .success(StandardTime(value: value, unit: unit))
    }

    public var description: String { "\(value)\(unit.rawValue)" }

    /// How the standard is counted for a step on `calendar`: minutes and hours follow the step's
    /// calendar, days and weeks are always wall-clock, working days always office time.
    public func basis(on calendar: CalendarKind) -> ClockBasis {
        switch unit {
        case .days, .weeks: .wall
        case .workingDays: .office
        case .minutes, .hours: calendar == .workingDays ? .office : .wall
        }
    }

    /// The standard in seconds of its basis; a working day is one office day.
    public func seconds(officeDay: Int) -> Int {
        switch unit {
        case .minutes: value * 60
        case .hours: value * 3600
        case .days: value * 86_400
        case .weeks: value * 604_800
        case .workingDays: value * officeDay
        }
    }

    /// `60 menit`, `3 jam`, `30 hari kerja` (`60 minutes` …), written by `Format`.
    public var text: Text { Format.both { $0.standard(self) } }
}

extension Format {
    /// A step's standard time: `60 menit`, `3 jam`, `2 hari`, `1 minggu`, `30 hari kerja`.
    public func standard(_ time: StandardTime) -> String {
        let unit: TimeUnit = switch time.unit {
        case .minutes: .minutes
        case .hours: .hours
        case .days: .days
        case .weeks: .weeks
        case .workingDays: .workingDays
        }
        return amount(time.value, unit)
    }
}

/// Which calendar a playbook or step runs on.
public enum CalendarKind: String, Sendable, Codable, CaseIterable {
    case allHours = "24x7"
    case workingDays = "working-days"
}

/// What a clock counts: every second of the wall clock, or only office hours.
public enum ClockBasis: String, Sendable, Codable {
    case wall, office
}

/// A span of seconds as `Format.duration` writes it (`3 hari 8 jam`, `2 hours 5 minutes`).
public enum DurationText {
    public static func format(_ seconds: Double, _ language: Language) -> String {
        Format(language).duration(seconds)
    }
}
