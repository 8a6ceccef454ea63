import CPcap
import Glibc
import SimpulCore

/// A pcap or pcapng capture file (as tcpdump, tshark and Wireshark write them), or a pipe carrying
/// one, read record by record through libpcap with nanosecond timestamps.
///
/// Not thread-safe: read it from one thread at a time (``CaptureThread`` runs it off the cooperative
/// pool). Damage inside the file ends the read with what was read so far (``FileReadEnd/damaged(record:reason:)``);
/// it never throws and never crashes.
public final class PcapFileSource {
    public let path: String
    public let linkType: LinkType
    /// The snapshot length the file's header declares.
    public let snapshotLength: Int
    /// nil for a pipe.
    public let fileSize: Int64?

    private let handle: OpaquePointer
    private let scale: Int64
    private var recordsRead = 0
    private var finished: FileReadEnd?
    /// A pcap_breakloop that no call has answered with -2 yet.
    private var breakPending = false

    /// Opens `path`; throws when it is missing, unreadable, or not a capture file libpcap reads.
    public init(path: String) throws(PcapError) {
        _ = PcapCall.initialised
        guard let file = fopen(path, "rb") else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw .noSuchFile(path)
            case EACCES, EPERM: throw .fileNotPermitted(path)
            default: throw .unreadable(path, String(cString: strerror(code)))
            }
        }
        var status = stat()
        guard fstat(fileno(file), &status) == 0 else {
            let reason = String(cString: strerror(errno))
            fclose(file)
            throw .unreadable(path, reason)
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFIFO else {
            fclose(file)
            throw .notAFile(path)
        }
        let size: Int64? = kind == S_IFREG ? Int64(status.st_size) : nil
        if size == 0 {
            fclose(file)
            throw .notACaptureFile(path, "the file is empty")
        }
        let (opened, reason) = PcapCall.withErrorBuffer {
            pcap_fopen_offline_with_tstamp_precision(file, UInt32(simpul_pcap_tstamp_precision_nano), $0)
        }
        guard let opened else {
            // libpcap leaves a FILE it could not open as a capture to its caller.
            fclose(file)
            throw Self.openError(path, reason)
        }
        self.path = path
        self.handle = opened
        self.fileSize = size
        self.linkType = LinkType(rawValue: pcap_datalink(opened))
        self.snapshotLength = Int(pcap_snapshot(opened))
        self.scale = pcap_get_tstamp_precision(opened) == simpul_pcap_tstamp_precision_nano ? 1 : 1000
    }

    deinit { pcap_close(handle) }

    /// Hands each record to `body`, in file order, until the end of the file, damage, `stop`, or an
    /// error `body` throws (which is rethrown; the records before it count). Reading again goes on
    /// where the last read stopped; after the end or damage it reads nothing.
    ///
    /// `progress` is called every `progressEvery` records and once at the end, on this thread.
    public func read<E: Error>(
        progressEvery: Int = 65_536,
        stop: CaptureStop? = nil,
        progress: (ReadProgress) -> Void = { _ in },
        _ body: (Packet) throws(E) -> Void
    ) throws(E) -> FileReadSummary {
        try records(progressEvery: progressEvery, stop: stop, progress: progress, body)
    }

    @inline(__always)
    private func records<E: Error>(
        progressEvery: Int,
        stop: CaptureStop?,
        progress: (ReadProgress) -> Void,
        _ body: (Packet) throws(E) -> Void
    ) throws(E) -> FileReadSummary {
        if let finished { return summary(records: 0, end: finished) }
        let handle = self.handle, scale = self.scale, linkType = self.linkType, fileSize = self.fileSize
        let every = max(1, progressEvery)
        let before = recordsRead
        // What each packet updates, behind a pointer: captured variables would be boxed and
        // checked for exclusive access on every packet.
        var loop = LoopState(untilProgress: every)
        var failure: E?
        let end: FileReadEnd = withUnsafeMutablePointer(to: &loop) { state in
            PcapCall.withHandler({ header, data in
                if state.pointee.failed { return }
                state.pointee.records &+= 1
                do throws(E) {
                    try body(PcapCall.packet(header, data, scale: scale, linkType: linkType))
                } catch {
                    failure = error
                    state.pointee.failed = true
                    pcap_breakloop(handle)
                    return
                }
                state.pointee.untilProgress &-= 1
                if state.pointee.untilProgress == 0 {
                    state.pointee.untilProgress = every
                    progress(ReadProgress(records: before + state.pointee.records, bytesConsumed: self.offset, fileSize: fileSize))
                }
            }) { handler in
                dispatchLoop(stop: stop, before: before, failed: { state.pointee.failed }, records: { state.pointee.records }) {
                    PcapCall.dispatch(handle, count: 4096, handler)
                }
            }
        }
        let records = loop.records
        recordsRead += records
        if let failure { throw failure }
        if end != .stopped { finished = end }
        progress(ReadProgress(records: recordsRead, bytesConsumed: offset, fileSize: fileSize))
        return summary(records: records, end: end)
    }

    /// ``read(progressEvery:stop:progress:_:)`` for a `body` that does not throw: the generic read
    /// specialised in this module, so that each packet is a direct call (a caller in another module
    /// would otherwise run the unspecialised generic, through a thunk, on every packet).
    public func read(
        progressEvery: Int = 65_536,
        stop: CaptureStop? = nil,
        progress: (ReadProgress) -> Void = { _ in },
        _ body: (Packet) -> Void
    ) -> FileReadSummary {
        records(progressEvery: progressEvery, stop: stop, progress: progress) { (packet: Packet) throws(Never) in body(packet) }
    }

    /// Every record decoded and queued for counting on `pipeline`'s thread (then `finish()` it).
    /// libpcap's callback feeds the pipeline itself: no closure between them, and the progress and
    /// the stop are looked at between batches of records rather than on each.
    public func read(into pipeline: AttributionPipeline, progressEvery: Int = 65_536, stop: CaptureStop? = nil,
                     progress: (ReadProgress) -> Void = { _ in }) -> FileReadSummary {
        if let finished { return summary(records: 0, end: finished) }
        let handle = self.handle, fileSize = self.fileSize, every = max(1, progressEvery), before = recordsRead
        var feed = PipelineFeed(pipeline: Unmanaged.passUnretained(pipeline), linkType: linkType, scale: scale)
        var untilProgress = every
        let end: FileReadEnd = withExtendedLifetime(pipeline) {
            withUnsafeMutablePointer(to: &feed) { feed in
                dispatchLoop(stop: stop, before: before, failed: { false }, records: { feed.pointee.records }) {
                    let result = pcap_dispatch(handle, 4096, PipelineFeed.handler, UnsafeMutableRawPointer(feed).assumingMemoryBound(to: UInt8.self))
                    if result > 0 {
                        untilProgress -= Int(result)
                        if untilProgress <= 0 {
                            untilProgress = every
                            progress(ReadProgress(records: before + feed.pointee.records, bytesConsumed: offset, fileSize: fileSize))
                        }
                    }
                    return result
                }
            }
        }
        recordsRead += feed.records
        if end != .stopped { finished = end }
        progress(ReadProgress(records: recordsRead, bytesConsumed: offset, fileSize: fileSize))
        return summary(records: feed.records, end: end)
    }

    /// `pcap_dispatch` until the end, damage or `stop` (`dispatch` is one call of it; `failed`, the
    /// body's own failure; `records`, how many the body has seen).
    private func dispatchLoop(stop: CaptureStop?, before: Int, failed: () -> Bool, records: () -> Int, _ dispatch: () -> Int32) -> FileReadEnd {
        let stopping = stop.map { $0.attach(handle) } == false
        defer { stop?.detach() }
        if stopping { return .stopped }
        while true {
            let result = dispatch()
            if failed() || stop?.isRequested == true {
                // libpcap clears its break flag only when a later call returns -2.
                breakPending = result != simpul_pcap_error_break
                return .stopped
            }
            if result > 0 { continue }
            if result == 0 { return .endOfFile }
            if result == simpul_pcap_error_break {
                if breakPending { breakPending = false; continue }
                return .stopped
            }
            return .damaged(record: before + records() + 1, reason: PcapCall.message(handle))
        }
    }

    /// Bytes of the file libpcap has read so far.
    public var offset: Int64 { Int64(max(0, simpul_pcap_file_offset(handle))) }

    private func summary(records: Int, end: FileReadEnd) -> FileReadSummary {
        FileReadSummary(records: records, bytesConsumed: offset, fileSize: fileSize, end: end)
    }

    /// libpcap's reason for refusing a file, sorted into what the user can do about it.
    private static func openError(_ path: String, _ reason: String) -> PcapError {
        let lower = reason.lowercased()
        if lower.contains("unsupported") || lower.contains("isn't supported") || lower.contains("archaic")
            || lower.contains("unknown pcapng savefile major version") || lower.contains("too high") {
            return .unsupportedFile(path, reason)
        }
        if lower.contains("error reading") { return .unreadable(path, reason) }
        if lower.contains("unknown file format") {
            return .notACaptureFile(path, "\(reason) (the first bytes are no pcap or pcapng magic number)")
        }
        return .notACaptureFile(path, reason)
    }
}

/// A dispatch loop's counters, reached through a pointer from the per-packet closure.
struct LoopState {
    var records = 0
    var untilProgress: Int
    var failed = false
}

/// What libpcap's callback needs to feed an ``AttributionPipeline``, behind its user pointer.
struct PipelineFeed {
    let pipeline: Unmanaged<AttributionPipeline>
    let linkType: LinkType
    let scale: Int64
    var records = 0

    static let handler: pcap_handler = { user, header, data in
        guard let user, let header else { return }
        let feed = UnsafeMutableRawPointer(user).assumingMemoryBound(to: PipelineFeed.self)
        feed.pointee.records &+= 1
        let packet = PcapCall.packet(header, data, scale: feed.pointee.scale, linkType: feed.pointee.linkType)
        feed.pointee.pipeline._withUnsafeGuaranteedRef { $0.add(packet) }
    }
}
