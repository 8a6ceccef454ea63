import Foundation

/// Where a redirect may go: only a path on this site, never another host.
enum LocalPath {
    /// `candidate` when it is a local path (`/x`, not `//host` or `/\host`), else `fallback`.
    static func safe(_ candidate: String?, fallback: String = "/") -> String {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.hasPrefix("/\\"),
              !candidate.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return fallback }
        return candidate
    }

    /// `path` percent-encoded to travel as a query value (`/login?next=…`).
    static func encodedForQuery(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
