import Foundation
import Glibc

/// Prints HTML letters (approval letters, work orders, completion reports) to A4 PDFs with text
/// that `pdftotext` can read, through Debian's headless Chromium.
///
/// Chromium is started once, by ``start(executable:timeout:)``, and kept running: starting it costs
/// far more than printing a page (see ``startupMilliseconds``), and a letter is asked for while
/// someone waits. It is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`),
/// never a port, and every request a letter's page makes is refused unless it is a `data:` URL:
/// Chromium never reaches the network on the server's behalf.
///
/// Letters may be asked for at once: each gets a page of its own. If Chromium dies, the next letter
/// starts it again (and a letter whose Chromium died under it is tried once more on the new one), so
/// a crash never leaves the server unable to print until it is restarted. Call ``shutdown()`` when
/// done; it stops Chromium and removes its temporary profile.
public actor ChromiumRenderer {
    /// `SIMPUL_CHROMIUM` when set, else Debian's `/usr/bin/chromium`.
    public static var defaultExecutable: String {
        ProcessInfo.processInfo.environment["SIMPUL_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/bin/chromium"
    }

    /// The Chromium executable this renderer starts (and starts again after a crash).
    public nonisolated let executable: String
    /// How long the latest start took, in milliseconds: from spawning Chromium until it answered
    /// and printed a first blank page (the first page also starts its renderer process). Kept apart
    /// from the letters' own times, which it would otherwise dwarf.
    public private(set) var startupMilliseconds: Double = 0
    /// How many times Chromium was started again after it died.
    public private(set) var restarts = 0

    private let startTimeout: Duration
    private var process: ChromiumProcess?
    private var starting: Task<Result<ChromiumProcess, PDFRenderError>, Never>?
    private var isShutDown = false
    /// Requests refused by processes that are gone (``blockedRequests`` adds the current one's).
    private var blockedBefore = 0

    private init(executable: String, startTimeout: Duration) {
        self.executable = executable
        self.startTimeout = startTimeout
    }

    deinit {
        // Without shutdown(): at least no Chromium is left running; the reading thread reaps it.
        process?.killNow()
    }

    /// Starts Chromium at `executable` and waits until it has printed a first page, for at most
    /// `timeout` (a cold start on a small server takes a second or two).
    ///
    /// Throws ``PDFRenderError`` when the executable is missing, cannot be started, exits at once
    /// or does not answer in time.
    public static func start(executable: String = defaultExecutable, timeout: Duration) async throws(PDFRenderError) -> ChromiumRenderer {
        let renderer = ChromiumRenderer(executable: executable, startTimeout: timeout)
        _ = try await renderer.running()
        return renderer
    }

    /// The PDF of the self-contained letter `html` (inline CSS, images as `data:` URLs), A4, no
    /// margins of its own (the letter sets them with CSS `@page`), backgrounds printed, no header
    /// or footer. Waits for the document's load, its fonts and its images; gives up after `timeout`.
    public func pdf(html: String, timeout: Duration) async throws(PDFRenderError) -> Data {
        let deadline = ContinuousClock.now + timeout
        let process = try await running()
        do {
            return try await process.render(html: html, deadline: deadline, limit: timeout)
        } catch where error.kind == .exited && ContinuousClock.now < deadline {
            // Chromium died under this letter, or just before it and we had not noticed yet:
            // once more on a fresh one. A second death is the letter's answer.
            let fresh = try await running()
            return try await fresh.render(html: html, deadline: deadline, limit: timeout)
        }
    }

    /// Stops Chromium (SIGTERM, then SIGKILL to it and its children after two seconds), reaps it and
    /// removes its temporary profile. Later ``pdf(html:timeout:)`` calls throw
    /// ``PDFRenderError/Kind/shutDown``.
    public func shutdown() async {
        isShutDown = true
        if let starting, case .success(let started) = await starting.value, started !== process {
            await started.terminate(grace: .seconds(2))
        }
        if let process {
            self.process = nil
            await process.terminate(grace: .seconds(2))
        }
    }

    /// The running Chromium's process id, nil when none runs. For tests and diagnostics.
    public var processID: Int32? {
        guard let process, process.isRunning else { return nil }
        return process.pid
    }

    /// How many requests letters' pages made that were refused (anything but `data:` URLs).
    public var blockedRequests: Int {
        blockedBefore + (process?.blockedRequests ?? 0)
    }

    /// The running Chromium, started (again) when there is none or it died. Callers arriving while
    /// it starts wait for the same start.
    private func running() async throws(PDFRenderError) -> ChromiumProcess {
        if isShutDown { throw .shutDown }
        if let process, process.isRunning { return process }
        if let starting { return try await starting.value.get() }

        let previous = process
        let executable = executable, limit = startTimeout
        let task = Task { () -> Result<ChromiumProcess, PDFRenderError> in
            // Whatever is left of a Chromium that died: its children, its profile.
            await previous?.terminate(grace: .zero)
            do throws(PDFRenderError) {
                return .success(try await Self.launch(executable: executable, limit: limit))
            } catch {
                return .failure(error)
            }
        }
        starting = task
        let outcome = await task.value
        if starting == task { starting = nil }
        switch outcome {
        case .success(let started):
            if let previous {
                blockedBefore += previous.blockedRequests
                restarts += 1
            }
            if isShutDown {
                await started.terminate(grace: .seconds(2))
                throw .shutDown
            }
            process = started
            startupMilliseconds = started.startupMilliseconds
            return started
        case .failure(let error):
            throw error
        }
    }

    /// Spawns Chromium and waits until it answers and has printed a blank page.
    private static func launch(executable: String, limit: Duration) async throws(PDFRenderError) -> ChromiumProcess {
        let clock = ContinuousClock()
        let began = clock.now
        let deadline = began + limit
        let process = try ChromiumProcess.spawn(executable: executable)
        do {
            try await process.ready(deadline: deadline, limit: limit)
            _ = try await process.render(html: "<!DOCTYPE html><p>Simpul</p>", deadline: deadline, limit: limit)
        } catch {
            await process.terminate(grace: .milliseconds(500))
            throw error
        }
        let took = began.duration(to: clock.now)
        process.startupMilliseconds = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
        return process
    }
}
