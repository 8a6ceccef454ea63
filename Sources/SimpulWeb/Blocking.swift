import Dispatch
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import ServiceLifecycle
import SimpulStore

/// The web server's own threads for work that blocks: SQLite reads and writes, DNS pushes. None of
/// it may run on Swift's cooperative threads (two on the office's server): one slow query there
/// stalls every other request. bcrypt has a queue of its own (`Blocking.hashing`).
///
/// Started when made, by `buildApplication`; a `Service` of the application, listed before the
/// server, so it stops after the server has answered its last request.
public final class BlockingThreads: Service, Sendable {
    let pool: NIOThreadPool

    /// SQLite mostly waits (for the disk, for the one writer), so twice the cores and at least four.
    public static var defaultCount: Int { max(4, 2 * System.coreCount) }

    public init(count: Int = BlockingThreads.defaultCount) {
        pool = NIOThreadPool(numberOfThreads: max(1, count))
        pool.start()
    }

    /// Waits for the application to shut down (or be cancelled), then stops the threads.
    public func run() async throws {
        try? await gracefulShutdown()
        try await stop()
    }

    /// Stops the threads (work already running finishes, work still queued is cancelled): for threads that
    /// never ran as a service.
    public func stop() async throws {
        try await pool.shutdownGracefully()
    }
}

/// The blocking threads as an executor: a request's whole handler runs on them (`Blocking.serve`).
@available(macOS 15.0, *)
extension BlockingThreads: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { state in
            switch state {
            case .active:
                Blocking.marked { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
            case .cancelled:
                // The threads are stopping; the job must still run, where jobs run by default.
                globalConcurrentExecutor.enqueue(ExecutorJob(job))
            }
        }
    }
}

/// Runs blocking work off Swift's cooperative threads, and marks the threads it runs on: with
/// `WebConfiguration.threadCheck` on, the database refuses any work a request does on a thread
/// not marked so (`AppDatabase.threadCheck`), and the test of that route fails with a 500.
///
/// A route that reads or writes the database is registered with `offPool:` (`RouterMethods+OffPool.swift`);
/// a middleware wraps its service call in `Blocking.run`.
enum Blocking {
    /// The blocking threads of the application serving this request (bound by `BlockingMiddleware`).
    @TaskLocal static var threads: BlockingThreads?

    /// `work` on the blocking threads; outside a request, on NIO's shared pool (also marked).
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await (threads?.pool ?? NIOThreadPool.singleton).runIfActive { try marked(work) }
    }

    /// `body`, a whole route handler, on the blocking threads: a child task that prefers them as its
    /// executor, so every synchronous stretch of it runs there. (A preference set on the request's
    /// own task would not move the code before its first suspension: a handler that never suspends
    /// would stay on Swift's threads.)
    static func serve<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if #available(macOS 15.0, *), let threads {
            return try await withThrowingTaskGroup(of: T.self) { group in
                group.addTask(executorPreference: threads, operation: body)
                return try await group.next()!
            }
        }
        return try await body()
    }

    /// Password hashing (bcrypt: a quarter of a second of CPU each) on a queue that uses at most
    /// all cores but one, so that however many people sign in or change passwords at once, a core
    /// is left to answer every other request.
    static func hashing<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            hashQueue.addOperation { continuation.resume(with: Result { try marked(work) }) }
        }
    }

    private static let hashQueue: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "simpul.bcrypt"
        queue.maxConcurrentOperationCount = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        queue.qualityOfService = .userInitiated
        return queue
    }()

    // MARK: The mark

    private final class Mark: Sendable {}
    private static let mark = Mark()
    private static let threadMark = ThreadSpecificVariable<Mark>()

    /// Whether this thread is running work of `run`, `serve` or `hashing` now.
    static var isMarked: Bool { threadMark.currentValue != nil }

    /// `body` with this thread marked as one where blocking work belongs.
    static func marked<T>(_ body: () throws -> T) rethrows -> T {
        let previous = threadMark.currentValue
        threadMark.currentValue = mark
        defer { threadMark.currentValue = previous }
        return try body()
    }

    /// The check a request gives the database: work on a thread not marked is refused.
    static let threadCheck = ThreadCheck {
        guard isMarked else { throw UnmarkedThread() }
    }

    /// Database work of a request that ran on a thread `Blocking` did not mark.
    struct UnmarkedThread: Error, CustomStringConvertible {
        var description: String {
            "database access on a thread Blocking did not mark (Swift's cooperative pool?): register the route with offPool: or wrap the call in Blocking.run"
        }
    }
}

/// Puts each request in the application's care: `Blocking.run` and `offPool:` routes use its
/// blocking threads, and with `check` on, the database refuses the request's work on any other thread.
/// The outermost middleware, so that it covers every other middleware's database work too.
struct BlockingMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let threads: BlockingThreads
    let check: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Blocking.$threads.withValue(threads) {
            guard check else { return try await next(request, context) }
            return try await AppDatabase.$threadCheck.withValue(Blocking.threadCheck) { try await next(request, context) }
        }
    }
}
