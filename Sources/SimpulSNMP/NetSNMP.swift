import CNetSNMP

/// The net-snmp library this build links against. The SNMP client that polls links
/// (link-health and survey issues) is built on this adapter.
public enum NetSNMP {
    /// net-snmp's own version string, e.g. "5.9.3".
    public static var libraryVersion: String {
        String(cString: netsnmp_get_version())
    }
}
