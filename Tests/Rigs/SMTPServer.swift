import Foundation

/// A real SMTP server for a test: Python's `aiosmtpd` (`smtp_server.py`) on 127.0.0.1 at a free
/// port, from the test venv (`make test` installs it). Optionally it requires AUTH with one
/// account, offers (or requires) STARTTLS, or speaks TLS from the first byte (smtps), with a
/// self-signed certificate for 127.0.0.1 made by `openssl` at start; it may refuse chosen
/// recipients with 550. The test reads what it received with ``messages()``.
public final class SMTPServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var username: String?
        public var password: String?
        public var startTLS = false
        public var requireStartTLS = false
        public var implicitTLS = false
        public var refuse: [String] = []
        /// nil: a free port.
        public var port: UInt16?

        public init(username: String? = nil, password: String? = nil, startTLS: Bool = false, requireStartTLS: Bool = false,
                    implicitTLS: Bool = false, refuse: [String] = [], port: UInt16? = nil) {
            self.username = username
            self.password = password
            self.startTLS = startTLS
            self.requireStartTLS = requireStartTLS
            self.implicitTLS = implicitTLS
            self.refuse = refuse
            self.port = port
        }
    }

    /// One message as the server received it.
    public struct Message: Sendable {
        /// The bytes of the DATA, as text (CRLF line ends, after the server undid the dot-stuffing).
        public var raw: String
        public var mailFrom: String
        public var recipients: [String]
        /// The AUTH login, when the client authenticated.
        public var login: String?
        public var tls: Bool
        /// The headers as Python's `email` package decodes them (RFC 2047 words decoded, unfolded).
        public var headers: [(name: String, value: String)]
        /// The body as Python's `email` package decodes it (quoted-printable undone, UTF-8).
        public var body: String?
        /// What Python's parser found wrong in the message, if anything.
        public var defects: [String]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The raw header lines (folded as sent), up to the blank line.
        public var rawHeaderLines: [String] {
            let head = raw.components(separatedBy: "\r\n\r\n").first ?? ""
            return head.components(separatedBy: "\r\n")
        }
    }

    public let server: PythonServer
    public let options: Options
    public var port: UInt16 { server.port }
    /// `smtp://127.0.0.1:PORT` (or `smtps://`), as `SIMPUL_SMTP` would be.
    public var url: String { "\(options.implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)" }
    /// The self-signed certificate (PEM) of a TLS server: the CA file a client trusts.
    public var certificateFile: String { server.directory.appendingPathComponent("cert.pem").path }

    public init(_ options: Options = Options()) throws {
        self.options = options
        var arguments: [String] = []
        if let username = options.username { arguments += ["--auth", "\(username):\(options.password ?? "")"] }
        for address in options.refuse { arguments += ["--refuse", address] }
        let tls = options.startTLS || options.requireStartTLS || options.implicitTLS
        server = try PythonServer(script: "smtp_server.py", modules: ["aiosmtpd"], arguments: arguments, port: options.port) { dir in
            guard tls else { return [] }
            let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
            try PythonServer.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                      "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                                                      "-addext", "subjectAltName=IP:127.0.0.1"])
            if options.implicitTLS { return ["--smtps", cert, key] }
            return ["--starttls", cert, key] + (options.requireStartTLS ? ["--require-starttls"] : [])
        }
    }

    /// Every message received so far, oldest first.
    public func messages() throws -> [Message] {
        try server.files(".eml").map { file in
            let raw = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            let info = try JSONSerialization.jsonObject(with: Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))) as? [String: Any] ?? [:]
            return Message(raw: raw, mailFrom: info["mail_from"] as? String ?? "", recipients: info["rcpt_tos"] as? [String] ?? [],
                           login: info["login"] as? String, tls: info["tls"] as? Bool ?? false,
                           headers: (info["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                           body: info["body"] as? String, defects: info["defects"] as? [String] ?? [])
        }
    }

    /// Waits up to `timeout` for at least `count` messages.
    public func waitForMessages(_ count: Int, timeout: TimeInterval = 5) throws -> [Message] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let received = try messages()
            if received.count >= count { return received }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try messages()
    }

    public var log: String { server.log }

    public func stop() { server.stop() }
}
