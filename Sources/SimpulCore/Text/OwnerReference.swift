/// Who an address or a DNS record is for, as stored (`ticket:12`, `device:SIKD-01`, a free note),
/// and as people read it: "tiket #12", "perangkat SIKD-01", the note as written.
public struct OwnerReference: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case ticket(Int64), device(String), note(String) }

    public let kind: Kind

    public init(_ raw: String) {
        if raw.hasPrefix("ticket:"), let id = Int64(raw.dropFirst("ticket:".count)), id > 0 {
            kind = .ticket(id)
        } else if raw.hasPrefix("device:"), raw.count > "device:".count {
            kind = .device(String(raw.dropFirst("device:".count)))
        } else {
            kind = .note(raw)
        }
    }

    public func title(_ language: Language) -> String {
        switch kind {
        case .ticket(let id): language == .id ? "tiket #\(id)" : "ticket #\(id)"
        case .device(let name): language == .id ? "perangkat \(name)" : "device \(name)"
        case .note(let text): text
        }
    }

    /// The ticket it names, for a link.
    public var ticket: Int64? {
        if case .ticket(let id) = kind { return id }
        return nil
    }
}
