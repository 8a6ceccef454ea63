import Foundation
import SimpulCapture
import SimpulCore
import Testing

/// Attribution end to end (issue 16): pcap files written through libpcap with known traffic per
/// agency — Ethernet with VLAN tags and QinQ, IPv6, Linux cooked captures, malformed records among
/// them — read back by the libpcap adapter and counted by the attributor, figure by figure.
@Suite("Capture files attributed to agencies")
struct CaptureAttributionTests {
    /// Agencies 0 (10.30.1.0/24, 2001:db8:30:1::/64), 1 (10.30.2.0/24) and 2 (10.30.2.128/25 inside 1's range).
    static let table = try! PrefixTable([
        (Prefix("10.30.1.0/24")!, 0), (Prefix("2001:db8:30:1::/64")!, 0), (Prefix("10.30.2.0/24")!, 1), (Prefix("10.30.2.128/25")!, 2),
    ])

    static func temporaryFile(_ name: String) -> String {
        NSTemporaryDirectory() + "simpul-attribution-\(UUID().uuidString)-\(name)"
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func ipv4(_ source: [UInt8], _ destination: [UInt8], payload: Int = 26) -> [UInt8] {
        let total = 20 + 8 + payload
        return [0x45, 0] + be16(total) + [0, 0, 0, 0, 64, 17, 0, 0] + source + destination + be16(40_000) + be16(443) + be16(8 + payload) + [0, 0]
            + [UInt8](repeating: 0, count: payload)
    }

    static func ipv6(_ source: [UInt8], _ destination: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(8) + [17, 64] + source + destination + be16(50_000) + be16(53) + be16(8) + [0, 0]
    }

    static func ethernet(_ ip: [UInt8], type: Int = 0x0800, tags: [Int] = []) -> [UInt8] {
        var frame: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]
        for (i, tag) in tags.enumerated() { frame += be16(i == 0 && tags.count > 1 ? 0x88A8 : 0x8100) + be16(tag) }
        return frame + be16(type) + ip
    }

    static let v6agency: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0x30, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9]
    static let v6outside: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]

    func attribute(_ path: String) throws -> (AttributionSummary, FileReadSummary) {
        let source = try PcapFileSource(path: path)
        var attributor = TrafficAttributor(table: Self.table, agencyCount: 3)
        let read = source.read { packet in
            attributor.add(linkType: CaptureLinkType(rawValue: packet.linkType.rawValue), frame: packet.bytes, wireLength: packet.header.wireLength,
                           seconds: packet.header.seconds, nanoseconds: packet.header.nanoseconds)
        }
        return (attributor.summary(), read)
    }

    @Test func ethernetWithVLANsAndIPv6() throws {
        let path = Self.temporaryFile("eth.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapDumpWriter(path: path, linkType: .ethernet)
        let t: Int64 = 1_795_999_980          // on a minute boundary
        // Agency 0 downloads ten 82-byte frames (untagged), uploads five over VLAN 20, gets four over QinQ.
        for i in 0..<10 { try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 1], [10, 30, 1, 5])), seconds: t + Int64(i)) }
        for i in 0..<5 { try writer.write(Self.ethernet(Self.ipv4([10, 30, 1, 5], [198, 51, 100, 1]), tags: [20]), seconds: t + 60 + Int64(i)) }
        for i in 0..<4 { try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 2], [10, 30, 1, 6]), tags: [100, 20]), seconds: t + Int64(i)) }
        // IPv6 to agency 0, three frames of 62 bytes.
        for i in 0..<3 { try writer.write(Self.ethernet(Self.ipv6(Self.v6outside, Self.v6agency), type: 0x86DD), seconds: t + Int64(i)) }
        // The nested range: 10.30.2.200 is agency 2's, 10.30.2.7 agency 1's.
        try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 3], [10, 30, 2, 200])), seconds: t)
        try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 3], [10, 30, 2, 7])), seconds: t)
        // Agency 1 to agency 2: one's out, the other's in. Inside agency 0: internal.
        try writer.write(Self.ethernet(Self.ipv4([10, 30, 2, 7], [10, 30, 2, 200])), seconds: t)
        try writer.write(Self.ethernet(Self.ipv4([10, 30, 1, 5], [10, 30, 1, 6])), seconds: t)
        // Nobody's, ARP, and two malformed frames (an IPv4 header length that lies; a truncated VLAN tag).
        try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 1], [203, 0, 113, 1])), seconds: t)
        try writer.write([UInt8](repeating: 0xFF, count: 6) + [2, 0, 0, 0, 0, 1, 0x08, 0x06] + [UInt8](repeating: 0, count: 28), seconds: t)
        var lying = Self.ethernet(Self.ipv4([198, 51, 100, 1], [10, 30, 1, 5]))
        lying[14] = 0x4F                      // IHL 15 words: 60 bytes, more than the frame holds
        try writer.write(lying, seconds: t)
        try writer.write([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0], seconds: t)
        try writer.close()

        let (summary, read) = try attribute(path)
        #expect(read.isComplete && read.records == 30)
        let a0 = try #require(summary.agency(0)), a1 = try #require(summary.agency(1)), a2 = try #require(summary.agency(2))
        let frame4 = UInt64(14 + 54)               // an untagged IPv4 frame of this test
        #expect(a0.inbound == TrafficCount(bytes: 10 * frame4 + 4 * (frame4 + 8) + 3 * 62, packets: 17))
        #expect(a0.outbound == TrafficCount(bytes: 5 * (frame4 + 4), packets: 5))
        #expect(a0.internalTraffic == TrafficCount(bytes: frame4, packets: 1))
        #expect(a1.inbound.packets == 1 && a1.outbound.packets == 1)
        #expect(a2.inbound.packets == 2, "the nested /25 wins for 10.30.2.200, from outside and from agency 1")
        #expect(summary.unattributed == TrafficCount(bytes: frame4, packets: 1))
        #expect(summary.nonIP.packets == 1)
        #expect(summary.failed.packets == 2)
        // Per minute: agency 0's uploads all fell in the second minute.
        #expect(a0.series.first { $0.start == t + 60 }?.outbound.packets == 5)
        #expect(a0.series.first { $0.start == t }?.inbound.packets == 17)
    }

    @Test func linuxCookedCaptures() throws {
        let path = Self.temporaryFile("sll.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapDumpWriter(path: path, linkType: .linuxSLL)
        for i in 0..<7 {
            // SLL: packet type, ARPHRD_ETHER, address length 6, the address and two bytes of padding, then the protocol.
            let header: [UInt8] = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00]
            try writer.write(header + Self.ipv4([10, 30, 2, 9], [198, 51, 100, 7]), seconds: 1_796_000_000 + Int64(i))
        }
        try writer.close()
        let (summary, read) = try attribute(path)
        #expect(read.isComplete && read.records == 7)
        #expect(summary.agency(1)?.outbound == TrafficCount(bytes: 7 * (16 + 54), packets: 7))
    }

    @Test func aTruncatedLastRecordKeepsWhatCameBefore() throws {
        let path = Self.temporaryFile("cut.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapDumpWriter(path: path, linkType: .ethernet)
        for i in 0..<20 { try writer.write(Self.ethernet(Self.ipv4([198, 51, 100, 1], [10, 30, 1, 5])), seconds: 1_796_000_000 + Int64(i)) }
        try writer.close()
        // Cut the file in the middle of the last record.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 30).write(to: URL(fileURLWithPath: path))
        let (summary, read) = try attribute(path)
        #expect(!read.isComplete && read.records == 19)
        #expect(summary.agency(0)?.inbound.packets == 19)
    }
}
