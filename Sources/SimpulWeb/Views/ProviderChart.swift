import Foundation
import SimpulCore
import SimpulServices

/// The provider report's chart, laid out for an inline SVG (no script, no library): each fault's
/// restore time as a mark over the day its outage started, against a dashed line at the contract's
/// restore time. Green within it, red past it; a fault not restored (measured to the month's end or
/// now) is a hollow mark. Times beyond the top of the scale sit on it as a triangle. Narrow on
/// purpose, like the compliance chart: readable on a phone, scaled up on a wide screen.
struct ProviderChart: Sendable {
    struct Mark: Sendable, Equatable {
        var x: Double
        var y: Double
        var late: Bool
        var open: Bool
        var beyond: Bool
        /// What a screen reader says for it (only while there are few marks).
        var summary: String?
    }

    struct Tick: Sendable, Equatable {
        var at: Double
        var label: String
    }

    static let width = 360
    static let height = 210
    static let plotLeft = 46.0
    static let plotRight = 350.0
    static let plotTop = 14.0
    static let plotBottom = 180.0
    /// The colours of the stylesheet's bars (`rect.median.ok`, `.late`), for the marks it has no rule for.
    static let okColour = "#2f8f5b"
    static let lateColour = "#a4161a"
    /// Past this many faults the marks carry no title of their own (the page lists every fault).
    static let titledMarks = 150

    let marks: [Mark]
    let xTicks: [Tick]
    let yTicks: [Tick]
    /// The contract's line.
    let standardY: Double
    let standardLabel: String
    /// The minutes at the top of the plot.
    let scaleMinutes: Int
    let summary: String

    init(report: FaultReportService.ProviderReport, words: Wording, clock: PageClock) {
        let language = words.language
        let format = Format(language)
        let limit = max(1, report.contract.restoreMinutes)
        let start = Timestamp.date(report.from) ?? Date(timeIntervalSince1970: 0)
        let end = Timestamp.date(report.to) ?? start.addingTimeInterval(86_400 * 30)
        let span = max(1, end.timeIntervalSince(start))
        let restores = report.faults.compactMap { f in f.restore.map { (fault: f, clock: $0) } }
        let largest = restores.map(\.clock.minutes).max() ?? 0
        // From 1.5 to 4 times the contract's restore time, in whole hours (or the contract's own step when shorter).
        let step = limit >= 120 ? 60 : max(1, limit / 2)
        let wanted = max(Double(limit) * 1.5, min(largest, Double(limit) * 4))
        let scale = Int((wanted / Double(step)).rounded(.up)) * step
        scaleMinutes = scale
        func y(_ minutes: Double) -> Double {
            let clamped = min(max(minutes, 0), Double(scale))
            return ((Self.plotBottom - (Self.plotBottom - Self.plotTop) * clamped / Double(scale)) * 10).rounded() / 10
        }
        func x(_ date: Date) -> Double {
            let share = min(max(date.timeIntervalSince(start) / span, 0), 1)
            return ((Self.plotLeft + (Self.plotRight - Self.plotLeft) * share) * 10).rounded() / 10
        }
        standardY = y(Double(limit))
        standardLabel = format.duration(Double(limit) * 60)
        let titled = restores.count <= Self.titledMarks
        marks = restores.map { item in
            let started = Timestamp.date(item.fault.startedAt) ?? start
            let late = item.clock.state.isBreach
            let summary = titled ? "#\(item.fault.ticket) \(item.fault.circuit ?? item.fault.agency): \(format.duration(item.clock.minutes * 60)) — \(item.clock.state.title(language))" : nil
            return Mark(x: x(started), y: y(item.clock.minutes), late: late, open: !item.clock.endedBy.ended, beyond: item.clock.minutes > Double(scale),
                        summary: summary)
        }
        // Day ticks: the 1st, 8th, 15th, 22nd and 29th of the month.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = clock.time.timeZone
        xTicks = [1, 8, 15, 22, 29].compactMap { day in
            guard let date = calendar.date(byAdding: .day, value: day - 1, to: start), date < end else { return nil }
            return Tick(at: x(date), label: String(day))
        }
        let every = scale / step > 8 ? step * Int((Double(scale / step) / 4).rounded(.up)) : step * max(1, scale / step / 4)
        yTicks = stride(from: 0, through: scale, by: max(1, every)).map { minutes in
            Tick(at: y(Double(minutes)), label: minutes % 60 == 0 ? "\(minutes / 60) \(language == .id ? "j" : "h")" : "\(minutes) m")
        }
        let late = restores.filter { $0.clock.state.isBreach }.count
        summary = words.catalogue.text("provider_chart_desc", language, format.number(restores.count), standardLabel, format.number(late))
    }

    /// The chart as template values (`report-provider-chart.mustache`).
    var data: View {
        [
            "width": Self.width, "height": Self.height, "plotLeft": Self.plotLeft, "plotRight": Self.plotRight, "plotTop": Self.plotTop,
            "plotBottom": Self.plotBottom, "standardY": standardY, "standardLabel": standardLabel, "standardLabelY": standardY - 3,
            "summary": summary, "dayLabelY": Self.plotBottom + 13, "dayWordY": Self.plotBottom + 26, "yLabelX": Self.plotLeft - 16,
            "dayTickBottom": Self.plotBottom + 4, "dayWordX": Self.plotRight - 24,
            "xTicks": xTicks.map { ["x": $0.at, "label": $0.label] },
            "yTicks": yTicks.map { ["y": $0.at, "label": $0.label, "labelY": $0.at + 3] },
            "marks": marks.map { mark -> View in
                view([
                    "x": mark.x - 2, "y": mark.y - 2, "class": mark.late ? "late" : "ok", "stroke": mark.late ? Self.lateColour : Self.okColour,
                    "open": mark.open, "beyond": mark.beyond,
                    "points": "\(mark.x - 3),\(Self.plotTop + 4) \(mark.x + 3),\(Self.plotTop + 4) \(mark.x),\(Self.plotTop - 1)",
                    "summary": mark.summary,
                ])
            },
        ]
    }
}
