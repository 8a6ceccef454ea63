import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// Files are served with a type Simpul decided from their bytes, never the one the uploader claimed.
@Suite("Attachment types")
struct AttachmentTypeTests {
    static let html = Array("<html><script>alert(document.cookie)</script></html>".utf8)

    @Test(arguments: [
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] as [UInt8], "image/jpeg"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "image/png"),
        (Array("GIF89a...".utf8), "image/gif"),
        (Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), "image/webp"),
        (Array("%PDF-1.7".utf8), "application/octet-stream"),
        (html, "application/octet-stream"),
        (Array("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), "application/octet-stream"),
        ([0xFF, 0xD8], "application/octet-stream"),
        ([], "application/octet-stream"),
    ])
    func typeFromTheBytes(_ bytes: [UInt8], _ type: String) {
        #expect(MediaType.of(bytes) == type)
    }

    @Test func aPageDisguisedAsAnImageIsRefusedAsAPhotoAndDownloadedAsBytes() async throws {
        let fixture = try WebFixture()
        let repair = try fixture.openTicket("equipment-repair", "Kamera rusak", agency: nil)
        let kasi = try fixture.principal("kasi1")
        #expect {
            _ = try fixture.simpul.tickets.attach(repair, kind: .photo, fileName: "foto.jpg", contentType: "image/jpeg",
                                                  data: Data(Self.html), by: kasi)
        } throws: { ($0 as? ServiceError)?.text.en.contains("is not one") == true }

        // A letter (any file) claimed as text/html is stored, and served as bytes to download.
        let hosting = try fixture.openTicket("hosting-intake", "Server SIMKES", agency: "DINKES", by: "kasi1")
        let step = try #require(try fixture.simpul.tickets.detail(hosting, by: fixture.cli).currentStep)
        let doer = try fixture.principal(step.actor == .clerk ? "clerk1" : step.actor == .agency ? "opd-dinkes" : "kasi1")
        let value = try fixture.simpul.tickets.attach(hosting, kind: .attachment, fileName: "surat.html", contentType: "text/html",
                                                      data: Data(Self.html), by: doer)
        let id = try #require(Int64(value.dropFirst("attachment:".count).prefix { $0 != " " }))
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let download = try await browser.get("/attachments/\(id)", cookies: admin.cookies)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
        }
    }
}
