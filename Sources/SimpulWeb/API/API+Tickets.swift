import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

/// `/tickets`: the list, one ticket with its clocks and history, and an uploaded file. Times are
/// stored UTC strings (`2026-11-21T09:48:45.123Z`); durations are seconds.
extension API {
    /// One piece of evidence: its kind (`note`, `photo`, …) and value.
    struct Evidence: Encodable, Sendable {
        var kind: String
        var value: String

        init(_ evidence: SimpulCore.Evidence) {
            kind = evidence.kind.rawValue
            value = evidence.value
        }
    }

    /// A row of the list: the ticket's summary fields and its lateness now (`null` when it has none).
    struct TicketRow: Encodable, Sendable {
        struct Summary: Encodable, Sendable {
            var id: Int64
            var playbookID: String
            var playbookVersion: Int
            var subject: String
            var agencyCode: String?
            var agencyName: String?
            var status: String
            var priority: String
            var openedAt: String
            var closedAt: String?
            var currentStep: String?
            var currentEnteredAt: String?
            var assignee: String?
            var dueSoonAt: String?
            var dueAt: String?
        }

        var summary: Summary
        var lateness: String?

        init(_ summary: TicketStore.Summary, lateness: ClockState?) {
            self.summary = Summary(
                id: summary.id, playbookID: summary.playbookID, playbookVersion: summary.playbookVersion, subject: summary.subject,
                agencyCode: summary.agencyCode, agencyName: summary.agencyName, status: summary.status.rawValue,
                priority: summary.priority.rawValue, openedAt: summary.openedAt, closedAt: summary.closedAt,
                currentStep: summary.currentStep, currentEnteredAt: summary.currentEnteredAt, assignee: summary.assignee,
                dueSoonAt: summary.dueSoonAt, dueAt: summary.dueAt)
            self.lateness = lateness?.rawValue
        }

        enum Key: String, CodingKey { case lateness }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(lateness, forKey: .lateness)
        }
    }

    struct TicketList: Encodable, Sendable {
        var tickets: [TicketRow]
        var total: Int
        /// True when there are more than `total` (the count stops 1 000 rows past `offset`).
        var totalIsLowerBound: Bool
        var limit: Int
        var offset: Int
    }

    /// `POST /tickets/{id}/attachments`.
    struct AttachmentAnswer: Encodable, Sendable {
        /// The value to send as the evidence of its kind with `complete`.
        var value: String
    }

    /// `/tickets/{id}`: the ticket, its visits with their clocks, its history, files and notifications.
    struct Ticket: Encodable, Sendable {
        struct PlaybookRef: Encodable, Sendable { var id: String; var version: Int; var headVersion: Int; var title: Text }
        struct Totals: Encodable, Sendable { var officeSeconds: Double; var thirdPartySeconds: Double; var heldSeconds: Double }
        struct Clock: Encodable, Sendable {
            var state: String
            var basis: String
            var owner: String
            var elapsedSeconds: Double
            var standardSeconds: Double?
            var heldSeconds: Double
            var dueAt: String?
        }
        struct Hold: Encodable, Sendable { var start: String; var end: String?; var reason: String; var by: String }
        struct Visit: Encodable, Sendable {
            var visit: Int
            var step: String
            var title: Text
            var actor: String
            var enteredAt: String
            var startedAt: String?
            var startedBy: String?
            var endedAt: String?
            var outcome: String?
            var completedBy: String?
            var completedRole: String?
            var onBehalf: Bool
            var correction: String?
            var branch: String?
            var assignee: String?
            var evidence: [Evidence]
            var holds: [Hold]
            var clock: Clock?
        }
        struct History: Encodable, Sendable {
            var at: String
            var by: String
            var role: String?
            var kind: String
            var step: String?
            var visit: Int?
            var branch: String?
            var text: String?
            var evidence: [Evidence]
            var detail: [String: String]
        }
        struct Outbox: Encodable, Sendable {
            var id: Int64
            var createdAt: String
            var kind: String
            var target: String
            var status: String
            var attempts: Int
            var lastError: String?
        }
        struct Attachment: Encodable, Sendable {
            var id: Int64
            var kind: String
            var fileName: String
            var contentType: String
            var size: Int
            var sha256: String
            var uploadedBy: String
            var uploadedAt: String
        }

        var id: Int64
        var playbook: PlaybookRef
        var subject: String
        var agency: String?
        var agencyName: String?
        var priority: String
        var status: String
        var openedAt: String
        var openedBy: String
        var closedAt: String?
        var currentStep: String?
        var assignee: String?
        var lateness: String?
        var clocks: Totals
        var visits: [Visit]
        var history: [History]
        var attachments: [Attachment]
        var outbox: [Outbox]

        init(_ detail: TicketService.Detail) {
            let ticket = detail.ticket
            let clocks = Dictionary(detail.clocks.steps.map { ($0.visit, $0) }, uniquingKeysWith: { a, _ in a })
            func stamp(_ date: Date?) -> String? { date.map(Timestamp.string) }
            id = detail.id
            playbook = PlaybookRef(id: detail.playbook.id, version: detail.playbook.version, headVersion: detail.headVersion,
                                   title: Text(detail.playbook.title))
            subject = ticket.subject
            agency = ticket.agencyCode
            agencyName = detail.agencyName
            priority = ticket.priority.rawValue
            status = ticket.status.rawValue
            openedAt = Timestamp.string(ticket.openedAt)
            openedBy = ticket.openedBy
            closedAt = stamp(ticket.closedAt)
            currentStep = ticket.current?.stepID
            assignee = ticket.assignee
            lateness = ticket.status == .open ? detail.clocks.current?.state.rawValue : nil
            self.clocks = Totals(officeSeconds: detail.clocks.officeSeconds, thirdPartySeconds: detail.clocks.thirdPartySeconds,
                                 heldSeconds: detail.clocks.heldSeconds)
            visits = ticket.visits.enumerated().map { index, visit in
                let step = detail.playbook.step(visit.stepID)
                return Visit(
                    visit: index, step: visit.stepID, title: Text(step?.title ?? SimpulCore.Text(id: visit.stepID, en: visit.stepID)),
                    actor: step?.actor.rawValue ?? "", enteredAt: Timestamp.string(visit.enteredAt), startedAt: stamp(visit.startedAt),
                    startedBy: visit.startedBy, endedAt: stamp(visit.endedAt), outcome: visit.outcome?.rawValue,
                    completedBy: visit.completedBy, completedRole: visit.completedRole?.rawValue, onBehalf: visit.onBehalf,
                    correction: visit.correction, branch: visit.branch, assignee: visit.assignee, evidence: visit.evidence.map(Evidence.init),
                    holds: visit.holds.map { Hold(start: Timestamp.string($0.start), end: stamp($0.end), reason: $0.reason, by: $0.by) },
                    clock: clocks[index].map { clock in
                        Clock(state: clock.state.rawValue, basis: clock.basis.rawValue, owner: clock.owner.rawValue,
                              elapsedSeconds: clock.elapsed, standardSeconds: clock.standard, heldSeconds: clock.held,
                              dueAt: stamp(clock.dueAt))
                    })
            }
            history = detail.history.map { entry in
                History(at: Timestamp.string(entry.at), by: entry.by, role: entry.role?.rawValue, kind: entry.kind.rawValue, step: entry.stepID,
                        visit: entry.visit, branch: entry.branch, text: entry.text, evidence: entry.evidence.map(Evidence.init), detail: entry.detail)
            }
            attachments = detail.attachments.map { file in
                Attachment(id: file.id, kind: file.kind, fileName: file.fileName, contentType: file.contentType, size: file.size,
                           sha256: file.sha256, uploadedBy: file.uploadedBy, uploadedAt: file.uploadedAt)
            }
            outbox = detail.notifications.map { item in
                Outbox(id: item.id, createdAt: item.createdAt, kind: item.kind, target: item.target, status: item.status,
                       attempts: item.attempts, lastError: item.lastError)
            }
        }
    }
}
