import Foundation
import Glibc
import Testing
import SimpulCore
@testable import SimpulProbe

/// ICMP echo to 127.0.0.1 and ::1: on this machine as it is set up, and in network namespaces of
/// the tests' own (only a `lo` inside) where the datagram socket is allowed, echo is ignored,
/// or `lo` is down — so both sockets, timeouts and errors run against the real kernel.
@Suite("Probe ICMP on loopback", .timeLimit(.minutes(1)))
struct ProbeICMPTests {
    static let v4 = IPAddress("127.0.0.1")!
    static let v6 = IPAddress("::1")!

    func reachable(_ outcome: ProbeOutcome, within timeout: Duration, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard case .reachable(let time) = outcome else {
            Issue.record("expected an echo reply, got \(outcome)", sourceLocation: sourceLocation)
            return
        }
        #expect(time > .zero && time < timeout, sourceLocation: sourceLocation)
    }

    // MARK: This machine, as it is

    @Test func theSystemsOwnChoiceOfSocketAnswers() async throws {
        let opener = RecordingOpener()
        let engine = try ICMPEngine(scope: .loopback, opener: opener)
        let facts = SystemICMPSockets().permission()
        let (four, six) = (await engine.echo(Self.v4, timeout: .seconds(2)), await engine.echo(Self.v6, timeout: .seconds(2)))
        await engine.shutdown()
        let tried = opener.attempts.filter { $0.family == .v4 }.map(\.kind)
        // What was tried follows from the system's facts, read independently of the engine.
        if facts.datagramAllowed == true {
            #expect(tried == [.datagram])
        } else {
            #expect(tried == [.datagram, .raw], "ping_group_range \(String(describing: facts.pingGroupRange)) refuses the datagram socket")
        }
        if facts.datagramAllowed == true || facts.hasNetRaw == true {
            reachable(four, within: .seconds(2))
            reachable(six, within: .seconds(2))
        } else {
            #expect(four.status == "not_permitted")
        }
    }

    @Test func theRawSocketAnswersWhenTheDatagramOneIsRefused() async throws {
        try #require(SystemICMPSockets().permission().hasNetRaw == true, "needs CAP_NET_RAW")
        let opener = RecordingOpener(refusing: [.datagram])
        let engine = try ICMPEngine(scope: .loopback, opener: opener)
        let outcomes = await withTaskGroup(of: ProbeOutcome.self) { group in
            for index in 0..<20 { group.addTask { await engine.echo(index.isMultiple(of: 2) ? Self.v4 : Self.v6, timeout: .seconds(2)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await engine.shutdown()
        for outcome in outcomes { reachable(outcome, within: .seconds(2)) }
        #expect(Set(opener.attempts) == [
            .init(kind: .datagram, family: .v4, opened: false), .init(kind: .raw, family: .v4, opened: true),
            .init(kind: .datagram, family: .v6, opened: false), .init(kind: .raw, family: .v6, opened: true),
        ])
        #expect(opener.attempts.count == 4, "one socket per family, opened once")
    }

    @Test func withNeitherSocketTheCheckSaysWhatToChange() async throws {
        let facts = PingPermission(groups: [998], pingGroupRange: PingGroupRange(low: 1, high: 0), hasNetRaw: false)
        let opener = RecordingOpener(refusing: [.datagram, .raw], facts: facts)
        let prober = Prober(scope: .loopback, transport: try NetworkTransport(scope: .loopback, opener: opener))
        let result = await prober.check(ProbeTarget(address: Self.v4, method: .icmp), timeout: .seconds(1))
        await prober.shutdown()
        #expect(result.outcome == .notPermitted(facts))
        #expect(!result.outcome.wasSent)
        #expect(opener.attempts.map(\.kind) == [.datagram, .raw])
        #expect(result.text.en.contains("set net.ipv4.ping_group_range or give the service CAP_NET_RAW"))
        #expect(result.text.en.contains("(998) are outside net.ipv4.ping_group_range \"1 0\""))
        #expect(result.text.id.contains("atur net.ipv4.ping_group_range atau beri layanan CAP_NET_RAW"))
    }

    // MARK: Namespaces of the tests' own

    @Test(.enabled(if: TestNamespace.available))
    func theDatagramSocketAnswersWhereTheGroupMayPing() async throws {
        let namespace = try TestNamespace(sysctls: ["net.ipv4.ping_group_range=0 2147483647"])
        defer { namespace.remove() }
        let opener = RecordingOpener(NamespaceSockets(path: namespace.path))
        let engine = try ICMPEngine(scope: .loopback, opener: opener)
        let outcomes = await withTaskGroup(of: ProbeOutcome.self) { group in
            for index in 0..<20 { group.addTask { await engine.echo(index.isMultiple(of: 2) ? Self.v4 : Self.v6, timeout: .seconds(2)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await engine.shutdown()
        for outcome in outcomes { reachable(outcome, within: .seconds(2)) }
        #expect(Set(opener.attempts) == [.init(kind: .datagram, family: .v4, opened: true), .init(kind: .datagram, family: .v6, opened: true)])
    }

    @Test(.enabled(if: TestNamespace.available))
    func aDeadAddressNeverDelaysTheOthers() async throws {
        // IPv4 echo is ignored in this namespace; IPv6 echo still answers.
        let namespace = try TestNamespace(sysctls: ["net.ipv4.ping_group_range=0 2147483647", "net.ipv4.icmp_echo_ignore_all=1"])
        defer { namespace.remove() }
        let engine = try ICMPEngine(scope: .loopback, opener: NamespaceSockets(path: namespace.path))
        let timings = await withTaskGroup(of: (IPAddress, ProbeOutcome, Duration).self) { group in
            for index in 0..<60 {
                let address = index.isMultiple(of: 2) ? Self.v4 : Self.v6
                let timeout: Duration = index.isMultiple(of: 4) ? .seconds(11) : .seconds(12)
                group.addTask {
                    let (outcome, took) = await timed { await engine.echo(address, timeout: timeout) }
                    return (address, outcome, took)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let silent = timings.filter { $0.0 == Self.v4 }, answering = timings.filter { $0.0 == Self.v6 }
        #expect(answering.count == 30 && silent.count == 30)
        for (_, outcome, took) in answering {
            reachable(outcome, within: .seconds(12))
            #expect(took < .seconds(6), "::1 answers while thirty checks of 127.0.0.1 wait for their deadlines")
        }
        for (_, outcome, took) in silent {
            guard case .timedOut(let after) = outcome else {
                Issue.record("expected a timeout, got \(outcome)")
                continue
            }
            // Each ends at its own deadline: 11 s or 12 s (not a shared one, not much later).
            #expect(after == .seconds(11) || after == .seconds(12))
            #expect(took >= after && took < after + .seconds(3))
        }

        // A caller that stops waiting ends its check at once.
        let task = Task { await timed { await engine.echo(Self.v4, timeout: .seconds(30)) } }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let (outcome, took) = await task.value
        #expect(outcome.status == "timeout")
        #expect(took < .seconds(10), "ended by the cancellation, not by its 30 s deadline")
        await engine.shutdown()
        #expect(await engine.echo(Self.v6, timeout: .seconds(1)) == ICMPEngine.stoppedOutcome)
    }

    @Test(.enabled(if: TestNamespace.available))
    func noRouteIsUnreachableInTheSystemsWords() async throws {
        // In this namespace 127.0.0.77 has an unreachable route; 127.0.0.1 still answers.
        let namespace = try TestNamespace(sysctls: ["net.ipv4.ping_group_range=0 2147483647"], unreachable: ["127.0.0.77/32"])
        defer { namespace.remove() }
        for refusing in [Set<ICMPSocketKind>(), [.datagram]] {
            let engine = try ICMPEngine(scope: .loopback, opener: RecordingOpener(NamespaceSockets(path: namespace.path), refusing: refusing))
            async let blocked = timed { await engine.echo(IPAddress("127.0.0.77")!, timeout: .seconds(12)) }
            async let open = engine.echo(Self.v4, timeout: .seconds(12))
            let ((outcome, took), answer) = await (blocked, open)
            await engine.shutdown()
            #expect(outcome == .unreachable(reason: SystemCall.reason(EHOSTUNREACH), reportedBy: nil), "socket kinds refused: \(refusing)")
            #expect(took < .seconds(6), "told at once, not at the deadline")
            reachable(answer, within: .seconds(12))
        }
    }

    @Test(.enabled(if: TestNamespace.available))
    func aDownLoopbackIsUnreachable() async throws {
        let namespace = try TestNamespace(loopbackUp: false, sysctls: ["net.ipv4.ping_group_range=0 2147483647"])
        defer { namespace.remove() }
        let engine = try ICMPEngine(scope: .loopback, opener: NamespaceSockets(path: namespace.path))
        let four = await engine.echo(Self.v4, timeout: .seconds(1))
        let six = await engine.echo(Self.v6, timeout: .seconds(1))
        await engine.shutdown()
        #expect(four == .unreachable(reason: SystemCall.reason(ENETUNREACH), reportedBy: nil))
        #expect(six.status == "unreachable")
        #expect(ProbeResult(target: ProbeTarget(address: Self.v4, method: .icmp), timeout: .seconds(1), outcome: four).text.en
            == "127.0.0.1 is unreachable: Network is unreachable")
    }

    @Test(.enabled(if: TestNamespace.available), arguments: [ICMPSocketKind.datagram, .raw])
    func onlyTheGenuineReplyAnswers(engineSocket: ICMPSocketKind) async throws {
        // The kernel ignores IPv4 echo here, so the only replies are the ones this test forges
        // from the request it sees on a raw socket of its own: damaged, foreign ones first.
        let namespace = try TestNamespace(sysctls: ["net.ipv4.ping_group_range=0 2147483647", "net.ipv4.icmp_echo_ignore_all=1"])
        defer { namespace.remove() }
        let sockets = NamespaceSockets(path: namespace.path)
        let forger = try Forger(sockets)
        defer { forger.close() }
        let engine = try ICMPEngine(scope: .loopback, opener: RecordingOpener(sockets, refusing: engineSocket == .raw ? [.datagram] : []))
        let check = Task { await engine.echo(Self.v4, timeout: .seconds(5)) }
        let request = try await forger.request()
        let reply = { (sequence: UInt16, payload: [UInt8]) in
            ICMPPacket.echoRequest(family: .v4, identifier: request.identifier, sequence: sequence, payload: payload)
        }
        func asReply(_ bytes: [UInt8]) -> [UInt8] {
            var bytes = bytes
            bytes[0] = 0
            bytes[2] = 0
            bytes[3] = 0
            let sum = ICMPPacket.checksum(bytes[...])
            bytes[2] = UInt8(sum >> 8)
            bytes[3] = UInt8(sum & 0xFF)
            return bytes
        }
        var otherPayload = request.payload
        otherPayload[otherPayload.count - 1] ^= 0xFF
        var badChecksum = asReply(reply(request.sequence, request.payload))
        badChecksum[2] ^= 0x01
        try forger.send(asReply(reply(request.sequence, otherPayload)))              // another payload
        try forger.send(asReply(reply(request.sequence &+ 1, request.payload)))      // another sequence
        try forger.send(asReply(ICMPPacket.echoRequest(family: .v4, identifier: request.identifier &+ 1, sequence: request.sequence, payload: request.payload)))
        try forger.send(Array(asReply(reply(request.sequence, request.payload)).prefix(6)))  // cut short
        try forger.send(badChecksum)
        try forger.send(asReply(reply(request.sequence, request.payload)), from: IPAddress("127.0.0.2")!) // another source
        try await Task.sleep(for: .milliseconds(300))
        let genuineSent = ContinuousClock.now
        try forger.send(asReply(reply(request.sequence, request.payload)))
        let outcome = await check.value
        let answered = ContinuousClock.now
        await engine.shutdown()
        guard case .reachable(let time) = outcome else {
            Issue.record("expected the genuine reply to answer, got \(outcome)")
            return
        }
        // Answered by the genuine reply, not by one of the six before it.
        #expect(time >= .milliseconds(300))
        // Ended by that reply, well before the check's 5 s timeout (generous: the suite shares two
        // cores with hundreds of tests).
        #expect(genuineSent.duration(to: answered) < .seconds(3))
    }

    @Test(.enabled(if: TestNamespace.available), arguments: [ICMPSocketKind.datagram, .raw])
    func aHostUnreachableEndsTheCheckAtOnce(engineSocket: ICMPSocketKind) async throws {
        // A "host unreachable" (ICMP 3/1) about the engine's request, as a router would send it,
        // forged on the namespace's lo: the kernel puts it on a datagram socket's error queue, and
        // hands it to a raw socket as a packet. Both must read as the same outcome.
        let namespace = try TestNamespace(sysctls: ["net.ipv4.ping_group_range=0 2147483647", "net.ipv4.icmp_echo_ignore_all=1"])
        defer { namespace.remove() }
        let sockets = NamespaceSockets(path: namespace.path)
        let forger = try Forger(sockets)
        defer { forger.close() }
        let engine = try ICMPEngine(scope: .loopback, opener: RecordingOpener(sockets, refusing: engineSocket == .raw ? [.datagram] : []))
        let check = Task { await timed { await engine.echo(Self.v4, timeout: .seconds(12)) } }
        let request = try await forger.request()
        var error: [UInt8] = [3, 1, 0, 0, 0, 0, 0, 0] + request.packet
        let sum = ICMPPacket.checksum(error[...])
        error[2] = UInt8(sum >> 8)
        error[3] = UInt8(sum & 0xFF)
        try forger.send(error)
        let (outcome, took) = await check.value
        await engine.shutdown()
        #expect(outcome == .unreachable(reason: "No route to host (ICMP 3/1)", reportedBy: IPAddress("127.0.0.1")))
        #expect(took < .seconds(6), "told at once, not at the deadline")
    }

    // MARK: Errors read from the kernel's structures

    @Test(arguments: [
        (IPAddress.Family.v4, UInt8(3), UInt8(0), ENETUNREACH), (.v4, 3, 1, EHOSTUNREACH), (.v4, 3, 3, ECONNREFUSED),
        (.v4, 3, 13, EHOSTUNREACH), (.v4, 11, 0, EHOSTUNREACH), (.v4, 12, 0, EPROTO),
        (.v6, 1, 0, ENETUNREACH), (.v6, 1, 1, EACCES), (.v6, 1, 3, EHOSTUNREACH), (.v6, 1, 4, ECONNREFUSED), (.v6, 3, 0, EHOSTUNREACH),
    ])
    func icmpErrorsReadAsTheKernelWouldSayThem(family: IPAddress.Family, type: UInt8, code: UInt8, expected: Int32) {
        let report = ICMPErrorReport(family: family, type: type, code: code, identifier: 1, sequence: 1, destination: Self.v4)
        #expect(ICMPEngine.kernelError(for: report) == expected)
    }

    /// A control message as `recvmsg(MSG_ERRQUEUE)` gives it: header, `sock_extended_err`, offender.
    static func control(level: Int32 = Int32(IPPROTO_IP), type: Int32 = IP_RECVERR, errno code: UInt32, offender: [UInt8]) -> [UInt8] {
        var header = cmsghdr()
        header.cmsg_len = MemoryLayout<cmsghdr>.size + 16 + offender.count
        header.cmsg_level = level
        header.cmsg_type = type
        var bytes = withUnsafeBytes(of: header) { Array($0) }
        withUnsafeBytes(of: code) { bytes += $0 }
        bytes += [2, 3, 1, 0] + [UInt8](repeating: 0, count: 8)
        bytes += offender
        while bytes.count % 8 != 0 { bytes.append(0) }
        return bytes
    }

    static var offender: [UInt8] {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_00FE).bigEndian
        return withUnsafeBytes(of: address) { Array($0) }
    }

    @Test func theErrorQueuesControlMessageIsRead() {
        let bytes = Self.control(errno: UInt32(EHOSTUNREACH), offender: Self.offender)
        let error = bytes.withUnsafeBytes { ExtendedError.first(in: $0) }
        #expect(error?.errno == UInt32(EHOSTUNREACH))
        #expect(error?.isICMP == true)
        #expect(error?.type == 3 && error?.code == 1)
        #expect(error?.offender == IPAddress("127.0.0.254"))
        // Another control message first is stepped over.
        let other = Self.control(type: 999, errno: 0, offender: [])
        #expect((other + bytes).withUnsafeBytes { ExtendedError.first(in: $0) }?.offender == IPAddress("127.0.0.254"))
        // No offender: the error is still read.
        #expect(Self.control(errno: UInt32(ENETUNREACH), offender: []).withUnsafeBytes { ExtendedError.first(in: $0) }?.offender == nil)
    }

    @Test func aControlMessageThatLiesAboutItsLengthIsNotRead() {
        let bytes = Self.control(errno: UInt32(EHOSTUNREACH), offender: Self.offender)
        for length in 0..<(MemoryLayout<cmsghdr>.size + 16) {
            #expect(Array(bytes.prefix(length)).withUnsafeBytes { ExtendedError.first(in: $0) } == nil, "cut to \(length) bytes")
        }
        var lying = bytes
        lying.withUnsafeMutableBytes { $0.storeBytes(of: 4_096, toByteOffset: 0, as: Int.self) }
        #expect(lying.withUnsafeBytes { ExtendedError.first(in: $0) } == nil)
        var tiny = bytes
        tiny.withUnsafeMutableBytes { $0.storeBytes(of: 3, toByteOffset: 0, as: Int.self) }
        #expect(tiny.withUnsafeBytes { ExtendedError.first(in: $0) } == nil)
    }
}
