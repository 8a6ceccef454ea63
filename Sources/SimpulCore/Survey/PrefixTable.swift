/// Longest-prefix match of addresses to agencies, for IPv4 and IPv6 together.
///
/// Built once from the agencies' address ranges; a lookup is a few array reads and allocates
/// nothing, because the capture path does two per packet.
/// - IPv4: a 16-8-8 stride table (a 65,536-entry first level; 256-entry blocks below it only
///   where a prefix is longer than /16 or /24), so any lookup is at most three reads.
/// - IPv6: the prefixes are cut at build time into disjoint address intervals, each owned by the
///   longest prefix that covers it; a lookup is a branch-light binary search over their starts.
public struct PrefixTable: Sendable {
    /// One more than the largest agency index in the table (0 when empty).
    public let agencyCount: Int
    /// Distinct prefixes in the table.
    public let prefixCount: Int

    /// IPv4 stride table. An entry with the top bit set points at a 256-entry block (its index
    /// in this array); otherwise it is the agency index + 1, or 0 for no agency.
    private let v4: [UInt32]
    /// IPv6 intervals: interval `i` starts at (`v6High[i]`, `v6Low[i]`) and runs up to the next
    /// start; `v6Agency[i]` is its agency or -1. The first starts at `::`.
    private let v6High: [UInt64]
    private let v6Low: [UInt64]
    private let v6Agency: [Int32]

    /// Per agency index: its prefix when that is its only one, of either family, and IPv4 (the
    /// attributor then counts the agency's hosts by address); nil otherwise.
    let soleIPv4Prefix: [(network: UInt32, length: Int)?]

    private static let child: UInt32 = 0x8000_0000

    /// Builds the table. Nested and overlapping prefixes are fine (the longest wins); the same
    /// prefix listed twice for the same agency counts once; the same prefix for two different
    /// agencies is an error naming both.
    public init(_ entries: [(prefix: Prefix, agencyIndex: Int)]) throws(PrefixTableError) {
        var owner: [Prefix: Int] = [:]
        for (prefix, agency) in entries {
            guard agency >= 0, agency < Int(Int32.max) - 1 else { throw .badAgencyIndex(prefix, agency) }
            if let other = owner[prefix] {
                if other != agency { throw .duplicate(prefix, first: min(other, agency), second: max(other, agency)) }
            } else {
                owner[prefix] = agency
            }
        }
        agencyCount = (owner.values.max() ?? -1) + 1
        prefixCount = owner.count
        var prefixesOf = [Int](repeating: 0, count: agencyCount)
        var sole = [(network: UInt32, length: Int)?](repeating: nil, count: agencyCount)
        for (prefix, agency) in owner {
            prefixesOf[agency] += 1
            if prefix.family == .v4 { sole[agency] = (UInt32(truncatingIfNeeded: prefix.network.low), prefix.length) }
        }
        for agency in 0..<agencyCount where prefixesOf[agency] != 1 { sole[agency] = nil }
        soleIPv4Prefix = sole

        let v4Prefixes = owner.filter { $0.key.family == .v4 }.sorted { ($0.key.length, $0.key) < ($1.key.length, $1.key) }
        v4 = Self.strideTable(v4Prefixes.map { (UInt32(truncatingIfNeeded: $0.key.network.low), $0.key.length, UInt32($0.value) + 1) })

        let v6Prefixes = owner.filter { $0.key.family == .v6 }.map { (prefix: $0.key, agency: Int32($0.value)) }
        let intervals = Self.intervals(v6Prefixes)
        v6High = intervals.map(\.start.high)
        v6Low = intervals.map(\.start.low)
        v6Agency = intervals.map(\.agency)
    }

    /// The agency whose longest prefix contains `address`, or nil.
    public func agency(for address: IPAddress) -> Int? {
        let index = address.family == .v4
            ? agencyIndex(v4: UInt32(truncatingIfNeeded: address.low))
            : agencyIndex(v6High: address.high, low: address.low)
        return index < 0 ? nil : index
    }

    /// The agency index for an IPv4 address (host order), or -1.
    @inline(__always)
    func agencyIndex(v4 address: UInt32) -> Int {
        v4.withUnsafeBufferPointer { table in
            var entry = table[Int(address >> 16)]
            if entry & Self.child != 0 {
                entry = table[Int(entry & ~Self.child) &+ Int((address >> 8) & 0xFF)]
                if entry & Self.child != 0 {
                    entry = table[Int(entry & ~Self.child) &+ Int(address & 0xFF)]
                }
            }
            return Int(entry) &- 1
        }
    }

    /// The agency index for an IPv6 address, or -1.
    @inline(__always)
    func agencyIndex(v6High high: UInt64, low: UInt64) -> Int {
        v6High.withUnsafeBufferPointer { highs in
            v6Low.withUnsafeBufferPointer { lows in
                var base = 0
                var n = highs.count
                while n > 1 {
                    let half = n >> 1
                    let middle = base &+ half
                    let h = highs[middle]
                    let atOrBelow = h < high || (h == high && lows[middle] <= low)
                    base = atOrBelow ? middle : base
                    n &-= half
                }
                return Int(v6Agency[base])
            }
        }
    }

    // MARK: Building

    /// Paints prefixes, shortest first, into a 16-8-8 stride table: a longer prefix painted later
    /// overwrites the part of a shorter one it covers. Equal lengths never overlap (duplicates
    /// are gone by now), so the order among them does not matter.
    private static func strideTable(_ prefixes: [(network: UInt32, length: Int, value: UInt32)]) -> [UInt32] {
        var table = [UInt32](repeating: 0, count: 1 << 16)

        func block(at slot: Int) -> Int {
            let entry = table[slot]
            if entry & child != 0 { return Int(entry & ~child) }
            let start = table.count
            table.append(contentsOf: repeatElement(entry, count: 256))
            table[slot] = child | UInt32(start)
            return start
        }

        for (network, length, value) in prefixes {
            let top = Int(network >> 16)
            if length <= 16 {
                for slot in top..<(top + 1 << (16 - length)) { table[slot] = value }
                continue
            }
            let second = block(at: top)
            let middle = Int((network >> 8) & 0xFF)
            if length <= 24 {
                for slot in middle..<(middle + 1 << (24 - length)) { table[second + slot] = value }
                continue
            }
            let third = block(at: second + middle)
            let last = Int(network & 0xFF)
            for slot in last..<(last + 1 << (32 - length)) { table[third + slot] = value }
        }
        return table
    }

    private struct Key: Comparable {
        var high: UInt64
        var low: UInt64
        static func < (a: Key, b: Key) -> Bool { (a.high, a.low) < (b.high, b.low) }
        /// The next address, or nil after the last one.
        var successor: Key? {
            if low != .max { return Key(high: high, low: low + 1) }
            if high != .max { return Key(high: high + 1, low: 0) }
            return nil
        }
    }

    /// Disjoint intervals covering the whole IPv6 space, each owned by the longest prefix that
    /// covers it (or by no agency, -1), with neighbours of the same owner merged. Prefixes either
    /// nest or are disjoint, so a sweep in address order with a stack of open prefixes does it.
    private static func intervals(_ prefixes: [(prefix: Prefix, agency: Int32)]) -> [(start: Key, agency: Int32)] {
        let sorted = prefixes.sorted { ($0.prefix.network, $0.prefix.length) < ($1.prefix.network, $1.prefix.length) }
        var out: [(start: Key, agency: Int32)] = [(Key(high: 0, low: 0), -1)]

        func emit(_ start: Key, _ agency: Int32) {
            if let last = out.last, last.start == start { out.removeLast() }
            if let last = out.last, last.agency == agency { return }
            out.append((start, agency))
        }

        var open: [(end: Key, agency: Int32)] = []
        func close(before start: Key?) {
            while let top = open.last, start.map({ top.end < $0 }) ?? true {
                open.removeLast()
                if let after = top.end.successor { emit(after, open.last?.agency ?? -1) }
            }
        }

        for (prefix, agency) in sorted {
            let start = Key(high: prefix.network.high, low: prefix.network.low)
            close(before: start)
            emit(start, agency)
            open.append((Key(high: prefix.last.high, low: prefix.last.low), agency))
        }
        close(before: nil)
        return out
    }
}
