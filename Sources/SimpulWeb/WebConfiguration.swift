import NIOCore

/// How `simpul serve` runs the web shell.
public struct WebConfiguration: Sendable {
    /// Address to listen on. Loopback by default: put a TLS-terminating proxy in front for the office network.
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Marks cookies `Secure`. Turn off only to try the server over plain HTTP from another machine.
    public var secureCookies: Bool = true
    /// Threads that read requests and write answers. The rest of a request runs on Swift's own pool
    /// (one thread per core) and its handler on the blocking threads, so one I/O thread for every two
    /// cores: on the office's 2-core server a second one only competed with the handlers, and the
    /// ticket list's p99 under 32 connections went from 17 ms to 46 ms (`scripts/bench.sh e`; measured
    /// before the handlers moved to the blocking threads).
    public var ioThreads: Int = max(1, System.coreCount / 2)
    /// Threads for the database and other blocking work (`BlockingThreads`).
    public var blockingThreads: Int = BlockingThreads.defaultCount
    /// Refuses, with a 500, database work a request does on a thread `Blocking` did not mark (Swift's
    /// cooperative pool, an event loop): on for `simpul serve` and the tests, so a route that forgets fails.
    public var threadCheck: Bool = false

    public init() {}
}
