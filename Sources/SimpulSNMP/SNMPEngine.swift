import CNetSNMP
import Foundation
import SimpulCore

/// The one thread that talks to net-snmp. Every walk of the process is a ``WalkJob`` on it, each
/// with its own session, socket and deadline, driven by `poll(2)`: a device that does not answer
/// holds up nothing but its own walk, and net-snmp's SNMPv3 state (its USM table and engine clocks,
/// which the library does not lock) is only ever touched from here.
///
/// Callers never wait on this thread: they hand a job over and await its continuation; the thread
/// blocks in `poll` only, woken by a pipe when new jobs arrive.
final class SNMPEngine: @unchecked Sendable {
    static let shared = SNMPEngine()

    /// Walks in progress at most; more wait their turn, in order. Each holds one UDP socket.
    let maxActive: Int

    // Handed over under `lock`.
    private let lock = NSLock()
    private var incoming: [WalkJob] = []
    private var started = false
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var broken: String?

    // The engine thread's own.
    let keys = MasterKeys()
    let users = USMUsers()
    private var active: [WalkJob] = []
    private var pending: [WalkJob] = []
    private var pendingHead = 0
    private var parked: [WalkJob] = []

    init(maxActive: Int = 512) {
        self.maxActive = maxActive
        var fds: [Int32] = [-1, -1]
        do throws(NetSNMPCallFailure) {
            try NetSNMPCall.posix(pipe(&fds), "pipe")
            for fd in fds {
                try NetSNMPCall.posix(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), "fcntl O_NONBLOCK")
                try NetSNMPCall.posix(fcntl(fd, F_SETFD, FD_CLOEXEC), "fcntl FD_CLOEXEC")
            }
            wakeRead = fds[0]
            wakeWrite = fds[1]
        } catch {
            broken = error.description
        }
    }

    /// Hands `job` to the engine's thread, starting the thread the first time.
    func submit(_ job: WalkJob) {
        lock.lock()
        if let broken {
            lock.unlock()
            job.failBeforeStart(.session(job.target, broken))
            job.close()
            return
        }
        incoming.append(job)
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "simpul-snmp"
            thread.start()
        }
        lock.unlock()
        wake()
    }

    /// Wakes the thread from `poll` (a job arrived or asks to stop).
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already wakes it
    }

    // MARK: The thread

    private func run() {
        NetSNMP.initialize()
        var readable = netsnmp_large_fd_set()
        var readableSize: Int32 = 1024
        netsnmp_large_fd_set_init(&readable, readableSize)
        var fds: [pollfd] = []
        var polled: [WalkJob] = []
        var drain = [UInt8](repeating: 0, count: 256)
        while true {
            lock.lock()
            pending.append(contentsOf: incoming)
            incoming.removeAll(keepingCapacity: true)
            lock.unlock()

            var now = ContinuousClock.now
            startPending(now: now)
            // A walk that failed as it started (no session) ends now, not at the next wake-up.
            settle(now: now)

            // What to wait for: the wake-up pipe and every socket with a request out; until the
            // earliest deadline.
            fds.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            var earliest: ContinuousClock.Instant?
            for job in active {
                if job.awaitsAnswer {
                    fds.append(pollfd(fd: job.socket, events: Int16(POLLIN), revents: 0))
                    polled.append(job)
                }
                for deadline in [job.deadline, job.budgetDeadline].compactMap({ $0 }) where earliest.map({ deadline < $0 }) ?? true {
                    earliest = deadline
                }
            }
            for job in parked {
                if let deadline = job.budgetDeadline, earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
            }
            var timeout: Int32 = -1
            if let earliest {
                let wait = earliest - now
                timeout = wait <= .zero ? 0 : Int32(min(60_000, (WalkJob.microseconds(wait) + 999) / 1000))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno != EINTR {
                // Nothing here makes poll fail but a bad descriptor: fail every walk rather than spin.
                let reason = String(cString: strerror(errno))
                for job in active + parked { job.failBeforeStart(.session(job.target, "poll: \(reason)")) }
            }
            if ready > 0 && fds[0].revents != 0 {
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            now = ContinuousClock.now
            if ready > 0 {
                for (i, job) in polled.enumerated() where fds[i + 1].revents != 0 {
                    guard let session = job.session, job.socket >= 0 else { continue }
                    if job.socket >= readableSize {
                        readableSize = (job.socket / 1024 + 1) * 1024
                        _ = netsnmp_large_fd_set_resize(&readable, readableSize)
                    }
                    netsnmp_large_fd_setfd(job.socket, &readable)
                    _ = snmp_sess_read2(session, &readable)
                    netsnmp_large_fd_clr(job.socket, &readable)
                    // net-snmp drops a datagram it cannot parse; the session's error says it came.
                    job.readEnded(error: snmp_sess_session(session).pointee.s_snmp_errno)
                    job.advance(self, now: now)
                }
            }
            for job in active where !job.isFinished {
                if let deadline = job.deadline, deadline <= now {
                    job.expire(self, now: now)
                } else {
                    job.advance(self, now: now)
                }
            }
            for job in parked where !job.isFinished {
                job.advance(self, now: now)
            }
            settle(now: now)
        }
    }

    /// Starts waiting jobs while there is room.
    private func startPending(now: ContinuousClock.Instant) {
        while active.count < maxActive && pendingHead < pending.count {
            let job = pending[pendingHead]
            pendingHead += 1
            if job.isCancelled {
                job.failBeforeStart(.cancelled(job.target))
                job.close()
                continue
            }
            job.start(self, now: now)
            active.append(job)
        }
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
    }

    /// Ends finished jobs (session closed, USM entry released, caller resumed) and moves jobs
    /// between waiting for a USM entry and running, until nothing changes.
    private func settle(now: ContinuousClock.Instant) {
        var changed = true
        while changed {
            changed = false
            var resumed: [WalkJob] = []
            var stillActive: [WalkJob] = []
            for job in active {
                if job.isFinished {
                    if let entry = job.userEntry {
                        job.userEntry = nil
                        resumed += users.release(entry)
                    }
                    job.close()
                } else if job.phase == .awaitingUser {
                    parked.append(job)
                } else {
                    stillActive.append(job)
                }
            }
            active = stillActive
            parked.removeAll { job in
                guard job.isFinished else { return false }
                users.stopWaiting(job)
                job.close()
                return true
            }
            for job in resumed where !job.isFinished {
                parked.removeAll { $0 === job }
                job.userReleased(self, now: now)
                if job.phase == .awaitingUser {
                    parked.append(job)
                } else {
                    active.append(job)
                    if job.isFinished { changed = true }
                }
            }
        }
    }
}
