import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// `/zones/{name}`: a zone's records, its SOA serial, its recent change sets with how their push
/// went, and deliveries in trouble; for admins, the forms to add a record and to remove one. Each
/// form is one `DNSService` change: written in one transaction with its outbox rows, then delivered
/// to the zone's server at once and confirmed.
struct ZoneRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/zones/:name", offPool: { request, context in try zone(request, context) })
        pages.post("/zones/:name/records", offPool: add)
        pages.post("/zones/:name/remove", offPool: remove)
    }

    struct Draft {
        var name = "", type = "A", data = "", ttl = "", owner = ""
    }

    func zone(_ request: Request, _ context: WebContext, draft: Draft = Draft(), notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let report: DNSService.ZoneReport
        do { report = try simpul.dnsRecords.zone(try context.parameters.require("name"), by: principal) } catch let e as ServiceError where e.kind != .forbidden {
            throw WebRefusal.notFound
        }
        let clock = renderer.clock(context)
        let zoneName = report.zone.name.description
        return renderer.page("zone", title: "\(renderer.text("nav_zones", context)): \(zoneName)", view([
            "name": zoneName, "zoneName": zoneName, "serial": report.serial == 0 ? Text(id: "belum ditetapkan", en: "not set yet")(language) : String(report.serial), "server": report.zone.server,
            "defaultTTL": String(report.zone.defaultTTL),
            "canEdit": principal.can(.manageDNS),
            "records": report.records.map { r -> View in
                view(["name": r.record.name.description, "ttl": String(r.record.ttl), "type": r.record.type.rawValue, "data": ZoneFile.data(r.record),
                      "rawData": r.record.data, "owner": r.owner.map { OwnerReference($0).title(language) }, "ownerTicket": r.owner.flatMap { OwnerReference($0).ticket }])
            },
            "changes": report.changes.map { c -> View in
                view(["id": String(c.id), "serial": String(c.serial), "state": c.state.rawValue, "stateClass": "dns-\(c.state.rawValue)",
                      "stateText": renderer.text("dns_state_\(c.state.rawValue)", context),
                      "at": clock.show(c.requestedAt), "by": AuditWording.actor(c.requestedBy)(language), "adds": String(c.adds.count), "deletes": String(c.deletes.count),
                      "error": c.state == .pushed ? nil : c.lastError.map { $0(language) }])
            },
            "hasChanges": !report.changes.isEmpty,
            "deliveries": DeliveryViews.troubled(report.troubled, clock: clock, language: language),
            "types": RecordType.allCases.map { type -> View in ["type": type.rawValue, "selected": type.rawValue == draft.type] },
            "draft": ["name": draft.name, "data": draft.data, "ttl": draft.ttl, "owner": draft.owner],
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func add(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let zoneName = try context.parameters.require("name")
        let form = context.form
        let draft = Draft(name: form.text("name"), type: form.text("type").uppercased(), data: form.text("data"), ttl: form.text("ttl"),
                          owner: form.text("owner"))
        return try await change(request, context, draft: draft) { [simpul] in
            let record = try simpul.dnsRecords.record(name: draft.name, type: draft.type, data: draft.data, ttl: DNSService.ttl(draft.ttl), in: zoneName)
            return try simpul.dnsRecords.add([record], owner: draft.owner.nilIfEmpty, by: principal)
        }
    }

    func remove(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let name = form.text("name"), type = form.text("type"), data = form.text("data")
        let zoneName = try context.parameters.require("name")
        guard Confirmation.confirmed(form) || !principal.can(.manageDNS) else {
            let language = context.language
            return Confirmation(renderer: renderer).ask(
                request, context, question: renderer.catalogue.text("confirm_dns_remove", language, "\(name) \(type) \(data)"),
                consequences: [renderer.text("confirm_dns_remove_live", context)], action: "/zones/\(zoneName)/remove",
                confirmLabel: renderer.text("zone_remove", context), cancel: "/zones/\(zoneName)")
        }
        return try await change(request, context, draft: Draft()) { [simpul] in
            try simpul.dnsRecords.remove(name: name, type: DNSService.recordType(type), data: data, by: principal)
        }
    }

    /// Runs one change and shows the zone again with what happened: the records added or removed,
    /// and the server's answer when the push did not go through (the change is kept and waits).
    private func change(_ request: Request, _ context: WebContext, draft: Draft,
                        _ work: @escaping @Sendable () throws -> DNSService.Outcome) async throws -> Response {
        let language = context.language
        do {
            // The change commits off the request threads; its change sets then go to the server at
            // once through the outbox (a failure stays in the outbox and is retried).
            let outcome = await simpul.dnsRecords.published(try await Blocking.run(work))
            var notice = [String]()
            if !outcome.added.isEmpty {
                notice.append(renderer.catalogue.text("dns_notice_added", language, outcome.added.map(\.description).joined(separator: "; ")))
            }
            if !outcome.removed.isEmpty {
                notice.append(renderer.catalogue.text("dns_notice_removed", language, outcome.removed.map(\.description).joined(separator: "; ")))
            }
            if outcome.published && !outcome.changes.isEmpty { notice.append(renderer.text("dns_notice_confirmed", context)) }
            let error = outcome.pushError.map { renderer.catalogue.text("dns_notice_waiting", language, $0(language)) }
            return try zone(request, context, notice: notice.joined(separator: " "), error: error)
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try zone(request, context, draft: draft, error: refusal.text(language), status: refusal.status)
        }
    }
}
