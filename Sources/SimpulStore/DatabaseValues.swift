import Foundation
import GRDB
import SimpulCore

// How the core's value types are stored: one place for every store, so a record's columns read
// as addresses, names and enums instead of strings parsed at each `row["column"]`.
//
// Addresses, prefixes and names are stored as their text. The enums are stored as their raw
// value; one the code no longer knows reads as the fallback the stores always used (a row written
// by a newer Simpul must not make a page fail).

extension IPAddress: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> IPAddress? {
        String.fromDatabaseValue(dbValue).flatMap { IPAddress($0) }
    }
}

extension Prefix: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Prefix? {
        String.fromDatabaseValue(dbValue).flatMap { Prefix($0) }
    }
}

extension DomainName: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DomainName? {
        String.fromDatabaseValue(dbValue).flatMap { DomainName($0) }
    }
}

/// A raw-value enum read from its stored text, or `unknown` when the text names no case.
func storedEnum<E: RawRepresentable>(_ dbValue: DatabaseValue, unknown: E) -> E? where E.RawValue == String {
    String.fromDatabaseValue(dbValue).map { E(rawValue: $0) ?? unknown }
}

extension Role: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Role? { storedEnum(dbValue, unknown: .viewer) }
}

extension AgencyKind: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> AgencyKind? { storedEnum(dbValue, unknown: .lainnya) }
}

extension DeviceKind: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DeviceKind? { storedEnum(dbValue, unknown: .other) }
}

extension LinkTechnology: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LinkTechnology? { storedEnum(dbValue, unknown: .other) }
}

extension PoolScope: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> PoolScope? { storedEnum(dbValue, unknown: .private) }
}

extension ZoneKind: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ZoneKind? { storedEnum(dbValue, unknown: .forward) }
}

/// A language is stored as its tag; any tag reads as the language it names (`Language(tag:)`).
extension Language: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Language? {
        String.fromDatabaseValue(dbValue).map { Language(tag: $0) }
    }
}

/// A moment as the stores keep it: `Timestamp.string` text (UTC, milliseconds, sorts as text).
/// GRDB's own `Date` storage uses another format, so records and arguments use this instead.
public struct StoredTime: Sendable, Hashable, DatabaseValueConvertible {
    public var date: Date

    public init(_ date: Date) {
        self.date = date
    }

    public var databaseValue: DatabaseValue { Timestamp.string(date).databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredTime? {
        String.fromDatabaseValue(dbValue).flatMap(Timestamp.date).map(StoredTime.init)
    }
}

/// Column names to Swift property names (`contact_name` → `contactName`), converted once per name.
/// GRDB's `.convertFromSnakeCase` converts every column of every row it decodes: a third of a
/// `simpul poll` over a 500-device district went to that conversion.
enum SnakeCaseColumns {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var names: [String: String] = [:]

    static let strategy = DatabaseColumnDecodingStrategy.custom { column in Key(stringValue: propertyName(column)) }

    static func propertyName(_ column: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = names[column] { return known }
        let converted = convert(column)
        if names.count < 4096 { names[column] = converted }
        return converted
    }

    /// `a_b_c` → `aBC`-style camel case; leading and trailing underscores kept, as GRDB's own does.
    static func convert(_ column: String) -> String {
        guard column.contains("_") else { return column }
        let leading = column.prefix { $0 == "_" }
        let trailing = column.reversed().prefix { $0 == "_" }
        let core = column.dropFirst(leading.count).dropLast(trailing.count)
        let words = core.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first, words.count > 1 else { return column }
        let rest = words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
        return String(leading) + first.lowercased() + rest.joined() + String(trailing)
    }
}
