import Foundation
import SimpulCore
import SimpulStore

/// How one channel's side effects leave Simpul (DNS now; mail and webhooks with fault dispatch).
/// A deliverer does its I/O with a deadline and never blocks the calling thread; what it learned is
/// written by the worker, with the row's outcome, in one transaction.
public protocol Deliverer: Sendable {
    var channel: DeliveryChannel { get }
    func deliver(_ delivery: Delivery, deadline: ContinuousClock.Instant) async -> DeliveryResult
}

/// What became of one attempt.
public struct DeliveryResult: Sendable {
    public enum Kind: Sendable { case delivered, failed(Text), busy }
    public var kind: Kind
    /// Other rows the same attempt settled (a zone's waiting change sets go as one update), by dedupe key.
    public var along: [String] = []
    /// The channel's own record of the attempt (a change set marked pushed), written with the row's outcome.
    public var record: (@Sendable (Transaction) throws -> Void)?
    /// Sending it again would fail the same way (a damaged payload, a 4xx answer): failed for good at
    /// once, waiting for a person to retry or dismiss it, instead of using up its attempts.
    public var permanent = false

    public static func delivered(along: [String] = [], record: (@Sendable (Transaction) throws -> Void)? = nil) -> DeliveryResult {
        DeliveryResult(kind: .delivered, along: along, record: record)
    }

    public static func failed(_ error: Text, along: [String] = [], record: (@Sendable (Transaction) throws -> Void)? = nil) -> DeliveryResult {
        DeliveryResult(kind: .failed(error), along: along, record: record)
    }

    /// A failure from a transport's typed error: for good at once when it says retrying cannot help.
    public static func failed(_ error: DeliveryError) -> DeliveryResult {
        var result = DeliveryResult(kind: .failed(error.text))
        result.permanent = error.isPermanent
        return result
    }

    /// Not tried (another worker holds what it needs); due again shortly, no attempt counted.
    public static let busy = DeliveryResult(kind: .busy)
}

/// The delivery worker: claims due outbox rows and hands each to its channel's deliverer. One runs
/// inside `simpul serve`, `simpul outbox deliver` runs one pass (the systemd timer), and a request
/// may deliver what it just wrote at once (`deliver(ids:)`). Delivery is at least once: a row is
/// claimed (its attempt counted) before it is tried and settled after, so a worker killed at any
/// point leaves it delivered or due again when its claim lapses.
public struct OutboxService: Sendable {
    let simpul: Simpul

    /// How long a claim holds: past every deliverer's deadline, so only a killed worker's claim lapses.
    /// Tests of a killed worker shorten it (`SIMPUL_TEST_OUTBOX_LEASE_MS`, 1–600 000).
    public static let lease: TimeInterval = {
        if let text = ProcessInfo.processInfo.environment["SIMPUL_TEST_OUTBOX_LEASE_MS"], let ms = Int(text), (1...600_000).contains(ms) {
            return Double(ms) / 1000
        }
        return 120
    }()
    /// How long one attempt may take.
    public static let attemptDeadline: Duration = .seconds(10)
    /// How long a person's request waits for what it just wrote to go out (`deliverAtOnce`): every
    /// attempt of it together. What is not through by then is left to the worker, so a page whose
    /// server is away answers in seconds, not after a full deadline per row.
    public static let atOnceBudget: Duration = .seconds(4)

    public struct Attempt: Sendable {
        public var delivery: Delivery
        /// nil when delivered.
        public var error: Text?
        /// Failed for good: it now waits for a person.
        public var gaveUp: Bool
        public var busy: Bool
        public var milliseconds: Double
        /// Delivered, but moving its ticket on afterwards failed (`TicketModule.delivered`); the
        /// ticket stays where it was, and whoever does its step can finish it by hand.
        public var followUpError: Text?
    }

    public struct RunReport: Sendable {
        public var attempts: [Attempt] = []
        /// The database could not be reached to claim rows: nothing was tried.
        public var storeError: Text?
        /// Rows asked for by id that another worker holds under a claim that has not lapsed (it may be
        /// delivering them now, or have died: then they come back when the claim expires).
        public var heldElsewhere: [Delivery] = []
        public var delivered: Int { attempts.filter { $0.error == nil && !$0.busy }.count }
        public var failed: [Attempt] { attempts.filter { $0.error != nil } }
        public init() {}

        /// Whether the run should end non-zero (so systemd shows it).
        public var hasFailures: Bool {
            storeError != nil || !failed.isEmpty || !heldElsewhere.isEmpty || attempts.contains { $0.followUpError != nil }
        }
    }

    var deliverers: [DeliveryChannel: any Deliverer] {
        var all: [DeliveryChannel: any Deliverer] = [:]
        for deliverer in simpul.deliverers { all[deliverer.channel] = deliverer }
        return all
    }

    /// What a person's request just wrote, delivered after its commit within `Settings.atOnceBudget`
    /// (`atOnceBudget` unless configured otherwise).
    public func deliverAtOnce(_ ids: [Int64]) async -> RunReport {
        await deliver(ids: ids, within: simpul.settings.atOnceBudget)
    }

    /// One pass: claims up to `limit` due rows (of `ids` only, when given) and delivers them, one
    /// after another in the order they fell due. With a `budget`, the attempts together take no
    /// longer than it: each attempt's deadline is cut to what is left, and rows not begun when it
    /// runs out are handed back, due at once, with no attempt counted (the first is always tried).
    public func deliver(ids: [Int64]? = nil, limit: Int = 100, within budget: Duration? = nil) async -> RunReport {
        var report = RunReport()
        let holder = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
        let claimed: [Delivery]
        do {
            (claimed, report.heldElsewhere) = try await simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
                let claimed = try OutboxStore.claim(tx, holder: holder, lease: Self.lease, limit: limit, ids: ids)
                guard let ids else { return (claimed, []) }
                let taken = Set(claimed.map(\.id))
                let others = try OutboxStore.deliveries(tx, ids: ids.filter { !taken.contains($0) })
                return (claimed, others.filter { $0.state == .pending && $0.claimedBy != nil && ($0.claimExpiresAt ?? tx.now) > tx.now })
            }
        } catch {
            report.storeError = Self.storeError(error)
            return report
        }
        let deliverers = self.deliverers
        // The budget counts the network's time from here: waiting for the database is not the
        // destination's slowness, and the first row is always tried.
        let end = budget.map { ContinuousClock.now + $0 }
        for (index, delivery) in claimed.enumerated() {
            let started = ContinuousClock.now
            if let end, index > 0, started + .milliseconds(100) >= end {
                report.attempts.append(await handBack(delivery, holder: holder))
                continue
            }
            let result: DeliveryResult
            if let deliverer = deliverers[delivery.channel] {
                result = await deliverer.deliver(delivery, deadline: min(started + simpul.settings.attemptDeadline, end ?? started + simpul.settings.attemptDeadline))
            } else {
                result = .failed(Text(id: "tidak ada pengirim untuk saluran \(delivery.channel.title.id) di proses ini; periksa konfigurasinya",
                                      en: "no deliverer for the \(delivery.channel.title.en) channel in this process; check its configuration"))
            }
            report.attempts.append(await settle(delivery, result, holder: holder, milliseconds: (ContinuousClock.now - started).inMilliseconds))
        }
        return report
    }

    /// A claimed row not tried (the request's budget ran out): its claim given up and its attempt not
    /// counted, due at once for the worker.
    func handBack(_ delivery: Delivery, holder: String) async -> Attempt {
        var attempt = Attempt(delivery: delivery, error: nil, gaveUp: false, busy: true, milliseconds: 0)
        do {
            try await simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
                try OutboxStore.release(tx, id: delivery.id, holder: holder, next: tx.now)
            }
        } catch {
            attempt.error = Self.storeError(error)
        }
        if let refreshed = try? await simpul.database.read({ r in try OutboxStore.delivery(r, id: delivery.id) }) { attempt.delivery = refreshed }
        return attempt
    }

    /// Writes an attempt's outcome (and the channel's own record of it) under the row's claim.
    func settle(_ delivery: Delivery, _ result: DeliveryResult, holder: String, milliseconds: Double) async -> Attempt {
        let now = simpul.now()
        var attempt = Attempt(delivery: delivery, error: nil, gaveUp: false, busy: false, milliseconds: milliseconds)
        let (maxAttempts, backoff) = (delivery.maxAttempts, delivery.channel.policy.backoff)
        do {
            switch result.kind {
            case .delivered:
                let tickets = try await simpul.database.write(as: Transaction.system, at: now) { tx -> Set<Int64> in
                    try result.record?(tx)
                    guard try OutboxStore.delivered(tx, id: delivery.id, holder: holder) else { return [] }
                    try OutboxStore.recordAttempt(tx, id: delivery.id, outcome: "delivered", error: nil, milliseconds: milliseconds, worker: holder)
                    try OutboxStore.deliveredAlong(tx, dedupeKeys: result.along)
                    return Set(try OutboxStore.ticketIDs(tx, dedupeKeys: [delivery.dedupeKey] + result.along))
                }
                attempt.followUpError = await moveTickets(tickets, channel: delivery.channel)
            case .failed(let error):
                let next = result.permanent ? nil : backoff.next(afterAttempt: delivery.attempts, of: maxAttempts, at: now, draw: Double.random(in: 0..<1))
                try await simpul.database.write(as: Transaction.system, at: now) { tx in
                    try result.record?(tx)
                    try OutboxStore.attemptFailed(tx, id: delivery.id, holder: holder, error: error, next: next, alsoWaiting: result.along)
                    try OutboxStore.recordAttempt(tx, id: delivery.id, outcome: "failed", error: error, milliseconds: milliseconds, worker: holder)
                }
                attempt.error = error
                attempt.gaveUp = next == nil
            case .busy:
                try await simpul.database.write(as: Transaction.system, at: now) { tx in
                    try OutboxStore.release(tx, id: delivery.id, holder: holder, next: now.addingTimeInterval(2))
                }
                attempt.busy = true
            }
        } catch {
            // The claim lapses and the row comes back: delivered at least once, never lost.
            attempt.error = Self.storeError(error)
        }
        if let refreshed = try? await simpul.database.read({ r in try OutboxStore.delivery(r, id: delivery.id) }) { attempt.delivery = refreshed }
        return attempt
    }

    /// The tickets whose side effects just arrived: their modules may move them on, as the system,
    /// in a transaction of their own after the delivery's (a module's refusal never undoes a delivery).
    func moveTickets(_ tickets: Set<Int64>, channel: DeliveryChannel) async -> Text? {
        guard !tickets.isEmpty else { return nil }
        let service = simpul.tickets
        do {
            try await simpul.database.write(as: Transaction.system, at: simpul.now()) { tx in
                try TicketModules.delivered(tx, tickets: tickets, channel: channel, tickets: service)
            }
            return nil
        } catch let error as ServiceError {
            return error.text
        } catch {
            return Self.storeError(error)
        }
    }

    /// Passes until nothing due is left (a full pass means more may wait), at most `passes` of them:
    /// `simpul outbox deliver`, the timer's run.
    public func deliverAllDue(passes: Int = 50) async -> RunReport {
        var all = RunReport()
        for _ in 0..<max(1, passes) {
            let report = await deliver()
            all.attempts += report.attempts
            all.storeError = all.storeError ?? report.storeError
            if report.attempts.count < 100 || report.storeError != nil { break }
        }
        return all
    }

    /// Delivers rows as they fall due until `Task` cancellation (inside `simpul serve`), waking at the
    /// next due time and at least every `idle`.
    public func run(idle: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            let report = await deliver()
            if report.attempts.count >= 100 { continue }
            var wait = idle
            if let due = try? await simpul.database.read({ r in try OutboxStore.nextDue(r) }) {
                let seconds = due.timeIntervalSince(simpul.now())
                if seconds < 5 { wait = .milliseconds(Int(max(50, seconds * 1000))) }
            }
            try? await Task.sleep(for: wait)
        }
    }

    // MARK: People

    public func list(_ filter: OutboxStore.Filter, by principal: Principal) throws -> (rows: [Delivery], total: Int) {
        try principal.require(.manageDNS)
        return try simpul.database.read { r in try OutboxStore.list(r, filter) }
    }

    public func counts(by principal: Principal) throws -> [DeliveryState: Int] {
        try principal.require(.viewEstate)
        return try simpul.database.read { r in try OutboxStore.counts(r) }
    }

    public func delivery(_ id: Int64, by principal: Principal) throws -> Delivery {
        try principal.require(.manageDNS)
        guard let delivery = try simpul.database.read({ r in try OutboxStore.delivery(r, id: id) }) else { throw Self.noDelivery(id) }
        return delivery
    }

    /// Another round of attempts for a row that failed (or was dismissed), due at once.
    public func retry(_ id: Int64, by principal: Principal) throws -> Delivery {
        try principal.require(.manageDNS)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            guard let before = try OutboxStore.delivery(tx, id: id) else { throw Self.noDelivery(id) }
            guard before.state != .delivered else {
                throw ServiceError(.conflict, Text(id: "kiriman #\(id) sudah terkirim; tidak ada yang perlu diulang", en: "delivery #\(id) was already delivered; nothing to retry"))
            }
            try refuseWhileHeld(before, now: tx.now)
            guard let after = try OutboxStore.retry(tx, id: id) else { throw Self.noDelivery(id) }
            try tx.audit("outbox.retry", "outbox", "#\(id)", before: ["state": before.state.rawValue, "attempts": String(before.attempts)],
                         after: ["state": after.state.rawValue])
            return after
        }
    }

    /// A row a worker holds (it may be going out right now) is not retried or dismissed until the
    /// worker settles it or its claim lapses.
    func refuseWhileHeld(_ row: Delivery, now: Date) throws {
        guard row.state == .pending, row.claimedBy != nil, let until = row.claimExpiresAt, until > now else { return }
        let time = simpul.officeTime(), at = Timestamp.string(until)
        throw ServiceError(.conflict, Text(id: "kiriman #\(row.id) sedang dipegang pengirim (\(row.claimedBy ?? "?")) sampai \(time.format(stored: at, .id)); bila pengirim itu mati, kiriman kembali saat itu. Coba lagi setelahnya.",
                                           en: "delivery #\(row.id) is held by a worker (\(row.claimedBy ?? "?")) until \(time.format(stored: at, .en)); if that worker died, the delivery comes back then. Try again after that."))
    }

    /// Gives up on a row: it will not be delivered. The reason is kept in the audit log.
    public func dismiss(_ id: Int64, reason: String, by principal: Principal) throws -> Delivery {
        try principal.require(.manageDNS)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ServiceError(.invalid, Text(id: "tulis alasan mengabaikan kiriman ini", en: "write why this delivery is dismissed"))
        }
        try ServiceError.limit(reason, Text(id: "alasan", en: "the reason"), Limits.shortText)
        return try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            guard let before = try OutboxStore.delivery(tx, id: id) else { throw Self.noDelivery(id) }
            guard before.state == .failed || before.state == .pending else {
                throw ServiceError(.conflict, Text(id: "kiriman #\(id) sudah \(before.state.title.id.lowercased()); tidak dapat diabaikan",
                                                   en: "delivery #\(id) is already \(before.state.title.en.lowercased()); it cannot be dismissed"))
            }
            try refuseWhileHeld(before, now: tx.now)
            guard let after = try OutboxStore.dismiss(tx, id: id) else { throw Self.noDelivery(id) }
            try tx.audit("outbox.dismiss", "outbox", "#\(id)", before: ["state": before.state.rawValue], after: ["state": after.state.rawValue], reason: reason)
            return after
        }
    }

    static func noDelivery(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "kiriman #\(id) tidak ada (lihat: simpul outbox list)", en: "delivery #\(id) does not exist (see: simpul outbox list)"))
    }

    static func storeError(_ error: any Error) -> Text {
        Text(id: "basis data tidak dapat mencatat kiriman: \(error)", en: "the database could not record the delivery: \(error)")
    }
}
