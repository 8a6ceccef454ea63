import Foundation
import SimpulCore
import SimpulStore

extension SurveyService {
    /// The report as the survey's page shows it: the figures, each agency's five-minute averages
    /// over the period for its chart (from the figures' own source: SNMP where it has data, else the
    /// capture — read as `report` reads them), and the providers' names for the table.
    public struct ChartedReport: Sendable {
        public var report: Report
        /// By agency code: the five-minute averages of the period, oldest first.
        public var series: [String: [FiveMinuteAverage]]
        /// Provider code → name.
        public var providerNames: [String: String]
        /// The period in milliseconds since 1970, `[fromMs, toMs)`: the office days `from` to `to`.
        public var fromMs: Int64
        public var toMs: Int64
    }

    public func chartedReport(_ id: Int64, by principal: Principal) throws -> ChartedReport {
        let report = try report(id, by: principal)
        let (inventory, zone) = try simpul.database.read { r in (try InventoryStore.load(r), try LANService.officeZone(r)) }
        let series = try seriesByAgency(report, inventory: inventory, zone: zone)
        let offset = Int64(zone.secondsFromGMT()) * 1000
        let fromMs = Int64(WorkCalendar.dayNumber(report.from) ?? 0) * SurveyFigures.dayMillis - offset
        let toMs = Int64((WorkCalendar.dayNumber(report.to) ?? 0) + 1) * SurveyFigures.dayMillis - offset
        return ChartedReport(report: report, series: series,
                             providerNames: Dictionary(inventory.providers.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }),
                             fromMs: fromMs, toMs: toMs)
    }

    /// Every survey `principal` may see, newest first, each with its step's title and its agencies
    /// (an agency's user: its own line only), read in one transaction.
    public func surveys(by principal: Principal) throws -> [Survey] {
        let rows = try list(by: principal)
        return try simpul.database.read { r in try rows.map { try Self.survey(r, id: $0.id, by: principal) } }
    }

    /// The survey of a `bandwidth-survey` ticket (the module's page link, `/surveys/ticket/N`).
    public func survey(ticket: Int64, by principal: Principal) throws -> Survey {
        try simpul.database.read { r in
            guard let row = try SurveyStore.survey(r, ticketID: ticket) else {
                throw ServiceError(.notFound, Text(id: "tiket #\(ticket) bukan survei bandwidth", en: "ticket #\(ticket) is not a bandwidth survey"))
            }
            return try Self.survey(r, id: row.id, by: principal)
        }
    }

    /// An issued document's PDF: the one printed when it was issued, else the kept page printed now
    /// (a document issued while no renderer was installed) and kept, so that every download after
    /// it is the same file.
    public func documentPDF(_ id: Int64, _ kind: DocumentKind, by principal: Principal) async throws -> Data {
        let document = try document(id, kind, by: principal)
        if let pdf = document.pdf { return pdf }
        let printed = try await LANService(simpul: simpul).print(document.html, Text(id: "PDF \(kind.title.id)", en: "the PDF of the \(kind.title.en.lowercased())"))
        // Another download may have kept its print first: that one is the document's.
        return try await simpul.database.write(as: principal.username, at: simpul.now()) { tx -> Data in
            try SurveyStore.keepPDF(tx, surveyID: id, kind: kind.rawValue, pdf: printed)
            return try SurveyStore.document(tx, surveyID: id, kind: kind.rawValue)?.pdf ?? printed
        }
    }
}
