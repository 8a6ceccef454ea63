import Foundation

/// A device the poller asks: its inventory name, where its agent answers and how to ask it.
public struct WalkTarget: Sendable, Hashable {
    public var device: String
    public var address: IPAddress
    public var access: SNMPAccess
    /// The GETBULK size that worked last time (nil: the client's own start).
    public var maxRepetitions: Int?

    public init(device: String, address: IPAddress, access: SNMPAccess, maxRepetitions: Int? = nil) {
        self.device = device
        self.address = address
        self.access = access
        self.maxRepetitions = maxRepetitions
    }
}

/// What walks devices' interfaces for the poller: the SNMP adapter (SimpulSNMP) in the executable,
/// a scripted walker of the tests' own in the service's unit tests. Every target gets an observation,
/// each with its own deadline: one dead device never delays the others.
public protocol DeviceWalker: Sendable {
    func walk(_ targets: [WalkTarget]) async -> [DeviceObservation]
}
