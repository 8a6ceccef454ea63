import Foundation
import SimpulServices

/// Prints values as JSON (for `--json`: stable English keys, raw values) or a table as aligned text
/// (`TextTable`, built by `Listing` in the user's language).
enum Output {
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func table(_ table: TextTable) {
        lines(table.lines)
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        table(TextTable(header, rows))
    }

    static func lines(_ lines: [String]) {
        for line in lines { print(line) }
    }
}

extension Optional where Wrapped == String {
    var orDash: String { self ?? "-" }
}

extension GlobalOptions {
    /// The command line's listings in the user's language and the office's time zone.
    func listing(_ simpul: Simpul) -> Listing { Listing(language, time: simpul.officeTime()) }
}
