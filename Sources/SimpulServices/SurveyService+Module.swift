import Foundation
import SimpulCore
import SimpulStore

extension SurveyService {
    /// Bandwidth surveys as a ticket module: the measuring, the agencies' needs, the map and the
    /// specification of the `bandwidth-survey` playbook are the module's steps (`done_by: survey.*`).
    struct Module: TicketModule {
        let name = "survey"
        let playbooks: Set<String> = [SurveyService.playbook]
        let title = Text(id: "survei bandwidth", en: "bandwidth survey")
        var intake: String? { "/surveys/new" }

        func page(ticket: Int64) -> String { "/surveys/ticket/\(ticket)" }

        func permits(_ action: String, _ principal: Principal) -> Bool {
            switch action {
            case "survey.measure": SurveyService.measurers.contains(principal.role)
            case "survey.needs", "survey.map", "survey.specification": SurveyService.mappers.contains(principal.role)
            default: false
            }
        }

        func cancelled(_ tx: Transaction, ticket: Int64, timeZone: TimeZone) throws -> [Int64] { [] }

        func reopened(_ tx: Transaction, ticket: Int64, by principal: Principal) throws {}

        /// Entering the measuring step before the survey's period has ended holds the ticket until
        /// it ends: the SOP's standard time for the step is the technician's work on the figures,
        /// not the weeks the counters and captures run, so its clock starts when the period is over.
        func moved(_ tx: Transaction, ticket: Int64, from previous: Ticket?, to transition: TicketTransition, tickets: TicketService) throws {
            let now = transition.ticket
            guard now.status == .open, now.current?.stepID == SurveyService.measuringStep, previous?.current?.stepID != SurveyService.measuringStep,
                  let survey = try SurveyStore.survey(tx, ticketID: ticket),
                  let end = try SurveyService.periodEnd(tx, survey), tx.now < end else { return }
            try tickets.act(tx, ticket, .hold, reason: SurveyService.measuringHold(survey), by: .system, now: tx.now)
        }

        /// Resumes the surveys held for their measuring period once the period is over.
        func sweep(_ tx: Transaction, tickets: TicketService) throws -> Int {
            var resumed = 0
            for survey in try SurveyStore.heldOnStep(tx, SurveyService.measuringStep) {
                guard try SurveyService.heldForPeriod(tx, ticket: survey.ticketID),
                      let end = try SurveyService.periodEnd(tx, survey), tx.now >= end else { continue }
                try tickets.act(tx, survey.ticketID, .resume, reason: "Masa pengukuran \(survey.periodFrom) – \(survey.periodTo) selesai / the measuring period is over",
                                by: .system, now: tx.now)
                resumed += 1
            }
            return resumed
        }
    }

    /// The step whose clock waits for the survey's period.
    static let measuringStep = "survey"

    /// The hold's reason: why the clock waits, and until when.
    static func measuringHold(_ survey: SurveyStore.SurveyRow) -> String {
        "Menunggu masa pengukuran \(survey.periodFrom) – \(survey.periodTo) berakhir / waiting for the measuring period to end"
    }

    /// The instant the survey's period ends: midnight after its last day, in the office's time zone.
    static func periodEnd(_ reader: Reader, _ survey: SurveyStore.SurveyRow) throws -> Date? {
        guard let last = WorkCalendar.dayNumber(survey.periodTo) else { return nil }
        return WorkCalendar.midnight(WorkCalendar.dateString(day: last + 1), in: try LANService.officeZone(reader))
    }

    /// Whether the ticket is held by Simpul for the measuring period (not by a person, whose hold
    /// only a person lifts).
    static func heldForPeriod(_ reader: Reader, ticket: Int64) throws -> Bool {
        guard let (loaded, _) = try TicketStore.load(reader, id: ticket), loaded.status == .held,
              let visit = loaded.visits.last, visit.stepID == measuringStep,
              let hold = visit.holds.last, hold.end == nil else { return false }
        return hold.by == Principal.system.username
    }
}
