import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct PlaybookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "Playbook SOP: periksa, muat, tampilkan / SOP playbooks: check, load, show.",
        subcommands: [Validate.self, Import.self, List.self, Show.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", 
            abstract: "Periksa berkas playbook dan kalender tanpa basis data / check playbook and calendar files without the database.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Folder playbook (kalender di calendar/) / playbook folder (calendars in calendar/).") var directory: String = "Playbooks"

        func run() throws {
            try options.run {
                let documents = try PlaybookService.documents(inDirectory: directory)
                let (playbooks, calendar, issues) = PlaybookService.check(documents)
                guard issues.isEmpty else { throw InventoryInvalid(issues: issues, noun: .playbooks) }
                let id = options.language == .id
                for playbook in playbooks {
                    print("\(playbook.id) v\(playbook.version): \(playbook.steps.count) \(id ? "langkah" : "steps"), \(playbook.escalations.count) \(id ? "aturan eskalasi" : "escalation rules")")
                }
                print(id ? "kalender: \(calendar?.timeZone ?? "-"), \(calendar?.holidays.count ?? 0) hari libur" : "calendar: \(calendar?.timeZone ?? "-"), \(calendar?.holidays.count ?? 0) holidays")
                print(id ? "\(playbooks.count) playbook valid" : "\(playbooks.count) playbook(s) valid")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", 
            abstract: "Muat playbook dan kalender ke basis data; versi yang sudah dimuat tidak berubah / load playbooks and the calendar; loaded versions never change.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Folder playbook / playbook folder.") var directory: String = "Playbooks"
        @Flag(help: "Tampilkan tanpa menulis / show without writing.") var dryRun = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let report = try simpul.playbooks.load(try PlaybookService.documents(inDirectory: directory), by: options.principal, dryRun: dryRun)
                if json { try Output.json(report); return }
                let id = options.language == .id
                for added in report.added { print("+ \(added)") }
                for same in report.unchanged { print("= \(same)") }
                if report.calendarChanged { print(id ? "~ kalender (\(report.holidays) hari libur)" : "~ calendar (\(report.holidays) holidays)") }
                let verb = dryRun ? (id ? "akan dimuat" : "would be loaded") : (id ? "dimuat" : "loaded")
                print(id ? "\(report.added.count) versi baru \(verb), \(report.unchanged.count) tidak berubah" : "\(report.added.count) new version(s) \(verb), \(report.unchanged.count) unchanged")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar playbook yang dimuat / list loaded playbooks.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let list = try options.simpul().playbooks.list(by: options.principal)
                if json { try Output.json(list.map(\.playbook)); return }
                let language = options.language
                Output.table(["id", "v", language == .id ? "langkah" : "steps", language == .id ? "kalender" : "calendar", "SOP", language == .id ? "judul" : "title"],
                             list.map { [$0.playbook.id, String($0.playbook.version), String($0.playbook.steps.count), $0.playbook.calendar.rawValue,
                                         $0.playbook.source.sop, $0.playbook.title(language)] })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Langkah-langkah playbook sebagai tabel / a playbook's steps as a table.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Id playbook, mis. fault-dispatch / playbook id.") var id: String
        @Option(help: "Versi (bawaan: yang berlaku) / version (default: current).") var version: Int?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let loaded = try options.simpul().playbooks.playbook(id, version: version, by: options.principal)
                let playbook = loaded.playbook
                if json { try Output.json(playbook); return }
                let language = options.language
                let isID = language == .id
                print("\(playbook.id) v\(playbook.version): \(playbook.title(language))")
                print("SOP \(playbook.source.sop) \(playbook.source.title)\(playbook.source.date.map { " (\($0))" } ?? "")")
                for merged in playbook.mergedFrom { print("+ SOP \(merged.source.sop) \(merged.source.title) [\(merged.ref)]") }
                print((isID ? "kalender: " : "calendar: ") + playbook.calendar.rawValue)
                print()
                Output.table(["#", isID ? "langkah" : "step", isID ? "pelaku" : "actor", isID ? "standar" : "standard", isID ? "jam" : "clock",
                              isID ? "bukti" : "evidence", isID ? "berikutnya" : "next", isID ? "judul" : "title"],
                             playbook.steps.enumerated().map { index, step in
                                 let next: String = switch step.exit {
                                 case .next(let target): target.description
                                 case .branches(let list): list.map { "\($0.name)→\($0.target)" }.joined(separator: " ")
                                 }
                                 let source = step.sourceStep.map { "\($0)\(step.sourceRef.map { "/\($0)" } ?? "")" } ?? (isID ? "praktik" : "practice")
                                 return ["\(index + 1) (\(source))", step.id, step.actor.rawValue,
                                         step.standard.map { "\($0)\(step.calendar.map { " \($0.rawValue)" } ?? "")" } ?? "-",
                                         step.clock.rawValue, step.evidence.map(\.rawValue).joined(separator: ",").nilIfEmptyDash, next, step.title(language)]
                             })
                if !playbook.escalations.isEmpty {
                    print()
                    print(isID ? "Eskalasi:" : "Escalations:")
                    for rule in playbook.escalations {
                        let when: String = switch rule.trigger {
                        case .elapsed(let step, let percent): "\(step) ≥ \(percent)%"
                        case .branch(let name): isID ? "hasil \(name)" : "outcome \(name)"
                        }
                        var actions: [String] = []
                        if let notify = rule.notify { actions.append("notify \(notify.rawValue)") }
                        if let to = rule.escalateTo { actions.append("escalate_to \(to.rawValue)") }
                        if rule.raisePriority { actions.append("raise_priority") }
                        print("  \(when): \(actions.joined(separator: ", "))")
                    }
                }
            }
        }
    }
}

extension String {
    var nilIfEmptyDash: String { isEmpty ? "-" : self }
}
