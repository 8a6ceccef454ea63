import Foundation

/// What kind of thing a row of an agency's network inventory is.
public enum LANItemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case computer, laptop, printer
    case `switch`
    case router
    case accessPoint = "access_point"
    case server, ups
    case networkPoint = "network_point"
    case other

    public var title: Text {
        switch self {
        case .computer: Text(id: "Komputer", en: "Computer")
        case .laptop: Text(id: "Laptop", en: "Laptop")
        case .printer: Text(id: "Printer", en: "Printer")
        case .switch: Text(id: "Switch", en: "Switch")
        case .router: Text(id: "Router", en: "Router")
        case .accessPoint: Text(id: "Access point", en: "Access point")
        case .server: Text(id: "Server", en: "Server")
        case .ups: Text(id: "UPS", en: "UPS")
        case .networkPoint: Text(id: "Titik jaringan", en: "Network point")
        case .other: Text(id: "Lainnya", en: "Other")
        }
    }

    /// The words a file may use for it, Indonesian and English (lower case).
    var spellings: [String] {
        switch self {
        case .computer: ["komputer", "computer", "pc"]
        case .laptop: ["laptop", "notebook"]
        case .printer: ["printer"]
        case .switch: ["switch"]
        case .router: ["router"]
        case .accessPoint: ["access_point", "access point", "ap", "wifi", "wi-fi"]
        case .server: ["server"]
        case .ups: ["ups"]
        case .networkPoint: ["titik_jaringan", "titik jaringan", "network_point", "network point", "titik"]
        case .other: ["lainnya", "other", "lain-lain"]
        }
    }
}

/// The condition of an inventory item.
public enum LANItemCondition: String, Sendable, Hashable, Codable, CaseIterable {
    case good = "baik"
    case minorDamage = "rusak_ringan"
    case broken = "rusak_berat"

    public var title: Text {
        switch self {
        case .good: Text(id: "Baik", en: "Good")
        case .minorDamage: Text(id: "Rusak ringan", en: "Minor damage")
        case .broken: Text(id: "Rusak berat", en: "Broken")
        }
    }

    var spellings: [String] {
        switch self {
        case .good: ["baik", "good"]
        case .minorDamage: ["rusak_ringan", "rusak ringan", "minor_damage", "minor damage"]
        case .broken: ["rusak_berat", "rusak berat", "broken"]
        }
    }
}

/// One row of an agency's network inventory: a computer, a switch, a number of network points…
public struct LANInventoryItem: Sendable, Hashable, Codable {
    public var kind: LANItemKind
    public var brand: String?
    public var model: String?
    public var serial: String?
    public var quantity: Int
    public var location: String?
    public var condition: LANItemCondition
    public var notes: String?

    public init(kind: LANItemKind, brand: String? = nil, model: String? = nil, serial: String? = nil, quantity: Int = 1, location: String? = nil,
                condition: LANItemCondition = .good, notes: String? = nil) {
        self.kind = kind
        self.brand = brand
        self.model = model
        self.serial = serial
        self.quantity = quantity
        self.location = location
        self.condition = condition
        self.notes = notes
    }
}

/// Every problem of an inventory file, each with its row, column and reason; nothing of the file
/// is taken while there is one.
public struct LANInventoryRejection: Error, Sendable, Hashable, UserFacingError {
    public struct Problem: Sendable, Hashable {
        /// The record's number in the file, the header being 1; nil for the file as a whole.
        public var line: Int?
        public var column: String?
        public var text: Text
    }

    public var problems: [Problem]
    /// Problems beyond those listed.
    public var more: Int

    public var text: Text {
        func render(_ p: Problem, _ language: Language) -> String {
            let at = p.line.map { language == .id ? "baris \($0)" : "line \($0)" }
            let column = p.column.map { language == .id ? "kolom \($0)" : "column \($0)" }
            let place = [at, column].compactMap { $0 }.joined(separator: ", ")
            return (place.isEmpty ? "" : place + ": ") + p.text(language)
        }
        let tail = more > 0 ? Text(id: "\n… dan \(more) masalah lain", en: "\n… and \(more) more problems") : Text(id: "", en: "")
        let count = problems.count + more
        let english = count == 1 ? "1 problem; fix it and upload the file again" : "\(count) problems; fix them and upload the file again"
        return Text(id: "berkas inventaris tidak diimpor (\(count) masalah; perbaiki lalu unggah lagi):\n" + problems.map { render($0, .id) }.joined(separator: "\n") + tail.id,
                    en: "the inventory file was not imported (\(english)):\n" + problems.map { render($0, .en) }.joined(separator: "\n") + tail.en)
    }
}

/// The inventory file's columns and their checks (issue 15). Header names are Indonesian or
/// English; names and values are compared in any case, with spaces, hyphens and underscores alike
/// (`Nomor Seri`, `network-point`, `minor damage`), a byte-order mark before the first name
/// dropped; `jenis` is required; a column without a name is ignored while all its cells are
/// empty; each cell at most `maxCell` characters; at most `maxRows` rows, of which at least one
/// not blank; blank rows are skipped.
public enum LANInventory {
    public static let maxRows = 5_000
    public static let maxCell = 200
    /// Problems listed in full; the rest are counted.
    public static let maxListed = 200

    enum Column: String, CaseIterable {
        case kind, brand, model, serial, quantity, location, condition, notes

        var names: [String] {
            switch self {
            case .kind: ["jenis", "kind"]
            case .brand: ["merek", "brand"]
            case .model: ["model", "tipe", "type"]
            case .serial: ["nomor_seri", "serial", "nomor seri", "no_seri"]
            case .quantity: ["jumlah", "quantity", "qty"]
            case .location: ["lokasi", "location", "ruang"]
            case .condition: ["kondisi", "condition"]
            case .notes: ["keterangan", "notes", "catatan"]
            }
        }
    }

    /// The columns as documented on the help page and in the template.
    public static let columns: [(name: String, english: String, required: Bool, meaning: Text)] = [
        ("jenis", "kind", true, Text(id: "komputer, laptop, printer, switch, router, access_point, server, ups, titik_jaringan atau lainnya",
                                     en: "computer, laptop, printer, switch, router, access_point, server, ups, network_point or other")),
        ("merek", "brand", false, Text(id: "merek perangkat", en: "the maker")),
        ("model", "model", false, Text(id: "model atau tipe", en: "the model")),
        ("nomor_seri", "serial", false, Text(id: "nomor seri", en: "the serial number")),
        ("jumlah", "quantity", false, Text(id: "bilangan bulat 1–10000, bawaan 1", en: "a whole number 1–10,000, default 1")),
        ("lokasi", "location", false, Text(id: "ruang atau lantai", en: "the room or floor")),
        ("kondisi", "condition", false, Text(id: "baik, rusak_ringan atau rusak_berat; bawaan baik", en: "baik (good), rusak_ringan (minor damage) or rusak_berat (broken); default baik")),
        ("keterangan", "notes", false, Text(id: "catatan bebas", en: "free notes")),
    ]

    public static let templateHeader = ["jenis", "merek", "model", "nomor_seri", "jumlah", "lokasi", "kondisi", "keterangan"]
    public static let templateExamples = [
        ["komputer", "Lenovo", "ThinkCentre M70", "PC0A1B2C", "1", "Ruang Sekretariat", "baik", ""],
        ["titik_jaringan", "", "", "", "12", "Lantai 2", "baik", "kabel UTP Cat6"],
    ]

    /// The item as a row in the template's columns.
    public static func row(_ item: LANInventoryItem) -> [String] {
        [item.kind.rawValue, item.brand ?? "", item.model ?? "", item.serial ?? "", String(item.quantity), item.location ?? "",
         item.condition.rawValue, item.notes ?? ""]
    }

    /// A header name or a value as compared: without a leading byte-order mark or surrounding
    /// blanks, lower case, each run of spaces, hyphens and underscores one `_`.
    static func normalized(_ text: String) -> String {
        var out = ""
        var gap = false
        for character in withoutBOM(text).trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
            if character.isWhitespace || character == "-" || character == "_" {
                gap = true
                continue
            }
            if gap && !out.isEmpty { out.append("_") }
            gap = false
            out.append(character)
        }
        return out
    }

    static func withoutBOM(_ text: String) -> String {
        text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    static func isBlank(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    static func kind(_ text: String) -> LANItemKind? {
        let key = normalized(text)
        return LANItemKind.allCases.first { kind in kind.rawValue == key || kind.spellings.contains { normalized($0) == key } }
    }

    static func condition(_ text: String) -> LANItemCondition? {
        let key = normalized(text)
        return LANItemCondition.allCases.first { condition in condition.rawValue == key || condition.spellings.contains { normalized($0) == key } }
    }

    /// Checks a whole file: the header, then every row. Every problem is reported (up to
    /// `maxListed`, the rest counted), all of a row's among them; the items only when there is none.
    public static func validate(header: [String], rows: [(line: Int, cells: [String])]) -> Result<[LANInventoryItem], LANInventoryRejection> {
        var problems: [LANInventoryRejection.Problem] = []
        var more = 0
        func add(_ line: Int?, _ column: String?, _ text: Text) {
            if problems.count < maxListed { problems.append(.init(line: line, column: column, text: text)) } else { more += 1 }
        }
        let allowed = Column.allCases.map { "\($0.names[0])/\($0.names[1])" }.joined(separator: ", ")
        let dataRows = rows.filter { !$0.cells.allSatisfy(isBlank) }

        // The header: every name known, none twice, `jenis` there; a nameless column only while empty.
        var positions: [Column: Int] = [:]
        for (i, raw) in header.enumerated() {
            let name = normalized(raw)
            let shown = Excerpt.of(withoutBOM(raw).trimmingCharacters(in: .whitespacesAndNewlines), length: 40)
            if name.isEmpty {
                if dataRows.allSatisfy({ i >= $0.cells.count || isBlank($0.cells[i]) }) { continue }
                add(1, nil, Text(id: "kolom ke-\(i + 1) berisi data tetapi tidak bernama; beri judul salah satu dari: \(allowed), atau kosongkan kolomnya",
                                 en: "column \(i + 1) has data but no name; name it one of: \(allowed), or empty it"))
                continue
            }
            guard let column = Column.allCases.first(where: { $0.names.contains { normalized($0) == name } }) else {
                add(1, shown, Text(id: "kolom tidak dikenal; ganti judulnya dengan salah satu dari: \(allowed), atau hapus kolomnya",
                                   en: "unknown column; rename it to one of: \(allowed), or delete it"))
                continue
            }
            if let first = positions[column] {
                add(1, shown, Text(id: "kolom ditulis dua kali (juga kolom ke-\(first + 1)); sisakan satu",
                                   en: "the column is given twice (also column \(first + 1)); keep one"))
                continue
            }
            positions[column] = i
        }
        if positions[.kind] == nil {
            add(1, "jenis", Text(id: "kolom jenis (kind) wajib ada; tambahkan judul jenis atau unduh templatnya",
                                 en: "the jenis (kind) column is required; add a jenis heading or download the template"))
        }
        // The file as a whole. Blank rows count towards the limit: the reader stops one past it.
        if rows.count > maxRows {
            add(nil, nil, Text(id: "lebih dari \(maxRows) baris (baris kosong ikut dihitung); bagi berkasnya menjadi beberapa",
                               en: "more than \(maxRows) rows (blank ones counted); split the file into several"))
        } else if dataRows.isEmpty {
            add(nil, nil, Text(id: "berkas tidak berisi baris data; isi satu baris per perangkat di bawah judul kolom (lihat templatnya)",
                               en: "the file has no data rows; fill in one row per device under the header (see the template)"))
        }
        guard problems.isEmpty else { return .failure(LANInventoryRejection(problems: problems, more: more)) }

        var items: [LANInventoryItem] = []
        for (line, cells) in dataRows {
            guard cells.count == header.count else {
                add(line, nil, Text(id: "baris berisi \(cells.count) sel, judul kolom \(header.count); periksa koma, titik koma dan tanda kutipnya",
                                    en: "the row has \(cells.count) cells, the header \(header.count); check its commas, semicolons and quotes"))
                continue
            }
            var bad = false
            func cell(_ column: Column) -> String? {
                guard let i = positions[column] else { return nil }
                let value = cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
                if value.count > maxCell {
                    add(line, column.names[0], Text(id: "terlalu panjang (\(value.count) karakter, paling banyak \(maxCell)); persingkat",
                                                    en: "too long (\(value.count) characters, at most \(maxCell)); shorten it"))
                    bad = true
                    return nil
                }
                if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    add(line, column.names[0], Text(id: "berisi karakter kendali (tab atau baris baru); tulis dalam satu baris",
                                                    en: "holds a control character (a tab or a line break); write it on one line"))
                    bad = true
                    return nil
                }
                return value.isEmpty ? nil : value
            }
            let kindText = cell(.kind)
            let kind = kindText.flatMap(Self.kind)
            if kindText == nil && !bad {
                add(line, "jenis", Text(id: "wajib diisi; tulis jenis perangkatnya, mis. komputer", en: "is required; write the kind of device, e.g. computer"))
                bad = true
            } else if let kindText, kind == nil {
                add(line, "jenis", Text(id: "\"\(Excerpt.of(kindText, length: 40))\" bukan jenis yang dikenal; tulis salah satu: \(LANItemKind.allCases.map(\.spellings[0]).joined(separator: ", "))",
                                        en: "\"\(Excerpt.of(kindText, length: 40))\" is not a known kind; write one of: \(LANItemKind.allCases.map(\.rawValue).joined(separator: ", "))"))
                bad = true
            }
            var quantity = 1
            if let text = cell(.quantity) {
                if let n = Int(text), (1...10_000).contains(n) {
                    quantity = n
                } else {
                    add(line, "jumlah", Text(id: "\"\(Excerpt.of(text, length: 40))\" bukan bilangan bulat 1–10000; tulis angkanya saja, tanpa titik atau satuan",
                                             en: "\"\(Excerpt.of(text, length: 40))\" is not a whole number 1–10,000; write the digits only, without separators or units"))
                    bad = true
                }
            }
            var condition = LANItemCondition.good
            if let text = cell(.condition) {
                if let found = Self.condition(text) {
                    condition = found
                } else {
                    add(line, "kondisi", Text(id: "\"\(Excerpt.of(text, length: 40))\" bukan kondisi yang dikenal; tulis baik, rusak_ringan atau rusak_berat",
                                              en: "\"\(Excerpt.of(text, length: 40))\" is not a known condition; write baik (good), rusak_ringan (minor damage) or rusak_berat (broken)"))
                    bad = true
                }
            }
            let brand = cell(.brand), model = cell(.model), serial = cell(.serial), location = cell(.location), notes = cell(.notes)
            guard !bad, let kind else { continue }
            items.append(LANInventoryItem(kind: kind, brand: brand, model: model, serial: serial, quantity: quantity, location: location,
                                          condition: condition, notes: notes))
        }
        guard problems.isEmpty else { return .failure(LANInventoryRejection(problems: problems, more: more)) }
        return .success(items)
    }
}
