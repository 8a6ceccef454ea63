import Foundation
import SimpulCore

/// The user-interface strings of both languages, from `Strings/<lang>.json`: one flat
/// key → string table each. Templates reach them as `{{t.key}}`.
struct Catalogue: Sendable {
    let tables: [Language: [String: String]]

    init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// Loads `id.json` and `en.json` from `directory`.
    init(directory: URL) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let url = directory.appendingPathComponent("\(language.rawValue).json")
            tables[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        self.tables = tables
    }

    /// The catalogue shipped in the module's `Strings` folder.
    static func bundled() throws -> Catalogue {
        try Catalogue(directory: Resources.url("Strings"))
    }

    func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }

    /// The string for `key`, falling back to Indonesian and then to the key itself.
    func text(_ key: String, _ language: Language) -> String {
        tables[language]?[key] ?? tables[.id]?[key] ?? key
    }

    /// `key`'s string with `{0}`, `{1}`… replaced by `arguments`.
    func text(_ key: String, _ language: Language, _ arguments: String...) -> String {
        var result = text(key, language)
        for (index, argument) in arguments.enumerated() {
            result = result.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return result
    }
}

/// The module's resource folders.
enum Resources {
    static func url(_ folder: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: folder, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
        }
        return url
    }
}
