import Foundation
import Glibc
import NIOCore
import NIOPosix
import SimpulCore

/// One TCP connection to a DNS server over SwiftNIO, for one request and its answers, all before
/// one deadline: the async methods' transport. It exists only inside ``with(server:group:deadline:_:)``,
/// which always closes it, whether the call ends well, with an error, at the deadline or cancelled.
struct DNSChannel {
    let server: String
    private let deadline: ContinuousClock.Instant
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    private init(server: String, deadline: ContinuousClock.Instant, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.server = server
        self.deadline = deadline
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Sends one message (the framing adds its length).
    func send(_ message: [UInt8]) async throws(DNSPushError) {
        do { try await outbound.write(ByteBuffer(bytes: message)) } catch { throw Self.failure(error, server: server, deadline: deadline) }
    }

    /// The next whole message from the server.
    mutating func receive() async throws(DNSPushError) -> [UInt8] {
        let message: ByteBuffer?
        do { message = try await inbound.next() } catch { throw Self.failure(error, server: server, deadline: deadline) }
        guard let message else { throw Self.failure(ChannelError.eof, server: server, deadline: deadline) }
        return Array(message.readableBytesView)
    }

    /// Connects to `server` (an address literal and port, as ``DNSClient/address(of:)`` reads it),
    /// runs `body` on the connection and closes it. The connect and every read end at `deadline`
    /// with ``DNSPushError/timeout(server:)``; cancelling the calling task closes the connection
    /// at once and ends the same way, since the caller has stopped waiting.
    static func with<Result: Sendable>(
        server: String, group: any EventLoopGroup, deadline: ContinuousClock.Instant,
        _ body: (inout DNSChannel) async throws(DNSPushError) -> Result
    ) async throws(DNSPushError) -> Result {
        guard let (ip, port) = DNSClient.address(of: server), let address = try? SocketAddress(ipAddress: ip.description, port: Int(port)) else {
            throw .badServer(server)
        }
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero, !Task.isCancelled else { throw .timeout(server: server) }
        let expiry = NIODeadline.now() + TimeAmount(left)
        let slot = ChannelSlot()
        do {
            return try await withTaskCancellationHandler {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(TimeAmount(left))
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .connect(to: address) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            slot.hold(channel)
                            try channel.pipeline.syncOperations.addHandlers([
                                DeadlineHandler(deadline: expiry),
                                ByteToMessageHandler(DNSFrameDecoder()),
                                MessageToByteHandler(DNSFrameEncoder()),
                            ])
                            return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                return try await channel.executeThenClose { inbound, outbound in
                    var connection = DNSChannel(server: server, deadline: deadline, inbound: inbound, outbound: outbound)
                    return try await body(&connection)
                }
            } onCancel: {
                slot.cancel()
            }
        } catch {
            throw failure(error, server: server, deadline: deadline)
        }
    }

    /// What a failure of the connection means to the admin. Past the deadline, or cancelled, any
    /// failure is the server not answering in time.
    static func failure(_ error: any Error, server: String, deadline: ContinuousClock.Instant) -> DNSPushError {
        if let error = error as? DNSPushError { return error }
        if error is DeadlineHandler.Expired || error is CancellationError || Task.isCancelled || ContinuousClock.now >= deadline {
            return .timeout(server: server)
        }
        switch error {
        case let error as IOError:
            return .unreachable(server: server, reason: String(cString: strerror(error.errnoCode)))
        case ChannelError.connectTimeout:
            return .timeout(server: server)
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.outputClosed,
             ByteToMessageDecoderError.leftoverDataWhenDone:
            return .unreachable(server: server, reason: "connection closed")
        case is DNSFrameEncoder.TooLong:
            return .unreachable(server: server, reason: "message longer than 65535 bytes")
        default:
            return .unreachable(server: server, reason: "\(error)")
        }
    }
}

/// Ends the connection at the call's deadline: the reader gets ``Expired`` and the channel closes.
final class DeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    struct Expired: Error {}

    private let deadline: NIODeadline
    private var timer: Scheduled<Void>?

    init(deadline: NIODeadline) { self.deadline = deadline }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            context.fireErrorCaught(Expired())
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}

/// The channel being connected, so that cancelling the task closes it at once, even while the
/// connect is still under way (which nothing else can interrupt).
final class ChannelSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var channel: (any Channel)?
    private var cancelled = false

    func hold(_ channel: any Channel) {
        let close = lock.withLock {
            self.channel = channel
            return cancelled
        }
        if close { channel.close(promise: nil) }
    }

    func cancel() {
        let channel = lock.withLock {
            cancelled = true
            return self.channel
        }
        channel?.close(promise: nil)
    }
}
