import Dispatch
import Foundation

/// Runs CPU-heavy or blocking work off Swift's cooperative threads, so one slow request does not
/// stall the others.
enum Blocking {
    /// Blocking work (SQLite writes, a DNS push) on a Dispatch queue.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    /// Password hashing (bcrypt: a quarter of a second of CPU each) on a queue that uses at most
    /// all cores but one, so that however many people sign in or change passwords at once, a core
    /// is left to answer every other request.
    static func hashing<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            hashQueue.addOperation { continuation.resume(with: Result { try work() }) }
        }
    }

    private static let hashQueue: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "simpul.bcrypt"
        queue.maxConcurrentOperationCount = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        queue.qualityOfService = .userInitiated
        return queue
    }()
}
