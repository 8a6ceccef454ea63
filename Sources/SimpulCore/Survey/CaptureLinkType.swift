/// The link-layer header type of a capture: libpcap's `pcap_datalink()` value, or the
/// `LINKTYPE_*` number in a pcap/pcapng file header. Only the types below are decoded; any other
/// is `PacketDecodeFailure.unsupportedLinkType` (the capture adapter says so once per capture).
///
/// `DLT_RAW` is 12 on Linux and 14 on some BSDs; both are read as raw IP. (OpenBSD's `DLT_LOOP`
/// is also 12: a file written there carries `LINKTYPE_LOOP` = 108, which is what we read.)
public struct CaptureLinkType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = Int32(truncatingIfNeeded: rawValue) }

    /// `DLT_NULL`: a 4-byte address family in the capturing host's byte order.
    public static let null = CaptureLinkType(rawValue: 0)
    /// `DLT_EN10MB`: Ethernet II, with any number (up to a bound) of 802.1Q / 802.1ad / 0x9100 tags.
    public static let ethernet = CaptureLinkType(rawValue: 1)
    /// `DLT_RAW` as Linux numbers it: the frame starts with the IP header.
    public static let rawLinux = CaptureLinkType(rawValue: 12)
    /// `DLT_RAW` as some BSDs number it.
    public static let rawBSD = CaptureLinkType(rawValue: 14)
    /// `LINKTYPE_RAW`, the file-format number for raw IP.
    public static let raw = CaptureLinkType(rawValue: 101)
    /// `DLT_LOOP`: a 4-byte address family in network byte order.
    public static let loop = CaptureLinkType(rawValue: 108)
    /// `DLT_LINUX_SLL`: Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    public static let linuxSLL = CaptureLinkType(rawValue: 113)
    /// `LINKTYPE_IPV4`: raw IPv4 only.
    public static let ipv4 = CaptureLinkType(rawValue: 228)
    /// `LINKTYPE_IPV6`: raw IPv6 only.
    public static let ipv6 = CaptureLinkType(rawValue: 229)
    /// `DLT_LINUX_SLL2`: Linux cooked capture v2 (`tcpdump -i any` since libpcap 1.10).
    public static let linuxSLL2 = CaptureLinkType(rawValue: 276)

    /// Every link type the decoder reads.
    public static let supported: [CaptureLinkType] = [
        .null, .ethernet, .rawLinux, .rawBSD, .raw, .loop, .linuxSLL, .ipv4, .ipv6, .linuxSLL2,
    ]

    public var isSupported: Bool { Self.supported.contains(self) }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .rawLinux, .rawBSD, .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL2: "LINUX_SLL2"
        default: "link type \(rawValue)"
        }
    }
}
