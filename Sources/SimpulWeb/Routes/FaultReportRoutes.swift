import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// `/reports/providers`: each provider's month against its contract (issue 13). The list of providers
/// for a month, and one provider's month — the figures, a chart of its restore times against the
/// contract, every breach with its evidence, each link's outage and availability, every fault — as a
/// page, a print view (`?format=print`: the report without the menu), CSV and JSON. Office staff
/// only: an agency user is told the page does not exist.
struct FaultReportRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    /// Above this many faults, the page's table of every fault gives way to the CSV and JSON.
    static let faultRowsShown = 300

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/reports/providers", offPool: list)
        pages.get("/reports/providers/:code", offPool: provider)
    }

    enum ReportFormat: String { case page, csv, json, print }

    /// The office staff's principal; an agency user gets 404, as for any page not theirs.
    func staff(_ context: WebContext) throws -> Principal {
        let principal = try context.requireSession().principal
        guard principal.can(.viewEstate) else { throw WebRefusal.notFound }
        return principal
    }

    /// `?month=YYYY-MM` (this month when absent), range-checked where it is parsed.
    func month(_ query: FormData) throws -> ReportMonth {
        guard let text = query.text("month").nilIfEmpty else { return thisMonth }
        do { return try ReportMonth.parse(text) } catch { throw ServiceError(.invalid, error.text) }
    }

    var thisMonth: ReportMonth { ReportMonth.containing(simpul.now(), in: simpul.officeTime().timeZone) }

    func format(_ query: FormData) throws -> ReportFormat {
        let text = query.text("format")
        guard let format = text.isEmpty ? .page : ReportFormat(rawValue: text) else {
            throw ServiceError(.invalid, Text(id: "format \"\(Excerpt.of(text, length: 20))\" tidak dikenal; pakai csv, json atau print",
                                              en: "format \"\(Excerpt.of(text, length: 20))\" is not known; use csv, json or print"))
        }
        return format
    }

    /// The month picker's neighbours: the month before, and the month after while it has begun.
    func neighbours(_ month: ReportMonth, path: String) -> (previous: String?, next: String?) {
        let next = month.next
        return (month.previous.map { "\(path)?month=\($0)" }, next <= thisMonth && ReportMonth.years.contains(next.year) ? "\(path)?month=\(next)" : nil)
    }

    // MARK: The list

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try staff(context)
        let query = FormData(encoded: request.uri.query)
        let words = renderer.wording(context)
        let format = Format(words.language)
        var data: View = ["formAction": "/reports/providers", "maxMonth": thisMonth.description, "month": query.text("month").nilIfEmpty ?? thisMonth.description]
        var status = HTTPResponse.Status.ok
        var title = words("nav_provider_reports")
        do {
            let month = try self.month(query)
            title += " — " + month.title(words.language)
            let reports = try simpul.faultReports.providers(month: month, by: principal)
            data["list"] = true
            data["providers"] = reports.map { r -> View in
                let lowest = r.links.compactMap(\.availabilityPercent).min()
                return view([
                    "code": r.provider, "name": r.providerName, "href": "/reports/providers/\(r.provider)?month=\(month)",
                    "escalated": format.number(r.summary.faultsEscalated),
                    "responseBreaches": format.number(r.summary.responseBreaches), "responseLate": r.summary.responseBreaches > 0,
                    "restoreBreaches": format.number(r.summary.restoreBreaches), "restoreLate": r.summary.restoreBreaches > 0,
                    "linksBelow": format.number(r.summary.linksBelowContract), "links": format.number(r.links.count), "linksLate": r.summary.linksBelowContract > 0,
                    "lowest": lowest.map { format.percent($0, places: 2) } ?? "–",
                ])
            }
            let around = neighbours(month, path: "/reports/providers")
            data["previous"] = around.previous
            data["next"] = around.next
        } catch let error as ServiceError where error.kind == .invalid {
            data["formError"] = error.text(words.language)
            status = Refusal(error).status
        }
        return renderer.page("report-provider", title: title, data, request: request, context: context, status: status)
    }

    // MARK: One provider

    func provider(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try staff(context)
        let code = try context.parameters.require("code")
        let query = FormData(encoded: request.uri.query)
        let words = renderer.wording(context)
        let path = "/reports/providers/\(code.uppercased())"
        let kind = try format(query)
        var data: View = ["formAction": path, "maxMonth": thisMonth.description, "month": query.text("month").nilIfEmpty ?? thisMonth.description]
        let month: ReportMonth
        do {
            month = try self.month(query)
        } catch let error as ServiceError {
            guard kind == .page else { throw error }
            data["formError"] = error.text(words.language)
            return renderer.page("report-provider", title: words("nav_provider_reports"), data, request: request, context: context, status: .badRequest)
        }
        let report: FaultReportService.ProviderReport
        do {
            report = try simpul.faultReports.provider(code, month: month, by: principal)
        } catch let error as ServiceError where error.kind == .invalid && kind == .page {
            data["formError"] = error.text(words.language)
            return renderer.page("report-provider", title: words("nav_provider_reports"), data, request: request, context: context, status: .badRequest)
        }
        let base = "\(report.provider.lowercased())-\(month)"
        switch kind {
        case .csv:
            return file(FaultReportService.csv(report, words.language), type: "text/csv; charset=utf-8",
                        name: "\(words.language == .id ? "sla-penyedia" : "provider-sla")-\(base).csv")
        case .json:
            var response = try Response.json(report)
            response.headers[.contentDisposition] = "inline; filename=\"provider-sla-\(base).json\""
            return response
        case .page, .print:
            break
        }
        let title = "\(report.providerName) — \(month.title(words.language))"
        data.merge(reportView(report, month: month, words: words, clock: renderer.clock(context))) { _, new in new }
        let links = QueryString.encode([("month", month.description)])
        data["report"] = (data["report"] as? View ?? [:]).merging([
            "csv": "\(path)?\(links)&format=csv", "json": "\(path)?\(links)&format=json", "print": "\(path)?\(links)&format=print",
        ]) { _, new in new }
        let around = neighbours(month, path: path)
        data["previous"] = around.previous
        data["next"] = around.next
        guard kind == .print else {
            return renderer.page("report-provider", title: title, data, request: request, context: context)
        }
        // The print view: the same report without the menu and the forms.
        data["printed"] = true
        var all: View = ["lang": words.language.rawValue, "t": renderer.catalogue.table(words.language), "pageTitle": title]
        all.merge(data) { _, new in new }
        guard let main = renderer.library.render(all, withTemplate: "report-provider") else {
            return .html("template report-provider is missing", status: .internalServerError)
        }
        return .html(Layout(title: title, language: words.language, user: nil).render(main: main, words))
    }

    func file(_ text: String, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = TicketRoutes.contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The report as template values: every figure in the user's language, every time in the office's zone.
    func reportView(_ report: FaultReportService.ProviderReport, month: ReportMonth, words: Wording, clock: PageClock) -> View {
        let language = words.language
        let format = Format(language)
        let s = report.summary
        func minutes(_ value: Double?) -> String { value.map { format.duration($0 * 60) } ?? "–" }
        func clockText(_ c: FaultReportService.Clock?) -> String { c.map { minutes($0.minutes) } ?? words("provider_report_earlier") }
        // The month's first and last day in the office's zone, without the time: `1 Nov 2026 – 30 Nov 2026 (WITA)`.
        func day(_ date: Date) -> String { clock.time.format(date, language).split(separator: " ").prefix(3).joined(separator: " ") }
        let first = Timestamp.date(report.from) ?? Date(), last = (Timestamp.date(report.to) ?? Date()).addingTimeInterval(-1)
        let period = "\(day(first)) – \(day(last)) (\(clock.time.abbreviation))"
        let breaches = report.breaches.map { f -> View in
            var clocks: [View] = []
            for (name, c) in [(words("col_sla_response"), f.response), (words("col_sla_restore"), f.restore)] {
                guard let c else { continue }
                clocks.append(view([
                    "name": name, "minutes": minutes(c.minutes), "limit": minutes(Double(c.limitMinutes)), "state": c.state.title(language),
                    "late": c.state.isBreach, "measured": c.endedBy.ended ? nil : "\(c.endedBy.title(language)) (\(clock.show(c.end) ?? c.end))",
                ]))
            }
            var evidence: [(at: String, row: View)] = (f.evidence?.events ?? []).map { e in
                let what = e.kind.title(language) + (e.level.map { " " + words.catalogue.text("provider_report_level", language, String($0)) } ?? "")
                let who = e.by == Principal.system.username ? words("provider_report_by_simpul") : (e.byName.map { "\($0) (\(e.by))" } ?? e.by)
                let detail = [e.providerTicket.map { words.catalogue.text("provider_report_provider_ticket", language, $0) }, e.note].compactMap { $0 }
                return (e.at, view(["at": clock.show(e.at), "what": what, "who": who, "detail": detail.isEmpty ? nil : detail.joined(separator: " · ")]))
            }
            evidence += (f.evidence?.deliveries ?? []).map { d in
                let what = d.channel.title(language) + (d.level.map { " " + words.catalogue.text("provider_report_level", language, String($0)) } ?? "")
                    + (d.to.isEmpty ? "" : " → " + d.to.joined(separator: ", "))
                var state = d.state.title(language)
                if let delivered = d.deliveredAt { state += " " + (clock.show(delivered) ?? delivered) }
                state += " · " + words.catalogue.text("provider_report_attempts", language, format.number(d.attempts))
                if let error = d.lastError { state += " · " + error(language) }
                return (d.createdAt, view(["at": clock.show(d.createdAt), "what": what, "detail": state]))
            }
            return view([
                "ticket": String(f.ticket), "agency": f.agencyName, "circuit": f.circuit, "clocks": clocks,
                "evidence": evidence.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element.row),
            ])
        }
        let links = report.links.map { l -> View in
            view([
                "circuit": l.circuit, "agency": l.agencyName, "outage": minutes(l.outageMinutes), "allOutage": minutes(l.allFaultsOutageMinutes),
                "availability": l.availabilityPercent.map { format.percent($0, places: 2) } ?? "–", "below": !l.meetsContract,
                "measured": l.measuredPercent.map { format.percent($0, places: $0 >= 99.95 || $0 < 0.05 ? 0 : 1) } ?? "",
            ])
        }
        let shown = report.faults.count <= Self.faultRowsShown
        let faults: [View] = shown ? report.faults.map { f in
            view([
                "ticket": String(f.ticket), "agency": f.agency, "circuit": f.circuit, "carried": f.carriedOver,
                "started": clock.show(f.startedAt), "escalated": clock.show(f.escalatedAt),
                "response": clockText(f.response), "responseLate": f.response?.state.isBreach ?? false,
                "restore": clockText(f.restore), "restoreLate": f.restore?.state.isBreach ?? false,
            ])
        } : []
        return view([
            "report": view([
                "period": period, "measuredTo": report.complete ? nil : clock.show(report.measuredTo),
                "escalated": format.number(s.faultsEscalated), "carried": s.carriedOver > 0 ? format.number(s.carriedOver) : nil,
                "responseBreaches": format.number(s.responseBreaches), "restoreBreaches": format.number(s.restoreBreaches),
                "linksBelow": format.number(s.linksBelowContract),
                "contractResponse": format.duration(Double(report.contract.responseMinutes) * 60),
                "contractRestore": format.duration(Double(report.contract.restoreMinutes) * 60),
                "contractAvailability": format.percent(report.contract.availabilityPercent, places: 2),
                "responseMean": minutes(s.response.meanMinutes), "responseP95": minutes(s.response.p95Minutes),
                "restoreMean": minutes(s.restore.meanMinutes), "restoreP95": minutes(s.restore.p95Minutes),
            ]),
            "breaches": breaches, "links": links, "faults": faults, "faultsShown": shown,
            "faultsHidden": shown ? nil : words.catalogue.text("provider_report_faults_hidden", language, format.number(report.faults.count)),
            "chart": ProviderChart(report: report, words: words, clock: clock).data,
        ])
    }
}
