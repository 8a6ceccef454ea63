import Foundation
import SimpulCore
import Testing

/// Packets from a DNS server are input too: hostile or broken bytes are refused with an error,
/// never a trap. A bounded, seeded fuzz run over the decoder: random messages, and real ones with
/// bytes flipped, cut short and lengths that lie.
@Suite("DNS wire fuzz")
struct DNSWireFuzzTests {
    static func sample() -> [UInt8] {
        var message = DNSMessage(id: 0x1234, opcode: .query)
        message.questions = [.init(name: WireName(text: "sikd.contohkab.go.id")!, type: DNSType.a)]
        return message.encoded()
    }

    @Test func randomAndMutatedMessagesNeverTrap() {
        var random = SplitMix(seed: 20_261_204)
        let base = Self.sample()
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            switch round % 4 {
            case 0: bytes = (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:
                bytes = base
                for _ in 0..<Int.random(in: 1...8, using: &random) { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            case 2: bytes = Array(base.prefix(Int.random(in: 0...base.count, using: &random)))
            default:
                // Counts in the header that claim thousands of records, and compression pointers.
                bytes = base
                bytes[4] = 0xFF; bytes[5] = 0xFF; bytes[6] = 0xFF; bytes[7] = 0xFF
                bytes += [0xC0, UInt8.random(in: 0...255, using: &random), 0xC0, 0x0C]
            }
            if (try? DNSMessage.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded < 20_000, "most of these are refused")
        #expect((try? DNSMessage.decode(base)) != nil, "the real message still decodes")
    }
}
