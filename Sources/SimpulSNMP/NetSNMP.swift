import CNetSNMP
import Foundation

/// The net-snmp library this build links against, and its one-time set-up.
public enum NetSNMP {
    /// net-snmp's own version string, e.g. "5.9.3".
    public static var libraryVersion: String {
        String(cString: netsnmp_get_version())
    }

    /// `init_snmp`, once per process, on the engine's thread before any session: no MIBs (numeric
    /// OIDs only, `MIBS=""`), no configuration or persistent files, no logging.
    static func initialize() {
        // Set before init_snmp reads it. The engine's thread is the only one that calls into
        // net-snmp, and nothing else in Simpul reads MIBS.
        setenv("MIBS", "", 1)
        // net-snmp wants a persistent directory even when it saves nothing there (its TLS certificate
        // index is set up in it); a private one under the temporary directory keeps /var/lib/snmp alone.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-net-snmp-\(getuid())").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        simpul_snmp_prepare(directory)
        init_snmp("simpul")
    }
}
