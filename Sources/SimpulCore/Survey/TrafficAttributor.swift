/// Attributes captured packets to agencies, per interval, by longest-prefix match of their
/// source and destination addresses; feed it every frame of a capture and read `summary()`.
///
/// **Bytes are frame lengths on the wire** (libpcap's `len`: link-layer header included, FCS not,
/// whatever the snap length cut off counted), so the figures compare with SNMP's
/// `ifInOctets`/`ifOutOctets`, which count frame octets too.
///
/// Per IP packet, with S the agency of the source and D that of the destination:
/// - S ≠ D: S's `outbound` and D's `inbound` (either may be none);
/// - S = D: that agency's `internalTraffic` only;
/// - neither: `unattributed` — never dropped.
/// Non-IP frames and undecodable frames (by reason) are counted apart. Intervals are
/// `floor(seconds / intervalSeconds)`, so timestamps may arrive in any order.
///
/// Memory is bounded whatever the capture: host and service tallies per agency are
/// `BoundedTallies`, and at most `maximumIntervals` intervals are kept as series.
public struct TrafficAttributor: Sendable {
    public let table: PrefixTable
    public let settings: AttributionSettings
    /// Agencies counted: at least the table's.
    public let agencyCount: Int

    /// Interval rows of `stride` counters: per agency inbound bytes, packets, outbound bytes,
    /// packets; then unattributed bytes, packets. Row 0 takes the intervals past the bound.
    private var cells: [UInt64]
    private let stride: Int
    /// The interval of each row (row 0's is unused).
    private var rowIntervals: [Int64] = [0]
    private var rowOfInterval: [Int64: Int] = [:]
    /// The row the last packet went to, and its interval's seconds [start, end).
    private var currentBase = 0
    private var currentStart: Int64 = 1
    private var currentEnd: Int64 = 0

    /// Per agency internal bytes, packets.
    private var internalCells: [UInt64]
    private var hosts: BoundedTallies
    private var services: BoundedTallies
    private var nonIP = TrafficCount()
    /// Per failure reason (ordinal) bytes, packets.
    private var failureCells: [UInt64]
    private var seen = TrafficCount()
    private var first: CaptureTimestamp?
    private var last: CaptureTimestamp?

    /// - Parameter agencyCount: agencies to report, when more than the table knows of (an agency
    ///   without a prefix still gets its zero row).
    public init(table: PrefixTable, settings: AttributionSettings = .standard, agencyCount: Int = 0) {
        self.table = table
        self.settings = settings
        self.agencyCount = max(agencyCount, table.agencyCount)
        stride = 4 * self.agencyCount + 2
        cells = Array(repeating: 0, count: stride)
        internalCells = Array(repeating: 0, count: 2 * self.agencyCount)
        hosts = BoundedTallies(agencies: self.agencyCount, capacity: settings.hostTableCapacity)
        services = BoundedTallies(agencies: self.agencyCount, capacity: settings.serviceTableCapacity)
        failureCells = Array(repeating: 0, count: 2 * PacketDecodeFailure.allCases.count)
    }

    /// Decodes and counts one captured frame.
    /// - Parameters:
    ///   - frame: the captured bytes (`caplen`).
    ///   - wireLength: the frame's length on the wire (`len`): what is counted.
    public mutating func add(linkType: CaptureLinkType, frame: UnsafeRawBufferPointer, wireLength: Int,
                             seconds: Int64, nanoseconds: Int32) {
        add(PacketDecoder.decode(linkType: linkType, bytes: frame, wireLength: wireLength),
            wireLength: wireLength, seconds: seconds, nanoseconds: nanoseconds)
    }

    /// Counts a frame decoded already.
    public mutating func add(_ outcome: PacketDecodeOutcome, wireLength: Int, seconds: Int64, nanoseconds: Int32) {
        let bytes = UInt64(clamping: wireLength)
        seen.bytes &+= bytes
        seen.packets &+= 1
        let time = CaptureTimestamp(seconds: seconds, nanoseconds: nanoseconds)
        if let earliest = first, let latest = last {
            if time < earliest { first = time }
            if latest < time { last = time }
        } else {
            first = time
            last = time
        }
        switch outcome {
        case .ip(let packet):
            attribute(packet, bytes: bytes, seconds: seconds)
        case .nonIP:
            nonIP.bytes &+= bytes
            nonIP.packets &+= 1
        case .failure(let reason):
            failureCells[2 * reason.ordinal] &+= bytes
            failureCells[2 * reason.ordinal + 1] &+= 1
        }
    }

    @inline(__always)
    private mutating func attribute(_ packet: DecodedPacket, bytes: UInt64, seconds: Int64) {
        let source: Int
        let destination: Int
        if packet.family == .v4 {
            source = table.agencyIndex(v4: UInt32(truncatingIfNeeded: packet.sourceLow))
            destination = table.agencyIndex(v4: UInt32(truncatingIfNeeded: packet.destinationLow))
        } else {
            source = table.agencyIndex(v6High: packet.sourceHigh, low: packet.sourceLow)
            destination = table.agencyIndex(v6High: packet.destinationHigh, low: packet.destinationLow)
        }
        if source == destination {
            if source >= 0 {
                internalCells[2 * source] &+= bytes
                internalCells[2 * source + 1] &+= 1
            } else {
                let base = row(for: seconds) + stride - 2
                cells[base] &+= bytes
                cells[base + 1] &+= 1
            }
            return
        }
        let base = row(for: seconds)
        let hostTag: UInt8 = packet.family == .v4 ? 4 : 6
        // Tag 1: a protocol with its service port; tag 2: a protocol without ports.
        let serviceTag: UInt8 = packet.hasPorts ? 1 : 2
        let serviceKey = UInt64(packet.transportProtocol) << 16
            | UInt64(packet.hasPorts ? min(packet.sourcePort, packet.destinationPort) : 0)
        if source >= 0 {
            cells[base + 4 * source + 2] &+= bytes
            cells[base + 4 * source + 3] &+= 1
            hosts.add(agency: source, tag: hostTag, high: packet.sourceHigh, low: packet.sourceLow, bytes: bytes)
            services.add(agency: source, tag: serviceTag, high: 0, low: serviceKey, bytes: bytes)
        }
        if destination >= 0 {
            cells[base + 4 * destination] &+= bytes
            cells[base + 4 * destination + 1] &+= 1
            hosts.add(agency: destination, tag: hostTag, high: packet.destinationHigh, low: packet.destinationLow, bytes: bytes)
            services.add(agency: destination, tag: serviceTag, high: 0, low: serviceKey, bytes: bytes)
        }
    }

    /// The offset in `cells` of the row for the interval holding `seconds`.
    @inline(__always)
    private mutating func row(for seconds: Int64) -> Int {
        if seconds >= currentStart && seconds < currentEnd { return currentBase }
        return switchRow(for: seconds)
    }

    private mutating func switchRow(for seconds: Int64) -> Int {
        let length = settings.intervalSeconds
        let interval = Self.interval(of: seconds, length: length)
        let row: Int
        if let known = rowOfInterval[interval] {
            row = known
        } else if rowIntervals.count <= settings.maximumIntervals {
            row = rowIntervals.count
            rowIntervals.append(interval)
            rowOfInterval[interval] = row
            cells.append(contentsOf: repeatElement(0, count: stride))
        } else {
            // Past the bound: row 0, and no cache (the next packet looks again).
            currentStart = 1
            currentEnd = 0
            currentBase = 0
            return 0
        }
        let (start, startOverflow) = interval.multipliedReportingOverflow(by: length)
        let (end, endOverflow) = start.addingReportingOverflow(length)
        if startOverflow || endOverflow {
            currentStart = 1
            currentEnd = 0
        } else {
            currentStart = start
            currentEnd = end
        }
        currentBase = row * stride
        return currentBase
    }

    /// `floor(seconds / length)`.
    static func interval(of seconds: Int64, length: Int64) -> Int64 {
        let quotient = seconds / length
        return seconds % length < 0 ? quotient - 1 : quotient
    }

    // MARK: Summary

    /// Everything counted so far.
    public func summary() -> AttributionSummary {
        let rows = (1..<rowIntervals.count).sorted { rowIntervals[$0] < rowIntervals[$1] }
        let length = settings.intervalSeconds
        func start(_ row: Int) -> Int64 {
            let (value, overflow) = rowIntervals[row].multipliedReportingOverflow(by: length)
            return overflow ? (rowIntervals[row] < 0 ? .min : .max) : value
        }
        func pair(_ row: Int, _ offset: Int) -> TrafficCount {
            TrafficCount(bytes: cells[row * stride + offset], packets: cells[row * stride + offset + 1])
        }

        var agencies: [AttributionSummary.Agency] = []
        for agency in 0..<agencyCount {
            var inbound = pair(0, 4 * agency)
            var outbound = pair(0, 4 * agency + 2)
            var series: [AttributionSummary.AgencyInterval] = []
            for row in rows {
                let rowIn = pair(row, 4 * agency)
                let rowOut = pair(row, 4 * agency + 2)
                guard rowIn.packets != 0 || rowOut.packets != 0 else { continue }
                inbound += rowIn
                outbound += rowOut
                series.append(.init(start: start(row), inbound: rowIn, outbound: rowOut))
            }
            let crossing = inbound + outbound
            let topHosts = hosts.top(agency: agency, settings.topCount).map { entry in
                AttributionSummary.Host(
                    address: entry.tag == 4 ? IPAddress(v4: UInt32(truncatingIfNeeded: entry.low))
                                            : IPAddress(v6High: entry.high, low: entry.low),
                    traffic: TrafficCount(bytes: entry.bytes, packets: entry.packets))
            }
            let topServices = services.top(agency: agency, settings.topCount).map { entry in
                AttributionSummary.Service(
                    protocolNumber: UInt8(truncatingIfNeeded: entry.low >> 16),
                    port: entry.tag == 1 ? UInt16(truncatingIfNeeded: entry.low) : nil,
                    traffic: TrafficCount(bytes: entry.bytes, packets: entry.packets))
            }
            agencies.append(AttributionSummary.Agency(
                agencyIndex: agency,
                inbound: inbound,
                outbound: outbound,
                internalTraffic: TrafficCount(bytes: internalCells[2 * agency], packets: internalCells[2 * agency + 1]),
                series: series,
                topHosts: topHosts,
                otherHosts: crossing - topHosts.reduce(.zero) { $0 + $1.traffic },
                hostsApproximate: hosts.evictions[agency] > 0,
                topServices: topServices,
                otherServices: crossing - topServices.reduce(.zero) { $0 + $1.traffic },
                servicesApproximate: services.evictions[agency] > 0))
        }

        let unattributedOffset = stride - 2
        var unattributed = pair(0, unattributedOffset)
        var unattributedSeries: [AttributionSummary.Interval] = []
        for row in rows {
            let count = pair(row, unattributedOffset)
            guard count.packets != 0 else { continue }
            unattributed += count
            unattributedSeries.append(.init(start: start(row), traffic: count))
        }

        var outsideSeries = TrafficCount()
        for offset in Swift.stride(from: 0, to: stride, by: 2) { outsideSeries += pair(0, offset) }

        let failures = PacketDecodeFailure.allCases.compactMap { reason -> AttributionSummary.Failure? in
            let count = TrafficCount(bytes: failureCells[2 * reason.ordinal], packets: failureCells[2 * reason.ordinal + 1])
            return count.packets == 0 ? nil : .init(reason: reason, traffic: count)
        }

        return AttributionSummary(
            intervalSeconds: length,
            seen: seen,
            first: first,
            last: last,
            agencies: agencies,
            unattributed: unattributed,
            unattributedSeries: unattributedSeries,
            nonIP: nonIP,
            failures: failures,
            outsideSeries: outsideSeries)
    }
}
