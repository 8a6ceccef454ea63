import Foundation
import GRDB
import SimpulCore

/// The office's outgoing letters: a draft per ticket and kind, its parafs in order, and, once
/// signed, its number (the year's next sequence, taken in the signing transaction: SQLite's one
/// writer at a time makes two signers in two processes take two numbers, and the unique indexes
/// back that up), the page as signed and the PDF made from it, with their hashes.
public enum LetterStore {
    public struct LetterRow: Sendable, Hashable {
        public var id: Int64
        public var ticketID: Int64
        public var kind: String
        public var state: String
        public var draftedAt: String
        public var draftedBy: String
        public var number: String?
        public var year: Int?
        public var sequence: Int?
        public var signedAt: String?
        public var signedBy: String?
        /// The signing official as printed (JSON of `Official`).
        public var signatory: String?
        public var html: String?
        public var htmlSHA256: String?
        public var pdfSHA256: String?
        public var hasPDF: Bool
        public var parafs: [Paraf]
    }

    public struct Paraf: Sendable, Hashable {
        public var position: Int
        /// The official as printed (JSON of `Official`).
        public var official: String
        public var by: String
        public var at: String
    }

    static let columns = """
        id, ticket_id, kind, state, drafted_at, drafted_by, number, year, sequence, signed_at, signed_by, signatory, html, html_sha256,
        pdf_sha256, pdf IS NOT NULL AS has_pdf
        """

    static func letter(_ row: Row, parafs: [Paraf]) -> LetterRow {
        LetterRow(id: row["id"], ticketID: row["ticket_id"], kind: row["kind"], state: row["state"], draftedAt: row["drafted_at"],
                  draftedBy: row["drafted_by"], number: row["number"], year: row["year"], sequence: row["sequence"], signedAt: row["signed_at"],
                  signedBy: row["signed_by"], signatory: row["signatory"], html: row["html"], htmlSHA256: row["html_sha256"],
                  pdfSHA256: row["pdf_sha256"], hasPDF: (row["has_pdf"] as Int) == 1, parafs: parafs)
    }

    static func parafs(_ db: Database, letterID: Int64) throws -> [Paraf] {
        try Row.fetchAll(db, sql: "SELECT * FROM letter_parafs WHERE letter_id = ? ORDER BY position", arguments: [letterID]).map { row in
            Paraf(position: row["position"], official: row["official"], by: row["by"], at: row["at"])
        }
    }

    public static func letters(_ reader: Reader, ticketID: Int64) throws -> [LetterRow] {
        try Row.fetchAll(reader.db, sql: "SELECT \(columns) FROM letters WHERE ticket_id = ? ORDER BY id", arguments: [ticketID]).map { row in
            letter(row, parafs: try parafs(reader.db, letterID: row["id"]))
        }
    }

    public static func letter(_ reader: Reader, ticketID: Int64, kind: String) throws -> LetterRow? {
        guard let row = try Row.fetchOne(reader.db, sql: "SELECT \(columns) FROM letters WHERE ticket_id = ? AND kind = ?", arguments: [ticketID, kind])
        else { return nil }
        return letter(row, parafs: try parafs(reader.db, letterID: row["id"]))
    }

    /// The letter with `number`, signed.
    public static func letter(_ reader: Reader, number: String) throws -> LetterRow? {
        guard let row = try Row.fetchOne(reader.db, sql: "SELECT \(columns) FROM letters WHERE number = ?", arguments: [number]) else { return nil }
        return letter(row, parafs: try parafs(reader.db, letterID: row["id"]))
    }

    /// Drafts the ticket's letter of `kind` unless it has one; returns its id.
    @discardableResult
    public static func draft(_ tx: Transaction, ticketID: Int64, kind: String) throws -> Int64 {
        try tx.db.execute(sql: """
            INSERT INTO letters (ticket_id, kind, state, drafted_at, drafted_by) VALUES (?, ?, 'draft', ?, ?) ON CONFLICT (ticket_id, kind) DO NOTHING
            """, arguments: [ticketID, kind, Timestamp.string(tx.now), tx.actor])
        return try Int64.fetchOne(tx.db, sql: "SELECT id FROM letters WHERE ticket_id = ? AND kind = ?", arguments: [ticketID, kind])!
    }

    public static func addParaf(_ tx: Transaction, letterID: Int64, position: Int, official: String) throws {
        try tx.db.execute(sql: "INSERT INTO letter_parafs (letter_id, position, official, by, at) VALUES (?, ?, ?, ?, ?)",
                          arguments: [letterID, position, official, tx.actor, Timestamp.string(tx.now)])
    }

    /// The next sequence number of `year`: `startAt` for its first letter, else one after the last.
    /// Inside the signing transaction; refuses past 999,999.
    public static func nextSequence(_ tx: Transaction, year: Int, startAt: Int) throws -> Int? {
        let last = try Int.fetchOne(tx.db, sql: "SELECT last FROM letter_sequences WHERE year = ?", arguments: [year])
        let next = last.map { $0 + 1 } ?? startAt
        guard (1...999_999).contains(next) else { return nil }
        try tx.db.execute(sql: "INSERT INTO letter_sequences (year, last) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET last = excluded.last",
                          arguments: [year, next])
        return next
    }

    /// Signs the draft: its number, the official as printed, and the page as signed with its hash.
    /// Throws `StoreConflict` when the number is already some letter's (a scheme without `{seq}`'s
    /// uniqueness, or a sequence edited by hand).
    public static func sign(_ tx: Transaction, letterID: Int64, number: String, year: Int, sequence: Int, signatory: String, html: String) throws {
        do {
            try tx.db.execute(sql: """
                UPDATE letters SET state = 'signed', number = ?, year = ?, sequence = ?, signed_at = ?, signed_by = ?, signatory = ?, html = ?,
                  html_sha256 = ? WHERE id = ? AND state = 'draft'
                """, arguments: [number, year, sequence, Timestamp.string(tx.now), tx.actor, signatory, html, sha256(Data(html.utf8)), letterID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreConflict(message: error.message ?? "constraint")
        }
    }

    /// Keeps the PDF made from a signed letter's page, once: a reprint is the same file.
    public static func keepPDF(_ tx: Transaction, letterID: Int64, pdf: Data) throws {
        try tx.db.execute(sql: "UPDATE letters SET pdf = ?, pdf_sha256 = ? WHERE id = ? AND state = 'signed' AND pdf IS NULL",
                          arguments: [pdf, sha256(pdf), letterID])
    }

    public static func pdf(_ reader: Reader, letterID: Int64) throws -> Data? {
        try Data.fetchOne(reader.db, sql: "SELECT pdf FROM letters WHERE id = ?", arguments: [letterID])
    }

    public static func sha256(_ data: Data) -> String {
        SHA256Hex.of(data)
    }
}
