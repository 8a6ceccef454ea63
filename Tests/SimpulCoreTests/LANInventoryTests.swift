import Foundation
import SimpulCore
import Testing

/// The agency's LAN inventory upload: header, every bad row reported with its line, limits, defaults.
@Suite("LAN inventory rows")
struct LANInventoryTests {
    static func rows(_ cells: [[String]], from line: Int = 2) -> [(line: Int, cells: [String])] {
        cells.enumerated().map { (line: line + $0.offset, cells: $0.element) }
    }

    @Test func theTemplateIsAcceptedAndTheBookReadsBack() throws {
        let items = try LANInventory.validate(header: LANInventory.templateHeader, rows: Self.rows(LANInventory.templateExamples)).get()
        #expect(items.count == 2)
        #expect(items[0] == LANInventoryItem(kind: .computer, brand: "Lenovo", model: "ThinkCentre M70", serial: "PC0A1B2C", quantity: 1,
                                             location: "Ruang Sekretariat", condition: .good, notes: nil))
        #expect(items[1] == LANInventoryItem(kind: .networkPoint, quantity: 12, location: "Lantai 2", condition: .good, notes: "kabel UTP Cat6"))
        #expect(LANInventory.columns.count == 8 && LANInventory.columns.filter(\.required).map(\.name) == ["jenis"])
        #expect(LANInventory.columns.map(\.name) == LANInventory.templateHeader)
        // A book written out in the template's columns (stored codes) is taken back as it was.
        let book = items + [LANInventoryItem(kind: .accessPoint, quantity: 3, condition: .minorDamage), LANInventoryItem(kind: .ups, condition: .broken),
                            LANInventoryItem(kind: .other, notes: "rak 19\"")]
        #expect(try LANInventory.validate(header: LANInventory.templateHeader, rows: Self.rows(book.map(LANInventory.row))).get() == book)
    }

    @Test func englishHeadersValuesAndDefaults() throws {
        let header = ["\u{FEFF}Kind", " QUANTITY ", "Condition", "serial", "location"]
        let rows = Self.rows([["computer", "", "", "X1", ""], ["AP", "12", "minor damage", "", "Aula"], ["", "", "", "", ""],
                              ["Network point", "1", "broken", "", ""], ["lainnya", "10000", "good", "", ""]])
        let items = try LANInventory.validate(header: header, rows: rows).get()
        #expect(items.map(\.kind) == [.computer, .accessPoint, .networkPoint, .other])   // the blank line 4 is skipped
        #expect(items.map(\.quantity) == [1, 12, 1, 10_000])
        #expect(items.map(\.condition) == [.good, .minorDamage, .broken, .good])
        #expect(items[0].serial == "X1" && items[0].location == nil && items[1].location == "Aula")
    }

    @Test func spacesHyphensAndUnderscoresAreAlikeInAnyCase() throws {
        let header = ["\u{FEFF}JENIS", "Nomor Seri", "kondisi"]
        let rows = Self.rows([["network-point", "a", "Rusak Ringan"], ["Access_Point", "b", "minor-damage"], ["TITIK  JARINGAN", "c", "RUSAK-BERAT"],
                              ["wi-fi", "d", "Baik"], ["Lain-lain", "e", "rusak_ringan"], ["Komputer", "f", " good "]])
        let items = try LANInventory.validate(header: header, rows: rows).get()
        #expect(items.map(\.kind) == [.networkPoint, .accessPoint, .networkPoint, .accessPoint, .other, .computer])
        #expect(items.map(\.condition) == [.minorDamage, .minorDamage, .broken, .good, .minorDamage, .good])
        #expect(items.map(\.serial) == ["a", "b", "c", "d", "e", "f"])
    }

    @Test func aFileFullOfBadRowsReportsEveryRowWithItsLine() {
        let header = ["jenis", "jumlah", "kondisi", "merek"]
        let rows = Self.rows([
            ["komputer", "1", "baik", "HP"],             // line 2: fine
            ["kulkas", "1", "baik", ""],                 // 3: unknown kind
            ["laptop", "0", "baik", ""],                 // 4: quantity 0
            ["laptop", "10001", "baik", ""],             // 5
            ["laptop", "1.000", "baik", ""],             // 6
            ["laptop", "2", "hancur", ""],               // 7: unknown condition
            ["", "2", "baik", "Dell"],                   // 8: kind missing
            ["laptop", "2", "baik"],                     // 9: three cells
            ["laptop", "2", "baik", String(repeating: "a", count: 201)],   // 10: too long
            ["laptop", "2", "baik", "HP\tX"],            // 11: a tab
            ["printer", "-1", "rusak", ""],              // 12: two problems
        ])
        guard case .failure(let rejection) = LANInventory.validate(header: header, rows: rows) else { Issue.record("accepted"); return }
        #expect(rejection.problems.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12])
        #expect(rejection.problems.map(\.column) == ["jenis", "jumlah", "jumlah", "jumlah", "kondisi", "jenis", nil, "merek", "merek", "jumlah", "kondisi"])
        #expect(rejection.problems[0].text.id.contains("\"kulkas\" bukan jenis yang dikenal; tulis salah satu: komputer"))
        #expect(rejection.problems[0].text.en.contains("\"kulkas\" is not a known kind; write one of: computer"))
        #expect(rejection.problems[6].text.en.contains("3 cells, the header 4"))
        #expect(rejection.problems[7].text.en.contains("201 characters, at most 200"))
        #expect(rejection.problems[8].text.en.contains("control character"))
        #expect(rejection.problems[9].text.id.contains("\"-1\" bukan bilangan bulat") && rejection.problems[10].text.en.contains("\"rusak\" is not a known condition"))
        #expect(rejection.more == 0)
        #expect(rejection.text.id.contains("tidak diimpor (11 masalah") && rejection.text.en.contains("fix them and upload the file again"))
        #expect(rejection.text.id.contains("baris 3, kolom jenis: \"kulkas\"") && rejection.text.en.contains("line 12, column kondisi: \"rusak\""))
        #expect(!rejection.text.en.contains("line 2"))
    }

    @Test func atMost200ProblemsAreListedAndTheRestCounted() {
        let rows = Self.rows(Array(repeating: ["kulkas"], count: 250))
        guard case .failure(let rejection) = LANInventory.validate(header: ["jenis"], rows: rows) else { Issue.record("accepted"); return }
        #expect(rejection.problems.count == LANInventory.maxListed && rejection.more == 50)
        #expect(rejection.problems.last?.line == 201)
        #expect(rejection.text.en.contains("250 problems") && rejection.text.en.hasSuffix("… and 50 more problems"))
    }

    @Test(arguments: [
        (["jenis", "warna"], "kolom tidak dikenal"),
        (["merek", "model"], "kolom jenis (kind) wajib ada"),
        (["jenis", "kind"], "ditulis dua kali"),
        (["jenis", "Jenis "], "ditulis dua kali"),
        (["jenis", "nomor seri", "Nomor-Seri"], "ditulis dua kali"),
    ])
    func wrongColumnsAreRefusedNamingThem(header: [String], message: String) {
        let rows = Self.rows([Array(repeating: "laptop", count: header.count)])
        guard case .failure(let rejection) = LANInventory.validate(header: header, rows: rows) else { Issue.record("accepted"); return }
        #expect(rejection.problems.contains { $0.text.id.contains(message) && $0.line == 1 })
        #expect(rejection.problems.allSatisfy { $0.text.en.contains("jenis/kind") || $0.text.en.contains("twice") || $0.text.en.contains("jenis (kind)") })
    }

    @Test func anUnknownColumnIsNamedInTheMessage() {
        guard case .failure(let rejection) = LANInventory.validate(header: ["jenis", "Warna"], rows: Self.rows([["laptop", "merah"]])) else {
            Issue.record("accepted"); return
        }
        #expect(rejection.problems.map(\.column) == ["Warna"])
        #expect(rejection.text.en.contains("line 1, column Warna: unknown column; rename it to one of: jenis/kind, merek/brand"))
    }

    @Test func anUnnamedEmptyColumnIsIgnoredButNotOneWithData() throws {
        #expect(try LANInventory.validate(header: ["jenis", ""], rows: Self.rows([["laptop", ""]])).get().count == 1)
        #expect(try LANInventory.validate(header: ["jenis", " ", "jumlah"], rows: Self.rows([["laptop", " ", "2"], ["", "", ""]])).get()
                == [LANInventoryItem(kind: .laptop, quantity: 2)])
        guard case .failure(let rejection) = LANInventory.validate(header: ["jenis", ""], rows: Self.rows([["laptop", ""], ["laptop", "x"]])) else {
            Issue.record("accepted"); return
        }
        #expect(rejection.problems.count == 1)
        #expect(rejection.problems.first?.text.en.contains("column 2 has data but no name") == true)
        #expect(rejection.problems.first?.text.id.contains("kolom ke-2 berisi data tetapi tidak bernama") == true)
    }

    @Test func tooManyRowsOrNoneAreRefused() {
        let many = Self.rows(Array(repeating: ["laptop"], count: LANInventory.maxRows + 1))
        guard case .failure(let rejection) = LANInventory.validate(header: ["jenis"], rows: many) else { Issue.record("accepted"); return }
        #expect(rejection.text.id.contains("lebih dari 5000 baris") && rejection.text.en.contains("more than 5000 rows"))
        #expect(LANInventory.validate(header: ["jenis"], rows: Self.rows(Array(repeating: ["laptop"], count: LANInventory.maxRows))).map(\.count)
                == .success(5_000))
        for rows in [Self.rows([[""], [" "]]), []] {
            guard case .failure(let empty) = LANInventory.validate(header: ["jenis"], rows: rows) else { Issue.record("accepted"); return }
            #expect(empty.text.en.contains("the file has no data rows; fill in one row per device"))
            #expect(empty.text.id.contains("berkas tidak berisi baris data"))
        }
    }

    @Test func kindsAndConditionsKeepTheirCodesAndHaveTitles() {
        #expect(LANItemKind.allCases.map(\.rawValue)
                == ["computer", "laptop", "printer", "switch", "router", "access_point", "server", "ups", "network_point", "other"])
        #expect(LANItemCondition.allCases.map(\.rawValue) == ["baik", "rusak_ringan", "rusak_berat"])
        #expect(LANItemKind.allCases.allSatisfy { !$0.title.id.isEmpty && !$0.title.en.isEmpty })
        #expect(LANItemCondition.broken.title == Text(id: "Rusak berat", en: "Broken"))
    }
}
