import Foundation
import Testing
@testable import SimpulCore

/// The importer's reading and validation, driven by the fixture folders: each broken case
/// holds one error and an `expect.txt` naming its file, line and field.
@Suite("Inventory reading and validation")
struct InventoryReaderTests {
    static let brokenRoot = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/broken")

    static var brokenCases: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: brokenRoot.path))?.filter { $0 != "valid" }.sorted() ?? []
    }

    static func documents(_ folder: URL) throws -> [InventoryDocument] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted().map {
            InventoryDocument(file: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        }
    }

    static func issues(_ documents: [InventoryDocument]) -> [InventoryIssue] {
        let (source, readIssues) = InventoryReader.read(documents)
        return readIssues + InventoryValidator.validate(source)
    }

    @Test func thereAreBrokenCases() {
        #expect(Self.brokenCases.count >= 11)
    }

    @Test(arguments: brokenCases)
    func brokenCaseReportsExactlyItsError(name: String) throws {
        let folder = Self.brokenRoot.appendingPathComponent(name)
        var expected: [String: String] = [:]
        for line in try String(contentsOf: folder.appendingPathComponent("expect.txt"), encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { expected[parts[0]] = parts[1] }
        }
        let issues = Self.issues(try Self.documents(folder))
        try #require(issues.count == 1, "\(name): \(issues.map(\.description))")
        let issue = issues[0]
        #expect(issue.location?.file == expected["file"])
        #expect(issue.location?.line == Int(expected["line"] ?? ""))
        #expect(issue.field.hasSuffix("." + (expected["field"] ?? "?")), "\(issue.field)")
        #expect(!issue.text.id.isEmpty && !issue.text.en.isEmpty && issue.text.id != issue.text.en)
    }

    @Test func validCaseHasNoIssues() throws {
        #expect(Self.issues(try Self.documents(Self.brokenRoot.appendingPathComponent("valid"))).isEmpty)
    }

    /// The demo district `Inventory/` (about the shipped files, so read where it is) and the tests' copy
    /// `Tests/Fixtures/District`: both valid, complete, and everything something connects to on loopback.
    @Test(arguments: ["Inventory", "Tests/Fixtures/District"])
    func exampleDistrictIsValidAndComplete(_ district: String) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../\(district)").standardized
        let (source, issues) = InventoryReader.read(try Self.documents(folder))
        #expect(issues.isEmpty, "\(issues)")
        #expect(InventoryValidator.validate(source).isEmpty)
        let inventory = source.inventory
        #expect(inventory.agencies.count >= 15)
        #expect(Set(inventory.agencies.map(\.kind)).count >= 5)
        #expect(inventory.providers.count == 2)
        #expect(Set(inventory.links.map(\.agency)) == Set(inventory.agencies.map(\.code)), "one link per agency")
        #expect(inventory.district?.domain?.description == "contohkab.go.id")
        // Network safety: everything something connects to is on loopback.
        for device in inventory.devices { #expect(device.managementAddress.map(\.isLoopback) ?? true, "\(device.name)") }
        for link in inventory.links { #expect(link.healthAddress.map(\.isLoopback) ?? true, "\(link.circuit)") }
        for zone in inventory.zones { #expect(zone.server.flatMap(HostPort.init)?.address.isLoopback ?? true, "\(zone.name)") }
        let documentation = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"].compactMap(Prefix.init)
        #expect(inventory.pools.contains { pool in pool.scope == .public && documentation.contains { $0.contains(pool.prefix) } })
    }

    @Test func exportReadsBackToTheSameInventory() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/District").standardized
        let (source, _) = InventoryReader.read(try Self.documents(folder))
        let written = try InventoryWriter.documents(source.inventory)
        let (again, issues) = InventoryReader.read(written)
        #expect(issues.isEmpty, "\(issues)")
        func sorted(_ i: Inventory) -> Inventory {
            var i = i
            i.agencies.sort { $0.code < $1.code }; i.providers.sort { $0.code < $1.code }; i.rooms.sort { $0.code < $1.code }
            i.racks.sort { $0.code < $1.code }; i.devices.sort { $0.name < $1.name }; i.links.sort { $0.circuit < $1.circuit }
            i.pools.sort { $0.name < $1.name }; i.zones.sort { $0.name < $1.name }
            return i
        }
        #expect(sorted(again.inventory) == sorted(source.inventory))
    }

    @Test func everyErrorIsCollectedWithItsLine() {
        let yaml = """
        agencies:
          - code: DINKES
            name: Dinas Kesehatan
            kind: dinas
            contact:
              name: Budi
              phone: "bukan nomor"
          - code: x
            name: Kode terlalu pendek
            kind: dinas
        links:
          - circuit: C-1
            agency: DINKES
            provider: NUSANET
            down_mbps: -5
            up_mbps: 10
            down_mpbs: 10
        """
        let issues = Self.issues([InventoryDocument(file: "a.yaml", text: yaml)])
        let lines = issues.map { "\($0.location!.line) \($0.field)" }
        #expect(lines.contains("7 agencies[0].contact.phone"))
        #expect(lines.contains("8 agencies[1].code"))
        #expect(lines.contains("15 links[0].down_mbps"))
        #expect(lines.contains("17 links[0].down_mpbs"), "unknown fields are named")
    }

    @Test func unparseableYAMLNamesTheLine() {
        let issues = Self.issues([InventoryDocument(file: "bad.yaml", text: "agencies:\n  - code: A\n    name: [unclosed\n")])
        #expect(issues.count == 1)
        #expect(issues.first?.location?.file == "bad.yaml")
        #expect((issues.first?.location?.line ?? 0) >= 3)
    }

    @Test func diffFindsAddedChangedAndRemoved() {
        let a = Agency(code: "A1", name: "Satu", kind: .dinas)
        let b = Agency(code: "B2", name: "Dua", kind: .badan)
        var b2 = b
        b2.name = "Dua Baru"
        let c = Agency(code: "C3", name: "Tiga", kind: .kecamatan)
        let kept = SectionChanges(current: [a, b], desired: [b2, c], prune: false)
        #expect(kept.added.map(\.key) == ["C3"])
        #expect(kept.changed.map(\.after.name) == ["Dua Baru"])
        #expect(kept.removed.isEmpty)
        let pruned = SectionChanges(current: [a, b], desired: [b2, c], prune: true)
        #expect(pruned.removed.map(\.key) == ["A1"])
    }
}
