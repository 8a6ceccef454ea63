import Foundation
import Glibc
import SimpulCore
import SimpulMail
import SimpulTestRigs
import Testing

/// The SMTP sender and the webhook poster (libcurl) against real servers on 127.0.0.1: aiosmtpd,
/// with AUTH and TLS when asked, and a small HTTP sink. What arrived is read back by the servers
/// themselves (Python's `email` package decodes the mail), never by our own encoder.
@Suite("Mail and webhooks against real servers", .serialized, .timeLimit(.minutes(2)))
struct MailTransportTests {
    let office = MailSender(address: "simpul@contohkab.go.id", name: "Diskominfo Kabupaten Contoh — Bidang TIK")

    func soon(_ seconds: Int = 10) -> ContinuousClock.Instant { .now + .seconds(seconds) }

    func sender(_ server: SMTPServer, query: String = "", credentials: String? = nil, ca: String? = nil) throws(DeliveryError) -> SMTPSender {
        SMTPSender(endpoint: try SMTPEndpoint(parsing: server.url + query), credentialsFile: credentials, caFile: ca)
    }

    func message(to: [String] = ["noc@nusanet.example"], subject: String = "Gangguan", body: String = "Mohon dicek.\n") -> MailMessage {
        MailMessage(to: to, subject: subject, body: body, messageID: "simpul.fault.7.\(UUID().uuidString.prefix(8))@contohkab.go.id")
    }

    /// A file holding `text`, removed with the temporary folder.
    func secretFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "simpul-secret-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `body` expecting a `DeliveryError`, and returns it.
    func failure(_ body: () async throws -> Void) async -> DeliveryError? {
        do {
            try await body()
            return nil
        } catch let error as DeliveryError {
            return error
        } catch {
            Issue.record("not a DeliveryError: \(error)")
            return nil
        }
    }

    // MARK: The message

    @Test func aMailInIndonesianArrivesIntactWithItsIDsAndThreading() async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let subject = "Eskalasi tingkat 2: gangguan sirkuit NSN-0042 — Dinas Kesehatan “putus total” sejak 08.15 WITA ✓ (tiket #7), mohon segera ditangani"
        let body = """
        Yth. NOC NUSANET,

        Sirkuit NSN-0042 (Dinas Kesehatan, Jl. Jenderal Sudirman № 12) putus sejak 08.15 WITA.
        .Baris yang diawali titik harus tetap utuh.
        ..dan dua titik.
        .
        Temuan teknisi: ONT mati; 2×restart; tegangan 220 V = normal; kabel "drop" di tiang 14 kendur — diganti sementara, tetapi belum pulih sampai sekarang dan perlu pengecekan dari sisi penyedia layanan.
        Baris dengan spasi di akhir   
        Hormat kami,
        Diskominfo

        """
        var mail = message(to: ["noc@nusanet.example", "eskalasi@nusanet.example"], subject: subject, body: body)
        mail.cc = ["kabid.tik@contohkab.go.id"]
        mail.inReplyTo = "simpul.fault.7.provider.1.mail.abc@contohkab.go.id"
        try await sender(smtp).send(mail, from: office, deadline: soon())

        let received = try smtp.waitForMessages(1)
        #expect(received.count == 1)
        let got = try #require(received.first)
        #expect(got.defects.isEmpty, "Python's parser found: \(got.defects)")
        #expect(got.mailFrom == "simpul@contohkab.go.id")
        #expect(got.recipients == ["noc@nusanet.example", "eskalasi@nusanet.example", "kabid.tik@contohkab.go.id"])
        #expect(got.header("Subject") == subject)
        #expect(got.body == body)
        #expect(got.header("Message-ID") == "<\(mail.messageID)>")
        #expect(got.header("In-Reply-To") == "<simpul.fault.7.provider.1.mail.abc@contohkab.go.id>")
        #expect(got.header("References") == "<simpul.fault.7.provider.1.mail.abc@contohkab.go.id>")
        #expect(got.header("From") == "Diskominfo Kabupaten Contoh — Bidang TIK <simpul@contohkab.go.id>")
        #expect(got.header("To") == "noc@nusanet.example, eskalasi@nusanet.example")
        #expect(got.header("Cc") == "kabid.tik@contohkab.go.id")
        #expect(got.header("MIME-Version") == "1.0")
        #expect(got.header("Content-Type")?.lowercased() == "text/plain; charset=\"utf-8\"" || got.header("Content-Type")?.lowercased() == "text/plain; charset=utf-8")
        #expect(got.header("Date") != nil)
        // On the wire: ASCII only, CRLF line ends, no line past 998 characters (RFC 5322).
        #expect(got.raw.utf8.allSatisfy { $0 < 0x80 })
        #expect(!got.raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(got.raw.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        #expect(got.rawHeaderLines.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
    }

    @Test func aPlainASCIIMailIsSentAs7bitWithItsLinesAsTheyAre() async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let body = "Link DINKES down.\n.\n..\nend\n"
        try await sender(smtp).send(message(subject: "Link down: NSN-0042", body: body), from: MailSender(address: "noc@contohkab.go.id"), deadline: soon())
        let got = try #require(try smtp.waitForMessages(1).first)
        #expect(got.header("Content-Transfer-Encoding") == "7bit")
        #expect(got.header("Subject") == "Link down: NSN-0042")
        #expect(got.header("From") == "noc@contohkab.go.id")
        #expect(got.body == body)
        #expect(got.raw.hasSuffix("\r\n\r\nLink DINKES down.\r\n.\r\n..\r\nend\r\n"))
    }

    /// A line break in data never ends a header: a bad recipient is refused before anything is
    /// sent; a subject's line breaks become spaces.
    @Test(arguments: [
        "noc@nusanet.example\r\nBcc: attacker@evil.example",
        "noc@nusanet.example\nBcc: attacker@evil.example",
        "noc@nusanet.example, attacker@evil.example",
        "noc@nusanet.example; attacker@evil.example",
        "Budi <noc@nusanet.example>",
        "noc@nusanet.example\r\n",
        "",
    ])
    func aRecipientThatWouldAddHeadersOrRecipientsIsRefusedBeforeSending(_ recipient: String) async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let error = await failure { try await sender(smtp).send(message(to: [recipient]), from: office, deadline: soon()) }
        #expect(error?.kind == .badMessage)
        #expect(error?.isPermanent == true)
        #expect(error?.text.en.contains("will not help") == true)
        #expect(try smtp.messages().isEmpty, "nothing reached the server")
    }

    @Test func aSubjectWithLineBreaksStaysOneHeader() async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let mail = message(subject: "Gangguan\r\nBcc: attacker@evil.example\nX-Evil: 1")
        try await sender(smtp).send(mail, from: office, deadline: soon())
        let got = try #require(try smtp.waitForMessages(1).first)
        #expect(got.recipients == ["noc@nusanet.example"])
        #expect(got.header("Bcc") == nil && got.header("X-Evil") == nil)
        #expect(got.header("Subject") == "Gangguan Bcc: attacker@evil.example X-Evil: 1")
    }

    @Test func aBadMessageIDOrNoRecipientIsRefusedBeforeSending() async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        var mail = message()
        mail.messageID = "simpul.7@contohkab.go.id>\r\nBcc: x@evil.example"
        #expect(await failure { try await sender(smtp).send(mail, from: office, deadline: soon()) }?.kind == .badMessage)
        mail = message(to: [])
        #expect(await failure { try await sender(smtp).send(mail, from: office, deadline: soon()) }?.kind == .badMessage)
        #expect(await failure { try await sender(smtp).send(message(), from: MailSender(address: "simpul"), deadline: soon()) }?.kind == .badMessage)
        #expect(try smtp.messages().isEmpty)
    }

    @Test func aRecipientTheServerRefusesIsSaid() async throws {
        let smtp = try SMTPServer(.init(refuse: ["gone@nusanet.example"]))
        defer { smtp.stop() }
        let error = await failure {
            try await sender(smtp).send(message(to: ["noc@nusanet.example", "gone@nusanet.example"]), from: office, deadline: soon())
        }
        #expect(error?.kind == .recipientRefused)
        #expect(error?.code == 550)
        #expect(error?.text.en.contains("gone@nusanet.example") == true)
        #expect(try smtp.messages().isEmpty, "no mail goes to only some of its recipients")
    }

    // MARK: AUTH

    @Test func authWithTheConfiguredAccountIsAcceptedAndAWrongPasswordIsSaidClearly() async throws {
        let smtp = try SMTPServer(.init(username: "simpul", password: "s3cret:with:colons"))
        defer { smtp.stop() }
        let right = try secretFile("simpul:s3cret:with:colons\n")
        try await sender(smtp, credentials: right).send(message(), from: office, deadline: soon())
        #expect(try smtp.waitForMessages(1).first?.login == "simpul")

        let wrong = try secretFile("simpul:Wr0ng-Passw0rd")
        let error = await failure { try await sender(smtp, credentials: wrong).send(message(), from: office, deadline: soon()) }
        #expect(error?.kind == .authRefused)
        #expect(error?.code == 535)
        #expect(error?.text.en.contains("SIMPUL_SMTP_CREDENTIALS") == true)
        #expect(error?.text.id.contains("SIMPUL_SMTP_CREDENTIALS") == true)
        #expect(error.map { !"\($0.text.id) \($0.text.en)".contains("Wr0ng-Passw0rd") } == true, "a password is never in a message")

        // No credentials at all: the server asks for AUTH.
        let none = await failure { try await sender(smtp).send(message(), from: office, deadline: soon()) }
        #expect(none?.kind == .authRefused)
        #expect(none?.text.en.contains("SIMPUL_SMTP_CREDENTIALS") == true)

        // A credentials file that is not there or not username:password: its path, never its content.
        let missing = await failure { try await sender(smtp, credentials: "/nonexistent/simpul.cred").send(message(), from: office, deadline: soon()) }
        #expect(missing?.kind == .configuration && missing?.text.en.contains("/nonexistent/simpul.cred") == true)
        let garbled = try secretFile("just-a-password-no-colon\n")
        let unusable = await failure { try await sender(smtp, credentials: garbled).send(message(), from: office, deadline: soon()) }
        #expect(unusable?.kind == .configuration)
        #expect(unusable.map { !$0.text.en.contains("just-a-password") } == true)
        #expect(try smtp.messages().count == 1)
    }

    /// The credentials file is read on every send: a rotated password works without a restart.
    @Test func aRotatedPasswordIsUsedAtOnce() async throws {
        let smtp = try SMTPServer(.init(username: "simpul", password: "new-one"))
        defer { smtp.stop() }
        let file = try secretFile("simpul:old-one\n")
        let transport = try sender(smtp, credentials: file)
        #expect(await failure { try await transport.send(message(), from: office, deadline: soon()) }?.kind == .authRefused)
        try "simpul:new-one\n".write(toFile: file, atomically: true, encoding: .utf8)
        try await transport.send(message(), from: office, deadline: soon())
        #expect(try smtp.waitForMessages(1).count == 1)
    }

    // MARK: TLS

    @Test func startTLSIsUsedWhenOfferedAndTheCertificateIsChecked() async throws {
        let smtp = try SMTPServer(.init(username: "simpul", password: "pw", startTLS: true))
        defer { smtp.stop() }
        let credentials = try secretFile("simpul:pw\n")
        try await sender(smtp, credentials: credentials, ca: smtp.certificateFile).send(message(), from: office, deadline: soon())
        let got = try #require(try smtp.waitForMessages(1).first)
        #expect(got.tls, "the session went through STARTTLS")
        #expect(got.login == "simpul")

        // A certificate nobody vouched for is refused, and said to be a TLS problem.
        let untrusted = await failure { try await sender(smtp, credentials: credentials).send(message(), from: office, deadline: soon()) }
        #expect(untrusted?.kind == .tls)
        #expect(untrusted?.text.en.contains("SIMPUL_SMTP_CA_FILE") == true)
        #expect(try smtp.messages().count == 1)
    }

    @Test func startTLSRequiredRefusesAServerWithoutIt() async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let error = await failure { try await sender(smtp, query: "?starttls=required").send(message(), from: office, deadline: soon()) }
        #expect(error?.kind == .startTLSUnavailable)
        #expect(error?.text.en.contains("?starttls=required") == true)
        #expect(try smtp.messages().isEmpty)
        // Without the requirement the same server takes it in plain text.
        try await sender(smtp).send(message(), from: office, deadline: soon())
        #expect(try smtp.waitForMessages(1).first?.tls == false)
    }

    @Test func smtpsIsTLSFromTheFirstByte() async throws {
        let smtp = try SMTPServer(.init(implicitTLS: true))
        defer { smtp.stop() }
        #expect(smtp.url.hasPrefix("smtps://"))
        try await sender(smtp, ca: smtp.certificateFile).send(message(), from: office, deadline: soon())
        #expect(try smtp.waitForMessages(1).count == 1)
        // It speaks nothing but TLS: a plain client gets nowhere.
        let plain = SMTPSender(endpoint: try SMTPEndpoint(parsing: "smtp://127.0.0.1:\(smtp.port)"))
        #expect(await failure { try await plain.send(message(), from: office, deadline: soon(2)) } != nil)
        #expect(try smtp.messages().count == 1)
    }

    // MARK: A server away

    @Test func aServerThatIsDownIsUnreachableAtOnce() async throws {
        let smtp = try SMTPServer()
        let transport = try sender(smtp)
        smtp.stop()
        let started = ContinuousClock.now
        let error = await failure { try await transport.send(message(), from: office, deadline: soon(5)) }
        #expect(error?.kind == .unreachable)
        #expect(error?.text.en.contains("127.0.0.1") == true)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aServerThatNeverAnswersTimesOutAtTheDeadline() async throws {
        let silent = try SilentListener()
        defer { withExtendedLifetime(silent) {} }
        let transport = SMTPSender(endpoint: try SMTPEndpoint(parsing: "smtp://127.0.0.1:\(silent.port)"))
        let started = ContinuousClock.now
        let error = await failure { try await transport.send(message(), from: office, deadline: .now + .seconds(2)) }
        let took = ContinuousClock.now - started
        #expect(error?.kind == .timeout)
        #expect(took >= .milliseconds(1_900) && took < .seconds(9), "took \(took)")
        // A deadline already past is a timeout without trying.
        #expect(await failure { try await transport.send(message(), from: office, deadline: .now - .seconds(1)) }?.kind == .timeout)
    }

    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        let silent = try SilentListener()
        defer { withExtendedLifetime(silent) {} }
        let transport = SMTPSender(endpoint: try SMTPEndpoint(parsing: "smtp://127.0.0.1:\(silent.port)"))
        let office = self.office, mail = message()
        let started = ContinuousClock.now
        let task = Task { () -> DeliveryError? in
            do throws(DeliveryError) { try await transport.send(mail, from: office, deadline: .now + .seconds(30)); return nil } catch { return error }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let error = await task.value
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(5), "stopped by the cancellation, not the 30 s deadline")
    }

    // MARK: Webhooks

    @Test func aWebhookIsPostedWithItsHeadersAndBody() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let token = try secretFile("tok-123.abc\n")
        let poster = WebhookPoster(endpoint: try WebhookEndpoint(parsing: sink.url), tokenFile: token)
        let body = #"{"to": "+62 812-555-0101", "text": "Gangguan #7 sirkuit NSN-0042 — mohon dicek ✓"}"#
        let key = WebhookCall.idempotencyKey(for: "fault:7:provider:1:webhook")
        try await poster.post(WebhookCall(url: "", body: body, idempotencyKey: key), deadline: soon())
        let got = try #require(try sink.requests().first)
        #expect(got.path == "/hook")
        #expect(got.body == body)
        #expect(got.header("Content-Type") == "application/json")
        #expect(got.header("Idempotency-Key") == key)
        #expect(got.header("Authorization") == "Bearer tok-123.abc")
        #expect(got.header("Expect") == nil)

        // The same key for the same dedupe key, every time.
        #expect(WebhookCall.idempotencyKey(for: "fault:7:provider:1:webhook") == key)
        #expect(WebhookCall.idempotencyKey(for: "fault:7:provider:2:webhook") != key)
    }

    @Test func theTokenGoesOnlyToTheConfiguredGateway() async throws {
        let gateway = try HTTPSink(), other = try HTTPSink()
        defer { gateway.stop(); other.stop() }
        let poster = WebhookPoster(endpoint: try WebhookEndpoint(parsing: gateway.url), tokenFile: try secretFile("tok-123\n"))
        try await poster.post(WebhookCall(url: other.url + "?x=1", body: "{}", idempotencyKey: "k1"), deadline: soon())
        let got = try #require(try other.requests().first)
        #expect(got.header("Authorization") == nil)
        #expect(got.path == "/hook?x=1")
        #expect(try gateway.requests().isEmpty)
    }

    @Test(arguments: [(200, nil), (201, nil), (204, nil), (500, false), (503, false), (429, false), (408, false), (404, true), (400, true), (401, true), (422, true)] as [(Int, Bool?)])
    func aWebhookAnswerDecidesWhetherItIsTriedAgain(_ status: Int, _ permanent: Bool?) async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        try sink.answer(status)
        let poster = WebhookPoster(endpoint: try WebhookEndpoint(parsing: sink.url))
        let error = await failure { try await poster.post(WebhookCall(url: "", body: #"{"a": 1}"#, idempotencyKey: "k"), deadline: soon()) }
        #expect(try sink.requests().count == 1)
        guard let permanent else {
            #expect(error == nil)
            return
        }
        #expect(error?.kind == .httpStatus)
        #expect(error?.code == status)
        #expect(error?.isPermanent == permanent)
        #expect(error?.text.en.contains("\(status)") == true)
        #expect(error?.text.en.contains("will not help") == permanent)
        #expect(error?.text.en.contains("tried again later") == !permanent)
        if status == 401 { #expect(error?.text.en.contains("SIMPUL_WEBHOOK_TOKEN_FILE") == true) }
    }

    @Test func aSlowGatewayTimesOutAndADownOneIsUnreachable() async throws {
        let sink = try HTTPSink()
        try sink.delay(milliseconds: 20_000)
        let poster = WebhookPoster(endpoint: try WebhookEndpoint(parsing: sink.url))
        let started = ContinuousClock.now
        let slow = await failure { try await poster.post(WebhookCall(url: "", body: "{}", idempotencyKey: "k"), deadline: .now + .seconds(1)) }
        #expect(slow?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(10), "ended at its 1 s deadline, not when the gateway answered after 20 s")
        sink.stop()
        let down = await failure { try await poster.post(WebhookCall(url: "", body: "{}", idempotencyKey: "k"), deadline: soon()) }
        #expect(down?.kind == .unreachable)
    }

    @Test func aWebhookBodyThatIsNotJSONIsRefusedBeforeSending() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let poster = WebhookPoster(endpoint: try WebhookEndpoint(parsing: sink.url))
        let broken = #"{"text": "Temuan: kabel "drop" putus"}"#
        let error = await failure { try await poster.post(WebhookCall(url: "", body: broken, idempotencyKey: "k"), deadline: soon()) }
        #expect(error?.kind == .badMessage && error?.isPermanent == true)
        let header = await failure { try await poster.post(WebhookCall(url: "", body: "{}", idempotencyKey: "k\r\nX-Evil: 1"), deadline: soon()) }
        #expect(header?.kind == .badMessage)
        #expect(try sink.requests().isEmpty)
    }

    // MARK: Configuration

    @Test(arguments: [
        ("smtp://mail.contohkab.go.id", "smtp://mail.contohkab.go.id:25", SMTPEndpoint.Security.startTLSIfOffered),
        ("smtp://mail.contohkab.go.id:587", "smtp://mail.contohkab.go.id:587", .startTLSIfOffered),
        ("SMTP://127.0.0.1:2525/", "smtp://127.0.0.1:2525", .startTLSIfOffered),
        ("smtp://mail.contohkab.go.id:587?starttls=required", "smtp://mail.contohkab.go.id:587", .startTLSRequired),
        ("smtp://[::1]:25?starttls=try", "smtp://[::1]:25", .startTLSIfOffered),
        ("smtps://mail.contohkab.go.id", "smtps://mail.contohkab.go.id:465", .implicitTLS),
    ])
    func aGoodSMTPSettingIsRead(_ text: String, _ url: String, _ security: SMTPEndpoint.Security) throws {
        let endpoint = try SMTPEndpoint(parsing: text)
        #expect(endpoint.url == url)
        #expect(endpoint.security == security)
    }

    @Test(arguments: [
        ("mail.contohkab.go.id", "smtp://"),
        ("http://mail.contohkab.go.id", "smtp://"),
        ("smtp://simpul:secret@mail.contohkab.go.id", "SIMPUL_SMTP_CREDENTIALS"),
        ("smtp://mail.contohkab.go.id:0", "1–65535"),
        ("smtp://mail.contohkab.go.id:99999", "1–65535"),
        ("smtp://mail.contohkab.go.id:25x", "1–65535"),
        ("smtp://", "host"),
        ("smtp://mail.contohkab.go.id?starttls=yes", "starttls=required"),
        ("smtp://mail.contohkab.go.id?tls=1", "unknown"),
        ("smtps://mail.contohkab.go.id?starttls=required", "smtps://"),
        ("smtp://mail.contohkab.go.id/relay", "path"),
        ("smtp://mail contoh", "spaces"),
        ("smtp://::1:25", "[ ]"),
    ])
    func aBadSMTPSettingSaysWhatToWrite(_ text: String, _ said: String) {
        do {
            _ = try SMTPEndpoint(parsing: text)
            Issue.record("\(text) was taken")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.text.en.contains(said), "\(error.text.en)")
            #expect(error.text.en.contains("SIMPUL_SMTP") && error.text.en.contains("smtp://mail.contohkab.go.id:587"))
            #expect(!error.text.en.contains("secret") && !error.text.id.contains("secret"), "a password in the URL is not repeated")
        }
    }

    @Test func aPasswordGoesOverTLSUnlessTheServerIsThisMachine() throws {
        #expect(try SMTPEndpoint(parsing: "smtp://mail.contohkab.go.id").requiresTLS(sendingPassword: true))
        #expect(try !SMTPEndpoint(parsing: "smtp://mail.contohkab.go.id").requiresTLS(sendingPassword: false))
        #expect(try !SMTPEndpoint(parsing: "smtp://127.0.0.1:25").requiresTLS(sendingPassword: true))
        #expect(try !SMTPEndpoint(parsing: "smtp://[::1]:25").requiresTLS(sendingPassword: true))
        #expect(try SMTPEndpoint(parsing: "smtp://127.0.0.1:25?starttls=required").requiresTLS(sendingPassword: false))
        #expect(try SMTPEndpoint(parsing: "smtps://127.0.0.1").requiresTLS(sendingPassword: false))
    }

    @Test(arguments: ["ftp://gw.example/x", "https://user:pw@gw.example/x", "gw.example/x", "https://gw.example/x#frag", "https://gw .example/x", ""])
    func aBadWebhookSettingIsRefused(_ text: String) {
        #expect(throws: DeliveryError.self) { try WebhookEndpoint(parsing: text) }
    }

    @Test func aWebhookOriginIsSchemeHostAndPort() throws {
        #expect(try WebhookEndpoint(parsing: "https://GW.example/send?k=1").origin == "https://gw.example:443")
        #expect(try WebhookEndpoint(parsing: "http://127.0.0.1:8081/hook").origin == "http://127.0.0.1:8081")
        #expect(WebhookEndpoint.shown("https://gw.example/send?key=secret") == "https://gw.example/send")
    }
}
