import Foundation
import GRDB
import Testing
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore

@Suite("Inventory import into SQLite")
struct ImportTests {
    @Test func importsTheExampleDistrictOnceAndIsIdempotent() throws {
        let t = try TestDistrict()
        #expect(try t.count("agencies") >= 15)
        #expect(try t.count("providers") == 2)
        #expect(try t.count("links") == (try t.count("agencies")))
        let auditRows = try t.count("audit_log")
        #expect(auditRows > 0)
        let again = try t.simpul.inventory.importDocuments(try t.exampleDocuments(), by: t.cli)
        #expect(again.totalChanges == 0)
        #expect(try t.count("audit_log") == auditRows, "a no-op import writes no audit rows")
    }

    @Test func aChangedFieldIsOneUpdateWithBeforeAndAfter() throws {
        let t = try TestDistrict()
        var documents = try t.exampleDocuments()
        let index = try #require(documents.firstIndex { $0.file == "links.yaml" })
        let original = documents[index].text
        let circuit = try #require(try t.simpul.estate.links(for: t.cli).first { $0.link.agency == "DINKES" }).link
        // Raise DINKES's committed downlink.
        let pattern = "down_mbps: \(Int(circuit.downMbps))"
        let range = try #require(original.range(of: "circuit: \(circuit.circuit)"))
        let tail = original[range.upperBound...]
        let field = try #require(tail.range(of: pattern))
        documents[index].text = original.replacingCharacters(in: field, with: "down_mbps: 175")
        let report = try t.simpul.inventory.importDocuments(documents, by: t.cli)
        #expect(report.totalChanges == 1)
        #expect(report.sections.first { $0.section == "links" }?.changed == [circuit.circuit])
        let entry = try #require(try t.simpul.audit.recent(limit: 1, by: t.cli).entries.first)
        #expect(entry.action == "update" && entry.objectType == "link" && entry.objectKey == circuit.circuit)
        #expect(entry.before?.contains("\"downMbps\":\(Int(circuit.downMbps))") == true)
        #expect(entry.after?.contains("\"downMbps\":175") == true)
        #expect(entry.actor == "cli:test")
    }

    @Test func dryRunWritesNothing() throws {
        let t = try TestDistrict(importExample: false)
        let report = try t.simpul.inventory.importDocuments(try t.exampleDocuments(), by: t.cli, dryRun: true)
        #expect(report.totalChanges > 100)
        #expect(try t.count("agencies") == 0)
        #expect(try t.count("audit_log") == 0)
    }

    @Test func brokenInventoryWritesNothing() throws {
        let t = try TestDistrict(importExample: false)
        var documents = try t.exampleDocuments()
        let index = try #require(documents.firstIndex { $0.file == "pools.yaml" })
        documents[index].text = documents[index].text.replacingOccurrences(of: "10.20.0.0/24", with: "10.20.0.0/33")
        #expect(throws: InventoryInvalid.self) { try t.simpul.inventory.importDocuments(documents, by: t.cli) }
        #expect(try t.count("agencies") == 0, "agencies are valid but nothing may be half-written")
        #expect(try t.count("audit_log") == 0)
    }

    @Test func rowsAbsentFromTheFilesAreKeptUnlessPruned() throws {
        let t = try TestDistrict()
        let agencies = try t.count("agencies")
        var documents = try t.exampleDocuments()
        documents.removeAll { $0.file == "links.yaml" }
        #expect(try t.simpul.inventory.importDocuments(documents, by: t.cli).totalChanges == 0)
        #expect(try t.count("links") == agencies)
        // Every link would go: refused unless the import says so (issue 11, item 11).
        #expect(throws: ServiceError.self) { try t.simpul.inventory.importDocuments(documents, by: t.cli, prune: true) }
        #expect(try t.count("links") == agencies)
        let pruned = try t.simpul.inventory.importDocuments(documents, by: t.cli, prune: true, allowEmptyKind: true)
        #expect(pruned.sections.first { $0.section == "links" }?.removed.count == agencies)
        #expect(try t.count("links") == 0)
        #expect(try t.count("agencies") == agencies)
    }

    @Test func pruningSomethingStillInUseIsRefusedWhole() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "dinkes", fullName: "Operator Dinkes", role: .agency, agency: "DINKES",
                                  password: "Sehat-Selalu-2026", by: t.cli)
        // The estate without DINKES and everything that names it: valid on its own.
        var inventory = try t.simpul.database.rawRead { try InventoryStore.load($0) }
        inventory.agencies.removeAll { $0.code == "DINKES" }
        inventory.links.removeAll { $0.agency == "DINKES" }
        inventory.devices.removeAll { $0.agency == "DINKES" }
        let documents = try InventoryWriter.documents(inventory)
        let before = try t.count("audit_log")
        do {
            try t.simpul.inventory.importDocuments(documents, by: t.cli, prune: true)
            Issue.record("pruning an agency that a user belongs to must fail")
        } catch let error as StoreError {
            #expect(error.text.en.contains("DINKES"))
        } catch let error as InventoryInvalid {
            Issue.record("the edited files should be valid: \(error.issues)")
        }
        #expect(try t.count("audit_log") == before)
        #expect(try t.simpul.estate.agency("DINKES", for: t.cli).agency.code == "DINKES")
    }

    /// Issue 11, item 11: `--prune` from a folder holding only an empty file deleted the whole estate.
    @Test(arguments: [[InventoryDocument(file: "empty.yaml", text: "")],
                      [InventoryDocument(file: "comment.yaml", text: "# nothing yet\n")],
                      [InventoryDocument(file: "district.yaml", text: "district:\n  name: Kabupaten Contoh\n")]])
    func aPruneThatWouldEmptyAKindIsRefused(_ documents: [InventoryDocument]) throws {
        let t = try TestDistrict()
        let tables = ["agencies", "providers", "rooms", "racks", "devices", "links", "pools", "zones"]
        let before = try tables.map { try t.count($0) }
        let audit = try t.count("audit_log")
        for dryRun in [true, false] {
            do {
                try t.simpul.inventory.importDocuments(documents, by: t.cli, dryRun: dryRun, prune: true)
                Issue.record("a prune that empties every kind must be refused (dry run: \(dryRun))")
            } catch let error as ServiceError {
                #expect(error.kind == .conflict)
                #expect(error.text.en.contains("agencies (\(before[0]))"), "\(error.text.en)")
                #expect(error.text.en.contains("links (\(before[5]))"))
                #expect(error.text.en.contains("--allow-empty-kind"))
                #expect(error.text.id.contains("--allow-empty-kind") && error.text.id != error.text.en)
            }
        }
        #expect(try tables.map { try t.count($0) } == before, "nothing deleted")
        #expect(try t.count("audit_log") == audit)
    }

    @Test func aPruneThatEmptiesAKindWhenAskedTo() throws {
        let t = try TestDistrict()
        var inventory = try t.simpul.database.rawRead { try InventoryStore.load($0) }
        inventory.links = []
        let documents = try InventoryWriter.documents(inventory).filter { $0.file != "links.yaml" }
        let report = try t.simpul.inventory.importDocuments(documents, by: t.cli, prune: true, allowEmptyKind: true)
        #expect(report.sections.first { $0.section == "links" }?.removed.isEmpty == false)
        #expect(try t.count("links") == 0)
        #expect(try t.count("agencies") > 0)
    }

    @Test func aPruneThatKeepsSomeOfEveryKindNeedsNoConfirmation() throws {
        let t = try TestDistrict()
        var inventory = try t.simpul.database.rawRead { try InventoryStore.load($0) }
        let link = try #require(inventory.links.first)
        inventory.links.removeAll { $0.circuit == link.circuit }
        let report = try t.simpul.inventory.importDocuments(try InventoryWriter.documents(inventory), by: t.cli, prune: true)
        #expect(report.sections.first { $0.section == "links" }?.removed == [link.circuit])
    }

    @Test func exportImportsToTheSameState() throws {
        let t = try TestDistrict()
        let exported = try t.simpul.inventory.export(by: t.cli)
        let fresh = try TestDistrict(importExample: false)
        try fresh.simpul.inventory.importDocuments(exported, by: fresh.cli)
        let a = try t.simpul.database.rawRead { try InventoryStore.load($0) }
        let b = try fresh.simpul.database.rawRead { try InventoryStore.load($0) }
        #expect(a == b)
        #expect(try t.simpul.inventory.importDocuments(exported, by: t.cli).totalChanges == 0)
    }

    @Test func agencyUsersSeeOnlyTheirAgency() throws {
        let t = try TestDistrict()
        let dinkes = Principal(userID: nil, username: "dinkes", role: .agency, agencyCode: "DINKES")
        #expect(try t.simpul.estate.agencies(for: dinkes).map(\.code) == ["DINKES"])
        #expect(throws: ServiceError.self) { try t.simpul.estate.agency("BAPPEDA", for: dinkes) }
        #expect(throws: ServiceError.self) { try t.simpul.estate.pools(for: dinkes) }
        #expect(try t.simpul.estate.links(for: dinkes).allSatisfy { $0.link.agency == "DINKES" })
        let viewer = Principal(userID: nil, username: "v", role: .viewer)
        #expect(throws: ServiceError.self) { try t.simpul.inventory.importDocuments(try t.exampleDocuments(), by: viewer) }
    }
}
