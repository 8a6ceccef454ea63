import Foundation
import Hummingbird
import SimpulServices

/// What answers without a session: the health check and the static assets.
struct PublicRoutes: Sendable {
    let simpul: Simpul
    /// The files of `Assets/`, read once at start: name → (content type, bytes).
    let assets: [String: (type: String, body: ByteBuffer)]

    init(simpul: Simpul) throws {
        self.simpul = simpul
        let folder = try Resources.url("Assets")
        var assets: [String: (type: String, body: ByteBuffer)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assets[name] = (Self.contentType(name), ByteBuffer(bytes: data))
        }
        self.assets = assets
    }

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension {
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }

    func register(on router: Router<WebContext>) {
        router.get("/healthz", offPool: { _, context in
            do {
                try simpul.checkHealth()
                return Self.text("ok\n", .ok)
            } catch {
                context.logger.error("health check failed: \(error)")
                return Self.text("database unavailable\n", .serviceUnavailable)
            }
        })
        // Browsers ask for it on every page; answer without a session so it never bounces to /login.
        router.get("/favicon.ico") { _, _ in
            guard let icon = assets["favicon.svg"] else { return Response(status: .noContent) }
            return Response(status: .ok, headers: [.contentType: icon.type, .cacheControl: "public, max-age=86400"],
                            body: .init(byteBuffer: icon.body))
        }
        router.get("/assets/:name") { _, context in
            guard let name = context.parameters.get("name"), let asset = assets[name] else { throw WebRefusal.notFound }
            return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: asset.body))
        }
    }

    static func text(_ text: String, _ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
