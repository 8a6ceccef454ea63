/// The ranges that every number from outside — a request, a form, the CLI, a file, a packet — is
/// checked against where it is parsed, so that nothing downstream can overflow (Swift traps on
/// overflow and would end the server for every user). One place for all of them; docs/limits.md
/// lists them for users.
public enum Bounds {
    /// Rows to skip in a list (web, API, CLI). Past a million rows a filter is the better tool.
    public static let listOffset: ClosedRange<Int> = 0...1_000_000
    /// Rows in one page of a list.
    public static let listLimit: ClosedRange<Int> = 1...500
    /// A page number of a paged list (the audit log's pages).
    public static let pageNumber: ClosedRange<Int> = 1...20_000
    /// A rack unit: racks are at most 60U.
    public static let rackUnit: ClosedRange<Int> = 1...60
    /// A server's height in rack units.
    public static let serverHeightU: ClosedRange<Int> = 1...60
    /// A server's power draw per feed, in watts.
    public static let powerWatts: ClosedRange<Int> = 1...20_000
    /// A server's depth in millimetres.
    public static let depthMM: ClosedRange<Int> = 100...1_500
    /// Network ports on one server.
    public static let networkPorts: ClosedRange<Int> = 1...64
    /// A TCP or UDP port.
    public static let port: ClosedRange<Int> = 1...65_535
    /// A DNS TTL in seconds (RFC 2181 §8: 0 to 2^31 − 1; a week is the sane top for a zone of ours).
    public static let ttlSeconds: ClosedRange<Int> = 0...604_800
    /// A playbook version number.
    public static let playbookVersion: ClosedRange<Int> = 1...1_000_000
    /// A database row number (ticket, token, user): positive and no larger than SQLite's rowid.
    public static let rowID: ClosedRange<Int64> = 1...Int64.max
    /// How many rows a CLI listing prints.
    public static let cliLimit: ClosedRange<Int> = 1...100_000
    /// Days back for demo data and reports.
    public static let daysBack: ClosedRange<Int> = 1...3_660
    /// How many demo tickets one `demo seed` or bench run makes.
    public static let demoCount: ClosedRange<Int> = 0...1_000_000
    /// How many timings a benchmark takes.
    public static let benchSamples: ClosedRange<Int> = 1...1_000_000
    /// How many addresses a benchmark fills a pool with.
    public static let benchFill: ClosedRange<Int> = 0...10_000_000
    /// Web server I/O threads.
    public static let ioThreads: ClosedRange<Int> = 1...64
}

/// A number from outside that is not a whole number, or is out of its range: says which field,
/// what was typed (an excerpt, never the whole input) and the range that is allowed.
public struct NumberRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public let text: Text

    public init(field: Text, typed: String, range: ClosedRange<Int>) {
        let shown = Excerpt.of(typed)
        let low = range.lowerBound, high = range.upperBound
        text = Text(id: "\(field.id) harus bilangan bulat dari \(low) sampai \(high); yang diberikan: \"\(shown)\"",
                    en: "\(field.en) must be a whole number from \(low) to \(high); got \"\(shown)\"")
    }

    public init(field: Text, typed: String, range: ClosedRange<Int64>) {
        let shown = Excerpt.of(typed)
        text = Text(id: "\(field.id) harus bilangan bulat dari \(range.lowerBound) sampai \(range.upperBound); yang diberikan: \"\(shown)\"",
                    en: "\(field.en) must be a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(shown)\"")
    }

    public var description: String { text.en }
}

/// Whole numbers typed by a person or sent in a request: parsed and range-checked in one step.
public enum WholeNumber {
    /// `text` (trimmed) as a whole number in `range`; a refusal naming `field` otherwise. Accepts an
    /// optional leading `+`/`-` and ASCII digits only — no spaces inside, no exponent, no hex.
    public static func parse(_ text: String, field: Text, in range: ClosedRange<Int>) throws(NumberRefusal) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 24, isDecimal(trimmed), let value = Int(trimmed), range.contains(value) else {
            throw NumberRefusal(field: field, typed: text, range: range)
        }
        return value
    }

    /// As `parse`, for 64-bit row numbers.
    public static func parse(_ text: String, field: Text, in range: ClosedRange<Int64>) throws(NumberRefusal) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 24, isDecimal(trimmed), let value = Int64(trimmed), range.contains(value) else {
            throw NumberRefusal(field: field, typed: text, range: range)
        }
        return value
    }

    /// `value` when it lies in `range`; a refusal naming `field` otherwise (for numbers a parser
    /// such as the argument parser already read).
    public static func check(_ value: Int, field: Text, in range: ClosedRange<Int>) throws(NumberRefusal) -> Int {
        guard range.contains(value) else { throw NumberRefusal(field: field, typed: String(value), range: range) }
        return value
    }

    public static func check(_ value: Int64, field: Text, in range: ClosedRange<Int64>) throws(NumberRefusal) -> Int64 {
        guard range.contains(value) else { throw NumberRefusal(field: field, typed: String(value), range: range) }
        return value
    }

    private static func isDecimal(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.allSatisfy { (48...57).contains($0) }
    }
}

/// A bounded excerpt of a user's input for an error message: never the whole value.
public enum Excerpt {
    /// The first `length` characters of `text`, with "…" when it was longer; control characters shown as "?".
    public static func of(_ text: String, length: Int = 60) -> String {
        var out = ""
        var count = 0
        for character in text {
            if count == length { return out + "…" }
            out.append(character.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control } ? character : "?")
            count += 1
        }
        return out
    }
}
