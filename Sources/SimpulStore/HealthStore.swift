import Foundation
import GRDB
import SimpulCore

/// Link health's rows (`HealthDatabase`): interfaces by device, samples, hourly roll-ups, link states.
/// Roll-up happens as samples are written (each sample is added to its hour in the same transaction),
/// so there is no backlog to catch up on; retention deletes in bounded steps.
public enum HealthStore {
    // MARK: Interfaces

    /// The interfaces known for `device`, present or not, as the matcher takes them.
    public static func interfaces(_ reader: HealthReader, device: String) throws -> [KnownInterface] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM interfaces WHERE device = ? ORDER BY id", arguments: [device]).map(known)
    }

    /// Every interface of every device: (device, interface), for pages and `/metrics`.
    public static func allInterfaces(_ reader: HealthReader) throws -> [(device: String, interface: KnownInterface)] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM interfaces ORDER BY device, if_index").map { (device: $0["device"], interface: try known($0)) }
    }

    static func known(_ row: Row) throws -> KnownInterface {
        KnownInterface(id: row["id"], ifIndex: Int32(clamping: row["if_index"] as Int64), name: row["name"], alias: row["alias"], descr: row["descr"],
                       present: (row["present"] as Int64) == 1)
    }

    /// Writes what a walk showed: matched interfaces take their new index and names, new ones get an
    /// id, vanished ones are marked absent (their id stays, for when they return). Returns the ids of
    /// the walked interfaces by ifIndex.
    public static func recordWalk(_ writer: HealthWriter, device: String, match: InterfaceMatch, at millis: Int64) throws -> [Int32: Int64] {
        var ids: [Int32: Int64] = [:]
        // Every statement is prepared once per connection: a cycle runs these for every interface of
        // every device, and preparing (with GRDB's authorizer) cost more than running them.
        let update = try writer.db.cachedStatement(sql: """
            UPDATE interfaces SET if_index = ?, name = ?, alias = ?, descr = ?, present = 1, last_seen_ms = ? WHERE id = ?
            """)
        var unchanged: [Int64] = []
        for pair in match.matched {
            ids[pair.walked.ifIndex] = pair.known.id
            let k = pair.known, w = pair.walked
            if k.present && k.ifIndex == w.ifIndex && k.name == w.name && k.alias == w.alias && k.descr == w.descr {
                unchanged.append(k.id)     // only last_seen_ms moves: all of them at once below
                continue
            }
            try update.execute(arguments: [w.ifIndex, w.name, w.alias, w.descr, millis, k.id])
        }
        for chunk in stride(from: 0, to: unchanged.count, by: 500).map({ Array(unchanged[$0..<min($0 + 500, unchanged.count)]) }) {
            try writer.db.execute(sql: "UPDATE interfaces SET last_seen_ms = ? WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                                  arguments: StatementArguments([millis]) + StatementArguments(chunk))
        }
        let insert = try writer.db.cachedStatement(sql: """
            INSERT INTO interfaces (device, if_index, name, alias, descr, present, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, 1, ?, ?)
            """)
        for walked in match.new {
            try insert.execute(arguments: [device, walked.ifIndex, walked.name, walked.alias, walked.descr, millis, millis])
            ids[walked.ifIndex] = writer.db.lastInsertedRowID
        }
        let absent = try writer.db.cachedStatement(sql: "UPDATE interfaces SET present = 0 WHERE id = ?")
        for gone in match.vanished where gone.present {
            try absent.execute(arguments: [gone.id])
        }
        return ids
    }

    // MARK: Last readings

    /// The last readings of `interfaceIDs`, by id.
    public static func readings(_ reader: HealthReader, interfaceIDs: [Int64]) throws -> [Int64: CounterReading] {
        guard !interfaceIDs.isEmpty else { return [:] }
        var found: [Int64: CounterReading] = [:]
        for chunk in stride(from: 0, to: interfaceIDs.count, by: 500).map({ Array(interfaceIDs[$0..<min($0 + 500, interfaceIDs.count)]) }) {
            let rows = try Row.fetchAll(reader.db, sql: "SELECT * FROM readings WHERE interface_id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                                        arguments: StatementArguments(chunk))
            for row in rows {
                let wide = (row["wide"] as Int64) == 1
                func counter(_ column: String) -> CounterValue? {
                    (row[column] as Int64?).map { wide ? .counter64(unbits($0)) : .counter32(UInt32(truncatingIfNeeded: $0)) }
                }
                func small(_ column: String) -> UInt32? { (row[column] as Int64?).map { UInt32(truncatingIfNeeded: $0) } }
                found[row["interface_id"]] = CounterReading(
                    at: EpochMillis.date(row["at_ms"]), sysUpTime: small("uptime"), ifIndex: Int32(truncatingIfNeeded: row["if_index"] as Int64),
                    inOctets: counter("in_octets"), outOctets: counter("out_octets"), inErrors: small("in_errors"), outErrors: small("out_errors"),
                    inDiscards: small("in_discards"), outDiscards: small("out_discards"), speed: (row["speed"] as Int64?).map(unbits),
                    discontinuityTime: small("discontinuity"))
            }
        }
        return found
    }

    /// Keeps each interface's newest reading.
    public static func saveReadings(_ writer: HealthWriter, _ readings: [(interfaceID: Int64, reading: CounterReading)]) throws {
        let upsert = try writer.db.cachedStatement(sql: """
            INSERT OR REPLACE INTO readings (interface_id, at_ms, uptime, if_index, in_octets, out_octets, wide, in_errors, out_errors,
                                             in_discards, out_discards, speed, discontinuity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (id, r) in readings {
            let wide = r.inOctets?.is64Bit ?? r.outOctets?.is64Bit ?? false
            func wide32(_ value: UInt32?) -> Int64? { value.map { Int64($0) } }
            let at: Int64 = EpochMillis.of(r.at) ?? 0
            let inOctets: Int64? = r.inOctets.map { bits($0.value) }, outOctets: Int64? = r.outOctets.map { bits($0.value) }
            try upsert.execute(arguments: [id, at, wide32(r.sysUpTime), Int64(r.ifIndex), inOctets, outOctets, wide ? 1 : 0,
                                           wide32(r.inErrors), wide32(r.outErrors), wide32(r.inDiscards), wide32(r.outDiscards),
                                           r.speed.map(bits), wide32(r.discontinuityTime)])
        }
    }

    // MARK: Samples and hours

    /// One poll's samples: each stored raw and added to its hour (or hours, when it spans two). A
    /// sample already stored for that interface and start is left as it was (a repeated run).
    /// Returns how many were new.
    @discardableResult
    public static func record(_ writer: HealthWriter, samples: [(interfaceID: Int64, sample: TrafficSample)]) throws -> Int {
        let insert = try writer.db.cachedStatement(sql: """
            INSERT OR IGNORE INTO samples (interface_id, start_ms, end_ms, in_octets, out_octets, in_errors, out_errors, in_discards, out_discards)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var added = 0
        var hours: [HourKey: HourlyRollup] = [:]
        for (id, sample) in samples {
            try insert.execute(arguments: [id, sample.start, sample.end, bits(sample.inOctets), bits(sample.outOctets),
                                           sample.inErrors.map(bits), sample.outErrors.map(bits), sample.inDiscards.map(bits), sample.outDiscards.map(bits)])
            guard writer.db.changesCount > 0 else { continue }
            added += 1
            var hourStart = sample.start - sample.start % TrafficBucket.hour
            while hourStart < sample.end {
                let key = HourKey(interfaceID: id, hour: hourStart / TrafficBucket.hour)
                if hours[key] == nil { hours[key] = try hour(writer.reader, key) ?? HourlyRollup(containing: hourStart) }
                hours[key]!.add(sample)
                hourStart += TrafficBucket.hour
            }
        }
        let upsert = try writer.db.cachedStatement(sql: """
            INSERT OR REPLACE INTO hours (interface_id, hour, covered_ms, in_octets, out_octets, in_max_bps, out_max_bps,
                                          in_errors, out_errors, in_discards, out_discards, samples, slots)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (key, rollup) in hours {
            let h = rollup.hour
            try upsert.execute(arguments: [key.interfaceID, key.hour, h.coveredMillis, bits(h.inOctets), bits(h.outOctets),
                                           bits(h.inMaxBitsPerSecond), bits(h.outMaxBitsPerSecond), h.inErrors.map(bits), h.outErrors.map(bits),
                                           h.inDiscards.map(bits), h.outDiscards.map(bits), h.samples, Data(rollup.encodedSlots())])
        }
        return added
    }

    struct HourKey: Hashable { var interfaceID: Int64; var hour: Int64 }

    static func hour(_ reader: HealthReader, _ key: HourKey) throws -> HourlyRollup? {
        try Row.fetchOne(try reader.db.cachedStatement(sql: "SELECT * FROM hours WHERE interface_id = ? AND hour = ?"),
                         arguments: [key.interfaceID, key.hour]).map(rollup)
    }

    static func rollup(_ row: Row) throws -> HourlyRollup {
        let start = (row["hour"] as Int64) * TrafficBucket.hour
        guard let bucket = TrafficBucket(start: start, width: TrafficBucket.hour, coveredMillis: row["covered_ms"],
                                         inOctets: unbits(row["in_octets"]), outOctets: unbits(row["out_octets"]),
                                         inMaxBitsPerSecond: unbits(row["in_max_bps"]), outMaxBitsPerSecond: unbits(row["out_max_bps"]),
                                         inErrors: (row["in_errors"] as Int64?).map(unbits), outErrors: (row["out_errors"] as Int64?).map(unbits),
                                         inDiscards: (row["in_discards"] as Int64?).map(unbits), outDiscards: (row["out_discards"] as Int64?).map(unbits),
                                         samples: row["samples"]) else {
            throw DatabaseError(message: "hours row \(row["interface_id"] as Int64)/\(row["hour"] as Int64) is damaged")
        }
        let slots = row["slots"] as Data
        return try HourlyRollup(hour: bucket, encodedSlots: [UInt8](slots))
    }

    /// The raw samples of an interface in `[from, to)` (milliseconds), oldest first.
    public static func samples(_ reader: HealthReader, interfaceID: Int64, from: Int64, to: Int64) throws -> [TrafficSample] {
        try Row.fetchAll(reader.db, sql: """
            SELECT * FROM samples WHERE interface_id = ? AND start_ms > ? AND start_ms < ? ORDER BY start_ms
            """, arguments: [interfaceID, from - TrafficSample.longestMillis, to]).compactMap(sample).filter { $0.end > from && $0.start < to }
    }

    /// The newest sample of an interface.
    public static func latestSample(_ reader: HealthReader, interfaceID: Int64) throws -> TrafficSample? {
        try Row.fetchOne(reader.db, sql: "SELECT * FROM samples WHERE interface_id = ? ORDER BY start_ms DESC LIMIT 1", arguments: [interfaceID]).flatMap(sample)
    }

    static func sample(_ row: Row) -> TrafficSample? {
        TrafficSample(start: row["start_ms"], end: row["end_ms"], inOctets: unbits(row["in_octets"]), outOctets: unbits(row["out_octets"]),
                      inErrors: (row["in_errors"] as Int64?).map(unbits), outErrors: (row["out_errors"] as Int64?).map(unbits),
                      inDiscards: (row["in_discards"] as Int64?).map(unbits), outDiscards: (row["out_discards"] as Int64?).map(unbits))
    }

    /// The hours of an interface that begin in `[from, to)`, oldest first.
    public static func hours(_ reader: HealthReader, interfaceID: Int64, from: Int64, to: Int64) throws -> [HourlyRollup] {
        let first = from / TrafficBucket.hour, last = (to + TrafficBucket.hour - 1) / TrafficBucket.hour
        return try Row.fetchAll(reader.db, sql: "SELECT * FROM hours WHERE interface_id = ? AND hour >= ? AND hour < ? ORDER BY hour",
                                arguments: [interfaceID, first, last]).map(rollup)
    }

    // MARK: Retention

    public struct Pruned: Sendable, Hashable {
        public var samples = 0
        public var hours = 0
        /// Something older than the limits is left for the next run (the step's row budget ran out).
        public var more = false

        public init() {}
    }

    /// Deletes raw samples older than `samplesBefore` and hours older than `hoursBefore`, at most
    /// `limit` rows of each in this transaction, so one run never holds the file for long.
    public static func prune(_ writer: HealthWriter, samplesBefore: Int64, hoursBefore: Int64, limit: Int) throws -> Pruned {
        var pruned = Pruned()
        try writer.db.execute(sql: """
            DELETE FROM samples WHERE (interface_id, start_ms) IN (SELECT interface_id, start_ms FROM samples WHERE start_ms < ? LIMIT ?)
            """, arguments: [samplesBefore, limit])
        pruned.samples = writer.db.changesCount
        try writer.db.execute(sql: """
            DELETE FROM hours WHERE (interface_id, hour) IN (SELECT interface_id, hour FROM hours WHERE hour < ? LIMIT ?)
            """, arguments: [hoursBefore / TrafficBucket.hour, limit])
        pruned.hours = writer.db.changesCount
        pruned.more = pruned.samples == limit || pruned.hours == limit
        return pruned
    }

    // MARK: Link states

    public struct LinkStateRow: Sendable, Hashable {
        public var circuit: String
        public var state: LinkState
        /// The machine's own state, as its JSON.
        public var machine: Data
        public var changedAt: Int64
        public var polledAt: Int64

        public init(circuit: String, state: LinkState, machine: Data, changedAt: Int64, polledAt: Int64) {
            self.circuit = circuit
            self.state = state
            self.machine = machine
            self.changedAt = changedAt
            self.polledAt = polledAt
        }
    }

    public static func linkStates(_ reader: HealthReader) throws -> [LinkStateRow] {
        try Row.fetchAll(reader.db, sql: "SELECT * FROM link_states ORDER BY circuit").map(linkState)
    }

    public static func linkState(_ reader: HealthReader, circuit: String) throws -> LinkStateRow? {
        try Row.fetchOne(reader.db, sql: "SELECT * FROM link_states WHERE circuit = ?", arguments: [circuit]).map(linkState)
    }

    static func linkState(_ row: Row) throws -> LinkStateRow {
        guard let state = LinkState(rawValue: row["state"]) else {
            throw DatabaseError(message: "link_states row \(row["circuit"] as String) has an unknown state")
        }
        return LinkStateRow(circuit: row["circuit"], state: state, machine: Data((row["machine"] as String).utf8), changedAt: row["changed_ms"],
                            polledAt: row["polled_ms"])
    }

    public static func saveLinkState(_ writer: HealthWriter, _ row: LinkStateRow) throws {
        try writer.db.cachedStatement(sql: """
            INSERT INTO link_states (circuit, state, machine, changed_ms, polled_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (circuit) DO UPDATE SET state = excluded.state, machine = excluded.machine,
                changed_ms = excluded.changed_ms, polled_ms = excluded.polled_ms
            """).execute(arguments: [row.circuit, row.state.rawValue, String(decoding: row.machine, as: UTF8.self), row.changedAt, row.polledAt])
    }

    // MARK: Unsigned counters in SQLite's signed integers

    static func bits(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }
    static func unbits(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }
}
