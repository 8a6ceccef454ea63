import Foundation
import GRDB
import SimpulCore
@_spi(Raw) import SimpulStore

/// Server hosting intake (SOP "Pelayanan Penitipan Server" with SOP 14's IP/DNS and monitoring
/// steps): an agency's request runs on the `hosting-intake` playbook. Filing holds an address for the
/// request; the admin's step assigns it and publishes its DNS names; the technician racks the server
/// where it fits; the monitoring step enrols it. Each action is one transaction with the ticket's step.
public struct HostingService: Sendable {
    let simpul: Simpul

    public static let playbookID = "hosting-intake"
    /// The agency checks its server at least monthly (the SOP's second rule).
    public static let checkInterval: TimeInterval = 31 * 86_400

    /// The one reading of a typed address scope (private or public), for the form and the CLI.
    public static func addressScope(_ text: String) throws -> PoolScope {
        guard let scope = PoolScope(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ServiceError(.invalid, Text(id: "cakupan alamat harus private atau public", en: "the address scope must be private or public"))
        }
        return scope
    }

    public enum FormFactor: String, Sendable, Codable, CaseIterable {
        case rack, tower, blade

        /// The one reading of a typed form factor, for the form and the CLI alike: nothing is
        /// silently taken for rack-mount.
        public static func parse(_ text: String) throws -> FormFactor {
            guard let found = FormFactor(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ServiceError(.invalid, Text(id: "bentuk server harus rack, tower atau blade", en: "the form factor must be rack, tower or blade"))
            }
            return found
        }

        public var title: Text {
            switch self {
            case .rack: Text(id: "Rak (rack-mount)", en: "Rack-mount")
            case .tower: Text(id: "Tower", en: "Tower")
            case .blade: Text(id: "Blade", en: "Blade")
            }
        }
    }

    /// What a server draws on each power feed: `450 W per catu daya` / `450 W per feed`.
    public static func perFeed(_ watts: Int, _ format: Format) -> String {
        format.watts(watts) + (format.language == .id ? " per catu daya" : " per feed")
    }

    /// What the request letter and its form say.
    public struct Form: Sendable, Codable {
        public var agency: String?
        public var letterNumber: String
        public var letterDate: String
        public var letterSignedBy: String
        public var contactName: String
        public var contactPhone: String?
        public var contactEmail: String?
        public var hostname: String
        /// The name asked for under the district's domain (a bare label gets the domain added).
        public var dnsName: String
        public var formFactor: FormFactor
        public var heightU: Int
        public var depthMM: Int?
        /// What the server draws, in watts, on each feed.
        public var powerWatts: Int
        public var networkPorts: Int
        public var os: String?
        public var application: String
        public var addressScope: PoolScope

        public init(agency: String? = nil, letterNumber: String, letterDate: String, letterSignedBy: String, contactName: String,
                    contactPhone: String? = nil, contactEmail: String? = nil, hostname: String, dnsName: String, formFactor: FormFactor = .rack,
                    heightU: Int, depthMM: Int? = nil, powerWatts: Int, networkPorts: Int = 1, os: String? = nil, application: String,
                    addressScope: PoolScope = .private) {
            self.agency = agency
            self.letterNumber = letterNumber
            self.letterDate = letterDate
            self.letterSignedBy = letterSignedBy
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.contactEmail = contactEmail
            self.hostname = hostname
            self.dnsName = dnsName
            self.formFactor = formFactor
            self.heightU = heightU
            self.depthMM = depthMM
            self.powerWatts = powerWatts
            self.networkPorts = networkPorts
            self.os = os
            self.application = application
            self.addressScope = addressScope
        }
    }

    public enum State: String, Sendable, Codable { case requested, placed, cancelled, decommissioned }

    /// Where a request stands as people follow it, from what has happened to it: filed with an address
    /// held → the address assigned and its DNS published → installed in a rack → monitored and in use
    /// (placed); or cancelled, or decommissioned. `State` is the stored lifecycle; this is what is shown.
    public enum Progress: String, Sendable, Codable, CaseIterable {
        case requested, addressHeld, addressAssigned, published, installed, placed, cancelled, decommissioned

        public var title: Text {
            switch self {
            case .requested: Text(id: "Diajukan", en: "Requested")
            case .addressHeld: Text(id: "Diajukan, alamat ditahan", en: "Requested, address held")
            case .addressAssigned: Text(id: "Alamat diberikan, DNS belum terbit", en: "Address assigned, DNS not published yet")
            case .published: Text(id: "Alamat dan DNS terbit", en: "Address and DNS published")
            case .installed: Text(id: "Terpasang di rak", en: "Installed in the rack")
            case .placed: Text(id: "Dititipkan dan dipantau", en: "Placed and monitored")
            case .cancelled: Text(id: "Dibatalkan", en: "Cancelled")
            case .decommissioned: Text(id: "Dibongkar", en: "Decommissioned")
            }
        }

        /// The progress of a request in `state`, its address in `addressState` (`held`, `assigned` or
        /// none), racked or not, on `step` (the admin's step until its DNS is confirmed).
        public static func of(state: State, addressState: String?, installed: Bool, step: String?) -> Progress {
            switch state {
            case .cancelled: return .cancelled
            case .decommissioned: return .decommissioned
            case .placed: return .placed
            case .requested:
                if installed { return .installed }
                switch addressState {
                case "assigned": return step == Action.allocate.step ? .addressAssigned : .published
                case "held": return .addressHeld
                default: return .requested
                }
            }
        }
    }

    /// What can be done with a request, and who may: the rule the service enforces and the pages show.
    public enum Action: Sendable, CaseIterable {
        case file, allocate, install, monitor, checkIn, decommission

        /// The playbook step the action completes, for the actions that are a step.
        public var step: String? {
            switch self {
            case .allocate: "allocate_ip_dns"
            case .install: "install"
            case .monitor: "monitoring"
            case .file, .checkIn, .decommission: nil
            }
        }

        /// Whether `principal`'s role may take this action at all.
        public func allowed(for principal: Principal) -> Bool {
            switch self {
            case .file: [.agency, .clerk, .admin].contains(principal.role)
            case .allocate: principal.can(.manageAddresses) && principal.can(.manageDNS)
            case .install, .monitor: [.technician, .admin].contains(principal.role)
            case .checkIn: [.agency, .technician, .admin].contains(principal.role)
            case .decommission: principal.can(.manageAddresses)
            }
        }

        /// Whether `principal` may take it on `request` now: its role, and the request's step or state.
        public func available(for principal: Principal, on request: Request) -> Bool {
            guard allowed(for: principal) else { return false }
            switch self {
            case .file: return false
            case .allocate, .install, .monitor: return request.step == step
            case .checkIn, .decommission: return request.state == .placed
            }
        }

        var refusal: Text {
            switch self {
            case .file: Text(id: "permohonan diajukan oleh OPD, petugas administrasi atau admin", en: "requests are filed by an agency, a clerk or an admin")
            case .allocate: Text(id: "hanya admin yang memberikan alamat dan DNS", en: "only an admin gives addresses and DNS")
            case .install: Text(id: "pemasangan dilakukan teknisi atau admin", en: "installing is done by a technician or an admin")
            case .monitor: Text(id: "pemantauan didaftarkan teknisi atau admin", en: "monitoring is enrolled by a technician or an admin")
            case .checkIn: Text(id: "cek bulanan dicatat OPD, teknisi atau admin", en: "monthly checks are recorded by the agency, a technician or an admin")
            case .decommission: Text(id: "hanya admin yang membongkar server", en: "only an admin decommissions a server")
            }
        }

        /// Throws the refusal when `principal`'s role may not take this action.
        func require(_ principal: Principal) throws {
            guard allowed(for: principal) else { throw ServiceError(.forbidden, refusal) }
        }
    }

    /// A request as stored, with where it stands.
    public struct Request: Sendable, Codable {
        public var id: Int64
        public var ticketID: Int64
        public var agency: String
        public var agencyName: String
        public var state: State
        public var form: Form
        public var pool: String?
        public var address: String?
        public var addressState: String?
        public var device: String?
        public var rack: String?
        public var rackPosition: Int?
        public var monitored: Bool
        public var lastError: Text?
        public var lastCheckAt: String?
        public var lastCheckBy: String?
        public var createdAt: String
        public var decommissionedAt: String?
        /// The step the ticket is on (nil once it is closed).
        public var step: String?
        /// More than a month since the agency last checked its placed server (or since it was placed).
        public var checkOverdue: Bool
        /// Where it stands, as shown (`Progress.title`).
        public var progress: Progress = .requested
        /// The title of the step the ticket is on, in the ticket's playbook version.
        public var stepTitle: Text?
    }

    // MARK: Filing

    /// Files a request: validates the form, opens the ticket on the hosting-intake playbook, and holds
    /// an address for it in the hosting pool of the asked scope. An agency user files for its own agency.
    public func file(_ form: Form, by principal: Principal) throws -> Request {
        try Action.file.require(principal)
        let now = simpul.now()
        let id = try simpul.database.rawWrite { db -> Int64 in
            var form = form
            let agencyCode = principal.role == .agency ? principal.agencyCode : form.agency?.uppercased()
            guard let agencyCode, !agencyCode.isEmpty else {
                throw ServiceError(.invalid, Text(id: "pilih perangkat daerah pemohon", en: "choose the requesting agency"))
            }
            form.agency = agencyCode
            try Self.validate(&form, db)
            let agencyID = try simpul.tickets.agencyID(db, code: agencyCode)
            let subject = "Penitipan server \(form.hostname) (\(form.dnsName))"
            let ticketID = try simpul.tickets.open(db, playbook: Self.playbookID, subject: subject, agency: agencyCode, priority: .normal,
                                                   assignee: nil, note: "Surat \(form.letterNumber) tanggal \(form.letterDate), \(form.letterSignedBy)",
                                                   filedByAgency: true, by: principal, now: now)
            let pool = try Self.hostingPool(db, scope: form.addressScope)
            do {
                try db.execute(sql: """
                    INSERT INTO hosting_requests (ticket_id, agency_id, state, letter_number, letter_date, letter_signed_by, contact_name, contact_phone,
                      contact_email, hostname, dns_name, form_factor, height_u, depth_mm, power_watts, network_ports, os, application, address_scope,
                      pool, created_at, updated_at)
                    VALUES (?, ?, 'requested', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [ticketID, agencyID, form.letterNumber, form.letterDate, form.letterSignedBy, form.contactName, form.contactPhone,
                                     form.contactEmail, form.hostname, form.dnsName, form.formFactor.rawValue, form.heightU, form.depthMM, form.powerWatts,
                                     form.networkPorts, form.os, form.application, form.addressScope.rawValue, pool.pool.name,
                                     Timestamp.string(now), Timestamp.string(now)])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw ServiceError(.conflict, Text(id: "sudah ada permohonan atau server aktif dengan nama \(form.hostname) atau \(form.dnsName)",
                                                   en: "a live request or server already uses the name \(form.hostname) or \(form.dnsName)"))
            }
            var audit = try AuditWriter(db, actor: principal.username, now: now)
            try Self.holdAddress(db, ticketID: ticketID, pool: pool.pool.name, hostname: form.hostname,
                                 note: "permohonan penitipan server / hosting request #\(ticketID)", by: principal, now: now, audit: &audit)
            try audit.record(action: "hosting.file", objectType: "ticket", objectKey: "#\(ticketID)", after: form)
            try audit.close()
            return ticketID
        }
        return try request(ticket: id, by: principal)
    }

    static func validate(_ form: inout Form, _ db: Database) throws {
        func text(_ value: String, _ what: Text, max: Int = 200) throws -> String {
            let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !v.isEmpty, v.count <= max else {
                throw ServiceError(.invalid, Text(id: "isi \(what.id) (paling panjang \(max) karakter)", en: "fill in \(what.en) (at most \(max) characters)"))
            }
            return v
        }
        try ServiceError.limit(form.contactPhone, Text(id: "telepon kontak", en: "the contact's phone"), 50)
        try ServiceError.limit(form.contactEmail, Text(id: "email kontak", en: "the contact's email"), 254)
        try ServiceError.limit(form.os, Text(id: "sistem operasi", en: "the operating system"), Limits.name)
        try ServiceError.limit(form.dnsName, Text(id: "nama DNS", en: "the DNS name"), 253)
        form.letterNumber = try text(form.letterNumber, Text(id: "nomor surat permohonan", en: "the request letter's number"))
        form.letterSignedBy = try text(form.letterSignedBy, Text(id: "penanda tangan surat", en: "who signed the letter"))
        form.contactName = try text(form.contactName, Text(id: "nama kontak", en: "the contact's name"))
        form.application = try text(form.application, Text(id: "aplikasi yang dilayani server", en: "the application the server runs"), max: 500)
        form.letterDate = form.letterDate.trimmingCharacters(in: .whitespaces)
        guard WorkCalendar.dayNumber(form.letterDate) != nil, form.letterDate.count == 10 else {
            throw ServiceError(.invalid, Text(id: "tanggal surat \"\(form.letterDate)\" harus TTTT-BB-HH", en: "the letter date \"\(form.letterDate)\" must be YYYY-MM-DD"))
        }
        form.hostname = form.hostname.trimmingCharacters(in: .whitespaces).lowercased()
        if let problem = DomainName.labelProblem(form.hostname) {
            throw ServiceError(.invalid, Text(id: "nama host \"\(form.hostname)\": \(problem.text.id)", en: "host name \"\(form.hostname)\": \(problem.text.en)"))
        }
        var dns = form.dnsName.trimmingCharacters(in: .whitespaces).lowercased()
        if dns.hasSuffix(".") { dns.removeLast() }
        if !dns.contains("."), let domain = try InventoryStore.district(db)?.domain { dns += ".\(domain)" }
        switch try DNSService.nameStatus(db, dns) {
        case .free(let zone):
            guard try DNSStore.zone(db, named: DomainName(zone)!)?.zone.kind == .forward else { throw DNSService.outside(dns) }
            form.dnsName = DomainName(dns)!.description
        case let status: throw ServiceError(status.isFree ? .invalid : .conflict, status.text)
        }
        guard (1...60).contains(form.heightU) else {
            throw ServiceError(.invalid, Text(id: "tinggi server \(form.heightU)U di luar 1–60U", en: "server height \(form.heightU)U is outside 1–60U"))
        }
        guard (1...20_000).contains(form.powerWatts) else {
            throw ServiceError(.invalid, Text(id: "daya \(form.powerWatts) W di luar 1–20 000 W per feed", en: "power \(form.powerWatts) W is outside 1–20,000 W per feed"))
        }
        guard (1...64).contains(form.networkPorts) else {
            throw ServiceError(.invalid, Text(id: "jumlah port jaringan harus 1–64", en: "network ports must be 1–64"))
        }
        if let depth = form.depthMM, !(100...1500).contains(depth) {
            throw ServiceError(.invalid, Text(id: "kedalaman \(depth) mm di luar 100–1500 mm", en: "depth \(depth) mm is outside 100–1500 mm"))
        }
        if let email = form.contactEmail?.nilIfEmpty, !(email.contains("@") && email.contains(".")) {
            throw ServiceError(.invalid, Text(id: "email kontak \"\(email)\" tidak sah", en: "contact email \"\(email)\" is not valid"))
        }
        form.contactPhone = form.contactPhone?.nilIfEmpty
        form.contactEmail = form.contactEmail?.nilIfEmpty
        form.os = form.os?.nilIfEmpty
        if try Int.fetchOne(db, sql: "SELECT 1 FROM devices WHERE name = ?", arguments: [form.hostname]) != nil {
            throw ServiceError(.conflict, Text(id: "sudah ada perangkat bernama \(form.hostname); pilih nama host lain", en: "a device named \(form.hostname) already exists; choose another host name"))
        }
    }

    /// The pool a hosted server of `scope` draws from: the IPv4 hosting pool of that scope with the
    /// most room (IPv6 is added by hand with `simpul ip assign` and `simpul dns add`).
    static func hostingPool(_ db: Database, scope: PoolScope) throws -> IPAMStore.PoolRow {
        let usage = Dictionary(try IPAMStore.usage(db).map { ($0.pool, $0) }, uniquingKeysWith: { a, _ in a })
        let candidates = try InventoryStore.pools(db).filter { $0.hosting && $0.scope == scope && $0.prefix.family == .v4 }
        guard let best = candidates.max(by: { (usage[$0.name]?.free ?? 0) < (usage[$1.name]?.free ?? 0) }),
              let row = try IPAMStore.pool(db, name: best.name) else {
            throw ServiceError(.invalid, Text(id: "tidak ada pool IPv4 \(scope.rawValue) dengan hosting: true di inventaris (pools.yaml)",
                                              en: "no \(scope.rawValue) IPv4 pool has hosting: true in the inventory (pools.yaml)"))
        }
        return row
    }

    // MARK: Reading

    static let select = """
        SELECT h.*, a.code AS agency_code, a.name AS agency_name, d.name AS device_name, r.code AS rack_code, d.rack_position,
          (SELECT state FROM ip_addresses i JOIN pools p ON p.id = i.pool_id WHERE p.name = h.pool AND i.address = h.address) AS address_state,
          (SELECT current_step FROM tickets t WHERE t.id = h.ticket_id AND t.status IN ('open', 'held')) AS step,
          (SELECT playbook_version FROM tickets t WHERE t.id = h.ticket_id) AS playbook_version,
          (SELECT COUNT(*) FROM monitor_targets m WHERE m.device_id = h.device_id) AS monitored
        FROM hosting_requests h JOIN agencies a ON a.id = h.agency_id
        LEFT JOIN devices d ON d.id = h.device_id LEFT JOIN racks r ON r.id = d.rack_id
        """

    /// A request from its row; `playbooks` keeps the hosting playbook's versions read so far.
    func row(_ row: Row, now: Date, _ db: Database, playbooks: inout [Int: Playbook]) throws -> Request {
        let form = Form(agency: row["agency_code"], letterNumber: row["letter_number"], letterDate: row["letter_date"], letterSignedBy: row["letter_signed_by"],
                        contactName: row["contact_name"], contactPhone: row["contact_phone"], contactEmail: row["contact_email"], hostname: row["hostname"],
                        dnsName: row["dns_name"], formFactor: FormFactor(rawValue: row["form_factor"]) ?? .rack, heightU: row["height_u"],
                        depthMM: row["depth_mm"], powerWatts: row["power_watts"], networkPorts: row["network_ports"], os: row["os"],
                        application: row["application"], addressScope: PoolScope(rawValue: row["address_scope"]) ?? .private)
        let state = State(rawValue: row["state"]) ?? .requested
        let lastCheck = (row["last_check_at"] as String?).flatMap(Timestamp.date) ?? (row["updated_at"] as String?).flatMap(Timestamp.date) ?? now
        let step: String? = row["step"]
        var stepTitle: Text?
        if let step, let version = row["playbook_version"] as Int? {
            if playbooks[version] == nil { playbooks[version] = try PlaybookStore.load(db, id: Self.playbookID, version: version)?.playbook }
            stepTitle = playbooks[version]?.step(step)?.title
        }
        var request = Request(id: row["id"], ticketID: row["ticket_id"], agency: row["agency_code"], agencyName: row["agency_name"], state: state, form: form,
                       pool: row["pool"], address: row["address"], addressState: row["address_state"], device: row["device_name"], rack: row["rack_code"],
                       rackPosition: row["rack_position"], monitored: (row["monitored"] as Int) > 0,
                       lastError: try (row["last_error"] as String?).map { try StoredJSON.decode(Text.self, from: $0) },
                       lastCheckAt: row["last_check_at"], lastCheckBy: row["last_check_by"], createdAt: row["created_at"],
                       decommissionedAt: row["decommissioned_at"], step: row["step"],
                       checkOverdue: state == .placed && now.timeIntervalSince(lastCheck) > Self.checkInterval)
        request.progress = .of(state: state, addressState: request.addressState, installed: request.device != nil, step: step)
        request.stepTitle = stepTitle
        return request
    }

    public func request(ticket ticketID: Int64, by principal: Principal) throws -> Request {
        let now = simpul.now()
        return try simpul.database.rawRead { db in
            guard let found = try Row.fetchOne(db, sql: "\(Self.select) WHERE h.ticket_id = ?", arguments: [ticketID]).map({ var cache: [Int: Playbook] = [:]; return try row($0, now: now, db, playbooks: &cache) }) else {
                throw Self.notFound(ticketID)
            }
            guard principal.can(.viewEstate) || (principal.role == .agency && principal.agencyCode == found.agency) else { throw Self.notFound(ticketID) }
            return found
        }
    }

    /// Requests and hosted servers; an agency user sees its own agency's only.
    public func list(agency: String? = nil, state: State? = nil, by principal: Principal) throws -> [Request] {
        let now = simpul.now()
        let agency = principal.role == .agency ? principal.agencyCode : agency?.uppercased()
        guard principal.role == .agency || principal.can(.viewEstate) else { throw ServiceError.forbidden(.viewEstate) }
        return try simpul.database.rawRead { db in
            var cache: [Int: Playbook] = [:]
            return try Row.fetchAll(db, sql: "\(Self.select) WHERE (?1 IS NULL OR a.code = ?1) AND (?2 IS NULL OR h.state = ?2) ORDER BY h.id DESC",
                             arguments: [agency, state?.rawValue]).map { try row($0, now: now, db, playbooks: &cache) }
        }
    }

    /// What the technician checks before installing, computed from the inventory: racks with room
    /// and power (best fit first), the pool and the address, and whether the DNS name is still free.
    public struct Check: Sendable {
        public var request: Request
        public var racks: [RackCandidate]
        public var address: String?
        public var addressNote: Text
        /// The name as DNS has it: free, taken, outside the zones.
        public var dnsName: DNSService.NameStatus
        /// The name holds this request's own address records, and only those: published for it.
        public var dnsPublished: Bool
        /// What to tell the reader about the name: published for this request, or its status.
        public var dnsNote: Text {
            guard dnsPublished, case .taken(let records) = dnsName else { return dnsName.text }
            let shown = records.map(\.description).joined(separator: "; ")
            if request.progress == .addressAssigned {
                return Text(id: "dicatat untuk permohonan ini, menunggu server DNS: \(shown)", en: "recorded for this request, waiting for the DNS server: \(shown)")
            }
            return Text(id: "sudah terbit untuk permohonan ini: \(shown)", en: "published for this request: \(shown)")
        }
    }

    public func check(ticket ticketID: Int64, by principal: Principal) throws -> Check {
        let request = try request(ticket: ticketID, by: principal)
        return try simpul.database.rawRead { db in
            let racks = RackFit.candidates(try Self.rackSpaces(db), heightU: request.form.heightU, watts: request.form.powerWatts)
            let addressNote: Text = switch request.addressState {
            case "held": Text(id: "ditahan untuk permohonan ini di pool \(request.pool ?? "-")", en: "held for this request in pool \(request.pool ?? "-")")
            case "assigned": Text(id: "diberikan di pool \(request.pool ?? "-")", en: "assigned in pool \(request.pool ?? "-")")
            default: Text(id: "belum ada alamat; tahanan habis atau dilepas — admin akan mengambil alamat berikutnya", en: "no address yet; the hold lapsed or was released — the admin takes the next one")
            }
            let dns = try DNSService.nameStatus(db, request.form.dnsName)
            var published = false
            if case .taken(let records) = dns, let address = request.address, request.addressState == "assigned" {
                published = records.allSatisfy { ($0.type == .a || $0.type == .aaaa) && $0.data == address }
            }
            return Check(request: request, racks: racks, address: request.address, addressNote: addressNote, dnsName: dns, dnsPublished: published)
        }
    }

    static func rackSpaces(_ db: Database) throws -> [RackSpace] {
        let devices = Dictionary(grouping: try Row.fetchAll(db, sql: """
            SELECT rack_id, rack_position, COALESCE(height_u, 1) AS height_u, COALESCE(power_watts, 0) AS power_watts FROM devices WHERE rack_id IS NOT NULL
            """), by: { $0["rack_id"] as Int64 })
        return try Row.fetchAll(db, sql: "SELECT id, code, height_u, feed_a_watts, feed_b_watts FROM racks ORDER BY code").map { rack in
            let racked = devices[rack["id"]] ?? []
            return RackSpace(code: rack["code"], heightU: rack["height_u"], feedAWatts: rack["feed_a_watts"], feedBWatts: rack["feed_b_watts"],
                             occupied: racked.map { ($0["rack_position"], $0["height_u"]) },
                             loadPerFeedWatts: racked.reduce(0) { $0 + ($1["power_watts"] as Int) })
        }
    }

    // MARK: Helpers

    static func notFound(_ ticketID: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "tidak ada permohonan penitipan server pada tiket #\(ticketID)", en: "ticket #\(ticketID) is not a server hosting request"))
    }

    /// Called when a ticket is cancelled, in its transaction: the request's address hold is given back.
    /// The request's ticket was cancelled: what it holds is given back in the ticket's transaction
    /// (see `takeOut`). Returns the DNS change sets to push after the commit.
    static func requestCancelled(_ db: Database, ticketID: Int64, by: String, now: Date, timeZone: TimeZone, audit: inout AuditWriter) throws -> [Int64] {
        guard let state = try String.fetchOne(db, sql: "SELECT state FROM hosting_requests WHERE ticket_id = ?", arguments: [ticketID]),
              state == State.requested.rawValue || state == State.placed.rawValue else { return [] }
        return try takeOut(db, ticketID: ticketID, reason: "permohonan dibatalkan / request cancelled (#\(ticketID))", state: .cancelled,
                           by: by, now: now, timeZone: timeZone, audit: &audit).1
    }

    /// The request's cancelled ticket was reopened: the request is live again and an address is held
    /// for it anew, in the ticket's transaction. Refused when its names were taken in the meantime.
    static func requestReopened(_ db: Database, ticketID: Int64, by principal: Principal, now: Date, audit: inout AuditWriter) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT hostname, dns_name, pool FROM hosting_requests WHERE ticket_id = ? AND state = 'cancelled'",
                                         arguments: [ticketID]) else { return }
        let hostname: String = row["hostname"], dnsName: String = row["dns_name"]
        do {
            try db.execute(sql: "UPDATE hosting_requests SET state = 'requested', address = NULL, last_error = NULL, updated_at = ? WHERE ticket_id = ?",
                           arguments: [Timestamp.string(now), ticketID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw ServiceError(.conflict, Text(id: "tiket tidak bisa dibuka lagi: nama \(hostname) atau \(dnsName) kini dipakai permohonan atau server lain",
                                               en: "the ticket cannot be reopened: the name \(hostname) or \(dnsName) is now used by another request or server"))
        }
        guard let pool: String = row["pool"] else { return }
        let held = try holdAddress(db, ticketID: ticketID, pool: pool, hostname: hostname,
                                   note: "permohonan penitipan server dibuka lagi / hosting request reopened #\(ticketID)", by: principal, now: now, audit: &audit)
        try audit.record(action: "hosting.reopen", objectType: "ticket", objectKey: "#\(ticketID)", after: ["address": held.description])
    }

    /// Holds the next free address of `pool` for the request's ticket and notes it on the request.
    @discardableResult
    static func holdAddress(_ db: Database, ticketID: Int64, pool: String, hostname: String, note: String, by principal: Principal, now: Date,
                            audit: inout AuditWriter) throws -> IPAddress {
        let held = try IPAMService.allocate(db, IPAMService.Request(pool: pool, owner: "ticket:\(ticketID)", hostname: hostname, note: note),
                                            as: .held, by: principal, now: now, audit: &audit)
        try db.execute(sql: "UPDATE hosting_requests SET address = ? WHERE ticket_id = ?", arguments: [held.address.description, ticketID])
        return held.address
    }
}

extension Simpul {
    public var hosting: HostingService { HostingService(simpul: self) }
}
