import Foundation
@testable import SimpulCore
import Testing

/// Issue 11, items 18 and 19: every number, unit and code a user reads goes through one formatter
/// per language (`Format`) and the titles of codes; the same words on the web and in the terminal.
@Suite("Wording: one formatter per language, codes in words")
struct WordingTests {
    let id = Format.id, en = Format.en

    @Test func numbersAndDecimalsFollowTheLanguage() {
        #expect(id.number(1_250) == "1.250" && en.number(1_250) == "1,250")
        #expect(id.number(-1_234_567) == "−1.234.567" && en.number(999) == "999")
        #expect(id.decimal(99.5) == "99,5" && en.decimal(99.5) == "99.5")
        #expect(id.decimal(99.0) == "99" && id.decimal(2.25, places: 2) == "2,25" && en.decimal(1234.56) == "1,234.6")
    }

    /// '0.0 %' beside '99,5%' on one page: now one spacing, one decimal sign per language.
    @Test func percentagesHaveOneSpacingAndTheLanguagesDecimalSign() {
        #expect(id.percent(99.5) == "99,5 %" && en.percent(99.5) == "99.5 %")
        #expect(id.percent(2.6) == "2,6 %" && en.percent(2.6) == "2.6 %")
        #expect(id.percent(0) == "0 %")
        // Something used never reads as nothing.
        #expect(id.percent(0.000_000_01) == "< 0,1 %" && en.percent(0.000_000_01) == "< 0.1 %")
        #expect(id.share(0.87) == "87 %" && en.share(1) == "100 %")
        #expect(id.percent(100, places: 0) == "100 %")
    }

    /// '72h' as a unit: durations and amounts of time are words.
    @Test func timeIsWrittenInWords() {
        #expect(id.exactly(72 * 3600) == "72 jam" && en.exactly(72 * 3600) == "72 hours")
        #expect(id.exactly(5 * 86_400) == "5 hari" && en.exactly(86_400) == "24 hours")
        #expect(id.amount(3, .days) == "3 hari" && en.amount(3, .days) == "3 days" && en.amount(1, .days) == "1 day")
        #expect(id.minutes(30) == "30 menit" && en.minutes(1) == "1 minute")
        #expect(id.duration(3 * 86_400 + 8 * 3600 + 120) == "3 hari 8 jam" && en.duration(3 * 86_400 + 8 * 3600) == "3 days 8 hours")
        #expect(id.duration(2 * 3600 + 5 * 60) == "2 jam 5 menit" && en.duration(2 * 3600 + 5 * 60) == "2 hours 5 minutes")
        #expect(id.duration(14 * 60) == "14 menit" && id.duration(20) == "< 1 menit" && en.duration(0) == "0 minutes")
        #expect(id.standard(StandardTime("30wd")!) == "30 hari kerja" && en.standard(StandardTime("1w")!) == "1 week")
        #expect(StandardTime("60m")!.text == Text(id: "60 menit", en: "60 minutes"))
        #expect(DurationText.format(7200, .id) == "2 jam")
        // What the formatter writes reads back, and so do the short forms people type.
        for text in ["72 jam", "72 hours", "3 hari", "3 days", "72h", "3d", "4320m", "4.320 menit".replacingOccurrences(of: ".", with: "")] {
            #expect(Format.seconds(of: text) == 72 * 3600 || Format.seconds(of: text) == 3 * 86_400, "\(text)")
        }
        #expect(Format.seconds(of: "72 parsec") == nil && Format.seconds(of: "99999999999h") == nil)
    }

    @Test func unitsAndSizes() {
        #expect(id.mbps(2_170) == "2.170 Mbps" && en.mbps(2.5) == "2.5 Mbps" && id.mbps(2.5) == "2,5 Mbps")
        #expect(id.watts(3_500) == "3.500 W" && en.watts(3_500) == "3,500 W")
        #expect(id.bytes(820) == "820 B" && id.bytes(2_516_582) == "2,4 MB" && en.bytes(2_516_582) == "2.4 MB")
        #expect(id.rackPlace("DC1-R03", position: 26, heightU: 2) == "DC1-R03 U26–U27" && id.rackPlace("DC1-R03", position: 24, heightU: 1) == "DC1-R03 U24")
    }

    /// Free IPv6 space was printed as `1.8e+19`.
    @Test func hugeCountsArePowersOfTwoNeverExponents() {
        let freeV6 = Double(UInt64.max) - 254 - 2
        #expect(id.count(freeV6) == "≈ 2^64" && en.count(freeV6) == "≈ 2^64")
        #expect(id.count(Double(1 << 50)) == "≈ 2^50")
        #expect(id.count(228.0) == "228" && id.count(1_000_000.0) == "1.000.000")
        #expect(id.count(UInt64.max) == "≥ 2^64" && id.count(UInt64(256)) == "256")
        #expect(id.addresses(hostBits: 64) == "2^64" && id.addresses(hostBits: 8) == "256" && en.addresses(hostBits: 16) == "65,536")
        for text in [id.count(freeV6), id.addresses(hostBits: 80)] { #expect(!text.contains("e+")) }
    }

    @Test func codesHaveTitlesInBothLanguages() {
        #expect(LinkTechnology.metro_ethernet.title == Text(id: "Metro Ethernet", en: "Metro Ethernet"))
        #expect(LinkTechnology.fiber.title(.id) == "Serat optik" && LinkTechnology.fiber.title(.en) == "Fibre")
        #expect(DeviceKind.access_point.title(.id) == "Titik akses nirkabel")
        #expect(PoolScope.private.title(.id) == "Privat" && ZoneKind.reverse.title(.en).hasPrefix("Reverse"))
        #expect(AgencyKind.satpol.title(.id) == "Satpol PP")
        for kind in HistoryEntry.Kind.allCases { #expect(kind.title.id != kind.rawValue && kind.title.en != kind.rawValue) }
    }

    // MARK: Tickets

    /// Branch names (`fixed`, `not_fixed`) are shown through their titles, which the playbooks give.
    @Test func everyOutcomeOfTheRepositoryPlaybooksHasATitle() throws {
        for playbook in try Playbooks.all(in: Playbooks.shipped) {   // about the shipped SOPs: every outcome they give has a title
            for step in playbook.steps {
                for branch in step.exit.branches {
                    let title = try #require(branch.title, "\(playbook.id) \(step.id) \(branch.name)")
                    #expect(!title.id.contains("_") && !title.en.contains("_"))
                }
            }
        }
        let fault = try Playbooks.named("fault-dispatch")
        let wording = TicketWording(playbook: fault, .id)
        #expect(wording.outcome("not_fixed") == "Belum teratasi, perlu penyedia layanan")
        #expect(TicketWording(playbook: fault, .en).outcome("fixed", at: "repair") == "Fixed")
        #expect(wording.outcomeLeads(fault.step("repair")!.branch("fixed")!) == "Teratasi → Melaporkan hasil pemeliharaan jaringan")
    }

    @Test func theShortBranchFormIsStillReadAndAnOutcomeWithoutATitleReadsAsWords() throws {
        let text = """
        id: tiny
        version: 1
        title: {id: "Kecil", en: "Tiny"}
        source: {sop: "1", title: "Kecil"}
        calendar: 24x7
        steps:
          - id: first
            source_step: 1
            title: {id: "Pertama", en: "First"}
            actor: technician
            clock: office
            evidence: []
            branches:
              ok: done
              needs_more:
                next: first
                title: {id: "Perlu lagi", en: "Needs more"}
        """
        let (playbooks, issues) = PlaybookReader.read([PlaybookDocument(file: "tiny.yaml", text: text)])
        #expect(issues.isEmpty, "\(issues)")
        let step = try #require(playbooks.first?.step("first"))
        #expect(step.branch("ok")?.title == nil && step.branch("ok")?.target == .done)
        #expect(step.branch("needs_more")?.title == Text(id: "Perlu lagi", en: "Needs more") && step.branch("needs_more")?.target == .step("first"))
        #expect(step.branch("needs_more")?.shownTitle(.en) == "Needs more" && Branch(name: "needs_repair", target: .done).shownTitle(.id) == "needs repair")
        // A titled outcome needs both its next and its title.
        let broken = text.replacingOccurrences(of: "        next: first\n", with: "")
        let (_, problems) = PlaybookReader.read([PlaybookDocument(file: "tiny.yaml", text: broken)])
        #expect(problems.contains { $0.field == "steps[0].branches.needs_more.next" })
    }

    /// `reason_en:`, `rule=0` and raw `not_fixed` in a ticket's history: each in words now.
    @Test func anEscalationReadsInTheReadersLanguageWithoutItsRuleOrStoredEnglish() throws {
        let fault = try Playbooks.named("fault-dispatch")
        let rule = try #require(fault.escalations.firstIndex { if case .elapsed("repair", 100) = $0.trigger { true } else { false } })
        let entry = HistoryEntry(at: Date(timeIntervalSince1970: 0), by: "simpul", role: nil, kind: .escalated, stepID: "repair", visit: 2,
                                 text: "langkah … telah berjalan 100% dari standar 60 menit",
                                 detail: ["rule": String(rule), "reason_en": "step Repair … has run 100% of its standard 60 min", "notify": "supervisor"])
        let id = TicketWording(playbook: fault, .id), en = TicketWording(playbook: fault, .en)
        #expect(id.text(entry) == "langkah Melakukan tindakan perbaikan jaringan apabila gangguan dapat langsung ditangani telah berjalan 100 % dari standar 60 menit")
        #expect(en.text(entry) == "step Repair the network if the fault can be handled directly has run 100 % of its standard 60 minutes")
        #expect(id.details(entry) == ["beri tahu: Kabid/Kasi"] && en.details(entry) == ["notify: Division/section head"])
        let branchRule = try #require(fault.escalations.firstIndex { if case .branch("not_fixed") = $0.trigger { true } else { false } })
        #expect(en.escalationReason(rule: branchRule) == "outcome \"Not fixed, needs the provider\" was chosen at step Repair the network if the fault can be handled directly")
        #expect(id.escalationReason(rule: branchRule)?.contains("not_fixed") == false)
        let reassigned = HistoryEntry(at: Date(), by: "kasi1", role: .supervisor, kind: .reassigned, detail: ["to": "-", "from": "tek1", "priority": "normal→high"])
        #expect(id.details(reassigned) == ["dari: tek1", "prioritas: Biasa → Tinggi", "kepada: belum ditugaskan"])
        #expect(TicketWording.outboxTarget("role:supervisor")(.en) == "Division/section head" && TicketWording.outboxStatus("pending")(.id) == "Menunggu")
    }

    // MARK: The audit log and DNS

    /// The dashboard showed `dns.add` and `cli:root`.
    @Test func auditActionsActorsAndObjectsInWords() {
        #expect(AuditWording.action("dns.add", objectType: "dns") == Text(id: "DNS: record ditambahkan", en: "DNS: record added"))
        #expect(AuditWording.actor("cli:root") == Text(id: "baris perintah (root)", en: "command line (root)"))
        #expect(AuditWording.actor("simpul")(.id) == "Simpul (otomatis)" && AuditWording.actor("kasi1")(.en) == "kasi1")
        #expect(AuditWording.action("ticket.escalated", objectType: "ticket")(.id) == "Tiket: eskalasi")
        #expect(AuditWording.action("create", objectType: "agency")(.id) == "Instansi: ditambahkan" && AuditWording.action("create", objectType: "user")(.en) == "User: created")
        #expect(AuditWording.action("password", objectType: "user")(.id) == "Pengguna: kata sandi diganti")
        #expect(AuditWording.object(type: "address", key: "dc-server/10.20.0.12")(.id) == "alamat 10.20.0.12 (dc-server)")
        #expect(AuditWording.object(type: "ticket", key: "#115")(.en) == "ticket #115" && AuditWording.object(type: "api_token", key: "3")(.id) == "token API #3")
        for action in ["dns.add", "dns.remove", "dns.fix", "ip.hold", "ip.assign", "ip.release", "ip.expire", "hosting.file", "hosting.check",
                       "hosting.install", "hosting.monitor", "hosting.reopen", "hosting.decommission", "hosting.cancel", "attach", "password",
                       "disable", "enable", "revoke", "load", "create", "update", "delete"] {
            let words = AuditWording.action(action, objectType: "user")
            #expect(words.id != action && !words.id.contains(".") && !words.en.contains("."), "\(action)")
        }
    }

    /// `make run` printed `cocok/in sync (serial 0 / server 1)`.
    @Test func aZoneIsOnlyInSyncWhenItsSerialIsTheServers() {
        let record = DNSRecord(name: DomainName("ns1.contohkab.go.id")!, type: .a, ttl: 3600, data: "127.0.0.1")
        let unset = ZoneDrift.compare(zone: "0.99.10.in-addr.arpa", inventorySerial: 0, serverSerial: 1, inventory: [], server: [])
        #expect(unset.isClean && !unset.serialSet && !unset.serialMatches)
        #expect(unset.standing(.id).contains("belum pernah menetapkan serial") && !unset.standing(.id).contains("cocok"))
        #expect(unset.standing(.en).contains("has not set this zone's serial yet") && !unset.standing(.en).contains("in sync"))
        let behind = ZoneDrift.compare(zone: "contohkab.go.id", inventorySerial: 2026112600, serverSerial: 2026112603, inventory: [record], server: [record])
        #expect(behind.standing(.id) == "contohkab.go.id: isi sama dengan server, tetapi serialnya berbeda: Simpul 2026112600, server 2026112603")
        #expect(!behind.standing(.en).contains("in sync"))
        let same = ZoneDrift.compare(zone: "contohkab.go.id", inventorySerial: 2026112600, serverSerial: 2026112600, inventory: [record], server: [record])
        #expect(same.standing(.id) == "contohkab.go.id: cocok dengan server (serial 2026112600)" && same.standing(.en) == "contohkab.go.id: in sync with the server (serial 2026112600)")
        let drift = ZoneDrift.compare(zone: "contohkab.go.id", inventorySerial: 5, serverSerial: 5, inventory: [record], server: [])
        #expect(drift.standing(.id).hasPrefix("contohkab.go.id: berbeda dari server") && drift.findings.map { $0.en } == ["  missing on the server: \(record)"])
    }
}
