import Foundation
import SimpulCore
import SimpulStore

/// LAN upkeep at every agency at least twice a year (issue 15): the plan of visits per agency and
/// year (`UpkeepPlan`, under the `lan-upkeep` playbook's recurrence), each visit opened as a ticket
/// ahead of its date (by the ticket sweep, and by `plan`), its checklist item by item, and the
/// compliance board: every agency's last and next visit and this year's count, behind first.
public struct UpkeepService: Sendable {
    let simpul: Simpul

    /// The schedule from the playbook's recurrence (`per_year`, `minimum_gap_months`, `open_before`).
    static func schedule(_ r: Reader) throws -> UpkeepSchedule {
        guard let playbook = try PlaybookStore.head(r, id: LANService.upkeep)?.playbook else {
            throw PlaybookService.notLoaded(LANService.upkeep, version: nil)
        }
        let recurrence = playbook.recurrence
        let openDays = recurrence.map { max(0, Int($0.openBefore.seconds(officeDay: 8 * 3600) / 86_400)) } ?? 14
        do {
            return try UpkeepSchedule(visitsPerYear: recurrence?.perYear ?? 2, minimumGapMonths: recurrence?.minimumGapMonths ?? 4,
                                      openAheadDays: min(openDays, UpkeepSchedule.openAheadRange.upperBound))
        } catch {
            throw ServiceError(.invalid, Text(id: "jadwal pemeliharaan di playbook lan-upkeep (recurrence) tidak dapat dipenuhi: \(error.text.id)",
                                              en: "the upkeep schedule in the lan-upkeep playbook (recurrence) cannot be kept: \(error.text.en)"))
        }
    }

    public struct PlanReport: Sendable, Codable {
        public var years: String
        public var planned: Int
        public var alreadyPlanned: Int
        public var opened: Int
        public var conflicts: [Conflict]
        /// The planner's own time (`UpkeepPlan.plan`), without reading and writing the database.
        public var plannerMilliseconds: Double
        public var dryRun: Bool
        public struct Conflict: Sendable, Codable {
            public var agency: String
            public var year: Int
            public var index: Int
            public var reason: Text
        }
    }

    /// Plans the visits of `years` for every agency (those already planned stay as they are), then
    /// opens the tickets of visits whose opening time has come. One transaction.
    ///
    /// Each visit is planned for a technician: one of `areas[agency's area]` in turn where the
    /// agency's area is listed, else one of `technicians` in turn; when the supervisor schedules the
    /// visit without naming someone, the inspection goes to that technician.
    public func plan(years: ClosedRange<Int>, technicians: [String] = [], areas: [String: [String]] = [:], dryRun: Bool = false,
                     by principal: Principal) throws -> PlanReport {
        guard [.supervisor, .head, .admin].contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "rencana pemeliharaan dibuat oleh kepala seksi/bidang, kepala dinas atau admin",
                                                en: "the upkeep plan is made by a section/division head, the head of office or an admin"))
        }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let schedule = try Self.schedule(tx)
            let zone = try LANService.officeZone(tx)
            let known = try UpkeepStore.visits(tx)
            let visitsByAgency = Dictionary(grouping: known, by: \.agencyCode)
            let rows = try UpkeepStore.agencies(tx)
            let agencies = rows.map { a in
                UpkeepAgency(code: a.code, since: Timestamp.date(a.since) ?? tx.now,
                             lastVisits: (visitsByAgency[a.code] ?? []).compactMap { v in (v.doneAt ?? v.due).flatMap(Timestamp.date) })
            }
            try Self.checkTechnicians(tx, technicians + areas.values.flatMap { $0 })
            let knownAreas = Set(rows.compactMap(\.area))
            if let unknown = areas.keys.sorted().first(where: { !knownAreas.contains($0) }) {
                throw ServiceError(.invalid, Text(id: "tidak ada instansi di wilayah \"\(Excerpt.of(unknown))\"; wilayah di inventaris: \(knownAreas.sorted().joined(separator: ", "))",
                                                  en: "no agency is in area \"\(Excerpt.of(unknown))\"; the inventory's areas: \(knownAreas.sorted().joined(separator: ", "))"))
            }
            let plan: UpkeepPlan
            let started = ContinuousClock.now
            do {
                plan = try UpkeepPlan.plan(agencies: agencies, years: years, schedule: schedule, timeZone: zone, now: tx.now)
            } catch let refusal as UpkeepRefusal {
                throw ServiceError(.invalid, refusal.text)
            }
            let plannerMilliseconds = (ContinuousClock.now - started).inMilliseconds
            let conflicts = plan.conflicts.map { PlanReport.Conflict(agency: $0.agency, year: $0.year, index: $0.index, reason: $0.text) }
            let existing = Set(known.map { "\($0.agencyCode) \($0.year) \($0.index)" })
            if dryRun {
                let new = plan.visits.filter { !existing.contains("\($0.agency) \($0.year) \($0.index)") }.count
                return PlanReport(years: "\(years.lowerBound)–\(years.upperBound)", planned: new, alreadyPlanned: plan.visits.count - new, opened: 0,
                                  conflicts: conflicts, plannerMilliseconds: plannerMilliseconds, dryRun: true)
            }
            // The agency's area's technicians in turn, else the list's in turn: an agency keeps its
            // technician through the plan.
            var assigned: [String: String] = [:]
            var turns: [String: Int] = [:]
            for agency in rows {
                let listed = agency.area.flatMap { areas[$0] } ?? []
                let (pool, key) = listed.isEmpty ? (technicians, "") : (listed, "area " + (agency.area ?? ""))
                guard !pool.isEmpty else { continue }
                assigned[agency.code] = pool[turns[key, default: 0] % pool.count]
                turns[key, default: 0] += 1
            }
            let byCode = Dictionary(rows.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            var planned = 0, already = 0
            for visit in plan.visits {
                guard let agency = byCode[visit.agency] else { continue }
                let technician = assigned[agency.code]
                if try UpkeepStore.plan(tx, agencyID: agency.id, year: visit.year, index: visit.index, due: Timestamp.string(visit.due),
                                        opensAt: Timestamp.string(visit.opensAt), technician: technician) {
                    planned += 1
                } else {
                    already += 1
                    if let technician { try UpkeepStore.assign(tx, agencyID: agency.id, year: visit.year, index: visit.index, technician: technician) }
                }
            }
            try tx.audit("upkeep.plan", "upkeep", "\(years.lowerBound)-\(years.upperBound)", after: ["planned": String(planned)])
            let opened = try Self.openDue(tx, tickets: simpul.tickets, technicians: technicians, limit: 5000)
            return PlanReport(years: "\(years.lowerBound)–\(years.upperBound)", planned: planned, alreadyPlanned: already, opened: opened,
                              conflicts: conflicts, plannerMilliseconds: plannerMilliseconds, dryRun: false)
        }
    }

    /// Everyone named must be an active user who can do the inspection (a technician or the section).
    static func checkTechnicians(_ r: Reader, _ names: [String]) throws {
        for name in Set(names).sorted() {
            guard let person = try TicketStore.person(r, username: name), !person.disabled,
                  [.technician, .supervisor].contains(person.role) else {
                throw ServiceError(.invalid, Text(id: "\"\(Excerpt.of(name))\" bukan teknisi aktif; lihat simpul user list",
                                                  en: "\"\(Excerpt.of(name))\" is not an active technician; see simpul user list"))
            }
        }
    }

    /// Opens a `lan-upkeep` ticket for each planned visit whose opening time has come (at most
    /// `limit`), as the system; the visit's technician is noted round-robin from `technicians`.
    static func openDue(_ tx: Transaction, tickets: TicketService, technicians: [String] = [], limit: Int) throws -> Int {
        let due = try UpkeepStore.dueToOpen(tx, now: Timestamp.string(tx.now), limit: limit)
        guard !due.isEmpty, try PlaybookStore.head(tx, id: LANService.upkeep) != nil else { return 0 }
        let zone = try LANService.officeZone(tx)
        for (i, visit) in due.enumerated() {
            let date = Timestamp.date(visit.due).map { LetterPage.longDate($0, zone) } ?? visit.due
            let ticket = try tickets.open(tx, playbook: LANService.upkeep, subject: "Pemeliharaan LAN \(visit.index)/\(visit.year) — \(visit.agencyCode) (\(date))",
                                          agency: visit.agencyCode, priority: .normal, assignee: nil,
                                          note: "Kunjungan pemeliharaan ke-\(visit.index) tahun \(visit.year), direncanakan \(date)",
                                          module: "lan", by: .system, now: tx.now)
            let technician = technicians.isEmpty ? nil : technicians[i % technicians.count]
            try UpkeepStore.attach(tx, visitID: visit.id, ticketID: ticket, technician: technician)
        }
        try tx.audit("upkeep.open", "upkeep", "\(due.count)", after: ["visits": due.map { "\($0.agencyCode) \($0.index)/\($0.year)" }.joined(separator: ", ")])
        return due.count
    }

    // MARK: The checklist

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case pass, fail
    }

    /// What a failed item opens in the same step: a fault (something broken to repair), or an
    /// installation request (something missing to install; it waits for the agency's letter).
    public enum FollowUp: String, Sendable, Codable, CaseIterable {
        case fault, installation
    }

    public struct CheckForm: Sendable {
        public var item: String
        public var outcome: Outcome
        public var note: String?
        public var followUp: FollowUp?

        public init(item: String, outcome: Outcome, note: String? = nil, followUp: FollowUp? = nil) {
            self.item = item
            self.outcome = outcome
            self.note = note
            self.followUp = followUp
        }
    }

    /// The visit, its checklist and the results so far.
    public struct Visit: Sendable {
        public var ticketID: Int64
        public var agency: String
        public var visit: UpkeepStore.VisitRow?
        public var checklist: [ChecklistItem]
        public var results: [UpkeepStore.CheckRow]
        public var step: String?
        public var status: String
        /// The installation request a failed item of this visit opened (the other follow-ups are faults).
        public var installationFollowUp: Int64?
    }

    public func visit(ticket: Int64, by principal: Principal) throws -> Visit {
        try simpul.database.read { r in try Self.visit(r, ticket: ticket, by: principal) }
    }

    static func visit(_ r: Reader, ticket: Int64, by principal: Principal) throws -> Visit {
        guard let (loaded, _) = try TicketStore.load(r, id: ticket), loaded.playbookID == LANService.upkeep,
              principal.role != .agency || principal.agencyCode == loaded.agencyCode else {
            throw ServiceError(.notFound, Text(id: "kunjungan pemeliharaan #\(ticket) tidak ada", en: "upkeep visit #\(ticket) does not exist"))
        }
        let playbook = try PlaybookStore.load(r, id: loaded.playbookID, version: loaded.playbookVersion)?.playbook
        let checklist = playbook?.steps.first { $0.doneBy == "lan.inspect" }?.checklist ?? []
        return Visit(ticketID: ticket, agency: loaded.agencyCode ?? "", visit: try UpkeepStore.visit(r, ticketID: ticket), checklist: checklist,
                     results: try UpkeepStore.checks(r, ticketID: ticket), step: loaded.current?.stepID, status: loaded.status.rawValue,
                     installationFollowUp: try LANStore.followUp(r, of: ticket))
    }

    /// Records checklist results (a failed item may open a fault in the same step); when every item
    /// has a result and `photos` are given, the inspection step is done: `in_order` when all passed,
    /// `needs_repair` otherwise.
    public func check(ticket: Int64, _ checks: [CheckForm], photos: [LANService.Photo], note: String?, by principal: Principal) throws -> Visit {
        guard [.technician, .supervisor, .admin].contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "pemeriksaan dicatat oleh teknisi", en: "the inspection is recorded by a technician"))
        }
        guard !checks.isEmpty else {
            throw ServiceError(.invalid, Text(id: "catat paling sedikit satu butir pemeriksaan", en: "record at least one checklist item"))
        }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let visit = try Self.visit(tx, ticket: ticket, by: principal)
            guard visit.status == "open", let step = visit.step, step == "inspect" else {
                throw ServiceError(.conflict, Text(id: "pemeriksaan dicatat pada langkah pemeriksaan; tiket ini tidak sedang di sana",
                                                   en: "the inspection is recorded on the inspection step; this ticket is not there"))
            }
            let items = Set(visit.checklist.map(\.id))
            for check in checks {
                guard items.contains(check.item) else {
                    throw ServiceError(.invalid, Text(id: "butir \"\(Excerpt.of(check.item))\" tidak ada di daftar periksa; yang ada: \(visit.checklist.map(\.id).joined(separator: ", "))",
                                                      en: "item \"\(Excerpt.of(check.item))\" is not on the checklist; there are: \(visit.checklist.map(\.id).joined(separator: ", "))"))
                }
                let note = check.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
                try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.shortText)
                if check.outcome == .fail && note == nil {
                    throw ServiceError(.invalid, Text(id: "butir \(check.item) gagal: tulis catatan apa yang salah", en: "item \(check.item) failed: write a note saying what is wrong"))
                }
                var followUp: Int64?
                if let kind = check.followUp {
                    guard check.outcome == .fail else {
                        throw ServiceError(.invalid, Text(id: "tindak lanjut hanya dibuka dari butir yang gagal", en: "a follow-up is opened only from a failed item"))
                    }
                    let title = visit.checklist.first { $0.id == check.item }?.title.id ?? check.item
                    if let earlier = visit.results.first(where: { $0.item == check.item })?.followUpTicket {
                        followUp = earlier      // the item's follow-up is already open: a repeated form opens nothing more
                    } else if kind == .fault {
                        let opened = try simpul.faults.open(tx, FaultService.Report(
                            agency: visit.agency, channel: .web, reporterName: "Pemeliharaan LAN #\(ticket)", reporterContact: principal.username,
                            symptom: .equipmentBroken, description: "\(title): \(note ?? "")"), by: principal)
                        followUp = opened.ticketID
                    } else {
                        followUp = try LANService.fileFollowUp(tx, tickets: simpul.tickets, visit: ticket, agency: visit.agency,
                                                               asked: "\(title): \(note ?? "")", by: principal)
                    }
                }
                try UpkeepStore.check(tx, ticketID: ticket, item: check.item, passed: check.outcome == .pass, note: note, followUp: followUp)
            }
            try tx.audit("upkeep.check", "ticket", "#\(ticket)", after: checks.map { "\($0.item)=\($0.outcome.rawValue)" }.joined(separator: ", "))
            let results = try UpkeepStore.checks(tx, ticketID: ticket)
            guard Set(results.map(\.item)).isSuperset(of: items), !photos.isEmpty else { return }
            var references: [String] = []
            for photo in photos {
                guard MediaType.isImage(MediaType.of(photo.data)), photo.data.count <= TicketService.maxAttachmentBytes else {
                    throw ServiceError(.invalid, Text(id: "foto \(Excerpt.of(photo.fileName)) harus gambar JPEG, PNG, GIF atau WebP, paling besar 10 MB",
                                                      en: "the photo \(Excerpt.of(photo.fileName)) must be a JPEG, PNG, GIF or WebP image of at most 10 MB"))
                }
                let name = TicketService.cleanFileName(photo.fileName)
                let id = try TicketStore.insertAttachment(tx, ticketID: ticket, kind: .photo, fileName: name, contentType: MediaType.of(photo.data),
                                                          data: photo.data, sha256: SHA256Hex.of(photo.data), by: principal.username, now: tx.now)
                references.append(Evidence.fileReference(id: id, name: name))
            }
            let failed = results.filter { !$0.passed }
            let summary = failed.isEmpty ? "Semua \(results.count) butir baik" : "Gagal: " + failed.map { "\($0.item) (\($0.note ?? ""))" }.joined(separator: "; ")
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .photo, value: references.joined(separator: "\n")),
                                                                    Evidence(kind: .note, value: summary + (note.map { ". \($0)" } ?? ""))],
                                                         branch: failed.isEmpty ? "in_order" : "needs_repair", note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: "inspect", visit: nil), module: "lan.inspect", by: principal, now: tx.now)
        }
        return try visit(ticket: ticket, by: principal)
    }

    // MARK: The board

    public struct BoardLine: Sendable, Codable {
        public var agency: String
        public var agencyName: String
        public var doneThisYear: Int
        public var required: Int
        public var lastVisit: String?
        public var nextVisit: String?
        public var nextTicket: Int64?
        public var behind: Bool
    }

    public struct Board: Sendable, Codable {
        public var year: Int
        public var lines: [BoardLine]
        public var behind: Int { lines.filter(\.behind).count }
    }

    /// Every agency with its last and next visit and this year's count, behind first (the rule is
    /// `UpkeepCompliance`'s: fewer visits done than the year's windows already over require, or none
    /// for longer than a window).
    public func board(year: Int? = nil, by principal: Principal) throws -> Board {
        try principal.require(.viewEstate)
        return try simpul.database.read { r in
            let schedule = try Self.schedule(r)
            let zone = try LANService.officeZone(r)
            let now = simpul.now()
            let thisYear = year ?? LetterPage.yearMonth(now, zone).year
            guard UpkeepPlan.years.contains(thisYear) else {
                throw ServiceError(.invalid, Text(id: "tahun \(thisYear) di luar \(UpkeepPlan.years.lowerBound)–\(UpkeepPlan.years.upperBound)",
                                                  en: "year \(thisYear) is outside \(UpkeepPlan.years.lowerBound)–\(UpkeepPlan.years.upperBound)"))
            }
            let visits = Dictionary(grouping: try UpkeepStore.visits(r), by: \.agencyCode)
            let lines = try UpkeepStore.agencies(r).map { agency -> (UpkeepCompliance, BoardLine) in
                let mine = visits[agency.code] ?? []
                let done = mine.compactMap { $0.doneAt.flatMap(Timestamp.date) }
                let next = mine.filter { $0.doneAt == nil }.min { $0.due < $1.due }
                let standing = UpkeepCompliance.evaluate(UpkeepAgency(code: agency.code, since: Timestamp.date(agency.since) ?? now, lastVisits: done),
                                                         year: thisYear, schedule: schedule, planned: [], timeZone: zone, now: now)
                let line = BoardLine(agency: agency.code, agencyName: agency.name, doneThisYear: standing.done, required: schedule.visitsPerYear,
                                     lastVisit: standing.lastVisit.map(Timestamp.string), nextVisit: next?.due, nextTicket: next?.ticketID,
                                     behind: standing.behind)
                var ordered = standing
                ordered.nextPlanned = next.flatMap { Timestamp.date($0.due) }
                return (ordered, line)
            }
            let order = Dictionary(UpkeepCompliance.board(lines.map(\.0)).enumerated().map { ($1.agency, $0) }, uniquingKeysWith: { a, _ in a })
            return Board(year: thisYear, lines: lines.map(\.1).sorted { (order[$0.agency] ?? 0) < (order[$1.agency] ?? 0) })
        }
    }
}

extension Simpul {
    public var upkeep: UpkeepService { UpkeepService(simpul: self) }
}
