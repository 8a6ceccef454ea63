import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// The credentials file on disk: found through the option or SIMPUL_SNMP_CREDENTIALS, its secret
/// files beside it, a file every user can read used with a warning, and what cannot be read said
/// with the file's name. Then a device of the inventory walked with what it named.
@Suite("SNMP credentials file on disk", .serialized, .timeLimit(.minutes(1)))
struct SNMPCredentialsLoaderTests {
    /// A folder of its own with `files` (name → text, mode), removed afterwards by the caller.
    func folder(_ files: [String: (String, Int)]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-snmpcred-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, (text, mode)) in files {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode_t(mode))
        }
        return dir
    }

    @Test func theOptionWinsOverTheEnvironmentAndNeitherIsSaidHowToSet() throws {
        #expect(try SNMPCredentialsLoader.path(option: "/a.yaml", environment: ["SIMPUL_SNMP_CREDENTIALS": "/b.yaml"]) == "/a.yaml")
        #expect(try SNMPCredentialsLoader.path(option: nil, environment: ["SIMPUL_SNMP_CREDENTIALS": "/b.yaml"]) == "/b.yaml")
        #expect(throws: SNMPError.notConfigured) { try SNMPCredentialsLoader.path(option: "", environment: ["SIMPUL_SNMP_CREDENTIALS": ""]) }
    }

    @Test func secretFilesBesideTheFileAreReadAndAFileEveryoneCanReadIsAWarning() throws {
        let dir = try folder([
            "snmp.yaml": ("ro:\n  community_file: ro.txt\nnoc:\n  user: simpul\n  auth: sha1\n  auth_password_file: noc-auth\n", 0o644),
            "ro.txt": ("k0mun1t4s-berkas\n", 0o600),
            "noc-auth": ("sandi-dari-berkas\n", 0o640),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("snmp.yaml").path
        let loaded = try SNMPCredentialsLoader.load(path: path)
        #expect(loaded.credentials.entries["ro"]?.security == .community("k0mun1t4s-berkas"))
        #expect(loaded.credentials.entries["noc"]?.security == .user(SNMPUser(name: "simpul", auth: .sha1, authPassword: "sandi-dari-berkas")))
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.en == "warning: \(path) can be read by every user of this machine (mode 644) and holds SNMP secrets: chmod 600 \(path)")
        chmod(path, 0o600)
        #expect(try SNMPCredentialsLoader.load(path: path).warnings.isEmpty)
    }

    @Test func aMissingFileAFolderAndAMissingSecretFileAreNamed() throws {
        let dir = try folder(["snmp.yaml": ("ro:\n  community_file: hilang.txt\n", 0o600)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("tidak-ada.yaml").path
        do {
            _ = try SNMPCredentialsLoader.load(path: missing)
            Issue.record("loaded")
        } catch {
            #expect(error == .credentialsUnreadable)
            #expect(error.text.en == "cannot read the SNMP credentials file \(missing): no such file; create it (format: docs/inventory.md) or point to another file")
        }
        #expect(throws: SNMPError.credentialsUnreadable) { try SNMPCredentialsLoader.load(path: dir.path) }
        do {
            _ = try SNMPCredentialsLoader.load(path: dir.appendingPathComponent("snmp.yaml").path)
            Issue.record("loaded")
        } catch {
            #expect(error == .credentialsUnreadable)
            #expect(error.text.en.contains("community_file of credential \"ro\""))
            #expect(error.text.en.contains(":2): \(dir.path)/hilang.txt: no such file"))
        }
    }

    /// From the inventory's `snmp:` block to a walk: the credential it names, from a file, against snmpd.
    @Test func aDeviceWalksWithTheCredentialItsInventoryEntryNames() async throws {
        let agent = try SNMPAgent(snmpdCommunity: "k0mun1t4s-uji", users: [SNMPAgent.User(name: "noc", auth: "SHA-256", authPassword: "sandi-noc-256",
                                                                                          priv: "AES", privPassword: "sandi-noc-aes")])
        defer { agent.stop() }
        let dir = try folder([
            "snmp.yaml": ("ro:\n  community: k0mun1t4s-uji\nnoc:\n  user: noc\n  auth: sha256\n  auth_password: sandi-noc-256\n  priv: aes128\n  priv_password_file: priv\n", 0o600),
            "priv": ("sandi-noc-aes\n", 0o600),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let credentials = try SNMPCredentialsLoader.load(path: dir.appendingPathComponent("snmp.yaml").path).credentials
        let client = NetSNMPClient()
        for access in [SNMPAccess(version: .v2c, credential: "ro", port: agent.port), SNMPAccess(version: .v3, credential: "noc", port: agent.port)] {
            let credential = try credentials.credential(for: access, device: "sw-inti-01")
            let target = SNMPTarget(device: "sw-inti-01", address: SNMPTest.loopback, port: access.port, credential: credential, timing: SNMPTest.timing())
            let walk = SNMPTest.walked(await client.walk(target))
            #expect(walk?.interfaces.isEmpty == false)
        }
        #expect(throws: SNMPError.credentialMissing) { try credentials.credential(for: SNMPAccess(version: .v2c, credential: "hilang"), device: "sw-inti-01") }
    }
}
