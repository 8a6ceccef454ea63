import Hummingbird
import SimpulCore

/// A refusal the web shell decides itself, not a service: a status and a catalogue message.
struct WebRefusal: Error, Sendable {
    let status: HTTPResponse.Status
    /// The error code in API answers.
    let code: String
    /// The catalogue key of the message.
    let key: String

    /// A POST whose `_csrf` is missing or does not match.
    static let badCSRF = WebRefusal(status: .forbidden, code: "csrf", key: "error_csrf")
    /// A call to the API without a valid token or session.
    static let signInRequired = WebRefusal(status: .unauthorized, code: "unauthorized", key: "error_sign_in_required")
    static let notFound = WebRefusal(status: .notFound, code: "not_found", key: "error_not_found")
    /// A file form larger than `Multipart.maxBody`.
    static let uploadTooLarge = WebRefusal(status: .contentTooLarge, code: "too_large", key: "error_upload_too_large")
    /// A `multipart/form-data` body that does not follow RFC 7578.
    static let badMultipart = WebRefusal(status: .badRequest, code: "bad_request", key: "error_bad_multipart")
}

extension Parameters {
    /// The row a path names (a ticket, an account, an outbox entry): a path whose part is not a row
    /// number in `Bounds.rowID` names no page, so it is not found, like a number of no row.
    func rowID(_ name: String) throws -> Int64 {
        guard let text = get(name), let id = Int64(text), Bounds.rowID.contains(id) else { throw WebRefusal.notFound }
        return id
    }
}
