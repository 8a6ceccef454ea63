/// What libpcap knows about one packet besides its bytes: when it was seen and how long it was.
public struct PacketHeader: Sendable, Hashable {
    /// Seconds since 1970-01-01 UTC.
    public var seconds: Int64
    /// Nanoseconds within that second, 0..<1_000_000_000 (microsecond captures give multiples of 1000).
    public var nanoseconds: Int32
    /// How many bytes of the packet were captured (`caplen`): the length of ``Packet/bytes``.
    public var capturedLength: Int
    /// How long the packet was on the wire (`len`); at least as long as the captured part in any sane
    /// capture, but a damaged file may say otherwise. Count traffic with this one.
    public var wireLength: Int

    public init(seconds: Int64, nanoseconds: Int32, capturedLength: Int, wireLength: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.capturedLength = capturedLength
        self.wireLength = wireLength
    }

    /// Nanoseconds since 1970-01-01 UTC (fits until the year 2262).
    public var nanosecondsSince1970: Int64 { seconds &* 1_000_000_000 &+ Int64(nanoseconds) }
}

/// One packet as libpcap hands it over: valid only during the call that receives it. Copy what you
/// keep; never keep ``bytes``.
public struct Packet {
    public var header: PacketHeader
    /// Exactly ``PacketHeader/capturedLength`` bytes, starting with the ``linkType``'s header. Owned by
    /// libpcap and reused for the next packet.
    public var bytes: UnsafeRawBufferPointer
    public var linkType: LinkType

    public init(header: PacketHeader, bytes: UnsafeRawBufferPointer, linkType: LinkType) {
        self.header = header
        self.bytes = bytes
        self.linkType = linkType
    }
}
