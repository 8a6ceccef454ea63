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
/// `BoundedTallies` (or, for an agency whose only prefix is a small IPv4 one, a counter per
/// address of that prefix; and for the first 15 services seen, a counter per agency), and at most
/// `maximumIntervals` intervals are kept as series.
///
/// Speed (the capture path calls `add` for every frame): an Ethernet/IPv4 frame is decoded
/// straight-line; the per-agency updates of crossing packets are queued and made `batch` at a
/// time, each structure in its own tight pass, so that their cache misses overlap and each array
/// is checked for exclusive ownership once per batch rather than once per packet.
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
    /// The earliest and latest capture time, once `timed`.
    private var first = CaptureTimestamp(seconds: 0)
    private var last = CaptureTimestamp(seconds: 0)
    private var timed = false

    /// Host counters kept by address instead of in `hosts`, for each agency whose only prefix is
    /// one IPv4 prefix no larger than the host table's capacity (nor `denseLimit`): such an
    /// agency can never fill its host table, so its table would hold exactly one exact entry per
    /// address seen — which is what these counters hold, without hashing or probing, one array
    /// read per packet.
    private var denseRanges: [DenseRange]
    /// Bytes and packets per address of every dense range handed out so far.
    private var denseCounters: [UInt64] = []
    /// The largest prefix (in addresses) kept densely: 16 bytes each, handed out at the agency's
    /// first host, so at most 64 KiB per agency.
    static let denseLimit = 4_096

    /// The first services seen (a protocol with its service port, or a protocol without ports) get
    /// a small number each, and every agency a counter per number: one array read per packet
    /// instead of a probe of the agency's `services` table. Services past the first
    /// `denseServices - 1` go to `services` as before. A service's number is given the first time
    /// it is seen anywhere, so its packets are all in one place, never split between the two.
    /// Number 0 is "none yet"; `notDense` marks a service that will never have one.
    private var serviceNumbers: [UInt8]
    /// The key (tag, key) of each number given, in order from 1.
    private var denseServiceKeys: [(tag: UInt8, key: UInt64)] = [(0, 0)]
    /// Per agency `denseServices` pairs of bytes, packets.
    private var serviceCounters: [UInt64]
    static let denseServices = 16
    static let notDense: UInt8 = 0xFF

    /// Crossing traffic counted for an agency but not yet added (`pendingCount` of them, in
    /// arrival order): made `batch` at a time, so that the misses of their random reads overlap.
    /// `summary()` includes them.
    private var pending: [PendingEnd]
    private var pendingCount = 0
    static let batch = 64

    struct PendingEnd: Sendable {
        /// The (bytes, packets) pair in `cells`, and in `denseCounters` (-1: `hosts` instead).
        var cell: Int
        var host: Int
        var bytes: UInt64
        var agency: Int
        var high: UInt64
        var low: UInt64
        var serviceKey: UInt64
        /// The (bytes, packets) pair in `serviceCounters`, or -1: `services` instead.
        var serviceCell: Int
        var hostTag: UInt8
        var serviceTag: UInt8
    }

    struct DenseRange: Sendable {
        /// Where the range's first address's counters start in `denseCounters`, or -1 before the
        /// agency's first host.
        var start: Int
        /// Addresses in the prefix (a power of two); 0 when the agency's hosts go to `hosts`.
        var size: Int
        var network: UInt32
    }

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
        // Most agencies use a handful of services: a small first region keeps them all in cache.
        services = BoundedTallies(agencies: self.agencyCount, capacity: settings.serviceTableCapacity, initialSize: 4)
        failureCells = Array(repeating: 0, count: 2 * PacketDecodeFailure.allCases.count)
        pending = Array(repeating: PendingEnd(cell: 0, host: -1, bytes: 0, agency: 0, high: 0, low: 0, serviceKey: 0, serviceCell: -1,
                                              hostTag: 0, serviceTag: 0), count: Self.batch)
        serviceNumbers = Array(repeating: 0, count: 256 + 2 * 65_536)
        serviceCounters = Array(repeating: 0, count: 2 * Self.denseServices * self.agencyCount)
        let limit = min(settings.hostTableCapacity, Self.denseLimit)
        denseRanges = (0..<self.agencyCount).map { agency in
            guard agency < table.soleIPv4Prefix.count, let sole = table.soleIPv4Prefix[agency],
                  1 << (32 - sole.length) <= limit else {
                return DenseRange(start: -1, size: 0, network: 0)
            }
            return DenseRange(start: -1, size: 1 << (32 - sole.length), network: sole.network)
        }
    }

    /// Decodes and counts one captured frame.
    /// - Parameters:
    ///   - frame: the captured bytes (`caplen`).
    ///   - wireLength: the frame's length on the wire (`len`): what is counted.
    public mutating func add(linkType: CaptureLinkType, frame: UnsafeRawBufferPointer, wireLength: Int,
                             seconds: Int64, nanoseconds: Int32) {
        if linkType.rawValue == 1, let packet = PacketDecoder.ethernetIPv4(frame, wireLength: wireLength) {
            let bytes = UInt64(clamping: wireLength)
            see(bytes: bytes, seconds: seconds, nanoseconds: nanoseconds)
            attribute(packet, bytes: bytes, seconds: seconds)
            return
        }
        add(PacketDecoder.decodeAny(linkType: linkType, bytes: frame, wireLength: wireLength),
            wireLength: wireLength, seconds: seconds, nanoseconds: nanoseconds)
    }

    /// Counts a frame decoded already.
    public mutating func add(_ outcome: PacketDecodeOutcome, wireLength: Int, seconds: Int64, nanoseconds: Int32) {
        let bytes = UInt64(clamping: wireLength)
        see(bytes: bytes, seconds: seconds, nanoseconds: nanoseconds)
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

    /// Every frame: the totals seen and the time span.
    @inline(__always)
    private mutating func see(bytes: UInt64, seconds: Int64, nanoseconds: Int32) {
        seen.bytes &+= bytes
        seen.packets &+= 1
        let time = CaptureTimestamp(seconds: seconds, nanoseconds: nanoseconds)
        if timed {
            if time < first { first = time }
            if last < time { last = time }
        } else {
            first = time
            last = time
            timed = true
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
        let sourceHost = source >= 0 ? denseIndex(agency: source, low: packet.sourceLow) : -1
        let destinationHost = destination >= 0 ? denseIndex(agency: destination, low: packet.destinationLow) : -1
        let service = serviceNumber(packet, tag: serviceTag, key: serviceKey)
        let sourceService = service == Self.notDense || source < 0 ? -1 : 2 &* (source &* Self.denseServices &+ Int(service))
        let destinationService = service == Self.notDense || destination < 0 ? -1 : 2 &* (destination &* Self.denseServices &+ Int(service))
        let count = pendingCount
        pendingCount = pending.withUnsafeMutableBufferPointer { ends in
            var n = count
            if source >= 0 {
                ends[n] = PendingEnd(cell: base &+ 4 &* source &+ 2, host: sourceHost, bytes: bytes, agency: source,
                                     high: packet.sourceHigh, low: packet.sourceLow, serviceKey: serviceKey, serviceCell: sourceService,
                                     hostTag: hostTag, serviceTag: serviceTag)
                n &+= 1
            }
            if destination >= 0 {
                ends[n] = PendingEnd(cell: base &+ 4 &* destination, host: destinationHost, bytes: bytes, agency: destination,
                                     high: packet.destinationHigh, low: packet.destinationLow, serviceKey: serviceKey, serviceCell: destinationService,
                                     hostTag: hostTag, serviceTag: serviceTag)
                n &+= 1
            }
            return n
        }
        if pendingCount > Self.batch - 2 { flushPending() }
    }

    /// The service's number (see `serviceNumbers`), given now if it has none and numbers are
    /// left; `notDense` when it goes to `services`.
    @inline(__always)
    private mutating func serviceNumber(_ packet: DecodedPacket, tag: UInt8, key: UInt64) -> UInt8 {
        // Slots: a protocol without ports by its number, then TCP's ports, then UDP's.
        let port = Int(truncatingIfNeeded: key & 0xFFFF)
        let slot = !packet.hasPorts ? Int(packet.transportProtocol)
            : packet.transportProtocol == 6 ? 256 &+ port
            : packet.transportProtocol == 17 ? 256 &+ 65_536 &+ port : -1
        guard slot >= 0 else { return Self.notDense }
        let number = serviceNumbers[slot]
        if number != 0 { return number }
        let given = denseServiceKeys.count < Self.denseServices ? UInt8(denseServiceKeys.count) : Self.notDense
        if given != Self.notDense { denseServiceKeys.append((tag, key)) }
        serviceNumbers[slot] = given
        return given
    }

    /// Where in `denseCounters` the counters of `agency`'s address `low` are, or -1 when the
    /// agency's hosts go to `hosts`.
    @inline(__always)
    private mutating func denseIndex(agency: Int, low: UInt64) -> Int {
        let range = denseRanges[agency]
        guard range.size != 0 else { return -1 }
        // Only IPv4 addresses reach an agency with a dense range (its sole prefix is IPv4), and
        // they lie inside that prefix, so the low bits are the offset.
        let start = range.start >= 0 ? range.start : denseStart(agency)
        return start &+ 2 &* Int(truncatingIfNeeded: low & UInt64(range.size &- 1))
    }

    /// Makes the pending updates. Each structure gets its own pass, in arrival order: sums do
    /// not care about order, and the host and service tables see their keys in the order they came.
    private mutating func flushPending() {
        let n = pendingCount
        guard n > 0 else { return }
        pendingCount = 0
        let ends = pending
        ends.withUnsafeBufferPointer { ends in
            // Independent read-modify-writes back to back: their cache misses overlap.
            Self.addPairs(&cells, ends, n) { $0.cell }
            Self.addPairs(&denseCounters, ends, n) { $0.host }
            for i in 0..<n where ends[i].host < 0 {
                let end = ends[i]
                hosts.add(agency: end.agency, tag: end.hostTag, high: end.high, low: end.low, bytes: end.bytes)
            }
            Self.addPairs(&serviceCounters, ends, n) { $0.serviceCell }
            for i in 0..<n where ends[i].serviceCell < 0 {
                let end = ends[i]
                services.add(agency: end.agency, tag: end.serviceTag, high: 0, low: end.serviceKey, bytes: end.bytes)
            }
        }
    }

    /// Adds each of the first `n` ends' bytes and one packet to the (bytes, packets) pair of
    /// `counters` at `pair(end)`; an end whose pair is -1 is counted elsewhere.
    @inline(__always)
    private static func addPairs(_ counters: inout [UInt64], _ ends: UnsafeBufferPointer<PendingEnd>, _ n: Int, pair: (PendingEnd) -> Int) {
        counters.withUnsafeMutableBufferPointer { counters in
            for i in 0..<n {
                let at = pair(ends[i])
                guard at >= 0 else { continue }
                counters[at] &+= ends[i].bytes
                counters[at &+ 1] &+= 1
            }
        }
    }

    /// Hands `agency` its dense counters, at its first host.
    private mutating func denseStart(_ agency: Int) -> Int {
        let start = denseCounters.count
        // One cache line more than the counters: ranges of a power-of-two size laid end to end
        // would start at the same offset of their pages and crowd the same few cache sets
        // (their first addresses are the busy ones); the spare line staggers them.
        denseCounters.append(contentsOf: repeatElement(0, count: 2 * denseRanges[agency].size + 8))
        denseRanges[agency].start = start
        return start
    }

    /// `agency`'s hosts, heaviest first, at most `limit`, and whether the list is approximate.
    private func topHosts(_ agency: Int, _ limit: Int) -> (entries: [BoundedTallies.Entry], approximate: Bool) {
        let range = denseRanges[agency]
        guard range.size != 0 else { return (hosts.top(agency: agency, limit), hosts.evictions[agency] > 0) }
        guard range.start >= 0 else { return ([], false) }
        var seen: [BoundedTallies.Entry] = []
        for offset in 0..<range.size where denseCounters[range.start + 2 * offset + 1] != 0 {
            seen.append(BoundedTallies.Entry(
                high: 0, low: UInt64(range.network | UInt32(offset)), bytes: denseCounters[range.start + 2 * offset],
                packetsAndTag: UInt64(4) << 56 | denseCounters[range.start + 2 * offset + 1]))
        }
        return (Array(seen.sorted(by: BoundedTallies.heavier).prefix(limit)), false)
    }

    /// `agency`'s services, heaviest first, at most `limit`: those with a number and those in its
    /// table (never the same service in both).
    private func topServices(_ agency: Int, _ limit: Int) -> [BoundedTallies.Entry] {
        var entries = services.top(agency: agency, limit)
        for number in 1..<denseServiceKeys.count {
            let cell = 2 * (agency * Self.denseServices + number)
            guard serviceCounters[cell + 1] != 0 else { continue }
            let (tag, key) = denseServiceKeys[number]
            entries.append(BoundedTallies.Entry(high: 0, low: key, bytes: serviceCounters[cell], packetsAndTag: UInt64(tag) << 56 | serviceCounters[cell + 1]))
        }
        return Array(entries.sorted(by: BoundedTallies.heavier).prefix(limit))
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
        if pendingCount == 0 { return flushedSummary() }
        var complete = self
        complete.flushPending()
        return complete.flushedSummary()
    }

    private func flushedSummary() -> AttributionSummary {
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
            let (hostEntries, hostsApproximate) = self.topHosts(agency, settings.topCount)
            let topHosts = hostEntries.map { entry in
                AttributionSummary.Host(
                    address: entry.tag == 4 ? IPAddress(v4: UInt32(truncatingIfNeeded: entry.low))
                                            : IPAddress(v6High: entry.high, low: entry.low),
                    traffic: TrafficCount(bytes: entry.bytes, packets: entry.packets))
            }
            let topServices = self.topServices(agency, settings.topCount).map { entry in
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
                hostsApproximate: hostsApproximate,
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
            first: timed ? first : nil,
            last: timed ? last : nil,
            agencies: agencies,
            unattributed: unattributed,
            unattributedSeries: unattributedSeries,
            nonIP: nonIP,
            failures: failures,
            outsideSeries: outsideSeries)
    }
}
