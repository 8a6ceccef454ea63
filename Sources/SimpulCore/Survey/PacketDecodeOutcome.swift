/// What `PacketDecoder` made of one captured frame.
public enum PacketDecodeOutcome: Sendable, Hashable {
    /// An IPv4 or IPv6 packet.
    case ip(DecodedPacket)
    /// A well-formed frame that does not carry IP (ARP, LLDP, STP, an unknown EtherType or
    /// address family): counted apart, not an error.
    case nonIP
    /// The frame could not be read; see the reason.
    case failure(PacketDecodeFailure)
}
