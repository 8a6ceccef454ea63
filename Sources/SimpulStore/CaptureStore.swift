import Foundation
import GRDB
import SimpulCore

/// The bandwidth surveys' packet-capture counts (issue 16), in the time-series file: one row per
/// run with how complete it was, and per agency per interval the bytes and packets in and out.
/// Written one transaction per run; counters are unsigned 64-bit stored as their bit pattern.
public enum CaptureStore {
    /// A run as written: where the packets came from and what became of them.
    public struct Run: Sendable, Hashable, Codable {
        public var id: Int64?
        public var source: String
        public var name: String
        public var filter: String?
        /// The shared uplink the capture watched (its circuit), for reconciling with SNMP.
        public var circuit: String?
        public var startedMs: Int64
        public var endedMs: Int64
        public var firstMs: Int64?
        public var lastMs: Int64?
        public var intervalSeconds: Int
        public var frames: UInt64
        public var frameBytes: UInt64
        public var received: UInt64?
        public var droppedKernel: UInt64?
        public var droppedInterface: UInt64?
        public var unattributed: TrafficCount
        public var nonIP: TrafficCount
        public var failed: TrafficCount
        /// `reason=packets` pairs, comma-separated.
        public var failures: String
        /// Why a file's reading stopped early (libpcap's reason), if it did.
        public var stopped: String?
        public var by: String

        public init(id: Int64? = nil, source: String, name: String, filter: String?, circuit: String?, startedMs: Int64, endedMs: Int64,
                    firstMs: Int64?, lastMs: Int64?, intervalSeconds: Int, frames: UInt64, frameBytes: UInt64, received: UInt64?,
                    droppedKernel: UInt64?, droppedInterface: UInt64?, unattributed: TrafficCount, nonIP: TrafficCount, failed: TrafficCount,
                    failures: String, stopped: String?, by: String) {
            self.id = id
            self.source = source
            self.name = name
            self.filter = filter
            self.circuit = circuit
            self.startedMs = startedMs
            self.endedMs = endedMs
            self.firstMs = firstMs
            self.lastMs = lastMs
            self.intervalSeconds = intervalSeconds
            self.frames = frames
            self.frameBytes = frameBytes
            self.received = received
            self.droppedKernel = droppedKernel
            self.droppedInterface = droppedInterface
            self.unattributed = unattributed
            self.nonIP = nonIP
            self.failed = failed
            self.failures = failures
            self.stopped = stopped
            self.by = by
        }
    }

    /// One agency's (or the unattributed traffic's, agency "") counts in one interval.
    public struct Count: Sendable, Hashable, Codable {
        public var runID: Int64
        public var agency: String
        public var startMs: Int64
        public var seconds: Int
        public var inbound: TrafficCount
        public var outbound: TrafficCount

        public init(runID: Int64, agency: String, startMs: Int64, seconds: Int, inbound: TrafficCount, outbound: TrafficCount) {
            self.runID = runID
            self.agency = agency
            self.startMs = startMs
            self.seconds = seconds
            self.inbound = inbound
            self.outbound = outbound
        }
    }

    public struct Top: Sendable, Hashable, Codable {
        public var agency: String
        public var kind: String
        public var item: String
        public var traffic: TrafficCount

        public init(agency: String, kind: String, item: String, traffic: TrafficCount) {
            self.agency = agency
            self.kind = kind
            self.item = item
            self.traffic = traffic
        }
    }

    static func bits(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }
    static func bits(_ value: UInt64?) -> Int64? { value.map { Int64(bitPattern: $0) } }
    static func unsigned(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }

    /// Writes a run, its counts and its tops in one transaction; returns the run's id.
    public static func insert(_ w: HealthWriter, run: Run, counts: [Count], tops: [Top]) throws -> Int64 {
        let db = w.db
        try db.execute(sql: """
            INSERT INTO capture_runs (source, name, filter, circuit, started_ms, ended_ms, first_ms, last_ms, interval_s, frames, frame_bytes,
              received, dropped_kernel, dropped_interface, unattributed_packets, unattributed_bytes, non_ip_packets, non_ip_bytes,
              failed_packets, failures, stopped, by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.source, run.name, run.filter, run.circuit, run.startedMs, run.endedMs, run.firstMs, run.lastMs, run.intervalSeconds,
                             bits(run.frames), bits(run.frameBytes), bits(run.received), bits(run.droppedKernel), bits(run.droppedInterface),
                             bits(run.unattributed.packets), bits(run.unattributed.bytes), bits(run.nonIP.packets), bits(run.nonIP.bytes),
                             bits(run.failed.packets), run.failures, run.stopped, run.by])
        let id = db.lastInsertedRowID
        let insertCount = try db.cachedStatement(sql: """
            INSERT INTO capture_counts (run_id, agency, start_ms, seconds, in_bytes, out_bytes, in_packets, out_packets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in counts {
            try insertCount.execute(arguments: [id, c.agency, c.startMs, c.seconds, bits(c.inbound.bytes), bits(c.outbound.bytes),
                                                bits(c.inbound.packets), bits(c.outbound.packets)])
        }
        let insertTop = try db.cachedStatement(sql: "INSERT OR REPLACE INTO capture_tops (run_id, agency, kind, item, bytes, packets) VALUES (?, ?, ?, ?, ?, ?)")
        for t in tops {
            try insertTop.execute(arguments: [id, t.agency, t.kind, t.item, bits(t.traffic.bytes), bits(t.traffic.packets)])
        }
        return id
    }

    static func run(_ row: Row) -> Run {
        Run(id: row["id"], source: row["source"], name: row["name"], filter: row["filter"], circuit: row["circuit"], startedMs: row["started_ms"],
            endedMs: row["ended_ms"], firstMs: row["first_ms"], lastMs: row["last_ms"], intervalSeconds: row["interval_s"],
            frames: unsigned(row["frames"]), frameBytes: unsigned(row["frame_bytes"]),
            received: (row["received"] as Int64?).map(unsigned), droppedKernel: (row["dropped_kernel"] as Int64?).map(unsigned),
            droppedInterface: (row["dropped_interface"] as Int64?).map(unsigned),
            unattributed: TrafficCount(bytes: unsigned(row["unattributed_bytes"]), packets: unsigned(row["unattributed_packets"])),
            nonIP: TrafficCount(bytes: unsigned(row["non_ip_bytes"]), packets: unsigned(row["non_ip_packets"])),
            failed: TrafficCount(bytes: 0, packets: unsigned(row["failed_packets"])), failures: row["failures"], stopped: row["stopped"], by: row["by"])
    }

    /// Runs whose packets fall in `[fromMs, toMs)` (any part of them), oldest first.
    public static func runs(_ r: HealthReader, fromMs: Int64 = .min, toMs: Int64 = .max, limit: Int = 1000) throws -> [Run] {
        try Row.fetchAll(r.db, sql: """
            SELECT * FROM capture_runs WHERE coalesce(last_ms, ended_ms) >= ? AND coalesce(first_ms, started_ms) < ? ORDER BY id LIMIT ?
            """, arguments: [fromMs, toMs, limit]).map(run)
    }

    public static func run(_ r: HealthReader, id: Int64) throws -> Run? {
        try Row.fetchOne(r.db, sql: "SELECT * FROM capture_runs WHERE id = ?", arguments: [id]).map(run)
    }

    /// `agencies`' counts (every agency's when nil; "" is the unattributed traffic) in `[fromMs, toMs)`, by agency then time.
    public static func counts(_ r: HealthReader, agencies: [String]? = nil, fromMs: Int64, toMs: Int64) throws -> [Count] {
        var sql = "SELECT * FROM capture_counts WHERE start_ms >= ? AND start_ms < ?"
        var arguments: StatementArguments = [fromMs, toMs]
        if let agencies {
            sql += " AND agency IN (\(agencies.map { _ in "?" }.joined(separator: ", ")))"
            for a in agencies { arguments += [a] }
        }
        sql += " ORDER BY agency, start_ms, run_id"
        return try Row.fetchAll(r.db, sql: sql, arguments: arguments).map { row in
            Count(runID: row["run_id"], agency: row["agency"], startMs: row["start_ms"], seconds: row["seconds"],
                  inbound: TrafficCount(bytes: unsigned(row["in_bytes"]), packets: unsigned(row["in_packets"])),
                  outbound: TrafficCount(bytes: unsigned(row["out_bytes"]), packets: unsigned(row["out_packets"])))
        }
    }

    public static func tops(_ r: HealthReader, runs: [Int64], agency: String) throws -> [Top] {
        guard !runs.isEmpty else { return [] }
        return try Row.fetchAll(r.db, sql: """
            SELECT agency, kind, item, sum(bytes) AS bytes, sum(packets) AS packets FROM capture_tops
            WHERE agency = ? AND run_id IN (\(runs.map { _ in "?" }.joined(separator: ", "))) GROUP BY agency, kind, item ORDER BY kind, bytes DESC
            """, arguments: StatementArguments([agency]) + StatementArguments(runs)).map { row in
            Top(agency: row["agency"], kind: row["kind"], item: row["item"],
                traffic: TrafficCount(bytes: unsigned(row["bytes"]), packets: unsigned(row["packets"])))
        }
    }
}
