import Foundation
import Testing
import SimpulCore
import SimpulDNS
import SimpulTestRigs

/// The DNS client against a real named on 127.0.0.1: signed updates, queries and transfers.
@Suite("DNS client against named", .serialized)
final class DNSClientTests {
    let named: NamedServer
    let forward = DomainName("contohkab.go.id")!
    let reverse = DomainName("0.20.10.in-addr.arpa")!

    init() throws {
        named = try NamedServer(zones: ["contohkab.go.id", "0.20.10.in-addr.arpa"])
    }

    deinit { named.stop() }

    var client: DNSClient { DNSClient(keyFile: named.keyFile) }
    func endpoint(_ zone: DomainName) -> ZoneEndpoint { ZoneEndpoint(zone: zone, server: named.server, keyName: named.keyName) }
    func soa(_ serial: UInt32) -> SOAData {
        SOAData(primaryNS: WireName(text: "ns1.contohkab.go.id")!, mailbox: SOAData.mailbox(fromEmail: "hostmaster@contohkab.go.id")!, serial: serial)
    }
    func record(_ name: String, _ type: RecordType, _ data: String) -> DNSRecord {
        DNSRecord(name: DomainName(name)!, type: type, ttl: 600, data: data)
    }

    @Test func signedUpdateAddsAndDeletesAndSetsTheSerial() throws {
        let a = record("sikd.contohkab.go.id", .a, "10.20.0.15")
        let ptr = record("15.0.20.10.in-addr.arpa", .ptr, "sikd.contohkab.go.id")
        let txt = record("sikd.contohkab.go.id", .txt, "owner=DINKES; \"quoted\" and a long tail " + String(repeating: "x", count: 300))
        try client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112101), deletes: [], adds: [a, txt]))
        try client.update(ZoneUpdate(endpoint: endpoint(reverse), soa: soa(2026112101), deletes: [], adds: [ptr]))

        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.15"])
        #expect(try named.dig(["-x", "10.20.0.15"]) == ["sikd.contohkab.go.id."])
        #expect(try named.dig(["SOA", "contohkab.go.id"]).first?.contains(" 2026112101 ") == true)
        #expect(try client.query(endpoint(forward), name: a.name, type: .a) == [a])
        #expect(try client.query(endpoint(reverse), name: ptr.name, type: .ptr) == [ptr])
        #expect(try client.query(endpoint(forward), name: a.name, type: .txt).map(\.data) == [txt.data])
        #expect(try client.query(endpoint(forward), name: DomainName("nothing.contohkab.go.id")!, type: .a).isEmpty)

        let zone = try client.transfer(endpoint(forward))
        #expect(zone.soa?.serial == 2026112101)
        #expect(Set(zone.records.map(\.description)).isSuperset(of: [a.description, txt.description]))
        #expect(zone.records.contains { $0.name.description == "ns1.contohkab.go.id" && $0.type == .a })

        let moved = record("sikd.contohkab.go.id", .a, "10.20.0.16")
        try client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112102), deletes: [a], adds: [moved]))
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.16"])
        #expect(try client.transfer(endpoint(forward)).soa?.serial == 2026112102)
    }

    @Test func aWrongSecretIsRefusedAndSaysSo() throws {
        let bad = named.directory.appendingPathComponent("wrong.key")
        try "key \"simpul-update\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(Data(repeating: 7, count: 32).base64EncodedString())\";\n};\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let update = ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112101), deletes: [], adds: [record("x.contohkab.go.id", .a, "10.20.0.9")])
        #expect {
            try DNSClient(keyFile: bad.path).update(update)
        } throws: { error in
            guard let error = error as? DNSPushError else { return false }
            return error.text.en.contains("BADSIG") || error.text.en.contains("NOTAUTH")
        }
        #expect(try named.dig(["A", "x.contohkab.go.id"]).isEmpty)
    }

    @Test func anUnknownKeyNameIsRefused() throws {
        let other = named.directory.appendingPathComponent("other.key")
        try "key \"someone-else\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(Data(repeating: 1, count: 32).base64EncodedString())\";\n};\n"
            .write(to: other, atomically: true, encoding: .utf8)
        let wrongName = ZoneEndpoint(zone: forward, server: named.server, keyName: "someone-else")
        #expect {
            try DNSClient(keyFile: other.path).update(ZoneUpdate(endpoint: wrongName, soa: soa(5), deletes: [], adds: []))
        } throws: { error in
            (error as? DNSPushError)?.text.en.contains("BADKEY") == true || (error as? DNSPushError)?.text.en.contains("NOTAUTH") == true
        }
        // The key file does not hold the key the zone names.
        #expect(throws: DNSPushError.key(.named("simpul-update", found: ["someone-else"]))) {
            try DNSClient(keyFile: other.path).query(self.endpoint(self.forward), name: self.forward, type: .a)
        }
    }

    @Test func aServerThatIsNotThereIsReportedAsUnreachable() throws {
        // Nothing listens on port 1 of the loopback address.
        let nowhere = ZoneEndpoint(zone: forward, server: "127.0.0.1:1", keyName: named.keyName)
        #expect {
            try client.query(nowhere, name: forward, type: .a)
        } throws: { error in
            guard case .unreachable(let server, _) = error as? DNSPushError else { return false }
            return server == "127.0.0.1:1"
        }
        #expect(throws: DNSPushError.badServer("ns1.example:53")) {
            try self.client.query(ZoneEndpoint(zone: self.forward, server: "ns1.example:53", keyName: nil), name: self.forward, type: .a)
        }
        #expect(throws: DNSPushError.noKeyFile) {
            try DNSClient(keyFile: nil).query(self.endpoint(self.forward), name: self.forward, type: .a)
        }
    }
}
