import CPcap

/// The link-layer header a capture's packets start with, as libpcap numbers it for this platform
/// (`pcap_datalink`: a DLT_ value, which is what the header decoder switches on).
public struct LinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Ethernet (and 802.1Q VLAN-tagged Ethernet): what a SPAN port and `tcpdump -i eth0` give.
    public static let ethernet = LinkType(rawValue: simpul_dlt_en10mb)
    /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    public static let linuxSLL = LinkType(rawValue: simpul_dlt_linux_sll)
    /// Linux cooked capture v2 (`tcpdump -i any` with libpcap 1.10 and later).
    public static let linuxSLL2 = LinkType(rawValue: simpul_dlt_linux_sll2)
    /// Raw IP: the packet starts with an IPv4 or IPv6 header (tunnels, some routers' exports).
    public static let raw = LinkType(rawValue: simpul_dlt_raw)
    /// Raw IPv4 only.
    public static let ipv4 = LinkType(rawValue: simpul_dlt_ipv4)
    /// Raw IPv6 only.
    public static let ipv6 = LinkType(rawValue: simpul_dlt_ipv6)
    /// BSD loopback: a 4-byte address family in host order.
    public static let null = LinkType(rawValue: simpul_dlt_null)
    /// OpenBSD loopback: a 4-byte address family in network order.
    public static let loop = LinkType(rawValue: simpul_dlt_loop)

    /// libpcap's name for it (`EN10MB`, `LINUX_SLL`, `RAW`), or the number when it has none.
    public var name: String {
        guard let name = pcap_datalink_val_to_name(rawValue) else { return "DLT \(rawValue)" }
        return String(cString: name)
    }

    public var description: String { name }
}
