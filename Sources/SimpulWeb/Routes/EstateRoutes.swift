import Hummingbird
import SimpulCore
import SimpulServices

/// The estate's listings and detail pages. Each asks `EstateService`, which decides what the
/// role may see (an agency user: only their own agency; others: everything or a 403).
struct EstateRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/agencies", offPool: agencies)
        pages.get("/agencies/:code", offPool: agency)
        pages.get("/providers", offPool: providers)
        pages.get("/providers/:code", offPool: provider)
        pages.get("/links", offPool: links)
        pages.get("/devices", offPool: devices)
        pages.get("/zones", offPool: zones)
        pages.get("/racks", offPool: racks)
    }

    func agencies(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let rows = try simpul.estate.agencies(for: principal).map { EstateViews.agency($0, renderer.wording(context)) }
        return renderer.page("agencies", title: renderer.text("nav_agencies", context), ["agencies": rows],
                             request: request, context: context)
    }

    func agency(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let detail = try simpul.estate.agency(try context.parameters.require("code"), for: principal)
        let a = detail.agency
        let clock = renderer.clock(context)
        // Hosted servers and the SOP's monthly check: the last one, and a flag when it is overdue.
        // …and the poller's last check of each.
        let checks = try simpul.polling.servers(by: principal)
        let words = renderer.wording(context)
        let hosted = try simpul.hosting.list(agency: a.code, state: .placed, by: principal).map { r -> View in
            view(["ticket": String(r.ticketID), "hostname": r.form.hostname, "dns": r.form.dnsName, "address": r.address,
                  "rack": r.rack.map { "\($0) U\(r.rackPosition ?? 0)" }, "lastCheck": clock.show(r.lastCheckAt), "overdue": r.checkOverdue,
                  "health": r.device.flatMap { checks[$0] }.map { LinkHealthRoutes.serverView($0, words: words, time: simpul.officeTime()) }])
        }
        return renderer.page("agency", title: a.name, view([
            "hosted": hosted, "hasHosted": !hosted.isEmpty,
            "detail": view(["code": a.code, "name": a.name, "kind": renderer.wording(context).kind(a.kind), "address": a.address,
                            "contact": EstateViews.contact(a.contact)]),
            "links": detail.links.map { EstateViews.link($0, context.language) },
            "devices": detail.devices.map { EstateViews.device($0, context.language) },
            "canSeeProviders": principal.can(.viewEstate),
        ]), request: request, context: context)
    }

    func providers(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let rows = try simpul.estate.providers(for: principal).map { EstateViews.provider($0, context.language) }
        return renderer.page("providers", title: renderer.text("nav_providers", context), ["providers": rows],
                             request: request, context: context)
    }

    func provider(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let (provider, links) = try simpul.estate.provider(try context.parameters.require("code"), for: principal)
        return renderer.page("provider", title: provider.provider.name, [
            "provider": EstateViews.provider(provider, context.language),
            "links": links.map { EstateViews.link($0, context.language) },
            "canSeeProviders": true,
        ], request: request, context: context)
    }

    func links(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let query = FormData(encoded: request.uri.query)
        let rows = try simpul.estate.links(for: principal, agency: query.text("agency").nilIfEmpty, provider: query.text("provider").nilIfEmpty)
        return renderer.page("links", title: renderer.text("nav_links", context), [
            "links": rows.map { EstateViews.link($0, context.language) },
            "canSeeProviders": principal.can(.viewEstate),
        ], request: request, context: context)
    }

    func devices(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let rows = try simpul.estate.devices(for: principal).map { EstateViews.device($0, context.language) }
        return renderer.page("devices", title: renderer.text("nav_devices", context), ["devices": rows],
                             request: request, context: context)
    }

    func zones(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let rows = try simpul.estate.zones(for: principal).map { EstateViews.zone($0, context.language) }
        return renderer.page("zones", title: renderer.text("nav_zones", context), ["zones": rows],
                             request: request, context: context)
    }

    func racks(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let rows = try simpul.estate.racks(for: principal).map { EstateViews.rack($0, context.language) }
        return renderer.page("racks", title: renderer.text("nav_racks", context), ["racks": rows],
                             request: request, context: context)
    }
}
