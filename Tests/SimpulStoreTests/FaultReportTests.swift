import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// The fault reports over a real database (issue 13, "Reports"): faults taken through the faults
/// module on the test's clock, then the provider's month — the clocks against the contract, the
/// breaches with their evidence from the provider events and the outbox, outage minutes with
/// overlapping faults counted once, availability — and the month per agency and per technician.
@Suite("Fault reports")
struct FaultReportTests {
    let district: TestDistrict
    let users: [String: Principal]
    let time = OfficeTime(identifier: "Asia/Makassar")

    init() throws {
        district = try TestDistrict(loadPlaybooks: true)
        var made: [String: Principal] = [:]
        for (name, role, agency) in [("kasi", Role.supervisor, nil), ("tek", .technician, nil), ("clerk1", .clerk, nil), ("opd", .agency, "DINKES"),
                                     ("lihat", .viewer, nil)] as [(String, Role, String?)] {
            _ = try district.simpul.accounts.add(username: name, fullName: "Nama \(name)", role: role, agency: agency, password: "Rahasia-sangat-12345",
                                                 by: district.cli)
            made[name] = try district.simpul.accounts.user(name, by: district.cli).principal
        }
        users = made
    }

    var simpul: Simpul { district.simpul }
    var november: ReportMonth { ReportMonth(year: 2026, month: 11)! }

    /// A local time in WITA, `2026-11-02 08:00`.
    func at(_ text: String) -> Date { time.parse(local: text)! }

    func step(_ id: Int64, _ kind: EvidenceKind, by user: String, assign: String? = nil) throws {
        try simpul.tickets.act(id, .complete(evidence: [Evidence(kind: kind, value: "catatan")], branch: nil, note: nil, assignTo: assign), by: users[user]!)
    }

    /// Opens a fault on `circuit` at `opened` (its outage started at `started`) and assigns it to tek.
    func open(_ circuit: String, started: String, opened: String) throws -> Int64 {
        district.clock.now = at(opened)
        let id = try simpul.faults.open(FaultService.Report(agency: nil, link: circuit, channel: .phone, reporterName: "Budi", reporterContact: "0812",
                                                            symptom: .noConnection, description: "Internet mati", startedAt: at(started)),
                                        by: users["clerk1"]!).ticketID
        district.clock.advance(5 * 60)
        try step(id, .note, by: "kasi", assign: "tek")
        return id
    }

    /// Not fixed at `escalated` (level 1 to the link's provider), acknowledged at `ack`, restored at `restored`, then the result and done.
    func escalate(_ id: Int64, at escalated: String, ack: String?, restored: String?, cause: FaultCause = .fiberCut) throws {
        district.clock.now = at(escalated)
        try simpul.faults.log(ticket: id, FaultService.LogForm(found: "tidak ada sinyal dari penyedia", outcome: .notFixed), by: users["tek"]!)
        if let ack {
            district.clock.now = at(ack)
            try simpul.faults.acknowledge(ticket: id, providerTicket: "NUS-\(id)", by: users["tek"]!)
        }
        guard let restored else { return }
        district.clock.now = at(restored)
        try simpul.faults.restore(ticket: id, note: "sambungan pulih", by: users["tek"]!)
        try step(id, .note, by: "tek")
        try step(id, .report, by: "tek")
        try step(id, .report, by: "kasi", assign: "tek")
        _ = try simpul.faults.close(ticket: id, cause: cause, resolution: "penyedia memperbaiki", by: users["tek"]!)
        district.clock.advance(10 * 60)
        try step(id, .report, by: "kasi")
    }

    /// The month of the suite: A and D overlap on NUS-CKB-0008 (A answered late; D restored days
    /// late), C fixed by the office on the same link, B on NUS-CKB-0001 never restored. Now is
    /// Saturday 21 November 2026, 17.48 WITA.
    func november2026() throws -> (a: Int64, b: Int64, c: Int64, d: Int64) {
        let now = district.clock.now
        let a = try open("NUS-CKB-0008", started: "2026-11-02 08:00", opened: "2026-11-02 08:10")
        try escalate(a, at: "2026-11-02 08:40", ack: "2026-11-02 09:30", restored: "2026-11-02 11:30")
        let d = try open("NUS-CKB-0008", started: "2026-11-02 11:00", opened: "2026-11-05 12:00")
        try escalate(d, at: "2026-11-05 12:30", ack: "2026-11-05 12:40", restored: "2026-11-05 13:00", cause: .power)
        let c = try open("NUS-CKB-0008", started: "2026-11-06 09:00", opened: "2026-11-06 10:00")
        district.clock.now = at("2026-11-06 10:30")
        try simpul.faults.log(ticket: c, FaultService.LogForm(did: "konfigurasi router dibetulkan", outcome: .fixed), by: users["tek"]!)
        district.clock.now = at("2026-11-06 10:40")
        _ = try simpul.faults.close(ticket: c, cause: .configuration, resolution: "router dikonfigurasi ulang", by: users["tek"]!)
        district.clock.now = at("2026-11-06 10:50")
        try step(c, .report, by: "kasi")
        let b = try open("NUS-CKB-0001", started: "2026-11-20 09:30", opened: "2026-11-20 10:00")
        try escalate(b, at: "2026-11-20 10:20", ack: "2026-11-20 10:35", restored: nil)
        district.clock.now = now
        return (a, b, c, d)
    }

    @Test func theProvidersMonthHasItsClocksBreachesAndAvailability() throws {
        let (a, b, c, d) = try november2026()
        let report = try simpul.faultReports.provider("nusanet", month: november, by: users["kasi"]!)
        #expect(report.provider == "NUSANET" && report.month == november && !report.complete)
        #expect(report.from == "2026-10-31T16:00:00.000Z" && report.measuredTo == Timestamp.string(district.clock.now))
        #expect(report.faults.map(\.ticket) == [a, d, b], "C was fixed by the office, never escalated")
        let s = report.summary
        #expect(s.faultsEscalated == 3 && s.carriedOver == 0)
        #expect(s.responseBreaches == 1 && s.restoreBreaches == 2 && s.faultsWithBreach == 3 && s.overdue == 1 && s.running == 0)
        let lineA = try #require(report.faults.first { $0.ticket == a })
        #expect(lineA.response?.minutes == 50 && lineA.response?.state == .breached && lineA.response?.endedBy == .acknowledged)
        #expect(lineA.restore?.minutes == 210 && lineA.restore?.state == .met)
        let lineD = try #require(report.faults.first { $0.ticket == d })
        #expect(lineD.restore?.minutes == 3 * 1440 + 120 && lineD.restore?.state == .breached)
        // B was never restored: measured to now, and said so.
        let lineB = try #require(report.faults.first { $0.ticket == b })
        let sinceB = district.clock.now.timeIntervalSince(at("2026-11-20 09:30")) / 60
        #expect(lineB.restore?.state == .overdue && lineB.restore?.endedBy == SLAEnd.now && lineB.restore?.minutes == sinceB)
        #expect(lineB.response?.state == .met && lineB.response?.minutes == 15)
        #expect(s.response.meanMinutes == (50 + 10 + 15) / 3.0 && s.response.p95Minutes == 50)
        #expect(s.restore.p95Minutes == 4440.0, "D: 3 days 2 hours")

        // A's evidence: the escalation sent, the acknowledgement, the restoration, who recorded each, and the mail.
        let evidence = try #require(report.breaches.first { $0.ticket == a }?.evidence)
        #expect(evidence.events.map(\.kind) == [.escalated, .acknowledged, .restored])
        #expect(evidence.events.map(\.at) == ["2026-11-02 08:40", "2026-11-02 09:30", "2026-11-02 11:30"].map { Timestamp.string(at($0)) })
        #expect(evidence.events.allSatisfy { $0.by == "tek" && $0.byName == "Nama tek" })
        #expect(evidence.events[0].level == 1 && evidence.events[1].providerTicket == "NUS-\(a)")
        #expect(evidence.deliveries.count == 1)
        let mail = try #require(evidence.deliveries.first)
        #expect(mail.channel == .mail && mail.level == 1 && mail.to == ["noc@nusanet.example.net"] && mail.state == .pending && mail.deliveredAt == nil)
        #expect(mail.subject?.contains("NUS-CKB-0008") == true)
        #expect(report.breaches.map(\.ticket) == [a, d, b] && report.faults.allSatisfy { $0.evidence == nil })

        // Outage per link: A [02 08.00–11.30] and D [02 11.00 – 05 13.00] overlap by half an hour, counted once;
        // C (the office's own) only among all faults; B still out.
        let periodMinutes = district.clock.now.timeIntervalSince(at("2026-11-01 00:00")) / 60
        #expect(s.periodMinutes == periodMinutes)
        let dinkes = try #require(report.links.first { $0.circuit == "NUS-CKB-0008" })
        let union = at("2026-11-05 13:00").timeIntervalSince(at("2026-11-02 08:00")) / 60
        #expect(dinkes.outageMinutes == union && dinkes.allFaultsOutageMinutes == union + 110 && dinkes.faults == 2)
        #expect(abs((dinkes.availabilityPercent ?? 0) - (1 - union / periodMinutes) * 100) < 1e-9 && !dinkes.meetsContract)
        let kominfo = try #require(report.links.first { $0.circuit == "NUS-CKB-0001" })
        #expect(kominfo.outageMinutes == sinceB && !kominfo.meetsContract)
        #expect(s.linksBelowContract == 2)
        #expect(report.links.filter { $0.outageMinutes == 0 }.allSatisfy { $0.availabilityPercent == 100 && $0.meetsContract })
        #expect(report.links.first?.circuit == "NUS-CKB-0008", "the worst link first")
        _ = c
    }

    @Test func aClockStillRunningAtTheMonthsEndIsMeasuredToItAndCarriedOnlyWhileWithinTheContract() throws {
        // Escalated at 23.50 on 31 October, acknowledged after midnight: October does not count it as a breach yet;
        // November reads it whole.
        let id = try open("NUS-CKB-0008", started: "2026-10-31 23:40", opened: "2026-10-31 23:45")
        try escalate(id, at: "2026-10-31 23:50", ack: "2026-11-01 00:45", restored: "2026-11-01 02:00")
        let october = try simpul.faultReports.provider("NUSANET", month: ReportMonth(year: 2026, month: 10)!, by: users["kasi"]!)
        #expect(october.complete && october.measuredTo == "2026-10-31T16:00:00.000Z")
        let then = try #require(october.faults.first)
        #expect(then.response?.state == .running && then.response?.endedBy == .monthEnd && then.response?.minutes == 10 && !then.breach)
        #expect(october.summary.faultsEscalated == 1 && october.breaches.isEmpty)
        let now = try simpul.faultReports.provider("NUSANET", month: november, by: users["kasi"]!)
        let carried = try #require(now.faults.first { $0.ticket == id })
        #expect(carried.carriedOver && now.summary.faultsEscalated == 0 && now.summary.carriedOver == 1)
        #expect(carried.response?.minutes == 55 && carried.response?.state == .breached)
        #expect(now.breaches.map(\.ticket) == [id])
        // The outage is split between the months: 20 minutes in October, 120 in November.
        #expect(october.links.first { $0.circuit == "NUS-CKB-0008" }?.outageMinutes == 20)
        #expect(now.links.first { $0.circuit == "NUS-CKB-0008" }?.outageMinutes == 120)
    }

    @Test func refusals() throws {
        let reports = simpul.faultReports
        let forbidden = #expect(throws: ServiceError.self) { try reports.provider("NUSANET", month: november, by: users["opd"]!) }
        #expect(forbidden?.kind == .forbidden)
        #expect(throws: ServiceError.self) { try reports.faults(month: november, by: .agency, by: users["opd"]!) }
        let unknown = #expect(throws: ServiceError.self) { try reports.provider("NOPE", month: november, by: users["kasi"]!) }
        #expect(unknown?.kind == .notFound && unknown?.text.en.contains("provider \"NOPE\" does not exist") == true)
        let future = #expect(throws: ServiceError.self) { try reports.provider("NUSANET", month: ReportMonth(year: 2026, month: 12)!, by: users["kasi"]!) }
        #expect(future?.kind == .invalid && future?.text.id == "bulan 2026-12 belum dimulai; pilih bulan ini atau sebelumnya")
        // Viewers are office staff: they read it.
        #expect(try reports.provider("NUSANET", month: november, by: users["lihat"]!).faults.isEmpty)
        #expect(try reports.providers(month: november, by: users["lihat"]!).map(\.provider) == ["CAKRAWALA", "NUSANET"])
    }

    @Test func theCSVHasAFaultRowPerFaultLinkRowsAndTheEvidence() throws {
        let (a, _, _, _) = try november2026()
        let report = try simpul.faultReports.provider("NUSANET", month: november, by: users["kasi"]!)
        let lines = FaultReportService.csv(report, .id).components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("bagian,tiket,perangkat_daerah,sirkuit,mulai_gangguan,eskalasi,diterima,pulih,ditutup,respons_menit") == true)
        #expect(lines.filter { $0.hasPrefix("gangguan,") }.count == 3)
        #expect(lines.contains("gangguan,\(a),DINKES,NUS-CKB-0008,2026-11-02T08:00+08:00,2026-11-02T08:40+08:00,2026-11-02T09:30+08:00,2026-11-02T11:30+08:00,2026-11-02T11:40+08:00,50.0,30,breached,210.0,240,met,1,,,,,,,,"))
        #expect(lines.filter { $0.hasPrefix("sambungan,") }.count == report.links.count)
        #expect(lines.contains { $0.hasPrefix("bukti,\(a),DINKES,NUS-CKB-0008,") && $0.contains(",escalated:1,2026-11-02T08:40+08:00,tek,") })
        #expect(lines.contains { $0.hasPrefix("bukti,\(a),") && $0.contains(",mail:1,") && $0.contains("noc@nusanet.example.net,pending,") })
        #expect(lines.contains("ringkasan,,,,,,,,,,,,,,,,,,,pelanggaran_respons,,,,1"))
        let english = FaultReportService.csv(report, .en)
        #expect(english.hasPrefix("section,ticket,agency,circuit,outage_start"))
        // JSON carries the same, with stable keys.
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(FaultReportService.ProviderReport.self, from: json)
        #expect(decoded == report)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""month":"2026-11""#) && text.contains(#""state":"overdue""#) && text.contains(#""endedBy":"now""#))
    }

    @Test func theMonthPerAgencyAndPerTechnician() throws {
        _ = try november2026()
        let byAgency = try simpul.faultReports.faults(month: november, by: .agency, by: users["kasi"]!)
        #expect(byAgency.groups.map(\.key) == ["DINKES", "DISKOMINFO"])
        let dinkes = byAgency.groups[0]
        // A 210 minutes to its restoration, D 4 440, C 90 to the result step (fixed by the office).
        #expect(dinkes.faults == 3 && dinkes.repaired == 3 && dinkes.mttrMinutes == (210 + 4440 + 90) / 3.0)
        #expect(dinkes.causes == ["fiber_cut": 1, "power": 1, "configuration": 1] && dinkes.name == "Dinas Kesehatan")
        #expect(byAgency.groups[1].repaired == 0 && byAgency.groups[1].mttrMinutes == nil && byAgency.groups[1].causes == ["none": 1])
        #expect(byAgency.total.faults == 4 && byAgency.total.repaired == 3)
        let byTechnician = try simpul.faultReports.faults(month: november, by: .technician, by: users["kasi"]!)
        #expect(byTechnician.groups.map(\.key) == ["tek"] && byTechnician.groups[0].name == "Nama tek" && byTechnician.groups[0].faults == 4)
        let csv = FaultReportService.csv(byTechnician, .id).components(separatedBy: "\r\n")
        #expect(csv[0] == "teknisi,nama,gangguan,diperbaiki,mttr_menit,fiber_cut,power,device_failure,configuration,provider_upstream,user_side,other,none")
        #expect(csv[1] == "tek,Nama tek,4,3,1580.0,1,1,0,1,0,0,0,1")
        #expect(csv[2].hasPrefix("jumlah,,4,3,1580.0,"))
        // October had none.
        #expect(try simpul.faultReports.faults(month: ReportMonth(year: 2026, month: 10)!, by: .agency, by: users["kasi"]!).groups.isEmpty)
    }
}
