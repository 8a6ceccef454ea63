/// The exact sums of one five-minute slot of an hour: enough to give that slot's average exactly, and
/// to add a late sample to it.
public struct SlotSums: Sendable, Hashable {
    public var coveredMillis: Int64
    public var inOctets: UInt64
    public var outOctets: UInt64

    public init(coveredMillis: Int64 = 0, inOctets: UInt64 = 0, outOctets: UInt64 = 0) {
        self.coveredMillis = coveredMillis
        self.inOctets = inOctets
        self.outOctets = outOctets
    }

    public var isEmpty: Bool { coveredMillis <= 0 }
}

/// One interface's hour: its totals, average and maximum (`hour`), and its twelve five-minute slots, so
/// that a year of hourly rows still answers an exact 95th percentile at five-minute granularity over
/// any period, long after the raw samples and five-minute rows are deleted.
///
/// **Why sums and not averages.** Each slot keeps the covered milliseconds and the octets in and out:
/// the slot's average is the same integer (`⌊octets·8000/ms⌋` bit/s) a five-minute bucket gives, so
/// the 95th percentile from hourly rows equals the one from five-minute rows; and a late sample is
/// added to a slot, which an average cannot take.
///
/// **Encoding** (`encodedSlots`, one BLOB column): a version byte (1); two bytes, little-endian, with
/// bit *i* set when slot *i* has data; then for each such slot, as unsigned LEB128 varints, the
/// milliseconds *missing* from the five minutes (zig-zag, since overlapping samples may cover a few
/// milliseconds more — 0 for a fully covered slot takes one byte), the octets in, the octets out.
///
/// **Size.** A varint takes ⌈bits/7⌉ bytes; a full slot's octets at rate R bit/s are 37.5·R, so at
/// 1–30 Mbit/s 5 bytes each, 100 Mbit/s–1 Gbit/s 5–6 bytes. A busy hour of 1-minute polls: 3 + 12 × (1 + 5 + 5)
/// = 135 bytes; an idle port (0 octets) 3 + 12 × 3 = 39 bytes; a port never measured 3 bytes. Beside the
/// BLOB an hourly row keeps `hour`'s columns (start, covered, octets, maxima, four error sums: about
/// 40 bytes as SQLite integers), so about 175 bytes per interface per hour for a busy port before SQLite's
/// own row and page overhead (`HealthRollupTests` measures these figures).
public struct HourlyRollup: Sendable, Hashable {
    public private(set) var hour: TrafficBucket
    /// Twelve slots, slot *i* covering `hour.start + i × 5 min`.
    public private(set) var slots: [SlotSums]

    public static let slotCount = 12
    static let version: UInt8 = 1

    /// An empty hour holding `time` (milliseconds since 1970).
    public init(containing time: Int64) {
        hour = TrafficBucket(containing: time, width: TrafficBucket.hour)
        slots = Array(repeating: SlotSums(), count: Self.slotCount)
    }

    /// An hour as stored: its totals and its slots' BLOB.
    public init(hour: TrafficBucket, encodedSlots: [UInt8]) throws(RollupDecodingError) {
        guard hour.width == TrafficBucket.hour else { throw .notAnHour }
        self.hour = hour
        self.slots = try Self.decodeSlots(encodedSlots)
    }

    /// Adds the part of `sample` inside this hour, to the totals and to each slot it touches.
    public mutating func add(_ sample: TrafficSample) {
        hour.add(sample)
        for index in 0..<Self.slotCount {
            let from = max(hour.start + Int64(index) * TrafficBucket.fiveMinutes, sample.start)
            let to = min(hour.start + Int64(index + 1) * TrafficBucket.fiveMinutes, sample.end)
            guard to > from else { continue }
            slots[index].coveredMillis = slots[index].coveredMillis.saturatingAdd(to - from)
            slots[index].inOctets = slots[index].inOctets.saturatingAdd(sample.share(of: sample.inOctets, from: from, to: to))
            slots[index].outOctets = slots[index].outOctets.saturatingAdd(sample.share(of: sample.outOctets, from: from, to: to))
        }
    }

    /// The slots with data, as five-minute averages (a slot without data is a gap, not a zero).
    public var fiveMinuteAverages: [FiveMinuteAverage] {
        slots.enumerated().compactMap { index, slot in
            guard let inAverage = TrafficBucket.average(slot.inOctets, slot.coveredMillis),
                  let outAverage = TrafficBucket.average(slot.outOctets, slot.coveredMillis) else { return nil }
            return FiveMinuteAverage(start: hour.start + Int64(index) * TrafficBucket.fiveMinutes,
                                     inBitsPerSecond: inAverage, outBitsPerSecond: outAverage,
                                     coverage: min(1, Double(slot.coveredMillis) / Double(TrafficBucket.fiveMinutes)))
        }
    }

    // MARK: Encoding

    /// The slots as one compact BLOB (format in the type's documentation).
    public func encodedSlots() -> [UInt8] {
        var bitmap: UInt16 = 0
        var body: [UInt8] = []
        body.reserveCapacity(Self.slotCount * 11)
        for (index, slot) in slots.enumerated() where !slot.isEmpty {
            bitmap |= 1 << UInt16(index)
            let missing = TrafficBucket.fiveMinutes.subtractingReportingOverflow(slot.coveredMillis)
            Varint.append(Varint.zigzag(missing.overflow ? Int64.min : missing.partialValue), to: &body)
            Varint.append(slot.inOctets, to: &body)
            Varint.append(slot.outOctets, to: &body)
        }
        return [Self.version, UInt8(bitmap & 0xFF), UInt8(bitmap >> 8)] + body
    }

    static func decodeSlots(_ bytes: [UInt8]) throws(RollupDecodingError) -> [SlotSums] {
        guard bytes.count >= 3 else { throw .truncated }
        guard bytes[0] == version else { throw .unknownVersion(bytes[0]) }
        let bitmap = UInt16(bytes[1]) | UInt16(bytes[2]) << 8
        guard bitmap >> UInt16(slotCount) == 0 else { throw .badSlot }
        var slots = Array(repeating: SlotSums(), count: slotCount)
        var offset = 3
        for index in 0..<slotCount where bitmap & (1 << UInt16(index)) != 0 {
            let missing = Varint.unzigzag(try Varint.read(bytes, &offset))
            let (covered, overflow) = TrafficBucket.fiveMinutes.subtractingReportingOverflow(missing)
            guard !overflow, covered > 0 else { throw .badSlot }
            slots[index] = SlotSums(coveredMillis: covered, inOctets: try Varint.read(bytes, &offset),
                                    outOctets: try Varint.read(bytes, &offset))
        }
        guard offset == bytes.count else { throw .trailingBytes }
        return slots
    }
}

/// A stored hour's slots that cannot be read back. The raw samples (kept 14 days by default) or the
/// five-minute rows can roll the hour up again.
public struct RollupDecodingError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case truncated, unknownVersion(UInt8), badSlot, trailingBytes, notAnHour
    }

    let kind: Kind

    static let truncated = RollupDecodingError(kind: .truncated)
    static func unknownVersion(_ version: UInt8) -> RollupDecodingError { RollupDecodingError(kind: .unknownVersion(version)) }
    static let badSlot = RollupDecodingError(kind: .badSlot)
    static let trailingBytes = RollupDecodingError(kind: .trailingBytes)
    static let notAnHour = RollupDecodingError(kind: .notAnHour)

    public var text: Text {
        let what: Text = switch kind {
        case .truncated: Text(id: "data terpotong", en: "the data is cut short")
        case .unknownVersion(let v): Text(id: "versi \(v) tidak dikenal (Simpul ini mengenal versi 1)", en: "version \(v) is unknown (this Simpul knows version 1)")
        case .badSlot: Text(id: "ada slot lima menit yang rusak", en: "a five-minute slot is damaged")
        case .trailingBytes: Text(id: "ada data sisa di ujung", en: "there are bytes left over at the end")
        case .notAnHour: Text(id: "barisnya bukan satu jam", en: "the row is not one hour")
        }
        return Text(id: "ringkasan lalu lintas per jam tidak dapat dibaca: \(what.id); ringkas ulang jam itu dari sampel mentah atau baris lima menitnya",
                    en: "an hourly traffic roll-up cannot be read: \(what.en); roll that hour up again from its raw samples or five-minute rows")
    }

    public var description: String { text.en }
}

/// Unsigned LEB128 varints.
enum Varint {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// At most ten bytes, no bits past 64, and the shortest form only.
    static func read(_ bytes: [UInt8], _ offset: inout Int) throws(RollupDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw .truncated }
            let byte = bytes[offset]
            offset += 1
            let bits = UInt64(byte & 0x7F)
            if shift == 63, bits > 1 { throw .badSlot }
            // A last byte of 0 after others is an overlong form: refused, so every BLOB has one spelling.
            if byte == 0, shift > 0 { throw .badSlot }
            value |= bits << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            guard shift <= 63 else { throw .badSlot }
        }
    }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }
}
