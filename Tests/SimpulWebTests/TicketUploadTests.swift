import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

@Suite("Ticket files and CSRF")
struct TicketUploadTests {
    /// A tiny JPEG's first bytes and a few that look like framing, to prove nothing is altered.
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x0D, 0x0A, 0x2D, 0x2D, 0x0D, 0x0A, 0x0D, 0x0A, 0xFF, 0xD9]

    @Test func aPhotoIsUploadedWithTheStepAndDownloaded() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("equipment-repair", "Kamera media center rusak", agency: nil)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let page = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            let form = try #require(page.element("complete-form", closing: "form"))
            #expect(form.contains(#"enctype="multipart/form-data""#))
            #expect(form.contains(#"<input id="ev-photo" name="ev_photo" type="file" accept="image/*" required>"#))

            let done = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                       fields: [("_csrf", kasi.csrf), ("ev_note", "Lensa retak\r\nperlu diganti")],
                                                       files: [.init(field: "ev_photo", fileName: "lensa retak.jpg", contentType: "image/jpeg", data: Self.photo)])
            #expect(done.status == .seeOther, "\(done.body.prefix(400))")
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            let file = try #require(detail.attachments.first)
            #expect(detail.attachments.count == 1 && file.fileName == "lensa retak.jpg" && file.size == Self.photo.count)
            #expect(detail.ticket.visits[0].evidence.contains(Evidence(kind: .photo, value: "attachment:\(file.id) lensa retak.jpg")))
            #expect(detail.ticket.visits[0].evidence.contains(Evidence(kind: .note, value: "Lensa retak\r\nperlu diganti")))

            let shown = try await browser.get("/tickets/\(id)", cookies: kasi.cookies)
            #expect(shown.element("step-identify")?.contains(#"<a href="/attachments/\#(file.id)" class="attachment-link">lensa retak.jpg</a>"#) == true)
            let download = try await browser.get("/attachments/\(file.id)", cookies: kasi.cookies)
            #expect(download.status == .ok)
            #expect(download.bytes == Self.photo)
            #expect(download.headers[.contentType] == "image/jpeg")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="lensa retak.jpg"; filename*=UTF-8''lensa%20retak.jpg"#)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            // Only those who may see the ticket may have its files.
            let agency = try await browser.logIn("opd-dinkes")
            #expect(try await browser.get("/attachments/\(file.id)", cookies: agency.cookies).status == .notFound)
            #expect(try await browser.get("/attachments/\(file.id)").status == .seeOther)
        }
    }

    @Test func aStoredFileIsKeptWhenTheStepIsRefused() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("equipment-repair", "Mikrofon mati", agency: nil)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            // Not an image: refused before anything is recorded, the typed note kept.
            let notImage = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                           fields: [("_csrf", kasi.csrf), ("ev_note", "kabel putus")],
                                                           files: [.init(field: "ev_photo", fileName: "catatan.txt", contentType: "text/plain", data: Array("halo".utf8))])
            #expect(notImage.status == .unprocessableContent)
            #expect(notImage.text(ofID: "act-error") == "foto harus berupa gambar JPEG, PNG, GIF atau WebP; berkas catatan.txt bukan gambar")
            #expect(notImage.text(ofID: "ev-note") == "kabel putus")
            // The photo is good but the note is missing: the photo is stored and offered again.
            let noNote = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                         fields: [("_csrf", kasi.csrf), ("ev_note", "")],
                                                         files: [.init(field: "ev_photo", fileName: "mic.jpg", contentType: "image/jpeg", data: Self.photo)])
            #expect(noNote.status == .unprocessableContent)
            #expect(noNote.text(ofID: "act-error") == "langkah ini perlu bukti: catatan")
            let kept = try #require(noNote.inputValue("kept_photo"))
            #expect(kept.hasPrefix("attachment:") && kept.hasSuffix(" mic.jpg"))
            #expect(noNote.body.contains(#"<input id="ev-photo" name="ev_photo" type="file" accept="image/*">"#))
            let done = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                       fields: [("_csrf", kasi.csrf), ("ev_note", "kabel putus"), ("kept_photo", kept)], files: [])
            #expect(done.status == .seeOther)
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.attachments.count == 1)
            #expect(detail.ticket.visits[0].evidence.contains(Evidence(kind: .photo, value: kept)))
        }
    }

    @Test func aWrongRoleLeavesNoFileBehind() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("equipment-repair", "Proyektor redup", agency: nil)
        try await fixture.test { browser in
            let tek = try await browser.logIn("tek1")
            let refused = try await browser.postMultipart("/tickets/\(id)/complete", cookies: tek.cookies,
                                                          fields: [("_csrf", tek.csrf), ("ev_note", "x")],
                                                          files: [.init(field: "ev_photo", fileName: "p.jpg", contentType: "image/jpeg", data: Self.photo)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text(ofID: "act-error")?.contains("peran Anda (Teknisi) tidak boleh mengerjakannya") == true)
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).attachments.isEmpty)
        }
    }

    @Test func csrfIsEnforcedOnEveryTicketForm() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("equipment-repair", "Kamera mati", agency: nil)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let open = try await browser.post("/tickets", cookies: kasi.cookies, form: [
                ("playbook", "fault-dispatch"), ("subject", "tanpa token"), ("agency", "DINKES")])
            #expect(open.status == .forbidden)
            #expect(try fixture.simpul.tickets.list(.init(), by: fixture.cli).total == 1)
            for event in ["start", "complete", "hold", "resume", "reassign", "cancel", "reopen"] {
                let answer = try await browser.post("/tickets/\(id)/\(event)", cookies: kasi.cookies, form: [
                    ("_csrf", "x" + kasi.csrf), ("reason", "r"), ("ev_note", "n")])
                #expect(answer.status == .forbidden, "\(event)")
            }
            // Multipart: the token is read from its part, and a wrong one stores nothing.
            let wrong = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                        fields: [("_csrf", String(kasi.csrf.reversed())), ("ev_note", "x")],
                                                        files: [.init(field: "ev_photo", fileName: "a.jpg", contentType: "image/jpeg", data: Self.photo)])
            #expect(wrong.status == .forbidden)
            #expect(wrong.text(ofID: "error-message")?.hasPrefix("Formulir ini kedaluwarsa") == true)
            let missing = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                          fields: [("ev_note", "x")],
                                                          files: [.init(field: "_csrf", fileName: "t.txt", contentType: "text/plain", data: Array(kasi.csrf.utf8))])
            #expect(missing.status == .forbidden)
            let detail = try fixture.simpul.tickets.detail(id, by: fixture.cli)
            #expect(detail.attachments.isEmpty && detail.ticket.visits.count == 1 && detail.history.count == 1)
        }
    }

    @Test func oversizedAndBrokenUploadsAreRefusedReadably() async throws {
        let fixture = try WebFixture()
        let id = try fixture.openTicket("equipment-repair", "Kamera mati", agency: nil)
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let big = [UInt8](repeating: 0x41, count: 11 * 1024 * 1024 + 1)
            let tooLarge = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                           fields: [("_csrf", kasi.csrf), ("ev_note", "x")],
                                                           files: [.init(field: "ev_photo", fileName: "besar.jpg", contentType: "image/jpeg", data: big)])
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.text(ofID: "error-message")?.hasPrefix("Kiriman terlalu besar: satu formulir paling besar 11 MB") == true)
            #expect(tooLarge.body.contains("The upload is too large"))
            // Over 10 MB but within the form's limit: the service's own message, on the ticket page.
            let over = [UInt8](repeating: 0x41, count: 10 * 1024 * 1024 + 10)
            let overFile = try await browser.postMultipart("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                           fields: [("_csrf", kasi.csrf), ("ev_note", "x")],
                                                           files: [.init(field: "ev_photo", fileName: "besar.jpg", contentType: "image/jpeg", data: over)])
            #expect(overFile.status == .unprocessableContent)
            #expect(overFile.text(ofID: "act-error") == "berkas besar.jpg lebih dari 10 MB; perkecil atau kompres dulu")
            let broken = try await browser.postRaw("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                   contentType: "multipart/form-data; boundary=XYZ", body: Array("--XYZ\r\nno end".utf8))
            #expect(broken.status == .badRequest)
            #expect(broken.text(ofID: "error-message")?.hasPrefix("Formulir berkas tidak dapat dibaca") == true)
            let noBoundary = try await browser.postRaw("/tickets/\(id)/complete", cookies: kasi.cookies,
                                                       contentType: "multipart/form-data", body: Array("x".utf8))
            #expect(noBoundary.status == .badRequest)
            #expect(try fixture.simpul.tickets.detail(id, by: fixture.cli).attachments.isEmpty)
        }
    }
}
