import CSV
import Foundation
import SimpulCore

/// The agency's inventory as a CSV file (issue 15): parsed by CSV.swift (RFC 4180: quoted cells,
/// embedded commas and line breaks), comma- or semicolon-separated (what a spreadsheet saves in an
/// Indonesian locale), UTF-8 with or without its BOM; then checked whole by `LANInventory.validate`,
/// which reports every bad row with its line and reason. Nothing is kept unless every row is clean.
public enum LANInventoryCSV {
    /// The largest file taken, in bytes (5,000 rows of a few dozen characters fit in a few hundred KB).
    public static let maxBytes = 2 * 1024 * 1024
    public static let maxRows = LANInventory.maxRows

    /// The items of a clean file, or a refusal that lists every problem.
    public static func read(_ data: Data) throws -> [LANInventoryItem] {
        guard !data.isEmpty else {
            throw ServiceError(.invalid, Text(id: "berkas inventaris kosong; unduh templatnya dan isi satu baris per perangkat",
                                              en: "the inventory file is empty; download the template and fill in one row per device"))
        }
        guard data.count <= maxBytes else {
            throw ServiceError(.invalid, Text(id: "berkas inventaris lebih dari \(maxBytes / 1024 / 1024) MB; paling banyak \(maxRows) baris",
                                              en: "the inventory file is over \(maxBytes / 1024 / 1024) MB; at most \(maxRows) rows"))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ServiceError(.invalid, Text(id: "berkas inventaris ber-encoding UTF-16; simpan ulang sebagai \"CSV UTF-8\"",
                                              en: "the inventory file is UTF-16; save it again as \"CSV UTF-8\""))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = Self.firstBadLine(bytes)
            throw ServiceError(.invalid, Text(id: "berkas inventaris bukan UTF-8 (baris \(line)); di spreadsheet simpan sebagai \"CSV UTF-8 (dipisah koma)\"",
                                              en: "the inventory file is not UTF-8 (line \(line)); in the spreadsheet save it as \"CSV UTF-8 (comma delimited)\""))
        }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw ServiceError(.invalid, Text(id: "berkas inventaris berisi byte nol: bukan berkas teks CSV", en: "the inventory file holds NUL bytes: it is not a CSV text file"))
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let delimiter: UnicodeScalar = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        var header: [String] = []
        var rows: [(line: Int, cells: [String])] = []
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
            var record = 0
            while let row = reader.next() {
                record += 1
                if record == 1 { header = row; continue }
                // One more than allowed is enough to say the file is too long.
                if rows.count > maxRows { break }
                rows.append((record, row))
            }
            if let error = reader.error { throw error }
        } catch {
            throw ServiceError(.invalid, Text(id: "berkas inventaris bukan CSV yang sah: \(error)", en: "the inventory file is not valid CSV: \(error)"))
        }
        switch LANInventory.validate(header: header, rows: rows) {
        case .success(let items): return items
        case .failure(let rejection): throw ServiceError(.invalid, rejection.text)
        }
    }

    static func firstBadLine(_ bytes: [UInt8]) -> Int {
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// Items as a CSV document in the template's columns (a typed-in inventory kept as a file).
    public static func document(_ items: [LANInventoryItem]) -> String {
        SpreadsheetCSV.document([LANInventory.templateHeader] + items.map(LANInventory.row))
    }

    /// The template to download: the header and two example rows.
    public static var template: String {
        SpreadsheetCSV.document([LANInventory.templateHeader] + LANInventory.templateExamples)
    }
}
