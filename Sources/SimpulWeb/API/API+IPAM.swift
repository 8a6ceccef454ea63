import SimpulCore
import SimpulServices
import SimpulStore

/// Addresses out of the pools, and the DNS changes a release makes.
extension API {
    /// An address that is held or assigned.
    struct Allocation: Encodable, Sendable {
        var id: Int64
        var pool: String
        var address: String
        /// `held` or `assigned`.
        var state: String
        var owner: String
        var hostname: String?
        var note: String?
        var idempotencyKey: String?
        var heldUntil: String?
        var createdAt: String
        var createdBy: String
        var assignedAt: String?
        var assignedBy: String?

        init(_ allocation: IPAMStore.Allocation) {
            id = allocation.id
            pool = allocation.pool
            address = allocation.address.description
            state = allocation.state.rawValue
            owner = allocation.owner
            hostname = allocation.hostname
            note = allocation.note
            idempotencyKey = allocation.idempotencyKey
            heldUntil = allocation.heldUntil
            createdAt = allocation.createdAt
            createdBy = allocation.createdBy
            assignedAt = allocation.assignedAt
            assignedBy = allocation.assignedBy
        }
    }

    /// `/pools/usage`: a pool's use (free and the share used follow from these).
    struct Usage: Encodable, Sendable {
        var pool: String
        var prefix: String
        var assignable: Double
        var assigned: Int
        var held: Int

        init(_ usage: IPAMStore.Usage) {
            pool = usage.pool
            prefix = usage.prefix
            assignable = usage.assignable
            assigned = usage.assigned
            held = usage.held
        }
    }

    /// `/pools/{name}/next`.
    struct NextAddress: Encodable, Sendable {
        var address: String
    }

    /// `/addresses/{address}`: the address's state, its allocation and its history.
    struct AddressReport: Encodable, Sendable {
        struct HistoryEntry: Encodable, Sendable {
            var at: String
            var action: String
            var owner: String
            var by: String
            var note: String?
        }

        var pool: String
        var prefix: String
        var address: String
        /// `held`, `assigned`, `free` or `excluded`.
        var state: String
        var allocation: Allocation?
        var excludedBecause: Text?
        var history: [HistoryEntry]

        init(_ report: IPAMService.AddressReport) {
            pool = report.pool
            prefix = report.prefix
            address = report.address
            state = report.state
            allocation = report.allocation.map(Allocation.init)
            excludedBecause = report.excludedBecause.map(Text.init)
            history = report.history.map { HistoryEntry(at: $0.at, action: $0.action, owner: $0.owner, by: $0.by, note: $0.note) }
        }
    }

    /// `DELETE /addresses/{address}`: the allocation as it was, its fields at the top level, and the
    /// DNS change that took the address's records away beside them (`dns`).
    struct Released: Encodable, Sendable {
        var allocation: Allocation
        var dns: DNSOutcome

        init(_ released: IPAMService.Released) {
            allocation = Allocation(released.allocation)
            dns = DNSOutcome(released.dns)
        }

        enum Key: String, CodingKey { case dns }

        func encode(to encoder: any Encoder) throws {
            try allocation.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(dns, forKey: .dns)
        }
    }

    /// What a DNS change did: records as zone-file lines, its change sets, and whether they reached the server.
    struct DNSOutcome: Encodable, Sendable {
        var added: [String]
        var removed: [String]
        var changes: [DNSChange]
        var pushError: Text?
        var published: Bool

        init(_ outcome: DNSService.Outcome) {
            added = outcome.added.map(\.description)
            removed = outcome.removed.map(\.description)
            changes = outcome.changes.map(DNSChange.init)
            pushError = outcome.pushError.map(Text.init)
            published = outcome.published
        }
    }

    /// One change set of one zone.
    struct DNSChange: Encodable, Sendable {
        var id: Int64
        var zone: String
        var serial: UInt32
        var adds: [DNSRecord]
        var deletes: [DNSRecord]
        /// `pending`, `pushed`, `failed` or `superseded`.
        var state: String
        var attempts: Int
        var lastError: Text?
        var requestedBy: String
        var requestedAt: String
        var pushedAt: String?
        var ticketID: Int64?

        init(_ change: DNSStore.Change) {
            id = change.id
            zone = change.zone
            serial = change.serial
            adds = change.adds.map(DNSRecord.init)
            deletes = change.deletes.map(DNSRecord.init)
            state = change.state.rawValue
            attempts = change.attempts
            lastError = change.lastError.map(Text.init)
            requestedBy = change.requestedBy
            requestedAt = change.requestedAt
            pushedAt = change.pushedAt
            ticketID = change.ticketID
        }
    }

    struct DNSRecord: Encodable, Sendable {
        var name: String
        var type: String
        var ttl: Int
        var data: String

        init(_ record: SimpulCore.DNSRecord) {
            name = record.name.description
            type = record.type.rawValue
            ttl = record.ttl
            data = record.data
        }
    }
}
