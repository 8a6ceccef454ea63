import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Templat pesan yang dikirim Simpul / the message templates Simpul sends.",
        discussion: """
        Mustache templates ({{circuit}}); a template naming a placeholder its message does not have is refused.
        Contoh / examples:
          simpul template list
          simpul template show provider.escalation.mail
          simpul template set provider.escalation.mail --subject "[Gangguan #{{ticket}}] {{circuit}}" --body-file eskalasi.txt
          simpul template reset provider.escalation.mail
        """,
        subcommands: [List.self, Show.self, Set.self, Reset.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar templat / list the templates.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try options.run {
                let language = options.language
                let rows = try options.simpul().templates.list(by: options.principal).map { t in
                    [t.template.name, t.template.title(language),
                     t.edited.map { Text(id: "diubah oleh \($0.updatedBy)", en: "edited by \($0.updatedBy)")(language) } ?? Text(id: "bawaan", en: "as shipped")(language)]
                }
                Output.table([Text(id: "nama", en: "name")(language), Text(id: "untuk", en: "for")(language), Text(id: "keadaan", en: "state")(language)], rows)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Isi templat dan tempat isiannya / a template's text and its placeholders.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama templat / template name.") var name: String

        func run() throws {
            try options.run {
                let t = try options.simpul().templates.template(name, by: options.principal).template
                var lines = ["subject: \(t.subject)", "", t.body, "", Text(id: "Tempat isian:", en: "Placeholders:")(options.language)]
                lines += t.placeholders.map { "  {{\($0.name)}}  \($0.meaning(options.language))" }
                Output.lines(lines)
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Simpan teks kantor / save the office's text.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama templat / template name.") var name: String
        @Option(help: "Subjek / subject.") var subject: String = ""
        @Option(help: "Berkas isi (UTF-8) / the text from this file.") var bodyFile: String

        func run() throws {
            try options.run {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: bodyFile)) } catch {
                    throw CLIError(Text(id: "berkas \(bodyFile) tidak terbaca", en: "cannot read the file \(bodyFile)"))
                }
                guard data.count <= 20_000, let body = String(data: data, encoding: .utf8) else {
                    throw CLIError(Text(id: "berkas \(bodyFile) harus teks UTF-8, paling besar 20000 byte", en: "the file \(bodyFile) must be UTF-8 text of at most 20000 bytes"))
                }
                _ = try options.simpul().templates.save(name, subject: subject, body: body, by: options.principal)
                print(Text(id: "templat \(name) disimpan", en: "template \(name) saved")(options.language))
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Kembali ke teks bawaan / back to the shipped text.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama templat / template name.") var name: String

        func run() throws {
            try options.run {
                _ = try options.simpul().templates.save(name, subject: "", body: nil, by: options.principal)
                print(Text(id: "templat \(name) kembali ke teks bawaan", en: "template \(name) is back to the shipped text")(options.language))
            }
        }
    }
}
