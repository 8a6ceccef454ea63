/// How the next letter's sequence number is chosen within a calendar year. The sequence restarts
/// each year at the configured `startAt` (1 unless the office set otherwise, e.g. after numbering
/// letters by hand early in the year) and is never reused: the next number is always one past the
/// last issued that year.
public struct LetterSequenceRule: Sendable, Hashable, Codable {
    /// The first sequence number of each year.
    public let startAt: Int

    /// A rule starting each year at `startAt`; refused (naming the setting and its range) outside 1–999,999.
    public init(startAt: Int = 1) throws(LetterNumberRefusal) {
        guard LetterNumberScheme.sequences.contains(startAt) else { throw LetterNumberRefusal(.startOutOfRange(startAt)) }
        self.startAt = startAt
    }

    /// The next sequence number for `year` given the last one issued in it (nil: none yet).
    public func next(after lastIssued: Int?, year: Int? = nil) throws(LetterNumberRefusal) -> Int {
        try Self.next(after: lastIssued, startAt: startAt, year: year)
    }

    /// The next sequence number of a year: `startAt` when none was issued that year, else
    /// `lastIssued + 1`. Refused when `startAt` is not 1–999,999 (the setting is wrong), when
    /// `lastIssued` is not a sequence number (a damaged record), and when the year is used up
    /// (`lastIssued` is 999,999). `year` only names the year in the message.
    public static func next(after lastIssued: Int?, startAt: Int, year: Int? = nil) throws(LetterNumberRefusal) -> Int {
        let range = LetterNumberScheme.sequences
        guard range.contains(startAt) else { throw LetterNumberRefusal(.startOutOfRange(startAt)) }
        guard let last = lastIssued else { return startAt }
        guard range.contains(last) else { throw LetterNumberRefusal(.lastIssuedOutOfRange(last)) }
        guard last < range.upperBound else { throw LetterNumberRefusal(.sequenceExhausted(year: year)) }
        return last + 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(Int.self, forKey: .startAt)
        do { try self.init(startAt: start) } catch {
            throw DecodingError.dataCorruptedError(forKey: .startAt, in: container, debugDescription: error.text.en)
        }
    }

    private enum CodingKeys: String, CodingKey { case startAt = "start_at" }
}
