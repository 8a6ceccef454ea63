import Hummingbird
import SimpulServices

/// Reads a POST's form once, and refuses it (403, nothing done) unless its `_csrf` field
/// equals the session's CSRF token. GETs pass untouched; they change nothing.
///
/// A form that uploads files comes as `multipart/form-data`: its fields are read by
/// `MultipartReader` (up to `Multipart.maxBody`) and its `_csrf` part is checked the same way.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        guard let session = context.session else { throw WebRefusal.badCSRF }
        var context = context
        if MultipartReader.isMultipart(request) {
            let body = try await MultipartReader.read(request)
            context.form = body.fields
            context.files = body.files
        } else {
            context.form = try await FormReader.read(request, context: context)
        }
        guard let sent = context.form["_csrf"], constantTimeEquals(sent, session.session.csrfToken) else {
            throw WebRefusal.badCSRF
        }
        if let tooLong = context.form.tooLong() { throw ServiceError(.invalid, tooLong.text) }
        return try await next(request, context)
    }
}

/// Reads an urlencoded form body, within the context's upload limit.
enum FormReader {
    static func read(_ request: Request, context: WebContext) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return FormData(encoded: String(buffer: buffer)[...])
    }
}
