import Foundation
import Glibc
import SimpulCore

/// Opens the ICMP sockets the echo engine sends on: the seam between the engine's choice of
/// socket (``ICMPAccess``) and the system, so a test can count what is opened, or answer as a
/// system without the permission would.
public protocol ICMPSocketOpening: Sendable {
    /// A new non-blocking socket of `kind` for `family`, or the error the system gave.
    func open(_ kind: ICMPSocketKind, family: IPAddress.Family) -> Result<Int32, SystemCallError>
    /// What the system says about this process and ping, for the "not permitted" message.
    func permission() -> PingPermission
}

/// The system's own sockets.
public struct SystemICMPSockets: ICMPSocketOpening {
    public init() {}

    public func open(_ kind: ICMPSocketKind, family: IPAddress.Family) -> Result<Int32, SystemCallError> {
        let domain = family == .v4 ? AF_INET : AF_INET6
        let type = Int32((kind == .datagram ? SOCK_DGRAM : SOCK_RAW).rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let proto = Int32(family == .v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6)
        do {
            return .success(try SystemCall.check("socket(\(kind.rawValue))") { socket(domain, type, proto) })
        } catch {
            return .failure(error)
        }
    }

    /// The process's groups, `net.ipv4.ping_group_range` (of the calling thread's network
    /// namespace) and CAP_NET_RAW from `/proc/self/status`; what cannot be read is left out.
    public func permission() -> PingPermission {
        var groups = [UInt32(getegid())]
        let count = getgroups(0, nil)
        if count > 0 {
            var list = [gid_t](repeating: 0, count: Int(count))
            let read = getgroups(count, &list)
            if read > 0 { groups += list.prefix(Int(read)).map { UInt32($0) } }
        }
        var unique: [UInt32] = []
        for group in groups where !unique.contains(group) { unique.append(group) }
        let range = Self.smallFile("/proc/sys/net/ipv4/ping_group_range").flatMap(PingGroupRange.init(parsing:))
        let netRaw = Self.smallFile("/proc/self/status").flatMap(ProcessCapabilities.hasNetRaw(status:))
        return PingPermission(groups: unique, pingGroupRange: range, hasNetRaw: netRaw)
    }

    /// A file of /proc, read whole when it is small (at most 64 KiB).
    static func smallFile(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65_536) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ICMPOpenResult {
    /// What a failed `socket()` call means for the choice of socket.
    init(_ error: SystemCallError) {
        switch error.errno {
        case EACCES, EPERM: self = .denied
        case EPROTONOSUPPORT, ESOCKTNOSUPPORT: self = .unsupported
        default: self = .failed(reason: error.reason)
        }
    }
}

/// An open ICMP socket of the engine's, ready to send on.
struct ICMPSocket {
    let fd: Int32
    let kind: ICMPSocketKind
    let family: IPAddress.Family
    /// The echo identifier of this socket's requests: the kernel's choice for a datagram socket
    /// (its local port), the engine's for a raw one.
    let identifier: UInt16

    /// A raw IPv4 socket reads the IP header before the ICMP message.
    var readsIPHeader: Bool { kind == .raw && family == .v4 }

    /// What the engine may do for `family`: a socket, or why there is none.
    enum Opened {
        case socket(ICMPSocket)
        case notPermitted(PingPermission)
        case unavailable(reason: String)
    }

    /// The datagram socket if the system allows it, else a raw one, else why not (``ICMPAccess``).
    static func open(_ family: IPAddress.Family, with opener: any ICMPSocketOpening) -> Opened {
        var kind = ICMPSocketKind.datagram
        var (result, socket) = attempt(.datagram, family, opener)
        var next = ICMPAccess.afterDatagram(result)
        if next == .tryRaw {
            kind = .raw
            (result, socket) = attempt(.raw, family, opener)
            next = ICMPAccess.afterRaw(result)
        }
        switch next {
        case .use:
            if let socket { return .socket(socket) }
            return .unavailable(reason: "no ICMP socket")
        case .notPermitted:
            return .notPermitted(opener.permission())
        case .unavailable(let reason):
            return .unavailable(reason: "\(family == .v4 ? "ICMP" : "ICMPv6") \(kind.rawValue) socket: \(reason)")
        case .tryRaw:
            return .unavailable(reason: "no ICMP socket")
        }
    }

    /// Opens and sets up one socket; a socket that cannot be set up is closed and its error given.
    private static func attempt(_ kind: ICMPSocketKind, _ family: IPAddress.Family, _ opener: any ICMPSocketOpening) -> (ICMPOpenResult, ICMPSocket?) {
        let fd: Int32
        switch opener.open(kind, family: family) {
        case .success(let opened): fd = opened
        case .failure(let error): return (ICMPOpenResult(error), nil)
        }
        do {
            let identifier = try kind == .datagram ? setUpDatagram(fd, family) : setUpRaw(fd, family)
            return (.opened, ICMPSocket(fd: fd, kind: kind, family: family, identifier: identifier))
        } catch {
            close(fd)
            return (.failed(reason: error.description), nil)
        }
    }

    /// Binds to any local address, port 0, so the kernel picks the identifier, and reads it back;
    /// asks for ICMP errors on the error queue (an unconnected socket hears of them no other way).
    private static func setUpDatagram(_ fd: Int32, _ family: IPAddress.Family) throws(SystemCallError) -> UInt16 {
        let any = family == .v4 ? IPAddress(v4: 0) : IPAddress(v6High: 0, low: 0)
        try KernelAddress.with(any) { address, length throws(SystemCallError) -> Void in
            try SystemCall.check("bind") { bind(fd, address, length) }
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) -> Void in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) -> Void in
                try SystemCall.check("getsockname") { getsockname(fd, address, &length) }
            }
        }
        guard let local = withUnsafeBytes(of: &storage, { KernelAddress.read($0.baseAddress!, length: length) }) else {
            throw SystemCallError(call: "getsockname", errno: EAFNOSUPPORT)
        }
        if family == .v4 {
            try SystemCall.setOption(fd, Int32(IPPROTO_IP), IP_RECVERR, 1, "IP_RECVERR")
        } else {
            try SystemCall.setOption(fd, Int32(IPPROTO_IPV6), IPV6_RECVERR, 1, "IPV6_RECVERR")
        }
        try? SystemCall.setOption(fd, SOL_SOCKET, SO_RCVBUF, receiveBuffer, "SO_RCVBUF")
        return local.port
    }

    /// A raw socket takes an identifier of the engine's choosing and a filter that lets through
    /// only echo replies and the errors an echo can draw, as it would otherwise read every ICMP
    /// packet the host receives.
    private static func setUpRaw(_ fd: Int32, _ family: IPAddress.Family) throws(SystemCallError) -> UInt16 {
        switch family {
        case .v4:
            // Linux's ICMP_FILTER (level SOL_RAW): a set bit blocks that type.
            var blocked: UInt32 = ~(1 << 0 | 1 << 3 | 1 << 11 | 1 << 12)
            try SystemCall.check("setsockopt(ICMP_FILTER)") {
                setsockopt(fd, solRaw, icmpFilter, &blocked, socklen_t(MemoryLayout<UInt32>.size))
            }
        case .v6:
            // RFC 3542's ICMP6_FILTER: 256 bits, a set bit blocks that type.
            var blocked = [UInt32](repeating: .max, count: 8)
            for type in [1, 2, 3, 4, Int(ICMPPacket.echoReplyV6)] { blocked[type >> 5] &= ~(UInt32(1) << UInt32(type & 31)) }
            try SystemCall.check("setsockopt(ICMP6_FILTER)") {
                setsockopt(fd, Int32(IPPROTO_ICMPV6), icmp6Filter, &blocked, socklen_t(32))
            }
        }
        try? SystemCall.setOption(fd, SOL_SOCKET, SO_RCVBUF, receiveBuffer, "SO_RCVBUF")
        return UInt16.random(in: 1...UInt16.max)
    }

    /// Room for a burst of replies when many checks go out at once.
    private static let receiveBuffer: Int32 = 1 << 18
    // Linux's values (linux/icmp.h, netinet/icmp6.h), which Glibc's module does not bring in.
    private static let solRaw: Int32 = 255
    private static let icmpFilter: Int32 = 1
    private static let icmp6Filter: Int32 = 1
}
