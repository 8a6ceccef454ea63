import Foundation
@testable import SimpulCore

/// The tests' playbooks and calendar (`Tests/Fixtures/Playbooks`, copies of the SOPs kept for the
/// tests), and helpers to drive tickets through them. The office's own `Playbooks/` (`shipped`) are
/// read only by the tests that are about them: editing an SOP does not move a test about a rule.
enum Playbooks {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/Playbooks").standardized
    /// The playbooks and calendar Simpul ships, for "every shipped playbook is valid" and the like.
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Playbooks").standardized

    static func documents(in folder: URL = Playbooks.folder) throws -> [PlaybookDocument] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted().map {
            PlaybookDocument(file: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        }
    }

    static func calendarDocuments(in folder: URL = Playbooks.folder) throws -> [PlaybookDocument] {
        let dir = folder.appendingPathComponent("calendar")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted().map {
            PlaybookDocument(file: "calendar/\($0)", text: try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))
        }
    }

    static func all(in folder: URL = Playbooks.folder) throws -> [Playbook] {
        let (playbooks, issues) = PlaybookReader.read(try documents(in: folder))
        precondition(issues.isEmpty, "\(issues)")
        return playbooks
    }

    static func named(_ id: String) throws -> Playbook {
        try all().first { $0.id == id }!
    }

    static func officeCalendar() throws -> WorkCalendar {
        let (definition, issues) = CalendarReader.read(try calendarDocuments())
        precondition(issues.isEmpty, "\(issues)")
        return definition!.calendar
    }

    /// Every way through a playbook: each branch choice, each step visited at most twice (so a
    /// loop such as test → fail → install is taken once).
    static func paths(_ playbook: Playbook) -> [[(step: String, branch: String?)]] {
        var result: [[(step: String, branch: String?)]] = []
        func walk(_ stepID: String, _ path: [(step: String, branch: String?)], _ visits: [String: Int]) {
            guard let step = playbook.step(stepID), visits[stepID, default: 0] < 2 else { return }
            var visits = visits
            visits[stepID, default: 0] += 1
            switch step.exit {
            case .next(let target):
                let here = path + [(stepID, nil)]
                if case .step(let next) = target { walk(next, here, visits) } else { result.append(here) }
            case .branches(let list):
                for branch in list {
                    let here = path + [(stepID, branch.name)]
                    if case .step(let next) = branch.target { walk(next, here, visits) } else { result.append(here) }
                }
            }
        }
        walk(playbook.firstStep.id, [], [:])
        return result
    }

    /// Someone who does a step of `actor` in their own role, or for the outside actor.
    static func principal(for actor: StepActor) -> Principal {
        switch actor {
        case .agency: Principal(userID: 10, username: "dinkes", role: .agency, agencyCode: "DINKES")
        case .provider: Principal(userID: 11, username: "tek1", role: .technician)
        case .procurement: Principal(userID: 12, username: "clerk1", role: .clerk)
        case .head: Principal(userID: 13, username: "kadis", role: .head)
        case .supervisor: Principal(userID: 14, username: "kabid", role: .supervisor)
        case .technician: Principal(userID: 11, username: "tek1", role: .technician)
        case .admin: Principal(userID: 15, username: "admin1", role: .admin)
        case .clerk: Principal(userID: 12, username: "clerk1", role: .clerk)
        }
    }

    static func evidence(for step: Step) -> [Evidence] {
        step.evidence.compactMap { kind in
            switch kind {
            case .note: Evidence(kind: kind, value: "catatan \(step.id)")
            case .attachment: Evidence(kind: kind, value: "attachment:1 surat.pdf")
            case .photo: Evidence(kind: kind, value: "attachment:2 foto.jpg")
            case .letterNumber: Evidence(kind: kind, value: "800/DKISP/12/IV/2026")
            case .ipAddress: Evidence(kind: kind, value: "10.20.0.15")
            case .dnsName: Evidence(kind: kind, value: "simpeg.contohkab.go.id")
            case .rackPosition: Evidence(kind: kind, value: "R01 U10-U11")
            case .signature: nil
            case .report: Evidence(kind: kind, value: "laporan \(step.id)")
            }
        }
    }
}

extension Date {
    /// A local WITA wall-clock time, e.g. `wita("2026-11-20 15:55")`.
    static func wita(_ text: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Makassar")!
        let parts = text.split(whereSeparator: { " -:".contains($0) }).compactMap { Int($0) }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }
}
