import Foundation
import SimpulCore

/// Packet attribution on a thread of its own, fed in batches by the capture loop.
///
/// Reading a capture (libpcap's file reads, or a live capture's ring) and counting its packets
/// per agency (`TrafficAttributor`) take about as long as each other per packet, and a capture
/// loop that also counts does them in turn on one core. Here the loop only decodes each frame
/// (`PacketDecoder`: the few header fields attribution needs) and appends it to a batch; a
/// thread of the pipeline's own takes whole batches and counts them. So the reading never waits
/// for the counting but when every batch is full, and a live capture spends less time away from
/// libpcap's buffer.
///
/// Bounded: `depth` batches of `batchSize` frames. `add` is called on one thread only (the capture
/// loop's); `finish` on the same thread, once, after the last `add`. It lives beside the adapter so
/// that `PcapFileSource.read(into:)` and `LiveCapture.run(for:stop:into:)` feed it straight from
/// libpcap's callback, the whole per-packet path compiled together.
public final class AttributionPipeline: @unchecked Sendable {
    /// One decoded frame on its way to the counting thread.
    struct Frame {
        var outcome: PacketDecodeOutcome
        var wireLength: Int
        var seconds: Int64
        var nanoseconds: Int32
    }

    /// How often the counting thread looks for a batch before it sleeps (each look yields the core).
    static let looksBeforeSleeping = 2_000

    private let batchSize: Int
    private let storage: UnsafeMutablePointer<Frame>
    private let depth: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    /// Filled batches, oldest first: (batch, frames in it).
    private var filled: [(batch: Int, count: Int)] = []
    private var empty: [Int]
    private var closed = false
    /// The attributor, while no thread counts with it (before the thread takes it, after it gives it back).
    private var attributor: TrafficAttributor?

    // The capture loop's own.
    private var current: UnsafeMutablePointer<Frame>
    private var currentBatch: Int
    private var count = 0
    private var finished = false
    private let done = DispatchSemaphore(value: 0)

    public init(_ attributor: TrafficAttributor, batchSize: Int = 2048, depth: Int = 4) {
        self.batchSize = max(1, batchSize)
        self.depth = max(2, depth)
        storage = .allocate(capacity: self.batchSize * self.depth)
        empty = Array((1..<self.depth).reversed())
        currentBatch = 0
        current = storage
        self.attributor = attributor
        let thread = Thread { [self] in countBatches() }
        thread.name = "simpul-attribution"
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        // Frames are plain values: nothing in them to deinitialise.
        storage.deallocate()
    }

    /// Decodes one captured frame and queues it for counting; on the capture loop's thread.
    /// - Parameters:
    ///   - frame: the captured bytes (`caplen`), valid only during this call: only what
    ///     `PacketDecoder` reads from them is kept.
    ///   - wireLength: the frame's length on the wire (`len`): what is counted.
    public func add(linkType: CaptureLinkType, frame: UnsafeRawBufferPointer, wireLength: Int, seconds: Int64, nanoseconds: Int32) {
        (current + count).initialize(to: Frame(outcome: PacketDecoder.decode(linkType: linkType, bytes: frame, wireLength: wireLength),
                                               wireLength: wireLength, seconds: seconds, nanoseconds: nanoseconds))
        count &+= 1
        if count == batchSize { handOff(last: false) }
    }

    /// ``add(linkType:frame:wireLength:seconds:nanoseconds:)`` for a packet libpcap handed over.
    @inline(__always)
    func add(_ packet: Packet) {
        add(linkType: CaptureLinkType(rawValue: packet.linkType.rawValue), frame: packet.bytes, wireLength: packet.header.wireLength,
            seconds: packet.header.seconds, nanoseconds: packet.header.nanoseconds)
    }

    /// Waits until every frame queued has been counted, ends the counting thread and returns the
    /// attributor with all of them.
    public func finish() -> TrafficAttributor {
        precondition(!finished, "AttributionPipeline.finish() is called once")
        finished = true
        handOff(last: true)
        done.wait()
        return condition.withLock { attributor.unsafelyUnwrapped }
    }

    /// Hands the current batch to the counting thread and takes an empty one, waiting while there
    /// is none; the last hand-off closes the pipeline.
    private func handOff(last: Bool) {
        condition.lock()
        if count > 0 { filled.append((currentBatch, count)) }
        if last { closed = true }
        condition.signal()
        if !last {
            while empty.isEmpty { condition.wait() }
            currentBatch = empty.removeLast()
        }
        condition.unlock()
        current = storage + currentBatch * batchSize
        count = 0
    }

    /// The counting thread: batch after batch until the pipeline is closed and drained.
    private func countBatches() {
        var counting = condition.withLock { () -> TrafficAttributor in
            defer { attributor = nil }
            return attributor.unsafelyUnwrapped
        }
        while true {
            condition.lock()
            // The counting is faster than the reading, so it mostly waits for the next batch: it
            // looks again for a while (about the time one batch takes to fill) before it sleeps,
            // so that the capture loop seldom has a sleeping thread to wake (a system call).
            var looks = 0
            while filled.isEmpty && !closed {
                if looks < Self.looksBeforeSleeping {
                    looks += 1
                    condition.unlock()
                    sched_yield()
                    condition.lock()
                } else {
                    condition.wait()
                }
            }
            guard !filled.isEmpty else {
                attributor = counting
                condition.unlock()
                break
            }
            let (batch, n) = filled.removeFirst()
            condition.unlock()
            let frames = UnsafeBufferPointer(start: storage + batch * batchSize, count: n)
            for frame in frames {
                counting.add(frame.outcome, wireLength: frame.wireLength, seconds: frame.seconds, nanoseconds: frame.nanoseconds)
            }
            condition.withLock {
                empty.append(batch)
                condition.signal()
            }
        }
        done.signal()
    }
}
