import Foundation
import SimpulCore
import SimpulStore

/// Fault-report dispatch (SOP 15, `fault-dispatch`): a fault is a ticket with its own record — the
/// link or device it is about, who reported it and how to reach them, the symptom, when it started —
/// the technician's work log, and, once fixed, its cause and resolution. The module does the SOP's
/// steps that carry its record (`done_by: faults.*`): the report, the repair's outcome, the result.
public struct FaultService: Sendable {
    let simpul: Simpul

    public static let playbookID = "fault-dispatch"

    /// A report, however it arrives (phone, WhatsApp, the web form, the API, the poller).
    public struct Report: Sendable, Hashable {
        public var agency: String?
        /// The link's circuit id, when the fault is about a link.
        public var link: String?
        /// The device's name, when the fault is about a device.
        public var device: String?
        public var channel: FaultChannel
        public var reporterName: String
        public var reporterContact: String?
        public var symptom: FaultSymptom
        public var description: String
        /// When it started; now when not given.
        public var startedAt: Date?
        /// The sender's own id for this report (a gateway's message id): the same report sent twice is kept once.
        public var externalID: String?

        public init(agency: String?, link: String? = nil, device: String? = nil, channel: FaultChannel, reporterName: String,
                    reporterContact: String?, symptom: FaultSymptom, description: String, startedAt: Date? = nil, externalID: String? = nil) {
            self.agency = agency
            self.link = link
            self.device = device
            self.channel = channel
            self.reporterName = reporterName
            self.reporterContact = reporterContact
            self.symptom = symptom
            self.description = description
            self.startedAt = startedAt
            self.externalID = externalID
        }
    }

    /// What became of a report.
    public struct Opened: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, Codable {
            /// A new fault and its ticket.
            case opened
            /// The link or device already had an open fault: the report was attached to it.
            case attached
            /// The same report (its external id) was received before: nothing new was written.
            case repeated
        }
        public var ticketID: Int64
        public var kind: Kind
    }

    // MARK: Reporting

    /// Records a report: a new fault on a ticket whose first step (the report) is done with it, or,
    /// when the link or device already has an open fault, a report attached to that fault. One
    /// transaction; a bad report writes nothing.
    @discardableResult
    public func open(_ report: Report, by principal: Principal) throws -> Opened {
        guard principal.role != .viewer else {
            throw ServiceError(.forbidden, Text(id: "peran Pemantau tidak dapat melaporkan gangguan", en: "the viewer role cannot report faults"))
        }
        var report = report
        try Self.clean(&report, by: principal)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in try open(tx, report, by: principal) }
    }

    /// `open` in the caller's transaction, with a report already cleaned (an upkeep visit's failed
    /// item opens its fault with the visit's own record).
    func open(_ tx: Transaction, _ report: Report, by principal: Principal) throws -> Opened {
        if let external = report.externalID, let earlier = try FaultStore.ticket(tx, externalID: external) {
            return Opened(ticketID: earlier, kind: .repeated)
        }
        let (agencyID, agencyCode, linkID, deviceID) = try Self.resolve(tx, report)
        if let existing = try FaultStore.openFault(tx, linkID: linkID, deviceID: deviceID) {
            try FaultStore.addReport(tx, ticketID: existing, channel: report.channel, reporterName: report.reporterName,
                                     reporterContact: report.reporterContact, description: report.description, externalID: report.externalID)
            try tx.audit("fault.report", "ticket", "#\(existing)", after: Self.auditFields(report))
            return Opened(ticketID: existing, kind: .attached)
        }
        // A few minutes ahead is a reporter's clock running fast: taken as now. More is a wrong date.
        if let start = report.startedAt, start > tx.now.addingTimeInterval(300) {
            throw ServiceError(.invalid, Text(id: "waktu mulai gangguan ada di masa depan; periksa tanggal dan jamnya (waktu kantor)",
                                              en: "the fault's start is in the future; check the date and time (office time)"))
        }
        let started = min(report.startedAt ?? tx.now, tx.now)
        guard started >= tx.now.addingTimeInterval(-90 * 86_400) else {
            throw ServiceError(.invalid, Text(id: "waktu mulai gangguan lebih dari 90 hari lalu; periksa tanggalnya",
                                              en: "the fault started more than 90 days ago; check the date"))
        }
        let what = report.link ?? report.device
        let subject = "\(report.symptom.title.id) — \(agencyCode)" + (what.map { " (\($0))" } ?? "")
        let priority: Priority = report.symptom == .noConnection || report.symptom == .serviceDown ? .high : .normal
        let ticketID = try simpul.tickets.open(tx, playbook: Self.playbookID, subject: subject, agency: agencyCode, priority: priority,
                                               assignee: nil, note: report.description.nilIfEmpty, module: "faults", by: principal, now: tx.now)
        do {
            try FaultStore.insert(tx, FaultStore.NewFault(
                ticketID: ticketID, agencyID: agencyID, linkID: linkID, deviceID: deviceID, channel: report.channel,
                reporterName: report.reporterName, reporterContact: report.reporterContact, symptom: report.symptom,
                description: report.description, startedAt: started, externalID: report.externalID))
        } catch is StoreConflict {
            throw ServiceError(.conflict, Text(id: "gangguan untuk \(what ?? agencyCode) baru saja dilaporkan orang lain; muat ulang dan lihat tiketnya",
                                               en: "a fault on \(what ?? agencyCode) was just reported by someone else; reload and see its ticket"))
        }
        try tx.audit("fault.open", "ticket", "#\(ticketID)", after: Self.auditFields(report))
        // The SOP's first step is the report itself: done now, with it.
        let stepNote = [report.symptom.title.id, report.description].filter { !$0.isEmpty }.joined(separator: ": ")
        try simpul.tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .note, value: stepNote)], branch: nil, note: nil, assignTo: nil),
                               expecting: StepRef(stepID: "report", visit: 0), module: "faults.report", by: principal, now: tx.now)
        return Opened(ticketID: ticketID, kind: .opened)
    }

    static func auditFields(_ report: Report) -> [String: String] {
        var fields = ["channel": report.channel.rawValue, "symptom": report.symptom.rawValue, "reporter": report.reporterName]
        if let link = report.link { fields["link"] = link }
        if let device = report.device { fields["device"] = device }
        if let external = report.externalID { fields["external_id"] = external }
        return fields
    }

    /// Trims and checks a report's fields; an agency user reports for its own agency only.
    static func clean(_ report: inout Report, by principal: Principal) throws {
        func trimmed(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        if principal.role == .agency {
            guard let own = principal.agencyCode else { throw ServiceError.forbidden(.viewEstate) }
            if let asked = trimmed(report.agency), asked.uppercased() != own {
                throw ServiceError(.invalid, Text(id: "Anda hanya dapat melaporkan gangguan perangkat daerah Anda sendiri (\(own))",
                                                  en: "you can only report faults of your own agency (\(own))"))
            }
            report.agency = own
            if report.channel != .web && report.channel != .api { report.channel = .web }
        }
        report.agency = trimmed(report.agency)?.uppercased()
        report.link = trimmed(report.link)
        report.device = trimmed(report.device)
        report.reporterName = trimmed(report.reporterName) ?? ""
        report.reporterContact = trimmed(report.reporterContact)
        report.description = report.description.trimmingCharacters(in: .whitespacesAndNewlines)
        report.externalID = trimmed(report.externalID)
        try ServiceError.limit(report.reporterName, Text(id: "nama pelapor", en: "the reporter's name"), Limits.name)
        try ServiceError.limit(report.reporterContact, Text(id: "kontak pelapor", en: "the reporter's contact"), Limits.name)
        try ServiceError.limit(report.description, Text(id: "uraian gangguan", en: "the description"), 4000)
        try ServiceError.limit(report.externalID, Text(id: "id laporan pengirim", en: "the sender's report id"), Limits.name)
        try ServiceError.limit(report.link, Text(id: "sirkuit", en: "the circuit"), Limits.name)
        try ServiceError.limit(report.device, Text(id: "perangkat", en: "the device"), Limits.name)
        guard report.agency != nil || report.link != nil || report.device != nil else {
            throw ServiceError(.invalid, Text(id: "pilih perangkat daerah yang mengalami gangguan", en: "choose the agency that has the fault"))
        }
        guard !report.reporterName.isEmpty else {
            throw ServiceError(.invalid, Text(id: "tulis nama pelapor", en: "write the reporter's name"))
        }
        if report.reporterContact == nil && report.channel != .monitoring {
            throw ServiceError(.invalid, Text(id: "tulis cara menghubungi pelapor (telepon, WhatsApp atau surel), agar teknisi dapat mengabarinya",
                                              en: "write how to reach the reporter (phone, WhatsApp or e-mail), so the technician can get back to them"))
        }
    }

    /// The agency, link and device a report names, each checked against the inventory: a link or
    /// device must be the agency's own.
    static func resolve(_ reader: Reader, _ report: Report) throws -> (agencyID: Int64, agencyCode: String, linkID: Int64?, deviceID: Int64?) {
        var agencyID: Int64?
        var agencyCode = report.agency
        if let code = agencyCode {
            guard let id = try InventoryStore.agencyID(reader, code: code) else {
                throw ServiceError(.invalid, Text(id: "perangkat daerah \"\(code)\" tidak ada; lihat simpul agency list",
                                                   en: "agency \"\(code)\" does not exist; see simpul agency list"))
            }
            agencyID = id
        }
        var linkID: Int64?
        if let circuit = report.link {
            guard let link = try FaultStore.link(reader, circuit: circuit) else {
                throw ServiceError(.invalid, Text(id: "sirkuit \"\(circuit)\" tidak ada di inventaris; pilih salah satu sambungan perangkat daerahnya",
                                                   en: "circuit \"\(circuit)\" is not in the inventory; choose one of the agency's links"))
            }
            if let agencyID, link.agencyID != agencyID {
                throw ServiceError(.invalid, Text(id: "sirkuit \(circuit) bukan milik \(agencyCode ?? "")", en: "circuit \(circuit) is not \(agencyCode ?? "")'s"))
            }
            agencyID = link.agencyID
            linkID = link.id
        }
        var deviceID: Int64?
        if let name = report.device {
            guard let device = try FaultStore.device(reader, name: name) else {
                throw ServiceError(.invalid, Text(id: "perangkat \"\(name)\" tidak ada di inventaris", en: "device \"\(name)\" is not in the inventory"))
            }
            if let agencyID, let owner = device.agencyID, owner != agencyID {
                throw ServiceError(.invalid, Text(id: "perangkat \(name) bukan milik \(agencyCode ?? "")", en: "device \(name) is not \(agencyCode ?? "")'s"))
            }
            agencyID = agencyID ?? device.agencyID
            deviceID = device.id
        }
        guard let agencyID else {
            throw ServiceError(.invalid, Text(id: "perangkat \(report.device ?? "") tidak tercatat milik perangkat daerah mana pun; pilih perangkat daerahnya",
                                              en: "device \(report.device ?? "") belongs to no agency in the inventory; choose the agency"))
        }
        if agencyCode == nil { agencyCode = try InventoryStore.agencyCode(reader, id: agencyID) }
        return (agencyID, agencyCode ?? "", linkID, deviceID)
    }

    // MARK: Reading

    /// A fault with its reports, work log, the parts used and the past faults like it.
    public struct Detail: Sendable {
        public var fault: FaultStore.Stored
        public var reports: [FaultStore.Report]
        public var log: [FaultStore.LogEntry]
        public var similar: [FaultStore.Similar]
        public var stepTitle: Text?
        /// Escalations sent, the acknowledgement, the restoration.
        public var providerEvents: [FaultStore.ProviderEvent]
    }

    public func fault(ticket ticketID: Int64, by principal: Principal) throws -> Detail {
        try simpul.database.read { r in
            let fault = try Self.visible(r, ticketID: ticketID, by: principal)
            let words = (fault.description + " " + fault.symptom.title.id).split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= 3 }
            let similar = principal.role == .agency ? [] : try FaultStore.similar(r, to: fault, words: words, limit: 5)
            let title = try fault.step.flatMap { step in try PlaybookStore.load(r, id: Self.playbookID, version: fault.playbookVersion)?.playbook.step(step)?.title }
            return Detail(fault: fault, reports: try FaultStore.reports(r, ticketID: ticketID), log: try FaultStore.log(r, ticketID: ticketID),
                          similar: similar, stepTitle: title,
                          providerEvents: principal.role == .agency ? [] : try FaultStore.providerEvents(r, ticketID: ticketID))
        }
    }

    public func list(_ filter: FaultStore.Filter, by principal: Principal) throws -> (rows: [FaultStore.Stored], total: Int) {
        var filter = filter
        if principal.role == .agency {
            guard let own = principal.agencyCode else { return ([], 0) }
            filter.agency = own
        } else {
            try principal.require(.viewEstate)
        }
        return try simpul.database.read { r in try FaultStore.list(r, filter) }
    }

    /// The links and devices of an agency a report may name (the form's second field).
    public func subjects(agency code: String, by principal: Principal) throws -> (links: [(id: Int64, circuit: String, provider: String, technology: String)],
                                                                                devices: [(id: Int64, name: String, kind: String)]) {
        let code = code.uppercased()
        guard principal.canSee(agency: code) else { throw Self.noFault(0) }
        return try simpul.database.read { r in
            guard let id = try InventoryStore.agencyID(r, code: code) else { return ([], []) }
            return try FaultStore.subjects(r, agencyID: id)
        }
    }

    static func visible(_ reader: Reader, ticketID: Int64, by principal: Principal) throws -> FaultStore.Stored {
        guard let fault = try FaultStore.fault(reader, ticketID: ticketID), principal.canSee(agency: fault.agencyCode) else { throw noFault(ticketID) }
        return fault
    }

    static func noFault(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "laporan gangguan #\(id) tidak ada (lihat: simpul fault list)", en: "fault #\(id) does not exist (see: simpul fault list)"))
    }

    // MARK: The work log

    /// One work-log entry: what the technician checked, found and did, the parts used (taken from
    /// stock in the same transaction), and how it ended. On the repair step, `fixed` and `not_fixed`
    /// complete the step with that outcome (not fixed goes to the provider).
    public struct LogForm: Sendable, Hashable {
        public var checked: String
        public var found: String
        public var did: String
        public var outcome: FaultLogOutcome
        /// Part code and quantity.
        public var parts: [(code: String, quantity: Int)]
        /// Why an administrator completes the technician's step (recorded as a correction).
        public var reason: String?

        public init(checked: String = "", found: String = "", did: String = "", outcome: FaultLogOutcome, parts: [(code: String, quantity: Int)] = [],
                    reason: String? = nil) {
            self.checked = checked
            self.found = found
            self.did = did
            self.outcome = outcome
            self.parts = parts
            self.reason = reason
        }

        public static func == (a: LogForm, b: LogForm) -> Bool {
            a.checked == b.checked && a.found == b.found && a.did == b.did && a.outcome == b.outcome
                && a.parts.map(\.code) == b.parts.map(\.code) && a.parts.map(\.quantity) == b.parts.map(\.quantity)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(checked); hasher.combine(found); hasher.combine(did); hasher.combine(outcome)
        }
    }

    static let fieldWorkers: Set<Role> = [.technician, .supervisor, .head, .admin]

    /// A work-log entry written, and the outbox rows it wrote (the provider's escalation mail when
    /// it said not fixed), which the front end delivers at once after the commit.
    public struct Logged: Sendable, Hashable {
        public var entry: Int64
        public var deliveries: [Int64]
    }

    @discardableResult
    public func log(ticket ticketID: Int64, _ form: LogForm, by principal: Principal) throws -> Logged {
        guard Self.fieldWorkers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "catatan kerja ditulis teknisi, kepala seksi/bidang, kepala dinas atau admin",
                                                en: "the work log is written by technicians, supervisors, the head or an admin"))
        }
        let checked = form.checked.trimmingCharacters(in: .whitespacesAndNewlines)
        let found = form.found.trimmingCharacters(in: .whitespacesAndNewlines)
        let did = form.did.trimmingCharacters(in: .whitespacesAndNewlines)
        for (text, what) in [(checked, Text(id: "yang diperiksa", en: "what was checked")), (found, Text(id: "temuan", en: "what was found")),
                             (did, Text(id: "tindakan", en: "what was done"))] {
            try ServiceError.limit(text, what, 4000)
        }
        guard !(checked + found + did).isEmpty else {
            throw ServiceError(.invalid, Text(id: "tulis apa yang diperiksa, ditemukan atau dikerjakan", en: "write what was checked, found or done"))
        }
        guard form.parts.count <= 20 else {
            throw ServiceError(.invalid, Text(id: "paling banyak 20 jenis suku cadang per catatan", en: "at most 20 kinds of parts per entry"))
        }
        for part in form.parts where !(1...10_000).contains(part.quantity) {
            throw ServiceError(.invalid, Text(id: "jumlah \(part.code) harus 1–10000", en: "the quantity of \(part.code) must be 1–10000"))
        }
        let (entry, deliveries) = try simpul.database.writeEnqueuing(as: principal.username, at: simpul.now()) { tx -> Int64 in
            let fault = try Self.visible(tx, ticketID: ticketID, by: principal)
            guard fault.status.isActive else {
                throw ServiceError(.invalid, Text(id: "gangguan #\(ticketID) sudah ditutup; buka kembali tiketnya untuk menambah catatan",
                                                  en: "fault #\(ticketID) is closed; reopen its ticket to add to its log"))
            }
            let logID = try FaultStore.log(tx, ticketID: ticketID, checked: checked, found: found, did: did, outcome: form.outcome)
            // The parts used come out of stock in this same transaction (more than in stock refuses it all).
            for part in form.parts {
                try PartService.use(tx, code: part.code, quantity: part.quantity, ticketID: ticketID, logID: logID, note: did.nilIfEmpty ?? found.nilIfEmpty)
            }
            try tx.audit("fault.log", "ticket", "#\(ticketID)", after: [
                "outcome": form.outcome.rawValue, "parts": form.parts.map { "\($0.code)×\($0.quantity)" }.joined(separator: ", "),
            ])
            // On the repair step, the outcome is the step's: fixed goes on to the result, not fixed to the provider.
            if fault.status == .open, fault.step == "repair", form.outcome == .fixed || form.outcome == .notFixed {
                let note = [did, found, checked].first { !$0.isEmpty } ?? form.outcome.title.id
                try simpul.tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .note, value: note)],
                                                               branch: form.outcome == .fixed ? "fixed" : "not_fixed", note: nil, assignTo: nil),
                                       reason: form.reason?.nilIfEmpty, expecting: StepRef(stepID: "repair", visit: fault.visit), module: "faults.log",
                                       by: principal, now: tx.now)
            }
            return logID
        }
        return Logged(entry: entry, deliveries: deliveries)
    }

    // MARK: Closing

    /// The result (`report_result`): why it happened and how it was fixed, recorded with the step.
    public func close(ticket ticketID: Int64, cause: FaultCause, resolution: String, reason: String? = nil, by principal: Principal) throws -> Detail {
        guard Self.fieldWorkers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "hasil perbaikan dilaporkan teknisi, kepala seksi/bidang, kepala dinas atau admin",
                                                en: "the result is reported by technicians, supervisors, the head or an admin"))
        }
        let resolution = resolution.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !resolution.isEmpty else {
            throw ServiceError(.invalid, Text(id: "tulis bagaimana gangguan diatasi", en: "write how the fault was resolved"))
        }
        try ServiceError.limit(resolution, Text(id: "penyelesaian", en: "the resolution"), 4000)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let fault = try Self.visible(tx, ticketID: ticketID, by: principal)
            guard fault.status == .open, fault.step == "report_result" else {
                let now = fault.step.map { Text(id: "kini di langkah \($0)", en: "it is now on step \($0)") } ?? Text(id: "tiketnya sudah ditutup", en: "its ticket is closed")
                throw ServiceError(.invalid, Text(id: "gangguan #\(ticketID) belum sampai pada pelaporan hasil (\(now.id)); catat perbaikannya dulu",
                                                  en: "fault #\(ticketID) has not reached the result report (\(now.en)); log the repair first"))
            }
            try FaultStore.setResolution(tx, ticketID: ticketID, cause: cause, resolution: resolution)
            try tx.audit("fault.close", "ticket", "#\(ticketID)", after: ["cause": cause.rawValue, "resolution": resolution])
            try simpul.tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .report, value: "\(cause.title.id): \(resolution)")],
                                                           branch: nil, note: nil, assignTo: nil),
                                   reason: reason?.nilIfEmpty, expecting: StepRef(stepID: "report_result", visit: fault.visit), module: "faults.close",
                                   by: principal, now: tx.now)
        }
        return try fault(ticket: ticketID, by: principal)
    }
}

extension Simpul {
    public var faults: FaultService { FaultService(simpul: self) }
}
