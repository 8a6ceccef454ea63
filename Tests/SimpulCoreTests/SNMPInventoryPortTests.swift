import Foundation
import Testing
@testable import SimpulCore

/// The inventory's `snmp.port`: 161 when absent, 1–65535 when given, written back only when not 161.
@Suite("SNMP port in the inventory")
struct SNMPInventoryPortTests {
    static func devices(_ snmp: String) -> (Device?, [InventoryIssue]) {
        let text = """
        devices:
          - name: rtr-uji
            kind: router
            management_address: 127.0.0.1
            snmp:
        \(snmp)
        """
        let (source, issues) = InventoryReader.read([InventoryDocument(file: "devices.yaml", text: text)])
        return (source.devices.first?.value, issues)
    }

    @Test(arguments: [
        ("      version: 2c\n      credential: ro", UInt16(161)),
        ("      version: 3\n      credential: v3\n      port: 16100", UInt16(16_100)),
        ("      version: 2c\n      credential: ro\n      port: 1", UInt16(1)),
        ("      version: 2c\n      credential: ro\n      port: 65535", UInt16(65_535)),
    ])
    func aPortIsReadOrIs161(_ snmp: String, _ port: UInt16) {
        let (device, issues) = Self.devices(snmp)
        #expect(issues.isEmpty, "\(issues)")
        #expect(device?.snmp?.port == port)
    }

    @Test(arguments: ["0", "65536", "-1", "abc", "16100.5", "99999999999999999999999"])
    func aPortOutsideItsRangeIsRefusedAtItsLine(_ port: String) throws {
        let (device, issues) = Self.devices("      version: 2c\n      credential: ro\n      port: \(port)")
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.location?.line == 8)
        #expect(issue.field == "devices[0].snmp.port")
        #expect(issue.text.en.contains("1–65535"))
        #expect(device?.snmp == nil, "no SNMP access with a wrong port")
    }

    @Test func theWriterKeepsAPortOtherThan161AndTheReaderReadsItBack() throws {
        var inventory = Inventory()
        inventory.devices = [
            Device(name: "rtr-a", kind: .router, managementAddress: IPAddress("127.0.10.1"), snmp: SNMPAccess(version: .v2c, credential: "ro")),
            Device(name: "rtr-b", kind: .router, managementAddress: IPAddress("127.0.10.2"), snmp: SNMPAccess(version: .v3, credential: "v3", port: 16_101)),
        ]
        let documents = try InventoryWriter.documents(inventory)
        let devices = try #require(documents.first { $0.file == "devices.yaml" })
        #expect(devices.text.contains("port: 16101"))
        #expect(!devices.text.contains("port: 161\n"))
        let (source, issues) = InventoryReader.read([devices])
        #expect(issues.isEmpty)
        #expect(source.devices.map(\.value.snmp) == inventory.devices.map(\.snmp))
    }

    @Test func jsonWithoutAPortReadsAs161AndAPortOfZeroIsRefused() throws {
        let old = try JSONDecoder().decode(SNMPAccess.self, from: Data(#"{"version": "2c", "credential": "ro"}"#.utf8))
        #expect(old.port == 161)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SNMPAccess.self, from: Data(#"{"version": "2c", "credential": "ro", "port": 0}"#.utf8))
        }
    }
}
