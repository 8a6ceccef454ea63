import Foundation

/// A test server written in Python (`smtp_server.py`, `http_sink.py` beside this file), run by the
/// test venv's Python (`.venv-test/bin/python`, made by `make test`) on 127.0.0.1. It writes the
/// port it listens on to a file once it accepts connections; it is stopped by its PID (SIGTERM)
/// and its folder removed by ``stop()`` or when released.
public final class PythonServer: @unchecked Sendable {
    public let directory: URL
    public let port: UInt16
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let python = repositoryRoot.appendingPathComponent(".venv-test/bin/python").path

    /// The test venv's Python, checked to import `modules`; the error says to run `make test` once.
    public static func interpreter(importing modules: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "\(python) is missing: run `make test` once (it creates .venv-test with aiosmtpd and the other test tools), then swift test again")
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw Failure(description: "\(python) cannot import \(modules.joined(separator: ", ")): run `make test` once (it installs them into .venv-test), then swift test again")
        }
        return python
    }

    /// Starts `script` (a file beside this one) with `arguments`, adding `--dir` (a new folder,
    /// given to `prepare` first) and `--port-file`; `port` nil asks for a free one.
    public init(script: String, modules: [String], arguments: [String] = [], port: UInt16? = nil, prepare: (URL) throws -> [String] = { _ in [] }) throws {
        let python = try Self.interpreter(importing: modules)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-\(script.prefix(4))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let extra = try prepare(dir)
        let portFile = dir.appendingPathComponent("port")
        let log = dir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        var lastError = ""
        // A port asked for may still be held for a moment by a server just stopped: a few tries.
        for _ in 0..<(port == nil ? 1 : 20) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [scriptPath, "--dir", dir.path, "--port-file", portFile.path, "--port", String(port ?? 0)] + arguments + extra
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline && process.isRunning {
                if let text = try? String(contentsOf: portFile, encoding: .utf8), let value = UInt16(text) {
                    directory = dir
                    self.port = value
                    self.process = process
                    return
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            Self.end(process)
            lastError = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(8).joined(separator: "\n")
            Thread.sleep(forTimeInterval: 0.1)
        }
        try? FileManager.default.removeItem(at: dir)
        throw Failure(description: "\(script) did not start:\n\(lastError)")
    }

    /// What the server logged so far (for a failing test's message).
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? "" }

    /// The files the server stored with this extension, oldest first.
    public func files(_ suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".tmp") }.sorted().map { directory.appendingPathComponent($0) }
    }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        Self.end(process)
        try? FileManager.default.removeItem(at: directory)
    }

    /// SIGTERM, then SIGKILL if it has not gone within 3 s; waits for it by polling (Foundation's
    /// `waitUntilExit` spins a core while it waits).
    static func end(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
    }

    deinit { stop() }

    /// Runs `tool` and returns its standard output; throws with its standard error when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
