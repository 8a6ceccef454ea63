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
    }
}
