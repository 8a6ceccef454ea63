/// A link-health setting (from the configuration or the inventory) outside what the rules can use:
/// names the setting, what was given and what is allowed, so the admin can fix the file.
public struct HealthSettingRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public let text: Text

    public init(field: Text, given: String, allowed: String) {
        let shown = Excerpt.of(given)
        text = Text(id: "\(field.id) tidak dapat dipakai: yang diberikan \(shown), yang boleh \(allowed); perbaiki nilainya di konfigurasi lalu jalankan ulang",
                    en: "\(field.en) cannot be used: given \(shown), allowed \(allowed); fix the value in the configuration and run again")
    }

    public var description: String { text.en }

    static func check(_ value: Int, _ range: ClosedRange<Int>, _ field: Text) throws(HealthSettingRefusal) {
        guard range.contains(value) else {
            throw HealthSettingRefusal(field: field, given: "\(value)", allowed: "\(range.lowerBound)–\(range.upperBound)")
        }
    }

    static func check(_ value: Double, _ range: ClosedRange<Double>, _ field: Text) throws(HealthSettingRefusal) {
        guard value.isFinite, range.contains(value) else {
            throw HealthSettingRefusal(field: field, given: "\(value)", allowed: "\(range.lowerBound)–\(range.upperBound)")
        }
    }
}

/// How rates are judged: which intervals are trusted and how much above the port's speed a delta may be.
public struct RateSettings: Sendable, Hashable {
    /// Intervals shorter than this (seconds) are not trusted: agents refresh their counters every few
    /// seconds, so a short interval shows bursts that did not happen. Default 10 s, 1–3600.
    public let shortestSeconds: Int
    /// Intervals longer than this (seconds) are not trusted: the shape of the traffic inside is unknown
    /// and a roll-up would spread it as a flat line. Default 900 s (15 missed one-minute polls), 60–86400,
    /// and at least twice the shortest.
    public let longestSeconds: Int
    /// How far above the port's speed a delta may go before it is taken for a counter reset (percent):
    /// an agent's counters are read a moment after sysUpTime, so a full port can show a little more
    /// than its speed. Default 10 %, 0–100.
    public let speedTolerancePercent: Int
    /// How far sysUpTime's delta and the wall clock's may disagree, in seconds plus a share of the
    /// interval: the poll's own latency (retries) and a drifting agent clock. Used to tell sysUpTime's
    /// 497-day wrap from a reboot, and to see an agent that restarted between two polls. Default 10 s, 0–3600.
    public let clockSlackSeconds: Int
    /// The share of the interval added to `clockSlackSeconds` (percent). Default 1 %, 0–50.
    public let clockDriftPercent: Int

    public static let standard = try! RateSettings()

    public init(shortestSeconds: Int = 10, longestSeconds: Int = 900, speedTolerancePercent: Int = 10,
                clockSlackSeconds: Int = 10, clockDriftPercent: Int = 1) throws(HealthSettingRefusal) {
        try HealthSettingRefusal.check(shortestSeconds, 1...3600, Text(id: "interval terpendek (detik)", en: "shortest interval (seconds)"))
        try HealthSettingRefusal.check(longestSeconds, max(60, 2 * shortestSeconds)...86_400,
                                       Text(id: "interval terpanjang (detik)", en: "longest interval (seconds)"))
        try HealthSettingRefusal.check(speedTolerancePercent, 0...100, Text(id: "toleransi kecepatan port (%)", en: "port speed tolerance (%)"))
        try HealthSettingRefusal.check(clockSlackSeconds, 0...3600, Text(id: "selisih jam yang diterima (detik)", en: "clock slack (seconds)"))
        try HealthSettingRefusal.check(clockDriftPercent, 0...50, Text(id: "hanyut jam yang diterima (%)", en: "clock drift (%)"))
        self.shortestSeconds = shortestSeconds
        self.longestSeconds = longestSeconds
        self.speedTolerancePercent = speedTolerancePercent
        self.clockSlackSeconds = clockSlackSeconds
        self.clockDriftPercent = clockDriftPercent
    }

    /// How far two clocks may disagree over an interval of `millis` (non-negative).
    func clockTolerance(over millis: Int64) -> Int64 {
        Int64(clockSlackSeconds) * 1000 + max(0, millis) / 100 * Int64(clockDriftPercent)
    }
}

/// The thresholds and counts of the link state machine. Defaults suit one poll a minute.
public struct LinkHealthSettings: Sendable, Hashable {
    /// Failed polls in a row before a link is down (N). Default 3, 1–60.
    public let downAfter: Int
    /// Good polls in a row before a down link is up again, and clean polls before a degraded one is (M).
    /// Default 2, 1–60.
    public let upAfter: Int
    /// Polls in a row without an answer from the device before the link is unknown. Default 3, 1–60.
    public let unknownAfter: Int
    /// Impaired polls in a row (errors, loss, load) before a link is degraded (K). Default 3, 1–60.
    public let degradedAfter: Int
    /// Up/down changes within `flapWindowSeconds` that make a link flapping. Default 6 (three drops), 2–100.
    public let flapTransitions: Int
    /// The window the changes are counted in (seconds). Default 1800, 60–86400.
    public let flapWindowSeconds: Int
    /// Seconds without a change before flapping ends, and after a restoration before a new outage is a
    /// new fault rather than the same trouble again. Default 900, 60–86400.
    public let quietSeconds: Int
    /// Utilisation against the committed rate (either direction) above which a poll counts as loaded.
    /// Default 0.9, 0.01–10.
    public let loadThreshold: Double
    /// Probe loss (0–1) above which a poll counts as lossy. Default 0.02, 0–1.
    public let lossThreshold: Double
    /// Interface errors per second (in and out together) above which a poll counts as erroring.
    /// Default 1, 0–1,000,000.
    public let errorRateThreshold: Double

    public static let standard = try! LinkHealthSettings()

    public init(downAfter: Int = 3, upAfter: Int = 2, unknownAfter: Int = 3, degradedAfter: Int = 3,
                flapTransitions: Int = 6, flapWindowSeconds: Int = 1800, quietSeconds: Int = 900,
                loadThreshold: Double = 0.9, lossThreshold: Double = 0.02, errorRateThreshold: Double = 1) throws(HealthSettingRefusal) {
        try HealthSettingRefusal.check(downAfter, 1...60, Text(id: "gagal berturut-turut sebelum putus", en: "failed polls before down"))
        try HealthSettingRefusal.check(upAfter, 1...60, Text(id: "berhasil berturut-turut sebelum pulih", en: "good polls before up"))
        try HealthSettingRefusal.check(unknownAfter, 1...60, Text(id: "tanpa jawaban sebelum tidak diketahui", en: "unanswered polls before unknown"))
        try HealthSettingRefusal.check(degradedAfter, 1...60, Text(id: "terganggu berturut-turut sebelum menurun", en: "impaired polls before degraded"))
        try HealthSettingRefusal.check(flapTransitions, 2...100, Text(id: "perubahan sebelum putus-sambung", en: "changes before flapping"))
        try HealthSettingRefusal.check(flapWindowSeconds, 60...86_400, Text(id: "jendela putus-sambung (detik)", en: "flapping window (seconds)"))
        try HealthSettingRefusal.check(quietSeconds, 60...86_400, Text(id: "masa tenang (detik)", en: "quiet period (seconds)"))
        try HealthSettingRefusal.check(loadThreshold, 0.01...10, Text(id: "ambang beban", en: "load threshold"))
        try HealthSettingRefusal.check(lossThreshold, 0...1, Text(id: "ambang kehilangan paket", en: "loss threshold"))
        try HealthSettingRefusal.check(errorRateThreshold, 0...1_000_000, Text(id: "ambang galat per detik", en: "errors per second threshold"))
        self.downAfter = downAfter
        self.upAfter = upAfter
        self.unknownAfter = unknownAfter
        self.degradedAfter = degradedAfter
        self.flapTransitions = flapTransitions
        self.flapWindowSeconds = flapWindowSeconds
        self.quietSeconds = quietSeconds
        self.loadThreshold = loadThreshold
        self.lossThreshold = lossThreshold
        self.errorRateThreshold = errorRateThreshold
    }
}
