import Foundation

/// Pauses that tests set through the environment to widen a race window on purpose (two processes
/// on one database), so that the test shows the race is closed rather than hoping to hit it.
/// Unset in production; a value outside 1–10 000 ms is ignored.
enum Failpoint {
    /// `SIMPUL_TEST_PAUSE_<NAME>_MS`: sleeps that long when set.
    static func pause(_ name: String) {
        guard let text = ProcessInfo.processInfo.environment["SIMPUL_TEST_PAUSE_\(name)_MS"], let ms = Int(text), (1...10_000).contains(ms) else { return }
        Thread.sleep(forTimeInterval: Double(ms) / 1000)
    }
}
