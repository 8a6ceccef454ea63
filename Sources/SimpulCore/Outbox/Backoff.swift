import Foundation

/// When a delivery that failed is tried again: doubling from `first` up to `cap`, with a share of
/// jitter so that rows that failed together (a DNS server away for an hour) do not all come back
/// in the same second. Pure: the jitter's draw is passed in.
public struct Backoff: Sendable, Hashable {
    public var first: TimeInterval
    public var cap: TimeInterval
    /// At most this share of the delay is added as jitter (0…1).
    public var jitter: Double

    public init(first: TimeInterval = 15, cap: TimeInterval = 3600, jitter: Double = 0.2) {
        self.first = first
        self.cap = cap
        self.jitter = jitter
    }

    /// The wait after the `attempt`-th failed attempt (1-based); `draw` is in 0..<1.
    public func delay(afterAttempt attempt: Int, draw: Double) -> TimeInterval {
        let doublings = min(max(attempt - 1, 0), 30)
        let base = min(first * Double(1 << doublings), cap)
        return base + base * jitter * min(max(draw, 0), 1)
    }

    /// The moment of the next attempt, or nil when `attempt` was the last one allowed.
    public func next(afterAttempt attempt: Int, of maxAttempts: Int, at now: Date, draw: Double) -> Date? {
        attempt >= maxAttempts ? nil : now.addingTimeInterval(delay(afterAttempt: attempt, draw: draw))
    }
}

/// A delivery channel: how a side effect leaves Simpul.
public enum DeliveryChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case dns, mail, webhook

    public var title: Text {
        switch self {
        case .dns: Text(id: "Perubahan DNS", en: "DNS change")
        case .mail: Text(id: "Surel", en: "E-mail")
        case .webhook: Text(id: "Webhook", en: "Webhook")
        }
    }

    /// How many times a row of this channel is tried before it waits for a person, and the waits.
    public var policy: (maxAttempts: Int, backoff: Backoff) {
        switch self {
        // About a day of tries: 15 s doubling to an hour, then hourly.
        case .dns: (30, Backoff(first: 15, cap: 3600))
        case .mail: (12, Backoff(first: 60, cap: 3600))
        case .webhook: (12, Backoff(first: 30, cap: 3600))
        }
    }
}

/// Where a delivery stands.
public enum DeliveryState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for its next attempt (the first, or a retry after a failure).
    case pending
    case delivered
    /// Its last attempt failed: it waits for someone to retry or dismiss it.
    case failed
    /// Someone decided it should not be delivered.
    case dismissed

    public var title: Text {
        switch self {
        case .pending: Text(id: "Menunggu", en: "Waiting")
        case .delivered: Text(id: "Terkirim", en: "Delivered")
        case .failed: Text(id: "Gagal", en: "Failed")
        case .dismissed: Text(id: "Diabaikan", en: "Dismissed")
        }
    }
}
