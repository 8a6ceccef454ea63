import Yams

/// The credentials file, read but with its `*_file` secrets not yet fetched: which name is which
/// kind, and where each secret comes from. Reading the disk is the adapter's part
/// (`SNMPCredentialsLoader`); parsing and checking is here.
///
/// ```yaml
/// ro-kantor:                        # the name devices give as snmp.credential
///   community: rahasia-kantor       # SNMP v2c
/// v3-noc:
///   user: simpul                    # SNMP v3 USM
///   auth: sha256                    # sha256 or sha1
///   auth_password_file: noc-auth    # or auth_password: "…" (8–256 characters)
///   priv: aes128                    # optional: authPriv; without it authNoPriv
///   priv_password_file: noc-priv    # or priv_password: "…"
/// ```
///
/// No message about this file ever quotes a value from it: the file holds secrets.
public struct SNMPCredentialsFile: Sendable {
    /// Where a secret comes from.
    public enum Secret: Sendable, Hashable {
        case inline(String)
        /// A file whose first line is the secret; relative paths are against the credentials file's folder.
        case file(String)
    }

    public enum Kind: Sendable, Hashable {
        case community(Secret)
        case user(name: String, auth: SNMPAuthProtocol, authPassword: Secret, priv: SNMPPrivProtocol?, privPassword: Secret?)
    }

    public struct Entry: Sendable, Hashable {
        public let name: String
        /// The line of the entry's name.
        public let line: Int
        public let kind: Kind
        /// The line of each field, for messages about a secret file.
        let fieldLines: [String: Int]
    }

    /// The length a community may have (bytes).
    public static let communityBytes = 1...255
    /// The length a v3 password may have (characters): RFC 3414 asks for at least 8.
    public static let passwordLength = 8...256
    /// The length of a v3 user name (SnmpAdminString, RFC 3414): 1–32.
    public static let userLength = 1...32
    /// At most this many bytes in a secret file (one line is read from it).
    public static let secretFileBytes = 4_096

    public let file: String
    public let entries: [Entry]

    /// At most this many bytes in the credentials file.
    public static let fileBytes = 1_048_576

    /// Parses the file's bytes: UTF-8 text (the line of the first byte that is not, without the byte),
    /// then as ``parse(_:file:)``.
    public static func parse(bytes: [UInt8], file: String) throws(SNMPError) -> SNMPCredentialsFile {
        guard bytes.count <= fileBytes else {
            throw .credentialsUnreadable(file: file, reason: Text(
                id: "berkas terlalu besar (\(bytes.count) bita, paling besar \(fileBytes))", en: "the file is too large (\(bytes.count) bytes, at most \(fileBytes))"))
        }
        if let offset = YAMLFile.firstInvalidUTF8(bytes) {
            let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw .credentialsInvalid(file: file, problems: [(line, "(file)", Text(
                id: "bukan teks UTF-8 di baris ini; simpan berkas sebagai teks UTF-8", en: "is not UTF-8 text on this line; save the file as UTF-8 text"))])
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: file)
    }

    /// A secret file's bytes as text: UTF-8, at most ``secretFileBytes``.
    public static func secretText(_ bytes: [UInt8]) -> Result<String, Unreadable> {
        guard bytes.count <= secretFileBytes else {
            return .failure(Unreadable(Text(id: "berkas terlalu besar untuk sebuah rahasia (\(bytes.count) bita, paling besar \(secretFileBytes))",
                                            en: "the file is too large for a secret (\(bytes.count) bytes, at most \(secretFileBytes))")))
        }
        guard YAMLFile.firstInvalidUTF8(bytes) == nil else {
            return .failure(Unreadable(Text(id: "bukan teks UTF-8", en: "it is not UTF-8 text")))
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses the file's text. Every problem is collected, each with its line; none quotes a value.
    public static func parse(_ text: String, file: String) throws(SNMPError) -> SNMPCredentialsFile {
        let log = IssueLog()
        var entries: [Entry] = []
        let refused = YAMLGuard.check(text, file: file)
        var root: Node?
        if refused.isEmpty {
            do {
                root = try Yams.compose(yaml: text)
            } catch {
                let (line, _) = YAMLErrors.describe(error, in: text)
                log.add(SourceLocation(file: file, line: line), "(yaml)", unreadable)
            }
        } else {
            // The guard's own messages may quote what is written (an alias's name): not here.
            for issue in refused { log.add(issue.location, "(yaml)", unreadable) }
        }
        if let root {
            if let mapping = root.mapping {
                for (key, value) in mapping {
                    let line = key.mark?.line ?? 1
                    guard let name = key.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= Limits.name else {
                        log.add(SourceLocation(file: file, line: line), "(name)", Text(
                            id: "nama kredensial harus berupa teks 1–\(Limits.name) karakter",
                            en: "a credential's name must be text of 1–\(Limits.name) characters"))
                        continue
                    }
                    if let entry = Self.entry(name, value, line: line, file: file, log: log) { entries.append(entry) }
                }
            } else if root.null == nil {
                log.add(SourceLocation(file: file, line: root.mark?.line ?? 1), "(file)", Text(
                    id: "harus berupa pemetaan nama kredensial ke isinya (lihat docs/inventory.md)",
                    en: "must be a mapping of credential names to their fields (see docs/inventory.md)"))
            }
        }
        let issues = log.all
        guard issues.isEmpty else {
            throw .credentialsInvalid(file: file, problems: issues.map { ($0.location?.line ?? 1, $0.field, $0.text) })
        }
        return SNMPCredentialsFile(file: file, entries: entries)
    }

    static let unreadable = Text(
        id: "YAML tidak dapat dibaca di sini (barisnya tidak ditampilkan karena berkas ini menyimpan rahasia): periksa indentasi, dan beri tanda kutip pada nilai yang berisi : # * & ! atau diawali spasi",
        en: "the YAML cannot be read here (the line is not shown: this file holds secrets): check the indentation, and quote values that hold : # * & ! or start with a space")

    static let fields = ["community", "community_file", "user", "auth", "auth_password", "auth_password_file",
                         "priv", "priv_password", "priv_password_file"]

    static func entry(_ name: String, _ node: Node, line: Int, file: String, log: IssueLog) -> Entry? {
        guard let r = FieldReader(node, file: file, path: name, log: log, allowed: fields) else { return nil }
        let isV2c = r.node("community") != nil || r.node("community_file") != nil
        let isV3 = r.node("user") != nil
        if isV2c && isV3 {
            r.fail("user", Text(id: "tulis community (v2c) atau user (v3), tidak keduanya", en: "give community (v2c) or user (v3), not both"))
            return nil
        }
        if isV2c {
            for field in ["auth", "auth_password", "auth_password_file", "priv", "priv_password", "priv_password_file"] where r.node(field) != nil {
                r.fail(field, Text(id: "hanya untuk pengguna SNMP v3 (user:), bukan community", en: "only for SNMP v3 users (user:), not a community"))
            }
            guard let secret = secret(r, "community", lengths: communityBytes, inBytes: true) else { return nil }
            return Entry(name: name, line: line, kind: .community(secret), fieldLines: r.fieldLines)
        }
        guard isV3 else {
            r.fail("(entry)", Text(id: "wajib diisi: community (SNMP v2c) atau user dengan auth dan auth_password (SNMP v3)",
                                   en: "is required: community (SNMP v2c) or user with auth and auth_password (SNMP v3)"))
            return nil
        }
        let user = r.string("user", required: true, max: 100, expected: Text(id: "nama pengguna SNMP v3", en: "the SNMP v3 user name"))
        if let user, !userLength.contains(user.count) {
            r.fail("user", Text(id: "nama pengguna SNMP v3 paling banyak 32 karakter", en: "an SNMP v3 user name has at most 32 characters"))
        }
        let auth = r.choice("auth", SNMPAuthProtocol.self)
        if auth == nil && r.node("auth") == nil {
            r.missing("auth", Text(id: "sha256 atau sha1 (SNMP v3 tanpa autentikasi tidak didukung: semuanya terkirim tanpa pemeriksaan)",
                                   en: "sha256 or sha1 (SNMP v3 without authentication is not supported: everything would go unchecked)"))
        }
        let authPassword = secret(r, "auth_password", lengths: passwordLength, inBytes: false)
        let priv = r.choice("priv", SNMPPrivProtocol.self)
        var privPassword: Secret?
        if r.node("priv") != nil {
            privPassword = secret(r, "priv_password", lengths: passwordLength, inBytes: false)
        } else if r.node("priv_password") != nil || r.node("priv_password_file") != nil {
            r.fail(r.node("priv_password") != nil ? "priv_password" : "priv_password_file", Text(
                id: "kata sandi privasi tanpa priv:; tambahkan priv: aes128 (authPriv) atau hapus kata sandinya (authNoPriv)",
                en: "a privacy password without priv:; add priv: aes128 (authPriv) or remove the password (authNoPriv)"))
            return nil
        }
        guard let user, userLength.contains(user.count), let auth, let authPassword else { return nil }
        if r.node("priv") != nil && (priv == nil || privPassword == nil) { return nil }
        return Entry(name: name, line: line, kind: .user(name: user, auth: auth, authPassword: authPassword, priv: priv, privPassword: privPassword),
                     fieldLines: r.fieldLines)
    }

    /// `field` or `field_file`, exactly one of them. An inline value is checked for its length here;
    /// a file's content when it is read. Never quoted.
    static func secret(_ r: FieldReader, _ field: String, lengths: ClosedRange<Int>, inBytes: Bool) -> Secret? {
        let fileField = field + "_file"
        let inline = r.node(field)
        let path = r.node(fileField)
        switch (inline, path) {
        case (nil, nil):
            r.missing(field, Text(id: "\(field) atau \(fileField)", en: "\(field) or \(fileField)"))
            return nil
        case (.some, .some):
            r.fail(fileField, Text(id: "tulis \(field) atau \(fileField), tidak keduanya", en: "give \(field) or \(fileField), not both"))
            return nil
        case (.some(let node), nil):
            guard node.scalar != nil, let value = node.string else {
                r.fail(field, Text(id: "harus berupa teks", en: "must be text"))
                return nil
            }
            if let problem = lengthProblem(value, field: field, lengths: lengths, inBytes: inBytes) {
                r.fail(field, problem)
                return nil
            }
            return .inline(value)
        case (nil, .some):
            guard let value = r.string(fileField, max: 4_096, expected: Text(id: "jalur berkas", en: "a file path")) else { return nil }
            return .file(value)
        }
    }

    /// What is wrong with a secret's length, without quoting it.
    static func lengthProblem(_ value: String, field: String, lengths: ClosedRange<Int>, inBytes: Bool) -> Text? {
        let length = inBytes ? value.utf8.count : value.count
        guard !lengths.contains(length) else { return nil }
        let unit = inBytes ? Text(id: "bita", en: "bytes") : Text(id: "karakter", en: "characters")
        if value.isEmpty || value.allSatisfy(\.isWhitespace) {
            return Text(id: "\(field) kosong", en: "\(field) is empty")
        }
        return Text(id: "\(field) harus \(lengths.lowerBound)–\(lengths.upperBound) \(unit.id); isinya \(length) \(unit.id) (tidak ditampilkan)",
                    en: "\(field) must have \(lengths.lowerBound)–\(lengths.upperBound) \(unit.en); it has \(length) \(unit.en) (not shown)")
    }

    /// Why a secret file cannot be read (missing, permission denied, too large, not text).
    public struct Unreadable: Error, Sendable {
        public let reason: Text
        public init(_ reason: Text) { self.reason = reason }
    }

    /// A secret file's path as it is opened: relative ones against the credentials file's folder.
    public func path(of secretFile: String) -> String {
        if secretFile.hasPrefix("/") { return secretFile }
        guard let slash = file.lastIndex(of: "/") else { return secretFile }
        return String(file[...slash]) + secretFile
    }

    /// The credentials with their secrets, `read` fetching a secret file's content (its whole text,
    /// or why it cannot be read). The first line of each is the secret, checked like an inline one.
    public func resolve(reading read: (String) -> Result<String, Unreadable>) throws(SNMPError) -> SNMPCredentials {
        var problems: [(line: Int, field: String, text: Text)] = []
        var unreadable: Text?
        func value(_ secret: Secret, _ entry: Entry, _ field: String, lengths: ClosedRange<Int>, inBytes: Bool) -> String? {
            switch secret {
            case .inline(let value):
                return value
            case .file(let raw):
                let fileField = field + "_file"
                let line = entry.fieldLines[fileField] ?? entry.line
                let opened = path(of: raw)
                switch read(opened) {
                case .failure(let failure):
                    let reason = failure.reason
                    if unreadable == nil {
                        unreadable = Text(id: "\(fileField) kredensial \"\(entry.name)\" (\(file):\(line)): \(opened): \(reason.id)",
                                          en: "\(fileField) of credential \"\(entry.name)\" (\(file):\(line)): \(opened): \(reason.en)")
                    }
                    return nil
                case .success(let text):
                    var first = Substring(text)
                    if let newline = first.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) { first = first[..<newline] }
                    if first.hasSuffix("\r") { first = first.dropLast() }
                    let secret = String(first)
                    if let problem = Self.lengthProblem(secret, field: field, lengths: lengths, inBytes: inBytes) {
                        problems.append((line, "\(entry.name).\(fileField)", Text(
                            id: "baris pertama \(opened): \(problem.id)", en: "the first line of \(opened): \(problem.en)")))
                        return nil
                    }
                    return secret
                }
            }
        }
        var credentials: [String: SNMPCredential] = [:]
        for entry in entries {
            switch entry.kind {
            case .community(let secret):
                if let community = value(secret, entry, "community", lengths: Self.communityBytes, inBytes: true) {
                    credentials[entry.name] = SNMPCredential(name: entry.name, security: .community(community), file: file)
                }
            case .user(let name, let auth, let authSecret, let priv, let privSecret):
                let authPassword = value(authSecret, entry, "auth_password", lengths: Self.passwordLength, inBytes: false)
                let privPassword = privSecret.flatMap { value($0, entry, "priv_password", lengths: Self.passwordLength, inBytes: false) }
                guard let authPassword, privSecret == nil || privPassword != nil else { continue }
                credentials[entry.name] = SNMPCredential(
                    name: entry.name, security: .user(SNMPUser(name: name, auth: auth, authPassword: authPassword, priv: priv, privPassword: privPassword)),
                    file: file)
            }
        }
        if let unreadable { throw .credentialsUnreadable(file: file, reason: unreadable) }
        if !problems.isEmpty { throw .credentialsInvalid(file: file, problems: problems) }
        return SNMPCredentials(file: file, entries: credentials)
    }
}
