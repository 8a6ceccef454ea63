/// libpcap's counters for a live capture (`pcap_stats`), kept with the samples so a survey says how
/// complete it was.
public struct CaptureStatistics: Sendable, Hashable {
    /// Packets the kernel received that passed the filter (on Linux, including those it then dropped).
    public var received: UInt64
    /// Dropped because the capture buffer was full: the capture fell behind.
    public var droppedByKernel: UInt64
    /// Dropped by the interface or its driver before the kernel saw them (not every driver says).
    public var droppedByInterface: UInt64

    public init(received: UInt64, droppedByKernel: UInt64, droppedByInterface: UInt64) {
        self.received = received
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
    }
}
