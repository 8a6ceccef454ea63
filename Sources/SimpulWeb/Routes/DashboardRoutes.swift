import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/`: the estate at a glance for the signed-in role.
struct DashboardRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/", offPool: dashboard)
    }

    func dashboard(_ request: Request, _ context: WebContext) throws -> Response {
        let session = try context.requireSession()
        let principal = session.principal
        let language = context.language
        let board = try simpul.estate.dashboard(for: principal)
        let clock = renderer.clock(context)
        let format = Format(language)
        func count(_ key: String, _ value: Int, _ href: String) -> View {
            ["label": renderer.text("nav_\(key)", context), "value": format.number(value), "href": href]
        }
        var counts = [count("agencies", board.agencies, "/agencies"), count("links", board.links, "/links"),
                      count("devices", board.devices, "/devices")]
        if principal.can(.viewEstate) {
            counts.insert(count("providers", board.providers, "/providers"), at: 1)
            counts += [count("pools", board.pools, "/pools"), count("zones", board.zones, "/zones"),
                       count("racks", board.racks, "/racks")]
        }
        if principal.can(.manageUsers) { counts.append(count("users", board.users, "/users")) }
        // Tickets first: open and late, each one counting query (`total` of a one-row page, counted
        // further than a list page counts: the dashboard is the place for the office's totals).
        var late = TicketStore.Filter()
        late.lateness = .late
        late.limit = 1
        late.countAhead = Self.countUpTo
        var active = late
        active.lateness = nil
        counts.insert(contentsOf: [
            ["label": renderer.text("tickets_open_count", context), "value": Self.count(try simpul.tickets.list(active, by: principal), language),
             "href": "/tickets"],
            ["label": renderer.text("tickets_late_count", context), "value": Self.count(try simpul.tickets.list(late, by: principal), language),
             "href": "/tickets?lateness=late"],
        ], at: 0)
        let maxLinks = Double(board.linksByProvider.map(\.links).max() ?? 0)
        let maxKind = Double(board.agenciesByKind.map(\.count).max() ?? 0)
        // Spare parts below their minimum level: a small card, only when there are any.
        let lowParts = principal.can(.viewEstate) ? try simpul.parts.lowStock(by: principal) : []
        // LAN upkeep (issue 15): how many agencies are behind; nothing when the lan-upkeep playbook is not loaded.
        let upkeepBehind = principal.can(.viewEstate) ? (try? simpul.upkeep.board(by: principal))?.behind : nil
        let heading = board.district.map { district in district.office.map { "\($0) · \(district.name)" } ?? district.name }
        return renderer.page("dashboard", title: renderer.text("nav_dashboard", context), view([
            "heading": heading ?? "Simpul",
            "counts": counts,
            "down": format.mbps(board.committedDownMbps),
            "up": format.mbps(board.committedUpMbps),
            "providers": board.linksByProvider.map { share in
                view(["code": share.code, "name": share.name, "links": share.links, "down": format.mbps(share.downMbps),
                      "width": Self.barWidth(Double(share.links), of: maxLinks), "canOpen": principal.can(.viewEstate)])
            },
            "kinds": board.agenciesByKind.map { kind in
                view(["kind": renderer.wording(context).kind(kind.kind), "count": kind.count, "width": Self.barWidth(Double(kind.count), of: maxKind)])
            },
            "lowParts": lowParts.prefix(Self.lowPartsShown).map { p -> View in
                ["code": p.code, "name": p.name, "stock": p.amount(p.quantity, format), "minimum": p.amount(p.minimum, format)]
            },
            "hasLowParts": !lowParts.isEmpty,
            "upkeepBehind": upkeepBehind.map { renderer.catalogue.text("dashboard_upkeep_behind", language, format.number($0)) },
            "moreLowParts": lowParts.count > Self.lowPartsShown ? format.number(lowParts.count - Self.lowPartsShown) : nil,
            "map": try networkMap(board: board, principal: principal, context: context),
            "showAudit": principal.can(.viewAudit),
            "audit": board.recentAudit.map { AuditViews.entry($0, clock: clock, detail: false) },
        ]), request: request, context: context)
    }

    /// The district's network as the poller last saw it (`NetworkMap`), with a line naming the agencies
    /// that are cut off (every link of theirs down) or flapping; nil when this server has no link-health
    /// file. Before the first poll it is drawn all unknown and says there is no data yet.
    func networkMap(board: EstateService.Dashboard, principal: Principal, context: WebContext) throws -> View? {
        guard simpul.polling.isConfigured else { return nil }
        let words = renderer.wording(context)
        let rows = try simpul.polling.linkHealth(by: principal)
        var byProvider: [String: NetworkMap.Provider] = [:]
        for row in rows {
            byProvider[row.link.link.provider, default: NetworkMap.Provider(name: row.link.providerName, links: [])].links.append(
                NetworkMap.Link(agencyName: row.link.agencyName, state: row.status.state, since: row.status.since,
                                polled: row.status.polledAt != nil, href: LinkHealthRoutes.href(row.link.link.circuit)))
        }
        let providers = byProvider.values.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        let linked = Set(rows.map(\.link.link.agency))
        let unlinked = try simpul.estate.agencies(for: principal).filter { !linked.contains($0.code) }.map(\.name)
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let map = NetworkMap(district: board.district?.name ?? "Simpul", providers: providers, unlinked: unlinked, words: words, now: simpul.now())
        var data = map.data
        let language = words.language
        let format = Format(language)
        if rows.isEmpty || !rows.contains(where: { $0.status.polledAt != nil }) {
            data["noData"] = words("map_no_data")
        } else {
            let states = Dictionary(grouping: rows, by: \.link.agencyName).mapValues { $0.map(\.status.state) }
            let cutOff = states.filter { $0.value.allSatisfy { $0 == .down } }.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            let flapping = states.filter { $0.value.contains(.flapping) && !$0.value.allSatisfy { $0 == .down } }.keys
                .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            data["cutOff"] = cutOff.isEmpty ? nil : words.catalogue.text("map_cut_off", language, cutOff.joined(separator: ", "))
            data["flapping"] = flapping.isEmpty ? nil : words.catalogue.text("map_flapping", language, flapping.joined(separator: ", "))
            data["noneCutOff"] = cutOff.isEmpty ? words("map_none_cut_off") : nil
        }
        return data
    }

    static let countUpTo = 10_000
    /// Parts below their minimum named on the dashboard; the rest are counted, on /parts?low=1.
    static let lowPartsShown = 8

    /// A count from the list, "10.000+" past `countUpTo`.
    static func count(_ page: TicketStore.Page, _ language: Language) -> String {
        Format(language).number(page.total) + (page.totalIsLowerBound ? "+" : "")
    }

    /// Width of a bar, 0–100, for a value against the largest one.
    static func barWidth(_ value: Double, of maximum: Double) -> Int {
        guard maximum > 0 else { return 0 }
        return max(0, min(100, Int((value / maximum * 100).rounded())))
    }
}
