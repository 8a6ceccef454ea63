import Glibc
import Foundation
import SimpulCore

/// RFC 2136 updates, queries and AXFR over TCP (RFC 7766), each request signed with TSIG
/// (RFC 8945, HMAC-SHA256) and each answer's signature checked. The key is read from the file the
/// admin points to on every use, so a rotated key takes effect without a restart, and it is never
/// logged or stored.
public struct DNSClient: DNSUpdater {
    public let keyFile: String?
    public let timeout: Duration

    public init(keyFile: String?, timeout: Duration = .seconds(3)) {
        self.keyFile = keyFile
        self.timeout = timeout
    }

    public func update(_ update: ZoneUpdate) throws(DNSPushError) {
        let endpoint = update.endpoint
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max), opcode: .update)
        let zone = WireName(endpoint.zone)
        message.questions = [.init(name: zone, type: DNSType.soa)]
        var changes: [WireRecord] = []
        for record in update.deletes {
            guard var wire = WireRecord(record) else { continue }
            wire.rclass = DNSClass.none
            wire.ttl = 0
            changes.append(wire)
        }
        for record in update.adds {
            guard let wire = WireRecord(record) else { continue }
            changes.append(wire)
        }
        changes.append(WireRecord(name: zone, type: DNSType.soa, ttl: 3600, rdata: update.soa.rdata))
        message.authority = changes
        let connection = try open(endpoint)
        defer { connection.close() }
        var session = try session(for: endpoint)
        let answer = try exchange(connection, message, session: &session)
        guard answer.rcode == 0 else { throw .rcode(server: endpoint.server, code: UInt16(answer.rcode)) }
    }

    public func query(_ endpoint: ZoneEndpoint, name: DomainName, type: RecordType) throws(DNSPushError) -> [DNSRecord] {
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max))
        message.questions = [.init(name: WireName(name), type: DNSType.number(type))]
        let connection = try open(endpoint)
        defer { connection.close() }
        var session = try session(for: endpoint)
        let answer = try exchange(connection, message, session: &session)
        guard answer.rcode == 0 || answer.rcode == 3 else { throw .rcode(server: endpoint.server, code: UInt16(answer.rcode)) }
        return answer.answers.compactMap { $0.type == DNSType.number(type) && $0.name == WireName(name) ? $0.record : nil }
    }

    public func transfer(_ endpoint: ZoneEndpoint) throws(DNSPushError) -> (soa: SOAData?, records: [DNSRecord]) {
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max))
        message.questions = [.init(name: WireName(endpoint.zone), type: DNSType.axfr)]
        let connection = try open(endpoint)
        defer { connection.close() }
        var session = try session(for: endpoint)
        var answer = try exchange(connection, message, session: &session)
        var soa: SOAData?
        var records: [DNSRecord] = []
        var soaSeen = 0
        while true {
            guard answer.rcode == 0 else { throw .rcode(server: endpoint.server, code: UInt16(answer.rcode)) }
            for wire in answer.answers {
                if wire.type == DNSType.soa {
                    soaSeen += 1
                    if soa == nil { soa = SOAData(rdata: wire.rdata) }
                } else if let record = wire.record {
                    records.append(record)
                }
            }
            // An AXFR ends with the zone's SOA a second time (RFC 5936 2.2).
            if soaSeen >= 2 { break }
            guard soaSeen >= 1 || !answer.answers.isEmpty else { throw .malformed(server: endpoint.server) }
            let bytes = try connection.receive(server: endpoint.server)
            do { answer = try session.verify(bytes, now: Self.now()) } catch { throw .tsig(server: endpoint.server, error) }
        }
        guard session.endsSigned else { throw .tsig(server: endpoint.server, .unsigned) }
        return (soa, records)
    }

    // MARK: Plumbing

    func session(for endpoint: ZoneEndpoint) throws(DNSPushError) -> TSIGSession {
        guard let keyFile else { throw .noKeyFile }
        let text: String
        do { text = try String(contentsOfFile: keyFile, encoding: .utf8) } catch {
            throw .keyFile(path: keyFile, reason: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
        }
        do { return TSIGSession(key: try TSIGKey.parse(bindKeyFile: text, name: endpoint.keyName)) } catch { throw .key(error) }
    }

    func exchange(_ connection: TCPConnection, _ message: DNSMessage, session: inout TSIGSession) throws(DNSPushError) -> DNSMessage {
        let server = connection.server
        try connection.send(session.sign(message, at: Self.now()), server: server)
        let bytes = try connection.receive(server: server)
        do {
            let answer = try session.verify(bytes, now: Self.now())
            guard answer.id == message.id, answer.isResponse else { throw DNSPushError.malformed(server: server) }
            return answer
        } catch let error as TSIGError {
            // A server that refuses the key answers unsigned with NOTAUTH and BADKEY/BADSIG inside.
            if case .unsigned = error, let plain = try? DNSMessage.decode(bytes).message, plain.rcode != 0 {
                throw .rcode(server: server, code: UInt16(plain.rcode))
            }
            throw .tsig(server: server, error)
        } catch let error as DNSPushError {
            throw error
        } catch {
            throw .malformed(server: server)
        }
    }

    static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    func open(_ endpoint: ZoneEndpoint) throws(DNSPushError) -> TCPConnection {
        try TCPConnection(server: endpoint.server, timeout: timeout)
    }
}

/// One TCP connection to a DNS server, with two-byte length framing and a deadline on every call.
final class TCPConnection {
    let server: String
    let fd: Int32
    let timeout: Duration

    init(server: String, timeout: Duration) throws(DNSPushError) {
        self.server = server
        self.timeout = timeout
        guard let (address, port) = Self.split(server) else { throw .badServer(server) }
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

    /// `127.0.0.1:53`, `[::1]:5353`, or an address alone (port 53).
    static func split(_ server: String) -> (IPAddress, UInt16)? {
        if server.hasPrefix("[") {
            guard let close = server.firstIndex(of: "]"), let address = IPAddress(server[server.index(after: server.startIndex)..<close]) else { return nil }
            let rest = server[server.index(after: close)...]
            if rest.isEmpty { return (address, 53) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else { return nil }
            return (address, port)
        }
        if let address = IPAddress(server) { return (address, 53) }
        guard let colon = server.lastIndex(of: ":"), let address = IPAddress(server[..<colon]), address.family == .v4,
              let port = UInt16(server[server.index(after: colon)...]), port > 0 else { return nil }
        return (address, port)
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
