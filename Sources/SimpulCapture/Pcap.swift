import CPcap

/// The libpcap library this build links against. Throughput sampling (survey issue)
/// reads live interfaces and capture files through this adapter.
public enum Pcap {
    /// libpcap's own version line, e.g. "libpcap version 1.10.3 (with TPACKET_V3)".
    public static var libraryVersion: String {
        String(cString: pcap_lib_version())
    }
}
