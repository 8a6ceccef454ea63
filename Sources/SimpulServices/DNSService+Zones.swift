import Foundation
import SimpulCore
import SimpulStore

extension DNSService {
    /// The zone as a BIND zone file, from the inventory (what `named-checkzone` is given).
    public func export(_ text: String, by principal: Principal) throws -> String {
        try principal.require(.viewEstate)
        let report = try zone(text, by: principal)
        let comment = "zona \(report.zone.name) dari inventaris Simpul / zone \(report.zone.name) from Simpul's inventory, serial \(max(report.serial, 1))"
        return ZoneFile.render(report.zone, serial: report.serial, records: report.records.map(\.record), comment: comment)
    }

    /// In-zone name servers of `zone` that have no address record in the inventory: `named-checkzone`
    /// refuses such a zone, so `simpul dns export` warns about them.
    public func nameServersWithoutAddress(_ text: String, by principal: Principal) throws -> [DomainName] {
        let report = try zone(text, by: principal)
        let ns = report.zone.primaryNS
        guard ns.isSubdomain(of: report.zone.name), report.zone.primaryNSAddresses.isEmpty else { return [] }
        return report.records.contains { $0.record.name == ns && ($0.record.type == .a || $0.record.type == .aaaa) } ? [] : [ns]
    }

    public struct DriftReport: Sendable {
        public var drifts: [ZoneDrift] = []
        /// Zones that could not be read from their server, with why.
        public var unreadable: [(zone: String, error: Text)] = []
        /// With `--fix`: how the fixing change sets were delivered.
        public var fixed: OutboxService.RunReport?
        public var isClean: Bool { unreadable.isEmpty && drifts.allSatisfy(\.isClean) }
    }

    /// Compares each zone (or one) with what its server holds, by a signed zone transfer. With `fix`,
    /// a change set per drifted zone pushes the inventory's records: extra and different ones are
    /// deleted and missing ones added, under a new serial; then the zones are compared again.
    public func check(zone only: String? = nil, fix: Bool = false, by principal: Principal) async throws -> DriftReport {
        try principal.require(fix ? .manageDNS : .viewEstate)
        guard let updater = simpul.dns else { throw ServiceError(.invalid, DNSPushError.noKeyFile.text) }
        let (rows, dangling) = try await simpul.database.read { r in
            let rows = try DNSStore.zones(r).filter { only == nil || $0.zone.name.description == only?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
                .map { ($0, ZoneNameservers.withGlue($0.zone, try DNSStore.records(r, zoneID: $0.id).map(\.record))) }
            // An alias to a name inside a zone kept here that has no records answers nothing.
            let dangling = try rows.flatMap(\.1).filter { record in
                guard record.type == .cname, let target = RecordRules.target(of: record), try DNSStore.zone(r, holding: target) != nil else { return false }
                return try DNSStore.records(r, name: target).isEmpty
            }
            return (rows, dangling)
        }
        if let only, rows.isEmpty { throw Self.noZone(try Self.name(only)) }
        var report = DriftReport()
        var serverAddresses: [DNSRecord] = [], serverPTRs: Set<DomainName> = []
        var inventoryAddresses: [DNSRecord] = [], inventoryPTRs: Set<DomainName> = []
        var reverseZones: [DomainName] = []
        for (row, records) in rows {
            guard let server = row.zone.server else { continue }
            if row.zone.kind == .reverse { reverseZones.append(row.zone.name) }
            inventoryAddresses += records.filter { $0.type == .a || $0.type == .aaaa }
            inventoryPTRs.formUnion(records.filter { $0.type == .ptr }.map(\.name))
            do {
                let held = try await updater.transfer(ZoneEndpoint(zone: row.zone.name, server: server, keyName: row.zone.tsigKey),
                                                      deadline: ContinuousClock.now + simpul.settings.attemptDeadline)
                serverAddresses += held.records.filter { $0.type == .a || $0.type == .aaaa }
                serverPTRs.formUnion(held.records.filter { $0.type == .ptr }.map(\.name))
                report.drifts.append(ZoneDrift.compare(zone: row.zone.name.description, inventorySerial: row.serial, serverSerial: held.soa?.serial,
                                                       inventory: records, server: held.records))
            } catch let error as DNSPushError {
                report.unreadable.append((row.zone.name.description, error.text))
            } catch {
                report.unreadable.append((row.zone.name.description, DNSPushError.unreachable(server: server, reason: "\(error)").text))
            }
        }
        // An address with a reverse zone here should have its PTR, in the inventory and on the server.
        func lacksPTR(_ record: DNSRecord, _ ptrs: Set<DomainName>) -> Bool {
            guard let address = IPAddress(record.data) else { return false }
            let reverse = address.reverseName
            return reverseZones.contains(where: { reverse.isSubdomain(of: $0) }) && !ptrs.contains(reverse)
        }
        let lacking = inventoryAddresses.filter { lacksPTR($0, inventoryPTRs) } + serverAddresses.filter { lacksPTR($0, serverPTRs) }
        var seen: Set<DNSRecord> = []
        for record in lacking where seen.insert(record).inserted {
            guard let index = report.drifts.firstIndex(where: { record.name.isSubdomain(of: DomainName($0.zone)!) }) else { continue }
            report.drifts[index].aWithoutPTR.append(record)
        }
        for record in dangling {
            guard let index = report.drifts.firstIndex(where: { record.name.isSubdomain(of: DomainName($0.zone)!) }) else { continue }
            report.drifts[index].danglingCNAMEs.append(record)
        }
        guard fix, report.drifts.contains(where: { !$0.missing.isEmpty || !$0.extra.isEmpty || !$0.different.isEmpty }) else { return report }

        let timeZone = simpul.officeTime().timeZone
        let drifts = report.drifts
        let deliveries = try await simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            var deliveries: [Int64] = []
            for drift in drifts where !drift.missing.isEmpty || !drift.extra.isEmpty || !drift.different.isEmpty {
                guard let name = DomainName(drift.zone), let row = try DNSStore.zone(tx, named: name) else { continue }
                let serial = try DNSStore.bumpSerial(tx, zoneID: row.id, now: tx.now, timeZone: timeZone, floor: drift.serverSerial ?? 0)
                let deletes = drift.extra + drift.different.flatMap(\.server)
                let adds = drift.missing + drift.different.flatMap(\.inventory)
                try tx.audit("dns.fix", "dns", drift.zone,
                             before: ["extra": drift.extra.map(\.description), "different": drift.different.flatMap(\.server).map(\.description)],
                             after: ["missing": drift.missing.map(\.description), "different": drift.different.flatMap(\.inventory).map(\.description)])
                let id = try DNSStore.insertChange(tx, zoneID: row.id, serial: serial, adds: adds, deletes: deletes, by: tx.actor, now: tx.now, ticketID: nil)
                // Older change sets still waiting would come first and replay stale data: the fix
                // supersedes them, and their deliveries are settled with it.
                for older in try DNSStore.unpushed(tx, zoneID: row.id) where older.id < id {
                    try DNSStore.markSuperseded(tx, id: older.id, by: id, now: tx.now)
                }
                deliveries.append(try Self.enqueue(tx, change: id, zone: name, ticketID: nil))
            }
            return deliveries
        }
        let pushed = await simpul.outbox.deliverAtOnce(deliveries)
        var after = try await check(zone: only, fix: false, by: principal)
        after.fixed = pushed
        return after
    }
}
