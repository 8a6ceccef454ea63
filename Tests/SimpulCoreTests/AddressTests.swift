import Testing
@testable import SimpulCore

@Suite("IP addresses and prefixes")
struct AddressTests {
    @Test(arguments: [
        ("10.20.0.1", "10.20.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("fe80::", "fe80::"),
    ])
    func parsesAndFormatsCanonically(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-1", "a.b.c.d", "2001:db8::1::2",
                      "2001:db8:::1", "12345::1", "1:2:3:4:5:6:7:8:9", "::g", "1:2:3:4:5:6:7", " 1.2.3.4"])
    func refusesMalformed(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func loopbackIsRecognised() {
        #expect(IPAddress("127.0.10.11")!.isLoopback)
        #expect(IPAddress("::1")!.isLoopback)
        #expect(!IPAddress("10.0.0.1")!.isLoopback)
    }

    @Test func arithmeticStaysInFamily() {
        #expect(IPAddress("10.0.0.255")!.advanced(by: 1) == IPAddress("10.0.1.0"))
        #expect(IPAddress("255.255.255.255")!.advanced(by: 1) == nil)
        #expect(IPAddress("::ffff:ffff:ffff:ffff")!.advanced(by: 1) == IPAddress("0:0:0:1::"))
        #expect(IPAddress("10.0.1.0")!.predecessor == IPAddress("10.0.0.255"))
    }

    @Test func prefixParsingIsStrict() {
        #expect(Prefix("10.20.0.0/24")?.description == "10.20.0.0/24")
        guard case .failure(.hostBitsSet(let suggested)) = Prefix.parse("10.20.0.5/24") else {
            Issue.record("host bits should be refused"); return
        }
        #expect(suggested.description == "10.20.0.0/24")
        #expect(Prefix.parse("10.20.0.0/33") == .failure(.badLength(max: 32)))
        #expect(Prefix.parse("10.20.0.0") == .failure(.notCIDR))
        #expect(Prefix.parse("10.20.0/24") == .failure(.badAddress))
        #expect(Prefix.parse("2001:db8::/129") == .failure(.badLength(max: 128)))
    }

    @Test func prefixGeometry() throws {
        let p = try #require(Prefix("10.20.0.0/24"))
        #expect(p.last == IPAddress("10.20.0.255"))
        #expect(p.size == 256)
        #expect(p.contains(IPAddress("10.20.0.77")!))
        #expect(!p.contains(IPAddress("10.20.1.0")!))
        #expect(!p.contains(IPAddress("2001:db8::1")!))
        #expect(p.overlaps(Prefix("10.20.0.128/25")!))
        #expect(Prefix("10.0.0.0/8")!.overlaps(p))
        #expect(!p.overlaps(Prefix("10.20.1.0/24")!))
        let v6 = try #require(Prefix("2001:db8:20::/64"))
        #expect(v6.last == IPAddress("2001:db8:20:0:ffff:ffff:ffff:ffff"))
        #expect(v6.size == .max)
        #expect(Prefix("2001:db8:20::/120")!.size == 256)
        #expect(Prefix("0.0.0.0/0")!.contains(IPAddress("203.0.113.9")!))
    }

    @Test func addressRanges() {
        #expect(AddressRange("10.0.0.2-10.0.0.9")?.description == "10.0.0.2-10.0.0.9")
        #expect(AddressRange("10.0.0.9-10.0.0.2") == nil)
        #expect(AddressRange("10.0.0.0/30")?.last == IPAddress("10.0.0.3"))
        #expect(AddressRange("10.0.0.1-2001:db8::1") == nil)
    }

    @Test(arguments: [
        ("contohkab.go.id", true), ("ns1.contohkab.go.id.", true), ("0.20.10.in-addr.arpa", true), ("a-b.c", true),
        ("-bad.go.id", false), ("bad-.go.id", false), ("under_score.go.id", false), ("a..b", false), ("", false),
        (String(repeating: "a", count: 64) + ".id", false), ("spasi ada.go.id", false),
    ])
    func domainNames(name: String, valid: Bool) {
        #expect((DomainName(name) != nil) == valid)
    }

    @Test func domainNameRules() {
        #expect(DomainName("WWW.ContohKab.go.id")?.description == "www.contohkab.go.id")
        #expect(DomainName("www.contohkab.go.id")!.isSubdomain(of: DomainName("contohkab.go.id")!))
        #expect(!DomainName("contohkab.go.id")!.isSubdomain(of: DomainName("www.contohkab.go.id")!))
        #expect(DomainName.parse(String(repeating: "abcdefghi.", count: 26) + "id") == .failure(.tooLong(262)))
    }

    @Test func hostPort() {
        #expect(HostPort("127.0.0.1:5353")?.port == 5353)
        #expect(HostPort("[::1]:53")?.description == "[::1]:53")
        #expect(HostPort("127.0.0.1") == nil)
        #expect(HostPort("127.0.0.1:70000") == nil)
        #expect(HostPort("ns1.example:53") == nil)
    }
}
