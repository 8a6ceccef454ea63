import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// The files Simpul ships, read where they are: the demo district `Inventory/` and the office's SOPs
/// `Playbooks/`. Every other store test imports the tests' own copies (`Tests/Fixtures`), so that
/// editing the demo or an SOP moves only these tests, which are about exactly those files.
@Suite("The shipped district and playbooks")
struct ShippedFilesTests {
    /// What `make run` does first (README, "make run", step 4): the demo district and the SOPs with
    /// their calendar go into a new database file, and importing the same files again changes nothing.
    @Test func theDemoDistrictAndTheSOPsImportIntoANewDatabase() throws {
        let t = try TestDistrict(loadPlaybooks: true, inventory: TestDistrict.shippedInventoryFolder,
                                 playbooks: TestDistrict.shippedPlaybookFolder)
        #expect(try t.count("agencies") >= 15)
        #expect(try t.count("links") == (try t.count("agencies")), "one link per agency")
        #expect(try t.count("zones") >= 1)
        #expect(try t.simpul.inventory.importDocuments(try t.exampleDocuments(), by: t.cli).totalChanges == 0)
        let loaded = try t.simpul.playbooks.list(by: t.cli).map(\.playbook.id)
        #expect(Set(loaded).isSuperset(of: [HostingService.playbookID, "fault-dispatch"]))
    }

    /// The hosting module does hosting-intake's allocation, installation and monitoring: the shipped
    /// SOP (from its version 2) marks each of the steps `HostingService.Action` names `done_by` that
    /// action, and no other step, so the generic ticket forms leave them to the hosting page.
    @Test func hostingIntakeMarksTheStepsTheHostingModuleDoes() throws {
        let t = try TestDistrict(loadPlaybooks: true, inventory: TestDistrict.shippedInventoryFolder,
                                 playbooks: TestDistrict.shippedPlaybookFolder)
        let playbook = try t.simpul.playbooks.playbook(HostingService.playbookID, by: t.cli).playbook
        #expect(playbook.version >= 2)
        let expected: [String: String] = [
            HostingService.Action.allocate.step!: "hosting.allocate",
            HostingService.Action.install.step!: "hosting.install",
            HostingService.Action.monitor.step!: "hosting.monitor",
        ]
        let marked = Dictionary(uniqueKeysWithValues: playbook.steps.compactMap { step in step.doneBy.map { (step.id, $0) } })
        #expect(marked == expected)
    }
}
