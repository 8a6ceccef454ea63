import CPcap
import SimpulCore
import Dispatch

/// A capture on a network interface, open and filtered: `pcap_create`, the settings of its
/// configuration, `pcap_activate`, then the BPF filter. Capturing needs CAP_NET_RAW.
///
/// ``run(for:stop:_:)`` blocks its thread until the duration is up or it is stopped: call it from a
/// thread of its own (``CaptureThread``, or ``run(_:for:stop:state:_:)`` which does both), never from
/// a Swift concurrency task directly. Not thread-safe apart from ``CaptureStop``.
public final class LiveCapture {
    public let configuration: LiveCaptureConfiguration
    public let linkType: LinkType
    /// The snapshot length libpcap settled on.
    public let snapshotLength: Int
    /// What libpcap warned about when activating; the capture works regardless.
    public let warnings: [String]
    /// Whether the kernel gives nanosecond timestamps (otherwise microseconds × 1000).
    public let nanosecondTimestamps: Bool

    private let handle: OpaquePointer
    private let scale: Int64
    /// A pcap_breakloop that no call has answered with -2 yet.
    private var breakPending = false

    /// Opens the interface and applies the filter; throws what was wrong and what to do about it.
    public init(_ configuration: LiveCaptureConfiguration) throws(PcapError) {
        try configuration.validate()
        _ = PcapCall.initialised
        let interface = configuration.interface
        let (created, reason) = PcapCall.withErrorBuffer { pcap_create(interface, $0) }
        guard let created else { throw .captureFailed(interface, reason) }
        var handed = false
        defer { if !handed { pcap_close(created) } }

        let failed = { (detail: String) in PcapError.captureFailed(interface, detail) }
        try PcapCall.check(pcap_set_snaplen(created, Int32(configuration.snapshotLength)), created, failed)
        try PcapCall.check(pcap_set_promisc(created, configuration.promiscuous ? 1 : 0), created, failed)
        try PcapCall.check(pcap_set_timeout(created, configuration.bufferTimeoutMilliseconds), created, failed)
        if configuration.immediate {
            try PcapCall.check(pcap_set_immediate_mode(created, 1), created, failed)
        }
        try PcapCall.check(pcap_set_buffer_size(created, Int32(configuration.bufferSize)), created, failed)
        var warnings: [String] = []
        if pcap_set_tstamp_precision(created, simpul_pcap_tstamp_precision_nano) != 0 {
            warnings.append("nanosecond timestamps are not supported on \(interface): microseconds are used")
        }

        let status = pcap_activate(created)
        if status < 0 { throw Self.activationError(status, created, interface) }
        if status > 0 { warnings.append(PcapCall.describe(status, created)) }
        if let filter = configuration.filter { try Self.apply(filter, to: created) }

        handed = true
        self.configuration = configuration
        self.handle = created
        self.linkType = LinkType(rawValue: pcap_datalink(created))
        self.snapshotLength = Int(pcap_snapshot(created))
        let nano = pcap_get_tstamp_precision(created) == simpul_pcap_tstamp_precision_nano
        self.nanosecondTimestamps = nano
        self.scale = nano ? 1 : 1000
        self.warnings = warnings
    }

    deinit { pcap_close(handle) }

    /// ``run(for:stop:_:)`` for a `body` that does not throw, specialised in this module: each
    /// packet a direct call (see ``PcapFileSource/read(progressEvery:stop:progress:_:)``).
    public func run(for duration: Duration? = nil, stop: CaptureStop = CaptureStop(), _ body: (Packet) -> Void) -> LiveCaptureResult {
        capture(for: duration, stop: stop) { (packet: Packet) throws(Never) in body(packet) }
    }

    /// Every captured packet decoded and queued for counting on `pipeline`'s thread (then
    /// `finish()` it): the capture loop goes back to libpcap at once.
    public func run(for duration: Duration? = nil, stop: CaptureStop = CaptureStop(), into pipeline: AttributionPipeline) -> LiveCaptureResult {
        capture(for: duration, stop: stop) { (packet: Packet) throws(Never) in pipeline.add(packet) }
    }

    /// Hands each captured packet to `body` until `duration` is up (nil: until stopped), `stop` is
    /// called, libpcap fails, or `body` throws (rethrown). Blocks the calling thread.
    public func run<E: Error>(
        for duration: Duration? = nil,
        stop: CaptureStop = CaptureStop(),
        _ body: (Packet) throws(E) -> Void
    ) throws(E) -> LiveCaptureResult {
        try capture(for: duration, stop: stop, body)
    }

    @inline(__always)
    private func capture<E: Error>(for duration: Duration?, stop: CaptureStop, _ body: (Packet) throws(E) -> Void) throws(E) -> LiveCaptureResult {
        let clock = ContinuousClock()
        let start = clock.now
        var timer: DispatchWorkItem?
        if let duration {
            let item = DispatchWorkItem { stop.request(.durationElapsed) }
            let (seconds, attoseconds) = duration.components
            let nanoseconds = max(0, seconds) &* 1_000_000_000 &+ attoseconds / 1_000_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), execute: item)
            timer = item
        }
        defer { timer?.cancel() }

        var packets = 0
        var wireBytes: Int64 = 0
        let end: CaptureEnd
        if stop.attach(handle) {
            defer { stop.detach() }
            end = try loop(until: duration.map { start + $0 }, clock: clock, stop: stop, packets: &packets, wireBytes: &wireBytes, body)
        } else {
            end = stop.requestedEnd ?? .stopped
        }

        var statistics: CaptureStatistics?
        var statisticsError: String?
        var counters = pcap_stat()
        if pcap_stats(handle, &counters) == 0 {
            statistics = CaptureStatistics(received: UInt64(counters.ps_recv), droppedByKernel: UInt64(counters.ps_drop),
                                           droppedByInterface: UInt64(counters.ps_ifdrop))
        } else {
            statisticsError = PcapCall.message(handle)
        }
        return LiveCaptureResult(
            interface: configuration.interface, linkType: linkType, snapshotLength: snapshotLength,
            packets: packets, wireBytes: wireBytes, statistics: statistics, statisticsError: statisticsError,
            end: end, warnings: warnings, nanosecondTimestamps: nanosecondTimestamps, elapsed: clock.now - start)
    }

    private func loop<E: Error>(
        until deadline: ContinuousClock.Instant?, clock: ContinuousClock, stop: CaptureStop,
        packets: inout Int, wireBytes: inout Int64, _ body: (Packet) throws(E) -> Void
    ) throws(E) -> CaptureEnd {
        let handle = self.handle, scale = self.scale, linkType = self.linkType
        var loop = LiveLoopState()
        var failure: E?
        defer {
            packets = loop.packets
            wireBytes = loop.wireBytes
        }
        let end: CaptureEnd = withUnsafeMutablePointer(to: &loop) { state in
            PcapCall.withHandler({ header, data in
                if state.pointee.failed { return }
                state.pointee.packets &+= 1
                state.pointee.wireBytes &+= Int64(header.pointee.len)
                do throws(E) {
                    try body(PcapCall.packet(header, data, scale: scale, linkType: linkType))
                } catch {
                    failure = error
                    state.pointee.failed = true
                    pcap_breakloop(handle)
                }
            }) { handler in
                while true {
                    // -1: everything the kernel has ready (a whole TPACKET_V3 block) per call.
                    let result = PcapCall.dispatch(handle, count: -1, handler)
                    if state.pointee.failed { breakPending = result != simpul_pcap_error_break; return .stopped }
                    if result == simpul_pcap_error_break {
                        if let reason = stop.requestedEnd { return reason }
                        if breakPending { breakPending = false; continue }
                        return .stopped
                    }
                    if result < 0 { return .failed(PcapCall.message(handle)) }
                    // The timer's pcap_breakloop normally ends the loop; this catches it firing
                    // between two calls.
                    if let reason = stop.requestedEnd { breakPending = true; return reason }
                    if let deadline, clock.now >= deadline { return .durationElapsed }
                }
            }
        }
        if let failure { throw failure }
        return end
    }

    /// Compiles `filter` for this handle and sets it; the compiled program is always freed.
    private static func apply(_ filter: String, to handle: OpaquePointer) throws(PcapError) {
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, simpul_pcap_netmask_unknown) == 0 else {
            throw .badFilter(filter, PcapCall.message(handle))
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .badFilter(filter, PcapCall.message(handle))
        }
    }

    private static func activationError(_ status: Int32, _ handle: OpaquePointer, _ interface: String) -> PcapError {
        let detail = PcapCall.describe(status, handle)
        switch status {
        case simpul_pcap_error_perm_denied: return .captureNotPermitted(interface, detail)
        case simpul_pcap_error_promisc_perm_denied: return .promiscuousNotPermitted(interface, detail)
        case simpul_pcap_error_no_such_device: return .noSuchInterface(interface)
        case simpul_pcap_error_iface_not_up: return .interfaceDown(interface)
        default: return .captureFailed(interface, detail)
        }
    }
}

/// A live loop's counters, reached through a pointer from the per-packet closure.
struct LiveLoopState {
    var packets = 0
    var wireBytes: Int64 = 0
    var failed = false
}
