@testable import SimpulWeb
import Testing

@Suite("Client address for throttling")
struct ClientAddressTests {
    @Test(arguments: [
        // A loopback peer is the reverse proxy: its last X-Forwarded-For entry is the client.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "10.0.0.1, 198.51.100.7", "198.51.100.7"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        // Garbage or no header: the peer itself.
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", nil, "127.0.0.1"),
        // Anyone else cannot choose their address by writing the header.
        ("198.51.100.20", "203.0.113.9", "198.51.100.20"),
    ] as [(String, String?, String)])
    func resolves(peer: String, forwardedFor: String?, expected: String) {
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: forwardedFor) == expected)
    }

    @Test func noPeerIsUnknown() {
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: "203.0.113.9") == "unknown")
    }
}
