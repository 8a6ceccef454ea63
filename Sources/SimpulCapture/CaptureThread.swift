import Foundation

/// Runs blocking libpcap work (a live capture, reading a large file) on a thread of its own, never on
/// one of Swift concurrency's cooperative threads, and resumes the caller when it is done.
public enum CaptureThread {
    /// `body` on a new thread named `name`; `onCancel` runs (on the cancelling thread) if the calling
    /// Task is cancelled meanwhile: pass a ``CaptureStop``'s `stop`.
    public static func run<T: Sendable, E: Error>(
        name: String,
        onCancel: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
                let thread = Thread {
                    continuation.resume(returning: Result { () throws(E) -> T in try body() })
                }
                thread.name = name
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            onCancel()
        }
        return try result.get()
    }
}
