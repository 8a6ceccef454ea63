import Foundation
import SimpulCore
import SimpulStore

/// Loading playbooks and the office calendar into the database, and reading them back.
/// A loaded version never changes: a file whose steps changed must carry a new version.
public struct PlaybookService: Sendable {
    let simpul: Simpul

    /// What a load did (or, with `dryRun`, would do).
    public struct Report: Sendable, Codable {
        public var dryRun: Bool
        /// `id vN` of versions added.
        public var added: [String]
        public var unchanged: [String]
        public var calendarChanged: Bool
        public var holidays: Int
    }

    /// The files of a playbook folder: `*.yaml` at the top, calendars under `calendar/`.
    public struct Documents: Sendable {
        public var playbooks: [PlaybookDocument]
        public var calendars: [PlaybookDocument]

        public init(playbooks: [PlaybookDocument], calendars: [PlaybookDocument]) {
            self.playbooks = playbooks
            self.calendars = calendars
        }
    }

    public static func documents(inDirectory path: String) throws -> Documents {
        // Files that cannot be read, in both folders, are reported together.
        var unreadable: [InventoryIssue] = []
        func read(_ folder: String, label: String) throws -> [PlaybookDocument] {
            do {
                return try InventoryService.documents(inDirectory: folder, label: label, noun: .playbooks)
            } catch let invalid as InventoryInvalid {
                unreadable += invalid.issues
                return []
            }
        }
        let playbooks = try read(path, label: "")
        let calendarPath = (path as NSString).appendingPathComponent("calendar")
        var isDirectory: ObjCBool = false
        let calendars = FileManager.default.fileExists(atPath: calendarPath, isDirectory: &isDirectory) && isDirectory.boolValue
            ? try read(calendarPath, label: "calendar/")
            : []
        guard unreadable.isEmpty else { throw InventoryInvalid(issues: unreadable, noun: .playbooks) }
        return Documents(playbooks: playbooks, calendars: calendars)
    }

    /// Reads and checks the files without the database.
    public static func check(_ documents: Documents) -> ([Playbook], CalendarDefinition?, [InventoryIssue]) {
        let (playbooks, issues) = PlaybookReader.read(documents.playbooks)
        let (calendar, calendarIssues) = CalendarReader.read(documents.calendars)
        return (playbooks, calendar, issues + calendarIssues)
    }

    /// Checks the files, then loads new versions and the calendar in one transaction.
    /// A version already loaded with different content is refused: bump `version`.
    @discardableResult
    public func load(_ documents: Documents, by principal: Principal, dryRun: Bool = false) throws -> Report {
        try principal.require(.editInventory)
        let (playbooks, calendar, issues) = Self.check(documents)
        guard issues.isEmpty, let calendar else { throw InventoryInvalid(issues: issues, noun: .playbooks) }
        let now = simpul.now()
        return try simpul.database.write(as: principal.username, at: now) { tx in
            var report = Report(dryRun: dryRun, added: [], unchanged: [], calendarChanged: false, holidays: calendar.holidays.count)
            var problems: [InventoryIssue] = []
            for playbook in playbooks {
                let digest = try playbook.digest()
                let file = documents.playbooks.first { ($0.file as NSString).deletingPathExtension.hasSuffix(playbook.id) }?.file ?? "\(playbook.id).yaml"
                if let existing = try PlaybookStore.load(tx, id: playbook.id, version: playbook.version) {
                    if existing.digest == digest {
                        report.unchanged.append(playbook.versionKey)
                        if !existing.isHead, !dryRun {
                            try PlaybookStore.setHead(tx, id: playbook.id, version: playbook.version)
                        }
                        continue
                    }
                    let next = (try PlaybookStore.all(tx).filter { $0.playbook.id == playbook.id }.map(\.playbook.version).max() ?? playbook.version) + 1
                    problems.append(InventoryIssue(location: SourceLocation(file: file, line: 1), field: "version", text: Text(
                        id: "\(playbook.id) versi \(playbook.version) sudah dimuat dengan isi lain; tiket lama tetap pada isi lama. Naikkan version menjadi \(next)",
                        en: "\(playbook.id) version \(playbook.version) was loaded with different content; old tickets keep it. Raise version to \(next)")))
                    continue
                }
                if let head = try PlaybookStore.head(tx, id: playbook.id), head.playbook.version > playbook.version {
                    problems.append(InventoryIssue(location: SourceLocation(file: file, line: 1), field: "version", text: Text(
                        id: "versi \(head.playbook.version) sudah dimuat; versi \(playbook.version) lebih lama. Naikkan version menjadi \(head.playbook.version + 1)",
                        en: "version \(head.playbook.version) is already loaded; version \(playbook.version) is older. Raise version to \(head.playbook.version + 1)")))
                    continue
                }
                report.added.append(playbook.versionKey)
                if !dryRun {
                    try PlaybookStore.insert(tx, playbook, digest: digest)
                    try PlaybookStore.setHead(tx, id: playbook.id, version: playbook.version)
                    try tx.audit("load", "playbook", playbook.versionKey, after: ["digest": digest, "steps": String(playbook.steps.count)])
                }
            }
            guard problems.isEmpty else { throw InventoryInvalid(issues: problems, noun: .playbooks) }
            let loaded = try PlaybookStore.isCalendarLoaded(tx)
            let current = try PlaybookStore.calendar(tx)
            if !loaded || current != calendar {
                report.calendarChanged = true
                if !dryRun {
                    try PlaybookStore.saveCalendar(tx, calendar)
                    try tx.audit("load", "calendar", "office", before: loaded ? current : nil, after: calendar)
                }
            }
            return report
        }
    }

    /// The current version of every playbook.
    public func list(by principal: Principal) throws -> [PlaybookStore.Loaded] {
        try simpul.database.read { try PlaybookStore.heads($0) }
    }

    /// One playbook: the current version, or the one given.
    public func playbook(_ id: String, version: Int? = nil, by principal: Principal) throws -> PlaybookStore.Loaded {
        let found = try simpul.database.read { reader in
            try version.map { try PlaybookStore.load(reader, id: id, version: $0) } ?? PlaybookStore.head(reader, id: id)
        }
        guard let found else { throw Self.notLoaded(id, version: version) }
        return found
    }

    public func calendar() throws -> CalendarDefinition {
        try simpul.database.read { try PlaybookStore.calendar($0) }
    }

    static func notLoaded(_ id: String, version: Int?) -> ServiceError {
        let which = version.map { " versi \($0)" } ?? ""
        let whichEN = version.map { " version \($0)" } ?? ""
        return ServiceError(.notFound, Text(id: "playbook \"\(id)\"\(which) belum dimuat; jalankan: simpul playbook import Playbooks/",
                                            en: "playbook \"\(id)\"\(whichEN) is not loaded; run: simpul playbook import Playbooks/"))
    }
}
