import Foundation
import SimpulCore
import SimpulServices

/// A link's traffic or error chart, laid out for an inline SVG (no script, no library): a line per
/// series over the period, broken where nothing was measured (a gap is never drawn as zero), the
/// committed rate as a dashed line, axes with their ticks, the times in the office's zone. Narrow on
/// purpose, like the other charts: readable on a phone, scaled up on a wide screen. The stroke
/// colours are attributes (the CSP allows no inline style); the axes and the committed line take
/// the stylesheet's chart classes.
struct TrafficChart: Sendable {
    /// One series: runs of spans, each drawn as one polyline.
    struct Series: Sendable {
        var name: String
        var label: String
        var colour: String
        var width: Double
        var runs: [[(start: Int64, end: Int64, value: Double)]]
    }

    struct Tick: Sendable, Equatable {
        var at: Double
        var label: String
    }

    /// A dashed horizontal line at a value (the committed rate).
    struct Standard: Sendable, Equatable {
        var y: Double
        var labelY: Double
        var label: String
    }

    /// A scale's unit: values are divided by `divisor` for the tick labels.
    struct Unit: Sendable, Equatable {
        var divisor: Double
        var name: String
    }

    static let width = 360
    static let height = 206
    static let plotLeft = 40.0
    static let plotRight = 350.0
    static let plotTop = 20.0
    static let plotBottom = 176.0

    static let inColour = "#0b5cad"
    static let outColour = "#2f8f5b"
    static let inPeakColour = "#9cc0e6"
    static let outPeakColour = "#a9d6bb"
    static let inErrorColour = "#a4161a"
    static let outErrorColour = "#b86e00"

    let id: String
    let title: String
    let summary: String
    let unit: Unit
    let top: Double
    let xTicks: [Tick]
    let yTicks: [Tick]
    let zone: String
    let standards: [Standard]
    /// Polylines' points, one list per series.
    let lines: [(series: Series, points: [String])]
    /// Said in the plot when no series has a point.
    let empty: String?

    init(id: String, title: String, summary: String, from: Int64, to: Int64, period: PollService.ChartPeriod, series: [Series],
         standards: [(value: Double, label: String)], units: [Unit], empty: String, time: OfficeTime, language: Language) {
        self.id = id
        self.title = title
        self.summary = summary
        let span = Double(max(1, to - from))
        let largest = (series.flatMap { $0.runs.flatMap { $0.map(\.value) } } + standards.map(\.value)).filter(\.isFinite).max() ?? 0
        let (unit, top) = Self.scale(largest, units: units)
        self.unit = unit
        self.top = top
        func x(_ t: Double) -> Double {
            Self.rounded(Self.plotLeft + (Self.plotRight - Self.plotLeft) * min(max((t - Double(from)) / span, 0), 1))
        }
        func y(_ value: Double) -> Double {
            Self.rounded(Self.plotBottom - (Self.plotBottom - Self.plotTop) * min(max(value / top, 0), 1))
        }
        lines = series.map { s in
            (s, s.runs.compactMap { run -> String? in
                guard let first = run.first else { return nil }
                // A run of one span is drawn across it (at least a pixel and a half), not as a dot.
                if run.count == 1 {
                    var (a, b) = (x(Double(first.start)), x(Double(first.end)))
                    if b - a < 1.5 { (a, b) = (max(Self.plotLeft, (a + b) / 2 - 0.75), min(Self.plotRight, (a + b) / 2 + 0.75)) }
                    return "\(a),\(y(first.value)) \(b),\(y(first.value))"
                }
                return run.map { "\(x((Double($0.start) + Double($0.end)) / 2)),\(y($0.value))" }.joined(separator: " ")
            })
        }
        yTicks = stride(from: 0.0, through: top * 1.0001, by: top / 4).map { value in
            Tick(at: y(value), label: Format(language).decimal(value / unit.divisor, places: 2))
        }
        xTicks = Self.timeTicks(from: from, to: to, period: period, time: time, language: language).map { Tick(at: x(Double($0.at)), label: $0.label) }
        zone = time.abbreviation
        var placed: [Standard] = []
        for standard in standards.sorted(by: { $0.value > $1.value }) {
            let lineY = y(standard.value)
            // A second label too close to the first goes under its line.
            let above = lineY - 3
            let clash = placed.contains { abs($0.labelY - above) < 11 }
            placed.append(Standard(y: lineY, labelY: clash ? lineY + 10 : above, label: standard.label))
        }
        self.standards = placed
        self.empty = lines.allSatisfy { $0.points.isEmpty } ? empty : nil
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// The unit that reads best for `largest`, and the top of the scale: a round number at least 5 %
    /// above it, in four equal steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
    static func scale(_ largest: Double, units: [Unit]) -> (Unit, Double) {
        let units = units.sorted { $0.divisor < $1.divisor }
        let unit = units.last { largest >= $0.divisor } ?? units.first ?? Unit(divisor: 1, name: "")
        let wanted = max(largest * 1.05, unit.divisor) / unit.divisor
        var magnitude = 1.0
        while magnitude * 10 <= wanted / 4 { magnitude *= 10 }
        while magnitude > wanted / 4 && magnitude > 0.01 { magnitude /= 10 }
        let step = [1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map { $0 * magnitude }.first { $0 * 4 >= wanted } ?? magnitude * 10
        return (unit, step * 4 * unit.divisor)
    }

    /// Ticks in the office's zone: every 15 minutes (an hour), every 4 hours (a day), each midnight
    /// (a week), each Monday's midnight (a month).
    static func timeTicks(from: Int64, to: Int64, period: PollService.ChartPeriod, time: OfficeTime, language: Language) -> [(at: Int64, label: String)] {
        let offset = Int64(time.timeZone.secondsFromGMT(for: EpochMillis.date(from))) * 1000
        let day: Int64 = 86_400_000
        let (step, phase): (Int64, Int64) = switch period {
        case .hour: (15 * 60_000, 0)
        case .day: (4 * 3_600_000, 0)
        case .week: (day, 0)
        // 1970-01-01 was a Thursday: Mondays are 4 days after a multiple of 7 days.
        case .month: (7 * day, 4 * day)
        }
        let localFrom = from + offset - phase
        var local = (localFrom / step + (localFrom % step == 0 ? 0 : 1)) * step + phase
        var ticks: [(at: Int64, label: String)] = []
        let weekdays = language == .id ? ["Kam", "Jum", "Sab", "Min", "Sen", "Sel", "Rab"] : ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        while local - offset <= to {
            let at = local - offset
            // `21 Nov 2026 17.48 WITA`: the day, the month and the time of day.
            let words = time.format(EpochMillis.date(at), language).split(separator: " ").map(String.init)
            let label: String = switch period {
            case .hour, .day: words.count > 3 ? words[3] : ""
            case .week: "\(weekdays[Int(((local / day) % 7 + 7) % 7)]) \(words.first ?? "")"
            case .month: words.prefix(2).joined(separator: " ")
            }
            ticks.append((at, label))
            local += step
        }
        return ticks
    }

    /// The chart as template values (`link-health-chart.mustache`).
    var data: View {
        let tickBottom = Self.plotBottom + 4
        return [
            "id": id, "title": title, "summary": summary, "width": Self.width, "height": Self.height,
            "plotLeft": Self.plotLeft, "plotRight": Self.plotRight, "plotTop": Self.plotTop, "plotBottom": Self.plotBottom,
            "unit": unit.name, "unitY": Self.plotTop - 8, "zone": zone, "zoneY": Self.plotBottom + 26, "zoneX": Self.plotRight,
            "yTicks": yTicks.map { ["y": $0.at, "labelY": $0.at + 3, "labelX": Self.plotLeft - 15, "label": $0.label] as View },
            "xTicks": xTicks.map { ["x": $0.at, "tickBottom": tickBottom, "labelY": Self.plotBottom + 14, "label": $0.label] as View },
            "standards": standards.map { ["y": $0.y, "labelY": $0.labelY, "label": $0.label] as View },
            "lines": lines.flatMap { line in
                line.points.map { ["name": line.series.name, "colour": line.series.colour, "width": line.series.width, "points": $0] as View }
            },
            "empty": empty as Any, "emptyX": (Self.plotLeft + Self.plotRight) / 2, "emptyY": (Self.plotTop + Self.plotBottom) / 2,
            "legend": lines.map { ["colour": $0.series.colour, "label": $0.series.label, "dashed": false] as View }
                + (standards.isEmpty ? [] : [["colour": "#1d2733", "label": standards.count == 1 ? standards[0].label : standards.map(\.label).joined(separator: ", "), "dashed": true] as View]),
        ]
    }
}

extension TrafficChart {
    static let rateUnits = [Unit(divisor: 1, name: "bit/s"), Unit(divisor: 1e3, name: "kbit/s"), Unit(divisor: 1e6, name: "Mbit/s"), Unit(divisor: 1e9, name: "Gbit/s")]

    /// The traffic chart of a link's history: in and out (and their peaks where the period has them)
    /// against the committed rate.
    static func traffic(_ history: PollService.LinkHistory, words: Wording, time: OfficeTime) -> TrafficChart {
        let language = words.language
        let format = Format(language)
        let runs = history.traffic
        func spans(_ value: (PollService.TrafficPoint) -> UInt64?) -> [[(start: Int64, end: Int64, value: Double)]] {
            runs.map { $0.compactMap { p in value(p).map { (p.start, p.end, Double($0)) } } }.filter { !$0.isEmpty }
        }
        var series: [Series] = []
        if runs.contains(where: { $0.contains { $0.inMaxBitsPerSecond != nil } }) {
            series.append(Series(name: "in-peak", label: words("health_series_in_peak"), colour: inPeakColour, width: 1, runs: spans(\.inMaxBitsPerSecond)))
            series.append(Series(name: "out-peak", label: words("health_series_out_peak"), colour: outPeakColour, width: 1, runs: spans(\.outMaxBitsPerSecond)))
        }
        series.append(Series(name: "in", label: words("health_series_in"), colour: inColour, width: 1.5, runs: spans(\.inBitsPerSecond)))
        series.append(Series(name: "out", label: words("health_series_out"), colour: outColour, width: 1.5, runs: spans(\.outBitsPerSecond)))
        let committedIn = Double(history.status.committedInBitsPerSecond), committedOut = Double(history.status.committedOutBitsPerSecond)
        var standards: [(value: Double, label: String)] = []
        if committedIn == committedOut, committedIn > 0 {
            standards = [(committedIn, words.catalogue.text("health_committed_line", language, format.bitRate(UInt64(committedIn))))]
        } else {
            if committedIn > 0 { standards.append((committedIn, words.catalogue.text("health_committed_in_line", language, format.bitRate(UInt64(committedIn))))) }
            if committedOut > 0 { standards.append((committedOut, words.catalogue.text("health_committed_out_line", language, format.bitRate(UInt64(committedOut))))) }
        }
        let highestIn = runs.joined().map { $0.inMaxBitsPerSecond ?? $0.inBitsPerSecond }.max()
        let highestOut = runs.joined().map { $0.outMaxBitsPerSecond ?? $0.outBitsPerSecond }.max()
        let period = history.period.title(language)
        let summary = highestIn.map { highestIn in
            words.catalogue.text("health_traffic_desc", language, period, format.bitRate(highestIn),
                                 format.bitRate(highestOut ?? 0), standards.map(\.label).joined(separator: ", "))
        } ?? words.catalogue.text("health_traffic_desc_empty", language, period)
        return TrafficChart(id: "traffic-chart", title: words.catalogue.text("health_traffic_title", language, period), summary: summary,
                            from: history.from, to: history.to, period: history.period, series: series, standards: standards,
                            units: rateUnits, empty: words("health_no_samples"), time: time, language: language)
    }

    /// The error chart: interface errors in and out, per minute. Nil when the agent gave no error
    /// counter over the period (nothing to draw, and no zero to pretend).
    static func errors(_ history: PollService.LinkHistory, words: Wording, time: OfficeTime) -> TrafficChart? {
        let language = words.language
        let runs = history.errors
        guard !runs.isEmpty else { return nil }
        func spans(_ value: (PollService.ErrorPoint) -> Double?) -> [[(start: Int64, end: Int64, value: Double)]] {
            runs.map { $0.compactMap { p in value(p).map { (p.start, p.end, $0) } } }.filter { !$0.isEmpty }
        }
        let series = [
            Series(name: "errors-in", label: words("health_series_errors_in"), colour: inErrorColour, width: 1.5, runs: spans(\.inPerMinute)),
            Series(name: "errors-out", label: words("health_series_errors_out"), colour: outErrorColour, width: 1.5, runs: spans(\.outPerMinute)),
        ]
        let highest = runs.joined().map { max($0.inPerMinute ?? 0, $0.outPerMinute ?? 0) }.max() ?? 0
        let format = Format(language)
        let period = history.period.title(language)
        return TrafficChart(id: "error-chart", title: words.catalogue.text("health_errors_title", language, period),
                            summary: words.catalogue.text("health_errors_desc", language, period, format.decimal(highest, places: 2)),
                            from: history.from, to: history.to, period: history.period, series: series, standards: [],
                            units: [Unit(divisor: 1, name: words("health_errors_unit"))], empty: words("health_no_samples"), time: time, language: language)
    }
}
