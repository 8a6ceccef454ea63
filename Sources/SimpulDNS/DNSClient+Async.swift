import SimpulCore

/// The DNS client's async calls: each on its own TCP connection over SwiftNIO, finished or given up
/// by `deadline` (``DNSPushError/timeout(server:)``). Cancelling the calling task closes the
/// connection at once and also ends in `.timeout`, the caller having stopped waiting.
extension DNSClient {
    public func update(_ update: ZoneUpdate, deadline: ContinuousClock.Instant) async throws(DNSPushError) {
        let answer = try await exchange(Self.updateMessage(update), with: update.endpoint, deadline: deadline)
        try Self.checkUpdated(answer, server: update.endpoint.server)
    }

    public func query(_ endpoint: ZoneEndpoint, name: DomainName, type: RecordType, deadline: ContinuousClock.Instant) async throws(DNSPushError) -> [DNSRecord] {
        let answer = try await exchange(Self.queryMessage(name: name, type: type), with: endpoint, deadline: deadline)
        return try Self.records(in: answer, name: name, type: type, server: endpoint.server)
    }

    public func transfer(_ endpoint: ZoneEndpoint, deadline: ContinuousClock.Instant) async throws(DNSPushError) -> (soa: SOAData?, records: [DNSRecord]) {
        let message = Self.transferMessage(endpoint)
        let server = endpoint.server
        var session = try session(for: endpoint)
        return try await DNSChannel.with(server: server, group: eventLoopGroup, deadline: deadline) { (connection: inout DNSChannel) async throws(DNSPushError) in
            try await connection.send(session.sign(message, at: Self.now()))
            var zone = ZoneTransfer(server: server)
            var answer = try Self.answer(await connection.receive(), to: message, session: &session, server: server)
            while try !zone.take(answer) {
                answer = try Self.continuation(await connection.receive(), session: &session, server: server)
            }
            return try zone.result(session)
        }
    }

    /// Sends `message` signed and returns the server's checked answer.
    func exchange(_ message: DNSMessage, with endpoint: ZoneEndpoint, deadline: ContinuousClock.Instant) async throws(DNSPushError) -> DNSMessage {
        let server = endpoint.server
        var session = try session(for: endpoint)
        return try await DNSChannel.with(server: server, group: eventLoopGroup, deadline: deadline) { (connection: inout DNSChannel) async throws(DNSPushError) in
            try await connection.send(session.sign(message, at: Self.now()))
            return try Self.answer(await connection.receive(), to: message, session: &session, server: server)
        }
    }
}
