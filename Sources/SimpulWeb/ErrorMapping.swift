import Foundation
import Hummingbird
import SimpulCore
import SimpulServices

/// What the user is told when something is refused: a status, a stable code for the API,
/// and the message in both languages.
struct Refusal {
    var status: HTTPResponse.Status
    var code: String
    var text: Text

    /// Maps a service's error kind to its HTTP status. A user's mistake is never a 500.
    init(_ error: ServiceError) {
        text = error.text
        switch error.kind {
        case .notFound: (status, code) = (.notFound, "not_found")
        case .forbidden: (status, code) = (.forbidden, "forbidden")
        case .invalid: (status, code) = (.badRequest, "invalid")
        case .conflict: (status, code) = (.conflict, "conflict")
        case .unauthorized: (status, code) = (.unauthorized, "unauthorized")
        case .throttled: (status, code) = (.tooManyRequests, "throttled")
        }
    }

    init(_ refusal: WebRefusal, catalogue: Catalogue) {
        status = refusal.status
        code = refusal.code
        text = Text(id: catalogue.text(refusal.key, .id), en: catalogue.text(refusal.key, .en))
    }

    /// Any error: services' and the web shell's own refusals, HTTP errors from the framework
    /// (unknown route, body too large), and last an internal error.
    init(any error: any Error, catalogue: Catalogue) {
        func fromCatalogue(_ status: HTTPResponse.Status, _ code: String, _ key: String) -> Refusal {
            Refusal(WebRefusal(status: status, code: code, key: key), catalogue: catalogue)
        }
        switch error {
        case let error as ServiceError: self.init(error)
        case let error as WebRefusal: self.init(error, catalogue: catalogue)
        case let error as NumberRefusal: self.init(status: .badRequest, code: "invalid", text: error.text)
        case let error as ContentRefusal: self.init(status: .unprocessableContent, code: "invalid", text: error.text)
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound: self = fromCatalogue(.notFound, "not_found", "error_not_found")
            case .methodNotAllowed: self = fromCatalogue(.methodNotAllowed, "method_not_allowed", "error_method")
            case .contentTooLarge: self = fromCatalogue(.contentTooLarge, "too_large", "error_too_large")
            case let status where status.code < 500: self = fromCatalogue(status, "bad_request", "error_bad_request")
            default: self = fromCatalogue(.internalServerError, "internal", "error_internal")
            }
        default: self = fromCatalogue(.internalServerError, "internal", "error_internal")
        }
    }

    private init(status: HTTPResponse.Status, code: String, text: Text) {
        self.status = status
        self.code = code
        self.text = text
    }
}

/// The API's error body: `{"error": {"code", "message", "message_id", "message_en"}}`.
struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var message_id: String
        var message_en: String
    }

    var error: Detail

    init(_ refusal: Refusal, language: Language) {
        error = Detail(code: refusal.code, message: refusal.text(language), message_id: refusal.text.id, message_en: refusal.text.en)
    }
}

/// The API's language: the first of `id`/`en` in `Accept-Language`, Indonesian by default.
enum AcceptLanguage {
    static func preferred(_ header: String?) -> Language {
        guard let header else { return .id }
        let ranges = header.split(separator: ",").map { item -> (tag: String, q: Double) in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (parts.first?.lowercased() ?? "", q)
        }
        for range in ranges.enumerated().sorted(by: { ($0.element.q, -$0.offset) > ($1.element.q, -$1.offset) }).map(\.element)
        where range.q > 0 {
            if range.tag == "en" || range.tag.hasPrefix("en-") { return .en }
            if range.tag == "id" || range.tag.hasPrefix("id-") { return .id }
        }
        return .id
    }
}

/// A request whose body was read (valid JSON of the right shape) but whose content is refused: an
/// unknown agency or link, a missing contact, a step not reached. 422, where a body that cannot be
/// read at all stays 400. The faults API answers so (issue 13: "401/422 with the reason").
struct ContentRefusal: Error {
    let text: Text

    /// `work`, with a service's refusal of the content as a `ContentRefusal`.
    static func of<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch let error as ServiceError where error.kind == .invalid { throw ContentRefusal(text: error.text) }
    }
}
