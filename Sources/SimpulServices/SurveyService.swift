import Foundation
import SimpulCore
import SimpulStore

/// Bandwidth surveys (SOP 13 "Penyediaan Bandwidth Perangkat Daerah", issue 16). A survey is a
/// ticket on the `bandwidth-survey` playbook: which agencies, the period, the method per agency
/// (SNMP counters on the agency's own link, packet capture on a shared uplink, or both) and who is
/// responsible. The module does four of its steps (`done_by: survey.*`): the measuring ends with
/// the report attached; the agencies' needs are in when every agency has given them (or the section
/// closes the step); the map is the signed recommendation; the specification is the procurement
/// material. Each action is one transaction with the ticket's step.
public struct SurveyService: Sendable {
    let simpul: Simpul

    public static let playbook = "bandwidth-survey"

    public enum Method: String, Sendable, Codable, CaseIterable {
        case snmp, pcap, both

        public var title: Text {
            switch self {
            case .snmp: Text(id: "pencacah SNMP di sambungan OPD", en: "SNMP counters on the agency's link")
            case .pcap: Text(id: "tangkapan paket di uplink bersama", en: "packet capture on a shared uplink")
            case .both: Text(id: "SNMP dan tangkapan paket", en: "SNMP and packet capture")
            }
        }

        public static func parse(_ text: String) throws -> Method {
            guard let method = Method(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ServiceError(.invalid, Text(id: "metode \"\(Excerpt.of(text))\" tidak dikenal; pilih snmp, pcap atau both",
                                                  en: "unknown method \"\(Excerpt.of(text))\"; choose snmp, pcap or both"))
            }
            return method
        }
    }

    /// What opens a survey.
    public struct OpenForm: Sendable {
        public var title: String
        public var from: String
        public var to: String
        public var agencies: [(code: String, method: Method)]
        public var responsible: String?

        public init(title: String, from: String, to: String, agencies: [(code: String, method: Method)], responsible: String? = nil) {
            self.title = title
            self.from = from
            self.to = to
            self.agencies = agencies
            self.responsible = responsible
        }
    }

    /// The longest period a survey may measure.
    public static let maximumDays = 400
    public static let maximumAgencies = 2000

    /// The steps on which agencies' needs are taken: up to and including their own.
    static let stepsTakingNeeds: Set<String> = ["assign_evaluation", "prepare_team", "survey", "agency_data"]

    public static let openers: Set<Role> = [.head, .supervisor, .admin]
    public static let measurers: Set<Role> = [.technician, .supervisor, .admin]
    public static let mappers: Set<Role> = [.supervisor, .head, .admin]

    /// Opens the survey's ticket and records its agencies, in one transaction.
    public func open(_ form: OpenForm, by principal: Principal) throws -> Survey {
        guard Self.openers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "survei bandwidth dibuka oleh kepala dinas, kepala bidang/seksi atau admin",
                                                en: "bandwidth surveys are opened by the head of office, a division/section head or an admin"))
        }
        let title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 200 else {
            throw ServiceError(.invalid, Text(id: "tulis judul survei (paling panjang 200 karakter)", en: "write the survey's title (at most 200 characters)"))
        }
        let (from, to) = try Self.period(form.from, form.to)
        guard !form.agencies.isEmpty else {
            throw ServiceError(.invalid, Text(id: "pilih paling sedikit satu perangkat daerah", en: "choose at least one agency"))
        }
        guard form.agencies.count <= Self.maximumAgencies else {
            throw ServiceError(.invalid, Text(id: "paling banyak \(Self.maximumAgencies) perangkat daerah per survei", en: "at most \(Self.maximumAgencies) agencies per survey"))
        }
        let id = try simpul.database.write(as: principal.username, at: simpul.now()) { tx -> Int64 in
            var rows: [(agencyID: Int64, method: String)] = []
            var seen = Set<String>()
            for entry in form.agencies {
                let code = entry.code.trimmingCharacters(in: .whitespaces).uppercased()
                guard seen.insert(code).inserted else {
                    throw ServiceError(.invalid, Text(id: "\(Excerpt.of(code)) tertulis dua kali", en: "\(Excerpt.of(code)) is listed twice"))
                }
                rows.append((try simpul.tickets.agencyID(tx, code: code), entry.method.rawValue))
            }
            if let responsible = form.responsible?.nilIfEmpty {
                guard let person = try TicketStore.person(tx, username: responsible), !person.disabled,
                      [.technician, .supervisor].contains(person.role) else {
                    throw ServiceError(.invalid, Text(id: "\"\(Excerpt.of(responsible))\" bukan teknisi atau kepala seksi yang aktif",
                                                      en: "\"\(Excerpt.of(responsible))\" is not an active technician or section head"))
                }
            }
            let ticket = try simpul.tickets.open(tx, playbook: Self.playbook, subject: "Survei bandwidth: \(title)", agency: nil, priority: .normal,
                                                 assignee: nil, note: "Periode \(from) – \(to); \(rows.count) perangkat daerah",
                                                 module: "survey", by: principal, now: tx.now)
            let id = try SurveyStore.insert(tx, ticketID: ticket, title: title, from: from, to: to, responsible: form.responsible?.nilIfEmpty, agencies: rows)
            try tx.audit("survey.open", "survey", "#\(id)", after: ["title": title, "from": from, "to": to,
                                                                    "agencies": form.agencies.map { "\($0.code):\($0.method.rawValue)" }.joined(separator: " ")])
            return id
        }
        return try survey(id, by: principal)
    }

    /// `from` and `to` as office days (YYYY-MM-DD), `to` on or after `from`, at most `maximumDays` apart.
    static func period(_ from: String, _ to: String) throws -> (String, String) {
        let f = from.trimmingCharacters(in: .whitespaces), t = to.trimmingCharacters(in: .whitespaces)
        guard f.count == 10, let a = WorkCalendar.dayNumber(f) else {
            throw ServiceError(.invalid, Text(id: "awal periode \"\(Excerpt.of(f))\" harus TTTT-BB-HH", en: "the period's start \"\(Excerpt.of(f))\" must be YYYY-MM-DD"))
        }
        guard t.count == 10, let b = WorkCalendar.dayNumber(t) else {
            throw ServiceError(.invalid, Text(id: "akhir periode \"\(Excerpt.of(t))\" harus TTTT-BB-HH", en: "the period's end \"\(Excerpt.of(t))\" must be YYYY-MM-DD"))
        }
        guard b >= a else {
            throw ServiceError(.invalid, Text(id: "akhir periode (\(t)) sebelum awalnya (\(f))", en: "the period ends (\(t)) before it starts (\(f))"))
        }
        guard b - a < maximumDays else {
            throw ServiceError(.invalid, Text(id: "periode paling panjang \(maximumDays) hari", en: "the period is at most \(maximumDays) days"))
        }
        return (f, t)
    }

    // MARK: Reading

    public struct Survey: Sendable {
        public var row: SurveyStore.SurveyRow
        public var agencies: [SurveyStore.AgencyRow]
        public var documents: [String]
        public var stepTitle: Text?
        public var stepActor: StepActor?
        /// Held by Simpul on the measuring step until the period is over (see `Module.moved`); the
        /// measuring may still be ended early.
        public var waitsForPeriod = false

        public var id: Int64 { row.id }
        /// Whether the survey is working on its step: open, or held by Simpul only for its period
        /// (whose step may still be done early).
        public var onStep: Bool { row.status == TicketStatus.open.rawValue || waitsForPeriod }
        /// Its status in words: a survey held for its period is measuring until its last day.
        public var statusText: Text {
            if waitsForPeriod { return Text(id: "mengukur s.d. \(row.periodTo)", en: "measuring until \(row.periodTo)") }
            return TicketStatus(rawValue: row.status)?.title ?? Text(id: row.status, en: row.status)
        }
        /// Whether agencies' needs are taken now: the ticket is active and not past the needs step.
        public var takesNeeds: Bool {
            TicketStatus(rawValue: row.status)?.isActive == true && SurveyService.stepsTakingNeeds.contains(row.step ?? "")
        }
        public var needsGiven: Int { agencies.filter { $0.needs != nil }.count }
    }

    public func survey(_ id: Int64, by principal: Principal) throws -> Survey {
        try simpul.database.read { r in try Self.survey(r, id: id, by: principal) }
    }

    static func survey(_ r: Reader, id: Int64, by principal: Principal) throws -> Survey {
        guard let row = try SurveyStore.survey(r, id: id) else { throw noSurvey(id) }
        let agencies = try SurveyStore.agencies(r, surveyID: id)
        if principal.role == .agency {
            guard let own = principal.agencyCode, agencies.contains(where: { $0.agency == own }) else { throw noSurvey(id) }
        }
        var survey = Survey(row: row, agencies: principal.role == .agency ? agencies.filter { $0.agency == principal.agencyCode } : agencies,
                            documents: try SurveyStore.documents(r, surveyID: id).map(\.kind))
        if let stepID = row.step, let (loaded, _) = try TicketStore.load(r, id: row.ticketID),
           let step = try PlaybookStore.load(r, id: loaded.playbookID, version: loaded.playbookVersion)?.playbook.step(stepID) {
            survey.stepTitle = step.title
            survey.stepActor = step.actor
        }
        if row.status == TicketStatus.held.rawValue, row.step == measuringStep { survey.waitsForPeriod = try heldForPeriod(r, ticket: row.ticketID) }
        return survey
    }

    public func list(by principal: Principal) throws -> [SurveyStore.SurveyRow] {
        if principal.role == .agency {
            guard let own = principal.agencyCode else { return [] }
            return try simpul.database.read { r in try SurveyStore.surveys(r, agency: own) }
        }
        try principal.require(.viewEstate)
        return try simpul.database.read { r in try SurveyStore.surveys(r) }
    }

    static func noSurvey(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "survei #\(id) tidak ada; lihat daftar (halaman Survei, atau simpul survey list)",
                                     en: "survey #\(id) does not exist; see the list (the Surveys page, or simpul survey list)"))
    }

    // MARK: The agencies' needs

    /// An agency's needs on the survey's form: its own user for its own agency, or the office's
    /// staff on its behalf. When the last agency has answered and the ticket waits for the needs,
    /// the step is done (as the system).
    public func needs(_ id: Int64, agency: String, _ needs: StatedNeeds, by principal: Principal) throws -> Survey {
        guard principal.role != .viewer else {
            throw ServiceError(.forbidden, Text(id: "peran Pemantau tidak dapat mengisi kebutuhan", en: "the viewer role cannot fill in needs"))
        }
        let code = principal.role == .agency ? (principal.agencyCode ?? "") : agency.trimmingCharacters(in: .whitespaces).uppercased()
        let needs = try Self.validate(needs)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let survey = try Self.survey(tx, id: id, by: principal)
            guard let row = survey.agencies.first(where: { $0.agency == code }) else {
                throw ServiceError(.invalid, Text(id: "\(Excerpt.of(code)) tidak termasuk survei #\(id)", en: "\(Excerpt.of(code)) is not in survey #\(id)"))
            }
            // Needs come in from the opening to their own step (while the measuring runs too); once
            // the section has closed that step, the map is drawn from the answers given.
            guard survey.takesNeeds else {
                throw ServiceError(.conflict, Text(id: "survei #\(id) tidak lagi menerima kebutuhan: langkahnya sudah ditutup, atau survei selesai",
                                                   en: "survey #\(id) takes no more needs: their step is closed, or the survey is over"))
            }
            try SurveyStore.setNeeds(tx, surveyID: id, agencyID: row.agencyID, needs: needs)
            try tx.audit("survey.needs", "survey", "#\(id)", after: ["agency": code, "mbps": needs.neededMbps.map { "\($0)" } ?? "",
                                                                     "growth": needs.growthPercent.map { "\($0)" } ?? ""])
            let all = try SurveyStore.agencies(tx, surveyID: id)
            if survey.row.step == "agency_data", all.allSatisfy({ $0.needs != nil }) {
                try Self.completeNeeds(tx, tickets: simpul.tickets, survey: survey.row, all: all, by: .system, closedEarly: false)
            }
        }
        return try survey(id, by: principal)
    }

    /// The section closes the needs step with the answers given so far (the others are named).
    public func closeNeeds(_ id: Int64, by principal: Principal) throws -> Survey {
        guard Self.mappers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "langkah kebutuhan ditutup oleh kepala bidang/seksi", en: "the needs step is closed by a division/section head"))
        }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let survey = try Self.survey(tx, id: id, by: principal)
            try Self.requireStep(survey, "agency_data")
            try Self.completeNeeds(tx, tickets: simpul.tickets, survey: survey.row, all: try SurveyStore.agencies(tx, surveyID: id), by: principal, closedEarly: true)
        }
        return try survey(id, by: principal)
    }

    static func completeNeeds(_ tx: Transaction, tickets: TicketService, survey: SurveyStore.SurveyRow, all: [SurveyStore.AgencyRow],
                              by principal: Principal, closedEarly: Bool) throws {
        let missing = all.filter { $0.needs == nil }.map(\.agency)
        let csv = SurveyCSV.needs(all)
        let data = Data(csv.utf8)
        let file = try TicketStore.insertAttachment(tx, ticketID: survey.ticketID, kind: .attachment, fileName: "kebutuhan-survei-\(survey.id).csv",
                                                    contentType: "text/csv", data: data, sha256: SHA256Hex.of(data), by: principal.username, now: tx.now)
        let note = missing.isEmpty ? "Semua \(all.count) perangkat daerah mengisi kebutuhan"
            : "\(all.count - missing.count) dari \(all.count) mengisi; belum: \(missing.joined(separator: ", "))"
        try tickets.act(tx, survey.ticketID, .complete(evidence: [Evidence(kind: .attachment, value: Evidence.fileReference(id: file, name: "kebutuhan-survei-\(survey.id).csv")),
                                                               Evidence(kind: .note, value: note)], branch: nil, note: nil, assignTo: nil),
                        expecting: StepRef(stepID: "agency_data", visit: nil), module: "survey.needs", by: principal, now: tx.now)
        if closedEarly { try tx.audit("survey.needs.close", "survey", "#\(survey.id)", after: ["missing": missing.joined(separator: ", ")]) }
    }

    static func validate(_ needs: StatedNeeds) throws -> StatedNeeds {
        var n = needs
        if let staff = n.staff, !(0...100_000).contains(staff) {
            throw ServiceError(.invalid, Text(id: "jumlah pegawai harus 0–100000", en: "staff must be 0–100000"))
        }
        if let mbps = n.neededMbps, !(mbps.isFinite && (0...400_000).contains(mbps)) {
            throw ServiceError(.invalid, Text(id: "kebutuhan bandwidth harus 0–400000 Mbps", en: "the bandwidth needed must be 0–400000 Mbps"))
        }
        if let growth = n.growthPercent, !(growth.isFinite && (0...1000).contains(growth)) {
            throw ServiceError(.invalid, Text(id: "pertumbuhan harus 0–1000 persen", en: "the growth must be 0–1000 percent"))
        }
        n.applications = n.applications.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard n.applications.count <= 50, n.applications.allSatisfy({ $0.count <= 100 }) else {
            throw ServiceError(.invalid, Text(id: "paling banyak 50 aplikasi, masing-masing paling panjang 100 karakter",
                                              en: "at most 50 applications, each at most 100 characters"))
        }
        n.note = n.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        try ServiceError.limit(n.note, Text(id: "catatan", en: "the note"), Limits.longText)
        return n
    }

    static func requireStep(_ survey: Survey, _ step: String) throws {
        guard survey.row.status == "open", survey.row.step == step else {
            let now = survey.stepTitle.map { Text(id: "tiket sedang di langkah \"\($0.id)\"", en: "the ticket is on the step \"\($0.en)\"") }
                ?? Text(id: "tiket sudah selesai atau ditahan", en: "the ticket is closed or held")
            throw ServiceError(.conflict, Text(id: "belum waktunya: \(now.id)", en: "not now: \(now.en)"))
        }
    }
}

extension Simpul {
    public var surveys: SurveyService { SurveyService(simpul: self) }
}
