import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// Link health's pages (issue 14): `/health/links`, every link with its state, since when, its last
/// rates and a bar against its committed rate, down and flapping first, filterable by provider and
/// state (an agency's user sees its own links); `/health/links/CIRCUIT`, a link's traffic and error
/// charts for an hour, a day, a week or a month with the period's 95th percentile; `/health/poller`,
/// what the health file knows of the last cycle and of each device (office staff). `/links` stays the
/// estate's list of circuits as the inventory has them.
struct LinkHealthRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/health/links", offPool: list)
        pages.get("/health/links/:circuit", offPool: link)
        pages.get("/health/poller", offPool: poller)
    }

    /// A link's page.
    static func href(_ circuit: String) -> String {
        "/health/links/" + (circuit.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? circuit)
    }

    /// The badge class of a state, from the stylesheet's ticket badges: green, amber, red, grey.
    static func badge(_ state: LinkState) -> String {
        let colour = switch state {
        case .up: "state-on_time"
        case .degraded: "state-due_soon"
        case .down, .flapping: "state-late"
        case .unknown: "state-untimed"
        }
        return "\(colour) link-\(state.rawValue)"
    }

    /// The state with since when and for how long, in the office's zone.
    func stateView(_ status: PollService.LinkStatus, words: Wording, time: OfficeTime) -> View {
        let language = words.language
        let format = Format(language)
        let now = simpul.now()
        return view([
            "state": status.state.title(language), "badge": Self.badge(status.state),
            "since": status.since.map { time.format($0, language) },
            "for": status.since.map { format.duration(max(0, now.timeIntervalSince($0))) },
            "polled": status.polledAt.map { time.format($0, language) },
            "in": status.inBitsPerSecond.map { format.bitRate($0) },
            "out": status.outBitsPerSecond.map { format.bitRate($0) },
            "load": status.utilisation.map { format.share($0) },
            "barWidth": status.utilisation.map { Int((min(max($0, 0), 1) * 100).rounded()) },
            "committed": Self.committed(status, words),
        ])
    }

    /// The committed rate: one figure when both directions have it, else each with its direction.
    static func committed(_ status: PollService.LinkStatus, _ words: Wording) -> String? {
        let format = Format(words.language)
        let (a, b) = (status.committedInBitsPerSecond, status.committedOutBitsPerSecond)
        guard a > 0 || b > 0 else { return nil }
        if a == b { return format.bitRate(a) }
        return words.catalogue.text("health_committed_both", words.language, format.bitRate(a), format.bitRate(b))
    }

    // MARK: The links

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let query = FormData(encoded: request.uri.query)
        let words = renderer.wording(context)
        let language = words.language
        let title = words("nav_link_health")
        var data: View = ["canSeePoller": principal.can(.viewEstate), "canSeeProviders": principal.can(.viewEstate)]
        guard simpul.polling.isConfigured else {
            data["notConfigured"] = true
            return renderer.page("link-health", title: title, data, request: request, context: context)
        }
        let all = try simpul.polling.linkHealth(by: principal)
        let providerText = query.text("provider"), stateText = query.text("state"), sortText = query.text("sort")
        var status = HTTPResponse.Status.ok
        var rows: [PollService.LinkHealthRow] = []
        var state: LinkState?
        do {
            state = try PollService.state(parsing: stateText)
            let order = try PollService.LinkOrder.parse(sortText)
            rows = try PollService.select(all, provider: providerText.nilIfEmpty, state: state, order: order)
            data["filtered"] = !providerText.isEmpty || state != nil
        } catch let error as ServiceError where error.kind == .invalid {
            data["formError"] = error.text(language)
            status = .badRequest
        }
        let time = simpul.officeTime()
        data["links"] = rows.map { row -> View in
            let link = row.link
            return view([
                "circuit": link.link.circuit, "href": Self.href(link.link.circuit),
                "agency": link.agencyName, "agencyCode": link.link.agency, "provider": link.providerName, "providerCode": link.link.provider,
                "status": stateView(row.status, words: words, time: time),
            ])
        }
        // The tiles count every visible link by state, whatever the filter; each opens its state.
        let counts = Dictionary(grouping: all, by: \.status.state).mapValues(\.count)
        data["tiles"] = LinkState.allCases.sorted { PollService.attentionRank($0) < PollService.attentionRank($1) }.map { s -> View in
            ["state": s.title(language), "count": Format(language).number(counts[s] ?? 0), "key": s.rawValue,
             "href": "/health/links?" + QueryString.encode([("state", s.rawValue)] + (providerText.isEmpty ? [] : [("provider", providerText)])),
             "current": s == state]
        }
        var providers: [String: String] = [:]
        for row in all { providers[row.link.link.provider] = row.link.providerName }
        data["providerOptions"] = providers.sorted { $0.value.localizedStandardCompare($1.value) == .orderedAscending }.map { code, name -> View in
            ["value": code, "label": name, "selected": code.caseInsensitiveCompare(providerText) == .orderedSame]
        }
        data["stateOptions"] = LinkState.allCases.sorted { PollService.attentionRank($0) < PollService.attentionRank($1) }.map { s -> View in
            ["value": s.rawValue, "label": s.title(language), "selected": s == state]
        }
        data["sortOptions"] = PollService.LinkOrder.allCases.map { o -> View in
            ["value": o.rawValue, "label": o.title(language), "selected": o.rawValue == sortText.lowercased()]
        }
        data["empty"] = all.isEmpty
        return renderer.page("link-health", title: title, data, request: request, context: context, status: status)
    }

    // MARK: One link

    func link(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let circuit = try context.parameters.require("circuit")
        let query = FormData(encoded: request.uri.query)
        let words = renderer.wording(context)
        let language = words.language
        guard simpul.polling.isConfigured else {
            return renderer.page("link-health", title: words("nav_link_health"), ["notConfigured": true], request: request, context: context)
        }
        var data: View = ["canSeeProviders": principal.can(.viewEstate)]
        var status = HTTPResponse.Status.ok
        let period: PollService.ChartPeriod?
        do {
            period = try PollService.ChartPeriod.parse(query.text("period"))
        } catch let error as ServiceError where error.kind == .invalid {
            data["formError"] = error.text(language)
            status = .badRequest
            period = nil
        }
        // A period that cannot be read still shows the link (its facts), without charts.
        let history = try simpul.polling.history(circuit: circuit, period: period ?? .hour, by: principal)
        let time = simpul.officeTime()
        let format = Format(language)
        let link = history.link.link
        let path = Self.href(link.circuit)
        data["link"] = view([
            "circuit": link.circuit, "agency": history.link.agencyName, "agencyCode": link.agency,
            "provider": history.link.providerName, "providerCode": link.provider, "technology": link.technology.title(language),
            "device": link.device, "interface": link.interface,
            "status": stateView(history.status, words: words, time: time),
        ])
        data["periods"] = PollService.ChartPeriod.allCases.map { p -> View in
            ["href": "\(path)?period=\(p.rawValue)", "label": p.title(language), "current": p == period, "key": p.rawValue]
        }
        if let notPolled = history.notPolled {
            data["notPolled"] = notPolled(language)
        } else if let period {
            data["period"] = period.title(language)
            data["source"] = period.source(language)
            data["traffic"] = TrafficChart.traffic(history, words: words, time: time).data
            data["errors"] = TrafficChart.errors(history, words: words, time: time)?.data
            data["noErrors"] = history.errors.isEmpty
            data["percentile"] = history.percentile.map { figure -> View in
                ["in": format.bitRate(figure.inBitsPerSecond), "out": format.bitRate(figure.outBitsPerSecond),
                 "billable": format.bitRate(figure.billable),
                 "windows": words.catalogue.text("health_p95_windows", language, format.number(figure.windows), format.number(figure.dropped))]
            }
        }
        data["changes"] = try simpul.polling.changes(circuit: link.circuit, by: principal).map { c -> View in
            var change = "\(c.from.title(language)) → \(c.to.title(language))"
            if !c.impairments.isEmpty { change += " (" + c.impairments.map { $0.title(language) }.joined(separator: ", ") + ")" }
            return ["when": time.format(EpochMillis.date(c.at), language), "change": change, "badge": Self.badge(c.to)]
        }
        data["hasChanges"] = (data["changes"] as? [View])?.isEmpty == false
        return renderer.page("link-health-link", title: "\(link.circuit) — \(history.link.agencyName)", data,
                             request: request, context: context, status: status)
    }

    // MARK: The poller

    func poller(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        // An agency's user is told the page does not exist, as for any office page.
        guard principal.can(.viewEstate) else { throw WebRefusal.notFound }
        let words = renderer.wording(context)
        let language = words.language
        let title = words("health_poller_title")
        guard simpul.polling.isConfigured else {
            return renderer.page("link-health-poller", title: title, ["notConfigured": true], request: request, context: context)
        }
        let overview = try simpul.polling.poller(by: principal)
        let time = simpul.officeTime()
        let format = Format(language)
        let now = simpul.now()
        func millis(_ value: Int64) -> String { value >= 10_000 ? format.duration(Double(value) / 1000) : format.number(value) + " ms" }
        let last = overview.lastCycle
        return renderer.page("link-health-poller", title: title, view([
            "lastCycle": last.map { time.format(EpochMillis.date($0.startedAt), language) },
            "ago": last.map { words.catalogue.text("health_ago", language, format.duration(max(0, now.timeIntervalSince(EpochMillis.date($0.startedAt))))) },
            "duration": last.map { millis($0.durationMillis) },
            "summary": last.map { words.catalogue.text("health_poller_cycle_summary", language, format.number($0.devices), format.number($0.failed),
                                                       format.number($0.servers), format.number($0.serversDown)) },
            "linksPolled": words.catalogue.text("health_poller_links_polled", language, format.number(overview.linksPolledLastCycle), format.number(overview.linksPolled)),
            "devices": overview.devices.map { d -> View in
                let state: String = if d.answeredLastCycle {
                    words("health_device_answered")
                } else if d.lastAnswer != nil {
                    words("health_device_silent")
                } else {
                    words("health_device_never")
                }
                let failures = d.lastPoll?.failures ?? 0
                return view([
                    "name": d.device.name, "kind": d.device.kind.title(language), "agency": d.agencyName,
                    "address": d.device.managementAddress?.description, "state": state,
                    "badge": d.answeredLastCycle ? (d.lastPoll?.problem == nil ? "state-on_time" : "state-due_soon") : (d.lastAnswer == nil ? "state-untimed" : "state-late"),
                    "failures": failures > 1 ? words.catalogue.text("health_device_failures", language, format.number(failures)) : nil,
                    "problem": d.lastPoll?.problem.map { $0(language) },
                    "lastAnswer": d.lastAnswer.map { time.format($0, language) },
                    "walk": d.lastPoll?.durationMillis.map(millis),
                    "interfaces": d.interfacesKnown > 0 ? words.catalogue.text("health_interfaces_present", language, format.number(d.interfacesPresent), format.number(d.interfacesKnown)) : nil,
                    "links": d.links.map { ["circuit": $0.circuit, "href": Self.href($0.circuit), "state": $0.state.title(language), "badge": Self.badge($0.state)] as View },
                ])
            },
            "servers": overview.servers.map { s in Self.serverView(s, words: words, time: time) },
            "hasCycles": !overview.cycles.isEmpty,
            "cycles": overview.cycles.map { c -> View in
                [
                    "started": time.format(EpochMillis.date(c.startedAt), language), "duration": millis(c.durationMillis),
                    "devices": "\(format.number(c.devices)) (\(format.number(c.failed)))", "servers": "\(format.number(c.servers)) (\(format.number(c.serversDown)))",
                    "changes": format.number(c.changes),
                ]
            },
        ]), request: request, context: context)
    }

    /// A hosted server's last check, for the poller page, the hosting request's page and the agency's page.
    static func serverView(_ s: PollService.ServerHealth, words: Wording, time: OfficeTime) -> View {
        let language = words.language
        let (state, badge): (String, String) = switch s.check?.status {
        case .up?: (words("health_server_up"), "state-on_time")
        case .down?: (words("health_server_down"), "state-late")
        case .unchecked?: (words("health_server_unchecked"), "state-untimed")
        case nil: (words("health_server_never"), "state-untimed")
        }
        var outcome = s.check.map { $0.outcome(language) }
        if s.check?.status == .up, let micros = s.check?.roundTripMicros {
            outcome = words.catalogue.text("health_server_round_trip", language, Format(language).decimal(Double(micros) / 1000, places: 1))
        }
        return view([
            "name": s.device, "agency": s.agencyName, "href": s.ticketID.map { "/hosting/\($0)" }, "enrolled": s.enrolled,
            "state": state, "badge": badge, "outcome": outcome,
            "since": s.check.map { words.catalogue.text("health_server_since", language, time.format(EpochMillis.date($0.since), language)) },
        ])
    }
}
