import Foundation
import Glibc
import Testing
import SimpulCore
import SimpulDNS
import SimpulTestRigs

/// The DNS client against a real named on 127.0.0.1: signed updates, queries and transfers.
@Suite("DNS client against named", .serialized, .timeLimit(.minutes(1)))
final class DNSClientTests {
    let named: NamedServer
    let forward = DomainName("contohkab.go.id")!
    let reverse = DomainName("0.20.10.in-addr.arpa")!

    init() throws {
        named = try NamedServer(zones: ["contohkab.go.id", "0.20.10.in-addr.arpa"])
    }

    deinit { named.stop() }

    var client: DNSClient { DNSClient(keyFile: named.keyFile) }
    func endpoint(_ zone: DomainName) -> ZoneEndpoint { ZoneEndpoint(zone: zone, server: named.server, keyName: named.keyName) }
    func soa(_ serial: UInt32) -> SOAData {
        SOAData(primaryNS: WireName(text: "ns1.contohkab.go.id")!, mailbox: SOAData.mailbox(fromEmail: "hostmaster@contohkab.go.id")!, serial: serial)
    }
    func record(_ name: String, _ type: RecordType, _ data: String) -> DNSRecord {
        DNSRecord(name: DomainName(name)!, type: type, ttl: 600, data: data)
    }

    @Test func signedUpdateAddsAndDeletesAndSetsTheSerial() async throws {
        let a = record("sikd.contohkab.go.id", .a, "10.20.0.15")
        let ptr = record("15.0.20.10.in-addr.arpa", .ptr, "sikd.contohkab.go.id")
        let txt = record("sikd.contohkab.go.id", .txt, "owner=DINKES; \"quoted\" and a long tail " + String(repeating: "x", count: 300))
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112101), deletes: [], adds: [a, txt]), deadline: self.soon())
        try await client.update(ZoneUpdate(endpoint: endpoint(reverse), soa: soa(2026112101), deletes: [], adds: [ptr]), deadline: self.soon())

        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.15"])
        #expect(try named.dig(["-x", "10.20.0.15"]) == ["sikd.contohkab.go.id."])
        #expect(try named.dig(["SOA", "contohkab.go.id"]).first?.contains(" 2026112101 ") == true)
        #expect(try await client.query(endpoint(forward), name: a.name, type: .a, deadline: self.soon()) == [a])
        #expect(try await client.query(endpoint(reverse), name: ptr.name, type: .ptr, deadline: self.soon()) == [ptr])
        #expect(try await client.query(endpoint(forward), name: a.name, type: .txt, deadline: self.soon()).map(\.data) == [txt.data])
        #expect(try await client.query(endpoint(forward), name: DomainName("nothing.contohkab.go.id")!, type: .a, deadline: self.soon()).isEmpty)

        let zone = try await client.transfer(endpoint(forward), deadline: self.soon())
        #expect(zone.soa?.serial == 2026112101)
        #expect(Set(zone.records.map(\.description)).isSuperset(of: [a.description, txt.description]))
        #expect(zone.records.contains { $0.name.description == "ns1.contohkab.go.id" && $0.type == .a })

        let moved = record("sikd.contohkab.go.id", .a, "10.20.0.16")
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112102), deletes: [a], adds: [moved]), deadline: self.soon())
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.16"])
        #expect(try await client.transfer(endpoint(forward), deadline: self.soon()).soa?.serial == 2026112102)
    }

    @Test func anUnknownKeyNameIsRefused() async throws {
        let other = named.directory.appendingPathComponent("other.key")
        try "key \"someone-else\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(Data(repeating: 1, count: 32).base64EncodedString())\";\n};\n"
            .write(to: other, atomically: true, encoding: .utf8)
        let wrongName = ZoneEndpoint(zone: forward, server: named.server, keyName: "someone-else")
        await #expect {
            try await DNSClient(keyFile: other.path).update(ZoneUpdate(endpoint: wrongName, soa: soa(5), deletes: [], adds: []), deadline: self.soon())
        } throws: { error in
            (error as? DNSPushError)?.text.en.contains("BADKEY") == true || (error as? DNSPushError)?.text.en.contains("NOTAUTH") == true
        }
        // The key file does not hold the key the zone names.
        await #expect(throws: DNSPushError.key(.named("simpul-update", found: ["someone-else"]))) {
            try await DNSClient(keyFile: other.path).query(self.endpoint(self.forward), name: self.forward, type: .a, deadline: self.soon())
        }
    }

    @Test func aServerThatIsNotThereIsReportedAsUnreachable() async throws {
        // Nothing listens on port 1 of the loopback address.
        let nowhere = ZoneEndpoint(zone: forward, server: "127.0.0.1:1", keyName: named.keyName)
        await #expect {
            try await client.query(nowhere, name: forward, type: .a, deadline: self.soon())
        } throws: { error in
            guard case .unreachable(let server, _) = error as? DNSPushError else { return false }
            return server == "127.0.0.1:1"
        }
        await #expect(throws: DNSPushError.badServer("ns1.example:53")) {
            try await self.client.query(ZoneEndpoint(zone: self.forward, server: "ns1.example:53", keyName: nil), name: self.forward, type: .a, deadline: self.soon())
        }
        await #expect(throws: DNSPushError.noKeyFile) {
            try await DNSClient(keyFile: nil).query(self.endpoint(self.forward), name: self.forward, type: .a, deadline: self.soon())
        }
    }

    // MARK: The async API, over SwiftNIO

    func soon(_ duration: Duration = .seconds(5)) -> ContinuousClock.Instant { .now + duration }

    @Test func asyncUpdateThenQueryConfirms() async throws {
        let a = record("simpeg.contohkab.go.id", .a, "10.20.0.21")
        let txt = record("simpeg.contohkab.go.id", .txt, "owner=BKPSDM; " + String(repeating: "y", count: 300))
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112201), deletes: [], adds: [a, txt]), deadline: soon())

        #expect(try named.dig(["A", "simpeg.contohkab.go.id"]) == ["10.20.0.21"])
        #expect(try await client.query(endpoint(forward), name: a.name, type: .a, deadline: soon()) == [a])
        #expect(try await client.query(endpoint(forward), name: a.name, type: .txt, deadline: soon()).map(\.data) == [txt.data])
        #expect(try await client.query(endpoint(forward), name: DomainName("nothing.contohkab.go.id")!, type: .a, deadline: soon()).isEmpty)

        let moved = record("simpeg.contohkab.go.id", .a, "10.20.0.22")
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112202), deletes: [a], adds: [moved]), deadline: soon())
        #expect(try await client.query(endpoint(forward), name: a.name, type: .a, deadline: soon()) == [moved])
        #expect(try named.dig(["SOA", "contohkab.go.id"]).first?.contains(" 2026112202 ") == true)
    }

    @Test func asyncTransferReadsEveryMessageUntilTheClosingSOA() async throws {
        // Enough records that named sends the zone in several messages (its transfer-message-size is 20480).
        let bulk = (0..<300).map { record("r\($0).contohkab.go.id", .txt, "bulk \($0) " + String(repeating: "z", count: 100)) }
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112301), deletes: [], adds: bulk), deadline: soon())
        #expect(try axfrMessages() > 1)

        let zone = try await client.transfer(endpoint(forward), deadline: soon())
        #expect(zone.soa?.serial == 2026112301)
        #expect(Set(zone.records.map(\.description)).isSuperset(of: bulk.map(\.description)))
        #expect(zone.records.contains { $0.name.description == "ns1.contohkab.go.id" && $0.type == .a })

        // The same through a proxy that hands named's bytes on in small pieces: lengths and messages
        // split across reads, and several in one.
        let proxy = try DribblingProxy(to: named.port)
        let dribbled = try await client.transfer(ZoneEndpoint(zone: forward, server: proxy.server, keyName: named.keyName), deadline: soon(.seconds(20)))
        #expect(dribbled.soa == zone.soa)
        #expect(dribbled.records.map(\.description) == zone.records.map(\.description))
        #expect(proxy.piecesSent > 10)
    }

    @Test func asyncUpdateWithAWrongSecretIsRefusedWithTheTSIGError() async throws {
        let bad = named.directory.appendingPathComponent("wrong.key")
        try "key \"simpul-update\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(Data(repeating: 7, count: 32).base64EncodedString())\";\n};\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let update = ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112101), deletes: [], adds: [record("y.contohkab.go.id", .a, "10.20.0.9")])
        let error = await #expect(throws: DNSPushError.self) {
            try await DNSClient(keyFile: bad.path).update(update, deadline: self.soon())
        }
        // named answers with BADSIG in its TSIG record.
        #expect(error == .tsig(server: named.server, .server(16)))
        #expect(error.map { $0.text.en.contains("BADSIG") || $0.text.en.contains("NOTAUTH") } == true)
        #expect(try named.dig(["A", "y.contohkab.go.id"]).isEmpty)
    }

    @Test func aServerThatNeverAnswersEndsAtTheDeadline() async throws {
        let silent = try SilentListener()
        let endpoint = ZoneEndpoint(zone: forward, server: silent.server, keyName: named.keyName)
        let start = ContinuousClock.now
        await #expect(throws: DNSPushError.timeout(server: silent.server)) {
            try await self.client.query(endpoint, name: self.forward, type: .a, deadline: start + .seconds(2))
        }
        let elapsed = start.duration(to: .now)
        #expect(elapsed >= .milliseconds(1_990) && elapsed < .seconds(2) + .seconds(5), "took \(elapsed)")
        // The connection was made, the question sent, and the connection closed at the deadline.
        #expect(silent.nextConnectionWasClosed(afterReceivingAtLeast: 20))

        let transferStart = ContinuousClock.now
        await #expect(throws: DNSPushError.timeout(server: silent.server)) {
            try await self.client.transfer(endpoint, deadline: transferStart + .seconds(1))
        }
        #expect(transferStart.duration(to: .now) < .seconds(1) + .seconds(5))
        #expect(silent.nextConnectionWasClosed(afterReceivingAtLeast: 20))
    }

    @Test func cancellingTheTaskClosesTheConnectionAtOnce() async throws {
        let silent = try SilentListener()
        let endpoint = ZoneEndpoint(zone: forward, server: silent.server, keyName: named.keyName)
        let client = self.client
        let forward = self.forward
        let task = Task { try await client.query(endpoint, name: forward, type: .a, deadline: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(cancelled.duration(to: .now) < .seconds(10), "ended by the cancellation, not by its 30 s deadline")
        #expect(throws: DNSPushError.timeout(server: silent.server)) { try result.get() }
        #expect(silent.nextConnectionWasClosed(afterReceivingAtLeast: 20))
    }

    @Test func asyncCallsToNowhereOrPastTheirDeadline() async throws {
        // Nothing listens on port 1 of the loopback address: refused, reported as unreachable.
        let nowhere = ZoneEndpoint(zone: forward, server: "127.0.0.1:1", keyName: named.keyName)
        let refused = await #expect(throws: DNSPushError.self) {
            try await self.client.query(nowhere, name: self.forward, type: .a, deadline: self.soon())
        }
        #expect(refused == .unreachable(server: "127.0.0.1:1", reason: "Connection refused"))

        await #expect(throws: DNSPushError.timeout(server: named.server)) {
            try await self.client.query(self.endpoint(self.forward), name: self.forward, type: .a, deadline: .now - .milliseconds(1))
        }
        await #expect(throws: DNSPushError.badServer("ns1.example:53")) {
            try await self.client.query(ZoneEndpoint(zone: self.forward, server: "ns1.example:53", keyName: nil), name: self.forward, type: .a, deadline: self.soon())
        }
        await #expect(throws: DNSPushError.noKeyFile) {
            try await DNSClient(keyFile: nil).transfer(self.endpoint(self.forward), deadline: self.soon())
        }
    }

    @Test func manyConcurrentQueriesAllComplete() async throws {
        let hosts = (0..<20).map { record("host\($0).contohkab.go.id", .a, "10.20.1.\($0 + 1)") }
        try await client.update(ZoneUpdate(endpoint: endpoint(forward), soa: soa(2026112401), deletes: [], adds: hosts), deadline: soon())
        let client = self.client
        let endpoint = self.endpoint(forward)
        let deadline = soon(.seconds(10))
        let answers = try await withThrowingTaskGroup(of: (Int, [DNSRecord]).self) { group in
            for (i, host) in hosts.enumerated() {
                group.addTask { (i, try await client.query(endpoint, name: host.name, type: .a, deadline: deadline)) }
            }
            return try await group.reduce(into: [Int: [DNSRecord]]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 20)
        for (i, host) in hosts.enumerated() { #expect(answers[i] == [host]) }
    }

    /// How many messages named sends the forward zone's AXFR in, as dig counts them.
    func axfrMessages() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        process.arguments = ["@127.0.0.1", "-p", String(named.port), "-k", named.keyFile, "+time=2", "+tries=1", "AXFR", "contohkab.go.id"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // ";; XFR size: 305 records (messages 3, bytes 41234)"
        guard let range = output.range(of: "(messages ") else { return 0 }
        return Int(output[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }
}

// MARK: Loopback sockets for the tests

/// A TCP port on 127.0.0.1 that takes connections (the kernel completes them into the backlog) and
/// never reads or answers: a DNS server that has hung.
final class SilentListener {
    let fd: Int32
    let port: UInt16
    var server: String { "127.0.0.1:\(port)" }

    init() throws {
        (fd, port) = try Loopback.listen()
    }

    /// Accepts the next waiting connection and reads it to its end: true when the client had sent
    /// at least `count` bytes and then closed it.
    func nextConnectionWasClosed(afterReceivingAtLeast count: Int) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 2000) == 1 else { return false }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { return false }
        defer { close(connection) }
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var pfd = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 2000) == 1 else { return false }
            let n = recv(connection, &buffer, buffer.count, 0)
            if n == 0 { return received >= count }
            if n < 0 { return false }
            received += n
        }
    }

    deinit { close(fd) }
}

/// A TCP proxy on 127.0.0.1 to named's port that passes the client's bytes on as they come and
/// named's in pieces of 1 to 300 bytes with a pause between, so the client's framing sees every
/// kind of split.
final class DribblingProxy: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    var server: String { "127.0.0.1:\(port)" }
    private let counter = Counter()
    /// How many pieces named's bytes were handed on in.
    var piecesSent: Int { counter.value }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }

    init(to target: UInt16) throws {
        (fd, port) = try Loopback.listen()
        let listener = fd
        let counter = counter
        // Ends when deinit shuts the listener down.
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Thread.detachNewThread { Self.pump(client, target, counter) }
            }
        }
    }

    private static func pump(_ client: Int32, _ target: UInt16, _ counter: Counter) {
        defer { close(client) }
        guard let upstream = try? Loopback.connect(target) else { return }
        defer { close(upstream) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 5000) > 0 else { return }
            if fds[0].revents != 0 {
                let n = recv(client, &buffer, buffer.count, 0)
                guard n > 0, Loopback.sendAll(upstream, buffer[..<n]) else { return }
            }
            if fds[1].revents != 0 {
                let n = recv(upstream, &buffer, buffer.count, 0)
                guard n > 0 else { return }
                var at = 0
                while at < n {
                    let piece = min(n - at, Int.random(in: 1...300))
                    guard Loopback.sendAll(client, buffer[at..<(at + piece)]) else { return }
                    at += piece
                    counter.add()
                    usleep(200)
                }
            }
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// Plain loopback sockets for the test servers above.
enum Loopback {
    struct Failure: Error { let call: String; let code: Int32 }

    static func address(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A socket listening on 127.0.0.1 at a port the kernel picks.
    static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = address(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else { close(fd); throw Failure(call: "bind/listen", code: errno) }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { close(fd); throw Failure(call: "getsockname", code: errno) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    static func connect(_ port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = address(port)
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { close(fd); throw Failure(call: "connect", code: errno) }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var at = bytes.startIndex
        while at < bytes.endIndex {
            let n = bytes[at...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            at += n
        }
        return true
    }
}
