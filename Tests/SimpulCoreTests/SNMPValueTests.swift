import Foundation
import Testing
@testable import SimpulCore

/// What the adapter hands the core, checked where it is read: OIDs, each IF-MIB column's type and
/// range, the text devices send, the walk's JSON, the timing settings and the errors' wording.
@Suite("SNMP values")
struct SNMPValueTests {
    @Test(arguments: [
        ("1.3.6.1.2.1.1.3.0", [1, 3, 6, 1, 2, 1, 1, 3, 0]),
        (".1.3.6.1.2.1.31.1.1.1.6.48", [1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 48]),
        ("0.0", [0, 0]),
        ("1.3.4294967295", [1, 3, 4_294_967_295]),
    ] as [(String, [UInt32])])
    func anOIDParsesToItsArcs(_ text: String, _ arcs: [UInt32]) {
        #expect(OID(text)?.arcs == arcs)
        #expect(OID(text)?.description == arcs.map(String.init).joined(separator: "."))
    }

    @Test(arguments: ["", "1", ".", "1..3", "1.3.", "1.3.6.a", "1.3.4294967296", "1.3.-1", "1.3.6 ", "iso.3.6", "1.3.99999999999999999999",
                      Array(repeating: "1", count: 129).joined(separator: ".")])
    func aStringThatIsNotAnOIDIsRefused(_ text: String) {
        #expect(OID(text) == nil)
    }

    @Test func oidsOrderAsAgentsWalkThem() {
        let column = IFMIBColumn.name.oid
        #expect(column.isPrefix(of: column.appending(7)))
        #expect(!column.appending(7).isPrefix(of: column))
        #expect(OID("1.3.6.1.2.1.31.1.1.1.1.2")! < OID("1.3.6.1.2.1.31.1.1.1.1.10")!)
        #expect(OID("1.3.6.1.2.1.31.1.1.1.1")! < OID("1.3.6.1.2.1.31.1.1.1.1.1")!)
        #expect(IFMIBColumn.hcInOctets.oid.description == "1.3.6.1.2.1.31.1.1.1.6")
        #expect(IFMIBColumn.inDiscards.oid.description == "1.3.6.1.2.1.2.2.1.13")
        #expect(Set(IFMIB.walked).isDisjoint(with: IFMIB.fallback))
        #expect(Set(IFMIB.walked + IFMIB.fallback).count == IFMIBColumn.allCases.count)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let column: IFMIBColumn
        let value: SNMPValue
        let accepted: Bool
        var testDescription: String { "\(column.objectName) \(value)" }
    }

    static let cases: [Case] = [
        Case(column: .type, value: .integer(6), accepted: true),
        Case(column: .type, value: .integer(0), accepted: false),
        Case(column: .type, value: .integer(2_147_483_648), accepted: false),
        Case(column: .adminStatus, value: .integer(3), accepted: true),
        Case(column: .adminStatus, value: .integer(4), accepted: false),
        Case(column: .operStatus, value: .integer(7), accepted: true),
        Case(column: .operStatus, value: .integer(8), accepted: false),
        Case(column: .operStatus, value: .integer(-1), accepted: false),
        Case(column: .operStatus, value: .gauge32(1), accepted: false),
        Case(column: .speed, value: .gauge32(4_294_967_295), accepted: true),
        Case(column: .speed, value: .gauge32(4_294_967_296), accepted: false),
        Case(column: .speed, value: .counter32(10), accepted: false),
        Case(column: .highSpeed, value: .gauge32(100_000), accepted: true),
        Case(column: .hcInOctets, value: .counter64(.max), accepted: true),
        Case(column: .hcInOctets, value: .counter32(1), accepted: false),
        Case(column: .inOctets, value: .counter32(4_294_967_295), accepted: true),
        Case(column: .inOctets, value: .counter32(4_294_967_296), accepted: false),
        Case(column: .outOctets, value: .counter64(1), accepted: false),
        Case(column: .inErrors, value: .counter32(0), accepted: true),
        Case(column: .outDiscards, value: .gauge32(0), accepted: false),
        Case(column: .discontinuityTime, value: .timeTicks(4_294_967_295), accepted: true),
        Case(column: .discontinuityTime, value: .timeTicks(4_294_967_296), accepted: false),
        Case(column: .discontinuityTime, value: .counter32(0), accepted: false),
        Case(column: .name, value: .text("ether1"), accepted: true),
        Case(column: .alias, value: .integer(1), accepted: false),
        Case(column: .descr, value: .other(tag: 0x40), accepted: false),
    ]

    @Test(arguments: cases)
    func aColumnTakesOnlyItsTypeInItsRange(_ c: Case) {
        var row = SNMPInterface(ifIndex: 3)
        #expect(row.set(c.column, c.value) == c.accepted)
        if !c.accepted { #expect(row == SNMPInterface(ifIndex: 3), "nothing stored") }
    }

    @Test func the32BitCountersNeverReplaceThe64BitOnes() {
        var row = SNMPInterface(ifIndex: 1)
        #expect(row.needsNarrowCounters)
        row.set(.hcInOctets, .counter64(5_000_000_000))
        row.set(.inOctets, .counter32(705_032_704))
        row.set(.outOctets, .counter32(99))
        #expect(row.inOctets == .counter64(5_000_000_000))
        #expect(row.outOctets == .counter32(99))
        #expect(row.counterWidth == .mixed)
        #expect(row.needsNarrowCounters)
        row.set(.hcOutOctets, .counter64(100))
        #expect(row.counterWidth == .bits64)
        #expect(!row.needsNarrowCounters)
    }

    @Test(arguments: [
        (Array("ether1".utf8), "ether1"),
        (Array("ether1".utf8) + [0, 0, 0x20], "ether1"),
        ([0x1B, 0x5B, 0x32, 0x4A, 0x41], "?[2JA"),
        ([0x41, 0x07, 0x7F, 0xC2, 0x9B, 0x42], "A???B"),
        ([0xC3, 0xA9, 0x74, 0xE9], "ét\u{FFFD}"),
        ([0x41, 0x00, 0x42], "A?B"),
        ([], ""),
    ] as [([UInt8], String)])
    func textFromADeviceIsMadeSafeToShow(_ bytes: [UInt8], _ shown: String) {
        #expect(SNMPText.display(bytes) == shown)
    }

    @Test func textLongerThanTheLimitIsRefused() {
        #expect(SNMPText.display([UInt8](repeating: 0x41, count: SNMPText.maxBytes))?.count == SNMPText.maxBytes)
        #expect(SNMPText.display([UInt8](repeating: 0x41, count: SNMPText.maxBytes + 1)) == nil)
    }

    @Test func aWalkRoundTripsThroughJSONWithPlainCounters() throws {
        var uplink = SNMPInterface(ifIndex: 2)
        uplink.name = "ether1"
        uplink.adminStatus = .up
        uplink.operStatus = .lowerLayerDown
        uplink.inOctets = .counter64(18_446_744_073_709_551_615)
        uplink.outOctets = .counter32(4_294_967_295)
        uplink.countersUptime = 42
        var tunnel = SNMPInterface(ifIndex: 7)
        tunnel.inOctets = .counter32(5)
        let walk = SNMPDeviceWalk(device: "rtr-dinkes", sysUpTime: 4_711, sysName: "rtr", interfaces: [uplink, tunnel], requests: 3,
                                  timeouts: 1, duration: .microseconds(12_345), maxRepetitions: 12, ignoredValues: 2)
        let data = try JSONEncoder().encode(walk)
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["duration_ms"] as? Double == 12.345)
        #expect(json["max_repetitions"] as? Int == 12)
        let rows = try #require(json["interfaces"] as? [[String: Any]])
        #expect(rows[0]["oper_status"] as? String == "lowerLayerDown")
        #expect(rows[0]["in_octets_bits"] as? Int == 64 && rows[0]["out_octets_bits"] as? Int == 32)
        #expect((rows[0]["in_octets"] as? NSNumber)?.uint64Value == 18_446_744_073_709_551_615)
        #expect(try JSONDecoder().decode(SNMPDeviceWalk.self, from: data) == walk)
        let decoded = try JSONDecoder().decode(SNMPDeviceWalk.self, from: data)
        #expect(decoded.interfaces == walk.interfaces && decoded.duration == walk.duration && decoded.timeouts == 1)
        // A 32-bit counter above 2^32 or an ifIndex of 0 is refused when read back.
        let bad = #"{"if_index": 1, "in_octets": 4294967296, "in_octets_bits": 32}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SNMPInterface.self, from: Data(bad.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SNMPInterface.self, from: Data(#"{"if_index": 0}"#.utf8)) }
    }

    @Test func aRowLooksUpByIfIndexAndGivesItsSpeed() {
        var fast = SNMPInterface(ifIndex: 4)
        fast.speed = 4_294_967_295
        fast.highSpeed = 10_000
        let walk = SNMPDeviceWalk(device: "d", sysUpTime: nil, sysName: nil, interfaces: [SNMPInterface(ifIndex: 1), fast, SNMPInterface(ifIndex: 9)],
                                  requests: 1, duration: .zero, maxRepetitions: 25)
        #expect(walk.interface(4)?.bitsPerSecond == 10_000_000_000)
        #expect(walk.interface(9)?.ifIndex == 9)
        #expect(walk.interface(5) == nil)
    }

    @Test(arguments: [
        (Duration.milliseconds(5), 1, Duration.seconds(30)),
        (Duration.seconds(61), 1, Duration.seconds(120)),
        (Duration.seconds(2), 11, Duration.seconds(30)),
        (Duration.seconds(2), -1, Duration.seconds(30)),
        (Duration.seconds(2), 1, Duration.seconds(1)),
        (Duration.seconds(2), 1, Duration.seconds(3_601)),
    ])
    func timingOutsideItsRangeIsRefused(_ timeout: Duration, _ retries: Int, _ budget: Duration) {
        #expect(throws: SNMPError.setting) { try SNMPTiming(timeout: timeout, retries: retries, walkBudget: budget) }
    }

    @Test func timingInsideItsRangeAndTheTargetsDefaults() throws {
        let timing = try SNMPTiming(timeout: .milliseconds(10), retries: 10, walkBudget: .seconds(3_600))
        #expect(timing.retries == 10)
        let credential = SNMPCredential(name: "ro", security: .community("x"), file: "f")
        #expect(SNMPTarget(device: "d", address: IPAddress("127.0.0.1")!, credential: credential).port == 161)
        #expect(SNMPTarget(device: "d", address: IPAddress("127.0.0.1")!, credential: credential, maxRepetitions: 0).maxRepetitions == 1)
        #expect(SNMPTarget(device: "d", address: IPAddress("127.0.0.1")!, credential: credential, maxRepetitions: 5_000).maxRepetitions == 1_000)
        #expect(SNMPTarget(device: "d", address: IPAddress("::1")!, port: 1_161, credential: credential).peer == "[::1]:1161")
        #expect(SNMPTiming.shown(.milliseconds(500)) == Text(id: "500 ms", en: "500 ms"))
        #expect(SNMPTiming.shown(.milliseconds(1_500)) == Text(id: "1,5 detik", en: "1.5 seconds"))
    }

    @Test func errorsCompareByKindAndSpeakBothLanguages() {
        let credential = SNMPCredential(name: "v3-noc", security: .user(SNMPUser(name: "simpul", auth: .sha256, authPassword: "sandi-auth-256")), file: "/etc/c.yaml")
        let target = SNMPTarget(device: "sw-inti-01", address: IPAddress("127.0.20.11")!, port: 16_100, credential: credential)
        guard case .user(let user) = credential.security else { return }
        let errors: [SNMPError] = [
            .noAnswer(target, attempts: 2), .authenticationFailed(target, user: user), .unknownUser(target, user: user),
            .unsupportedSecurityLevel(target, user: user), .decryptionFailed(target, user: user), .timeWindow(target), .unknownEngine(target),
            .malformed(target, Text(id: "x", en: "x")), .tooBig(target), .agentError(target, status: 5, index: 1), .walkTooLong(target, rows: 3),
            .tooManyInterfaces(target, limit: 100_000), .session(target, "x"), .cancelled(target),
        ]
        #expect(Set(errors.map(\.status)).count == errors.count, "each kind its own status")
        for error in errors {
            #expect(error.text.en.contains("sw-inti-01 (127.0.20.11:16100)"), "\(error.text.en)")
            #expect(error.text.id != error.text.en)
            #expect(!error.text.en.contains("sandi-auth-256"))
        }
        #expect(errors[1] == .authenticationFailed && errors[1] != .unknownUser)
        #expect(SNMPError.agentError(target, status: 6, index: 2).text.en.contains("noAccess (6) at variable 2: the credential has no read access"))
        #expect(SNMPError.notConfigured.text.en.contains("SIMPUL_SNMP_CREDENTIALS"))
    }
}
