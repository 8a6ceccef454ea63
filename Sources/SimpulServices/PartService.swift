import Foundation
import SimpulCore
import SimpulStore

/// The office's stock of spare parts (seed 000: upkeep "with the stock of spare parts"; issue 13).
/// Stock changes only by a movement — received, used on a ticket, or corrected after a count — and
/// each one is one transaction with its audit row. Using more than is in stock is refused and
/// changes nothing; two technicians taking the last one at once cannot both have it.
public struct PartService: Sendable {
    let simpul: Simpul

    /// What can be done with the stock, and who may.
    public enum Action: Sendable, CaseIterable {
        /// See the stock and its history: office staff.
        case view
        /// Add a part or change what is said about it; receive stock; correct it after a count. The
        /// section and division heads, the head and the administrator keep the stock (seed 000).
        case add, receive, adjust
        /// Take parts from stock for a ticket: whoever does the repair, and those above them.
        case use

        public func allowed(for principal: Principal) -> Bool {
            switch self {
            case .view: principal.can(.viewEstate)
            case .add, .receive, .adjust: PartService.keepers.contains(principal.role)
            case .use: PartService.users.contains(principal.role)
            }
        }

        var refusal: Text {
            switch self {
            case .view: Text(id: "stok suku cadang hanya untuk staf kantor", en: "the spare-parts stock is for office staff only")
            case .add: Text(id: "suku cadang ditambahkan atau diubah oleh kepala seksi/bidang, kepala dinas atau admin",
                            en: "parts are added or changed by supervisors, the head or an admin")
            case .receive: Text(id: "penerimaan stok dicatat oleh kepala seksi/bidang, kepala dinas atau admin",
                                en: "stock received is recorded by supervisors, the head or an admin")
            case .adjust: Text(id: "koreksi stok dilakukan oleh kepala seksi/bidang, kepala dinas atau admin",
                               en: "stock is corrected by supervisors, the head or an admin")
            case .use: Text(id: "suku cadang dipakai oleh teknisi, kepala seksi/bidang, kepala dinas atau admin",
                            en: "parts are used by technicians, supervisors, the head or an admin")
            }
        }

        func require(_ principal: Principal) throws {
            guard allowed(for: principal) else { throw ServiceError(.forbidden, refusal) }
        }
    }

    static let keepers: Set<Role> = [.admin, .supervisor, .head]
    static let users: Set<Role> = [.technician, .supervisor, .head, .admin]

    /// How many movements a part's history shows at most.
    public static let historyLimit: ClosedRange<Int> = 1...1_000

    // MARK: Reading

    /// Every part, those below their minimum first; only those when `lowOnly`.
    public func list(lowOnly: Bool = false, by principal: Principal) throws -> [Part] {
        try Action.view.require(principal)
        return try simpul.database.read { r in try PartStore.list(r, lowOnly: lowOnly) }
    }

    /// The parts below their minimum level, furthest below first: what the dashboard shows.
    public func lowStock(by principal: Principal) throws -> [Part] {
        try list(lowOnly: true, by: principal)
    }

    public func part(code: String, by principal: Principal) throws -> Part {
        try Action.view.require(principal)
        return try simpul.database.read { r in try Self.find(r, code: code) }
    }

    /// A part and its movements, newest first (at most `limit`).
    public func movements(code: String, limit: Int = 200, by principal: Principal) throws -> (part: Part, movements: [PartMovement]) {
        try Action.view.require(principal)
        guard Self.historyLimit.contains(limit) else {
            throw ServiceError(.invalid, NumberRefusal(field: Text(id: "batas", en: "the limit"), typed: String(limit), range: Self.historyLimit).text)
        }
        return try simpul.database.read { r in
            let part = try Self.find(r, code: code)
            return (part, try PartStore.movements(r, partID: part.id, limit: limit))
        }
    }

    /// The parts used on ticket `ticketID`, in the order they were taken.
    public func movements(ticket ticketID: Int64, by principal: Principal) throws -> [PartMovement] {
        try Action.view.require(principal)
        return try simpul.database.read { r in
            guard try PartStore.ticketStatus(r, id: ticketID) != nil else { throw Self.noTicket(ticketID) }
            return try PartStore.movements(r, ticketID: ticketID)
        }
    }

    // MARK: Changing what the stock holds

    /// Adds a part to the stock, with none in it yet: stock arrives by `receive`.
    @discardableResult
    public func add(code: String, name: String, unit: String, minimum: Int, location: String? = nil, by principal: Principal) throws -> Part {
        try Action.add.require(principal)
        let code = try Self.checked { try PartRules.code(code) }
        let name = try Self.checked { try PartRules.name(name) }
        let unit = try Self.checked { try PartRules.unit(unit) }
        let minimum = try Self.checked { try PartRules.level(minimum, Text(id: "batas minimum", en: "the minimum level")) }
        let location = try Self.checked { try PartRules.location(location) }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            if try PartStore.part(tx, code: code) != nil { throw Self.taken(code) }
            let id: Int64
            do {
                id = try PartStore.insert(tx, code: code, name: name, unit: unit, minimum: minimum, location: location)
            } catch is StoreConflict {
                throw Self.taken(code)
            }
            var fields = ["name": name, "unit": unit, "minimum": String(minimum)]
            if let location { fields["location"] = location }
            try tx.audit("part.add", "part", code, after: fields)
            guard let part = try PartStore.part(tx, code: code), part.id == id else { throw Self.noPart(code) }
            return part
        }
    }

    /// Changes a part's name, unit, minimum level or location; its stock changes only by a movement.
    @discardableResult
    public func update(code: String, name: String? = nil, unit: String? = nil, minimum: Int? = nil, location: String? = nil,
                       by principal: Principal) throws -> Part {
        try Action.add.require(principal)
        let code = try Self.checked { try PartRules.code(code) }
        let newName = try name.map { n in try Self.checked { try PartRules.name(n) } }
        let newUnit = try unit.map { u in try Self.checked { try PartRules.unit(u) } }
        let newMinimum = try minimum.map { m in try Self.checked { try PartRules.level(m, Text(id: "batas minimum", en: "the minimum level")) } }
        let newLocation = try location.map { l in try Self.checked { try PartRules.location(l) } }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let before = try Self.find(tx, code: code)
            var after = before
            if let newName { after.name = newName }
            if let newUnit { after.unit = newUnit }
            if let newMinimum { after.minimum = newMinimum }
            if let newLocation { after.location = newLocation }
            guard after != before else {
                throw ServiceError(.invalid, Text(id: "tidak ada yang berubah pada \(code); berikan nama, satuan, batas minimum atau lokasi yang baru",
                                                  en: "nothing changes for \(code); give a new name, unit, minimum level or location"))
            }
            try PartStore.update(tx, id: before.id, name: after.name, unit: after.unit, minimum: after.minimum, location: after.location)
            try tx.audit("part.update", "part", code, before: Self.fields(before), after: Self.fields(after))
            return try Self.find(tx, code: code)
        }
    }

    /// Records stock received (from a supplier, a procurement, another office).
    @discardableResult
    public func receive(code: String, quantity: Int, note: String? = nil, by principal: Principal) throws -> Part {
        try Action.receive.require(principal)
        let code = try Self.checked { try PartRules.code(code) }
        let quantity = try Self.checked { try PartRules.count(quantity) }
        let note = try Self.checked { try PartRules.note(note) }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let part = try Self.find(tx, code: code)
            guard try PartStore.put(tx, id: part.id, count: quantity, ceiling: PartRules.quantities.upperBound) else {
                let room = PartRules.quantities.upperBound - part.quantity
                throw ServiceError(.invalid, Text(
                    id: "stok \(part.name) paling banyak \(Format.id.number(PartRules.quantities.upperBound)); kini \(part.amount(part.quantity, .id)), jadi paling banyak \(Format.id.number(room)) lagi yang bisa diterima",
                    en: "the stock of \(part.name) is at most \(Format.en.number(PartRules.quantities.upperBound)); it has \(part.amount(part.quantity, .en)), so at most \(Format.en.number(room)) more can be received"))
            }
            try PartStore.record(tx, partID: part.id, delta: quantity, kind: .receive, ticketID: nil, logID: nil, note: note)
            var after = ["quantity": String(part.quantity + quantity), "received": String(quantity)]
            if let note { after["note"] = note }
            try tx.audit("part.receive", "part", code, before: ["quantity": String(part.quantity)], after: after)
            return try Self.find(tx, code: code)
        }
    }

    /// Sets the stock to what was counted, with the reason (a count, a breakage, a loss): recorded as
    /// a correction of the difference.
    @discardableResult
    public func adjust(code: String, to quantity: Int, reason: String, by principal: Principal) throws -> Part {
        try Action.adjust.require(principal)
        let code = try Self.checked { try PartRules.code(code) }
        let quantity = try Self.checked { try PartRules.level(quantity, Text(id: "jumlah terhitung", en: "the counted quantity")) }
        guard let reason = try Self.checked({ try PartRules.note(reason, Text(id: "alasan", en: "the reason")) }) else {
            throw ServiceError(.invalid, Text(id: "tulis alasan koreksi stok (mis. hasil stock opname, barang rusak)",
                                              en: "write why the stock is corrected (e.g. a stock count, a broken item)"))
        }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let part = try Self.find(tx, code: code)
            guard quantity != part.quantity else {
                throw ServiceError(.invalid, Text(id: "stok \(part.name) sudah \(part.amount(quantity, .id)); tidak ada yang dikoreksi",
                                                  en: "the stock of \(part.name) is already \(part.amount(quantity, .en)); nothing to correct"))
            }
            guard try PartStore.set(tx, id: part.id, quantity: quantity, expected: part.quantity) else {
                throw ServiceError(.conflict, Text(id: "stok \(part.name) baru saja berubah; muat ulang dan hitung lagi",
                                                   en: "the stock of \(part.name) just changed; reload and count again"))
            }
            try PartStore.record(tx, partID: part.id, delta: quantity - part.quantity, kind: .adjust, ticketID: nil, logID: nil, note: reason)
            try tx.audit("part.adjust", "part", code, before: ["quantity": String(part.quantity)], after: ["quantity": String(quantity)], reason: reason)
            return try Self.find(tx, code: code)
        }
    }

    /// Takes `quantity` of a part from stock for ticket `ticketID` (a repair, an installation). On a
    /// fault the work log does this with its entry (`FaultService.log`); this is for any other ticket.
    @discardableResult
    public func use(code: String, quantity: Int, ticket ticketID: Int64, note: String? = nil, by principal: Principal) throws -> Part {
        try Action.use.require(principal)
        let code = try Self.checked { try PartRules.code(code) }
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try Self.use(tx, code: code, quantity: quantity, ticketID: ticketID, logID: nil, note: note)
            return try Self.find(tx, code: code)
        }
    }

    /// Takes `quantity` of part `code` from stock for ticket `ticketID` inside the caller's
    /// transaction — the fault work log's, with its entry as `logID` — so the part leaves the stock
    /// with the entry or not at all. Records the movement and its audit row (by the transaction's
    /// actor). The caller checks who may; this checks the rest: the part exists, the quantity is
    /// 1…1,000,000, the ticket exists and is open or held, the log entry is that ticket's, and enough
    /// is in stock — else it throws a `ServiceError` that says what to do and changes nothing.
    static func use(_ tx: Transaction, code: String, quantity: Int, ticketID: Int64, logID: Int64?, note: String?) throws {
        let code = try checked { try PartRules.code(code) }
        let quantity = try checked { try PartRules.count(quantity, Text(id: "jumlah \(code)", en: "the quantity of \(code)")) }
        let note = try checked { try PartRules.note(note) }
        guard let status = try PartStore.ticketStatus(tx, id: ticketID) else { throw noTicket(ticketID) }
        guard status.isActive else {
            throw ServiceError(.invalid, Text(id: "tiket #\(ticketID) sudah ditutup; suku cadang hanya dipakai pada tiket yang terbuka atau ditunda",
                                              en: "ticket #\(ticketID) is closed; parts are used only on open or held tickets"))
        }
        if let logID, try !PartStore.logEntryExists(tx, logID: logID, ticketID: ticketID) {
            throw ServiceError(.invalid, Text(id: "catatan kerja \(logID) bukan milik tiket #\(ticketID)", en: "work-log entry \(logID) is not ticket #\(ticketID)'s"))
        }
        let part = try find(tx, code: code)
        guard try PartStore.take(tx, id: part.id, count: quantity) else {
            // What is there now, for the message (the same transaction: nothing else moves it meanwhile).
            let now = try find(tx, code: code)
            throw ServiceError(.conflict, PartRules.notEnough(now, asked: quantity))
        }
        try PartStore.record(tx, partID: part.id, delta: -quantity, kind: .use, ticketID: ticketID, logID: logID, note: note)
        var after = ["quantity": String(part.quantity - quantity), "used": String(quantity), "ticket": "#\(ticketID)"]
        if let logID { after["log"] = String(logID) }
        if let note { after["note"] = note }
        try tx.audit("part.use", "part", code, before: ["quantity": String(part.quantity)], after: after)
    }

    // MARK: Helpers

    static func find(_ reader: Reader, code: String) throws -> Part {
        let code = try checked { try PartRules.code(code) }
        guard let part = try PartStore.part(reader, code: code) else { throw noPart(code) }
        return part
    }

    /// A rule's refusal as the service's own, so every caller maps it the same way (a 400, exit 1).
    static func checked<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let problem as PartProblem { throw ServiceError(.invalid, problem.text) }
    }

    static func fields(_ part: Part) -> [String: String] {
        var fields = ["name": part.name, "unit": part.unit, "minimum": String(part.minimum)]
        if let location = part.location { fields["location"] = location }
        return fields
    }

    static func noPart(_ code: String) -> ServiceError {
        ServiceError(.notFound, Text(id: "tidak ada suku cadang berkode \(code) (lihat: simpul parts list)",
                                     en: "there is no part with code \(code) (see: simpul parts list)"))
    }

    static func taken(_ code: String) -> ServiceError {
        ServiceError(.conflict, Text(id: "suku cadang berkode \(code) sudah ada; catat penerimaan stoknya saja (simpul parts receive \(code) JUMLAH)",
                                     en: "a part with code \(code) already exists; record the stock received instead (simpul parts receive \(code) QUANTITY)"))
    }

    static func noTicket(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "tiket #\(id) tidak ada (lihat: simpul ticket list)", en: "ticket #\(id) does not exist (see: simpul ticket list)"))
    }
}

extension Simpul {
    public var parts: PartService { PartService(simpul: self) }
}
