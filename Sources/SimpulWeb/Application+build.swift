import Foundation
import Hummingbird
import Logging
import NIOPosix
import SimpulServices

/// The web server `simpul serve` runs: the router below on `configuration.host:port`.
/// The application's blocking threads start here and stop with it, after the server.
public func buildApplication(simpul: Simpul, configuration: WebConfiguration) async throws -> some ApplicationProtocol {
    let threads = BlockingThreads(count: configuration.blockingThreads)
    let router: Router<WebContext>
    do {
        router = try await buildRouter(simpul: simpul, configuration: configuration, threads: threads)
    } catch {
        try? await threads.stop()
        throw error
    }
    var logger = Logger(label: "simpul.web")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: [threads],
        eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.ioThreads))),
        logger: logger
    )
}

/// Every route of the web shell, for `buildApplication` and for tests without a socket. The
/// caller runs `threads` (a `Service`) with the application, which stops them.
///
/// Middleware runs outside in: the request's blocking threads (and the thread check) → security
/// headers on every answer → the session from the cookie → refusals turned into pages or JSON →
/// per group: sign-in and the CSRF check, or API auth.
public func buildRouter(simpul: Simpul, configuration: WebConfiguration, threads: BlockingThreads) async throws -> Router<WebContext> {
    let renderer = try await Renderer(simpul: simpul, configuration: configuration)
    let router = Router(context: WebContext.self)
    router.add(middleware: BlockingMiddleware(threads: threads, check: configuration.threadCheck))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: SessionMiddleware(simpul: simpul))
    router.add(middleware: ErrorPageMiddleware(renderer: renderer))

    try PublicRoutes(simpul: simpul).register(on: router)
    let session = SessionRoutes(simpul: simpul, renderer: renderer)
    session.registerPublic(on: router)
    APIRoutes(simpul: simpul).register(on: router)
    MetricsRoutes(simpul: simpul).register(on: router)

    let pages = router.group()
        .add(middleware: RequireSessionMiddleware())
        .add(middleware: CSRFMiddleware())
    session.register(on: pages)
    DashboardRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    WorkRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    TicketRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    PlaybookRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    ComplianceRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    FaultReportRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    EstateRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    LinkHealthRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    PoolRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    ZoneRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    OutboxRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    HostingRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    LANRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    UpkeepRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    SurveyRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    FaultRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    PartRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    TemplateRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    UserRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    AccountRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    AuditRoutes(simpul: simpul, renderer: renderer).register(on: pages)
    return router
}
