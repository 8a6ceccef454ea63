/// The roles of the office's SOPs (see the SOP digest's role table).
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case admin, head, supervisor, technician, clerk, agency, viewer

    public var title: Text {
        switch self {
        case .admin: Text(id: "Administrator", en: "Administrator")
        case .head: Text(id: "Kepala Dinas", en: "Head of office")
        case .supervisor: Text(id: "Kepala Bidang/Seksi", en: "Division/section head")
        case .technician: Text(id: "Teknisi", en: "Technician")
        case .clerk: Text(id: "Petugas Administrasi", en: "Clerk")
        case .agency: Text(id: "Perangkat Daerah", en: "Agency")
        case .viewer: Text(id: "Pemantau", en: "Viewer")
        }
    }
}

/// What a user may do. Each route and service checks one of these.
public enum Permission: String, Sendable, Hashable, CaseIterable {
    /// See the whole estate (every agency, link, pool, zone, rack).
    case viewEstate
    /// Change the inventory (import, edit agencies, links, pools, zones…).
    case editInventory
    /// Create, disable and change users and their tokens.
    case manageUsers
    /// Read the audit log.
    case viewAudit
    /// Hold, assign and release addresses and change DNS records.
    case manageAddresses
    /// Add and remove DNS records, push zones.
    case manageDNS
}

extension Role {
    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .viewEstate: self != .agency
        case .editInventory, .manageUsers, .manageAddresses, .manageDNS: self == .admin
        case .viewAudit: self == .admin || self == .head || self == .supervisor
        }
    }
}

/// Who is acting: a signed-in user, an API token's owner, or the command line.
public struct Principal: Sendable, Hashable {
    public var userID: Int64?
    public var username: String
    public var role: Role
    /// For `agency` users: the one agency they belong to and may see.
    public var agencyCode: String?

    public init(userID: Int64?, username: String, role: Role, agencyCode: String? = nil) {
        self.userID = userID
        self.username = username
        self.role = role
        self.agencyCode = agencyCode
    }

    /// The command line acts as an administrator: whoever can write the database file already can.
    public static func commandLine(_ osUser: String) -> Principal {
        Principal(userID: nil, username: "cli:\(osUser)", role: .admin)
    }

    /// Simpul itself, moving a ticket on what software learned (a DNS server confirmed the records;
    /// later, the poller saw a link come back): recorded as the system, never as a person's correction.
    public static let system = Principal(userID: nil, username: "simpul", role: .admin)

    public var isSystem: Bool { self == .system }

    public func can(_ permission: Permission) -> Bool { role.allows(permission) }

    /// May this principal see the agency with `code`?
    public func canSee(agency code: String) -> Bool {
        role == .agency ? agencyCode == code : role.allows(.viewEstate)
    }
}

/// Rules for usernames and passwords.
public enum AccountRules {
    public static let minimumPasswordLength = 10

    public static func usernameProblem(_ name: String) -> Text? {
        if name == Principal.system.username {
            return Text(id: "nama pengguna \"\(name)\" dipakai Simpul sendiri; pilih nama lain", en: "the username \"\(name)\" is Simpul's own; choose another")
        }
        let ok = (3...32).contains(name.count) &&
            name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
        return ok ? nil : Text(id: "nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, - atau _",
                               en: "a username must be 3–32 characters: lowercase letters, digits, dots, - or _")
    }

    public static func passwordProblem(_ password: String, username: String) -> Text? {
        if password.count < minimumPasswordLength {
            return Text(id: "kata sandi minimal \(minimumPasswordLength) karakter", en: "a password needs at least \(minimumPasswordLength) characters")
        }
        if password.lowercased().contains(username.lowercased()) {
            return Text(id: "kata sandi tidak boleh memuat nama pengguna", en: "a password must not contain the username")
        }
        if password.utf8.count > 72 {
            return Text(id: "kata sandi paling panjang 72 byte", en: "a password may be at most 72 bytes long")
        }
        return nil
    }
}
