import CPcap
import Foundation

/// Stops a capture or a file read from another thread (a signal handler's task, a web request, a
/// cancelled Task): the blocked `pcap_next_ex` is woken with `pcap_breakloop`. One per capture: once
/// stopped it stays stopped, and a capture given a stopped handle ends before its first packet.
public final class CaptureStop: @unchecked Sendable {
    private let lock = NSLock()
    // Both guarded by `lock`: breakloop is only ever called on a handle that is still open.
    private var handle: OpaquePointer?
    private var reason: CaptureEnd?

    public init() {}

    /// Ends the capture as soon as libpcap returns; safe from any thread, any number of times.
    public func stop() { request(.stopped) }

    /// Whether ``stop()`` (or the capture's duration) has ended it.
    public var isRequested: Bool { lock.withLock { reason != nil } }

    func request(_ why: CaptureEnd) {
        lock.withLock {
            if reason == nil { reason = why }
            if let handle { pcap_breakloop(handle) }
        }
    }

    /// Why it was stopped, when it was.
    var requestedEnd: CaptureEnd? { lock.withLock { reason } }

    /// Lets ``stop()`` reach `handle` while a loop runs on it; false when it is already stopped.
    func attach(_ handle: OpaquePointer) -> Bool {
        lock.withLock {
            guard reason == nil else { return false }
            self.handle = handle
            return true
        }
    }

    /// Before the handle is closed.
    func detach() {
        lock.withLock { handle = nil }
    }
}
