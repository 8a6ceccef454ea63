/// Checks hosted servers (ICMP echo or a TCP connect, as enrolled): what the poller and the
/// command line ask of the network. The SimpulProbe adapter implements it; every implementation
/// answers an address outside its ``ProbeScope`` with ``ProbeOutcome/outsideScope(_:)`` without
/// sending anything.
public protocol Probing: Sendable {
    var scope: ProbeScope { get }
    /// One check, finished by `timeout` at the latest.
    func check(_ target: ProbeTarget, timeout: Duration) async -> ProbeResult
    /// Many checks at once, each with its own deadline; the results in the order of `targets`.
    func check(_ targets: [ProbeTarget], timeout: Duration) async -> [ProbeResult]
}
