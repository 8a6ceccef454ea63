import CCurl
import Foundation
import NIOPosix
import SimpulCore

/// libcurl's easy API, as the SMTP sender and the webhook poster use it: one handle per transfer,
/// run to the end on threads of our own (a blocking call never runs on Swift's cooperative pool),
/// with a deadline and a way to stop it when the waiting task is cancelled.
enum Curl {
    /// `curl_global_init`, once per process, before the first handle.
    static let initialized: CURLcode = curl_global_init(simpul_curl_global_default)

    /// The threads transfers block on. A send waits on the network for at most its deadline; four
    /// threads let a request's at-once delivery go beside the outbox worker's.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Runs `body` on `threads`, handing it a flag that turns true when the calling task is cancelled
    /// (the progress callback reads it and stops the transfer).
    static func perform<T: Sendable>(server: String, _ body: @escaping @Sendable (Cancellation) throws(DeliveryError) -> T) async throws(DeliveryError) -> T {
        guard initialized == CURLE_OK else { throw .other(server, detail: "curl_global_init: \(message(initialized))") }
        let cancellation = Cancellation()
        let outcome: Result<T, DeliveryError>
        do {
            outcome = try await withTaskCancellationHandler {
                try await threads.runIfActive { () -> Result<T, DeliveryError> in
                    if cancellation.isCancelled { return .failure(.timeout(server)) }
                    do throws(DeliveryError) { return .success(try body(cancellation)) } catch { return .failure(error) }
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch {
            throw .other(server, detail: "the transfer threads are stopped: \(error)")
        }
        return try outcome.get()
    }

    /// libcurl's words for a result code.
    static func message(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    /// What a failed transfer means when the connection itself failed (the same for SMTP and HTTP),
    /// or nil when the failure is the protocol's.
    static func connectionError(_ code: CURLcode, detail: String, server: String, cancelled: Bool, caVariable: String?) -> DeliveryError? {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING, CURLE_RECV_ERROR:
            return .unreachable(server, reason: detail)
        case CURLE_OPERATION_TIMEDOUT, CURLE_ABORTED_BY_CALLBACK:
            return .timeout(server)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE:
            return .tls(server, detail: detail, caVariable: caVariable)
        default:
            return cancelled ? .timeout(server) : nil
        }
    }

    /// Milliseconds left until `deadline`, or nil when it has passed.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int? {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .milliseconds(1) else { return nil }
        return Int(left.components.seconds) * 1000 + Int(left.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Set when the task waiting for a transfer is cancelled; read by the transfer's progress callback.
final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }
    func cancel() { lock.withLock { cancelled = true } }
}

/// One easy handle and what it points to (lists, the error buffer, the callbacks' state), freed
/// together. Every option goes through `set`, which checks libcurl's answer: an option refused is
/// a typed error, never ignored.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    let server: String
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// libcurl writes a transfer's own account of a failure here (CURLOPT_ERRORBUFFER).
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(simpul_curl_error_size))
    let state: TransferState

    init(server: String, cancellation: Cancellation, upload: [UInt8] = []) throws(DeliveryError) {
        guard let handle = curl_easy_init() else { throw .other(server, detail: "curl_easy_init failed") }
        self.handle = handle
        self.server = server
        errorBuffer.initialize(repeating: 0, count: Int(simpul_curl_error_size))
        state = TransferState(upload: upload, cancellation: cancellation)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        // Never a signal for timeouts (we are one thread among many); never a progress meter.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_NOPROGRESS, 0)
        try check(simpul_curl_setopt_xferinfo_function(handle, { context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().cancellation.isCancelled ? 1 : 0
        }), "CURLOPT_XFERINFOFUNCTION")
        let context = Unmanaged.passUnretained(state).toOpaque()
        try set(CURLOPT_XFERINFODATA, pointer: context)
        try check(simpul_curl_setopt_write_function(handle, { data, size, count, context in
            guard let data, let context else { return size * count }
            let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
            let total = size * count
            // What the server said, kept short: a line of it goes into an error message.
            let room = max(0, 512 - state.received.count)
            if room > 0 {
                data.withMemoryRebound(to: UInt8.self, capacity: total) { bytes in
                    state.received.append(contentsOf: UnsafeBufferPointer(start: bytes, count: min(room, total)))
                }
            }
            return total
        }), "CURLOPT_WRITEFUNCTION")
        try set(CURLOPT_WRITEDATA, pointer: context)
        if !upload.isEmpty {
            try check(simpul_curl_setopt_read_function(handle, { buffer, size, count, context in
                guard let buffer, let context else { return Int(simpul_curl_readfunc_abort) }
                let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
                let n = min(size * count, state.upload.count - state.sent)
                guard n > 0 else { return 0 }
                state.upload.withUnsafeBufferPointer { bytes in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + state.sent, byteCount: n)
                }
                state.sent += n
                return n
            }), "CURLOPT_READFUNCTION")
            try set(CURLOPT_READDATA, pointer: context)
            try set(CURLOPT_UPLOAD, 1)
            try set(CURLOPT_INFILESIZE_LARGE, offset: curl_off_t(upload.count))
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// The one place libcurl's result codes are checked while setting up.
    func check(_ code: CURLcode, _ what: String) throws(DeliveryError) {
        guard code == CURLE_OK else { throw .other(server, detail: "libcurl refused \(what): \(Curl.message(code))") }
    }

    func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(simpul_curl_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, _ value: String) throws(DeliveryError) {
        // libcurl copies string options (since 7.17).
        try check(simpul_curl_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(DeliveryError) {
        try check(simpul_curl_setopt_pointer(handle, option, pointer), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, offset: curl_off_t) throws(DeliveryError) {
        try check(simpul_curl_setopt_offset(handle, option, offset), "option \(option.rawValue)")
    }

    /// A list option (recipients, headers): the list lives as long as the handle.
    func set(_ option: CURLoption, list items: [String]) throws(DeliveryError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let longer = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw .other(server, detail: "curl_slist_append failed")
            }
            list = longer
        }
        guard let list else { return }
        lists.append(list)
        try check(simpul_curl_setopt_list(handle, option, list), "option \(option.rawValue)")
    }

    /// The transfer's timeouts from `deadline`: connecting and the whole transfer end by then.
    func setDeadline(_ deadline: ContinuousClock.Instant) throws(DeliveryError) {
        guard let ms = Curl.milliseconds(until: deadline) else { throw .timeout(server) }
        try set(CURLOPT_TIMEOUT_MS, ms)
        try set(CURLOPT_CONNECTTIMEOUT_MS, ms)
    }

    /// Runs the transfer to its end (blocking this thread): the result code and libcurl's own
    /// account of a failure.
    func perform() -> (code: CURLcode, detail: String) {
        let code = curl_easy_perform(handle)
        let detail = String(cString: errorBuffer)
        return (code, detail.isEmpty ? Curl.message(code) : detail)
    }

    /// The last response code: an SMTP reply code or an HTTP status (0 when none came).
    var responseCode: Int {
        var code = 0
        _ = simpul_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }
}

/// What the callbacks of one transfer share: the bytes to upload, what came back, the cancellation.
final class TransferState {
    let upload: [UInt8]
    var sent = 0
    var received: [UInt8] = []
    let cancellation: Cancellation

    init(upload: [UInt8], cancellation: Cancellation) {
        self.upload = upload
        self.cancellation = cancellation
    }
}
