import Foundation
import NIOCore
import NIOPosix
import SimpulCore

/// RFC 2136 updates, queries and AXFR over TCP (RFC 7766), each request signed with TSIG
/// (RFC 8945, HMAC-SHA256) and each answer's signature checked. The key is read from the file the
/// admin points to on every use, so a rotated key takes effect without a restart, and it is never
/// logged or stored.
///
/// Every call has a deadline and runs over SwiftNIO on `eventLoopGroup`, so no socket call ever
/// runs on Swift's cooperative thread pool (`DNSClient+Async.swift`).
public struct DNSClient: DNSUpdater {
    public let keyFile: String?
    /// Where the async methods' connections live.
    public let eventLoopGroup: any EventLoopGroup

    public init(keyFile: String?, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.keyFile = keyFile
        self.eventLoopGroup = eventLoopGroup
    }
}

// MARK: Messages and answers, the same whichever way they travel

extension DNSClient {
    /// The TSIG session for `endpoint`'s key, read from the key file now.
    func session(for endpoint: ZoneEndpoint) throws(DNSPushError) -> TSIGSession {
        guard let keyFile else { throw .noKeyFile }
        let text: String
        do { text = try String(contentsOfFile: keyFile, encoding: .utf8) } catch {
            throw .keyFile(path: keyFile, reason: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
        }
        do { return TSIGSession(key: try TSIGKey.parse(bindKeyFile: text, name: endpoint.keyName)) } catch { throw .key(error) }
    }

    /// `127.0.0.1:53`, `[::1]:5353`, or an address alone (port 53).
    static func address(of server: String) -> (IPAddress, UInt16)? {
        if server.hasPrefix("[") {
            guard let close = server.firstIndex(of: "]"), let address = IPAddress(server[server.index(after: server.startIndex)..<close]) else { return nil }
            let rest = server[server.index(after: close)...]
            if rest.isEmpty { return (address, 53) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else { return nil }
            return (address, port)
        }
        if let address = IPAddress(server) { return (address, 53) }
        guard let colon = server.lastIndex(of: ":"), let address = IPAddress(server[..<colon]), address.family == .v4,
              let port = UInt16(server[server.index(after: colon)...]), port > 0 else { return nil }
        return (address, port)
    }

    static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    /// One RFC 2136 update: the zone's SOA as its zone section, the deletes (class NONE), the adds
    /// and the new SOA as its updates.
    static func updateMessage(_ update: ZoneUpdate) -> DNSMessage {
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max), opcode: .update)
        let zone = WireName(update.endpoint.zone)
        message.questions = [.init(name: zone, type: DNSType.soa)]
        var changes: [WireRecord] = []
        for record in update.deletes {
            guard var wire = WireRecord(record) else { continue }
            wire.rclass = DNSClass.none
            wire.ttl = 0
            changes.append(wire)
        }
        for record in update.adds {
            guard let wire = WireRecord(record) else { continue }
            changes.append(wire)
        }
        changes.append(WireRecord(name: zone, type: DNSType.soa, ttl: 3600, rdata: update.soa.rdata))
        message.authority = changes
        return message
    }

    static func queryMessage(name: DomainName, type: RecordType) -> DNSMessage {
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max))
        message.questions = [.init(name: WireName(name), type: DNSType.number(type))]
        return message
    }

    static func transferMessage(_ endpoint: ZoneEndpoint) -> DNSMessage {
        var message = DNSMessage(id: UInt16.random(in: 0...UInt16.max))
        message.questions = [.init(name: WireName(endpoint.zone), type: DNSType.axfr)]
        return message
    }

    /// The server's answer to `message`, its signature checked.
    static func answer(_ bytes: [UInt8], to message: DNSMessage, session: inout TSIGSession, server: String) throws(DNSPushError) -> DNSMessage {
        do {
            let answer = try session.verify(bytes, now: now())
            guard answer.id == message.id, answer.isResponse else { throw DNSPushError.malformed(server: server) }
            return answer
        } catch let error as TSIGError {
            // A server that refuses the key answers unsigned with NOTAUTH and BADKEY/BADSIG inside.
            if case .unsigned = error, let plain = try? DNSMessage.decode(bytes).message, plain.rcode != 0 {
                throw .rcode(server: server, code: UInt16(plain.rcode))
            }
            throw .tsig(server: server, error)
        } catch let error as DNSPushError {
            throw error
        } catch {
            throw .malformed(server: server)
        }
    }

    /// A later message of a zone transfer, checked against the stream's signatures so far.
    static func continuation(_ bytes: [UInt8], session: inout TSIGSession, server: String) throws(DNSPushError) -> DNSMessage {
        do { return try session.verify(bytes, now: now()) } catch { throw .tsig(server: server, error) }
    }

    static func checkUpdated(_ answer: DNSMessage, server: String) throws(DNSPushError) {
        guard answer.rcode == 0 else { throw .rcode(server: server, code: UInt16(answer.rcode)) }
    }

    /// The answer's records for `name` and `type`; none for NXDOMAIN.
    static func records(in answer: DNSMessage, name: DomainName, type: RecordType, server: String) throws(DNSPushError) -> [DNSRecord] {
        guard answer.rcode == 0 || answer.rcode == 3 else { throw .rcode(server: server, code: UInt16(answer.rcode)) }
        return answer.answers.compactMap { $0.type == DNSType.number(type) && $0.name == WireName(name) ? $0.record : nil }
    }
}

/// An AXFR as it arrives: message after message until the zone's SOA comes a second time.
struct ZoneTransfer {
    let server: String
    private var soa: SOAData?
    private var records: [DNSRecord] = []
    private var soaSeen = 0

    init(server: String) { self.server = server }

    /// Takes one message of the transfer; true when it was the last.
    mutating func take(_ answer: DNSMessage) throws(DNSPushError) -> Bool {
        guard answer.rcode == 0 else { throw .rcode(server: server, code: UInt16(answer.rcode)) }
        for wire in answer.answers {
            if wire.type == DNSType.soa {
                soaSeen += 1
                if soa == nil { soa = SOAData(rdata: wire.rdata) }
            } else if let record = wire.record {
                records.append(record)
            }
        }
        // An AXFR ends with the zone's SOA a second time (RFC 5936 2.2).
        if soaSeen >= 2 { return true }
        guard soaSeen >= 1 || !answer.answers.isEmpty else { throw .malformed(server: server) }
        return false
    }

    /// The zone, once the stream has ended signed.
    func result(_ session: TSIGSession) throws(DNSPushError) -> (soa: SOAData?, records: [DNSRecord]) {
        guard session.endsSigned else { throw .tsig(server: server, .unsigned) }
        return (soa, records)
    }
}
