import Foundation
import GRDB
import SimpulCore

/// What the poller keeps about its own work (`HealthDatabase` migration h2): each cycle's report,
/// each device's last walk, every change of a link's state, each hosted server's last check.
extension HealthStore {
    // MARK: Cycles

    public struct CycleRow: Sendable, Hashable {
        public var startedAt: Int64
        public var durationMillis: Int64
        public var devices: Int
        public var failed: Int
        public var interfaces: Int
        public var samples: Int
        public var changes: Int
        public var servers: Int
        public var serversDown: Int

        public init(startedAt: Int64, durationMillis: Int64, devices: Int, failed: Int, interfaces: Int, samples: Int, changes: Int,
                    servers: Int, serversDown: Int) {
            self.startedAt = startedAt
            self.durationMillis = durationMillis
            self.devices = devices
            self.failed = failed
            self.interfaces = interfaces
            self.samples = samples
            self.changes = changes
            self.servers = servers
            self.serversDown = serversDown
        }
    }

    public static func saveCycle(_ writer: HealthWriter, _ row: CycleRow) throws {
        try writer.db.execute(sql: """
            INSERT OR REPLACE INTO cycles (started_ms, duration_ms, devices, failed, interfaces, samples, changes, servers, servers_down)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [row.startedAt, row.durationMillis, row.devices, row.failed, row.interfaces, row.samples, row.changes,
                             row.servers, row.serversDown])
    }

    /// The newest cycles first, at most `limit`.
    public static func cycles(_ reader: HealthReader, limit: Int) throws -> [CycleRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM cycles ORDER BY started_ms DESC LIMIT ?", arguments: [limit]).map { row in
            CycleRow(startedAt: row["started_ms"], durationMillis: row["duration_ms"], devices: row["devices"], failed: row["failed"],
                     interfaces: row["interfaces"], samples: row["samples"], changes: row["changes"], servers: row["servers"],
                     serversDown: row["servers_down"])
        }
    }

    // MARK: Devices

    /// A device's last walk.
    public struct DevicePollRow: Sendable, Hashable {
        public var device: String
        public var polledAt: Int64
        public var answered: Bool
        /// Why it did not answer, or what is wrong in what it answered (a link's interface missing).
        public var problem: Text?
        public var interfaces: Int
        public var durationMillis: Int64?
        /// The GETBULK size its last good walk settled on; the next walk starts there.
        public var maxRepetitions: Int?
        public var lastAnswerAt: Int64?
        /// Walks in a row that got no usable answer.
        public var failures: Int

        public init(device: String, polledAt: Int64, answered: Bool, problem: Text?, interfaces: Int, durationMillis: Int64?, maxRepetitions: Int?,
                    lastAnswerAt: Int64?, failures: Int) {
            self.device = device
            self.polledAt = polledAt
            self.answered = answered
            self.problem = problem
            self.interfaces = interfaces
            self.durationMillis = durationMillis
            self.maxRepetitions = maxRepetitions
            self.lastAnswerAt = lastAnswerAt
            self.failures = failures
        }
    }

    /// Every device's last walk, by device name.
    public static func devicePolls(_ reader: HealthReader) throws -> [String: DevicePollRow] {
        var found: [String: DevicePollRow] = [:]
        for row in try Row.fetchAll(reader.db, sql: "SELECT * FROM devices") {
            let problem: Text? = (row["problem_en"] as String?).map { Text(id: row["problem_id"] ?? $0, en: $0) }
            let device: String = row["device"]
            found[device] = DevicePollRow(device: device, polledAt: row["polled_ms"], answered: (row["answered"] as Int64) == 1, problem: problem, interfaces: row["interfaces"],
                                          durationMillis: row["duration_ms"], maxRepetitions: row["max_repetitions"],
                                          lastAnswerAt: row["last_answer_ms"], failures: row["failures"])
        }
        return found
    }

    public static func saveDevicePoll(_ writer: HealthWriter, _ row: DevicePollRow) throws {
        try writer.db.cachedStatement(sql: """
            INSERT OR REPLACE INTO devices (device, polled_ms, answered, problem_id, problem_en, interfaces, duration_ms, max_repetitions,
                                            last_answer_ms, failures)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [row.device, row.polledAt, row.answered ? 1 : 0, row.problem?.id, row.problem?.en, row.interfaces,
                             row.durationMillis, row.maxRepetitions.map { min(max($0, 1), 1000) }, row.lastAnswerAt, row.failures])
    }

    /// Forgets devices no longer in the inventory (their interfaces and samples age out on their own).
    public static func forgetDevices(_ writer: HealthWriter, keeping names: Set<String>) throws {
        let known = try String.fetchAll(writer.db, sql: "SELECT device FROM devices")
        for name in known where !names.contains(name) {
            try writer.db.execute(sql: "DELETE FROM devices WHERE device = ?", arguments: [name])
        }
    }

    // MARK: Link changes

    public struct LinkChangeRow: Sendable, Hashable {
        public var circuit: String
        public var at: Int64
        public var from: LinkState
        public var to: LinkState
        public var impairments: [Impairment]
    }

    public static func recordChange(_ writer: HealthWriter, circuit: String, _ transition: LinkTransition) throws {
        try writer.db.cachedStatement(sql: """
            INSERT OR REPLACE INTO link_changes (circuit, at_ms, from_state, to_state, impairments) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [circuit, EpochMillis.of(transition.at) ?? 0, transition.from.rawValue, transition.to.rawValue,
                             transition.impairments.map(\.rawValue).joined(separator: ",")])
    }

    /// A link's changes, newest first, at most `limit`.
    public static func changes(_ reader: HealthReader, circuit: String, limit: Int) throws -> [LinkChangeRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM link_changes WHERE circuit = ? ORDER BY at_ms DESC LIMIT ?",
                         arguments: [circuit, limit]).compactMap(change)
    }

    static func change(_ row: Row) -> LinkChangeRow? {
        guard let from = LinkState(rawValue: row["from_state"]), let to = LinkState(rawValue: row["to_state"]) else { return nil }
        let impairments = (row["impairments"] as String).split(separator: ",").compactMap { Impairment(rawValue: String($0)) }
        return LinkChangeRow(circuit: row["circuit"], at: row["at_ms"], from: from, to: to, impairments: impairments)
    }

    /// The states each of `circuits` was in within `[from, to)` as the poller recorded them, in order:
    /// the state at `from` (the last change before it) and every change inside the period. A link the
    /// poller never evaluated has none, which is not the same as no outage.
    public static func stateSpans(_ reader: HealthReader, circuits: [String], from: Int64, to: Int64)
        throws -> [String: [(state: LinkState, start: Int64, end: Int64)]] {
        var result: [String: [(state: LinkState, start: Int64, end: Int64)]] = [:]
        guard to > from else { return result }
        for circuit in circuits {
            let before = try Row.fetchOne(reader.db, sql: """
                SELECT * FROM link_changes WHERE circuit = ? AND at_ms < ? ORDER BY at_ms DESC LIMIT 1
                """, arguments: [circuit, from]).flatMap(change)
            let inside = try Row.fetchAll(reader.db, sql: """
                SELECT * FROM link_changes WHERE circuit = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms
                """, arguments: [circuit, from, to]).compactMap(change)
            var spans: [(state: LinkState, start: Int64, end: Int64)] = []
            var current: (state: LinkState, since: Int64)? = before.map { ($0.to, from) }
            for change in inside {
                if let open = current, change.at > open.since { spans.append((open.state, open.since, change.at)) }
                current = (change.to, change.at)
            }
            if let open = current, to > open.since { spans.append((open.state, open.since, to)) }
            result[circuit] = spans
        }
        return result
    }

    // MARK: Hosted servers

    /// What a server's last check found: it answered, it did not, or no packet was sent (outside
    /// SIMPUL_PROBE_ALLOW, or the system forbids ICMP to this process).
    public enum ServerStatus: String, Sendable, Hashable, Codable {
        case up, down, unchecked
    }

    /// A hosted server's last check.
    public struct ServerCheckRow: Sendable, Hashable {
        public var device: String
        /// `icmp 10.20.0.5` / `tcp/443 10.20.0.5`, as checked.
        public var target: String
        public var checkedAt: Int64
        public var status: ServerStatus
        /// What the check found, in words.
        public var outcome: Text
        public var roundTripMicros: Int64?
        /// Since when it has been up (or not).
        public var since: Int64
        /// Checks in a row that found it down.
        public var failures: Int

        public init(device: String, target: String, checkedAt: Int64, status: ServerStatus, outcome: Text, roundTripMicros: Int64?, since: Int64, failures: Int) {
            self.device = device
            self.target = target
            self.checkedAt = checkedAt
            self.status = status
            self.outcome = outcome
            self.roundTripMicros = roundTripMicros
            self.since = since
            self.failures = failures
        }
    }

    public static func serverChecks(_ reader: HealthReader) throws -> [String: ServerCheckRow] {
        var found: [String: ServerCheckRow] = [:]
        for row in try Row.fetchAll(reader.db, sql: "SELECT * FROM servers") {
            let device: String = row["device"]
            found[device] = ServerCheckRow(device: device, target: row["target"], checkedAt: row["checked_ms"],
                                           status: ServerStatus(rawValue: row["status"]) ?? .unchecked,
                                           outcome: Text(id: row["outcome_id"], en: row["outcome_en"]), roundTripMicros: row["round_trip_us"],
                                           since: row["since_ms"], failures: row["failures"])
        }
        return found
    }

    public static func saveServerCheck(_ writer: HealthWriter, _ row: ServerCheckRow) throws {
        try writer.db.cachedStatement(sql: """
            INSERT OR REPLACE INTO servers (device, target, checked_ms, status, outcome_id, outcome_en, round_trip_us, since_ms, failures)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [row.device, row.target, row.checkedAt, row.status.rawValue, row.outcome.id, row.outcome.en, row.roundTripMicros,
                             row.since, row.failures])
    }

    /// Forgets servers no longer enrolled.
    public static func forgetServers(_ writer: HealthWriter, keeping names: Set<String>) throws {
        let known = try String.fetchAll(writer.db, sql: "SELECT device FROM servers")
        for name in known where !names.contains(name) {
            try writer.db.execute(sql: "DELETE FROM servers WHERE device = ?", arguments: [name])
        }
    }

    // MARK: Retention of the poller's own rows

    /// Cycles older than `cyclesBefore` and link changes older than `changesBefore`, at most `limit` each.
    public static func pruneHistory(_ writer: HealthWriter, cyclesBefore: Int64, changesBefore: Int64, limit: Int) throws -> Int {
        try writer.db.execute(sql: "DELETE FROM cycles WHERE started_ms IN (SELECT started_ms FROM cycles WHERE started_ms < ? LIMIT ?)",
                              arguments: [cyclesBefore, limit])
        var removed = writer.db.changesCount
        try writer.db.execute(sql: """
            DELETE FROM link_changes WHERE (circuit, at_ms, to_state) IN
              (SELECT circuit, at_ms, to_state FROM link_changes WHERE at_ms < ? LIMIT ?)
            """, arguments: [changesBefore, limit])
        removed += writer.db.changesCount
        return removed
    }
}
