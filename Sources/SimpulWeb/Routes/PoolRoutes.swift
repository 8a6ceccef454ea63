import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/pools`: every pool with its use, and `/pools/{name}`: its addresses, the next free one, and for
/// admins the forms to hold, assign and release.
struct PoolRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/pools", offPool: list)
        pages.get("/pools/:name", offPool: { request, context in try pool(request, context) })
        pages.post("/pools/:name/addresses", offPool: allocate)
        pages.post("/pools/:name/release", offPool: release)
    }

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let usage = Dictionary(try simpul.ipam.usage(by: principal).map { ($0.pool, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = try simpul.estate.pools(for: principal).map { item -> View in
            var row = EstateViews.pool(item, language)
            if let use = usage[item.pool.name] { row.merge(Self.usage(use, language)) { _, new in new } }
            return row
        }
        return renderer.page("pools", title: renderer.text("nav_pools", context), ["pools": rows], request: request, context: context)
    }

    static func usage(_ use: IPAMStore.Usage, _ language: Language) -> View {
        let format = Format(language)
        return [
            "assigned": format.number(use.assigned), "held": format.number(use.held),
            "free": format.count(use.free),
            "percent": format.percent(use.percentUsed),
            // The bar shows at least a sliver once anything is used.
            "width": use.assigned + use.held == 0 ? "0" : String(format: "%.2f", max(0.5, min(100, use.percentUsed))),
        ]
    }

    struct Draft {
        var owner = "", address = "", hostname = "", note = "", holdFor = "", state = "hold"
    }

    func pool(_ request: Request, _ context: WebContext, draft: Draft = Draft(), notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        var draft = draft
        if draft.holdFor.isEmpty { draft.holdFor = IPAMService.defaultHoldText(language) }
        let name = try context.parameters.require("name")
        guard let item = try simpul.estate.pools(for: principal).first(where: { $0.pool.name == name }) else { throw WebRefusal.notFound }
        let usage = try simpul.ipam.usage(pool: name, by: principal).first
        let next = try? simpul.ipam.next(pool: name, by: principal)
        let allocations = try simpul.ipam.list(pool: name, by: principal)
        let clock = renderer.clock(context)
        return renderer.page("pool", title: "\(renderer.text("pool_title", context)) \(name)", view([
            "pool": EstateViews.pool(item, language),
            "usage": usage.map { Self.usage($0, language) },
            "next": next?.description,
            "canAllocate": principal.can(.manageAddresses),
            "addresses": allocations.map { a -> View in
                view(["address": a.address.description, "state": a.state == .held ? renderer.text("ip_held", context) : renderer.text("ip_assigned", context),
                      "stateClass": "ip-\(a.state.rawValue)", "owner": OwnerReference(a.owner).title(language), "ownerTicket": OwnerReference(a.owner).ticket, "hostname": a.hostname, "note": a.note,
                      "until": clock.show(a.heldUntil), "since": clock.show(a.assignedAt ?? a.createdAt), "by": AuditWording.actor(a.assignedBy ?? a.createdBy)(language)])
            },
            "draft": ["owner": draft.owner, "address": draft.address, "hostname": draft.hostname, "note": draft.note, "holdFor": draft.holdFor],
            "assignChecked": draft.state == "assign",
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func allocate(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let name = try context.parameters.require("name")
        let form = context.form
        let draft = Draft(owner: form.text("owner"), address: form.text("address"), hostname: form.text("hostname"), note: form.text("note"),
                          holdFor: form.text("holdFor"), state: form.text("state") == "assign" ? "assign" : "hold")
        do {
            let allocationRequest = IPAMService.Request(pool: name, address: draft.address, owner: draft.owner, hostname: draft.hostname,
                                                        note: draft.note,
                                                        holdFor: try draft.holdFor.nilIfEmpty.map(IPAMService.holdDuration))
            let action: IPAMService.Action = draft.state == "assign" ? .assign : .hold
            let allocation = try simpul.ipam.allocate(allocationRequest, action, by: principal)
            let key = allocation.state == .held ? "ip_notice_held" : "ip_notice_assigned"
            return try pool(request, context, notice: renderer.catalogue.text(key, context.language, allocation.address.description, OwnerReference(allocation.owner).title(context.language)))
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try pool(request, context, draft: draft, error: refusal.text(context.language), status: refusal.status)
        }
    }

    /// Releases an address and removes its DNS records; the removal goes to the DNS server at once
    /// through the outbox (a failure stays there and is retried), as the zone page's changes do.
    func release(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let name = try context.parameters.require("name")
        let form = context.form
        let address = form.text("address"), note = form.text("note").nilIfEmpty
        guard Confirmation.confirmed(form) || !principal.can(.manageAddresses) else {
            return Confirmation(renderer: renderer).ask(
                request, context, question: renderer.catalogue.text("confirm_ip_release", context.language, address),
                consequences: [renderer.text("confirm_ip_release_dns", context)], action: "/pools/\(name)/release",
                confirmLabel: renderer.text("ip_release", context), cancel: "/pools/\(name)")
        }
        do {
            var result = try await Blocking.run { [simpul] in try simpul.ipam.release(address, pool: name, note: note, by: principal) }
            result.dns = await simpul.dnsRecords.published(result.dns)
            let released = result.allocation
            var notice = renderer.catalogue.text("ip_notice_released", context.language, released.address.description, OwnerReference(released.owner).title(context.language))
            if !result.dns.removed.isEmpty {
                notice += " " + renderer.catalogue.text("dns_notice_removed", context.language, result.dns.removed.map(\.description).joined(separator: "; "))
            }
            if let error = result.dns.pushError {
                return try pool(request, context, notice: notice, error: renderer.catalogue.text("dns_notice_waiting", context.language, error(context.language)),
                                status: .ok)
            }
            if result.dns.published && !result.dns.changes.isEmpty { notice += " " + renderer.text("dns_notice_confirmed", context) }
            return try pool(request, context, notice: notice)
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try pool(request, context, error: refusal.text(context.language), status: refusal.status)
        }
    }
}
