import Foundation

/// A product a provider sells: a bandwidth and its monthly price (rupiah), from the inventory.
public struct ProviderTier: Sendable, Hashable, Codable, Comparable {
    public var mbps: Int
    public var monthlyPrice: Int

    public init(mbps: Int, monthlyPrice: Int) {
        self.mbps = mbps
        self.monthlyPrice = monthlyPrice
    }

    public static func < (a: Self, b: Self) -> Bool { (a.mbps, a.monthlyPrice) < (b.mbps, b.monthlyPrice) }
}

/// What an agency said it needs, on the survey's form.
public struct StatedNeeds: Sendable, Hashable, Codable {
    public var staff: Int?
    /// Applications used (e-government apps, video meetings, CCTV…).
    public var applications: [String]
    /// The bandwidth the agency says it needs, Mbps.
    public var neededMbps: Double?
    /// Growth expected over the next year, percent.
    public var growthPercent: Double?
    public var note: String?

    public init(staff: Int? = nil, applications: [String] = [], neededMbps: Double? = nil, growthPercent: Double? = nil, note: String? = nil) {
        self.staff = staff
        self.applications = applications
        self.neededMbps = neededMbps
        self.growthPercent = growthPercent
        self.note = note
    }
}

/// The recommendation of step 5 ("map the bandwidth to provide to every agency within the
/// resources available"), pure: for each agency, the larger of its measured 95th percentile grown
/// by its stated growth and times the headroom factor, and its stated need; rounded up to the
/// smallest provider tier that carries it; the tiers' monthly total against the budget line.
public enum BandwidthSizing {
    public struct Settings: Sendable, Hashable, Codable {
        /// Multiplies the measured figure (1.3: 30 % above the 95th percentile).
        public var headroom: Double
        /// The district's monthly budget line for bandwidth, rupiah; nil when not set.
        public var monthlyBudget: Int?

        public static let headroomRange = 1.0...5.0

        public init(headroom: Double = 1.3, monthlyBudget: Int? = nil) {
            self.headroom = headroom
            self.monthlyBudget = monthlyBudget
        }
    }

    public struct Input: Sendable, Hashable {
        public var agency: String
        /// The billable 95th percentile (the larger direction), bits per second; nil when unmeasured.
        public var measuredBitsPerSecond: UInt64?
        public var needs: StatedNeeds?
        /// What the agency has now, Mbps.
        public var currentMbps: Double?
        /// The provider whose products the agency's link can be bought as, and those products.
        public var provider: String?
        public var tiers: [ProviderTier]

        public init(agency: String, measuredBitsPerSecond: UInt64?, needs: StatedNeeds?, currentMbps: Double?, provider: String? = nil,
                    tiers: [ProviderTier] = []) {
            self.agency = agency
            self.measuredBitsPerSecond = measuredBitsPerSecond
            self.needs = needs
            self.currentMbps = currentMbps
            self.provider = provider
            self.tiers = tiers
        }
    }

    public enum Basis: String, Sendable, Hashable, Codable {
        /// The measured 95th percentile, grown and with headroom.
        case measured
        /// The agency's stated need was larger.
        case stated
        /// Neither: the agency keeps what it has.
        case current
        case none
    }

    public struct Line: Sendable, Hashable, Codable {
        public var agency: String
        public var provider: String?
        public var requiredMbps: Double
        public var basis: Basis
        public var tier: ProviderTier?
        /// The need is above the largest tier: the largest is given and the line says so.
        public var exceedsLargestTier: Bool
    }

    public struct Plan: Sendable, Hashable, Codable {
        public var lines: [Line]
        public var monthlyTotal: Int
        public var monthlyBudget: Int?
        public var withinBudget: Bool? { monthlyBudget.map { monthlyTotal <= $0 } }
    }

    /// The plan for `inputs`, each over its own provider's tiers.
    public static func plan(_ inputs: [Input], settings: Settings) -> Plan {
        var lines: [Line] = []
        var total = 0
        for input in inputs {
            let growth = 1 + max(0, min(input.needs?.growthPercent ?? 0, 1000)) / 100
            let measured = input.measuredBitsPerSecond.map { Double($0) / 1_000_000 * growth * settings.headroom }
            let stated = input.needs?.neededMbps.flatMap { $0 > 0 ? $0 : nil }
            var required = 0.0
            var basis = Basis.none
            if let measured { required = measured; basis = .measured }
            if let stated, stated > required { required = stated; basis = .stated }
            if basis == .none, let current = input.currentMbps, current > 0 { required = current; basis = .current }
            let sorted = input.tiers.sorted()
            let tier = basis == .none ? nil : sorted.first { Double($0.mbps) >= required } ?? sorted.last
            let exceeds = tier.map { Double($0.mbps) < required } ?? false
            if let tier { total = total.addingReportingOverflow(tier.monthlyPrice).overflow ? Int.max : total + tier.monthlyPrice }
            lines.append(Line(agency: input.agency, provider: tier == nil ? nil : input.provider, requiredMbps: (required * 100).rounded() / 100, basis: basis, tier: tier, exceedsLargestTier: exceeds))
        }
        return Plan(lines: lines, monthlyTotal: total, monthlyBudget: settings.monthlyBudget)
    }
}
