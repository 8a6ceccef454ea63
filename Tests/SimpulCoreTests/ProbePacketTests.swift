import Testing
import SimpulCore

/// ICMP echo on the wire: requests built byte for byte, and every packet a raw socket may hand
/// over read without trust — foreign, truncated, lying about its lengths or damaged.
@Suite("Probe ICMP packets")
struct ProbePacketTests {
    // MARK: Building

    @Test func checksumMatchesRFC1071sExample() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
        #expect(ICMPPacket.checksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == 0x220D)
        // An odd byte counts as the high half of a last word.
        #expect(ICMPPacket.checksum([0x00, 0x01, 0xF2]) == ~UInt16(0x0001 + 0xF200))
        #expect(ICMPPacket.checksum([]) == 0xFFFF)
    }

    @Test func echoRequestsAreByteExact() {
        // Type 8, code 0, id 1, sequence 1: the words 0800 0000 0001 0001 sum to 0802 → f7fd.
        #expect(ICMPPacket.echoRequest(family: .v4, identifier: 1, sequence: 1, payload: [])
            == [0x08, 0x00, 0xF7, 0xFD, 0x00, 0x01, 0x00, 0x01])
        #expect(ICMPPacket.echoRequest(family: .v4, identifier: 0xBEEF, sequence: 0x0102, payload: [0x61, 0x62])
            == [0x08, 0x00, 0xD6, 0xAB, 0xBE, 0xEF, 0x01, 0x02, 0x61, 0x62])
        // ICMPv6: type 128; the kernel writes the checksum, which covers the source address.
        #expect(ICMPPacket.echoRequest(family: .v6, identifier: 0xBEEF, sequence: 7, payload: [1, 2, 3])
            == [0x80, 0x00, 0x00, 0x00, 0xBE, 0xEF, 0x00, 0x07, 1, 2, 3])
    }

    // MARK: Fixtures

    static let payload: [UInt8] = Array("simpul".utf8) + [0, 0] + (1...16).map(UInt8.init)

    /// An ICMP message with its IPv4 checksum filled in.
    static func icmp(type: UInt8, code: UInt8 = 0, identifier: UInt16, sequence: UInt16, body: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [type, code, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)] + body
        let sum = ICMPPacket.checksum(message[...])
        message[2] = UInt8(sum >> 8)
        message[3] = UInt8(sum & 0xFF)
        return message
    }

    /// An IPv4 header (no options unless asked) before `body`.
    static func ipv4(_ body: [UInt8], protocol number: UInt8 = 1, source: [UInt8] = [127, 0, 0, 1], destination: [UInt8] = [127, 0, 0, 1],
                     options: Int = 0, totalLength: Int? = nil) -> [UInt8] {
        let headerLength = 20 + options
        let total = totalLength ?? (headerLength + body.count)
        var header: [UInt8] = [0x40 | UInt8(headerLength / 4), 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0x40, 0, 64, number, 0, 0]
        header += source + destination + [UInt8](repeating: 1, count: options)
        return header + body
    }

    /// An IPv6 header (40 bytes, next header as given) before `body`.
    static func ipv6(_ body: [UInt8], next: UInt8 = 58, destination: [UInt8] = [UInt8](repeating: 0, count: 15) + [1]) -> [UInt8] {
        var header: [UInt8] = [0x60, 0, 0, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF), next, 64]
        header += [UInt8](repeating: 0, count: 15) + [1] + destination
        return header + body
    }

    static var replyV4: [UInt8] { ipv4(icmp(type: 0, identifier: 0x4D2, sequence: 9, body: payload)) }

    // MARK: Reading

    @Test func repliesAreReadWithAndWithoutTheIPHeader() {
        let expected = ICMPPacket.echoReply(identifier: 0x4D2, sequence: 9, payload: Self.payload)
        #expect(ICMPPacket.parse(Self.replyV4, family: .v4, withIPHeader: true) == expected)
        #expect(ICMPPacket.parse(Self.icmp(type: 0, identifier: 0x4D2, sequence: 9, body: Self.payload), family: .v4, withIPHeader: false) == expected)
        // IP options lengthen the header; the message starts after them.
        #expect(ICMPPacket.parse(Self.ipv4(Self.icmp(type: 0, identifier: 0x4D2, sequence: 9, body: Self.payload), options: 8), family: .v4, withIPHeader: true) == expected)
        // ICMPv6: type 129, no IP header on any socket; the kernel has checked the checksum.
        let v6 = [129, 0, 0x12, 0x34, 0x04, 0xD2, 0, 9] + Self.payload
        #expect(ICMPPacket.parse(v6, family: .v6, withIPHeader: false) == expected)
    }

    @Test func trailingBytesPastTheTotalLengthAreNotPayload() {
        let padded = Self.replyV4 + [0xAA, 0xBB]
        #expect(ICMPPacket.parse(padded, family: .v4, withIPHeader: true) == .echoReply(identifier: 0x4D2, sequence: 9, payload: Self.payload))
    }

    @Test func otherMessagesAreOther() {
        // The host's own echo request, seen on loopback by a raw socket.
        #expect(ICMPPacket.parse(Self.ipv4(Self.icmp(type: 8, identifier: 1, sequence: 1, body: [])), family: .v4, withIPHeader: true) == .other(type: 8))
        // A redirect, and an ICMPv6 neighbour solicitation.
        #expect(ICMPPacket.parse(Self.icmp(type: 5, code: 1, identifier: 0, sequence: 0, body: [10, 0, 0, 1]), family: .v4, withIPHeader: false) == .other(type: 5))
        #expect(ICMPPacket.parse([135, 0, 0, 0, 0, 0, 0, 0], family: .v6, withIPHeader: false) == .other(type: 135))
        // An echo reply with a code other than 0 is not an echo reply.
        #expect(ICMPPacket.parse(Self.icmp(type: 0, code: 1, identifier: 1, sequence: 1, body: []), family: .v4, withIPHeader: false) == nil)
    }

    enum Damage: String, CaseIterable, Sendable {
        case checksum = "a damaged checksum", notIPv4 = "not IPv4", shortHeader = "a header length under 20"
        case headerPastPacket = "a header length past the packet", udp = "UDP, not ICMP"
        case totalPastBytes = "a total length past the bytes", totalInsideHeader = "a total length inside the header"
        case shortMessage = "a message under 8 bytes"

        func apply(_ bytes: inout [UInt8]) {
            switch self {
            case .checksum: bytes[bytes.count - 1] ^= 0x01
            case .notIPv4: bytes[0] = 0x65
            case .shortHeader: bytes[0] = 0x44
            case .headerPastPacket: bytes[0] = 0x4F; bytes = Array(bytes.prefix(50))
            case .udp: bytes[9] = 17
            case .totalPastBytes: bytes[2] = 0x01
            case .totalInsideHeader: bytes[2] = 0; bytes[3] = 10
            case .shortMessage: bytes = Array(bytes.prefix(27)); bytes[2] = 0; bytes[3] = 27
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func brokenPacketsAreRefused(_ damage: Damage) {
        var bytes = Self.replyV4
        #expect(ICMPPacket.parse(bytes, family: .v4, withIPHeader: true) != nil)
        damage.apply(&bytes)
        #expect(ICMPPacket.parse(bytes, family: .v4, withIPHeader: true) == nil, "\(damage.rawValue)")
    }

    @Test func everyTruncationOfAReplyIsRefused() {
        let whole = Self.replyV4
        for length in 0..<whole.count {
            #expect(ICMPPacket.parse(Array(whole.prefix(length)), family: .v4, withIPHeader: true) == nil, "cut to \(length) bytes")
        }
        let v6 = [129, 0, 0, 0, 0, 1, 0, 2] + Self.payload
        for length in 0..<8 {
            #expect(ICMPPacket.parse(Array(v6.prefix(length)), family: .v6, withIPHeader: false) == nil)
        }
        // An ICMPv6 reply cut inside its payload still parses; the payload no longer matches the check's.
        #expect(ICMPPacket.parse(Array(v6.prefix(12)), family: .v6, withIPHeader: false) == .echoReply(identifier: 1, sequence: 2, payload: Array(Self.payload.prefix(4))))
    }

    // MARK: Errors

    @Test func aDestinationUnreachableNamesTheRequestItQuotes() {
        // A router (10.0.0.254) says host unreachable about our request to 127.0.0.9, quoting its
        // IP header and the first 8 bytes of the echo request, as RFC 792 requires at least.
        let request = Array(ICMPPacket.echoRequest(family: .v4, identifier: 0x4D2, sequence: 33, payload: Self.payload).prefix(8))
        let quote = Self.ipv4(request, source: [127, 0, 0, 1], destination: [127, 0, 0, 9], totalLength: 20 + 32)
        let packet = Self.ipv4(Self.icmp(type: 3, code: 1, identifier: 0, sequence: 0, body: quote), source: [10, 0, 0, 254])
        let report = ICMPErrorReport(family: .v4, type: 3, code: 1, identifier: 0x4D2, sequence: 33, destination: IPAddress("127.0.0.9")!)
        #expect(ICMPPacket.parse(packet, family: .v4, withIPHeader: true) == .error(report))
        #expect(report.label == "ICMP 3/1")
        #expect(report.isFinal)
        // Time exceeded (11) and parameter problem (12) are errors too.
        let expired = Self.ipv4(Self.icmp(type: 11, identifier: 0, sequence: 0, body: quote))
        #expect(ICMPPacket.parse(expired, family: .v4, withIPHeader: true)
            == .error(ICMPErrorReport(family: .v4, type: 11, code: 0, identifier: 0x4D2, sequence: 33, destination: IPAddress("127.0.0.9")!)))
    }

    @Test func anErrorAboutSomethingElseIsOther() {
        // Port unreachable about a UDP datagram: not ours to read.
        let udp = Self.ipv4([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0], protocol: 17)
        #expect(ICMPPacket.parse(Self.ipv4(Self.icmp(type: 3, code: 3, identifier: 0, sequence: 0, body: udp)), family: .v4, withIPHeader: true) == .other(type: 3))
        // About an echo reply (not a request), or quoting too little to name one.
        let reply = Self.ipv4(Array(Self.icmp(type: 0, identifier: 1, sequence: 1, body: []).prefix(8)))
        #expect(ICMPPacket.parse(Self.ipv4(Self.icmp(type: 3, code: 1, identifier: 0, sequence: 0, body: reply)), family: .v4, withIPHeader: true) == .other(type: 3))
        let short = Array(Self.ipv4(Array(ICMPPacket.echoRequest(family: .v4, identifier: 1, sequence: 1, payload: []))).prefix(24))
        #expect(ICMPPacket.parse(Self.ipv4(Self.icmp(type: 3, code: 1, identifier: 0, sequence: 0, body: short)), family: .v4, withIPHeader: true) == .other(type: 3))
    }

    @Test func anICMPv6ErrorNamesTheRequestItQuotes() {
        let request = ICMPPacket.echoRequest(family: .v6, identifier: 0x4D2, sequence: 5, payload: Self.payload)
        let unreachable = [1, 3, 0, 0, 0, 0, 0, 0] + Self.ipv6(request)
        #expect(ICMPPacket.parse(unreachable, family: .v6, withIPHeader: false)
            == .error(ICMPErrorReport(family: .v6, type: 1, code: 3, identifier: 0x4D2, sequence: 5, destination: IPAddress("::1")!)))
        // Packet too big is about the path, not a verdict on the check.
        let tooBig = [2, 0, 0, 0, 0, 0, 0x05, 0x00] + Self.ipv6(request)
        guard case .error(let report) = ICMPPacket.parse(tooBig, family: .v6, withIPHeader: false) else {
            Issue.record("packet too big should be read as an error")
            return
        }
        #expect(!report.isFinal)
        #expect(report.label == "ICMPv6 2/0")
        // A quoted packet with an extension header (next header 0) or a UDP one is not followed.
        #expect(ICMPPacket.parse([1, 3, 0, 0, 0, 0, 0, 0] + Self.ipv6(request, next: 0), family: .v6, withIPHeader: false) == .other(type: 1))
        #expect(ICMPPacket.parse([1, 4, 0, 0, 0, 0, 0, 0] + Self.ipv6([0, 53, 0, 53, 0, 8, 0, 0], next: 17), family: .v6, withIPHeader: false) == .other(type: 1))
    }

    @Test func theErrorQueueGivesBackTheRequestAsSent() {
        let request = ICMPPacket.echoRequest(family: .v4, identifier: 0x4D2, sequence: 12, payload: Self.payload)
        #expect(ICMPPacket.sentEcho(request, family: .v4).map { [$0.identifier, $0.sequence] } == [0x4D2, 12])
        #expect(ICMPPacket.sentEcho(Array(request.prefix(7)), family: .v4) == nil)
        #expect(ICMPPacket.sentEcho(request, family: .v6) == nil)
        #expect(ICMPPacket.sentEcho(ICMPPacket.echoRequest(family: .v6, identifier: 1, sequence: 2, payload: []), family: .v6).map { [$0.identifier, $0.sequence] } == [1, 2])
    }

    // MARK: Fuzz

    @Test func randomAndMutatedPacketsNeverTrap() {
        var random = SplitMix(seed: 20_261_209)
        let bases: [(bytes: [UInt8], family: IPAddress.Family, header: Bool)] = [
            (Self.replyV4, .v4, true),
            (Self.ipv4(Self.icmp(type: 3, code: 1, identifier: 0, sequence: 0,
                                 body: Self.ipv4(Array(ICMPPacket.echoRequest(family: .v4, identifier: 1, sequence: 1, payload: []))))), .v4, true),
            ([1, 3, 0, 0, 0, 0, 0, 0] + Self.ipv6(ICMPPacket.echoRequest(family: .v6, identifier: 1, sequence: 1, payload: Self.payload)), .v6, false),
        ]
        var replies = 0
        for round in 0..<30_000 {
            let base = bases[round % bases.count]
            var bytes: [UInt8]
            switch round % 4 {
            case 0: bytes = (0..<Int.random(in: 0...120, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:
                bytes = base.bytes
                for _ in 0..<Int.random(in: 1...6, using: &random) { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            case 2: bytes = Array(base.bytes.prefix(Int.random(in: 0...base.bytes.count, using: &random)))
            default:
                // Lengths that lie: header length and total length at random.
                bytes = base.bytes
                bytes[0] = 0x40 | UInt8.random(in: 0...15, using: &random)
                if bytes.count > 3 { bytes[2] = UInt8.random(in: 0...255, using: &random); bytes[3] = UInt8.random(in: 0...255, using: &random) }
            }
            for header in [true, false] {
                if case .echoReply = ICMPPacket.parse(bytes, family: base.family, withIPHeader: header && base.family == .v4) { replies += 1 }
            }
        }
        #expect(replies < 30_000, "most of these are not replies")
        #expect(ICMPPacket.parse(Self.replyV4, family: .v4, withIPHeader: true) != nil, "the real reply still reads")
    }
}
