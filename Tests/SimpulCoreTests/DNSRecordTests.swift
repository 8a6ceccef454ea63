import Foundation
import Testing
@testable import SimpulCore

@Suite("DNS records") struct DNSRecordTests {
    let zone = DomainName("contohkab.go.id")!

    func record(_ name: String, _ type: RecordType, _ data: String, ttl: Int = 3600) -> DNSRecord {
        DNSRecord(name: DomainName(name)!, type: type, ttl: ttl, data: data)
    }

    @Test func cnameRulesAndData() {
        let www = record("www.contohkab.go.id", .a, "203.0.113.10")
        #expect(RecordRules.problems(adding: www, to: [], zone: zone).isEmpty)
        #expect(RecordRules.problems(adding: record("www.contohkab.go.id", .cname, "web.contohkab.go.id"), to: [www], zone: zone)
            == [.cnameBesideOtherData(name: "www.contohkab.go.id")])
        let alias = record("portal.contohkab.go.id", .cname, "www.contohkab.go.id")
        #expect(RecordRules.problems(adding: record("portal.contohkab.go.id", .txt, "x"), to: [alias], zone: zone)
            == [.otherDataBesideCNAME(name: "portal.contohkab.go.id")])
        #expect(RecordRules.problems(adding: record("contohkab.go.id", .cname, "x.example"), to: [], zone: zone) == [.cnameAtApex(zone: "contohkab.go.id")])
        #expect(RecordRules.problems(adding: record("www.example.org", .a, "203.0.113.1"), to: [], zone: zone)
            == [.outsideZone(name: "www.example.org", zone: "contohkab.go.id")])
        #expect(RecordRules.problems(adding: record("a.contohkab.go.id", .a, "2001:db8::1"), to: [], zone: zone) == [.badData(type: .a, data: "2001:db8::1")])
        #expect(RecordRules.problems(adding: record("a.contohkab.go.id", .mx, "10 mail.contohkab.go.id"), to: [], zone: zone).isEmpty)
        #expect(RecordRules.problems(adding: record("a.contohkab.go.id", .mx, "mail.contohkab.go.id"), to: [], zone: zone).count == 1)
        #expect(RecordRules.problems(adding: record("a.contohkab.go.id", .a, "203.0.113.1", ttl: 5), to: [], zone: zone) == [.badTTL(5)])
        #expect(RecordRules.problems(adding: record("www.contohkab.go.id", .a, "203.0.113.10"), to: [www], zone: zone).count == 1)
    }

    @Test func reverseNames() {
        #expect(IPAddress("10.20.0.15")!.reverseName.description == "15.0.20.10.in-addr.arpa")
        #expect(IPAddress("10.20.0.15")!.reverseName.isSubdomain(of: DomainName("0.20.10.in-addr.arpa")!))
        #expect(IPAddress("2001:db8:20::1")!.reverseName.description
            == "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
    }

    @Test func serialsCountUpOncePerChangeSet() {
        let wita = TimeZone(identifier: "Asia/Makassar")!
        let evening = Date(timeIntervalSince1970: 1_795_254_525)  // 21 Nov 2026 17.48 WITA
        #expect(SOASerial.next(after: 1, at: evening, in: wita) == 2026112100)
        #expect(SOASerial.next(after: 2026112100, at: evening, in: wita) == 2026112101)
        #expect(SOASerial.next(after: 2026112099, at: evening, in: wita) == 2026112100)  // yesterday's last
        #expect(SOASerial.next(after: 2026112199, at: evening, in: wita) == 2026112200)  // a hundred changes today: count on
        #expect(SOASerial.next(after: 2026112205, at: evening, in: wita) == 2026112206)  // a clock set back never lowers it
        // Midnight is the office's: 23.30 UTC on the 21st is already the 22nd in WITA.
        #expect(SOASerial.next(after: 2026112105, at: Date(timeIntervalSince1970: 1_795_303_800), in: wita) == 2026112200)
    }
}
