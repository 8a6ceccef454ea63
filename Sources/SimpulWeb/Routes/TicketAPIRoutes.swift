import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/api/v1/tickets` and `/api/v1/playbooks`: the ticket pages' use cases as JSON (`API+Tickets.swift`,
/// `API+Playbook.swift`). Every route runs on the blocking threads.
struct TicketAPIRoutes: Sendable {
    let simpul: Simpul

    func register(on api: RouterGroup<WebContext>) {
        api.get("/playbooks", offPool: { _, context in
            try Response.json(try simpul.playbooks.list(by: try APIRoutes.principal(context)).map { API.Playbook($0.playbook) })
        })
        api.get("/playbooks/:id", offPool: { request, context in
            let version = try APIRoutes.integer(FormData(encoded: request.uri.query), "version", default: 0, in: 0...Bounds.playbookVersion.upperBound)
            let loaded = try simpul.playbooks.playbook(try context.parameters.require("id"), version: version == 0 ? nil : version,
                                                       by: try APIRoutes.principal(context))
            return try Response.json(API.Playbook(loaded.playbook))
        })
        api.get("/tickets", offPool: list)
        api.post("/tickets", offPool: open)
        api.get("/tickets/:id", offPool: { _, context in
            let principal = try APIRoutes.principal(context)
            return try Response.json(API.Ticket(try simpul.tickets.detail(try Self.id(context), by: principal)))
        })
        api.post("/tickets/:id/events", offPool: event)
        api.post("/tickets/:id/attachments", offPool: attach)
    }

    static func id(_ context: WebContext) throws -> Int64 {
        let id = try context.parameters.rowID("id")
        return id
    }

    // MARK: List

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try APIRoutes.principal(context)
        let query = FormData(encoded: request.uri.query)
        var filter = try TicketRoutes.filter(query, principal: principal)
        if let scope = query.text("scope").nilIfEmpty, TicketStore.Filter.Scope(rawValue: scope) == nil {
            throw Self.choose("scope", TicketStore.Filter.Scope.allCases.map(\.rawValue))
        }
        if let lateness = query.text("lateness").nilIfEmpty, TicketStore.Filter.Lateness(rawValue: lateness) == nil {
            throw Self.choose("lateness", TicketStore.Filter.Lateness.allCases.map(\.rawValue))
        }
        if let priority = query.text("priority").nilIfEmpty, Priority(rawValue: priority) == nil {
            throw Self.choose("priority", Priority.allCases.map(\.rawValue))
        }
        filter.limit = try APIRoutes.integer(query, "limit", default: 50, in: 1...500)
        filter.offset = try APIRoutes.integer(query, "offset", default: 0, in: Bounds.listOffset)
        let page = try simpul.tickets.list(filter, by: principal)
        let now = simpul.now()
        return try Response.json(API.TicketList(tickets: page.rows.map { API.TicketRow($0, lateness: TicketViews.lateness($0, now: now)) },
                                                total: page.total, totalIsLowerBound: page.totalIsLowerBound, limit: page.limit, offset: page.offset))
    }

    // MARK: Open and act

    struct OpenBody: Decodable {
        var playbook: String
        var subject: String
        var agency: String?
        var priority: String?
        var assignee: String?
        var note: String?
    }

    func open(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let body = try await Self.decode(OpenBody.self, request, context)
        let priority = try body.priority.map { text in
            guard let priority = Priority(rawValue: text) else { throw Self.choose("priority", Priority.allCases.map(\.rawValue)) }
            return priority
        } ?? .normal
        let id = try simpul.tickets.open(playbook: body.playbook, subject: body.subject, agency: body.agency?.nilIfEmpty, priority: priority,
                                         assignee: body.assignee?.nilIfEmpty, note: body.note?.nilIfEmpty, by: principal)
        return try Response.json(API.Ticket(try simpul.tickets.detail(id, by: principal)), status: .created)
    }

    struct EventBody: Decodable {
        var event: String
        var evidence: [String: String]?
        var branch: String?
        var note: String?
        var assignTo: String?
        var to: String?
        var reason: String?
        /// The step (and visit) the client saw; a start or completion for another is refused.
        var step: String?
        var visit: Int?

        enum CodingKeys: String, CodingKey {
            case event, evidence, branch, note, to, reason, step, visit
            case assignTo = "assign_to"
        }
    }

    func event(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try Self.id(context)
        let body = try await Self.decode(EventBody.self, request, context)
        guard let name = TicketEvent.Name(rawValue: body.event) else { throw Self.choose("event", TicketEvent.Name.allCases.map(\.rawValue)) }
        let event: TicketEvent
        switch name {
        case .complete:
            var evidence: [Evidence] = []
            for (key, value) in (body.evidence ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let kind = EvidenceKind(rawValue: key) else {
                    throw Self.choose("evidence", EvidenceKind.allCases.map(\.rawValue))
                }
                evidence.append(Evidence(kind: kind, value: value))
            }
            event = .complete(evidence: evidence, branch: body.branch?.nilIfEmpty, note: body.note?.nilIfEmpty, assignTo: body.assignTo?.nilIfEmpty)
        case .reassign: event = .reassign(to: body.to?.nilIfEmpty)
        case .start, .hold, .resume, .cancel, .reopen: event = TicketEvent(simple: name)!
        }
        let expected = try body.step?.nilIfEmpty.map { step in
            try StepRef(stepID: step, visit: body.visit.map { try WholeNumber.check($0, field: Text(id: "visit", en: "visit"), in: 0...10_000) })
        }
        let written = try simpul.tickets.act(id, event, reason: body.reason?.nilIfEmpty, expecting: expected, by: principal)
        if !written.isEmpty { _ = await simpul.outbox.deliverAtOnce(written) }
        return try Response.json(API.Ticket(try simpul.tickets.detail(id, by: principal)))
    }

    /// The file is the raw body; `?kind=photo|attachment&filename=…`, the type from `Content-Type`.
    func attach(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try APIRoutes.principal(context)
        let id = try Self.id(context)
        let query = FormData(encoded: request.uri.query)
        guard let kind = EvidenceKind(rawValue: query.text("kind")), kind.isFile else {
            throw Self.choose("kind", EvidenceKind.allCases.filter(\.isFile).map(\.rawValue))
        }
        let body = try await BodyReader.collect(request, upTo: TicketService.maxAttachmentBytes)
        let value = try simpul.tickets.attach(id, kind: kind, fileName: query.text("filename").nilIfEmpty ?? "berkas",
                                              contentType: request.headers[.contentType] ?? "application/octet-stream",
                                              data: Data(body), by: principal)
        return try Response.json(API.AttachmentAnswer(value: value), status: .created)
    }

    // MARK: Shapes

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        // No string in a body may be longer than any field Simpul takes; each service checks its own.
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), let tooLong = Self.tooLong(object) {
            throw ServiceError(.invalid, tooLong.text)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            let detail: String = switch error {
            case .keyNotFound(let key, _): "\"\(key.stringValue)\""
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
                c.codingPath.map(\.stringValue).joined(separator: ".").nilIfEmpty.map { "\"\($0)\"" } ?? "JSON"
            @unknown default: "JSON"
            }
            throw ServiceError(.invalid, Text(id: "badan permintaan bukan JSON yang diharapkan (periksa \(detail))",
                                              en: "the request body is not the expected JSON (check \(detail))"))
        }
    }

    /// The first string (or key) in a decoded JSON value longer than `Limits.longText`.
    static func tooLong(_ value: Any, path: String = "") -> TextTooLong? {
        switch value {
        case let text as String:
            return TextLength.firstTooLong([(path.isEmpty ? "JSON" : path, text)], limit: Limits.longText)
        case let list as [Any]:
            for (i, item) in list.enumerated() { if let found = tooLong(item, path: "\(path)[\(i)]") { return found } }
        case let object as [String: Any]:
            for (key, item) in object {
                let name = path.isEmpty ? key : "\(path).\(key)"
                if let found = TextLength.firstTooLong([("JSON", key)], limit: Limits.name) ?? tooLong(item, path: name) { return found }
            }
        default: break
        }
        return nil
    }

    static func choose(_ field: String, _ values: [String]) -> ServiceError {
        ServiceError(.invalid, Text(id: "\(field) harus salah satu dari: \(values.joined(separator: ", "))",
                                    en: "\(field) must be one of: \(values.joined(separator: ", "))"))
    }
}
