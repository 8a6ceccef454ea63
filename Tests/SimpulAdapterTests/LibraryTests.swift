import Testing
import SimpulSNMP
import SimpulCapture

@Suite("C libraries are linked")
struct LibraryTests {
    @Test func netSNMPReportsItsVersion() {
        let version = NetSNMP.libraryVersion
        #expect(version.split(separator: ".").count >= 2, "net-snmp version looks like \(version)")
    }

    @Test func libpcapReportsItsVersion() {
        #expect(Pcap.libraryVersion.hasPrefix("libpcap version"))
    }
}
