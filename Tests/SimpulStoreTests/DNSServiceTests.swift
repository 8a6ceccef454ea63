import Foundation
import GRDB
import SimpulCore
import SimpulDNS
@testable import SimpulServices
@_spi(Raw) import SimpulStore
import SimpulTestRigs
import Testing

/// DNS records in the inventory, pushed to a real named on 127.0.0.1 and checked against it.
@Suite("DNS records pushed to named", .serialized)
final class DNSServiceTests {
    let named: NamedServer
    static let zones = ["contohkab.go.id", "0.20.10.in-addr.arpa", "0.99.10.in-addr.arpa", "113.0.203.in-addr.arpa",
                        "0.0.0.0.0.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa"]

    init() throws {
        named = try NamedServer(zones: Self.zones, primaryZone: "contohkab.go.id")
    }

    deinit { named.stop() }

    func district(keyFile: String? = nil, path: String? = nil) throws -> TestDistrict {
        try TestDistrict(dns: DNSClient(keyFile: keyFile ?? named.keyFile), dnsServer: named.server, path: path)
    }

    func record(_ name: String, _ type: RecordType, _ data: String, ttl: Int = 3600) -> DNSRecord {
        DNSRecord(name: DomainName(name)!, type: type, ttl: ttl, data: data)
    }

    func serial(_ district: TestDistrict, _ zone: String) throws -> UInt32 {
        try district.simpul.database.read { r in try DNSStore.zone(r, named: DomainName(zone)!)!.serial }
    }

    @Test func anAddressRecordBringsItsPTRAndBothArePushedAndConfirmed() async throws {
        let district = try district()
        let dns = district.simpul.dnsRecords, cli = district.cli
        let address = try district.simpul.ipam.assign(.init(pool: "dc-server", owner: "device:SIKD-01", hostname: "sikd"), by: cli).address
        let outcome = try await dns.addNow([record("sikd.contohkab.go.id", .a, address.description)], owner: "device:SIKD-01", by: cli)
        #expect(outcome.published, "push failed: \(outcome.pushError?.en ?? "") \(named.log.suffix(600))")
        #expect(outcome.added.map(\.description) == ["sikd.contohkab.go.id. 3600 IN A 10.20.0.10", "10.0.20.10.in-addr.arpa. 3600 IN PTR sikd.contohkab.go.id."])
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.10"])
        #expect(try named.dig(["-x", "10.20.0.10"]) == ["sikd.contohkab.go.id."])

        // One serial per zone per change set, YYYYMMDDnn in the office's zone, and the server has it.
        let first = SOASerial.next(after: 0, at: district.clock.now, in: district.simpul.officeTime().timeZone)
        #expect(try serial(district, "contohkab.go.id") == first)
        #expect(try serial(district, "0.20.10.in-addr.arpa") == first)
        #expect(try named.dig(["SOA", "contohkab.go.id"]).first?.contains(" \(first) ") == true)
        _ = try await dns.addNow([record("sikd.contohkab.go.id", .txt, "pemilik: Dinas Kesehatan")], by: cli)
        #expect(try serial(district, "contohkab.go.id") == first + 1)
        #expect(try serial(district, "0.20.10.in-addr.arpa") == first)
        #expect(try district.simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'dns.add'") } == 3)

        // IPv6: the PTR goes under ip6.arpa.
        let v6 = try district.simpul.ipam.assign(.init(pool: "public-v6", owner: "device:SIKD-01"), by: cli).address
        let six = try await dns.addNow([record("sikd.contohkab.go.id", .aaaa, v6.description)], by: cli)
        #expect(six.published)
        #expect(try named.dig(["-x", v6.description]) == ["sikd.contohkab.go.id."])

        // Releasing the address takes its A and PTR away, in the inventory and on the server.
        let released = try await district.simpul.ipam.releaseNow(address.description, by: cli)
        #expect(released.dns.removed.count == 2 && released.dns.published)
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]).isEmpty)
        #expect(try named.dig(["-x", "10.20.0.10"]).isEmpty)
        #expect(try named.dig(["AAAA", "sikd.contohkab.go.id"]) == [v6.description])
    }

    @Test func badRecordsAreRefusedWithTheReason() async throws {
        let district = try district()
        let dns = district.simpul.dnsRecords, cli = district.cli
        func refusal(_ records: [DNSRecord]) -> String {
            do { _ = try dns.add(records, by: cli); return "accepted" } catch let error as ServiceError { return error.text.en } catch { return "\(error)" }
        }
        #expect(refusal([record("a.contohkab.go.id", .a, "10.20.0.10")]).contains("not assigned to anyone; assign it first"))
        _ = try district.simpul.ipam.hold(.init(pool: "dc-server", owner: "device:SRV-7"), by: cli)
        #expect(refusal([record("a.contohkab.go.id", .a, "10.20.0.10")]).contains("only held for device:SRV-7"))
        #expect(refusal([record("a.example.org", .a, "127.0.0.1")]).contains("not inside a zone Simpul keeps"))
        _ = try await dns.addNow([record("web.contohkab.go.id", .a, "127.0.0.2")], by: cli)
        #expect(refusal([record("web.contohkab.go.id", .cname, "other.contohkab.go.id")]).contains("a CNAME must be alone"))
        #expect(refusal([record("contohkab.go.id", .cname, "web.contohkab.go.id")]).contains("apex"))
        #expect(refusal([record("web.contohkab.go.id", .a, "127.0.0.2")]).contains("already exists"))
        #expect(refusal([record("mx.contohkab.go.id", .mx, "ten mail.contohkab.go.id")]).contains("not valid MX data"))
        // A mail exchanger inside the zone needs its address first (named would refuse the update); one given in the same change will do.
        #expect(refusal([record("contohkab.go.id", .mx, "10 mail.contohkab.go.id")]).contains("which has no A/AAAA record"))
        #expect(refusal([record("contohkab.go.id", .mx, "10 mail.example.net")]) == "accepted")
        #expect(refusal([record("mail.contohkab.go.id", .a, "127.0.0.3"), record("contohkab.go.id", .mx, "20 mail.contohkab.go.id")]) == "accepted")
        #expect(throws: ServiceError.self) { try dns.record(name: "bad_name.contohkab.go.id", type: "A", data: "127.0.0.1", ttl: nil) }
        #expect(throws: ServiceError.self) { try dns.record(name: "x.contohkab.go.id", type: "SRV", data: "1", ttl: nil) }
        #expect(try dns.nameStatus("web.contohkab.go.id") == .taken([record("web.contohkab.go.id", .a, "127.0.0.2")]))
        #expect(try dns.nameStatus("simpeg.contohkab.go.id") == .free(zone: "contohkab.go.id"))
        // A refusal leaves nothing behind: the records accepted (web, two MX, mail) and their change sets, nothing else.
        #expect(try district.count("dns_records") == 4)
        #expect(try district.count("dns_changes") == 3)
        // Only admins change DNS.
        let technician = Principal(userID: 9, username: "tek1", role: .technician)
        #expect(throws: ServiceError.self) { try dns.add([self.record("t.contohkab.go.id", .txt, "x")], by: technician) }
    }

    @Test func aPushTheServerRefusesKeepsTheRecordsWaitingUntilTheKeyIsRight() async throws {
        let wrongKey = named.directory.appendingPathComponent("wrong.key")
        try "key \"simpul-update\" { algorithm hmac-sha256; secret \"\(Data(repeating: 3, count: 32).base64EncodedString())\"; };\n"
            .write(to: wrongKey, atomically: true, encoding: .utf8)
        let broken = try district(keyFile: wrongKey.path)
        let outcome = try await broken.simpul.dnsRecords.addNow([record("portal.contohkab.go.id", .a, "127.0.0.9")], by: broken.cli)
        #expect(!outcome.published)
        #expect(outcome.pushError?.en.contains("BADSIG") == true || outcome.pushError?.en.contains("NOTAUTH") == true)
        #expect(outcome.changes.map(\.state) == [.failed])
        #expect(try named.dig(["A", "portal.contohkab.go.id"]).isEmpty)
        // Added then removed while the server refused: the net push never sends it.
        _ = try await broken.simpul.dnsRecords.addNow([record("tmp.contohkab.go.id", .txt, "sementara")], by: broken.cli)
        _ = try await broken.simpul.dnsRecords.removeNow(name: "tmp.contohkab.go.id", by: broken.cli)
        let zones = try broken.simpul.dnsRecords.zones(by: broken.cli)
        #expect(zones.first { $0.zone.name.description == "contohkab.go.id" }?.waiting == 3)

        let mended = try district(path: broken.path)
        // `simpul dns push`: every waiting change set now; the first delivery carries all three sets'
        // net effect, and the other two are settled with it.
        let report = try await mended.simpul.dnsRecords.pushNow(by: mended.cli)
        #expect(!report.hasFailures && report.delivered == 3)
        #expect(try named.dig(["A", "portal.contohkab.go.id"]) == ["127.0.0.9"])
        #expect(try named.dig(["TXT", "tmp.contohkab.go.id"]).isEmpty)
        #expect(try mended.simpul.dnsRecords.zones(by: mended.cli).allSatisfy { $0.waiting == 0 })
    }

    @Test func driftIsFoundByAZoneTransferAndFixedFromTheInventory() async throws {
        let district = try district()
        let dns = district.simpul.dnsRecords, cli = district.cli
        _ = try await dns.addNow([record("ns1.contohkab.go.id", .a, "127.0.0.1")], by: cli)
        let address = try district.simpul.ipam.assign(.init(pool: "dc-server", owner: "device:SIKD-01"), by: cli).address
        _ = try await dns.addNow([record("sikd.contohkab.go.id", .a, address.description)], by: cli)
        #expect(try await dns.check(by: cli).isClean)

        // Someone edits the server by hand: an extra TXT, the PTR gone, another TTL on the A.
        let client = DNSClient(keyFile: named.keyFile)
        let soa = SOAData(primaryNS: WireName(text: "ns1.contohkab.go.id")!, mailbox: WireName(text: "hostmaster.contohkab.go.id")!, serial: 2_099_010_100)
        let forward = ZoneEndpoint(zone: DomainName("contohkab.go.id")!, server: named.server, keyName: named.keyName)
        let reverse = ZoneEndpoint(zone: DomainName("0.20.10.in-addr.arpa")!, server: named.server, keyName: named.keyName)
        try await client.update(ZoneUpdate(endpoint: forward, soa: soa, deletes: [record("sikd.contohkab.go.id", .a, "10.20.0.10")],
                                           adds: [record("rogue.contohkab.go.id", .txt, "tidak di inventaris"), record("sikd.contohkab.go.id", .a, "10.20.0.10", ttl: 60)]),
                                deadline: .now + .seconds(5))
        try await client.update(ZoneUpdate(endpoint: reverse, soa: soa, deletes: [record("10.0.20.10.in-addr.arpa", .ptr, "sikd.contohkab.go.id")], adds: []),
                                deadline: .now + .seconds(5))

        let report = try await dns.check(by: cli)
        #expect(!report.isClean)
        let fwd = try #require(report.drifts.first { $0.zone == "contohkab.go.id" })
        #expect(fwd.extra == [record("rogue.contohkab.go.id", .txt, "tidak di inventaris")])
        #expect(fwd.different.map(\.server) == [[record("sikd.contohkab.go.id", .a, "10.20.0.10", ttl: 60)]])
        #expect(fwd.aWithoutPTR == [record("sikd.contohkab.go.id", .a, "10.20.0.10", ttl: 60)])
        #expect(fwd.serverSerial == 2_099_010_100)
        let rev = try #require(report.drifts.first { $0.zone == "0.20.10.in-addr.arpa" })
        #expect(rev.missing == [record("10.0.20.10.in-addr.arpa", .ptr, "sikd.contohkab.go.id")])

        let fixed = try await dns.check(fix: true, by: cli)
        #expect(fixed.isClean, "after the fix: \(fixed.drifts.filter { !$0.isClean })")
        #expect(fixed.fixed?.hasFailures == false)
        #expect(try named.dig(["TXT", "rogue.contohkab.go.id"]).isEmpty)
        #expect(try named.dig(["-x", "10.20.0.10"]) == ["sikd.contohkab.go.id."])
        // The server's serial was ahead; the fix moves past it so secondaries would take the new zone.
        #expect(try serial(district, "contohkab.go.id") > 2_099_010_100)

        // An alias whose target loses its last record answers nothing: the check says so; an alias out of our zones is not judged.
        _ = try await dns.addNow([record("www.contohkab.go.id", .cname, "sikd.contohkab.go.id"), record("cdn.contohkab.go.id", .cname, "edge.example.net")], by: cli)
        #expect(try await dns.check(by: cli).isClean)
        _ = try await dns.removeNow(name: "sikd.contohkab.go.id", by: cli)
        let dangling = try await dns.check(by: cli)
        #expect(dangling.drifts.first { $0.zone == "contohkab.go.id" }?.danglingCNAMEs == [record("www.contohkab.go.id", .cname, "sikd.contohkab.go.id")])
        #expect(!dangling.isClean)
    }

    @Test func exportedZonesAreAcceptedByNamedCheckzone() async throws {
        let district = try district()
        let dns = district.simpul.dnsRecords, cli = district.cli
        // The example district gives ns1's address with the zone (primary_ns_address): its export holds the glue.
        #expect(try dns.nameServersWithoutAddress("contohkab.go.id", by: cli).isEmpty)
        #expect(try dns.export("contohkab.go.id", by: cli).contains("ns1\t3600\tIN\tA\t127.0.0.1\n"))
        _ = try await dns.addNow([record("ns1.contohkab.go.id", .a, "127.0.0.1"), record("www.contohkab.go.id", .cname, "portal.contohkab.go.id"),
                         record("contohkab.go.id", .txt, "v=spf1 -all; \"kutipan\" \\ dan " + String(repeating: "panjang ", count: 40)),
                         record("contohkab.go.id", .mx, "10 ns1.contohkab.go.id")], by: cli)
        let address = try district.simpul.ipam.assign(.init(pool: "dc-server", owner: "device:A"), by: cli).address
        _ = try await dns.addNow([record("portal.contohkab.go.id", .a, address.description)], by: cli)
        #expect(try dns.nameServersWithoutAddress("contohkab.go.id", by: cli).isEmpty)
        for zone in ["contohkab.go.id", "0.20.10.in-addr.arpa", "0.0.0.0.0.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa"] {
            let file = named.directory.appendingPathComponent("export-\(zone)")
            try dns.export(zone, by: cli).write(to: file, atomically: true, encoding: .utf8)
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/named-checkzone")
            check.arguments = ["-k", "fail", "-m", "fail", "-n", "fail", zone, file.path]
            let pipe = Pipe()
            check.standardOutput = pipe
            check.standardError = pipe
            try check.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "named-checkzone \(zone): \(output)")
        }
        // What the server holds after the pushes is what the export says.
        #expect(try await dns.check(by: cli).isClean)
    }
}

extension DNSService {
    /// As the front ends do it: the change, then its delivery at once through the outbox.
    func addNow(_ records: [DNSRecord], owner: String? = nil, by principal: Principal) async throws -> Outcome {
        await published(try add(records, owner: owner, by: principal))
    }

    func removeNow(name: String, type: RecordType? = nil, data: String? = nil, by principal: Principal) async throws -> Outcome {
        await published(try remove(name: name, type: type, data: data, by: principal))
    }
}

extension IPAMService {
    func releaseNow(_ address: String, by principal: Principal) async throws -> Released {
        var released = try release(address, by: principal)
        released.dns = await simpul.dnsRecords.published(released.dns)
        return released
    }
}
