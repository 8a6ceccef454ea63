/// What a live capture did: how many packets it handed over, libpcap's counters, and why it ended.
public struct LiveCaptureResult: Sendable, Hashable {
    public var interface: String
    public var linkType: LinkType
    public var snapshotLength: Int
    /// Packets handed to the packet closure.
    public var packets: Int
    /// Their lengths on the wire, added up.
    public var wireBytes: Int64
    /// libpcap's counters at the end; nil when it could not give them (``statisticsError`` says why).
    public var statistics: CaptureStatistics?
    public var statisticsError: String?
    public var end: CaptureEnd
    /// What libpcap warned about when the capture started (promiscuous mode not supported, microsecond
    /// timestamps only…); the capture ran regardless.
    public var warnings: [String]
    /// Whether the kernel gave nanosecond timestamps (otherwise microseconds × 1000).
    public var nanosecondTimestamps: Bool
    public var elapsed: Duration
}

/// Why a live capture ended.
public enum CaptureEnd: Sendable, Hashable {
    /// Its duration was up.
    case durationElapsed
    /// ``CaptureStop/stop()`` was called, or the Task running it was cancelled.
    case stopped
    /// libpcap failed while capturing (the interface went away…); what was captured before is kept.
    case failed(String)
}
