import Foundation
import SimpulCore
import SimpulSNMP
import SimpulTestRigs
import Testing

/// Targets and checks shared by the SNMP adapter's tests.
enum SNMPTest {
    static let loopback = IPAddress("127.0.0.1")!

    static func community(_ community: String, name: String = "ro-test") -> SNMPCredential {
        SNMPCredential(name: name, security: .community(community), file: "/etc/simpul/snmp-test.yaml")
    }

    static func user(_ user: SNMPUser, name: String = "v3-test") -> SNMPCredential {
        SNMPCredential(name: name, security: .user(user), file: "/etc/simpul/snmp-test.yaml")
    }

    static func timing(timeout: Duration = .seconds(2), retries: Int = 1, budget: Duration = .seconds(30)) -> SNMPTiming {
        // The ranges are the type's own; these values are inside them.
        try! SNMPTiming(timeout: timeout, retries: retries, walkBudget: budget)
    }

    static func target(_ agent: SNMPAgent, _ credential: SNMPCredential, device: String = "rtr-test", timing: SNMPTiming = timing(),
                       maxRepetitions: Int = SNMPTarget.defaultMaxRepetitions) -> SNMPTarget {
        SNMPTarget(device: device, address: loopback, port: agent.port, credential: credential, timing: timing, maxRepetitions: maxRepetitions)
    }

    /// The walk, or a recorded issue with the error's text.
    static func walked(_ result: Result<SNMPDeviceWalk, SNMPError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SNMPDeviceWalk? {
        switch result {
        case .success(let walk): return walk
        case .failure(let error):
            Issue.record("the walk failed: \(error.status): \(error.text.en)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The error, or a recorded issue when the walk succeeded.
    static func failed(_ result: Result<SNMPDeviceWalk, SNMPError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SNMPError? {
        switch result {
        case .success(let walk):
            Issue.record("the walk succeeded with \(walk.interfaces.count) interfaces; an error was expected", sourceLocation: sourceLocation)
            return nil
        case .failure(let error): return error
        }
    }

    /// net-snmp's `snmpbulkwalk` of the columns the client reads, as rows: ifIndex → column → value
    /// as net-snmp prints it.
    static func bulkwalkRows(_ agent: SNMPAgent, community: String? = nil) throws -> [Int32: [IFMIBColumn: String]] {
        var rows: [Int32: [IFMIBColumn: String]] = [:]
        for column in IFMIB.walked + IFMIB.fallback {
            let prefix = column.oid.description + "."
            for (oid, value) in try agent.snmpbulkwalk(column.oid.description, community: community) where oid.hasPrefix(prefix) {
                guard let index = Int32(oid.dropFirst(prefix.count)) else { continue }
                rows[index, default: [:]][column] = value
            }
        }
        return rows
    }

    /// A column's value of a walked row as net-snmp's tools print it (`-OQ -Oe -Ot`): what
    /// ``bulkwalkRows(_:community:)`` holds for it.
    static func printed(_ row: SNMPInterface, _ column: IFMIBColumn) -> String? {
        switch column {
        case .name: row.name
        case .descr: row.descr
        case .alias: row.alias
        case .type: row.type.map(String.init)
        case .adminStatus: row.adminStatus.map { String($0.rawValue) }
        case .operStatus: row.operStatus.map { String($0.rawValue) }
        case .speed: row.speed.map(String.init)
        case .highSpeed: row.highSpeed.map(String.init)
        case .hcInOctets: row.inOctets.flatMap { $0.is64Bit ? String($0.value) : nil }
        case .hcOutOctets: row.outOctets.flatMap { $0.is64Bit ? String($0.value) : nil }
        case .inOctets: row.inOctets.flatMap { $0.is64Bit ? nil : String($0.value) }
        case .outOctets: row.outOctets.flatMap { $0.is64Bit ? nil : String($0.value) }
        case .inErrors: row.inErrors.map(String.init)
        case .inDiscards: row.inDiscards.map(String.init)
        case .outErrors: row.outErrors.map(String.init)
        case .outDiscards: row.outDiscards.map(String.init)
        case .discontinuityTime: row.discontinuityTime.map(String.init)
        }
    }
}
