import Foundation
import SimpulCore
import SimpulStore

/// Addresses out of the pools: the next free one, holds that lapse by themselves, assignments and
/// releases, each one write transaction with its history and audit row. Only admins change them.
///
/// Idempotent: asking again with the same idempotency key, or for the same owner without a key or an
/// address, gives back the address that owner already has in the pool (a hold becomes an assignment).
public struct IPAMService: Sendable {
    let simpul: Simpul

    public static let defaultHold: TimeInterval = 72 * 3600
    public static let holdRange: ClosedRange<TimeInterval> = 60...(30 * 86_400)

    public struct Request: Sendable {
        /// The pool's name; may be left out when `address` is given.
        public var pool: String?
        /// A particular address; the next free one when nil.
        public var address: String?
        /// Who it is for: `ticket:12`, `device:SIMPEG-01`, a person's note.
        public var owner: String
        public var hostname: String?
        public var note: String?
        public var idempotencyKey: String?
        /// How long a hold lasts (default 72 hours).
        public var holdFor: TimeInterval?

        public init(pool: String? = nil, address: String? = nil, owner: String, hostname: String? = nil, note: String? = nil,
                    idempotencyKey: String? = nil, holdFor: TimeInterval? = nil) {
            self.pool = pool
            self.address = address
            self.owner = owner
            self.hostname = hostname
            self.note = note
            self.idempotencyKey = idempotencyKey
            self.holdFor = holdFor
        }
    }

    /// The address the next request without an address would get, without taking it.
    public func next(pool name: String, by principal: Principal) throws -> IPAddress {
        try principal.require(.viewEstate)
        let now = simpul.now()
        return try simpul.database.read { r in
            let pool = try Self.pool(r, name)
            // A lapsed hold not yet released comes back before anything above it.
            let lapsed = try IPAMStore.lapsedHolds(r, poolID: pool.id, now: now).map(\.address).min()
            guard let next = [try IPAMStore.firstFree(r, poolID: pool.id), lapsed].compactMap({ $0 }).min() else {
                throw Self.exhausted(pool)
            }
            return next
        }
    }

    /// What a form or an API call asks for: a hold while the request is approved, or the address itself.
    public enum Action: String, Sendable, CaseIterable {
        case hold, assign

        var state: IPAMStore.State { self == .hold ? .held : .assigned }
    }

    /// A hold's length as people write it — `72 jam`, `3 hari`, `72 hours`, `30 menit`, or short, `30m`,
    /// `72h`, `5d` — for the CLI, the API and the form (`Format.seconds(of:)` reads what `Format` writes).
    public static func holdDuration(_ text: String) throws -> TimeInterval {
        guard let seconds = Format.seconds(of: text) else {
            throw ServiceError(.invalid, Text(id: "lama hold ditulis seperti 72 jam, 3 hari atau 30 menit (bukan \"\(Excerpt.of(text))\")",
                                              en: "write the hold time like 72 hours, 3 days or 30 minutes (not \"\(Excerpt.of(text))\")"))
        }
        guard holdRange.contains(TimeInterval(seconds)) else {
            let (id, en) = (Format.id, Format.en)
            throw ServiceError(.invalid, Text(id: "lama hold \(id.exactly(seconds)) di luar \(id.minutes(1)) sampai \(id.amount(30, .days))",
                                              en: "a hold of \(en.exactly(seconds)) is outside \(en.minutes(1)) to \(en.amount(30, .days))"))
        }
        return TimeInterval(seconds)
    }

    /// The default hold as the form shows it: `72 jam` / `72 hours`.
    public static func defaultHoldText(_ language: Language) -> String { Format(language).exactly(Int(defaultHold)) }

    public func hold(_ request: Request, by principal: Principal) throws -> IPAMStore.Allocation {
        try allocate(request, .hold, by: principal)
    }

    public func assign(_ request: Request, by principal: Principal) throws -> IPAMStore.Allocation {
        try allocate(request, .assign, by: principal)
    }

    public func allocate(_ request: Request, _ action: Action, by principal: Principal) throws -> IPAMStore.Allocation {
        let state = action.state
        try principal.require(.manageAddresses)
        try ServiceError.limit(request.owner, Text(id: "pemilik", en: "the owner"), Limits.name)
        try ServiceError.limit(request.hostname, Text(id: "nama host", en: "the host name"), 253)
        try ServiceError.limit(request.note, Text(id: "catatan", en: "the note"), Limits.shortText)
        try ServiceError.limit(request.idempotencyKey, Text(id: "kunci idempotensi", en: "the idempotency key"), Limits.name)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try Self.allocate(tx, request, as: state)
        }
    }

    /// Assigns one address to each owner, `batch` owners per transaction (for loading a large pool
    /// in benchmarks and migrations): the same rules as `assign`, one commit per batch.
    public func assignMany(pool: String, owners: [String], batch: Int = 1000, by principal: Principal) throws -> Int {
        try principal.require(.manageAddresses)
        var done = 0
        for start in stride(from: 0, to: owners.count, by: max(1, batch)) {
            try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
                for owner in owners[start..<min(owners.count, start + batch)] {
                    _ = try Self.allocate(tx, Request(pool: pool, owner: owner), as: .assigned)
                    done += 1
                }
            }
        }
        return done
    }

    /// Holds or assigns an address in the caller's transaction, by `tx.actor` at `tx.now`.
    static func allocate(_ tx: Transaction, _ request: Request, as state: IPAMStore.State) throws -> IPAMStore.Allocation {
        let now = tx.now
        let owner = request.owner.trimmingCharacters(in: .whitespaces)
        guard !owner.isEmpty, owner.count <= 200 else {
            throw ServiceError(.invalid, Text(id: "sebutkan untuk siapa alamat ini (mis. ticket:12 atau device:SIMPEG-01)",
                                              en: "say who the address is for (e.g. ticket:12 or device:SIMPEG-01)"))
        }
        // An owner that names a ticket names one that exists (a device may be one still planned);
        // a host name is a DNS name.
        if owner.hasPrefix("ticket:") {
            guard let id = Int64(owner.dropFirst("ticket:".count)),
                  try TicketStore.exists(tx, id: id) else {
                throw ServiceError(.invalid, Text(id: "pemilik \"\(Excerpt.of(owner))\": tiket itu tidak ada; periksa nomornya (simpul ticket list)",
                                                  en: "owner \"\(Excerpt.of(owner))\": no such ticket; check its number (simpul ticket list)"))
            }
        }
        if let hostname = request.hostname?.trimmingCharacters(in: .whitespaces).nilIfEmpty, case .failure(let problem) = DomainName.parse(hostname) {
            throw ServiceError(.invalid, Text(id: "nama host \"\(Excerpt.of(hostname))\": \(problem.text.id)", en: "host name \"\(Excerpt.of(hostname))\": \(problem.text.en)"))
        }
        let holdFor = request.holdFor ?? Self.defaultHold
        guard Self.holdRange.contains(holdFor) else {
            throw ServiceError(.invalid, Text(id: "lama hold harus antara 1 menit dan 30 hari", en: "a hold lasts between 1 minute and 30 days"))
        }
        let address = try request.address.flatMap { $0.nilIfEmpty }.map(Self.parse)
        do {
            let pool = try address.map { try Self.pool(tx, containing: $0, named: request.pool) } ?? Self.pool(tx, request.pool ?? "")
            try Self.releaseLapsed(tx, poolID: pool.id)
            let by = tx.actor

            // The same key, or the same owner asking without an address, gets its address back.
            var existing: IPAMStore.Allocation? = nil
            var byKey = false
            if let key = request.idempotencyKey?.nilIfEmpty {
                existing = try IPAMStore.allocation(tx, poolID: pool.id, idempotencyKey: key)
                byKey = existing != nil
            }
            if existing == nil, let address {
                existing = try IPAMStore.allocation(tx, poolID: pool.id, address: address)
            } else if existing == nil, request.idempotencyKey?.nilIfEmpty == nil {
                existing = try IPAMStore.allocation(tx, poolID: pool.id, owner: owner)
            }
            if let existing {
                guard existing.owner == owner else { throw Self.taken(existing, requestedByKey: byKey) }
                if let address, existing.address != address { throw Self.keyUsed(existing) }
                if state == .assigned && existing.state == .held {
                    try IPAMStore.confirm(tx, poolID: pool.id, address: existing.address, hostname: request.hostname, by: by, now: now)
                    try Self.record(tx, "ip.assign", pool.pool.name, existing.address, owner: owner, hostname: request.hostname)
                    return try IPAMStore.allocation(tx, poolID: pool.id, address: existing.address)!
                }
                return existing
            }

            let chosen: IPAddress
            if let address {
                if let why = pool.layout.exclusion(of: address) {
                    throw ServiceError(.conflict, Text(id: "\(address) tidak dapat diberikan: \(why.text.id); pilih alamat lain atau biarkan Simpul memilih",
                                                       en: "\(address) cannot be given out: \(why.text.en); choose another or let Simpul choose"))
                }
                guard try IPAMStore.take(tx, poolID: pool.id, address) else {
                    throw ServiceError(.conflict, Text(id: "\(address) tidak bebas di pool \(pool.pool.name); lihat simpul ip show \(address)",
                                                       en: "\(address) is not free in pool \(pool.pool.name); see simpul ip show \(address)"))
                }
                chosen = address
            } else {
                guard let first = try IPAMStore.firstFree(tx, poolID: pool.id), try IPAMStore.take(tx, poolID: pool.id, first) else {
                    throw Self.exhausted(pool)
                }
                chosen = first
            }
            try IPAMStore.insert(tx, .init(poolID: pool.id, address: chosen, state: state, owner: owner, hostname: request.hostname?.nilIfEmpty,
                                           note: request.note?.nilIfEmpty, idempotencyKey: request.idempotencyKey?.nilIfEmpty,
                                           heldUntil: state == .held ? now.addingTimeInterval(holdFor) : nil), by: by, now: now)
            try Self.record(tx, state == .held ? "ip.hold" : "ip.assign", pool.pool.name, chosen, owner: owner, hostname: request.hostname)
            return try IPAMStore.allocation(tx, poolID: pool.id, address: chosen)!
        }
    }

    /// What a release did: the address as it was, and its DNS records taken down with it.
    public struct Released: Sendable, Encodable {
        public var allocation: IPAMStore.Allocation
        public var dns: DNSService.Outcome

        /// The allocation's fields, and `dns` beside them.
        public func encode(to encoder: any Encoder) throws {
            try allocation.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(dns, forKey: .dns)
        }

        enum Key: String, CodingKey { case dns }
    }

    /// Gives an address back to its pool, and removes its A/AAAA records and their PTRs in the same
    /// transaction, with the outbox rows that deliver the zones' change sets (`dns.deliveries`: the
    /// caller may have them delivered at once). Releasing a free address is refused, so a typo is noticed.
    public func release(_ text: String, pool name: String? = nil, note: String? = nil, by principal: Principal) throws -> Released {
        try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.shortText)
        try principal.require(.manageAddresses)
        let address = try Self.parse(text)
        let timeZone = simpul.officeTime().timeZone
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let pool = try Self.pool(tx, containing: address, named: name)
            guard let allocation = try IPAMStore.allocation(tx, poolID: pool.id, address: address) else {
                throw ServiceError(.notFound, Text(id: "\(address) tidak sedang dipegang atau diberikan di pool \(pool.pool.name)",
                                                   en: "\(address) is not held or assigned in pool \(pool.pool.name)"))
            }
            try Self.release(tx, allocation, note: note?.nilIfEmpty)
            var change = DNSService.ChangeSet(by: tx.actor, now: tx.now)
            try DNSService.removeRecords(tx, of: address, into: &change)
            try change.commit(tx, timeZone: timeZone, ticketID: nil)
            return Released(allocation: allocation, dns: change.outcome)
        }
    }

    /// Gives `allocation` back to its pool in the caller's transaction, with its history and audit
    /// row. Its DNS records are the caller's to remove (`DNSService.removeRecords`): a hold has none.
    static func release(_ tx: Transaction, _ allocation: IPAMStore.Allocation, note: String?) throws {
        guard let poolID = try IPAMStore.poolID(tx, name: allocation.pool) else { return }
        try IPAMStore.remove(tx, poolID: poolID, address: allocation.address, action: "released", by: tx.actor, now: tx.now, note: note)
        try tx.audit("ip.release", "address", "\(allocation.pool)/\(allocation.address)", before: allocation, reason: note)
    }

    /// Releases every hold whose time has passed; the number released.
    @discardableResult
    public func releaseLapsedHolds() throws -> Int {
        try simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
            try Self.releaseLapsed(tx, poolID: nil)
        }
    }

    /// Releases the lapsed holds (of one pool, or all) in the caller's transaction, as the system.
    @discardableResult
    static func releaseLapsed(_ tx: Transaction, poolID: Int64?) throws -> Int {
        let lapsed = try IPAMStore.lapsedHolds(tx, poolID: poolID, now: tx.now)
        for (pool, address) in lapsed {
            try IPAMStore.remove(tx, poolID: pool, address: address, action: "expired", by: Transaction.system, now: tx.now,
                                 note: "hold lapsed / hold habis waktu")
            try tx.audit("ip.expire", "address", address.description)
        }
        return lapsed.count
    }

    public struct AddressReport: Sendable, Codable {
        public var pool: String
        public var prefix: String
        public var address: String
        /// `held`, `assigned`, `free`, or `excluded` (network, gateway, reserved…).
        public var state: String
        public var allocation: IPAMStore.Allocation?
        public var excludedBecause: Text?
        public var history: [IPAMStore.HistoryEntry]
    }

    public func show(_ text: String, pool name: String? = nil, by principal: Principal) throws -> AddressReport {
        try principal.require(.viewEstate)
        let address = try Self.parse(text)
        return try simpul.database.read { r in
            let pool = try Self.pool(r, containing: address, named: name)
            let allocation = try IPAMStore.allocation(r, poolID: pool.id, address: address)
            let exclusion = pool.layout.exclusion(of: address)
            return AddressReport(pool: pool.pool.name, prefix: pool.pool.prefix.description, address: address.description,
                                 state: allocation?.state.rawValue ?? (exclusion == nil ? "free" : "excluded"),
                                 allocation: allocation, excludedBecause: exclusion?.text,
                                 history: try IPAMStore.history(r, poolID: pool.id, address: address))
        }
    }

    public func list(pool name: String? = nil, state: IPAMStore.State? = nil, owner: String? = nil, limit: Int = 500, offset: Int = 0,
                     by principal: Principal) throws -> [IPAMStore.Allocation] {
        try principal.require(.viewEstate)
        return try simpul.database.read { r in
            let poolID = try name.map { try Self.pool(r, $0).id }
            return try IPAMStore.allocations(r, poolID: poolID, state: state, owner: owner, limit: limit, offset: offset)
        }
    }

    /// Each pool's use, or one pool's.
    public func usage(pool name: String? = nil, by principal: Principal) throws -> [IPAMStore.Usage] {
        try principal.require(.viewEstate)
        return try simpul.database.read { try IPAMStore.usage($0, pool: name) }
    }

    // MARK: Helpers

    static func parse(_ text: String) throws -> IPAddress {
        guard let address = IPAddress(text.trimmingCharacters(in: .whitespaces)) else {
            throw ServiceError(.invalid, Text(id: "\"\(text)\" bukan alamat IP (contoh: 10.20.0.15 atau 2001:db8:20::15)",
                                              en: "\"\(text)\" is not an IP address (e.g. 10.20.0.15 or 2001:db8:20::15)"))
        }
        return address
    }

    static func pool(_ reader: Reader, _ name: String) throws -> IPAMStore.PoolRow {
        guard !name.isEmpty else {
            throw ServiceError(.invalid, Text(id: "sebutkan pool-nya (lihat simpul ip list)", en: "name the pool (see simpul ip list)"))
        }
        guard let pool = try IPAMStore.pool(reader, name: name) else {
            throw ServiceError(.notFound, Text(id: "pool \"\(name)\" tidak ada; lihat simpul ip list", en: "pool \"\(name)\" does not exist; see simpul ip list"))
        }
        return pool
    }

    /// The pool holding `address`, which must be `named` when a name is given.
    static func pool(_ reader: Reader, containing address: IPAddress, named name: String?) throws -> IPAMStore.PoolRow {
        if let name = name?.nilIfEmpty {
            let pool = try pool(reader, name)
            guard pool.pool.prefix.contains(address) else {
                throw ServiceError(.invalid, Text(id: "\(address) di luar pool \(name) (\(pool.pool.prefix))", en: "\(address) is outside pool \(name) (\(pool.pool.prefix))"))
            }
            return pool
        }
        guard let pool = try IPAMStore.pool(reader, containing: address) else {
            throw ServiceError(.notFound, Text(id: "\(address) tidak termasuk pool mana pun; lihat simpul ip list", en: "\(address) is in no pool; see simpul ip list"))
        }
        return pool
    }

    static func exhausted(_ pool: IPAMStore.PoolRow) -> ServiceError {
        ServiceError(.conflict, Text(id: "pool \(pool.pool.name) (\(pool.pool.prefix)) habis: tidak ada alamat bebas; lepaskan alamat yang tidak dipakai atau tambah pool",
                                     en: "pool \(pool.pool.name) (\(pool.pool.prefix)) is exhausted: no free address; release unused ones or add a pool"))
    }

    static func taken(_ allocation: IPAMStore.Allocation, requestedByKey: Bool) -> ServiceError {
        let until = allocation.heldUntil.map { " s.d. \($0)" } ?? ""
        let untilEN = allocation.heldUntil.map { " until \($0)" } ?? ""
        if requestedByKey {
            return ServiceError(.conflict, Text(id: "kunci idempotensi itu sudah dipakai untuk \(allocation.address) milik \(allocation.owner)",
                                                en: "that idempotency key was already used for \(allocation.address), owned by \(allocation.owner)"))
        }
        return allocation.state == .held
            ? ServiceError(.conflict, Text(id: "\(allocation.address) sedang di-hold untuk \(allocation.owner)\(until) oleh \(allocation.createdBy)",
                                           en: "\(allocation.address) is held for \(allocation.owner)\(untilEN) by \(allocation.createdBy)"))
            : ServiceError(.conflict, Text(id: "\(allocation.address) sudah diberikan kepada \(allocation.owner) oleh \(allocation.assignedBy ?? allocation.createdBy)",
                                           en: "\(allocation.address) is already assigned to \(allocation.owner) by \(allocation.assignedBy ?? allocation.createdBy)"))
    }

    static func keyUsed(_ allocation: IPAMStore.Allocation) -> ServiceError {
        ServiceError(.conflict, Text(id: "kunci idempotensi itu sudah memberi \(allocation.address), bukan alamat yang diminta",
                                     en: "that idempotency key already gave \(allocation.address), not the address asked for"))
    }

    static func record(_ tx: Transaction, _ action: String, _ pool: String, _ address: IPAddress, owner: String, hostname: String?) throws {
        try tx.audit(action, "address", "\(pool)/\(address)", after: ["owner": owner, "hostname": hostname ?? ""])
    }
}

extension Simpul {
    public var ipam: IPAMService { IPAMService(simpul: self) }
}
