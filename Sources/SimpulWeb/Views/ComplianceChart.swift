import Foundation
import SimpulCore
import SimpulServices

/// The compliance report's bar chart, laid out for an inline SVG (no script, no library):
/// for each step a bar of the median as a share of the standard, a tick at the 90th
/// percentile, and a dashed line at 100 %. Narrow on purpose, so that on a phone the
/// text stays readable; wider screens scale it up.
struct ComplianceChart: Sendable {
    struct Row: Sendable, Equatable {
        var label: String
        /// What a screen reader says for the row.
        var summary: String
        var labelY: Int
        var barY: Int
        var tickY: Int
        /// Median and p90 as percent of the standard; nil when the step has no standard or no data.
        var medianPercent: Int?
        var p90Percent: Int?
        var barWidth: Double
        var tickX: Double?
        var late: Bool
        var p90Late: Bool
        /// Shown instead of a bar.
        var note: String?
        var valueText: String?
    }

    struct Tick: Sendable, Equatable {
        var x: Double
        var label: String
    }

    static let width = 360
    static let plotLeft = 12.0
    static let plotWidth = 284.0
    static let valueX = 302
    static let top = 22
    static let rowHeight = 40

    let rows: [Row]
    /// The percentage at the right end of the plot.
    let scale: Int
    let ticks: [Tick]
    let height: Int
    let standardX: Double

    init(steps: [ComplianceService.StepFigures], words: Wording) {
        let language = words.language
        func percent(_ seconds: Double?, _ standard: Double?) -> Double? {
            guard let seconds, let standard, standard > 0 else { return nil }
            return seconds / standard * 100
        }
        let largest = steps.compactMap { step in [percent(step.median, step.standardSeconds), percent(step.p90, step.standardSeconds)].compactMap { $0 }.max() }.max() ?? 0
        // At least 150 %, in steps of 50, at most 500 (longer bars are cut and say so).
        let scale = min(500, max(150, Int((largest / 50).rounded(.up)) * 50))
        func x(_ percent: Double) -> Double {
            ((Self.plotLeft + Self.plotWidth * min(percent, Double(scale)) / Double(scale)) * 10).rounded() / 10
        }
        self.scale = scale
        standardX = x(100)
        ticks = stride(from: 0, through: scale, by: scale > 300 ? 100 : 50).map { Tick(x: x(Double($0)), label: "\($0) %") }
        rows = steps.enumerated().map { index, step in
            let y = Self.top + index * Self.rowHeight
            let title = step.title(language)
            let label = title.count > 52 ? String(title.prefix(51)) + "…" : title
            var row = Row(label: label, summary: title, labelY: y + 12, barY: y + 18, tickY: y + 15, medianPercent: nil, p90Percent: nil,
                          barWidth: 0, tickX: nil, late: false, p90Late: false, note: nil, valueText: nil)
            guard step.standardSeconds != nil else {
                row.note = words("compliance_chart_untimed")
                row.summary += ": " + row.note!
                return row
            }
            guard step.done > 0, let median = percent(step.median, step.standardSeconds) else {
                row.note = words("compliance_chart_no_data")
                row.summary += ": " + row.note!
                return row
            }
            let p90 = percent(step.p90, step.standardSeconds)
            row.medianPercent = Int(median.rounded())
            row.p90Percent = p90.map { Int($0.rounded()) }
            row.barWidth = max(1, x(median) - Self.plotLeft)
            row.tickX = p90.map(x)
            row.late = median > 100
            row.p90Late = (p90 ?? 0) > 100
            row.valueText = "\(row.medianPercent!) %"
            let format = Format(language)
            row.summary += ": " + words.catalogue.text("compliance_chart_row", language, format.percent(Double(row.medianPercent!), places: 0),
                                                       row.p90Percent.map { format.percent(Double($0), places: 0) } ?? "–")
            return row
        }
        height = Self.top + max(1, steps.count) * Self.rowHeight + 4
    }

    /// The chart as template values (`compliance-chart.mustache`).
    var data: View {
        [
            "width": Self.width, "height": height, "standardX": standardX, "plotLeft": Self.plotLeft, "valueX": Self.valueX,
            "axisBottom": height - 4, "scale": scale,
            "ticks": ticks.map { ["x": $0.x, "label": $0.label] },
            "rows": rows.map { row in
                view([
                    "label": row.label, "summary": row.summary, "labelY": row.labelY, "barY": row.barY, "tickY": row.tickY,
                    "barWidth": row.barWidth, "tickX": row.tickX, "barClass": row.late ? "late" : "ok", "tickClass": row.p90Late ? "late" : "ok",
                    "note": row.note, "valueText": row.valueText, "hasBar": row.note == nil, "textY": row.barY + 11,
                    "lineTop": row.barY - 3, "lineBottom": row.barY + 17,
                ])
            },
        ]
    }
}
