import Crypto
import Foundation

/// One row of the append-only audit log: who changed what, when, from what to what.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var seq: Int64
    /// UTC, ISO 8601 with milliseconds, exactly as stored (it is part of the hash).
    public var at: String
    public var actor: String
    public var action: String
    public var objectType: String
    public var objectKey: String
    /// JSON of the object before and after the change (nil for creations and deletions).
    public var before: String?
    public var after: String?
    public var reason: String?
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, at: String, actor: String, action: String, objectType: String, objectKey: String,
                before: String?, after: String?, reason: String? = nil, prevHash: String, hash: String = "") {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectKey = objectKey
        self.before = before
        self.after = after
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The SHA-256 chain over the audit log: each row's hash covers its content and the previous
/// row's hash, so an edited, inserted or deleted row breaks the chain from there on.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash a row must carry.
    public static func hash(of entry: AuditEntry) -> String {
        // Fields are length-prefixed so no choice of content can make two rows hash alike.
        var canonical = ""
        func field(_ value: String?) {
            guard let value else { canonical += "-;"; return }
            canonical += "\(value.utf8.count):\(value);"
        }
        field(String(entry.seq)); field(entry.at); field(entry.actor); field(entry.action)
        field(entry.objectType); field(entry.objectKey); field(entry.before); field(entry.after)
        field(entry.reason); field(entry.prevHash)
        let digest = SHA256.hash(data: Data(canonical.utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Fills in `prevHash` and `hash` for a new row that follows `previous`.
    public static func seal(_ entry: AuditEntry, after previousHash: String) -> AuditEntry {
        var sealed = entry
        sealed.prevHash = previousHash
        sealed.hash = hash(of: sealed)
        return sealed
    }

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var seq: Int64
        public var text: Text
        public var description: String { "#\(seq): \(text.id)" }

        public init(seq: Int64, text: Text) {
            self.seq = seq
            self.text = text
        }
    }

    /// Incremental verifier: feed rows in `seq` order, then `finish` with the recorded head.
    public struct Verifier: Sendable {
        public private(set) var problems: [Problem] = []
        public private(set) var count = 0
        var previousHash = AuditChain.genesis
        var previousSeq: Int64 = 0

        public init() {}

        public mutating func check(_ entry: AuditEntry) {
            count += 1
            if entry.seq != previousSeq + 1 {
                let first = previousSeq + 1, last = entry.seq - 1
                let range = first == last ? "#\(first)" : "#\(first)–#\(last)"
                problems.append(Problem(seq: entry.seq, text: Text(
                    id: "baris \(range) hilang (dihapus) sebelum #\(entry.seq)",
                    en: "row(s) \(range) are missing (deleted) before #\(entry.seq)")))
            } else if entry.prevHash != previousHash {
                problems.append(Problem(seq: entry.seq, text: Text(
                    id: "rantai putus di #\(entry.seq): hash sebelumnya tidak cocok (baris sebelumnya diubah atau disisipkan)",
                    en: "the chain breaks at #\(entry.seq): the previous hash does not match (the row before was edited or inserted)")))
            }
            if AuditChain.hash(of: entry) != entry.hash {
                problems.append(Problem(seq: entry.seq, text: Text(
                    id: "baris #\(entry.seq) telah diubah: isinya tidak cocok dengan hash-nya",
                    en: "row #\(entry.seq) was edited: its content does not match its hash")))
            }
            previousHash = entry.hash
            previousSeq = entry.seq
        }

        /// Compares the last row with the head recorded beside the log, which catches
        /// rows deleted from the end.
        public mutating func finish(headSeq: Int64?, headHash: String?) {
            guard let headSeq else { return }
            if headSeq > previousSeq {
                let first = previousSeq + 1
                let range = first == headSeq ? "#\(headSeq)" : "#\(first)–#\(headSeq)"
                problems.append(Problem(seq: headSeq, text: Text(
                    id: "baris \(range) di akhir log hilang (dihapus)", en: "row(s) \(range) at the end of the log are missing (deleted)")))
            } else if headSeq == previousSeq, let headHash, headHash != previousHash {
                problems.append(Problem(seq: headSeq, text: Text(
                    id: "baris terakhir #\(headSeq) tidak cocok dengan kepala rantai yang tercatat",
                    en: "the last row #\(headSeq) does not match the recorded head of the chain")))
            }
        }
    }
}
