import Foundation

/// Real SNMP agents for a test, on 127.0.0.1 at a free high UDP port, stopped by their PID:
/// net-snmp's `snmpd` (the host's own IF-MIB, a v2c community and SNMPv3 users made by
/// `createUser`), and `snmpsim` (from the test venv) answering from `.snmprec` recordings — the
/// ones committed in `snmp/` beside this file, or written by the test. ``snmpbulkwalk(_:community:)``
/// is net-snmp's own tool against the same agent, to check a walk against.
public final class SNMPAgent: @unchecked Sendable {
    public enum Kind: Sendable { case snmpd, snmpsim }

    /// An SNMPv3 user for snmpd's `createUser`.
    public struct User: Sendable {
        public var name: String
        /// `SHA-256` or `SHA` (SHA-1), as snmpd writes them.
        public var auth: String
        public var authPassword: String
        /// `AES` (128) or nil for authNoPriv.
        public var priv: String?
        public var privPassword: String?

        public init(name: String, auth: String, authPassword: String, priv: String? = nil, privPassword: String? = nil) {
            self.name = name
            self.auth = auth
            self.authPassword = authPassword
            self.priv = priv
            self.privPassword = privPassword
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let kind: Kind
    public let directory: URL
    public private(set) var port: UInt16
    /// The community snmpsim answers for `data/<community>.snmprec`, or snmpd's v2c community.
    public let community: String
    private var process: Spawned?
    private let lock = NSLock()
    private var stopped = false
    private let arguments: [String]
    private let environment: [String: String]
    private let executable: String

    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The committed recordings and snmpsim variation modules.
    public static let recordings = here.appendingPathComponent("snmp")

    // MARK: snmpd

    /// net-snmp's agent with `community` (v2c, read-only, from 127.0.0.1 only) and `users`
    /// (`rouser … priv` for users with a privacy password, `rouser … auth` for the others).
    public init(snmpdCommunity community: String, users: [User] = [], sysName: String = "snmpd-rig") throws {
        let snmpd = "/usr/sbin/snmpd"
        guard FileManager.default.isExecutableFile(atPath: snmpd) else {
            throw Failure(description: "\(snmpd) is missing: install snmpd and snmp (make test does this, with scripts/snmpd-ensure.sh)")
        }
        kind = .snmpd
        self.community = community
        directory = try Self.folder("snmpd")
        var conf = "rocommunity \(community) 127.0.0.1\nsysName \(sysName)\nsysLocation Simpul test rig\n"
        for user in users {
            conf += "createUser \(user.name) \(user.auth) \"\(user.authPassword)\""
            if let priv = user.priv, let password = user.privPassword { conf += " \(priv) \"\(password)\"" }
            conf += "\nrouser \(user.name) \(user.priv == nil ? "auth" : "priv")\n"
        }
        let confPath = directory.appendingPathComponent("snmpd.conf").path
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
        executable = snmpd
        // -f foreground, -Lo log to stdout, -C only this configuration, -I -smux: no SMUX listener on
        // TCP 199 (two rigs would fight over it).
        arguments = ["-f", "-Lo", "-C", "-c", confPath, "-I", "-smux"]
        environment = ["SNMP_PERSISTENT_DIR": directory.appendingPathComponent("persist").path, "MIBS": ""]
        port = 0
        try launch(port: nil)
    }

    // MARK: snmpsim

    /// snmpsim answering `recordings` (community → `.snmprec` text) and, when `copying` names
    /// files in `snmp/` (without `.snmprec`), those too under their own names as communities.
    /// `maxVarBinds` caps the values in one answer, as snmpsim's `--max-var-binds` does.
    /// The agent is ready when `community` (else the first recording) answers.
    public init(recordings: [String: String] = [:], copying: [String] = [], community: String? = nil, maxVarBinds: Int = 2_000) throws {
        let python = try PythonServer.interpreter(importing: ["snmpsim", "pysmi"])
        kind = .snmpsim
        guard let ready = community ?? copying.first ?? recordings.keys.sorted().first else {
            throw Failure(description: "snmpsim needs at least one recording")
        }
        self.community = ready
        directory = try Self.folder("snmpsim")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cache"), withIntermediateDirectories: true)
        for name in copying {
            let source = Self.recordings.appendingPathComponent("\(name).snmprec")
            try FileManager.default.copyItem(at: source, to: data.appendingPathComponent("\(name).snmprec"))
        }
        for (name, text) in recordings {
            try text.write(to: data.appendingPathComponent("\(name).snmprec"), atomically: true, encoding: .utf8)
        }
        // snmp/responder.py: snmpsim's responder with its --max-var-binds taking effect.
        executable = python
        // Naming a folder of variation modules replaces snmpsim's own: both are named.
        let own = try Spawned.run(python, ["-c", "import os, snmpsim; print(os.path.join(os.path.dirname(snmpsim.__file__), \"variation\"))"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        arguments = [Self.recordings.appendingPathComponent("responder.py").path, "--data-dir=\(data.path)", "--cache-dir=\(directory.appendingPathComponent("cache").path)",
                     "--variation-modules-dir=\(Self.recordings.appendingPathComponent("variation").path)",
                     "--variation-modules-dir=\(own)", "--max-var-binds=\(maxVarBinds)", "--log-level=error"]
        // snmpsim refuses to run as root unless told to drop privileges; the rig's own files would then be
        // out of its reach. It listens on 127.0.0.1 only.
        environment = getuid() == 0 ? ["SNMPSIM_ALLOW_ROOT": "true"] : [:]
        port = 0
        try launch(port: nil)
    }

    /// Replaces snmpsim's recording `community` with `text` and restarts it on the same port: what a
    /// device looks like after a reboot, or a minute later.
    public func replace(_ community: String, with text: String) throws {
        precondition(kind == .snmpsim, "only snmpsim answers from recordings")
        lock.lock()
        defer { lock.unlock() }
        process?.stop()
        let file = directory.appendingPathComponent("data/\(community).snmprec")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("cache"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cache"), withIntermediateDirectories: true)
        try launch(port: port)
    }

    /// Stops the agent (SIGTERM, then SIGKILL) while keeping its port for ``restart()``: a device
    /// that went down.
    public func pause() {
        lock.lock()
        defer { lock.unlock() }
        process?.stop()
        process = nil
    }

    /// Starts the agent again on its port after ``pause()``.
    public func restart() throws {
        lock.lock()
        defer { lock.unlock() }
        try launch(port: port)
    }

    /// `127.0.0.1:PORT`.
    public var peer: String { "127.0.0.1:\(port)" }

    /// What the agent logged so far (for a failing test's message).
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("agent.log"), encoding: .utf8)) ?? "" }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        process?.stop()
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    // MARK: Cross-checks with net-snmp's tools

    /// `snmpbulkwalk -v2c` of `oid` (numeric) on this agent: each OID with its value as net-snmp
    /// prints it with `-OQ -Oe -Ot -On` (strings without their quotes, numbers as numbers).
    public func snmpbulkwalk(_ oid: String, community: String? = nil, repetitions: Int = 50) throws -> [(oid: String, value: String)] {
        let out = try Spawned.run("/usr/bin/snmpbulkwalk", ["-v2c", "-c", community ?? self.community, "-On", "-OQ", "-Oe", "-Ot",
                                                                  "-Cr\(repetitions)", "-t", "5", "-r", "1", peer, oid])
        return out.split(separator: "\n").compactMap { line in
            guard let separator = line.range(of: " = ") else { return nil }
            var value = String(line[separator.upperBound...])
            // The end of a walk, as net-snmp prints it: not a value.
            if value.hasPrefix("No more variables") || value.hasPrefix("No Such") { return nil }
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            var name = String(line[..<separator.lowerBound])
            if name.hasPrefix(".") { name.removeFirst() }
            return (name, value)
        }
    }

    // MARK: Starting

    static func folder(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A UDP port on 127.0.0.1 that nothing holds right now (the agent binds it a moment later;
    /// a lost race is tried again with another).
    public static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw Failure(description: "bind: \(String(cString: strerror(errno)))") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw Failure(description: "getsockname: \(String(cString: strerror(errno)))") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Starts the agent on `port` (or a free one) and waits until it answers an SNMP GET.
    private func launch(port fixed: UInt16?) throws {
        var lastLog = ""
        let logPath = directory.appendingPathComponent("agent.log").path
        for _ in 0..<(fixed == nil ? 4 : 20) {
            let port = try fixed ?? Self.freePort()
            let endpoint = kind == .snmpd ? ["udp:127.0.0.1:\(port)"] : ["--agent-udpv4-endpoint=127.0.0.1:\(port)"]
            let process = try Spawned(executable, arguments + endpoint, environment: environment, output: logPath)
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && process.isRunning {
                if Self.answers(port: port, community: community) {
                    self.port = port
                    self.process = process
                    return
                }
            }
            process.stop()
            lastLog = log.split(separator: "\n").suffix(8).joined(separator: "\n")
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw Failure(description: "\(executable) did not answer on 127.0.0.1:\(fixed.map(String.init) ?? "a free port"):\n\(lastLog)")
    }

    /// Whether an SNMP v2c GET of sysUpTime.0 with `community`, sent to the port, gets any answer
    /// within 200 ms. Built here byte by byte (BER) rather than run as snmpget: a readiness check
    /// every 200 ms should not start a process each time.
    static func answers(port: UInt16, community: String) -> Bool {
        let name = Array(community.utf8)
        guard name.count < 80 else { return false }
        let varbinds: [UInt8] = [0x30, 0x0E, 0x30, 0x0C, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x05, 0x00]
        let pdu: [UInt8] = [0xA0, UInt8(9 + varbinds.count), 0x02, 0x01, 0x2A, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00] + varbinds
        let body: [UInt8] = [0x02, 0x01, 0x01, 0x04, UInt8(name.count)] + name + pdu
        let message: [UInt8] = [0x30, UInt8(body.count)] + body
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let sent = message.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == message.count else {
            Thread.sleep(forTimeInterval: 0.2)
            return false
        }
        var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&waiting, 1, 200) == 1 else { return false }
        var buffer = [UInt8](repeating: 0, count: 2048)
        return recv(fd, &buffer, buffer.count, 0) > 0
    }
}

/// A UDP relay on 127.0.0.1 in front of a real agent that cuts every answer to `keep` bytes
/// (`snmp/truncating_relay.py`, run by the test venv's Python): what a client sees of a faulty agent
/// or path.
public final class SNMPTruncatingRelay: @unchecked Sendable {
    public let port: UInt16
    private let process: Spawned
    private let directory: URL

    public init(in front: SNMPAgent, keep: Int) throws {
        let python = try PythonServer.interpreter(importing: ["select"])
        directory = try SNMPAgent.folder("relay")
        let portFile = directory.appendingPathComponent("port").path
        process = try Spawned(python, [SNMPAgent.recordings.appendingPathComponent("truncating_relay.py").path, "--target", String(front.port),
                                       "--keep", String(keep), "--port-file", portFile], environment: [:],
                              output: directory.appendingPathComponent("relay.log").path)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline && process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = UInt16(text) {
                port = value
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.stop()
        throw SNMPAgent.Failure(description: "the truncating relay did not start")
    }

    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

/// A child process of the rig, started with posix_spawn: its output appended to a file, no
/// descriptor of ours beyond 0–2 inherited (an agent holding another child's pipe or Foundation's
/// bookkeeping socket would keep that child from ever being seen to end), signals at their defaults
/// and unblocked (a test runner's blocked SIGTERM would otherwise be inherited, and the agent could
/// only be killed). Ended by its PID: SIGTERM, then SIGKILL; reaped here.
final class Spawned: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var exited: Int32?

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module does not show.
    @_silgen_name("posix_spawn_file_actions_addclosefrom_np")
    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

    init(_ executable: String, _ arguments: [String], environment: [String: String], output: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = Self.addCloseFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SNMPAgent.Failure(description: "posix_spawn \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Whether it has not ended (reaping it when it has).
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reap(block: false) == nil
    }

    /// Its exit status once ended (blocking until then).
    func wait() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        return reap(block: true) ?? -1
    }

    private func reap(block: Bool) -> Int32? {
        if let exited { return exited }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, block ? 0 : WNOHANG)
            if result == pid {
                exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                return exited
            }
            if result == -1 && errno == EINTR { continue }
            if result == -1 {
                // Reaped by someone else: it has ended, with a status no longer known.
                exited = -1
                return exited
            }
            return nil
        }
    }

    /// SIGTERM, then SIGKILL when it has not ended within 3 s.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(3)
        while isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if isRunning {
            kill(pid, SIGKILL)
            _ = wait()
        }
    }

    /// Runs `executable` to its end and returns what it printed (standard output and error, in a
    /// file of its own); throws with that when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-run-\(UUID().uuidString.prefix(8))").path
        defer { unlink(output) }
        let child = try Spawned(executable, arguments, environment: ["MIBS": ""], output: output)
        let status = child.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw SNMPAgent.Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }
}
