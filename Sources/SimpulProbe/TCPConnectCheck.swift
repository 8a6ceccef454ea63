import Foundation
import Glibc
import NIOCore
import NIOPosix
import SimpulCore

/// A TCP connect to one port over SwiftNIO, finished or given up by its own deadline: the
/// handshake completing is "reachable" (with its time), a reset is "refused" (the server answers,
/// the port is closed), silence until the deadline is "timed out", and any other failure is
/// "unreachable" in the operating system's words. The connection is closed as soon as it is made;
/// nothing is sent on it. Addresses outside ``scope`` are refused before a socket is opened.
public struct TCPConnectCheck: Sendable {
    public let scope: ProbeScope
    let group: any EventLoopGroup

    public init(scope: ProbeScope, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.scope = scope
        self.group = group
    }

    public func connect(_ address: IPAddress, port: Int, timeout: Duration) async -> ProbeOutcome {
        let destination = address.probeDestination
        guard scope.permits(destination) else { return .outsideScope(scope) }
        guard ProbeLimits.port.contains(port),
              let socketAddress = try? NIOCore.SocketAddress(ipAddress: destination.description, port: port) else {
            return .unreachable(reason: "no such port: \(port)", reportedBy: nil)
        }
        let timeout = max(timeout, .milliseconds(1))
        let started = ContinuousClock.now
        guard !Task.isCancelled else { return .timedOut(after: .zero) }
        let slot = PendingChannel()
        do {
            let channel = try await withTaskCancellationHandler {
                try await ClientBootstrap(group: group)
                    .connectTimeout(TimeAmount(timeout))
                    .channelInitializer { channel in
                        slot.hold(channel)
                        return channel.eventLoop.makeSucceededVoidFuture()
                    }
                    .connect(to: socketAddress)
                    .get()
            } onCancel: {
                slot.cancel()
            }
            let time = started.duration(to: .now)
            try? await channel.close()
            return .reachable(roundTrip: time)
        } catch {
            let elapsed = started.duration(to: .now)
            if slot.isCancelled || Task.isCancelled { return .timedOut(after: elapsed) }
            return Self.outcome(of: error, elapsed: elapsed, timeout: timeout)
        }
    }

    /// What a failed connect means.
    static func outcome(of error: any Error, elapsed: Duration, timeout: Duration) -> ProbeOutcome {
        switch error {
        case ChannelError.connectTimeout:
            return .timedOut(after: timeout)
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return .refused(roundTrip: elapsed)
        case let error as IOError where error.errnoCode == ETIMEDOUT:
            return .timedOut(after: elapsed)
        case let error as IOError:
            return .unreachable(reason: SystemCall.reason(error.errnoCode), reportedBy: nil)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return outcome(of: first.error, elapsed: elapsed, timeout: timeout) }
            return .unreachable(reason: "\(error)", reportedBy: nil)
        default:
            return .unreachable(reason: "\(error)", reportedBy: nil)
        }
    }
}

/// The channel of a connect in progress, so cancelling the caller closes it at once.
private final class PendingChannel: @unchecked Sendable {
    private let lock = NSLock()
    private var channel: (any Channel)?
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    func hold(_ channel: any Channel) {
        let close = lock.withLock { () -> Bool in
            self.channel = channel
            return cancelled
        }
        if close { channel.close(promise: nil) }
    }

    func cancel() {
        let channel = lock.withLock { () -> (any Channel)? in
            cancelled = true
            return self.channel
        }
        channel?.close(promise: nil)
    }
}
