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

    /// A fault after an action, and how its deliveries went at once (the provider's mail).
    struct FaultAction: Encodable, Sendable {
        struct Delivery: Encodable, Sendable {
            var id: Int64
            var channel: String
            var delivered: Bool
            var error: Text?
        }
        var fault: Fault
        var deliveries: [Delivery]

        static func deliveries(_ report: OutboxService.RunReport) -> [Delivery] {
            report.attempts.map { Delivery(id: $0.delivery.id, channel: $0.delivery.channel.rawValue, delivered: $0.error == nil && !$0.busy,
                                           error: $0.error.map(Text.init)) }
        }
    }
}
