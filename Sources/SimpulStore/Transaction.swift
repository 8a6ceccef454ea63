import Foundation
import GRDB
import SimpulCore

/// What the stores read through: one read (or the reading half of a write) of the database.
/// Services hold it only inside `AppDatabase.read` / `write(as:at:)`; they never see SQL or GRDB.
public class Reader {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }
}

/// One user action's write: the database inside one `BEGIN IMMEDIATE` transaction, the moment it
/// happens, who does it, the audit chain and the outbox. Everything the action changes, audits and
/// asks to have delivered commits together or not at all, and the audit's head is written back by
/// `AppDatabase.write(as:at:)` itself — no caller can forget to close it.
public final class Transaction: Reader {
    /// Who acts: a username, or `simpul` for the system (a DNS server's confirmation, the poller).
    public let actor: String
    public let now: Date
    private var auditWriter: AuditWriter?
    /// Outbox rows this transaction wrote, to deliver at once after the commit if the caller wants.
    public private(set) var enqueued: [Int64] = []

    /// The audit log's actor for work the system does by itself.
    public static let system = "simpul"

    init(_ db: Database, actor: String, now: Date) {
        self.actor = actor
        self.now = now
        super.init(db)
    }

    /// Appends one chained audit row, by this transaction's actor at its time.
    public func audit(_ action: String, _ objectType: String, _ objectKey: String,
                      before: (any Encodable)? = nil, after: (any Encodable)? = nil, reason: String? = nil) throws {
        if auditWriter == nil { auditWriter = try AuditWriter(db, actor: actor, now: now) }
        try auditWriter!.record(action: action, objectType: objectType, objectKey: objectKey, before: before, after: after, reason: reason)
    }

    /// Records an outbox row written by this transaction (see `OutboxStore.enqueue`).
    func noteEnqueued(_ id: Int64) {
        if !enqueued.contains(id) { enqueued.append(id) }
    }

    /// Writes the audit head back, once, before the commit.
    func finish() throws {
        try auditWriter?.close()
        auditWriter = nil
    }
}

/// A store's refusal that a service turns into words for the user: a uniqueness or check
/// constraint the database enforced (a racing writer slipped past the service's own check).
public struct StoreConflict: Error, Sendable {
    public let message: String
}

extension AppDatabase {
    /// One read, for services: the stores take the `Reader`.
    public func read<T>(_ body: (Reader) throws -> T) throws -> T {
        try rawRead { db in try body(Reader(db)) }
    }

    /// One user action as one transaction, audited as `actor` at `now` (see `Transaction`).
    public func write<T>(as actor: String, at now: Date, _ body: (Transaction) throws -> T) throws -> T {
        try rawWrite { db in
            let transaction = Transaction(db, actor: actor, now: now)
            let result = try body(transaction)
            try transaction.finish()
            return result
        }
    }

    /// As `write(as:at:)`, also giving back the outbox rows the transaction wrote.
    public func writeEnqueuing<T>(as actor: String, at now: Date, _ body: (Transaction) throws -> T) throws -> (T, [Int64]) {
        try rawWrite { db in
            let transaction = Transaction(db, actor: actor, now: now)
            let result = try body(transaction)
            try transaction.finish()
            return (result, transaction.enqueued)
        }
    }

    /// One read that suspends instead of blocking the calling thread. The whole read — taking a
    /// reader connection, the query, giving the connection back — runs on a queue of the store's own
    /// (`AppDatabase.offThreads`), never across a suspension: GRDB's own async read holds its reader
    /// until the awaiting task resumes, and a request's task resumes on the web server's blocking
    /// threads, which may all be waiting for a reader — 32 hosting cancels under load deadlocked the
    /// server that way. For async code (the delivery worker) that must never block Swift's threads.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Reader) throws -> T) async throws -> T {
        try await Self.offThreads { try self.rawRead { db in try body(Reader(db)) } }
    }

    /// `write(as:at:)` that suspends instead of blocking, run as `read` is.
    public func write<T: Sendable>(as actor: String, at now: Date, _ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T {
        try await Self.offThreads { try self.write(as: actor, at: now, body) }
    }

    /// `work` on a concurrent queue of its own (libdispatch adds threads while its work blocks), the
    /// caller suspended meanwhile. Task-locals do not cross into it, so no thread check applies there.
    static func offThreads<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            asyncQueue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static let asyncQueue = DispatchQueue(label: "simpul.database.async", qos: .userInitiated, attributes: .concurrent)
}
