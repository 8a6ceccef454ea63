import Foundation
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore

/// `/hosting`: server hosting requests and hosted servers. An agency user files a request for its own
/// agency and records its monthly checks; the office runs the request's steps from its page, which
/// shows the technician's check (racks that fit, the address, the DNS name). The paper steps and the
/// timeline are on the ticket's page.
struct HostingRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/hosting", offPool: list)
        pages.get("/hosting/new", offPool: { request, context in try new(request, context) })
        pages.post("/hosting", offPool: file)
        pages.get("/hosting/:ticket", offPool: { request, context in try show(request, context) })
        pages.post("/hosting/:ticket/:action", offPool: act)
    }

    func list(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let clock = renderer.clock(context)
        let rows = try simpul.hosting.list(by: principal).map { r -> View in
            view(["ticket": String(r.ticketID), "agency": r.agency, "agencyName": r.agencyName, "hostname": r.form.hostname, "dns": r.form.dnsName,
                  "state": r.progress.title(language), "stateClass": "hosting-\(r.state.rawValue)", "step": r.step,
                  "stepTitle": r.stepTitle.map { $0(language) }, "address": r.address,
                  "rack": r.rack.map { "\($0) U\(r.rackPosition ?? 0)" }, "lastCheck": clock.show(r.lastCheckAt), "overdue": r.checkOverdue])
        }
        return renderer.page("hosting-list", title: renderer.text("nav_hosting", context),
                             ["requests": rows, "canFile": HostingService.Action.file.allowed(for: principal)],
                             request: request, context: context)
    }

    func new(_ request: Request, _ context: WebContext, draft: FormData = FormData(), error: String? = nil,
             status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        guard HostingService.Action.file.allowed(for: principal) else { throw WebRefusal.notFound }
        let agencies = principal.role == .agency ? [] : try simpul.estate.agencies(for: principal).map { a -> View in
            ["code": a.code, "name": a.name, "selected": draft.text("agency") == a.code]
        }
        let field = { (name: String, fallback: String) -> String in draft[name].map { _ in draft.text(name) } ?? fallback }
        return renderer.page("hosting-new", title: renderer.text("hosting_new", context), view([
            "agencies": agencies, "ownAgency": principal.agencyCode,
            "draft": ["letter": field("letter", ""), "letterDate": field("letterDate", ""), "signedBy": field("signedBy", ""),
                      "contact": field("contact", ""), "phone": field("phone", ""), "email": field("email", ""), "hostname": field("hostname", ""),
                      "dns": field("dns", ""), "height": field("height", "1"), "depth": field("depth", ""), "watts": field("watts", ""),
                      "ports": field("ports", "1"), "os": field("os", ""), "application": field("application", "")],
            "formFactors": HostingService.FormFactor.allCases.map {
                ["value": $0.rawValue, "label": renderer.text("hosting_form_\($0.rawValue)", context), "selected": draft.text("form") == $0.rawValue]
            },
            "publicChecked": draft.text("scope") == "public",
            "formError": error,
        ]), request: request, context: context, status: status)
    }

    func file(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let form = context.form
        let language = context.language
        func number(_ name: String, _ what: Text, _ range: ClosedRange<Int>) throws -> Int {
            guard let n = try form.integer(name, what, in: range) else {
                throw ServiceError(.invalid, Text(id: "\(what.id) harus diisi", en: "\(what.en) is required"))
            }
            return n
        }
        do {
            let filing = HostingService.Form(
                agency: form.text("agency").nilIfEmpty, letterNumber: form.text("letter"), letterDate: form.text("letterDate"),
                letterSignedBy: form.text("signedBy"), contactName: form.text("contact"), contactPhone: form.text("phone"), contactEmail: form.text("email"),
                hostname: form.text("hostname"), dnsName: form.text("dns"), formFactor: try HostingService.FormFactor.parse(form.text("form")),
                heightU: try number("height", Text(id: "tinggi (U)", en: "height (U)"), Bounds.serverHeightU),
                depthMM: try form.integer("depth", Text(id: "kedalaman (mm)", en: "depth (mm)"), in: Bounds.depthMM),
                powerWatts: try number("watts", Text(id: "daya (W)", en: "power (W)"), Bounds.powerWatts),
                networkPorts: try form.integer("ports", Text(id: "jumlah port jaringan", en: "network ports"), in: Bounds.networkPorts, default: 1),
                os: form.text("os"), application: form.text("application"), addressScope: try HostingService.addressScope(form.text("scope").nilIfEmpty ?? "private"))
            let filed = try await Blocking.run { [simpul] in try simpul.hosting.file(filing, by: principal) }
            return .seeOther("/hosting/\(filed.ticketID)")
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try new(request, context, draft: form, error: refusal.text(language), status: refusal.status)
        }
    }

    func show(_ request: Request, _ context: WebContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let principal = try context.requireSession().principal
        let language = context.language
        let id = try context.parameters.rowID("ticket")
        let r: HostingService.Request
        do { r = try simpul.hosting.request(ticket: id, by: principal) } catch let e as ServiceError where e.kind == .notFound { throw WebRefusal.notFound }
        let staff = principal.role != .agency
        let check = staff ? try simpul.hosting.check(ticket: id, by: principal) : nil
        let step = try simpul.tickets.detail(id, by: principal).currentStep
        let clock = renderer.clock(context)
        let format = Format(language)
        let racks = check?.racks.map { c -> View in
            ["rack": c.rack, "units": c.units, "position": String(c.position), "run": "\(c.runLength)U",
             "left": "\(c.unitsLeftInRun)U", "feedA": c.feedALeft.map(format.watts) ?? "–", "feedB": c.feedBLeft.map(format.watts) ?? "–"]
        } ?? []
        // The poller's last check of the server, once it is enrolled.
        let health = try r.device.flatMap { device in try simpul.polling.servers(by: principal)[device] }
            .map { LinkHealthRoutes.serverView($0, words: renderer.wording(context), time: simpul.officeTime()) }
        return renderer.page("hosting", title: "\(renderer.text("hosting_title", context)) #\(id) \(r.form.hostname)", view([
            "ticket": String(id), "agency": r.agency, "agencyName": r.agencyName, "state": r.progress.title(language), "step": r.step,
            "stepTitle": step.map { "\($0.title(language)) — \($0.actor.title(language))" },
            "form": view(["letter": r.form.letterNumber, "letterDate": r.form.letterDate, "signedBy": r.form.letterSignedBy, "contact": r.form.contactName,
                     "phone": r.form.contactPhone, "email": r.form.contactEmail, "hostname": r.form.hostname, "dns": r.form.dnsName,
                     "formFactor": renderer.text("hosting_form_\(r.form.formFactor.rawValue)", context), "height": String(r.form.heightU), "depth": r.form.depthMM.map(String.init),
                     "watts": HostingService.perFeed(r.form.powerWatts, format), "ports": String(r.form.networkPorts), "os": r.form.os, "application": r.form.application,
                          "scope": renderer.text(r.form.addressScope == .public ? "hosting_public" : "hosting_private", context)]),
            "address": r.address, "addressState": r.addressState.map { renderer.text($0 == "held" ? "ip_held" : "ip_assigned", context) }, "pool": r.pool, "device": r.device,
            "rack": r.rack.map { "\($0) U\(r.rackPosition ?? 0)" }, "monitored": r.monitored, "health": health,
            "lastCheck": clock.show(r.lastCheckAt), "lastCheckBy": r.lastCheckBy.map { AuditWording.actor($0)(language) }, "overdue": r.checkOverdue,
            "lastError": r.lastError.map { $0(language) },
            "check": check.map { c -> View in
                view(["racks": racks, "noRoom": c.racks.isEmpty ? RackFitProblem.noRoom(heightU: r.form.heightU, watts: r.form.powerWatts).text(language) : nil,
                      "addressNote": c.addressNote(language), "dnsStatus": c.dnsNote(language), "dnsFree": c.dnsName.isFree])
            },
            "canAllocate": HostingService.Action.allocate.available(for: principal, on: r),
            "canInstall": HostingService.Action.install.available(for: principal, on: r),
            "canMonitor": HostingService.Action.monitor.available(for: principal, on: r),
            "canCheckIn": HostingService.Action.checkIn.available(for: principal, on: r),
            "canDecommission": HostingService.Action.decommission.available(for: principal, on: r),
            "bestRack": check?.racks.first?.rack, "bestPosition": check?.racks.first.map { String($0.position) },
            "notice": notice, "formError": error,
        ]), request: request, context: context, status: status)
    }

    func act(_ request: Request, _ context: WebContext) async throws -> Response {
        let principal = try context.requireSession().principal
        let id = try context.parameters.rowID("ticket")
        let action = try context.parameters.require("action")
        let form = context.form
        let language = context.language
        do {
            let notice: Text
            switch action {
            case "allocate":
                let dns = try await Blocking.run { [simpul] in try simpul.hosting.allocate(ticket: id, by: principal) }
                let delivered = await simpul.dnsRecords.published(dns)
                let r = try await Blocking.run { [simpul] in try simpul.hosting.finishAllocation(ticket: id, dns: delivered, by: principal) }
                notice = Text(id: "alamat \(r.address ?? "") diberikan; \(r.form.dnsName) terbit di DNS dan terkonfirmasi",
                              en: "address \(r.address ?? "") assigned; \(r.form.dnsName) published in DNS and confirmed")
            case "install":
                guard let photo = context.files.first(where: { $0.name == "photo" }) else {
                    throw ServiceError(.invalid, Text(id: "unggah foto server yang terpasang", en: "upload a photo of the installed server"))
                }
                guard let position = try form.integer("position", Text(id: "posisi U", en: "the U position"), in: Bounds.rackUnit) else {
                    throw ServiceError(.invalid, Text(id: "isi posisi U terbawah", en: "give the lowest U position"))
                }
                let rack = form.text("rack"), report = form.text("report")
                let file = (fileName: photo.fileName ?? "foto.jpg", contentType: photo.contentType ?? "image/jpeg", data: Data(photo.data))
                let r = try await Blocking.run { [simpul] in
                    try simpul.hosting.install(ticket: id, rack: rack, position: position, photo: file, report: report, by: principal)
                }
                notice = Text(id: "server terpasang di \(r.rack ?? "") U\(r.rackPosition ?? 0)", en: "server installed in \(r.rack ?? "") U\(r.rackPosition ?? 0)")
            case "monitor":
                let probe: HostingService.Probe = try form.integer("port", Text(id: "port TCP", en: "TCP port"), in: Bounds.port).map { .tcp(port: $0) } ?? .icmp
                _ = try await Blocking.run { [simpul] in try simpul.hosting.enroll(ticket: id, probe: probe, by: principal) }
                notice = Text(id: "server masuk pemantauan", en: "server enrolled for monitoring")
            case "check":
                let note = form.text("note")
                try await Blocking.run { [simpul] in try simpul.hosting.recordCheck(ticket: id, note: note, by: principal) }
                notice = Text(id: "cek bulanan dicatat", en: "monthly check recorded")
            case "decommission":
                let reason = form.text("reason")
                let outcome = await simpul.dnsRecords.published(try await Blocking.run { [simpul] in try simpul.hosting.decommission(ticket: id, reason: reason, by: principal) })
                if let error = outcome.pushError {
                    return try show(request, context, notice: Text(id: "server dibongkar", en: "server decommissioned")(language), error: error(language))
                }
                notice = Text(id: "server dibongkar: alamat, DNS, rak dan pemantauan dilepas", en: "server decommissioned: address, DNS, rack and monitoring released")
            default:
                throw WebRefusal.notFound
            }
            return try show(request, context, notice: notice(language))
        } catch let error as ServiceError where error.kind != .forbidden {
            let refusal = Refusal(error)
            return try show(request, context, error: refusal.text(language), status: refusal.status)
        }
    }
}
