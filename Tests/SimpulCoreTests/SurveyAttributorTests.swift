import Foundation
import SimpulCore
import Testing

/// Attribution of captured traffic to agencies (issue 16): in, out and internal per agency,
/// unattributed never dropped, non-IP and decode failures counted, intervals however the
/// timestamps arrive, top hosts and services, and bounded memory under a flood of hosts.
@Suite("Survey: traffic attributor")
struct SurveyAttributorTests {
    typealias F = SurveyFrames

    /// Agency 0: 10.1.0.0/16 and 2001:db8:1::/48; agency 1: 10.2.0.0/16 with 10.2.9.0/24 carved
    /// out for agency 2; agency 3 has no traffic.
    static func table() throws -> PrefixTable {
        try PrefixTable([
            (Prefix("10.1.0.0/16")!, 0), (Prefix("2001:db8:1::/48")!, 0),
            (Prefix("10.2.0.0/16")!, 1), (Prefix("10.2.9.0/24")!, 2), (Prefix("10.3.0.0/16")!, 3),
        ])
    }

    /// 2026-09-21T12:54:00Z, a whole minute; `t0` is 40 s into it.
    static let minute: Int64 = 1_790_000_040
    static let t0: Int64 = minute + 40

    @Test func countsInOutInternalAndUnattributedByWireLength() throws {
        var attributor = TrafficAttributor(table: try Self.table())
        // 0 → outside: out of 0. A 60-byte capture of a 1514-byte frame counts 1514.
        let upload = F.ethernet(F.ipv4("10.1.0.5", "203.0.113.7", payload: F.ports(50_000, 443)))
        attributor.add(.ethernet, upload, seconds: Self.t0, wireLength: 1514)
        // outside → 2 (inside 1's /16, but 2's /24 is longer): in of 2.
        attributor.add(.ethernet, F.ethernet(F.ipv4("198.51.100.1", "10.2.9.9", proto: 17, payload: F.ports(53, 33_000, length: 8))),
                       seconds: Self.t0 + 1, wireLength: 100)
        // 0 → 1 over IPv4 in a QinQ frame: out of 0 and in of 1.
        attributor.add(.ethernet, F.ethernet(F.ipv4("10.1.7.7", "10.2.0.1"), tags: [(0x88A8, 10), (0x8100, 20)]),
                       seconds: Self.t0 + 2, wireLength: 200)
        // Inside 0, IPv4 and IPv6 (cooked capture): internal, not in or out.
        attributor.add(.linuxSLL, F.sll(F.ipv4("10.1.0.1", "10.1.0.2")), seconds: Self.t0 + 3, wireLength: 300)
        attributor.add(.linuxSLL2, F.sll2(F.ipv6("2001:db8:1::1", "2001:db8:1:ffff::2"), protocol: 0x86DD), seconds: Self.t0 + 4, wireLength: 400)
        // Neither end known: unattributed, twice.
        attributor.add(.rawLinux, F.ipv4("198.51.100.1", "203.0.113.9"), seconds: Self.t0, wireLength: 1000)
        attributor.add(.rawLinux, F.ipv6("2001:db8:9::1", "2001:db8:8::1"), seconds: Self.t0 + 30, wireLength: 80)
        // Non-IP and broken frames.
        attributor.add(.ethernet, F.ethernet([UInt8](repeating: 0, count: 46), type: 0x0806), seconds: Self.t0, wireLength: 60)
        attributor.add(.ethernet, Array(upload.prefix(20)), seconds: Self.t0, wireLength: 70)
        attributor.add(.ethernet, Array(upload.prefix(10)), seconds: Self.t0, wireLength: 80)
        attributor.add(CaptureLinkType(rawValue: 147), upload, seconds: Self.t0, wireLength: 90)

        let summary = attributor.summary()
        #expect(summary.agencies.count == 4)
        let a0 = try #require(summary.agency(0)), a1 = try #require(summary.agency(1))
        let a2 = try #require(summary.agency(2)), a3 = try #require(summary.agency(3))
        #expect(a0.outbound == TrafficCount(bytes: 1514 + 200, packets: 2))
        #expect(a0.inbound == .zero)
        #expect(a0.internalTraffic == TrafficCount(bytes: 700, packets: 2))
        #expect(a1.inbound == TrafficCount(bytes: 200, packets: 1))
        #expect(a1.outbound == .zero)
        #expect(a2.inbound == TrafficCount(bytes: 100, packets: 1))
        #expect(a3.inbound == .zero && a3.outbound == .zero && a3.series.isEmpty && a3.topHosts.isEmpty)
        #expect(summary.unattributed == TrafficCount(bytes: 1080, packets: 2))
        #expect(summary.nonIP == TrafficCount(bytes: 60, packets: 1))
        #expect(summary.failures == [
            .init(reason: .unsupportedLinkType, traffic: TrafficCount(bytes: 90, packets: 1)),
            .init(reason: .truncatedLinkHeader, traffic: TrafficCount(bytes: 80, packets: 1)),
            .init(reason: .truncatedIPHeader, traffic: TrafficCount(bytes: 70, packets: 1)),
        ])
        #expect(summary.failed == TrafficCount(bytes: 240, packets: 3))
        #expect(summary.seen == TrafficCount(bytes: 1514 + 100 + 200 + 300 + 400 + 1000 + 80 + 60 + 240, packets: 11))
        #expect(summary.first == CaptureTimestamp(seconds: Self.t0) && summary.last == CaptureTimestamp(seconds: Self.t0 + 30))
        #expect(summary.outsideSeries == .zero)

        // Hosts are the agency's own side; services the lower port.
        #expect(a0.topHosts.map(\.address) == [IPAddress("10.1.0.5")!, IPAddress("10.1.7.7")!])
        #expect(a0.topHosts.map(\.traffic.bytes) == [1514, 200])
        #expect(a0.topServices.map { "\($0.protocolNumber)/\($0.port.map(String.init) ?? "-")" } == ["6/443"])
        #expect(a0.topServices.first?.traffic == TrafficCount(bytes: 1714, packets: 2))
        #expect(a2.topHosts.map(\.address) == [IPAddress("10.2.9.9")!])
        #expect(a2.topServices.first?.port == 53 && a2.topServices.first?.protocolNumber == 17)
        #expect(a0.otherHosts == .zero && !a0.hostsApproximate)
    }

    @Test func intervalsBucketOutOfOrderTimestamps() throws {
        let settings = try AttributionSettings(intervalSeconds: 60)
        var attributor = TrafficAttributor(table: try Self.table(), settings: settings)
        let out = F.ipv4("10.1.0.5", "203.0.113.7")
        let minute = Self.minute
        // Out of order, across three minutes, with one exactly on a boundary and one a nanosecond before it.
        let times: [(Int64, Int32)] = [(minute + 61, 0), (minute + 5, 0), (minute + 120, 0), (minute + 59, 999_999_999),
                                       (minute + 60, 0), (minute + 1, 5)]
        for (seconds, nanoseconds) in times {
            attributor.add(.rawLinux, out, seconds: seconds, nanoseconds: nanoseconds, wireLength: 100)
        }
        attributor.add(.rawLinux, F.ipv4("8.8.8.8", "9.9.9.9"), seconds: minute - 1, wireLength: 70)
        let summary = attributor.summary()
        let series = try #require(summary.agency(0)).series
        #expect(series.map(\.start) == [minute, minute + 60, minute + 120])
        #expect(series.map(\.outbound.packets) == [3, 2, 1])
        #expect(series.map(\.outbound.bytes) == [300, 200, 100])
        #expect(series.allSatisfy { $0.inbound == .zero })
        #expect(summary.unattributedSeries == [.init(start: minute - 60, traffic: TrafficCount(bytes: 70, packets: 1))])
        #expect(summary.first == CaptureTimestamp(seconds: minute - 1))
        #expect(summary.last == CaptureTimestamp(seconds: minute + 120))
        #expect(summary.intervalSeconds == 60)
    }

    @Test(arguments: [(0, 1, 0), (59, 60, 0), (60, 60, 60), (-1, 60, -60), (-60, 60, -60), (-61, 60, -120),
                      (86_399, 86_400, 0), (1_790_000_042, 5, 1_790_000_040)] as [(Int64, Int64, Int64)])
    func intervalStartIsTheFloor(_ seconds: Int64, _ length: Int64, _ start: Int64) throws {
        var attributor = TrafficAttributor(table: try Self.table(), settings: try AttributionSettings(intervalSeconds: length))
        attributor.add(.rawLinux, F.ipv4("10.1.0.5", "203.0.113.7"), seconds: seconds, wireLength: 40)
        #expect(attributor.summary().agency(0)?.series.map(\.start) == [start])
    }

    @Test func settingsAreRangeChecked() {
        #expect(throws: AttributionSettingsError.self) { try AttributionSettings(intervalSeconds: 0) }
        #expect(throws: AttributionSettingsError.self) { try AttributionSettings(intervalSeconds: 86_401) }
        #expect(throws: AttributionSettingsError.self) { try AttributionSettings(topCount: 0) }
        #expect(throws: AttributionSettingsError.self) { try AttributionSettings(hostTableCapacity: 1) }
        #expect(throws: AttributionSettingsError.self) { try AttributionSettings(maximumIntervals: 0) }
        #expect((try? AttributionSettings(intervalSeconds: 1)) != nil)
        #expect((try? AttributionSettings(intervalSeconds: 86_400)) != nil)
        #expect(AttributionSettings.standard.intervalSeconds == 60 && AttributionSettings.standard.topCount == 10)
        do {
            _ = try AttributionSettings(intervalSeconds: -5)
            Issue.record("a negative interval was accepted")
        } catch {
            #expect(error.text.id.contains("1 detik sampai 1 hari"))
        }
    }

    @Test func topListsRankByBytesAndTheRestAddsUp() throws {
        var attributor = TrafficAttributor(table: try Self.table(), settings: try AttributionSettings(topCount: 3))
        // Hosts .1 … .6 of agency 0 send i × 100 bytes once; each also receives i packets of 30.
        for i in 1...6 {
            attributor.add(.rawLinux, F.ipv4("10.1.0.\(i)", "203.0.113.1", proto: 17, payload: F.ports(UInt16(1000 + i), 53, length: 8)),
                           seconds: Self.t0, wireLength: i * 100)
            for _ in 0..<i {
                attributor.add(.rawLinux, F.ipv4("203.0.113.1", "10.1.0.\(i)", proto: 1, payload: [0, 0, 0, 0]), seconds: Self.t0, wireLength: 30)
            }
        }
        let agency = try #require(attributor.summary().agency(0))
        #expect(agency.topHosts.map(\.address.description) == ["10.1.0.6", "10.1.0.5", "10.1.0.4"])
        #expect(agency.topHosts.map(\.traffic) == [TrafficCount(bytes: 780, packets: 7), TrafficCount(bytes: 650, packets: 6),
                                                   TrafficCount(bytes: 520, packets: 5)])
        let crossing = agency.inbound + agency.outbound
        #expect(agency.topHosts.reduce(.zero) { $0 + $1.traffic } + agency.otherHosts == crossing)
        #expect(agency.otherHosts == TrafficCount(bytes: 390 + 260 + 130, packets: 4 + 3 + 2))
        try #require(agency.topServices.count == 2)
        #expect(agency.topServices[0].protocolNumber == 17 && agency.topServices[0].port == 53)
        #expect(agency.topServices[0].traffic == TrafficCount(bytes: 2100, packets: 6))
        #expect(agency.topServices[1].protocolNumber == 1 && agency.topServices[1].port == nil, "ICMP has no port")
        #expect(agency.topServices.reduce(.zero) { $0 + $1.traffic } + agency.otherServices == crossing)
    }

    /// A flood of distinct hosts (a scan, spoofed sources) must not grow memory: the table keeps
    /// at most its capacity, the heavy hosts survive, and nothing is lost from the totals.
    @Test func hostTableStaysBoundedUnderAFlood() throws {
        let settings = try AttributionSettings(topCount: 5, hostTableCapacity: 64, serviceTableCapacity: 16)
        var attributor = TrafficAttributor(table: try Self.table(), settings: settings)
        let heavy = ["10.1.200.1", "10.1.200.2"]
        var random = SplitMix(seed: 99)
        for i in 0..<20_000 {
            let host = UInt32(random.next(below: 1 << 16))
            let address = "10.1.\(host >> 8).\(host & 0xFF)"
            attributor.add(.rawLinux, F.ipv4("203.0.113.5", address, proto: 6, payload: F.ports(UInt16(i), UInt16(i) + 1, length: 4)),
                           seconds: Self.t0, wireLength: 64)
            // The heavy hosts first appear late, after the table has filled many times.
            if i > 10_000 && i % 10 == 0 {
                attributor.add(.rawLinux, F.ipv4(heavy[i % 20 == 0 ? 0 : 1], "203.0.113.5"), seconds: Self.t0, wireLength: 1500)
            }
        }
        let agency = try #require(attributor.summary().agency(0))
        #expect(agency.hostsApproximate)
        #expect(agency.servicesApproximate, "20,000 distinct ports through a table of 16")
        try #require(agency.topHosts.count == 5)
        #expect(Array(agency.topHosts.map(\.address.description).prefix(2)).sorted() == heavy)
        #expect(agency.topHosts[0].traffic.packets == 500 && agency.topHosts[1].traffic.packets == 499)
        #expect(agency.topHosts.reduce(.zero) { $0 + $1.traffic } + agency.otherHosts == agency.inbound + agency.outbound)
        #expect(agency.inbound == TrafficCount(bytes: 20_000 * 64, packets: 20_000))
        #expect(agency.outbound == TrafficCount(bytes: 999 * 1500, packets: 999))
    }

    @Test func intervalsPastTheBoundStillCount() throws {
        let settings = try AttributionSettings(intervalSeconds: 1, maximumIntervals: 3)
        var attributor = TrafficAttributor(table: try Self.table(), settings: settings)
        for second in 0..<10 {
            attributor.add(.rawLinux, F.ipv4("10.2.0.1", "203.0.113.5"), seconds: Self.t0 + Int64(second), wireLength: 100)
            attributor.add(.rawLinux, F.ipv4("203.0.113.5", "203.0.113.6"), seconds: Self.t0 + Int64(second), wireLength: 40)
        }
        // An interval already kept is still counted into its series after the bound is reached.
        attributor.add(.rawLinux, F.ipv4("10.2.0.1", "203.0.113.5"), seconds: Self.t0, wireLength: 100)
        let summary = attributor.summary()
        let agency = try #require(summary.agency(1))
        #expect(agency.series.map(\.start) == [Self.t0, Self.t0 + 1, Self.t0 + 2])
        #expect(agency.series.map(\.outbound.packets) == [2, 1, 1])
        #expect(agency.outbound == TrafficCount(bytes: 1100, packets: 11))
        #expect(summary.unattributed == TrafficCount(bytes: 400, packets: 10))
        #expect(summary.unattributedSeries.count == 3)
        #expect(summary.outsideSeries == TrafficCount(bytes: 7 * 140, packets: 14))
    }

    /// Hosts counted by address (agencies whose only prefix is a small IPv4 one, nested ones
    /// included), hosts in the bounded tables (a /16, an agency with two prefixes, IPv6), updates
    /// queued across batches, a summary taken mid-batch and a copy taken mid-stream: all checked
    /// against plain dictionaries filled packet by packet.
    @Test func everyHostAndServiceMatchesAPlainCount() throws {
        let table = try PrefixTable([
            (Prefix("10.1.0.0/24")!, 0), (Prefix("10.2.0.0/16")!, 1), (Prefix("10.3.0.0/24")!, 2),
            (Prefix("2001:db8:3::/48")!, 2), (Prefix("10.4.0.0/26")!, 3), (Prefix("10.4.0.32/28")!, 4),
            (Prefix("10.5.0.0/30")!, 5), (Prefix("10.6.0.7/32")!, 6),
        ])
        let settings = try AttributionSettings(topCount: 10_000)
        var attributor = TrafficAttributor(table: table, settings: settings, agencyCount: 8)
        let pool = ["10.1.0.0", "10.1.0.1", "10.1.0.77", "10.1.0.255", "10.2.0.1", "10.2.200.9", "10.3.0.4", "10.3.0.5",
                    "10.4.0.1", "10.4.0.31", "10.4.0.32", "10.4.0.47", "10.4.0.48", "10.4.0.63", "10.5.0.0", "10.5.0.3",
                    "10.6.0.7", "10.6.0.8", "198.51.100.1", "203.0.113.9"]
        let pool6 = ["2001:db8:3::1", "2001:db8:3:ffff::2", "2001:db8:9::1"]

        struct Expected: Equatable {
            var inbound = TrafficCount(), outbound = TrafficCount(), internalTraffic = TrafficCount()
            var hosts: [IPAddress: TrafficCount] = [:]
            var services: [String: TrafficCount] = [:]
        }
        var expected = [Expected](repeating: Expected(), count: 8)
        func check(_ summary: AttributionSummary, _ expected: [Expected], _ label: String) {
            for (index, agency) in summary.agencies.enumerated() {
                var got = Expected(inbound: agency.inbound, outbound: agency.outbound, internalTraffic: agency.internalTraffic)
                for host in agency.topHosts { got.hosts[host.address] = host.traffic }
                for service in agency.topServices {
                    got.services["\(service.protocolNumber)/\(service.port.map(String.init) ?? "-")"] = service.traffic
                }
                #expect(got == expected[index], "agency \(index), \(label)")
                #expect(!agency.hostsApproximate && !agency.servicesApproximate)
                #expect(agency.otherHosts == .zero && agency.otherServices == .zero)
                #expect(zip(agency.topHosts, agency.topHosts.dropFirst()).allSatisfy { $0.traffic.bytes >= $1.traffic.bytes })
            }
        }

        var random = SplitMix(seed: 1_000)
        var copy: (TrafficAttributor, [Expected])?
        for i in 0..<5_000 {
            let v6 = random.next(below: 8) == 0
            let names = v6 ? pool6 : pool
            let source = names[Int(random.next(below: UInt64(names.count)))]
            let destination = names[Int(random.next(below: UInt64(names.count)))]
            let proto: UInt8 = [6, 17, 1][Int(random.next(below: 3))]
            let ports = (UInt16(random.next(below: 12) * 400 + 53), UInt16(30_000 + random.next(below: 3)))  // 26 services: numbered and in tables both
            let payload = proto == 1 ? [8, 0, 0, 0] : F.ports(ports.0, ports.1)
            let packet = v6 ? F.ipv6(source, destination, next: proto == 1 ? 58 : proto, payload: payload)
                            : F.ipv4(source, destination, proto: proto, payload: payload)
            let wire = packet.count + 18 + Int(random.next(below: 1000))  // the largest frame below: one VLAN tag
            switch random.next(below: 3) {
            case 0: attributor.add(.ethernet, F.ethernet(packet, type: v6 ? 0x86DD : 0x0800), seconds: Self.t0 + Int64(i / 100), wireLength: wire)
            case 1: attributor.add(.ethernet, F.ethernet(packet, type: v6 ? 0x86DD : 0x0800, tags: [(0x8100, 3)]), seconds: Self.t0, wireLength: wire)
            default: attributor.add(.rawLinux, packet, seconds: Self.t0 - Int64(i % 7), wireLength: wire)
            }

            let count = TrafficCount(bytes: UInt64(wire), packets: 1)
            let s = table.agency(for: IPAddress(source)!), d = table.agency(for: IPAddress(destination)!)
            let service = "\(v6 && proto == 1 ? 58 : proto)/\(proto == 1 ? "-" : String(min(ports.0, ports.1)))"
            if s == d {
                if let s { expected[s].internalTraffic += count }
            } else {
                if let s {
                    expected[s].outbound += count
                    expected[s].hosts[IPAddress(source)!, default: .zero] += count
                    expected[s].services[service, default: .zero] += count
                }
                if let d {
                    expected[d].inbound += count
                    expected[d].hosts[IPAddress(destination)!, default: .zero] += count
                    expected[d].services[service, default: .zero] += count
                }
            }
            if i == 2_345 {
                check(attributor.summary(), expected, "mid-batch summary")
                copy = (attributor, expected)
            }
        }
        check(attributor.summary(), expected, "the end")
        let (early, earlyExpected) = try #require(copy)
        check(early.summary(), earlyExpected, "a copy taken mid-stream")
        #expect(attributor.summary().agency(0)?.topHosts.contains { $0.address == IPAddress("10.1.0.255")! } == true)
        #expect(attributor.summary().agency(3)?.topHosts.contains { $0.address == IPAddress("10.4.0.32")! } == false,
                "10.4.0.32/28 is agency 4's")
    }

    /// A /24 is counted by address only when the host table could hold all of it: with a smaller
    /// table the flood is bounded as ever.
    @Test func aSmallPrefixWithASmallerHostTableStaysBounded() throws {
        let table = try PrefixTable([(Prefix("10.9.0.0/24")!, 0)])
        var attributor = TrafficAttributor(table: table, settings: try AttributionSettings(topCount: 5, hostTableCapacity: 64))
        for i in 0..<2_000 {
            attributor.add(.ethernet, F.ethernet(F.ipv4("203.0.113.5", "10.9.0.\(i % 256)")), seconds: Self.t0, wireLength: 64 + i % 256)
        }
        let agency = try #require(attributor.summary().agency(0))
        #expect(agency.hostsApproximate)
        #expect(agency.inbound == TrafficCount(bytes: (0..<2_000).reduce(0) { $0 + UInt64(64 + $1 % 256) }, packets: 2_000))
        #expect(agency.topHosts.reduce(.zero) { $0 + $1.traffic } + agency.otherHosts == agency.inbound)
    }

    @Test func agenciesWithoutPrefixesStillReport() throws {
        let attributor = TrafficAttributor(table: try Self.table(), agencyCount: 6)
        let summary = attributor.summary()
        #expect(summary.agencies.map(\.agencyIndex) == [0, 1, 2, 3, 4, 5])
        #expect(summary.seen == .zero && summary.first == nil && summary.last == nil)
    }

    @Test func summaryRoundTripsThroughJSON() throws {
        var attributor = TrafficAttributor(table: try Self.table())
        attributor.add(.rawLinux, F.ipv6("2001:db8:1::9", "2001:db8:77::1", next: 58, payload: [128, 0, 0, 0]), seconds: Self.t0, wireLength: 90)
        attributor.add(.rawLinux, [0x45], seconds: Self.t0, wireLength: 90)
        let summary = attributor.summary()
        let decoded = try JSONDecoder().decode(AttributionSummary.self, from: try JSONEncoder().encode(summary))
        #expect(decoded == summary)
        #expect(summary.agency(0)?.topHosts.first?.address == IPAddress("2001:db8:1::9"))
        #expect(summary.agency(0)?.topServices.first?.protocolNumber == 58)
    }
}
