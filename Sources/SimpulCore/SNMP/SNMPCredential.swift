/// SNMPv3 authentication protocols Simpul offers (RFC 3414, RFC 7860).
public enum SNMPAuthProtocol: String, Sendable, Hashable, CaseIterable {
    /// HMAC-192-SHA-256 (usmHMAC192SHA256AuthProtocol).
    case sha256
    /// HMAC-96-SHA-1 (usmHMACSHAAuthProtocol), for devices without SHA-256.
    case sha1

    /// As net-snmp's tools and vendors write it (`SHA-256`, `SHA`).
    public var label: String {
        switch self {
        case .sha256: "SHA-256"
        case .sha1: "SHA-1"
        }
    }
}

/// SNMPv3 privacy protocols Simpul offers.
public enum SNMPPrivProtocol: String, Sendable, Hashable, CaseIterable {
    /// AES-128 in CFB mode (usmAesCfb128Protocol, RFC 3826).
    case aes128

    public var label: String { "AES-128" }
}

/// An SNMPv3 user as a device knows it. The passwords are secrets: they are never printed,
/// logged, encoded or stored; ``description`` and `dump` show that they are there, not what they are.
public struct SNMPUser: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let name: String
    public let auth: SNMPAuthProtocol
    public let authPassword: String
    /// Nil for authNoPriv.
    public let priv: SNMPPrivProtocol?
    public let privPassword: String?

    public init(name: String, auth: SNMPAuthProtocol, authPassword: String, priv: SNMPPrivProtocol? = nil, privPassword: String? = nil) {
        self.name = name
        self.auth = auth
        self.authPassword = authPassword
        self.priv = priv
        self.privPassword = privPassword
    }

    /// `authPriv` or `authNoPriv`, as RFC 3414 and net-snmp's `-l` name them.
    public var securityLevel: String { priv == nil ? "authNoPriv" : "authPriv" }

    public var description: String {
        "user \(name) (\(securityLevel), \(auth.label)\(priv.map { ", \($0.label)" } ?? ""); passwords not shown)"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

/// How Simpul proves itself to a device: named in the inventory (`snmp.credential`), read from the
/// credentials file. Never in the database, a log, an error or `--json` output.
public struct SNMPCredential: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum Security: Sendable, Hashable {
        /// SNMPv2c: the community string.
        case community(String)
        /// SNMPv3 USM.
        case user(SNMPUser)
    }

    /// The entry's name in the credentials file.
    public let name: String
    public let security: Security
    /// The credentials file it came from, for messages.
    public let file: String

    public init(name: String, security: Security, file: String) {
        self.name = name
        self.security = security
        self.file = file
    }

    public var version: SNMPVersion {
        switch security {
        case .community: .v2c
        case .user: .v3
        }
    }

    public var description: String {
        switch security {
        case .community: "credential \(name) (SNMP v2c community, not shown)"
        case .user(let user): "credential \(name) (SNMP v3 \(user))"
        }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

/// The credentials file's entries by name, secrets resolved. ``credential(for:device:)`` is how a
/// device's inventory entry finds its own.
public struct SNMPCredentials: Sendable, CustomStringConvertible {
    /// The file's path, as the configuration gave it.
    public let file: String
    public let entries: [String: SNMPCredential]

    public init(file: String, entries: [String: SNMPCredential]) {
        self.file = file
        self.entries = entries
    }

    /// The credential a device's `snmp:` block names, checked against the version it gives.
    public func credential(for access: SNMPAccess, device: String) throws(SNMPError) -> SNMPCredential {
        guard let credential = entries[access.credential] else {
            throw .credentialMissing(name: access.credential, device: device, file: file, known: entries.keys.sorted())
        }
        guard credential.version == access.version else {
            throw .credentialMismatch(name: access.credential, device: device, file: file, inventoryVersion: access.version, fileVersion: credential.version)
        }
        return credential
    }

    public var description: String { "SNMP credentials from \(file): \(entries.keys.sorted().joined(separator: ", "))" }
}
