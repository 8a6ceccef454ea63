/// What a `TrafficAttributor` counted, as plain values for the survey service, the store and
/// `simpul capture --json`.
///
/// Bytes are frame lengths on the wire (see `TrafficAttributor`). A packet between two agencies
/// is in one's `outbound` and the other's `inbound`, so agencies' figures do not add up to the
/// capture's; `unattributed` holds the IP packets neither end of which is any agency's.
public struct AttributionSummary: Sendable, Hashable, Codable {
    /// Length of one interval in seconds; an interval starts at a multiple of it (Unix time).
    public var intervalSeconds: Int64
    /// Every frame handed to the attributor, whatever became of it.
    public var seen: TrafficCount
    /// The earliest and latest capture time seen (timestamps may arrive out of order).
    public var first: CaptureTimestamp?
    public var last: CaptureTimestamp?
    /// One per agency index of the prefix table, in index order.
    public var agencies: [Agency]
    /// IP packets whose source and destination match no agency.
    public var unattributed: TrafficCount
    public var unattributedSeries: [Interval]
    /// Frames that are not IP (ARP, LLDP, unknown EtherTypes).
    public var nonIP: TrafficCount
    /// Frames that could not be decoded, by reason; only reasons that occurred, in
    /// `PacketDecodeFailure.allCases` order.
    public var failures: [Failure]
    /// IP traffic from intervals beyond `AttributionSettings.maximumIntervals`: in every total,
    /// in no series.
    public var outsideSeries: TrafficCount

    public init(intervalSeconds: Int64, seen: TrafficCount = .zero, first: CaptureTimestamp? = nil,
                last: CaptureTimestamp? = nil, agencies: [Agency] = [], unattributed: TrafficCount = .zero,
                unattributedSeries: [Interval] = [], nonIP: TrafficCount = .zero, failures: [Failure] = [],
                outsideSeries: TrafficCount = .zero) {
        self.intervalSeconds = intervalSeconds
        self.seen = seen
        self.first = first
        self.last = last
        self.agencies = agencies
        self.unattributed = unattributed
        self.unattributedSeries = unattributedSeries
        self.nonIP = nonIP
        self.failures = failures
        self.outsideSeries = outsideSeries
    }

    public struct Agency: Sendable, Hashable, Codable {
        public var agencyIndex: Int
        /// Packets whose destination is the agency's (and source is not).
        public var inbound: TrafficCount
        /// Packets whose source is the agency's (and destination is not).
        public var outbound: TrafficCount
        /// Packets with both ends in the agency: neither in nor out, and not in the host or
        /// service tallies.
        public var internalTraffic: TrafficCount
        /// Intervals in which the agency had inbound or outbound traffic, oldest first; an
        /// interval missing here carried none.
        public var series: [AgencyInterval]
        /// The agency's own addresses by bytes sent and received across its boundary, heaviest first.
        public var topHosts: [Host]
        /// Inbound + outbound traffic not in `topHosts`.
        public var otherHosts: TrafficCount
        /// True when the host table overflowed its bound: a host's figure then counts from when it
        /// last entered the table and may be low. The totals stay exact.
        public var hostsApproximate: Bool
        /// (Protocol, service port) pairs by bytes, heaviest first.
        public var topServices: [Service]
        public var otherServices: TrafficCount
        public var servicesApproximate: Bool

        public init(agencyIndex: Int, inbound: TrafficCount = .zero, outbound: TrafficCount = .zero,
                    internalTraffic: TrafficCount = .zero, series: [AgencyInterval] = [], topHosts: [Host] = [],
                    otherHosts: TrafficCount = .zero, hostsApproximate: Bool = false, topServices: [Service] = [],
                    otherServices: TrafficCount = .zero, servicesApproximate: Bool = false) {
            self.agencyIndex = agencyIndex
            self.inbound = inbound
            self.outbound = outbound
            self.internalTraffic = internalTraffic
            self.series = series
            self.topHosts = topHosts
            self.otherHosts = otherHosts
            self.hostsApproximate = hostsApproximate
            self.topServices = topServices
            self.otherServices = otherServices
            self.servicesApproximate = servicesApproximate
        }
    }

    public struct AgencyInterval: Sendable, Hashable, Codable {
        /// Unix time of the interval's start.
        public var start: Int64
        public var inbound: TrafficCount
        public var outbound: TrafficCount

        public init(start: Int64, inbound: TrafficCount, outbound: TrafficCount) {
            self.start = start
            self.inbound = inbound
            self.outbound = outbound
        }
    }

    public struct Interval: Sendable, Hashable, Codable {
        public var start: Int64
        public var traffic: TrafficCount

        public init(start: Int64, traffic: TrafficCount) {
            self.start = start
            self.traffic = traffic
        }
    }

    public struct Host: Sendable, Hashable, Codable {
        public var address: IPAddress
        public var traffic: TrafficCount

        public init(address: IPAddress, traffic: TrafficCount) {
            self.address = address
            self.traffic = traffic
        }
    }

    /// A transport protocol and its service port: the lower-numbered of a packet's two ports
    /// (the server's, for almost all traffic). Protocols without ports (ICMP, ESP, GRE, later
    /// fragments, ports cut off by the snap length) have a nil port.
    public struct Service: Sendable, Hashable, Codable {
        public var protocolNumber: UInt8
        public var port: UInt16?
        public var traffic: TrafficCount

        public init(protocolNumber: UInt8, port: UInt16?, traffic: TrafficCount) {
            self.protocolNumber = protocolNumber
            self.port = port
            self.traffic = traffic
        }
    }

    public struct Failure: Sendable, Hashable, Codable {
        public var reason: PacketDecodeFailure
        public var traffic: TrafficCount

        public init(reason: PacketDecodeFailure, traffic: TrafficCount) {
            self.reason = reason
            self.traffic = traffic
        }
    }

    /// The agency with this index, if the table had it.
    public func agency(_ index: Int) -> Agency? {
        agencies.indices.contains(index) ? agencies[index] : nil
    }

    /// Frames that failed to decode, all reasons together.
    public var failed: TrafficCount { failures.reduce(.zero) { $0 + $1.traffic } }
}
