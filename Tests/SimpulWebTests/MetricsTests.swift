import Foundation
import HTTPTypes
import SimpulCore
@testable import SimpulServices
import SimpulStore
@testable import SimpulWeb
import Testing

/// `/metrics` (issue 14): Prometheus' text format that a strict reader of it accepts line by line,
/// names that snmp_exporter's if_mib dashboards know, the values the health file holds (and none it
/// does not), label values escaped, and the API token's rules.
@Suite("Prometheus /metrics")
struct MetricsTests {
    /// A strict reader of the text exposition format (version 0.0.4): every line is a `# HELP`, a
    /// `# TYPE` or a sample `name{label="value",…} value`; a family's TYPE comes once, before its
    /// samples, which are contiguous; no series twice; label values use only `\\`, `\"` and `\n`.
    struct Exposition {
        struct Sample {
            var name: String
            var labels: [String: String]
            var value: Double
        }

        struct Malformed: Error, CustomStringConvertible {
            var line: String
            var why: String
            var description: String { "\(why): \(line)" }
        }

        var help: [String: String] = [:]
        var types: [String: String] = [:]
        var samples: [Sample] = []

        init(_ text: String) throws {
            guard text.hasSuffix("\n") else { throw Malformed(line: String(text.suffix(40)), why: "no final line feed") }
            var done = Set<String>(), current: String?, series = Set<String>()
            for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                    let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1).map(String.init)
                    guard parts.count == 2, Self.isName(parts[0]) else { throw Malformed(line: line, why: "bad comment") }
                    if line.hasPrefix("# TYPE ") {
                        guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[1]) else { throw Malformed(line: line, why: "bad type") }
                        guard types[parts[0]] == nil, !done.contains(parts[0]) else { throw Malformed(line: line, why: "second TYPE") }
                        types[parts[0]] = parts[1]
                    } else {
                        guard help[parts[0]] == nil else { throw Malformed(line: line, why: "second HELP") }
                        help[parts[0]] = parts[1]
                    }
                    continue
                }
                guard !line.hasPrefix("#"), !line.isEmpty else { throw Malformed(line: line, why: "unexpected line") }
                let sample = try Self.sample(line)
                guard types[sample.name] != nil else { throw Malformed(line: line, why: "sample before its TYPE") }
                if sample.name != current {
                    guard !done.contains(sample.name) else { throw Malformed(line: line, why: "family not contiguous") }
                    if let current { done.insert(current) }
                    current = sample.name
                }
                guard series.insert(sample.name + sample.labels.sorted { $0.key < $1.key }.description).inserted else {
                    throw Malformed(line: line, why: "series twice")
                }
                samples.append(sample)
            }
        }

        static func isName(_ name: some StringProtocol) -> Bool {
            guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
            return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
        }

        static func sample(_ line: String) throws -> Sample {
            var rest = Substring(line)
            let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
            guard isName(name) else { throw Malformed(line: line, why: "bad name") }
            rest = rest.dropFirst(name.count)
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    let label = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                    guard !label.isEmpty, !label.first!.isNumber, rest.dropFirst(label.count).hasPrefix("=\"") else { throw Malformed(line: line, why: "bad label") }
                    rest = rest.dropFirst(label.count + 2)
                    var value = ""
                    while true {
                        guard let c = rest.first else { throw Malformed(line: line, why: "unterminated value") }
                        rest = rest.dropFirst()
                        if c == "\"" { break }
                        if c == "\\" {
                            switch rest.first {
                            case "\\": value.append("\\")
                            case "\"": value.append("\"")
                            case "n": value.append("\n")
                            default: throw Malformed(line: line, why: "bad escape")
                            }
                            rest = rest.dropFirst()
                        } else {
                            value.append(c)
                        }
                    }
                    guard labels.updateValue(value, forKey: String(label)) == nil else { throw Malformed(line: line, why: "label twice") }
                    if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw Malformed(line: line, why: "bad separator") }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " " else { throw Malformed(line: line, why: "no space before the value") }
            let valueText = rest.dropFirst()
            // Prometheus reads Go's float syntax; Swift's "inf"/"nan" would not be read.
            guard let value = Double(valueText), value.isFinite, !valueText.contains(" ") else { throw Malformed(line: line, why: "bad value") }
            return Sample(name: String(name), labels: labels, value: value)
        }

        /// The samples of `name` whose labels include `labels`.
        func values(_ name: String, _ labels: [String: String] = [:]) -> [Double] {
            samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }.map(\.value)
        }

        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            let found = values(name, labels)
            return found.count == 1 ? found[0] : nil
        }
    }

    /// DINKES's link up (10 Mbit/s in, 2 out of its committed 100, on a 1 Gbit/s port, 3 errors out in its
    /// last minute), its router answering the last cycle with two interfaces; SETDA's link down, its router
    /// not answering for three walks (its last reading two hours old); CAKRAWALA's BPBD link flapping;
    /// every other link never polled. The last cycle began 40 seconds ago and took 2.5 s.
    func fill(_ district: HealthDistrict, dinkesAlias: String = "uplink Nusanet") throws {
        let dinkes = try district.interface("rtr-dinkes", "ether1", index: 1, alias: dinkesAlias, descr: "ether1")
        let lan = try district.interface("rtr-dinkes", "bridge-lan", index: 7)
        try district.reading(dinkes, secondsAgo: 35, inOctets: .counter64(9_000_000_000_000), outOctets: .counter64(1_234_567_890),
                             errors: (0, 17), speed: 1_000_000_000)
        try district.reading(lan, secondsAgo: 35, index: 7, inOctets: .counter32(4_000_000_000), outOctets: .counter32(12))
        try district.sample(dinkes, endingSecondsAgo: 35, inBitsPerSecond: 10_000_000, outBitsPerSecond: 2_000_000, errors: 180)
        let setda = try district.interface("rtr-setda", "sfp1")
        try district.reading(setda, secondsAgo: 7200, inOctets: .counter64(5), outOctets: .counter64(6), speed: 100_000_000)
        try district.sample(setda, endingSecondsAgo: 7200, inBitsPerSecond: 1_000_000, outBitsPerSecond: 1_000_000)
        try district.state("NUS-CKB-0008", .up, since: 120)
        try district.state("NUS-CKB-0002", .down, since: 40)
        try district.state("CLM-CKB-0001", .flapping, since: 180)
        let now = district.now
        try district.health.write { w in
            try HealthStore.saveCycle(w, HealthStore.CycleRow(startedAt: now - 40_000, durationMillis: 2_500, devices: 2, failed: 1, interfaces: 3,
                                                              samples: 1, changes: 0, servers: 0, serversDown: 0))
            try HealthStore.saveDevicePoll(w, HealthStore.DevicePollRow(device: "rtr-dinkes", polledAt: now - 38_000, answered: true, problem: nil, interfaces: 2,
                                                                        durationMillis: 420, maxRepetitions: 25, lastAnswerAt: now - 35_000, failures: 0))
            try HealthStore.saveDevicePoll(w, HealthStore.DevicePollRow(device: "rtr-setda", polledAt: now - 38_000, answered: false,
                                                                        problem: Text(id: "waktu habis", en: "timed out"), interfaces: 0,
                                                                        durationMillis: 2_000, maxRepetitions: nil, lastAnswerAt: now - 7_200_000, failures: 3))
        }
    }

    @Test func theFormatReadsLineByLineWithSnmpExporterNamesAndTheHealthFilesValues() async throws {
        let district = try HealthDistrict()
        try fill(district)
        let secret = try district.token("kasi1")
        try await district.test { browser in
            let page = try await browser.get("/metrics", headers: district.bearer(secret))
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try Exposition(page.body)
            // Every family says what it is.
            #expect(Set(metrics.samples.map(\.name)).allSatisfy { metrics.help[$0] != nil && metrics.types[$0] != nil })

            // snmp_exporter's if_mib: the counters under IF-MIB's names, labelled as it labels them.
            let ether1 = ["device": "rtr-dinkes", "ifIndex": "1", "ifName": "ether1", "ifAlias": "uplink Nusanet", "ifDescr": "ether1"]
            #expect(metrics.types["ifHCInOctets"] == "counter" && metrics.types["ifHCOutOctets"] == "counter")
            #expect(metrics.value("ifHCInOctets", ether1) == 9_000_000_000_000)
            #expect(metrics.value("ifHCOutOctets", ether1) == 1_234_567_890)
            #expect(metrics.value("ifOutErrors", ether1) == 17 && metrics.value("ifInDiscards", ether1) == 2)
            #expect(metrics.value("ifHighSpeed", ether1) == 1000 && metrics.types["ifHighSpeed"] == "gauge")
            // A port with only 32-bit counters keeps their name, as snmp_exporter would.
            #expect(metrics.value("ifInOctets", ["device": "rtr-dinkes", "ifIndex": "7", "ifName": "bridge-lan"]) == 4_000_000_000)
            #expect(metrics.values("ifHCInOctets", ["ifIndex": "7"]).isEmpty)
            #expect(metrics.value("sysUpTime", ["device": "rtr-dinkes"]) == 123_456)
            // A device that did not answer has no counters and no rates, as an unreachable snmp_exporter target has none.
            #expect(metrics.values("ifHCInOctets", ["device": "rtr-setda"]).isEmpty && metrics.values("sysUpTime", ["device": "rtr-setda"]).isEmpty)
            #expect(metrics.values("simpul_link_bits_per_second", ["circuit": "NUS-CKB-0002"]).isEmpty)

            // Per link.
            let dinkes = ["circuit": "NUS-CKB-0008", "agency": "DINKES", "provider": "NUSANET"]
            #expect(metrics.value("simpul_link_up", dinkes) == 1)
            #expect(metrics.value("simpul_link_up", ["circuit": "NUS-CKB-0002"]) == 0)
            #expect(metrics.value("simpul_link_state", ["circuit": "NUS-CKB-0002", "state": "down"]) == 1)
            #expect(metrics.values("simpul_link_state", ["circuit": "NUS-CKB-0002"]).reduce(0, +) == 1)
            #expect(metrics.value("simpul_link_state", ["circuit": "CLM-CKB-0001", "state": "flapping"]) == 1)
            #expect(metrics.value("simpul_link_state", ["circuit": "NUS-CKB-0003", "state": "unknown"]) == 1, "never polled")
            #expect(metrics.value("simpul_link_bits_per_second", dinkes.merging(["direction": "in"]) { $1 }) == 10_000_000)
            #expect(metrics.value("simpul_link_bits_per_second", dinkes.merging(["direction": "out"]) { $1 }) == 2_000_000)
            #expect(metrics.value("simpul_link_committed_bits_per_second", dinkes.merging(["direction": "in"]) { $1 }) == 100_000_000)
            #expect(metrics.value("simpul_link_utilisation_committed_ratio", dinkes.merging(["direction": "in"]) { $1 }) == 0.1)
            #expect(metrics.value("simpul_link_utilisation_committed_ratio", dinkes.merging(["direction": "out"]) { $1 }) == 0.02)
            #expect(metrics.value("simpul_link_utilisation_port_ratio", dinkes.merging(["direction": "in"]) { $1 }) == 0.01)
            #expect(metrics.value("simpul_link_errors_per_second", dinkes.merging(["direction": "out"]) { $1 }) == 3)
            #expect(metrics.value("simpul_link_state_changed_timestamp_seconds", dinkes) == Double(district.now / 1000 - 7200))
            #expect(metrics.value("simpul_link_info", ["circuit": "NUS-CKB-0008", "agency_name": "Dinas Kesehatan",
                                                       "provider_name": "PT Nusantara Data Net", "ifName": "ether1", "device": "rtr-dinkes"]) == 1)

            // Per device.
            #expect(metrics.value("simpul_device_reachable", ["device": "rtr-dinkes", "agency": "DINKES"]) == 1)
            #expect(metrics.value("simpul_device_reachable", ["device": "rtr-setda"]) == 0)
            #expect(metrics.value("simpul_poll_duration_seconds", ["device": "rtr-dinkes"]) == 0.42)
            #expect(metrics.value("simpul_poll_consecutive_failures", ["device": "rtr-setda"]) == 3)

            // The poller.
            #expect(metrics.value("simpul_poller_configured") == 1 && metrics.value("simpul_poller_has_run") == 1)
            #expect(metrics.value("simpul_poller_last_cycle_duration_seconds") == 2.5)
            #expect(metrics.value("simpul_poller_last_cycle_devices") == 2 && metrics.value("simpul_poller_last_cycle_devices_failed") == 1)
            #expect(metrics.value("simpul_poller_last_cycle_age_seconds") == 40)
            #expect(metrics.value("simpul_poller_last_cycle_timestamp_seconds") == Double(district.now / 1000 - 40))
        }
    }

    @Test func labelValuesWithAQuoteABackslashAndALineFeedAreEscaped() async throws {
        // A circuit id and an interface alias as an operator might type them.
        let district = try HealthDistrict(replacing: [(file: "links.yaml", from: "circuit: NUS-CKB-0008", to: #"circuit: 'NUS "CKB" 8\dinkes'"#)])
        try fill(district, dinkesAlias: "ke \"ISP\" C:\\uplink\nbaris dua")
        try district.state(#"NUS "CKB" 8\dinkes"#, .up, since: 60)
        let secret = try district.token("admin1")
        try await district.test { browser in
            let page = try await browser.get("/metrics", headers: district.bearer(secret))
            #expect(page.status == .ok)
            #expect(page.body.contains(#"simpul_link_up{circuit="NUS \"CKB\" 8\\dinkes",agency="DINKES",provider="NUSANET"} 1.0"#))
            #expect(page.body.contains(#"ifAlias="ke \"ISP\" C:\\uplink\nbaris dua""#))
            let metrics = try Exposition(page.body)
            #expect(metrics.value("simpul_link_up", ["circuit": #"NUS "CKB" 8\dinkes"#]) == 1)
            #expect(metrics.value("ifHCInOctets", ["ifAlias": "ke \"ISP\" C:\\uplink\nbaris dua"]) == 9_000_000_000_000)
        }
    }

    @Test func theExpositionEscapesACircuitBuiltByHand() throws {
        // The same, without the inventory: the library's escaping of whatever a label holds.
        let link = SimpulCore.Link(circuit: "a\"b\\c\nd", agency: "X", provider: "P", downMbps: 10, upMbps: 10, technology: .fiber)
        let snapshot = PollService.MetricsSnapshot(
            at: Date(timeIntervalSince1970: 1_800_000_000), configured: true, lastCycle: nil,
            links: [PollService.LinkFigures(link: EstateService.LinkView(link: link, agencyName: "Dinas \"X\"", providerName: "P\\Q"), state: .down)],
            devices: [], interfaces: [])
        let text = String(decoding: MetricsRoutes.exposition(snapshot), as: UTF8.self)
        #expect(text.contains(#"simpul_link_up{circuit="a\"b\\c\nd",agency="X",provider="P"} 0.0"#))
        let metrics = try Exposition(text)
        #expect(metrics.value("simpul_link_info", ["circuit": "a\"b\\c\nd", "agency_name": "Dinas \"X\"", "provider_name": "P\\Q"]) == 1)
        #expect(metrics.value("simpul_poller_has_run") == 0)
    }

    @Test func anOfficeTokenOrSessionIsAskedForAndAnAgencysIsRefused() async throws {
        let district = try HealthDistrict()
        let viewer = try district.token("viewer1")
        let agency = try district.token("opd-dinkes")
        try await district.test { browser in
            let none = try await browser.get("/metrics")
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate] == "Bearer")
            #expect(none.headers[.contentType]?.hasPrefix("text/plain") == true && none.body.hasPrefix("unauthorized:"))
            #expect(!none.body.contains("simpul_"))
            let wrong = try await browser.get("/metrics", headers: district.bearer("smp_bukan-token"))
            #expect(wrong.status == .unauthorized && !wrong.body.contains("simpul_link"))
            let basic = try await browser.get("/metrics", headers: [.authorization: "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == .unauthorized)
            let refused = try await browser.get("/metrics", headers: district.bearer(agency))
            #expect(refused.status == .forbidden && refused.body.hasPrefix("forbidden:") && !refused.body.contains("simpul_link"))
            #expect(try await browser.get("/metrics", headers: district.bearer(viewer)).status == .ok)
            // A signed-in member of staff can look in a browser.
            let admin = try await browser.logIn("admin1")
            #expect(try await browser.get("/metrics", cookies: admin.cookies).status == .ok)
            let dinkes = try await browser.logIn("opd-dinkes")
            #expect(try await browser.get("/metrics", cookies: dinkes.cookies).status == .forbidden)
        }
    }

    @Test func beforeTheFirstCycleTheMetricsAreValidAndSaySo() async throws {
        let district = try HealthDistrict()
        let secret = try district.token("admin1")
        try await district.test { browser in
            let page = try await browser.get("/metrics", headers: district.bearer(secret))
            #expect(page.status == .ok)
            let metrics = try Exposition(page.body)
            #expect(metrics.value("simpul_poller_configured") == 1 && metrics.value("simpul_poller_has_run") == 0)
            #expect(metrics.values("simpul_poller_last_cycle_timestamp_seconds").isEmpty && metrics.values("simpul_poller_last_cycle_age_seconds").isEmpty)
            #expect(metrics.values("ifHCInOctets").isEmpty && metrics.values("simpul_link_bits_per_second").isEmpty)
            // Every link is there, unknown and not up; every device unreachable.
            let links = try district.simpul.estate.links(for: district.cli).count
            #expect(metrics.values("simpul_link_state", ["state": "unknown"]).count == links && metrics.values("simpul_link_state", ["state": "unknown"]).allSatisfy { $0 == 1 })
            #expect(metrics.values("simpul_link_up").count == links && metrics.values("simpul_link_up").allSatisfy { $0 == 0 })
            #expect(!metrics.values("simpul_device_reachable").isEmpty && metrics.values("simpul_device_reachable").allSatisfy { $0 == 0 })
        }
        // A server without a link-health file: the poller is off, and says only that.
        let off = try HealthDistrict(health: false)
        let offSecret = try off.token("admin1")
        try await off.test { browser in
            let page = try await browser.get("/metrics", headers: off.bearer(offSecret))
            #expect(page.status == .ok)
            let metrics = try Exposition(page.body)
            #expect(metrics.value("simpul_poller_configured") == 0 && metrics.value("simpul_poller_has_run") == 0)
            #expect(metrics.samples.count == 2)
        }
    }

    @Test func theStrictReaderRefusesWhatPrometheusWouldRefuse() {
        // The reader above is what the other tests trust: it must fail on broken input.
        for broken in ["x 1", "# TYPE x gauge\nx{a=\"b} 1\n", "# TYPE x gauge\nx{a=\"\\q\"} 1\n", "# TYPE x gauge\nx inf\n",
                       "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"1\"} 2\n", "x 1\n", "# TYPE x gauge\nx 1\nx 1\n"] {
            #expect(throws: Exposition.Malformed.self, "\(broken)") { try Exposition(broken) }
        }
        #expect((try? Exposition("# HELP x a \\\\ help\n# TYPE x gauge\nx{a=\"\\\"\"} 1.5\n"))?.value("x", ["a": "\""]) == 1.5)
    }
}
