import Foundation
import SimpulCore

extension ChromiumRenderer: PDFRenderer {
    public func pdf(html: String) async throws -> Data { try await pdf(html: html, timeout: SharedChromium.renderTimeout) }
}

/// The process's one headless Chromium, started on the first letter asked for (a server that never
/// prints one never starts it) and kept for the next; `shutdown` stops it. What `Simpul.pdf` is in
/// `simpul serve` and in the commands that print letters.
public actor SharedChromium: PDFRenderer {
    public static let startTimeout: Duration = .seconds(30)
    public static let renderTimeout: Duration = .seconds(20)

    let executable: String
    var running: ChromiumRenderer?
    var starting: Task<ChromiumRenderer, any Error>?

    public init(executable: String = ChromiumRenderer.defaultExecutable) {
        self.executable = executable
    }

    /// The renderer, started now if it is not yet.
    public func renderer() async throws -> ChromiumRenderer {
        if let running { return running }
        if let starting { return try await starting.value }
        let executable = self.executable
        let task = Task { try await ChromiumRenderer.start(executable: executable, timeout: Self.startTimeout) }
        starting = task
        do {
            let started = try await task.value
            running = started
            starting = nil
            return started
        } catch {
            starting = nil
            throw error
        }
    }

    public func pdf(html: String) async throws -> Data {
        try await renderer().pdf(html: html, timeout: Self.renderTimeout)
    }

    /// Stops Chromium if it was started; a later letter starts it again.
    public func shutdown() async {
        let renderer = running
        running = nil
        await renderer?.shutdown()
    }
}
