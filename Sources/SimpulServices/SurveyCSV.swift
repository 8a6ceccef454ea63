import Foundation
import SimpulCore
import SimpulStore

/// The survey's CSV files: every figure of the report, the agencies' needs, and the raw samples
/// (five-minute averages from SNMP, interval counts from captures) so anyone can check the figures.
public enum SurveyCSV {
    static func mbps(_ bps: UInt64?) -> String {
        guard let bps else { return "" }
        return String(format: "%.3f", Double(bps) / 1_000_000)
    }

    static func number(_ value: Double?, digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    public static let reportColumns = [
        "agency", "name", "method", "basis", "circuits", "contracted_down_mbps", "contracted_up_mbps",
        "source", "windows", "expected_windows", "completeness",
        "in_mean_mbps", "in_busy_hour", "in_busy_hour_mean_mbps", "in_peak_mbps", "in_p95_mbps", "in_utilisation", "in_trend_mbps_per_day", "in_months_to_contract",
        "out_mean_mbps", "out_busy_hour", "out_busy_hour_mean_mbps", "out_peak_mbps", "out_p95_mbps", "out_utilisation", "out_trend_mbps_per_day", "out_months_to_contract",
        "capture_share_of_snmp", "capture_received", "capture_dropped",
        "needed_mbps", "growth_percent", "required_mbps", "recommended_mbps", "recommended_provider", "monthly_price", "above_largest_tier",
    ]

    /// One row per agency and source (SNMP, capture), with the recommendation on each.
    public static func report(_ report: SurveyService.Report) -> String {
        var rows = [reportColumns]
        for a in report.agencies {
            let sources: [(String, SurveyFigures?)] = [("snmp", a.snmp), ("pcap", a.capture)].filter { $0.1 != nil }
            for (source, f) in sources.isEmpty ? [("-", nil)] : sources {
                func direction(_ d: SurveyFigures.Direction?) -> [String] {
                    guard let d else { return Array(repeating: "", count: 8) }
                    return [mbps(d.meanBitsPerSecond), String(format: "%02d:00", d.busyHour), mbps(d.busyHourMeanBitsPerSecond), mbps(d.peakBitsPerSecond),
                            mbps(d.percentile95BitsPerSecond), number(d.utilisation, digits: 3),
                            number(d.trendBitsPerSecondPerDay.map { $0 / 1_000_000 }, digits: 4), number(d.monthsToContract, digits: 1)]
                }
                let r = a.recommendation
                rows.append([a.agency, a.name, a.method.rawValue, a.basis ?? "", a.circuits.joined(separator: " "),
                             number(a.contractedDownMbps), number(a.contractedUpMbps), source,
                             f.map { String($0.windows) } ?? "", f.map { String($0.expectedWindows) } ?? "", number(f?.completeness, digits: 3)]
                            + direction(f?.inbound) + direction(f?.outbound)
                            + [number(a.captureShareOfSNMP, digits: 3), String(a.captureReceived), String(a.captureDropped),
                               number(a.needs?.neededMbps), number(a.needs?.growthPercent), number(r?.requiredMbps),
                               r?.tier.map { String($0.mbps) } ?? "", r?.provider ?? "", r?.tier.map { String($0.monthlyPrice) } ?? "",
                               r.map { $0.exceedsLargestTier ? "yes" : "no" } ?? ""])
            }
        }
        for u in report.uplinks {
            rows.append(["UPLINK " + u.circuit, "windows \(u.windows)", "snmp_bytes \(u.snmpBytes)", "captured_bytes \(u.capturedBytes)",
                         "attributed_bytes \(u.attributedBytes)", number(u.capturedShareOfSNMP, digits: 3), number(u.attributedShareOfSNMP, digits: 3)]
                        + Array(repeating: "", count: reportColumns.count - 7))
        }
        rows.append(["TOTAL", "", "", "", "", "", "", "", "", "", ""] + Array(repeating: "", count: 16)
                    + ["", "", "", "", "", "", "", "", String(report.plan.monthlyTotal), report.plan.monthlyBudget.map { "budget \($0)" } ?? ""])
        return SpreadsheetCSV.document(rows)
    }

    /// The agencies' stated needs.
    static func needs(_ agencies: [SurveyStore.AgencyRow]) -> String {
        var rows = [["agency", "name", "staff", "applications", "needed_mbps", "growth_percent", "note", "given_at", "given_by"]]
        for a in agencies {
            rows.append([a.agency, a.agencyName, a.needs?.staff.map(String.init) ?? "", a.needs?.applications.joined(separator: "; ") ?? "",
                         number(a.needs?.neededMbps), number(a.needs?.growthPercent), a.needs?.note ?? "", a.needsAt ?? "", a.needsBy ?? ""])
        }
        return SpreadsheetCSV.document(rows)
    }

    /// The samples behind the figures: one row per agency, source and five-minute window (SNMP) or
    /// interval (capture), times in UTC.
    public static func samples(_ rows: [SurveyService.SampleRow]) -> String {
        var out = [["agency", "source", "start_utc", "seconds", "in_bits_per_second", "out_bits_per_second", "in_bytes", "out_bytes", "in_packets", "out_packets", "run"]]
        for r in rows {
            out.append([r.agency, r.source, Timestamp.string(Date(timeIntervalSince1970: Double(r.startMs) / 1000)), String(r.seconds),
                        r.inBitsPerSecond.map(String.init) ?? "", r.outBitsPerSecond.map(String.init) ?? "",
                        r.inBytes.map(String.init) ?? "", r.outBytes.map(String.init) ?? "", r.inPackets.map(String.init) ?? "",
                        r.outPackets.map(String.init) ?? "", r.run.map(String.init) ?? ""])
        }
        return SpreadsheetCSV.document(out)
    }
}
