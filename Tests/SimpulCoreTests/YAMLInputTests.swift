import Foundation
import Testing
@testable import SimpulCore

/// Hostile and oversized YAML (issue 11, items 9, 10 and 12): refused fast, at a line, with a
/// bounded message, by the inventory, playbook and calendar readers alike.
@Suite("YAML input: hostile files, sizes and messages")
struct YAMLInputTests {
    static let hostileRoot = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/hostile")

    struct Hostile: Sendable, CustomTestStringConvertible {
        var file: String
        var line: Int
        var field: String
        var says: String
        var testDescription: String { file }
    }

    static let hostile: [Hostile] = [
        Hostile(file: "alias-keys-5.yaml", line: 3, field: "l1", says: "a key must be plain text"),
        Hostile(file: "alias-keys-9.yaml", line: 3, field: "l1", says: "a key must be plain text"),
        Hostile(file: "alias-as-key.yaml", line: 5, field: "agencies", says: "an alias (*a) may not be used as a key"),
        Hostile(file: "billion-laughs.yaml", line: 6, field: "e[7]", says: "stand for more than 100000 values"),
        Hostile(file: "deep-flow.yaml", line: 2, field: "(yaml)", says: "nested too deeply"),  // libyaml's own limit, met first in flow style
        Hostile(file: "deep-block.yaml", line: 34, field: (0..<32).map { "k\($0)" }.joined(separator: "."), says: "nested too deeply"),
        Hostile(file: "undefined-alias.yaml", line: 2, field: "agencies", says: "refers to an anchor that is not defined"),
        Hostile(file: "two-documents.yaml", line: 3, field: "(yaml)", says: "one YAML document only"),
        Hostile(file: "duplicate-key.yaml", line: 6, field: "agencies[0].name", says: "the key \"name\" is already given at line 4"),
        Hostile(file: "long-key.yaml", line: 2, field: String(repeating: "k", count: 60) + "…", says: "the key is too long: at most 100"),
        Hostile(file: "complex-key.yaml", line: 2, field: "(yaml)", says: "a key must be plain text"),
    ]

    static func text(_ file: String) throws -> String {
        try String(contentsOf: hostileRoot.appendingPathComponent(file), encoding: .utf8)
    }

    /// The fastest of three runs, in seconds: one slow run on a busy machine proves nothing.
    static func fastest(_ body: () -> Void) -> Double {
        (0..<3).map { _ in
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }.min()!
    }

    /// Every reader of YAML gives the same one refusal.
    static func everyReader(_ text: String, file: String) -> [(String, [InventoryIssue])] {
        [
            ("inventory", InventoryReader.read([InventoryDocument(file: file, text: text)]).1),
            ("playbook", PlaybookReader.read(PlaybookDocument(file: file, text: text)).1),
            ("calendar", CalendarReader.read([PlaybookDocument(file: file, text: text)]).1),
        ]
    }

    @Test(arguments: hostile)
    func aHostileFileIsRefusedFastAtItsLine(_ case: Hostile) throws {
        let text = try Self.text(`case`.file)
        for (reader, issues) in Self.everyReader(text, file: `case`.file) {
            try #require(issues.count == 1, "\(reader): \(issues.map { $0.message(.en) })")
            let issue = issues[0]
            #expect(issue.location?.file == `case`.file)
            #expect(issue.location?.line == `case`.line, "\(reader): \(issue.message(.en))")
            #expect(issue.field == `case`.field, "\(reader): \(issue.message(.en))")
            #expect(issue.text.en.contains(`case`.says), "\(reader): \(issue.text.en)")
            #expect(!issue.text.id.isEmpty && issue.text.id != issue.text.en)
            #expect(issue.message(.en).count < 400, "\(reader): a bounded message")
        }
        let seconds = Self.fastest { _ = InventoryReader.read([InventoryDocument(file: `case`.file, text: text)]) }
        #expect(seconds < 0.1, "\(`case`.file) took \(seconds) s")
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeParsing() {
        let line = "# a comment line of filler\n"
        let text = String(repeating: line, count: Limits.yamlFileBytes / line.utf8.count + 1)
        for (reader, issues) in Self.everyReader(text, file: "big.yaml") {
            #expect(issues.count == 1, "\(reader)")
            #expect(issues.first?.text.en.contains("at most \(Limits.yamlFileBytes) bytes") == true, "\(reader): \(issues.map { $0.message(.en) })")
        }
        #expect(Self.fastest { _ = InventoryReader.read([InventoryDocument(file: "big.yaml", text: text)]) } < 0.1)
    }

    @Test func nestingTooDeepForLibYAMLIsRefusedWithoutEchoingTheLine() {
        // libyaml stops at 1000 levels and Yams' message held the whole line.
        let text = "agencies: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\n"
        let issues = InventoryReader.read([InventoryDocument(file: "deep.yaml", text: text)]).1
        #expect(issues.count == 1)
        #expect(issues.first?.text.en.contains("nested too deeply") == true)
        #expect((issues.first?.message(.en).count ?? .max) < 400)
    }

    @Test func aDuplicateKeyInABigFileNamesItsLineAndFieldAndEchoesNothing() {
        // Issue 11, item 10: reported at line 1 with no field, and the whole file echoed.
        var lines = ["agencies:"]
        for i in 0..<60_000 { lines += ["  - code: A\(i)", "    name: Instansi \(i)", "    kind: dinas"] }
        lines += ["    kind: badan"]
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 500_000)
        let issues = InventoryReader.read([InventoryDocument(file: "agencies.yaml", text: text)]).1
        try? #require(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues.first?.location?.line == lines.count)
        #expect(issues.first?.field == "agencies[59999].kind")
        #expect(issues.first?.text.en.contains("already given at line \(lines.count - 1)") == true)
        #expect((issues.first?.message(.en).count ?? .max) < 300)
    }

    @Test(arguments: [
        "agencies:\n  - code: AB\n    name: \"" + String(repeating: "x", count: 100_000) + "\n",
        "agencies: [" + String(repeating: "AB, ", count: 50_000) + "}\n",
        "agencies:\n  - code: AB\n\tname: tab\n",
        "agencies:\n  - code: AB\n    name: \u{0007}bell\n",
    ])
    func aSyntaxErrorNamesItsLineAndQuotesAnExcerpt(_ text: String) {
        for (reader, issues) in Self.everyReader(text, file: "bad.yaml") {
            #expect(issues.count == 1, "\(reader): \(issues.map { $0.message(.en) })")
            let message = issues.first?.message(.en) ?? ""
            #expect(message.count < 400, "\(reader): \(message.prefix(500))")
            #expect((issues.first?.location?.line ?? 0) >= 1)
            #expect(message.contains("cannot be parsed"), "\(reader): \(message.prefix(500))")
        }
    }

    // About the shipped files (the demo district and the SOPs), so it reads them where they are.
    @Test func theExampleFilesPassTheGuard() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        for folder in ["Inventory", "Playbooks", "Playbooks/calendar"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".yaml") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                #expect(YAMLGuard.check(text, file: name).isEmpty, "\(folder)/\(name)")
            }
        }
    }

    @Test func aBigFileWithoutAliasesIsNotRefused() {
        // The alias bound counts what aliases stand for, not what is written out.
        let text = "pools:\n" + (0..<50_000).map { "  - {name: p\($0), prefix: 10.\($0 / 256 % 256).\($0 % 256).0/24, scope: private}\n" }.joined()
        #expect(text.utf8.count < Limits.yamlFileBytes)
        #expect(YAMLGuard.check(text, file: "pools.yaml").isEmpty)
    }

    @Test func anchorsAndAliasesAsValuesStillWork() {
        let text = """
        agencies:
          - &dinkes
            code: DINKES
            name: Dinas Kesehatan
            kind: dinas
            contact: &budi {name: Budi, phone: "+62 812-3456-7001"}
          - code: BAPPEDA
            name: Badan Perencanaan
            kind: badan
            contact: *budi
        """
        let (source, issues) = InventoryReader.read([InventoryDocument(file: "a.yaml", text: text)])
        #expect(issues.isEmpty, "\(issues)")
        #expect(source.agencies.map { $0.value.contact?.name } == ["Budi", "Budi"])
    }

    // MARK: Non-UTF-8 bytes (item 12): the line and byte of the first bad one.

    struct Bytes: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var line: Int
        var byte: Int
        var hex: String
        var testDescription: String { name }
    }

    static let notUTF8: [Bytes] = [
        Bytes(name: "Latin-1 é", bytes: Array("agencies:\n  - name: caf".utf8) + [0xE9] + Array("\n".utf8), line: 2, byte: 14, hex: "0xE9"),
        Bytes(name: "a lone continuation byte", bytes: Array("a: b\nc: ".utf8) + [0x80], line: 2, byte: 4, hex: "0x80"),
        Bytes(name: "an overlong slash", bytes: [0xC0, 0xAF], line: 1, byte: 1, hex: "0xC0"),
        Bytes(name: "a surrogate", bytes: Array("x: ".utf8) + [0xED, 0xA0, 0x80], line: 1, byte: 4, hex: "0xED"),
        Bytes(name: "past U+10FFFF", bytes: Array("\n\n\n".utf8) + [0xF5, 0x80, 0x80, 0x80], line: 4, byte: 1, hex: "0xF5"),
        Bytes(name: "cut short at the end", bytes: Array("x: ".utf8) + [0xE2, 0x82], line: 1, byte: 4, hex: "0xE2"),
        Bytes(name: "UTF-16 with a byte-order mark", bytes: [0xFF, 0xFE, 0x61, 0x00], line: 1, byte: 1, hex: "0xFF"),
        Bytes(name: "binary", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x0A, 0x9C], line: 2, byte: 1, hex: "0x9C"),
    ]

    @Test(arguments: notUTF8)
    func notUTF8NamesTheLineAndByte(_ case: Bytes) throws {
        guard case .failure(let issue) = YAMLFile.document(`case`.bytes, file: "bad.yaml") else {
            Issue.record("\(`case`.name) was read as text")
            return
        }
        #expect(issue.location == SourceLocation(file: "bad.yaml", line: `case`.line))
        #expect(issue.text.en.contains("byte \(`case`.hex) at line \(`case`.line), byte \(`case`.byte) of that line"), "\(issue.text.en)")
        #expect(issue.text.id.contains("bita \(`case`.hex)"))
    }

    @Test func utf8TextIsRead() throws {
        let text = "name: café € 𝄞 Kabupaten\n"
        guard case .success(let document) = YAMLFile.document(Array(text.utf8), file: "ok.yaml") else {
            Issue.record("valid UTF-8 refused")
            return
        }
        #expect(document.text == text)
    }
}
