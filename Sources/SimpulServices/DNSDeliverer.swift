import Foundation
import SimpulCore
import SimpulStore

/// Delivers DNS change sets from the outbox: claims the zone (one pusher per zone at a time, across
/// processes), reads every change set of it still waiting under the claim, sends their net effect
/// as one signed RFC 2136 update under the newest serial, and confirms it by asking the server. A
/// record added and then removed while the server was away never reaches it, and a set the server
/// refuses can be undone by a later one instead of blocking the zone. The sets delivered along with
/// the row's own are settled with it.
struct DNSDeliverer: Deliverer {
    let simpul: Simpul
    var channel: DeliveryChannel { .dns }

    /// How long a push may hold a zone: past the attempt's deadline, so only a killed process's claim lapses.
    static var claimLease: TimeInterval { OutboxService.lease }

    static func dedupeKey(_ change: Int64) -> String { "dns.change:\(change)" }

    func deliver(_ delivery: Delivery, deadline: ContinuousClock.Instant) async -> DeliveryResult {
        guard let fields = try? StoredJSON.decode([String: String].self, from: delivery.payload), let id = fields["change"].flatMap(Int64.init) else {
            return .failed(Text(id: "isi kiriman DNS rusak", en: "the DNS delivery's payload is damaged"))
        }
        let found: (DNSStore.Change, DNSStore.ZoneRow)?
        do {
            found = try await simpul.database.read { r -> (DNSStore.Change, DNSStore.ZoneRow)? in
                guard let change = try DNSStore.change(r, id: id), let name = DomainName(change.zone), let zone = try DNSStore.zone(r, named: name) else { return nil }
                return (change, zone)
            }
        } catch {
            return .failed(OutboxService.storeError(error))
        }
        // The zone (or the set) is gone, or the set already reached the server with another one.
        guard let (change, row) = found, change.state == .pending || change.state == .failed else { return .delivered() }
        guard row.zone.server != nil else { return .delivered() }

        let holder = UUID().uuidString
        let sets: [DNSStore.Change]
        switch await claim(zone: row.id, holder: holder, until: deadline) {
        case .claimed(let claimed): sets = claimed
        case .busy: return .busy
        case .failed(let error): return .failed(error)
        }
        let zoneID = row.id
        guard let last = sets.last else {
            return .delivered(record: { tx in try DNSStore.releaseZone(tx, zoneID: zoneID, holder: holder) })
        }
        var net = last
        (net.adds, net.deletes) = Self.net(sets)
        await Failpoint.pauseAsync("DNS_PUSH")
        let result = await send(net, zone: row.zone, deadline: deadline)
        Failpoint.kill("AFTER_DNS_PUSH")
        let along = sets.map { Self.dedupeKey($0.id) }.filter { $0 != delivery.dedupeKey }
        let ids = sets.map(\.id)
        switch result {
        case .success:
            return .delivered(along: along, record: { tx in
                for id in ids { try DNSStore.markPushed(tx, id: id, now: tx.now) }
                try DNSStore.releaseZone(tx, zoneID: zoneID, holder: holder)
            })
        case .failure(let error):
            let text = error.text
            return .failed(text, along: along, record: { tx in
                for id in ids { try DNSStore.markFailed(tx, id: id, error: text) }
                try DNSStore.releaseZone(tx, zoneID: zoneID, holder: holder)
            })
        }
    }

    enum Claim { case claimed([DNSStore.Change]), busy, failed(Text) }

    /// Claims the zone and reads its waiting sets under the claim, waiting (without blocking a thread)
    /// while another push holds it, until `deadline`.
    func claim(zone: Int64, holder: String, until deadline: ContinuousClock.Instant) async -> Claim {
        while true {
            let now = simpul.now()
            do {
                let sets = try await simpul.database.write(as: Transaction.system, at: now) { tx -> [DNSStore.Change]? in
                    guard try DNSStore.claimZone(tx, zoneID: zone, holder: holder, now: now, expires: now.addingTimeInterval(Self.claimLease)) else { return nil }
                    return try DNSStore.unpushed(tx, zoneID: zone)
                }
                if let sets { return .claimed(sets) }
            } catch {
                return .failed(OutboxService.storeError(error))
            }
            if ContinuousClock.now >= deadline { return .busy }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends one (net) change set and asks the server whether it now answers it.
    func send(_ change: DNSStore.Change, zone: Zone, deadline: ContinuousClock.Instant) async -> Result<Void, DNSPushError> {
        guard let updater = simpul.dns else { return .failure(.noKeyFile) }
        guard let server = zone.server else { return .success(()) }
        let endpoint = ZoneEndpoint(zone: zone.name, server: server, keyName: zone.tsigKey)
        guard let soa = DNSService.soa(zone, serial: change.serial) else { return .failure(.badServer(server)) }
        do {
            try await updater.update(ZoneUpdate(endpoint: endpoint, soa: soa, deletes: change.deletes, adds: change.adds), deadline: deadline)
            try await confirm(change, endpoint: endpoint, updater: updater, deadline: deadline)
            return .success(())
        } catch let error as DNSPushError {
            return .failure(error)
        } catch {
            return .failure(.unreachable(server: server, reason: "\(error)"))
        }
    }

    func confirm(_ change: DNSStore.Change, endpoint: ZoneEndpoint, updater: any DNSUpdater, deadline: ContinuousClock.Instant) async throws {
        struct Key: Hashable { var name: DomainName; var type: RecordType }
        var expected: [Key: (present: Set<String>, absent: Set<String>)] = [:]
        for record in change.deletes { expected[Key(name: record.name, type: record.type), default: ([], [])].absent.insert(RecordRules.normalized(record)) }
        for record in change.adds {
            let key = Key(name: record.name, type: record.type)
            expected[key, default: ([], [])].present.insert(RecordRules.normalized(record))
            expected[key]!.absent.remove(RecordRules.normalized(record))
        }
        for (key, want) in expected {
            let answered = Set(try await updater.query(endpoint, name: key.name, type: key.type, deadline: deadline).map(RecordRules.normalized))
            if let missing = want.present.subtracting(answered).first {
                throw DNSPushError.notConfirmed(server: endpoint.server, what: "\(key.name) \(key.type.rawValue) \(missing)")
            }
            if let left = want.absent.intersection(answered).first {
                throw DNSPushError.notConfirmed(server: endpoint.server, what: "penghapusan/removal \(key.name) \(key.type.rawValue) \(left)")
            }
        }
    }

    /// The net effect of change sets applied in order: a record that ends present is added (after a
    /// delete when the sets also removed it, so a new TTL takes); one that ends absent is deleted.
    static func net(_ sets: [DNSStore.Change]) -> (adds: [DNSRecord], deletes: [DNSRecord]) {
        struct Key: Hashable { var name: DomainName; var type: RecordType; var data: String }
        var order: [Key] = []
        var final: [Key: (record: DNSRecord, present: Bool, deleted: Bool, existedBefore: Bool?)] = [:]
        for set in sets {
            for (records, present) in [(set.deletes, false), (set.adds, true)] {
                for record in records {
                    let key = Key(name: record.name, type: record.type, data: RecordRules.normalized(record))
                    if final[key] == nil {
                        order.append(key)
                        final[key] = (record, present, !present, present ? false : true)
                    } else {
                        final[key]!.record = present ? record : final[key]!.record
                        final[key]!.present = present
                        final[key]!.deleted = final[key]!.deleted || !present
                    }
                }
            }
        }
        var adds: [DNSRecord] = [], deletes: [DNSRecord] = []
        for key in order {
            guard let entry = final[key] else { continue }
            if entry.present {
                if entry.deleted && entry.existedBefore == true { deletes.append(entry.record) }
                adds.append(entry.record)
            } else if entry.existedBefore == true {
                deletes.append(entry.record)
            }
        }
        return (adds, deletes)
    }
}

extension Simpul {
    /// The outbox and its delivery worker.
    public var outbox: OutboxService { OutboxService(simpul: self) }

    /// Every channel's deliverer in this process. Mail always has one: without `SIMPUL_SMTP` it says
    /// so on each row, which waits until it is configured. Webhooks have one when a gateway is
    /// configured (`SIMPUL_WEBHOOK_URL`); without it the worker says no deliverer is configured.
    var deliverers: [any Deliverer] {
        var all: [any Deliverer] = [DNSDeliverer(simpul: self), MailDeliverer(simpul: self)]
        if webhook != nil { all.append(WebhookDeliverer(simpul: self)) }
        return all
    }
}
