import HTTPTypes
import Hummingbird
import SimpulCore

/// The address sign-in throttling counts failures by.
///
/// Simpul listens on loopback behind the office's TLS reverse proxy, so every connection comes
/// from 127.0.0.1; counting by that would let five wrong passwords lock everyone out. When the
/// peer is loopback, the last `X-Forwarded-For` entry, the address the proxy itself saw, names
/// the client. From any other peer the header is ignored: a client could write anything there.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: String?) -> String {
        guard let peer else { return "unknown" }
        guard isLoopback(peer), let forwardedFor,
              let last = forwardedFor.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              let address = IPAddress(last) else { return peer }
        return address.description
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}

extension WebContext {
    /// The client's address for `request`, resolved through a loopback proxy.
    func clientAddress(for request: Request) -> String {
        ClientAddress.resolve(peer: peerAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor].joined(separator: ",").nilIfEmpty)
    }
}
