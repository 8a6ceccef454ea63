/// What may be handed out of a pool: its prefix minus the addresses that never are — the network
/// address, the IPv4 broadcast address, the gateway and the reserved ranges — and the arithmetic on
/// the free ranges the store keeps, so that the next free address is one lookup, not a scan.
public struct PoolLayout: Sendable {
    /// Why an address of the prefix is never handed out.
    public enum Exclusion: Sendable, Hashable {
        case network
        case broadcast
        case gateway
        case reserved(note: String?)

        public var text: Text {
            switch self {
            case .network: Text(id: "alamat jaringan", en: "the network address")
            case .broadcast: Text(id: "alamat broadcast", en: "the broadcast address")
            case .gateway: Text(id: "gateway pool", en: "the pool's gateway")
            case .reserved(let note):
                note.map { Text(id: "dicadangkan: \($0)", en: "reserved: \($0)") } ?? Text(id: "dicadangkan", en: "reserved")
            }
        }
    }

    public let prefix: Prefix
    /// Sorted by first address; may overlap (a gateway inside a reserved range).
    public let excluded: [(range: AddressRange, why: Exclusion)]

    public init(prefix: Prefix, gateway: IPAddress?, reserved: [ReservedRange]) {
        self.prefix = prefix
        var excluded: [(AddressRange, Exclusion)] = []
        // IPv4 /31 and /32 (RFC 3021) have no network or broadcast address; IPv6 keeps its first
        // address for the subnet-router anycast (RFC 4291 2.6.1).
        let pointToPoint = prefix.family == .v4 && prefix.length >= 31
        if !pointToPoint {
            excluded.append((AddressRange(first: prefix.network, last: prefix.network)!, .network))
            if prefix.family == .v4 { excluded.append((AddressRange(first: prefix.last, last: prefix.last)!, .broadcast)) }
        }
        if let gateway, prefix.contains(gateway) { excluded.append((AddressRange(first: gateway, last: gateway)!, .gateway)) }
        for range in reserved {
            guard let clipped = AddressRange(first: max(range.first, prefix.network), last: min(range.last, prefix.last)),
                  prefix.contains(clipped.first) else { continue }
            excluded.append((clipped, .reserved(note: range.note)))
        }
        self.excluded = excluded.sorted { $0.0.first < $1.0.first }
    }

    public init(_ pool: Pool) {
        self.init(prefix: pool.prefix, gateway: pool.gateway, reserved: pool.reserved)
    }

    /// Why `address` is never handed out, or nil when it may be.
    public func exclusion(of address: IPAddress) -> Exclusion? {
        excluded.first { $0.range.contains(address) }?.why
    }

    /// The ranges that may be handed out, in order, leaving out `used` (sorted or not).
    public func freeRanges(excluding used: [IPAddress] = []) -> [AddressRange] {
        var cuts = excluded.map(\.range)
        cuts += used.filter(prefix.contains).map { AddressRange(first: $0, last: $0)! }
        cuts.sort { $0.first < $1.first }
        var free: [AddressRange] = []
        var next: IPAddress? = prefix.network
        for cut in cuts {
            guard let start = next else { break }
            if cut.first > start, let end = cut.first.predecessor, let gap = AddressRange(first: start, last: end) {
                free.append(gap)
            }
            if cut.last >= start { next = cut.last == prefix.last ? nil : cut.last.advanced(by: 1) }
        }
        if let start = next, let tail = AddressRange(first: start, last: prefix.last) { free.append(tail) }
        return free
    }

    /// How many addresses may ever be handed out (a Double: an IPv6 /64 holds 2^64).
    public var assignableCount: Double {
        freeRanges().reduce(0) { $0 + $1.count }
    }
}

extension AddressRange {
    /// The number of addresses in the range (a Double, exact up to 2^53).
    public var count: Double {
        let high = Double(last.high &- first.high) * 18_446_744_073_709_551_616.0
        return high + (Double(last.low) - Double(first.low)) + 1
    }

    /// What is left of the range once `address` is taken out of it: none, one or two pieces.
    public func removing(_ address: IPAddress) -> [AddressRange] {
        guard contains(address) else { return [self] }
        var pieces: [AddressRange] = []
        if let before = address.predecessor, let piece = AddressRange(first: first, last: before), address > first { pieces.append(piece) }
        if address < last, let after = address.advanced(by: 1), let piece = AddressRange(first: after, last: last) { pieces.append(piece) }
        return pieces
    }
}

extension IPAddress {
    /// A key that sorts as text in address order: 8 hexadecimal digits for IPv4, 32 for IPv6.
    public var key: String {
        switch family {
        case .v4: return Self.hex(low, digits: 8)
        case .v6: return Self.hex(high, digits: 16) + Self.hex(low, digits: 16)
        }
    }

    /// The address of a `key`.
    public init?(key: String) {
        let bytes = Array(key.utf8)
        switch bytes.count {
        case 8:
            guard let value = Self.parseHex(bytes[...]) else { return nil }
            self.init(v4: UInt32(truncatingIfNeeded: value))
        case 32:
            guard let high = Self.parseHex(bytes[0..<16]), let low = Self.parseHex(bytes[16...]) else { return nil }
            self.init(v6High: high, low: low)
        default:
            return nil
        }
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func parseHex(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
