/// How often every agency's LAN gets an upkeep visit (the SOP: "paling lambat 1 tahun 2 kali
/// pengecekan", at least twice a calendar year), as the office configures it.
///
/// The year is split into `visitsPerYear` windows of whole calendar months, as equal as months
/// allow (window k, from 0, runs from month 1 + 12k/n to month 12(k+1)/n, integer division): two
/// visits are January–June and July–December; three are January–April, May–August,
/// September–December; five are 2, 2, 3, 2 and 3 months. One visit is planned in each window.
///
/// Feasibility: visits recur every year, so the gap also runs from a year's last visit to the
/// next year's first; `visitsPerYear` gaps of `minimumGapMonths` must fit in twelve months:
/// `visitsPerYear × minimumGapMonths ≤ 12`. Then a visit at the same point of every window is always
/// at least the gap after the one before (a window is at least ⌊12 / visitsPerYear⌋ months long).
/// Two visits 4 or 6 months apart fit; three visits 6 (or 5) months apart do not.
public struct UpkeepSchedule: Sendable, Hashable, Codable {
    public static let visitsRange: ClosedRange<Int> = 1...12
    public static let gapRange: ClosedRange<Int> = 0...12
    public static let openAheadRange: ClosedRange<Int> = 0...90

    /// Visits each agency gets in a calendar year, 1–12.
    public let visitsPerYear: Int
    /// The least time between two consecutive visits of one agency, in calendar months, 0–12.
    public let minimumGapMonths: Int
    /// Days before a visit's due date that its ticket opens, 0–90.
    public let openAheadDays: Int

    /// The office's default: two visits a year, at least 4 months apart, opened 14 days ahead.
    public static let standard = UpkeepSchedule(checked: 2, 4, 14)

    /// A schedule, refused with the setting, its range and what would fit when out of range or infeasible.
    public init(visitsPerYear: Int = 2, minimumGapMonths: Int = 4, openAheadDays: Int = 14) throws(UpkeepRefusal) {
        guard Self.visitsRange.contains(visitsPerYear) else { throw UpkeepRefusal(.visitsPerYearOutOfRange(visitsPerYear)) }
        guard Self.gapRange.contains(minimumGapMonths) else { throw UpkeepRefusal(.minimumGapOutOfRange(minimumGapMonths)) }
        guard Self.openAheadRange.contains(openAheadDays) else { throw UpkeepRefusal(.openAheadOutOfRange(openAheadDays)) }
        guard visitsPerYear * minimumGapMonths <= 12 else {
            throw UpkeepRefusal(.infeasible(visitsPerYear: visitsPerYear, minimumGapMonths: minimumGapMonths))
        }
        self.init(checked: visitsPerYear, minimumGapMonths, openAheadDays)
    }

    private init(checked visits: Int, _ gap: Int, _ ahead: Int) {
        visitsPerYear = visits
        minimumGapMonths = gap
        openAheadDays = ahead
    }

    /// The months of window `index` (1 … visitsPerYear): `1...6` and `7...12` for two visits.
    public func windowMonths(_ index: Int) -> ClosedRange<Int> {
        let k = min(max(index, 1), visitsPerYear) - 1
        return (1 + 12 * k / visitsPerYear)...(12 * (k + 1) / visitsPerYear)
    }

    /// The longest window, in months (⌈12 / visitsPerYear⌉: 6 for two visits): an agency whose last
    /// visit is longer ago than this is behind.
    public var longestWindowMonths: Int { (12 + visitsPerYear - 1) / visitsPerYear }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let visits = try container.decodeIfPresent(Int.self, forKey: .visitsPerYear) ?? 2
        let gap = try container.decodeIfPresent(Int.self, forKey: .minimumGapMonths) ?? 4
        let ahead = try container.decodeIfPresent(Int.self, forKey: .openAheadDays) ?? 14
        do { try self.init(visitsPerYear: visits, minimumGapMonths: gap, openAheadDays: ahead) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.text.en))
        }
    }

    private enum CodingKeys: String, CodingKey {
        case visitsPerYear = "visits_per_year", minimumGapMonths = "minimum_gap_months", openAheadDays = "open_ahead_days"
    }
}

/// An upkeep schedule or plan request the planner cannot work with: names the setting, its allowed
/// range, and for an infeasible schedule why and what would fit.
public struct UpkeepRefusal: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case visitsPerYearOutOfRange(Int)
        case minimumGapOutOfRange(Int)
        case openAheadOutOfRange(Int)
        /// `visitsPerYear × minimumGapMonths` is over 12.
        case infeasible(visitsPerYear: Int, minimumGapMonths: Int)
        /// A year of the plan outside 2000–2100, or a range of more than `UpkeepPlan.maximumYears` years.
        case years(ClosedRange<Int>)
    }

    public let problem: Problem
    public let text: Text

    public init(_ problem: Problem) {
        self.problem = problem
        func range(_ r: ClosedRange<Int>) -> String { "\(r.lowerBound)–\(r.upperBound)" }
        text = switch problem {
        case .visitsPerYearOutOfRange(let value):
            Text(id: "pengaturan \"kunjungan per tahun\" (visits_per_year) bernilai \(value); harus \(range(UpkeepSchedule.visitsRange)), SOP meminta paling sedikit 2",
                 en: "the setting \"visits per year\" (visits_per_year) is \(value); it must be \(range(UpkeepSchedule.visitsRange)), the SOP asks for at least 2")
        case .minimumGapOutOfRange(let value):
            Text(id: "pengaturan \"jarak minimal antarkunjungan\" (minimum_gap_months) bernilai \(value) bulan; harus \(range(UpkeepSchedule.gapRange)) bulan",
                 en: "the setting \"minimum gap between visits\" (minimum_gap_months) is \(value) months; it must be \(range(UpkeepSchedule.gapRange)) months")
        case .openAheadOutOfRange(let value):
            Text(id: "pengaturan \"tiket dibuka sebelum jatuh tempo\" (open_ahead_days) bernilai \(value) hari; harus \(range(UpkeepSchedule.openAheadRange)) hari",
                 en: "the setting \"open the ticket ahead of the due date\" (open_ahead_days) is \(value) days; it must be \(range(UpkeepSchedule.openAheadRange)) days")
        case .infeasible(let visits, let gap):
            Text(id: "\(visits) kunjungan per tahun dengan jarak minimal \(gap) bulan tidak muat: kunjungan berulang tiap tahun, jadi \(visits) × \(gap) = \(visits * gap) bulan harus paling banyak 12. Yang muat: dengan \(visits) kunjungan, jarak paling lama \(12 / visits) bulan; dengan jarak \(gap) bulan, paling banyak \(12 / max(gap, 1)) kunjungan per tahun",
                 en: "\(visits) visits a year at least \(gap) months apart do not fit: visits recur every year, so \(visits) × \(gap) = \(visits * gap) months must be at most 12. What fits: with \(visits) visits, a gap of at most \(12 / visits) months; with a \(gap)-month gap, at most \(12 / max(gap, 1)) visits a year")
        case .years(let years):
            Text(id: "tahun rencana \(range(years)) tidak dapat direncanakan; tahun harus \(range(UpkeepPlan.years)), paling banyak \(UpkeepPlan.maximumYears) tahun sekaligus",
                 en: "the plan's years \(range(years)) cannot be planned; years must be \(range(UpkeepPlan.years)), at most \(UpkeepPlan.maximumYears) years at once")
        }
    }

    public var description: String { text.en }
}
