import Foundation
import SimpulCore
import SimpulStore

/// The provider's side of a fault (SOP 15 steps 4–7): escalation to the provider of the fault's own
/// circuit along its ladder (`Inventory/providers.yaml`), each level's mail (and gateway message)
/// written to the outbox in the same transaction; the provider's acknowledgement and restoration,
/// recorded as evidence of its SLA; the next level when no acknowledgement came in time.
extension FaultService {
    /// Why an escalation was sent.
    enum EscalationCause {
        case notFixed, rule, manual, noAcknowledgement
        var text: String {
            switch self {
            case .notFixed: "teknisi tidak dapat mengatasi / the technician could not fix it"
            case .rule: "waktu perbaikan penyedia terlampaui / the provider's repair time ran out"
            case .manual: "dieskalasi petugas / escalated by the office"
            case .noAcknowledgement: "tidak ada tanggapan dalam waktu respons kontrak / no acknowledgement within the contract's response time"
            }
        }
    }

    /// Escalates to `level` (the next one when nil) of the provider of the fault's own circuit, in the
    /// caller's transaction. Nil when there is nothing to do (a level already sent, no higher level).
    /// Throws when the fault is about no link (there is no provider to tell).
    @discardableResult
    /// `gateway`: a webhook gateway is configured (`SIMPUL_WEBHOOK_URL`): the level's contact is also
    /// messaged through it (WhatsApp, Telegram), from the office's gateway template.
    static func escalate(_ tx: Transaction, ticketID: Int64, level wanted: Int?, cause: EscalationCause, timeZone: TimeZone,
                         gateway: Bool = false) throws -> Int? {
        guard let fault = try FaultStore.fault(tx, ticketID: ticketID) else { return nil }
        guard let linkProvider = fault.linkProviderCode ?? fault.providerCode,
              let provider = try InventoryStore.providers(tx, code: linkProvider).first else {
            throw ServiceError(.invalid, Text(id: "gangguan #\(ticketID) tidak tentang sambungan mana pun, jadi tidak ada penyedia untuk dieskalasi; catat sambungannya dulu",
                                              en: "fault #\(ticketID) is about no link, so there is no provider to escalate to; record its link first"))
        }
        let sent = try FaultStore.escalatedLevels(tx, ticketID: ticketID)
        let ladder = provider.escalation.sorted { $0.level < $1.level }
        let target: EscalationContact?
        if let wanted {
            target = ladder.first { $0.level == wanted }
        } else {
            target = ladder.first { $0.level > (sent.max() ?? 0) }
        }
        guard let step = target, !sent.contains(step.level) else { return nil }
        guard let providerID = try FaultStore.providerID(tx, code: provider.code) else { return nil }
        try FaultStore.escalated(tx, ticketID: ticketID, providerID: providerID, level: step.level)
        try FaultStore.providerEvent(tx, ticketID: ticketID, providerID: providerID, kind: .escalated, level: step.level, at: tx.now,
                                     note: cause.text, providerTicket: nil)
        try tx.audit("fault.escalate", "ticket", "#\(ticketID)", after: ["provider": provider.code, "level": String(step.level), "cause": cause.text])

        // The messages, from the office's templates, written to the outbox with this transaction.
        let time = OfficeTime(identifier: timeZone.identifier)
        let values = try messageValues(tx, fault: FaultStore.fault(tx, ticketID: ticketID) ?? fault, provider: provider, level: step, time: time)
        let domain = try InventoryStore.district(tx)?.domain?.description ?? "simpul.invalid"
        if let email = step.contact.email ?? provider.noc?.email {
            let mail = try TemplateService.inForce(tx, .providerEscalationMail).template
            let key = "fault:\(ticketID):provider:\(step.level):mail"
            var cc: [String] = []
            if let noc = provider.noc?.email, noc != email { cc.append(noc) }
            let first = step.level == ladder.first?.level ? nil : MailMessage.messageID(for: "fault:\(ticketID):provider:\(ladder.first?.level ?? 1):mail", domain: domain)
            let message = MailMessage(to: [email], cc: cc, subject: TemplateService.render(mail.subject, values).replacingOccurrences(of: "\n", with: " "),
                                      body: TemplateService.render(mail.body, values), messageID: MailMessage.messageID(for: key, domain: domain), inReplyTo: first)
            _ = try OutboxStore.enqueue(tx, channel: .mail, dedupeKey: key, payload: try StoredJSON.encode(message), ticketID: ticketID,
                                        subject: "provider:\(provider.code)")
        }
        if gateway, step.contact.whatsapp ?? step.contact.phone ?? provider.noc?.whatsapp != nil {
            var forGateway = values
            forGateway["contact_whatsapp"] = step.contact.whatsapp ?? step.contact.phone ?? provider.noc?.whatsapp ?? ""
            let template = try TemplateService.inForce(tx, .providerEscalationWebhook).template
            let key = "fault:\(ticketID):provider:\(step.level):webhook"
            // The template writes JSON: every value goes in as the inside of a JSON string.
            let body = TemplateService.render(template.body, forGateway.mapValues(Self.jsonStringContent))
            let call = WebhookCall(url: "", body: body, idempotencyKey: key)
            _ = try OutboxStore.enqueue(tx, channel: .webhook, dedupeKey: key, payload: try StoredJSON.encode(call), ticketID: ticketID,
                                        subject: "provider:\(provider.code)")
        }
        return step.level
    }

    /// What the escalation templates' placeholders hold for this fault and level.
    static func messageValues(_ reader: Reader, fault: FaultStore.Stored, provider: Provider, level: EscalationContact, time: OfficeTime) throws -> [String: String] {
        let log = try FaultStore.log(reader, ticketID: fault.ticketID)
        let findings = log.map { entry in
            "- \(time.format(entry.at, .id)): " + [entry.checked, entry.found, entry.did].filter { !$0.isEmpty }.joined(separator: "; ")
        }.joined(separator: "\n")
        let link = try fault.linkID.flatMap { try FaultStore.linkFacts(reader, linkID: $0) }
        let site = try InventoryStore.agencyAddress(reader, code: fault.agencyCode)
        let office = try InventoryStore.district(reader).map { $0.office ?? $0.name } ?? "Diskominfo"
        return [
            "ticket": String(fault.ticketID), "level": String(level.level), "provider": provider.name, "contact_name": level.contact.name,
            "contact_whatsapp": level.contact.whatsapp ?? level.contact.phone ?? "",
            "circuit": fault.circuit ?? "-", "bandwidth": link.map { "\(Self.rate($0.down))/\(Self.rate($0.up)) Mbps" } ?? "-",
            "agency": fault.agencyName, "site": site ?? "-", "symptom": fault.symptom.title.id,
            "description": fault.description.isEmpty ? "-" : fault.description,
            "outage_started": time.format(fault.startedAt, .id), "escalated_at": time.format(fault.escalatedAt ?? Date(), .id),
            "findings": findings.isEmpty ? "-" : findings,
            "link_state": "belum ada data pemantauan / no measurement yet",
            "response_minutes": String(provider.sla.responseMinutes), "restore_minutes": String(provider.sla.restoreMinutes), "office": office,
        ]
    }

    /// `text` as the inside of a JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonStringContent(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text), let quoted = String(data: data, encoding: .utf8), quoted.count >= 2 else { return "" }
        return String(quoted.dropFirst().dropLast())
    }

    static func rate(_ mbps: Double) -> String { mbps == mbps.rounded() ? String(Int(mbps)) : String(mbps) }

    // MARK: People's actions

    /// `simpul fault escalate`: the next level now (the first when none was sent), by the office.
    /// An escalation sent: its level and the outbox rows that carry it (delivered at once by the front end).
    public struct Escalated: Sendable, Hashable {
        public var level: Int
        public var deliveries: [Int64]
    }

    @discardableResult
    public func escalate(ticket ticketID: Int64, by principal: Principal) throws -> Escalated {
        guard Self.fieldWorkers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "eskalasi ke penyedia dilakukan teknisi, kepala seksi/bidang, kepala dinas atau admin",
                                                en: "escalation to the provider is done by technicians, supervisors, the head or an admin"))
        }
        let timeZone = simpul.officeTime().timeZone
        let (level, deliveries) = try simpul.database.writeEnqueuing(as: principal.username, at: simpul.now()) { tx -> Int? in
            let fault = try Self.visible(tx, ticketID: ticketID, by: principal)
            guard fault.status.isActive else { throw Self.closed(ticketID) }
            return try Self.escalate(tx, ticketID: ticketID, level: nil, cause: .manual, timeZone: timeZone, gateway: simpul.webhook != nil)
        }
        guard let level else {
            throw ServiceError(.conflict, Text(id: "semua tingkat eskalasi penyedia sudah dikirim untuk gangguan #\(ticketID)",
                                               en: "every escalation level of the provider was already sent for fault #\(ticketID)"))
        }
        return Escalated(level: level, deliveries: deliveries)
    }

    /// The provider acknowledged (`ack`): its ticket number, and when (now when not given).
    public func acknowledge(ticket ticketID: Int64, providerTicket: String?, at: Date? = nil, note: String? = nil, by principal: Principal) throws {
        try providerAction(ticketID, at: at, note: note, by: principal) { tx, fault, when in
            guard fault.acknowledgedAt == nil else {
                throw ServiceError(.conflict, Text(id: "penyedia sudah menanggapi gangguan #\(ticketID) pada \(Timestamp.string(fault.acknowledgedAt!))",
                                                   en: "the provider already acknowledged fault #\(ticketID) at \(Timestamp.string(fault.acknowledgedAt!))"))
            }
            let number = providerTicket?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            try ServiceError.limit(number, Text(id: "nomor tiket penyedia", en: "the provider's ticket number"), 100)
            try FaultStore.acknowledged(tx, ticketID: ticketID, at: when, providerTicket: number)
            try FaultStore.providerEvent(tx, ticketID: ticketID, providerID: fault.providerID!, kind: .acknowledged, level: nil, at: when,
                                         note: note, providerTicket: number)
            try tx.audit("fault.ack", "ticket", "#\(ticketID)", after: ["provider_ticket": number ?? "-", "at": Timestamp.string(when)])
        }
    }

    /// The provider restored the connection (`restore`), when (now when not given). The provider's
    /// step is completed with it, now or as soon as the ticket reaches it.
    public func restore(ticket ticketID: Int64, at: Date? = nil, note: String? = nil, by principal: Principal) throws {
        try providerAction(ticketID, at: at, note: note, escalationNeeded: false, by: principal) { tx, fault, when in
            guard fault.restoredAt == nil else {
                throw ServiceError(.conflict, Text(id: "pemulihan gangguan #\(ticketID) sudah dicatat", en: "the restoration of fault #\(ticketID) is already recorded"))
            }
            guard when >= fault.startedAt else {
                throw ServiceError(.invalid, Text(id: "waktu pulih tidak boleh sebelum gangguan mulai", en: "the restoration cannot be before the outage started"))
            }
            try tx.audit("fault.restore", "ticket", "#\(ticketID)", after: ["at": Timestamp.string(when)])
            // Evidence for the provider's SLA when it was escalated to one; a device repaired outside
            // (no link, no provider's clock) only has its step done.
            guard let providerID = fault.providerID else {
                try Self.completeProviderStep(tx, ticketID: ticketID, restored: when, tickets: simpul.tickets, by: principal)
                return
            }
            try FaultStore.restored(tx, ticketID: ticketID, at: when)
            try FaultStore.providerEvent(tx, ticketID: ticketID, providerID: providerID, kind: .restored, level: nil, at: when,
                                         note: note, providerTicket: nil)
            try Self.completeProviderStep(tx, ticketID: ticketID, tickets: simpul.tickets, by: principal)
        }
    }

    /// `escalationNeeded`: an acknowledgement needs an escalation; a restoration needs one only when
    /// the fault is about a link (the provider's), not a device repaired outside.
    func providerAction(_ ticketID: Int64, at: Date?, note: String?, escalationNeeded: Bool = true, by principal: Principal,
                        _ body: (Transaction, FaultStore.Stored, Date) throws -> Void) throws {
        guard Self.fieldWorkers.contains(principal.role) else {
            throw ServiceError(.forbidden, Text(id: "tanggapan penyedia dicatat teknisi, kepala seksi/bidang, kepala dinas atau admin",
                                                en: "the provider's answers are recorded by technicians, supervisors, the head or an admin"))
        }
        try ServiceError.limit(note, Text(id: "catatan", en: "the note"), 4000)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let fault = try Self.visible(tx, ticketID: ticketID, by: principal)
            guard fault.escalatedAt != nil || (!escalationNeeded && fault.linkID == nil) else {
                throw ServiceError(.invalid, Text(id: "gangguan #\(ticketID) belum dieskalasi ke penyedia; eskalasikan dulu (simpul fault escalate \(ticketID))",
                                                  en: "fault #\(ticketID) was never escalated to the provider; escalate it first (simpul fault escalate \(ticketID))"))
            }
            guard fault.status.isActive else { throw Self.closed(ticketID) }
            let when = at ?? tx.now
            guard when <= tx.now.addingTimeInterval(300) else {
                throw ServiceError(.invalid, Text(id: "waktu itu masih akan datang", en: "that time is in the future"))
            }
            guard when >= (fault.escalatedAt ?? fault.startedAt).addingTimeInterval(-86_400) else {
                throw ServiceError(.invalid, Text(id: "waktu itu lebih dari sehari sebelum eskalasi", en: "that time is more than a day before the escalation"))
            }
            try body(tx, fault, min(when, tx.now))
        }
    }

    /// On the provider's step with the restoration recorded: completed on the provider's behalf.
    static func completeProviderStep(_ tx: Transaction, ticketID: Int64, restored given: Date? = nil, tickets: TicketService,
                                     by principal: Principal) throws {
        guard let fault = try FaultStore.fault(tx, ticketID: ticketID), fault.status == .open, fault.step == "provider_repair",
              let restored = given ?? fault.restoredAt else { return }
        let when = tickets.simpul.officeTime().format(restored, .id)
        try tickets.act(tx, ticketID, .complete(evidence: [Evidence(kind: .note, value: "Pulih \(when)" + (fault.providerTicket.map { ", tiket penyedia \($0)" } ?? ""))],
                                                branch: nil, note: nil, assignTo: nil),
                        expecting: StepRef(stepID: "provider_repair", visit: fault.visit), module: "faults.restore", by: principal, now: tx.now)
    }

    static func closed(_ ticketID: Int64) -> ServiceError {
        ServiceError(.invalid, Text(id: "gangguan #\(ticketID) sudah ditutup", en: "fault #\(ticketID) is closed"))
    }

    // MARK: The ladder, on the timer

    /// Faults escalated but not acknowledged within the contract's response time: the next level, once
    /// its `after_minutes` have passed since the first escalation. Run with the ticket sweep.
    static func climbLadder(_ tx: Transaction, timeZone: TimeZone, gateway: Bool) throws -> Int {
        var sent = 0
        let providers = Dictionary(try InventoryStore.providers(tx).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for waiting in try FaultStore.awaitingAcknowledgement(tx) {
            guard let provider = providers[waiting.providerCode] else { continue }
            guard let next = provider.escalation.sorted(by: { $0.level < $1.level }).first(where: { $0.level > waiting.level }) else { continue }
            let due = waiting.firstEscalatedAt.addingTimeInterval(TimeInterval(max(next.afterMinutes, provider.sla.responseMinutes) * 60))
            guard tx.now >= due else { continue }
            if try escalate(tx, ticketID: waiting.ticketID, level: next.level, cause: .noAcknowledgement, timeZone: timeZone, gateway: gateway) != nil {
                sent += 1
            }
        }
        return sent
    }
}
