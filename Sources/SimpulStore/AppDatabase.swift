import Foundation
import GRDB
import SimpulCore

/// The one database of Simpul: the inventory every module shares, accounts, sessions and the
/// audit log. Migrations run when it opens.
public final class AppDatabase: Sendable {
    let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the database file at `path`: WAL, foreign keys on, a busy
    /// timeout so that the CLI and the web server can write the same file.
    public static func open(path: String) throws -> AppDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return try AppDatabase(DatabasePool(path: path, configuration: configuration()))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration()))
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.journalMode = .wal
        config.prepareDatabase { db in
            // FULL: a committed transaction survives a power cut, not only a killed process.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Reads map the file instead of copying each page out of the kernel's cache: the ticket
            // list's count walks thousands of index pages per request. Writes still go through write().
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        return config
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: one user action, all or nothing.
    /// Immediate, so two processes never deadlock upgrading a read lock to a write.
    /// Raw access for the stores and for tests that inspect tables; services use `write(as:at:)`.
    @_spi(Raw) public func rawWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.threadCheck?()
        return try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    @_spi(Raw) public func rawRead<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.threadCheck?()
        return try writer.read(body)
    }

    /// Asked first by every blocking read and write; what it throws refuses the access. The web
    /// server sets it for the time it serves a request, to refuse work on a thread its blocking
    /// pool did not mark (SimpulWeb's `Blocking`); unset, as in the CLI, nothing is checked.
    /// A class, not a bare closure: an optional function type as a task-local value crashed the
    /// optimized build in `swift_task_localValuePush` (Swift 6.3.1, Linux; the debug build was fine).
    @TaskLocal public static var threadCheck: ThreadCheck?
}

/// What `AppDatabase.threadCheck` asks before each blocking read and write.
public final class ThreadCheck: Sendable {
    let check: @Sendable () throws -> Void
    public init(_ check: @escaping @Sendable () throws -> Void) { self.check = check }
    public func callAsFunction() throws { try check() }
}

extension AppDatabase {
    /// Throws unless the database answers a query (`/healthz`).
    public func checkHealth() throws {
        _ = try rawRead { try Int.fetchOne($0, sql: "SELECT 1") }
    }
}
