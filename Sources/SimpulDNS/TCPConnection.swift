import Glibc
import SimpulCore

/// One blocking TCP connection to a DNS server, with two-byte length framing and a limit on every
/// call: the synchronous methods' transport. The async ones use ``DNSChannel`` over SwiftNIO.
final class TCPConnection {
    let server: String
    let fd: Int32
    let timeout: Duration

    init(server: String, timeout: Duration) throws(DNSPushError) {
        self.server = server
        self.timeout = timeout
        guard let (address, port) = DNSClient.address(of: server) else { throw .badServer(server) }
        var storage = sockaddr_storage()
        var length: socklen_t
        switch address.family {
        case .v4:
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = address.v4Value!.bigEndian
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: &sin) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
        case .v6:
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16)
            for word in [address.high, address.low] { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) } }
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: bytes) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: &sin6) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
        }
        let fd = socket(address.family == .v4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unreachable(server: server, reason: String(cString: strerror(errno))) }
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // Connect without blocking, then wait for it with poll so a dead host cannot hang us.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
        if rc != 0 {
            guard errno == EINPROGRESS else {
                let reason = String(cString: strerror(errno))
                Glibc.close(fd)
                throw .unreachable(server: server, reason: reason)
            }
            guard try wait(Int16(POLLOUT)) else {
                Glibc.close(fd)
                throw .timeout(server: server)
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 {
                Glibc.close(fd)
                throw .unreachable(server: server, reason: String(cString: strerror(error)))
            }
        }
    }

    private func wait(_ events: Int16) throws(DNSPushError) -> Bool {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        let ms = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let n = poll(&pfd, 1, ms)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .unreachable(server: server, reason: String(cString: strerror(errno))) }
            return n > 0
        }
    }

    func send(_ message: [UInt8], server: String) throws(DNSPushError) {
        var framed: [UInt8] = [UInt8(message.count >> 8), UInt8(message.count & 0xFF)]
        framed += message
        var sent = 0
        while sent < framed.count {
            guard try wait(Int16(POLLOUT)) else { throw .timeout(server: server) }
            let n = framed[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .unreachable(server: server, reason: String(cString: strerror(errno)))
            }
            sent += n
        }
    }

    func receive(server: String) throws(DNSPushError) -> [UInt8] {
        let header = try read(2, server: server)
        return try read(Int(header[0]) << 8 | Int(header[1]), server: server)
    }

    private func read(_ count: Int, server: String) throws(DNSPushError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            guard try wait(Int16(POLLIN)) else { throw .timeout(server: server) }
            let n = buffer[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .unreachable(server: server, reason: String(cString: strerror(errno)))
            }
            if n == 0 { throw .unreachable(server: server, reason: "connection closed") }
            got += n
        }
        return buffer
    }

    func close() { Glibc.close(fd) }
}
