import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

/// Where a new password comes from: standard input, or generated and printed once.
struct PasswordSource: ParsableArguments {
    @Flag(help: "Baca kata sandi dari stdin / read the password from standard input.") var passwordStdin = false
    @Flag(help: "Buat kata sandi acak dan cetak sekali / generate a random password and print it once.") var generatePassword = false

    func password(language: Language) throws -> (String, generated: Bool) {
        if passwordStdin == generatePassword {
            throw CLIError(Text(id: "pilih satu: --password-stdin atau --generate-password", en: "choose one: --password-stdin or --generate-password"))
        }
        if generatePassword { return (SecureRandom.password(), true) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIError(Text(id: "stdin kosong; kirim kata sandi lewat stdin", en: "standard input is empty; pipe the password in"))
        }
        return (line, false)
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Pengguna / users.",
        subcommands: [Add.self, Passwd.self, List.self, Disable.self, Enable.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Tambah pengguna / add a user.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama pengguna / username.") var username: String
        @Option(help: "Peran / role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Nama lengkap / full name.") var name: String
        @Option(help: "Kode instansi (peran agency) / agency code (agency role).") var agency: String?
        @OptionGroup var password: PasswordSource

        func run() throws {
            try options.run {
                guard let role = Role(rawValue: role.lowercased()) else {
                    throw CLIError(Text(id: "peran \"\(role)\" tidak dikenal; pilih: \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                                        en: "unknown role \"\(role)\"; choose one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                let (secret, generated) = try password.password(language: options.language)
                let user = try options.simpul().accounts.add(username: username, fullName: name, role: role, agency: agency,
                                                            password: secret, by: options.principal)
                print("\(Text(id: "pengguna", en: "user")(options.language)): \(user.username) (\(user.role.title(options.language)))")
                if generated { print("password: \(secret)") }
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Ganti kata sandi / set a password (ends the user's sessions).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama pengguna / username.") var username: String
        @OptionGroup var password: PasswordSource

        func run() throws {
            try options.run {
                let (secret, generated) = try password.password(language: options.language)
                try options.simpul().accounts.setPassword(username: username, password: secret, by: options.principal)
                print(options.language == .id ? "kata sandi \(username) diganti" : "password of \(username) changed")
                if generated { print("password: \(secret)") }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar pengguna / list users.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let users = try simpul.accounts.list(by: options.principal)
                if json { try Output.json(users); return }
                Output.table(options.listing(simpul).users(users))
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Nonaktifkan pengguna / disable a user.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama pengguna / username.") var username: String

        func run() throws {
            try options.run {
                try options.simpul().accounts.setDisabled(true, username: username, by: options.principal)
                print(options.language == .id ? "\(username) dinonaktifkan" : "\(username) disabled")
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Aktifkan lagi pengguna / enable a user again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama pengguna / username.") var username: String

        func run() throws {
            try options.run {
                try options.simpul().accounts.setDisabled(false, username: username, by: options.principal)
                print(options.language == .id ? "\(username) diaktifkan" : "\(username) enabled")
            }
        }
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Token API / API tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Buat token API; rahasianya dicetak sekali / create an API token; its secret is printed once.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pemilik token / the token's user.") var username: String
        @Option(help: "Nama token, mis. pemantauan / the token's name, e.g. monitoring.") var name: String

        func run() throws {
            try options.run {
                let (token, secret) = try options.simpul().accounts.createToken(username: username, name: name, by: options.principal)
                print("token #\(token.id) (\(token.username), \(token.name))")
                print(secret)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Daftar token / list tokens.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let tokens = try simpul.accounts.tokens(by: options.principal)
                if json { try Output.json(tokens); return }
                Output.table(options.listing(simpul).tokens(tokens))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Cabut token / revoke a token.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "ID token.") var id: Int64

        func run() throws {
            try options.run {
                try options.simpul().accounts.revokeToken(id: id, by: options.principal)
                print(options.language == .id ? "token #\(id) dicabut" : "token #\(id) revoked")
            }
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Log audit / the audit log.", subcommands: [List.self, Verify.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Baris terbaru / newest rows.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Jumlah baris / number of rows.") var limit = 50

        func validate() throws { try options.require(limit, "limit", in: Bounds.cliLimit) }
        @Option(help: "Jenis objek, mis. agency / object type, e.g. agency.") var type: String?
        @Option(help: "Kunci objek, mis. DINKES / object key, e.g. DINKES.") var key: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let (entries, _) = try simpul.audit.recent(limit: limit, objectType: type, objectKey: key, by: options.principal)
                if json { try Output.json(entries); return }
                Output.table(options.listing(simpul).audit(entries))
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", 
            abstract: "Periksa rantai hash log audit / verify the audit log's hash chain.",
            discussion: "Exit status 0 when intact, 3 when any row was edited, inserted or deleted.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try options.run {
                let result = try options.simpul().audit.verify(by: options.principal)
                let id = options.language == .id
                if result.isIntact {
                    print(id ? "log audit utuh: \(result.checked) baris diperiksa" : "audit log intact: \(result.checked) rows checked")
                    return
                }
                for problem in result.problems { print(problem.text(options.language)) }
                print(id ? "LOG AUDIT RUSAK: \(result.problems.count) masalah dalam \(result.checked) baris"
                         : "AUDIT LOG TAMPERED: \(result.problems.count) problem(s) in \(result.checked) rows")
                throw ExitCode(3)
            }
        }
    }
}
