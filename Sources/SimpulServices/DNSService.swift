import Foundation
import SimpulCore
import SimpulStore

/// The records of the office's zones. A change is one write transaction: the records, the matching
/// PTR for an A/AAAA (and its removal with it), each touched zone's serial bumped once, an audit row,
/// a change set per zone, and an outbox row per change set. The outbox delivers each set to the zone's
/// server (RFC 2136, TSIG) and confirms it by asking the server (`DNSDeliverer`); a request may ask for
/// that at once after its commit (`published`). A delivery that fails is retried with backoff, shown
/// with its error, and after its last attempt waits for someone to retry or dismiss it.
public struct DNSService: Sendable {
    let simpul: Simpul

    /// What a change did: the records, and how its change sets fared at the server.
    public struct Outcome: Sendable, Encodable {
        public var added: [DNSRecord] = []
        public var removed: [DNSRecord] = []
        public var changes: [DNSStore.Change] = []
        /// The outbox rows that deliver `changes`.
        public var deliveries: [Int64] = []
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
        return try simpul.database.read { r in
            let counts = try DNSStore.recordCounts(r)
            let waiting = try DNSStore.waitingCounts(r)
            return try DNSStore.zones(r).map { row in
                let error = try DNSStore.unpushed(r, zoneID: row.id).last?.lastError
                return ZoneSummary(zone: row.zone, serial: row.serial, records: counts[row.id] ?? 0, waiting: waiting[row.id] ?? 0, lastError: error)
            }
        }
    }

    public struct ZoneReport: Sendable {
        public var zone: Zone
        public var serial: UInt32
        public var records: [DNSStore.StoredRecord]
        public var changes: [DNSStore.Change]
        /// Deliveries of this zone's change sets that failed for good or are retrying after an error.
        public var troubled: [Delivery]
    }

    public func zone(_ text: String, by principal: Principal) throws -> ZoneReport {
        try principal.require(.viewEstate)
        let name = try Self.name(text)
        return try simpul.database.read { r in
            guard let row = try DNSStore.zone(r, named: name) else { throw Self.noZone(name) }
            let troubled = try OutboxStore.list(r, OutboxStore.Filter(states: [.failed, .pending], channel: .dns, subject: Self.subject(name), limit: 20)).rows
                .filter { $0.lastError != nil }
            return ZoneReport(zone: row.zone, serial: row.serial, records: try DNSStore.records(r, zoneID: row.id),
                              changes: try DNSStore.changes(r, zoneID: row.id, limit: 20), troubled: troubled)
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
        try simpul.database.read { try Self.nameStatus($0, text) }
    }

    static func nameStatus(_ reader: Reader, _ text: String) throws -> NameStatus {
        let name: DomainName
        switch DomainName.parse(text) {
        case .success(let parsed): name = parsed
        case .failure(let problem): return .invalid(problem.text)
        }
        guard let zone = try DNSStore.zone(reader, holding: name) else { return .outsideZones(name.description) }
        let taken = try DNSStore.records(reader, name: name)
        return taken.isEmpty ? .free(zone: zone.zone.name.description) : .taken(taken.map(\.record))
    }

    // MARK: Changing

    /// Adds records (with their PTRs) as one change. The change sets wait in the outbox: the caller
    /// may deliver them at once (`published`).
    public func add(_ records: [DNSRecord], owner: String? = nil, by principal: Principal) throws -> Outcome {
        try ServiceError.limit(owner, Text(id: "pemilik", en: "the owner"), Limits.name)
        try principal.require(.manageDNS)
        let timeZone = simpul.officeTime().timeZone
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            var change = ChangeSet(by: tx.actor, now: tx.now)
            for record in records { try Self.add(tx, record, owner: owner, into: &change) }
            try change.commit(tx, timeZone: timeZone, ticketID: nil)
            return change.outcome
        }
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
        let ttl = try ttl ?? simpul.database.read { r in try DNSStore.zone(r, holding: name)?.zone.defaultTTL } ?? 3600
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
        let timeZone = simpul.officeTime().timeZone
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let doomed = try DNSStore.records(tx, name: name).filter { stored in
                guard type == nil || stored.record.type == type else { return false }
                guard var data else { return true }
                if data.hasSuffix(".") { data.removeLast() }
                return RecordRules.normalized(stored.record) == RecordRules.normalized(DNSRecord(name: name, type: stored.record.type, ttl: 0, data: data))
            }
            guard !doomed.isEmpty else {
                throw ServiceError(.notFound, Text(id: "tidak ada record \(type?.rawValue ?? "") yang cocok di \(name)", en: "no matching \(type?.rawValue ?? "")record at \(name)"))
            }
            var change = ChangeSet(by: tx.actor, now: tx.now)
            for stored in doomed { try Self.remove(tx, stored, into: &change) }
            try change.commit(tx, timeZone: timeZone, ticketID: nil)
            return change.outcome
        }
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

        /// Bumps each touched zone's serial, writes a change set for each zone that has a server with
        /// its outbox row, and audits every record.
        mutating func commit(_ tx: Transaction, timeZone: TimeZone, ticketID: Int64?) throws {
            for (zoneID, row) in zones.sorted(by: { $0.value.zone.name < $1.value.zone.name }) {
                let serial = try DNSStore.bumpSerial(tx, zoneID: zoneID, now: now, timeZone: timeZone)
                let adds = self.adds[zoneID] ?? [], deletes = self.deletes[zoneID] ?? []
                for record in adds { try tx.audit("dns.add", "dns", row.zone.name.description, after: record) }
                for record in deletes { try tx.audit("dns.remove", "dns", row.zone.name.description, before: record) }
                guard row.zone.server != nil else { continue }
                let id = try DNSStore.insertChange(tx, zoneID: zoneID, serial: serial, adds: adds, deletes: deletes, by: by, now: now, ticketID: ticketID)
                outcome.deliveries.append(try DNSService.enqueue(tx, change: id, zone: row.zone.name, ticketID: ticketID))
                if let change = try DNSStore.change(tx, id: id) { outcome.changes.append(change) }
            }
        }
    }

    /// Adds `record` (and the PTR of an A/AAAA) to the change, checking the zone's rules and, for an
    /// address in a pool, that the address is assigned.
    static func add(_ tx: Transaction, _ record: DNSRecord, owner: String?, into change: inout ChangeSet) throws {
        guard let zone = try DNSStore.zone(tx, holding: record.name) else { throw outside(record.name.description) }
        var record = record
        if record.type == .ptr || record.type == .cname, let target = RecordRules.target(of: record) { record.data = target.description }
        if record.type == .a || record.type == .aaaa, let address = IPAddress(record.data) { record.data = address.description }
        let existing = try DNSStore.records(tx, name: record.name).map(\.record) + change.adds[zone.id, default: []]
        let problems = RecordRules.problems(adding: record, to: existing, zone: zone.zone.name)
        if let problem = problems.first { throw ServiceError(problem == .duplicate(record.description) ? .conflict : .invalid, problem.text) }
        if record.type == .mx, let exchange = RecordRules.target(of: record), exchange.isSubdomain(of: zone.zone.name) {
            // BIND refuses an update whose mail exchanger inside the zone has no address; say so before anything is written.
            let isAddress = { (r: DNSRecord) in r.name == exchange && (r.type == .a || r.type == .aaaa) }
            guard try DNSStore.records(tx, name: exchange).map(\.record).contains(where: isAddress) || (change.adds[zone.id] ?? []).contains(where: isAddress) else {
                throw ServiceError(.invalid, Text(
                    id: "MX menunjuk \(exchange), yang belum punya record A/AAAA; server DNS akan menolaknya. Tambahkan dulu: simpul dns add \(exchange) A ALAMAT",
                    en: "the MX points at \(exchange), which has no A/AAAA record; the DNS server would refuse it. Add one first: simpul dns add \(exchange) A ADDRESS"))
            }
        }
        var ptr: DNSRecord?
        if record.type == .a || record.type == .aaaa, let address = IPAddress(record.data) {
            if let pool = try IPAMStore.pool(tx, containing: address) {
                let allocation = try IPAMStore.allocation(tx, poolID: pool.id, address: address)
                guard allocation?.state == .assigned else {
                    let why = allocation.map { Text(id: "masih ditahan untuk \($0.owner)", en: "only held for \($0.owner)") }
                        ?? Text(id: "belum diberikan kepada siapa pun", en: "not assigned to anyone")
                    throw ServiceError(.invalid, Text(
                        id: "\(address) di pool \(pool.pool.name) \(why.id); berikan dulu: simpul ip assign \(address) --owner …",
                        en: "\(address) in pool \(pool.pool.name) is \(why.en); assign it first: simpul ip assign \(address) --owner …"))
                }
            }
            let reverse = address.reverseName
            if let reverseZone = try DNSStore.zone(tx, holding: reverse),
               try DNSStore.records(tx, name: reverse).isEmpty, !(change.adds[reverseZone.id] ?? []).contains(where: { $0.name == reverse }) {
                ptr = DNSRecord(name: reverse, type: .ptr, ttl: record.ttl, data: record.name.description)
                try DNSStore.insert(tx, zoneID: reverseZone.id, ptr!, owner: owner, by: change.by, now: change.now)
                change.adds[reverseZone.id, default: []].append(ptr!)
                change.zones[reverseZone.id] = reverseZone
            }
        }
        do {
            try DNSStore.insert(tx, zoneID: zone.id, record, owner: owner, by: change.by, now: change.now)
        } catch is StoreConflict {
            throw ServiceError(.conflict, Text(id: "record bentrok dengan yang sudah ada di \(record.name)", en: "the record clashes with one already at \(record.name)"))
        }
        change.adds[zone.id, default: []].append(record)
        change.zones[zone.id] = zone
        change.outcome.added.append(record)
        if let ptr { change.outcome.added.append(ptr) }
    }

    /// Removes a stored record and, for an A/AAAA, the PTR that points back at its name.
    static func remove(_ tx: Transaction, _ stored: DNSStore.StoredRecord, into change: inout ChangeSet) throws {
        guard let zone = try DNSStore.zone(tx, named: DomainName(stored.zone) ?? stored.record.name) else { return }
        try DNSStore.delete(tx, id: stored.id)
        change.deletes[zone.id, default: []].append(stored.record)
        change.zones[zone.id] = zone
        change.outcome.removed.append(stored.record)
        if stored.record.type == .a || stored.record.type == .aaaa, let address = IPAddress(stored.record.data) {
            let others = try DNSStore.addressRecords(tx, address: address).filter { $0.record.name == stored.record.name }
            guard others.isEmpty else { return }
            for ptr in try DNSStore.records(tx, name: address.reverseName) where ptr.record.type == .ptr && ptr.record.data == stored.record.name.description {
                try remove(tx, ptr, into: &change)
            }
        }
    }

    /// Every A/AAAA record of `address` and their PTRs, in the caller's transaction (an address's release).
    static func removeRecords(_ tx: Transaction, of address: IPAddress, into change: inout ChangeSet) throws {
        for stored in try DNSStore.addressRecords(tx, address: address) { try remove(tx, stored, into: &change) }
        for ptr in try DNSStore.records(tx, name: address.reverseName) where ptr.record.type == .ptr {
            try remove(tx, ptr, into: &change)
        }
    }

    // MARK: Delivering

    /// The subject under which a zone's deliveries are shown.
    static func subject(_ zone: DomainName) -> String { "zone:\(zone)" }

    /// The outbox row that delivers change set `change`.
    static func enqueue(_ tx: Transaction, change: Int64, zone: DomainName, ticketID: Int64?) throws -> Int64 {
        try OutboxStore.enqueue(tx, channel: .dns, dedupeKey: DNSDeliverer.dedupeKey(change), payload: try StoredJSON.encode(["change": String(change)]),
                                ticketID: ticketID, subject: subject(zone))
    }

    /// Delivers an outcome's change sets now (after the commit that wrote them), and says how they
    /// fared: what the admin sees on the page a moment later. What does not go through stays in the
    /// outbox and is retried.
    public func published(_ outcome: Outcome) async -> Outcome {
        var outcome = outcome
        guard !outcome.deliveries.isEmpty else { return outcome }
        let report = await simpul.outbox.deliverAtOnce(outcome.deliveries)
        outcome.pushError = report.failed.first?.error
        let ids = outcome.changes.map(\.id)
        // Another worker (the one inside `simpul serve`) may have taken a row first: wait a little
        // for its outcome, without holding a thread, so the page can still say "confirmed".
        let patience = ContinuousClock.now + .seconds(3)
        while true {
            if let refreshed = try? await simpul.database.read({ r in try ids.compactMap { try DNSStore.change(r, id: $0) } }) {
                outcome.changes = refreshed
            }
            guard !report.heldElsewhere.isEmpty, !outcome.published, outcome.pushError == nil, ContinuousClock.now < patience,
                  !outcome.changes.contains(where: { $0.state == .failed }) else { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if outcome.pushError == nil, !outcome.published, report.attempts.contains(where: \.busy) {
            // Not begun within the request's budget: the worker sends it in a moment.
            outcome.pushError = Text(id: "perubahan menunggu di kotak keluar dan segera dikirim oleh pekerja outbox",
                                     en: "the change waits in the outbox and the outbox worker sends it shortly")
        }
        if outcome.pushError == nil, !outcome.published {
            // Delivered along by another worker, or still held by one: say it waits.
            outcome.pushError = outcome.changes.first { $0.state != .pushed && $0.state != .superseded }.map { _ in
                Text(id: "perubahan sedang dikirim oleh proses lain; lihat halaman zona", en: "the change is being delivered by another process; see the zone's page")
            }
        }
        return outcome
    }

    /// `simpul dns push`: every change set of the zone (or all zones) still waiting is made due now,
    /// including those that gave up, and delivered.
    public func pushNow(zone: String? = nil, by principal: Principal) async throws -> OutboxService.RunReport {
        try principal.require(.manageDNS)
        let subject = try zone.map { Self.subject(try Self.name($0)) }
        let ids = try await simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            if let zone, try DNSStore.zone(tx, named: try Self.name(zone)) == nil { throw Self.noZone(try Self.name(zone)) }
            let waiting = try OutboxStore.list(tx, OutboxStore.Filter(states: [.pending, .failed], channel: .dns, subject: subject, limit: 1000)).rows
            for row in waiting where row.claimedBy == nil { _ = try OutboxStore.retry(tx, id: row.id) }
            return waiting.map(\.id)
        }
        return await simpul.outbox.deliver(ids: ids, limit: 1000)
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
