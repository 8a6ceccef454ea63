/// A setting of `AttributionSettings` out of its range.
public struct AttributionSettingsError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case interval
        case topCount
        case tableCapacity
        case maximumIntervals
    }

    public let kind: Kind
    public let value: Int64

    static func interval(_ value: Int64) -> Self { Self(kind: .interval, value: value) }
    static func topCount(_ value: Int) -> Self { Self(kind: .topCount, value: Int64(value)) }
    static func tableCapacity(_ value: Int) -> Self { Self(kind: .tableCapacity, value: Int64(value)) }
    static func maximumIntervals(_ value: Int) -> Self { Self(kind: .maximumIntervals, value: Int64(value)) }

    public var text: Text {
        switch kind {
        case .interval:
            Text(id: "interval \(value) detik di luar batas: pilih 1 detik sampai 1 hari (86400 detik)",
                 en: "an interval of \(value) seconds is out of range: choose 1 second to 1 day (86400 seconds)")
        case .topCount:
            Text(id: "jumlah teratas \(value) di luar batas: pilih 1 sampai 10000",
                 en: "a top count of \(value) is out of range: choose 1 to 10000")
        case .tableCapacity:
            Text(id: "kapasitas tabel \(value) di luar batas: pilih 2 sampai 16777216",
                 en: "a table capacity of \(value) is out of range: choose 2 to 16777216")
        case .maximumIntervals:
            Text(id: "jumlah interval maksimum \(value) di luar batas: pilih 1 sampai 10000000",
                 en: "a maximum of \(value) intervals is out of range: choose 1 to 10000000")
        }
    }

    public var description: String { text.en }
}
