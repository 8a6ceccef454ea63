@testable import SimpulCore
import Testing

/// The frame decoder (issue 16): every link type the capture adapter may hand over, IPv4 and
/// IPv6 with extension headers and fragments, and hostile or truncated frames, which must end in
/// a typed failure and never in a trap.
@Suite("Survey: packet decoder")
struct SurveyDecoderTests {
    typealias F = SurveyFrames

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var linkType: CaptureLinkType
        var frame: [UInt8]
        var source: String
        var destination: String
        var proto: UInt8
        var ports: (UInt16, UInt16)?
        var testDescription: String { name }
    }

    static let tcp4 = F.ipv4("10.1.2.3", "192.0.2.9", payload: F.ports(40_001, 443))
    static let udp6 = F.ipv6("2001:db8:1::5", "2001:db8:ff::1", next: 17, payload: F.ports(5353, 53, length: 8))

    static let cases: [Case] = [
        Case(name: "Ethernet IPv4 TCP", linkType: .ethernet, frame: F.ethernet(tcp4),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "Ethernet IPv6 UDP", linkType: .ethernet, frame: F.ethernet(udp6, type: 0x86DD),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "802.1Q", linkType: .ethernet, frame: F.ethernet(tcp4, tags: [(0x8100, 20)]),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "QinQ 802.1ad + 802.1Q", linkType: .ethernet, frame: F.ethernet(udp6, type: 0x86DD, tags: [(0x88A8, 100), (0x8100, 20)]),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "0x9100 + 0x9100 + 802.1Q", linkType: .ethernet, frame: F.ethernet(tcp4, tags: [(0x9100, 1), (0x9100, 2), (0x8100, 3)]),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "Linux SLL", linkType: .linuxSLL, frame: F.sll(tcp4),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "Linux SLL with a VLAN tag", linkType: .linuxSLL, frame: F.sll(F.be16(20) + F.be16(0x0800) + tcp4, protocol: 0x8100),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "Linux SLL2 IPv6", linkType: .linuxSLL2, frame: F.sll2(udp6, protocol: 0x86DD),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "raw (DLT 12)", linkType: .rawLinux, frame: tcp4,
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "raw (DLT 14) IPv6", linkType: .rawBSD, frame: udp6,
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "LINKTYPE_RAW 101", linkType: .raw, frame: tcp4,
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "LINKTYPE_IPV4", linkType: .ipv4, frame: tcp4,
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "LINKTYPE_IPV6", linkType: .ipv6, frame: udp6,
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "NULL AF_INET little-endian", linkType: .null, frame: F.null(tcp4, family: 2),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "NULL AF_INET6 (Linux 10) big-endian host", linkType: .null, frame: F.null(udp6, family: 10, bigEndian: true),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "NULL AF_INET6 (macOS 30)", linkType: .null, frame: F.null(udp6, family: 30),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "LOOP AF_INET network order", linkType: .loop, frame: F.null(tcp4, family: 2, bigEndian: true),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: (40_001, 443)),
        Case(name: "LOOP AF_INET6 (FreeBSD 28)", linkType: .loop, frame: F.null(udp6, family: 28, bigEndian: true),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "LOOP AF_INET6 (OpenBSD 24)", linkType: .loop, frame: F.null(udp6, family: 24, bigEndian: true),
             source: "2001:db8:1::5", destination: "2001:db8:ff::1", proto: 17, ports: (5353, 53)),
        Case(name: "IPv4 with options, SCTP", linkType: .rawLinux,
             frame: F.ipv4("10.9.9.9", "10.8.8.8", proto: 132, payload: F.ports(2905, 2905, length: 12), options: 8),
             source: "10.9.9.9", destination: "10.8.8.8", proto: 132, ports: (2905, 2905)),
        Case(name: "ICMP: no ports", linkType: .ethernet, frame: F.ethernet(F.ipv4("10.1.2.3", "10.1.2.4", proto: 1, payload: [8, 0, 0, 0, 0, 1, 0, 1])),
             source: "10.1.2.3", destination: "10.1.2.4", proto: 1, ports: nil),
        Case(name: "IPv4 first fragment has ports", linkType: .ethernet,
             frame: F.ethernet(F.ipv4("10.1.2.3", "10.1.2.4", proto: 17, payload: F.ports(1000, 2000, length: 8), moreFragments: true)),
             source: "10.1.2.3", destination: "10.1.2.4", proto: 17, ports: (1000, 2000)),
        Case(name: "IPv4 later fragment has none", linkType: .ethernet,
             frame: F.ethernet(F.ipv4("10.1.2.3", "10.1.2.4", proto: 17, payload: F.ports(1000, 2000, length: 8), fragmentOffset: 185)),
             source: "10.1.2.3", destination: "10.1.2.4", proto: 17, ports: nil),
        Case(name: "IPv6 hop-by-hop, routing, destination options", linkType: .rawLinux,
             frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 0, extensions: [
                F.extensionHeader(next: 43, units: 1), F.extensionHeader(next: 60, units: 3), F.extensionHeader(next: 6, units: 2),
             ], payload: F.ports(22, 50_000)),
             source: "2001:db8::1", destination: "2001:db8::2", proto: 6, ports: (22, 50_000)),
        Case(name: "IPv6 first fragment", linkType: .rawLinux,
             frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 44, extensions: [F.fragmentHeader(next: 17, offset: 0)],
                           payload: F.ports(123, 123, length: 8)),
             source: "2001:db8::1", destination: "2001:db8::2", proto: 17, ports: (123, 123)),
        Case(name: "IPv6 later fragment", linkType: .rawLinux,
             frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 44, extensions: [F.fragmentHeader(next: 17, offset: 181, more: false)],
                           payload: F.ports(123, 123, length: 8)),
             source: "2001:db8::1", destination: "2001:db8::2", proto: 17, ports: nil),
        Case(name: "IPv6 no next header", linkType: .rawLinux,
             frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 59, payload: []),
             source: "2001:db8::1", destination: "2001:db8::2", proto: 59, ports: nil),
        Case(name: "ports cut by the snap length: counted without ports", linkType: .ethernet,
             frame: Array(F.ethernet(tcp4).prefix(14 + 20 + 3)),
             source: "10.1.2.3", destination: "192.0.2.9", proto: 6, ports: nil),
        Case(name: "Ethernet padding after a short total length is not read as ports", linkType: .ethernet,
             frame: F.ethernet(F.ipv4("10.1.2.3", "10.1.2.4", proto: 6, payload: [], totalLength: 20) + [UInt8](repeating: 0xEE, count: 26)),
             source: "10.1.2.3", destination: "10.1.2.4", proto: 6, ports: nil),
        Case(name: "total length 0 (segmentation offload) still reads ports", linkType: .ethernet,
             frame: F.ethernet(F.ipv4("10.1.2.3", "10.1.2.4", totalLength: 0)),
             source: "10.1.2.3", destination: "10.1.2.4", proto: 6, ports: (40_000, 443)),
    ]

    @Test(arguments: cases)
    func decodes(_ c: Case) throws {
        let packet = try #require(F.packet(c.linkType, c.frame), "\(F.decode(c.linkType, c.frame))")
        #expect(packet.source == IPAddress(c.source)!)
        #expect(packet.destination == IPAddress(c.destination)!)
        #expect(packet.transportProtocol == c.proto)
        #expect(packet.hasPorts == (c.ports != nil))
        if let (source, destination) = c.ports {
            #expect(packet.sourcePort == source)
            #expect(packet.destinationPort == destination)
            #expect(packet.servicePort == min(source, destination))
        } else {
            #expect(packet.servicePort == nil)
        }
    }

    @Test func laterFragmentsAreMarked() throws {
        let later = try #require(F.packet(.rawLinux, F.ipv4("10.0.0.1", "10.0.0.2", proto: 17, fragmentOffset: 1)))
        #expect(later.isLaterFragment)
        let first = try #require(F.packet(.rawLinux, F.ipv4("10.0.0.1", "10.0.0.2", proto: 17, moreFragments: true)))
        #expect(!first.isLaterFragment)
    }

    struct NonIP: Sendable, CustomTestStringConvertible {
        var name: String
        var linkType: CaptureLinkType
        var frame: [UInt8]
        var testDescription: String { name }
    }

    @Test(arguments: [
        NonIP(name: "ARP", linkType: .ethernet, frame: F.ethernet([UInt8](repeating: 0, count: 28), type: 0x0806)),
        NonIP(name: "LLDP", linkType: .ethernet, frame: F.ethernet([UInt8](repeating: 0, count: 30), type: 0x88CC)),
        NonIP(name: "tagged ARP", linkType: .ethernet, frame: F.ethernet([UInt8](repeating: 0, count: 28), type: 0x0806, tags: [(0x8100, 5)])),
        NonIP(name: "802.3 length field (STP)", linkType: .ethernet, frame: F.ethernet([0x42, 0x42, 0x03, 0, 0], type: 0x0026)),
        NonIP(name: "SLL ARP", linkType: .linuxSLL, frame: F.sll([UInt8](repeating: 0, count: 28), protocol: 0x0806)),
        NonIP(name: "SLL2 unknown", linkType: .linuxSLL2, frame: F.sll2([1, 2, 3], protocol: 0x1234)),
        NonIP(name: "NULL AF 7", linkType: .null, frame: F.null([1, 2, 3], family: 7)),
        NonIP(name: "Ethernet header only, unknown EtherType", linkType: .ethernet, frame: F.ethernet([], type: 0x9999)),
    ])
    func nonIPFramesAreNotErrors(_ c: NonIP) {
        #expect(F.decode(c.linkType, c.frame) == .nonIP)
    }

    struct Hostile: Sendable, CustomTestStringConvertible {
        var name: String
        var linkType: CaptureLinkType
        var frame: [UInt8]
        var wireLength: Int?
        var reason: PacketDecodeFailure
        var testDescription: String { name }
    }

    static let hostile: [Hostile] = [
        Hostile(name: "unsupported link type", linkType: CaptureLinkType(rawValue: 127), frame: tcp4, reason: .unsupportedLinkType),
        Hostile(name: "caplen beyond len", linkType: .ethernet, frame: F.ethernet(tcp4), wireLength: 20, reason: .capturedBeyondWireLength),
        Hostile(name: "empty Ethernet", linkType: .ethernet, frame: [], reason: .truncatedLinkHeader),
        Hostile(name: "13-byte Ethernet", linkType: .ethernet, frame: Array(F.ethernet(tcp4).prefix(13)), reason: .truncatedLinkHeader),
        Hostile(name: "VLAN tag cut", linkType: .ethernet, frame: Array(F.ethernet(tcp4, tags: [(0x8100, 1)]).prefix(16)), reason: .truncatedVLANTag),
        Hostile(name: "nine VLAN tags", linkType: .ethernet,
                frame: F.ethernet(tcp4, tags: Array(repeating: (0x8100, 1), count: 9)), reason: .tooManyVLANTags),
        Hostile(name: "endless VLAN tags to the end of the capture", linkType: .ethernet,
                frame: F.ethernet([], type: 0x8100, tags: Array(repeating: (0x8100, 0x8100), count: 3)), reason: .truncatedVLANTag),
        Hostile(name: "SLL cut", linkType: .linuxSLL, frame: Array(F.sll(tcp4).prefix(15)), reason: .truncatedLinkHeader),
        Hostile(name: "SLL2 cut", linkType: .linuxSLL2, frame: Array(F.sll2(tcp4).prefix(19)), reason: .truncatedLinkHeader),
        Hostile(name: "NULL cut", linkType: .null, frame: [2, 0, 0], reason: .truncatedLinkHeader),
        Hostile(name: "raw empty", linkType: .rawLinux, frame: [], reason: .truncatedIPHeader),
        Hostile(name: "raw version 5", linkType: .raw, frame: [0x55] + tcp4.dropFirst(), reason: .badIPVersion),
        Hostile(name: "EtherType IPv4 carrying version 6", linkType: .ethernet, frame: F.ethernet(udp6), reason: .badIPVersion),
        Hostile(name: "EtherType IPv6 carrying version 4", linkType: .ethernet, frame: F.ethernet(tcp4 + [UInt8](repeating: 0, count: 20), type: 0x86DD), reason: .badIPVersion),
        Hostile(name: "LINKTYPE_IPV6 carrying IPv4", linkType: .ipv6, frame: tcp4, reason: .badIPVersion),
        Hostile(name: "LINKTYPE_IPV4 carrying IPv6", linkType: .ipv4, frame: udp6, reason: .badIPVersion),
        Hostile(name: "IPv4 cut at 19 bytes", linkType: .rawLinux, frame: Array(tcp4.prefix(19)), reason: .truncatedIPHeader),
        Hostile(name: "IHL 0", linkType: .rawLinux, frame: F.ipv4("10.0.0.1", "10.0.0.2", ihl: 0), reason: .ipv4HeaderTooShort),
        Hostile(name: "IHL 4", linkType: .rawLinux, frame: F.ipv4("10.0.0.1", "10.0.0.2", ihl: 4), reason: .ipv4HeaderTooShort),
        Hostile(name: "IHL 15 past a 40-byte capture", linkType: .rawLinux, frame: F.ipv4("10.0.0.1", "10.0.0.2", ihl: 15), reason: .ipv4HeaderBeyondCapture),
        Hostile(name: "total length below the header", linkType: .rawLinux, frame: F.ipv4("10.0.0.1", "10.0.0.2", totalLength: 12), reason: .ipv4TotalLengthTooShort),
        Hostile(name: "IPv6 cut at 39 bytes", linkType: .rawLinux, frame: Array(udp6.prefix(39)), reason: .truncatedIPHeader),
        Hostile(name: "IPv6 extension header cut by the capture", linkType: .rawLinux,
                frame: Array(F.ipv6("2001:db8::1", "2001:db8::2", next: 0, extensions: [F.extensionHeader(next: 6, units: 4)]).prefix(50)),
                wireLength: 100, reason: .truncatedExtensionHeader),
        Hostile(name: "IPv6 extension header longer than the payload length", linkType: .rawLinux,
                frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 60, extensions: [[6, 200] + [UInt8](repeating: 0, count: 30)], payloadLength: 32),
                reason: .extensionHeaderBeyondPayload),
        Hostile(name: "IPv6 extension header past the end, payload length 0", linkType: .rawLinux,
                frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 43, extensions: [[6, 255, 0, 0, 0, 0, 0, 0]], payloadLength: 0),
                reason: .truncatedExtensionHeader),
        Hostile(name: "nine hop-by-hop headers", linkType: .rawLinux,
                frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 0, extensions: Array(repeating: F.extensionHeader(next: 0), count: 9)),
                reason: .tooManyExtensionHeaders),
        Hostile(name: "destination options that name themselves forever", linkType: .rawLinux,
                frame: F.ipv6("2001:db8::1", "2001:db8::2", next: 60, extensions: Array(repeating: F.extensionHeader(next: 60), count: 40)),
                reason: .tooManyExtensionHeaders),
        Hostile(name: "fragment header cut", linkType: .rawLinux,
                frame: Array(F.ipv6("2001:db8::1", "2001:db8::2", next: 44, extensions: [F.fragmentHeader(next: 6, offset: 0)]).prefix(45)),
                wireLength: 200, reason: .truncatedExtensionHeader),
    ]

    @Test(arguments: hostile)
    func hostileFramesFailWithAReason(_ c: Hostile) {
        #expect(F.decode(c.linkType, c.frame, wireLength: c.wireLength) == .failure(c.reason))
    }

    /// Every prefix of a valid frame — what a snap length of any size leaves — decodes to a
    /// failure or a packet, and the packet is never wrong: same addresses, ports only when whole.
    @Test(arguments: cases)
    func everyTruncationIsHandled(_ c: Case) {
        let whole = F.packet(c.linkType, c.frame)
        var packets = 0
        for length in 0...c.frame.count {
            let cut = Array(c.frame.prefix(length))
            switch F.decode(c.linkType, cut, wireLength: c.frame.count) {
            case .ip(let packet):
                packets += 1
                #expect(packet.source == whole?.source && packet.destination == whole?.destination, "cut at \(length)")
                if packet.hasPorts {
                    #expect(packet.sourcePort == whole?.sourcePort && packet.destinationPort == whole?.destinationPort)
                }
            case .failure:
                break
            case .nonIP:
                Issue.record("a cut IP frame is not 'non-IP' (cut at \(length))")
            }
        }
        #expect(packets >= 1)
        #expect(F.decode(c.linkType, [], wireLength: 60) != F.decode(c.linkType, c.frame))
    }

    /// A bounded, seeded fuzz run: random bytes, and valid frames with bytes flipped, under every
    /// link type. Nothing traps, and whatever decodes has ports only for TCP/UDP/SCTP.
    @Test func fuzzedFramesNeverTrap() {
        var random = SplitMix(seed: 16_2026)
        let bases = Self.cases.map { ($0.linkType, $0.frame) }
        var outcomes = [0, 0, 0]
        for round in 0..<40_000 {
            var linkType: CaptureLinkType
            var bytes: [UInt8]
            if round % 2 == 0 {
                linkType = CaptureLinkType.supported[Int(random.next(below: UInt64(CaptureLinkType.supported.count)))]
                bytes = (0..<Int(random.next(below: 120))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                (linkType, bytes) = bases[Int(random.next(below: UInt64(bases.count)))]
                for _ in 0..<Int(1 + random.next(below: 6)) {
                    bytes[Int(random.next(below: UInt64(bytes.count)))] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes = Array(bytes.prefix(Int(random.next(below: UInt64(bytes.count + 1)))))
            }
            switch F.decode(linkType, bytes, wireLength: bytes.count + Int(random.next(below: 3))) {
            case .ip(let packet):
                outcomes[0] += 1
                if packet.hasPorts { #expect([6, 17, 132].contains(packet.transportProtocol)) }
            case .nonIP: outcomes[1] += 1
            case .failure: outcomes[2] += 1
            }
        }
        #expect(outcomes.allSatisfy { $0 > 0 }, "\(outcomes)")
    }

    /// The straight-line Ethernet/IPv4 path `decode` (and the attributor) take first must give
    /// what the general path gives, or step aside (nil) for it: checked on plain frames with
    /// every field of the first 40 bytes disturbed, lengths that lie, fragments, short captures.
    @Test func ethernetIPv4FastPathAgreesWithTheGeneralPath() {
        var random = SplitMix(seed: 34)
        let bases: [[UInt8]] = [
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", proto: 17, payload: F.ports(50_000, 53, length: 8))),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", payload: F.ports(40_000, 443))),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", proto: 132, payload: F.ports(9, 7, length: 12))),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", proto: 1, payload: [8, 0, 0, 0])),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", fragmentOffset: 3)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", moreFragments: true)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", totalLength: 0)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", totalLength: 22)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", totalLength: 19)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", options: 4)),
            F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7"), tags: [(0x8100, 7)]),
            F.ethernet(F.ipv6("2001:db8::1", "2001:db8::2"), type: 0x86DD),
        ]
        var fast = 0
        for round in 0..<30_000 {
            var bytes = bases[round % bases.count]
            if round >= bases.count {
                for _ in 0..<Int(random.next(below: 3)) {
                    bytes[12 + Int(random.next(below: UInt64(min(28, bytes.count - 12))))] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes = Array(bytes.prefix(Int(random.next(below: UInt64(bytes.count + 1)))))
            }
            let wire = bytes.count + Int(random.next(below: 3)) - (round % 50 == 0 ? 1 : 0)
            let general = bytes.withUnsafeBytes { PacketDecoder.decodeAny(linkType: .ethernet, bytes: $0, wireLength: wire) }
            let straight = bytes.withUnsafeBytes { PacketDecoder.ethernetIPv4($0, wireLength: wire) }
            if let straight {
                fast += 1
                #expect(general == .ip(straight), "\(bytes) wire \(wire)")
            }
            #expect(F.decode(.ethernet, bytes, wireLength: wire) == general)
        }
        #expect(fast > 5_000, "the fast path must be exercised")
    }

    @Test func failureReasonsAreWordedInBothLanguages() {
        for reason in PacketDecodeFailure.allCases {
            #expect(!reason.text.id.isEmpty && !reason.text.en.isEmpty && reason.text.id != reason.text.en)
        }
        #expect(Set(PacketDecodeFailure.allCases.map(\.text.en)).count == PacketDecodeFailure.allCases.count)
    }
}
