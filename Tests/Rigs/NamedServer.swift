import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// BIND's `named`, started for a test on 127.0.0.1 at a free high port, with a TSIG key made by
/// `tsig-keygen -a hmac-sha256` and primary zones that take dynamic updates and transfers signed
/// with that key. Stopped (and its directory removed) by ``stop()`` or when released.
public final class NamedServer: @unchecked Sendable {
    public let directory: URL
    public let port: UInt16
    public let keyName = "simpul-update"
    public var keyFile: String { directory.appendingPathComponent("simpul.key").path }
    /// `127.0.0.1:PORT`, as a zone's `server` in the inventory.
    public var server: String { "127.0.0.1:\(port)" }
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts named with `zones` (names without the trailing dot). Each zone starts with its SOA
    /// (serial 1), an NS `ns1.<primaryZone>` and, in the zone that holds it, `ns1`'s A 127.0.0.1.
    public init(zones: [String], primaryZone: String? = nil) throws {
        for tool in ["/usr/sbin/named", "/usr/sbin/tsig-keygen"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(description: "\(tool) is missing: install bind9 and bind9-utils (make test does this)")
        }
        let primary = primaryZone ?? zones.first { !$0.hasSuffix(".arpa") } ?? "example.test"
        var lastError = ""
        for _ in 0..<6 {
            guard let port = Self.ports.take() else { lastError = "no free port for named on 127.0.0.1"; continue }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-named-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let key = try Self.run("/usr/sbin/tsig-keygen", ["-a", "hmac-sha256", "simpul-update"])
            try key.write(to: dir.appendingPathComponent("simpul.key"), atomically: true, encoding: .utf8)
            var conf = """
            options {
                directory "\(dir.path)";
                listen-on port \(port) { 127.0.0.1; };
                listen-on-v6 { none; };
                pid-file "\(dir.path)/named.pid";
                session-keyfile "\(dir.path)/session.key";
                recursion no;
                dnssec-validation no;
                notify no;
                allow-query { 127.0.0.1; };
            };
            include "\(dir.path)/simpul.key";
            controls { };

            """
            for zone in zones {
                var file = """
                $TTL 3600
                @ IN SOA ns1.\(primary). hostmaster.\(primary). 1 3600 900 1209600 300
                @ IN NS ns1.\(primary).

                """
                if zone == primary { file += "ns1 IN A 127.0.0.1\n" }
                try file.write(to: dir.appendingPathComponent("\(zone).zone"), atomically: true, encoding: .utf8)
                conf += """
                zone "\(zone)" { type primary; file "\(dir.path)/\(zone).zone";
                    allow-update { key simpul-update; }; allow-transfer { key simpul-update; }; };

                """
            }
            try conf.write(to: dir.appendingPathComponent("named.conf"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/named")
            process.arguments = ["-g", "-n", "1", "-c", dir.appendingPathComponent("named.conf").path]
            let log = dir.appendingPathComponent("named.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline && process.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                // named says "running on Linux …" and "running as: …" as it starts, and a line that
                // ends with "running" once it listens and its zones are loaded: wait for that one.
                if text.split(separator: "\n").contains(where: { $0.hasSuffix(" running") }) {
                    self.directory = dir
                    self.port = port
                    self.process = process
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            Self.ports.give(port)
            lastError = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: "\n")
            try? FileManager.default.removeItem(at: dir)
        }
        throw Failure(description: "named did not start:\n\(lastError)")
    }

    /// `dig @127.0.0.1 -p PORT +short …`'s output lines.
    public func dig(_ arguments: [String]) throws -> [String] {
        try Self.run("/usr/bin/dig", ["@127.0.0.1", "-p", String(port), "+short", "+tcp", "+time=2", "+tries=1"] + arguments)
            .split(separator: "\n").map(String.init)
    }

    /// What named logged so far (for a failing test's message).
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("named.log"), encoding: .utf8)) ?? "" }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
        Self.ports.give(port)
    }

    deinit { stop() }

    /// The ports the running nameds of this test process hold. named binds with SO_REUSEPORT, so a
    /// second named on a port already in use starts without complaint and the kernel shares the
    /// connections between the two: one test's updates land in another's server, or are refused as
    /// the other stops. Each named therefore gets a port no other one here holds, that nothing else
    /// on the machine has bound (TCP or UDP), and that lies below the kernel's ephemeral range, so
    /// that no outgoing connection holds it.
    static let ports = PortBook()

    final class PortBook: @unchecked Sendable {
        private let lock = NSLock()
        private var held = Set<UInt16>()

        func take() -> UInt16? {
            let range = Self.range()
            return lock.withLock {
                for _ in 0..<200 {
                    let port = UInt16.random(in: range)
                    if !held.contains(port) && Self.isFree(port, type: SOCK_STREAM) && Self.isFree(port, type: SOCK_DGRAM) {
                        held.insert(port)
                        return port
                    }
                }
                return nil
            }
        }

        func give(_ port: UInt16) { _ = lock.withLock { held.remove(port) } }

        /// 20000 up to just below the first ephemeral port (`ip_local_port_range`, 32768 by default).
        static func range() -> ClosedRange<UInt16> {
            let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
            let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { UInt16($0) } ?? 32_768
            return low > 21_000 ? 20_000...(low - 1) : 61_000...64_999
        }

        /// Whether a socket of `type` can bind 127.0.0.1:`port` without SO_REUSEADDR or SO_REUSEPORT.
        static func isFree(_ port: UInt16, type: __socket_type) -> Bool {
            let fd = socket(AF_INET, Int32(type.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            address.sin_port = port.bigEndian
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
