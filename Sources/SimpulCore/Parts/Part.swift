import Foundation

/// A spare part the office keeps in stock (seed 000: upkeep "with the stock of spare parts"): patch
/// cords, SFP modules, connectors, a spare switch, cable by the metre. Stock changes only by a
/// recorded movement (`PartMovement`); the quantity here is what those movements left.
public struct Part: Sendable, Hashable, Codable {
    /// The row, for the store; never shown.
    public var id: Int64
    /// The office's own code for the item (`PC-UTP-2M`): what people type and the URLs use.
    public var code: String
    public var name: String
    /// What one of it is counted in: `buah`, `pcs`, `m`, `roll`.
    public var unit: String
    public var quantity: Int
    /// The level below which it must be re-ordered; 0 for no minimum.
    public var minimum: Int
    /// Where it is kept (a cabinet, a shelf), when said.
    public var location: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, code: String, name: String, unit: String, quantity: Int, minimum: Int, location: String?,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.unit = unit
        self.quantity = quantity
        self.minimum = minimum
        self.location = location
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Below its minimum level: shown first, marked, and on the dashboard.
    public var isLow: Bool { quantity < minimum }

    /// `12 buah` / `1.500 m`: a quantity of this part in its unit.
    public func amount(_ quantity: Int, _ format: Format) -> String { "\(format.number(quantity)) \(unit)" }
}

/// How stock changed: received from a supplier, used on a ticket, or corrected after a count.
public enum PartMovementKind: String, Sendable, Hashable, CaseIterable, Codable {
    case receive, use, adjust

    public var title: Text {
        switch self {
        case .receive: Text(id: "Diterima", en: "Received")
        case .use: Text(id: "Dipakai", en: "Used")
        case .adjust: Text(id: "Koreksi stok", en: "Stock corrected")
        }
    }
}

/// One change of a part's stock, as recorded.
public struct PartMovement: Sendable, Hashable, Codable {
    public var id: Int64
    public var partCode: String
    public var partName: String
    public var unit: String
    /// Positive for stock in, negative for stock out.
    public var delta: Int
    public var kind: PartMovementKind
    /// The ticket it was used on (a fault, a repair), and its subject while the ticket exists.
    public var ticketID: Int64?
    public var ticketSubject: String?
    /// The fault work-log entry it was used in, when it was used through the work log.
    public var logID: Int64?
    public var note: String?
    public var at: Date
    public var by: String

    public init(id: Int64, partCode: String, partName: String, unit: String, delta: Int, kind: PartMovementKind, ticketID: Int64?,
                ticketSubject: String?, logID: Int64?, note: String?, at: Date, by: String) {
        self.id = id
        self.partCode = partCode
        self.partName = partName
        self.unit = unit
        self.delta = delta
        self.kind = kind
        self.ticketID = ticketID
        self.ticketSubject = ticketSubject
        self.logID = logID
        self.note = note
        self.at = at
        self.by = by
    }
}

/// What a part's fields may hold. Each rule returns the cleaned value or throws a `PartProblem`
/// that says what to do, in both languages; the service turns it into its own refusal.
public enum PartRules {
    /// A quantity in stock and a minimum level: a million of anything is more than an office keeps.
    public static let quantities: ClosedRange<Int> = 0...1_000_000
    /// How many are received or used at once.
    public static let movement: ClosedRange<Int> = 1...1_000_000
    public static let codeLength = 64
    public static let unitLength = 16
    public static let nameLength = 200
    public static let locationLength = 200
    /// A movement's note (the table's own limit).
    public static let noteLength = 1_000

    /// `text` trimmed and upper-cased as a part code: ASCII letters, digits, `-`, `_` and `.`, starting
    /// with a letter or a digit, at most 64 characters.
    public static func code(_ text: String) throws(PartProblem) -> String {
        let code = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let allowed = code.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || $0 == 45 || $0 == 95 || $0 == 46 }
        guard !code.isEmpty, code.utf8.count <= codeLength, allowed, let first = code.utf8.first, first != 45, first != 95, first != 46 else {
            throw PartProblem(Text(id: "kode suku cadang \"\(Excerpt.of(text))\" harus 1–\(codeLength) huruf, angka, -, _ atau . (diawali huruf atau angka), mis. PC-UTP-2M",
                                   en: "the part code \"\(Excerpt.of(text))\" must be 1–\(codeLength) letters, digits, -, _ or . (starting with a letter or digit), e.g. PC-UTP-2M"))
        }
        return code
    }

    /// A part's name: 1–200 characters.
    public static func name(_ text: String) throws(PartProblem) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= nameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PartProblem(Text(id: "isi nama suku cadang (1–\(nameLength) karakter)", en: "give the part's name (1–\(nameLength) characters)"))
        }
        return name
    }

    /// A unit: one short word of letters (`buah`, `pcs`, `m`, `roll`), at most 16.
    public static func unit(_ text: String) throws(PartProblem) -> String {
        let unit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !unit.isEmpty, unit.count <= unitLength, unit.allSatisfy(\.isLetter) else {
            throw PartProblem(Text(id: "satuan \"\(Excerpt.of(text))\" harus satu kata pendek dari huruf (paling panjang \(unitLength)), mis. buah, pcs, m, roll",
                                   en: "the unit \"\(Excerpt.of(text))\" must be one short word of letters (at most \(unitLength)), e.g. buah, pcs, m, roll"))
        }
        return unit
    }

    /// Where it is kept, trimmed; nil when empty.
    public static func location(_ text: String?) throws(PartProblem) -> String? {
        guard let location = text?.trimmingCharacters(in: .whitespacesAndNewlines), !location.isEmpty else { return nil }
        guard location.count <= locationLength else {
            throw PartProblem(Text(id: "lokasi penyimpanan paling panjang \(locationLength) karakter", en: "the storage location may be at most \(locationLength) characters"))
        }
        return location
    }

    /// A movement's note, trimmed; nil when empty.
    public static func note(_ text: String?, _ field: Text = Text(id: "catatan", en: "the note")) throws(PartProblem) -> String? {
        guard let note = text?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else { return nil }
        guard note.count <= noteLength else {
            throw PartProblem(Text(id: "\(field.id) paling panjang \(noteLength) karakter; persingkat lalu kirim lagi",
                                   en: "\(field.en) may be at most \(noteLength) characters; shorten it and send it again"))
        }
        return note
    }

    /// A minimum level or a counted quantity: 0…1,000,000.
    public static func level(_ value: Int, _ field: Text) throws(PartProblem) -> Int {
        guard quantities.contains(value) else {
            throw PartProblem(NumberRefusal(field: field, typed: String(value), range: quantities).text)
        }
        return value
    }

    /// How many are received or used at once: 1…1,000,000.
    public static func count(_ value: Int, _ field: Text = Text(id: "jumlah", en: "the quantity")) throws(PartProblem) -> Int {
        guard movement.contains(value) else {
            throw PartProblem(NumberRefusal(field: field, typed: String(value), range: movement).text)
        }
        return value
    }

    /// Using `quantity` of `part` when it has fewer: what is in stock, and what to do.
    public static func notEnough(_ part: Part, asked quantity: Int) -> Text {
        Text(id: "stok \(part.name) hanya \(part.amount(part.quantity, .id)) (diminta \(Format.id.number(quantity))); tidak ada yang dicatat — terima stok dulu atau pakai lebih sedikit",
             en: "only \(part.amount(part.quantity, .en)) of \(part.name) in stock (asked for \(Format.en.number(quantity))); nothing was recorded — receive stock first or use fewer")
    }
}

/// A part's field that breaks its rule, in words.
public struct PartProblem: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public let text: Text

    public init(_ text: Text) { self.text = text }

    public var description: String { text.en }
}
