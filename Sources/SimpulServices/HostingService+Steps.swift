import Foundation
import SimpulCore
import SimpulStore

extension HostingService {
    /// The admin's step (`allocate_ip_dns`), in two halves around the DNS delivery, which the front
    /// end asks the outbox for at once (`DNSService.published`) between them:
    ///
    /// `allocate` makes the held address the server's and writes its A record and PTR with the outbox
    /// rows that deliver them (change sets of this request still waiting from an earlier try are made
    /// due again and go with them); it returns that outcome, `deliveries` filled. `finishAllocation`
    /// then completes the step once the server has the records. When it does not, the error is kept
    /// on the request and the ticket stays on the step; running both again finishes it.
    @discardableResult
    public func allocate(ticket ticketID: Int64, pool: String? = nil, by principal: Principal) throws -> DNSService.Outcome {
        try Action.allocate.require(principal)
        let now = simpul.now()
        let timeZone = simpul.officeTime().timeZone
        let (request, visit) = try simpul.database.read { r in try Self.request(r, ticket: ticketID, by: principal, now: now) }
        try Self.expect(request, .allocate)
        let owner = "ticket:\(ticketID)"
        return try simpul.database.write(as: principal.username, at: now) { tx in
            try Self.stillOn(tx, ticketID: ticketID, .allocate, visit: visit, by: principal)
            // The admin does the step now: the delivery's confirmation must not also complete it
            // (`dnsDelivered`) before `finishAllocation` does; a refusal there sets the error again.
            try HostingStore.clearLastError(tx, ticketID: ticketID)
            // A different pool asked for: the hold in the old one goes back.
            if let pool, pool != request.pool, let held = try IPAMStore.allocations(tx, owner: owner).first(where: { $0.pool == request.pool }) {
                try IPAMService.release(tx, held, note: "pindah pool / moved to pool \(pool)")
            }
            let chosenPool = pool ?? request.pool
            let assigned = try IPAMService.allocate(tx, IPAMService.Request(pool: chosenPool, owner: owner, hostname: request.form.hostname,
                                                                            note: "penitipan server / hosting #\(ticketID)"), as: .assigned)
            try HostingStore.assign(tx, ticketID: ticketID, pool: assigned.pool, address: assigned.address.description, now: tx.now)
            var change = DNSService.ChangeSet(by: tx.actor, now: tx.now)
            let name = DomainName(request.form.dnsName)!
            let existing = try DNSStore.records(tx, name: name)
            if !existing.contains(where: { ($0.record.type == .a || $0.record.type == .aaaa) && $0.record.data == assigned.address.description }) {
                let ttl = try DNSStore.zone(tx, holding: name)?.zone.defaultTTL ?? 3600
                try DNSService.add(tx, DNSRecord(name: name, type: assigned.address.family == .v4 ? .a : .aaaa, ttl: ttl, data: assigned.address.description),
                                   owner: owner, into: &change)
            }
            try change.commit(tx, timeZone: timeZone, ticketID: ticketID)
            var outcome = change.outcome
            // Change sets of this request still waiting from an earlier try go out with these, due now.
            for row in try OutboxStore.list(tx, OutboxStore.Filter(states: [.pending, .failed], channel: .dns, ticketID: ticketID, limit: 1000)).rows
            where !outcome.deliveries.contains(row.id) {
                if row.claimedBy == nil { _ = try OutboxStore.retry(tx, id: row.id) }
                outcome.deliveries.append(row.id)
            }
            let known = Set(outcome.changes.map(\.id))
            outcome.changes += try Self.waitingChanges(tx, ticketID: ticketID).filter { !known.contains($0.id) }
            return outcome
        }
    }

    /// The second half of the admin's step: completes it when every DNS change set of the request has
    /// reached its server (`dns`, `allocate`'s outcome as delivered, says why not when one has not).
    /// Otherwise the error is kept on the request and the step is refused — or, with
    /// `proceedWhileDNSWaits`, completed anyway with that note (the records are kept and wait for
    /// their delivery): an explicit choice, as when the office's DNS server is down and the
    /// installation should not wait.
    @discardableResult
    public func finishAllocation(ticket ticketID: Int64, dns: DNSService.Outcome, proceedWhileDNSWaits: String? = nil, assignTo: String? = nil,
                                 by principal: Principal) throws -> Request {
        try Action.allocate.require(principal)
        let now = simpul.now()
        let (request, visit) = try simpul.database.read { r in try Self.request(r, ticket: ticketID, by: principal, now: now) }
        try Self.expect(request, .allocate)
        let refusal = try simpul.database.write(as: principal.username, at: now) { tx -> Text? in
            try Self.stillOn(tx, ticketID: ticketID, .allocate, visit: visit, by: principal)
            func completeStep(note: String?) throws {
                let address = try HostingStore.request(tx, ticketID: ticketID)?.address ?? ""
                try simpul.tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .ipAddress, value: address), Evidence(kind: .dnsName, value: request.form.dnsName)],
                                                               branch: nil, note: note, assignTo: assignTo),
                                       expecting: Action.allocate.step.map { StepRef(stepID: $0, visit: visit) }, module: "hosting.allocate",
                                       by: principal, now: tx.now)
            }
            let waiting = try Self.waitingChanges(tx, ticketID: ticketID)
            guard !waiting.isEmpty else {
                try completeStep(note: nil)
                try HostingStore.clearLastError(tx, ticketID: ticketID)
                return nil
            }
            let error = dns.pushError ?? waiting.compactMap(\.lastError).last ?? Text(id: "perubahan DNS masih menunggu", en: "the DNS change is still waiting")
            let shown = Text(id: "DNS belum terbit: \(error.id). Permohonan tetap di langkah ini dan berlanjut sendiri begitu server DNS mengonfirmasi catatannya (pengiriman diulang otomatis; lihat Kotak Keluar), atau jalankan lagi.",
                             en: "DNS is not published: \(error.en). The request stays on this step and moves on by itself once the DNS server confirms the records (delivery is retried automatically; see the outbox), or run this again.")
            try HostingStore.setLastError(tx, ticketID: ticketID, shown, now: tx.now)
            guard let waitingNote = proceedWhileDNSWaits else { return shown }
            try completeStep(note: waitingNote)
            return nil
        }
        if let refusal { throw ServiceError(.conflict, refusal) }
        return try self.request(ticket: ticketID, by: principal)
    }

    /// The DNS server confirmed a change of the request (the outbox delivered it): a request left
    /// on the allocation step because its DNS had not gone out (`finishAllocation` refused and kept
    /// the error) moves on by itself once nothing of it waits any more, as the system; a request
    /// that went on without its DNS loses the stale error.
    static func dnsDelivered(_ tx: Transaction, ticketID: Int64, tickets: TicketService) throws {
        guard let stored = try HostingStore.request(tx, ticketID: ticketID), stored.lastError != nil,
              try waitingChanges(tx, ticketID: ticketID).isEmpty else { return }
        try HostingStore.clearLastError(tx, ticketID: ticketID)
        guard let step = Action.allocate.step, stored.step == step, stored.addressState == "assigned", let address = stored.address,
              let (ticket, _) = try TicketStore.load(tx, id: ticketID), ticket.status == .open else { return }
        try tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .ipAddress, value: address), Evidence(kind: .dnsName, value: stored.dnsName)],
                                                branch: nil, note: "DNS dikonfirmasi server DNS / confirmed by the DNS server", assignTo: nil),
                        expecting: StepRef(stepID: step, visit: stored.visit), module: "hosting.allocate", by: .system, now: tx.now)
    }

    /// The request's DNS change sets its server has not confirmed yet.
    static func waitingChanges(_ reader: Reader, ticketID: Int64) throws -> [DNSStore.Change] {
        Array(try DNSStore.changes(reader, ticketID: ticketID, limit: 1000).filter { $0.state == .pending || $0.state == .failed }.reversed())
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
        let now = simpul.now()
        let (request, visit) = try simpul.database.read { r in try Self.request(r, ticket: ticketID, by: principal, now: now) }
        try Self.expect(request, .install)
        guard let address = request.address, request.addressState == "assigned" else {
            throw ServiceError(.invalid, Text(id: "alamat server belum diberikan", en: "the server's address is not assigned yet"))
        }
        let report = report.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !report.isEmpty else { throw ServiceError(.invalid, Text(id: "tulis laporan pemasangan", en: "write the installation report")) }
        // Checked before the photo is stored, so a rack without room leaves nothing behind.
        try simpul.database.read { r in _ = try Self.fit(r, rack: rack, position: position, request: request) }
        let photoValue = try simpul.tickets.attach(ticketID, kind: .photo, fileName: photo.fileName, contentType: photo.contentType, data: photo.data, by: principal)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try Self.stillOn(tx, ticketID: ticketID, .install, visit: visit, by: principal)
            let rackID = try Self.fit(tx, rack: rack, position: position, request: request)
            let agencyID = try simpul.tickets.agencyID(tx, code: request.agency)
            // The device's columns hold what the device list's headings say: its site is the rack's room;
            // the application it runs stays on the request (the form has no make or model).
            try HostingStore.install(tx, ticketID: ticketID, hostname: request.form.hostname, agencyID: agencyID, address: address, rackID: rackID,
                                     position: position, heightU: request.form.heightU, powerWatts: request.form.powerWatts, now: tx.now)
            try tx.audit("hosting.install", "device", request.form.hostname,
                         after: ["rack": rack, "position": String(position), "height_u": String(request.form.heightU), "address": address])
            try simpul.tickets.act(tx, ticketID, .complete(evidence: [
                Evidence(kind: .rackPosition, value: "\(rack) U\(position)–U\(position + request.form.heightU - 1)"),
                Evidence(kind: .ipAddress, value: address), Evidence(kind: .photo, value: photoValue), Evidence(kind: .report, value: report),
            ], branch: nil, note: nil, assignTo: nil), reason: reason, expecting: Action.install.step.map { StepRef(stepID: $0, visit: visit) },
               module: "hosting.install", by: principal, now: tx.now)
        }
        return try self.request(ticket: ticketID, by: principal)
    }

    /// The rack's id when the server fits at `position`; the reason otherwise.
    static func fit(_ reader: Reader, rack: String, position: Int, request: Request) throws -> Int64 {
        let spaces = try HostingStore.rackSpaces(reader)
        guard let space = spaces.first(where: { $0.code == rack.uppercased() || $0.code == rack }),
              let rackID = try HostingStore.rackID(reader, code: space.code) else {
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
        let now = simpul.now()
        let (request, visit) = try simpul.database.read { r in try Self.request(r, ticket: ticketID, by: principal, now: now) }
        try Self.expect(request, .monitor)
        guard let device = request.device, let address = request.address else {
            throw ServiceError(.invalid, Text(id: "server belum terpasang", en: "the server is not installed yet"))
        }
        if case .tcp(let port) = probe, !(1...65535).contains(port) {
            throw ServiceError(.invalid, Text(id: "port \(port) di luar 1–65535", en: "port \(port) is outside 1–65535"))
        }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try Self.stillOn(tx, ticketID: ticketID, .monitor, visit: visit, by: principal)
            let (method, port): (String, Int?) = switch probe {
            case .icmp: ("icmp", nil)
            case .tcp(let p): ("tcp", p)
            }
            try HostingStore.enrol(tx, ticketID: ticketID, device: device, address: address, method: method, port: port, by: tx.actor, now: tx.now)
            try tx.audit("hosting.monitor", "device", device, after: ["address": address, "method": method, "port": port.map(String.init) ?? ""])
            let text = note?.nilIfEmpty ?? "dipantau / monitored: \(method)\(port.map { " port \($0)" } ?? "") \(address)"
            try simpul.tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .note, value: text)], branch: nil, note: nil, assignTo: nil),
                                   reason: reason, expecting: Action.monitor.step.map { StepRef(stepID: $0, visit: visit) }, module: "hosting.monitor",
                                   by: principal, now: tx.now)
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
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try HostingStore.recordCheck(tx, ticketID: ticketID, by: tx.actor, now: tx.now)
            try tx.audit("hosting.check", "device", request.device ?? request.form.hostname, reason: note?.nilIfEmpty)
        }
    }

    /// Takes a placed server out in one step: its address (with its A and PTR records) is released,
    /// its device leaves the rack and the inventory, its monitoring ends. Returns the DNS change, with
    /// the outbox rows that deliver it (`deliveries`: the caller may have them delivered at once).
    @discardableResult
    public func decommission(ticket ticketID: Int64, reason: String, by principal: Principal) throws -> DNSService.Outcome {
        try Action.decommission.require(principal)
        try ServiceError.limit(reason, Text(id: "alasan", en: "the reason"), Limits.shortText)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ServiceError(.invalid, Text(id: "tulis alasan pembongkaran", en: "write why the server is taken out")) }
        _ = try self.request(ticket: ticketID, by: principal)  // visible to this user, or not found
        let timeZone = simpul.officeTime().timeZone
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            // Checked in the transaction, so that two people decommissioning at once do it once.
            let standing = try HostingStore.standing(tx, ticketID: ticketID)
            let state = standing?.stateText ?? "-", installed = standing?.installed ?? false
            guard standing?.state == .placed || (standing?.state == .requested && installed) else {
                throw ServiceError(.invalid, Text(id: "server ini tidak sedang dititipkan (status \(state))", en: "this server is not placed (state \(state))"))
            }
            return try Self.takeOut(tx, ticketID: ticketID, reason: reason, state: .decommissioned, timeZone: timeZone)
        }
    }

    /// Gives back everything a request holds, in the caller's transaction: its addresses (held or
    /// assigned) with their A and PTR records, other records made for it, the device with its rack
    /// place and its monitoring; the request goes to `state`. Returns the DNS outcome, its
    /// `deliveries` to deliver once the transaction has committed.
    static func takeOut(_ tx: Transaction, ticketID: Int64, reason: String, state: State, timeZone: TimeZone) throws -> DNSService.Outcome {
        var change = DNSService.ChangeSet(by: tx.actor, now: tx.now)
        for allocation in try IPAMStore.allocations(tx, owner: "ticket:\(ticketID)") {
            try IPAMService.release(tx, allocation, note: reason)
            try DNSService.removeRecords(tx, of: allocation.address, into: &change)
        }
        // Other records made for the request (an admin may add some); a PTR already taken with its A is skipped.
        for stored in try DNSStore.records(tx, owner: "ticket:\(ticketID)") where !change.outcome.removed.contains(stored.record) {
            try DNSService.remove(tx, stored, into: &change)
        }
        try change.commit(tx, timeZone: timeZone, ticketID: ticketID)
        // The monitor target goes with the device.
        if let device = try HostingStore.removeDevice(tx, ticketID: ticketID) {
            try tx.audit("hosting.\(state == .decommissioned ? "decommission" : "cancel")", "device", device.name,
                         before: ["rack": device.rack ?? "", "position": device.position.map(String.init) ?? "", "address": device.address ?? ""],
                         reason: reason)
        }
        try HostingStore.end(tx, ticketID: ticketID, state: state, now: tx.now)
        return change.outcome
    }

    /// Refuses the action unless the ticket is still on the action's step and on the visit of it read
    /// before (`visit`), checked in the action's own write transaction: a step completed, cancelled or
    /// done again meanwhile is not done twice.
    static func stillOn(_ tx: Transaction, ticketID: Int64, _ action: Action, visit: Int?, by principal: Principal) throws {
        guard let step = action.step else { return }
        if let (ticket, _) = try TicketStore.load(tx, id: ticketID), TicketMachine.isCurrent(StepRef(stepID: step, visit: visit), on: ticket) { return }
        let (current, _) = try request(tx, ticket: ticketID, by: principal, now: tx.now)
        try expect(current, action)
        // On the same step again, a later visit of it: what was read before no longer holds.
        throw refusal(current, action)
    }

    static func expect(_ request: Request, _ action: Action) throws {
        guard let step = action.step, request.step != step else { return }
        throw refusal(request, action)
    }

    static func refusal(_ request: Request, _ action: Action) -> ServiceError {
        let doing: Text = switch action {
        case .allocate: Text(id: "pemberian alamat dan DNS", en: "giving the address and DNS")
        case .install: Text(id: "pemasangan di rak", en: "racking the server")
        default: Text(id: "pendaftaran pemantauan", en: "enrolling for monitoring")
        }
        guard let current = request.step else {
            return ServiceError(.invalid, Text(id: "tiket permohonan #\(request.ticketID) sudah selesai atau dibatalkan; \(doing.id) tidak dapat dilakukan",
                                               en: "the ticket of request #\(request.ticketID) is closed; \(doing.en) cannot be done"))
        }
        let title = request.stepTitle ?? Text(id: current, en: current)
        return ServiceError(.invalid, Text(id: "permohonan #\(request.ticketID) sedang di langkah \"\(title.id)\"; \(doing.id) belum atau tidak lagi bisa dilakukan",
                                          en: "request #\(request.ticketID) is at the step \"\(title.en)\"; \(doing.en) cannot be done now"))
    }
}
