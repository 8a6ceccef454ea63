import Crypto
import Foundation

/// The JSON form in which playbooks and tickets are stored: sorted keys, UTC millisecond timestamps.
public enum StoredJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text)")
            }
            return date
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

extension Playbook {
    /// SHA-256 of the stored form: a file whose content changed without a new version is caught.
    public func digest() throws -> String {
        SHA256.hash(data: Data(try StoredJSON.encode(self).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
