/// Reads one captured frame down to its IP addresses, transport protocol and ports.
///
/// Pure and allocation-free. Every offset is checked against the captured bytes (`caplen`,
/// which a snap length may make shorter than the frame on the wire) before it is read, so a
/// truncated or hostile frame is a `PacketDecodeFailure`, never a trap. Only headers up to the
/// IP addresses must be present: ports cut off by the snap length just leave the packet without
/// ports.
public enum PacketDecoder {
    /// Stacked VLAN tags read before giving up (QinQ uses two; real networks rarely three).
    public static let maximumVLANTags = 8
    /// IPv6 extension headers walked before giving up (RFC 8200 allows each once, destination
    /// options twice: seven in all).
    public static let maximumExtensionHeaders = 8

    /// Decodes one frame of a capture with link type `linkType`.
    /// - Parameters:
    ///   - bytes: the captured bytes (`caplen` of them).
    ///   - wireLength: the frame's length on the wire (`len`), never smaller than the capture.
    public static func decode(linkType: CaptureLinkType, bytes: UnsafeRawBufferPointer, wireLength: Int) -> PacketDecodeOutcome {
        if linkType.rawValue == 1, let packet = ethernetIPv4(bytes, wireLength: wireLength) { return .ip(packet) }
        return decodeAny(linkType: linkType, bytes: bytes, wireLength: wireLength)
    }

    /// The common frame — Ethernet II, no VLAN tag, IPv4 without options — read straight-line:
    /// one bounds check, unaligned loads, no enum. Nil whenever the frame is anything else, or
    /// anything the general path would report as a failure (a total length below 20, a capture
    /// longer than the wire): the caller then takes `decodeAny`, so the result is always the
    /// general path's.
    @inline(__always)
    static func ethernetIPv4(_ bytes: UnsafeRawBufferPointer, wireLength: Int) -> DecodedPacket? {
        let count = bytes.count
        // 14 + 20: the Ethernet header and an IPv4 header without options.
        guard count >= 34, count <= wireLength, let base = bytes.baseAddress else { return nil }
        // EtherType (2 bytes), version and IHL, type of service.
        let head = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard head & 0xFFFF_FF00 == 0x0800_4500 else { return nil }
        let lengths = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        // Bytes 16…23: total length, identification, flags and fragment offset, TTL, protocol.
        let totalLength = Int(truncatingIfNeeded: lengths >> 48)
        guard totalLength == 0 || totalLength >= 20 else { return nil }
        let end = totalLength == 0 ? count : min(count, 14 &+ totalLength)
        let proto = UInt8(truncatingIfNeeded: lengths)
        let addresses = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 26, as: UInt64.self))
        var packet = DecodedPacket(family: .v4, sourceLow: addresses >> 32, destinationLow: addresses & 0xFFFF_FFFF,
                                   transportProtocol: proto)
        if (lengths >> 16) & 0x1FFF != 0 {
            packet.isLaterFragment = true
        } else if (proto == 6 || proto == 17 || proto == 132) && end &- 34 >= 4 {
            let ports = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 34, as: UInt32.self))
            packet.sourcePort = UInt16(truncatingIfNeeded: ports >> 16)
            packet.destinationPort = UInt16(truncatingIfNeeded: ports)
            packet.hasPorts = true
        }
        return packet
    }

    /// Every link type, every header, every check.
    static func decodeAny(linkType: CaptureLinkType, bytes: UnsafeRawBufferPointer, wireLength: Int) -> PacketDecodeOutcome {
        if bytes.count > wireLength { return .failure(.capturedBeyondWireLength) }
        switch linkType.rawValue {
        case 1: return ethernet(bytes)
        case 12, 14, 101: return rawIP(bytes)
        case 228:
            if bytes.count >= 1 && bytes[0] >> 4 != 4 { return .failure(.badIPVersion) }
            return ipv4(bytes, at: 0)
        case 229:
            if bytes.count >= 1 && bytes[0] >> 4 != 6 { return .failure(.badIPVersion) }
            return ipv6(bytes, at: 0)
        case 113:
            // struct sll_header: packet type, ARPHRD type, address length, 8 address bytes, protocol.
            guard bytes.count >= 16 else { return .failure(.truncatedLinkHeader) }
            return etherTyped(bytes, type: load16(bytes, 14), at: 16)
        case 276:
            // struct sll2_header: protocol, reserved, interface index, ARPHRD type, packet type,
            // address length, 8 address bytes.
            guard bytes.count >= 20 else { return .failure(.truncatedLinkHeader) }
            return etherTyped(bytes, type: load16(bytes, 0), at: 20)
        case 0, 108:
            return addressFamily(bytes)
        default:
            return .failure(.unsupportedLinkType)
        }
    }

    // MARK: Link layers

    private static func ethernet(_ bytes: UnsafeRawBufferPointer) -> PacketDecodeOutcome {
        guard bytes.count >= 14 else { return .failure(.truncatedLinkHeader) }
        return etherTyped(bytes, type: load16(bytes, 12), at: 14)
    }

    /// An EtherType at `offset`, with any VLAN tags before the payload. Values below 0x0600 are
    /// 802.3 lengths (LLC frames such as STP): not IP.
    @inline(__always)
    private static func etherTyped(_ bytes: UnsafeRawBufferPointer, type: UInt16, at offset: Int) -> PacketDecodeOutcome {
        var type = type
        var offset = offset
        var tags = 0
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
            tags += 1
            if tags > maximumVLANTags { return .failure(.tooManyVLANTags) }
            guard bytes.count - offset >= 4 else { return .failure(.truncatedVLANTag) }
            type = load16(bytes, offset + 2)
            offset += 4
        }
        switch type {
        case 0x0800: return ipv4(bytes, at: offset)
        case 0x86DD: return ipv6(bytes, at: offset)
        default: return .nonIP
        }
    }

    /// DLT_NULL / DLT_LOOP: a 32-bit address family. NULL is in the capturing host's byte order
    /// and LOOP in network order; real families are small numbers, so a value with any of its
    /// upper 16 bits set is read byte-swapped (as tcpdump and Wireshark do), which covers both.
    private static func addressFamily(_ bytes: UnsafeRawBufferPointer) -> PacketDecodeOutcome {
        guard bytes.count >= 4 else { return .failure(.truncatedLinkHeader) }
        var family = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        if family & 0xFFFF_0000 != 0 { family = family.byteSwapped }
        switch family {
        case 2: return ipv4(bytes, at: 4)
        // AF_INET6: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30.
        case 10, 24, 28, 30: return ipv6(bytes, at: 4)
        default: return .nonIP
        }
    }

    private static func rawIP(_ bytes: UnsafeRawBufferPointer) -> PacketDecodeOutcome {
        guard bytes.count >= 1 else { return .failure(.truncatedIPHeader) }
        switch bytes[0] >> 4 {
        case 4: return ipv4(bytes, at: 0)
        case 6: return ipv6(bytes, at: 0)
        default: return .failure(.badIPVersion)
        }
    }

    // MARK: IP

    @inline(__always)
    private static func ipv4(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> PacketDecodeOutcome {
        let count = bytes.count
        guard count - offset >= 20 else { return .failure(.truncatedIPHeader) }
        let versionAndLength = bytes[offset]
        guard versionAndLength >> 4 == 4 else { return .failure(.badIPVersion) }
        let headerLength = Int(versionAndLength & 0x0F) << 2
        guard headerLength >= 20 else { return .failure(.ipv4HeaderTooShort) }
        guard headerLength <= count - offset else { return .failure(.ipv4HeaderBeyondCapture) }
        let totalLength = Int(load16(bytes, offset + 2))
        var end = count
        if totalLength != 0 {
            // 0 is what segmentation offload leaves in captured outgoing packets: unknown, not a lie.
            guard totalLength >= headerLength else { return .failure(.ipv4TotalLengthTooShort) }
            end = min(count, offset + totalLength)
        }
        var packet = DecodedPacket(
            family: .v4,
            sourceLow: UInt64(load32(bytes, offset + 12)),
            destinationLow: UInt64(load32(bytes, offset + 16)),
            transportProtocol: bytes[offset + 9])
        if load16(bytes, offset + 6) & 0x1FFF != 0 {
            packet.isLaterFragment = true
        } else {
            readPorts(&packet, bytes, at: offset + headerLength, end: end)
        }
        return .ip(packet)
    }

    @inline(__always)
    private static func ipv6(_ bytes: UnsafeRawBufferPointer, at start: Int) -> PacketDecodeOutcome {
        let count = bytes.count
        guard count - start >= 40 else { return .failure(.truncatedIPHeader) }
        guard bytes[start] >> 4 == 6 else { return .failure(.badIPVersion) }
        let payloadLength = Int(load16(bytes, start + 4))
        var packet = DecodedPacket(
            family: .v6,
            sourceHigh: load64(bytes, start + 8), sourceLow: load64(bytes, start + 16),
            destinationHigh: load64(bytes, start + 24), destinationLow: load64(bytes, start + 32),
            transportProtocol: bytes[start + 6])
        var offset = start + 40
        // A payload length of 0 means a jumbogram (or offload): only the capture bounds it.
        let packetEnd = payloadLength == 0 ? Int.max : offset + payloadLength
        var headers = 0
        while true {
            let next = packet.transportProtocol
            // Hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6.
            guard next == 0 || next == 43 || next == 44 || next == 60 || next == 51
                || next == 135 || next == 139 || next == 140 else { break }
            headers += 1
            if headers > maximumExtensionHeaders { return .failure(.tooManyExtensionHeaders) }
            let fixed = next == 44 ? 8 : 2
            if offset + fixed > count {
                return .failure(offset + fixed > packetEnd ? .extensionHeaderBeyondPayload : .truncatedExtensionHeader)
            }
            let length: Int
            switch next {
            case 44: length = 8
            case 51: length = (Int(bytes[offset + 1]) + 2) << 2
            default: length = (Int(bytes[offset + 1]) + 1) << 3
            }
            if offset + length > packetEnd { return .failure(.extensionHeaderBeyondPayload) }
            if offset + length > count { return .failure(.truncatedExtensionHeader) }
            packet.transportProtocol = bytes[offset]
            if next == 44 && load16(bytes, offset + 2) >> 3 != 0 {
                packet.isLaterFragment = true
                return .ip(packet)
            }
            offset += length
        }
        readPorts(&packet, bytes, at: offset, end: min(count, packetEnd))
        return .ip(packet)
    }

    /// TCP, UDP and SCTP all start with the source and destination ports.
    @inline(__always)
    private static func readPorts(_ packet: inout DecodedPacket, _ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int) {
        let proto = packet.transportProtocol
        guard proto == 6 || proto == 17 || proto == 132, end - offset >= 4 else { return }
        let ports = load32(bytes, offset)
        packet.sourcePort = UInt16(truncatingIfNeeded: ports >> 16)
        packet.destinationPort = UInt16(truncatingIfNeeded: ports)
        packet.hasPorts = true
    }

    // MARK: Loads (callers have checked the bounds)

    @inline(__always)
    private static func load16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    private static func load32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
