import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// `/faults`: a fault report as a gateway or another system sees it. Times are stored UTC strings.
extension API {
    struct Fault: Encodable, Sendable {
        var ticket: Int64
        var agency: String
        var agencyName: String
        var link: String?
        var device: String?
        var channel: String
        var reporter: String
        var symptom: String
        var description: String
        var startedAt: String
        var reportedAt: String
        var open: Bool
        var status: String
        var step: String?
        var cause: String?
        var resolution: String?
        var provider: String?
        var escalationLevel: Int?
        var escalatedAt: String?
        var acknowledgedAt: String?
        var restoredAt: String?

        init(_ f: FaultStore.Stored) {
            ticket = f.ticketID; agency = f.agencyCode; agencyName = f.agencyName; link = f.circuit; device = f.deviceName
            channel = f.channel.rawValue; reporter = f.reporterName; symptom = f.symptom.rawValue; description = f.description
            startedAt = Timestamp.string(f.startedAt); reportedAt = Timestamp.string(f.reportedAt); open = f.open; status = f.status.rawValue
            step = f.step; cause = f.cause?.rawValue; resolution = f.resolution; provider = f.providerCode ?? f.linkProviderCode
            escalationLevel = f.escalationLevel; escalatedAt = f.escalatedAt.map(Timestamp.string)
            acknowledgedAt = f.acknowledgedAt.map(Timestamp.string); restoredAt = f.restoredAt.map(Timestamp.string)
        }
    }

    /// What became of a posted report: `opened` (a new fault), `attached` (to the open fault of the
    /// same link or device) or `repeated` (the same `external_id` was received before).
    struct FaultReceipt: Encodable, Sendable {
        var result: String
        var ticket: Int64
        var message: Text
        var fault: Fault
    }
}
