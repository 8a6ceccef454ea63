import Foundation
import Glibc
import Testing
import SimpulCapture

/// Capture files written through libpcap and read back through ``PcapFileSource``.
@Suite("Capture files")
final class CaptureFileTests {
    let scratch: CaptureScratch

    init() throws { scratch = try CaptureScratch() }
    deinit { scratch.remove() }

    @Test(arguments: [LinkType.ethernet, .linuxSLL, .raw])
    func whatIsWrittenIsReadBack(linkType: LinkType) throws {
        let path = scratch.path("roundtrip-\(linkType.rawValue).pcap")
        var records = CaptureFiles.records(5, linkType: linkType)
        records[1].seconds = 1_767_225_601
        records[1].nanoseconds = 999_999_999
        records[2].nanoseconds = 0
        records[3].wireLength = 1500          // a frame captured in part
        records[4].bytes = []                 // nothing captured at all
        records[4].wireLength = 60
        try CaptureFiles.write(path, linkType: linkType, records)

        let (packets, summary, file) = try CaptureFiles.readAll(path)
        #expect(file.linkType == linkType)
        #expect(file.snapshotLength == 262_144)
        #expect(summary.end == .endOfFile)
        #expect(summary.records == 5)
        #expect(summary.fileSize == Int64(try scratch.bytes("roundtrip-\(linkType.rawValue).pcap").count))
        #expect(summary.bytesConsumed == summary.fileSize)
        #expect(packets.count == records.count)
        for (packet, record) in zip(packets, records) {
            #expect(packet.linkType == linkType)
            #expect(packet.header.seconds == record.seconds)
            #expect(packet.header.nanoseconds == record.nanoseconds)
            #expect(packet.header.capturedLength == record.bytes.count)
            #expect(packet.header.wireLength == record.wireLength)
            #expect(packet.bytes == record.bytes)
        }
    }

    @Test func theSnapshotLengthCutsWhatIsWrittenAndTheWireLengthStays() throws {
        let path = scratch.path("snap.pcap")
        let frame = CaptureFrames.frame(.ethernet, index: 1, size: 400)
        try CaptureFiles.write(path, linkType: .ethernet, snapshotLength: 96,
                               [CaptureRecord(seconds: 1_767_225_600, nanoseconds: 5, bytes: frame, wireLength: frame.count)])
        let (packets, _, file) = try CaptureFiles.readAll(path)
        #expect(file.snapshotLength == 96)
        #expect(packets.count == 1)
        #expect(packets.first?.header.capturedLength == 96)
        #expect(packets.first?.bytes == Array(frame.prefix(96)))
        #expect(packets.first?.header.wireLength == frame.count)
    }

    @Test func microsecondFilesGiveWholeMicrosecondsInNanoseconds() throws {
        let path = scratch.path("micro.pcap")
        var records = CaptureFiles.records(2)
        records[0].nanoseconds = 123_456_789
        records[1].nanoseconds = 999_999_999
        try CaptureFiles.write(path, linkType: .ethernet, nanosecondTimestamps: false, records)
        let (packets, _, _) = try CaptureFiles.readAll(path)
        #expect(packets.map(\.header.nanoseconds) == [123_456_000, 999_999_000])
        #expect(packets.first?.header.nanosecondsSince1970 == 1_767_225_600_123_456_000)
    }

    @Test func progressIsReportedEveryNRecordsAndAtTheEnd() throws {
        let path = scratch.path("progress.pcap")
        try CaptureFiles.write(path, linkType: .ethernet, CaptureFiles.records(1000))
        let file = try PcapFileSource(path: path)
        var reports: [ReadProgress] = []
        var count = 0
        let summary = file.read(progressEvery: 100, progress: { reports.append($0) }) { _ in count += 1 }
        #expect(count == 1000)
        #expect(reports.count == 11)
        #expect(reports.map(\.records) == Array(stride(from: 100, through: 1000, by: 100)) + [1000])
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytesConsumed <= $1.bytesConsumed })
        #expect(reports.last?.bytesConsumed == summary.fileSize)
        #expect(reports.last?.fraction == 1)
        #expect(reports.first.map { $0.bytesConsumed > 0 && $0.bytesConsumed < summary.fileSize! } == true)
    }

    struct Enough: Error, Equatable {}

    @Test func anErrorFromThePacketClosureIsRethrownAndReadingGoesOnAfterIt() throws {
        let path = scratch.path("rethrow.pcap")
        let records = CaptureFiles.records(20)
        try CaptureFiles.write(path, linkType: .ethernet, records)
        let file = try PcapFileSource(path: path)
        var seen: [[UInt8]] = []
        #expect(throws: Enough()) {
            _ = try file.read { (packet) throws(Enough) in
                seen.append([UInt8](packet.bytes))
                if seen.count == 5 { throw Enough() }
            }
        }
        #expect(seen.count == 5)
        let rest = file.read { packet in seen.append([UInt8](packet.bytes)) }
        #expect(rest.records == 15)
        #expect(rest.end == .endOfFile)
        #expect(seen == records.map(\.bytes))
        // After the end there is nothing more.
        #expect(file.read { _ in Issue.record("read after the end") }.records == 0)
    }

    @Test func aStoppedReadEndsAsStopped() throws {
        let path = scratch.path("stop.pcap")
        try CaptureFiles.write(path, linkType: .ethernet, CaptureFiles.records(20_000))
        let stopped = CaptureStop()
        stopped.stop()
        let summary = try PcapFileSource(path: path).read(stop: stopped) { _ in Issue.record("a packet after stop") }
        #expect(summary.end == .stopped)
        #expect(summary.records == 0)

        let midway = CaptureStop()
        var count = 0
        let partial = try PcapFileSource(path: path).read(stop: midway) { _ in
            count += 1
            if count == 5000 { midway.stop() }
        }
        #expect(partial.end == .stopped)
        #expect(partial.records >= 5000 && partial.records < 20_000)
        #expect(partial.problem?.english.contains("stopped on request") == true)
    }

    @Test func theAsyncReadRunsOffTheCooperativePool() async throws {
        let path = scratch.path("async.pcap")
        try CaptureFiles.write(path, linkType: .ethernet, CaptureFiles.records(3000))
        let (state, summary, linkType) = try await PcapFileSource.read(path: path, state: (packets: 0, bytes: 0)) { state, packet in
            state.packets += 1
            state.bytes += packet.header.wireLength
        }
        #expect(linkType == .ethernet)
        #expect(summary.end == .endOfFile)
        #expect(state.packets == 3000)
        #expect(state.bytes == CaptureFiles.records(3000).reduce(0) { $0 + $1.wireLength })
    }

    static let pcapngTool = CaptureCommand.find("editcap")

    @Test(.enabled(if: pcapngTool != nil, "needs editcap (Debian wireshark-common) to write a pcapng file: libpcap writes pcap only"))
    func pcapngFromARealToolIsRead() throws {
        let pcap = scratch.path("source.pcap"), pcapng = scratch.path("converted.pcapng")
        let records = CaptureFiles.records(50)
        try CaptureFiles.write(pcap, linkType: .ethernet, records)
        try CaptureCommand.run(Self.pcapngTool!, ["-F", "pcapng", pcap, pcapng])
        // A pcapng Section Header Block starts with 0x0A0D0D0A.
        #expect(try scratch.bytes("converted.pcapng").prefix(4) == [0x0a, 0x0d, 0x0d, 0x0a])

        let (packets, summary, file) = try CaptureFiles.readAll(pcapng)
        #expect(file.linkType == .ethernet)
        #expect(summary.end == .endOfFile)
        #expect(packets.map(\.bytes) == records.map(\.bytes))
        #expect(packets.map(\.header.seconds) == records.map(\.seconds))
        #expect(packets.map(\.header.nanoseconds) == records.map(\.nanoseconds))
        #expect(packets.map(\.header.wireLength) == records.map(\.wireLength))

        // Cut inside its last block: the records before it are kept.
        let bytes = try scratch.bytes("converted.pcapng")
        try scratch.write("cut.pcapng", Array(bytes.prefix(bytes.count - 10)))
        let (cutPackets, cutSummary, _) = try CaptureFiles.readAll(scratch.path("cut.pcapng"))
        #expect(cutPackets.count == 49)
        guard case .damaged(let record, let reason) = cutSummary.end else {
            Issue.record("expected damage, got \(cutSummary.end)")
            return
        }
        #expect(record == 50)
        #expect(reason.contains("truncated"))
    }
}
