import CNetSNMP
import Foundation

/// net-snmp's own words for why a call failed, taken from the session (never the global
/// `snmp_errno`, which another session may have set).
enum NetSNMPCall {
    /// Why `snmp_sess_open` refused `session`.
    static func error(of session: inout netsnmp_session) -> String {
        var library: Int32 = 0, system: Int32 = 0
        var text: UnsafeMutablePointer<CChar>?
        snmp_error(&session, &library, &system, &text)
        return owned(text) ?? "net-snmp error \(library) (errno \(system))"
    }

    /// Why the last call on an open session failed.
    static func error(ofSession session: UnsafeMutableRawPointer) -> String {
        var library: Int32 = 0, system: Int32 = 0
        var text: UnsafeMutablePointer<CChar>?
        snmp_sess_error(session, &library, &system, &text)
        return owned(text) ?? "net-snmp error \(library) (errno \(system))"
    }

    /// The C string net-snmp allocated for us, freed.
    private static func owned(_ text: UnsafeMutablePointer<CChar>?) -> String? {
        guard let text else { return nil }
        defer { free(text) }
        let value = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A POSIX call's result checked: -1 becomes the error's text.
    @discardableResult
    static func posix(_ result: Int32, _ what: String) throws(NetSNMPCallFailure) -> Int32 {
        guard result == -1 else { return result }
        throw NetSNMPCallFailure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// A system call the engine needs (its wake-up pipe, `poll`) failed.
struct NetSNMPCallFailure: Error, CustomStringConvertible {
    let description: String
}
