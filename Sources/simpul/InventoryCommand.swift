import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Impor, periksa dan ekspor inventaris YAML / import, check and export the YAML inventory.",
        subcommands: [Import.self, Validate.self, Export.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", 
            abstract: "Impor folder inventaris; semua diperiksa dulu, tidak ada yang ditulis bila ada kesalahan / import an inventory folder; all or nothing.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Folder berisi berkas *.yaml / folder of *.yaml files.") var directory: String = "Inventory"
        @Flag(help: "Tampilkan perubahan tanpa menulis / show the changes without writing.") var dryRun = false
        @Flag(help: "Hapus baris yang tidak ada di berkas / delete rows absent from the files.") var prune = false
        @Flag(name: .customLong("allow-empty-kind"),
              help: "Dengan --prune: boleh menghapus semua baris dari satu jenis (mis. semua link) / with --prune: allow deleting every row of a kind (e.g. all links).")
        var allowEmptyKind = false
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let documents = try InventoryService.documents(inDirectory: directory)
                let report = try simpul.inventory.importDocuments(documents, by: options.principal, dryRun: dryRun, prune: prune,
                                                             allowEmptyKind: allowEmptyKind, files: InventoryService.files(inDirectory: directory))
                if json { try Output.json(report); return }
                let id = options.language == .id
                for section in report.sections where !(section.added.isEmpty && section.changed.isEmpty && section.removed.isEmpty) {
                    print("\(section.section): +\(section.added.count) ~\(section.changed.count) -\(section.removed.count) =\(section.unchanged)")
                    for key in section.added.prefix(20) { print("  + \(key)") }
                    for key in section.changed.prefix(20) { print("  ~ \(key)") }
                    for key in section.removed.prefix(20) { print("  - \(key)") }
                    let more = section.added.count + section.changed.count + section.removed.count - min(20, section.added.count) - min(20, section.changed.count) - min(20, section.removed.count)
                    if more > 0 { print(id ? "  … dan \(more) lainnya" : "  … and \(more) more") }
                }
                if report.districtChanged { print("district: ~") }
                let total = report.totalChanges
                if dryRun {
                    print(id ? "uji coba: \(total) perubahan akan ditulis (tidak ada yang ditulis)" : "dry run: \(total) change(s) would be written (nothing written)")
                } else if total == 0 {
                    print(id ? "tidak ada perubahan; basis data sudah sama dengan berkas" : "no changes; the database already matches the files")
                } else {
                    print(id ? "\(total) perubahan ditulis" : "\(total) change(s) written")
                }
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Periksa folder inventaris tanpa menulis / check an inventory folder without writing.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Folder berisi berkas *.yaml / folder of *.yaml files.") var directory: String = "Inventory"

        func run() throws {
            try options.run {
                let issues = try options.simpul().inventory.validate(try InventoryService.documents(inDirectory: directory))
                guard issues.isEmpty else { throw InventoryInvalid(issues: issues) }
                print(options.language == .id ? "inventaris valid" : "the inventory is valid")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Tulis basis data sebagai YAML / write the database as YAML.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Folder tujuan (dibuat bila belum ada) / target folder (created if missing).") var directory: String
        @Flag(help: "Timpa berkas yang sudah ada / overwrite existing files.") var force = false

        func run() throws {
            try options.run {
                let documents = try options.simpul().inventory.export(by: options.principal)
                let manager = FileManager.default
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                if !force {
                    let existing = documents.map(\.file).filter { manager.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
                    if !existing.isEmpty {
                        throw CLIError(Text(id: "berkas sudah ada: \(existing.joined(separator: ", ")); pakai --force untuk menimpa",
                                            en: "files already exist: \(existing.joined(separator: ", ")); use --force to overwrite"))
                    }
                }
                for document in documents {
                    let path = (directory as NSString).appendingPathComponent(document.file)
                    try Data(document.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                    print(path)
                }
            }
        }
    }
}
