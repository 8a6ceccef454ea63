/// ICMP echo on the wire (RFC 792 for IPv4, RFC 4443 for IPv6): the request a prober sends and
/// what it may read back. A raw socket sees every ICMP packet the host receives, so a reader
/// takes nothing on trust: every length is checked before it is read, and a packet that is
/// short, malformed or not ICMP is `nil`, never a crash.
public enum ICMPPacket: Sendable, Hashable {
    /// An echo reply (type 0, or 129 for IPv6).
    case echoReply(identifier: UInt16, sequence: UInt16, payload: [UInt8])
    /// An error about an echo request: destination unreachable, time exceeded, parameter
    /// problem, packet too big; with the identifier and sequence of the request it quotes.
    case error(ICMPErrorReport)
    /// Any other well-formed ICMP message (an echo request the host itself will answer, a
    /// redirect, a neighbour solicitation, an error about something that was not an echo).
    case other(type: UInt8)

    public static let echoRequestV4: UInt8 = 8
    public static let echoReplyV4: UInt8 = 0
    public static let echoRequestV6: UInt8 = 128
    public static let echoReplyV6: UInt8 = 129

    /// An echo request with its checksum filled in for IPv4. For IPv6 the checksum covers a
    /// pseudo-header with the source address, and the kernel fills it in for every ICMPv6 socket.
    public static func echoRequest(family: IPAddress.Family, identifier: UInt16, sequence: UInt16, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [family == .v4 ? echoRequestV4 : echoRequestV6, 0, 0, 0,
                              UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        bytes.append(contentsOf: payload)
        if family == .v4 {
            let sum = checksum(bytes[...])
            bytes[2] = UInt8(sum >> 8)
            bytes[3] = UInt8(sum & 0xFF)
        }
        return bytes
    }

    /// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
    /// 16-bit words. Over a message that carries its correct checksum it is 0.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.endIndex { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// Reads one packet as a socket hands it over: a raw IPv4 socket includes the IP header
    /// (`withIPHeader`), a datagram socket and any IPv6 socket do not. IPv4 checksums are verified.
    public static func parse(_ packet: [UInt8], family: IPAddress.Family, withIPHeader: Bool) -> ICMPPacket? {
        var message = packet[...]
        if withIPHeader {
            guard family == .v4, let body = ipv4Payload(packet[...], protocol: 1, requireWhole: true) else { return nil }
            message = body
        }
        guard message.count >= 8 else { return nil }
        if family == .v4 && checksum(message) != 0 { return nil }
        let start = message.startIndex
        let type = message[start], code = message[start + 1]
        let identifier = word(message, start + 4), sequence = word(message, start + 6)
        switch (family, type) {
        case (.v4, echoReplyV4), (.v6, echoReplyV6):
            guard code == 0 else { return nil }
            return .echoReply(identifier: identifier, sequence: sequence, payload: Array(message.dropFirst(8)))
        case (.v4, 3), (.v4, 11), (.v4, 12), (.v6, 1), (.v6, 2), (.v6, 3), (.v6, 4):
            guard let quoted = quotedEcho(message.dropFirst(8), family: family) else { return .other(type: type) }
            return .error(ICMPErrorReport(family: family, type: type, code: code, identifier: quoted.identifier,
                                          sequence: quoted.sequence, destination: quoted.destination))
        default:
            return .other(type: type)
        }
    }

    /// The echo request an error message quotes: the IP header of the original packet, then at
    /// least the first 8 bytes of its ICMP message. Nil when it quotes anything else.
    static func quotedEcho(_ quote: ArraySlice<UInt8>, family: IPAddress.Family) -> (identifier: UInt16, sequence: UInt16, destination: IPAddress)? {
        let inner: ArraySlice<UInt8>
        let destination: IPAddress
        switch family {
        case .v4:
            // The quote may be cut short after 8 bytes of the original's payload (RFC 792).
            guard let body = ipv4Payload(quote, protocol: 1, requireWhole: false) else { return nil }
            let s = quote.startIndex
            destination = IPAddress(v4: UInt32(word(quote, s + 16)) << 16 | UInt32(word(quote, s + 18)))
            inner = body
        case .v6:
            // A fixed 40-byte header whose next header is ICMPv6 (58); extension headers are not followed.
            guard quote.count >= 48, quote[quote.startIndex] >> 4 == 6, quote[quote.startIndex + 6] == 58 else { return nil }
            let s = quote.startIndex
            destination = IPAddress(v6High: quad(quote, s + 24), low: quad(quote, s + 32))
            inner = quote.dropFirst(40)
        }
        guard inner.count >= 8, inner[inner.startIndex] == (family == .v4 ? echoRequestV4 : echoRequestV6) else { return nil }
        return (word(inner, inner.startIndex + 4), word(inner, inner.startIndex + 6), destination)
    }

    /// What a datagram socket's error queue returns with an error: the echo request as it was
    /// sent (its ICMP header, then as much of the payload as the router quoted). Nil when the
    /// bytes are not an echo request of `family`.
    public static func sentEcho(_ bytes: [UInt8], family: IPAddress.Family) -> (identifier: UInt16, sequence: UInt16)? {
        guard bytes.count >= 8, bytes[0] == (family == .v4 ? echoRequestV4 : echoRequestV6) else { return nil }
        return (word(bytes[...], 4), word(bytes[...], 6))
    }

    /// The payload of an IPv4 packet of `protocol`, after its header (whose length is checked).
    /// With `requireWhole`, the total length must fit the bytes given, and bounds the payload.
    private static func ipv4Payload(_ packet: ArraySlice<UInt8>, protocol number: UInt8, requireWhole: Bool) -> ArraySlice<UInt8>? {
        guard packet.count >= 20 else { return nil }
        let s = packet.startIndex
        let version = packet[s] >> 4, headerLength = Int(packet[s] & 0x0F) * 4
        guard version == 4, headerLength >= 20, packet.count >= headerLength, packet[s + 9] == number else { return nil }
        var end = packet.endIndex
        if requireWhole {
            let total = Int(word(packet, s + 2))
            guard total >= headerLength, total <= packet.count else { return nil }
            end = s + total
        }
        return packet[(s + headerLength)..<end]
    }

    private static func word(_ bytes: ArraySlice<UInt8>, _ index: Int) -> UInt16 {
        UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    private static func quad(_ bytes: ArraySlice<UInt8>, _ index: Int) -> UInt64 {
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(bytes[index + offset]) }
        return value
    }
}

/// An ICMP error about an echo request: who it was for and what went wrong.
public struct ICMPErrorReport: Sendable, Hashable {
    public let family: IPAddress.Family
    public let type: UInt8
    public let code: UInt8
    public let identifier: UInt16
    public let sequence: UInt16
    /// The destination of the request the error quotes.
    public let destination: IPAddress

    public init(family: IPAddress.Family, type: UInt8, code: UInt8, identifier: UInt16, sequence: UInt16, destination: IPAddress) {
        self.family = family
        self.type = type
        self.code = code
        self.identifier = identifier
        self.sequence = sequence
        self.destination = destination
    }

    /// Whether the error is final for the probe. A "packet too big" (ICMPv6 type 2) is not: a
    /// small echo is not what it is about, and the kernel adjusts the path's size.
    public var isFinal: Bool { !(family == .v6 && type == 2) }

    /// `ICMP 3/1`, `ICMPv6 1/3`: for the message beside the operating system's words.
    public var label: String { "\(family == .v4 ? "ICMP" : "ICMPv6") \(type)/\(code)" }
}
