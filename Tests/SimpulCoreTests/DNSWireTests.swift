import Foundation
import Testing
@testable import SimpulCore

@Suite("DNS wire format and TSIG") struct DNSWireTests {
    @Test func aMessageRoundTripsAndRecordsReadBack() throws {
        var message = DNSMessage(id: 0xBEEF, opcode: .update)
        message.questions = [.init(name: WireName(text: "contohkab.go.id")!, type: DNSType.soa)]
        let records = [
            DNSRecord(name: DomainName("a.contohkab.go.id")!, type: .a, ttl: 300, data: "10.20.0.15"),
            DNSRecord(name: DomainName("a.contohkab.go.id")!, type: .aaaa, ttl: 300, data: "2001:db8:20::f"),
            DNSRecord(name: DomainName("mail.contohkab.go.id")!, type: .mx, ttl: 300, data: "10 mx1.contohkab.go.id"),
            DNSRecord(name: DomainName("t.contohkab.go.id")!, type: .txt, ttl: 300, data: String(repeating: "y", count: 600)),
        ]
        message.authority = records.compactMap(WireRecord.init)
        let decoded = try DNSMessage.decode(message.encoded())
        #expect(decoded.message == message)
        #expect(decoded.tsigStart == nil)
        #expect(decoded.message.authority.compactMap(\.record) == records)
    }

    @Test func compressedNamesAreExpandedAndLoopsRefused() throws {
        // Header, one question for a.b (offset 12), one answer whose name and CNAME target point back.
        var bytes: [UInt8] = [0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [1, 0x61, 1, 0x62, 0, 0, 5, 0, 1]
        bytes += [0xC0, 14, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 0x63, 0xC0, 12]
        let answer = try #require(try DNSMessage.decode(bytes).message.answers.first)
        #expect(answer.name.description == "b")
        #expect(answer.rdata == [1, 0x63, 1, 0x61, 1, 0x62, 0])
        var loop: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        loop += [0xC0, 12, 0, 1, 0, 1]
        #expect(throws: WireError.badPointer) { try DNSMessage.decode(loop) }
        #expect(throws: WireError.truncated) { try DNSMessage.decode(Array(bytes.prefix(20))) }
    }

    @Test func keyFilesAsTsigKeygenWritesThem() throws {
        let file = """
        # made with tsig-keygen -a hmac-sha256
        key "simpul-update" {
        \talgorithm hmac-sha256;
        \tsecret "fpZODq2RNAlONGh2BsKlBWI4TEHyDvXqjd0lReiHgoM=";
        };
        key "old" { algorithm hmac-md5; secret "AAAA"; };
        """
        let key = try TSIGKey.parse(bindKeyFile: file, name: "simpul-update")
        #expect(key.name.description == "simpul-update")
        #expect(key.secret.count == 32)
        #expect(!key.description.contains("fpZOD"))
        #expect(throws: TSIGKey.Problem.algorithm("hmac-md5")) { try TSIGKey.parse(bindKeyFile: file, name: "old") }
        #expect(throws: TSIGKey.Problem.named("other", found: ["simpul-update", "old"])) { try TSIGKey.parse(bindKeyFile: file, name: "other") }
        #expect(throws: TSIGKey.Problem.noKey) { try TSIGKey.parse(bindKeyFile: "nothing here", name: nil) }
    }

    /// A base64 secret may contain "//" (about one tsig-keygen key in forty): it is not a comment.
    @Test func aSecretWithSlashesIsReadWhole() throws {
        let file = """
        key "k" { // the office's key
        	algorithm hmac-sha256; /* rotated yearly */
        	secret "ab//cdEFgh+/ij//KLmnopqrstuvwxyzABCDEFGHIJK=";
        };
        """
        let key = try TSIGKey.parse(bindKeyFile: file, name: "k")
        #expect(key.secret == Array(Data(base64Encoded: "ab//cdEFgh+/ij//KLmnopqrstuvwxyzABCDEFGHIJK=")!))
    }

    @Test func aSignedAnswerVerifiesAndATamperedOneDoesNot() throws {
        let key = TSIGKey(name: WireName(text: "k")!, secret: Array(repeating: 9, count: 32))
        var client = TSIGSession(key: key)
        var request = DNSMessage(id: 7)
        request.questions = [.init(name: WireName(text: "contohkab.go.id")!, type: DNSType.a)]
        let signed = client.sign(request, at: 1_000_000)
        // The server's side: check the request the way a server does, then sign its answer.
        let (received, start) = try DNSMessage.decode(signed)
        let last = try #require(received.additional.last)
        let tsig = try #require(TSIGRecord(rdata: last.rdata))
        let tsigStart = try #require(start)
        var body = Array(signed[..<tsigStart])
        body[11] -= 1
        #expect(client.mac(body + tsig.variables(key: key, timersOnly: false)) == tsig.mac)

        var answer = request
        answer.isResponse = true
        answer.answers = [WireRecord(DNSRecord(name: DomainName("contohkab.go.id")!, type: .a, ttl: 60, data: "127.0.0.1"))!]
        var server = TSIGRecord(algorithm: key.algorithm, timeSigned: 1_000_001, fudge: 300, mac: [], originalID: 7, error: 0, other: [])
        var digest: [UInt8] = [0, UInt8(tsig.mac.count)] + tsig.mac + answer.encoded()
        digest += server.variables(key: key, timersOnly: false)
        server.mac = client.mac(digest)
        answer.additional = [WireRecord(name: key.name, type: DNSType.tsig, rclass: DNSClass.any, ttl: 0, rdata: server.rdata)]
        let bytes = answer.encoded()

        var good = client
        #expect(try good.verify(bytes, now: 1_000_002).answers.count == 1)
        var tampered = bytes
        tampered[bytes.count - server.rdata.count - 20] ^= 1
        var bad = client
        #expect(throws: TSIGError.badMAC) { try bad.verify(tampered, now: 1_000_002) }
        var late = client
        #expect(throws: TSIGError.badTime(serverTime: 1_000_001)) { try late.verify(bytes, now: 1_000_001 + 301) }
        var plain = request
        plain.isResponse = true
        var unsigned = client
        #expect(throws: TSIGError.unsigned) { try unsigned.verify(plain.encoded(), now: 1_000_002) }
    }
}
