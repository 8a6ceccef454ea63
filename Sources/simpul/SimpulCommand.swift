import ArgumentParser
import Foundation
import SimpulCapture
import SimpulCore
import SimpulDNS
import SimpulMail
import SimpulPDF
import SimpulServices
import SimpulSNMP
import SimpulStore

@main
struct SimpulCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simpul",
        abstract: "Simpul: operasi jaringan dan pusat data Diskominfo / network and data-center operations for Diskominfo.",
        discussion: """
        The database is --db, else $SIMPUL_DB, else $XDG_DATA_HOME/simpul/simpul.db (~/.local/share/simpul/simpul.db).
        Messages are in Indonesian unless --lang en or SIMPUL_LANG=en.
        """,
        version: SimpulVersion.string,
        subcommands: [
            InventoryCommand.self, AgencyCommand.self, ProviderCommand.self, LinkCommand.self, DeviceCommand.self,
            PoolCommand.self, IPCommand.self, DNSCommand.self, OutboxCommand.self, HostingCommand.self, FaultCommand.self, LANCommand.self, UpkeepCommand.self, PartCommand.self, TemplateCommand.self, ZoneCommand.self, RackCommand.self, PlaybookCommand.self, TicketCommand.self, ReportCommand.self, DemoCommand.self,
            UserCommand.self, TokenCommand.self, AuditCommand.self,
            SNMPCommand.self,
            ProbeCommand.self, PollCommand.self,
            CaptureCommand.self, SurveyCommand.self,
            ServeCommand.self, VersionCommand.self,
        ]
    )
}

extension SimpulCommand {
    /// Like the argument parser's own `main`, but the options every command takes (`--db`, `--lang`,
    /// `--tsig-key`) may also come before the subcommand, as people type them with git or kubectl:
    /// `simpul --db X agency list`. Those are handed on through the environment variables that the
    /// same options already read, so an option given after the subcommand still wins.
    static func main() async {
        do {
            let arguments = try LeadingOptions.hoist(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// The global options found before the first subcommand, moved into the environment.
enum LeadingOptions {
    static let variables = ["--db": "SIMPUL_DB", "--lang": "SIMPUL_LANG", "--tsig-key": "SIMPUL_TSIG_KEY"]

    static func hoist(_ arguments: [String]) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            let (name, inline) = first.firstIndex(of: "=").map { (String(first[..<$0]), Optional(String(first[first.index(after: $0)...]))) }
                ?? (first, nil)
            guard let variable = variables[name] else { break }
            rest = rest.dropFirst()
            let value: String
            if let inline {
                value = inline
            } else {
                guard let next = rest.first, !next.hasPrefix("--") else {
                    throw ValidationError("\(name) perlu nilai / \(name) needs a value")
                }
                value = next
                rest = rest.dropFirst()
            }
            setenv(variable, name == "--db" ? absolute(value) : value, 1)
        }
        return Array(rest)
    }

    /// Paths are made absolute here, as the subcommand would read them relative to the same directory.
    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

enum SimpulVersion {
    static let string = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Versi Simpul dan pustaka / Simpul and library versions.")

    func run() {
        print("simpul \(SimpulVersion.string)")
        print("net-snmp \(NetSNMP.libraryVersion)")
        print(Pcap.libraryVersion)
    }
}

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Berkas basis data SQLite / SQLite database file (default: $SIMPUL_DB or the per-user data directory).")
    var db: String?

    @Option(name: .long, help: "Bahasa pesan / message language: id or en (default: $SIMPUL_LANG).")
    var lang: String?

    @Option(name: .customLong("tsig-key"), help: "Berkas kunci TSIG untuk pembaruan DNS / TSIG key file for DNS updates (default: $SIMPUL_TSIG_KEY).")
    var tsigKey: String?

    /// The key file the DNS client reads on each push; the secret never enters the database or a log.
    var tsigKeyPath: String? {
        if let tsigKey, !tsigKey.isEmpty { return tsigKey }
        return ProcessInfo.processInfo.environment["SIMPUL_TSIG_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var language: Language {
        Language(tag: lang ?? ProcessInfo.processInfo.environment["SIMPUL_LANG"] ?? "id")
    }

    var databasePath: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SIMPUL_DB"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("simpul/simpul.db")
    }

    /// Opens the database and the services over it.
    func simpul() throws -> Simpul {
        var settings = Simpul.Settings()
        if let zone = ProcessInfo.processInfo.environment["SIMPUL_TZ"], !zone.isEmpty { settings.timeZone = zone }
        if let cost = ProcessInfo.processInfo.environment["SIMPUL_BCRYPT_COST"].flatMap(UInt8.init), (4...31).contains(cost) {
            settings.bcryptCost = cost
        }
        let delivery = try DeliveryConfiguration(environment: ProcessInfo.processInfo.environment)
        settings.mailFrom = delivery.mailFrom
        let path = databasePath
        do {
            return Simpul(database: try AppDatabase.open(path: path), settings: settings, dns: DNSClient(keyFile: tsigKeyPath),
                          mail: delivery.mail, webhook: delivery.webhook, health: HealthFile(path: HealthDatabase.path(besideMain: path)),
                          pdf: SharedChromium())
        } catch {
            throw CLIError(Text(id: "basis data \(path) tidak dapat dibuka: \(error)", en: "cannot open the database \(path): \(error)"))
        }
    }

    /// The command line acts as an administrator, recorded in the audit log under the OS user.
    var principal: Principal {
        let environment = ProcessInfo.processInfo.environment
        return .commandLine(environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? ProcessInfo.processInfo.userName)
    }

    /// `run` for async work (deliveries, DNS checks).
    func runAsync<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as any UserFacingError {
            printError(error.text(language))
            throw ExitCode(1)
        }
    }

    /// Runs `body`, turning every user-facing error into a message in the user's language and exit code 1.
    func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let invalid as InventoryInvalid {
            let language = self.language
            for issue in invalid.issues { printError(issue.message(language)) }
            printError(invalid.text(language))
            throw ExitCode(2)
        } catch let error as any UserFacingError {
            printError(error.text(language))
            throw ExitCode(1)
        }
    }
}

struct CLIError: Error, UserFacingError {
    let text: Text
    init(_ text: Text) { self.text = text }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Mail and webhooks, from the environment: `SIMPUL_SMTP` (with `SIMPUL_SMTP_CREDENTIALS`,
/// `SIMPUL_SMTP_CA_FILE`, `SIMPUL_MAIL_FROM`) and `SIMPUL_WEBHOOK_URL` (with
/// `SIMPUL_WEBHOOK_TOKEN_FILE`). A value that cannot work is refused when the command starts, with
/// what to set; the secret files are only checked to exist here and are read on each send.
struct DeliveryConfiguration {
    var mail: SMTPSender?
    var webhook: WebhookPoster?
    var mailFrom: String?

    init(environment: [String: String]) throws(DeliveryError) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func file(_ name: String) throws(DeliveryError) -> String? {
            guard let path = value(name) else { return nil }
            guard FileManager.default.fileExists(atPath: path) else {
                throw .configuration(Text(id: "\(name)=\(path): berkas itu tidak ada; buat berkasnya atau hapus \(name)",
                                          en: "\(name)=\(path): that file does not exist; create it or unset \(name)"))
            }
            return path
        }
        func requires(_ name: String, _ needed: String) throws(DeliveryError) {
            guard value(name) != nil, value(needed) == nil else { return }
            throw .configuration(Text(id: "\(name) diatur tetapi \(needed) tidak; atur \(needed) juga", en: "\(name) is set but \(needed) is not; set \(needed) too"))
        }
        try requires("SIMPUL_SMTP_CREDENTIALS", "SIMPUL_SMTP")
        try requires("SIMPUL_SMTP_CA_FILE", "SIMPUL_SMTP")
        try requires("SIMPUL_WEBHOOK_TOKEN_FILE", "SIMPUL_WEBHOOK_URL")
        if let smtp = value("SIMPUL_SMTP") {
            mail = SMTPSender(endpoint: try SMTPEndpoint(parsing: smtp), credentialsFile: try file("SIMPUL_SMTP_CREDENTIALS"),
                              caFile: try file("SIMPUL_SMTP_CA_FILE"))
        }
        if let from = value("SIMPUL_MAIL_FROM") {
            if let problem = MailMessage.addressProblem(from) {
                throw .configuration(Text(id: "SIMPUL_MAIL_FROM: \(problem.id)", en: "SIMPUL_MAIL_FROM: \(problem.en)"))
            }
            mailFrom = from
        }
        if let url = value("SIMPUL_WEBHOOK_URL") {
            webhook = WebhookPoster(endpoint: try WebhookEndpoint(parsing: url), tokenFile: try file("SIMPUL_WEBHOOK_TOKEN_FILE"))
        }
    }
}
