import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SimpulServices
import SimpulCore
import SimpulStore
@testable import SimpulWeb
import Testing

/// The link-health pages (issue 14) over a health file the tests fill as the poller would: the links
/// with their states (down and flapping first, filters, an agency's own links), a link's charts for
/// each period (axes, office-time labels, the committed rate, gaps left as gaps, the 95th percentile),
/// and the poller's page.
@Suite("Link-health pages")
struct LinkHealthPageTests {
    /// The web fixture's district with a health file of its own.
    struct Fixture {
        let web: WebFixture
        let health: HealthDatabase
        let simpul: Simpul

        init() throws {
            web = try WebFixture()
            health = try HealthDatabase.inMemory()
            simpul = Simpul(database: web.simpul.database, settings: web.simpul.settings, dns: nil, health: HealthFile(database: health),
                            now: web.simpul.now)
        }

        var now: Int64 { EpochMillis.of(web.clock.now)! }

        func test<T: Sendable>(_ body: @Sendable (Browser) async throws -> T) async throws -> T {
            let simpul = self.simpul
            return try await web.application { try await buildRouter(simpul: simpul, configuration: WebFixture.configuration(), threads: $0) }
                .test(.router) { client in try await body(Browser(client: client)) }
        }

        /// The interface a device shows, as a walk would record it; its id.
        func interface(_ device: String, _ name: String) throws -> Int64 {
            try health.write { w in
                let known = try HealthStore.interfaces(w.reader, device: device)
                let ids = try HealthStore.recordWalk(w, device: device, match: InterfaceMatcher.match(known: known, walked: [WalkedInterface(ifIndex: 1, name: name)]),
                                                     at: now)
                return try #require(ids[1])
            }
        }

        func state(_ circuit: String, _ state: LinkState, since minutesAgo: Int64) throws {
            try health.write { w in
                try HealthStore.saveLinkState(w, HealthStore.LinkStateRow(circuit: circuit, state: state, machine: Data("{}".utf8),
                                                                          changedAt: now - minutesAgo * 60_000, polledAt: now - 30_000))
            }
        }

        func reading(_ interfaceID: Int64, minutesAgo: Double) throws {
            let at = web.clock.now.addingTimeInterval(-minutesAgo * 60)
            try health.write { w in
                try HealthStore.saveReadings(w, [(interfaceID: interfaceID, reading: CounterReading(at: at, sysUpTime: 1000, ifIndex: 1,
                                                                                                      inOctets: .counter64(1), outOctets: .counter64(1)))])
            }
        }

        /// DINKES's link (NUS-CKB-0008, 100/100 Mbps on rtr-dinkes ether1): ten-minute samples at 20 Mbit/s in and 4 out
        /// from eight days ago, nothing measured between five and four days ago; then one-minute samples at 10 in and 2
        /// out for the last two hours, nothing measured between 30 and 20 minutes ago, a 90 Mbit/s minute 50 minutes
        /// ago and 30 errors out in the minute 10 minutes ago. The link up for two hours. SETDA's link (NUS-CKB-0002)
        /// down for 40 minutes, with samples that carry no error counters; BPBD's (CLM-CKB-0001) flapping for three hours,
        /// DISKOMINFO's (NUS-CKB-0001) degraded for a day; every other link never polled.
        func fill() throws {
            let dinkes = try interface("rtr-dinkes", "ether1")
            var samples: [TrafficSample] = []
            let minute: Int64 = 60_000, day: Int64 = 86_400_000
            var start = now - 8 * day
            while start < now - 2 * 60 * minute {
                if !(start >= now - 5 * day && start < now - 4 * day) {
                    samples.append(TrafficSample(start: start, end: start + 10 * minute, inOctets: 1_500_000_000, outOctets: 300_000_000)!)
                }
                start += 10 * minute
            }
            for k in stride(from: 120, to: 0, by: -1) where !(k > 20 && k <= 30) {
                let begin = now - Int64(k) * minute
                samples.append(TrafficSample(start: begin, end: begin + minute, inOctets: k == 50 ? 675_000_000 : 75_000_000, outOctets: 15_000_000,
                                             inErrors: 0, outErrors: k == 10 ? 30 : 0)!)
            }
            try health.write { w in try HealthStore.record(w, samples: samples.map { (interfaceID: dinkes, sample: $0) }) }
            try reading(dinkes, minutesAgo: 0.5)

            let setda = try interface("rtr-setda", "sfp1")
            let quiet = (1...30).map { k in TrafficSample(start: now - Int64(k + 60) * minute, end: now - Int64(k + 59) * minute, inOctets: 7_500_000, outOctets: 750_000)! }
            try health.write { w in try HealthStore.record(w, samples: quiet.map { (interfaceID: setda, sample: $0) }) }
            try reading(setda, minutesAgo: 120)

            try state("NUS-CKB-0008", .up, since: 120)
            try state("NUS-CKB-0002", .down, since: 40)
            // The cycle's own records: its report, each device's last walk, the link's history.
            try health.write { w in
                try HealthStore.saveCycle(w, HealthStore.CycleRow(startedAt: now, durationMillis: 840, devices: 2, failed: 1, interfaces: 4, samples: 1,
                                                                  changes: 0, servers: 0, serversDown: 0))
                try HealthStore.saveDevicePoll(w, HealthStore.DevicePollRow(device: "rtr-dinkes", polledAt: now - 30_000, answered: true, problem: nil,
                                                                            interfaces: 1, durationMillis: 240, maxRepetitions: 25,
                                                                            lastAnswerAt: now - 30_000, failures: 0))
                try HealthStore.saveDevicePoll(w, HealthStore.DevicePollRow(
                    device: "rtr-setda", polledAt: now - 30_000, answered: false,
                    problem: Text(id: "rtr-setda tidak menjawab SNMP dalam 2 detik × 2 percobaan", en: "rtr-setda did not answer SNMP within 2 seconds × 2 attempt(s)"),
                    interfaces: 0, durationMillis: nil, maxRepetitions: nil, lastAnswerAt: now - 120 * minute, failures: 120))
                try HealthStore.recordChange(w, circuit: "NUS-CKB-0002", LinkTransition(from: .up, to: .down, at: EpochMillis.date(now - 40 * minute)))
            }
            try state("CLM-CKB-0001", .flapping, since: 180)
            try state("NUS-CKB-0001", .degraded, since: 1440)
        }
    }

    /// How many times `needle` occurs in `text`.
    func count(_ needle: String, in text: some StringProtocol) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The `points` of every polyline of `series` in `chart`.
    func polylines(_ series: String, in chart: Substring) -> [String] {
        chart.components(separatedBy: #"<polyline class="series \#(series)""#).dropFirst().compactMap { part in
            part.range(of: #"points=""#).map { String(part[$0.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    // MARK: The links

    @Test func theLinksWithTheirStatesDownAndFlappingFirstInIndonesian() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/health/links", cookies: admin.cookies)
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Kesehatan sambungan</h1>") && page.body.contains(#"id="nav-link_health" href="/health/links" aria-current="page""#))
            // Down, flapping, degraded, unknown, up.
            let order = try ["NUS-CKB-0002", "CLM-CKB-0001", "NUS-CKB-0001", "NUS-CKB-0003", "NUS-CKB-0008"].map { try #require(page.position(of: #"id="hl-\#($0)""#)) }
            #expect(order == order.sorted(), "\(order)")
            let down = try #require(page.element("hl-NUS-CKB-0002", closing: "tr"))
            #expect(down.contains(">Putus<") && down.contains("Sekretariat Daerah") && down.contains("PT Nusantara Data Net"))
            #expect(down.contains("21 Nov 2026 17.08 WITA") && down.contains("(40 menit)"))
            #expect(page.element("hl-CLM-CKB-0001", closing: "tr")?.contains(">Putus-sambung<") == true)
            #expect(page.element("hl-NUS-CKB-0001", closing: "tr")?.contains(">Menurun<") == true)
            #expect(page.element("hl-NUS-CKB-0003", closing: "tr")?.contains("belum pernah dipantau") == true)
            let up = try #require(page.element("hl-NUS-CKB-0008", closing: "tr"))
            #expect(up.contains(">Normal<") && up.contains(#"href="/health/links/NUS-CKB-0008""#))
            // The last minute: 10 Mbit/s in, 2 out, 10 % of the committed 100.
            #expect(up.contains(">10 Mbit/s<") && up.contains(">2 Mbit/s<") && up.contains("10 % <svg class=\"bar\"") && up.contains(#"width="10""#))
            #expect(up.contains("dari kontrak 100 Mbit/s"))
            // The tiles count every state; no code is shown as a word.
            #expect(page.element("tile-down", closing: "a")?.contains("<strong>1</strong><span>Putus</span>") == true && page.body.contains(#"id="tile-flapping""#))
            for code in ["down", "flapping", "degraded", "unknown", "up"] {
                #expect(!page.body.contains(">\(code)<"), "\(code)")
            }
            #expect(page.body.contains(#"href="/health/poller""#), "staff see the poller's page")

            // In English.
            _ = try await browser.post("/lang", cookies: admin.cookies, form: [("_csrf", admin.csrf), ("to", "en"), ("back", "/health/links")])
            let english = try await browser.get("/health/links", cookies: admin.cookies)
            #expect(english.element("hl-NUS-CKB-0002", closing: "tr")?.contains(">Down<") == true)
            #expect(english.element("hl-CLM-CKB-0001", closing: "tr")?.contains(">Flapping<") == true)
            #expect(english.element("hl-NUS-CKB-0008", closing: "tr")?.contains("of committed 100 Mbit/s") == true)
            #expect(english.body.contains("21 Nov 2026 17:08 WITA") && english.body.contains("<h1>Link health</h1>"))
        }
    }

    @Test func filtersByProviderAndStateAndRefusesBadParametersWithAMessage() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            let cakrawala = try await browser.get("/health/links?provider=cakrawala", cookies: kasi.cookies)
            #expect(cakrawala.status == .ok && cakrawala.body.contains(#"id="hl-CLM-CKB-0001""#) && !cakrawala.body.contains(#"id="hl-NUS-"#))
            #expect(cakrawala.body.contains(#"<option value="CAKRAWALA" selected>"#))
            // The tiles keep the provider.
            #expect(cakrawala.body.contains(#"href="/health/links?state=down&amp;provider=cakrawala""#))
            let down = try await browser.get("/health/links?state=down", cookies: kasi.cookies)
            #expect(down.status == .ok && down.body.contains(#"id="hl-NUS-CKB-0002""#) && count(#"<tr id="hl-"#, in: down.body) == 1)
            #expect(down.body.contains(#"<option value="down" selected>Putus</option>"#))
            // The state's title is understood too.
            let putus = try await browser.get("/health/links?state=Putus", cookies: kasi.cookies)
            #expect(putus.status == .ok && count(#"<tr id="hl-"#, in: putus.body) == 1)
            let none = try await browser.get("/health/links?provider=NUSANET&state=flapping", cookies: kasi.cookies)
            #expect(none.status == .ok && none.text(ofID: "health-none") == "Tidak ada sambungan yang cocok dengan saringan ini.")
            let busiest = try await browser.get("/health/links?sort=load", cookies: kasi.cookies)
            #expect(busiest.position(of: #"id="hl-NUS-CKB-0008""#)! < busiest.position(of: #"id="hl-NUS-CKB-0002""#)!)

            let badState = try await browser.get("/health/links?state=rusak", cookies: kasi.cookies)
            #expect(badState.status == .badRequest)
            #expect(badState.text(ofID: "form-error") == "keadaan \"rusak\" tidak dikenal; pilih Normal, Menurun, Putus, Tidak diketahui, Putus-sambung")
            let badProvider = try await browser.get("/health/links?provider=TELKOM", cookies: kasi.cookies)
            #expect(badProvider.status == .badRequest && badProvider.text(ofID: "form-error")?.contains("penyedia \"TELKOM\" tidak punya sambungan") == true)
            let badSort = try await browser.get("/health/links?sort=%3Cscript%3E", cookies: kasi.cookies)
            #expect(badSort.status == .badRequest && badSort.text(ofID: "form-error")?.hasPrefix("urutan \"<script>\" tidak dikenal") == true)
            #expect(!badSort.body.contains("<script>"))
        }
    }

    @Test func anAgencysUserSeesOnlyItsOwnLinksAndNotThePoller() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let dinkes = try await browser.logIn("opd-dinkes")
            let list = try await browser.get("/health/links", cookies: dinkes.cookies)
            #expect(list.status == .ok && list.body.contains(#"id="hl-NUS-CKB-0008""#) && count(#"<tr id="hl-"#, in: list.body) == 1)
            #expect(!list.body.contains("/health/poller") && list.body.contains(#"id="nav-link_health""#))
            #expect(list.element("tile-down", closing: "a")?.contains("<strong>0</strong>") == true, "another agency's outage is not counted for it")
            let own = try await browser.get("/health/links/NUS-CKB-0008", cookies: dinkes.cookies)
            #expect(own.status == .ok && own.body.contains(#"id="traffic-chart""#))
            #expect(!own.body.contains(#"href="/providers/"#), "an agency's user gets the provider's name, not its page")
            #expect(try await browser.get("/health/links/NUS-CKB-0002", cookies: dinkes.cookies).status == .notFound)
            #expect(try await browser.get("/health/links?provider=CAKRAWALA", cookies: dinkes.cookies).status == .badRequest)
            #expect(try await browser.get("/health/poller", cookies: dinkes.cookies).status == .notFound)
            #expect(try await browser.get("/health/links").status != .ok, "signed out")
        }
    }

    // MARK: A link

    @Test func aLinksDayHourWeekAndMonthChartsWithAxesCommittedRateGapsAndPercentile() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let head = try await browser.logIn("head1")
            let day = try await browser.get("/health/links/nus-ckb-0008", cookies: head.cookies)
            #expect(day.status == .ok && day.body.contains("<h1>NUS-CKB-0008 — Dinas Kesehatan</h1>"))
            #expect(day.text(ofID: "link-committed") == "100 Mbit/s" && day.body.contains(#"id="period-1d" aria-current="page""#))
            #expect(day.element("link-state", closing: "p")?.contains(">Normal</span> sejak 21 Nov 2026 15.48 WITA") == true)
            #expect(day.text(ofID: "link-polled") == "21 Nov 2026 17.48 WITA")
            let chart = try #require(day.element("traffic-chart", closing: "svg"))
            #expect(chart.contains(#"role="img""#) && chart.contains(#"<title id="traffic-chart-title">Lalu lintas 1 hari</title>"#))
            #expect(chart.contains(#"<line class="axis x-axis" x1="40.0" y1="176.0" x2="350.0" y2="176.0"/>"#))
            #expect(chart.contains(#"<line class="axis y-axis" x1="40.0" y1="20.0" x2="40.0" y2="176.0"/>"#))
            // 90 Mbit/s at the peak and 100 committed: a scale to 120 Mbit/s, the committed line at 100/120 of the height.
            #expect(chart.contains(">Mbit/s<") && chart.contains(">120<") && chart.contains(">90<"))
            #expect(chart.contains(#"<line class="standard committed" x1="40.0" y1="46.0" x2="350.0" y2="46.0"/>"#) && chart.contains(">kontrak 100 Mbit/s<"))
            // Every four hours in WITA, from 20.00 yesterday to 16.00 today.
            for label in ["20.00", "00.00", "04.00", "08.00", "12.00", "16.00"] { #expect(chart.contains(">\(label)<"), "\(label)") }
            #expect(chart.contains(">WITA<"))
            // Five-minute averages and peaks of the raw samples; the ten minutes not measured break the line.
            #expect(polylines("in", in: chart).count == 2 && polylines("in-peak", in: chart).count == 2)
            #expect(polylines("in", in: chart).allSatisfy { !$0.contains(",176.0") }, "a gap is never drawn as zero")
            // A day of five-minute windows: the 14 highest dropped, the 90 Mbit/s minute among them.
            #expect(day.text(ofID: "p95-in") == "20 Mbit/s" && day.text(ofID: "p95-out") == "4 Mbit/s" && day.text(ofID: "p95-billable") == "20 Mbit/s")
            let errors = try #require(day.element("error-chart", closing: "svg"))
            #expect(errors.contains(">galat/menit<") && polylines("errors-out", in: errors).count == 2 && !errors.contains("standard"))
            #expect(errors.contains("Galat antarmuka 1 hari per menit: tertinggi 6."), "30 errors in a minute: 6 a minute over its five")

            // The last hour: every sample.
            let hour = try await browser.get("/health/links/NUS-CKB-0008?period=1h", cookies: head.cookies)
            let hourChart = try #require(hour.element("traffic-chart", closing: "svg"))
            #expect(hour.text(ofID: "traffic-source") == "setiap sampel (satu per siklus)")
            for label in ["17.00", "17.15", "17.30", "17.45"] { #expect(hourChart.contains(">\(label)<"), "\(label)") }
            let runs = polylines("in", in: hourChart)
            #expect(runs.count == 2 && polylines("in-peak", in: hourChart).isEmpty)
            #expect(runs.map { $0.split(separator: " ").count }.reduce(0, +) == 50, "the hour's sixty minutes less the ten not measured")
            #expect(hour.text(ofID: "p95-in") == "26 Mbit/s" && hour.text(ofID: "p95-out") == "2 Mbit/s", "twelve windows: the highest is the 95th percentile")
            #expect(hour.element("error-chart", closing: "svg")?.contains("tertinggi 30.") == true)

            // The week from the hourly roll-ups' five-minute averages: the day not measured is a gap.
            let week = try await browser.get("/health/links/NUS-CKB-0008?period=1w", cookies: head.cookies)
            let weekChart = try #require(week.element("traffic-chart", closing: "svg"))
            #expect(week.text(ofID: "traffic-source") == "rata-rata lima menit dari ringkasan per jam")
            #expect(polylines("in", in: weekChart).count == 3 && polylines("in-peak", in: weekChart).isEmpty)
            #expect(weekChart.contains(">Sen 16<") && weekChart.contains(">Sab 21<"))
            #expect(week.text(ofID: "p95-in") == "20 Mbit/s" && week.text(ofID: "p95-out") == "4 Mbit/s")

            // The month: hourly averages and peaks, ticks on Mondays.
            let month = try await browser.get("/health/links/NUS-CKB-0008?period=1m", cookies: head.cookies)
            let monthChart = try #require(month.element("traffic-chart", closing: "svg"))
            #expect(polylines("in", in: monthChart).count == 2 && polylines("in-peak", in: monthChart).count == 2)
            #expect(monthChart.contains(">26 Okt<") && monthChart.contains(">16 Nov<"))
            #expect(month.text(ofID: "p95-in") == "20 Mbit/s" && month.body.contains("1 bulan (30 hari)"))

            // In English: the same charts, times written the English way.
            _ = try await browser.post("/lang", cookies: head.cookies, form: [("_csrf", head.csrf), ("to", "en"), ("back", "/")])
            let en = try await browser.get("/health/links/NUS-CKB-0008?period=1m", cookies: head.cookies)
            let enChart = try #require(en.element("traffic-chart", closing: "svg"))
            #expect(enChart.contains(">26 Oct<") && enChart.contains(">committed 100 Mbit/s<") && en.body.contains("Traffic over 1 month (30 days)"))
            let enDay = try await browser.get("/health/links/NUS-CKB-0008?period=1d", cookies: head.cookies)
            #expect(enDay.element("traffic-chart", closing: "svg")?.contains(">20:00<") == true)
        }
    }

    @Test func aLinkWithoutSamplesOrErrorCountersAndABadPeriod() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let kasi = try await browser.logIn("kasi1")
            // Never measured: the chart's axes and committed line with a note, no percentile, no error chart.
            let empty = try await browser.get("/health/links/NUS-CKB-0003", cookies: kasi.cookies)
            #expect(empty.status == .ok)
            let chart = try #require(empty.element("traffic-chart", closing: "svg"))
            #expect(chart.contains("Tidak ada sampel pada periode ini") && chart.contains(#"class="standard committed""#) && !chart.contains("<polyline"))
            #expect(empty.text(ofID: "p95-none") == "Belum ada jendela lima menit yang terukur pada periode ini.")
            #expect(empty.body.contains(#"id="errors-none""#) && !empty.body.contains(#"id="error-chart""#))
            // Samples without error counters: traffic, and no error chart (nothing to draw, no zero to pretend).
            let setda = try await browser.get("/health/links/NUS-CKB-0002?period=1d", cookies: kasi.cookies)
            #expect(setda.body.contains(#"id="traffic-chart""#) && setda.body.contains(#"id="errors-none""#))
            #expect(setda.element("link-state", closing: "p")?.contains(">Putus</span>") == true)
            // Its history: the change to down, when it happened.
            #expect(setda.element("link-changes", closing: "table")?.contains("Normal → Putus") == true)
            #expect(setda.element("link-changes", closing: "table")?.contains("21 Nov 2026 17.08 WITA") == true)
            #expect(empty.text(ofID: "changes-none") == "Belum ada perubahan keadaan yang tercatat.")
            // A period that cannot be read: the link's facts, the periods to choose from, a message; no chart.
            let bad = try await browser.get("/health/links/NUS-CKB-0008?period=2y", cookies: kasi.cookies)
            #expect(bad.status == .badRequest && bad.text(ofID: "form-error") == "periode \"2y\" tidak dikenal; pakai 1h, 1d, 1w, 1m")
            #expect(bad.body.contains(#"id="link-facts""#) && bad.body.contains(#"id="period-1w""#) && !bad.body.contains("<svg class=\"chart\""))
            #expect(try await browser.get("/health/links/NO-SUCH-0001", cookies: kasi.cookies).status == .notFound)
        }
    }

    @Test func oddValuesInEveryParameterAreRefusedNeverA500() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        let odd = ["", "%00", "%3Cb%3Ex%3C%2Fb%3E", "..%2F..%2Fetc", String(repeating: "x", count: 5000), "9223372036854775808", "1e308", "%F0%9F%94%A5", "+", "%"]
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            for value in odd {
                for uri in ["/health/links?state=\(value)", "/health/links?provider=\(value)", "/health/links?sort=\(value)",
                            "/health/links/NUS-CKB-0008?period=\(value)", "/health/links/\(value.isEmpty ? "x" : value)", "/health/poller?x=\(value)"] {
                    let answer = try await browser.get(uri, cookies: admin.cookies)
                    #expect(answer.status.code < 500, "GET \(uri.prefix(80)) → \(answer.status)")
                    #expect(!answer.body.contains("<b>x</b>"), "\(uri.prefix(80)) echoes markup")
                }
            }
            let long = try await browser.get("/health/links?provider=" + String(repeating: "x", count: 5000), cookies: admin.cookies)
            #expect(long.status == .badRequest && (long.text(ofID: "form-error")?.count ?? 0) < 200, "the value is cut short in the message")
        }
    }

    // MARK: The poller

    @Test func thePollerPageShowsTheLastCycleAndEachDevicesLastAnswer() async throws {
        let fixture = try Fixture()
        try fixture.fill()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/health/poller", cookies: admin.cookies)
            #expect(page.status == .ok && page.body.contains("<h1>Pemantau</h1>"))
            #expect(page.element("poller-last-cycle", closing: "dd")?.contains("21 Nov 2026 17.48 WITA") == true)
            #expect(page.text(ofID: "poller-duration") == "840 ms")
            #expect(page.text(ofID: "poller-summary") == "2 perangkat ditanyai, 1 tidak menjawab; 0 server diperiksa, 0 mati")
            #expect(page.text(ofID: "poller-links") == "4 pada siklus terakhir, dari 4 yang pernah dipantau")
            let dinkes = try #require(page.element("dev-rtr-dinkes", closing: "tr"))
            #expect(dinkes.contains(">Menjawab<") && dinkes.contains("Dinas Kesehatan") && dinkes.contains("1 ada, dari 1 yang dikenal"))
            #expect(dinkes.contains(#"href="/health/links/NUS-CKB-0008""#) && dinkes.contains(">Normal<"))
            let setda = try #require(page.element("dev-rtr-setda", closing: "tr"))
            #expect(setda.contains(">Tidak menjawab<") && setda.contains(">21 Nov 2026 15.48 WITA<") && setda.contains(">Putus<"))
            #expect(setda.contains("rtr-setda tidak menjawab SNMP dalam 2 detik × 2 percobaan") && setda.contains("gagal 120× berturut-turut"))
            #expect(dinkes.contains("240 ms"))
            #expect(page.text(ofID: "servers-none") == "Belum ada server yang didaftarkan untuk dipantau.")
            #expect(page.element("poller-cycles", closing: "table")?.contains("840 ms") == true)
            #expect(page.element("dev-rtr-bpbd", closing: "tr")?.contains("Belum pernah menjawab") == true)
            // Not answering first.
            #expect(page.position(of: #"id="dev-rtr-setda""#)! < page.position(of: #"id="dev-rtr-dinkes""#)!)
            #expect(page.body.contains("simpul poll --json"), "where the same reasons are printed")
        }
    }

    // MARK: Without data

    @Test func thePagesWithAnEmptyHealthFileAndWithoutOne() async throws {
        let fixture = try Fixture()
        try await fixture.test { browser in
            let admin = try await browser.logIn("admin1")
            let list = try await browser.get("/health/links", cookies: admin.cookies)
            #expect(list.status == .ok && list.element("tile-unknown", closing: "a")?.contains("<strong>29</strong>") == true)
            #expect(list.element("hl-NUS-CKB-0008", closing: "tr")?.contains("Tidak diketahui") == true)
            let poller = try await browser.get("/health/poller", cookies: admin.cookies)
            #expect(poller.status == .ok && poller.text(ofID: "poller-last-cycle") == "Belum ada siklus yang tercatat.")
            #expect(poller.element("dev-rtr-dinkes", closing: "tr")?.contains("Belum pernah menjawab") == true)
            let link = try await browser.get("/health/links/NUS-CKB-0008?period=1w", cookies: admin.cookies)
            #expect(link.status == .ok && link.body.contains("Tidak ada sampel pada periode ini"))
        }
        // A server without a health file says so on each page.
        let plain = try WebFixture()
        try await plain.test { browser in
            let admin = try await browser.logIn("admin1")
            for path in ["/health/links", "/health/links/NUS-CKB-0008", "/health/poller"] {
                let page = try await browser.get(path, cookies: admin.cookies)
                #expect(page.status == .ok && page.body.contains(#"id="health-not-configured""#), "\(path)")
            }
        }
    }

    // MARK: Pure parts

    @Test func aGapBreaksARunAndTheScaleIsRound() {
        let points = [(0, 60), (60, 120), (125, 185), (200_000, 200_060)].map {
            PollService.TrafficPoint(start: Int64($0.0) * 1000, end: Int64($0.1) * 1000, inBitsPerSecond: 1, outBitsPerSecond: 1)
        }
        #expect(PollService.runs(points, join: 5_000).map(\.count) == [3, 1])
        #expect(PollService.runs(points, join: 0).map(\.count) == [2, 1, 1])
        let units = TrafficChart.rateUnits
        #expect(TrafficChart.scale(100_000_000, units: units).1 == 120_000_000)
        #expect(TrafficChart.scale(133_333, units: units) == (TrafficChart.Unit(divisor: 1e3, name: "kbit/s"), 160_000))
        #expect(abs(TrafficChart.scale(0, units: units).1 - 1) < 1e-9)
        let giga = TrafficChart.scale(2_000_000_000, units: units)
        #expect(giga.0.name == "Gbit/s" && abs(giga.1 - 2_400_000_000) < 1)
    }
}
