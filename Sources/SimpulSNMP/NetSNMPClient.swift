import Foundation
import SimpulCore

/// The SNMP client over net-snmp: every walk of the process runs on one thread of the adapter's own
/// (``SNMPEngine``), all at once, each device with its own timeout and retries. Awaiting a walk
/// suspends the caller's task without holding a thread of Swift's cooperative pool, a session or a lock.
public struct NetSNMPClient: SNMPClient {
    private let engine: SNMPEngine
    /// The addresses requests may go to; a device outside is answered ``SNMPError/outsideScope`` and
    /// nothing is sent (`make run` and the tests set SIMPUL_PROBE_ALLOW to loopback).
    public let scope: ProbeScope

    /// The process's client: net-snmp is initialised once, and its SNMPv3 state lives on one thread.
    public init(scope: ProbeScope = .anyAddress) {
        engine = .shared
        self.scope = scope
    }

    public func walk(_ target: SNMPTarget) async -> Result<SNMPDeviceWalk, SNMPError> {
        guard scope.permits(target.address) else { return .failure(.outsideScope(target, scope: scope)) }
        let box = JobBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let job = WalkJob(target: target, continuation: continuation)
                box.set(job)
                engine.submit(job)
            }
        } onCancel: {
            box.cancel()
            engine.wake()
        }
    }

    public func walk(_ targets: [SNMPTarget]) async -> [Result<SNMPDeviceWalk, SNMPError>] {
        await withTaskGroup(of: (Int, Result<SNMPDeviceWalk, SNMPError>).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await walk(target)) }
            }
            var results = [Result<SNMPDeviceWalk, SNMPError>?](repeating: nil, count: targets.count)
            for await (index, result) in group { results[index] = result }
            return results.enumerated().map { index, result in result ?? .failure(.cancelled(targets[index])) }
        }
    }
}

/// The job of one walk, for its cancellation handler (which may run before the job exists).
private final class JobBox: @unchecked Sendable {
    private let lock = NSLock()
    private var job: WalkJob?
    private var cancelled = false

    func set(_ job: WalkJob) {
        let cancel = lock.withLock { () -> Bool in
            self.job = job
            return cancelled
        }
        if cancel { job.cancel() }
    }

    func cancel() {
        let job = lock.withLock { () -> WalkJob? in
            cancelled = true
            return self.job
        }
        job?.cancel()
    }
}
