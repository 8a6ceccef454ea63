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

    /// Rows a walk keeps at most; a device with more is stopped as looping.
    static let maxInterfaces = 100_000
    /// Rows whose 32-bit counters one GET asks for at first (two variables each).
    static let narrowBatch = 24

    let target: SNMPTarget
    private let continuation: CheckedContinuation<Result<SNMPDeviceWalk, SNMPError>, Never>
    private let cancelled = CancelFlag()

    private(set) var phase: Phase = .waiting
    private(set) var session: UnsafeMutableRawPointer?
    private(set) var socket: Int32 = -1
    /// When the request out times out; nil when none is out.
    private(set) var deadline: ContinuousClock.Instant?
    /// When the whole walk must be over.
    private(set) var budgetDeadline: ContinuousClock.Instant?
    private(set) var result: Result<SNMPDeviceWalk, SNMPError>?
    /// The USM table entry held (SNMPv3), released when the walk ends.
    var userEntry: USMUsers.Entry?
    private var userKeys: [UInt8] = []

    private var requestID: Int32 = 0
    private var event: Event?
    private var attempts = 0
    private var requests = 0
    private var timeouts = 0
    /// Answers net-snmp could not parse (malformed, truncated): a timeout after them is not silence.
    var unreadableAnswers = 0
    private var startedAt: ContinuousClock.Instant?

    private var repetitions: Int
    private var columns: [ColumnCursor]
    private var narrowColumns: [ColumnCursor]
    /// Indexes of the columns (of `columns` or `narrowColumns`) in the request out, in its order.
    private var open: [Int] = []
    private var firstBulk = true
    private var nonRepeaters = 2
    private let sysUpTimeBase = RawOID(IFMIB.sysUpTime)
    private let sysNameBase = RawOID(IFMIB.sysName)
    private let sysUpTimeInstance = RawOID(IFMIB.sysUpTime.appending(0))
    private let sysNameInstance = RawOID(IFMIB.sysName.appending(0))

    private var rows: [SNMPInterface] = []
    private var slots: [Int32: Int] = [:]
    private var currentUptime: UInt32?
    private var firstUptime: UInt32?
    private var sysName: String?
    private var ignored = 0

    /// Rows still to ask for 32-bit counters by GET, the batch size, and what the GET out asked.
    private var narrowRows: [Int] = []
    private var narrowNext = 0
    private var getBatch = WalkJob.narrowBatch
    private var getPlan: [(slot: Int, column: IFMIBColumn)] = []
    private var getRows = 0

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
        if event == nil, deadline != nil {
            // net-snmp's clock has not reached its own expiry yet: look again shortly.
            deadline = now.advanced(by: .milliseconds(2))
        }
        advance(engine, now: now)
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
    func received(op: Int32, requestID id: Int32, pdu: UnsafeMutablePointer<netsnmp_pdu>?) {
        guard id == requestID, phase != .finished, event == nil else { return }
        switch op {
        case simpul_op_received:
            guard let pdu else { return }
            let command = Int32(pdu.pointee.command)
            if command == simpul_snmp_msg_report {
                let type = snmpv3_get_report_type(pdu)
                if type == simpul_err_not_in_time_window || type == simpul_err_usm_time_window {
                    // net-snmp takes the agent's clock from the report and sends again by itself;
                    // should it give up, a security error follows.
                    deadline = ContinuousClock.now.advanced(by: target.timing.timeout)
                    return
                }
                deadline = nil
                event = .report(type)
            } else if command == simpul_snmp_msg_response {
                deadline = nil
                event = .answered(read(pdu))
            }
        case simpul_op_timed_out:
            deadline = nil
            event = .timedOut
        case simpul_op_send_failed:
            deadline = nil
            event = .sendFailed
        case simpul_op_sec_error:
            deadline = nil
            event = .report(simpul_err_usm_time_window)
        default:
            break
        }
    }

    // MARK: Sessions and requests

    private func open(_ engine: SNMPEngine) throws(SNMPError) -> UnsafeMutableRawPointer {
        var session = netsnmp_session()
        snmp_sess_init(&session)
        let peer = target.address.family == .v4 ? "udp:\(target.address):\(target.port)" : "udp6:[\(target.address)]:\(target.port)"
        // net-snmp retries nothing itself: a timeout comes back here, where a large GETBULK is
        // made smaller before it is sent again.
        session.retries = 0
        session.timeout = CLong(Self.microseconds(target.timing.timeout))
        session.callback = walkCallback
        session.callback_magic = Unmanaged.passUnretained(self).toOpaque()
        let opened: UnsafeMutableRawPointer?
        switch target.credential.security {
        case .community(let community):
            session.version = simpul_snmp_version_2c
            let bytes = Array(community.utf8)
            opened = peer.withCString { peerPointer in
                bytes.withUnsafeBufferPointer { communityPointer in
                    session.peername = UnsafeMutablePointer(mutating: peerPointer)
                    session.community = UnsafeMutablePointer(mutating: communityPointer.baseAddress)
                    session.community_len = communityPointer.count
                    return snmp_sess_open(&session)
                }
            }
        case .user(let user):
            guard let authKey = engine.keys.key(user.authPassword, for: user.auth) else {
                throw .session(target, "net-snmp refused to derive a key from the auth_password of \(target.credential.name)")
            }
            var privKey: [UInt8] = []
            if user.priv != nil, let password = user.privPassword {
                // RFC 3826: the privacy key is derived with the authentication protocol's hash.
                guard let key = engine.keys.key(password, for: user.auth) else {
                    throw .session(target, "net-snmp refused to derive a key from the priv_password of \(target.credential.name)")
                }
                privKey = key
            }
            userKeys = [UInt8(user.auth == .sha256 ? 2 : 1), UInt8(user.priv == nil ? 0 : 1)] + authKey + [0xFF] + privKey
            session.version = simpul_snmp_version_3
            session.securityModel = simpul_sec_model_usm
            session.securityLevel = user.priv == nil ? simpul_sec_level_auth_nopriv : simpul_sec_level_auth_priv
            _ = simpul_session_set_auth(&session, user.auth == .sha256 ? simpul_auth_sha256 : simpul_auth_sha1)
            if user.priv != nil { simpul_session_set_priv_aes128(&session) }
            // No probe when opening: net-snmp's probe blocks until the device answers. Discovery is
            // the first asynchronous request instead.
            session.flags |= UInt(simpul_flags_dont_probe)
            let keysSet = authKey.withUnsafeBufferPointer { a in
                privKey.withUnsafeBufferPointer { p in
                    simpul_session_set_keys(&session, a.baseAddress, a.count, p.baseAddress, p.count)
                }
            }
            guard keysSet == 1 else { throw .session(target, "a derived key does not fit net-snmp's session") }
            opened = peer.withCString { peerPointer in
                user.name.withCString { namePointer in
                    session.peername = UnsafeMutablePointer(mutating: peerPointer)
                    session.securityName = UnsafeMutablePointer(mutating: namePointer)
                    session.securityNameLen = strlen(namePointer)
                    return snmp_sess_open(&session)
                }
            }
            if let opened {
                // Opening clears the flag; sending must not probe either.
                snmp_sess_session(opened).pointee.flags |= UInt(simpul_flags_dont_probe)
            }
        }
        guard let opened else {
            throw .session(target, NetSNMPCall.error(of: &session))
        }
        return opened
    }

    private func send(_ pdu: UnsafeMutablePointer<netsnmp_pdu>, now: ContinuousClock.Instant) {
        guard let session else {
            snmp_free_pdu(pdu)
            finish(.failure(.session(target, "no session")))
            return
        }
        let id = snmp_sess_async_send(session, pdu, walkCallback, Unmanaged.passUnretained(self).toOpaque())
        guard id != 0 else {
            snmp_free_pdu(pdu)
            finish(.failure(.session(target, NetSNMPCall.error(ofSession: session))))
            return
        }
        requestID = id
        requests += 1
        deadline = now.advanced(by: target.timing.timeout)
    }

    private func sendDiscovery(now: ContinuousClock.Instant) {
        guard let pdu = simpul_discovery_pdu() else {
            finish(.failure(.session(target, "net-snmp could not build an engineID discovery request")))
            return
        }
        send(pdu, now: now)
    }

    /// A GETBULK over the open columns of the phase, from where each stands.
    private func sendBulk(now: ContinuousClock.Instant) {
        guard let pdu = snmp_pdu_create(simpul_snmp_msg_getbulk) else {
            finish(.failure(.session(target, "net-snmp could not allocate a request")))
            return
        }
        let narrow = phase == .narrowWalk
        nonRepeaters = firstBulk && !narrow ? 2 : 1
        simpul_pdu_set_bulk(pdu, nonRepeaters, repetitions)
        snmp_add_null_var(pdu, sysUpTimeBase.arcs, sysUpTimeBase.count)
        if nonRepeaters == 2 { snmp_add_null_var(pdu, sysNameBase.arcs, sysNameBase.count) }
        open.removeAll(keepingCapacity: true)
        if narrow {
            for (i, c) in narrowColumns.enumerated() where !c.done {
                open.append(i)
                snmp_add_null_var(pdu, c.position.arcs, c.position.count)
            }
        } else {
            for (i, c) in columns.enumerated() where !c.done {
                open.append(i)
                snmp_add_null_var(pdu, c.position.arcs, c.position.count)
            }
        }
        send(pdu, now: now)
    }

    /// A GET of the 32-bit octet counters of the next batch of rows that lack 64-bit ones.
    private func sendNarrowGet(now: ContinuousClock.Instant) {
        guard let pdu = snmp_pdu_create(simpul_snmp_msg_get) else {
            finish(.failure(.session(target, "net-snmp could not allocate a request")))
            return
        }
        getPlan.removeAll(keepingCapacity: true)
        // sysUpTime.0 first: the counters' agent time.
        snmp_add_null_var(pdu, sysUpTimeInstance.arcs, sysUpTimeInstance.count)
        var name = [oid](repeating: 0, count: RawOID.capacity)
        var index = narrowNext
        getRows = 0
        while index < narrowRows.count, getRows < getBatch {
            let slot = narrowRows[index]
            let row = rows[slot]
            for cursor in narrowColumns {
                let wanted = cursor.column == .inOctets ? !(row.inOctets?.is64Bit ?? false) : !(row.outOctets?.is64Bit ?? false)
                guard wanted else { continue }
                for i in 0..<cursor.prefix.count { name[i] = cursor.prefix.arcs[i] }
                name[cursor.prefix.count] = oid(UInt32(row.ifIndex))
                snmp_add_null_var(pdu, name, cursor.prefix.count + 1)
                getPlan.append((slot, cursor.column))
            }
            index += 1
            getRows += 1
        }
        send(pdu, now: now)
    }

    /// Sends the request out again, after a timeout or a tooBig.
    private func resend(now: ContinuousClock.Instant) {
        switch phase {
        case .discovering: sendDiscovery(now: now)
        case .walking, .narrowWalk: sendBulk(now: now)
        case .narrowGet: sendNarrowGet(now: now)
        case .waiting, .awaitingUser, .finished: break
        }
    }

    // MARK: Acting on events

    private func handle(_ event: Event, _ engine: SNMPEngine, now: ContinuousClock.Instant) {
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

    private func report(_ type: Int32, _ engine: SNMPEngine, now: ContinuousClock.Instant) {
        guard case .user(let user) = target.credential.security else {
            finish(.failure(.malformed(target, Text(id: "laporan SNMPv3 sebagai jawaban permintaan v2c", en: "an SNMPv3 report in answer to a v2c request"))))
            return
        }
        if phase == .discovering {
            startWalkAfterDiscovery(engine, now: now)
            return
        }
        switch type {
        case simpul_err_usm_authentication: finish(.failure(.authenticationFailed(target, user: user)))
        case simpul_err_usm_unknown_user: finish(.failure(.unknownUser(target, user: user)))
        case simpul_err_usm_unsupported_level: finish(.failure(.unsupportedSecurityLevel(target, user: user)))
        case simpul_err_usm_decryption: finish(.failure(.decryptionFailed(target, user: user)))
        case simpul_err_usm_time_window, simpul_err_not_in_time_window: finish(.failure(.timeWindow(target)))
        case simpul_err_usm_unknown_engine: finish(.failure(.unknownEngine(target)))
        default:
            finish(.failure(.malformed(target, Text(id: "laporan SNMPv3 yang tidak dikenal (\(type))", en: "an unknown SNMPv3 report (\(type))"))))
        }
    }

    /// The engineID is known: holds the USM entry for it and starts walking (or waits for the entry).
    private func startWalkAfterDiscovery(_ engine: SNMPEngine, now: ContinuousClock.Instant) {
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
    private func proceed(now: ContinuousClock.Instant) {
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
    private func startNarrow(now: ContinuousClock.Instant) {
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

    private func done(now: ContinuousClock.Instant) {
        let duration = startedAt.map { now - $0 } ?? .zero
        finish(.success(SNMPDeviceWalk(device: target.device, sysUpTime: firstUptime, sysName: sysName, interfaces: rows,
                                       requests: requests, timeouts: timeouts, duration: duration,
                                       maxRepetitions: repetitions, ignoredValues: ignored)))
    }

    private func finish(_ result: Result<SNMPDeviceWalk, SNMPError>) {
        guard phase != .finished else { return }
        phase = .finished
        deadline = nil
        self.result = result
    }

    // MARK: Reading answers

    /// Takes in an answer's values (called while net-snmp still holds the PDU).
    private func read(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        let status = Int(pdu.pointee.errstat)
        if status == Int(simpul_snmp_err_toobig) { return .tooBig }
        if status != 0 { return .agentError(status: status, index: Int(pdu.pointee.errindex)) }
        switch phase {
        case .walking, .narrowWalk: return readBulk(pdu)
        case .narrowGet: return readGet(pdu)
        default:
            return .malformed(Text(id: "jawaban biasa atas permintaan penemuan engineID", en: "a plain response to an engineID discovery request"))
        }
    }

    private func readBulk(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        let narrow = phase == .narrowWalk
        var v = pdu.pointee.variables
        // The non-repeaters: sysUpTime.0, and sysName.0 in the first request.
        for n in 0..<nonRepeaters {
            guard let variable = v else {
                return .malformed(Text(id: "jawaban GETBULK tanpa sysUpTime", en: "a GETBULK answer without sysUpTime"))
            }
            if n == 0 {
                if Varbinds.named(variable, sysUpTimeInstance), case .timeTicks(let ticks)? = Varbinds.value(variable), ticks <= UInt64(UInt32.max) {
                    currentUptime = UInt32(ticks)
                    if firstUptime == nil { firstUptime = currentUptime }
                } else if !Varbinds.isException(variable) {
                    ignored += 1
                }
            } else if Varbinds.named(variable, sysNameInstance) {
                if case .text(let name)? = Varbinds.value(variable) { sysName = name } else if !Varbinds.isException(variable) { ignored += 1 }
            }
            v = variable.pointee.next_variable
        }
        firstBulk = false
        let width = open.count
        guard width > 0 else { return .next }
        var j = 0
        var progressed = false
        while let variable = v {
            v = variable.pointee.next_variable
            let k = open[j % width]
            j += 1
            if narrow {
                if narrowColumns[k].done { continue }
                switch take(variable, into: &narrowColumns[k], narrow: true) {
                case .taken: progressed = true
                case .ended: narrowColumns[k].done = true
                case .failed(let step): return step
                }
            } else {
                if columns[k].done { continue }
                switch take(variable, into: &columns[k], narrow: false) {
                case .taken: progressed = true
                case .ended: columns[k].done = true
                case .failed(let step): return step
                }
            }
        }
        let stillOpen = narrow ? narrowColumns.contains { !$0.done } : columns.contains { !$0.done }
        if !progressed && stillOpen && j < width {
            // Fewer values than columns, and none of them new: asking again would get the same.
            return .malformed(Text(id: "jawaban GETBULK tanpa nilai untuk kolom yang diminta", en: "a GETBULK answer with no values for the columns asked"))
        }
        return .next
    }

    private enum Taken {
        case taken, ended
        case failed(Step)
    }

    /// One variable of a column's stretch: its row's value, or the column's end.
    private func take(_ variable: UnsafeMutablePointer<netsnmp_variable_list>, into cursor: inout ColumnCursor, narrow: Bool) -> Taken {
        if Varbinds.isException(variable) { return .ended }
        guard let name = variable.pointee.name else { return .ended }
        let length = Int(variable.pointee.name_length)
        guard length <= RawOID.capacity, cursor.prefix.isPrefix(of: name, length: length), length > cursor.prefix.count else {
            return .ended  // past the column: the agent went on to the next one
        }
        // An agent must move forward; one that does not would be walked for ever.
        guard snmp_oid_compare(name, length, cursor.position.arcs, cursor.position.count) > 0 else {
            return .failed(.malformed(Text(
                id: "agen mengulang atau mundur di \(cursor.column.objectName) (OID tidak naik)",
                en: "the agent repeated or went back in \(cursor.column.objectName) (OIDs not increasing)")))
        }
        cursor.position.assign(name, count: length)
        // The row: one more arc, the ifIndex (InterfaceIndex, 1…2147483647).
        let index = name[cursor.prefix.count]
        guard length == cursor.prefix.count + 1, index >= 1, index <= oid(Int32.max) else {
            ignored += 1
            return .taken
        }
        let ifIndex = Int32(index)
        let slot: Int
        if let known = slots[ifIndex] {
            slot = known
        } else {
            // The 32-bit walk fills rows the main walk found; it adds none.
            guard !narrow else { return .taken }
            guard rows.count < Self.maxInterfaces else { return .failed(.tooManyInterfaces) }
            slot = rows.count
            slots[ifIndex] = slot
            rows.append(SNMPInterface(ifIndex: ifIndex))
        }
        guard let value = Varbinds.value(variable), rows[slot].set(cursor.column, value) else {
            ignored += 1
            return .taken
        }
        switch cursor.column {
        case .hcInOctets, .hcOutOctets, .inOctets, .outOctets: rows[slot].countersUptime = currentUptime
        default: break
        }
        return .taken
    }

    private func readGet(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Step {
        var v = pdu.pointee.variables
        if let variable = v {
            if Varbinds.named(variable, sysUpTimeInstance), case .timeTicks(let ticks)? = Varbinds.value(variable), ticks <= UInt64(UInt32.max) {
                currentUptime = UInt32(ticks)
            }
            v = variable.pointee.next_variable
        }
        for (slot, column) in getPlan {
            guard let variable = v else {
                return .malformed(Text(id: "jawaban GET dengan lebih sedikit nilai dari yang diminta", en: "a GET answer with fewer values than asked"))
            }
            v = variable.pointee.next_variable
            if Varbinds.isException(variable) { continue }
            if let value = Varbinds.value(variable), rows[slot].set(column, value) {
                rows[slot].countersUptime = currentUptime
            } else {
                ignored += 1
            }
        }
        return .next
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

/// A flag set from any thread and read on the engine's.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// net-snmp's callback for every request of every walk: `magic` is the walk.
let walkCallback: netsnmp_callback = { op, _, requestID, pdu, magic in
    guard let magic else { return 1 }
    Unmanaged<WalkJob>.fromOpaque(magic).takeUnretainedValue().received(op: op, requestID: requestID, pdu: pdu)
    return 1
}
