/// The languages Simpul speaks: Bahasa Indonesia first, English second.
public enum Language: String, Sendable, CaseIterable, Codable {
    case id
    case en

    /// The language named by a tag such as `en`, `en-US` or `id_ID`; Indonesian for anything else.
    public init(tag: String?) {
        let lowered = (tag ?? "").lowercased()
        self = lowered.hasPrefix("en") ? .en : .id
    }
}

/// A message in both of Simpul's languages. Core rules speak through this type so that
/// the CLI and the web can show the same error in the user's language.
public struct Text: Sendable, Hashable, Codable, CustomStringConvertible {
    public var id: String
    public var en: String

    public init(id: String, en: String) {
        self.id = id
        self.en = en
    }

    public func callAsFunction(_ language: Language) -> String {
        switch language {
        case .id: id
        case .en: en
        }
    }

    public var description: String { id }
}

/// An error that can explain itself to a user in either language.
public protocol UserFacingError: Error {
    var text: Text { get }
}
