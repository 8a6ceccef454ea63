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
}
