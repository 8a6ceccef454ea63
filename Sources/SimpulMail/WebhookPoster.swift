import CCurl
import Foundation
import SimpulCore

/// POSTs webhook calls with libcurl: the JSON body as `application/json`, the call's
/// `Idempotency-Key`, and `Authorization: Bearer <token>` when a token file is configured — sent
/// only to the configured gateway's origin, never to another address a call may name. A 2xx is
/// delivered; 408, 429, 5xx and timeouts are tried again; any other answer says that sending the
/// same call again will not help. Redirects are not followed.
public struct WebhookPoster: WebhookTransport {
    public let endpoint: WebhookEndpoint
    /// A file holding the bearer token, read on each call; never logged, stored or shown.
    public let tokenFile: String?

    public init(endpoint: WebhookEndpoint, tokenFile: String? = nil) {
        self.endpoint = endpoint
        self.tokenFile = tokenFile
    }

    public var destination: String { WebhookEndpoint.shown(endpoint.url) }

    public func post(_ call: WebhookCall, deadline: ContinuousClock.Instant) async throws(DeliveryError) {
        if let problem = call.problem { throw .badMessage(.webhook, problem) }
        let url = call.url.isEmpty ? endpoint.url : call.url
        let shown = WebhookEndpoint.shown(url)
        var headers = ["Content-Type: application/json", "Accept: application/json", "Idempotency-Key: \(call.idempotencyKey)",
                       // No `Expect: 100-continue` wait before the body.
                       "Expect:"]
        if let tokenFile, WebhookEndpoint.origin(of: url) == endpoint.origin {
            headers.append("Authorization: Bearer \(try Self.token(tokenFile))")
        }
        let body = call.body, headerLines = headers
        try await Curl.perform(server: shown) { (cancellation: Cancellation) throws(DeliveryError) in
            let easy = try EasyHandle(server: shown, cancellation: cancellation)
            try easy.set(CURLOPT_URL, url)
            try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try easy.set(CURLOPT_USERAGENT, "simpul")
            try easy.set(CURLOPT_HTTPHEADER, list: headerLines)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(body.utf8.count))
            try easy.set(CURLOPT_COPYPOSTFIELDS, body)
            try easy.setDeadline(deadline)
            let (code, detail) = easy.perform()
            guard code == CURLE_OK else {
                throw Curl.connectionError(code, detail: detail, server: shown, cancelled: cancellation.isCancelled, caVariable: nil)
                    ?? .other(shown, detail: detail)
            }
            let status = easy.responseCode
            guard (200...299).contains(status) else {
                throw .httpStatus(shown, status: status, detail: Self.summary(easy.state.received))
            }
        }
    }

    /// The start of what the gateway answered, on one line of printable characters.
    static func summary(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        return String(text.map { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : $0 })
            .trimmingCharacters(in: .whitespaces)
    }

    /// The token: the file's first line, trimmed.
    static func token(_ path: String) throws(DeliveryError) -> String {
        let variable = "SIMPUL_WEBHOOK_TOKEN_FILE"
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path)
                ? Text(id: "tidak dapat dibaca (periksa izinnya)", en: "it cannot be read (check its permissions)")
                : Text(id: "tidak ada", en: "it does not exist")
            throw .secretFile(variable, path: path, reason: reason)
        }
        let token = String(decoding: data.prefix(4096), as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .secretFile(variable, path: path, reason: Text(id: "baris pertamanya harus token tanpa spasi", en: "its first line must be the token, without spaces"))
        }
        return token
    }
}
