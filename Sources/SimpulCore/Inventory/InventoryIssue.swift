/// Where something came from in the inventory files.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One thing wrong with the inventory: where, which field, what is wrong and what to do.
public struct InventoryIssue: Error, Sendable, Hashable, CustomStringConvertible, UserFacingError {
    public var location: SourceLocation?
    /// Path to the field, e.g. `agencies[3].code`.
    public var field: String
    public var text: Text

    public init(location: SourceLocation?, field: String, text: Text) {
        self.location = location
        self.field = field
        self.text = text
    }

    public func message(_ language: Language) -> String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(field): \(text(language))"
    }

    public var description: String { message(.id) }
}

/// All the issues found in one import, thrown together so nothing is written.
public struct InventoryInvalid: Error, Sendable, UserFacingError {
    /// What was being read: the inventory or the playbooks.
    public enum Noun: Sendable { case inventory, playbooks }

    public var issues: [InventoryIssue]
    public var noun: Noun

    public init(issues: [InventoryIssue], noun: Noun = .inventory) {
        self.issues = issues
        self.noun = noun
    }

    public var text: Text {
        switch noun {
        case .inventory:
            Text(id: "inventaris tidak valid: \(issues.count) kesalahan; tidak ada yang diimpor",
                 en: "the inventory is not valid: \(issues.count) error(s); nothing was imported")
        case .playbooks:
            Text(id: "playbook tidak valid: \(issues.count) kesalahan; tidak ada yang dimuat",
                 en: "the playbooks are not valid: \(issues.count) error(s); nothing was loaded")
        }
    }
}

/// A value read from the files, with where it was and where each of its fields was.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    /// Path of the item, e.g. `agencies[3]`.
    public var path: String
    /// Line of each field given, by field name.
    public var fieldLines: [String: Int]

    public init(value: Value, location: SourceLocation, path: String, fieldLines: [String: Int] = [:]) {
        self.value = value
        self.location = location
        self.path = path
        self.fieldLines = fieldLines
    }

    /// Location of `field`, or of the item itself when the field was not given.
    public func location(of field: String) -> SourceLocation {
        SourceLocation(file: location.file, line: fieldLines[field] ?? location.line)
    }

    public func issue(_ field: String, _ text: Text) -> InventoryIssue {
        InventoryIssue(location: location(of: field), field: "\(path).\(field)", text: text)
    }
}
