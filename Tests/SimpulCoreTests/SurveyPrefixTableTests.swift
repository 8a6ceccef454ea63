@testable import SimpulCore
import Testing

/// Longest-prefix match of addresses to agencies (issue 16): nested and overlapping prefixes,
/// the edges of both families, duplicates, and a seeded cross-check against a plain scan.
@Suite("Survey: prefix table")
struct SurveyPrefixTableTests {
    static func table(_ entries: [(String, Int)]) throws -> PrefixTable {
        try PrefixTable(entries.map { (prefix: Prefix($0.0)!, agencyIndex: $0.1) })
    }

    static let nested: [(String, Int)] = [
        ("10.0.0.0/8", 0), ("10.20.0.0/16", 1), ("10.20.30.0/24", 2), ("10.20.30.128/25", 3),
        ("10.20.30.200/32", 4), ("10.20.31.0/24", 5), ("10.255.255.255/32", 6), ("192.0.2.0/24", 7),
        ("2001:db8::/32", 8), ("2001:db8:20::/48", 9), ("2001:db8:20:30::/64", 10),
        ("2001:db8:20:30::1/128", 11), ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128", 12),
        ("2001:db8:20:30:8000::/65", 13),
    ]

    @Test(arguments: [
        ("10.0.0.0", 0), ("10.19.255.255", 0), ("10.20.0.0", 1), ("10.20.29.255", 1), ("10.20.30.0", 2),
        ("10.20.30.127", 2), ("10.20.30.128", 3), ("10.20.30.199", 3), ("10.20.30.200", 4), ("10.20.30.201", 3),
        ("10.20.30.255", 3), ("10.20.31.0", 5), ("10.20.32.0", 1), ("10.21.0.0", 0), ("10.255.255.254", 0),
        ("10.255.255.255", 6), ("11.0.0.0", nil), ("9.255.255.255", nil), ("192.0.2.77", 7), ("192.0.3.0", nil),
        ("0.0.0.0", nil), ("255.255.255.255", nil),
        ("2001:db8::", 8), ("2001:db8:1f:ffff:ffff:ffff:ffff:ffff", 8), ("2001:db8:20::", 9), ("2001:db8:20:2f::1", 9),
        ("2001:db8:20:30::", 10), ("2001:db8:20:30::1", 11), ("2001:db8:20:30::2", 10),
        ("2001:db8:20:30:7fff:ffff:ffff:ffff", 10), ("2001:db8:20:30:8000::", 13), ("2001:db8:20:30:ffff:ffff:ffff:ffff", 13),
        ("2001:db8:20:31::", 9), ("2001:db8:21::", 8), ("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", 8),
        ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 12), ("2001:db9::", nil), ("::", nil), ("::a00:1", nil),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
    ] as [(String, Int?)])
    func longestPrefixWins(_ address: String, _ agency: Int?) throws {
        let table = try Self.table(Self.nested)
        #expect(table.agency(for: IPAddress(address)!) == agency)
    }

    @Test func tableCountsAgenciesAndPrefixes() throws {
        let table = try Self.table(Self.nested + [("10.0.0.0/8", 0)])
        #expect(table.agencyCount == 14)
        #expect(table.prefixCount == Self.nested.count, "the same prefix for the same agency counts once")
        let empty = try PrefixTable([])
        #expect(empty.agencyCount == 0)
        #expect(empty.agency(for: IPAddress("10.0.0.1")!) == nil)
        #expect(empty.agency(for: IPAddress("2001:db8::1")!) == nil)
    }

    @Test func defaultRoutesCatchEverythingOfTheirFamilyOnly() throws {
        let table = try Self.table([("0.0.0.0/0", 0), ("::/0", 1), ("10.1.0.0/16", 2), ("2001:db8::/32", 3)])
        #expect(table.agency(for: IPAddress("0.0.0.0")!) == 0)
        #expect(table.agency(for: IPAddress("255.255.255.255")!) == 0)
        #expect(table.agency(for: IPAddress("10.1.2.3")!) == 2)
        #expect(table.agency(for: IPAddress("::")!) == 1)
        #expect(table.agency(for: IPAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")!) == 1)
        #expect(table.agency(for: IPAddress("2001:db8::9")!) == 3)
        let v4Only = try Self.table([("0.0.0.0/0", 0)])
        #expect(v4Only.agency(for: IPAddress("::ffff:10.1.2.3")!) == nil, "an IPv6 address never matches an IPv4 prefix")
        #expect(v4Only.agency(for: IPAddress("::10.1.2.3")!) == nil)
    }

    /// The attributor counts the hosts of an agency by address only when its one prefix is IPv4.
    @Test func soleIPv4PrefixIsOnlyForAgenciesWithOnePrefix() throws {
        let table = try Self.table([
            ("10.0.0.0/8", 0), ("10.20.30.0/24", 1), ("10.20.30.128/25", 2), ("192.0.2.0/24", 3), ("192.0.3.0/24", 3),
            ("198.51.100.0/24", 4), ("2001:db8::/32", 4), ("2001:db8:1::/48", 5), ("203.0.113.7/32", 7), ("203.0.113.7/32", 7),
        ])
        let sole = table.soleIPv4Prefix.map { $0.map { "\(IPAddress(v4: $0.network))/\($0.length)" } }
        #expect(sole == ["10.0.0.0/8", "10.20.30.0/24", "10.20.30.128/25", nil, nil, nil, nil, "203.0.113.7/32"])
        #expect(try PrefixTable([]).soleIPv4Prefix.isEmpty)
    }

    @Test func theSamePrefixForTwoAgenciesNamesBoth() {
        #expect {
            try Self.table([("10.0.0.0/24", 5), ("10.0.1.0/24", 1), ("10.0.0.0/24", 2)])
        } throws: { error in
            guard let error = error as? PrefixTableError else { return false }
            return error.kind == .duplicate && error.prefix == Prefix("10.0.0.0/24")! && error.agencies == [2, 5]
                && error.text.id.contains("10.0.0.0/24") && error.text.en.contains("#2") && error.text.en.contains("#5")
        }
        #expect(throws: PrefixTableError.self) { try Self.table([("2001:db8::/48", 0), ("2001:db8::/48", 1)]) }
        #expect(throws: PrefixTableError.self) { try Self.table([("10.0.0.0/8", -1)]) }
    }

    /// Random nested and overlapping prefixes of every length, checked address by address
    /// against "the longest prefix that contains it" found by a plain scan.
    @Test(arguments: [IPAddress.Family.v4, .v6])
    func matchesAPlainScan(_ family: IPAddress.Family) throws {
        var random = SplitMix(seed: family == .v4 ? 4 : 6)
        let bits = family.bitWidth
        // Addresses near a few bases so that prefixes nest and collide.
        let bases: [IPAddress] = family == .v4
            ? [IPAddress("10.20.0.0")!, IPAddress("10.20.30.40")!, IPAddress("192.168.0.0")!]
            : [IPAddress("2001:db8::")!, IPAddress("2001:db8:0:1::")!, IPAddress("fd00::")!]
        func nearby() -> IPAddress {
            let base = bases[Int(random.next(below: UInt64(bases.count)))]
            let spread = random.next(below: 4) == 0 ? random.next() : random.next(below: 1 << 20)
            let flip = family == .v4 ? spread & 0xFFFF_FFFF : spread
            return family == .v4
                ? IPAddress(v4: UInt32(truncatingIfNeeded: base.low ^ flip))
                : (random.next(below: 2) == 0 ? IPAddress(v6High: base.high ^ flip, low: base.low)
                                               : IPAddress(v6High: base.high, low: base.low ^ flip))
        }
        var owner: [Prefix: Int] = [:]
        for agency in 0..<300 {
            let prefix = Prefix(containing: nearby(), length: Int(random.next(below: UInt64(bits + 1))))
            if owner[prefix] == nil { owner[prefix] = agency }
        }
        let table = try PrefixTable(owner.map { (prefix: $0.key, agencyIndex: $0.value) })
        func scan(_ address: IPAddress) -> Int? {
            owner.filter { $0.key.contains(address) }.max { $0.key.length < $1.key.length }?.value
        }
        var matched = 0
        for _ in 0..<3_000 {
            let address = nearby()
            let expected = scan(address)
            if expected != nil { matched += 1 }
            #expect(table.agency(for: address) == expected, "\(address)")
        }
        // The edges of every prefix: its first and last address and their neighbours.
        for prefix in owner.keys {
            for address in [prefix.network, prefix.last, prefix.network.predecessor, prefix.last.advanced(by: 1)].compactMap({ $0 }) {
                #expect(table.agency(for: address) == scan(address), "\(address) at the edge of \(prefix)")
            }
        }
        #expect(matched > 100, "the cross-check must exercise matches")
    }
}
