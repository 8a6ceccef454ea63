import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/tickets`: the list with its filters, the form that opens a ticket, and attachments.
/// The ticket's own page and its forms are in `TicketPageRoutes`.
struct TicketRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer
    /// Rows per page: a phone screen or two; the JSON API pages up to 500.
    static let pageSize = 25

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/tickets", offPool: list)
        pages.get("/tickets/new", offPool: newForm)
        pages.post("/tickets", offPool: open)
        pages.get("/attachments/:id", offPool: { _, context in try download(context) })
        TicketPageRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    }

    // MARK: The list

    /// The list's filters from a query string; unknown values are ignored, not refused; an offset out of range is refused.
    static func filter(_ query: FormData, principal: Principal) throws -> TicketStore.Filter {
        var filter = TicketStore.Filter()
        filter.scope = TicketStore.Filter.Scope(rawValue: query.text("scope")) ?? .active
        filter.playbookID = query.text("playbook").nilIfEmpty
        filter.agencyCode = query.text("agency").nilIfEmpty?.uppercased()
        // `step` is a step id, or `playbook:step` when chosen from every playbook's steps.
        let step = query.text("step")
        if let colon = step.firstIndex(of: ":") {
            filter.playbookID = filter.playbookID ?? String(step[..<colon]).nilIfEmpty
            filter.stepID = String(step[step.index(after: colon)...]).nilIfEmpty
        } else {
            filter.stepID = step.nilIfEmpty
        }
        let assignee = query.text("assignee")
        filter.assignee = assignee == "me" ? principal.username : assignee.nilIfEmpty
        filter.lateness = TicketStore.Filter.Lateness(rawValue: query.text("lateness"))
        filter.priority = Priority(rawValue: query.text("priority"))
        filter.limit = pageSize
        filter.offset = try query.integer("offset", Text(id: "offset", en: "offset"), in: Bounds.listOffset, default: 0)
        return filter
    }

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let query = FormData(encoded: request.uri.query)
        let filter = try Self.filter(query, principal: principal)
        let listPage = try simpul.tickets.listPage(filter, by: principal)
        let page = listPage.page, heads = listPage.current
        let clock = renderer.clock(context)
        let now = simpul.now()

        // The step select: the chosen playbook's steps, or every playbook's, grouped.
        let stepValue = query.text("step")
        let stepGroups = heads.filter { filter.playbookID == nil || $0.id == filter.playbookID }.map { playbook in
            let combined = filter.playbookID == nil
            return TicketListView.OptionGroup(label: playbook.title(language), options: playbook.steps.map { step in
                let value = combined ? "\(playbook.id):\(step.id)" : step.id
                return .init(value: value, label: "\(step.title(language)) (\(step.actor.title(language)))",
                             selected: value == stepValue || (!combined && step.id == filter.stepID))
            })
        }
        let assignee = query.text("assignee")

        // Pages: the same filters with another offset.
        let filterNames = ["scope", "playbook", "agency", "step", "assignee", "lateness", "priority"]
        func link(offset: Int) -> String {
            var pairs: [(String, String)] = []
            for name in filterNames where !query.text(name).isEmpty {
                pairs.append((name, query.text(name)))
            }
            if offset > 0 { pairs.append(("offset", String(offset))) }
            return "/tickets" + (pairs.isEmpty ? "" : "?" + QueryString.encode(pairs))
        }
        let first = page.offset + 1
        let last = page.offset + page.rows.count
        let title = words("nav_tickets")
        let content = TicketListView(
            title: title,
            canOpen: principal.role != .viewer,
            filtered: filterNames.contains { !query.text($0).isEmpty },
            scopes: TicketStore.Filter.Scope.allCases.map { .init(value: $0.rawValue, label: words("tickets_scope_\($0.rawValue)"), selected: $0 == filter.scope) },
            playbooks: heads.map { .init(value: $0.id, label: $0.title(language), selected: $0.id == filter.playbookID) },
            agencies: listPage.agencies.map { .init(value: $0.code, label: "\($0.code) · \($0.name)", selected: $0.code == filter.agencyCode) },
            steps: stepGroups,
            assignees: [
                .init(value: "-", label: words("ticket_unassigned"), selected: assignee == "-"),
                .init(value: "me", label: words("tickets_assigned_me"), selected: assignee == "me"),
            ] + listPage.staff.map { .init(value: $0.username, label: "\($0.username) — \($0.fullName)", selected: $0.username == assignee) },
            lateness: TicketStore.Filter.Lateness.allCases.map { lateness in
                let state: ClockState = switch lateness { case .late: .late; case .dueSoon: .dueSoon; case .onTime: .onTime }
                return .init(value: lateness.rawValue, label: state.title(language), selected: lateness == filter.lateness)
            },
            priorities: Priority.allCases.map { .init(value: $0.rawValue, label: $0.title(language), selected: $0 == filter.priority) },
            range: page.rows.isEmpty ? nil : renderer.catalogue.text("tickets_range", language, Format(language).number(first),
                                                                  Format(language).number(last), Format(language).number(page.total) + (page.totalIsLowerBound ? "+" : "")),
            table: TicketViews.table(page.rows, playbooks: listPage.playbooks, now: now, clock: clock, words: words),
            previous: page.offset > 0 ? link(offset: max(0, page.offset - page.limit)) : nil,
            next: last < page.total ? link(offset: last) : nil)
        return renderer.page(content.render(words), title: title, request: request, context: context)
    }

    // MARK: Opening a ticket

    /// What the open form was filled with, to show it again after a refusal.
    struct Draft {
        var playbook = "", subject = "", agency = "", priority = Priority.normal.rawValue, assignee = "", note = ""
    }

    func newForm(_ request: Request, _ context: WebContext) throws -> Response {
        let query = FormData(encoded: request.uri.query)
        return try openPage(request, context, draft: Draft(playbook: query.text("playbook"), agency: query.text("agency")))
    }

    func openPage(_ request: Request, _ context: WebContext, draft: Draft, error: String? = nil,
                  status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let playbooks = try simpul.tickets.openable(by: principal)
        let staff = try simpul.tickets.assignable(for: [], agency: nil, by: principal)
        let agencies = principal.role == .agency ? [] : try simpul.estate.agencyNames(for: principal)
        return renderer.page("ticket-new", title: renderer.text("tickets_new", context), view([
            "playbookOptions": playbooks.map { loaded in
                let p = loaded.playbook
                return ["value": p.id, "label": "\(p.title(language)) — \(p.firstStep.actor.title(language))", "selected": p.id == draft.playbook]
            },
            "noPlaybooks": playbooks.isEmpty,
            "ownAgency": principal.role == .agency ? principal.agencyCode : nil,
            "agencyOptions": agencies.map { ["value": $0.code, "label": "\($0.code) · \($0.name)", "selected": $0.code == draft.agency.uppercased()] },
            "priorityOptions": Priority.allCases.map { ["value": $0.rawValue, "label": $0.title(language), "selected": $0.rawValue == draft.priority] },
            "assigneeOptions": TicketViews.userOptions(staff, selected: draft.assignee, language),
            "showAssignee": !staff.isEmpty,
            "draft": ["subject": draft.subject, "note": draft.note],
            "formError": error,
        ]), request: request, context: context, status: status)
    }

    func open(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let draft = Draft(playbook: form.text("playbook"), subject: form.text("subject"), agency: form.text("agency"),
                          priority: form.text("priority"), assignee: form.text("assignee"), note: form["note"] ?? "")
        do {
            guard let priority = Priority(rawValue: draft.priority.nilIfEmpty ?? Priority.normal.rawValue) else {
                throw ServiceError(.invalid, Text(id: "pilih prioritas dari daftar", en: "choose a priority from the list"))
            }
            guard !draft.playbook.isEmpty else {
                throw ServiceError(.invalid, Text(id: "pilih jenis layanan (playbook)", en: "choose the kind of service (playbook)"))
            }
            let id = try simpul.tickets.open(playbook: draft.playbook, subject: draft.subject, agency: draft.agency.nilIfEmpty,
                                             priority: priority, assignee: draft.assignee.nilIfEmpty, note: draft.note.nilIfEmpty,
                                             by: principal)
            return .seeOther("/tickets/\(id)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try openPage(request, context, draft: draft, error: refusal.text(context.language), status: refusal.status)
        }
    }

    // MARK: Attachments

    /// A stored file, as a download: never shown inline, never sniffed.
    func download(_ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let id = try context.parameters.rowID("id")
        let (info, data) = try simpul.tickets.attachment(id, by: principal)
        return Self.attachmentResponse(info, data)
    }

    static func attachmentResponse(_ info: TicketStore.AttachmentInfo, _ data: Data) -> Response {
        var headers = HTTPFields()
        // Decided from the bytes again, so files stored before this rule are served safely too.
        headers[.contentType] = MediaType.of(data)
        headers[.contentDisposition] = contentDisposition(info.fileName)
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback and the real name.
    static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x7F)))
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

/// Query strings built from pairs, percent-encoded.
enum QueryString {
    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x7F)))
        allowed.insert(charactersIn: "-._~:")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}


