import Foundation

// The numbers of the office's outgoing letters: `800/DKISP/12/XII/2026`. The pattern is the office's
// setting; the sequence runs per calendar year (LetterSequenceRule) and is never reused. Pure: the
// month and year are parameters, nothing here reads a clock.

/// How the office writes a letter number, parsed from a pattern such as
/// `800/DKISP/{seq}/{month_roman}/{year}`: literal text and placeholders.
///
/// Placeholders: `{seq}` (the year's sequence number, required exactly once; `{seq:3}` pads it with
/// zeros to 3 digits, `007`, widths 1–6), `{month_roman}` (I–XII), `{month}` (01–12), `{year}`
/// (four digits) and `{code}` (a per-letter-kind code such as the classification code; optional).
public struct LetterNumberScheme: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a pattern.
    public enum Part: Sendable, Hashable {
        case literal(String)
        /// The sequence, zero-padded to `width` digits (1: not padded).
        case sequence(width: Int)
        case monthRoman
        case month
        case year
        case code
    }

    /// The office's pattern when none is configured.
    public static let defaultPattern = "800/DKISP/{seq}/{month_roman}/{year}"
    /// The longest pattern, in characters.
    public static let maximumLength = 120
    /// The widths `{seq:N}` may ask for.
    public static let sequenceWidths: ClosedRange<Int> = 1...6
    /// The sequence numbers a letter may have.
    public static let sequences: ClosedRange<Int> = 1...999_999
    /// The years a letter may be dated in (as `ReportMonth.years`).
    public static let years: ClosedRange<Int> = 2000...2100
    /// The longest `{code}`, in characters.
    public static let maximumCodeLength = 40
    /// The placeholders a pattern may use, as written, for messages and the help page.
    public static let placeholders = ["{seq}", "{seq:N}", "{month_roman}", "{month}", "{year}", "{code}"]

    /// The pattern as configured (trimmed).
    public let pattern: String
    public let parts: [Part]

    /// The office's default scheme, `800/DKISP/{seq}/{month_roman}/{year}`.
    public static let standard: LetterNumberScheme = {
        guard let scheme = try? parse(defaultPattern) else { preconditionFailure("the default pattern parses") }
        return scheme
    }()

    private init(pattern: String, parts: [Part]) {
        self.pattern = pattern
        self.parts = parts
    }

    public var description: String { pattern }

    /// Whether the pattern has a `{code}`: then every number needs one.
    public var needsCode: Bool { parts.contains(.code) }

    /// `pattern` (trimmed) as a scheme, or a refusal saying what is wrong with it and how to write it.
    public static func parse(_ pattern: String) throws(LetterPatternRefusal) -> LetterNumberScheme {
        let trimmed = pattern.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw LetterPatternRefusal(.empty) }
        if trimmed.utf8.count > maximumLength {
            var count = 0
            for _ in trimmed {
                count += 1
                if count > maximumLength { throw LetterPatternRefusal(.tooLong(length: trimmed.count)) }
            }
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw LetterPatternRefusal(.controlCharacter)
        }
        var parts: [Part] = []
        var literal = ""
        var placeholder: String?
        var placeholderStart = 0
        for (offset, character) in trimmed.enumerated() {
            let position = offset + 1
            if var open = placeholder {
                if character == "}" {
                    parts.append(try part(for: open))
                    placeholder = nil
                } else if character == "{" {
                    throw LetterPatternRefusal(.unbalancedBrace(position: placeholderStart))
                } else {
                    open.append(character)
                    placeholder = open
                }
            } else if character == "{" {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                placeholder = ""
                placeholderStart = position
            } else if character == "}" {
                throw LetterPatternRefusal(.unbalancedBrace(position: position))
            } else {
                literal.append(character)
            }
        }
        if placeholder != nil { throw LetterPatternRefusal(.unbalancedBrace(position: placeholderStart)) }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        let sequences = parts.filter { if case .sequence = $0 { true } else { false } }.count
        if sequences == 0 { throw LetterPatternRefusal(.missingSequence) }
        if sequences > 1 { throw LetterPatternRefusal(.sequenceTwice) }
        return LetterNumberScheme(pattern: trimmed, parts: parts)
    }

    private static func part(for name: String) throws(LetterPatternRefusal) -> Part {
        switch name {
        case "seq": return .sequence(width: 1)
        case "month_roman": return .monthRoman
        case "month": return .month
        case "year": return .year
        case "code": return .code
        default:
            guard name.hasPrefix("seq:") else { throw LetterPatternRefusal(.unknownPlaceholder("{\(name)}")) }
            let digits = name.dropFirst(4)
            guard digits.count == 1, let width = Int(digits), sequenceWidths.contains(width) else {
                throw LetterPatternRefusal(.sequenceWidth("{\(name)}"))
            }
            return .sequence(width: width)
        }
    }

    // MARK: Writing

    /// The number of the letter with `sequence` in `month` of `year`: `800/DKISP/12/XII/2026`. `code`
    /// fills `{code}` (required then: printable, no spaces, no braces, at most 40 characters); a
    /// scheme without `{code}` ignores it. Values out of range are refused, never written.
    public func format(sequence: Int, month: Int, year: Int, code: String = "") throws(LetterNumberRefusal) -> String {
        guard Self.sequences.contains(sequence) else { throw LetterNumberRefusal(.sequenceOutOfRange(sequence)) }
        guard (1...12).contains(month) else { throw LetterNumberRefusal(.monthOutOfRange(month)) }
        guard Self.years.contains(year) else { throw LetterNumberRefusal(.yearOutOfRange(year)) }
        if needsCode {
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw LetterNumberRefusal(.codeMissing) }
            guard Self.isValidCode(trimmed) else { throw LetterNumberRefusal(.codeInvalid(code)) }
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .sequence(let width): out += Self.padded(sequence, width)
            case .monthRoman: out += RomanNumeral.month(month) ?? ""
            case .month: out += Self.padded(month, 2)
            case .year: out += String(year)
            case .code: out += code.trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }

    static func isValidCode(_ code: String) -> Bool {
        guard !code.isEmpty, code.count <= maximumCodeLength else { return false }
        return code.unicodeScalars.allSatisfy { scalar in
            let category = scalar.properties.generalCategory
            return category != .control && category != .format && !scalar.properties.isWhitespace && scalar != "{" && scalar != "}"
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    // MARK: Reading back

    /// What a number written by this scheme says.
    public struct Reading: Sendable, Hashable {
        public var sequence: Int
        /// Nil when the pattern has neither `{month}` nor `{month_roman}`.
        public var month: Int?
        public var year: Int?
        public var code: String?
    }

    /// The sequence of `number` when it is written exactly as this scheme writes numbers; nil otherwise.
    public func sequence(in number: String) -> Int? { read(number)?.sequence }

    /// `number` read back against the pattern (exactly as `format` writes it: the same literals, the
    /// sequence with its padding and no other leading zeros, a real month, a year in range, the same
    /// month if the pattern has it twice); nil when it does not match.
    public func read(_ number: String) -> Reading? {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 400 else { return nil }
        var state = Reading(sequence: 0)
        var steps = 0
        guard match(Array(trimmed), 0, 0, &state, &steps), state.sequence > 0 else { return nil }
        return state
    }

    /// Backtracking match of `parts[partIndex...]` against `text[at...]`; bounded by `steps`.
    private func match(_ text: [Character], _ at: Int, _ partIndex: Int, _ state: inout Reading, _ steps: inout Int) -> Bool {
        steps += 1
        guard steps < 100_000 else { return false }
        guard partIndex < parts.count else { return at == text.count }
        let saved = state
        func digitsRun(_ maximum: Int) -> Int {
            var n = 0
            while at + n < text.count, n < maximum, let ascii = text[at + n].asciiValue, (48...57).contains(ascii) { n += 1 }
            return n
        }
        func number(_ length: Int) -> Int? { Int(String(text[at..<at + length])) }
        switch parts[partIndex] {
        case .literal(let literal):
            let characters = Array(literal)
            guard at + characters.count <= text.count, Array(text[at..<at + characters.count]) == characters else { return false }
            return match(text, at + characters.count, partIndex + 1, &state, &steps)
        case .sequence(let width):
            let run = digitsRun(6)
            guard run >= 1 else { return false }
            for length in stride(from: run, through: max(1, width), by: -1) {
                guard let value = number(length), Self.sequences.contains(value), Self.padded(value, width) == String(text[at..<at + length]) else { continue }
                state.sequence = value
                if match(text, at + length, partIndex + 1, &state, &steps) { return true }
                state = saved
            }
            return false
        case .monthRoman:
            for length in stride(from: min(4, text.count - at), through: 1, by: -1) {
                guard let month = RomanNumeral.value(String(text[at..<at + length])), (1...12).contains(month),
                      state.month == nil || state.month == month else { continue }
                state.month = month
                if match(text, at + length, partIndex + 1, &state, &steps) { return true }
                state = saved
            }
            return false
        case .month:
            guard digitsRun(2) == 2, let month = number(2), (1...12).contains(month), state.month == nil || state.month == month else { return false }
            state.month = month
            if match(text, at + 2, partIndex + 1, &state, &steps) { return true }
            state = saved
            return false
        case .year:
            guard digitsRun(4) == 4, let year = number(4), Self.years.contains(year), state.year == nil || state.year == year else { return false }
            state.year = year
            if match(text, at + 4, partIndex + 1, &state, &steps) { return true }
            state = saved
            return false
        case .code:
            var length = 1
            while at + length <= text.count, length <= Self.maximumCodeLength {
                let code = String(text[at..<at + length])
                guard Self.isValidCode(code) else { break }
                if state.code == nil || state.code == code {
                    state.code = code
                    if match(text, at + length, partIndex + 1, &state, &steps) { return true }
                    state = saved
                }
                length += 1
            }
            return false
        }
    }
}

/// A letter-number pattern the office cannot use: says what is wrong and lists what may be written.
public struct LetterPatternRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case empty
        /// Longer than `LetterNumberScheme.maximumLength` characters.
        case tooLong(length: Int)
        /// A tab, a line break or another control character.
        case controlCharacter
        /// A `{` never closed, a `{` inside a placeholder, or a `}` never opened, at this character (from 1).
        case unbalancedBrace(position: Int)
        /// A placeholder that is not one of `LetterNumberScheme.placeholders`, as written.
        case unknownPlaceholder(String)
        case missingSequence
        case sequenceTwice
        /// `{seq:N}` with N not a width from 1 to 6, as written.
        case sequenceWidth(String)
    }

    public let problem: Problem
    public let text: Text

    public init(_ problem: Problem) {
        self.problem = problem
        let allowed = LetterNumberScheme.placeholders.joined(separator: ", ")
        let example = "contoh: \(LetterNumberScheme.defaultPattern)"
        let exampleEN = "e.g. \(LetterNumberScheme.defaultPattern)"
        let maximum = LetterNumberScheme.maximumLength
        let widths = LetterNumberScheme.sequenceWidths
        text = switch problem {
        case .empty:
            Text(id: "pola nomor surat kosong; tulis polanya, \(example)",
                 en: "the letter-number pattern is empty; write one, \(exampleEN)")
        case .tooLong(let length):
            Text(id: "pola nomor surat terlalu panjang: \(length) karakter, paling banyak \(maximum); persingkat",
                 en: "the letter-number pattern is too long: \(length) characters, at most \(maximum); shorten it")
        case .controlCharacter:
            Text(id: "pola nomor surat berisi karakter kendali (tab atau baris baru); tulis dalam satu baris tanpa tab",
                 en: "the letter-number pattern contains a control character (a tab or a line break); write it on one line without tabs")
        case .unbalancedBrace(let position):
            Text(id: "kurung kurawal pada karakter ke-\(position) tidak berpasangan; setiap { harus ditutup } dan hanya mengapit salah satu dari: \(allowed)",
                 en: "the brace at character \(position) is unbalanced; every { must be closed by } around one of: \(allowed)")
        case .unknownPlaceholder(let name):
            Text(id: "\(Excerpt.of(name, length: 30)) tidak dikenal dalam pola nomor surat; yang boleh: \(allowed)",
                 en: "\(Excerpt.of(name, length: 30)) is not a placeholder of the letter-number pattern; allowed: \(allowed)")
        case .missingSequence:
            Text(id: "pola nomor surat tidak memuat {seq} (nomor urut); tambahkan tepat satu, \(example)",
                 en: "the letter-number pattern has no {seq} (the sequence number); add exactly one, \(exampleEN)")
        case .sequenceTwice:
            Text(id: "pola nomor surat memuat {seq} lebih dari sekali; nomor urut hanya boleh muncul satu kali",
                 en: "the letter-number pattern has {seq} more than once; the sequence number may appear only once")
        case .sequenceWidth(let written):
            Text(id: "\(Excerpt.of(written, length: 30)): lebar nomor urut harus satu angka dari \(widths.lowerBound) sampai \(widths.upperBound), mis. {seq:3} menulis 007",
                 en: "\(Excerpt.of(written, length: 30)): the sequence width must be one digit from \(widths.lowerBound) to \(widths.upperBound), e.g. {seq:3} writes 007")
        }
    }

    public var description: String { text.en }
}

/// A letter number that cannot be written or issued: a value out of its range, a missing or bad code,
/// the year's sequence used up or configured wrongly. Says which value, its allowed range and what to do.
public struct LetterNumberRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case sequenceOutOfRange(Int)
        case monthOutOfRange(Int)
        case yearOutOfRange(Int)
        /// The scheme has `{code}` and none was given.
        case codeMissing
        /// A code with spaces, braces or control characters, or longer than 40 characters.
        case codeInvalid(String)
        /// The year's last number was the highest there is.
        case sequenceExhausted(year: Int?)
        /// The setting for the year's first number is outside 1–999,999.
        case startOutOfRange(Int)
        /// The recorded last number is not a sequence number at all (a damaged record).
        case lastIssuedOutOfRange(Int)
    }

    public let problem: Problem
    public let text: Text

    public init(_ problem: Problem) {
        self.problem = problem
        let sequences = LetterNumberScheme.sequences
        let low = Format.id.number(sequences.lowerBound), highID = Format.id.number(sequences.upperBound), highEN = Format.en.number(sequences.upperBound)
        let years = LetterNumberScheme.years
        text = switch problem {
        case .sequenceOutOfRange(let value):
            Text(id: "nomor urut surat \(value) di luar rentang; harus \(low) sampai \(highID)",
                 en: "letter sequence number \(value) is out of range; it must be \(low) to \(highEN)")
        case .monthOutOfRange(let value):
            Text(id: "bulan surat \(value) tidak ada; harus 1 sampai 12", en: "letter month \(value) does not exist; it must be 1 to 12")
        case .yearOutOfRange(let value):
            Text(id: "tahun surat \(value) di luar rentang; harus \(years.lowerBound) sampai \(years.upperBound)",
                 en: "letter year \(value) is out of range; it must be \(years.lowerBound) to \(years.upperBound)")
        case .codeMissing:
            Text(id: "pola nomor surat memuat {code}, tetapi kode jenis surat (mis. kode klasifikasi 800) tidak diisi; isi kodenya",
                 en: "the letter-number pattern has {code}, but no letter-kind code (e.g. classification code 800) was given; fill it in")
        case .codeInvalid(let code):
            Text(id: "kode surat \"\(Excerpt.of(code, length: 40))\" tidak dapat dipakai; tanpa spasi, tanpa { }, paling banyak \(LetterNumberScheme.maximumCodeLength) karakter",
                 en: "letter code \"\(Excerpt.of(code, length: 40))\" cannot be used; no spaces, no { }, at most \(LetterNumberScheme.maximumCodeLength) characters")
        case .sequenceExhausted(let year):
            Text(id: "nomor urut surat\(year.map { " tahun \($0)" } ?? "") sudah mencapai \(highID), batas tertinggi; nomor tidak boleh dipakai ulang, jadi surat berikutnya baru dapat diberi nomor tahun depan",
                 en: "the letter sequence\(year.map { " for \($0)" } ?? "") has reached \(highEN), the highest there is; numbers are never reused, so the next letter can only be numbered next year")
        case .startOutOfRange(let value):
            Text(id: "nomor urut tahunan surat diatur salah: pengaturan \"nomor urut pertama tiap tahun\" (start_at) bernilai \(value), harus \(low) sampai \(highID); perbaiki pengaturannya",
                 en: "the year's letter sequence is configured wrongly: the setting \"first sequence number of the year\" (start_at) is \(value); it must be \(low) to \(highEN); correct the setting")
        case .lastIssuedOutOfRange(let value):
            Text(id: "nomor urut surat terakhir yang tercatat (\(value)) bukan nomor urut yang sah (\(low) sampai \(highID)); periksa catatan nomor surat tahun ini",
                 en: "the last letter sequence number recorded (\(value)) is not a valid one (\(low) to \(highEN)); check this year's letter-number records")
        }
    }

    public var description: String { text.en }
}
