import Foundation
import Testing

/// A migration that has shipped is never edited: databases in the field already ran it, and an
/// edit would leave them different from new ones. Each migration's code in Migrations.swift is held
/// against a committed copy in ShippedMigrations/ (comments and blank lines aside). A new migration
/// is recorded once with `SIMPUL_RECORD_MIGRATIONS=1 swift test --filter ShippedMigrations`.
@Suite("Shipped migrations")
struct ShippedMigrationsTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let source = here.appendingPathComponent("../../Sources/SimpulStore/Migrations.swift").standardized
    static let copies = here.appendingPathComponent("ShippedMigrations")

    /// Each `registerMigration("id")` block's code, up to the next one or the end of the migrator.
    static func blocks(_ text: String) -> [(id: String, code: String)] {
        let marker = "migrator.registerMigration(\""
        var result: [(String, String)] = []
        var rest = text[...]
        while let start = rest.range(of: marker) {
            let afterMarker = rest[start.upperBound...]
            guard let quote = afterMarker.firstIndex(of: "\"") else { break }
            let id = String(afterMarker[..<quote])
            let body = afterMarker[quote...]
            let end = body.range(of: marker)?.lowerBound ?? body.range(of: "return migrator")?.lowerBound ?? body.endIndex
            let code = body[..<end].split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("//") && !$0.hasPrefix("--") }
                .joined(separator: "\n")
            result.append((id, code))
            rest = body[end...]
        }
        return result
    }

    @Test func noShippedMigrationWasEdited() throws {
        let text = try String(contentsOf: Self.source, encoding: .utf8)
        let blocks = Self.blocks(text)
        #expect(blocks.count >= 9, "every migration is found")
        let record = ProcessInfo.processInfo.environment["SIMPUL_RECORD_MIGRATIONS"] == "1"
        for (id, code) in blocks {
            let copy = Self.copies.appendingPathComponent("\(id).txt")
            guard let shipped = try? String(contentsOf: copy, encoding: .utf8) else {
                if record {
                    try FileManager.default.createDirectory(at: Self.copies, withIntermediateDirectories: true)
                    try (code + "\n").write(to: copy, atomically: true, encoding: .utf8)
                    continue
                }
                Issue.record("migration \(id) has no committed copy: if it is new, record it with SIMPUL_RECORD_MIGRATIONS=1 swift test --filter ShippedMigrations and commit Tests/SimpulStoreTests/ShippedMigrations/\(id).txt")
                continue
            }
            #expect(shipped == code + "\n", "migration \(id) was edited after it shipped: add a new migration instead")
        }
        // A committed copy whose migration is gone: a shipped migration was removed.
        let ids = Set(blocks.map(\.id))
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.copies.path) where file.hasSuffix(".txt") {
            #expect(ids.contains(String(file.dropLast(4))), "migration \(file.dropLast(4)) was shipped and is gone")
        }
    }
}
