import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

/// "Pekerjaan saya": a fault reported now is near the top, not under a month of stale late tickets;
/// tickets waiting on a provider are in the technicians' and section heads' queues; notifications
/// can be marked read and are listed once; the complaint typed when opening a fault is the first
/// step's note without typing it again.
@Suite("Work queues", .serialized)
struct WorkQueueTests {
    static let password = "rahasia-sekali-42"

    func district() throws -> (TestDistrict, kasi: Principal, tek: Principal, kadis: Principal) {
        let t = try TestDistrict(loadPlaybooks: true)
        for (name, role) in [("kasi", Role.supervisor), ("tek", .technician), ("kadis", .head)] {
            try t.simpul.accounts.add(username: name, fullName: name, role: role, agency: nil, password: Self.password, by: t.cli)
        }
        return (t, try t.simpul.accounts.user("kasi", by: t.cli).principal, try t.simpul.accounts.user("tek", by: t.cli).principal,
                try t.simpul.accounts.user("kadis", by: t.cli).principal)
    }

    func complete(_ t: TestDistrict, _ id: Int64, _ by: Principal, note: String = "dikerjakan", branch: String? = nil) throws {
        let step = try #require(try t.simpul.tickets.detail(id, by: t.cli).currentStep)
        let evidence = step.evidence.map { Evidence(kind: $0, value: note) }
        try t.simpul.tickets.act(id, .complete(evidence: evidence, branch: branch, note: nil, assignTo: nil), by: by)
    }

    @Test func theComplaintTypedWhenOpeningIsTheFirstStepsNote() throws {
        let (t, kasi, _, _) = try district()
        let id = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Internet Dinkes mati", agency: "DINKES",
                                           note: "Internet mati sejak pukul 07.30, lampu ONT merah", by: kasi)
        try t.simpul.tickets.act(id, .complete(evidence: [], branch: nil, note: nil, assignTo: nil), by: kasi)
        let detail = try t.simpul.tickets.detail(id, by: t.cli)
        #expect(detail.ticket.visits[0].evidence.contains(Evidence(kind: .note, value: "Internet mati sejak pukul 07.30, lampu ONT merah")))
        #expect(detail.currentStep?.id == "assign")
    }

    @Test func aNewFaultIsNotBuriedUnderStaleLateTickets() throws {
        let (t, kasi, _, _) = try district()
        var stale: [Int64] = []
        for i in 0..<3 {
            let id = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Gangguan lama \(i)", agency: "DINKES", by: kasi)
            try complete(t, id, kasi)
            stale.append(id)
        }
        t.clock.advance(30 * 86_400)
        let fresh = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Internet mati sekarang", agency: "DINKES", by: kasi)
        try complete(t, fresh, kasi)
        let queue = try t.simpul.tickets.work(by: kasi).forRole.map(\.id)
        #expect(queue.first == fresh, "\(queue)")
        #expect(Set(queue.dropFirst()) == Set(stale))
        // An urgent ticket comes before everything of normal priority, late or not.
        let urgent = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Semua kantor putus", agency: "DINKES", priority: .urgent, by: kasi)
        try complete(t, urgent, kasi)
        #expect(try t.simpul.tickets.work(by: kasi).forRole.first?.id == urgent)
    }

    @Test func aTicketWaitingOnTheProviderIsInTheTechniciansQueue() throws {
        let (t, kasi, tek, _) = try district()
        let id = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Link putus", agency: "DINKES", by: kasi)
        try complete(t, id, kasi)                          // report (on the agency's behalf)
        try complete(t, id, kasi)                          // assign
        try complete(t, id, tek, branch: "not_fixed")      // repair: not fixed here
        try complete(t, id, tek)                           // coordinate_provider
        try complete(t, id, tek)                           // report_progress
        try complete(t, id, kasi)                          // report_progress_onward
        #expect(try t.simpul.tickets.detail(id, by: t.cli).currentStep?.id == "provider_repair")
        #expect(try t.simpul.tickets.work(by: tek).waitingOnProvider.map(\.id) == [id])
        #expect(try t.simpul.tickets.work(by: kasi).waitingOnProvider.map(\.id) == [id])
        #expect(try t.simpul.tickets.work(by: tek).forRole.map(\.id).contains(id) == false)
    }

    @Test func notificationsAreListedOnceAndCanBeMarkedRead() throws {
        let (t, kasi, _, _) = try district()
        let id = try t.simpul.tickets.open(playbook: "fault-dispatch", subject: "Gangguan", agency: "DINKES", by: kasi)
        // Two identical rows for the role, as an escalation sent twice would leave.
        try t.simpul.database.rawWrite { db in
            for _ in 0..<2 {
                try db.execute(sql: "INSERT INTO notifications (created_at, kind, ticket_id, target, payload) VALUES (?, 'notify', ?, 'role:supervisor', '{\"reason\":\"terlambat\"}')",
                               arguments: [Timestamp.string(t.clock.now), id])
            }
        }
        var work = try t.simpul.tickets.work(by: kasi)
        #expect(work.notifications.filter { $0.ticketID == id && $0.payload.contains("terlambat") }.count == 1)
        #expect(work.unreadNotifications >= 1)
        try t.simpul.tickets.markNotificationsRead(by: kasi)
        work = try t.simpul.tickets.work(by: kasi)
        #expect(work.unreadNotifications == 0 && work.notifications.isEmpty)
    }
}
