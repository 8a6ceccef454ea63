import Foundation
import SimpulCore
import SimpulServices
import SimpulStore
import Testing

/// Issue 11, item 18 (and 19's counts and words) in the terminal: the command line's tables have their
/// headings in the user's language (Indonesian by default, `--lang en`), every cell written by
/// `Format` or a code's title, and `ticket show` has no ids, rule numbers or stored English.
@Suite("Command-line listings in the user's language")
struct ListingTests {
    let district: TestDistrict
    let id: Listing, en: Listing

    init() throws {
        district = try TestDistrict(loadPlaybooks: true)
        for (name, role, agency) in [("kabid", Role.supervisor, nil), ("tek1", .technician, nil), ("dinkes", .agency, "DINKES")] as [(String, Role, String?)] {
            _ = try district.simpul.accounts.add(username: name, fullName: name.capitalized, role: role, agency: agency, password: "Rahasia-Kantor-2026!", by: district.cli)
        }
        id = Listing(.id, time: district.simpul.officeTime())
        en = Listing(.en, time: district.simpul.officeTime())
    }

    var cli: Principal { district.cli }

    func user(_ name: String) throws -> Principal { try district.simpul.accounts.user(name, by: cli).principal }

    /// `agency/device/pool/zone/rack/user/link/provider` had English headings whatever the language.
    @Test func theEstatesHeadingsAreInTheUsersLanguage() throws {
        let estate = district.simpul.estate
        let agencies = try estate.agencies(for: cli)
        #expect(id.agencies(agencies).header == ["KODE", "JENIS", "SAMBUNGAN", "UNDUH / UNGGAH", "NAMA"])
        #expect(en.agencies(agencies).header == ["CODE", "KIND", "LINKS", "DOWN / UP", "NAME"])
        #expect(id.agencies(agencies).rows.first { $0[0] == "DINKES" }?[1] == "Dinas")
        #expect(id.devices(try estate.devices(for: cli)).header == ["NAMA", "JENIS", "INSTANSI", "ALAMAT MANAJEMEN", "SNMP", "RAK", "LOKASI"])
        #expect(en.devices(try estate.devices(for: cli)).header == ["NAME", "KIND", "AGENCY", "MANAGEMENT ADDRESS", "SNMP", "RACK", "SITE"])
        let firewall = try #require(id.devices(try estate.devices(for: cli)).rows.first { $0[0] == "fw-inti-01" })
        #expect(firewall == ["fw-inti-01", "Firewall", "-", "127.0.20.13", "v3 · v3-noc", "DC1-R01 U34", "Ruang Server Diskominfo"])

        let pools = try estate.pools(for: cli)
        #expect(id.pools(pools).header == ["NAMA", "PREFIKS", "CAKUPAN", "GATEWAY", "VLAN", "JUMLAH ALAMAT", "DICADANGKAN"])
        let v6 = try #require(en.pools(pools).rows.first { $0[0] == "public-v6" })
        #expect(v6[2] == "Public" && v6[5] == "2^64")
        #expect(id.zones(try estate.zones(for: cli)).header == ["ZONA", "JENIS", "NS UTAMA", "TTL", "KUNCI TSIG", "SERVER PEMBARUAN"])
        #expect(en.zones(try estate.zones(for: cli)).rows.first?[3] == "1 hour")
        let racks = try estate.racks(for: cli)
        #expect(en.racks(racks).header == ["RACK", "ROOM", "U USED", "FEED A", "FEED B", "DEVICES"])
        #expect(id.racks(racks).rows.first { $0[0] == "DC1-R02" }?[3] == "2.250 / 5.000 W")
        let links = try estate.links(for: cli)
        #expect(id.links(links).header.last == "ALAMAT PANTAU" && en.links(links).header.last == "HEALTH-CHECK ADDRESS")
        #expect(!id.links(links).header.contains("HEALTH") && id.links(links).column("TEKNOLOGI").contains("Serat optik"))
        #expect(id.agencyLinks(links).header == ["SIRKUIT", "PENYEDIA", "UNDUH / UNGGAH", "TEKNOLOGI", "PERANGKAT", "ALAMAT PANTAU"])
        let providers = try estate.providers(for: cli)
        #expect(id.providers(providers).rows.first { $0[0] == "NUSANET" }.map { [$0[3], $0[5]] } == ["30 menit", "99,5 %"])
        #expect(en.providers(providers).rows.first { $0[0] == "NUSANET" }.map { [$0[2], $0[3], $0[5]] } == ["2,170 Mbps", "30 minutes", "99.5 %"])
    }

    @Test func accountsTheAuditLogAddressesAndDNSInWords() throws {
        let users = try district.simpul.accounts.list(by: cli)
        #expect(id.users(users).header == ["NAMA PENGGUNA", "PERAN", "INSTANSI", "STATUS", "TERAKHIR MASUK", "NAMA"])
        #expect(id.users(users).rows.first { $0[0] == "tek1" }.map { [$0[1], $0[3]] } == ["Teknisi", "aktif"])
        #expect(en.users(users).rows.first { $0[0] == "kabid" }?[1] == "Division/section head")
        _ = try district.simpul.accounts.createToken(username: "tek1", name: "dasbor", by: cli)
        let tokens = try district.simpul.accounts.tokens(by: cli)
        #expect(en.tokens(tokens).header == ["#", "USER", "NAME", "PREFIX", "CREATED", "LAST USED", "REVOKED"])
        #expect(id.tokens(tokens).rows.first?[4].hasSuffix("WITA") == true)

        let (entries, _) = try district.simpul.audit.recent(limit: 200, by: cli)
        let audit = id.audit(entries)
        #expect(audit.header == ["#", "WAKTU", "PELAKU", "TINDAKAN", "OBJEK"])
        #expect(audit.column("PELAKU").allSatisfy { $0 == "baris perintah (test)" })
        #expect(audit.column("TINDAKAN").contains("Pengguna: dibuat") && audit.column("OBJEK").contains("pengguna tek1"))
        #expect(en.audit(entries).column("ACTION").contains("API token: created"))

        let usage = try district.simpul.ipam.usage(by: cli)
        #expect(id.addressUsage(usage).header.prefix(6) == ["POOL", "PREFIKS", "DIBERIKAN", "DITAHAN", "BEBAS", "TERPAKAI"])
        let v6 = try #require(id.addressUsage(usage).rows.first { $0[0] == "public-v6" })
        #expect(v6[4] == "≈ 2^64" && v6[5] == "0 %" && !v6.joined().contains("e+"))
        _ = try district.simpul.ipam.hold(.init(pool: "dc-server", owner: "device:SRV-9"), by: cli)
        let allocations = try district.simpul.ipam.list(pool: "dc-server", by: cli)
        #expect(id.addresses(allocations).column("STATUS") == ["ditahan"] && en.addresses(allocations).column("STATE") == ["held"])
        let used = try #require(try district.simpul.ipam.usage(by: cli).first { $0.pool == "dc-server" })
        #expect(id.addressUsage([used]).rows.first?[5] == "0,4 %" && en.addressUsage([used]).rows.first?[5] == "0.4 %" && used.percentUsed > 0.4)

        let zones = try district.simpul.dnsRecords.zones(by: cli)
        #expect(id.dnsZones(zones).column("SERIAL").contains("belum ditetapkan") && en.dnsZones(zones).column("SERIAL").contains("not set yet"))
        #expect(en.dnsZones(zones).header == ["ZONE", "KIND", "SERIAL", "RECORDS", "WAITING", "SERVER", "LAST ERROR"])
    }

    /// `simpul ticket show` printed `reason_en=`, `rule=0`, step ids, `not_fixed` and `3 hr 8 j`.
    @Test func ticketShowAndTheTicketListHaveNoIdsOrCodes() throws {
        let tickets = district.simpul.tickets
        let ticket = try tickets.open(playbook: "fault-dispatch", subject: "Internet Dinkes putus", agency: "DINKES", by: try user("dinkes"))
        try tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "lapor")], branch: nil, note: nil, assignTo: nil), by: try user("dinkes"))
        try tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "ke lokasi")], branch: nil, note: nil, assignTo: "tek1"), by: try user("kabid"))
        district.clock.advance(61 * 60)
        _ = try tickets.sweep()
        try tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "ONT mati")], branch: "not_fixed", note: nil, assignTo: nil), by: try user("tek1"))
        let detail = try tickets.detail(ticket, by: cli)

        let shown = id.ticket(detail).joined(separator: "\n")
        for leak in ["reason_en", "rule=", "rule:", "not_fixed", "coordinate_provider", "report_result", "repair ", "technician", "supervisor",
                     "notify", " mnt", " hr ", "100%", "60m", "role:"] {
            #expect(!shown.contains(leak), "\(leak)")
        }
        #expect(shown.contains("telah berjalan 100 % dari standar 60 menit") && shown.contains("beri tahu: Kabid/Kasi"))
        #expect(shown.contains("Belum teratasi, perlu penyedia layanan") && shown.contains("Simpul (otomatis)"))
        #expect(shown.contains("Langkah saat ini: Berkoordinasi dengan pihak penyedia layanan jaringan"))
        #expect(shown.contains("Pemberitahuan → Kepala Bidang/Seksi  [Menunggu]"))
        #expect(shown.contains("# LANGKAH") == false && shown.contains("LANGKAH") && shown.contains("PELAKU") && shown.contains("1 jam 1 menit"))

        let english = en.ticket(detail).joined(separator: "\n")
        for leak in ["reason_en", "rule=", "not_fixed", "coordinate_provider", "telah", "langkah", "beri tahu", "Menunggu"] {
            #expect(!english.contains(leak), "\(leak)")
        }
        #expect(english.contains("has run 100 % of its standard 60 minutes") && english.contains("notify: Division/section head"))
        #expect(english.contains("Not fixed, needs the provider") && english.contains("Current step: Coordinate with the network service provider"))
        #expect(english.contains("STEP") && english.contains("ACTOR") && english.contains("Technician"))

        var filter = TicketStore.Filter()
        filter.limit = 10
        let page = try tickets.list(filter, by: cli)
        let playbooks = Dictionary(try district.simpul.playbooks.list(by: cli).map { ($0.playbook.versionKey, $0.playbook) }, uniquingKeysWith: { a, _ in a })
        let list = id.tickets(page.rows, playbooks: playbooks, now: district.clock.now)
        #expect(list.header == ["#", "LAYANAN", "PERIHAL", "INSTANSI", "LANGKAH", "PETUGAS", "STATUS", "JATUH TEMPO"])
        #expect(list.column("LANGKAH") == ["Berkoordinasi dengan pihak penyedia lay…"] && list.column("LAYANAN") == ["Pemeliharaan Jaringan TIK"])
        #expect(en.tickets(page.rows, playbooks: playbooks, now: district.clock.now).header[4] == "STEP")
    }

    /// Aligned by characters, not bytes: `≈`, `–` and `…` take one column each.
    @Test func aTableIsAlignedByCharacters() {
        let table = TextTable(["A", "B"], [["≈ 2^64", "x"], ["12", "y"]])
        #expect(table.lines == ["A       B", "------  -", "≈ 2^64  x", "12      y"])
    }
}
