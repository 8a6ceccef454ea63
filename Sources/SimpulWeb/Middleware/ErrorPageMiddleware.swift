import Hummingbird
import SimpulCore

/// Turns every refusal into an answer the user can read: a page in their language for the
/// browser, `{"error": …}` in the `Accept-Language` language for `/api`.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = Refusal(any: error, catalogue: renderer.catalogue)
            if refusal.status == .internalServerError {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            if request.uri.path.hasPrefix("/api/") {
                let language = AcceptLanguage.preferred(request.headers[.acceptLanguage])
                var response = try Response.json(APIErrorBody(refusal, language: language), status: refusal.status)
                if refusal.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
                return response
            }
            return renderer.errorPage(refusal, request: request, context: context)
        }
    }
}

extension Renderer {
    func errorPage(_ refusal: Refusal, request: Request, context: WebContext) -> Response {
        let language = context.language
        let title = catalogue.text("error_title_\(refusal.status.code)", language)
        // The other language underneath: whoever reads this may not have chosen the page's.
        let other: Language = language == .id ? .en : .id
        return page("error", title: title, [
            "status": refusal.status.code,
            "message": refusal.text(language),
            "otherLang": other.rawValue,
            "otherMessage": refusal.text(other),
            "signedIn": context.session != nil,
        ], request: request, context: context, status: refusal.status)
    }
}
