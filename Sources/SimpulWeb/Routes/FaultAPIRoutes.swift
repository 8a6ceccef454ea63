import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/api/v1/faults`: reports from a WhatsApp gateway or another system (deduplicated as on the
/// form: a second report about a link with an open fault is attached to it; the same
/// `external_id` twice is kept once), and the faults as JSON. Every route runs on the blocking threads.
struct FaultAPIRoutes: Sendable {
    let simpul: Simpul

    func register(on api: RouterGroup<WebContext>) {
        api.post("/faults", offPool: report)
        api.get("/faults", offPool: { request, context in
            let query = FormData(encoded: request.uri.query)
            let filter = FaultStore.Filter(agency: query.text("agency").nilIfEmpty?.uppercased(), openOnly: query.text("open") == "true",
                                           circuit: query.text("link").nilIfEmpty,
                                           limit: try APIRoutes.integer(query, "limit", default: 50, in: 1...500),
                                           offset: try APIRoutes.integer(query, "offset", default: 0, in: Bounds.listOffset))
            let page = try simpul.faults.list(filter, by: try APIRoutes.principal(context))
            return try Response.json(["faults": page.rows.map(API.Fault.init)])
        })
        api.post("/faults/:id/log", offPool: log)
        api.post("/faults/:id/escalate", offPool: { _, context in
            let principal = try APIRoutes.principal(context)
            let id = try TicketAPIRoutes.id(context)
            let escalated = try ContentRefusal.of { try simpul.faults.escalate(ticket: id, by: principal) }
            let delivered = await simpul.outbox.deliverAtOnce(escalated.deliveries)
            return try Response.json(API.FaultAction(fault: API.Fault(try simpul.faults.fault(ticket: id, by: principal).fault),
                                                     deliveries: API.FaultAction.deliveries(delivered)))
        })
        api.post("/faults/:id/ack", offPool: ack)
        api.post("/faults/:id/restore", offPool: restore)
        api.post("/faults/:id/close", offPool: close)
        api.get("/faults/:id", offPool: { _, context in
            let principal = try APIRoutes.principal(context)
            return try Response.json(API.Fault(try simpul.faults.fault(ticket: try TicketAPIRoutes.id(context), by: principal).fault))
        })
    }

    struct LogBody: Decodable {
        struct PartUsed: Decodable { var code: String; var quantity: Int }
        var checked: String?
        var found: String?
        var did: String?
        var outcome: String?
        var parts: [PartUsed]?
        var reason: String?
    }

    /// A work-log entry; on the repair step `fixed` or `not_fixed` completes it (not fixed escalates,
    /// and the provider's mail goes out before the answer).
    func log(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try TicketAPIRoutes.id(context)
        let body = try await TicketAPIRoutes.decode(LogBody.self, request, context)
        let outcome = try body.outcome.map { text in
            guard let outcome = FaultLogOutcome(rawValue: text) else { throw TicketAPIRoutes.choose("outcome", FaultLogOutcome.allCases.map(\.rawValue)) }
            return outcome
        } ?? .progress
        let parts = try (body.parts ?? []).map { part -> (code: String, quantity: Int) in
            (part.code, try WholeNumber.check(part.quantity, field: Text(id: "jumlah \(part.code)", en: "quantity of \(part.code)"), in: 1...10_000))
        }
        let logged = try ContentRefusal.of { try simpul.faults.log(ticket: id, FaultService.LogForm(checked: body.checked ?? "", found: body.found ?? "", did: body.did ?? "",
                                                                          outcome: outcome, parts: parts, reason: body.reason), by: principal) }
        let delivered = await simpul.outbox.deliverAtOnce(logged.deliveries)
        return try Response.json(API.FaultAction(fault: API.Fault(try simpul.faults.fault(ticket: id, by: principal).fault),
                                                 deliveries: API.FaultAction.deliveries(delivered)), status: .created)
    }

    struct ProviderBody: Decodable {
        var providerTicket: String?
        /// A stored-form UTC time; now when left out.
        var at: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case providerTicket = "provider_ticket", at, note
        }
    }

    static func utc(_ text: String?, field: String) throws -> Date? {
        try text.map { text in
            guard let date = Timestamp.date(text), text.hasSuffix("Z") else {
                throw ServiceError(.invalid, Text(id: "\(field) harus waktu UTC seperti 2026-12-05T01:30:00Z", en: "\(field) must be a UTC time such as 2026-12-05T01:30:00Z"))
            }
            return date
        }
    }

    func ack(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try TicketAPIRoutes.id(context)
        let body = try await TicketAPIRoutes.decode(ProviderBody.self, request, context)
        let at = try Self.utc(body.at, field: "at")
        try ContentRefusal.of { try simpul.faults.acknowledge(ticket: id, providerTicket: body.providerTicket, at: at, note: body.note, by: principal) }
        return try Response.json(API.Fault(try simpul.faults.fault(ticket: id, by: principal).fault))
    }

    func restore(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try TicketAPIRoutes.id(context)
        let body = try await TicketAPIRoutes.decode(ProviderBody.self, request, context)
        let at = try Self.utc(body.at, field: "at")
        try ContentRefusal.of { try simpul.faults.restore(ticket: id, at: at, note: body.note, by: principal) }
        return try Response.json(API.Fault(try simpul.faults.fault(ticket: id, by: principal).fault))
    }

    struct CloseBody: Decodable {
        var cause: String
        var resolution: String
        var reason: String?
    }

    func close(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try TicketAPIRoutes.id(context)
        let body = try await TicketAPIRoutes.decode(CloseBody.self, request, context)
        guard let cause = FaultCause(rawValue: body.cause) else { throw TicketAPIRoutes.choose("cause", FaultCause.allCases.map(\.rawValue)) }
        let detail = try ContentRefusal.of { try simpul.faults.close(ticket: id, cause: cause, resolution: body.resolution, reason: body.reason, by: principal) }
        return try Response.json(API.Fault(detail.fault))
    }

    struct ReportBody: Decodable {
        var agency: String?
        var link: String?
        var device: String?
        var channel: String?
        var reporter: String
        var contact: String?
        var symptom: String
        var description: String?
        /// When it started, a stored-form UTC time (`2026-12-05T01:30:00Z`).
        var startedAt: String?
        var externalID: String?

        enum CodingKeys: String, CodingKey {
            case agency, link, device, channel, reporter, contact, symptom, description
            case startedAt = "started_at", externalID = "external_id"
        }
    }

    func report(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let body = try await TicketAPIRoutes.decode(ReportBody.self, request, context)
        // A body read but refused (an unknown symptom, link or agency, no contact): 422.
        return try ContentRefusal.of {
            guard let symptom = FaultSymptom(rawValue: body.symptom) else {
                throw TicketAPIRoutes.choose("symptom", FaultSymptom.allCases.map(\.rawValue))
            }
            let channel = try body.channel.map { text in
                guard let channel = FaultChannel(rawValue: text) else { throw TicketAPIRoutes.choose("channel", FaultChannel.allCases.map(\.rawValue)) }
                return channel
            } ?? .api
            let startedAt = try body.startedAt.map { text in
                guard let date = Timestamp.date(text), text.hasSuffix("Z") else {
                    throw ServiceError(.invalid, Text(id: "started_at harus waktu UTC seperti 2026-12-05T01:30:00Z", en: "started_at must be a UTC time such as 2026-12-05T01:30:00Z"))
                }
                return date
            }
            let opened = try simpul.faults.open(FaultService.Report(
                agency: body.agency, link: body.link, device: body.device, channel: channel, reporterName: body.reporter, reporterContact: body.contact,
                symptom: symptom, description: body.description ?? "", startedAt: startedAt, externalID: body.externalID), by: principal)
            let fault = try simpul.faults.fault(ticket: opened.ticketID, by: principal).fault
            let message: Text = switch opened.kind {
            case .opened: Text(id: "laporan gangguan #\(opened.ticketID) dicatat", en: "fault #\(opened.ticketID) recorded")
            case .attached: Text(id: "sudah ada gangguan terbuka untuk ini: laporan ditambahkan ke #\(opened.ticketID)",
                                 en: "an open fault exists for this: the report was added to #\(opened.ticketID)")
            case .repeated: Text(id: "laporan ini sudah diterima sebelumnya (#\(opened.ticketID))", en: "this report was received before (#\(opened.ticketID))")
            }
            return try Response.json(API.FaultReceipt(result: opened.kind.rawValue, ticket: opened.ticketID, message: API.Text(message), fault: API.Fault(fault)),
                                     status: opened.kind == .opened ? .created : .ok)
        }
    }
}
