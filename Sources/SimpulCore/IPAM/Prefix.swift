import Foundation

/// A CIDR prefix such as `10.20.0.0/24` or `2001:db8::/64`. The network address never has host bits set.
public struct Prefix: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let network: IPAddress
    public let length: Int

    public enum ParseError: Error, Equatable, Sendable {
        case notCIDR
        case badAddress
        case badLength(max: Int)
        /// Host bits are set: the text probably meant `suggested`.
        case hostBitsSet(suggested: Prefix)
    }

    /// Parses `address/length` strictly: host bits must be zero.
    public static func parse(_ text: String) -> Result<Prefix, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(.notCIDR) }
        guard let address = IPAddress(parts[0]) else { return .failure(.badAddress) }
        let maxLength = address.family.bitWidth
        guard let length = Int(parts[1]), parts[1].allSatisfy(\.isNumber), (0...maxLength).contains(length) else {
            return .failure(.badLength(max: maxLength))
        }
        let prefix = Prefix(containing: address, length: length)
        if prefix.network != address { return .failure(.hostBitsSet(suggested: prefix)) }
        return .success(prefix)
    }

    public init?(_ text: String) {
        guard case .success(let prefix) = Self.parse(text) else { return nil }
        self = prefix
    }

    /// The prefix of `length` bits that contains `address` (host bits cleared).
    public init(containing address: IPAddress, length: Int) {
        let (maskHigh, maskLow) = Self.mask(family: address.family, length: length)
        network = IPAddress(family: address.family, high: address.high & maskHigh, low: address.low & maskLow)
        self.length = length
    }

    public var family: IPAddress.Family { network.family }

    /// The last address in the prefix (the broadcast address for IPv4).
    public var last: IPAddress {
        let (maskHigh, maskLow) = Self.mask(family: family, length: length)
        return IPAddress(family: family, high: network.high | ~maskHigh, low: network.low | ~maskLow)
    }

    /// Number of addresses, saturating at `UInt64.max` for very large IPv6 prefixes.
    public var size: UInt64 {
        let hostBits = family.bitWidth - length
        return hostBits >= 64 ? .max : (UInt64(1) << UInt64(hostBits))
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && network <= address && address <= last
    }

    public func contains(_ other: Prefix) -> Bool {
        other.family == family && other.length >= length && contains(other.network)
    }

    public func overlaps(_ other: Prefix) -> Bool {
        contains(other) || other.contains(self)
    }

    public static func < (lhs: Prefix, rhs: Prefix) -> Bool {
        (lhs.network, lhs.length) < (rhs.network, rhs.length)
    }

    public var description: String { "\(network)/\(length)" }

    static func mask(family: IPAddress.Family, length: Int) -> (UInt64, UInt64) {
        switch family {
        case .v4:
            let m: UInt64 = length == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - length)) & 0xFFFF_FFFF
            return (0, m)
        case .v6:
            let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length))
            let lowBits = max(0, length - 64)
            let low: UInt64 = lowBits == 0 ? 0 : (lowBits >= 64 ? .max : ~UInt64(0) << UInt64(64 - lowBits))
            return (high, low)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let prefix = Prefix(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a CIDR prefix: \(text)")
        }
        self = prefix
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An inclusive range of addresses of one family, e.g. a pool's reserved range.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    public let first: IPAddress
    public let last: IPAddress

    public init?(first: IPAddress, last: IPAddress) {
        guard first.family == last.family, first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// Parses `a.b.c.d`, `first-last` or a CIDR prefix.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("/") {
            guard let prefix = Prefix(trimmed) else { return nil }
            self.init(first: prefix.network, last: prefix.last)
        } else if let dash = trimmed.firstIndex(of: "-") {
            let a = trimmed[..<dash].trimmingCharacters(in: .whitespaces)
            let b = trimmed[trimmed.index(after: dash)...].trimmingCharacters(in: .whitespaces)
            guard let first = IPAddress(a), let last = IPAddress(b) else { return nil }
            self.init(first: first, last: last)
        } else {
            guard let single = IPAddress(trimmed) else { return nil }
            self.init(first: single, last: single)
        }
    }

    public func contains(_ address: IPAddress) -> Bool { first <= address && address <= last }

    public var description: String { first == last ? first.description : "\(first)-\(last)" }
}
