import Foundation

/// A small HTTP server for a webhook test (`http_sink.py`, Python's http.server) on 127.0.0.1 at a
/// free port: it records every POST (path, headers, body) and answers the status the test chose
/// (``answer(_:)``), after a delay when asked (``delay(milliseconds:)``).
public final class HTTPSink: @unchecked Sendable {
    /// One POST as the sink received it.
    public struct Request: Sendable {
        public var path: String
        public var headers: [(name: String, value: String)]
        public var body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public let server: PythonServer
    public var port: UInt16 { server.port }
    /// `http://127.0.0.1:PORT/hook`, as `SIMPUL_WEBHOOK_URL` would be.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    public init() throws {
        server = try PythonServer(script: "http_sink.py", modules: ["http.server"])
    }

    /// The status every following POST gets.
    public func answer(_ status: Int) throws {
        try String(status).write(to: server.directory.appendingPathComponent("status"), atomically: true, encoding: .utf8)
    }

    /// How long every following POST waits before its answer.
    public func delay(milliseconds: Int) throws {
        try String(milliseconds).write(to: server.directory.appendingPathComponent("delay_ms"), atomically: true, encoding: .utf8)
    }

    /// Every POST received so far, oldest first.
    public func requests() throws -> [Request] {
        try server.files(".json").map { file in
            let info = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
            return Request(path: info["path"] as? String ?? "",
                           headers: (info["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                           body: info["body"] as? String ?? "")
        }
    }

    public var log: String { server.log }

    public func stop() { server.stop() }
}
