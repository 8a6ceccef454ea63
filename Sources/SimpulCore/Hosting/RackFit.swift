/// A rack as rack fit sees it: its height, its power budget per feed, and the units in use.
public struct RackSpace: Sendable, Hashable {
    public var code: String
    public var heightU: Int
    public var feedAWatts: Int?
    public var feedBWatts: Int?
    /// Units in use as (lowest unit, height); units count from 1 at the bottom.
    public var occupied: [(position: Int, height: Int)]
    /// What the rack's devices draw on each feed (each device draws its power on both feeds, so
    /// either feed alone carries the rack).
    public var loadPerFeedWatts: Int

    public init(code: String, heightU: Int, feedAWatts: Int?, feedBWatts: Int?, occupied: [(position: Int, height: Int)], loadPerFeedWatts: Int) {
        self.code = code
        self.heightU = heightU
        self.feedAWatts = feedAWatts
        self.feedBWatts = feedBWatts
        self.occupied = occupied
        self.loadPerFeedWatts = loadPerFeedWatts
    }

    public static func == (a: RackSpace, b: RackSpace) -> Bool {
        a.code == b.code && a.heightU == b.heightU && a.occupied.map(\.position) == b.occupied.map(\.position)
            && a.occupied.map(\.height) == b.occupied.map(\.height) && a.loadPerFeedWatts == b.loadPerFeedWatts
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The runs of free units, bottom up, as (lowest unit, length).
    public var freeRuns: [(position: Int, length: Int)] {
        var used = [Bool](repeating: false, count: heightU + 1)
        for block in occupied {
            for u in max(1, block.position)...max(1, min(heightU, block.position + block.height - 1)) where block.position <= heightU { used[u] = true }
        }
        var runs: [(Int, Int)] = []
        var start: Int?
        for u in 1...max(1, heightU) {
            if !used[u] {
                if start == nil { start = u }
            } else if let s = start {
                runs.append((s, u - s))
                start = nil
            }
        }
        if let s = start { runs.append((s, heightU - s + 1)) }
        return runs
    }

    /// Watts left on the feed with the least room; nil when the rack has no budget recorded.
    public var headroomWatts: Int? {
        let budgets = [feedAWatts, feedBWatts].compactMap { $0 }
        guard let least = budgets.min() else { return nil }
        return least - loadPerFeedWatts
    }
}

/// Where a server of a given height and draw can go.
public struct RackCandidate: Sendable, Hashable {
    public var rack: String
    /// The lowest unit the server would occupy.
    public var position: Int
    /// The free run it goes into, and what is left of it.
    public var runLength: Int
    public var unitsLeftInRun: Int { runLength - heightNeeded }
    public var heightNeeded: Int
    /// Watts left on each feed after the server.
    public var feedALeft: Int?
    public var feedBLeft: Int?

    /// The units it would take: `U12`, `U12–U13`.
    public var units: String { heightNeeded > 1 ? "U\(position)–U\(position + heightNeeded - 1)" : "U\(position)" }
}

/// Why a server does not fit where it was asked to go.
public enum RackFitProblem: Error, Sendable, Hashable {
    case unknownRack(String)
    case outsideRack(rack: String, heightU: Int)
    case unitsTaken(rack: String, from: Int, to: Int)
    case power(rack: String, feed: String, needed: Int, left: Int)
    case noRoom(heightU: Int, watts: Int)

    public var text: Text {
        switch self {
        case .unknownRack(let code):
            Text(id: "rak \(code) tidak ada di inventaris", en: "rack \(code) is not in the inventory")
        case .outsideRack(let rack, let height):
            Text(id: "posisi itu melewati tinggi rak \(rack) (\(height)U)", en: "that position runs past the top of rack \(rack) (\(height)U)")
        case .unitsTaken(let rack, let from, let to):
            Text(id: "U\(from)–U\(to) di rak \(rack) sudah terpakai; pilih posisi dari daftar rak yang muat",
                 en: "U\(from)–U\(to) in rack \(rack) are in use; choose a position from the racks that fit")
        case .power(let rack, let feed, let needed, let left):
            Text(id: "daya feed \(feed) rak \(rack) tinggal \(left) W, server perlu \(needed) W", en: "feed \(feed) of rack \(rack) has \(left) W left; the server needs \(needed) W")
        case .noRoom(let height, let watts):
            Text(id: "tidak ada rak dengan \(height)U berurutan yang kosong dan sisa daya \(watts) W di kedua feed; kosongkan ruang atau tambah rak",
                 en: "no rack has \(height) contiguous free U and \(watts) W left on both feeds; free some space or add a rack")
        }
    }
}

public enum RackFit {
    /// The places a server of `heightU` drawing `watts` on each feed fits, best first: the smallest
    /// free run that holds it (so large runs stay whole for large servers), then the rack with the
    /// least power left (so power is packed as tightly as space), then the rack's code. One candidate
    /// per rack: the lowest unit of its best run.
    public static func candidates(_ racks: [RackSpace], heightU: Int, watts: Int) -> [RackCandidate] {
        var found: [RackCandidate] = []
        for rack in racks {
            let a = rack.feedAWatts.map { $0 - rack.loadPerFeedWatts - watts }
            let b = rack.feedBWatts.map { $0 - rack.loadPerFeedWatts - watts }
            if let a, a < 0 { continue }
            if let b, b < 0 { continue }
            guard let run = rack.freeRuns.filter({ $0.length >= heightU }).min(by: { ($0.length, $0.position) < ($1.length, $1.position) }) else { continue }
            found.append(RackCandidate(rack: rack.code, position: run.position, runLength: run.length, heightNeeded: heightU, feedALeft: a, feedBLeft: b))
        }
        return found.sorted { x, y in
            let xPower = [x.feedALeft, x.feedBLeft].compactMap { $0 }.min() ?? Int.max
            let yPower = [y.feedALeft, y.feedBLeft].compactMap { $0 }.min() ?? Int.max
            return (x.unitsLeftInRun, xPower, x.rack) < (y.unitsLeftInRun, yPower, y.rack)
        }
    }

    /// What is wrong with putting the server at `position` in `rack`; nil when it fits.
    public static func problem(_ rack: RackSpace, position: Int, heightU: Int, watts: Int) -> RackFitProblem? {
        // Compared without adding first, so that no position or height, however large, can overflow.
        guard position >= 1, position <= rack.heightU, heightU >= 1, heightU <= rack.heightU - position + 1 else {
            return .outsideRack(rack: rack.code, heightU: rack.heightU)
        }
        let top = position + heightU - 1
        for block in rack.occupied {
            let blockTop = block.position + block.height - 1
            if block.position <= top && position <= blockTop {
                return .unitsTaken(rack: rack.code, from: max(position, block.position), to: min(top, blockTop))
            }
        }
        for (feed, budget) in [("A", rack.feedAWatts), ("B", rack.feedBWatts)] {
            if let budget, budget - rack.loadPerFeedWatts < watts {
                return .power(rack: rack.code, feed: feed, needed: watts, left: budget - rack.loadPerFeedWatts)
            }
        }
        return nil
    }
}
