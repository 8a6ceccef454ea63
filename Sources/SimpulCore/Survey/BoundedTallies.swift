/// Bytes and packets per key (an address, or a protocol and port) for each of many agencies,
/// in open-addressing hash tables whose size is bounded, so that a flood of distinct hosts or
/// ports cannot grow memory without limit.
///
/// Every agency's table lives in one shared array (a region of it, grown by doubling; a region
/// outgrown is abandoned, so at most half the array is dead), which keeps the per-packet update
/// to a couple of reads of memory.
///
/// Counts are exact until `capacity` distinct keys are held for an agency. When a new key arrives
/// at a full table, the lighter half of its entries by bytes is evicted into that agency's
/// `evicted` count and the new key goes in. So heavy keys stay, a heavy key that appears late
/// still gets in, a kept key's figure is exact from when it (last) entered — a lower bound if it
/// was evicted before — and kept entries plus `evicted` always add up to everything counted.
struct BoundedTallies: Sendable {
    struct Entry: Sendable {
        var high: UInt64
        var low: UInt64
        var bytes: UInt64
        /// Packets in the low 56 bits; the key's tag (never 0 in a used slot) in the top 8.
        var packetsAndTag: UInt64

        var tag: UInt8 { UInt8(truncatingIfNeeded: packetsAndTag >> 56) }
        var packets: UInt64 { packetsAndTag & 0x00FF_FFFF_FFFF_FFFF }
    }

    private struct Region: Sendable {
        var start = 0
        var size = 0
        var shift: UInt64 = 64
        var count = 0
    }

    let capacity: Int
    private var entries: [Entry] = []
    private var regions: [Region]
    /// Per agency: what evicted keys had counted, and how many evictions there were.
    private(set) var evicted: [TrafficCount]
    private(set) var evictions: [UInt64]

    private static let empty = Entry(high: 0, low: 0, bytes: 0, packetsAndTag: 0)
    /// Slots of an agency's first region.
    private let initialSize: Int

    /// - Parameter initialSize: slots of an agency's first region (a power of two); the table
    ///   doubles from there, so it changes nothing but memory.
    init(agencies: Int, capacity: Int, initialSize: Int = 16) {
        self.capacity = max(capacity, 2)
        self.initialSize = max(2, initialSize)
        regions = Array(repeating: Region(), count: agencies)
        evicted = Array(repeating: .zero, count: agencies)
        evictions = Array(repeating: 0, count: agencies)
    }

    /// Adds one packet of `bytes` to `agency`'s key (`tag` must not be 0).
    @inline(__always)
    mutating func add(agency: Int, tag: UInt8, high: UInt64, low: UInt64, bytes: UInt64) {
        let region = regions[agency]
        if region.size != 0 {
            let tagBits = UInt64(tag) << 56
            let found: Bool = entries.withUnsafeMutableBufferPointer { table in
                let mask = region.size &- 1
                var index = Self.hash(tag: tag, high: high, low: low, shift: region.shift)
                // Every index is below the region's size, and the region lies inside the array.
                let slots = table.baseAddress.unsafelyUnwrapped + region.start
                while true {
                    let entry = slots + index
                    let packetsAndTag = entry.pointee.packetsAndTag
                    if packetsAndTag == 0 { return false }
                    if entry.pointee.low == low && entry.pointee.high == high && packetsAndTag & 0xFF00_0000_0000_0000 == tagBits {
                        entry.pointee.bytes &+= bytes
                        entry.pointee.packetsAndTag = packetsAndTag &+ 1
                        return true
                    }
                    index = (index &+ 1) & mask
                }
            }
            if found { return }
        }
        insert(agency: agency, Entry(high: high, low: low, bytes: bytes, packetsAndTag: UInt64(tag) << 56 | 1))
    }

    /// `agency`'s kept entries, heaviest first (bytes, then packets, then key), at most `limit`.
    func top(agency: Int, _ limit: Int) -> [Entry] {
        Array(kept(agency).sorted(by: Self.heavier).prefix(limit))
    }

    // MARK: Private

    private func kept(_ agency: Int) -> [Entry] {
        let region = regions[agency]
        return entries[region.start..<(region.start + region.size)].filter { $0.packetsAndTag != 0 }
    }

    @inline(__always)
    private static func hash(tag: UInt8, high: UInt64, low: UInt64, shift: UInt64) -> Int {
        let mixed = (low ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(tag) << 56) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    static func heavier(_ a: Entry, _ b: Entry) -> Bool {
        if a.bytes != b.bytes { return a.bytes > b.bytes }
        if a.packets != b.packets { return a.packets > b.packets }
        return (a.tag, a.high, a.low) < (b.tag, b.high, b.low)
    }

    private mutating func insert(agency: Int, _ entry: Entry) {
        let region = regions[agency]
        if region.count >= capacity {
            let sorted = kept(agency).sorted(by: Self.heavier)
            let keep = capacity / 2
            for gone in sorted[keep...] {
                evicted[agency].bytes &+= gone.bytes
                evicted[agency].packets &+= gone.packets
            }
            evictions[agency] &+= 1
            rebuild(agency: agency, size: region.size, keeping: Array(sorted[..<keep]))
        } else if (region.count + 1) * 2 > region.size {
            rebuild(agency: agency, size: max(initialSize, region.size * 2), keeping: kept(agency))
        }
        place(agency: agency, entry)
        regions[agency].count += 1
    }

    /// Moves `agency`'s table to a fresh region of `size` slots (at the end of the array, unless
    /// the size is unchanged) holding `entries`.
    private mutating func rebuild(agency: Int, size: Int, keeping kept: [Entry]) {
        var region = regions[agency]
        if size != region.size {
            region.start = entries.count
            entries.append(contentsOf: repeatElement(Self.empty, count: size))
        } else {
            for slot in region.start..<(region.start + size) { entries[slot] = Self.empty }
        }
        region.size = size
        region.shift = UInt64(64 - size.trailingZeroBitCount)
        region.count = 0
        regions[agency] = region
        for entry in kept {
            place(agency: agency, entry)
            regions[agency].count += 1
        }
    }

    private mutating func place(agency: Int, _ entry: Entry) {
        let region = regions[agency]
        let mask = region.size - 1
        var index = Self.hash(tag: entry.tag, high: entry.high, low: entry.low, shift: region.shift)
        while entries[region.start + index].packetsAndTag != 0 { index = (index + 1) & mask }
        entries[region.start + index] = entry
    }
}
