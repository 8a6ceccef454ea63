import Testing
import SimpulCore

/// Which ICMP socket is used, what the system's facts are read as, and what each outcome says.
@Suite("Probe access and wording")
struct ProbeWordingTests {
    // MARK: The choice of socket

    @Test(arguments: [
        (ICMPOpenResult.opened, ICMPAccess.Next.use(.datagram)),
        (.denied, .tryRaw),
        (.unsupported, .tryRaw),
        (.failed(reason: "Too many open files"), .unavailable(reason: "Too many open files")),
    ])
    func afterTheDatagramSocket(result: ICMPOpenResult, next: ICMPAccess.Next) {
        #expect(ICMPAccess.afterDatagram(result) == next)
    }

    @Test(arguments: [
        (ICMPOpenResult.opened, ICMPAccess.Next.use(.raw)),
        (.denied, .notPermitted),
        (.unsupported, .unavailable(reason: "this kernel offers no ICMP socket")),
        (.failed(reason: "Address family not supported by protocol"), .unavailable(reason: "Address family not supported by protocol")),
    ])
    func afterTheRawSocket(result: ICMPOpenResult, next: ICMPAccess.Next) {
        #expect(ICMPAccess.afterRaw(result) == next)
    }

    // MARK: The system's facts

    @Test(arguments: [
        ("1\t0\n", PingGroupRange(low: 1, high: 0), true),
        ("0\t2147483647\n", PingGroupRange(low: 0, high: 2_147_483_647), false),
        ("100 200", PingGroupRange(low: 100, high: 200), false),
    ])
    func pingGroupRangeIsRead(text: String, range: PingGroupRange, empty: Bool) {
        #expect(PingGroupRange(parsing: text) == range)
        #expect(range.isEmpty == empty)
    }

    @Test(arguments: ["", "1", "1 2 3", "a b", "-1 5", "0 2147483648", "0 4294967295", "0 99999999999", "0x1 2", "+1 2", "1,2"])
    func aPingGroupRangeThatIsNotTwoGroupIDsIsNotRead(text: String) {
        #expect(PingGroupRange(parsing: text) == nil)
    }

    @Test func aGroupIsInsideOnlyANonEmptyRange() {
        #expect(!PingGroupRange(low: 1, high: 0).includes(0))
        #expect(!PingGroupRange(low: 1, high: 0).includes(1))
        #expect(PingGroupRange(low: 0, high: 2_147_483_647).includes(0))
        #expect(PingGroupRange(low: 100, high: 200).includes(200))
        #expect(!PingGroupRange(low: 100, high: 200).includes(99))
        #expect(PingPermission(groups: [0, 27], pingGroupRange: PingGroupRange(low: 27, high: 27), hasNetRaw: false).datagramAllowed == true)
        #expect(PingPermission(groups: [0], pingGroupRange: PingGroupRange(low: 1, high: 0), hasNetRaw: true).datagramAllowed == false)
        #expect(PingPermission(groups: [0], pingGroupRange: nil, hasNetRaw: nil).datagramAllowed == nil)
    }

    @Test(arguments: [
        ("Name:\tsimpul\nCapInh:\t0000000000000000\nCapEff:\t000001fffeffffff\n", true as Bool?),
        ("CapEff:\t0000000000002000\n", true),
        ("CapEff:\t0000000000000000\n", false),
        ("CapEff:\t0000000000001fff\n", false),
        ("CapPrm:\t000001fffeffffff\n", nil),
        ("CapEff:\t2000\n", nil),
        ("CapEff:\t00000000000020zz\n", nil),
        ("", nil),
    ])
    func netRawIsReadFromTheEffectiveSet(status: String, netRaw: Bool?) {
        #expect(ProcessCapabilities.hasNetRaw(status: status) == netRaw)
    }

    // MARK: Wording

    static let denied = PingPermission(groups: [998, 27], pingGroupRange: PingGroupRange(low: 1, high: 0), hasNetRaw: false)

    @Test func notPermittedSaysWhatToChange() {
        let text = Self.denied.text
        #expect(text.en.contains("set net.ipv4.ping_group_range or give the service CAP_NET_RAW"))
        #expect(text.en.contains("the process's groups (998, 27) are outside net.ipv4.ping_group_range \"1 0\" (empty: no group at all)"))
        #expect(text.en.contains("the process lacks CAP_NET_RAW"))
        #expect(text.id.contains("atur net.ipv4.ping_group_range atau beri layanan CAP_NET_RAW"))
        #expect(text.id.contains("grup proses (998, 27) di luar net.ipv4.ping_group_range \"1 0\""))
        #expect(text.id.contains("proses tidak punya CAP_NET_RAW"))
        // Facts that could not be read are left out, the advice stays.
        let unknown = PingPermission(groups: [998], pingGroupRange: nil, hasNetRaw: nil).text
        #expect(!unknown.en.contains("groups"))
        #expect(!unknown.en.contains("lacks"))
        #expect(unknown.en.contains("set net.ipv4.ping_group_range or give the service CAP_NET_RAW"))
    }

    static let icmp = ProbeTarget(address: IPAddress("127.0.0.1")!, method: .icmp)
    static let https = ProbeTarget(address: IPAddress("127.0.0.1")!, method: .tcp(port: 443))
    static let second = Duration.seconds(1)

    @Test(arguments: [
        (icmp, ProbeOutcome.reachable(roundTrip: .microseconds(51)), "127.0.0.1 answers ping in 0.05 ms", "127.0.0.1 menjawab ping dalam 0,05 ms", "reachable"),
        (https, .reachable(roundTrip: .microseconds(12_345)), "127.0.0.1 port 443 is open, connected in 12.3 ms", "127.0.0.1 port 443 terbuka, tersambung dalam 12,3 ms", "reachable"),
        (https, .refused(roundTrip: .microseconds(80)), "127.0.0.1 answers but port 443 is closed (connection refused): check the service on the server",
         "127.0.0.1 menjawab tetapi port 443 tertutup (sambungan ditolak): periksa layanannya di server", "refused"),
        (icmp, .timedOut(after: second), "127.0.0.1 did not answer ping within 1,000 ms", "127.0.0.1 tidak menjawab ping dalam 1.000 ms", "timeout"),
        (https, .timedOut(after: second), "127.0.0.1 port 443 did not answer within 1,000 ms", "127.0.0.1 port 443 tidak menjawab dalam 1.000 ms", "timeout"),
        (icmp, .unreachable(reason: "No route to host (ICMP 3/1)", reportedBy: IPAddress("127.0.0.254")),
         "127.0.0.1 is unreachable: No route to host (ICMP 3/1) (reported by 127.0.0.254)",
         "127.0.0.1 tidak terjangkau: No route to host (ICMP 3/1) (dilaporkan oleh 127.0.0.254)", "unreachable"),
        (icmp, .unreachable(reason: "Network is unreachable", reportedBy: nil), "127.0.0.1 is unreachable: Network is unreachable",
         "127.0.0.1 tidak terjangkau: Network is unreachable", "unreachable"),
        (icmp, .notPermitted(denied), "127.0.0.1 was not checked: the system does not let this process send ping",
         "127.0.0.1 tidak diperiksa: sistem tidak mengizinkan proses ini mengirim ping", "not_permitted"),
        (ProbeTarget(address: IPAddress("10.20.0.15")!, method: .icmp), .outsideScope(.loopback),
         "10.20.0.15 is outside the probe scope SIMPUL_PROBE_ALLOW=127.0.0.0/8,::1/128; nothing was sent",
         "10.20.0.15 di luar cakupan pemeriksaan SIMPUL_PROBE_ALLOW=127.0.0.0/8,::1/128; tidak ada paket yang dikirim", "outside_scope"),
    ])
    func eachOutcomeIsWorded(target: ProbeTarget, outcome: ProbeOutcome, english: String, indonesian: String, status: String) {
        let result = ProbeResult(target: target, timeout: Self.second, outcome: outcome)
        #expect(result.text.en.hasPrefix(english))
        #expect(result.text.id.hasPrefix(indonesian))
        #expect(outcome.status == status)
        #expect(outcome.isUp == (status == "reachable"))
        #expect(outcome.wasSent == !["not_permitted", "outside_scope"].contains(status))
        #expect((outcome.roundTrip != nil) == ["reachable", "refused"].contains(status))
    }

    @Test(arguments: [
        (Duration.microseconds(51), "0,05 ms", "0.05 ms"),
        (.microseconds(9_999), "10 ms", "10 ms"),
        (.microseconds(12_345), "12,3 ms", "12.3 ms"),
        (.milliseconds(250), "250 ms", "250 ms"),
        (.seconds(2), "2.000 ms", "2,000 ms"),
        (.zero, "0 ms", "0 ms"),
    ])
    func milliseconds(duration: Duration, indonesian: String, english: String) {
        #expect(Format.id.milliseconds(duration) == indonesian)
        #expect(Format.en.milliseconds(duration) == english)
    }

    // MARK: A run of checks

    static func run(_ outcomes: [ProbeOutcome]) -> ProbeSummary {
        ProbeSummary(outcomes.map { ProbeResult(target: icmp, timeout: second, outcome: $0) })
    }

    @Test func aRunIsSummedUpAsPingDoes() {
        let summary = Self.run([.reachable(roundTrip: .microseconds(40)), .timedOut(after: Self.second), .reachable(roundTrip: .microseconds(60))])
        #expect(summary.sent == 3 && summary.answered == 2)
        #expect(summary.fastest == .microseconds(40) && summary.average == .microseconds(50) && summary.slowest == .microseconds(60))
        #expect(summary.text.en == "3 sent, 2 answered, 33 % lost; round trip min/avg/max 0.04/0.05/0.06 ms")
        #expect(summary.text.id == "3 dikirim, 2 dijawab, 33 % hilang; waktu min/rata-rata/maks 0,04/0,05/0,06 ms")
        #expect(summary.exitStatus == 1)
    }

    @Test(arguments: [
        ([ProbeOutcome.reachable(roundTrip: .microseconds(40))], Int32(0), "1 sent, 1 answered, 0 % lost; round trip min/avg/max 0.04/0.04/0.04 ms"),
        // A refused port answers, but not with what the check wants.
        ([.refused(roundTrip: .microseconds(40))], 1, "1 sent, 0 answered, 100 % lost"),
        ([.timedOut(after: second), .unreachable(reason: "Network is unreachable", reportedBy: nil)], 1, "2 sent, 0 answered, 100 % lost"),
        ([.outsideScope(.loopback)], 2, "0 sent, 0 answered, 0 % lost"),
        ([.reachable(roundTrip: .microseconds(40)), .notPermitted(denied)], 2, "1 sent, 1 answered, 0 % lost; round trip min/avg/max 0.04/0.04/0.04 ms"),
    ])
    func exitStatusFollowsWhatCameBack(outcomes: [ProbeOutcome], status: Int32, english: String) {
        let summary = Self.run(outcomes)
        #expect(summary.exitStatus == status)
        #expect(summary.text.en == english)
    }
}
