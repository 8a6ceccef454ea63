/// Roman numerals as the office writes them in letter numbers (`800/DKISP/12/XII/2026`): the month
/// of a letter is its Roman numeral, I to XII.
public enum RomanNumeral {
    /// The numbers a Roman numeral can be written for without a vinculum.
    public static let range: ClosedRange<Int> = 1...3999

    private static let values: [(value: Int, symbol: String)] = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]

    /// The month `m` (1–12) in Roman numerals: 1 → `I`, 9 → `IX`, 12 → `XII`; nil for any other number.
    public static func month(_ m: Int) -> String? {
        (1...12).contains(m) ? string(m) : nil
    }

    /// `n` (1–3999) in canonical Roman numerals (`MMXXVI`); nil outside that range.
    public static func string(_ n: Int) -> String? {
        guard range.contains(n) else { return nil }
        var rest = n
        var out = ""
        for (value, symbol) in values {
            while rest >= value {
                out += symbol
                rest -= value
            }
        }
        return out
    }

    /// The number a canonical Roman numeral (upper case, as `string` writes it) stands for: `XII` → 12.
    /// Nil for anything else (`IIII`, `IC`, `xii`, empty), so a letter number reads back only as written.
    public static func value(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 15 else { return nil }
        var total = 0
        var rest = Substring(text)
        for (value, symbol) in values {
            while rest.hasPrefix(symbol) {
                total += value
                rest = rest.dropFirst(symbol.count)
            }
        }
        guard rest.isEmpty, let canonical = string(total), canonical == text else { return nil }
        return total
    }
}
