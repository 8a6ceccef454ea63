import Foundation
import GRDB
import SimpulCore

/// The time-series SQLite file, beside the main database (`simpul.db` → `simpul-health.db`): link
/// health's interfaces, every poll's samples, the hourly roll-ups and each link's state; and the
/// bandwidth surveys' packet-capture counts (`CaptureStore`).
/// A file of its own so that a poll's batch, retention deletes and checkpoints never hold the lock the
/// web and the ticket engine need. Integer-keyed `WITHOUT ROWID` tables, one write transaction per poll,
/// no audit rows (samples are measurements, not anybody's action).
///
/// Sizing (500 devices × 48 interfaces, one poll a minute): a raw row is about 60 bytes with its key
/// (two integers, six counters), so 24,000 interfaces × 1,440 polls × 14 days ≈ 29 GB at steady state;
/// an hourly row about 175 bytes (`HourlyRollup`), ≈ 3.1 GB a month, kept a year. The README's
/// "Link health" section gives the measured figures.
public final class HealthDatabase: Sendable {
    let writer: any DatabaseWriter

    init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// The health file that goes with the main database at `mainPath` (`x.db` → `x-health.db`).
    public static func path(besideMain mainPath: String) -> String {
        let url = URL(fileURLWithPath: mainPath)
        let stem = url.pathExtension.isEmpty ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-health.db").path
    }

    /// Opens (creating if needed) the health file at `path`: WAL, a busy timeout for the web and the
    /// poller sharing it.
    public static func open(path: String) throws -> HealthDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return try HealthDatabase(DatabasePool(path: path, configuration: configuration()))
    }

    /// A private in-memory health database, for tests.
    public static func inMemory() throws -> HealthDatabase {
        try HealthDatabase(DatabaseQueue(configuration: configuration()))
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }

    /// One read.
    public func read<T>(_ body: (HealthReader) throws -> T) throws -> T {
        try writer.read { db in try body(HealthReader(db: db)) }
    }

    /// One write transaction (`BEGIN IMMEDIATE`): a poll's whole batch, or one retention step.
    public func write<T>(_ body: (HealthWriter) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(HealthWriter(db: db))
                return .commit
            }
            return result!
        }
    }

    /// Bytes the file takes now (page count × page size): what the README's sizing is checked against.
    public func fileBytes() throws -> Int64 {
        try writer.read { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("h1-samples") { db in
            try db.execute(sql: """
                -- Every interface a device has shown the poller, with an id that stays when its ifIndex
                -- changes (matched by name and alias: SimpulCore's InterfaceMatcher). Devices by their
                -- inventory name, which a re-import keeps.
                CREATE TABLE interfaces (
                    id INTEGER PRIMARY KEY,
                    device TEXT NOT NULL,
                    if_index INTEGER NOT NULL CHECK (if_index BETWEEN 1 AND 2147483647),
                    name TEXT,
                    alias TEXT,
                    descr TEXT,
                    present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
                    first_seen_ms INTEGER NOT NULL,
                    last_seen_ms INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX interfaces_device ON interfaces(device, if_index);

                -- One row per interface per poll: exact counts over an exact span (milliseconds since
                -- 1970, UTC), keyed by where the span starts (the previous poll's time: a repeated run
                -- writes the same key; two polls within one minute never collide). Counters are
                -- unsigned 64-bit, stored as their bit pattern.
                CREATE TABLE samples (
                    interface_id INTEGER NOT NULL,
                    start_ms INTEGER NOT NULL,
                    end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
                    in_octets INTEGER NOT NULL,
                    out_octets INTEGER NOT NULL,
                    in_errors INTEGER,
                    out_errors INTEGER,
                    in_discards INTEGER,
                    out_discards INTEGER,
                    PRIMARY KEY (interface_id, start_ms)
                ) STRICT, WITHOUT ROWID;

                -- One row per interface per hour, kept a year: the hour's totals and maxima, and its
                -- twelve five-minute sums (HourlyRollup's BLOB) for an exact 95th percentile.
                CREATE TABLE hours (
                    interface_id INTEGER NOT NULL,
                    hour INTEGER NOT NULL,
                    covered_ms INTEGER NOT NULL,
                    in_octets INTEGER NOT NULL,
                    out_octets INTEGER NOT NULL,
                    in_max_bps INTEGER NOT NULL,
                    out_max_bps INTEGER NOT NULL,
                    in_errors INTEGER,
                    out_errors INTEGER,
                    in_discards INTEGER,
                    out_discards INTEGER,
                    samples INTEGER NOT NULL,
                    slots BLOB NOT NULL,
                    PRIMARY KEY (interface_id, hour)
                ) STRICT, WITHOUT ROWID;

                -- Each interface's last reading: the counters the next poll's rates start from.
                CREATE TABLE readings (
                    interface_id INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    uptime INTEGER CHECK (uptime BETWEEN 0 AND 4294967295),
                    if_index INTEGER NOT NULL,
                    in_octets INTEGER,
                    out_octets INTEGER,
                    wide INTEGER NOT NULL CHECK (wide IN (0, 1)),
                    in_errors INTEGER CHECK (in_errors BETWEEN 0 AND 4294967295),
                    out_errors INTEGER CHECK (out_errors BETWEEN 0 AND 4294967295),
                    in_discards INTEGER CHECK (in_discards BETWEEN 0 AND 4294967295),
                    out_discards INTEGER CHECK (out_discards BETWEEN 0 AND 4294967295),
                    speed INTEGER,
                    discontinuity INTEGER CHECK (discontinuity BETWEEN 0 AND 4294967295)
                ) STRICT, WITHOUT ROWID;

                -- Each link's state machine between runs (SimpulCore's LinkHealthMachine, as JSON), and
                -- what the service last made of it.
                CREATE TABLE link_states (
                    circuit TEXT PRIMARY KEY,
                    state TEXT NOT NULL,
                    machine TEXT NOT NULL,
                    changed_ms INTEGER NOT NULL,
                    polled_ms INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("h2-cycles-devices-changes-servers") { db in
            try db.execute(sql: """
                -- Each cycle's own report, for the poller page and /metrics (kept as long as raw samples).
                CREATE TABLE cycles (
                    started_ms INTEGER PRIMARY KEY,
                    duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
                    devices INTEGER NOT NULL CHECK (devices >= 0),
                    failed INTEGER NOT NULL CHECK (failed BETWEEN 0 AND devices),
                    interfaces INTEGER NOT NULL CHECK (interfaces >= 0),
                    samples INTEGER NOT NULL CHECK (samples >= 0),
                    changes INTEGER NOT NULL CHECK (changes >= 0),
                    servers INTEGER NOT NULL CHECK (servers >= 0),
                    servers_down INTEGER NOT NULL CHECK (servers_down BETWEEN 0 AND servers)
                ) STRICT, WITHOUT ROWID;

                -- Each device's last walk: when, whether it answered and what is wrong, how long it took, the
                -- GETBULK size it settled on (the next walk starts there), failures in a row.
                CREATE TABLE devices (
                    device TEXT PRIMARY KEY,
                    polled_ms INTEGER NOT NULL,
                    answered INTEGER NOT NULL CHECK (answered IN (0, 1)),
                    problem_id TEXT,
                    problem_en TEXT,
                    interfaces INTEGER NOT NULL CHECK (interfaces >= 0),
                    duration_ms INTEGER CHECK (duration_ms >= 0),
                    max_repetitions INTEGER CHECK (max_repetitions BETWEEN 1 AND 1000),
                    last_answer_ms INTEGER,
                    failures INTEGER NOT NULL CHECK (failures >= 0),
                    CHECK ((problem_id IS NULL) = (problem_en IS NULL))
                ) STRICT, WITHOUT ROWID;

                -- Every change of a link's state, as the machine decided it: the link's history, and the
                -- measured outages (time in down) the provider report counts.
                CREATE TABLE link_changes (
                    circuit TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    impairments TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (circuit, at_ms, to_state)
                ) STRICT, WITHOUT ROWID;

                -- Each hosted server's last check (the hosting module's enrolments in the main database), by device name.
                CREATE TABLE servers (
                    device TEXT PRIMARY KEY,
                    target TEXT NOT NULL,
                    checked_ms INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('up', 'down', 'unchecked')),
                    outcome_id TEXT NOT NULL,
                    outcome_en TEXT NOT NULL,
                    round_trip_us INTEGER CHECK (round_trip_us >= 0),
                    since_ms INTEGER NOT NULL,
                    failures INTEGER NOT NULL CHECK (failures >= 0)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("h3-capture") { db in
            try db.execute(sql: """
                -- Packet captures (bandwidth surveys): each run — a file read or a live capture — with how
                -- complete it was (the kernel's and the interface's drops, frames that did not decode, a
                -- file cut short), and its counts per agency per interval. Agencies by code ('' for the
                -- traffic no agency's range matched). Bytes are frame lengths on the wire.
                CREATE TABLE capture_runs (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL CHECK (source IN ('file', 'live')),
                    name TEXT NOT NULL,
                    filter TEXT,
                    circuit TEXT,
                    started_ms INTEGER NOT NULL,
                    ended_ms INTEGER NOT NULL CHECK (ended_ms >= started_ms),
                    first_ms INTEGER,
                    last_ms INTEGER,
                    interval_s INTEGER NOT NULL CHECK (interval_s BETWEEN 1 AND 86400),
                    frames INTEGER NOT NULL CHECK (frames >= 0),
                    frame_bytes INTEGER NOT NULL,
                    received INTEGER,
                    dropped_kernel INTEGER,
                    dropped_interface INTEGER,
                    unattributed_packets INTEGER NOT NULL,
                    unattributed_bytes INTEGER NOT NULL,
                    non_ip_packets INTEGER NOT NULL,
                    non_ip_bytes INTEGER NOT NULL,
                    failed_packets INTEGER NOT NULL,
                    failures TEXT NOT NULL DEFAULT '',
                    stopped TEXT,
                    by TEXT NOT NULL
                ) STRICT;

                CREATE TABLE capture_counts (
                    run_id INTEGER NOT NULL REFERENCES capture_runs(id) ON DELETE CASCADE,
                    agency TEXT NOT NULL,
                    start_ms INTEGER NOT NULL,
                    seconds INTEGER NOT NULL CHECK (seconds BETWEEN 1 AND 86400),
                    in_bytes INTEGER NOT NULL,
                    out_bytes INTEGER NOT NULL,
                    in_packets INTEGER NOT NULL,
                    out_packets INTEGER NOT NULL,
                    PRIMARY KEY (agency, start_ms, run_id)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX capture_counts_run ON capture_counts(run_id);

                -- Each agency's heaviest hosts and services in a run.
                CREATE TABLE capture_tops (
                    run_id INTEGER NOT NULL REFERENCES capture_runs(id) ON DELETE CASCADE,
                    agency TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('host', 'service')),
                    item TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    packets INTEGER NOT NULL,
                    PRIMARY KEY (run_id, agency, kind, item)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        return migrator
    }
}

/// A read of the health database, for `HealthStore`.
public struct HealthReader {
    let db: Database
}

/// A write transaction on the health database, for `HealthStore`.
public struct HealthWriter {
    let db: Database
    public var reader: HealthReader { HealthReader(db: db) }
}

/// The health file of a process, opened the first time something needs it (most commands never do),
/// then kept: `simpul serve` and `simpul poll` open it once.
public final class HealthFile: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var opened: HealthDatabase?

    public init(path: String) { self.path = path }

    /// An in-memory health database, for tests.
    public init(database: HealthDatabase) {
        path = ":memory:"
        opened = database
    }

    public func database() throws -> HealthDatabase {
        try lock.withLock {
            if let opened { return opened }
            let database = try HealthDatabase.open(path: path)
            opened = database
            return database
        }
    }
}
