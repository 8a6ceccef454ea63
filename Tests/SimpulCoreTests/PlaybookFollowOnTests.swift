import Foundation
import Testing
@testable import SimpulCore

/// A thing that has an error of its own is not reported again by what refers to it (issue 11,
/// item 12): the playbook validator said `step "identify" is not in this file` when it was there
/// with an error, in 8 of 26 broken playbooks. The table cases are in `PlaybookTests.broken`;
/// these are the ones a text replacement cannot make.
@Suite("Playbooks and inventory: no second error about a broken item")
struct PlaybookFollowOnTests {
    static func issues(_ text: String, file: String = "tiny.yaml") -> [InventoryIssue] {
        PlaybookReader.read(PlaybookDocument(file: file, text: text)).1
    }

    @Test func stepsThatAreNotAListGiveOneError() {
        let text = """
        id: tiny
        version: 1
        title: {id: "Kecil", en: "Tiny"}
        source: {sop: "1/SOP/2026", title: "Kecil"}
        calendar: 24x7
        steps: identify
        escalations:
          - when: {step: identify, elapsed: 100%}
            notify: supervisor
        """
        let issues = Self.issues(text)
        #expect(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues.first?.field == "steps")
        #expect(issues.first?.text.en.contains("must be a list") == true)
    }

    @Test func aStepNamingABrokenMergedSourceGivesOneError() {
        let text = """
        id: tiny
        version: 1
        title: {id: "Kecil", en: "Tiny"}
        source: {sop: "1/SOP/2026", title: "Kecil"}
        merged_from:
          - {ref: sop-14, sop: "14/SOP/2025", title: "Empat belas", date: "kemarin"}
        calendar: 24x7
        steps:
          - id: identify
            source_step: 1
            source_ref: sop-14
            title: {id: "Satu", en: "One"}
            actor: technician
            clock: office
            evidence: []
            next: done
        """
        let issues = Self.issues(text)
        #expect(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues.first?.field == "merged_from[0].date")
    }

    @Test func aTrulyMissingStepIsStillReported() {
        let text = PlaybookTests.valid.replacingOccurrences(of: "{step: first, elapsed: 100%}", with: "{step: identify, elapsed: 100%}")
        let issues = Self.issues(text)
        #expect(issues.map(\.field) == ["escalations[0].when.step"])
        #expect(issues.first?.text.en.contains("step \"identify\" is not in this file") == true)
    }

    @Test func aDeviceInABrokenRackGivesOneError() {
        let text = """
        rooms:
          - code: DC1
            name: Ruang Server
            racks:
              - {code: DC1-R01, height_u: 0}
        devices:
          - {name: rtr-1, kind: router, rack: DC1-R01, position: 3}
        """
        let (source, read) = InventoryReader.read([InventoryDocument(file: "a.yaml", text: text)])
        let issues = read + InventoryValidator.validate(source)
        #expect(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues.first?.field == "rooms[0].racks[0].height_u")
    }

    @Test func aDeviceInARackOfABrokenRoomGivesOneError() {
        let text = """
        rooms:
          - code: D
            name: Ruang Server
            racks:
              - {code: DC1-R01, height_u: 42}
        devices:
          - {name: rtr-1, kind: router, rack: DC1-R01, position: 3}
        """
        let (source, read) = InventoryReader.read([InventoryDocument(file: "a.yaml", text: text)])
        let issues = read + InventoryValidator.validate(source)
        #expect(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues.first?.field == "rooms[0].code")
    }
}
