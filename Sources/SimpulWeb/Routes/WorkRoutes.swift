import Hummingbird
import SimpulCore
import SimpulServices

/// `/work` (*Pekerjaan saya*): what waits for the signed-in user — tickets assigned to them,
/// unassigned tickets whose current step their role does, and notifications for their role.
/// Ordered as `TicketService.queueOrder` says: urgent first, then what can still be done in time,
/// then what is already late; a technician's and a section head's page also lists tickets waiting
/// on a provider, which nobody else's queue holds.
struct WorkRoutes: Sendable {
    let simpul: Simpul
    let renderer: Renderer

    func register(on pages: RouterGroup<WebContext>) {
        pages.get("/work", offPool: work)
        pages.post("/work/notifications/read", offPool: { _, context in
            try simpul.tickets.markNotificationsRead(by: try context.requireSession().principal)
            return .seeOther("/work")
        })
    }

    func work(_ request: Request, _ context: WebContext) throws -> Response {
        let principal = try context.requireSession().principal
        let words = renderer.wording(context)
        let clock = renderer.clock(context)
        let now = simpul.now()
        let work = try simpul.tickets.work(by: principal)
        let playbooks = try simpul.tickets.playbooks()
        return renderer.page("work", title: words("nav_work"), view([
            "assigned": TicketViews.table(work.assigned, playbooks: playbooks, now: now, clock: clock, words: words).string,
            "forRole": TicketViews.table(work.forRole, playbooks: playbooks, now: now, clock: clock, words: words).string,
            "waitingOnProvider": TicketViews.table(work.waitingOnProvider, playbooks: playbooks, now: now, clock: clock, words: words).string,
            "showProvider": principal.role == .technician || principal.role == .supervisor,
            "notifications": work.notifications.map { TicketViews.outbox($0, clock: clock, words: words) },
            "unread": work.unreadNotifications > 0 ? Format(context.language).number(work.unreadNotifications) : nil,
            "role": principal.role.title(context.language),
            "showAssigned": principal.role != .agency,
        ]), request: request, context: context)
    }
}
