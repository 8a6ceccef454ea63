import CSV
import Foundation

/// Every CSV file Simpul writes goes through here: RFC 4180 quoting by CSV.swift, and each text
/// cell that a spreadsheet would read as a formula neutralised the way OWASP describes (CSV
/// injection): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// `'` and is quoted, so `=HYPERLINK(…)` in an agency's name opens as text, never as a formula.
/// Plain numbers (`-12.5`) are left as they are.
public enum SpreadsheetCSV {
    /// The rows as one CSV document with CRLF line ends.
    public static func document(_ rows: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream, newline: .crlf)
            for row in rows {
                try writer.write(row: row.map(cell))
            }
            // CSV.swift ends a row when the next one begins: end the last one too.
            writer.stream.close()
        } catch {
            // Writing to memory fails only when memory does; an empty document says so plainly.
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return rows.isEmpty ? text : text + "\r\n"
    }

    /// `value` made safe to open in a spreadsheet.
    public static func cell(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    private static func isPlainNumber(_ value: String) -> Bool {
        var rest = Substring(value)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        return !rest.isEmpty && parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }
    }
}
