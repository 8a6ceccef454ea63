import Foundation
import SimpulCore
import SimpulServices

/// The survey page's report: per agency its chart and figures, the shared uplinks, and the
/// recommendation against the budget line. Figures in Mbps with the user's decimal comma or point.
extension SurveyRoutes {
    func reportView(_ charted: SurveyService.ChartedReport, context: WebContext, agencyUser: Bool) -> View {
        let language = context.language
        let words = renderer.wording(context)
        let format = Format(language)
        let time = simpul.officeTime()
        let report = charted.report
        func text(_ key: String, _ arguments: String...) -> String {
            arguments.enumerated().reduce(words(key)) { $0.replacingOccurrences(of: "{\($1.offset)}", with: $1.element) }
        }
        func provider(_ code: String?) -> String? { code.map { charted.providerNames[$0] ?? $0 } }

        let agencies = report.agencies.map { a -> View in
            let figures = Self.basis(a)
            let contract = a.contractedDownMbps.map { UInt64(($0 * 1_000_000).rounded()) }
            let contractText = a.contractedDownMbps.map { down in "\(format.decimal(down, places: 1)) / \(format.decimal(a.contractedUpMbps ?? 0, places: 1)) Mbps" }
            let series = charted.series[a.agency] ?? []
            let chart = series.isEmpty ? nil : Self.chart(id: "survey-chart-\(Self.slug(a.agency))", title: text("survey_chart_title", a.name), averages: series,
                                   from: charted.fromMs, to: charted.toMs, p95: figures?.inbound.percentile95BitsPerSecond, contract: contract,
                                   words: words, time: time)
            return view([
                "code": a.agency, "name": a.name, "method": Self.capitalised(a.method.title(language)),
                "circuits": a.circuits.isEmpty ? nil : a.circuits.joined(separator: ", "), "contract": contractText, "provider": provider(a.provider),
                "chart": chart, "unmeasured": a.snmp == nil && a.capture == nil,
                "sources": [Self.figures("snmp", words("survey_source_snmp"), a.snmp, words: words),
                            Self.figures("pcap", words("survey_source_pcap"), a.capture, words: words)].compactMap { $0 },
                "share": a.captureShareOfSNMP.map { text("survey_capture_share", format.share($0)) },
                "runs": a.captureRuns.isEmpty ? nil : text("survey_capture_runs", format.number(a.captureRuns.count), format.number(a.captureReceived),
                                                           format.number(a.captureDropped)),
            ])
        }
        let uplinks = report.uplinks.map { u -> View in
            view(["circuit": u.circuit, "windows": format.number(u.windows),
                  "captured": u.capturedShareOfSNMP.map(format.share) ?? "–", "attributed": u.attributedShareOfSNMP.map(format.share) ?? "–"])
        }
        let plan = report.plan.lines.map { line -> View in
            let a = report.agencies.first { $0.agency == line.agency }
            let measured = a.flatMap(Self.basis).map { max($0.inbound.percentile95BitsPerSecond, $0.outbound.percentile95BitsPerSecond) }
            return view([
                "code": line.agency, "name": a?.name ?? line.agency,
                "measured": measured.map { format.decimal(Double($0) / 1_000_000, places: 2) } ?? "–",
                "stated": [a?.needs?.neededMbps.map { format.decimal($0, places: 2) }, a?.needs?.growthPercent.map { "+" + format.percent($0) }]
                    .compactMap { $0 }.joined(separator: " · ").nilIfEmpty ?? "–",
                "required": format.decimal(line.requiredMbps, places: 2), "basis": words("survey_basis_\(line.basis.rawValue)"),
                "current": a?.contractedDownMbps.map { format.decimal($0, places: 1) } ?? "–",
                "tier": line.tier.map { format.number($0.mbps) } ?? "–", "exceeds": line.exceedsLargestTier,
                "provider": provider(line.provider) ?? "–", "price": line.tier.map { Self.rupiah($0.monthlyPrice, format) } ?? "–",
            ])
        }
        let budget = report.plan.monthlyBudget.map { budget in
            text(report.plan.monthlyTotal <= budget ? "survey_within_budget" : "survey_over_budget", Self.rupiah(budget, format))
        }
        return view([
            "agencies": agencies, "uplinks": uplinks, "hasUplinks": !uplinks.isEmpty, "plan": plan,
            "headroom": text("survey_headroom", format.decimal(report.headroom, places: 2)),
            "showTotal": !agencyUser, "total": text("survey_total", Self.rupiah(report.plan.monthlyTotal, format)), "budget": budget,
            "totalClass": report.plan.withinBudget.map { $0 ? "share-ok" : "share-bad" },
        ])
    }

    /// The figures the recommendation used: SNMP where it has data, else the capture.
    static func basis(_ a: SurveyService.AgencyReport) -> SurveyFigures? { a.snmp ?? a.capture }

    /// A sentence's first word: `Pencacah SNMP …`.
    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    static func rupiah(_ value: Int, _ format: Format) -> String { "Rp " + format.number(value) }

    /// A code as it may stand in an element id.
    static func slug(_ code: String) -> String {
        String(code.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    /// One source's figures, in and out side by side.
    static func figures(_ kind: String, _ title: String, _ f: SurveyFigures?, words: Wording) -> View? {
        guard let f else { return nil }
        let language = words.language
        let format = Format(language)
        func mbps(_ bps: UInt64) -> String { format.decimal(Double(bps) / 1_000_000, places: 2) }
        func busy(_ d: SurveyFigures.Direction) -> String {
            String(format: language == .id ? "%02d.00" : "%02d:00", d.busyHour) + " · " + mbps(d.busyHourMeanBitsPerSecond)
        }
        func share(_ v: Double?) -> String { v.map(format.share) ?? "–" }
        func trend(_ d: SurveyFigures.Direction) -> String {
            d.trendBitsPerSecondPerDay.map { words.catalogue.text("survey_trend_value", language, format.decimal($0 / 1_000_000, places: 3)) } ?? "–"
        }
        func months(_ d: SurveyFigures.Direction) -> String {
            guard d.contractedBitsPerSecond != nil else { return "–" }
            return d.monthsToContract.map { words.catalogue.text("survey_months_value", language, format.decimal($0, places: 1)) } ?? words("survey_months_never")
        }
        let rows: [(String, String, String)] = [
            (words("survey_mean"), mbps(f.inbound.meanBitsPerSecond), mbps(f.outbound.meanBitsPerSecond)),
            (words("survey_busy_hour"), busy(f.inbound), busy(f.outbound)),
            (words("survey_peak"), mbps(f.inbound.peakBitsPerSecond), mbps(f.outbound.peakBitsPerSecond)),
            (words("survey_p95"), mbps(f.inbound.percentile95BitsPerSecond), mbps(f.outbound.percentile95BitsPerSecond)),
            (words("survey_utilisation"), share(f.inbound.utilisation), share(f.outbound.utilisation)),
            (words("survey_trend"), trend(f.inbound), trend(f.outbound)),
            (words("survey_months"), months(f.inbound), months(f.outbound)),
        ]
        return view([
            "kind": kind, "title": title,
            "completeness": words.catalogue.text("survey_completeness", language, format.share(f.completeness), format.number(f.windows),
                                                 format.number(f.expectedWindows)),
            "rows": rows.map { ["label": $0.0, "in": $0.1, "out": $0.2] as View },
        ])
    }

    /// The agency's traffic over the period as an inline SVG (`link-health-chart`): hourly means in
    /// and out and the hour's highest five-minute average in (five-minute points for a period of two
    /// days or less), gaps left as gaps, the 95th percentile and the contracted rate across.
    static func chart(id: String, title: String, averages: [FiveMinuteAverage], from: Int64, to: Int64, p95: UInt64?, contract: UInt64?,
                      words: Wording, time: OfficeTime) -> View {
        let language = words.language
        let format = Format(language)
        let fine = to - from <= 2 * SurveyFigures.dayMillis
        let step: Int64 = fine ? SurveyFigures.windowMillis : 3_600_000
        // Runs of consecutive buckets: a missing hour breaks the line, it is never drawn as zero.
        typealias Point = SurveyFigures.Bucket
        var runs: [[Point]] = []
        var last: Int64?
        for point in SurveyFigures.buckets(averages, step: step, from: from, to: to) {
            if let last, point.start == last + step, !runs.isEmpty { runs[runs.count - 1].append(point) } else { runs.append([point]) }
            last = point.start
        }
        func spans(_ value: (Point) -> Double) -> [[(start: Int64, end: Int64, value: Double)]] {
            runs.map { $0.map { (start: $0.start, end: $0.start + step, value: value($0)) } }
        }
        var series: [TrafficChart.Series] = []
        if !fine {
            series.append(.init(name: "in-peak", label: words("survey_series_in_peak"), colour: TrafficChart.inPeakColour, width: 1, runs: spans { Double($0.peak) }))
        }
        series.append(.init(name: "in", label: words(fine ? "survey_series_in" : "survey_series_in_hourly"), colour: TrafficChart.inColour, width: 1.5,
                            runs: spans { $0.inMean }))
        series.append(.init(name: "out", label: words(fine ? "survey_series_out" : "survey_series_out_hourly"), colour: TrafficChart.outColour, width: 1.5,
                            runs: spans { $0.outMean }))
        var standards: [(value: Double, label: String)] = []
        if let contract, contract > 0 { standards.append((Double(contract), words.catalogue.text("survey_line_contract", language, format.bitRate(contract)))) }
        if let p95 { standards.append((Double(p95), words.catalogue.text("survey_line_p95", language, format.bitRate(p95)))) }
        let days = (to - from) / SurveyFigures.dayMillis
        let period: PollService.ChartPeriod = days <= 1 ? .day : days <= 10 ? .week : .month
        let summary = words.catalogue.text("survey_chart_desc", language, p95.map(format.bitRate) ?? "–", contract.map(format.bitRate) ?? "–")
        var data = TrafficChart(id: id, title: title, summary: summary, from: from, to: to, period: period, series: series, standards: standards,
                                units: TrafficChart.rateUnits, empty: words("survey_chart_empty"), time: time, language: language).data
        // The day after the period is not labelled (its label would run off the right edge); a long
        // period has at most eight dates under the axis, so that they never run into each other.
        if var ticks = data["xTicks"] as? [View] {
            ticks = ticks.filter { (($0["x"] as? Double) ?? 0) < TrafficChart.plotRight - 1 }
            let every = max(1, (ticks.count + 7) / 8)
            data["xTicks"] = ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        }
        return data
    }
}
