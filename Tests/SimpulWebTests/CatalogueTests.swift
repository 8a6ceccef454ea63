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

    /// Keys the ticket pages build from values: every value has its words, in both languages.
    @Test func everyTicketValueHasItsWords() throws {
        let keys = HistoryEntry.Kind.allCases.map { "hist_\($0.rawValue)" }
            + ["on_behalf_of", "for", "notify", "escalate_to", "priority", "to", "from", "assignee", "note", "correction"].map { "hist_detail_\($0)" }
            + ["notify", "escalate"].map { "outbox_\($0)" }
            + ["pending", "sent", "failed", "seen"].map { "outbox_status_\($0)" }
            + ["start", "complete", "hold", "resume", "reassign", "cancel", "reopen"].map { "ticket_done_\($0)" }
            + CalendarKind.allCases.map { "calendar_\($0.rawValue)" }
            + ["wall", "office"].map { "ticket_basis_\($0)" }
            + ["active", "closed", "all"].map { "tickets_scope_\($0)" }
            + ["error_upload_too_large", "error_bad_multipart"]
        for language in ["id", "en"] {
            let table = try Self.catalogue(language)
            #expect(keys.filter { table[$0] == nil } == [], "\(language)")
        }
    }

    @Test func everyAgencyKindHasAName() throws {
        let id = try Self.catalogue("id")
        #expect(AgencyKind.allCases.filter { id["kind_\($0.rawValue)"] == nil } == [])
    }
}
