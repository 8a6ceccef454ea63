import Foundation
import Glibc
import SimpulCore
import SimpulProbe

// Rigs for the probe tests. Everything here stays on loopback: listeners on 127.0.0.1 and ::1,
// and network namespaces of the tests' own whose only interface is their own `lo`.

/// A TCP listener on a loopback address at a port the kernel picks. It never accepts: the kernel
/// completes handshakes into the accept queue, which is what a connect check needs.
final class LoopbackListener: @unchecked Sendable {
    let address: IPAddress
    let port: Int
    private let fd: Int32
    private var fillers: [Int32] = []

    init(_ address: String = "127.0.0.1", backlog: Int32 = 128) throws {
        self.address = IPAddress(address)!
        let family = self.address.family == .v4 ? AF_INET : AF_INET6
        fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RigError("socket: \(errno)") }
        port = try Self.bind(fd, self.address)
        guard listen(fd, backlog) == 0 else { close(fd); throw RigError("listen: \(errno)") }
    }

    /// Fills the accept queue (this listener should have backlog 0) until the kernel drops new
    /// SYNs: a connect to it then hears nothing, as from a server behind a firewall that drops.
    func fill() throws {
        for _ in 0..<8 {
            let client = try Self.connectNonBlocking(address, port)
            if Self.waitConnected(client, milliseconds: 300) {
                fillers.append(client)
            } else {
                close(client)
                return
            }
        }
        throw RigError("the accept queue of port \(port) did not fill")
    }

    func stop() {
        for filler in fillers { close(filler) }
        fillers.removeAll()
        close(fd)
    }

    /// A port on `address` that nothing listens on: bound by the kernel's choice, then closed.
    static func closedPort(_ address: String = "127.0.0.1") throws -> Int {
        let ip = IPAddress(address)!
        let fd = socket(ip.family == .v4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return try bind(fd, ip)
    }

    private static func bind(_ fd: Int32, _ address: IPAddress) throws -> Int {
        var storage = sockaddr_storage()
        var length: socklen_t
        if let v4 = address.v4Value {
            var socket = sockaddr_in()
            socket.sin_family = sa_family_t(AF_INET)
            socket.sin_addr.s_addr = v4.bigEndian
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: &socket) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        } else {
            var socket = sockaddr_in6()
            socket.sin6_family = sa_family_t(AF_INET6)
            socket.sin6_addr = in6addr_loopback
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: &socket) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        }
        let bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) } }
        guard bound == 0 else { throw RigError("bind: \(errno)") }
        var name = sockaddr_storage()
        var nameLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &nameLength) } }
        let port = withUnsafeBytes(of: &name) { bytes in UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }
        return Int(port)
    }

    private static func connectNonBlocking(_ address: IPAddress, _ port: Int) throws -> Int32 {
        let fd = socket(address.family == .v4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw RigError("socket: \(errno)") }
        var socket = sockaddr_in()
        socket.sin_family = sa_family_t(AF_INET)
        socket.sin_port = UInt16(port).bigEndian
        socket.sin_addr.s_addr = (address.v4Value ?? 0).bigEndian
        let result = withUnsafePointer(to: &socket) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 || errno == EINPROGRESS else { close(fd); throw RigError("connect: \(errno)") }
        return fd
    }

    private static func waitConnected(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, milliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}

/// A network namespace of the test's own (`ip netns add`), holding nothing but its `lo`: sysctls
/// set in it (ping_group_range, icmp_echo_ignore_all) and routes added to it change nothing for
/// the machine. Deleted by ``remove()``; sockets opened in it keep it alive until they close.
final class TestNamespace: @unchecked Sendable {
    let name: String
    private static let counter = NSLock()
    nonisolated(unsafe) private static var next = 0

    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") }

    /// A namespace with `lo` up (unless `loopbackUp` is false) and the given sysctls and local routes.
    init(loopbackUp: Bool = true, sysctls: [String] = [], unreachable: [String] = []) throws {
        let number = Self.counter.withLock { () -> Int in
            Self.next += 1
            return Self.next
        }
        name = "simpul-probe-\(getpid())-\(number)"
        try Self.ip(["netns", "add", name])
        do {
            if loopbackUp { try Self.ip(["-n", name, "link", "set", "lo", "up"]) }
            for setting in sysctls { try Self.ip(["netns", "exec", name, "sysctl", "-qw", setting]) }
            for address in unreachable { try Self.ip(["-n", name, "route", "add", "unreachable", address, "table", "local"]) }
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        try? Self.ip(["netns", "delete", name])
    }

    var path: String { "/run/netns/\(name)" }

    private static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw RigError("ip \(arguments.joined(separator: " ")): \(message)")
        }
    }
}

/// Opens the engine's ICMP sockets inside a ``TestNamespace``: each call runs on a thread of its
/// own that enters the namespace (`setns`) and ends, so no other thread's namespace changes.
struct NamespaceSockets: ICMPSocketOpening {
    let path: String

    func open(_ kind: ICMPSocketKind, family: IPAddress.Family) -> Result<Int32, SystemCallError> {
        switch inNamespace({ SystemICMPSockets().open(kind, family: family) }) {
        case .success(let result): result
        case .failure(let error): .failure(error)
        }
    }

    func permission() -> PingPermission {
        (try? inNamespace { SystemICMPSockets().permission() }.get()) ?? PingPermission(groups: [], pingGroupRange: nil, hasNetRaw: nil)
    }

    private typealias SetNS = @convention(c) (Int32, Int32) -> Int32
    private static let setns: SetNS? = dlsym(nil, "setns").map { unsafeBitCast($0, to: SetNS.self) }
    private static let newNetwork: Int32 = 0x4000_0000 // CLONE_NEWNET

    private func inNamespace<T: Sendable>(_ body: @escaping @Sendable () -> T) -> Result<T, SystemCallError> {
        let box = ResultBox<Result<T, SystemCallError>>()
        let path = self.path
        let thread = Thread {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return box.put(.failure(SystemCallError(call: "open(\(path))", errno: errno))) }
            defer { close(fd) }
            guard let setns = Self.setns, setns(fd, Self.newNetwork) == 0 else {
                return box.put(.failure(SystemCallError(call: "setns", errno: errno)))
            }
            box.put(.success(body()))
        }
        thread.start()
        return box.take()
    }
}

/// A raw ICMP socket of the test's own in a ``TestNamespace``: it watches for the engine's echo
/// request to 127.0.0.1 and sends replies of the test's making back to it.
final class Forger: @unchecked Sendable {
    struct Request {
        let identifier: UInt16
        let sequence: UInt16
        let payload: [UInt8]
        /// The whole packet as it was on `lo`, IP header first: what an ICMP error about it quotes.
        let packet: [UInt8]
    }

    private let watcher: Int32
    private let alternate: Int32

    init(_ sockets: NamespaceSockets) throws {
        watcher = try sockets.open(.raw, family: .v4).get()
        alternate = try sockets.open(.raw, family: .v4).get()
        // The second socket sends from 127.0.0.2: a reply from an address never asked.
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0002).bigEndian
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(alternate, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw RigError("bind 127.0.0.2: \(errno)") }
    }

    /// The first echo request with Simpul's payload marker that reaches the namespace's `lo`.
    func request() async throws -> Request {
        var buffer = [UInt8](repeating: 0, count: 2_048)
        for _ in 0..<400 {
            let count = recv(watcher, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 28 {
                let headerLength = Int(buffer[0] & 0x0F) * 4
                let icmp = Array(buffer[headerLength..<count])
                if icmp.count >= 16, icmp[0] == 8, Array(icmp[8..<14]) == Array("simpul".utf8) {
                    return Request(identifier: UInt16(icmp[4]) << 8 | UInt16(icmp[5]), sequence: UInt16(icmp[6]) << 8 | UInt16(icmp[7]),
                                   payload: Array(icmp[8...]), packet: Array(buffer[0..<count]))
                }
                continue
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw RigError("no echo request seen")
    }

    /// Sends `message` (an ICMP message; the kernel adds the IP header) to 127.0.0.1.
    func send(_ message: [UInt8], from source: IPAddress? = nil) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let fd = source == nil ? watcher : alternate
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard sent == message.count else { throw RigError("sendto: \(errno)") }
    }

    func close() {
        Glibc.close(watcher)
        Glibc.close(alternate)
    }
}

/// Records every socket the engine asks for, and answers some kinds as a system without the
/// permission would (`EACCES` for the datagram socket, `EPERM` for the raw one) without asking
/// the system; the rest go to `base`.
final class RecordingOpener: ICMPSocketOpening, @unchecked Sendable {
    struct Attempt: Hashable {
        let kind: ICMPSocketKind
        let family: IPAddress.Family
        let opened: Bool
    }

    private let base: any ICMPSocketOpening
    private let refused: Set<ICMPSocketKind>
    private let facts: PingPermission?
    private let lock = NSLock()
    private var recorded: [Attempt] = []

    init(_ base: any ICMPSocketOpening = SystemICMPSockets(), refusing refused: Set<ICMPSocketKind> = [], facts: PingPermission? = nil) {
        self.base = base
        self.refused = refused
        self.facts = facts
    }

    var attempts: [Attempt] { lock.withLock { recorded } }

    func open(_ kind: ICMPSocketKind, family: IPAddress.Family) -> Result<Int32, SystemCallError> {
        let result: Result<Int32, SystemCallError> = refused.contains(kind)
            ? .failure(SystemCallError(call: "socket", errno: kind == .datagram ? EACCES : EPERM))
            : base.open(kind, family: family)
        let opened = (try? result.get()) != nil
        lock.withLock { recorded.append(Attempt(kind: kind, family: family, opened: opened)) }
        return result
    }

    func permission() -> PingPermission { facts ?? base.permission() }
}

/// Passes checks on to a real transport and counts them by address: what reached the network.
final class CountingTransport: ProbeTransport, @unchecked Sendable {
    private let base: any ProbeTransport
    private let lock = NSLock()
    private var seen: [IPAddress] = []

    init(_ base: any ProbeTransport) { self.base = base }

    var addresses: [IPAddress] { lock.withLock { seen } }

    func echo(_ address: IPAddress, timeout: Duration) async -> ProbeOutcome {
        lock.withLock { seen.append(address) }
        return await base.echo(address, timeout: timeout)
    }

    func connect(_ address: IPAddress, port: Int, timeout: Duration) async -> ProbeOutcome {
        lock.withLock { seen.append(address) }
        return await base.connect(address, port: port, timeout: timeout)
    }

    func shutdown() async { await base.shutdown() }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: T?

    func put(_ value: T) {
        self.value = value
        done.signal()
    }

    func take() -> T {
        done.wait()
        return value!
    }
}

struct RigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The time `body` took, with its result.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, start.duration(to: .now))
}
