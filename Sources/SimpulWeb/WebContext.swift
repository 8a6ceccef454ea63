import Hummingbird
import SimpulCore
import SimpulServices

/// The signed-in browser session a request carries: the cookie's token and what it stands for.
struct WebSession: Sendable {
    var token: String
    var session: SessionService.Session

    var principal: Principal { session.principal }
    var language: Language { session.language }
}

/// Per-request state: the client's address, the session found from its cookie, the parsed
/// form of a POST (read once, by the CSRF check) and the principal of an API call.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The IP address of the connection's other end (the reverse proxy, in production).
    let peerAddress: String?
    var session: WebSession?
    var form = FormData()
    /// The files of a `multipart/form-data` POST (read with the form, by the CSRF check).
    var files: [Multipart.Part] = []
    var apiPrincipal: Principal?
    /// The language of a page shown before sign-in (`/login?lang=en`).
    var languageOverride: Language?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The language to answer in: the session's, else the login page's choice, else Indonesian.
    var language: Language { session?.language ?? languageOverride ?? .id }

    /// The session of a route behind `RequireSessionMiddleware`.
    func requireSession() throws -> WebSession {
        guard let session else { throw WebRefusal.signInRequired }
        return session
    }
}
