/// Why a captured frame could not be read as an IP packet. Every length in a frame is checked
/// against the bytes actually captured, so a truncated or hostile frame ends here instead of
/// trapping; the attributor counts the frame under its reason and goes on.
///
/// A frame that is simply not IP (ARP, LLDP, an unknown EtherType) is not a failure: it is
/// `PacketDecodeOutcome.nonIP`. A frame whose transport ports were cut off by the snap length is
/// not a failure either: it counts, without ports.
public enum PacketDecodeFailure: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The capture's link type is not one the decoder reads (see `CaptureLinkType.supported`).
    case unsupportedLinkType
    /// The captured length is larger than the frame's length on the wire: the record lies.
    case capturedBeyondWireLength
    /// The capture ends inside the link-layer header (Ethernet, cooked, NULL/LOOP family).
    case truncatedLinkHeader
    /// The capture ends inside an 802.1Q / 802.1ad tag.
    case truncatedVLANTag
    /// More stacked VLAN tags than any real network uses (`PacketDecoder.maximumVLANTags`).
    case tooManyVLANTags
    /// The capture ends before the fixed IP header (20 bytes for IPv4, 40 for IPv6).
    case truncatedIPHeader
    /// The IP version nibble is not what the link layer announced (or neither 4 nor 6 on raw IP).
    case badIPVersion
    /// The IPv4 header length field says fewer than 20 bytes.
    case ipv4HeaderTooShort
    /// The IPv4 header length field reaches past the captured bytes.
    case ipv4HeaderBeyondCapture
    /// The IPv4 total length is smaller than its own header (0 is allowed: segmentation offload).
    case ipv4TotalLengthTooShort
    /// The capture ends inside an IPv6 extension header.
    case truncatedExtensionHeader
    /// An IPv6 extension header reaches past the packet's own payload length.
    case extensionHeaderBeyondPayload
    /// More IPv6 extension headers than `PacketDecoder.maximumExtensionHeaders`.
    case tooManyExtensionHeaders

    /// The reason in both languages, for the capture report.
    public var text: Text {
        switch self {
        case .unsupportedLinkType:
            Text(id: "jenis link tidak didukung", en: "unsupported link type")
        case .capturedBeyondWireLength:
            Text(id: "panjang tangkapan melebihi panjang frame", en: "captured length beyond the frame's wire length")
        case .truncatedLinkHeader:
            Text(id: "header link terpotong", en: "truncated link-layer header")
        case .truncatedVLANTag:
            Text(id: "tag VLAN terpotong", en: "truncated VLAN tag")
        case .tooManyVLANTags:
            Text(id: "terlalu banyak tag VLAN", en: "too many VLAN tags")
        case .truncatedIPHeader:
            Text(id: "header IP terpotong", en: "truncated IP header")
        case .badIPVersion:
            Text(id: "versi IP salah", en: "wrong IP version")
        case .ipv4HeaderTooShort:
            Text(id: "panjang header IPv4 kurang dari 20 byte", en: "IPv4 header length below 20 bytes")
        case .ipv4HeaderBeyondCapture:
            Text(id: "header IPv4 melebihi data tangkapan", en: "IPv4 header length beyond the captured bytes")
        case .ipv4TotalLengthTooShort:
            Text(id: "panjang total IPv4 lebih kecil dari header", en: "IPv4 total length smaller than its header")
        case .truncatedExtensionHeader:
            Text(id: "header ekstensi IPv6 terpotong", en: "truncated IPv6 extension header")
        case .extensionHeaderBeyondPayload:
            Text(id: "header ekstensi IPv6 melebihi panjang payload", en: "IPv6 extension header beyond the payload length")
        case .tooManyExtensionHeaders:
            Text(id: "terlalu banyak header ekstensi IPv6", en: "too many IPv6 extension headers")
        }
    }

    public var description: String { text.en }

    /// A dense index 0..<allCases.count, for counting in a flat array.
    var ordinal: Int {
        switch self {
        case .unsupportedLinkType: 0
        case .capturedBeyondWireLength: 1
        case .truncatedLinkHeader: 2
        case .truncatedVLANTag: 3
        case .tooManyVLANTags: 4
        case .truncatedIPHeader: 5
        case .badIPVersion: 6
        case .ipv4HeaderTooShort: 7
        case .ipv4HeaderBeyondCapture: 8
        case .ipv4TotalLengthTooShort: 9
        case .truncatedExtensionHeader: 10
        case .extensionHeaderBeyondPayload: 11
        case .tooManyExtensionHeaders: 12
        }
    }
}
