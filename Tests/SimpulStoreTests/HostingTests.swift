import Foundation
import GRDB
import SimpulCore
import SimpulDNS
import SimpulServices
@_spi(Raw) import SimpulStore
import SimpulTestRigs
import Testing

/// A server hosting request from the agency's form to a racked, addressed, DNS-published and
/// monitored server, against a real named on 127.0.0.1; and taken out again.
@Suite("Server hosting intake", .serialized)
final class HostingTests {
    let named: NamedServer
    /// Monday 23 Nov 2026 08:30 WITA.
    static let monday = Date(timeIntervalSince1970: 1_795_393_800)

    init() throws {
        named = try NamedServer(zones: DNSServiceTests.zones, primaryZone: "contohkab.go.id")
    }

    deinit { named.stop() }

    struct Office {
        let district: TestDistrict
        var users: [String: Principal] = [:]
        var simpul: Simpul { district.simpul }

        init(named: NamedServer, keyFile: String? = nil) throws {
            district = try TestDistrict(loadPlaybooks: true, now: HostingTests.monday, dns: DNSClient(keyFile: keyFile ?? named.keyFile), dnsServer: named.server)
            for (name, role, agency) in [("kadis", Role.head, nil), ("kabid", .supervisor, nil), ("tek1", .technician, nil), ("admin1", .admin, nil),
                                         ("clerk1", .clerk, nil), ("dinkes", .agency, "DINKES"), ("bkpsdm", .agency, "BKPSDM")] as [(String, Role, String?)] {
                users[name] = try district.simpul.accounts.add(username: name, fullName: name.capitalized, role: role, agency: agency,
                                                               password: "Rahasia-Kantor-2026!", by: district.cli).principal
            }
        }

        func form(host: String = "sikd", dns: String = "sikd", heightU: Int = 2, watts: Int = 450) -> HostingService.Form {
            HostingService.Form(letterNumber: "045/123/DINKES/XI/2026", letterDate: "2026-11-20", letterSignedBy: "dr. Rahmawati, Kepala Dinas",
                                contactName: "Budi (admin aplikasi)", contactPhone: "0812-0000-0000", contactEmail: "budi@dinkes.contohkab.go.id",
                                hostname: host, dnsName: dns, formFactor: .rack, heightU: heightU, depthMM: 650, powerWatts: watts, networkPorts: 2,
                                os: "Debian 12", application: "SIKD — sistem informasi kesehatan daerah", addressScope: .private)
        }

        /// Completes the ticket's paper steps up to `until` with their evidence, each by its actor.
        func walk(_ id: Int64, until: String) throws {
            while let step = try simpul.tickets.detail(id, by: district.cli).currentStep, step.id != until {
                district.clock.advance(300)
                let doer: Principal = switch step.actor {
                case .agency: users["dinkes"]!
                case .head: users["kadis"]!
                case .supervisor: users["kabid"]!
                case .admin: users["admin1"]!
                case .technician, .provider: users["tek1"]!
                case .clerk, .procurement: users["clerk1"]!
                }
                let evidence: [Evidence] = try step.evidence.compactMap { kind in
                    switch kind {
                    case .attachment: Evidence(kind: kind, value: try simpul.tickets.attach(id, kind: kind, fileName: "surat.pdf", contentType: "application/pdf",
                                                                                          data: Data("%PDF-1.4".utf8), by: doer))
                    case .letterNumber: Evidence(kind: kind, value: "045/123/DINKES/XI/2026")
                    case .signature: nil
                    default: Evidence(kind: kind, value: "\(kind.rawValue) \(step.id)")
                    }
                }
                try simpul.tickets.act(id, .complete(evidence: evidence, branch: nil, note: nil, assignTo: nil), by: doer)
            }
        }
    }

    let photo = (fileName: "terpasang.jpg", contentType: "image/jpeg", data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 2, 3]))

    @Test func fromTheAgencysFormToAMonitoredServerAndOutAgain() async throws {
        let office = try Office(named: named)
        let hosting = office.simpul.hosting
        // The agency files for itself; an address is held for the request at once.
        let filed = try hosting.file(office.form(), by: office.users["dinkes"]!)
        #expect(filed.agency == "DINKES" && filed.state == .requested && filed.step == "receive_request")
        #expect(filed.form.dnsName == "sikd.contohkab.go.id")
        #expect(filed.pool == "dc-server" && filed.address == "10.20.0.10" && filed.addressState == "held")
        // Another agency does not see it.
        #expect(throws: ServiceError.self) { try hosting.request(ticket: filed.ticketID, by: office.users["bkpsdm"]!) }
        #expect(try hosting.list(by: office.users["bkpsdm"]!).isEmpty)

        // The technician's check: racks that fit, best first, the address, and the name still free.
        let check = try hosting.check(ticket: filed.ticketID, by: office.users["tek1"]!)
        #expect(!check.racks.isEmpty)
        #expect(check.address == "10.20.0.10" && check.dnsName.isFree)

        try office.walk(filed.ticketID, until: "allocate_ip_dns")
        // Only an admin allocates.
        #expect(throws: ServiceError.self) { try hosting.allocate(ticket: filed.ticketID, by: office.users["tek1"]!) }
        let allocated = try await office.simpul.allocateDelivering(ticket: filed.ticketID, by: office.users["admin1"]!)
        #expect(allocated.addressState == "assigned" && allocated.step == "install")
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]) == ["10.20.0.10"])
        #expect(try named.dig(["-x", "10.20.0.10"]) == ["sikd.contohkab.go.id."])

        // A position that is taken is refused with where it would fit; the best fit is accepted.
        let best = try #require(check.racks.first)
        let refusal = #expect(throws: ServiceError.self) {
            try hosting.install(ticket: filed.ticketID, rack: "DC1-R01", position: 37, photo: self.photo, report: "terpasang", by: office.users["tek1"]!)
        }
        #expect(refusal?.text.en.contains("places that fit: \(best.rack) U\(best.position)") == true)
        let installed = try hosting.install(ticket: filed.ticketID, rack: best.rack, position: best.position, photo: photo,
                                            report: "Server terpasang, kabel A/B terhubung", by: office.users["tek1"]!)
        #expect(installed.device == "sikd" && installed.rack == best.rack && installed.rackPosition == best.position && installed.step == "monitoring")
        let racks = try office.simpul.estate.racks(for: office.district.cli)
        #expect(racks.first { $0.rack.code == best.rack }?.devices.contains { $0.name == "sikd" && $0.heightU == 2 } == true)

        let monitored = try hosting.enroll(ticket: filed.ticketID, probe: .tcp(port: 443), by: office.users["tek1"]!)
        #expect(monitored.monitored && monitored.state == .placed && monitored.step == "in_use")
        try office.walk(filed.ticketID, until: "-")
        #expect(try office.simpul.tickets.detail(filed.ticketID, by: office.district.cli).ticket.status == .done)
        #expect(try office.district.count("monitor_targets") == 1)

        // The monthly check: overdue after a month without one, and cleared by the agency's check.
        office.district.clock.advance(32 * 86_400)
        #expect(try hosting.list(by: office.users["dinkes"]!).first?.checkOverdue == true)
        try hosting.recordCheck(ticket: filed.ticketID, note: "dicek di lokasi", by: office.users["dinkes"]!)
        #expect(try hosting.list(by: office.users["dinkes"]!).first?.checkOverdue == false)

        // Taken out in one step: address, DNS, rack space and monitoring.
        let out = await office.simpul.dnsRecords.published(try hosting.decommission(ticket: filed.ticketID, reason: "aplikasi pindah ke cloud", by: office.users["admin1"]!))
        #expect(out.published && out.removed.count == 2)
        #expect(try named.dig(["A", "sikd.contohkab.go.id"]).isEmpty)
        #expect(try named.dig(["-x", "10.20.0.10"]).isEmpty)
        #expect(try office.district.count("monitor_targets") == 0)
        #expect(try office.simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM devices WHERE name = 'sikd'") } == 0)
        #expect(try office.simpul.ipam.next(pool: "dc-server", by: office.district.cli).description == "10.20.0.10")
        #expect(try hosting.request(ticket: filed.ticketID, by: office.district.cli).state == .decommissioned)
    }

    /// Issue 11, item 19: a request stayed "Diajukan" after its address was assigned and its DNS
    /// published, its name read "free" once published, and its device's model column held the application.
    @Test func theShownStatusFollowsTheRequestsProgress() async throws {
        let office = try Office(named: named)
        let hosting = office.simpul.hosting, tek = office.users["tek1"]!
        let listing = { (language: Language) in Listing(language, time: office.simpul.officeTime()) }
        let filed = try hosting.file(office.form(), by: office.users["dinkes"]!)
        #expect(filed.progress == .addressHeld && filed.progress.title(.id) == "Diajukan, alamat ditahan")
        #expect(filed.stepTitle?.id.hasPrefix("Menerima Permohonan dari SOPD") == true)
        try office.walk(filed.ticketID, until: "allocate_ip_dns")
        let allocated = try await office.simpul.allocateDelivering(ticket: filed.ticketID, by: office.users["admin1"]!)
        #expect(allocated.state == .requested && allocated.progress == .published)
        #expect(allocated.progress.title == Text(id: "Alamat dan DNS terbit", en: "Address and DNS published"))
        let check = try hosting.check(ticket: filed.ticketID, by: tek)
        #expect(check.dnsPublished && !check.dnsName.isFree)
        #expect(check.dnsNote(.id).hasPrefix("sudah terbit untuk permohonan ini: sikd.contohkab.go.id") && check.dnsNote(.id).contains("10.20.0.10"))
        #expect(check.dnsNote(.en).hasPrefix("published for this request: ") && !check.dnsNote(.id).contains("bebas"))
        for language in Language.allCases {
            let table = listing(language).hosting(try hosting.list(by: tek))
            let status = table.column("STATUS"), step = table.column(language == .id ? "LANGKAH" : "STEP")
            #expect(status == [allocated.progress.title(language)])
            #expect(step.first?.hasPrefix(language == .id ? "Tenaga Teknis Akan" : "The technician checks") == true && step.first != "install")
        }
        let shown = listing(.en).hostingRequest(allocated)
        #expect(shown[0].hasSuffix("— Address and DNS published") && shown.contains { $0.hasPrefix("  step: The technician checks") })
        #expect(shown.contains("  address: 10.20.0.10 (assigned, pool dc-server)"))

        let best = try #require(check.racks.first)
        let installed = try hosting.install(ticket: filed.ticketID, rack: best.rack, position: best.position, photo: photo, report: "terpasang", by: tek)
        #expect(installed.progress == .installed && installed.progress.title(.id) == "Terpasang di rak")
        // The device's columns hold what the device list's headings say.
        let device = try #require(try office.simpul.estate.devices(for: tek).first { $0.name == "sikd" })
        #expect(device.site == "Ruang Server Diskominfo" && device.model == nil && device.vendor == nil)
        let devices = listing(.id).devices(try office.simpul.estate.devices(for: tek))
        let row = try #require(devices.rows.first { $0.first == "sikd" })
        #expect(devices.header == ["NAMA", "JENIS", "INSTANSI", "ALAMAT MANAJEMEN", "SNMP", "RAK", "LOKASI"])
        #expect(row == ["sikd", "Server", "DINKES", "10.20.0.10", "-", "\(best.rack) U\(best.position)–U\(best.position + 1)", "Ruang Server Diskominfo"])
        let enrolled = try hosting.enroll(ticket: filed.ticketID, by: tek)
        #expect(enrolled.progress == .placed && enrolled.progress.title(.en) == "Placed and monitored")
        try office.simpul.tickets.act(filed.ticketID, .cancel, reason: "batal", by: office.users["admin1"]!)
        #expect(try hosting.request(ticket: filed.ticketID, by: tek).progress.title(.id) == "Dibatalkan")
    }

    @Test func aDNSPushThatFailsKeepsTheRequestOnItsStep() async throws {
        let wrongKey = named.directory.appendingPathComponent("wrong-hosting.key")
        try "key \"simpul-update\" { algorithm hmac-sha256; secret \"\(Data(repeating: 5, count: 32).base64EncodedString())\"; };\n"
            .write(to: wrongKey, atomically: true, encoding: .utf8)
        let office = try Office(named: named, keyFile: wrongKey.path)
        let filed = try office.simpul.hosting.file(office.form(host: "simpeg", dns: "simpeg"), by: office.users["dinkes"]!)
        try office.walk(filed.ticketID, until: "allocate_ip_dns")
        let refusal = await #expect(throws: ServiceError.self) { try await office.simpul.allocateDelivering(ticket: filed.ticketID, by: office.users["admin1"]!) }
        #expect(refusal?.text.en.contains("DNS is not published") == true)
        let stuck = try office.simpul.hosting.request(ticket: filed.ticketID, by: office.district.cli)
        #expect(stuck.step == "allocate_ip_dns" && stuck.lastError != nil)
        #expect(stuck.progress == .addressAssigned && stuck.progress.title(.id) == "Alamat diberikan, DNS belum terbit")
        #expect(try office.simpul.hosting.check(ticket: filed.ticketID, by: office.users["tek1"]!).dnsNote(.id).hasPrefix("dicatat untuk permohonan ini, menunggu server DNS"))
        #expect(try named.dig(["A", "simpeg.contohkab.go.id"]).isEmpty)

        // With the right key the same action finishes the step, without a second address or record.
        let mended = try TestDistrict(dns: DNSClient(keyFile: named.keyFile), path: office.district.path)
        mended.clock.now = office.district.clock.now
        let done = try await mended.simpul.allocateDelivering(ticket: filed.ticketID, by: office.users["admin1"]!)
        #expect(done.step == "install" && done.lastError == nil && done.address == filed.address)
        #expect(try named.dig(["A", "simpeg.contohkab.go.id"]) == [filed.address!])
        #expect(try mended.count("dns_records") == 2)
    }

    @Test func badFormsAndCancelledRequestsLeaveNothingBehind() throws {
        let office = try Office(named: named)
        let hosting = office.simpul.hosting, dinkes = office.users["dinkes"]!
        func refusal(_ form: HostingService.Form) -> String {
            do { _ = try hosting.file(form, by: dinkes); return "accepted" } catch let e as ServiceError { return e.text.en } catch { return "\(error)" }
        }
        var form = office.form()
        form.letterDate = "2026-02-30"
        #expect(refusal(form).contains("YYYY-MM-DD"))
        #expect(refusal(office.form(host: "bad_host")).contains("host name"))
        #expect(refusal(office.form(dns: "sikd.example.org")).contains("not inside a zone"))
        #expect(refusal(office.form(heightU: 0)).contains("1–60U"))
        #expect(refusal(office.form(host: "sw-inti-01", dns: "switch")).contains("a device named sw-inti-01 already exists"))
        #expect(try office.district.count("hosting_requests") == 0)
        #expect(try office.district.count("tickets") == 0)
        #expect(try office.district.count("ip_addresses") == 0)

        let filed = try hosting.file(office.form(), by: dinkes)
        #expect(refusal(office.form(host: "sikd2")).contains("already uses the name"))
        try office.simpul.tickets.act(filed.ticketID, .cancel, reason: "OPD membatalkan", by: office.users["admin1"]!)
        let cancelled = try hosting.request(ticket: filed.ticketID, by: dinkes)
        #expect(cancelled.state == .cancelled && cancelled.addressState == nil)
        #expect(try office.district.count("ip_addresses") == 0)
        // The name is free again for a new request; while that one lives, the old ticket cannot come back with the same name.
        #expect(refusal(office.form()) == "accepted")
        let reopen = #expect(throws: ServiceError.self) { try office.simpul.tickets.act(filed.ticketID, .reopen, reason: "salah batal", by: office.users["admin1"]!) }
        #expect(reopen?.text.en.contains("cannot be reopened") == true)
        #expect(try hosting.request(ticket: filed.ticketID, by: dinkes).state == .cancelled)
    }

    @Test func cancellingAfterTheAllocationTakesEverythingBackAndReopeningHoldsAnAddressAgain() async throws {
        let office = try Office(named: named)
        let hosting = office.simpul.hosting, admin = office.users["admin1"]!
        let filed = try hosting.file(office.form(host: "simpus", dns: "simpus"), by: office.users["dinkes"]!)
        try office.walk(filed.ticketID, until: "allocate_ip_dns")
        try await office.simpul.allocateDelivering(ticket: filed.ticketID, by: admin)
        let installed = try hosting.install(ticket: filed.ticketID, rack: "DC1-R03", position: 1, photo: photo, report: "terpasang", by: office.users["tek1"]!)
        #expect(installed.device != nil && installed.addressState == "assigned")
        #expect(try named.dig(["A", "simpus.contohkab.go.id"]) == [filed.address!])
        let devices = try office.district.count("devices")

        // Cancelled on the monitoring step: the address, its A and PTR (on the server too) and the rack place go, in the ticket's transaction.
        let deliveries = try office.simpul.tickets.act(filed.ticketID, .cancel, reason: "OPD memakai cloud", by: admin)
        #expect(!deliveries.isEmpty)
        _ = await office.simpul.outbox.deliver(ids: deliveries)
        let cancelled = try hosting.request(ticket: filed.ticketID, by: admin)
        #expect(cancelled.state == .cancelled && cancelled.device == nil && cancelled.addressState == nil)
        #expect(try office.district.count("ip_addresses") == 0 && office.district.count("dns_records") == 0)
        #expect(try office.district.count("devices") == devices - 1)
        #expect(try named.dig(["A", "simpus.contohkab.go.id"]).isEmpty)
        let reverse = IPAddress(filed.address!)!.reverseName.description
        #expect(try named.dig(["PTR", reverse]).isEmpty)

        // Reopened: the request is live again, with an address held for it, back on the step it was on.
        try office.simpul.tickets.act(filed.ticketID, .reopen, reason: "OPD batal pindah", by: admin)
        let reopened = try hosting.request(ticket: filed.ticketID, by: admin)
        #expect(reopened.state == .requested && reopened.addressState == "held" && reopened.address != nil)
        #expect(reopened.step != nil)
    }
}
