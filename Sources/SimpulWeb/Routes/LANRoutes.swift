import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/lan`: LAN installation requests (issue 15). An agency files its request with its letter and its
/// inventory (a CSV file); the section and division heads give their parafs on the drafts, the head
/// signs, the technicians log the work and close it with the completion report. The letters are
/// standalone A4 pages (and PDFs); `/agencies/:code/book` is the agency's network inventory book.
struct LANRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/lan", offPool: { request, context in try list(request, context) })
        pages.get("/lan/new", offPool: { request, context in try new(request, context) })
        pages.get("/lan/template.csv", offPool: { _, _ in Self.csv(LANInventoryCSV.template, name: "templat-inventaris.csv") })
        pages.post("/lan", offPool: file)
        pages.get("/lan/:ticket", offPool: { request, context in try show(request, context) })
        pages.post("/lan/:ticket/:action", offPool: act)
        // `approval`, `work-order`, `completion`: the page; with `.pdf`, the signed letter's PDF.
        pages.get("/lan/:ticket/letters/:kind", offPool: letter)
        pages.get("/agencies/:code/book", offPool: { request, context in try book(request, context) })
        pages.get("/agencies/:code/book.csv", offPool: { request, context in try bookCSV(request, context) })
        // The control book as the office prints it: an A4 page under the letterhead, and its PDF.
        pages.get("/agencies/:code/book/print", offPool: bookPrint)
        pages.get("/agencies/:code/book.pdf", offPool: bookPrint)
    }

    func bookPrint(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let code = try context.parameters.require("code")
        do {
            if request.uri.path.hasSuffix(".pdf") {
                let data = try await simpul.lan.bookPDF(agency: code, by: principal)
                var headers = HTTPFields()
                headers[.contentType] = "application/pdf"
                headers[.contentDisposition] = "attachment; filename=\"buku-kendali-\(code.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" }).pdf\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            let html = try await Blocking.run { [simpul] in try simpul.lan.bookPage(agency: code, by: principal) }
            var response = Response.html(html)
            response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.letterPolicy
            return response
        } catch let e as ServiceError where e.kind == .notFound {
            throw WebRefusal.notFound
        }
    }

    /// The letter kind as it stands in a path: `work-order`.
    static func slug(_ kind: LetterKind) -> String { kind.rawValue.replacingOccurrences(of: "_", with: "-") }

    static func csv(_ text: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = TicketRoutes.contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func ticket(_ context: WebContext) throws -> Int64 {
        let id = try context.parameters.rowID("ticket")
        return id
    }

    // MARK: The list

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let clock = renderer.clock(context)
        let rows = try simpul.lan.list(by: principal).map { r -> View in
            view(["ticket": String(r.ticketID), "agency": r.agencyName, "place": Self.place(r, renderer.wording(context)),
                  "letter": r.letterNumber, "filed": clock.show(r.createdAt),
                  "status": TicketStatus(rawValue: r.status)?.title(language), "statusClass": "status-\(r.status)"])
        }
        return renderer.page("lan-list", title: renderer.text("lan_title", context),
                             ["requests": rows, "canFile": LANService.Action.request.allowed(for: principal)],
                             request: request, context: context)
    }

    static func place(_ r: LANStore.RequestRow, _ words: Wording) -> String {
        [r.building, r.floor.map { "\(words("lan_floor")) \($0)" }, r.rooms].compactMap { $0 }.joined(separator: ", ")
    }

    // MARK: The request form

    func new(_ request: Request, _ context: WebContext, draft: FormData = FormData(), error: String? = nil,
             status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        guard LANService.Action.request.allowed(for: principal) else { throw WebRefusal.notFound }
        let language = context.language
        let agencies = principal.role == .agency ? [] : try simpul.estate.agencies(for: principal).map { a -> View in
            ["code": a.code, "name": a.name, "selected": draft.text("agency") == a.code]
        }
        let ownAgency = principal.role == .agency
            ? try principal.agencyCode.flatMap { code in try simpul.estate.agencies(for: principal).first { $0.code == code }?.name ?? code }
            : nil
        let field = { (name: String, fallback: String) -> String in draft[name].map { _ in draft.text(name) } ?? fallback }
        let disposition = draft.text("disposition").nilIfEmpty ?? LANService.Disposition.bupati.rawValue
        return renderer.page("lan-new", title: renderer.text("lan_new", context), view([
            "agencies": agencies, "ownAgency": ownAgency,
            "draft": ["letter": field("letter", ""), "letterDate": field("letterDate", ""), "signedBy": field("signedBy", ""),
                      "building": field("building", ""), "floor": field("floor", ""), "rooms": field("rooms", ""),
                      "points": field("points", "0"), "switches": field("switches", "0"), "asked": field("asked", ""),
                      "contact": field("contact", ""), "phone": field("phone", "")],
            "dispositions": LANService.Disposition.allCases.map { d -> View in
                ["value": d.rawValue, "label": d.title(language), "checked": disposition == d.rawValue]
            },
            "wifiChecked": !draft.text("wifi").isEmpty,
            "columns": LANInventory.columns.map { c -> View in
                ["name": c.name, "required": c.required, "meaning": c.meaning(language)]
            },
            "formError": error,
        ]), request: request, context: context, status: status)
    }

    func file(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let language = context.language
        do {
            let filing = LANService.RequestForm(
                agency: form.text("agency").nilIfEmpty, letterNumber: form.text("letter"), letterDate: form.text("letterDate"),
                letterSignedBy: form.text("signedBy"), disposition: try LANService.Disposition.parse(form.text("disposition")),
                building: form.text("building"), floor: form.text("floor").nilIfEmpty, rooms: form.text("rooms").nilIfEmpty,
                points: try form.integer("points", Text(id: "jumlah titik jaringan", en: "network points"), in: 0...2000, default: 0),
                wifi: !form.text("wifi").isEmpty,
                switches: try form.integer("switches", Text(id: "jumlah switch baru", en: "new switches"), in: 0...200, default: 0),
                asked: form.text("asked"), contactName: form.text("contact"), contactPhone: form.text("phone").nilIfEmpty)
            let inventory = context.files.first { $0.name == "inventory" }.map { part in
                LANService.InventoryUpload.csv(fileName: part.fileName ?? "inventaris.csv", data: Data(part.data))
            }
            let filed = try await Blocking.run { [simpul] in try simpul.lan.file(filing, inventory: inventory, by: principal) }
            return .seeOther("/lan/\(filed.ticketID)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try new(request, context, draft: form, error: refusal.text(language), status: refusal.status)
        }
    }

    // MARK: The request's page

    func show(_ request: Request, _ context: WebContext, notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let id = try Self.ticket(context)
        let r: LANService.Request
        do { r = try simpul.lan.request(ticket: id, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        let clock = renderer.clock(context)
        let row = r.row
        let open = row.status == TicketStatus.open.rawValue
        func can(_ action: LANService.Action) -> Bool { open && row.step == action.step && action.allowed(for: principal) }
        let agencyUser = principal.role == .agency
        // The drafts are the office's until they are signed; the completion report exists once issued.
        let kinds = LetterKind.allCases.filter { kind in
            let letter = r.letter(kind)
            if agencyUser || !kind.needsParaf { return letter?.number != nil }
            return letter != nil || (open && row.step == LANService.Action.paraf.step)
        }
        let letters = kinds.map { kind -> View in
            let letter = r.letter(kind)
            let signed = letter?.state == "signed"
            let signatory = letter?.signatory.flatMap(Self.official)
            return view([
                "kind": Self.slug(kind), "title": kind.title(language), "number": letter?.number,
                "parafs": (letter?.parafs ?? []).map { p -> View in
                    let official = Self.official(p.official)
                    return view(["name": official?.name ?? AuditWording.actor(p.by)(language), "position": official?.position, "at": clock.show(p.at)])
                },
                "signed": signed ? view(["name": signatory?.name ?? letter?.signedBy.map { AuditWording.actor($0)(language) },
                                         "at": clock.show(letter?.signedAt)]) : nil,
                "href": "/lan/\(id)/letters/\(Self.slug(kind))",
                "pdf": signed ? "/lan/\(id)/letters/\(Self.slug(kind)).pdf" : nil,
            ])
        }
        // What the section reviews the request against: the agency's inventory book, links, hosted
        // servers and earlier LAN work (office staff; the agency has its own book page).
        var review: View? = nil
        if !agencyUser {
            let book = try simpul.lan.book(agency: row.agencyCode, by: principal)
            let counts = Dictionary(grouping: book.items, by: \.item.kind).map { kind, rows in (kind, rows.reduce(0) { $0 + $1.item.quantity }) }
                .sorted { $0.0.rawValue < $1.0.rawValue }
            let format = Format(language)
            let links = try simpul.estate.links(for: principal, agency: row.agencyCode).map { l -> View in
                view(["circuit": l.link.circuit, "provider": l.providerName,
                      "rate": "\(format.mbps(l.link.downMbps)) / \(format.mbps(l.link.upMbps))"])
            }
            let servers = try simpul.hosting.list(agency: row.agencyCode, by: principal).filter { $0.state == .placed || $0.state == .requested }
                .map { h -> View in view(["name": h.form.hostname, "state": h.progress.title(language), "href": "/hosting/\(h.ticketID)"]) }
            let past = book.history.filter { $0.ticketID != id && $0.playbook != FaultService.playbookID }.prefix(10).map { h -> View in
                view(["href": h.playbook == LANService.upkeep ? "/upkeep/\(h.ticketID)" : "/lan/\(h.ticketID)",
                      "what": renderer.text(h.playbook == LANService.upkeep ? "lan_context_visit" : "lan_context_installation", context),
                      "ticket": "#\(h.ticketID)", "when": clock.show(h.openedAt),
                      "status": TicketStatus(rawValue: h.status)?.title(language)])
            }
            review = view([
                "inventory": counts.map { view(["kind": $0.0.title(language), "count": format.number($0.1)]) },
                "links": links, "servers": servers, "past": Array(past),
            ])
        }
        let work = r.work.map { w -> View in
            view(["at": clock.show(w.at), "by": AuditWording.actor(w.by)(language), "points": "\(w.pointsInstalled)", "passed": "\(w.pointsPassed)",
                  "cable": "\(w.cableMetres)", "connectors": "\(w.connectors)", "switches": "\(w.switches)", "accessPoints": "\(w.accessPoints)",
                  "results": w.results, "note": w.note])
        }
        let step: String? = open ? r.stepTitle.map { title in
            [title(language), r.stepActor.map { $0.title(language) }].compactMap { $0 }.joined(separator: " — ")
        } : nil
        return renderer.page("lan", title: "\(renderer.text("lan_request", context)) #\(id)", view([
            "ticket": String(id), "agency": row.agencyName, "agencyCode": row.agencyCode,
            "status": TicketStatus(rawValue: row.status)?.title(language), "statusClass": "status-\(row.status)", "step": step,
            "stepID": open ? row.step : nil,
            "letter": row.letterNumber.map { "\($0), \(row.letterDate ?? "") — \(row.letterSignedBy ?? "")" },
            "disposition": row.dispositionFrom.flatMap(LANService.Disposition.init(rawValue:))?.title(language),
            "followUpOf": row.followUpOf.map(String.init), "needsLetter": row.letterNumber == nil,
            "dispositions": LANService.Disposition.allCases.map { d -> View in view(["value": d.rawValue, "label": d.title(language)]) },
            "place": Self.place(row, words), "asked": row.asked, "points": String(row.points),
            "wifi": words(row.wifi ? "lan_yes" : "lan_no"), "switches": String(row.switches),
            "contact": [row.contactName, row.contactPhone].compactMap { $0 }.joined(separator: " · "),
            "inventoryRows": String(row.inventoryRows), "filed": clock.show(row.createdAt),
            "letters": letters, "hasLetters": !letters.isEmpty,
            "work": work, "hasWork": !work.isEmpty,
            "context": review,
            "canReceive": can(.receive), "canParaf": can(.paraf), "canSign": can(.sign), "canInstall": can(.install), "canClose": can(.close),
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    /// An official as printed with a paraf or a signature (JSON of `Official`).
    static func official(_ json: String) -> Official? {
        try? JSONDecoder().decode(Official.self, from: Data(json.utf8))
    }

    func act(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        let action = try context.parameters.require("action")
        let form = context.form
        let language = context.language
        do {
            let notice: String
            switch action {
            case "receive":
                let note = form.text("note").nilIfEmpty
                var letter: LANService.IncomingLetter?
                if !form.text("letter").isEmpty || !form.text("disposition").isEmpty {
                    letter = LANService.IncomingLetter(number: form.text("letter"), date: form.text("letterDate"), signedBy: form.text("signedBy"),
                                                       disposition: try LANService.Disposition.parse(form.text("disposition")))
                }
                _ = try await Blocking.run { [simpul, letter] in try simpul.lan.receive(ticket: id, letter: letter, note: note, by: principal) }
                notice = renderer.text("lan_done_receive", context)
            case "paraf":
                _ = try await Blocking.run { [simpul] in try simpul.lan.paraf(ticket: id, by: principal) }
                notice = renderer.text("lan_done_paraf", context)
            case "sign":
                _ = try await Blocking.run { [simpul] in try simpul.lan.sign(ticket: id, by: principal) }
                notice = renderer.text("lan_done_sign", context)
            case "install":
                func number(_ name: String, _ what: Text, _ range: ClosedRange<Int>) throws -> Int {
                    try form.integer(name, what, in: range, default: 0)
                }
                let work = LANService.WorkForm(
                    pointsInstalled: try number("points", Text(id: "titik terpasang", en: "points installed"), 0...2000),
                    pointsPassed: try number("passed", Text(id: "titik lulus uji", en: "points passed"), 0...2000),
                    cableMetres: try number("cable", Text(id: "kabel (meter)", en: "cable (metres)"), 0...100_000),
                    connectors: try number("connectors", Text(id: "konektor", en: "connectors"), 0...10_000),
                    switches: try number("switches", Text(id: "switch", en: "switches"), 0...200),
                    accessPoints: try number("accessPoints", Text(id: "access point", en: "access points"), 0...200),
                    results: form.text("results"), note: form.text("note").nilIfEmpty, location: form.text("location").nilIfEmpty)
                let photos = context.files.filter { $0.name == "photos" }.map { LANService.Photo(fileName: $0.fileName ?? "foto.jpg", data: Data($0.data)) }
                let r = try await Blocking.run { [simpul] in try simpul.lan.install(ticket: id, work: work, photos: photos, by: principal) }
                notice = renderer.text(r.row.step == LANService.Action.install.step ? "lan_done_install_failed" : "lan_done_install", context)
            case "close":
                _ = try await Blocking.run { [simpul] in try simpul.lan.close(ticket: id, by: principal) }
                notice = renderer.text("lan_done_close", context)
            default:
                throw WebRefusal.notFound
            }
            return try show(request, context, notice: notice)
        } catch let error as ServiceError {
            // Paraf out of turn, signing before the parafs, a bad work log: the page with the reason.
            let refusal = Refusal(error)
            return try show(request, context, error: refusal.text(language), status: refusal.status)
        }
    }

    // MARK: Letters

    func letter(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try Self.ticket(context)
        var name = try context.parameters.require("kind")
        let pdf = name.hasSuffix(".pdf")
        if pdf { name.removeLast(4) }
        guard let kind = LetterKind.parse(name) else { throw WebRefusal.notFound }
        if pdf {
            let (data, _) = try await simpul.lan.letterPDF(ticket: id, kind: kind, by: principal)
            var headers = HTTPFields()
            headers[.contentType] = "application/pdf"
            headers[.contentDisposition] = "attachment; filename=\"\(kind.fileStem)-\(id).pdf\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let page = try await Blocking.run { [simpul] in try simpul.lan.letterPage(ticket: id, kind: kind, by: principal) }
        var response = Response.html(page.html)
        // The letter is a document of its own: its CSS and its logo (a data: URL) are inline.
        response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.letterPolicy
        return response
    }

    // MARK: The agency's inventory book

    func book(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let clock = renderer.clock(context)
        let code = try context.parameters.require("code")
        let book: LANService.Book
        do { book = try simpul.lan.book(agency: code, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        let items = book.items.map { row -> View in
            let item = row.item
            return view(["kind": item.kind.title(language), "brand": item.brand, "model": item.model, "serial": item.serial,
                         "quantity": String(item.quantity), "location": item.location, "condition": item.condition.title(language),
                         "notes": item.notes, "source": words("lan_source_\(["declared", "installed", "upkeep"].contains(row.source) ? row.source : "other")"),
                         "ticket": row.ticketID.map { String($0) }, "href": row.ticketID.map { Self.href(ticket: $0, source: row.source) }])
        }
        let visits = book.visits.map { v -> View in
            view(["visit": "\(v.index)/\(v.year)", "due": clock.show(v.due), "done": clock.show(v.doneAt),
                  "ticket": v.ticketID.map { String($0) }, "status": v.ticketStatus.flatMap { TicketStatus(rawValue: $0)?.title(language) }])
        }
        let history = book.history.map { h -> View in
            view(["ticket": String(h.ticketID), "href": Self.href(ticket: h.ticketID, playbook: h.playbook),
                  "kind": words(h.playbook == LANService.installation ? "lan_history_installation" : h.playbook == LANService.upkeep ? "lan_history_upkeep" : "lan_history_fault"),
                  "subject": h.playbook == LANService.installation || h.playbook == LANService.upkeep ? nil : h.subject, "status": TicketStatus(rawValue: h.status)?.title(language), "statusClass": "status-\(h.status)",
                  "opened": clock.show(h.openedAt), "closed": clock.show(h.closedAt)])
        }
        return renderer.page("lan-book", title: "\(renderer.text("lan_book", context)) — \(book.agencyName)", view([
            "code": book.agencyCode, "agency": book.agencyName,
            "items": items, "visits": visits, "history": history,
            "hasItems": !items.isEmpty, "hasVisits": !visits.isEmpty, "hasHistory": !history.isEmpty,
        ]), request: request, context: context)
    }

    static func href(ticket: Int64, playbook: String) -> String {
        switch playbook {
        case LANService.installation: "/lan/\(ticket)"
        case LANService.upkeep: "/upkeep/\(ticket)"
        default: "/tickets/\(ticket)"
        }
    }

    static func href(ticket: Int64, source: String) -> String {
        switch source {
        case "installed", "declared": "/lan/\(ticket)"
        case "upkeep": "/upkeep/\(ticket)"
        default: "/tickets/\(ticket)"
        }
    }

    func bookCSV(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let code = try context.parameters.require("code")
        let book: LANService.Book
        do { book = try simpul.lan.book(agency: code, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        return Self.csv(LANInventoryCSV.document(book.items.map(\.item)), name: "inventaris-\(book.agencyCode.lowercased()).csv")
    }
}
