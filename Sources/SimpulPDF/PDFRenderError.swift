import SimpulCore

/// Why a letter did not become a PDF, worded for the admin who has to act on it, in Indonesian and
/// English: what happened and, where there is one, what to do.
public struct PDFRenderError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    /// What kind of failure it is, for code that decides (tests, the web's error mapping).
    public enum Kind: Sendable, Hashable {
        /// No executable at the configured path (`SIMPUL_CHROMIUM` or `/usr/bin/chromium`).
        case executableMissing
        /// The executable is there but could not be started (a C call failed).
        case cannotStart
        /// Chromium exited or was killed; the text has its exit status and the last lines it wrote.
        case exited
        /// No answer before the deadline (or the caller stopped waiting).
        case timeout
        /// Chromium answered a DevTools command with an error, or with an answer we cannot read.
        case protocolError
        /// ``ChromiumRenderer/shutdown()`` was called; the renderer does not start again.
        case shutDown
    }

    public let kind: Kind
    public let text: Text

    public init(_ kind: Kind, _ text: Text) {
        self.kind = kind
        self.text = text
    }

    public var description: String { text.en }

    /// No executable file at `path`.
    public static func executableMissing(_ path: String) -> PDFRenderError {
        PDFRenderError(.executableMissing, Text(
            id: "Chromium tidak ditemukan di \(path): pasang paket chromium dari Debian (make run memasangnya) atau arahkan SIMPUL_CHROMIUM ke program chromium",
            en: "Chromium not found at \(path): install Debian's chromium (make run installs it) or point SIMPUL_CHROMIUM at a chromium executable"))
    }

    /// A C call needed to start Chromium failed.
    public static func cannotStart(_ path: String, call: String, errno: Int32) -> PDFRenderError {
        let reason = SystemCall.reason(errno)
        return PDFRenderError(.cannotStart, Text(
            id: "Chromium (\(path)) tidak dapat dijalankan: \(call): \(reason)",
            en: "Chromium (\(path)) cannot be started: \(call): \(reason)"))
    }

    /// Chromium is gone: `status` as `exit status 1` or `killed by signal 9`, and its last lines on stderr.
    public static func exited(status: String, stderr: [String]) -> PDFRenderError {
        let tail = stderr.isEmpty ? "" : "\n" + stderr.joined(separator: "\n")
        return PDFRenderError(.exited, Text(
            id: "Chromium berhenti (\(status)); surat berikutnya menjalankannya lagi. Baris terakhir yang ditulisnya:\(tail.isEmpty ? " (tidak ada)" : tail)",
            en: "Chromium exited (\(status)); the next letter starts it again. The last lines it wrote:\(tail.isEmpty ? " (none)" : tail)"))
    }

    /// `what` did not finish within `limit`.
    public static func timeout(_ what: String, after limit: Duration) -> PDFRenderError {
        let ms = Int(limit.components.seconds) * 1000 + Int(limit.components.attoseconds / 1_000_000_000_000_000)
        return PDFRenderError(.timeout, Text(
            id: "Chromium tidak menjawab \(what) dalam \(ms) ms",
            en: "Chromium did not answer \(what) within \(ms) ms"))
    }

    /// The waiting task was cancelled.
    static func cancelled(_ what: String) -> PDFRenderError {
        PDFRenderError(.timeout, Text(id: "permintaan \(what) dibatalkan", en: "the request \(what) was cancelled"))
    }

    /// Chromium answered `method` with an error message (or something we cannot read).
    public static func protocolError(_ method: String, _ message: String) -> PDFRenderError {
        PDFRenderError(.protocolError, Text(
            id: "Chromium menolak \(method): \(message)",
            en: "Chromium refused \(method): \(message)"))
    }

    /// The renderer was shut down.
    public static let shutDown = PDFRenderError(.shutDown, Text(
        id: "pembuat PDF sudah dihentikan", en: "the PDF renderer has been shut down"))
}
