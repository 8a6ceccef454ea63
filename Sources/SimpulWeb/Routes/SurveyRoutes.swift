import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/surveys`: bandwidth surveys (SOP 13, issue 16). The heads open a survey of the agencies over a
/// period; the survey's page shows its step, the agencies and their needs, the report (per agency the
/// SNMP and capture figures with a chart of the period), the recommendation against the budget, and
/// the module's actions on their steps. Agencies give their needs on the same page. The CSVs, the
/// printable report and the issued documents (the map, the specification) are downloads.
struct SurveyRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    /// As `SurveyService` checks them: who opens, who ends the measuring, who closes the needs and signs.
    /// Who may do what: the service's rule, shown on the page.
    static let openers = SurveyService.openers
    static let measurers = SurveyService.measurers
    static let mappers = SurveyService.mappers

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/surveys", offPool: { request, context in try list(request, context) })
        pages.get("/surveys/new", offPool: { request, context in try new(request, context) })
        pages.post("/surveys", offPool: open)
        pages.get("/surveys/ticket/:ticket", offPool: { _, context in
            let principal = try context.requireSession().principal
            let ticket = try LANRoutes.ticket(context)
            return .seeOther("/surveys/\(try simpul.surveys.survey(ticket: ticket, by: principal).id)")
        })
        pages.get("/surveys/:id", offPool: { request, context in try show(request, context) })
        pages.post("/surveys/:id/:action", offPool: act)
        pages.get("/surveys/:id/report.csv", offPool: { _, context in
            let (principal, id) = try Self.target(context)
            return LANRoutes.csv(SurveyCSV.report(try simpul.surveys.report(id, by: principal)), name: "laporan-survei-\(id).csv")
        })
        pages.get("/surveys/:id/samples.csv", offPool: { _, context in
            let (principal, id) = try Self.target(context)
            return LANRoutes.csv(SurveyCSV.samples(try simpul.surveys.samples(id, by: principal)), name: "sampel-survei-\(id).csv")
        })
        // The printable report (A4 in Indonesian, charts inline) and its PDF.
        pages.get("/surveys/:id/print", offPool: { _, context in
            let (principal, id) = try Self.target(context)
            return Self.document(try simpul.surveys.printable(id, by: principal))
        })
        pages.get("/surveys/:id/report.pdf", offPool: { _, context in
            let (principal, id) = try Self.target(context)
            return Self.pdf(try await simpul.surveys.printablePDF(id, by: principal), name: "laporan-survei-\(id).pdf")
        })
        // The issued documents as kept: the page, and its PDF.
        for kind in SurveyService.DocumentKind.allCases {
            pages.get(RouterPath("/surveys/:id/\(kind.rawValue)"), offPool: { _, context in
                let (principal, id) = try Self.target(context)
                return Self.document(try simpul.surveys.document(id, kind, by: principal).html)
            })
            pages.get(RouterPath("/surveys/:id/\(kind.rawValue).pdf"), offPool: { _, context in
                let (principal, id) = try Self.target(context)
                return Self.pdf(try await simpul.surveys.documentPDF(id, kind, by: principal), name: "\(Self.fileStem(kind))-survei-\(id).pdf")
            })
        }
    }

    /// The signed-in principal and the survey number of the path; a number that is not one is a 404.
    static func target(_ context: WebContext) throws -> (Principal, Int64) {
        let principal = try context.requireSession().principal
        let id = try context.parameters.rowID("id")
        return (principal, id)
    }

    static func fileStem(_ kind: SurveyService.DocumentKind) -> String {
        switch kind {
        case .map: "peta-bandwidth"
        case .specification: "spesifikasi-teknis"
        }
    }

    /// A standalone A4 document (its CSS and logo inline), outside the site's layout.
    static func document(_ html: String) -> Response {
        var response = Response.html(html)
        response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.letterPolicy
        return response
    }

    static func pdf(_ data: Data, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = TicketRoutes.contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: The list

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let rows = try simpul.surveys.surveys(by: principal).map { s -> View in
            view(["id": String(s.id), "title": s.row.title, "period": Self.period(s.row, renderer.clock(context)),
                         "status": TicketStatus(rawValue: s.row.status)?.title(language), "statusClass": "status-\(s.row.status)",
                         "step": s.onStep ? Self.step(s, language) : nil,
                         "needs": words.catalogue.text("survey_needs_count", language, String(s.needsGiven), String(s.agencies.count))])
        }
        return renderer.page("survey-list", title: renderer.text("survey_title", context), view([
            "surveys": rows, "canOpen": Self.openers.contains(principal.role),
            "form": Self.openers.contains(principal.role) ? try openForm(context, principal: principal, draft: FormData()) : nil,
        ]), request: request, context: context)
    }

    /// "Step title — who does it".
    static func step(_ s: SurveyService.Survey, _ language: Language) -> String? {
        s.stepTitle.map { title in [title(language), s.stepActor.map { $0.title(language) }].compactMap { $0 }.joined(separator: " — ") }
    }

    /// `1 Nov 2026 – 30 Nov 2026`: the period's office days.
    static func period(_ row: SurveyStore.SurveyRow, _ clock: PageClock) -> String {
        "\(day(row.periodFrom, clock)) – \(day(row.periodTo, clock))"
    }

    /// An office day (`YYYY-MM-DD`) as the pages write dates: `1 Nov 2026`.
    static func day(_ text: String, _ clock: PageClock) -> String {
        guard let number = WorkCalendar.dayNumber(text) else { return text }
        // Noon of that day in the office's zone, formatted, without its time.
        let noon = Date(timeIntervalSince1970: Double(number * 86_400 + 43_200 - clock.time.timeZone.secondsFromGMT()))
        return clock.time.format(noon, clock.language).split(separator: " ").prefix(3).joined(separator: " ")
    }

    // MARK: Opening a survey

    func new(_ request: Request, _ context: WebContext, draft: FormData = FormData(), error: String? = nil,
             status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        guard Self.openers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "survei bandwidth dibuka oleh kepala dinas, kepala bidang/seksi atau admin",
                                                en: "bandwidth surveys are opened by the head of office, a division/section head or an admin"))
        }
        return renderer.page("survey-new", title: renderer.text("survey_open", context), view([
            "form": try openForm(context, principal: principal, draft: draft), "formError": error,
        ]), request: request, context: context, status: status)
    }

    /// The opening form's values: what was typed (after a refusal), every agency with its method.
    func openForm(_ context: WebContext, principal: Principal, draft: FormData) throws -> View {
        let language = context.language
        let chosen = Set(draft.all("agency").map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
        let agencies = try simpul.estate.agencyNames(for: principal).map { a -> View in
            let method = draft.text("method_\(a.code)").lowercased()
            return view(["code": a.code, "name": a.name, "checked": chosen.contains(a.code),
                         "methods": SurveyService.Method.allCases.map { m -> View in
                             view(["value": m.rawValue, "label": m.title(language),
                                   "selected": method.isEmpty ? m == .snmp : method == m.rawValue])
                         }])
        }
        let responsible = draft.text("responsible")
        let people = try simpul.tickets.assignable(for: [], agency: nil, by: principal).filter { [.technician, .supervisor].contains($0.role) }
            .map { p -> View in view(["username": p.username, "name": "\(p.fullName) (\(p.role.title(language)))", "selected": p.username == responsible]) }
        return view([
            "title": draft.text("title"), "from": draft.text("from"), "to": draft.text("to"),
            // Only the agencies ticked unless "every agency" is chosen: a survey of all 29 is never a slip.
            "all": draft.text("scope") == "all", "chosen": draft.text("scope") != "all",
            "agencies": agencies, "anyChecked": !chosen.isEmpty, "people": people,
        ])
    }

    func open(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        do {
            let named = try simpul.estate.agencyNames(for: principal).map(\.code)
            var codes: [String] = []
            for code in form.all("agency").map({ $0.trimmingCharacters(in: .whitespaces).uppercased() }) where !code.isEmpty && !codes.contains(code) {
                codes.append(code)
            }
            if form.text("scope") == "all" { codes += named.filter { !codes.contains($0) } }
            // Each agency's method as chosen (SNMP unless another is picked), in the inventory's order.
            let ordered = named.filter(codes.contains) + codes.filter { !named.contains($0) }
            let agencies = try ordered.map { code -> (code: String, method: SurveyService.Method) in
                let method = form.text("method_\(code)")
                return (code, method.isEmpty ? .snmp : try SurveyService.Method.parse(method))
            }
            let opening = SurveyService.OpenForm(title: form.text("title"), from: form.text("from"), to: form.text("to"), agencies: agencies,
                                                 responsible: form.text("responsible").nilIfEmpty)
            let survey = try await Blocking.run { [simpul] in try simpul.surveys.open(opening, by: principal) }
            return .seeOther("/surveys/\(survey.id)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try new(request, context, draft: form, error: refusal.text(context.language),
                           status: refusal.status == .notFound ? .badRequest : refusal.status)
        }
    }

    // MARK: The survey's page

    func show(_ request: Request, _ context: WebContext, draft: FormData? = nil, notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let (principal, id) = try Self.target(context)
        let language = context.language
        let words = renderer.wording(context)
        let clock = renderer.clock(context)
        let survey = try simpul.surveys.survey(id, by: principal)
        let charted = try simpul.surveys.chartedReport(id, by: principal)
        let row = survey.row
        let open = row.status == TicketStatus.open.rawValue
        let agencyUser = principal.role == .agency
        func at(_ step: String, _ roles: Set<Role>) -> Bool { survey.onStep && row.step == step && roles.contains(principal.role) }
        let canNeeds = survey.takesNeeds && principal.role != .viewer && !survey.agencies.isEmpty

        // The agency the needs form is for: the typed one, the one picked from the table, or the user's own.
        let query = FormData(encoded: request.uri.query)
        let picked = (draft?.text("agency")).flatMap(\.nilIfEmpty) ?? query.text("agency").uppercased().nilIfEmpty
        let needsAgency = agencyUser ? survey.agencies.first : survey.agencies.first { $0.agency == picked } ?? survey.agencies.first { $0.needs == nil }
        let agencies = survey.agencies.map { a -> View in
            view(["code": a.agency, "name": a.agencyName, "method": SurveyService.Method(rawValue: a.method)?.title(language) ?? a.method,
                  "needs": a.needs.map { Self.needsSummary($0, words) }, "given": a.needs == nil ? nil : [clock.show(a.needsAt), a.needsBy.map { AuditWording.actor($0)(language) }]
                      .compactMap { $0 }.joined(separator: " · "),
                  "fill": canNeeds && !agencyUser ? "/surveys/\(id)?agency=\(a.agency)#survey-needs" : nil])
        }
        let documents = SurveyService.DocumentKind.allCases.filter { survey.documents.contains($0.rawValue) }.map { kind -> View in
            view(["kind": kind.rawValue, "title": kind.title(language), "href": "/surveys/\(id)/\(kind.rawValue)", "pdf": "/surveys/\(id)/\(kind.rawValue).pdf"])
        }
        let moduleSteps = ["survey", "agency_data", "map_bandwidth", "procurement_documents"]
        return renderer.page("survey", title: "\(renderer.text("survey_one", context)) #\(id) — \(row.title)", view([
            "surveyID": String(id), "ticket": String(row.ticketID), "surveyTitle": row.title,
            "status": TicketStatus(rawValue: row.status)?.title(language), "statusClass": "status-\(row.status)",
            "step": survey.onStep ? Self.step(survey, language) : nil, "stepID": survey.onStep ? row.step : nil,
            "waitsForPeriod": survey.waitsForPeriod,
            "onTicket": open && !agencyUser && !moduleSteps.contains(row.step ?? ""),
            "showTimeline": !agencyUser,
            "period": Self.period(row, clock), "opened": clock.show(row.createdAt),
            "responsible": row.responsible.map { AuditWording.actor($0)(language) },
            "needsCount": words.catalogue.text("survey_needs_count", language, String(survey.needsGiven), String(survey.agencies.count)),
            "agencies": agencies,
            "report": reportView(charted, context: context, agencyUser: agencyUser),
            "documents": documents, "hasDocuments": !documents.isEmpty,
            "canMeasure": at("survey", Self.measurers), "canCloseNeeds": at("agency_data", Self.mappers),
            "canIssueMap": at("map_bandwidth", Self.mappers), "canIssueSpecification": at("procurement_documents", Self.mappers),
            "needsForm": canNeeds ? needsForm(survey, for: needsAgency, draft: draft, agencyUser: agencyUser) : nil,
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    /// `120 pegawai · 150 Mbps · +20 % · SIMPUS, Zoom`.
    static func needsSummary(_ n: StatedNeeds, _ words: Wording) -> String {
        let format = Format(words.language)
        return [n.staff.map { words.catalogue.text("survey_staff_count", words.language, format.number($0)) },
                n.neededMbps.map { format.mbps($0) }, n.growthPercent.map { "+" + format.percent($0) },
                n.applications.isEmpty ? nil : n.applications.joined(separator: ", "), n.note].compactMap { $0 }.joined(separator: " · ")
    }

    /// The needs form: typed values after a refusal, else what the agency gave before.
    func needsForm(_ survey: SurveyService.Survey, for agency: SurveyStore.AgencyRow?, draft: FormData?, agencyUser: Bool) -> View {
        let given = agency?.needs
        func field(_ name: String, _ stored: String?) -> String { draft.map { $0[name] == nil ? "" : $0.text(name) } ?? stored ?? "" }
        return view([
            "own": agencyUser ? agency?.agencyName : nil,
            "choices": agencyUser ? nil : survey.agencies.map { a -> View in view(["code": a.agency, "name": a.agencyName, "selected": a.agency == agency?.agency]) },
            "staff": field("staff", given?.staff.map { String($0) }),
            "applications": draft.map { $0["applications"] ?? "" } ?? given?.applications.joined(separator: "\n") ?? "",
            "mbps": field("mbps", given?.neededMbps.map(Self.plain)), "growth": field("growth", given?.growthPercent.map(Self.plain)),
            "note": field("note", given?.note),
        ])
    }

    /// A number as a form field holds it: no thousands grouping, a point for decimals.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    func act(_ request: Request, _ context: WebContext) async throws -> Response {
        let (principal, id) = try Self.target(context)
        let action = try context.parameters.require("action")
        let form = context.form
        let language = context.language
        do {
            let notice: String
            switch action {
            case "measure":
                let note = form.text("note").nilIfEmpty
                _ = try await Blocking.run { [simpul] in try simpul.surveys.completeMeasurement(id, note: note, by: principal) }
                notice = renderer.text("survey_done_measure", context)
            case "close-needs":
                _ = try await Blocking.run { [simpul] in try simpul.surveys.closeNeeds(id, by: principal) }
                notice = renderer.text("survey_done_close_needs", context)
            case "needs":
                let needs = StatedNeeds(
                    staff: try form.integer("staff", Text(id: "jumlah pegawai", en: "staff"), in: 0...100_000),
                    applications: (form["applications"] ?? "").split(whereSeparator: \.isNewline).map(String.init),
                    neededMbps: try Self.decimal(form, "mbps", Text(id: "kebutuhan bandwidth (Mbps)", en: "the bandwidth needed (Mbps)"), in: 0...400_000),
                    growthPercent: try Self.decimal(form, "growth", Text(id: "pertumbuhan setahun (%)", en: "the growth in a year (%)"), in: 0...1000),
                    note: form.text("note").nilIfEmpty)
                let agency = form.text("agency")
                _ = try await Blocking.run { [simpul] in try simpul.surveys.needs(id, agency: agency, needs, by: principal) }
                notice = renderer.text("survey_done_needs", context)
            case "issue-map", "issue-specification":
                let kind: SurveyService.DocumentKind = action == "issue-map" ? .map : .specification
                _ = try await simpul.surveys.issue(id, kind, by: principal)
                notice = renderer.text(kind == .map ? "survey_done_map" : "survey_done_specification", context)
            default:
                throw WebRefusal.notFound
            }
            return try show(request, context, notice: notice)
        } catch let error as ServiceError where error.kind != .notFound {
            // A step out of turn, a role that may not, a number out of range: the page with the reason, what was typed kept.
            let refusal = Refusal(error)
            return try show(request, context, draft: action == "needs" ? form : nil, error: refusal.text(language), status: refusal.status)
        }
    }

    /// A decimal number typed by a person, range-checked where it is parsed; nil when the field is empty.
    /// A comma or a point before the decimals, no thousands grouping (`1.250` could be either, so it
    /// is refused with what to write), no exponent, never NaN or infinity.
    static func decimal(_ form: FormData, _ name: String, _ label: Text, in range: ClosedRange<Double>) throws -> Double? {
        let text = form.text(name)
        if text.isEmpty { return nil }
        let low = Int(range.lowerBound), high = Int(range.upperBound)
        let refusal = ServiceError(.invalid, Text(
            id: "\(label.id) harus angka dari \(low) sampai \(high), pecahan dengan koma (mis. 12,5) tanpa pemisah ribuan; yang diberikan: \"\(Excerpt.of(text))\"",
            en: "\(label.en) must be a number from \(low) to \(high), decimals after a point or a comma (12.5), no thousands separator; got \"\(Excerpt.of(text))\""))
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).flatMap {
            $0.split(separator: ".", omittingEmptySubsequences: false)
        }
        guard text.utf8.count <= 24, (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }) else {
            throw refusal
        }
        // `1.250` / `1,250`: a thousands group or three decimals? Neither is guessed.
        if parts.count == 2, parts[1].count == 3, parts[0].contains(where: { $0 != "0" }) { throw refusal }
        guard let value = Double((text.first == "-" ? "-" : "") + parts.joined(separator: ".")), value.isFinite, range.contains(value) else {
            throw refusal
        }
        return value
    }
}
