import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/upkeep`: LAN upkeep (issue 15): the compliance board of every agency's visits this year, behind
/// first (printable), the year's plan for the heads and the admin, and one visit's checklist.
struct UpkeepRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    static let planners: Set<Role> = [.supervisor, .head, .admin]
    static let inspectors: Set<Role> = [.technician, .supervisor, .admin]

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/upkeep", offPool: { request, context in try board(request, context) })
        pages.post("/upkeep/plan", offPool: plan)
        pages.get("/upkeep/:ticket", offPool: { request, context in try visit(request, context) })
        pages.post("/upkeep/:ticket/check", offPool: check)
    }

    /// This year in the office's zone.
    func thisYear() -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = simpul.officeTime().timeZone
        return calendar.component(.year, from: simpul.now())
    }

    // MARK: The board

    func board(_ request: Request, _ context: WebContext, report: UpkeepService.PlanReport? = nil, year: String? = nil, error: String? = nil,
               status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let clock = renderer.clock(context)
        let words = renderer.wording(context)
        let board = try simpul.upkeep.board(by: principal)
        let lines = board.lines.map { line -> View in
            view(["code": line.agency, "agency": line.agencyName, "done": "\(line.doneThisYear) / \(line.required)",
                  "last": clock.show(line.lastVisit), "next": clock.show(line.nextVisit), "nextTicket": line.nextTicket.map { String($0) },
                  "behind": line.behind])
        }
        let reportView = report.map { r -> View in
            view(["years": r.years,
                  "planned": words.catalogue.text("upkeep_planned", language, String(r.planned)),
                  "already": words.catalogue.text("upkeep_already", language, String(r.alreadyPlanned)),
                  "opened": words.catalogue.text("upkeep_opened", language, String(r.opened)),
                  "conflicts": r.conflicts.map { c -> View in
                      let name = board.lines.first { $0.agency == c.agency }?.agencyName ?? c.agency
                      return ["agency": name, "visit": "\(c.index)/\(c.year)", "reason": c.reason(language)]
                  },
                  "hasConflicts": !r.conflicts.isEmpty])
        }
        return renderer.page("upkeep", title: renderer.text("upkeep_title", context), view([
            "year": String(board.year), "lines": lines,
            "summary": words.catalogue.text("upkeep_summary", language, String(board.behind), String(board.lines.count)),
            "canPlan": Self.planners.contains(principal.role), "planYear": year ?? String(thisYear()),
            "report": reportView, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func plan(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let typed = context.form.text("year")
        do {
            guard let year = try context.form.integer("year", Text(id: "tahun", en: "the year"), in: 2000...2100) else {
                throw ServiceError(.invalid, Text(id: "isi tahun rencana", en: "give the plan's year"))
            }
            let report = try await Blocking.run { [simpul] in try simpul.upkeep.plan(years: year...year, by: principal) }
            return try board(request, context, report: report, year: typed)
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try board(request, context, year: typed, error: refusal.text(language), status: refusal.status)
        }
    }

    // MARK: A visit

    func visit(_ request: Request, _ context: WebContext, draft: FormData = FormData(), notice: String? = nil, error: String? = nil,
               status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let clock = renderer.clock(context)
        let id = try LANRoutes.ticket(context)
        let v: UpkeepService.Visit
        do { v = try simpul.upkeep.visit(ticket: id, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        let detail = try simpul.tickets.detail(id, by: principal)
        let open = v.status == TicketStatus.open.rawValue
        let results = Dictionary(v.results.map { ($0.item, $0) }, uniquingKeysWith: { _, b in b })
        let canCheck = open && v.step == "inspect" && Self.inspectors.contains(principal.role)
        let items = v.checklist.enumerated().map { i, item -> View in
            let result = results[item.id]
            let outcome = draft.text("outcome_\(item.id)").nilIfEmpty ?? result.map { $0.passed ? "pass" : "fail" }
            return view(["item": item.id, "n": String(i + 1), "title": item.title(language),
                         "result": result.map { r -> View in
                             view(["passed": r.passed, "note": r.note, "at": clock.show(r.at), "by": AuditWording.actor(r.by)(language),
                                   "fault": r.followUpTicket.flatMap { $0 == v.installationFollowUp ? nil : String($0) },
                                   "installation": r.followUpTicket.flatMap { $0 == v.installationFollowUp ? String($0) : nil }])
                         },
                         "pass": outcome == "pass", "fail": outcome == "fail",
                         "note": draft["note_\(item.id)"].map { _ in draft.text("note_\(item.id)") } ?? result?.note ?? "",
                         "followNothing": draft.text("followup_\(item.id)").isEmpty,
                         "followFault": draft.text("followup_\(item.id)") == "fault",
                         "followInstallation": draft.text("followup_\(item.id)") == "installation"])
        }
        let step = open ? detail.currentStep.map { "\($0.title(language)) — \($0.actor.title(language))" } : nil
        return renderer.page("upkeep-visit", title: "\(renderer.text("upkeep_visit", context)) #\(id)", view([
            "ticket": String(id),
            "agency": v.visit?.agencyName ?? v.agency, "agencyCode": v.agency,
            "visit": v.visit.map { "\($0.index)/\($0.year)" }, "due": clock.show(v.visit?.due),
            "status": TicketStatus(rawValue: v.status)?.title(language), "statusClass": "status-\(v.status)", "step": step,
            "items": items, "canCheck": canCheck, "note": draft.text("note"),
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func check(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try LANRoutes.ticket(context)
        let form = context.form
        let language = context.language
        do {
            let current = try simpul.upkeep.visit(ticket: id, by: principal)
            var checks: [UpkeepService.CheckForm] = []
            for item in current.checklist {
                let outcomeText = form.text("outcome_\(item.id)")
                guard !outcomeText.isEmpty else { continue }
                guard let outcome = UpkeepService.Outcome(rawValue: outcomeText) else {
                    throw ServiceError(.invalid, Text(id: "pilih baik atau gagal untuk \(item.title.id)", en: "choose pass or fail for \(item.title.en)"))
                }
                let followUpText = form.text("followup_\(item.id)")
                var followUp: UpkeepService.FollowUp?
                if !followUpText.isEmpty {
                    guard let chosen = UpkeepService.FollowUp(rawValue: followUpText) else {
                        throw ServiceError(.invalid, Text(id: "tindak lanjut \(item.title.id) harus gangguan atau permohonan pemasangan",
                                                          en: "the follow-up of \(item.title.en) must be a fault or an installation request"))
                    }
                    followUp = chosen
                }
                checks.append(UpkeepService.CheckForm(item: item.id, outcome: outcome, note: form.text("note_\(item.id)").nilIfEmpty, followUp: followUp))
            }
            let photos = context.files.filter { $0.name == "photos" }.map { LANService.Photo(fileName: $0.fileName ?? "foto.jpg", data: Data($0.data)) }
            let note = form.text("note").nilIfEmpty
            let after = try await Blocking.run { [simpul, checks] in try simpul.upkeep.check(ticket: id, checks, photos: photos, note: note, by: principal) }
            let done = after.step != "inspect"
            return try visit(request, context, notice: renderer.text(done ? "upkeep_done_inspection" : "upkeep_done_check", context))
        } catch let error as ServiceError where error.kind != .notFound {
            let refusal = Refusal(error)
            return try visit(request, context, draft: form, error: refusal.text(language), status: refusal.status)
        }
    }
}
