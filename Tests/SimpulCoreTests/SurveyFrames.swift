import SimpulCore

/// Captured frames built byte by byte for the attribution tests: every header written out, so a
/// test knows exactly what the decoder was given.
enum SurveyFrames {
    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }
    static func be64(_ value: UInt64) -> [UInt8] { be32(UInt32(value >> 32)) + be32(UInt32(value & 0xFFFF_FFFF)) }

    static func v4(_ text: String) -> UInt32 { IPAddress(text)!.v4Value! }
    static func v6(_ text: String) -> [UInt8] {
        let address = IPAddress(text)!
        return be64(address.high) + be64(address.low)
    }

    /// A TCP header (20 bytes, no options) or the first bytes of any transport starting with ports.
    static func ports(_ source: UInt16, _ destination: UInt16, length: Int = 20) -> [UInt8] {
        be16(source) + be16(destination) + [UInt8](repeating: 0, count: max(0, length - 4))
    }

    /// An IPv4 header (with `options` bytes of options, a multiple of 4) and its payload. `ihl`
    /// and `totalLength` override the true values, to lie.
    static func ipv4(_ source: String, _ destination: String, proto: UInt8 = 6, payload: [UInt8] = ports(40_000, 443),
                     options: Int = 0, ihl: UInt8? = nil, totalLength: UInt16? = nil, fragmentOffset: UInt16 = 0,
                     moreFragments: Bool = false) -> [UInt8] {
        let headerLength = 20 + options
        var header: [UInt8] = [0x40 | (ihl ?? UInt8(headerLength / 4)), 0]
        header += be16(totalLength ?? UInt16(headerLength + payload.count))
        header += be16(0x1234)
        header += be16((moreFragments ? 0x2000 : 0) | fragmentOffset)
        header += [64, proto, 0, 0]
        header += be32(v4(source)) + be32(v4(destination))
        header += [UInt8](repeating: 1, count: options)
        return header + payload
    }

    /// An IPv6 header, `extensions` (each already encoded) and the payload. `payloadLength`
    /// overrides the true value.
    static func ipv6(_ source: String, _ destination: String, next: UInt8 = 6, extensions: [[UInt8]] = [],
                     payload: [UInt8] = ports(40_000, 443), payloadLength: UInt16? = nil) -> [UInt8] {
        let body = extensions.flatMap { $0 } + payload
        var header: [UInt8] = [0x60, 0, 0, 0]
        header += be16(payloadLength ?? UInt16(body.count))
        header += [next, 64]
        header += v6(source) + v6(destination)
        return header + body
    }

    /// A generic extension header (hop-by-hop, routing, destination options) of `units` × 8 bytes.
    static func extensionHeader(next: UInt8, units: Int = 1) -> [UInt8] {
        [next, UInt8(units - 1)] + [UInt8](repeating: 0, count: units * 8 - 2)
    }

    /// A fragment header at `offset` (in 8-byte units).
    static func fragmentHeader(next: UInt8, offset: UInt16, more: Bool = true) -> [UInt8] {
        [next, 0] + be16(offset << 3 | (more ? 1 : 0)) + be32(0xABCD)
    }

    static let sourceMAC: [UInt8] = [0x02, 0, 0, 0, 0, 1]
    static let destinationMAC: [UInt8] = [0x02, 0, 0, 0, 0, 2]

    /// Ethernet II with VLAN tags (TPID, VLAN id) before the EtherType.
    static func ethernet(_ payload: [UInt8], type: UInt16 = 0x0800, tags: [(UInt16, UInt16)] = []) -> [UInt8] {
        var frame = destinationMAC + sourceMAC
        for (tpid, vlan) in tags { frame += be16(tpid) + be16(vlan) }
        return frame + be16(type) + payload
    }

    /// Linux cooked capture v1.
    static func sll(_ payload: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        be16(0) + be16(1) + be16(6) + sourceMAC + [0, 0] + be16(proto) + payload
    }

    /// Linux cooked capture v2.
    static func sll2(_ payload: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        be16(proto) + be16(0) + be32(2) + be16(1) + [0, 6] + sourceMAC + [0, 0] + payload
    }

    /// DLT_NULL (little-endian host) or DLT_LOOP (network order) with an address family.
    static func null(_ payload: [UInt8], family: UInt32, bigEndian: Bool = false) -> [UInt8] {
        let bytes = be32(family)
        return (bigEndian ? bytes : bytes.reversed()) + payload
    }

    static func decode(_ linkType: CaptureLinkType, _ frame: [UInt8], wireLength: Int? = nil) -> PacketDecodeOutcome {
        frame.withUnsafeBytes { PacketDecoder.decode(linkType: linkType, bytes: $0, wireLength: wireLength ?? frame.count) }
    }

    /// The decoded packet, or nil for anything else.
    static func packet(_ linkType: CaptureLinkType, _ frame: [UInt8]) -> DecodedPacket? {
        if case .ip(let packet) = decode(linkType, frame) { return packet }
        return nil
    }
}

extension TrafficAttributor {
    /// Adds a frame built by `SurveyFrames` at `seconds`.
    mutating func add(_ linkType: CaptureLinkType, _ frame: [UInt8], seconds: Int64, nanoseconds: Int32 = 0, wireLength: Int? = nil) {
        frame.withUnsafeBytes {
            add(linkType: linkType, frame: $0, wireLength: wireLength ?? frame.count, seconds: seconds, nanoseconds: nanoseconds)
        }
    }
}
