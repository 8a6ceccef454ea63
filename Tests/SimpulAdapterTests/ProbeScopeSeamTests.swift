import Foundation
import Testing
import SimpulCore
@testable import SimpulProbe

/// A target outside the scope is refused before anything is opened: the prober never calls its
/// transport, and the ICMP engine never asks for a socket.
@Suite("Probe scope before any packet", .timeLimit(.minutes(1)))
struct ProbeScopeSeamTests {
    static let outside = [
        ProbeTarget(address: IPAddress("10.20.0.15")!, method: .icmp),
        ProbeTarget(address: IPAddress("192.168.1.1")!, method: .tcp(port: 443)),
        ProbeTarget(address: IPAddress("::ffff:10.20.0.15")!, method: .icmp),
        ProbeTarget(address: IPAddress("2001:db8::1")!, method: .tcp(port: 22)),
    ]

    @Test func theProberRefusesBeforeTheTransportIsCalled() async throws {
        // Every ICMP socket the engine opens is recorded; the transport counts what it is handed.
        let opener = RecordingOpener()
        let transport = CountingTransport(try NetworkTransport(scope: .loopback, opener: opener))
        let prober = Prober(scope: .loopback, transport: transport)
        let refused = await prober.check(Self.outside, timeout: .seconds(1))
        #expect(refused.map(\.outcome) == Array(repeating: .outsideScope(.loopback), count: 4))
        #expect(refused.allSatisfy { !$0.outcome.wasSent && $0.text.en.contains("nothing was sent") })
        #expect(transport.addresses.isEmpty)
        #expect(opener.attempts.isEmpty, "no socket was opened for an address outside the scope")

        // The same prober does send to loopback, through the same seams.
        let listener = try LoopbackListener()
        defer { listener.stop() }
        let inside = await prober.check([
            ProbeTarget(address: IPAddress("127.0.0.1")!, method: .icmp),
            ProbeTarget(address: listener.address, method: .tcp(port: listener.port)),
        ], timeout: .seconds(2))
        await prober.shutdown()
        #expect(transport.addresses == [IPAddress("127.0.0.1")!, listener.address] || transport.addresses == [listener.address, IPAddress("127.0.0.1")!])
        #expect(opener.attempts.contains { $0.family == .v4 })
        #expect(inside[1].outcome.isUp)
    }

    @Test func theEngineRefusesOnItsOwnToo() async throws {
        // A prober with no scope over an engine with one: the engine's guard stands alone. Its
        // opener refuses every socket, so were the guard missing nothing could be sent either,
        // and the outcome would read "not permitted", not "outside the scope".
        let opener = RecordingOpener(refusing: [.datagram, .raw])
        let prober = Prober(scope: .anyAddress, transport: try NetworkTransport(scope: .loopback, opener: opener))
        let results = await prober.check(Self.outside.filter { $0.method == .icmp }, timeout: .seconds(1))
        await prober.shutdown()
        #expect(results.map(\.outcome) == [.outsideScope(.loopback), .outsideScope(.loopback)])
        #expect(opener.attempts.isEmpty)
    }

    @Test func theScopeComesFromTheEnvironmentAsConfigured() throws {
        let scope = try ProbeScope(environment: ["SIMPUL_PROBE_ALLOW": "127.0.0.0/8,::1/128"])
        #expect(scope == .loopback)
        #expect(try ProbeScope(environment: [:]) == .anyAddress)
    }
}
