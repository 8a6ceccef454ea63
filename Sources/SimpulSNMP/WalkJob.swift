import CNetSNMP
import Foundation
import SimpulCore

/// One device's walk: a state machine driven by the engine's thread, one request out at a time.
/// Every net-snmp call it makes happens on that thread; only ``cancel()`` and the result's delivery
/// cross to others.
///
/// The requests, in order:
/// 1. SNMPv3 only: engineID discovery, an empty GET answered by a report.
/// 2. GETBULKs over ``IFMIB/walked``, every column still open in each request (as snmptable does),
///    sysUpTime as a non-repeater in each (sysName too in the first), until every column has ended.
/// 3. The 32-bit octet counters for the rows without 64-bit ones: by GET in batches when they are a
///    few, by a GETBULK walk of the two columns when they are many.
///
/// A timeout or tooBig on a GETBULK of more than one repetition halves max-repetitions and sends
/// that request again; what the walk ends with is returned for the device's next walk.
final class WalkJob {
    enum Phase {
        case waiting, discovering, awaitingUser, walking, narrowWalk, narrowGet, finished
    }

    /// What the callback saw for the request out; acted on after net-snmp returns.
    enum Event {
        case answered(Step)
        case timedOut
        case report(Int32)
        case sendFailed
    }

    /// What an answer means for the walk.
    enum Step {
        case next
        case tooBig
        case agentError(status: Int, index: Int)
        case malformed(Text)
        case tooManyInterfaces
    }

    /// How long past its deadline a request may stay with net-snmp before it counts as timed out.
    static let expiryGrace: Duration = .milliseconds(500)

    /// Rows a walk keeps at most; a device with more is stopped as looping.
    static let maxInterfaces = 100_000
    /// Rows whose 32-bit counters one GET asks for at first (two variables each).
    static let narrowBatch = 24

    let target: SNMPTarget
    let continuation: CheckedContinuation<Result<SNMPDeviceWalk, SNMPError>, Never>
    let cancelled = CancelFlag()

    var phase: Phase = .waiting
    var session: UnsafeMutableRawPointer?
    var socket: Int32 = -1
    /// When the request out times out; nil when none is out.
    var deadline: ContinuousClock.Instant?
    /// When the whole walk must be over.
    var budgetDeadline: ContinuousClock.Instant?
    var result: Result<SNMPDeviceWalk, SNMPError>?
    /// The USM table entry held (SNMPv3), released when the walk ends.
    var userEntry: USMUsers.Entry?
    var userKeys: [UInt8] = []

    var requestID: Int32 = 0
    var event: Event?
    var attempts = 0
    var requests = 0
    var timeouts = 0
    /// Answers net-snmp could not parse (malformed, truncated): a timeout after them is not silence.
    var unreadableAnswers = 0
    /// The agent sent notInTimeWindow for the request out (net-snmp resends once by itself).
    var sawTimeWindow = false
    var startedAt: ContinuousClock.Instant?

    var repetitions: Int
    var columns: [ColumnCursor]
    var narrowColumns: [ColumnCursor]
    /// Indexes of the columns (of `columns` or `narrowColumns`) in the request out, in its order.
    var open: [Int] = []
    var firstBulk = true
    var nonRepeaters = 2
    let sysUpTimeBase = RawOID(IFMIB.sysUpTime)
    let sysNameBase = RawOID(IFMIB.sysName)
    let sysUpTimeInstance = RawOID(IFMIB.sysUpTime.appending(0))
    let sysNameInstance = RawOID(IFMIB.sysName.appending(0))

    var rows: [SNMPInterface] = []
    var slots: [Int32: Int] = [:]
    var currentUptime: UInt32?
    var firstUptime: UInt32?
    var sysName: String?
    var ignored = 0

    /// Rows still to ask for 32-bit counters by GET, the batch size, and what the GET out asked.
    var narrowRows: [Int] = []
    var narrowNext = 0
    var getBatch = WalkJob.narrowBatch
    var getPlan: [(slot: Int, column: IFMIBColumn)] = []
    var getRows = 0

    init(target: SNMPTarget, continuation: CheckedContinuation<Result<SNMPDeviceWalk, SNMPError>, Never>) {
        self.target = target
        self.continuation = continuation
        repetitions = target.maxRepetitions
        columns = IFMIB.walked.map(ColumnCursor.init)
        narrowColumns = IFMIB.fallback.map(ColumnCursor.init)
    }

    deinit {
        for c in columns { c.free() }
        for c in narrowColumns { c.free() }
        sysUpTimeBase.free()
        sysNameBase.free()
        sysUpTimeInstance.free()
        sysNameInstance.free()
    }

    /// Ends the walk with `error` before (or instead of) its requests; the engine then closes it.
    func failBeforeStart(_ error: SNMPError) { finish(.failure(error)) }

    /// Asks the walk to stop (from any thread); the engine ends it on its next turn.
    func cancel() { cancelled.set() }
    var isCancelled: Bool { cancelled.isSet }
    var isFinished: Bool { phase == .finished }

    /// Whether the job waits for an answer on its socket.
    var awaitsAnswer: Bool { deadline != nil && socket >= 0 }

    // MARK: Engine entry points

    /// Opens the session and sends the first request.
    func start(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
        startedAt = now
        budgetDeadline = now.advanced(by: target.timing.walkBudget)
        let opened: UnsafeMutableRawPointer?
        do {
            opened = try open(engine)
        } catch {
            finish(.failure(error))
            return
        }
        session = opened
        socket = simpul_session_socket(opened)
        if case .user = target.credential.security {
            phase = .discovering
            sendDiscovery(now: now)
        } else {
            phase = .walking
            sendBulk(now: now)
        }
    }

    /// After net-snmp read from the socket or ran its timeouts: acts on what the callback saw.
    func advance(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard phase != .finished else { return }
        if cancelled.isSet {
            finish(.failure(.cancelled(target)))
            return
        }
        if let event {
            self.event = nil
            handle(event, engine, now: now)
        }
        if phase != .finished, let budgetDeadline, now >= budgetDeadline {
            finish(.failure(.walkTooLong(target, rows: rows.count)))
        }
    }

    /// The request out is past its deadline: lets net-snmp time it out (calling back), then acts.
    func expire(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard let session, deadline != nil, phase != .finished else { return }
        snmp_sess_timeout(session)
        if event == nil, let deadline {
            if now - deadline > Self.expiryGrace {
                // net-snmp no longer holds the request (it gave up on it after a report): the deadline
                // is the answer.
                self.deadline = nil
                event = sawTimeWindow ? .report(simpul_report_time_window) : .timedOut
            } else {
                // net-snmp's clock has not reached its own expiry yet: look again shortly.
                self.deadline = now.advanced(by: .milliseconds(10))
            }
        }
        advance(engine, now: now)
    }

    /// net-snmp read a datagram for this job and ended with `error` (0 when none): an answer that
    /// brought no event and an error was one it could not parse.
    func readEnded(error: Int32) {
        if error != 0 && event == nil && deadline != nil && !sawTimeWindow { unreadableAnswers += 1 }
    }

    /// The USM entry this job waited for is free: tries again.
    func userReleased(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard phase == .awaitingUser else { return }
        startWalkAfterDiscovery(engine, now: now)
    }

    /// Closes the session and hands the result to the caller. The engine calls it once, after `finish`.
    func close() {
        if let session {
            snmp_sess_close(session)
            self.session = nil
            socket = -1
        }
        continuation.resume(returning: result ?? .failure(.cancelled(target)))
    }

    // MARK: The callback

    /// What net-snmp reports for a request of this job (in its callback, on the engine's thread).
    /// net-snmp matches an SNMPv3 report to its request by message id, and hands it over with
    /// request id 0: a report is taken for the request out whatever its id.
    func received(op: Int32, requestID id: Int32, pdu: UnsafeMutablePointer<netsnmp_pdu>?) {
        guard phase != .finished, event == nil, deadline != nil else { return }
        let report = pdu.flatMap { Int32($0.pointee.command) == simpul_snmp_msg_report ? $0 : nil }
        guard id == requestID || (id == 0 && (report != nil || op == simpul_op_sec_error)) else { return }
        if let report {
            let type = snmpv3_get_report_type(report)
            if type == simpul_report_time_window {
                // net-snmp takes the agent's clock from the report and sends again by itself. Should it
                // give up, nothing more comes: the deadline then tells (``expire``).
                sawTimeWindow = true
                deadline = ContinuousClock.now.advanced(by: target.timing.timeout)
                return
            }
            deadline = nil
            event = .report(type)
            return
        }
        switch op {
        case simpul_op_received:
            guard let pdu, Int32(pdu.pointee.command) == simpul_snmp_msg_response else { return }
            deadline = nil
            event = .answered(read(pdu))
        case simpul_op_timed_out:
            deadline = nil
            event = .timedOut
        case simpul_op_send_failed:
            deadline = nil
            event = .sendFailed
        case simpul_op_sec_error:
            deadline = nil
            event = .report(sawTimeWindow ? simpul_report_time_window : 0)
        default:
            break
        }
    }

    // MARK: Acting on events

    func handle(_ event: Event, _ engine: SNMPEngine, now: ContinuousClock.Instant) {
        switch event {
        case .timedOut:
            attempts += 1
            timeouts += 1
            guard attempts <= target.timing.retries else {
                if unreadableAnswers > 0 {
                    finish(.failure(.malformed(target, Text(
                        id: "\(unreadableAnswers) jawaban rusak atau terpotong sehingga tidak dapat diurai",
                        en: "\(unreadableAnswers) answer(s) were malformed or truncated and could not be parsed"))))
                } else {
                    finish(.failure(.noAnswer(target, attempts: attempts)))
                }
                return
            }
            // A large GETBULK may be what the device or the path cannot carry: smaller next time.
            if (phase == .walking || phase == .narrowWalk) && repetitions > 1 {
                repetitions = max(1, repetitions / 2)
            }
            resend(now: now)
        case .sendFailed:
            finish(.failure(.session(target, session.map { NetSNMPCall.error(ofSession: $0) } ?? "send failed")))
        case .report(let type):
            report(type, engine, now: now)
        case .answered(let step):
            attempts = 0
            switch step {
            case .next:
                proceed(now: now)
            case .tooBig:
                if (phase == .walking || phase == .narrowWalk) && repetitions > 1 {
                    repetitions = max(1, repetitions / 2)
                    resend(now: now)
                } else if phase == .narrowGet && getBatch > 1 {
                    getBatch = max(1, getBatch / 2)
                    resend(now: now)
                } else {
                    finish(.failure(.tooBig(target)))
                }
            case .agentError(let status, let index):
                finish(.failure(.agentError(target, status: status, index: index)))
            case .malformed(let detail):
                finish(.failure(.malformed(target, detail)))
            case .tooManyInterfaces:
                finish(.failure(.tooManyInterfaces(target, limit: Self.maxInterfaces)))
            }
        }
    }

    func report(_ type: Int32, _ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard case .user(let user) = target.credential.security else {
            finish(.failure(.malformed(target, Text(id: "laporan SNMPv3 sebagai jawaban permintaan v2c", en: "an SNMPv3 report in answer to a v2c request"))))
            return
        }
        if phase == .discovering {
            startWalkAfterDiscovery(engine, now: now)
            return
        }
        switch type {
        case simpul_report_wrong_digest: finish(.failure(.authenticationFailed(target, user: user)))
        case simpul_report_unknown_user: finish(.failure(.unknownUser(target, user: user)))
        case simpul_report_unsupported_level: finish(.failure(.unsupportedSecurityLevel(target, user: user)))
        case simpul_report_decryption: finish(.failure(.decryptionFailed(target, user: user)))
        case simpul_report_time_window: finish(.failure(.timeWindow(target)))
        case simpul_report_unknown_engine: finish(.failure(.unknownEngine(target)))
        default:
            finish(.failure(.malformed(target, Text(id: "laporan SNMPv3 yang tidak dikenal (\(type))", en: "an unknown SNMPv3 report (\(type))"))))
        }
    }

    /// The engineID is known: holds the USM entry for it and starts walking (or waits for the entry).
    func startWalkAfterDiscovery(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard let session, case .user(let user) = target.credential.security else { return }
        let state = snmp_sess_session(session)!
        let length = Int(state.pointee.securityEngineIDLen)
        guard length > 0, let engineID = state.pointee.securityEngineID else {
            finish(.failure(.malformed(target, Text(id: "jawaban penemuan engineID tanpa engineID", en: "an engineID discovery answer without an engineID"))))
            return
        }
        let entry = USMUsers.Entry(engineID: Array(UnsafeBufferPointer(start: engineID, count: length)), user: user.name)
        guard engine.users.acquire(entry, keys: userKeys, for: self) else {
            phase = .awaitingUser
            return
        }
        userEntry = entry
        guard create_user_from_session(state) == SNMPERR_SUCCESS else {
            finish(.failure(.session(target, "net-snmp could not add the SNMPv3 user to its table")))
            return
        }
        phase = .walking
        sendBulk(now: now)
    }

    /// The answer was taken in: the next request, the next phase, or the end.
    func proceed(now: ContinuousClock.Instant) {
        switch phase {
        case .walking:
            if columns.contains(where: { !$0.done }) {
                sendBulk(now: now)
            } else {
                startNarrow(now: now)
            }
        case .narrowWalk:
            if narrowColumns.contains(where: { !$0.done }) {
                sendBulk(now: now)
            } else {
                done(now: now)
            }
        case .narrowGet:
            narrowNext += getRows
            if narrowNext < narrowRows.count {
                sendNarrowGet(now: now)
            } else {
                done(now: now)
            }
        case .waiting, .discovering, .awaitingUser, .finished:
            break
        }
    }

    /// Reads the 32-bit octet counters of the rows without 64-bit ones: a walk of the two columns when
    /// they are a quarter of the rows or more (an agent without ifXTable), GETs in batches otherwise.
    func startNarrow(now: ContinuousClock.Instant) {
        narrowRows = rows.indices.filter { rows[$0].needsNarrowCounters }
        guard !narrowRows.isEmpty else {
            done(now: now)
            return
        }
        if narrowRows.count * 4 >= rows.count {
            phase = .narrowWalk
            sendBulk(now: now)
        } else {
            phase = .narrowGet
            narrowNext = 0
            sendNarrowGet(now: now)
        }
    }

    func done(now: ContinuousClock.Instant) {
        let duration = startedAt.map { now - $0 } ?? .zero
        finish(.success(SNMPDeviceWalk(device: target.device, sysUpTime: firstUptime, sysName: sysName, interfaces: rows,
                                       requests: requests, timeouts: timeouts, duration: duration,
                                       maxRepetitions: repetitions, ignoredValues: ignored)))
    }

    func finish(_ result: Result<SNMPDeviceWalk, SNMPError>) {
        guard phase != .finished else { return }
        phase = .finished
        deadline = nil
        self.result = result
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

/// A flag set from any thread and read on the engine's.
final class CancelFlag: @unchecked Sendable {
    let lock = NSLock()
    var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// net-snmp's callback for every request of every walk: `magic` is the walk.
let walkCallback: netsnmp_callback = { op, _, requestID, pdu, magic in
    guard let magic else { return 1 }
    Unmanaged<WalkJob>.fromOpaque(magic).takeUnretainedValue().received(op: op, requestID: requestID, pdu: pdu)
    return 1
}
