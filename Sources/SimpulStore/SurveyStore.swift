import Foundation
import GRDB
import SimpulCore

/// The bandwidth-survey module's rows (issue 16): each survey (a `bandwidth-survey` ticket), its
/// agencies with their method and stated needs, and the documents issued from it.
public enum SurveyStore {
    public struct SurveyRow: Sendable, Hashable, Codable {
        public var id: Int64
        public var ticketID: Int64
        public var title: String
        public var periodFrom: String
        public var periodTo: String
        public var responsible: String?
        public var createdAt: String
        public var status: String
        public var step: String?
    }

    public struct AgencyRow: Sendable, Hashable, Codable {
        public var agencyID: Int64
        public var agency: String
        public var agencyName: String
        public var method: String
        public var needs: StatedNeeds?
        public var needsAt: String?
        public var needsBy: String?
    }

    public struct DocumentRow: Sendable, Hashable {
        public var kind: String
        public var html: String
        public var htmlSHA256: String
        public var pdf: Data?
        public var pdfSHA256: String?
        public var figures: String
        public var signedBy: String
        public var signedAt: String

        public init(kind: String, html: String, htmlSHA256: String, pdf: Data?, pdfSHA256: String?, figures: String, signedBy: String, signedAt: String) {
            self.kind = kind
            self.html = html
            self.htmlSHA256 = htmlSHA256
            self.pdf = pdf
            self.pdfSHA256 = pdfSHA256
            self.figures = figures
            self.signedBy = signedBy
            self.signedAt = signedAt
        }
    }

    static let surveySelect = """
        SELECT s.*, t.status, t.current_step FROM surveys s JOIN tickets t ON t.id = s.ticket_id
        """

    static func survey(_ row: Row) -> SurveyRow {
        SurveyRow(id: row["id"], ticketID: row["ticket_id"], title: row["title"], periodFrom: row["period_from"], periodTo: row["period_to"],
                  responsible: row["responsible"], createdAt: row["created_at"], status: row["status"], step: row["current_step"])
    }

    public static func insert(_ tx: Transaction, ticketID: Int64, title: String, from: String, to: String, responsible: String?,
                              agencies: [(agencyID: Int64, method: String)]) throws -> Int64 {
        try tx.db.execute(sql: "INSERT INTO surveys (ticket_id, title, period_from, period_to, responsible, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                          arguments: [ticketID, title, from, to, responsible, Timestamp.string(tx.now)])
        let id = tx.db.lastInsertedRowID
        for a in agencies {
            try tx.db.execute(sql: "INSERT INTO survey_agencies (survey_id, agency_id, method) VALUES (?, ?, ?)", arguments: [id, a.agencyID, a.method])
        }
        return id
    }

    public static func survey(_ reader: Reader, id: Int64) throws -> SurveyRow? {
        try Row.fetchOne(reader.db, sql: surveySelect + " WHERE s.id = ?", arguments: [id]).map(survey)
    }

    public static func survey(_ reader: Reader, ticketID: Int64) throws -> SurveyRow? {
        try Row.fetchOne(reader.db, sql: surveySelect + " WHERE s.ticket_id = ?", arguments: [ticketID]).map(survey)
    }

    /// The surveys whose ticket is held on `step` (the sweep resumes those held for their period).
    public static func heldOnStep(_ reader: Reader, _ step: String) throws -> [SurveyRow] {
        try Row.fetchAll(reader.db, sql: surveySelect + " WHERE t.status = 'held' AND t.current_step = ? ORDER BY s.id", arguments: [step]).map(survey)
    }

    /// Surveys, newest first; only those that include `agency` when given.
    public static func surveys(_ reader: Reader, agency: String? = nil, limit: Int = 200) throws -> [SurveyRow] {
        try Row.fetchAll(reader.db, sql: surveySelect + """
             WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM survey_agencies sa JOIN agencies a ON a.id = sa.agency_id WHERE sa.survey_id = s.id AND a.code = ?1)
             ORDER BY s.id DESC LIMIT ?2
            """, arguments: [agency, limit]).map(survey)
    }

    public static func agencies(_ reader: Reader, surveyID: Int64) throws -> [AgencyRow] {
        try Row.fetchAll(reader.db, sql: """
            SELECT sa.*, a.code, a.name FROM survey_agencies sa JOIN agencies a ON a.id = sa.agency_id WHERE sa.survey_id = ? ORDER BY a.code
            """, arguments: [surveyID]).map { row in
            var needs: StatedNeeds?
            if row["needs_at"] as String? != nil {
                let apps = (row["applications"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
                needs = StatedNeeds(staff: row["staff"], applications: apps, neededMbps: row["needed_mbps"], growthPercent: row["growth_percent"],
                                    note: row["needs_note"])
            }
            return AgencyRow(agencyID: row["agency_id"], agency: row["code"], agencyName: row["name"], method: row["method"], needs: needs,
                             needsAt: row["needs_at"], needsBy: row["needs_by"])
        }
    }

    public static func setNeeds(_ tx: Transaction, surveyID: Int64, agencyID: Int64, needs: StatedNeeds) throws {
        let apps = String(decoding: try JSONEncoder().encode(needs.applications), as: UTF8.self)
        try tx.db.execute(sql: """
            UPDATE survey_agencies SET staff = ?, applications = ?, needed_mbps = ?, growth_percent = ?, needs_note = ?, needs_at = ?, needs_by = ?
            WHERE survey_id = ? AND agency_id = ?
            """, arguments: [needs.staff, apps, needs.neededMbps, needs.growthPercent, needs.note, Timestamp.string(tx.now), tx.actor,
                             surveyID, agencyID])
    }

    public static func insertDocument(_ tx: Transaction, surveyID: Int64, _ d: DocumentRow) throws {
        try tx.db.execute(sql: """
            INSERT INTO survey_documents (survey_id, kind, html, html_sha256, pdf, pdf_sha256, figures, signed_by, signed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [surveyID, d.kind, d.html, d.htmlSHA256, d.pdf, d.pdfSHA256, d.figures, d.signedBy, d.signedAt])
    }

    /// Keeps the PDF printed later from a document issued without one, once: every later download
    /// is that same file.
    public static func keepPDF(_ tx: Transaction, surveyID: Int64, kind: String, pdf: Data) throws {
        try tx.db.execute(sql: "UPDATE survey_documents SET pdf = ?, pdf_sha256 = ? WHERE survey_id = ? AND kind = ? AND pdf IS NULL",
                          arguments: [pdf, SHA256Hex.of(pdf), surveyID, kind])
    }

    public static func document(_ reader: Reader, surveyID: Int64, kind: String) throws -> DocumentRow? {
        try Row.fetchOne(reader.db, sql: "SELECT * FROM survey_documents WHERE survey_id = ? AND kind = ?", arguments: [surveyID, kind]).map { row in
            DocumentRow(kind: row["kind"], html: row["html"], htmlSHA256: row["html_sha256"], pdf: row["pdf"], pdfSHA256: row["pdf_sha256"],
                        figures: row["figures"], signedBy: row["signed_by"], signedAt: row["signed_at"])
        }
    }

    public static func documents(_ reader: Reader, surveyID: Int64) throws -> [DocumentRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM survey_documents WHERE survey_id = ? ORDER BY kind", arguments: [surveyID]).map { row in
            DocumentRow(kind: row["kind"], html: row["html"], htmlSHA256: row["html_sha256"], pdf: row["pdf"], pdfSHA256: row["pdf_sha256"],
                        figures: row["figures"], signedBy: row["signed_by"], signedAt: row["signed_at"])
        }
    }
}
