import Foundation
import Glibc
import Testing
import SimpulCapture

/// Live captures on `lo` and on a veth pair the test creates, with traffic the test sends itself.
/// Capturing needs CAP_NET_RAW: these run as root (CI does).
@Suite("Live capture", .serialized, .timeLimit(.minutes(2)))
struct CaptureLiveTests {
    static let canCapture = geteuid() == 0

    /// The loopback interface's name, with a filter for the test's own UDP port.
    func loopback(_ udp: CaptureLoopbackUDP) -> LiveCaptureConfiguration {
        LiveCaptureConfiguration(interface: "lo", filter: "udp and dst port \(udp.port) and host 127.0.0.1", promiscuous: false, bufferSize: 4 << 20)
    }

    /// The payloads of UDP datagrams in Ethernet frames on `lo` (14 + 20 + 8 bytes of headers).
    static func payload(_ packet: Packet) -> String {
        guard packet.bytes.count > 42 else { return "" }
        return String(decoding: packet.bytes[42...], as: UTF8.self)
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func datagramsSentToLoopbackAreCapturedWithTheirCounters() throws {
        let udp = try CaptureLoopbackUDP()
        let capture = try LiveCapture(loopback(udp))
        #expect(capture.linkType == .ethernet)
        #expect(capture.snapshotLength == 192)
        // Activated: what is sent now waits in the capture buffer.
        try udp.send(50, marker: "simpul-lo")
        let started = Date()
        var payloads: [String] = []
        var headers: [PacketHeader] = []
        let result = capture.run(for: .milliseconds(700)) { packet in
            payloads.append(Self.payload(packet))
            headers.append(packet.header)
            #expect(packet.linkType == .ethernet)
            #expect(packet.bytes.count == packet.header.capturedLength)
        }
        #expect(result.end == .durationElapsed)
        #expect(result.packets >= 50)
        #expect(result.packets == payloads.count)
        #expect(Set(payloads).isSuperset(of: (0..<50).map { "simpul-lo-\($0)" }))
        #expect(result.wireBytes == Int64(headers.reduce(0) { $0 + $1.wireLength }))
        #expect(result.elapsed >= .milliseconds(600) && result.elapsed < .seconds(10))
        let statistics = try #require(result.statistics)
        #expect(statistics.received >= 50)
        #expect(statistics.droppedByKernel == 0)
        // The timestamps are the kernel's, now.
        let now = Int64(started.timeIntervalSince1970)
        #expect(headers.allSatisfy { abs($0.seconds - now) < 60 && (0..<1_000_000_000).contains($0.nanoseconds) })
        #expect(headers.allSatisfy { $0.capturedLength == $0.wireLength && $0.capturedLength <= 192 })
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func theAsyncCaptureRunsForItsDurationOnItsOwnThread() async throws {
        let udp = try CaptureLoopbackUDP()
        let sender = Task.detached {
            for round in 0..<30 {
                try? udp.send(5, marker: "simpul-async-\(round)")
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let (count, result) = try await LiveCapture.run(loopback(udp), for: .milliseconds(900), state: 0) { count, packet in
            if Self.payload(packet).hasPrefix("simpul-async-") { count += 1 }
        }
        await sender.value
        #expect(result.end == .durationElapsed)
        #expect(count > 0)
        #expect(count == result.packets)
        #expect(result.statistics != nil)
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func aStopEndsACaptureBeforeItsDuration() async throws {
        let udp = try CaptureLoopbackUDP()
        let stop = CaptureStop()
        let clock = ContinuousClock()
        let started = clock.now
        Task.detached {
            try? await Task.sleep(for: .milliseconds(300))
            stop.stop()
        }
        // Nothing is sent: libpcap sits in poll until pcap_breakloop wakes it.
        let (_, result) = try await LiveCapture.run(loopback(udp), for: .seconds(60), stop: stop, state: 0) { count, _ in count += 1 }
        #expect(result.end == .stopped)
        #expect(clock.now - started < .seconds(10))
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func cancellingTheTaskStopsTheCapture() async throws {
        let udp = try CaptureLoopbackUDP()
        let configuration = loopback(udp)
        let task = Task { try await LiveCapture.run(configuration, for: .seconds(60), state: 0) { count, _ in count += 1 } }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let (_, result) = try await task.value
        #expect(result.end == .stopped)
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func anInterfaceThatIsNotThereIsNamed() throws {
        #expect(throws: PcapError.noSuchInterface) { try LiveCapture(LiveCaptureConfiguration(interface: "simpulnosuch0")) }
        do {
            _ = try LiveCapture(LiveCaptureConfiguration(interface: "simpulnosuch0"))
        } catch {
            #expect(error.english.contains("\"simpulnosuch0\""))
            #expect(error.english.contains("ip link"))
            #expect(error.status == "no_such_interface")
        }
    }

    @Test(.enabled(if: canCapture, "capturing needs CAP_NET_RAW: run the tests as root"))
    func aBadFilterGivesLibpcapsReason() throws {
        do {
            _ = try LiveCapture(LiveCaptureConfiguration(interface: "lo", filter: "udp port banana"))
            Issue.record("a bad filter was accepted")
        } catch {
            #expect(error == .badFilter)
            #expect(error.english.contains("udp port banana"))
            #expect(error.english.contains("libpcap: "))
            #expect(error.english.contains("banana"))
        }
    }

    @Test(arguments: [
        LiveCaptureConfiguration(interface: "lo", snapshotLength: 10),
        LiveCaptureConfiguration(interface: "lo", snapshotLength: 300_000),
        LiveCaptureConfiguration(interface: "lo", bufferSize: 1000),
        LiveCaptureConfiguration(interface: "lo", bufferSize: 4 << 30),
        LiveCaptureConfiguration(interface: "lo", bufferTimeout: .zero),
        LiveCaptureConfiguration(interface: ""),
        LiveCaptureConfiguration(interface: "an-interface-name-too-long"),
    ])
    func settingsOutOfRangeAreRefusedBeforeLibpcapSeesThem(configuration: LiveCaptureConfiguration) throws {
        #expect(throws: PcapError.setting) { try configuration.validate() }
        #expect(throws: PcapError.setting) { try LiveCapture(configuration) }
    }

    @Test func theDefaultsFitHeadersAndASpanPort() throws {
        let configuration = LiveCaptureConfiguration(interface: "eth1")
        #expect(configuration.snapshotLength == 192)
        #expect(configuration.promiscuous)
        #expect(configuration.bufferSize == 32 << 20)
        try configuration.validate()
    }

    @Test(.enabled(if: canCapture && CaptureVethPair.permitted,
                   "needs root and `ip netns add` (iproute2) to put a veth pair's far end in a namespace of the test's own"))
    func aVethPairInANamespaceIsCapturedOnItsNearEnd() throws {
        let pair = try CaptureVethPair()
        defer { pair.remove() }
        let port: UInt16 = 47_000 + UInt16(getpid() % 1000)
        let capture = try LiveCapture(LiveCaptureConfiguration(
            interface: pair.near, filter: "udp and src host \(CaptureVethPair.farAddress) and dst port \(port)"))
        try pair.sendFromFarEnd(40, port: port)
        var payloads: [String] = []
        let result = capture.run(for: .milliseconds(700)) { packet in payloads.append(Self.payload(packet)) }
        #expect(result.end == .durationElapsed)
        #expect(result.packets >= 40)
        #expect(Set(payloads).isSuperset(of: (1...40).map { "simpul-veth-\($0)" }))
        let statistics = try #require(result.statistics)
        #expect(statistics.received >= 40)
        #expect(statistics.droppedByKernel == 0)
    }
}
