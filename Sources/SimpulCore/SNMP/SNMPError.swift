/// Why a walk, or reading the credentials, failed: what went wrong and what to check, in both
/// languages. Compare with the static members (`error == .authenticationFailed`): two errors are
/// equal when they are the same kind, whatever device they name. No text ever holds a secret.
public struct SNMPError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    private enum Internal: String, Sendable, Hashable {
        case noAnswer = "no_answer"
        case authenticationFailed = "auth_failed"
        case unknownUser = "unknown_user"
        case unsupportedSecurityLevel = "unsupported_security_level"
        case decryptionFailed = "decryption_failed"
        case timeWindow = "time_window"
        case unknownEngine = "unknown_engine"
        case malformed
        case tooBig = "too_big"
        case agentError = "agent_error"
        case credentialMissing = "credential_missing"
        case credentialMismatch = "credential_mismatch"
        case credentialsInvalid = "credentials_invalid"
        case credentialsUnreadable = "credentials_unreadable"
        case notConfigured = "not_configured"
        case walkTooLong = "walk_too_long"
        case tooManyInterfaces = "too_many_interfaces"
        case session
        case setting
        case outsideScope = "outside_scope"
        case cancelled
    }

    private let value: Internal
    /// What happened and what to do, naming the device (or file) it is about.
    public let text: Text

    private init(_ value: Internal, _ text: Text) {
        self.value = value
        self.text = text
    }

    /// A stable word for scripts, JSON and a device's status: `no_answer`, `auth_failed`, `unknown_user`…
    public var status: String { value.rawValue }

    /// Whether the device answered at all (an authentication error is an answer; a timeout is not).
    public var deviceAnswered: Bool {
        switch value {
        case .authenticationFailed, .unknownUser, .unsupportedSecurityLevel, .decryptionFailed, .timeWindow, .unknownEngine,
             .malformed, .tooBig, .agentError, .walkTooLong, .tooManyInterfaces: true
        default: false
        }
    }

    public static func == (lhs: SNMPError, rhs: SNMPError) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { text.en }

    // MARK: Kinds, for comparison

    /// No answer within the timeout, after every retry.
    public static var noAnswer: Self { .init(.noAnswer, Text(id: "tidak ada jawaban", en: "no answer")) }
    /// SNMPv3: the device refused the authentication (usmStatsWrongDigests): wrong password or protocol.
    public static var authenticationFailed: Self { .init(.authenticationFailed, Text(id: "autentikasi gagal", en: "authentication failed")) }
    /// SNMPv3: the device does not know the user (usmStatsUnknownUserNames).
    public static var unknownUser: Self { .init(.unknownUser, Text(id: "pengguna tidak dikenal", en: "unknown user")) }
    /// SNMPv3: the user exists but not at this security level (usmStatsUnsupportedSecLevels).
    public static var unsupportedSecurityLevel: Self { .init(.unsupportedSecurityLevel, Text(id: "tingkat keamanan tidak didukung", en: "unsupported security level")) }
    /// SNMPv3: the device could not decrypt the request (usmStatsDecryptionErrors).
    public static var decryptionFailed: Self { .init(.decryptionFailed, Text(id: "dekripsi gagal", en: "decryption failed")) }
    /// SNMPv3: still outside the time window after resynchronising (usmStatsNotInTimeWindows).
    public static var timeWindow: Self { .init(.timeWindow, Text(id: "di luar jendela waktu", en: "not in time window")) }
    /// SNMPv3: the device rejected its own engineID (usmStatsUnknownEngineIDs) after discovery.
    public static var unknownEngine: Self { .init(.unknownEngine, Text(id: "engineID tidak dikenal", en: "unknown engineID")) }
    /// An answer that cannot be read: malformed, truncated, out of order, or with no progress.
    public static var malformed: Self { .init(.malformed, Text(id: "jawaban rusak", en: "malformed answer")) }
    /// tooBig even for one row.
    public static var tooBig: Self { .init(.tooBig, Text(id: "jawaban terlalu besar", en: "answer too big")) }
    /// The agent answered with an error-status other than tooBig (genErr, noAccess…).
    public static var agentError: Self { .init(.agentError, Text(id: "agen menjawab dengan galat", en: "the agent answered with an error")) }
    /// The credentials file has no entry of the name the inventory gives.
    public static var credentialMissing: Self { .init(.credentialMissing, Text(id: "kredensial tidak ada", en: "credential missing")) }
    /// The inventory's SNMP version and the credential's kind differ.
    public static var credentialMismatch: Self { .init(.credentialMismatch, Text(id: "versi kredensial tidak cocok", en: "credential version mismatch")) }
    /// The credentials file cannot be read as credentials.
    public static var credentialsInvalid: Self { .init(.credentialsInvalid, Text(id: "berkas kredensial tidak valid", en: "credentials file not valid")) }
    /// The credentials file (or a password file) cannot be read at all.
    public static var credentialsUnreadable: Self { .init(.credentialsUnreadable, Text(id: "berkas kredensial tidak terbaca", en: "credentials file unreadable")) }
    /// No credentials file configured: says how to set one.
    public static var notConfigured: Self {
        .init(.notConfigured, Text(
            id: "berkas kredensial SNMP tidak diatur: atur \(variable)=BERKAS atau berikan --credentials BERKAS (format: docs/inventory.md)",
            en: "no SNMP credentials file is set: set \(variable)=FILE or pass --credentials FILE (format: docs/inventory.md)"))
    }
    /// The walk took longer than its budget.
    public static var walkTooLong: Self { .init(.walkTooLong, Text(id: "walk terlalu lama", en: "walk too long")) }
    /// More interfaces than a walk keeps.
    public static var tooManyInterfaces: Self { .init(.tooManyInterfaces, Text(id: "terlalu banyak antarmuka", en: "too many interfaces")) }
    /// net-snmp could not open a session or send (a local problem).
    public static var session: Self { .init(.session, Text(id: "sesi SNMP gagal", en: "SNMP session failed")) }
    /// A timeout, retry count or walk limit outside its range.
    public static var setting: Self { .init(.setting, Text(id: "pengaturan SNMP tidak valid", en: "SNMP setting not valid")) }
    /// The device's address is outside the probe scope (SIMPUL_PROBE_ALLOW): nothing was sent.
    public static var outsideScope: Self { .init(.outsideScope, Text(id: "di luar cakupan", en: "outside the scope")) }
    /// The caller stopped waiting.
    public static var cancelled: Self { .init(.cancelled, Text(id: "dibatalkan", en: "cancelled")) }

    // MARK: With what they are about

    static func credentialSource(_ credential: SNMPCredential) -> Text {
        Text(id: "kredensial \"\(credential.name)\" di \(credential.file)", en: "credential \"\(credential.name)\" in \(credential.file)")
    }

    public static func noAnswer(_ target: SNMPTarget, attempts: Int) -> Self {
        let wait = SNMPTiming.shown(target.timing.timeout)
        let source = credentialSource(target.credential)
        var why = Text(id: "perangkat mati atau tidak terjangkau, atau UDP port \(target.port) diblokir di jalan",
                       en: "the device is down or unreachable, or UDP port \(target.port) is blocked on the way")
        switch target.credential.security {
        case .community:
            why = Text(id: why.id + "; atau — SNMP v2c — community pada \(source.id) salah: perangkat membuang permintaan dengan community yang salah tanpa menjawab",
                       en: why.en + "; or — SNMP v2c — the community of \(source.en) is wrong: a device drops requests with a wrong community without answering")
        case .user(let user) where user.priv != nil:
            why = Text(id: why.id + "; atau priv_password pada \(source.id) salah: perangkat membuang permintaan yang tidak bisa didekripsinya tanpa menjawab",
                       en: why.en + "; or the priv_password of \(source.en) is wrong: a device drops requests it cannot decrypt without answering")
        case .user:
            break
        }
        return .init(.noAnswer, Text(
            id: "\(target.shown) tidak menjawab SNMP dalam \(wait.id) × \(attempts) percobaan: \(why.id)",
            en: "\(target.shown) did not answer SNMP within \(wait.en) × \(attempts) attempt(s): \(why.en)"))
    }

    public static func authenticationFailed(_ target: SNMPTarget, user: SNMPUser) -> Self {
        let source = credentialSource(target.credential)
        return .init(.authenticationFailed, Text(
            id: "\(target.shown) menolak autentikasi pengguna SNMPv3 \"\(user.name)\" (usmStatsWrongDigests): auth_password pada \(source.id) salah, atau perangkat memakai protokol autentikasi selain \(user.auth.label); samakan dengan konfigurasi SNMP perangkat",
            en: "\(target.shown) refused the authentication of SNMPv3 user \"\(user.name)\" (usmStatsWrongDigests): the auth_password of \(source.en) is wrong, or the device uses another authentication protocol than \(user.auth.label); make them match the device's SNMP configuration"))
    }

    public static func unknownUser(_ target: SNMPTarget, user: SNMPUser) -> Self {
        let source = credentialSource(target.credential)
        return .init(.unknownUser, Text(
            id: "\(target.shown) tidak mengenal pengguna SNMPv3 \"\(user.name)\" (usmStatsUnknownUserNames): buat pengguna itu di perangkat, atau betulkan user: pada \(source.id)",
            en: "\(target.shown) does not know SNMPv3 user \"\(user.name)\" (usmStatsUnknownUserNames): create that user on the device, or correct user: of \(source.en)"))
    }

    public static func unsupportedSecurityLevel(_ target: SNMPTarget, user: SNMPUser) -> Self {
        let source = credentialSource(target.credential)
        return .init(.unsupportedSecurityLevel, Text(
            id: "\(target.shown) tidak mengizinkan pengguna \"\(user.name)\" pada tingkat \(user.securityLevel) (usmStatsUnsupportedSecLevels): pengguna itu di perangkat diatur tanpa privasi atau tanpa autentikasi; samakan priv:/priv_password pada \(source.id) dengan perangkat, atau atur perangkat untuk \(user.securityLevel)",
            en: "\(target.shown) does not allow user \"\(user.name)\" at \(user.securityLevel) (usmStatsUnsupportedSecLevels): the user is set up on the device without privacy or without authentication; make priv:/priv_password of \(source.en) match the device, or set the device up for \(user.securityLevel)"))
    }

    public static func decryptionFailed(_ target: SNMPTarget, user: SNMPUser) -> Self {
        let source = credentialSource(target.credential)
        return .init(.decryptionFailed, Text(
            id: "\(target.shown) tidak dapat mendekripsi permintaan pengguna \"\(user.name)\" (usmStatsDecryptionErrors): priv_password pada \(source.id) salah, atau perangkat memakai protokol privasi selain AES-128",
            en: "\(target.shown) could not decrypt the requests of user \"\(user.name)\" (usmStatsDecryptionErrors): the priv_password of \(source.en) is wrong, or the device uses another privacy protocol than AES-128"))
    }

    public static func timeWindow(_ target: SNMPTarget) -> Self {
        .init(.timeWindow, Text(
            id: "\(target.shown) tetap menolak permintaan sebagai di luar jendela waktu (usmStatsNotInTimeWindows) setelah disinkronkan: jam atau penghitung boot mesin SNMP perangkat tidak konsisten; mulai ulang agen SNMP-nya",
            en: "\(target.shown) still refuses requests as outside its time window (usmStatsNotInTimeWindows) after resynchronising: the device's SNMP engine clock or boot counter is inconsistent; restart its SNMP agent"))
    }

    public static func unknownEngine(_ target: SNMPTarget) -> Self {
        .init(.unknownEngine, Text(
            id: "\(target.shown) menolak engineID-nya sendiri (usmStatsUnknownEngineIDs) setelah ditemukan: engineID berganti antara permintaan; periksa apakah dua perangkat memakai alamat yang sama",
            en: "\(target.shown) rejects its own engineID (usmStatsUnknownEngineIDs) after discovery: the engineID changes between requests; check whether two devices share the address"))
    }

    public static func malformed(_ target: SNMPTarget, _ detail: Text) -> Self {
        .init(.malformed, Text(
            id: "\(target.shown) mengirim jawaban yang tidak dapat dibaca: \(detail.id); periksa agen SNMP perangkat (firmware), atau rekam lalu-lintasnya dengan tcpdump",
            en: "\(target.shown) sent an answer that cannot be read: \(detail.en); check the device's SNMP agent (firmware), or capture the traffic with tcpdump"))
    }

    public static func tooBig(_ target: SNMPTarget) -> Self {
        .init(.tooBig, Text(
            id: "\(target.shown) menjawab tooBig bahkan untuk satu baris per kolom: ukuran pesan SNMP perangkat terlalu kecil untuk ifTable; besarkan di perangkat",
            en: "\(target.shown) answers tooBig even to one row per column: the device's SNMP message size is too small for ifTable; raise it on the device"))
    }

    public static func agentError(_ target: SNMPTarget, status: Int, index: Int) -> Self {
        let names = [2: "noSuchName", 3: "badValue", 4: "readOnly", 5: "genErr", 6: "noAccess", 16: "authorizationError"]
        let name = names[status].map { "\($0) (\(status))" } ?? "\(status)"
        let hint = status == 6 || status == 16
            ? Text(id: "kredensial tidak diberi akses baca ke IF-MIB; beri akses di view SNMP perangkat", en: "the credential has no read access to IF-MIB; grant it in the device's SNMP view")
            : Text(id: "agen perangkat gagal menjawab; coba lagi, lalu periksa log perangkat", en: "the device's agent failed to answer; try again, then check the device's log")
        return .init(.agentError, Text(
            id: "\(target.shown) menjawab dengan galat \(name) pada variabel ke-\(index): \(hint.id)",
            en: "\(target.shown) answered with error \(name) at variable \(index): \(hint.en)"))
    }

    public static func credentialMissing(name: String, device: String, file: String, known: [String]) -> Self {
        let list = known.isEmpty ? Text(id: "berkas itu tidak berisi kredensial", en: "the file holds no credentials")
            : Text(id: "yang ada: \(known.prefix(20).joined(separator: ", "))", en: "it has: \(known.prefix(20).joined(separator: ", "))")
        return .init(.credentialMissing, Text(
            id: "kredensial \"\(Excerpt.of(name))\" perangkat \(device) tidak ada di \(file) (\(list.id)); tambahkan di sana, atau betulkan snmp.credential perangkat di inventaris",
            en: "credential \"\(Excerpt.of(name))\" of device \(device) is not in \(file) (\(list.en)); add it there, or correct the device's snmp.credential in the inventory"))
    }

    public static func credentialMismatch(name: String, device: String, file: String, inventoryVersion: SNMPVersion, fileVersion: SNMPVersion) -> Self {
        func kind(_ version: SNMPVersion) -> Text {
            version == .v2c ? Text(id: "community SNMP v2c", en: "an SNMP v2c community") : Text(id: "pengguna SNMP v3", en: "an SNMP v3 user")
        }
        return .init(.credentialMismatch, Text(
            id: "perangkat \(device) diatur ke SNMP v\(inventoryVersion.rawValue) di inventaris, tetapi kredensial \"\(name)\" di \(file) adalah \(kind(fileVersion).id); samakan snmp.version di inventaris dengan kredensialnya",
            en: "device \(device) is set to SNMP v\(inventoryVersion.rawValue) in the inventory, but credential \"\(name)\" in \(file) is \(kind(fileVersion).en); make the inventory's snmp.version match the credential"))
    }

    /// The credentials file's problems, each with its line; never a value from the file.
    public static func credentialsInvalid(file: String, problems: [(line: Int, field: String, text: Text)]) -> Self {
        let shown = problems.prefix(10)
        let more = problems.count - shown.count
        func list(_ language: Language) -> String {
            shown.map { "\(file):\($0.line): \($0.field): \($0.text(language))" }.joined(separator: "; ")
                + (more > 0 ? (language == .id ? "; dan \(more) lagi" : "; and \(more) more") : "")
        }
        return .init(.credentialsInvalid, Text(
            id: "berkas kredensial SNMP tidak valid: \(list(.id))",
            en: "the SNMP credentials file is not valid: \(list(.en))"))
    }

    public static func credentialsUnreadable(file: String, reason: Text) -> Self {
        .init(.credentialsUnreadable, Text(
            id: "berkas kredensial SNMP \(file) tidak dapat dibaca: \(reason.id)",
            en: "cannot read the SNMP credentials file \(file): \(reason.en)"))
    }

    /// The environment variable and option that name the credentials file.
    public static let variable = "SIMPUL_SNMP_CREDENTIALS"

    public static func walkTooLong(_ target: SNMPTarget, rows: Int) -> Self {
        let budget = SNMPTiming.shown(target.timing.walkBudget)
        return .init(.walkTooLong, Text(
            id: "walk \(target.shown) melewati batas \(budget.id) (\(rows) antarmuka terbaca sejauh ini): perangkat menjawab terlalu lambat atau terlalu sedikit per jawaban; naikkan batasnya, atau periksa beban CPU perangkat",
            en: "walking \(target.shown) took longer than its limit of \(budget.en) (\(rows) interfaces read so far): the device answers too slowly or too little per answer; raise the limit, or check the device's CPU load"))
    }

    public static func tooManyInterfaces(_ target: SNMPTarget, limit: Int) -> Self {
        .init(.tooManyInterfaces, Text(
            id: "\(target.shown) punya lebih dari \(Format.id.number(limit)) antarmuka: walk dihentikan; periksa apakah agennya berulang tanpa akhir",
            en: "\(target.shown) has more than \(Format.en.number(limit)) interfaces: the walk was stopped; check whether its agent loops without end"))
    }

    public static func session(_ target: SNMPTarget, _ detail: String) -> Self {
        .init(.session, Text(
            id: "sesi SNMP ke \(target.shown) tidak dapat dibuka atau dikirimi: \(Excerpt.of(detail, length: 200)); periksa alamat dan port perangkat di inventaris",
            en: "could not open or send on an SNMP session to \(target.shown): \(Excerpt.of(detail, length: 200)); check the device's address and port in the inventory"))
    }

    public static func setting(_ field: Text, given: Text, allowed: String) -> Self {
        .init(.setting, Text(
            id: "\(field.id) \(given.id) di luar rentang \(allowed)",
            en: "\(field.en) \(given.en) is outside \(allowed)"))
    }

    public static func outsideScope(_ target: SNMPTarget, scope: ProbeScope) -> Self {
        .init(.outsideScope, Text(
            id: "\(target.shown) di luar cakupan \(ProbeScope.variable)=\(scope); tidak ada permintaan SNMP yang dikirim",
            en: "\(target.shown) is outside the scope \(ProbeScope.variable)=\(scope); no SNMP request was sent"))
    }

    public static func cancelled(_ target: SNMPTarget) -> Self {
        .init(.cancelled, Text(id: "walk \(target.shown) dibatalkan", en: "the walk of \(target.shown) was cancelled"))
    }
}
