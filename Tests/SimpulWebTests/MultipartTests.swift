import Foundation
@testable import SimpulWeb
import Testing

@Suite("multipart/form-data reader")
struct MultipartTests {
    static let boundary = "----WebKitFormBoundaryx8FuHlR2ZdP4QMpG"

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func splitsFieldsAndFilesAsChromeSendsThem() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x2D, 0x2D, 0x0D, 0x0A, 0xFF]
        var body = bytes("""
            --\(Self.boundary)\r
            Content-Disposition: form-data; name="_csrf"\r
            \r
            abc123\r
            --\(Self.boundary)\r
            Content-Disposition: form-data; name="ev_note"\r
            \r
            baris satu\r
            baris dua\r
            --\(Self.boundary)\r
            Content-Disposition: form-data; name="ev_photo"; filename="foto rak.png"\r
            Content-Type: image/png\r
            \r

            """)
        body += png
        body += bytes("\r\n--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"ev_attachment\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--\(Self.boundary)--\r\n")
        let parsed = try Multipart(body: body, boundary: Self.boundary)
        #expect(parsed.parts.map(\.name) == ["_csrf", "ev_note", "ev_photo", "ev_attachment"])
        #expect(parsed.fields["_csrf"] == "abc123")
        #expect(parsed.fields["ev_note"] == "baris satu\r\nbaris dua")
        // The empty file input is no file; the PNG keeps every byte, CRLF and dashes included.
        #expect(parsed.files.count == 1)
        #expect(parsed.files[0].fileName == "foto rak.png")
        #expect(parsed.files[0].contentType == "image/png")
        #expect(parsed.files[0].data == png)
        #expect(parsed.fields["ev_photo"] == nil)
    }

    @Test func preambleEpilogueAndPaddingAreIgnored() throws {
        let body = bytes("this is a preamble\r\n--b0undary  \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b0undary\r\ncontent-disposition: FORM-DATA; NAME=\"b\"\r\n\r\n\r\n--b0undary--\r\nepilogue")
        let parsed = try Multipart(body: body, boundary: "b0undary")
        #expect(parsed.parts.count == 2)
        #expect(parsed.fields["a"] == "1")
        #expect(parsed.fields["b"] == "")
    }

    @Test func quotedParametersAndExtendedFileNames() {
        let value = HeaderValue(#"form-data; name="ev_photo"; filename="a \"b\"; c.jpg"; filename*=UTF-8''r%C3%A4k.jpg"#)
        #expect(value.value == "form-data")
        #expect(value.parameters["name"] == "ev_photo")
        #expect(value.parameters["filename"] == #"a "b"; c.jpg"#)
        #expect(value.parameters["filename*"].flatMap(Multipart.extendedValue) == "räk.jpg")
        #expect(Multipart.boundary(contentType: #"multipart/form-data; boundary="a b:c""#) == "a b:c")
        #expect(Multipart.boundary(contentType: "Multipart/Form-Data;boundary=xyz") == "xyz")
        #expect(Multipart.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        #expect(Multipart.boundary(contentType: "multipart/form-data") == nil)
        #expect(Multipart.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }

    @Test(arguments: [
        ("no boundary at all", "just text"),
        ("never closed", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end"),
        ("no header end", "--B\r\nContent-Disposition: form-data; name=\"a\""),
        ("no disposition", "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--"),
        ("not form-data", "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--"),
        ("no name", "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--"),
        ("junk after boundary", "--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--"),
        ("folded header", "--B\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--B--"),
    ])
    func malformedBodiesAreRefused(_ why: String, _ body: String) {
        #expect(throws: Multipart.Malformed.self, "\(why)") { try Multipart(body: bytes(body), boundary: "B") }
    }

    @Test func tooManyPartsAreRefused() {
        var body = ""
        for index in 0...Multipart.maxParts { body += "--B\r\nContent-Disposition: form-data; name=\"f\(index)\"\r\n\r\nx\r\n" }
        body += "--B--\r\n"
        #expect(throws: Multipart.Malformed.self) { try Multipart(body: bytes(body), boundary: "B") }
    }

    @Test func findLocatesNeedlesAcrossNearMisses() {
        let haystack = bytes("\r\n-\r\n--\r\n--B\r\n--Bx")
        #expect(Multipart.find(bytes("\r\n--B"), in: haystack, from: 0) == 7)
        #expect(Multipart.find(bytes("\r\n--B"), in: haystack, from: 8) == 12)
        #expect(Multipart.find(bytes("\r\n--C"), in: haystack, from: 0) == nil)
        #expect(Multipart.find(bytes("xyz"), in: bytes("xy"), from: 0) == nil)
        #expect(Multipart.find(bytes("\r\n\r\n"), in: bytes("aaaaaaaa\r\n\r\n"), from: 0, within: 4) == nil)
    }
}
