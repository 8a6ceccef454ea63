import Foundation
import SimpulCore
import SimpulStore

/// A table as the command line prints it: headings in the user's language, cells written by
/// `Format` and the titles of codes, columns aligned. `--json` prints the values themselves instead.
public struct TextTable: Sendable, Hashable {
    public var header: [String]
    public var rows: [[String]]

    public init(_ header: [String], _ rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The cells of column `title` (its heading as shown), top to bottom.
    public func column(_ title: String) -> [String] {
        guard let index = header.firstIndex(of: title) else { return [] }
        return rows.map { index < $0.count ? $0[index] : "" }
    }

    /// The table as lines: the headings, a rule, then the rows; every column as wide as its widest
    /// cell (counted in characters), the last one not padded.
    public var lines: [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 || i >= widths.count ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count))
            }.joined(separator: "  ")
        }
        return [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }
}

/// The command line's listings, one per `list` (and the tables of `show`), in one language.
public struct Listing: Sendable {
    public let format: Format
    public let time: OfficeTime

    public init(_ language: Language, time: OfficeTime) {
        self.format = Format(language)
        self.time = time
    }

    public var language: Language { format.language }

    /// A heading: Indonesian or English, in capitals as a terminal table has them.
    func h(_ id: String, _ en: String) -> String { (language == .id ? id : en).uppercased() }

    func when(_ stored: String?) -> String { stored.map { time.format(stored: $0, language) } ?? "-" }

    func dash(_ text: String?) -> String { text?.isEmpty == false ? text! : "-" }

    /// A long title cut to `max` characters with `…`, for a column that must stay readable.
    public static func brief(_ text: String, _ max: Int = 40) -> String {
        text.count <= max ? text : String(text.prefix(max - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    func downUp(_ down: Double, _ up: Double) -> String { "\(format.mbps(down)) / \(format.mbps(up))" }

    // MARK: Estate

    public func agencies(_ rows: [EstateService.AgencySummary]) -> TextTable {
        TextTable([h("kode", "code"), h("jenis", "kind"), h("sambungan", "links"), h("unduh / unggah", "down / up"), h("nama", "name")],
                  rows.map { [$0.code, $0.kind.title(language), format.number($0.links), downUp($0.committedDownMbps, $0.committedUpMbps), $0.name] })
    }

    /// The links of one agency (`agency show`).
    public func agencyLinks(_ rows: [EstateService.LinkView]) -> TextTable {
        TextTable([h("sirkuit", "circuit"), h("penyedia", "provider"), h("unduh / unggah", "down / up"), h("teknologi", "technology"),
                   h("perangkat", "device"), h("alamat pantau", "health-check address")],
                  rows.map { [$0.link.circuit, $0.link.provider, downUp($0.link.downMbps, $0.link.upMbps), $0.link.technology.title(language),
                              device(of: $0.link), dash($0.link.healthAddress?.description)] })
    }

    /// The devices of one agency (`agency show`).
    public func agencyDevices(_ rows: [Device]) -> TextTable {
        TextTable([h("perangkat", "device"), h("jenis", "kind"), h("alamat manajemen", "management address"), h("rak", "rack")],
                  rows.map { [$0.name, $0.kind.title(language), dash($0.managementAddress?.description), rack(of: $0)] })
    }

    public func providers(_ rows: [EstateService.ProviderView]) -> TextTable {
        TextTable([h("kode", "code"), h("sambungan", "links"), h("unduh", "down"), h("waktu tanggap", "response"), h("waktu pulih", "restore"),
                   h("ketersediaan", "availability"), h("NOC", "NOC"), h("nama", "name")],
                  rows.map { [$0.provider.code, format.number($0.links), format.mbps($0.committedDownMbps), format.minutes($0.provider.sla.responseMinutes),
                              format.minutes($0.provider.sla.restoreMinutes), format.percent($0.provider.sla.availabilityPercent, places: 2),
                              dash($0.provider.noc?.phone), $0.provider.name] })
    }

    /// The links of one provider (`provider show`).
    public func providerLinks(_ rows: [EstateService.LinkView]) -> TextTable {
        TextTable([h("sirkuit", "circuit"), h("instansi", "agency"), h("unduh / unggah", "down / up"), h("teknologi", "technology")],
                  rows.map { [$0.link.circuit, $0.link.agency, downUp($0.link.downMbps, $0.link.upMbps), $0.link.technology.title(language)] })
    }

    public func links(_ rows: [EstateService.LinkView]) -> TextTable {
        TextTable([h("sirkuit", "circuit"), h("instansi", "agency"), h("penyedia", "provider"), h("unduh / unggah", "down / up"),
                   h("teknologi", "technology"), h("perangkat", "device"), h("alamat pantau", "health-check address")],
                  rows.map { [$0.link.circuit, $0.link.agency, $0.link.provider, downUp($0.link.downMbps, $0.link.upMbps), $0.link.technology.title(language),
                              device(of: $0.link), dash($0.link.healthAddress?.description)] })
    }

    /// The device at the office end of a link, with its port: `rtr-dinkes ether1`.
    func device(of link: Link) -> String {
        [link.device, link.interface].compactMap { $0 }.joined(separator: " ").nilIfEmpty ?? "-"
    }

    func rack(of device: Device) -> String {
        device.placement.map { format.rackPlace($0.rack, position: $0.position, heightU: $0.heightU) } ?? "-"
    }

    /// Every column holds what its heading says: the management address under ADDRESS, the SNMP
    /// version and credential under SNMP, the rack place under RACK, the site under SITE.
    public func devices(_ rows: [Device]) -> TextTable {
        TextTable([h("nama", "name"), h("jenis", "kind"), h("instansi", "agency"), h("alamat manajemen", "management address"), h("SNMP", "SNMP"),
                   h("rak", "rack"), h("lokasi", "site")],
                  rows.map { [$0.name, $0.kind.title(language), dash($0.agency), dash($0.managementAddress?.description),
                              $0.snmp.map { "\($0.version.title) · \($0.credential)" } ?? "-", rack(of: $0), dash($0.site)] })
    }

    public func pools(_ rows: [EstateService.PoolView]) -> TextTable {
        TextTable([h("nama", "name"), h("prefiks", "prefix"), h("cakupan", "scope"), h("gateway", "gateway"), h("VLAN", "VLAN"),
                   h("jumlah alamat", "addresses"), h("dicadangkan", "reserved")],
                  rows.map { [$0.pool.name, $0.pool.prefix.description, $0.pool.scope.title(language), dash($0.pool.gateway?.description),
                              $0.pool.vlan.map(String.init) ?? "-", format.addresses(hostBits: $0.pool.prefix.family.bitWidth - $0.pool.prefix.length),
                              format.count($0.reservedAddresses)] })
    }

    public func zones(_ rows: [Zone]) -> TextTable {
        TextTable([h("zona", "zone"), h("jenis", "kind"), h("NS utama", "primary NS"), h("TTL", "TTL"), h("kunci TSIG", "TSIG key"),
                   h("server pembaruan", "update server")],
                  rows.map { [$0.name.description, $0.kind.title(language), $0.primaryNS.description, format.exactly($0.defaultTTL),
                              dash($0.tsigKey), dash($0.server)] })
    }

    public func racks(_ rows: [EstateService.RackView]) -> TextTable {
        TextTable([h("rak", "rack"), h("ruang", "room"), h("U terpakai", "U used"), h("catu A", "feed A"), h("catu B", "feed B"),
                          h("perangkat", "devices")],
                  rows.map { r in
                             let load = format.number(r.powerPerFeedWatts)
                             return [r.rack.code, r.roomName, "\(r.usedU) / \(r.rack.heightU) U",
                                     "\(load) / \(r.rack.feedAWatts.map(format.watts) ?? "–")", "\(load) / \(r.rack.feedBWatts.map(format.watts) ?? "–")",
                                     format.number(r.devices.count)]
                         })
    }

    // MARK: Accounts and the audit log

    public func users(_ rows: [AccountService.User]) -> TextTable {
        TextTable([h("nama pengguna", "username"), h("peran", "role"), h("instansi", "agency"), h("status", "status"), h("terakhir masuk", "last sign-in"),
                   h("nama", "name")],
                  rows.map { [$0.username, $0.role.title(language), dash($0.agency),
                              $0.disabled ? Text(id: "nonaktif", en: "disabled")(language) : Text(id: "aktif", en: "active")(language),
                              when($0.lastLoginAt), $0.fullName] })
    }

    public func tokens(_ rows: [AccountService.Token]) -> TextTable {
        TextTable([h("#", "#"), h("pengguna", "user"), h("nama", "name"), h("awalan", "prefix"), h("dibuat", "created"), h("terakhir dipakai", "last used"),
                   h("dicabut", "revoked")],
                  rows.map { ["#\($0.id)", $0.username, $0.name, $0.prefix + "…", when($0.createdAt), when($0.lastUsedAt), when($0.revokedAt)] })
    }

    /// The log in words (`AuditWording`): who, what was done, to what.
    public func audit(_ rows: [AuditEntry]) -> TextTable {
        TextTable([h("#", "#"), h("waktu", "time"), h("pelaku", "actor"), h("tindakan", "action"), h("objek", "object")],
                  rows.map { ["#\($0.seq)", when($0.at), AuditWording.actor($0.actor)(language),
                              AuditWording.action($0.action, objectType: $0.objectType)(language),
                              AuditWording.object(type: $0.objectType, key: $0.objectKey)(language)] })
    }

    // MARK: Addresses and DNS

    public static func addressState(_ state: IPAMStore.State) -> Text {
        switch state {
        case .held: Text(id: "ditahan", en: "held")
        case .assigned: Text(id: "diberikan", en: "assigned")
        }
    }

    /// An address's history action (`held`, `assigned`, `released`, `expired`) in words.
    public static func addressAction(_ action: String) -> Text {
        switch action {
        case "held": Text(id: "ditahan", en: "held")
        case "assigned": Text(id: "diberikan", en: "assigned")
        case "released": Text(id: "dilepas", en: "released")
        case "expired": Text(id: "tahanan habis waktu", en: "hold expired")
        default: Text(id: action, en: action)
        }
    }

    public func addressUsage(_ rows: [IPAMStore.Usage]) -> TextTable {
        TextTable([h("pool", "pool"), h("prefiks", "prefix"), h("diberikan", "assigned"), h("ditahan", "held"), h("bebas", "free"),
                   h("terpakai", "used"), ""],
                  rows.map { [$0.pool, $0.prefix, format.number($0.assigned), format.number($0.held), format.count($0.free),
                              format.percent($0.percentUsed), Self.bar($0.percentUsed)] })
    }

    /// `[#####-----]` for a percentage.
    public static func bar(_ percent: Double, width: Int = 20) -> String {
        let filled = min(width, max(0, Int((percent / 100 * Double(width)).rounded())))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    public func addresses(_ rows: [IPAMStore.Allocation]) -> TextTable {
        TextTable([h("alamat", "address"), h("status", "state"), h("pool", "pool"), h("untuk", "owner"), h("nama host", "host"), h("ditahan sampai", "held until")],
                  rows.map { [$0.address.description, Self.addressState($0.state)(language), $0.pool, $0.owner, dash($0.hostname), when($0.heldUntil)] })
    }

    public func addressHistory(_ rows: [IPAMStore.HistoryEntry]) -> TextTable {
        TextTable([h("waktu", "time"), h("tindakan", "action"), h("untuk", "owner"), h("oleh", "by"), h("catatan", "note")],
                  rows.map { [when($0.at), Self.addressAction($0.action)(language), $0.owner, AuditWording.actor($0.by)(language), $0.note ?? ""] })
    }

    public static func changeState(_ state: DNSStore.ChangeState) -> Text {
        switch state {
        case .pending: Text(id: "menunggu", en: "waiting")
        case .pushed: Text(id: "terkirim", en: "pushed")
        case .failed: Text(id: "gagal, dicoba lagi", en: "failed, retried")
        case .superseded: Text(id: "digantikan", en: "superseded")
        }
    }

    /// A zone's serial; 0 is a zone Simpul has not set a serial for yet.
    public func serial(_ serial: UInt32) -> String {
        serial == 0 ? Text(id: "belum ditetapkan", en: "not set yet")(language) : String(serial)
    }

    public func dnsZones(_ rows: [DNSService.ZoneSummary]) -> TextTable {
        TextTable([h("zona", "zone"), h("jenis", "kind"), h("serial", "serial"), h("record", "records"), h("menunggu", "waiting"), h("server", "server"),
                   h("galat terakhir", "last error")],
                  rows.map { [$0.zone.name.description, $0.zone.kind.title(language), serial($0.serial), format.number($0.records), format.number($0.waiting),
                              dash($0.zone.server), $0.lastError.map { $0(language) } ?? "-"] })
    }

    public func dnsRecords(_ rows: [DNSStore.StoredRecord]) -> TextTable {
        TextTable([h("nama", "name"), h("TTL", "TTL"), h("jenis", "type"), h("data", "data"), h("untuk", "owner")],
                  rows.map { [$0.record.name.description, format.exactly($0.record.ttl), $0.record.type.rawValue, $0.record.data, dash($0.owner)] })
    }

    public func dnsChanges(_ rows: [DNSStore.Change]) -> TextTable {
        TextTable([h("#", "#"), h("serial", "serial"), h("status", "state"), h("waktu", "time"), h("oleh", "by"), h("tambah", "added"), h("hapus", "removed"),
                   h("galat", "error")],
                  rows.map { ["#\($0.id)", String($0.serial), Self.changeState($0.state)(language), when($0.requestedAt), AuditWording.actor($0.requestedBy)(language),
                              format.number($0.adds.count), format.number($0.deletes.count), $0.lastError.map { $0(language) } ?? "-"] })
    }

    // MARK: Hosting

    public func hosting(_ rows: [HostingService.Request]) -> TextTable {
        TextTable([h("tiket", "ticket"), h("instansi", "agency"), h("nama host", "host"), h("DNS", "DNS"), h("status", "status"), h("langkah", "step"),
                   h("alamat", "address"), h("rak", "rack"), h("cek bulanan", "monthly check")],
                  rows.map { r in
                      ["#\(r.ticketID)", r.agency, r.form.hostname, r.form.dnsName, r.progress.title(language),
                       r.stepTitle.map { Self.brief($0(language), 30) } ?? "-", dash(r.address),
                       r.rack.map { format.rackPlace($0, position: r.rackPosition ?? 0, heightU: r.form.heightU) } ?? "-",
                       r.checkOverdue ? Text(id: "TERLAMBAT", en: "OVERDUE")(language) : (r.lastCheckAt == nil ? "-" : when(r.lastCheckAt))]
                  })
    }

    /// Racks where a hosted server fits (the technician's check).
    public func rackCandidates(_ rows: [RackCandidate]) -> TextTable {
        TextTable([h("rak", "rack"), h("posisi", "position"), h("U kosong berurutan", "free run"), h("sisa U", "U left"), h("sisa catu A", "feed A left"),
                   h("sisa catu B", "feed B left")],
                  rows.map { [$0.rack, $0.units, "\($0.runLength) U", "\($0.unitsLeftInRun) U",
                              $0.feedALeft.map(format.watts) ?? "-", $0.feedBLeft.map(format.watts) ?? "-"] })
    }

    /// One request as lines (`hosting show` and after each step).
    public func hostingRequest(_ r: HostingService.Request) -> [String] {
        let t = { (id: String, en: String) in Text(id: id, en: en)(language) }
        var lines = ["#\(r.ticketID) \(r.form.hostname) (\(r.form.dnsName)) — \(r.agency) \(r.agencyName) — \(r.progress.title(language))"]
        lines.append("  \(t("surat", "letter")): \(r.form.letterNumber), \(r.form.letterDate), \(r.form.letterSignedBy); \(t("kontak", "contact")): \(r.form.contactName)")
        var server = "  server: \(r.form.formFactor.title(language)) \(r.form.heightU) U, \(HostingService.perFeed(r.form.powerWatts, format)), "
        server += "\(format.number(r.form.networkPorts)) port"
        if let os = r.form.os { server += ", \(os)" }
        lines.append(server + "; \(r.form.application)")
        let addressState = r.addressState.flatMap(IPAMStore.State.init(rawValue:)).map { Self.addressState($0)(language) }
        lines.append("  \(t("alamat", "address")): \(dash(r.address))\(addressState.map { " (\($0), pool \(r.pool ?? "-"))" } ?? "")")
        if let device = r.device {
            lines.append("  \(t("perangkat", "device")): \(device), \(r.rack.map { format.rackPlace($0, position: r.rackPosition ?? 0, heightU: r.form.heightU) } ?? "-")"
                         + "; \(t("dipantau", "monitored")): \(format.yesNo(r.monitored))")
        }
        if let title = r.stepTitle { lines.append("  \(t("langkah", "step")): \(title(language))") }
        if let check = r.lastCheckAt {
            lines.append("  \(t("cek terakhir", "last check")): \(when(check)) \(t("oleh", "by")) \(r.lastCheckBy.map { AuditWording.actor($0)(language) } ?? "-")"
                         + (r.checkOverdue ? "  \(t("TERLAMBAT", "OVERDUE"))" : ""))
        }
        if let error = r.lastError { lines.append("  \(t("galat", "error")): \(error(language))") }
        return lines
    }

    // MARK: Tickets

    /// On time / due soon / late from the stored deadlines, or the status when not running.
    public static func standing(_ row: TicketStore.Summary, now: Date) -> Text {
        guard let state = row.lateness(now: now) else { return row.status.title }
        if row.status == .held { return Text(id: "ditahan, \(state.title.id.lowercased())", en: "held, \(state.title.en.lowercased())") }
        return state.title
    }

    /// The ticket list: titles, not ids (`--json` keeps the ids).
    public func tickets(_ rows: [TicketStore.Summary], playbooks: [String: Playbook], now: Date) -> TextTable {
        TextTable([h("#", "#"), h("layanan", "service"), h("perihal", "subject"), h("instansi", "agency"), h("langkah", "step"), h("petugas", "assignee"),
                   h("status", "status"), h("jatuh tempo", "due")],
                  rows.map { row in
                      let playbook = playbooks[Playbook.versionKey(id: row.playbookID, version: row.playbookVersion)]
                      let step = row.currentStep.map { id in playbook?.step(id)?.title(language) ?? id }
                      return ["#\(row.id)", Self.brief(playbook?.title(language) ?? row.playbookID, 30), Self.brief(row.subject, 40), dash(row.agencyCode),
                              step.map { Self.brief($0, 40) } ?? "-", dash(row.assignee), Self.standing(row, now: now)(language), when(row.dueAt)]
                  })
    }
}
