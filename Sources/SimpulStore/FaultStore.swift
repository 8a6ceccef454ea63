import Foundation
import GRDB
import SimpulCore

/// Fault reports (`faults`, beside their fault-dispatch tickets), the reports attached to them
/// (`fault_reports`), the technician's work log (`fault_log`), the provider's side
/// (`provider_events`) and the words past faults are found by (`fault_search`). Every function runs
/// in the caller's `Reader` or `Transaction`.
public enum FaultStore {
    /// A fault as stored, with the names shown beside it and where its ticket stands.
    public struct Stored: Sendable, Hashable, FetchableRecord {
        public var ticketID: Int64
        public var agencyCode: String
        public var agencyName: String
        public var linkID: Int64?
        public var circuit: String?
        public var deviceID: Int64?
        public var deviceName: String?
        public var channel: FaultChannel
        public var reporterName: String
        public var reporterContact: String?
        public var symptom: FaultSymptom
        public var description: String
        public var startedAt: Date
        public var reportedAt: Date
        public var open: Bool
        public var cause: FaultCause?
        public var resolution: String?
        /// The provider of the fault's own circuit (its link's), whether or not it was escalated.
        public var linkProviderCode: String?
        /// The provider it was escalated to (its row id and code).
        public var providerID: Int64?
        public var providerCode: String?
        public var escalationLevel: Int?
        public var escalatedAt: Date?
        public var providerTicket: String?
        public var acknowledgedAt: Date?
        public var restoredAt: Date?
        public var createdBy: String
        public var subject: String
        public var status: TicketStatus
        public var step: String?
        public var visit: Int?
        public var playbookVersion: Int
        public var assignee: String?

        public init(row: Row) throws {
            ticketID = row["ticket_id"]
            agencyCode = row["agency_code"]
            agencyName = row["agency_name"]
            linkID = row["link_id"]
            circuit = row["circuit"]
            deviceID = row["device_id"]
            deviceName = row["device_name"]
            channel = try Self.decode(FaultChannel.self, row["channel"])
            reporterName = row["reporter_name"]
            reporterContact = row["reporter_contact"]
            symptom = try Self.decode(FaultSymptom.self, row["symptom"])
            description = row["description"]
            startedAt = try FaultStore.time(row["started_at"])
            reportedAt = try FaultStore.time(row["reported_at"])
            open = row["open"]
            cause = try (row["cause"] as String?).map { try Self.decode(FaultCause.self, $0) }
            resolution = row["resolution"]
            linkProviderCode = row["link_provider_code"]
            providerID = row["provider_id"]
            providerCode = row["provider_code"]
            escalationLevel = row["escalation_level"]
            escalatedAt = try (row["escalated_at"] as String?).map(FaultStore.time)
            providerTicket = row["provider_ticket"]
            acknowledgedAt = try (row["acknowledged_at"] as String?).map(FaultStore.time)
            restoredAt = try (row["restored_at"] as String?).map(FaultStore.time)
            createdBy = row["created_by"]
            subject = row["subject"]
            status = try Self.decode(TicketStatus.self, row["status"])
            step = row["current_step"]
            visit = row["current_visit"]
            playbookVersion = row["playbook_version"]
            assignee = row["assignee"]
        }

        static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: raw) else { throw StoreConflict(message: "unknown \(T.self) \(raw)") }
            return value
        }
    }

    /// A stored timestamp; a malformed one is a damaged row.
    static func time(_ text: String) throws -> Date {
        guard let date = Timestamp.date(text) else { throw StoreConflict(message: "malformed time \(text)") }
        return date
    }

    static let select = """
        SELECT f.*, a.code AS agency_code, a.name AS agency_name, l.circuit, d.name AS device_name,
               lp.code AS link_provider_code, p.code AS provider_code,
               t.subject, t.status, t.current_step, t.current_visit, t.playbook_version, t.assignee
        FROM faults f
        JOIN tickets t ON t.id = f.ticket_id
        JOIN agencies a ON a.id = f.agency_id
        LEFT JOIN links l ON l.id = f.link_id
        LEFT JOIN providers lp ON lp.id = l.provider_id
        LEFT JOIN devices d ON d.id = f.device_id
        LEFT JOIN providers p ON p.id = f.provider_id
        """

    /// What a new fault records (its ticket is opened by the caller in the same transaction).
    public struct NewFault: Sendable {
        public var ticketID: Int64
        public var agencyID: Int64
        public var linkID: Int64?
        public var deviceID: Int64?
        public var channel: FaultChannel
        public var reporterName: String
        public var reporterContact: String?
        public var symptom: FaultSymptom
        public var description: String
        public var startedAt: Date
        public var externalID: String?

        public init(ticketID: Int64, agencyID: Int64, linkID: Int64?, deviceID: Int64?, channel: FaultChannel, reporterName: String,
                    reporterContact: String?, symptom: FaultSymptom, description: String, startedAt: Date, externalID: String?) {
            self.ticketID = ticketID
            self.agencyID = agencyID
            self.linkID = linkID
            self.deviceID = deviceID
            self.channel = channel
            self.reporterName = reporterName
            self.reporterContact = reporterContact
            self.symptom = symptom
            self.description = description
            self.startedAt = startedAt
            self.externalID = externalID
        }
    }

    /// Inserts the fault and its first report. Throws `StoreConflict` when the link or device
    /// already has an open fault (a racing report got there first).
    public static func insert(_ tx: Transaction, _ fault: NewFault) throws {
        let now = Timestamp.string(tx.now)
        do {
            try tx.db.execute(sql: """
                INSERT INTO faults (ticket_id, agency_id, link_id, device_id, channel, reporter_name, reporter_contact, symptom, description,
                                    started_at, reported_at, created_by, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [fault.ticketID, fault.agencyID, fault.linkID, fault.deviceID, fault.channel.rawValue, fault.reporterName,
                                 fault.reporterContact, fault.symptom.rawValue, fault.description, Timestamp.string(fault.startedAt), now,
                                 tx.actor, now])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreConflict(message: error.message ?? "an open fault exists")
        }
        try addReport(tx, ticketID: fault.ticketID, channel: fault.channel, reporterName: fault.reporterName,
                      reporterContact: fault.reporterContact, description: fault.description, externalID: fault.externalID)
        try reindex(tx, ticketID: fault.ticketID)
    }

    /// A report of a fault (the first, or one attached later). Throws `StoreConflict` when its
    /// external id was recorded before.
    public static func addReport(_ tx: Transaction, ticketID: Int64, channel: FaultChannel, reporterName: String, reporterContact: String?,
                                 description: String, externalID: String?) throws {
        do {
            try tx.db.execute(sql: """
                INSERT INTO fault_reports (ticket_id, channel, reporter_name, reporter_contact, description, reported_at, recorded_by, external_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [ticketID, channel.rawValue, reporterName, reporterContact, description, Timestamp.string(tx.now), tx.actor, externalID])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreConflict(message: error.message ?? "the report was recorded before")
        }
    }

    /// The fault a report with this external id was recorded on.
    public static func ticket(_ reader: Reader, externalID: String) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT ticket_id FROM fault_reports WHERE external_id = ?", arguments: [externalID])
    }

    /// The open fault about this link, or (with no link) about this device.
    public static func openFault(_ reader: Reader, linkID: Int64?, deviceID: Int64?) throws -> Int64? {
        if let linkID {
            return try Int64.fetchOne(reader.db, sql: "SELECT ticket_id FROM faults WHERE open = 1 AND link_id = ?", arguments: [linkID])
        }
        guard let deviceID else { return nil }
        return try Int64.fetchOne(reader.db, sql: "SELECT ticket_id FROM faults WHERE open = 1 AND device_id = ? AND link_id IS NULL",
                                  arguments: [deviceID])
    }

    public static func fault(_ reader: Reader, ticketID: Int64) throws -> Stored? {
        try Stored.fetchOne(reader.db, sql: select + " WHERE f.ticket_id = ?", arguments: [ticketID])
    }

    /// Which faults a list shows.
    public struct Filter: Sendable, Hashable {
        public var agency: String?
        public var openOnly: Bool
        public var circuit: String?
        public var limit: Int
        public var offset: Int

        public init(agency: String? = nil, openOnly: Bool = false, circuit: String? = nil, limit: Int = 50, offset: Int = 0) {
            self.agency = agency
            self.openOnly = openOnly
            self.circuit = circuit
            self.limit = limit
            self.offset = offset
        }
    }

    /// Newest first.
    public static func list(_ reader: Reader, _ filter: Filter) throws -> (rows: [Stored], total: Int) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let agency = filter.agency { conditions.append("a.code = ?"); arguments += [agency] }
        if filter.openOnly { conditions.append("f.open = 1") }
        if let circuit = filter.circuit { conditions.append("l.circuit = ?"); arguments += [circuit] }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = try Int.fetchOne(reader.db, sql: """
            SELECT count(*) FROM faults f JOIN agencies a ON a.id = f.agency_id LEFT JOIN links l ON l.id = f.link_id
            """ + whereClause, arguments: arguments) ?? 0
        let rows = try Stored.fetchAll(reader.db, sql: select + whereClause + " ORDER BY f.reported_at DESC, f.ticket_id DESC LIMIT ? OFFSET ?",
                                       arguments: arguments + [max(0, filter.limit), max(0, filter.offset)])
        return (rows, total)
    }

    /// The fault's ticket is open or held (1), or closed (0): one open fault per link and device.
    /// Throws `StoreConflict` when reopening would make a second open fault.
    public static func setOpen(_ tx: Transaction, ticketID: Int64, _ open: Bool) throws {
        do {
            try tx.db.execute(sql: "UPDATE faults SET open = ?, updated_at = ? WHERE ticket_id = ? AND open <> ?",
                              arguments: [open, Timestamp.string(tx.now), ticketID, open])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreConflict(message: error.message ?? "an open fault exists")
        }
    }

    /// Why it happened and how it was fixed.
    public static func setResolution(_ tx: Transaction, ticketID: Int64, cause: FaultCause, resolution: String) throws {
        try tx.db.execute(sql: "UPDATE faults SET cause = ?, resolution = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [cause.rawValue, resolution, Timestamp.string(tx.now), ticketID])
        try reindex(tx, ticketID: ticketID)
    }

    // MARK: Reports and the work log

    public struct Report: Sendable, Hashable, FetchableRecord {
        public var id: Int64
        public var channel: FaultChannel
        public var reporterName: String
        public var reporterContact: String?
        public var description: String
        public var reportedAt: Date
        public var recordedBy: String

        public init(row: Row) throws {
            id = row["id"]
            channel = try Stored.decode(FaultChannel.self, row["channel"])
            reporterName = row["reporter_name"]
            reporterContact = row["reporter_contact"]
            description = row["description"]
            reportedAt = try FaultStore.time(row["reported_at"])
            recordedBy = row["recorded_by"]
        }
    }

    public static func reports(_ reader: Reader, ticketID: Int64) throws -> [Report] {
        try Report.fetchAll(reader.db, sql: "SELECT * FROM fault_reports WHERE ticket_id = ? ORDER BY id", arguments: [ticketID])
    }

    public struct LogEntry: Sendable, Hashable, FetchableRecord {
        public var id: Int64
        public var at: Date
        public var by: String
        public var checked: String
        public var found: String
        public var did: String
        public var outcome: FaultLogOutcome

        public init(row: Row) throws {
            id = row["id"]
            at = try FaultStore.time(row["at"])
            by = row["by"]
            checked = row["checked"]
            found = row["found"]
            did = row["did"]
            outcome = try Stored.decode(FaultLogOutcome.self, row["outcome"])
        }
    }

    /// Adds a work-log entry by the transaction's actor; returns its id.
    public static func log(_ tx: Transaction, ticketID: Int64, checked: String, found: String, did: String, outcome: FaultLogOutcome) throws -> Int64 {
        try tx.db.execute(sql: "INSERT INTO fault_log (ticket_id, at, by, checked, found, did, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          arguments: [ticketID, Timestamp.string(tx.now), tx.actor, checked, found, did, outcome.rawValue])
        let id = tx.db.lastInsertedRowID
        try reindex(tx, ticketID: ticketID)
        return id
    }

    public static func log(_ reader: Reader, ticketID: Int64) throws -> [LogEntry] {
        try LogEntry.fetchAll(reader.db, sql: "SELECT * FROM fault_log WHERE ticket_id = ? ORDER BY id", arguments: [ticketID])
    }

    // MARK: Finding past faults

    /// Rewrites the fault's searchable words: its description, the reports, the work log and the resolution.
    static func reindex(_ tx: Transaction, ticketID: Int64) throws {
        var parts: [String] = []
        if let row = try Row.fetchOne(tx.db, sql: "SELECT description, resolution FROM faults WHERE ticket_id = ?", arguments: [ticketID]) {
            parts.append(row["description"] ?? "")
            parts.append(row["resolution"] ?? "")
        }
        parts += try String.fetchAll(tx.db, sql: "SELECT description FROM fault_reports WHERE ticket_id = ?", arguments: [ticketID])
        for row in try Row.fetchAll(tx.db, sql: "SELECT checked, found, did FROM fault_log WHERE ticket_id = ?", arguments: [ticketID]) {
            parts += [row["checked"], row["found"], row["did"]]
        }
        try tx.db.execute(sql: "DELETE FROM fault_search WHERE rowid = ?", arguments: [ticketID])
        try tx.db.execute(sql: "INSERT INTO fault_search (rowid, body) VALUES (?, ?)",
                          arguments: [ticketID, parts.filter { !$0.isEmpty }.joined(separator: "\n")])
    }

    /// A past fault like this one, and how well it matches.
    public struct Similar: Sendable, Hashable {
        public var fault: Stored
        public var score: Double
        public var sameLink: Bool
        public var sameAgency: Bool
        public var sameSymptom: Bool
    }

    /// Closed faults on the same link, agency or symptom, or with the same words (FTS5, bm25),
    /// best first: the same link counts most, then the words, then the agency and the symptom.
    public static func similar(_ reader: Reader, to fault: Stored, words: [String], limit: Int) throws -> [Similar] {
        // Words as FTS5 string literals, so nothing typed is read as query syntax.
        let terms = words.prefix(12).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var textScores: [Int64: Double] = [:]
        if !terms.isEmpty {
            for row in try Row.fetchAll(reader.db, sql: """
                SELECT rowid, bm25(fault_search) AS rank FROM fault_search WHERE fault_search MATCH ? AND rowid <> ? ORDER BY rank LIMIT 200
                """, arguments: [terms.joined(separator: " OR "), fault.ticketID]) {
                let rank: Double = row["rank"]
                textScores[row["rowid"]] = -rank  // bm25: lower is better
            }
        }
        let candidates = try Stored.fetchAll(reader.db, sql: select + """
             WHERE f.ticket_id <> ? AND f.open = 0 AND (f.link_id = ? OR f.agency_id = (SELECT agency_id FROM faults WHERE ticket_id = ?) OR f.symptom = ?
                OR f.ticket_id IN (SELECT value FROM json_each(?)))
             ORDER BY f.reported_at DESC LIMIT 500
            """, arguments: [fault.ticketID, fault.linkID, fault.ticketID, fault.symptom.rawValue,
                             String(data: try JSONEncoder().encode(Array(textScores.keys)), encoding: .utf8) ?? "[]"])
        let best = textScores.values.max() ?? 1
        let scored = candidates.map { other -> Similar in
            let sameLink = fault.linkID != nil && other.linkID == fault.linkID
            let sameAgency = other.agencyCode == fault.agencyCode
            let sameSymptom = other.symptom == fault.symptom
            let text = best > 0 ? (textScores[other.ticketID] ?? 0) / best : 0
            let score = (sameLink ? 4 : 0) + 3 * text + (sameAgency ? 1.5 : 0) + (sameSymptom ? 1 : 0) + (other.resolution == nil ? 0 : 0.5)
            return Similar(fault: other, score: score, sameLink: sameLink, sameAgency: sameAgency, sameSymptom: sameSymptom)
        }
        return Array(scored.sorted { ($0.score, $0.fault.reportedAt) > ($1.score, $1.fault.reportedAt) }.prefix(limit))
    }

    // MARK: The provider's side

    /// The escalation levels sent for the fault.
    public static func escalatedLevels(_ reader: Reader, ticketID: Int64) throws -> [Int] {
        try Int.fetchAll(reader.db, sql: "SELECT level FROM provider_events WHERE ticket_id = ? AND kind = 'escalated' ORDER BY level", arguments: [ticketID])
    }

    public static func providerID(_ reader: Reader, code: String) throws -> Int64? {
        try Int64.fetchOne(reader.db, sql: "SELECT id FROM providers WHERE code = ?", arguments: [code])
    }

    /// Notes an escalation sent: the provider's clock starts at the first.
    public static func escalated(_ tx: Transaction, ticketID: Int64, providerID: Int64, level: Int) throws {
        try tx.db.execute(sql: """
            UPDATE faults SET provider_id = ?, escalation_level = max(ifnull(escalation_level, 0), ?), escalated_at = ifnull(escalated_at, ?), updated_at = ?
            WHERE ticket_id = ?
            """, arguments: [providerID, level, Timestamp.string(tx.now), Timestamp.string(tx.now), ticketID])
    }

    public static func acknowledged(_ tx: Transaction, ticketID: Int64, at: Date, providerTicket: String?) throws {
        try tx.db.execute(sql: "UPDATE faults SET acknowledged_at = ?, provider_ticket = ifnull(?, provider_ticket), updated_at = ? WHERE ticket_id = ?",
                          arguments: [Timestamp.string(at), providerTicket, Timestamp.string(tx.now), ticketID])
    }

    public static func restored(_ tx: Transaction, ticketID: Int64, at: Date) throws {
        try tx.db.execute(sql: "UPDATE faults SET restored_at = ?, updated_at = ? WHERE ticket_id = ?",
                          arguments: [Timestamp.string(at), Timestamp.string(tx.now), ticketID])
    }

    public static func providerEvent(_ tx: Transaction, ticketID: Int64, providerID: Int64, kind: ProviderEventKind, level: Int?, at: Date,
                                     note: String?, providerTicket: String?) throws {
        try tx.db.execute(sql: """
            INSERT INTO provider_events (ticket_id, provider_id, kind, level, at, by, note, provider_ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [ticketID, providerID, kind.rawValue, level, Timestamp.string(at), tx.actor, note, providerTicket])
    }

    public struct ProviderEvent: Sendable, Hashable {
        public var kind: ProviderEventKind
        public var level: Int?
        public var at: Date
        public var by: String
        public var note: String?
        public var providerTicket: String?
        public var providerCode: String
        public var providerName: String
    }

    public static func providerEvents(_ reader: Reader, ticketID: Int64) throws -> [ProviderEvent] {
        try Row.fetchAll(reader.db, sql: """
            SELECT e.*, p.code AS provider_code, p.name AS provider_name FROM provider_events e JOIN providers p ON p.id = e.provider_id WHERE e.ticket_id = ? ORDER BY e.at, e.id
            """, arguments: [ticketID]).map { row in
            ProviderEvent(kind: try Stored.decode(ProviderEventKind.self, row["kind"]), level: row["level"], at: try time(row["at"]), by: row["by"],
                          note: row["note"], providerTicket: row["provider_ticket"], providerCode: row["provider_code"],
                          providerName: row["provider_name"])
        }
    }

    /// Open faults escalated to a provider that has neither acknowledged nor restored.
    public static func awaitingAcknowledgement(_ reader: Reader) throws -> [(ticketID: Int64, providerCode: String, firstEscalatedAt: Date, level: Int)] {
        try Row.fetchAll(reader.db, sql: """
            SELECT f.ticket_id, p.code, f.escalated_at, f.escalation_level FROM faults f JOIN providers p ON p.id = f.provider_id
            WHERE f.open = 1 AND f.escalated_at IS NOT NULL AND f.acknowledged_at IS NULL AND f.restored_at IS NULL
            """).map { (ticketID: $0["ticket_id"], providerCode: $0["code"], firstEscalatedAt: try time($0["escalated_at"]), level: $0["escalation_level"] ?? 0) }
    }

    /// A link's contracted rates.
    public static func linkFacts(_ reader: Reader, linkID: Int64) throws -> (down: Double, up: Double)? {
        try Row.fetchOne(reader.db, sql: "SELECT down_mbps, up_mbps FROM links WHERE id = ?", arguments: [linkID]).map { (down: $0["down_mbps"], up: $0["up_mbps"]) }
    }

    // MARK: What the report form offers

    /// An agency's links (circuit, provider) and devices, for the report form's second field.
    public static func subjects(_ reader: Reader, agencyID: Int64) throws -> (links: [(id: Int64, circuit: String, provider: String, technology: String)],
                                                                            devices: [(id: Int64, name: String, kind: String)]) {
        let links = try Row.fetchAll(reader.db, sql: """
            SELECT l.id, l.circuit, p.name AS provider, l.technology FROM links l JOIN providers p ON p.id = l.provider_id
            WHERE l.agency_id = ? ORDER BY l.circuit
            """, arguments: [agencyID]).map { (id: $0["id"] as Int64, circuit: $0["circuit"] as String, provider: $0["provider"] as String,
                                               technology: $0["technology"] as String) }
        let devices = try Row.fetchAll(reader.db, sql: "SELECT id, name, kind FROM devices WHERE agency_id = ? ORDER BY name",
                                       arguments: [agencyID]).map { (id: $0["id"] as Int64, name: $0["name"] as String, kind: $0["kind"] as String) }
        return (links, devices)
    }

    /// The link with this circuit id: its id and agency.
    public static func link(_ reader: Reader, circuit: String) throws -> (id: Int64, agencyID: Int64)? {
        try Row.fetchOne(reader.db, sql: "SELECT id, agency_id FROM links WHERE circuit = ?", arguments: [circuit])
            .map { (id: $0["id"], agencyID: $0["agency_id"]) }
    }

    /// The device with this name: its id and agency.
    public static func device(_ reader: Reader, name: String) throws -> (id: Int64, agencyID: Int64?)? {
        try Row.fetchOne(reader.db, sql: "SELECT id, agency_id FROM devices WHERE name = ?", arguments: [name])
            .map { (id: $0["id"], agencyID: $0["agency_id"]) }
    }
}
