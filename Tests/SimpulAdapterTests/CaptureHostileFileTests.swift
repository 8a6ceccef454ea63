import Foundation
import Glibc
import Testing
import SimpulCapture

/// Files that are not what they say: each gives the right ``PcapError`` or a partial read, never a crash.
@Suite("Capture files that are damaged or hostile")
final class CaptureHostileFileTests {
    let scratch: CaptureScratch

    init() throws { scratch = try CaptureScratch() }
    deinit { scratch.remove() }

    /// Three Ethernet records of 100 captured bytes each: a 24-byte file header, then 16 + 100 per record.
    func threeRecords(snapshotLength: Int = 262_144) throws -> [UInt8] {
        let records = (0..<3).map { index in
            CaptureRecord(seconds: 1_767_225_600, nanoseconds: Int32(index), bytes: CaptureFrames.frame(.ethernet, index: index, size: 58), wireLength: 100)
        }
        #expect(records.allSatisfy { $0.bytes.count == 100 })
        try CaptureFiles.write(scratch.path("valid.pcap"), linkType: .ethernet, snapshotLength: snapshotLength, records)
        let bytes = try scratch.bytes("valid.pcap")
        #expect(bytes.count == 24 + 3 * 116)
        return bytes
    }

    func openError(_ bytes: [UInt8], _ name: String = "hostile.pcap") throws -> PcapError? {
        try scratch.write(name, bytes)
        do {
            _ = try PcapFileSource(path: scratch.path(name))
            return nil
        } catch {
            return error
        }
    }

    @Test func aFileThatIsNotACaptureSaysSo() throws {
        let error = try openError(Array("GIF89a this is a picture, not a capture file".utf8))
        #expect(error == .notACaptureFile)
        #expect(error?.english.contains("not a pcap or pcapng capture file") == true)
        #expect(error?.english.contains("tcpdump -w") == true)
        #expect(error?.indonesian.contains("bukan berkas tangkapan") == true)
    }

    @Test func anEmptyFileIsNotACaptureFile() throws {
        let error = try openError([])
        #expect(error == .notACaptureFile)
        #expect(error?.english.contains("empty") == true)
    }

    @Test func aFileCutInsideItsHeaderIsNotACaptureFile() throws {
        let valid = try threeRecords()
        let error = try openError(Array(valid.prefix(10)))
        #expect(error == .notACaptureFile)
        #expect(error?.english.contains("truncated") == true)
    }

    @Test func aHeaderOnlyFileHasNoRecords() throws {
        let valid = try threeRecords()
        try scratch.write("header.pcap", Array(valid.prefix(24)))
        let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("header.pcap"))
        #expect(packets.isEmpty)
        #expect(summary.end == .endOfFile)
        #expect(summary.bytesConsumed == 24)
    }

    @Test func anUnsupportedVersionIsUnsupported() throws {
        var bytes = try threeRecords()
        bytes[4] = 9 // major version 9, little-endian
        #expect(try openError(bytes) == .unsupportedFile)
    }

    @Test func missingFilesAndDirectoriesAreNamed() throws {
        let missing = scratch.path("nothing-here.pcap")
        #expect(throws: PcapError.noSuchFile) { try PcapFileSource(path: missing) }
        do {
            _ = try PcapFileSource(path: missing)
        } catch {
            #expect(error.english.contains(missing))
        }
        #expect(throws: PcapError.notAFile) { try PcapFileSource(path: self.scratch.directory.path) }
    }

    @Test(.enabled(if: geteuid() != 0, "root reads any file: permission cannot be denied to it"))
    func anUnreadableFileIsAPermissionError() throws {
        let bytes = try threeRecords()
        try scratch.write("locked.pcap", bytes)
        chmod(scratch.path("locked.pcap"), 0)
        #expect(throws: PcapError.fileNotPermitted) { try PcapFileSource(path: self.scratch.path("locked.pcap")) }
    }

    /// (where the file is cut, records read before it, the record the damage is reported at; nil: no damage)
    static let cuts: [(Int, Int, Int?)] = [
        (24 + 8, 0, 1),                 // inside the first record's header
        (24 + 16 + 50, 0, 1),           // inside the first record's data
        (24 + 116 + 8, 1, 2),           // inside the second record's header
        (24 + 116 + 16 + 99, 1, 2),     // one byte short of the second record
        (24 + 232 + 16 + 1, 2, 3),      // the third record's first byte only
        (24 + 348, 3, nil),             // whole
    ]

    @Test(arguments: cuts)
    func aTruncatedFileKeepsTheRecordsBeforeTheCut(cut: (Int, Int, Int?)) throws {
        let (length, before, damagedAt) = cut
        let valid = try threeRecords()
        try scratch.write("cut.pcap", Array(valid.prefix(length)))
        let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("cut.pcap"))
        #expect(packets.count == before)
        #expect(summary.records == before)
        #expect(packets.map(\.bytes) == (0..<before).map { index in Array(valid[(24 + 116 * index + 16)..<(24 + 116 * (index + 1))]) })
        #expect(summary.bytesConsumed <= Int64(length))
        if let damagedAt {
            guard case .damaged(let record, let reason) = summary.end else {
                Issue.record("expected damage at record \(damagedAt), got \(summary.end)")
                return
            }
            #expect(record == damagedAt)
            #expect(reason.contains("truncated"))
            #expect(summary.problem?.english.hasPrefix("stopped at record \(damagedAt): ") == true)
            #expect(summary.problem?.indonesian.contains("rekaman ke-\(damagedAt)") == true)
            #expect(!summary.isComplete)
        } else {
            #expect(summary.end == .endOfFile)
            #expect(summary.problem == nil)
        }
    }

    /// The second record's caplen field (little-endian, at offset 8 of its header), patched.
    func patchedCaplen(_ value: UInt32, snapshotLength: Int = 262_144) throws -> [UInt8] {
        var bytes = try threeRecords(snapshotLength: snapshotLength)
        let field = 24 + 116 + 8
        for index in 0..<4 { bytes[field + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
        return bytes
    }

    @Test func aCaplenLargerThanTheSnapshotLengthIsCutToItAndTheLieStopsTheReadAtTheNextRecord() throws {
        // libpcap keeps the first snaplen bytes of a record that claims more and skips as many bytes
        // as the header says: here 72 bytes into the third record, whose "header" is then garbage.
        try scratch.write("caplen.pcap", try patchedCaplen(200, snapshotLength: 128))
        let (packets, summary, file) = try CaptureFiles.readAll(scratch.path("caplen.pcap"))
        #expect(file.snapshotLength == 128)
        #expect(packets.count == 2)
        #expect(packets.last?.header.capturedLength == 128)
        #expect(packets.last?.bytes.count == 128)
        guard case .damaged(let record, let reason) = summary.end else {
            Issue.record("expected damage, got \(summary.end)")
            return
        }
        #expect(record == 3)
        #expect(reason.contains("bigger than"))
    }

    @Test func aCaplenLargerThanTheSnapshotLengthOfTheLastRecordStopsTheRead() throws {
        // The same lie in the last record: the bytes it claims are not there.
        var bytes = try threeRecords(snapshotLength: 128)
        let field = 24 + 232 + 8
        bytes[field] = 200; bytes[field + 1] = 0; bytes[field + 2] = 0; bytes[field + 3] = 0
        try scratch.write("last.pcap", bytes)
        let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("last.pcap"))
        #expect(packets.count == 2)
        guard case .damaged(let record, _) = summary.end else {
            Issue.record("expected damage, got \(summary.end)")
            return
        }
        #expect(record == 3)
    }

    @Test(arguments: [UInt32(0xffff_fff0), 0x8000_0000, 262_145])
    func aHugeCaplenStopsTheReadWithoutAllocatingIt(caplen: UInt32) throws {
        try scratch.write("huge.pcap", try patchedCaplen(caplen))
        let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("huge.pcap"))
        #expect(packets.count == 1)
        guard case .damaged(let record, let reason) = summary.end else {
            Issue.record("expected damage, got \(summary.end)")
            return
        }
        #expect(record == 2)
        #expect(reason.contains("\(caplen)"))
    }

    @Test func aWireLengthShorterThanTheCapturedPartIsPassedOnAsItIs() throws {
        var bytes = try threeRecords()
        // The second record's len field (offset 12 of its header): 10, though 100 bytes were captured.
        let field = 24 + 116 + 12
        bytes[field] = 10; bytes[field + 1] = 0; bytes[field + 2] = 0; bytes[field + 3] = 0
        try scratch.write("len.pcap", bytes)
        let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("len.pcap"))
        #expect(summary.end == .endOfFile)
        #expect(packets.count == 3)
        #expect(packets[1].header.wireLength == 10)
        #expect(packets[1].header.capturedLength == 100)
        #expect(packets[1].bytes.count == 100)
    }

    @Test func randomDamageNeverCrashes() throws {
        var valid: [UInt8] = []
        let records = CaptureFiles.records(40, size: 30)
        try CaptureFiles.write(scratch.path("base.pcap"), linkType: .ethernet, records)
        valid = try scratch.bytes("base.pcap")
        var generator = CaptureSplitMix(seed: 20_260_101)
        var damaged = 0
        for round in 0..<300 {
            var bytes = valid
            for _ in 0..<(1 + Int(generator.next() % 8)) {
                // Past the file header, so each file opens and its records are what is hostile.
                let offset = 24 + Int(generator.next() % UInt64(bytes.count - 24))
                bytes[offset] = UInt8(truncatingIfNeeded: generator.next())
            }
            if round % 3 == 0 { bytes = Array(bytes.prefix(24 + Int(generator.next() % UInt64(bytes.count - 24)))) }
            try scratch.write("fuzz.pcap", bytes)
            let (packets, summary, _) = try CaptureFiles.readAll(scratch.path("fuzz.pcap"))
            #expect(packets.count == summary.records)
            #expect(packets.allSatisfy { $0.bytes.count == $0.header.capturedLength && (0..<1_000_000_000).contains($0.header.nanoseconds) })
            #expect(summary.bytesConsumed <= Int64(bytes.count))
            if case .damaged = summary.end { damaged += 1 }
        }
        // The damage was real: some reads stopped early.
        #expect(damaged > 0)
    }
}

/// A small deterministic generator, so a failing round can be replayed.
struct CaptureSplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
