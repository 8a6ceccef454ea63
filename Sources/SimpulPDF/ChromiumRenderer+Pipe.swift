import Foundation
import Glibc

/// The DevTools connection over Chromium's `--remote-debugging-pipe`: JSON messages, each ended by
/// a NUL byte, written to the pipe Chromium reads as fd 3 and read from the one it writes as fd 4.
///
/// Reads block on a thread of their own (never on Swift's cooperative pool); writes go out in order
/// on a serial queue. A caller waits for its answer on a continuation kept under the command's id,
/// resumed by the reading thread, by its deadline or by the pipe closing, whichever comes first.
final class CDPPipe: @unchecked Sendable {
    /// What the reading thread does with an event (a message without an id): called on that thread.
    typealias EventHandler = @Sendable (_ method: String, _ params: JSON, _ sessionId: String?) -> Void

    private let writeFD: Int32
    private let readFD: Int32
    private let writes = DispatchQueue(label: "simpul.pdf.cdp-write")
    private let lock = NSLock()
    private var nextID = 1
    /// The callers waiting for an answer, under their command's id.
    private var waiting: [Int: Waiter] = [:]
    /// Set once the pipe is done: every later call fails with it at once.
    private var closedWith: PDFRenderError?
    private var writeClosed = false
    private let onEvent: EventHandler

    private struct Waiter {
        let method: String
        let continuation: CheckedContinuation<Result<JSON, PDFRenderError>, Never>
    }

    init(writeFD: Int32, readFD: Int32, onEvent: @escaping EventHandler) {
        self.writeFD = writeFD
        self.readFD = readFD
        self.onEvent = onEvent
    }

    /// Starts the reading thread. `onEnd` runs on it once Chromium's end of the pipe is closed
    /// (Chromium exited) and must return the error the waiting callers get.
    func startReading(onEnd: @escaping @Sendable () -> PDFRenderError) {
        let thread = Thread { [self] in
            readLoop()
            close(readFD)
            let error = onEnd()
            fail(with: error)
        }
        thread.name = "simpul.pdf.cdp-read"
        thread.start()
    }

    /// Sends `method` and waits for its answer's `result` until `deadline`.
    func call(_ method: String, _ params: JSON = [:], session: String? = nil,
              deadline: ContinuousClock.Instant, limit: Duration) async throws(PDFRenderError) -> JSON {
        let id = lock.withLock { () -> Int in
            defer { nextID += 1 }
            return nextID
        }
        let timer = Task { [self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            if !Task.isCancelled { resolve(id) { _ in .failure(.timeout(method, after: limit)) } }
        }
        defer { timer.cancel() }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JSON, PDFRenderError>, Never>) in
                // Checked under the lock the timer and the cancellation resolve under: neither can
                // have come and gone before the caller is in `waiting`.
                let refused: PDFRenderError? = lock.withLock {
                    if let closedWith { return closedWith }
                    if Task.isCancelled { return .cancelled(method) }
                    if ContinuousClock.now >= deadline { return .timeout(method, after: limit) }
                    waiting[id] = Waiter(method: method, continuation: continuation)
                    return nil
                }
                if let refused {
                    continuation.resume(returning: .failure(refused))
                    return
                }
                send(CDPMessage(id: id, method: method, params: params, sessionId: session))
            }
        } onCancel: {
            resolve(id) { _ in .failure(.cancelled(method)) }
        }
        return try outcome.get()
    }

    /// Sends `method` without waiting for its answer (answers to events: the reading thread must
    /// not wait on itself).
    func notify(_ method: String, _ params: JSON, session: String?) {
        let id = lock.withLock { () -> Int in
            defer { nextID += 1 }
            return nextID
        }
        send(CDPMessage(id: id, method: method, params: params, sessionId: session))
    }

    /// Closes our writing end once the queued messages are out; Chromium takes it as the end.
    func closeWriting() {
        writes.async { [self] in
            let first = lock.withLock { () -> Bool in
                defer { writeClosed = true }
                return !writeClosed
            }
            if first { close(writeFD) }
        }
    }

    /// Fails every waiting caller, and every later one, with `error`.
    func fail(with error: PDFRenderError) {
        let pending = lock.withLock { () -> [Waiter] in
            if closedWith == nil { closedWith = error }
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for waiter in pending { waiter.continuation.resume(returning: .failure(error)) }
    }

    /// Resumes the caller waiting under `id`, if it still is, with `outcome` of its command's method.
    private func resolve(_ id: Int, _ outcome: (_ method: String) -> Result<JSON, PDFRenderError>) {
        guard let waiter = lock.withLock({ waiting.removeValue(forKey: id) }) else { return }
        waiter.continuation.resume(returning: outcome(waiter.method))
    }

    private func send(_ message: CDPMessage) {
        let bytes: Data
        do {
            bytes = try CDPMessage.encoder.encode(message) + [0]
        } catch {
            if let id = message.id { resolve(id) { .failure(.protocolError($0, "cannot encode the command: \(error)")) } }
            return
        }
        writes.async { [self] in
            if lock.withLock({ writeClosed }) { return }
            if let errno = writeAll(bytes), let id = message.id {
                // EPIPE: Chromium is gone; the reading thread fails everyone with its exit status shortly.
                if errno != EPIPE {
                    resolve(id) { .failure(.protocolError($0, "write to Chromium's pipe: \(SystemCall.reason(errno))")) }
                }
            }
        }
    }

    /// Writes all of `bytes`, with SIGPIPE held back on this thread: a write to the pipe of a
    /// Chromium that died gives EPIPE here instead of killing the server. Returns the errno of a
    /// failed write, nil when everything went out.
    private func writeAll(_ bytes: Data) -> Int32? {
        var block = sigset_t(), previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        defer {
            // A SIGPIPE raised by our write is pending on this thread: take it before unblocking.
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&block, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int32? in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(writeFD, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }

    /// Reads until end of file, cutting messages at NUL bytes and handing each to `deliver`.
    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var message = Data()
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            if count == 0 { return }
            var start = 0
            for index in 0..<count where buffer[index] == 0 {
                message.append(contentsOf: buffer[start..<index])
                deliver(message)
                message.removeAll(keepingCapacity: true)
                start = index + 1
            }
            if start < count { message.append(contentsOf: buffer[start..<count]) }
        }
    }

    private func deliver(_ bytes: Data) {
        guard let message = try? JSONDecoder().decode(CDPMessage.self, from: bytes) else { return }
        if let id = message.id {
            if let error = message.error {
                let text = error["message"]?.string ?? "unknown error"
                let detail = error["data"]?.string.map { " (\($0))" } ?? ""
                resolve(id) { .failure(.protocolError($0, text + detail)) }
            } else {
                resolve(id) { _ in .success(message.result ?? [:]) }
            }
        } else if let method = message.method {
            onEvent(method, message.params ?? [:], message.sessionId)
        }
    }
}
