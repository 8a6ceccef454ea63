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

extension Failpoint {
    /// `pause` for async code: suspends instead of blocking the thread.
    static func pauseAsync(_ name: String) async {
        guard let text = ProcessInfo.processInfo.environment["SIMPUL_TEST_PAUSE_\(name)_MS"], let ms = Int(text), (1...10_000).contains(ms) else { return }
        try? await Task.sleep(for: .milliseconds(ms))
    }

    /// `SIMPUL_TEST_KILL_<NAME>`: the process ends at once, as with kill -9 (a test of what a crash
    /// at that point leaves behind).
    static func kill(_ name: String) {
        guard ProcessInfo.processInfo.environment["SIMPUL_TEST_KILL_\(name)"] == "1" else { return }
        _exit(137)
    }
}
