import ArgumentParser
import SimpulCore

extension GlobalOptions {
    /// Refuses option `--name` unless its value lies in `range` (SimpulCore's `Bounds`): checked in
    /// `validate()`, before anything runs, so no number from the command line reaches arithmetic
    /// that could overflow. The message is in the user's language and names the allowed range.
    func require(_ value: Int?, _ name: String, in range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError(NumberRefusal(field: Text(id: "--\(name)", en: "--\(name)"), typed: String(value), range: range).text(language))
    }

    /// As `require`, for a row number given as an argument (a ticket, a token).
    func require(_ value: Int64, _ name: String, in range: ClosedRange<Int64> = Bounds.rowID) throws {
        guard !range.contains(value) else { return }
        throw ValidationError(NumberRefusal(field: Text(id: name, en: name), typed: String(value), range: range).text(language))
    }
}
