import Dispatch

/// Runs CPU-heavy or blocking work (bcrypt) on a Dispatch queue instead of a Swift
/// concurrency thread, so one slow request does not stall the others.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
