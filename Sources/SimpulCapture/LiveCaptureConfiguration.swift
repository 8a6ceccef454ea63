/// What to capture, and how: the interface, a BPF filter, and libpcap's settings, each range-checked
/// before libpcap sees it.
public struct LiveCaptureConfiguration: Sendable, Hashable {
    /// The interface name as `ip link` shows it (`eth1`, `bond0.20`), or `any`.
    public var interface: String
    /// A filter in tcpdump's syntax (`man pcap-filter`), applied in the kernel; nil captures everything.
    public var filter: String?
    /// Bytes kept of each packet: headers only by default (``headerSnapshotLength``).
    public var snapshotLength: Int
    /// Receive every frame on the wire, not only those addressed to this machine: what a SPAN port needs.
    public var promiscuous: Bool
    /// The kernel's capture buffer; a larger one rides out bursts without drops.
    public var bufferSize: Int
    /// How long the kernel may hold packets before handing them over (libpcap's packet buffer timeout).
    public var bufferTimeout: Duration
    /// Hand each packet over at once rather than in batches: lower latency, more CPU at high rates.
    public var immediate: Bool

    /// Enough for the headers attribution reads: Ethernet (14), two VLAN tags (8), IPv6 (40), a few
    /// extension headers and the transport ports, with room to spare.
    public static let headerSnapshotLength = 192
    public static let snapshotLengths = 64...262_144
    public static let defaultBufferSize = 32 << 20
    public static let bufferSizes = (1 << 20)...(1 << 30)
    public static let bufferTimeouts = Duration.milliseconds(1)...Duration.seconds(10)

    public init(
        interface: String,
        filter: String? = nil,
        snapshotLength: Int = Self.headerSnapshotLength,
        promiscuous: Bool = true,
        bufferSize: Int = Self.defaultBufferSize,
        bufferTimeout: Duration = .milliseconds(200),
        immediate: Bool = false
    ) {
        self.interface = interface
        self.filter = filter
        self.snapshotLength = snapshotLength
        self.promiscuous = promiscuous
        self.bufferSize = bufferSize
        self.bufferTimeout = bufferTimeout
        self.immediate = immediate
    }

    /// Throws ``PcapError/setting`` naming the first value out of its range.
    public func validate() throws(PcapError) {
        // IFNAMSIZ is 16 with its NUL.
        guard (1...15).contains(interface.utf8.count), !interface.contains("/"), !interface.contains(" ") else {
            throw .setting("the interface name", given: "\"\(interface)\"", allowed: "1 to 15 characters without \"/\" or spaces (see `ip link`)")
        }
        guard Self.snapshotLengths.contains(snapshotLength) else {
            throw .setting("the snapshot length", given: "\(snapshotLength) bytes", allowed: "\(Self.snapshotLengths.lowerBound)–\(Self.snapshotLengths.upperBound) bytes")
        }
        guard Self.bufferSizes.contains(bufferSize) else {
            throw .setting("the capture buffer size", given: "\(bufferSize) bytes", allowed: "1 MiB–1 GiB")
        }
        guard Self.bufferTimeouts.contains(bufferTimeout) else {
            throw .setting("the buffer timeout", given: "\(bufferTimeout)", allowed: "1 ms–10 s")
        }
        if let filter, filter.utf8.count > 65_536 || filter.utf8.contains(0) {
            throw .setting("the capture filter", given: "of \(filter.utf8.count) bytes", allowed: "up to 65536 bytes without NUL")
        }
    }

    var bufferTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = bufferTimeout.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
