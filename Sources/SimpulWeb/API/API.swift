import SimpulCore

/// The JSON API's answers (`/api/v1`): types of the web target's own, each made from a service's
/// value. Their property names are the API's field names: a field renamed in the store or the
/// core changes the mapping here, never what a client reads. `Response.json` encodes them with
/// sorted keys; an optional that is nil is left out unless a type says otherwise.
enum API {
    /// A message in both languages: `{"id": …, "en": …}`.
    struct Text: Encodable, Sendable {
        var id: String
        var en: String

        init(_ text: SimpulCore.Text) {
            id = text.id
            en = text.en
        }
    }
}
