import Foundation
import SimpulCore
import SimpulStore

extension SurveyService {
    /// One raw sample behind the figures (the CSV export).
    public struct SampleRow: Sendable, Codable {
        public var agency: String
        public var source: String
        public var startMs: Int64
        public var seconds: Int
        public var inBitsPerSecond: UInt64?
        public var outBitsPerSecond: UInt64?
        public var inBytes: UInt64?
        public var outBytes: UInt64?
        public var inPackets: UInt64?
        public var outPackets: UInt64?
        public var run: Int64?
    }

    /// The samples of the survey's period for its agencies: SNMP five-minute averages and capture
    /// interval counts, as the report read them.
    public func samples(_ id: Int64, by principal: Principal) throws -> [SampleRow] {
        let (survey, inventory, zone) = try simpul.database.read { r in
            (try Self.survey(r, id: id, by: principal), try InventoryStore.load(r), try LANService.officeZone(r))
        }
        guard let fromDay = WorkCalendar.dayNumber(survey.row.periodFrom), let toDay = WorkCalendar.dayNumber(survey.row.periodTo),
              let file = simpul.health else { return [] }
        let offset = Int64(zone.secondsFromGMT()) * 1000
        let fromMs = Int64(fromDay) * SurveyFigures.dayMillis - offset, toMs = Int64(toDay + 1) * SurveyFigures.dayMillis - offset
        let links = Dictionary(grouping: inventory.links, by: \.agency)
        var rows: [SampleRow] = []
        try file.database().read { r in
            var known: [String: [KnownInterface]] = [:]
            for agency in survey.agencies {
                if agency.method != Method.pcap.rawValue {
                    for link in links[agency.agency] ?? [] {
                        guard let device = link.device, let name = link.interface else { continue }
                        if known[device] == nil { known[device] = try HealthStore.interfaces(r, device: device) }
                        guard let interface = PollService.interface(named: name, in: known[device] ?? []) else { continue }
                        for a in try Self.averages(r, interface: interface, from: fromMs, to: toMs) {
                            rows.append(SampleRow(agency: agency.agency, source: "snmp:\(link.circuit)", startMs: a.start, seconds: 300,
                                                  inBitsPerSecond: a.inBitsPerSecond, outBitsPerSecond: a.outBitsPerSecond))
                        }
                    }
                }
                if agency.method != Method.snmp.rawValue {
                    for c in try CaptureStore.counts(r, agencies: [agency.agency], fromMs: fromMs, toMs: toMs) {
                        rows.append(SampleRow(agency: agency.agency, source: "pcap", startMs: c.startMs, seconds: c.seconds, inBytes: c.inbound.bytes,
                                              outBytes: c.outbound.bytes, inPackets: c.inbound.packets, outPackets: c.outbound.packets, run: c.runID))
                    }
                }
            }
        }
        return rows
    }

    // MARK: The module's steps

    /// Ends the measuring: the report (CSV of every figure) is attached and the survey step done.
    public func completeMeasurement(_ id: Int64, note: String? = nil, by principal: Principal) throws -> Survey {
        guard Self.measurers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "pengukuran diselesaikan oleh teknisi atau kepala seksi", en: "the measuring is ended by a technician or the section head"))
        }
        let report = try report(id, by: principal)
        let csv = Data(SurveyCSV.report(report).utf8)
        let measured = report.agencies.filter { $0.snmp != nil || $0.capture != nil }.count
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            var survey = try Self.survey(tx, id: id, by: principal)
            if survey.waitsForPeriod {
                // Ended before its period is over: the clock that waited for the period starts now.
                try simpul.tickets.act(tx, survey.row.ticketID, .resume, reason: "Pengukuran diakhiri sebelum masa pengukuran berakhir oleh \(principal.username) / measuring ended early",
                                       by: .system, now: tx.now)
                survey = try Self.survey(tx, id: id, by: principal)
            }
            try Self.requireStep(survey, "survey")
            let name = "laporan-survei-\(id).csv"
            let file = try TicketStore.insertAttachment(tx, ticketID: survey.row.ticketID, kind: .attachment, fileName: name, contentType: "text/csv",
                                                        data: csv, sha256: SHA256Hex.of(csv), by: principal.username, now: tx.now)
            let summary = "Terukur \(measured) dari \(report.agencies.count) perangkat daerah, \(survey.row.periodFrom) – \(survey.row.periodTo)"
            try simpul.tickets.act(tx, survey.row.ticketID, .complete(evidence: [
                Evidence(kind: .report, value: summary + (note.map { ". \($0)" } ?? "")),
                Evidence(kind: .attachment, value: Evidence.fileReference(id: file, name: name)),
            ], branch: nil, note: nil, assignTo: nil), expecting: StepRef(stepID: "survey", visit: nil), module: "survey.measure", by: principal, now: tx.now)
            try tx.audit("survey.measure", "survey", "#\(id)", after: ["measured": String(measured), "sha256": SHA256Hex.of(csv)])
        }
        return try survey(id, by: principal)
    }

    /// The document kinds the survey issues.
    public enum DocumentKind: String, Sendable, CaseIterable {
        case map, specification

        var step: String { self == .map ? "map_bandwidth" : "procurement_documents" }
        var module: String { self == .map ? "survey.map" : "survey.specification" }

        public var title: Text {
            switch self {
            case .map: Text(id: "Pemetaan Penyediaan Bandwidth Perangkat Daerah", en: "Bandwidth provision map per agency")
            case .specification: Text(id: "Spesifikasi Teknis Pengadaan Jasa Layanan Bandwidth", en: "Technical specification for the bandwidth service procurement")
            }
        }
    }

    /// Issues the map (signed by the section: step 5) or the specification (step 6): the document
    /// is rendered from the report as it stands, kept with its hash, printed to PDF when a
    /// renderer is there, attached to the ticket, and the step done. Issued once: the kept
    /// document is what every later download returns.
    public func issue(_ id: Int64, _ kind: DocumentKind, by principal: Principal) async throws -> Survey {
        guard Self.mappers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "dokumen survei ditandatangani oleh kepala bidang/seksi atau kepala dinas",
                                                en: "survey documents are signed by a division/section head or the head of office"))
        }
        let current = try await simpul.database.read { r in try Self.survey(r, id: id, by: principal) }
        try Self.requireStep(current, kind.step)
        let report = try report(id, by: principal)
        let context = try await simpul.database.read { r in (try InventoryStore.district(r), try InventoryStore.logo(r), try LANService.officeZone(r), try InventoryStore.load(r).providers) }
        guard let settings = context.0?.letters else {
            throw ServiceError(.invalid, Text(id: "kop surat belum ada: isi district.letters di inventaris (docs/inventory.md)",
                                              en: "no letterhead: fill in district.letters in the inventory (docs/inventory.md)"))
        }
        let signedAt = simpul.now()
        let html = SurveyPage(kind: kind, report: report, settings: settings, logo: context.1, zone: context.2, signedAt: signedAt,
                              signer: principal.username, providers: context.3).html
        let pdf: Data? = simpul.pdf == nil ? nil
            : try await LANService(simpul: simpul).print(html, Text(id: "PDF \(kind.title.id)", en: "the PDF of the \(kind.title.en.lowercased())"))
        let figures = String(decoding: try JSONEncoder().encode(report.plan), as: UTF8.self)
        try await simpul.database.write(as: principal.username, at: signedAt) { tx in
            let survey = try Self.survey(tx, id: id, by: principal)
            try Self.requireStep(survey, kind.step)
            try SurveyStore.insertDocument(tx, surveyID: id, SurveyStore.DocumentRow(
                kind: kind.rawValue, html: html, htmlSHA256: SHA256Hex.of(Data(html.utf8)), pdf: pdf, pdfSHA256: pdf.map(SHA256Hex.of),
                figures: figures, signedBy: principal.username, signedAt: Timestamp.string(tx.now)))
            let (data, name, type) = pdf.map { ($0, "\(kind.rawValue)-survei-\(id).pdf", "application/pdf") }
                ?? (Data(html.utf8), "\(kind.rawValue)-survei-\(id).html", "text/html")
            let file = try TicketStore.insertAttachment(tx, ticketID: survey.row.ticketID, kind: .attachment, fileName: name, contentType: type,
                                                        data: data, sha256: SHA256Hex.of(data), by: principal.username, now: tx.now)
            try simpul.tickets.act(tx, survey.row.ticketID, .complete(evidence: [
                Evidence(kind: .attachment, value: Evidence.fileReference(id: file, name: name)),
                Evidence(kind: .note, value: "\(kind.title.id): total Rp \(report.plan.monthlyTotal) per bulan"
                         + (report.plan.monthlyBudget.map { " dari pagu Rp \($0)" } ?? "")),
            ], branch: nil, note: nil, assignTo: nil), expecting: StepRef(stepID: kind.step, visit: nil), module: kind.module, by: principal, now: tx.now)
            try tx.audit("survey.\(kind.rawValue)", "survey", "#\(id)", after: ["total": String(report.plan.monthlyTotal), "sha256": SHA256Hex.of(Data(html.utf8))])
        }
        return try await simpul.database.read { r in try Self.survey(r, id: id, by: principal) }
    }

    /// A document as issued: its page, and its PDF when one was printed.
    public func document(_ id: Int64, _ kind: DocumentKind, by principal: Principal) throws -> SurveyStore.DocumentRow {
        try simpul.database.read { r in
            _ = try Self.survey(r, id: id, by: principal)
            guard let document = try SurveyStore.document(r, surveyID: id, kind: kind.rawValue) else {
                throw ServiceError(.notFound, Text(id: "\(kind.title.id) survei #\(id) belum diterbitkan", en: "survey #\(id)'s \(kind.title.en.lowercased()) is not issued yet"))
            }
            return document
        }
    }
}
