/// What the attributor needs from one IP packet: its addresses, transport protocol and ports.
/// Addresses are kept as raw integers (IPv4 in the low 32 bits of `sourceLow`/`destinationLow`,
/// like `IPAddress`) so that decoding allocates nothing; `source` and `destination` give the values.
public struct DecodedPacket: Sendable, Hashable {
    public var family: IPAddress.Family
    public var sourceHigh: UInt64
    public var sourceLow: UInt64
    public var destinationHigh: UInt64
    public var destinationLow: UInt64
    /// The IP protocol number of the payload (6 TCP, 17 UDP, 132 SCTP, 1 ICMP, 58 ICMPv6…): for
    /// IPv6, the header after the extension headers.
    public var transportProtocol: UInt8
    /// Meaningful only when `hasPorts`.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP, UDP or SCTP with both ports captured, in the first (or only) fragment.
    public var hasPorts: Bool
    /// A fragment other than the first: it carries no transport header, so no ports.
    public var isLaterFragment: Bool

    public init(family: IPAddress.Family, sourceHigh: UInt64 = 0, sourceLow: UInt64,
                destinationHigh: UInt64 = 0, destinationLow: UInt64, transportProtocol: UInt8,
                sourcePort: UInt16 = 0, destinationPort: UInt16 = 0, hasPorts: Bool = false,
                isLaterFragment: Bool = false) {
        self.family = family
        self.sourceHigh = sourceHigh
        self.sourceLow = sourceLow
        self.destinationHigh = destinationHigh
        self.destinationLow = destinationLow
        self.transportProtocol = transportProtocol
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.hasPorts = hasPorts
        self.isLaterFragment = isLaterFragment
    }

    public var source: IPAddress {
        family == .v4 ? IPAddress(v4: UInt32(truncatingIfNeeded: sourceLow)) : IPAddress(v6High: sourceHigh, low: sourceLow)
    }

    public var destination: IPAddress {
        family == .v4
            ? IPAddress(v4: UInt32(truncatingIfNeeded: destinationLow))
            : IPAddress(v6High: destinationHigh, low: destinationLow)
    }

    /// The "service port": the lower-numbered of the two ports, which for almost all traffic is the
    /// server's well-known or registered port (443, 53, 3389…) whichever direction the packet goes.
    /// Nil without ports.
    public var servicePort: UInt16? { hasPorts ? min(sourcePort, destinationPort) : nil }
}
