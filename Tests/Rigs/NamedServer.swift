import Foundation

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
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-named-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let port = UInt16.random(in: 20_000...60_000)
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
    }

    deinit { stop() }

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
