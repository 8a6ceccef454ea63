import NIOCore
import NIOPosix
import SimpulCore

/// What sends the checks: the seam under ``Prober``, so a test can see what reached the network.
public protocol ProbeTransport: Sendable {
    func echo(_ address: IPAddress, timeout: Duration) async -> ProbeOutcome
    func connect(_ address: IPAddress, port: Int, timeout: Duration) async -> ProbeOutcome
    /// Stops what the transport runs (the ICMP thread); checks after this are not sent.
    func shutdown() async
}

/// The network itself: ICMP echo through ``ICMPEngine``, TCP through ``TCPConnectCheck``, both
/// bound by the same scope.
public final class NetworkTransport: ProbeTransport {
    public let icmp: ICMPEngine
    public let tcp: TCPConnectCheck

    public init(scope: ProbeScope, opener: any ICMPSocketOpening = SystemICMPSockets(),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(SystemCallError) {
        icmp = try ICMPEngine(scope: scope, opener: opener)
        tcp = TCPConnectCheck(scope: scope, group: group)
    }

    public func echo(_ address: IPAddress, timeout: Duration) async -> ProbeOutcome {
        await icmp.echo(address, timeout: timeout)
    }

    public func connect(_ address: IPAddress, port: Int, timeout: Duration) async -> ProbeOutcome {
        await tcp.connect(address, port: port, timeout: timeout)
    }

    public func shutdown() async {
        await icmp.shutdown()
    }
}

/// Checks hosted servers as enrolled: the scope is asked first, and an address outside it gets
/// ``ProbeOutcome/outsideScope(_:)`` without the transport being called at all.
public struct Prober: Probing {
    public let scope: ProbeScope
    private let transport: any ProbeTransport

    public init(scope: ProbeScope, transport: any ProbeTransport) {
        self.scope = scope
        self.transport = transport
    }

    /// A prober over the network, within `scope`.
    public static func network(scope: ProbeScope) throws(SystemCallError) -> Prober {
        Prober(scope: scope, transport: try NetworkTransport(scope: scope))
    }

    public func check(_ target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        let destination = target.destination
        let outcome: ProbeOutcome
        if !scope.permits(destination) {
            outcome = .outsideScope(scope)
        } else {
            switch target.method {
            case .icmp: outcome = await transport.echo(destination, timeout: timeout)
            case .tcp(let port): outcome = await transport.connect(destination, port: port, timeout: timeout)
            }
        }
        return ProbeResult(target: target, timeout: timeout, outcome: outcome)
    }

    /// Checks at most ``maxInFlight`` targets at a time (each open TCP check holds a file
    /// descriptor); a slot is freed as soon as its check ends, so a dead address holds only its own.
    public func check(_ targets: [ProbeTarget], timeout: Duration) async -> [ProbeResult] {
        await withTaskGroup(of: (Int, ProbeResult).self) { group in
            var results = [ProbeResult?](repeating: nil, count: targets.count)
            var next = 0
            func add() {
                let index = next, target = targets[index]
                group.addTask { (index, await self.check(target, timeout: timeout)) }
                next += 1
            }
            while next < min(targets.count, Self.maxInFlight) { add() }
            for await (index, result) in group {
                results[index] = result
                if next < targets.count { add() }
            }
            return results.map { $0! }
        }
    }

    /// How many checks one batch runs at once.
    public static let maxInFlight = 512

    /// Stops the transport; call once, when no more checks will be made.
    public func shutdown() async {
        await transport.shutdown()
    }
}
