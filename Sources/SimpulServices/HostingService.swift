import Foundation
import SimpulCore
import SimpulStore

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

    /// The stored lifecycle of a request.
    public typealias State = HostingStore.State

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

        /// The action as a step's `done_by` names it (`hosting.allocate`).
        var name: String {
            switch self {
            case .file: "file"
            case .allocate: "allocate"
            case .install: "install"
            case .monitor: "monitor"
            case .checkIn: "check"
            case .decommission: "decommission"
            }
        }

        /// Whether `principal`'s role may take this action at all. For the actions that are a step,
        /// what hosting itself asks, on top of the step's actor rule (see `available`).
        public func allowed(for principal: Principal) -> Bool {
            switch self {
            case .file: [.agency, .clerk, .admin].contains(principal.role)
            case .allocate: principal.can(.manageAddresses) && principal.can(.manageDNS)
            case .install, .monitor: [.technician, .supervisor, .head, .admin].contains(principal.role)
            case .checkIn: [.agency, .technician, .admin].contains(principal.role)
            case .decommission: principal.can(.manageAddresses)
            }
        }

        /// Whether `principal` may take it on `request` now: its role, and the request's step or state.
        public func available(for principal: Principal, on request: Request) -> Bool {
            guard allowed(for: principal) else { return false }
            switch self {
            case .file: return false
            case .allocate, .install, .monitor:
                guard request.step == step, let actor = request.stepActor else { return false }
                return TicketModules.mayDo("hosting.\(name)", principal, actor: actor, agency: request.agency)
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
        /// Who does the current step, by the playbook (what `Action.available` asks with the module's own rule).
        public var stepActor: StepActor?
    }

    // MARK: Filing

    /// Files a request: validates the form, opens the ticket on the hosting-intake playbook, and holds
    /// an address for it in the hosting pool of the asked scope. An agency user files for its own agency.
    public func file(_ form: Form, by principal: Principal) throws -> Request {
        try Action.file.require(principal)
        let id = try simpul.database.write(as: principal.username, at: simpul.now()) { tx -> Int64 in
            var form = form
            let agencyCode = principal.role == .agency ? principal.agencyCode : form.agency?.uppercased()
            guard let agencyCode, !agencyCode.isEmpty else {
                throw ServiceError(.invalid, Text(id: "pilih perangkat daerah pemohon", en: "choose the requesting agency"))
            }
            form.agency = agencyCode
            try Self.validate(&form, tx)
            let agencyID = try simpul.tickets.agencyID(tx, code: agencyCode)
            let subject = "Penitipan server \(form.hostname) (\(form.dnsName))"
            let ticketID = try simpul.tickets.open(tx, playbook: Self.playbookID, subject: subject, agency: agencyCode, priority: .normal,
                                                   assignee: nil, note: "Surat \(form.letterNumber) tanggal \(form.letterDate), \(form.letterSignedBy)",
                                                   filedByAgency: true, by: principal, now: tx.now)
            let pool = try Self.hostingPool(tx, scope: form.addressScope)
            do {
                try HostingStore.insert(tx, HostingStore.NewRequest(
                    ticketID: ticketID, agencyID: agencyID, letterNumber: form.letterNumber, letterDate: form.letterDate,
                    letterSignedBy: form.letterSignedBy, contactName: form.contactName, contactPhone: form.contactPhone,
                    contactEmail: form.contactEmail, hostname: form.hostname, dnsName: form.dnsName, formFactor: form.formFactor.rawValue,
                    heightU: form.heightU, depthMM: form.depthMM, powerWatts: form.powerWatts, networkPorts: form.networkPorts, os: form.os,
                    application: form.application, addressScope: form.addressScope, pool: pool.pool.name), now: tx.now)
            } catch is StoreConflict {
                throw ServiceError(.conflict, Text(id: "sudah ada permohonan atau server aktif dengan nama \(form.hostname) atau \(form.dnsName)",
                                                   en: "a live request or server already uses the name \(form.hostname) or \(form.dnsName)"))
            }
            try Self.holdAddress(tx, ticketID: ticketID, pool: pool.pool.name, hostname: form.hostname,
                                 note: "permohonan penitipan server / hosting request #\(ticketID)")
            try tx.audit("hosting.file", "ticket", "#\(ticketID)", after: form)
            return ticketID
        }
        return try request(ticket: id, by: principal)
    }

    static func validate(_ form: inout Form, _ reader: Reader) throws {
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
        if !dns.contains("."), let domain = try HostingStore.districtDomain(reader) { dns += ".\(domain)" }
        switch try DNSService.nameStatus(reader, dns) {
        case .free(let zone):
            guard try DNSStore.zone(reader, named: DomainName(zone)!)?.zone.kind == .forward else { throw DNSService.outside(dns) }
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
        if try HostingStore.deviceExists(reader, name: form.hostname) {
            throw ServiceError(.conflict, Text(id: "sudah ada perangkat bernama \(form.hostname); pilih nama host lain", en: "a device named \(form.hostname) already exists; choose another host name"))
        }
    }

    /// The pool a hosted server of `scope` draws from: the IPv4 hosting pool of that scope with the
    /// most room (IPv6 is added by hand with `simpul ip assign` and `simpul dns add`).
    static func hostingPool(_ reader: Reader, scope: PoolScope) throws -> IPAMStore.PoolRow {
        let usage = Dictionary(try IPAMStore.usage(reader).map { ($0.pool, $0) }, uniquingKeysWith: { a, _ in a })
        let candidates = try IPAMStore.pools(reader).filter { $0.hosting && $0.scope == scope && $0.prefix.family == .v4 }
        guard let best = candidates.max(by: { (usage[$0.name]?.free ?? 0) < (usage[$1.name]?.free ?? 0) }),
              let row = try IPAMStore.pool(reader, name: best.name) else {
            throw ServiceError(.invalid, Text(id: "tidak ada pool IPv4 \(scope.rawValue) dengan hosting: true di inventaris (pools.yaml)",
                                              en: "no \(scope.rawValue) IPv4 pool has hosting: true in the inventory (pools.yaml)"))
        }
        return row
    }

    // MARK: Reading

    /// A request from its stored row; `playbooks` keeps the hosting playbook's versions read so far.
    static func request(_ stored: HostingStore.Stored, now: Date, _ reader: Reader, playbooks: inout [Int: Playbook]) throws -> Request {
        let form = Form(agency: stored.agencyCode, letterNumber: stored.letterNumber, letterDate: stored.letterDate, letterSignedBy: stored.letterSignedBy,
                        contactName: stored.contactName, contactPhone: stored.contactPhone, contactEmail: stored.contactEmail, hostname: stored.hostname,
                        dnsName: stored.dnsName, formFactor: FormFactor(rawValue: stored.formFactor) ?? .rack, heightU: stored.heightU,
                        depthMM: stored.depthMM, powerWatts: stored.powerWatts, networkPorts: stored.networkPorts, os: stored.os,
                        application: stored.application, addressScope: stored.addressScope)
        let lastCheck = stored.lastCheckAt.flatMap(Timestamp.date) ?? stored.updatedAt.flatMap(Timestamp.date) ?? now
        var stepTitle: Text?
        var stepActor: StepActor?
        if let step = stored.step, let version = stored.playbookVersion {
            if playbooks[version] == nil { playbooks[version] = try PlaybookStore.load(reader, id: Self.playbookID, version: version)?.playbook }
            stepTitle = playbooks[version]?.step(step)?.title
            stepActor = playbooks[version]?.step(step)?.actor
        }
        var request = Request(id: stored.id, ticketID: stored.ticketID, agency: stored.agencyCode, agencyName: stored.agencyName, state: stored.state,
                              form: form, pool: stored.pool, address: stored.address, addressState: stored.addressState, device: stored.deviceName,
                              rack: stored.rackCode, rackPosition: stored.rackPosition, monitored: stored.monitored, lastError: stored.lastError,
                              lastCheckAt: stored.lastCheckAt, lastCheckBy: stored.lastCheckBy, createdAt: stored.createdAt,
                              decommissionedAt: stored.decommissionedAt, step: stored.step,
                              checkOverdue: stored.state == .placed && now.timeIntervalSince(lastCheck) > Self.checkInterval)
        request.progress = .of(state: stored.state, addressState: request.addressState, installed: request.device != nil, step: stored.step)
        request.stepTitle = stepTitle
        request.stepActor = stepActor
        return request
    }

    public func request(ticket ticketID: Int64, by principal: Principal) throws -> Request {
        let now = simpul.now()
        return try simpul.database.read { r in try Self.request(r, ticket: ticketID, by: principal, now: now).request }
    }

    /// The request on ticket `ticketID` as `principal` may see it, and the visit of the ticket's
    /// current step (what a step's action expects to still be current when it writes).
    static func request(_ reader: Reader, ticket ticketID: Int64, by principal: Principal, now: Date) throws -> (request: Request, visit: Int?) {
        var cache: [Int: Playbook] = [:]
        guard let stored = try HostingStore.request(reader, ticketID: ticketID) else { throw Self.notFound(ticketID) }
        let found = try request(stored, now: now, reader, playbooks: &cache)
        guard principal.can(.viewEstate) || (principal.role == .agency && principal.agencyCode == found.agency) else { throw Self.notFound(ticketID) }
        return (found, stored.visit)
    }

    /// Requests and hosted servers; an agency user sees its own agency's only.
    public func list(agency: String? = nil, state: State? = nil, by principal: Principal) throws -> [Request] {
        let now = simpul.now()
        let agency = principal.role == .agency ? principal.agencyCode : agency?.uppercased()
        guard principal.role == .agency || principal.can(.viewEstate) else { throw ServiceError.forbidden(.viewEstate) }
        return try simpul.database.read { r in
            var cache: [Int: Playbook] = [:]
            return try HostingStore.requests(r, agencyCode: agency, state: state).map { try Self.request($0, now: now, r, playbooks: &cache) }
        }
    }

    /// The servers enrolled for monitoring; an agency user's own agency's only. The poller checks
    /// them through the probes, which send nothing outside SIMPUL_PROBE_ALLOW.
    public func monitored(by principal: Principal) throws -> [HostingStore.Monitored] {
        guard principal.role == .agency || principal.can(.viewEstate) else { throw ServiceError.forbidden(.viewEstate) }
        let all = try simpul.database.read { r in try HostingStore.monitored(r) }
        return principal.role == .agency ? all.filter { $0.agencyCode != nil && $0.agencyCode == principal.agencyCode } : all
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
        return try simpul.database.read { r in
            let racks = RackFit.candidates(try HostingStore.rackSpaces(r), heightU: request.form.heightU, watts: request.form.powerWatts)
            let addressNote: Text = switch request.addressState {
            case "held": Text(id: "ditahan untuk permohonan ini di pool \(request.pool ?? "-")", en: "held for this request in pool \(request.pool ?? "-")")
            case "assigned": Text(id: "diberikan di pool \(request.pool ?? "-")", en: "assigned in pool \(request.pool ?? "-")")
            default: Text(id: "belum ada alamat; tahanan habis atau dilepas — admin akan mengambil alamat berikutnya", en: "no address yet; the hold lapsed or was released — the admin takes the next one")
            }
            let dns = try DNSService.nameStatus(r, request.form.dnsName)
            var published = false
            if case .taken(let records) = dns, let address = request.address, request.addressState == "assigned" {
                published = records.allSatisfy { ($0.type == .a || $0.type == .aaaa) && $0.data == address }
            }
            return Check(request: request, racks: racks, address: request.address, addressNote: addressNote, dnsName: dns, dnsPublished: published)
        }
    }

    // MARK: Helpers

    static func notFound(_ ticketID: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "tidak ada permohonan penitipan server pada tiket #\(ticketID)", en: "ticket #\(ticketID) is not a server hosting request"))
    }

    /// The request's ticket was cancelled: what it holds is given back in the ticket's transaction
    /// (see `takeOut`). Returns what its DNS change did (its `deliveries` to deliver after the commit).
    static func requestCancelled(_ tx: Transaction, ticketID: Int64, timeZone: TimeZone) throws -> DNSService.Outcome {
        guard let standing = try HostingStore.standing(tx, ticketID: ticketID),
              standing.state == .requested || standing.state == .placed else { return DNSService.Outcome() }
        return try takeOut(tx, ticketID: ticketID, reason: "permohonan dibatalkan / request cancelled (#\(ticketID))", state: .cancelled,
                           timeZone: timeZone)
    }

    /// The request's cancelled ticket was reopened: the request is live again and an address is held
    /// for it anew, in the ticket's transaction. Refused when its names were taken in the meantime.
    static func requestReopened(_ tx: Transaction, ticketID: Int64, by principal: Principal) throws {
        guard let names = try HostingStore.cancelled(tx, ticketID: ticketID) else { return }
        do {
            try HostingStore.reopen(tx, ticketID: ticketID, now: tx.now)
        } catch is StoreConflict {
            throw ServiceError(.conflict, Text(id: "tiket tidak bisa dibuka lagi: nama \(names.hostname) atau \(names.dnsName) kini dipakai permohonan atau server lain",
                                               en: "the ticket cannot be reopened: the name \(names.hostname) or \(names.dnsName) is now used by another request or server"))
        }
        guard let pool = names.pool else { return }
        let held = try holdAddress(tx, ticketID: ticketID, pool: pool, hostname: names.hostname,
                                   note: "permohonan penitipan server dibuka lagi / hosting request reopened #\(ticketID)")
        try tx.audit("hosting.reopen", "ticket", "#\(ticketID)", after: ["address": held.description])
    }

    /// Holds the next free address of `pool` for the request's ticket and notes it on the request.
    @discardableResult
    static func holdAddress(_ tx: Transaction, ticketID: Int64, pool: String, hostname: String, note: String) throws -> IPAddress {
        let held = try IPAMService.allocate(tx, IPAMService.Request(pool: pool, owner: "ticket:\(ticketID)", hostname: hostname, note: note), as: .held)
        try HostingStore.setAddress(tx, ticketID: ticketID, address: held.address.description)
        return held.address
    }
}

extension Simpul {
    public var hosting: HostingService { HostingService(simpul: self) }
}
