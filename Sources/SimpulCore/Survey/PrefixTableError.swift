/// Why the agencies' address ranges cannot make a `PrefixTable`. Agencies are named by their
/// index in the list the caller built the table from; the caller maps them back to names.
public struct PrefixTableError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The same prefix is listed for two different agencies.
        case duplicate
        /// An agency index below zero or too large to store.
        case badAgencyIndex
    }

    public let kind: Kind
    /// The prefix at fault.
    public let prefix: Prefix
    /// The agencies involved: both for `duplicate` (smaller index first), the bad one otherwise.
    public let agencies: [Int]

    static func duplicate(_ prefix: Prefix, first: Int, second: Int) -> PrefixTableError {
        PrefixTableError(kind: .duplicate, prefix: prefix, agencies: [first, second])
    }

    static func badAgencyIndex(_ prefix: Prefix, _ agency: Int) -> PrefixTableError {
        PrefixTableError(kind: .badAgencyIndex, prefix: prefix, agencies: [agency])
    }

    public var text: Text {
        switch kind {
        case .duplicate:
            Text(id: "prefiks \(prefix) tercantum untuk dua instansi (#\(agencies[0]) dan #\(agencies[1])): satu prefiks hanya boleh milik satu instansi, perbaiki inventaris",
                 en: "prefix \(prefix) is listed for two agencies (#\(agencies[0]) and #\(agencies[1])): a prefix belongs to one agency only, correct the inventory")
        case .badAgencyIndex:
            Text(id: "nomor instansi \(agencies[0]) untuk prefiks \(prefix) tidak sah",
                 en: "agency index \(agencies[0]) for prefix \(prefix) is not valid")
        }
    }

    public var description: String { text.en }
}
