import SimpulCore

/// Numbers as the office writes them: `1.250` in Indonesian, `1,250` in English.
enum Format {
    static func number(_ value: Int, _ language: Language) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(language == .id ? "." : ",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A rate in Mbps: whole numbers grouped, fractions with one decimal.
    static func mbps(_ value: Double, _ language: Language) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return number(Int(rounded), language) + " Mbps" }
        let whole = Int(rounded.rounded(.towardZero))
        let tenth = Int((abs(rounded - Double(whole)) * 10).rounded())
        return number(whole, language) + (language == .id ? "," : ".") + String(tenth) + " Mbps"
    }

    /// Width of a bar, 0–100, for a value against the largest one.
    static func percent(_ value: Double, of maximum: Double) -> Int {
        guard maximum > 0 else { return 0 }
        return max(0, min(100, Int((value / maximum * 100).rounded())))
    }

    /// A file size: `820 B`, `14 KB`, `2,4 MB` (Indonesian decimal comma).
    static func bytes(_ size: Int, _ language: Language) -> String {
        if size < 1024 { return "\(size) B" }
        if size < 1024 * 1024 { return "\(number(Int((Double(size) / 1024).rounded()), language)) KB" }
        let tenths = Int((Double(size) / 1_048_576 * 10).rounded())
        return "\(number(tenths / 10, language))\(language == .id ? "," : ".")\(tenths % 10) MB"
    }

    /// A share as a whole percentage: `87 %` (nil stays nil).
    static func share(_ value: Double?) -> String? {
        value.map { "\(Int(($0 * 100).rounded())) %" }
    }
}
