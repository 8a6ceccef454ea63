import Foundation

/// Every number, unit and amount a user reads, written the way one language writes it. The CLI and
/// the web both go through here, so a figure reads the same on a page and in a terminal.
///
/// Pure arithmetic, no Foundation locale: Indonesian groups thousands with `.` and writes decimals
/// with `,` (`1.250`, `99,5 %`); English the other way round (`1,250`, `99.5 %`). A percentage has
/// one space before `%` in both. Units are words, not letters: `72 jam` / `72 hours`, `3 hari` /
/// `3 days`, never `72h`.
public struct Format: Sendable, Hashable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    public static let id = Format(.id)
    public static let en = Format(.en)

    /// The same wording in both languages, for a message kept as `Text`.
    public static func both(_ body: (Format) -> String) -> Text { Text(id: body(.id), en: body(.en)) }

    var groupSeparator: String { language == .id ? "." : "," }
    var decimalSeparator: String { language == .id ? "," : "." }

    // MARK: Numbers

    /// A whole number with its thousands grouped: `1.250` / `1,250`.
    public func number<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        grouped.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += groupSeparator }
            grouped.append(digit)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// A number rounded to at most `places` decimals, trailing zeros left out: `2,5`, `99`, `0,25`.
    public func decimal(_ value: Double, places: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        let places = max(0, min(places, 6))
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let magnitude = abs(value)
        guard magnitude * Double(scale) < 9e15 else { return (value < 0 ? "−" : "") + number(Int64(magnitude.rounded())) }
        let scaled = Int64((magnitude * Double(scale)).rounded())
        var whole = number(scaled / scale)
        var fraction = String(scaled % scale)
        if places > 0 {
            fraction = String(repeating: "0", count: places - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { whole += decimalSeparator + fraction }
        }
        return (value < 0 && scaled != 0 ? "−" : "") + whole
    }

    // MARK: Rates

    /// Bits per second as a person reads them: `1,25 Gbit/s`, `12,5 Mbit/s`, `850 kbit/s`, `120 bit/s`.
    public func bitRate(_ bitsPerSecond: UInt64) -> String {
        switch bitsPerSecond {
        case 1_000_000_000...: decimal(Double(bitsPerSecond) / 1e9, places: 2) + " Gbit/s"
        case 1_000_000...: decimal(Double(bitsPerSecond) / 1e6, places: 1) + " Mbit/s"
        case 1000...: decimal(Double(bitsPerSecond) / 1e3, places: 0) + " kbit/s"
        default: number(bitsPerSecond) + " bit/s"
        }
    }

    // MARK: Shares

    /// A percentage given as 0–100: `99,5 %`, `2,6 %`, `0 %`; a share above zero that would round to
    /// zero is `< 0,1 %`, so that something used never reads as nothing.
    public func percent(_ value: Double, places: Int = 1) -> String {
        let shown = decimal(value, places: places)
        if value > 0, shown == "0" {
            return "< " + decimal(places == 0 ? 1 : 1 / pow10(places), places: places) + " %"
        }
        return shown + " %"
    }

    /// A share given as a fraction (0–1), as a whole percentage: `87 %`.
    public func share(_ fraction: Double) -> String { percent(fraction * 100, places: 0) }

    private func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= 10 }
        return result
    }

    // MARK: Units

    /// A rate in megabits per second: `1.250 Mbps`, `2,5 Mbps`.
    public func mbps(_ value: Double) -> String { decimal(value, places: 1) + " Mbps" }

    /// Watts: `3.500 W`.
    public func watts(_ value: Int) -> String { number(value) + " W" }

    /// A file size: `820 B`, `14 KB`, `2,4 MB`.
    public func bytes(_ size: Int) -> String {
        if size < 1024 { return "\(number(size)) B" }
        if size < 1024 * 1024 { return "\(number(Int((Double(size) / 1024).rounded()))) KB" }
        if size < 1024 * 1024 * 1024 { return decimal(Double(size) / 1_048_576, places: 1) + " MB" }
        return decimal(Double(size) / 1_073_741_824, places: 1) + " GB"
    }

    /// How many of something, however many: exact and grouped below 2^40, then the nearest power of
    /// two, `≈ 2^64` (a `Double` that large is not exact), never `1.8e+19`.
    public func count(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "–" }
        if value < 1_099_511_627_776 { return number(Int64(value.rounded())) }
        // Round the exponent up when the significand is past √2.
        let exponent = Int(value.exponent)
        return "≈ 2^\(value.significand >= 1.414_213_562_373_095 ? exponent + 1 : exponent)"
    }

    /// A count that may have saturated at `UInt64.max` (the size of a prefix of 64 host bits or more).
    public func count(_ value: UInt64) -> String {
        if value == .max { return "≥ 2^64" }
        if value.nonzeroBitCount == 1, value >= 1 << 40 { return "2^\(value.trailingZeroBitCount)" }
        return value < 1 << 40 ? number(value) : count(Double(value))
    }

    /// The number of addresses in a block of `hostBits` host bits: `256`, `2^64`.
    public func addresses(hostBits: Int) -> String {
        hostBits < 40 ? number(Int64(1) << Int64(max(0, hostBits))) : "2^\(hostBits)"
    }

    // MARK: Time

    /// Units of time as people say them.
    public enum TimeUnit: Sendable, Hashable, CaseIterable {
        case seconds, minutes, hours, days, weeks, workingDays
    }

    /// An amount of one unit: `72 jam` / `72 hours`, `1 hari` / `1 day`, `30 hari kerja` / `30 working days`.
    public func amount(_ value: Int, _ unit: TimeUnit) -> String {
        let n = number(value)
        switch language {
        case .id:
            let word = switch unit {
            case .seconds: "detik"
            case .minutes: "menit"
            case .hours: "jam"
            case .days: "hari"
            case .weeks: "minggu"
            case .workingDays: "hari kerja"
            }
            return "\(n) \(word)"
        case .en:
            let one = value == 1
            let word = switch unit {
            case .seconds: one ? "second" : "seconds"
            case .minutes: one ? "minute" : "minutes"
            case .hours: one ? "hour" : "hours"
            case .days: one ? "day" : "days"
            case .weeks: one ? "week" : "weeks"
            case .workingDays: one ? "working day" : "working days"
            }
            return "\(n) \(word)"
        }
    }

    /// A number of minutes: `30 menit` / `30 minutes`.
    public func minutes(_ value: Int) -> String { amount(value, .minutes) }

    /// A span of time in its two largest units: `3 hari 8 jam`, `2 jam 5 menit`, `14 menit`, `< 1 menit`
    /// (`3 days 8 hours` …). Negative spans (time left gone past) get a minus sign.
    public func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(max(-9e15, min(9e15, seconds)).rounded())
        let negative = total < 0
        var s = abs(total)
        let days = s / 86_400; s %= 86_400
        let hours = s / 3600; s %= 3600
        let minutes = s / 60
        var parts: [String]
        if days > 0 {
            parts = [amount(days, .days)] + (hours > 0 ? [amount(hours, .hours)] : [])
        } else if hours > 0 {
            parts = [amount(hours, .hours)] + (minutes > 0 ? [amount(minutes, .minutes)] : [])
        } else if minutes > 0 || total == 0 {
            parts = [amount(minutes, .minutes)]
        } else {
            parts = ["< " + amount(1, .minutes)]
        }
        return (negative ? "−" : "") + parts.joined(separator: " ")
    }

    /// A length of time stated exactly, in the largest unit that divides it: `72 jam` stays hours up to
    /// three days (how the office says a hold), `5 hari`, `45 menit`, `90 detik`.
    public func exactly(_ seconds: Int) -> String {
        if seconds > 0, seconds % 86_400 == 0, seconds > 3 * 86_400 { return amount(seconds / 86_400, .days) }
        if seconds > 0, seconds % 3600 == 0 { return amount(seconds / 3600, .hours) }
        if seconds > 0, seconds % 60 == 0 { return amount(seconds / 60, .minutes) }
        return amount(seconds, .seconds)
    }

    /// Parses what `exactly` and `amount` write, and the short forms (`30m`, `72h`, `5d`, `1w`), in
    /// either language: `72 jam`, `72 hours`, `3 hari`, `3 days`, `45 menit`, `45 min`. Seconds, or nil.
    public static func seconds(of text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 7, let value = Int(digits) else { return nil }
        let word = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let unit: Int? = switch word {
        case "s", "sec", "second", "seconds", "detik": 1
        case "m", "min", "mins", "minute", "minutes", "menit", "mnt": 60
        case "h", "j", "hour", "hours", "jam": 3600
        case "d", "day", "days", "hari", "hr": 86_400
        case "w", "week", "weeks", "minggu", "pekan": 604_800
        default: nil
        }
        return unit.map { value * $0 }
    }

    // MARK: Places

    /// Where a device sits in a rack: `DC1-R03 U24`, `DC1-R03 U26–U27`.
    public func rackPlace(_ rack: String, position: Int, heightU: Int) -> String {
        heightU > 1 ? "\(rack) U\(position)–U\(position + heightU - 1)" : "\(rack) U\(position)"
    }

    /// Yes or no: `ya` / `yes`.
    public func yesNo(_ value: Bool) -> String {
        switch language {
        case .id: value ? "ya" : "tidak"
        case .en: value ? "yes" : "no"
        }
    }
}
