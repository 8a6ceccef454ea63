import Foundation
import HTTPTypes
import Hummingbird
import SimpulCore
import SimpulServices
import SimpulStore
@testable import SimpulWeb
import Testing

/// No database work on Swift's cooperative threads: with the check on (as in every web test and in
/// `simpul serve`), a request's database access from a thread `Blocking` did not mark is refused.
@Suite("Blocking threads and the thread check")
struct ThreadCheckTests {
    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func pagesFormsAndTheAPIAnswerWithTheCheckOn() async throws {
        let fixture = try WebFixture()
        #expect(WebFixture.configuration().threadCheck)
        let (_, secret) = try fixture.simpul.accounts.createToken(username: "admin1", name: "uji", by: try fixture.principal("admin1"))
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            #expect(try await browser.get("/pools", cookies: admin.cookies).status == .ok)
            #expect(try await browser.get("/tickets", cookies: admin.cookies).status == .ok)
            let switched = try await browser.post("/lang", cookies: admin.cookies, form: [("_csrf", admin.csrf), ("to", "en"), ("back", "/")])
            #expect(switched.status == .seeOther)
            let pools = try await browser.get("/api/v1/pools", headers: bearer(secret))
            #expect(pools.status == .ok)
            #expect(pools.body.contains(#""name":"dc-server""#))
            #expect(try await browser.get("/api/v1/tickets", headers: bearer(secret)).status == .ok)
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    @Test func aRouteThatForgetsTheBlockingThreadsFailsWithA500() async throws {
        let fixture = try WebFixture()
        let (simpul, cli) = (fixture.simpul, fixture.cli)
        let app = try await fixture.application { threads in
            let router = try await buildRouter(simpul: simpul, configuration: WebFixture.configuration(), threads: threads)
            router.get("/test/forgot") { _, _ -> String in "\(try simpul.estate.agencies(for: cli).count)" }
            router.get("/test/forgot-response") { _, _ in Response.html("\(try simpul.estate.agencies(for: cli).count)") }
            router.get("/test/off-pool", offPool: { _, _ in .html("\(try simpul.estate.agencies(for: cli).count)") })
            router.get("/test/run") { _, _ -> String in "\(try await Blocking.run { try simpul.estate.agencies(for: cli).count })" }
            return router
        }
        try await app.test(.router) { client in
            let browser = Browser(client: client)
            let forgot = try await browser.get("/test/forgot")
            #expect(forgot.status == .internalServerError)
            // A trailing closure is Hummingbird's own registration, even when it returns a Response: only `offPool:` moves it.
            #expect(try await browser.get("/test/forgot-response").status == .internalServerError)
            let offPool = try await browser.get("/test/off-pool")
            #expect(offPool.status == .ok && Int(offPool.body) ?? 0 > 20)
            let run = try await browser.get("/test/run")
            #expect(run.status == .ok && run.body == offPool.body)
        }
    }

    @Test func withTheCheckOffNothingIsRefused() async throws {
        let fixture = try WebFixture()
        let (simpul, cli) = (fixture.simpul, fixture.cli)
        let app = try await fixture.application { threads in
            var configuration = WebFixture.configuration()
            configuration.threadCheck = false
            let router = try await buildRouter(simpul: simpul, configuration: configuration, threads: threads)
            router.get("/test/forgot") { _, _ -> String in "\(try simpul.estate.agencies(for: cli).count)" }
            return router
        }
        try await app.test(.router) { client in
            let page = try await Browser(client: client).get("/test/forgot")
            #expect(page.status == .ok)
        }
    }

    @Test func anUnmarkedAccessThrowsAndAMarkedOneDoesNot() async throws {
        let fixture = try WebFixture()
        let (simpul, cli) = (fixture.simpul, fixture.cli)
        let threads = BlockingThreads(count: 2)
        try await Blocking.$threads.withValue(threads) {
            try await AppDatabase.$threadCheck.withValue(Blocking.threadCheck) {
                #expect(throws: Blocking.UnmarkedThread.self) { try simpul.estate.agencies(for: cli) }
                #expect(throws: Blocking.UnmarkedThread.self) { try simpul.sessions.destroy(token: "none") }
                #expect(try await Blocking.serve { try simpul.estate.agencies(for: cli).count } > 20)
                // The check travels with the request's task; a `Blocking.run` closure runs marked, outside it.
                let counted = try await Blocking.run {
                    try AppDatabase.$threadCheck.withValue(Blocking.threadCheck) { try simpul.estate.agencies(for: cli).count }
                }
                #expect(counted > 20)
                let hashed = try await Blocking.hashing {
                    try AppDatabase.$threadCheck.withValue(Blocking.threadCheck) { try simpul.estate.agencies(for: cli).count }
                }
                #expect(hashed == counted)
            }
        }
        try await threads.stop()
        // Without the check (the CLI), the same access is allowed.
        #expect(try simpul.estate.agencies(for: cli).count > 20)
    }

    /// Many requests on few blocking threads, each doing a blocking read (holding its thread while it
    /// waits for a reader connection) and an awaited one (the delivery worker's kind): every one ends.
    /// When the awaited read held its reader until its task resumed on those same threads, 32 hosting
    /// cancels under load deadlocked `simpul serve` (bench section i).
    @Test(.timeLimit(.minutes(1))) func awaitedReadsNeverWaitForTheThreadsThatWaitForThem() async throws {
        // A file, as `simpul serve` has: a pool of reader connections (an in-memory database has one queue).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-readers-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        let threads = BlockingThreads(count: 2)
        defer { Task { try? await threads.stop() } }
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask(executorPreference: threads) {
                    let blocking = try Blocking.marked { try database.read { r in try EstateStore.agencies(r, only: nil).count } }
                    let awaited = try await database.read { r in try EstateStore.agencies(r, only: nil).count }
                    return blocking + awaited
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.count == 64 && Set(counts) == [0], "every request ended, each read answering")
    }
}
