import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

/// The ticket list's filters, order and counts on a real database file: whichever index a filter
/// walks, the page is the same as filtering every open ticket by hand.
@Suite("Ticket list") struct TicketListTests {
    /// 36 open tickets: two agencies, two playbooks, some of them moved on one step, a third
    /// assigned, a few urgent; opened a minute apart so their deadlines differ.
    static func office() throws -> (TicketServiceTests.Office, [TicketStore.Summary]) {
        let office = try TicketServiceTests.Office()
        for n in 0..<36 {
            let agency = n % 2 == 0 ? "DINKES" : "BKPSDM"
            let playbook = n % 3 == 0 ? "equipment-repair" : "fault-dispatch"
            let id = try office.simpul.tickets.open(playbook: playbook, subject: "Tiket \(n)", agency: agency,
                                                    priority: n % 5 == 0 ? .high : .normal,
                                                    assignee: n % 3 == 1 ? "tek1" : nil, by: office.users["kabid"]!)
            // Moved on one step: some of each playbook (the office's agency stand-in is DINKES's user).
            if agency == "DINKES" && n % 4 == 0 || playbook == "equipment-repair" && n % 2 == 1 { try office.complete(id) }
            office.district.clock.advance(60)
        }
        var all = TicketStore.Filter()
        all.limit = 500
        let everything = try office.simpul.tickets.list(all, by: office.district.cli).rows
        #expect(everything.count == 36)
        return (office, everything)
    }

    @Test func everyFilterMatchesFilteringByHand() throws {
        let (office, everything) = try Self.office()
        let steps = Set(everything.compactMap(\.currentStep))
        #expect(steps.count >= 2)
        var checked = 0
        for agency in [nil, "DINKES"] as [String?] {
            for step in [nil] + steps.sorted() {
                for playbook in [nil, "fault-dispatch"] as [String?] {
                    for assignee in [nil, "tek1", "-"] as [String?] {
                        for priority in [nil, Priority.high] {
                            var filter = TicketStore.Filter()
                            filter.agencyCode = agency
                            filter.stepID = step
                            filter.playbookID = playbook
                            filter.assignee = assignee
                            filter.priority = priority
                            filter.limit = 500
                            let expected = everything.filter { row in
                                (agency == nil || row.agencyCode == agency) && (step == nil || row.currentStep == step)
                                    && (playbook == nil || row.playbookID == playbook) && (priority == nil || row.priority == priority)
                                    && (assignee == nil || (assignee == "-" ? row.assignee == nil : row.assignee == assignee))
                            }
                            let page = try office.simpul.tickets.list(filter, by: office.district.cli)
                            #expect(page.rows.map(\.id) == expected.map(\.id), "agency \(agency ?? "-") step \(step ?? "-") playbook \(playbook ?? "-") assignee \(assignee ?? "any")")
                            #expect(page.total == expected.count && !page.totalIsLowerBound)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 50)
        // Most overdue first: the order the due-date index gives.
        #expect(everything.map { $0.dueAt ?? "~" } == everything.map { $0.dueAt ?? "~" }.sorted())
    }

    @Test func pagesCountAheadAndStopAtTheEnd() throws {
        let (office, everything) = try Self.office()
        var filter = TicketStore.Filter()
        filter.limit = 5
        filter.countAhead = 8
        // A full page counts 8 past its start and says "at least".
        var page = try office.simpul.tickets.list(filter, by: office.district.cli)
        #expect(page.rows.map(\.id) == everything.prefix(5).map(\.id))
        #expect(page.total == 8 && page.totalIsLowerBound)
        // Deep in the list the count still runs from the page, so there is always a next page to offer.
        filter.offset = 25
        page = try office.simpul.tickets.list(filter, by: office.district.cli)
        #expect(page.rows.map(\.id) == everything[25..<30].map(\.id))
        #expect(page.total == 33 && page.totalIsLowerBound)
        // The last page is not full: its end is the exact total.
        filter.offset = 33
        page = try office.simpul.tickets.list(filter, by: office.district.cli)
        #expect(page.rows.count == 3 && page.total == 36 && !page.totalIsLowerBound)
        // Past the end: no rows, and the total counted from the start.
        filter.offset = 100
        filter.countAhead = 1_000
        page = try office.simpul.tickets.list(filter, by: office.district.cli)
        #expect(page.rows.isEmpty && page.total == 36 && !page.totalIsLowerBound)
    }

    @Test func theListIndexesCarryEveryFilteredColumn() throws {
        let (office, _) = try Self.office()
        // The count of a two-column filter reads the index alone (no table row per match).
        let plan = try office.simpul.database.rawRead { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT 1 FROM tickets t INDEXED BY tickets_active_agency
                WHERE t.status IN ('open', 'held') AND t.agency_id = 1 AND t.current_step = 'report' AND t.priority = 'high')
                """).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("COVERING INDEX tickets_active_agency") }, "\(plan)")
    }
}
