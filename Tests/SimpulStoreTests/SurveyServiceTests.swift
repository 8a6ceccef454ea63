import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import SimpulTestRigs
import Testing

/// A bandwidth survey from opening to the specification (issue 16): SNMP samples of one agency's
/// link and a packet capture of two others in the time-series file, the agencies' needs, the
/// report's figures and the recommendation, and the module's steps on the ticket.
@Suite("Bandwidth surveys")
struct SurveyServiceTests {
    /// Monday 9 Nov 2026 09:00 WITA.
    static let now = Date(timeIntervalSince1970: 1_794_186_000)
    /// 2026-11-01 00:00 WITA, in milliseconds.
    static let periodStart: Int64 = 1_793_491_200_000 - 8 * 3_600_000

    struct Office {
        let district: TestDistrict
        let simpul: Simpul
        let health: HealthDatabase
        var users: [String: Principal] = [:]

        init() throws {
            district = try TestDistrict(loadPlaybooks: true, now: SurveyServiceTests.now)
            health = try HealthDatabase.inMemory()
            let clock = district.clock
            simpul = Simpul(database: try AppDatabase.open(path: district.path), settings: district.simpul.settings, health: HealthFile(database: health),
                            now: { clock.now })
            for (name, role, agency) in [("kadis", Role.head, nil), ("kabid.tik", .supervisor, nil), ("tek1", .technician, nil),
                                         ("dinkes", .agency, "DINKES"), ("setda", .agency, "SETDA"), ("bkpsdm", .agency, "BKPSDM")] as [(String, Role, String?)] {
                users[name] = try simpul.accounts.add(username: name, fullName: "Nama \(name)", role: role, agency: agency,
                                                      password: "Rahasia-Kantor-2026!", by: district.cli).principal
            }
        }

        /// DINKES's link (rtr-dinkes ether1) at 20 Mbps in and 4 Mbps out, 40 Mbps from 10:00 to 11:00 WITA, for 7 days of one-minute samples.
        func snmpWeek() throws {
            try health.write { w in
                let known = try HealthStore.interfaces(w.reader, device: "rtr-dinkes")
                let ids = try HealthStore.recordWalk(w, device: "rtr-dinkes", match: InterfaceMatcher.match(known: known, walked: [WalkedInterface(ifIndex: 1, name: "ether1")]),
                                                     at: SurveyServiceTests.periodStart)
                let id = try #require(ids[1])
                var samples: [(interfaceID: Int64, sample: TrafficSample)] = []
                for minute in 0..<(7 * 1440) {
                    let start = SurveyServiceTests.periodStart + Int64(minute) * 60_000
                    let busy = (600..<660).contains(minute % 1440)
                    let rate: UInt64 = busy ? 40_000_000 : 20_000_000
                    samples.append((id, try #require(TrafficSample(start: start, end: start + 60_000, inOctets: rate * 60 / 8, outOctets: rate / 5 * 60 / 8))))
                }
                _ = try HealthStore.record(w, samples: samples)
            }
        }
    }

    @Test func aSurveyFromOpeningToTheSpecification() async throws {
        let office = try Office()
        let simpul = office.simpul
        let kabid = office.users["kabid.tik"]!
        #expect(throws: ServiceError.self) {
            _ = try simpul.surveys.open(.init(title: "Survei", from: "2026-11-01", to: "2026-11-07", agencies: [("DINKES", .snmp)]), by: office.users["tek1"]!)
        }
        #expect(throws: ServiceError.self) {
            _ = try simpul.surveys.open(.init(title: "Survei", from: "2026-11-07", to: "2026-11-01", agencies: [("DINKES", .snmp)]), by: kabid)
        }
        #expect(throws: ServiceError.self) {
            _ = try simpul.surveys.open(.init(title: "Survei", from: "2026-11-01", to: "2026-11-07", agencies: [("NOPE", .snmp)]), by: kabid)
        }
        let opened = try simpul.surveys.open(.init(title: "Survei bandwidth 2027", from: "2026-11-01", to: "2026-11-07",
                                                   agencies: [("DINKES", .snmp), ("SETDA", .pcap), ("BKPSDM", .both)], responsible: "tek1"), by: kabid)
        #expect(opened.agencies.map(\.agency) == ["BKPSDM", "DINKES", "SETDA"] && opened.row.step == "assign_evaluation")
        #expect(try simpul.surveys.list(by: office.users["dinkes"]!).map(\.id) == [opened.id], "an agency sees the surveys it is in")
        #expect(try simpul.surveys.survey(opened.id, by: office.users["dinkes"]!).agencies.map(\.agency) == ["DINKES"], "and only its own line")

        // The measurements: SNMP for DINKES, a capture for SETDA and BKPSDM.
        try office.snmpWeek()
        let plan = try simpul.capture.plan(by: office.users["tek1"]!)
        let setda = try #require(plan.agencies.firstIndex(of: "SETDA")), bkpsdm = try #require(plan.agencies.firstIndex(of: "BKPSDM"))
        var attributor = TrafficAttributor(table: plan.table, agencyCount: plan.agencies.count)
        // One hour of frames on 2 Nov 2026 01:00 UTC: SETDA downloads 1,500-byte frames, BKPSDM uploads; plus outside traffic.
        let t0: Int64 = (Self.periodStart + 86_400_000) / 1000 + 3600
        for second in 0..<3600 {
            for (index, (source, destination)) in [("203.0.113.9", "10.30.1.20"), ("10.30.6.7", "203.0.113.10"), ("203.0.113.1", "203.0.113.2")].enumerated() {
                let frame = TestFrames.ethernetIPv4UDP(source: source, destination: destination, total: 1500 - 14)
                frame.withUnsafeBytes { bytes in
                    attributor.add(linkType: .ethernet, frame: bytes, wireLength: 1500, seconds: Int64(t0) + Int64(second), nanoseconds: Int32(index))
                }
            }
        }
        let summary = attributor.summary()
        #expect(summary.agency(setda)?.inbound == TrafficCount(bytes: 3600 * 1500, packets: 3600))
        #expect(summary.agency(bkpsdm)?.outbound == TrafficCount(bytes: 3600 * 1500, packets: 3600))
        #expect(summary.unattributed == TrafficCount(bytes: 3600 * 1500, packets: 3600))
        let recorded = try simpul.capture.record(summary, plan: plan, facts: .init(source: "file", name: "uplink.pcap", circuit: "NUS-CKB-0001",
                                                                                   started: Self.now, ended: Self.now), by: office.users["tek1"]!)
        #expect(recorded.run != nil && recorded.agencies.map(\.agency).sorted() == ["BKPSDM", "SETDA"])

        // The uplink's own counters over the captured hour: 30 kbit/s in and 18 out, 48 in all, of which
        // the capture saw 36 (three 1,500-byte frames a second) and put 24 on agencies.
        try office.health.write { w in
            let known = try HealthStore.interfaces(w.reader, device: "rtr-diskominfo")
            let ids = try HealthStore.recordWalk(w, device: "rtr-diskominfo", match: InterfaceMatcher.match(known: known, walked: [WalkedInterface(ifIndex: 1, name: "sfp-sfpplus1")]),
                                                 at: t0 * 1000)
            let id = try #require(ids[1])
            let samples = try (0..<60).map { minute -> (interfaceID: Int64, sample: TrafficSample) in
                let start = t0 * 1000 + Int64(minute) * 60_000
                return (id, try #require(TrafficSample(start: start, end: start + 60_000, inOctets: 30_000 * 60 / 8, outOctets: 18_000 * 60 / 8)))
            }
            _ = try HealthStore.record(w, samples: samples)
        }

        // The report.
        let report = try simpul.surveys.report(opened.id, by: kabid)
        let uplink = try #require(report.uplinks.first)
        #expect(uplink.circuit == "NUS-CKB-0001" && uplink.windows == 12 && uplink.runs == [recorded.run!])
        #expect(abs((uplink.capturedShareOfSNMP ?? 0) - 0.75) < 1e-9 && abs((uplink.attributedShareOfSNMP ?? 0) - 0.5) < 1e-9)
        let dinkes = try #require(report.agencies.first { $0.agency == "DINKES" })
        let snmp = try #require(dinkes.snmp)
        #expect(snmp.windows == 7 * 288 && snmp.completeness == 1)
        #expect(snmp.inbound.percentile95BitsPerSecond == 20_000_000 && snmp.inbound.peakBitsPerSecond == 40_000_000 && snmp.inbound.busyHour == 10)
        #expect(snmp.inbound.utilisation == 0.2, "against the 100 Mbps circuit")
        #expect(dinkes.capture == nil && dinkes.basis == "snmp")
        let setdaLine = try #require(report.agencies.first { $0.agency == "SETDA" })
        let captured = try #require(setdaLine.capture)
        // 1,500 bytes a second = 12 kbit/s in every window of that hour.
        #expect(captured.windows == 12 && captured.inbound.percentile95BitsPerSecond == 12_000 && captured.outbound.percentile95BitsPerSecond == 0)
        #expect(setdaLine.snmp == nil && setdaLine.basis == "pcap" && setdaLine.captureRuns == [recorded.run!])
        #expect(try #require(report.agencies.first { $0.agency == "BKPSDM" }).capture?.outbound.peakBitsPerSecond == 12_000)

        // The printable report: a page per agency with its chart, figures and recommendation.
        let printable = try simpul.surveys.printable(opened.id, by: kabid)
        #expect(printable.contains("LAPORAN SURVEI KEBUTUHAN BANDWIDTH") && printable.components(separatedBy: "<section class=\"agency\">").count == 4)
        #expect(printable.components(separatedBy: "<svg class=\"chart\"").count == 4 && printable.contains("Dinas Kesehatan"))
        #expect(!printable.contains("<script"))

        // The ticket's steps: the head assigns, the section prepares, the technician ends the measuring.
        try simpul.tickets.act(opened.row.ticketID, .complete(evidence: [Evidence(kind: .note, value: "Bidang TIP mengevaluasi")], branch: nil, note: nil, assignTo: nil),
                               by: office.users["kadis"]!)
        try simpul.tickets.act(opened.row.ticketID, .complete(evidence: [Evidence(kind: .note, value: "Tim teknis siap")], branch: nil, note: nil, assignTo: "tek1"), by: kabid)
        #expect(throws: ServiceError.self) { _ = try simpul.surveys.closeNeeds(opened.id, by: kabid) }
        let measured = try simpul.surveys.completeMeasurement(opened.id, by: office.users["tek1"]!)
        #expect(measured.row.step == "agency_data")

        // The agencies' needs; the last answer completes the step.
        #expect(throws: ServiceError.self) { _ = try simpul.surveys.needs(opened.id, agency: "DINKES", StatedNeeds(neededMbps: .nan), by: office.users["dinkes"]!) }
        #expect(throws: ServiceError.self) { _ = try simpul.surveys.needs(opened.id, agency: "DINKES", StatedNeeds(growthPercent: 5000), by: office.users["dinkes"]!) }
        _ = try simpul.surveys.needs(opened.id, agency: "IGNORED", StatedNeeds(staff: 120, applications: ["SIMPUS", "Zoom"], neededMbps: 150, growthPercent: 20),
                                     by: office.users["dinkes"]!)
        _ = try simpul.surveys.needs(opened.id, agency: "SETDA", StatedNeeds(staff: 300, neededMbps: 30), by: office.users["setda"]!)
        #expect(try simpul.surveys.survey(opened.id, by: kabid).row.step == "agency_data")
        let answered = try simpul.surveys.needs(opened.id, agency: "BKPSDM", StatedNeeds(staff: 40), by: kabid)
        #expect(answered.row.step == "map_bandwidth" && answered.needsGiven == 3)
        #expect(!answered.takesNeeds)
        #expect(throws: ServiceError.self, "the map is drawn from the needs given: none after their step") {
            _ = try simpul.surveys.needs(opened.id, agency: "SETDA", StatedNeeds(neededMbps: 900), by: office.users["setda"]!)
        }

        // The recommendation: DINKES's stated 150 Mbps beats 20 × 1.2 × 1.3 = 31.2 measured → 200; SETDA's 30 → 50;
        // BKPSDM measured 0.012 × 1.3 → the smallest tier, 20.
        let plan2 = try simpul.surveys.report(opened.id, by: kabid).plan
        #expect(plan2.lines.map(\.agency) == ["BKPSDM", "DINKES", "SETDA"])
        #expect(plan2.lines.map(\.tier?.mbps) == [20, 200, 50])
        #expect(plan2.lines.map(\.basis) == [.measured, .stated, .stated])
        #expect(plan2.monthlyTotal == 1_500_000 + 9_000_000 + 3_000_000 && plan2.withinBudget == false, "over the fixture's 12,000,000 budget")

        // The map and the specification (no PDF renderer in this test: the page is kept and attached).
        let mapped = try await simpul.surveys.issue(opened.id, .map, by: kabid)
        #expect(mapped.row.step == "procurement_documents" && mapped.documents == ["map"])
        let map = try simpul.surveys.document(opened.id, .map, by: office.users["dinkes"]!)
        #expect(map.html.contains("Dinas Kesehatan") && map.html.contains("MELEBIHI PAGU") && map.pdf == nil)
        let specified = try await simpul.surveys.issue(opened.id, .specification, by: kabid)
        #expect(specified.row.step == "procurement")
        #expect(try simpul.surveys.document(opened.id, .specification, by: kabid).html.contains("99,50"))
        // Issued once.
        await #expect(throws: ServiceError.self) { _ = try await simpul.surveys.issue(opened.id, .map, by: kabid) }

        // The CSV of every figure and the raw samples.
        let csv = SurveyCSV.report(try simpul.surveys.report(opened.id, by: kabid))
        #expect(csv.hasPrefix("agency,name,method") && csv.contains("DINKES") && csv.contains("\r\n"))
        let samples = try simpul.surveys.samples(opened.id, by: kabid)
        #expect(samples.filter { $0.agency == "DINKES" }.count == 7 * 288 && samples.filter { $0.source == "pcap" }.count == 120)
    }

    /// The measuring step's clock waits for the survey's period: entering it before the period is
    /// over holds the ticket (by Simpul, with the period in its reason), the sweep resumes it once
    /// the period has ended, and a technician may still end the measuring early.
    @Test func theMeasuringStepsClockStartsWhenThePeriodIsOver() throws {
        let office = try Office()
        let simpul = office.simpul
        let kabid = office.users["kabid.tik"]!
        func walkToMeasuring(_ title: String, from: String, to: String) throws -> SurveyService.Survey {
            let opened = try simpul.surveys.open(.init(title: title, from: from, to: to, agencies: [("DINKES", .snmp)], responsible: "tek1"), by: kabid)
            try simpul.tickets.act(opened.row.ticketID, .complete(evidence: [Evidence(kind: .note, value: "Bidang TIP mengevaluasi")], branch: nil, note: nil, assignTo: nil),
                                   by: office.users["kadis"]!)
            try simpul.tickets.act(opened.row.ticketID, .complete(evidence: [Evidence(kind: .note, value: "Tim teknis siap")], branch: nil, note: nil, assignTo: "tek1"), by: kabid)
            return try simpul.surveys.survey(opened.id, by: kabid)
        }
        let waiting = try walkToMeasuring("Survei 2027", from: "2026-11-09", to: "2026-11-20")
        #expect(waiting.row.status == "held" && waiting.row.step == "survey" && waiting.waitsForPeriod)
        let ticket = try simpul.tickets.detail(waiting.row.ticketID, by: kabid).ticket
        let hold = try #require(ticket.visits.last?.holds.last)
        #expect(hold.by == "simpul" && hold.end == nil && hold.reason.contains("2026-11-09 – 2026-11-20"))
        var lateFilter = TicketStore.Filter()
        lateFilter.lateness = .late
        let late = try simpul.tickets.list(lateFilter, by: kabid)
        #expect(late.total == 0, "a survey still measuring is not late")

        // The sweep leaves it until midnight after the last day (21 Nov 00:00 WITA), then resumes it.
        office.district.clock.now = Date(timeIntervalSince1970: 1_795_190_400 - 60)   // 20 Nov 23:59 WITA
        _ = try simpul.tickets.sweep()
        #expect(try simpul.surveys.survey(waiting.id, by: kabid).waitsForPeriod)
        office.district.clock.advance(120)
        let swept = try simpul.tickets.sweep()
        #expect(swept.moduleActions >= 1)
        let resumed = try simpul.surveys.survey(waiting.id, by: kabid)
        #expect(resumed.row.status == "open" && !resumed.waitsForPeriod && resumed.row.step == "survey")

        // Ended early while it waits: the hold is lifted and the step completed in one action.
        let early = try walkToMeasuring("Survei ulang", from: "2026-11-21", to: "2026-11-30")
        #expect(early.row.status == "held" && early.waitsForPeriod)
        #expect(throws: ServiceError.self) { _ = try simpul.surveys.completeMeasurement(early.id, by: office.users["dinkes"]!) }
        #expect(try simpul.surveys.survey(early.id, by: kabid).waitsForPeriod, "a refused action leaves the hold")
        let measured = try simpul.surveys.completeMeasurement(early.id, by: office.users["tek1"]!)
        #expect(measured.row.step == "agency_data" && measured.row.status == "open")
        let history = try simpul.tickets.detail(early.row.ticketID, by: kabid).history.map(\.kind)
        #expect(Array(history.suffix(2)) == [.resumed, .completed])
    }
}
