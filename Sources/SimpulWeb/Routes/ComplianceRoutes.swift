import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// `/reports/compliance`: how well each SOP step met its standard over a period — per step,
/// per agency, per person — with a bar chart drawn as inline SVG, and the same as CSV.
/// `ComplianceService` decides who may see it (the office's roles).
struct ComplianceRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/reports/compliance", offPool: report)
        pages.get("/reports/compliance.csv", offPool: csv)
    }

    /// The period asked for: whole days in the office's zone, `to` included.
    struct Period {
        var playbook: String
        var fromText: String
        var toText: String
        var from: Date
        var to: Date
    }

    /// The query's playbook and days; by default the last 30 days up to today.
    func period(_ query: FormData, playbooks: [String], zone: TimeZone) throws -> Period {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = Self.dayText(simpul.now(), calendar)
        let toText = query.text("to").nilIfEmpty ?? today
        let fromText = query.text("from").nilIfEmpty ?? Self.dayText(calendar.date(byAdding: .day, value: -29, to: Self.day(today, calendar)!)!, calendar)
        guard let from = Self.day(fromText, calendar), let toDay = Self.day(toText, calendar), let to = calendar.date(byAdding: .day, value: 1, to: toDay) else {
            throw ServiceError(.invalid, Text(id: "tanggal ditulis TTTT-BB-HH, mis. 2026-11-01", en: "write dates as YYYY-MM-DD, e.g. 2026-11-01"))
        }
        guard from < to else {
            throw ServiceError(.invalid, Text(id: "tanggal awal harus sebelum atau sama dengan tanggal akhir", en: "the start date must be on or before the end date"))
        }
        let playbook = query.text("playbook").nilIfEmpty ?? playbooks.first(where: { $0 == "fault-dispatch" }) ?? playbooks.first ?? ""
        return Period(playbook: playbook, fromText: fromText, toText: toText, from: from, to: to)
    }

    /// `2026-11-21` at midnight in the calendar's zone; nil unless it is a real date written so.
    static func day(_ text: String, _ calendar: Calendar) -> Date? {
        WorkCalendar.midnight(text, in: calendar.timeZone)
    }

    static func dayText(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    func report(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let words = renderer.wording(context)
        let query = FormData(encoded: request.uri.query)
        let heads = try simpul.playbooks.list(by: principal).map(\.playbook)
        let zone = renderer.clock(context).time.timeZone
        var data: View = [:]
        var status = HTTPResponse.Status.ok
        var selected = query.text("playbook")
        var fromText = query.text("from"), toText = query.text("to")
        do {
            let period = try period(query, playbooks: heads.map(\.id), zone: zone)
            (selected, fromText, toText) = (period.playbook, period.fromText, period.toText)
            let report = try simpul.compliance.report(playbook: period.playbook, from: period.from, to: period.to, by: principal)
            data = reportView(report, words: words)
            data["csv"] = "/reports/compliance.csv?" + QueryString.encode([("playbook", period.playbook), ("from", period.fromText), ("to", period.toText)])
        } catch let error as ServiceError where error.kind == .invalid || error.kind == .notFound {
            data["formError"] = error.text(language)
            status = Refusal(error).status
        }
        data["playbookOptions"] = heads.map { ["value": $0.id, "label": $0.title(language), "selected": $0.id == selected] }
        data["from"] = fromText
        data["to"] = toText
        return renderer.page("compliance", title: words("nav_compliance"), data, request: request, context: context, status: status)
    }

    func reportView(_ report: ComplianceService.Report, words: Wording) -> View {
        let language = words.language
        let format = Format(language)
        func duration(_ seconds: Double?) -> String? { seconds.map(format.duration) }
        func share(_ value: Double?) -> String? { value.map(format.share) }
        let steps = report.steps.enumerated().map { index, step -> View in
            let roles = step.byRole.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(Role(rawValue: $0.key)?.title(language) ?? $0.key) \($0.value)" }.joined(separator: ", ")
            return view([
                "number": index + 1, "id": step.stepID, "title": step.title(language), "actor": step.actor.title(language),
                "standard": step.standard?.text(language), "done": step.done, "onTime": step.onTime,
                "share": share(step.onTimeShare), "shareClass": step.onTimeShare.map { $0 >= 0.9 ? "ok" : $0 >= 0.7 ? "warn" : "bad" },
                "median": duration(step.median), "p90": duration(step.p90),
                "medianLate": (step.median ?? 0) > (step.standardSeconds ?? .infinity),
                "p90Late": (step.p90 ?? 0) > (step.standardSeconds ?? .infinity),
                "roles": roles.nilIfEmpty, "onBehalf": step.onBehalf > 0 ? step.onBehalf : nil,
            ])
        }
        func groups(_ list: [ComplianceService.GroupFigures]) -> [View] {
            list.map { group in
                view(["key": group.key, "name": group.name == group.key ? nil : group.name, "done": group.done, "timed": group.timed,
                      "onTime": group.onTime, "share": share(group.onTimeShare),
                      "median": share(group.medianShareOfStandard)])
            }
        }
        return view([
            "report": view([
                "title": report.title(language), "playbookID": report.playbookID,
                "opened": report.ticketsOpened, "done": report.ticketsDone, "cancelled": report.ticketsCancelled,
                "overall": share(report.overallOnTimeShare),
            ]),
            "steps": steps,
            "agencies": groups(report.agencies),
            "people": groups(report.people),
            "chart": ComplianceChart(steps: report.steps, words: words).data,
        ])
    }

    func csv(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let query = FormData(encoded: request.uri.query)
        let heads = try simpul.playbooks.list(by: principal).map(\.playbook.id)
        let period = try period(query, playbooks: heads, zone: renderer.clock(context).time.timeZone)
        let report = try simpul.compliance.report(playbook: period.playbook, from: period.from, to: period.to, by: principal)
        let text = ComplianceService.csv(report, context.language)
        let name = "\(context.language == .id ? "kepatuhan" : "compliance")-\(period.playbook)-\(period.fromText)-\(period.toText).csv"
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = TicketRoutes.contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
