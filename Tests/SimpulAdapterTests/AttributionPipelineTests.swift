import Foundation
import SimpulCore
import SimpulCapture
import SimpulTestRigs
import Testing

/// The counting thread of `simpul capture` (AttributionPipeline): whatever the batch size and
/// however often the capture loop must wait for an empty batch, it counts exactly what the
/// attributor counts frame by frame on one thread.
@Suite("Attribution on its own thread")
struct AttributionPipelineTests {
    static let table = try! PrefixTable([(Prefix("10.30.1.0/24")!, 0), (Prefix("10.30.2.0/24")!, 1), (Prefix("2001:db8:30:1::/64")!, 0)])

    /// Frames of every kind the decoder sorts: IPv4 between agencies and outside, inside one agency,
    /// ARP, a truncated IPv4 header, and IPv6.
    static func frames(_ n: Int) -> [[UInt8]] {
        (0..<n).map { i in
            switch i % 6 {
            case 0: TestFrames.ethernetIPv4UDP(source: "10.30.1.\(1 + i % 200)", destination: "10.30.2.\(1 + i % 50)", total: 60 + i % 1400)
            case 1: TestFrames.ethernetIPv4UDP(source: "203.0.113.\(1 + i % 9)", destination: i % 12 == 1 ? "198.51.100.7" : "10.30.1.7", total: 1486)
            case 2: TestFrames.ethernetIPv4UDP(source: "10.30.1.3", destination: "10.30.1.4", total: 100)
            case 3: [UInt8](repeating: 0xFF, count: 12) + [0x08, 0x06] + [UInt8](repeating: 0, count: 28)
            case 4: Array(TestFrames.ethernetIPv4UDP(source: "10.30.1.3", destination: "10.30.2.4", total: 100).prefix(20))
            default:
                [UInt8](repeating: 2, count: 12) + [0x86, 0xDD, 0x60, 0, 0, 0, 0, 8, 17, 64]
                    + [0x20, 0x01, 0x0D, 0xB8, 0, 0x30, 0, 1, 0, 0, 0, 0, 0, 0, 0, UInt8(i % 250)]
                    + [0x20, 0x01, 0x0D, 0xB8, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] + [0xC3, 0x50, 0, 53, 0, 8, 0, 0]
            }
        }
    }

    @Test(arguments: [(1, 2), (7, 2), (64, 3), (1024, 6)])
    func thePipelineCountsWhatTheAttributorCounts(batchSize: Int, depth: Int) {
        let frames = Self.frames(20_000)
        var direct = TrafficAttributor(table: Self.table, agencyCount: 3)
        let pipeline = AttributionPipeline(TrafficAttributor(table: Self.table, agencyCount: 3), batchSize: batchSize, depth: depth)
        for (i, frame) in frames.enumerated() {
            let seconds = 1_795_999_980 + Int64(i / 40), nanoseconds = Int32(i % 40) * 1000
            frame.withUnsafeBytes { bytes in
                direct.add(linkType: .ethernet, frame: bytes, wireLength: frame.count + 4, seconds: seconds, nanoseconds: nanoseconds)
                pipeline.add(linkType: .ethernet, frame: bytes, wireLength: frame.count + 4, seconds: seconds, nanoseconds: nanoseconds)
            }
        }
        let expected = direct.summary(), counted = pipeline.finish().summary()
        #expect(counted == expected)
        #expect(counted.seen.packets == 20_000 && counted.nonIP.packets > 0 && !counted.failures.isEmpty && counted.unattributed.packets > 0)
    }

    /// A file read straight into the pipeline (libpcap's callback feeding it) counts what the
    /// attributor counts from the generic read, reports progress between batches, and stops at
    /// damage at the same record.
    @Test func aFileReadIntoThePipelineCountsWhatTheGenericReadCounts() throws {
        let path = NSTemporaryDirectory() + "simpul-pipeline-\(UUID().uuidString).pcap"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapDumpWriter(path: path, linkType: .ethernet)
        let frames = Self.frames(12_000)
        for (i, frame) in frames.enumerated() { try writer.write(frame, seconds: 1_795_999_980 + Int64(i / 100), nanoseconds: Int32(i % 100) * 1000) }
        try writer.close()

        func generic(_ path: String) throws -> (AttributionSummary, FileReadSummary) {
            var attributor = TrafficAttributor(table: Self.table, agencyCount: 3)
            let read = try PcapFileSource(path: path).read { packet in
                attributor.add(linkType: CaptureLinkType(rawValue: packet.linkType.rawValue), frame: packet.bytes, wireLength: packet.header.wireLength,
                               seconds: packet.header.seconds, nanoseconds: packet.header.nanoseconds)
            }
            return (attributor.summary(), read)
        }
        func piped(_ path: String) throws -> (AttributionSummary, FileReadSummary, [Int]) {
            let pipeline = AttributionPipeline(TrafficAttributor(table: Self.table, agencyCount: 3), batchSize: 256, depth: 3)
            var progress: [Int] = []
            let read = try PcapFileSource(path: path).read(into: pipeline, progressEvery: 5_000) { progress.append($0.records) }
            return (pipeline.finish().summary(), read, progress)
        }
        let (expected, expectedRead) = try generic(path)
        let (counted, read, progress) = try piped(path)
        #expect(counted == expected && read == expectedRead && read.records == 12_000 && read.isComplete)
        #expect(progress == [8_192, 12_000], "between batches of 4,096 records, and once at the end")

        // Cut inside a record: both stop at the same record, with the same counts before it.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = path + ".cut"
        defer { try? FileManager.default.removeItem(atPath: cut) }
        try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let (expectedCut, expectedCutRead) = try generic(cut)
        let (countedCut, cutRead, _) = try piped(cut)
        #expect(countedCut == expectedCut && cutRead == expectedCutRead)
        guard case .damaged = cutRead.end else { Issue.record("a cut file is damaged: \(cutRead.end)"); return }

        // Stopped before it starts: nothing read.
        let stop = CaptureStop()
        stop.stop()
        let pipeline = AttributionPipeline(TrafficAttributor(table: Self.table, agencyCount: 3))
        let stopped = try PcapFileSource(path: path).read(into: pipeline, stop: stop)
        #expect(stopped.end == .stopped && stopped.records == 0 && pipeline.finish().summary().seen.packets == 0)
    }

    @Test func nothingAddedIsAnEmptySummary() {
        let pipeline = AttributionPipeline(TrafficAttributor(table: Self.table, agencyCount: 3))
        #expect(pipeline.finish().summary() == TrafficAttributor(table: Self.table, agencyCount: 3).summary())
    }
}
