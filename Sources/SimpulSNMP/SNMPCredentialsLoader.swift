import Foundation
import SimpulCore

/// Reads the SNMP credentials file the configuration names, and the secret files it points to.
/// The parsing and checks are the core's (``SNMPCredentialsFile``); here is the disk: whether the
/// files exist, can be read, and are kept from other users.
public enum SNMPCredentialsLoader {
    /// The credentials, and what is wrong but not fatal (a file every user can read).
    public struct Loaded: Sendable {
        public let credentials: SNMPCredentials
        public let warnings: [Text]
    }

    /// The file to read: `option` (`--credentials`) when given, else `SIMPUL_SNMP_CREDENTIALS`.
    public static func path(option: String?, environment: [String: String]) throws(SNMPError) -> String {
        if let option, !option.isEmpty { return option }
        if let value = environment[SNMPError.variable], !value.isEmpty { return value }
        throw .notConfigured
    }

    public static func load(path: String) throws(SNMPError) -> Loaded {
        var warnings: [Text] = []
        let bytes: [UInt8]
        switch read(path, limit: SNMPCredentialsFile.fileBytes, warnings: &warnings) {
        case .success(let read): bytes = read
        case .failure(let failure): throw .credentialsUnreadable(file: path, reason: failure.reason)
        }
        let file = try SNMPCredentialsFile.parse(bytes: bytes, file: path)
        let credentials = try file.resolve { secretPath in
            switch read(secretPath, limit: SNMPCredentialsFile.secretFileBytes, warnings: &warnings) {
            case .success(let bytes): SNMPCredentialsFile.secretText(bytes)
            case .failure(let failure): .failure(failure)
            }
        }
        return Loaded(credentials: credentials, warnings: warnings)
    }

    /// The file's bytes, or why they cannot be had; a warning when every user may read it.
    static func read(_ path: String, limit: Int, warnings: inout [Text]) -> Result<[UInt8], SNMPCredentialsFile.Unreadable> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT {
                return .failure(.init(Text(id: "berkas tidak ada; buat berkasnya (format: docs/inventory.md) atau tunjuk berkas lain",
                                           en: "no such file; create it (format: docs/inventory.md) or point to another file")))
            }
            return .failure(.init(systemReason(code)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(.init(Text(id: "bukan berkas biasa", en: "it is not a regular file")))
        }
        guard Int(info.st_size) <= limit else {
            return .failure(.init(Text(id: "berkas terlalu besar (\(info.st_size) bita, paling besar \(limit))",
                                       en: "the file is too large (\(info.st_size) bytes, at most \(limit))")))
        }
        if info.st_mode & S_IROTH != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            warnings.append(Text(
                id: "peringatan: \(path) dapat dibaca semua pengguna mesin ini (mode \(mode)) padahal berisi rahasia SNMP: chmod 600 \(path)",
                en: "warning: \(path) can be read by every user of this machine (mode \(mode)) and holds SNMP secrets: chmod 600 \(path)"))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.init(systemReason(errno))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.init(systemReason(errno)))
            }
            if n == 0 { break }
            total += n
        }
        guard total <= limit else {
            return .failure(.init(Text(id: "berkas terlalu besar (paling besar \(limit) bita)", en: "the file is too large (at most \(limit) bytes)")))
        }
        return .success(Array(bytes[..<total]))
    }

    static func systemReason(_ code: Int32) -> Text {
        let said = String(cString: strerror(code))
        if code == EACCES || code == EPERM {
            return Text(id: "izin ditolak (\(said)); beri pengguna yang menjalankan Simpul hak baca, mis. chown simpul lalu chmod 600",
                        en: "permission denied (\(said)); let the user Simpul runs as read it, e.g. chown simpul then chmod 600")
        }
        return Text(id: said, en: said)
    }
}
