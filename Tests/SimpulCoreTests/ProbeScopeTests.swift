import Testing
import SimpulCore

/// `SIMPUL_PROBE_ALLOW`: the addresses checks may go to, read strictly, with the bad entry named.
@Suite("Probe scope")
struct ProbeScopeTests {
    static let loopback = "127.0.0.0/8,::1/128"

    @Test(arguments: [
        ("127.0.0.1", true), ("127.255.255.254", true), ("127.0.10.11", true), ("::1", true),
        ("10.20.0.15", false), ("192.168.1.1", false), ("172.16.0.1", false), ("128.0.0.1", false),
        ("126.255.255.255", false), ("::2", false), ("::", false), ("0.0.0.0", false), ("2001:db8::1", false),
        // An IPv4-mapped IPv6 address reaches its IPv4 address through an IPv6 socket.
        ("::ffff:127.0.0.1", true), ("::ffff:10.20.0.15", false), ("::ffff:192.168.1.1", false),
    ])
    func loopbackScopePermitsOnlyLoopback(address: String, permitted: Bool) throws {
        let scope = try ProbeScope(parsing: Self.loopback)
        #expect(scope.permits(try #require(IPAddress(address))) == permitted)
    }

    @Test func unsetMeansAnyAddressAndSetMeansTheList() throws {
        let unset = try ProbeScope(environment: [:])
        #expect(unset.isAnyAddress)
        #expect(unset.permits(IPAddress("10.20.0.15")!))
        #expect(unset.permits(IPAddress("2001:db8::1")!))
        #expect(unset.description == "any")

        let set = try ProbeScope(environment: ["SIMPUL_PROBE_ALLOW": " 127.0.0.0/8 , ::1/128 "])
        #expect(set == .loopback)
        #expect(set.description == Self.loopback)
        #expect(!set.permits(IPAddress("10.20.0.15")!))
        #expect(try ProbeScope(parsing: set.description) == set)
    }

    @Test func aRepeatedPrefixIsKeptOnce() throws {
        #expect(try ProbeScope(parsing: "127.0.0.0/8,127.0.0.0/8").prefixes?.count == 1)
    }

    @Test func wholeFamilyPrefixesAreAllowed() throws {
        let scope = try ProbeScope(parsing: "0.0.0.0/0")
        #expect(scope.permits(IPAddress("203.0.113.9")!))
        #expect(!scope.permits(IPAddress("::1")!))
    }

    @Test(arguments: [
        // (text, the entry the message names, words of the English message)
        ("", nil, "is empty"),
        ("   ", nil, "is empty"),
        ("127.0.0.0/8,", nil, "entry 2 is empty"),
        (",::1/128", nil, "entry 1 is empty"),
        ("127.0.0.0/8,,::1/128", nil, "entry 2 is empty"),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1/32"),
        ("::1", "::1", "::1/128"),
        ("127.0.0.0/33", "127.0.0.0/33", "from 0 to 32"),
        ("::1/129", "::1/129", "from 0 to 128"),
        ("127.0.0.0/-1", "127.0.0.0/-1", "from 0 to 32"),
        ("127.0.0.0/ 8", "127.0.0.0/ 8", "from 0 to 32"),
        ("127.0.0.1/8", "127.0.0.1/8", "did you mean 127.0.0.0/8"),
        ("localhost/8", "localhost/8", "not an IPv4 or IPv6 prefix"),
        ("127.0.0.0/8;::1/128", "127.0.0.0/8;::1/128", "not an IPv4 or IPv6 prefix"),
        ("127.0.0.0/8 ::1/128", "127.0.0.0/8 ::1/128", "not an IPv4 or IPv6 prefix"),
        ("::1/128,256.0.0.0/8", "256.0.0.0/8", "not an IPv4 or IPv6 prefix"),
    ] as [(String, String?, String)])
    func badScopesAreRefusedNamingTheEntry(text: String, entry: String?, words: String) {
        #expect {
            try ProbeScope(parsing: text)
        } throws: { error in
            guard let error = error as? ProbeScopeError else { return false }
            let message = error.text
            return error.entry == entry
                && message.en.hasPrefix("SIMPUL_PROBE_ALLOW cannot be read: ") && message.en.contains(words)
                && message.id.hasPrefix("SIMPUL_PROBE_ALLOW tidak dapat dibaca: ")
                && (entry.map { message.id.contains($0) && message.en.contains($0) } ?? true)
        }
    }

    @Test func setButEmptyIsNotAnyAddress() {
        #expect(throws: ProbeScopeError.self) { try ProbeScope(environment: ["SIMPUL_PROBE_ALLOW": ""]) }
    }

    @Test func tooManyEntriesOrTooMuchTextIsRefused() throws {
        let many = (0..<257).map { "127.0.\($0 % 256).\($0 / 256)/32" }.joined(separator: ",")
        #expect { try ProbeScope(parsing: many) } throws: { ($0 as? ProbeScopeError)?.text.en.contains("holds 257 prefixes, at most 256") == true }
        let long = String(repeating: " ", count: 9_000) + "127.0.0.0/8"
        #expect { try ProbeScope(parsing: long) } throws: { ($0 as? ProbeScopeError)?.text.en.contains("too long") == true }
        let most = (0..<256).map { "127.0.\($0).0/24" }.joined(separator: ",")
        #expect(try ProbeScope(parsing: most).prefixes?.count == 256)
    }

    @Test func anEntryInAMessageIsAnExcerpt() throws {
        let hostile = "\u{1B}[31m" + String(repeating: "x", count: 500) + "/8"
        let error = try #require(throws: ProbeScopeError.self) { try ProbeScope(parsing: hostile) }
        #expect(!error.text.en.contains("\u{1B}"))
        #expect(error.text.en.count < 300)
    }

    @Test(arguments: [
        ("10.20.0.15", "icmp", nil as Int?, "10.20.0.15 icmp"),
        ("10.20.0.15", "tcp", 443, "10.20.0.15 tcp/443"),
        ("2001:db8::15", "tcp", 22, "2001:db8::15 tcp/22"),
        ("::ffff:10.20.0.15", "icmp", nil, "::ffff:a14:f icmp"),
    ])
    func enrolmentRowsBecomeTargets(address: String, method: String, port: Int?, shown: String) throws {
        let target = try ProbeTarget(address: address, method: method, port: port)
        #expect(target.description == shown)
        #expect(target.method.name == method)
        #expect(target.method.port == port)
        #expect(target.destination.family == (address.contains(".") ? .v4 : .v6))
    }

    @Test(arguments: [
        ("10.20.0", "icmp", nil as Int?, "not an IPv4 or IPv6 address"),
        ("10.20.0.15", "udp", nil, "unknown"),
        ("10.20.0.15", "tcp", nil, "needs a port"),
        ("10.20.0.15", "tcp", 0, "from 1 to 65535"),
        ("10.20.0.15", "tcp", 65_536, "from 1 to 65535"),
        ("10.20.0.15", "tcp", -1, "from 1 to 65535"),
        ("10.20.0.15", "icmp", 80, "takes no port"),
    ])
    func badEnrolmentRowsAreRefused(address: String, method: String, port: Int?, words: String) {
        #expect {
            try ProbeTarget(address: address, method: method, port: port)
        } throws: { error in
            (error as? ProbeTargetError)?.text.en.contains(words) == true
        }
    }
}
