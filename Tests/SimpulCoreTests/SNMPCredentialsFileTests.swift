import Foundation
import Testing
@testable import SimpulCore

/// The SNMP credentials file: what it may hold, every wrong file refused with its line and field,
/// and no message ever quoting a value from it.
@Suite("SNMP credentials file")
struct SNMPCredentialsFileTests {
    static let file = "/etc/simpul/snmp-credentials.yaml"

    static let valid = """
    # Kredensial SNMP Diskominfo
    ro-kantor:
      community: "k0mun1t4s: kantor #1"
    v3-noc:
      user: simpul
      auth: sha256
      auth_password: sandi-auth-256
      priv: aes128
      priv_password_file: noc-priv.txt
    v3-lama:
      user: simpul-lama
      auth: SHA1
      auth_password_file: /run/credentials/simpul/lama
    """

    /// The secrets of the cases below: none may appear in any message.
    static let secrets = ["k0mun1t4s", "sandi-auth-256", "pendek", "kepanjangan", "terbuka-sekali", "sandi-tanpa-priv", "r4h4s1a-b4r1s"]

    static func parse(_ text: String) throws(SNMPError) -> SNMPCredentialsFile {
        try SNMPCredentialsFile.parse(text, file: file)
    }

    @Test func aValidFileParsesAndResolvesItsSecretFiles() throws {
        let parsed = try Self.parse(Self.valid)
        #expect(parsed.entries.map(\.name) == ["ro-kantor", "v3-noc", "v3-lama"])
        var asked: [String] = []
        let credentials = try parsed.resolve { path in
            asked.append(path)
            return .success(path.hasSuffix("noc-priv.txt") ? "sandi-priv-aes\nsisa diabaikan\n" : "sandi-lama-sha1\r\n")
        }
        // Relative to the credentials file's folder; absolute as written.
        #expect(asked == ["/etc/simpul/noc-priv.txt", "/run/credentials/simpul/lama"])
        #expect(credentials.entries["ro-kantor"]?.security == .community("k0mun1t4s: kantor #1"))
        #expect(credentials.entries["v3-noc"]?.security == .user(SNMPUser(name: "simpul", auth: .sha256, authPassword: "sandi-auth-256",
                                                                           priv: .aes128, privPassword: "sandi-priv-aes")))
        #expect(credentials.entries["v3-lama"]?.security == .user(SNMPUser(name: "simpul-lama", auth: .sha1, authPassword: "sandi-lama-sha1")))
        #expect(credentials.entries["v3-lama"]?.version == .v3 && credentials.entries["ro-kantor"]?.version == .v2c)
    }

    @Test func aCredentialShowsWhatItIsAndNeverItsSecret() throws {
        let credentials = try Self.parse(Self.valid).resolve { _ in .success("sandi-rahasia-berkas") }
        for credential in credentials.entries.values {
            let shown = [credential.description, String(describing: credential), String(reflecting: credential), "\(credential)"]
                + [{ var out = ""; dump(credential, to: &out); return out }()]
            for text in shown {
                #expect(!text.contains("k0mun1t4s") && !text.contains("sandi-rahasia-berkas") && !text.contains("sandi-auth-256"), "\(text)")
            }
            #expect(credential.description.contains(credential.name))
        }
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let field: String
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "community and user both", text: "a:\n  community: k0mun1t4s\n  user: simpul\n  auth: sha1\n  auth_password: sandi-auth-256\n", line: 3, field: "a.user"),
        Broken(name: "neither", text: "a:\n  auth: sha1\n", line: 2, field: "a.(entry)"),
        Broken(name: "no auth protocol", text: "a:\n  user: simpul\n  auth_password: sandi-auth-256\n", line: 2, field: "a.auth"),
        Broken(name: "unknown auth protocol", text: "a:\n  user: simpul\n  auth: md5\n  auth_password: sandi-auth-256\n", line: 3, field: "a.auth"),
        Broken(name: "no auth password", text: "a:\n  user: simpul\n  auth: sha256\n", line: 2, field: "a.auth_password"),
        Broken(name: "password too short", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: pendek\n", line: 4, field: "a.auth_password"),
        Broken(name: "password too long", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: kepanjangan\(String(repeating: "x", count: 250))\n", line: 4, field: "a.auth_password"),
        Broken(name: "password and its file", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: terbuka-sekali\n  auth_password_file: x\n", line: 5, field: "a.auth_password_file"),
        Broken(name: "priv without password", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: sandi-auth-256\n  priv: aes128\n", line: 2, field: "a.priv_password"),
        Broken(name: "priv password without priv", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: sandi-auth-256\n  priv_password: sandi-tanpa-priv\n", line: 5, field: "a.priv_password"),
        Broken(name: "unknown priv", text: "a:\n  user: simpul\n  auth: sha256\n  auth_password: sandi-auth-256\n  priv: des\n  priv_password: sandi-tanpa-priv\n", line: 5, field: "a.priv"),
        Broken(name: "auth fields on a community", text: "a:\n  community: k0mun1t4s\n  auth: sha256\n", line: 3, field: "a.auth"),
        Broken(name: "empty community", text: "a:\n  community: \"\"\n", line: 2, field: "a.community"),
        Broken(name: "user name too long", text: "a:\n  user: \(String(repeating: "u", count: 33))\n  auth: sha1\n  auth_password: sandi-auth-256\n", line: 2, field: "a.user"),
        Broken(name: "unknown field", text: "a:\n  community: k0mun1t4s\n  password: terbuka-sekali\n", line: 3, field: "a.password"),
        Broken(name: "not a mapping", text: "- community: k0mun1t4s\n", line: 1, field: "(file)"),
        Broken(name: "an entry that is text", text: "a: k0mun1t4s\n", line: 1, field: "a"),
        // A password starting with * is YAML for an alias: the message must not echo it.
        Broken(name: "unquoted alias-like password", text: "a:\n  user: simpul\n  auth: sha1\n  auth_password: *r4h4s1a-b4r1s\n", line: 4, field: "(yaml)"),
        Broken(name: "broken quoting", text: "a:\n  community: \"r4h4s1a-b4r1s\n", line: 3, field: "(yaml)"),
    ]

    @Test(arguments: broken)
    func aBrokenFileIsRefusedWithItsLineAndNoSecret(_ case: Broken) throws {
        do {
            _ = try Self.parse(`case`.text)
            Issue.record("\(`case`.name): accepted")
        } catch {
            #expect(error == .credentialsInvalid)
            let place = "\(Self.file):\(`case`.line): \(`case`.field):"
            #expect(error.text.en.contains(place), "\(`case`.name): \(error.text.en)")
            #expect(error.text.id.contains(place), "\(`case`.name): \(error.text.id)")
            for secret in Self.secrets {
                #expect(!error.text.en.contains(secret) && !error.text.id.contains(secret), "\(`case`.name): \(error.text.en)")
            }
        }
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() throws {
        let text = "a:\n  community: \"\"\nb:\n  user: simpul\n  auth: md5\n  auth_password: pendek\n"
        do {
            _ = try Self.parse(text)
            Issue.record("accepted")
        } catch {
            #expect(error.text.en.contains(":2: a.community:"))
            #expect(error.text.en.contains(":5: b.auth:"))
            #expect(error.text.en.contains(":6: b.auth_password:"))
        }
    }

    @Test func aFileThatIsNotUTF8SaysItsLineNotItsBytes() throws {
        var bytes = Array("a:\n  community: ".utf8) + [0xFF, 0xFE] + Array("k0mun1t4s\n".utf8)
        do {
            _ = try SNMPCredentialsFile.parse(bytes: bytes, file: Self.file)
            Issue.record("accepted")
        } catch {
            #expect(error == .credentialsInvalid)
            #expect(error.text.en.contains("\(Self.file):2: (file): is not UTF-8 text"))
            #expect(!error.text.en.contains("FF") && !error.text.en.contains("k0mun1t4s"))
        }
        bytes = [UInt8](repeating: 0x20, count: SNMPCredentialsFile.fileBytes + 1)
        #expect(throws: SNMPError.credentialsUnreadable) { try SNMPCredentialsFile.parse(bytes: bytes, file: Self.file) }
    }

    @Test func anEmptyFileHasNoCredentials() throws {
        #expect(try Self.parse("# nothing yet\n").entries.isEmpty)
    }

    @Test func aSecretFileIsCheckedLikeAnInlineSecretAndNamedWhenUnreadable() throws {
        let parsed = try Self.parse("a:\n  user: simpul\n  auth: sha1\n  auth_password_file: sandi\n")
        do {
            _ = try parsed.resolve { _ in .success("pendek\n") }
            Issue.record("accepted")
        } catch {
            #expect(error == .credentialsInvalid)
            #expect(error.text.en.contains("\(Self.file):4: a.auth_password_file: the first line of /etc/simpul/sandi: auth_password must have 8–256 characters"))
            #expect(!error.text.en.contains("pendek"))
        }
        do {
            _ = try parsed.resolve { _ in .failure(.init(Text(id: "berkas tidak ada", en: "no such file"))) }
            Issue.record("accepted")
        } catch {
            #expect(error == .credentialsUnreadable)
            #expect(error.text.en.contains("auth_password_file of credential \"a\" (\(Self.file):4): /etc/simpul/sandi: no such file"))
        }
        #expect(SNMPCredentialsFile.secretText(Array(repeating: 0x41, count: SNMPCredentialsFile.secretFileBytes + 1)).isFailure)
        #expect(SNMPCredentialsFile.secretText([0x41, 0xC3]).isFailure)
    }

    @Test func aNameTheFileLacksAndAVersionMismatchAreRefusedWithWhatToDo() throws {
        let credentials = try Self.parse(Self.valid).resolve { _ in .success("sandi-rahasia-berkas") }
        do {
            _ = try credentials.credential(for: SNMPAccess(version: .v2c, credential: "ro-dinkes"), device: "rtr-dinkes")
            Issue.record("found")
        } catch {
            #expect(error == .credentialMissing)
            #expect(error.text.en == "credential \"ro-dinkes\" of device rtr-dinkes is not in \(Self.file) (it has: ro-kantor, v3-lama, v3-noc); add it there, or correct the device's snmp.credential in the inventory")
            #expect(error.text.id.hasPrefix("kredensial \"ro-dinkes\" perangkat rtr-dinkes tidak ada di \(Self.file)"))
        }
        do {
            _ = try credentials.credential(for: SNMPAccess(version: .v3, credential: "ro-kantor"), device: "sw-inti-01")
            Issue.record("found")
        } catch {
            #expect(error == .credentialMismatch)
            #expect(error.text.en.contains("set to SNMP v3 in the inventory, but credential \"ro-kantor\" in \(Self.file) is an SNMP v2c community"))
            #expect(!error.text.en.contains("k0mun1t4s"))
        }
        #expect(try credentials.credential(for: SNMPAccess(version: .v3, credential: "v3-noc", port: 16_100), device: "sw-inti-01").name == "v3-noc")
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
