import Foundation
import Glibc
import SimpulCore

/// ICMP echo to many addresses at once, each check with its own deadline.
///
/// One thread of the engine's own does every socket call: it opens one socket per address family
/// when the first check of that family comes (datagram if the system allows it, else raw, see
/// ``ICMPAccess``), sends each request, and waits in `poll` for replies, errors and the nearest
/// deadline. A reply is taken only when its identifier, sequence, source and payload all match a
/// check in flight, so a raw socket's view of the host's other ICMP traffic, a late reply to a
/// check that has given up, or a damaged packet is never mistaken for an answer. Callers wait on
/// continuations, so no Swift task blocks; a dead address holds nothing but its own entry.
///
/// Addresses outside ``scope`` are refused before anything is opened. Call ``shutdown()`` when
/// done: the thread holds the engine until then.
public final class ICMPEngine: @unchecked Sendable {
    public let scope: ProbeScope
    private let opener: any ICMPSocketOpening
    /// A pipe that wakes the loop thread: callers write to `wakeWriter`, `poll` watches `wake`.
    private let wake: Int32
    private let wakeWriter: Int32

    // Shared with callers, under `lock`.
    private let lock = NSLock()
    private var checks: [UInt64: Check] = [:]
    private var queued: [UInt64] = []
    private var bySequence: [SequenceKey: UInt64] = [:]
    private var lastToken: UInt64 = 0
    private var stopping = false
    private var finished = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    // The loop thread's own.
    private var sockets: [IPAddress.Family: ICMPSocket] = [:]
    private var waitingToSend: [IPAddress.Family: [UInt64]] = [:]
    private var nextSequence: [IPAddress.Family: UInt16] = [.v4: .random(in: 0...UInt16.max), .v6: .random(in: 0...UInt16.max)]
    private let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: 4_096, alignment: 8)
    private let control = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)

    /// At most this many packets are read from one socket before deadlines are looked at again.
    private static let readBurst = 1_024
    /// What a check gets once the engine has stopped.
    static let stoppedOutcome = ProbeOutcome.unreachable(reason: "the prober has stopped", reportedBy: nil)

    struct SequenceKey: Hashable {
        let family: IPAddress.Family
        let sequence: UInt16
    }

    struct Check {
        let destination: IPAddress
        let timeout: Duration
        let started: ContinuousClock.Instant
        let continuation: CheckedContinuation<ProbeOutcome, Never>
        var sequence: UInt16?
        var payload: [UInt8] = []
        var sentAt: ContinuousClock.Instant?

        var deadline: ContinuousClock.Instant { started + timeout }
    }

    /// Starts the engine's thread. Sockets are opened by the first check of each family.
    public init(scope: ProbeScope, opener: any ICMPSocketOpening = SystemICMPSockets()) throws(SystemCallError) {
        self.scope = scope
        self.opener = opener
        var ends: [Int32] = [-1, -1]
        try SystemCall.check("pipe") { pipe(&ends) }
        for end in ends {
            try SystemCall.check("fcntl(O_NONBLOCK)") { fcntl(end, F_SETFL, O_NONBLOCK) }
            try SystemCall.check("fcntl(FD_CLOEXEC)") { fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
        wake = ends[0]
        wakeWriter = ends[1]
        let thread = Thread { [self] in run() }
        thread.name = "simpul-icmp"
        thread.start()
    }

    /// Sends one echo request to `address` and waits for the reply, at most `timeout`. Cancelling
    /// the calling task ends the check at once as timed out.
    public func echo(_ address: IPAddress, timeout: Duration) async -> ProbeOutcome {
        let destination = address.probeDestination
        guard scope.permits(destination) else { return .outsideScope(scope) }
        let token = lock.withLock { () -> UInt64 in
            lastToken += 1
            return lastToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ProbeOutcome, Never>) in
                let accepted = lock.withLock { () -> Bool in
                    guard !stopping else { return false }
                    checks[token] = Check(destination: destination, timeout: max(timeout, .zero), started: .now, continuation: continuation)
                    queued.append(token)
                    return true
                }
                guard accepted else { return continuation.resume(returning: Self.stoppedOutcome) }
                if Task.isCancelled { cancel(token) }
                signal()
            }
        } onCancel: {
            cancel(token)
        }
    }

    /// Ends every check still waiting, closes the sockets and stops the thread.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock { () -> Bool in
                if finished { return true }
                stopping = true
                stopWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { signal() }
        }
    }

    // MARK: Callers' side

    /// Wakes the loop thread; never after it has closed its wake descriptor.
    private func signal() {
        lock.withLock {
            guard !finished else { return }
            var one: UInt8 = 1
            _ = write(wakeWriter, &one, 1)
        }
    }

    private func cancel(_ token: UInt64) {
        finish(token) { check in .timedOut(after: check.started.duration(to: .now)) }
    }

    /// Takes check `token` out of the books and resumes its caller, once: whoever removes it answers.
    private func finish(_ token: UInt64, _ outcome: (Check) -> ProbeOutcome) {
        let check = lock.withLock { () -> Check? in
            guard let check = checks.removeValue(forKey: token) else { return nil }
            if let sequence = check.sequence { bySequence[SequenceKey(family: check.destination.family, sequence: sequence)] = nil }
            return check
        }
        if let check { check.continuation.resume(returning: outcome(check)) }
    }

    /// Finishes the check that sent `sequence` on `family`, if `matches` says this is its answer.
    private func answer(_ family: IPAddress.Family, _ sequence: UInt16, matches: (Check) -> Bool, _ outcome: (Check) -> ProbeOutcome) {
        let key = SequenceKey(family: family, sequence: sequence)
        let check = lock.withLock { () -> Check? in
            guard let token = bySequence[key], let check = checks[token], check.sentAt != nil, matches(check) else { return nil }
            checks[token] = nil
            bySequence[key] = nil
            return check
        }
        if let check { check.continuation.resume(returning: outcome(check)) }
    }

    // MARK: The loop thread

    private func run() {
        var fds: [pollfd] = []
        while true {
            let (started, stop) = lock.withLock { () -> ([UInt64], Bool) in
                defer { queued.removeAll(keepingCapacity: true) }
                return (queued, stopping)
            }
            if stop { break }
            for token in started { start(token) }

            let families = sockets.keys.sorted { $0.rawValue < $1.rawValue }
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            for family in families {
                let writable = waitingToSend[family]?.isEmpty == false
                fds.append(pollfd(fd: sockets[family]!.fd, events: Int16(POLLIN) | (writable ? Int16(POLLOUT) : 0), revents: 0))
            }
            let ready = poll(&fds, nfds_t(fds.count), pollTimeout())
            if ready < 0 && errno != EINTR {
                usleep(10_000)
            }
            if ready > 0 {
                if fds[0].revents != 0 {
                    var drained = [UInt8](repeating: 0, count: 256)
                    while read(wake, &drained, drained.count) > 0 {}
                }
                for (index, family) in families.enumerated() where fds[index + 1].revents != 0 {
                    let socket = sockets[family]!
                    receive(on: socket)
                    if socket.kind == .datagram { receiveErrors(on: socket) }
                }
            }
            for family in families where waitingToSend[family]?.isEmpty == false { flush(family) }
            expire()
        }
        stop()
    }

    /// Opens the family's socket if need be and sends the check's request.
    private func start(_ token: UInt64) {
        guard let family = lock.withLock({ checks[token]?.destination.family }) else { return }
        if sockets[family] == nil {
            switch ICMPSocket.open(family, with: opener) {
            case .socket(let socket):
                sockets[family] = socket
            case .notPermitted(let permission):
                return finish(token) { _ in .notPermitted(permission) }
            case .unavailable(let reason):
                return finish(token) { _ in .unreachable(reason: reason, reportedBy: nil) }
            }
        }
        let payload = Self.payload()
        enum Numbered { case numbered, gone, full }
        let numbered = lock.withLock { () -> Numbered in
            guard checks[token] != nil else { return .gone }
            var sequence = nextSequence[family]!
            for _ in 0...Int(UInt16.max) {
                sequence &+= 1
                let key = SequenceKey(family: family, sequence: sequence)
                if bySequence[key] == nil {
                    bySequence[key] = token
                    checks[token]!.sequence = sequence
                    checks[token]!.payload = payload
                    nextSequence[family] = sequence
                    return .numbered
                }
            }
            return .full
        }
        switch numbered {
        case .gone: return
        case .full: return finish(token) { _ in .unreachable(reason: "65536 ICMP checks of one family are already in flight", reportedBy: nil) }
        case .numbered: break
        }
        if waitingToSend[family]?.isEmpty == false {
            waitingToSend[family]!.append(token)
        } else if !send(token, on: sockets[family]!) {
            waitingToSend[family, default: []].append(token)
        }
    }

    /// Sends the request of `token`; false when the socket's buffer is full and it must wait.
    private func send(_ token: UInt64, on socket: ICMPSocket) -> Bool {
        let now = ContinuousClock.now
        guard let check = lock.withLock({ () -> Check? in
            guard checks[token] != nil else { return nil }
            checks[token]!.sentAt = now
            return checks[token]
        }), let sequence = check.sequence else { return true }
        let request = ICMPPacket.echoRequest(family: socket.family, identifier: socket.identifier, sequence: sequence, payload: check.payload)
        while true {
            let sent = KernelAddress.with(check.destination) { address, length in
                request.withUnsafeBytes { sendto(socket.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), address, length) }
            }
            if sent >= 0 { return true }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ENOBUFS: return false
            default:
                finish(token) { _ in .unreachable(reason: SystemCall.reason(code), reportedBy: nil) }
                return true
            }
        }
    }

    private func flush(_ family: IPAddress.Family) {
        guard let socket = sockets[family] else { return }
        while let token = waitingToSend[family]?.first {
            guard send(token, on: socket) else { return }
            waitingToSend[family]!.removeFirst()
        }
    }

    /// Reads what is waiting on `socket`: replies, and errors a raw socket sees as packets.
    private func receive(on socket: ICMPSocket) {
        var name = sockaddr_storage()
        for _ in 0..<Self.readBurst {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &name) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(socket.fd, packet.baseAddress, packet.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
            if count < 0 {
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK { return }
                // Interrupted, or a pending socket error the kernel hands out once (it is on the
                // error queue as well): the packets behind it are still to be read.
                continue
            }
            let now = ContinuousClock.now
            guard let source = withUnsafeBytes(of: &name, { KernelAddress.read($0.baseAddress!, length: length) })?.address else { continue }
            let bytes = Array(packet[0..<count])
            guard let parsed = ICMPPacket.parse(bytes, family: socket.family, withIPHeader: socket.readsIPHeader) else { continue }
            switch parsed {
            case .echoReply(let identifier, let sequence, let payload):
                guard identifier == socket.identifier else { continue }
                answer(socket.family, sequence, matches: { $0.destination == source && $0.payload == payload }) { check in
                    .reachable(roundTrip: check.sentAt.map { $0.duration(to: now) } ?? check.started.duration(to: now))
                }
            case .error(let report):
                guard report.identifier == socket.identifier, report.isFinal else { continue }
                answer(socket.family, report.sequence, matches: { $0.destination == report.destination }) { _ in
                    .unreachable(reason: "\(SystemCall.reason(Self.kernelError(for: report))) (\(report.label))", reportedBy: source)
                }
            case .other:
                continue
            }
        }
    }

    /// Reads a datagram socket's error queue: each entry is an ICMP error (or a local one) with
    /// the request it is about, which names the check.
    private func receiveErrors(on socket: ICMPSocket) {
        var name = sockaddr_storage()
        for _ in 0..<Self.readBurst {
            var vector = iovec(iov_base: packet.baseAddress, iov_len: packet.count)
            let count = withUnsafeMutablePointer(to: &name) { namePointer in
                withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_name = UnsafeMutableRawPointer(namePointer)
                    message.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = control.baseAddress
                    message.msg_controllen = control.count
                    let count = recvmsg(socket.fd, &message, Int32(MSG_ERRQUEUE) | Int32(MSG_DONTWAIT))
                    return (count, message.msg_namelen, message.msg_controllen)
                }
            }
            if count.0 < 0 {
                if errno == EINTR { continue }
                return
            }
            guard let error = ExtendedError.first(in: UnsafeRawBufferPointer(rebasing: control[0..<min(count.2, control.count)])),
                  let sent = ICMPPacket.sentEcho(Array(packet[0..<count.0]), family: socket.family),
                  sent.identifier == socket.identifier else { continue }
            let destination = withUnsafeBytes(of: &name) { KernelAddress.read($0.baseAddress!, length: count.1) }?.address
            var reason = SystemCall.reason(Int32(bitPattern: error.errno))
            if error.isICMP { reason += " (\(socket.family == .v4 ? "ICMP" : "ICMPv6") \(error.type)/\(error.code))" }
            answer(socket.family, sent.sequence, matches: { destination == nil || $0.destination == destination }) { _ in
                .unreachable(reason: reason, reportedBy: error.offender)
            }
        }
    }

    /// How long `poll` may sleep: until the nearest deadline (or a moment, when requests wait to
    /// be sent), or until woken when nothing is in flight.
    private func pollTimeout() -> Int32 {
        let nearest = lock.withLock { checks.values.lazy.map(\.deadline).min() }
        var milliseconds: Int64 = -1
        if let nearest {
            let left = ContinuousClock.now.duration(to: nearest)
            milliseconds = left <= .zero ? 0 : min(60_000, Int64((left.inMilliseconds).rounded(.up)))
        }
        if waitingToSend.values.contains(where: { !$0.isEmpty }) {
            milliseconds = milliseconds < 0 ? 10 : min(milliseconds, 10)
        }
        return Int32(milliseconds)
    }

    /// Ends the checks whose deadline has passed.
    private func expire() {
        let now = ContinuousClock.now
        let expired = lock.withLock { () -> [Check] in
            let tokens = checks.filter { $0.value.deadline <= now }.map(\.key)
            return tokens.compactMap { token in
                guard let check = checks.removeValue(forKey: token) else { return nil }
                if let sequence = check.sequence { bySequence[SequenceKey(family: check.destination.family, sequence: sequence)] = nil }
                return check
            }
        }
        for check in expired { check.continuation.resume(returning: .timedOut(after: check.timeout)) }
        for family in waitingToSend.keys {
            waitingToSend[family]!.removeAll { token in lock.withLock { checks[token] == nil } }
        }
    }

    private func stop() {
        let left = lock.withLock { () -> [Check] in
            defer {
                checks.removeAll()
                bySequence.removeAll()
                queued.removeAll()
            }
            return Array(checks.values)
        }
        for check in left { check.continuation.resume(returning: Self.stoppedOutcome) }
        for socket in sockets.values { close(socket.fd) }
        sockets.removeAll()
        packet.deallocate()
        control.deallocate()
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            finished = true
            close(wake)
            close(wakeWriter)
            defer { stopWaiters.removeAll() }
            return stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// 24 bytes: `simpul`, two zero bytes and 16 random ones, so a reply is this check's own.
    private static func payload() -> [UInt8] {
        var bytes = Array("simpul".utf8) + [0, 0]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2 {
            let value = generator.next() as UInt64
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        return bytes
    }
}
