import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// Walks of net-snmp's own agent (snmpd, the host's IF-MIB) on 127.0.0.1: SNMP v2c against
/// snmpbulkwalk, SNMPv3 authPriv (SHA-256, AES-128) and authNoPriv (SHA-1), and each way of being
/// refused told apart in its message — none of which ever holds a secret.
@Suite("SNMP v2c and v3 against snmpd", .serialized, .timeLimit(.minutes(2)))
struct SNMPSecurityTests {
    static let community = "kantor-ro-\(UInt32.random(in: 1000...9999))"
    static let sha256 = SNMPAgent.User(name: "simpul-sha256", auth: "SHA-256", authPassword: "sandi-auth-256", priv: "AES", privPassword: "sandi-priv-aes")
    static let sha1 = SNMPAgent.User(name: "simpul-sha1", auth: "SHA", authPassword: "sandi-auth-sha1")
    /// Every secret of this suite: no error text may hold one.
    static let secrets = [community, sha256.authPassword, sha256.privPassword!, sha1.authPassword, "salah-sekali-1", "sandi-priv-salah"]

    let client = NetSNMPClient()

    func agent() throws -> SNMPAgent {
        try SNMPAgent(snmpdCommunity: Self.community, users: [Self.sha256, Self.sha1], sysName: "snmpd-uji")
    }

    func v3(_ agent: SNMPAgent, user: String = SNMPSecurityTests.sha256.name, auth: SNMPAuthProtocol = .sha256, authPassword: String = SNMPSecurityTests.sha256.authPassword,
            priv: SNMPPrivProtocol? = .aes128, privPassword: String? = SNMPSecurityTests.sha256.privPassword, timing: SNMPTiming = SNMPTest.timing()) -> SNMPTarget {
        SNMPTest.target(agent, SNMPTest.user(SNMPUser(name: user, auth: auth, authPassword: authPassword, priv: priv, privPassword: priv == nil ? nil : privPassword)),
                        device: "sw-inti-01", timing: timing)
    }

    func expectNoSecret(_ error: SNMPError?, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let error else { return }
        for secret in Self.secrets {
            #expect(!error.text.id.contains(secret) && !error.text.en.contains(secret), "a secret in: \(error.text.en)", sourceLocation: sourceLocation)
        }
    }

    @Test func aV2cWalkOfSnmpdEqualsSnmpbulkwalk() async throws {
        let agent = try agent()
        defer { agent.stop() }
        guard let walk = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community(Self.community)))) else { return }
        let expected = try SNMPTest.bulkwalkRows(agent)
        #expect(walk.sysName == "snmpd-uji")
        #expect(!walk.interfaces.isEmpty)
        #expect(walk.interfaces.map(\.ifIndex) == expected.keys.sorted())
        let counters: Set<IFMIBColumn> = [.hcInOctets, .hcOutOctets, .inOctets, .outOctets, .inErrors, .inDiscards, .outErrors, .outDiscards]
        for row in walk.interfaces {
            let theirs = expected[row.ifIndex] ?? [:]
            for column in IFMIB.walked where !counters.contains(column) {
                #expect(SNMPTest.printed(row, column) == theirs[column], "ifIndex \(row.ifIndex) \(column.objectName)")
            }
            // Counters move between the two walks: snmpbulkwalk, asking later, sees as much or more.
            for column in counters {
                guard let ours = SNMPTest.printed(row, column).flatMap(UInt64.init) else { continue }
                let later = try #require(theirs[column].flatMap(UInt64.init), "ifIndex \(row.ifIndex) \(column.objectName)")
                #expect(ours <= later, "ifIndex \(row.ifIndex) \(column.objectName): \(ours) then \(later)")
            }
            #expect(row.counterWidth == .bits64, "snmpd has ifHCInOctets for every interface")
        }
    }

    @Test func snmpV3AuthPrivWithSHA256AndAESAndAuthNoPrivWithSHA1ReadTheSameTable() async throws {
        let agent = try agent()
        defer { agent.stop() }
        guard let v2c = SNMPTest.walked(await client.walk(SNMPTest.target(agent, SNMPTest.community(Self.community)))) else { return }
        guard let authPriv = SNMPTest.walked(await client.walk(v3(agent))) else { return }
        guard let authNoPriv = SNMPTest.walked(await client.walk(v3(agent, user: Self.sha1.name, auth: .sha1, authPassword: Self.sha1.authPassword, priv: nil))) else { return }
        for walk in [authPriv, authNoPriv] {
            #expect(walk.sysName == "snmpd-uji")
            #expect(walk.interfaces.map(\.ifIndex) == v2c.interfaces.map(\.ifIndex))
            #expect(walk.interfaces.map(\.name) == v2c.interfaces.map(\.name))
            #expect(walk.interfaces.map(\.descr) == v2c.interfaces.map(\.descr))
            // Discovery, then the table in one GETBULK: net-snmp's own probe is not used.
            #expect(walk.requests >= 2)
        }
        // Again in the same process: the engine's clock and the keys are reused, nothing stale is.
        guard let again = SNMPTest.walked(await client.walk(v3(agent))) else { return }
        #expect(again.interfaces.map(\.ifIndex) == v2c.interfaces.map(\.ifIndex))
    }

    @Test func aWrongCommunityIsNoAnswerWithinItsTimeoutAndSaysBothCauses() async throws {
        let agent = try agent()
        defer { agent.stop() }
        let timing = SNMPTest.timing(timeout: .milliseconds(500), retries: 1)
        let started = ContinuousClock.now
        let error = SNMPTest.failed(await client.walk(SNMPTest.target(agent, SNMPTest.community("bukan-\(Self.community)"), timing: timing)))
        let elapsed = ContinuousClock.now - started
        #expect(error == .noAnswer)
        #expect(error?.deviceAnswered == false)
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "two attempts of 500 ms took \(elapsed)")
        let text = try #require(error?.text)
        #expect(text.en.contains("did not answer SNMP within 500 ms × 2 attempt(s)"))
        #expect(text.en.contains("unreachable") && text.en.contains("community of credential \"ro-test\" in /etc/simpul/snmp-test.yaml is wrong"))
        #expect(text.id.contains("tidak menjawab") && text.id.contains("community"))
        expectNoSecret(error)
    }

    @Test func aWrongPasswordAndAnUnknownUserAreToldApart() async throws {
        let agent = try agent()
        defer { agent.stop() }
        let wrong = SNMPTest.failed(await client.walk(v3(agent, authPassword: "salah-sekali-1")))
        let unknown = SNMPTest.failed(await client.walk(v3(agent, user: "bukan-pengguna")))
        #expect(wrong == .authenticationFailed)
        #expect(unknown == .unknownUser)
        #expect(wrong?.deviceAnswered == true && unknown?.deviceAnswered == true)
        #expect(wrong?.text.en.contains("auth_password of credential \"v3-test\"") == true)
        #expect(wrong?.text.en.contains("usmStatsWrongDigests") == true)
        #expect(unknown?.text.en.contains("does not know SNMPv3 user \"bukan-pengguna\"") == true)
        #expect(wrong?.text != unknown?.text)
        expectNoSecret(wrong)
        expectNoSecret(unknown)
    }

    @Test func anAuthNoPrivUserAskedForPrivacyIsAnUnsupportedSecurityLevel() async throws {
        let agent = try agent()
        defer { agent.stop() }
        let error = SNMPTest.failed(await client.walk(v3(agent, user: Self.sha1.name, auth: .sha1, authPassword: Self.sha1.authPassword,
                                                          priv: .aes128, privPassword: "sandi-priv-salah")))
        #expect(error == .unsupportedSecurityLevel)
        #expect(error?.text.en.contains("authPriv") == true)
        expectNoSecret(error)
    }

    @Test func aWrongPrivacyPasswordIsNoAnswerThatNamesThePrivacyPassword() async throws {
        let agent = try agent()
        defer { agent.stop() }
        let timing = SNMPTest.timing(timeout: .milliseconds(400), retries: 0)
        let error = SNMPTest.failed(await client.walk(v3(agent, privPassword: "sandi-priv-salah", timing: timing)))
        #expect(error == .noAnswer)
        #expect(error?.text.en.contains("priv_password") == true)
        expectNoSecret(error)
    }

    /// net-snmp keeps one key per engineID and user name; a walk with another password must not
    /// borrow the first one's keys, whichever comes first, and at the same time.
    @Test func aRightAndAWrongPasswordForOneUserNeverShareKeys() async throws {
        let agent = try agent()
        defer { agent.stop() }
        #expect(SNMPTest.walked(await client.walk(v3(agent))) != nil)
        #expect(SNMPTest.failed(await client.walk(v3(agent, authPassword: "salah-sekali-1"))) == .authenticationFailed)
        #expect(SNMPTest.walked(await client.walk(v3(agent))) != nil)
        let results = await client.walk([v3(agent), v3(agent, authPassword: "salah-sekali-1"), v3(agent), v3(agent, authPassword: "salah-sekali-1")])
        #expect(results.map { (try? $0.get()) != nil } == [true, false, true, false])
        #expect(results.compactMap { if case .failure(let e) = $0 { e } else { nil } }.allSatisfy { $0 == .authenticationFailed })
    }
}
