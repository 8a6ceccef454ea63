import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

extension HostingService {
    /// The admin's step (`allocate_ip_dns`): the held address becomes the server's, its A record and
    /// PTR are written and pushed to the DNS server and confirmed there; only then is the step
    /// completed. When the push fails the records wait (and are retried), the error is kept on the
    /// request, and the ticket stays on the step; running this again finishes it.
    @discardableResult
    /// `proceedWhileDNSWaits`: when the DNS server does not take the change, complete the step
    /// anyway with this note (the records are kept and wait for `simpul dns push`) — an explicit
    /// choice, as when the office's DNS server is down and the installation should not wait.
    public func allocate(ticket ticketID: Int64, pool: String? = nil, proceedWhileDNSWaits: String? = nil, assignTo: String? = nil,
                         by principal: Principal) throws -> Request {
        try Action.allocate.require(principal)
        let now = simpul.now()
        let timeZone = simpul.officeTime().timeZone
        let request = try self.request(ticket: ticketID, by: principal)
        try Self.expect(request, .allocate)
        let owner = "ticket:\(ticketID)"
        let (outcome, ids) = try simpul.database.rawWrite { db -> (DNSService.Outcome, [Int64]) in
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            // A different pool asked for: the hold in the old one goes back.
            if let pool, pool != request.pool, let held = try IPAMStore.allocations(db, owner: owner).first(where: { $0.pool == request.pool }) {
                try IPAMService.release(db, held, note: "pindah pool / moved to pool \(pool)", by: principal.username, now: now, audit: &audit)
            }
            let chosenPool = pool ?? request.pool
            let assigned = try IPAMService.allocate(db, IPAMService.Request(pool: chosenPool, owner: owner, hostname: request.form.hostname,
                                                                            note: "penitipan server / hosting #\(ticketID)"),
                                                    as: .assigned, by: principal, now: now, audit: &audit)
            try db.execute(sql: "UPDATE hosting_requests SET pool = ?, address = ?, updated_at = ? WHERE ticket_id = ?",
                           arguments: [assigned.pool, assigned.address.description, Timestamp.string(now), ticketID])
            var change = DNSService.ChangeSet(by: principal.username, now: now)
            let name = DomainName(request.form.dnsName)!
            let existing = try DNSStore.records(db, name: name)
            if !existing.contains(where: { ($0.record.type == .a || $0.record.type == .aaaa) && $0.record.data == assigned.address.description }) {
                let ttl = try DNSStore.zone(db, holding: name)?.zone.defaultTTL ?? 3600
                try DNSService.add(db, DNSRecord(name: name, type: assigned.address.family == .v4 ? .a : .aaaa, ttl: ttl, data: assigned.address.description),
                                   owner: owner, into: &change)
            }
            var ids = try change.commit(db, timeZone: timeZone, ticketID: ticketID, audit: &audit)
            // Change sets of this request still waiting from an earlier try go out with these.
            ids += try Int64.fetchAll(db, sql: "SELECT id FROM dns_changes WHERE ticket_id = ? AND state IN ('pending', 'failed')", arguments: [ticketID])
            try audit.close()
            return (change.outcome, ids)
        }
        func completeStep(note: String?) throws {
            let address = try self.request(ticket: ticketID, by: principal).address ?? ""
            try simpul.database.rawWrite { db in
                try simpul.tickets.act(db, ticketID, .complete(evidence: [Evidence(kind: .ipAddress, value: address), Evidence(kind: .dnsName, value: request.form.dnsName)],
                                                               branch: nil, note: note, assignTo: assignTo),
                                       expecting: Action.allocate.step.map { StepRef(stepID: $0, visit: nil) }, module: "hosting.allocate",
                                       by: principal, now: simpul.now())
                if note == nil { try db.execute(sql: "UPDATE hosting_requests SET last_error = NULL WHERE ticket_id = ?", arguments: [ticketID]) }
            }
        }
        let pushed = simpul.dnsRecords.push(outcome, Array(Set(ids)).sorted())
        if !pushed.published {
            let error = pushed.pushError ?? Text(id: "perubahan DNS masih menunggu", en: "the DNS change is still waiting")
            let shown = Text(id: "DNS belum terbit: \(error.id). Permohonan tetap di langkah ini; perbaiki lalu jalankan lagi.",
                             en: "DNS is not published: \(error.en). The request stays on this step; fix it and run this again.")
            try simpul.database.rawWrite { db in
                try db.execute(sql: "UPDATE hosting_requests SET last_error = ?, updated_at = ? WHERE ticket_id = ?",
                               arguments: [try StoredJSON.encode(shown), Timestamp.string(now), ticketID])
            }
            guard let waiting = proceedWhileDNSWaits else { throw ServiceError(.conflict, shown) }
            try completeStep(note: waiting)
            return try self.request(ticket: ticketID, by: principal)
        }
        try completeStep(note: nil)
        return try self.request(ticket: ticketID, by: principal)
    }

    /// The technician's step (`install`): the server goes into `rack` from unit `position` up, if it
    /// fits there (free units, power on both feeds). It becomes a device of its agency with its rack
    /// place, power and address; the step is completed with the rack position, address, photo and report.
    @discardableResult
    public func install(ticket ticketID: Int64, rack: String, position: Int, photo: (fileName: String, contentType: String, data: Data),
                        report: String, reason: String? = nil, by principal: Principal) throws -> Request {
        try Action.install.require(principal)
        try ServiceError.limit(report, Text(id: "laporan", en: "the report"), Limits.longText)
        try ServiceError.limit(rack, Text(id: "rak", en: "the rack"), Limits.name)
        let request = try self.request(ticket: ticketID, by: principal)
        try Self.expect(request, .install)
        guard let address = request.address, request.addressState == "assigned" else {
            throw ServiceError(.invalid, Text(id: "alamat server belum diberikan", en: "the server's address is not assigned yet"))
        }
        let report = report.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !report.isEmpty else { throw ServiceError(.invalid, Text(id: "tulis laporan pemasangan", en: "write the installation report")) }
        // Checked before the photo is stored, so a rack without room leaves nothing behind.
        try simpul.database.rawRead { db in _ = try Self.fit(db, rack: rack, position: position, request: request) }
        let photoValue = try simpul.tickets.attach(ticketID, kind: .photo, fileName: photo.fileName, contentType: photo.contentType, data: photo.data, by: principal)
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            let rackID = try Self.fit(db, rack: rack, position: position, request: request)
            let agencyID = try simpul.tickets.agencyID(db, code: request.agency)
            // The device's columns hold what the device list's headings say: its site is the rack's room;
            // the application it runs stays on the request (the form has no make or model).
            try db.execute(sql: """
                INSERT INTO devices (name, kind, agency_id, management_address, site, rack_id, rack_position, height_u, power_watts, created_at, updated_at)
                VALUES (?, 'server', ?, ?, (SELECT ro.name FROM racks r JOIN rooms ro ON ro.id = r.room_id WHERE r.id = ?), ?, ?, ?, ?, ?, ?)
                """, arguments: [request.form.hostname, agencyID, address, rackID, rackID, position, request.form.heightU, request.form.powerWatts,
                                 Timestamp.string(now), Timestamp.string(now)])
            let deviceID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE hosting_requests SET device_id = ?, updated_at = ? WHERE ticket_id = ?", arguments: [deviceID, Timestamp.string(now), ticketID])
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "hosting.install", objectType: "device", objectKey: request.form.hostname,
                             after: ["rack": rack, "position": String(position), "height_u": String(request.form.heightU), "address": address])
            try audit.close()
            try simpul.tickets.act(db, ticketID, .complete(evidence: [
                Evidence(kind: .rackPosition, value: "\(rack) U\(position)–U\(position + request.form.heightU - 1)"),
                Evidence(kind: .ipAddress, value: address), Evidence(kind: .photo, value: photoValue), Evidence(kind: .report, value: report),
            ], branch: nil, note: nil, assignTo: nil), reason: reason, expecting: Action.install.step.map { StepRef(stepID: $0, visit: nil) },
               module: "hosting.install", by: principal, now: now)
        }
        return try self.request(ticket: ticketID, by: principal)
    }

    /// The rack's id when the server fits at `position`; the reason otherwise.
    static func fit(_ db: Database, rack: String, position: Int, request: Request) throws -> Int64 {
        let spaces = try rackSpaces(db)
        guard let space = spaces.first(where: { $0.code == rack.uppercased() || $0.code == rack }),
              let rackID = try Int64.fetchOne(db, sql: "SELECT id FROM racks WHERE code = ?", arguments: [space.code]) else {
            throw ServiceError(.notFound, RackFitProblem.unknownRack(rack).text)
        }
        if let problem = RackFit.problem(space, position: position, heightU: request.form.heightU, watts: request.form.powerWatts) {
            let hint = RackFit.candidates(spaces, heightU: request.form.heightU, watts: request.form.powerWatts).prefix(3)
                .map { "\($0.rack) U\($0.position)" }.joined(separator: ", ")
            throw ServiceError(.conflict, Text(id: problem.text.id + (hint.isEmpty ? "" : "; yang muat: \(hint)"),
                                               en: problem.text.en + (hint.isEmpty ? "" : "; places that fit: \(hint)")))
        }
        return rackID
    }

    /// The monitoring step: the server is enrolled with the link-health poller (ICMP, or a TCP port),
    /// and the step is completed.
    public enum Probe: Sendable, Hashable {
        case icmp
        case tcp(port: Int)
    }

    @discardableResult
    public func enroll(ticket ticketID: Int64, probe: Probe = .icmp, note: String? = nil, reason: String? = nil, by principal: Principal) throws -> Request {
        try Action.monitor.require(principal)
        try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.shortText)
        let request = try self.request(ticket: ticketID, by: principal)
        try Self.expect(request, .monitor)
        guard let device = request.device, let address = request.address else {
            throw ServiceError(.invalid, Text(id: "server belum terpasang", en: "the server is not installed yet"))
        }
        if case .tcp(let port) = probe, !(1...65535).contains(port) {
            throw ServiceError(.invalid, Text(id: "port \(port) di luar 1–65535", en: "port \(port) is outside 1–65535"))
        }
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            let (method, port): (String, Int?) = switch probe {
            case .icmp: ("icmp", nil)
            case .tcp(let p): ("tcp", p)
            }
            try db.execute(sql: """
                INSERT INTO monitor_targets (device_id, address, method, port, enrolled_at, enrolled_by) SELECT id, ?, ?, ?, ?, ? FROM devices WHERE name = ?
                ON CONFLICT (device_id) DO UPDATE SET address = excluded.address, method = excluded.method, port = excluded.port
                """, arguments: [address, method, port, Timestamp.string(now), principal.username, device])
            try db.execute(sql: "UPDATE hosting_requests SET state = 'placed', last_check_at = ?, last_check_by = ?, updated_at = ? WHERE ticket_id = ?",
                           arguments: [Timestamp.string(now), principal.username, Timestamp.string(now), ticketID])
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "hosting.monitor", objectType: "device", objectKey: device, after: ["address": address, "method": method, "port": port.map(String.init) ?? ""])
            try audit.close()
            let text = note?.nilIfEmpty ?? "dipantau / monitored: \(method)\(port.map { " port \($0)" } ?? "") \(address)"
            try simpul.tickets.act(db, ticketID, .complete(evidence: [Evidence(kind: .note, value: text)], branch: nil, note: nil, assignTo: nil),
                                   reason: reason, expecting: Action.monitor.step.map { StepRef(stepID: $0, visit: nil) }, module: "hosting.monitor",
                                   by: principal, now: now)
        }
        return try self.request(ticket: ticketID, by: principal)
    }

    /// The agency's monthly check of its server (the SOP's rule), recorded with who and when.
    public func recordCheck(ticket ticketID: Int64, note: String? = nil, by principal: Principal) throws {
        try Action.checkIn.require(principal)
        try ServiceError.limit(note, Text(id: "catatan", en: "the note"), Limits.shortText)
        let request = try self.request(ticket: ticketID, by: principal)
        guard request.state == .placed else {
            throw ServiceError(.invalid, Text(id: "server ini belum atau tidak lagi dititipkan", en: "this server is not (or no longer) placed"))
        }
        let now = simpul.now()
        try simpul.database.rawWrite { db in
            try db.execute(sql: "UPDATE hosting_requests SET last_check_at = ?, last_check_by = ?, updated_at = ? WHERE ticket_id = ?",
                           arguments: [Timestamp.string(now), principal.username, Timestamp.string(now), ticketID])
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try audit.record(action: "hosting.check", objectType: "device", objectKey: request.device ?? request.form.hostname, reason: note?.nilIfEmpty)
            try audit.close()
        }
    }

    /// Takes a placed server out in one step: its address (with its A and PTR records) is released,
    /// its device leaves the rack and the inventory, its monitoring ends. The DNS change is then pushed.
    @discardableResult
    public func decommission(ticket ticketID: Int64, reason: String, by principal: Principal) throws -> DNSService.Outcome {
        try Action.decommission.require(principal)
        try ServiceError.limit(reason, Text(id: "alasan", en: "the reason"), Limits.shortText)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ServiceError(.invalid, Text(id: "tulis alasan pembongkaran", en: "write why the server is taken out")) }
        _ = try self.request(ticket: ticketID, by: principal)  // visible to this user, or not found
        let now = simpul.now()
        let timeZone = simpul.officeTime().timeZone
        let (outcome, ids) = try simpul.database.rawWrite { db -> (DNSService.Outcome, [Int64]) in
            // Checked in the transaction, so that two people decommissioning at once do it once.
            let row = try Row.fetchOne(db, sql: "SELECT state, device_id FROM hosting_requests WHERE ticket_id = ?", arguments: [ticketID])
            let state: String = row?["state"] ?? "-", installed = (row?["device_id"] as Int64?) != nil
            guard state == State.placed.rawValue || (state == State.requested.rawValue && installed) else {
                throw ServiceError(.invalid, Text(id: "server ini tidak sedang dititipkan (status \(state))", en: "this server is not placed (state \(state))"))
            }
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            let taken = try Self.takeOut(db, ticketID: ticketID, reason: reason, state: .decommissioned, by: principal.username, now: now,
                                         timeZone: timeZone, audit: &audit)
            try audit.close()
            return taken
        }
        return simpul.dnsRecords.push(outcome, ids)
    }

    /// Gives back everything a request holds, in the caller's transaction: its addresses (held or
    /// assigned) with their A and PTR records, other records made for it, the device with its rack
    /// place and its monitoring; the request goes to `state`. Returns the DNS outcome and the change
    /// sets to push once the transaction has committed.
    static func takeOut(_ db: Database, ticketID: Int64, reason: String, state: State, by: String, now: Date, timeZone: TimeZone,
                        audit: inout AuditWriter) throws -> (DNSService.Outcome, [Int64]) {
        var change = DNSService.ChangeSet(by: by, now: now)
        for allocation in try IPAMStore.allocations(db, owner: "ticket:\(ticketID)") {
            try IPAMService.release(db, allocation, note: reason, by: by, now: now, audit: &audit)
            try DNSService.removeRecords(db, of: allocation.address, into: &change)
        }
        // Other records made for the request (an admin may add some); a PTR already taken with its A is skipped.
        for stored in try DNSStore.records(db, owner: "ticket:\(ticketID)") where !change.outcome.removed.contains(stored.record) {
            try DNSService.remove(db, stored, into: &change)
        }
        let ids = try change.commit(db, timeZone: timeZone, ticketID: ticketID, audit: &audit)
        if let row = try Row.fetchOne(db, sql: """
            SELECT d.id, d.name, r.code AS rack, d.rack_position, h.address FROM hosting_requests h
            JOIN devices d ON d.id = h.device_id LEFT JOIN racks r ON r.id = d.rack_id WHERE h.ticket_id = ?
            """, arguments: [ticketID]) {
            let device: String = row["name"]
            try db.execute(sql: "UPDATE hosting_requests SET device_id = NULL WHERE ticket_id = ?", arguments: [ticketID])
            // The monitor target goes with the device (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [row["id"] as Int64])
            try audit.record(action: "hosting.\(state == .decommissioned ? "decommission" : "cancel")", objectType: "device", objectKey: device,
                             before: ["rack": row["rack"] as String? ?? "", "position": (row["rack_position"] as Int?).map(String.init) ?? "",
                                      "address": row["address"] as String? ?? ""],
                             reason: reason)
        }
        try db.execute(sql: "UPDATE hosting_requests SET state = ?, decommissioned_at = ?, updated_at = ? WHERE ticket_id = ?",
                       arguments: [state.rawValue, state == .decommissioned ? Timestamp.string(now) : nil, Timestamp.string(now), ticketID])
        return (change.outcome, ids)
    }

    static func expect(_ request: Request, _ action: Action) throws {
        guard let step = action.step, request.step != step else { return }
        let doing: Text = switch action {
        case .allocate: Text(id: "pemberian alamat dan DNS", en: "giving the address and DNS")
        case .install: Text(id: "pemasangan di rak", en: "racking the server")
        default: Text(id: "pendaftaran pemantauan", en: "enrolling for monitoring")
        }
        guard let current = request.step else {
            throw ServiceError(.invalid, Text(id: "tiket permohonan #\(request.ticketID) sudah selesai atau dibatalkan; \(doing.id) tidak dapat dilakukan",
                                              en: "the ticket of request #\(request.ticketID) is closed; \(doing.en) cannot be done"))
        }
        let title = request.stepTitle ?? Text(id: current, en: current)
        throw ServiceError(.invalid, Text(id: "permohonan #\(request.ticketID) sedang di langkah \"\(title.id)\"; \(doing.id) belum atau tidak lagi bisa dilakukan",
                                          en: "request #\(request.ticketID) is at the step \"\(title.en)\"; \(doing.en) cannot be done now"))
    }
}
