import Foundation

/// What the matcher says about an interface of this walk compared with the one it was known as.
public enum InterfaceContinuity: Sendable, Hashable, Codable {
    /// Seen in the last walk at the same ifIndex: its counters continue.
    case same
    /// Not known before: no interval yet.
    case new
    /// Known, at another ifIndex in the last walk (renumbered): the interval is discarded.
    case moved(from: Int32)
    /// Known, but missing from the last walk: the interval is discarded.
    case returned

    /// Whether a rate may be computed from the previous reading.
    public var continues: Bool { self == .same }
}

/// An interface Simpul already knows on a device (a row with a stable id).
public struct KnownInterface: Sendable, Hashable, Codable {
    /// The stable id of the interface's row: what samples, links and charts refer to.
    public var id: Int64
    /// Its ifIndex when last seen.
    public var ifIndex: Int32
    public var name: String?
    public var alias: String?
    public var descr: String?
    /// Whether it was in the last walk.
    public var present: Bool

    public init(id: Int64, ifIndex: Int32, name: String?, alias: String? = nil, descr: String? = nil, present: Bool = true) {
        self.id = id
        self.ifIndex = ifIndex
        self.name = name
        self.alias = alias
        self.descr = descr
        self.present = present
    }
}

/// An interface as this walk found it.
public struct WalkedInterface: Sendable, Hashable, Codable {
    public var ifIndex: Int32
    /// ifName, ifAlias, ifDescr as the agent gave them.
    public var name: String?
    public var alias: String?
    public var descr: String?

    public init(ifIndex: Int32, name: String?, alias: String? = nil, descr: String? = nil) {
        self.ifIndex = ifIndex
        self.name = name
        self.alias = alias
        self.descr = descr
    }
}

/// Which of a device's known interfaces this walk found, which are new and which vanished.
public struct InterfaceMatch: Sendable, Hashable {
    /// How a walked interface was recognised.
    public enum Key: String, Sendable, Hashable, Codable, CaseIterable {
        case name, alias, descr, ifIndex = "if_index"
    }

    public struct Pair: Sendable, Hashable {
        public var known: KnownInterface
        public var walked: WalkedInterface
        public var key: Key
        public var continuity: InterfaceContinuity
    }

    /// Known interfaces found again, in the walk's order.
    public var matched: [Pair]
    /// Interfaces of the walk Simpul did not know, in the walk's order: new rows.
    public var new: [WalkedInterface]
    /// Known interfaces that were in the last walk and are not in this one.
    public var vanished: [KnownInterface]

    /// Matched interfaces whose ifIndex changed: their intervals are discarded.
    public var moved: [Pair] { matched.filter { if case .moved = $0.continuity { true } else { false } } }
    /// Matched interfaces that were missing from the last walk: their intervals are discarded.
    public var returned: [Pair] { matched.filter { $0.continuity == .returned } }
}

/// Recognises a device's interfaces across walks by what identifies a port rather than by ifIndex
/// alone, which agents may renumber after a reboot: an ifIndex reused by another port must never mix
/// the two ports' counters.
///
/// In order, each step among what is still unmatched, and only on values unique on both sides:
/// 1. ifName, the port's name (`ge-0/0/1`, `ether1`): the strongest identity.
/// 2. ifAlias, the description an operator set, where at least one side has no ifName (old agents).
/// 3. ifDescr, likewise.
/// 4. ifIndex, where nothing contradicts it.
/// Two interfaces that both have an ifName and differ in it are never the same port; after step 1, nor
/// are two whose ifDescr differs. Linear in the number of interfaces (devices with 20,000 exist).
public enum InterfaceMatcher {
    public static func match(known: [KnownInterface], walked: [WalkedInterface]) -> InterfaceMatch {
        var knownTaken = [Bool](repeating: false, count: known.count)
        var walkTaken = [Bool](repeating: false, count: walked.count)
        var pairs: [(walk: Int, known: Int, key: InterfaceMatch.Key)] = []

        func pass(_ key: InterfaceMatch.Key, value: (String?) -> String?, knownValue: (KnownInterface) -> String?,
                  walkValue: (WalkedInterface) -> String?, allowed: (KnownInterface, WalkedInterface) -> Bool) {
            var knownBy: [String: [Int]] = [:]
            for (i, k) in known.enumerated() where !knownTaken[i] {
                if let v = value(knownValue(k)) { knownBy[v, default: []].append(i) }
            }
            var walkBy: [String: [Int]] = [:]
            for (j, w) in walked.enumerated() where !walkTaken[j] {
                if let v = value(walkValue(w)) { walkBy[v, default: []].append(j) }
            }
            for (j, w) in walked.enumerated() where !walkTaken[j] {
                guard let v = value(walkValue(w)), walkBy[v]?.count == 1, let ks = knownBy[v], ks.count == 1,
                      !knownTaken[ks[0]], allowed(known[ks[0]], w) else { continue }
                knownTaken[ks[0]] = true
                walkTaken[j] = true
                pairs.append((j, ks[0], key))
            }
        }

        let text: (String?) -> String? = { raw in
            guard let trimmed = raw?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        func differ(_ a: String?, _ b: String?) -> Bool {
            guard let a = text(a), let b = text(b) else { return false }
            return a != b
        }
        let namesAgree: (KnownInterface, WalkedInterface) -> Bool = { !differ($0.name, $1.name) }
        let nameless: (KnownInterface, WalkedInterface) -> Bool = { k, w in
            (text(k.name) == nil || text(w.name) == nil) && !differ(k.descr, w.descr)
        }

        pass(.name, value: text, knownValue: \.name, walkValue: \.name, allowed: { _, _ in true })
        pass(.alias, value: text, knownValue: \.alias, walkValue: \.alias, allowed: nameless)
        pass(.descr, value: text, knownValue: \.descr, walkValue: \.descr, allowed: { k, w in text(k.name) == nil || text(w.name) == nil })
        pass(.ifIndex, value: { $0 }, knownValue: { String($0.ifIndex) }, walkValue: { String($0.ifIndex) },
             allowed: { k, w in namesAgree(k, w) && !differ(k.descr, w.descr) })

        var byWalk = [Int?](repeating: nil, count: walked.count)
        var keys = [InterfaceMatch.Key](repeating: .name, count: walked.count)
        for pair in pairs {
            byWalk[pair.walk] = pair.known
            keys[pair.walk] = pair.key
        }
        var matched: [InterfaceMatch.Pair] = []
        var new: [WalkedInterface] = []
        for (j, w) in walked.enumerated() {
            guard let i = byWalk[j] else { new.append(w); continue }
            let k = known[i]
            let continuity: InterfaceContinuity = !k.present ? .returned : k.ifIndex != w.ifIndex ? .moved(from: k.ifIndex) : .same
            matched.append(InterfaceMatch.Pair(known: k, walked: w, key: keys[j], continuity: continuity))
        }
        let vanished = known.indices.filter { !knownTaken[$0] && known[$0].present }.map { known[$0] }
        return InterfaceMatch(matched: matched, new: new, vanished: vanished)
    }
}
