import SimpulCore

/// The web writes every figure through SimpulCore's `Format` (the CLI does too). These two keep the
/// older call shape, `Format.number(n, language)`, for pages not yet moved to `Format(language)`.
extension Format {
    static func number(_ value: Int, _ language: Language) -> String { Format(language).number(value) }

    static func bytes(_ size: Int, _ language: Language) -> String { Format(language).bytes(size) }
}
