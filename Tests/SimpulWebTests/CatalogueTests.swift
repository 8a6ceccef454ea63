import Foundation
import SimpulCore
import Testing

@Suite("String catalogues")
struct CatalogueTests {
    static let webFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/SimpulWeb").standardized

    static func catalogue(_ language: String) throws -> [String: String] {
        let url = webFolder.appendingPathComponent("Strings/\(language).json")
        return try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
    }

    @Test func bothLanguagesHaveTheSameKeysAndNoEmptyString() throws {
        let id = try Self.catalogue("id"), en = try Self.catalogue("en")
        #expect(id.count > 50)
        #expect(Set(id.keys).subtracting(en.keys).sorted() == [])
        #expect(Set(en.keys).subtracting(id.keys).sorted() == [])
        #expect(id.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
        #expect(en.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
    }

    @Test func everyKeyATemplateUsesIsInTheCatalogue() throws {
        let id = try Self.catalogue("id")
        let templates = Self.webFolder.appendingPathComponent("Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count > 10)
        let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([a-z0-9_]+)\}\}"#)
        var missing: [String] = []
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if id[key] == nil { missing.append("\(name): \(key)") }
            }
        }
        #expect(missing == [])
    }

    @Test func everyAgencyKindHasAName() throws {
        let id = try Self.catalogue("id")
        #expect(AgencyKind.allCases.filter { id["kind_\($0.rawValue)"] == nil } == [])
    }
}
