import Foundation

/// The two ways Linux lets a process send ICMP echo.
public enum ICMPSocketKind: String, Sendable, Hashable, CaseIterable {
    /// `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`: no privilege needed when one of the process's
    /// groups lies in `net.ipv4.ping_group_range`. The kernel chooses the identifier and hands the
    /// socket only the replies to it.
    case datagram
    /// `SOCK_RAW`: needs CAP_NET_RAW, and sees every ICMP packet the host receives.
    case raw
}

/// What opening one kind of ICMP socket did.
public enum ICMPOpenResult: Sendable, Hashable {
    case opened
    /// Refused for lack of permission (`EACCES`, `EPERM`).
    case denied
    /// This kernel has no such socket (`EPROTONOSUPPORT`, `ESOCKTNOSUPPORT`).
    case unsupported
    /// Anything else, in the operating system's words.
    case failed(reason: String)
}

/// Which ICMP socket a prober uses: the unprivileged datagram socket first, a raw socket when
/// that is refused, and "not permitted" — with what to change — when both are. Pure, so the
/// decision and its wording are tested without changing the system.
public enum ICMPAccess {
    public enum Next: Sendable, Hashable {
        case use(ICMPSocketKind)
        case tryRaw
        case notPermitted
        /// The family cannot do ICMP here at all (IPv6 switched off, no sockets left).
        case unavailable(reason: String)
    }

    /// After trying the datagram socket.
    public static func afterDatagram(_ result: ICMPOpenResult) -> Next {
        switch result {
        case .opened: .use(.datagram)
        case .denied, .unsupported: .tryRaw
        case .failed(let reason): .unavailable(reason: reason)
        }
    }

    /// After trying the raw socket, the datagram socket having been refused.
    public static func afterRaw(_ result: ICMPOpenResult) -> Next {
        switch result {
        case .opened: .use(.raw)
        case .denied: .notPermitted
        case .unsupported: .unavailable(reason: "this kernel offers no ICMP socket")
        case .failed(let reason): .unavailable(reason: reason)
        }
    }
}

/// What the system says about this process and ping, for the "not permitted" message: its groups,
/// `net.ipv4.ping_group_range`, and whether it holds CAP_NET_RAW (nil where it could not be read).
public struct PingPermission: Sendable, Hashable {
    public var groups: [UInt32]
    public var pingGroupRange: PingGroupRange?
    public var hasNetRaw: Bool?

    public init(groups: [UInt32], pingGroupRange: PingGroupRange?, hasNetRaw: Bool?) {
        self.groups = groups
        self.pingGroupRange = pingGroupRange
        self.hasNetRaw = hasNetRaw
    }

    /// Whether the datagram socket should be allowed, as far as the facts tell.
    public var datagramAllowed: Bool? {
        pingGroupRange.map { range in groups.contains { range.includes($0) } }
    }

    /// Why ping is not allowed and what to change.
    public var text: Text {
        let groupList = groups.isEmpty ? "?" : groups.map(String.init).joined(separator: ", ")
        var facts: [Text] = []
        if let range = pingGroupRange {
            let state = range.isEmpty
                ? Text(id: "\(range) (kosong: tak satu grup pun)", en: "\(range) (empty: no group at all)")
                : Text(id: "\(range)", en: "\(range)")
            facts.append(Text(id: "grup proses (\(groupList)) di luar net.ipv4.ping_group_range \(state.id)",
                              en: "the process's groups (\(groupList)) are outside net.ipv4.ping_group_range \(state.en)"))
        }
        if hasNetRaw == false {
            facts.append(Text(id: "proses tidak punya CAP_NET_RAW", en: "the process lacks CAP_NET_RAW"))
        }
        let known = facts.isEmpty ? Text(id: "", en: "")
            : Text(id: " (" + facts.map(\.id).joined(separator: "; ") + ")", en: " (" + facts.map(\.en).joined(separator: "; ") + ")")
        return Text(
            id: "sistem tidak mengizinkan proses ini mengirim ping\(known.id); atur net.ipv4.ping_group_range atau beri layanan CAP_NET_RAW (mis. sysctl -w net.ipv4.ping_group_range=\"0 2147483647\", atau AmbientCapabilities=CAP_NET_RAW di unit systemd-nya)",
            en: "the system does not let this process send ping\(known.en); set net.ipv4.ping_group_range or give the service CAP_NET_RAW (e.g. sysctl -w net.ipv4.ping_group_range=\"0 2147483647\", or AmbientCapabilities=CAP_NET_RAW in its systemd unit)")
    }
}

/// `net.ipv4.ping_group_range`: the groups that may open datagram ICMP sockets. Linux's default,
/// `1 0`, is empty; systemd sets `0 2147483647` on Debian.
public struct PingGroupRange: Sendable, Hashable, CustomStringConvertible {
    /// The kernel takes group ids up to 2^31 − 1 here.
    public static let groupIDs: ClosedRange<UInt32> = 0...2_147_483_647

    public let low: UInt32
    public let high: UInt32

    public init(low: UInt32, high: UInt32) {
        self.low = low
        self.high = high
    }

    /// Reads the file's text (`1\t0\n`): two whole numbers in the kernel's range; nil otherwise.
    public init?(parsing text: String) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count == 2,
              let low = Self.groupID(fields[0]), let high = Self.groupID(fields[1]) else { return nil }
        self.init(low: low, high: high)
    }

    private static func groupID(_ text: Substring) -> UInt32? {
        guard (1...10).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }),
              let value = UInt32(text), groupIDs.contains(value) else { return nil }
        return value
    }

    /// Empty when the low end is above the high end, as in the kernel's default.
    public var isEmpty: Bool { low > high }

    public func includes(_ group: UInt32) -> Bool { !isEmpty && low <= group && group <= high }

    public var description: String { "\"\(low) \(high)\"" }
}

/// The effective capability set of a process, from the `CapEff:` line of `/proc/self/status`.
public enum ProcessCapabilities {
    /// CAP_NET_RAW's bit.
    public static let netRawBit = 13

    /// Whether `CapEff` includes CAP_NET_RAW; nil when the text has no readable `CapEff` line
    /// (exactly 16 hex digits, as the kernel writes it).
    public static func hasNetRaw(status text: String) -> Bool? {
        for line in text.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let value = line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces)
            guard value.utf8.count == 16, value.allSatisfy(\.isHexDigit), let bits = UInt64(value, radix: 16) else { return nil }
            return bits & (1 << UInt64(netRawBit)) != 0
        }
        return nil
    }
}
