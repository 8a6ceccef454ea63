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
            "moreLowParts": lowParts.count > Self.lowPartsShown ? format.number(lowParts.count - Self.lowPartsShown) : nil,
            "showAudit": principal.can(.viewAudit),
            "audit": board.recentAudit.map { AuditViews.entry($0, clock: clock, detail: false) },
        ]), request: request, context: context)
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
