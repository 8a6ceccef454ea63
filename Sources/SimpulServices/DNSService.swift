import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

/// The records of the office's zones. A change is one write transaction: the records, the matching
/// PTR for an A/AAAA (and its removal with it), each touched zone's serial bumped once, an audit row,
/// and a change set per zone waiting to be pushed. After the commit the change sets are pushed to the
/// zone's server (RFC 2136, TSIG) and confirmed by asking the server; a push that fails stays
/// waiting, is shown with its error and is tried again by `simpul dns push` (on the timer).
public struct DNSService: Sendable {
    let simpul: Simpul

    /// What a change did: the records, and how its change sets fared at the server.
    public struct Outcome: Sendable, Encodable {
        public var added: [DNSRecord] = []
        public var removed: [DNSRecord] = []
        public var changes: [DNSStore.Change] = []
        /// Set when a change set could not be pushed or confirmed; the records are kept and the set waits.
        public var pushError: Text?
        /// Every change set reached its server and was confirmed (or its zone has no server).
        public var published: Bool { pushError == nil && changes.allSatisfy { $0.state == .pushed || $0.state == .superseded } }

        enum Key: String, CodingKey { case added, removed, changes, pushError, published }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(added.map(\.description), forKey: .added)
            try container.encode(removed.map(\.description), forKey: .removed)
            try container.encode(changes, forKey: .changes)
            try container.encodeIfPresent(pushError, forKey: .pushError)
            try container.encode(published, forKey: .published)
        }
    }

    // MARK: Reading

    public struct ZoneSummary: Sendable {
        public var zone: Zone
        public var serial: UInt32
        public var records: Int
        public var waiting: Int
        public var lastError: Text?
    }

    public func zones(by principal: Principal) throws -> [ZoneSummary] {
        try principal.require(.viewEstate)
        return try simpul.database.rawRead { db in
            let counts = try Dictionary(Row.fetchAll(db, sql: "SELECT zone_id, COUNT(*) FROM dns_records GROUP BY zone_id").map { ($0[0] as Int64, $0[1] as Int) },
                                        uniquingKeysWith: +)
            let waiting = try Dictionary(Row.fetchAll(db, sql: "SELECT zone_id, COUNT(*) FROM dns_changes WHERE state IN ('pending', 'failed') GROUP BY zone_id")
                .map { ($0[0] as Int64, $0[1] as Int) }, uniquingKeysWith: +)
            return try DNSStore.zones(db).map { row in
                let error = try DNSStore.unpushed(db, zoneID: row.id).last?.lastError
                return ZoneSummary(zone: row.zone, serial: row.serial, records: counts[row.id] ?? 0, waiting: waiting[row.id] ?? 0, lastError: error)
            }
        }
    }

    public struct ZoneReport: Sendable {
        public var zone: Zone
        public var serial: UInt32
        public var records: [DNSStore.StoredRecord]
        public var changes: [DNSStore.Change]
    }

    public func zone(_ text: String, by principal: Principal) throws -> ZoneReport {
        try principal.require(.viewEstate)
        let name = try Self.name(text)
        return try simpul.database.rawRead { db in
            guard let row = try DNSStore.zone(db, named: name) else { throw Self.noZone(name) }
            return ZoneReport(zone: row.zone, serial: row.serial, records: try DNSStore.records(db, zoneID: row.id),
                              changes: try DNSStore.changes(db, zoneID: row.id, limit: 20))
        }
    }

    /// Whether a name may be given to a new server: valid, inside a zone Simpul keeps, and unused.
    public enum NameStatus: Sendable, Hashable {
        case invalid(Text)
        case outsideZones(String)
        case taken([DNSRecord])
        case free(zone: String)

        public var text: Text {
            switch self {
            case .invalid(let text): text
            case .outsideZones(let name): DNSService.outside(name).text
            case .taken(let records):
                Text(id: "nama sudah dipakai: \(records.map(\.description).joined(separator: "; "))",
                     en: "the name is taken: \(records.map(\.description).joined(separator: "; "))")
            case .free(let zone): Text(id: "nama bebas, di zona \(zone)", en: "the name is free, in zone \(zone)")
            }
        }

        public var isFree: Bool { if case .free = self { true } else { false } }
    }

    public func nameStatus(_ text: String) throws -> NameStatus {
        try simpul.database.rawRead { try Self.nameStatus($0, text) }
    }

    static func nameStatus(_ db: Database, _ text: String) throws -> NameStatus {
        let name: DomainName
        switch DomainName.parse(text) {
        case .success(let parsed): name = parsed
        case .failure(let problem): return .invalid(problem.text)
        }
        guard let zone = try DNSStore.zone(db, holding: name) else { return .outsideZones(name.description) }
        let taken = try DNSStore.records(db, name: name)
        return taken.isEmpty ? .free(zone: zone.zone.name.description) : .taken(taken.map(\.record))
    }

    // MARK: Changing

    /// Adds records (with their PTRs) as one change.
    public func add(_ records: [DNSRecord], owner: String? = nil, by principal: Principal) throws -> Outcome {
        try ServiceError.limit(owner, Text(id: "pemilik", en: "the owner"), Limits.name)
        try principal.require(.manageDNS)
        let now = simpul.now()
        let timeZone = simpul.officeTime().timeZone
        let (outcome, ids) = try simpul.database.rawWrite { db in
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            var change = ChangeSet(by: principal.username, now: now)
            for record in records { try Self.add(db, record, owner: owner, into: &change) }
            let ids = try change.commit(db, timeZone: timeZone, ticketID: nil, audit: &audit)
            try audit.close()
            return (change.outcome, ids)
        }
        return push(outcome, ids)
    }

    /// A record from the words an admin types: `NAME TYPE DATA`, with the zone's default TTL unless given.
    /// Typed on a zone's page (`in` that zone), the name may be short or `@` (see `qualified`).
    public func record(name: String, type: String, data: String, ttl: Int?, in zone: String? = nil) throws -> DNSRecord {
        var typed = name
        if let zone {
            guard let apex = DomainName(zone) else { throw Self.outside(zone) }
            typed = Self.qualified(typed, in: apex)
        }
        let name = try Self.name(typed)
        let type = try Self.recordType(type)
        let ttl = try ttl ?? simpul.database.rawRead { db in try DNSStore.zone(db, holding: name)?.zone.defaultTTL } ?? 3600
        var data = data.trimmingCharacters(in: .whitespaces)
        if type == .ptr || type == .cname, data.hasSuffix(".") { data.removeLast() }
        return DNSRecord(name: name, type: type, ttl: ttl, data: data)
    }

    /// A name typed on a zone's page: `@` is the zone's apex, a name ending in a dot or already
    /// inside the zone is taken as it is, and anything else is completed with the zone's name.
    static func qualified(_ text: String, in zone: DomainName) -> String {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text == "@" { return zone.description }
        if text.hasSuffix(".") {
            text.removeLast()
            return text
        }
        if let name = DomainName(text), name.isSubdomain(of: zone) { return text }
        return "\(text).\(zone)"
    }

    /// A TTL as typed in a form: nil when left empty (the zone's default), else whole seconds.
    /// Its range is one of the record's rules (`RecordRules`).
    public static func ttl(_ text: String) throws -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        guard let value = Int(text) else {
            throw ServiceError(.invalid, Text(id: "TTL \"\(text)\" harus bilangan detik (mis. 3600), atau dikosongkan untuk TTL bawaan zona",
                                              en: "TTL \"\(text)\" must be a number of seconds (e.g. 3600), or empty for the zone's default"))
        }
        return value
    }

    /// `A`, `aaaa`, …: a type Simpul keeps.
    public static func recordType(_ text: String) throws -> RecordType {
        guard let type = RecordType(rawValue: text.uppercased()) else {
            throw ServiceError(.invalid, Text(id: "jenis record \"\(text)\" tidak dikenal; pakai A, AAAA, PTR, CNAME, TXT atau MX",
                                              en: "record type \"\(text)\" is unknown; use A, AAAA, PTR, CNAME, TXT or MX"))
        }
        return type
    }

    /// Removes the records at `name` (of `type`, with `data`, when given), and the PTRs of removed
    /// A/AAAA records that point back at the name.
    public func remove(name text: String, type: RecordType? = nil, data: String? = nil, by principal: Principal) throws -> Outcome {
        try principal.require(.manageDNS)
        let name = try Self.name(text)
        let now = simpul.now()
        let timeZone = simpul.officeTime().timeZone
        let (outcome, ids) = try simpul.database.rawWrite { db in
            let doomed = try DNSStore.records(db, name: name).filter { stored in
                guard type == nil || stored.record.type == type else { return false }
                guard var data else { return true }
                if data.hasSuffix(".") { data.removeLast() }
                return RecordRules.normalized(stored.record) == RecordRules.normalized(DNSRecord(name: name, type: stored.record.type, ttl: 0, data: data))
            }
            guard !doomed.isEmpty else {
                throw ServiceError(.notFound, Text(id: "tidak ada record \(type?.rawValue ?? "") yang cocok di \(name)", en: "no matching \(type?.rawValue ?? "")record at \(name)"))
            }
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            var change = ChangeSet(by: principal.username, now: now)
            for stored in doomed { try Self.remove(db, stored, into: &change) }
            let ids = try change.commit(db, timeZone: timeZone, ticketID: nil, audit: &audit)
            try audit.close()
            return (change.outcome, ids)
        }
        return push(outcome, ids)
    }

    /// The records gathered by one user action, per zone, before they are written as change sets.
    struct ChangeSet {
        let by: String
        let now: Date
        var adds: [Int64: [DNSRecord]] = [:]
        var deletes: [Int64: [DNSRecord]] = [:]
        var zones: [Int64: DNSStore.ZoneRow] = [:]
        var outcome = Outcome()

        init(by: String, now: Date) {
            self.by = by
            self.now = now
        }

        var isEmpty: Bool { adds.isEmpty && deletes.isEmpty }

        /// Bumps each touched zone's serial, writes a change set for each zone that has a server,
        /// and audits every record. Returns the change sets' ids.
        mutating func commit(_ db: Database, timeZone: TimeZone, ticketID: Int64?, audit: inout AuditWriter) throws -> [Int64] {
            var ids: [Int64] = []
            for (zoneID, row) in zones.sorted(by: { $0.value.zone.name < $1.value.zone.name }) {
                let serial = try DNSStore.bumpSerial(db, zoneID: zoneID, now: now, timeZone: timeZone)
                let adds = self.adds[zoneID] ?? [], deletes = self.deletes[zoneID] ?? []
                for record in adds { try audit.record(action: "dns.add", objectType: "dns", objectKey: row.zone.name.description, after: record) }
                for record in deletes { try audit.record(action: "dns.remove", objectType: "dns", objectKey: row.zone.name.description, before: record) }
                guard row.zone.server != nil else { continue }
                let id = try DNSStore.insertChange(db, zoneID: zoneID, serial: serial, adds: adds, deletes: deletes, by: by, now: now, ticketID: ticketID)
                ids.append(id)
                if let change = try DNSStore.change(db, id: id) { outcome.changes.append(change) }
            }
            return ids
        }
    }

    /// Adds `record` (and the PTR of an A/AAAA) to the change, checking the zone's rules and, for an
    /// address in a pool, that the address is assigned.
    static func add(_ db: Database, _ record: DNSRecord, owner: String?, into change: inout ChangeSet) throws {
        guard let zone = try DNSStore.zone(db, holding: record.name) else { throw outside(record.name.description) }
        var record = record
        if record.type == .ptr || record.type == .cname, let target = RecordRules.target(of: record) { record.data = target.description }
        if record.type == .a || record.type == .aaaa, let address = IPAddress(record.data) { record.data = address.description }
        let existing = try DNSStore.records(db, name: record.name).map(\.record) + change.adds[zone.id, default: []]
        let problems = RecordRules.problems(adding: record, to: existing, zone: zone.zone.name)
        if let problem = problems.first { throw ServiceError(problem == .duplicate(record.description) ? .conflict : .invalid, problem.text) }
        if record.type == .mx, let exchange = RecordRules.target(of: record), exchange.isSubdomain(of: zone.zone.name) {
            // BIND refuses an update whose mail exchanger inside the zone has no address; say so before anything is written.
            let isAddress = { (r: DNSRecord) in r.name == exchange && (r.type == .a || r.type == .aaaa) }
            guard try DNSStore.records(db, name: exchange).map(\.record).contains(where: isAddress) || (change.adds[zone.id] ?? []).contains(where: isAddress) else {
                throw ServiceError(.invalid, Text(
                    id: "MX menunjuk \(exchange), yang belum punya record A/AAAA; server DNS akan menolaknya. Tambahkan dulu: simpul dns add \(exchange) A ALAMAT",
                    en: "the MX points at \(exchange), which has no A/AAAA record; the DNS server would refuse it. Add one first: simpul dns add \(exchange) A ADDRESS"))
            }
        }
        var ptr: DNSRecord?
        if record.type == .a || record.type == .aaaa, let address = IPAddress(record.data) {
            if let pool = try IPAMStore.pool(db, containing: address) {
                let allocation = try IPAMStore.allocation(db, poolID: pool.id, address: address)
                guard allocation?.state == .assigned else {
                    let why = allocation.map { Text(id: "masih ditahan untuk \($0.owner)", en: "only held for \($0.owner)") }
                        ?? Text(id: "belum diberikan kepada siapa pun", en: "not assigned to anyone")
                    throw ServiceError(.invalid, Text(
                        id: "\(address) di pool \(pool.pool.name) \(why.id); berikan dulu: simpul ip assign \(address) --owner …",
                        en: "\(address) in pool \(pool.pool.name) is \(why.en); assign it first: simpul ip assign \(address) --owner …"))
                }
            }
            let reverse = address.reverseName
            if let reverseZone = try DNSStore.zone(db, holding: reverse),
               try DNSStore.records(db, name: reverse).isEmpty, !(change.adds[reverseZone.id] ?? []).contains(where: { $0.name == reverse }) {
                ptr = DNSRecord(name: reverse, type: .ptr, ttl: record.ttl, data: record.name.description)
                try DNSStore.insert(db, zoneID: reverseZone.id, ptr!, owner: owner, by: change.by, now: change.now)
                change.adds[reverseZone.id, default: []].append(ptr!)
                change.zones[reverseZone.id] = reverseZone
            }
        }
        do {
            try DNSStore.insert(db, zoneID: zone.id, record, owner: owner, by: change.by, now: change.now)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw ServiceError(.conflict, Text(id: "record bentrok dengan yang sudah ada di \(record.name)", en: "the record clashes with one already at \(record.name)"))
        }
        change.adds[zone.id, default: []].append(record)
        change.zones[zone.id] = zone
        change.outcome.added.append(record)
        if let ptr { change.outcome.added.append(ptr) }
    }

    /// Removes a stored record and, for an A/AAAA, the PTR that points back at its name.
    static func remove(_ db: Database, _ stored: DNSStore.StoredRecord, into change: inout ChangeSet) throws {
        guard let zone = try DNSStore.zone(db, named: DomainName(stored.zone) ?? stored.record.name) else { return }
        try DNSStore.delete(db, id: stored.id)
        change.deletes[zone.id, default: []].append(stored.record)
        change.zones[zone.id] = zone
        change.outcome.removed.append(stored.record)
        if stored.record.type == .a || stored.record.type == .aaaa, let address = IPAddress(stored.record.data) {
            let others = try DNSStore.addressRecords(db, address: address).filter { $0.record.name == stored.record.name }
            guard others.isEmpty else { return }
            for ptr in try DNSStore.records(db, name: address.reverseName) where ptr.record.type == .ptr && ptr.record.data == stored.record.name.description {
                try remove(db, ptr, into: &change)
            }
        }
    }

    /// Every A/AAAA record of `address` and their PTRs, in the caller's transaction (an address's release).
    static func removeRecords(_ db: Database, of address: IPAddress, into change: inout ChangeSet) throws {
        for stored in try DNSStore.addressRecords(db, address: address) { try remove(db, stored, into: &change) }
        for ptr in try DNSStore.records(db, name: address.reverseName) where ptr.record.type == .ptr {
            try remove(db, ptr, into: &change)
        }
    }

    // MARK: Pushing

    /// Pushes the change sets just written (and any older ones of the same zones still waiting) and
    /// records the outcome on `outcome`.
    func push(_ outcome: Outcome, _ ids: [Int64]) -> Outcome {
        var outcome = outcome
        guard !ids.isEmpty else { return outcome }
        let report = pushWaiting(ids: ids)
        outcome.pushError = report.failures.first?.error
        if let refreshed = try? simpul.database.rawRead({ db in try ids.compactMap { try DNSStore.change(db, id: $0) } }) {
            outcome.changes = refreshed
        }
        return outcome
    }

    public struct PushReport: Sendable {
        /// Each zone's waiting change sets that reached the server, and how long the push and its
        /// confirmation took.
        public var pushed: [(change: DNSStore.Change, milliseconds: Double)] = []
        public var failures: [(change: DNSStore.Change, error: Text)] = []
    }

    /// Pushes every change set not yet confirmed (of one zone, or of the zones of `ids`). A zone's
    /// waiting sets go as one update carrying their net effect and the newest serial, so a record added
    /// and then removed while the server was away never reaches it, and a set the server refuses can be
    /// undone by a later one instead of blocking the zone.
    @discardableResult
    public func pushWaiting(zone: String? = nil, ids: [Int64]? = nil) -> PushReport {
        var report = PushReport()
        let waiting: [DNSStore.Change]
        let zones: [String: DNSStore.ZoneRow]
        do {
            (waiting, zones) = try simpul.database.rawRead { db in
                let rows = try DNSStore.zones(db)
                if let zone, !rows.contains(where: { $0.zone.name.description == zone }) { return ([], [:]) }
                let zoneID = zone.flatMap { z in rows.first { $0.zone.name.description == z }?.id }
                return (try DNSStore.unpushed(db, zoneID: zoneID, ids: ids), Dictionary(rows.map { ($0.zone.name.description, $0) }, uniquingKeysWith: { a, _ in a }))
            }
        } catch {
            return report
        }
        var order: [String] = []
        var byZone: [String: [DNSStore.Change]] = [:]
        for change in waiting {
            if byZone[change.zone] == nil { order.append(change.zone) }
            byZone[change.zone, default: []].append(change)
        }
        for zoneName in order {
            guard let row = zones[zoneName], let seen = byZone[zoneName] else { continue }
            // The zone is claimed, and its waiting sets read again under the claim: a set written while
            // another process was delivering is delivered after that one, never beside it.
            let holder = UUID().uuidString
            let sets: [DNSStore.Change]
            switch claim(zone: row.id, holder: holder) {
            case .claimed(let claimed): sets = claimed
            case .busy:
                report.failures += seen.map { ($0, Text(id: "pengiriman lain ke server DNS zona ini belum selesai; perubahan menunggu dan dikirim pada putaran berikutnya (simpul dns push)",
                                                        en: "another push to this zone's DNS server has not finished; the change waits for the next run (simpul dns push)")) }
                continue
            case .failed: continue
            }
            guard let last = sets.last else {
                try? simpul.database.rawWrite { db in try DNSStore.releaseZone(db, zoneID: row.id, holder: holder) }
                continue
            }
            var net = last
            (net.adds, net.deletes) = Self.net(sets)
            Failpoint.pause("DNS_PUSH")
            let started = ContinuousClock.now
            let result = deliver(net, zone: row.zone)
            let elapsed = ContinuousClock.now - started
            let now = simpul.now()
            try? simpul.database.rawWrite { db in
                for change in sets {
                    switch result {
                    case .success: try DNSStore.markPushed(db, id: change.id, now: now)
                    case .failure(let error): try DNSStore.markFailed(db, id: change.id, error: error.text)
                    }
                }
                try DNSStore.releaseZone(db, zoneID: row.id, holder: holder)
            }
            switch result {
            case .success:
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                report.pushed += sets.map { ($0, ms) }
            case .failure(let error):
                report.failures += sets.map { ($0, error.text) }
            }
        }
        return report
    }

    enum Claim { case claimed([DNSStore.Change]), busy, failed }

    /// How long a push may hold a zone: far past the client's deadlines for an update and its
    /// confirming queries, so only a killed process's claim ever lapses.
    static let claimLease: TimeInterval = 120
    /// How long a push waits for another one on the same zone before leaving its sets waiting.
    static let claimWait: Duration = .seconds(30)

    /// Claims `zone` for this push and reads its waiting change sets under the claim, waiting while
    /// another push holds it.
    func claim(zone: Int64, holder: String) -> Claim {
        let deadline = ContinuousClock.now + Self.claimWait
        while true {
            let now = simpul.now()
            let outcome: [DNSStore.Change]?
            do {
                outcome = try simpul.database.rawWrite { db in
                    guard try DNSStore.claimZone(db, zoneID: zone, holder: holder, now: now, expires: now.addingTimeInterval(Self.claimLease)) else { return nil }
                    return try DNSStore.unpushed(db, zoneID: zone)
                }
            } catch {
                return .failed
            }
            if let outcome { return .claimed(outcome) }
            if ContinuousClock.now >= deadline { return .busy }
            Thread.sleep(forTimeInterval: 0.05)
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

    /// Sends one change set and asks the server whether it now answers it.
    func deliver(_ change: DNSStore.Change, zone: Zone) -> Result<Void, DNSPushError> {
        guard let updater = simpul.dns else { return .failure(.noKeyFile) }
        guard let server = zone.server else { return .success(()) }
        let endpoint = ZoneEndpoint(zone: zone.name, server: server, keyName: zone.tsigKey)
        guard let soa = Self.soa(zone, serial: change.serial) else { return .failure(.badServer(server)) }
        do {
            try updater.update(ZoneUpdate(endpoint: endpoint, soa: soa, deletes: change.deletes, adds: change.adds))
            try confirm(change, endpoint: endpoint, updater: updater)
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    func confirm(_ change: DNSStore.Change, endpoint: ZoneEndpoint, updater: any DNSUpdater) throws(DNSPushError) {
        struct Key: Hashable { var name: DomainName; var type: RecordType }
        var expected: [Key: (present: Set<String>, absent: Set<String>)] = [:]
        for record in change.deletes { expected[Key(name: record.name, type: record.type), default: ([], [])].absent.insert(RecordRules.normalized(record)) }
        for record in change.adds {
            let key = Key(name: record.name, type: record.type)
            expected[key, default: ([], [])].present.insert(RecordRules.normalized(record))
            expected[key]!.absent.remove(RecordRules.normalized(record))
        }
        for (key, want) in expected {
            let answered = Set(try updater.query(endpoint, name: key.name, type: key.type).map(RecordRules.normalized))
            if let missing = want.present.subtracting(answered).first {
                throw .notConfirmed(server: endpoint.server, what: "\(key.name) \(key.type.rawValue) \(missing)")
            }
            if let left = want.absent.intersection(answered).first {
                throw .notConfirmed(server: endpoint.server, what: "penghapusan/removal \(key.name) \(key.type.rawValue) \(left)")
            }
        }
    }

    static func soa(_ zone: Zone, serial: UInt32) -> SOAData? {
        guard let mailbox = SOAData.mailbox(fromEmail: zone.adminEmail) else { return nil }
        return SOAData(primaryNS: WireName(zone.primaryNS), mailbox: mailbox, serial: max(serial, 1))
    }

    // MARK: Helpers

    static func name(_ text: String) throws -> DomainName {
        switch DomainName.parse(text.trimmingCharacters(in: .whitespaces)) {
        case .success(let name): return name
        case .failure(let problem):
            throw ServiceError(.invalid, Text(id: "nama \"\(text)\" tidak sah: \(problem.text.id)", en: "name \"\(text)\" is not valid: \(problem.text.en)"))
        }
    }

    static func outside(_ name: String) -> ServiceError {
        ServiceError(.invalid, Text(id: "\(name) tidak berada di zona yang dikelola Simpul (lihat: simpul dns zones)",
                                    en: "\(name) is not inside a zone Simpul keeps (see: simpul dns zones)"))
    }

    static func noZone(_ name: DomainName) -> ServiceError {
        ServiceError(.notFound, Text(id: "zona \(name) tidak ada di inventaris (lihat: simpul dns zones)", en: "zone \(name) is not in the inventory (see: simpul dns zones)"))
    }
}
