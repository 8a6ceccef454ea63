import Crypto
import Foundation

/// A SHA-256 digest in lower-case hex: how issued letters and their PDFs are fingerprinted.
public enum SHA256Hex {
    public static func of(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
