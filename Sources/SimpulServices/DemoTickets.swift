import Foundation
import SimpulCore
import SimpulStore

/// Demo work for the example district: the office's people and a month of its work, so that the
/// lists, timelines, pools, zones, racks and the compliance report have real figures to show — a
/// working office, not a crisis. Every ticket goes through the same services as a user's would
/// (evidence, files, history, audit); only the clock is simulated.
///
/// - A month of tickets on every playbook, walked step by step with times around each standard.
///   Most are done, a few were cancelled; what is still open is work in progress, on time, some
///   of it due soon, and exactly three faults stalled for a day or more (late).
/// - Hosted servers that went through hosting intake for real (`HostingService`): filed, their
///   paper steps done, an address assigned in the hosting pool and their A (and PTR) published,
///   racked in DC1-R03 and enrolled for monitoring; the public ones get an IPv6 address and AAAA by
///   hand, as the SOP says. One request is still on its way, with its address held.
/// - The out-of-band addresses of some data-center servers in `dc-management`.
///
/// DNS changes are pushed to the zones' server (127.0.0.1 in the example district). When that
/// server is not up they wait (`simpul dns push` sends them later) and the seed goes on.
/// Addresses from the pools are data only: nothing connects to them (monitoring enrolment records
/// a target; no poller runs in this version).
public struct DemoTickets: Sendable {
    let simpul: Simpul

    public init(simpul: Simpul) { self.simpul = simpul }

    /// The demo people: username, name, role, agency.
    public static let people: [(String, String, Role, String?)] = [
        ("kadis", "Kepala Dinas (demo)", .head, nil),
        ("kabid.tik", "Kabid TIK (demo)", .supervisor, nil),
        ("kasi.jaringan", "Kasi Infrastruktur Jaringan (demo)", .supervisor, nil),
        ("teknisi1", "Teknisi Satu (demo)", .technician, nil),
        ("teknisi2", "Teknisi Dua (demo)", .technician, nil),
        ("admin.ipdns", "Admin IP/DNS (demo)", .admin, nil),
        ("tu.kominfo", "Petugas Administrasi (demo)", .clerk, nil),
        ("dinkes", "Operator Dinas Kesehatan (demo)", .agency, "DINKES"),
    ]

    /// Creates the demo people that do not exist yet; returns (username, password) of those made.
    public func addPeople(by principal: Principal) throws -> [(String, String)] {
        var made: [(String, String)] = []
        let existing = Set(try simpul.accounts.list(by: principal).map(\.username))
        for (username, name, role, agency) in Self.people where !existing.contains(username) {
            let password = SecureRandom.password()
            _ = try simpul.accounts.add(username: username, fullName: name, role: role, agency: agency, password: password, by: principal)
            made.append((username, password))
        }
        return made
    }

    /// What a seed made.
    public struct Report: Sendable {
        /// Tickets opened, hosting requests included.
        public var tickets = 0
        /// Hosted servers placed: host name, DNS name and address(es).
        public var hosted: [String] = []
        /// Hosting requests still on their way.
        public var requested = 0
        /// Addresses assigned or held, per pool.
        public var addresses: [String: Int] = [:]
        /// DNS change sets that could not reach the zones' server and wait for `simpul dns push`.
        public var dnsWaiting = 0
    }

    /// A hosted server of the demo: who asked, what it is, where it goes, and when (days before now,
    /// as a share of the seeded period).
    struct HostedServer {
        var agency: String
        var hostname: String
        var application: String
        var os: String
        var heightU: Int
        var watts: Int
        var scope: PoolScope
        var position: Int
        var contact: String
        var signedBy: String
        /// When the request was filed, as a share of the period back from now.
        var filedAt: Double
        /// Still on its way: filed a few hours ago and walked as far as the time allows.
        var inProgress = false
    }

    static let rack = "DC1-R03"
    static let hostedServers: [HostedServer] = [
        HostedServer(agency: "RSUD", hostname: "simrs", application: "SIMRS — rekam medis elektronik", os: "Ubuntu Server 22.04 LTS",
                     heightU: 2, watts: 500, scope: .private, position: 22, contact: "Rahmat (IT RSUD) 0812-0000-2201", signedBy: "dr. Ratna Sari",
                     filedAt: 0.87),
        HostedServer(agency: "DINKES", hostname: "epuskesmas", application: "ePuskesmas — layanan puskesmas", os: "Debian 12",
                     heightU: 1, watts: 300, scope: .private, position: 24, contact: "Budi Santoso 0812-0000-1110", signedBy: "dr. Hasanuddin",
                     filedAt: 0.66),
        HostedServer(agency: "BAPPEDA", hostname: "eplanning", application: "e-Planning — perencanaan pembangunan daerah", os: "Rocky Linux 9",
                     heightU: 1, watts: 300, scope: .public, position: 25, contact: "Ir. Hendra Gunawan 0812-0000-1105", signedBy: "Ir. Hendra Gunawan",
                     filedAt: 0.5),
        HostedServer(agency: "SETDA", hostname: "lpse", application: "LPSE — pengadaan barang/jasa secara elektronik", os: "Ubuntu Server 22.04 LTS",
                     heightU: 2, watts: 450, scope: .public, position: 26, contact: "Hj. Nurhayati 0812-0000-1102", signedBy: "Sekretaris Daerah",
                     filedAt: 0.3),
        HostedServer(agency: "DPMPTSP", hostname: "sicantik", application: "SiCantik — perizinan online", os: "Debian 12",
                     heightU: 1, watts: 250, scope: .private, position: 28, contact: "Reza Firmansyah 0812-0000-1113", signedBy: "Kepala DPMPTSP",
                     filedAt: 0, inProgress: true),
    ]

    /// Out-of-band management interfaces of data-center servers (iLO/iDRAC, UPS and NAS cards).
    static let managementInterfaces: [(device: String, hostname: String)] = [
        ("srv-virt-01", "srv-virt-01-ilo"), ("srv-virt-02", "srv-virt-02-ilo"), ("srv-simpul", "srv-simpul-idrac"),
        ("srv-backup-01", "srv-backup-01-ilo"), ("nas-backup-01", "nas-backup-01-mgmt"), ("ups-dc1-01", "ups-dc1-01-nmc"),
    ]

    /// The agencies' servers already in DC1-R03 (Inventory/devices.yaml): their service addresses.
    static let agencyServers = ["srv-simpeg", "srv-sipkd", "srv-simpus", "srv-dapodik", "srv-oss-rba"]

    /// How often each everyday playbook comes up; one not named here gets 5.
    static let weights: [String: Int] = ["fault-dispatch": 62, "equipment-repair": 14, "lan-installation": 12, "lan-upkeep": 12]

    /// The instant before `end` from which `seconds` of `basis` run until `end`.
    static func instant(_ seconds: Double, before end: Date, _ basis: ClockBasis, _ calendar: WorkCalendar) -> Date {
        if basis == .wall { return end.addingTimeInterval(-seconds) }
        var low = end.addingTimeInterval(-(seconds * 10 + 30 * 86_400)), high = end
        for _ in 0..<64 {
            let middle = low.addingTimeInterval(high.timeIntervalSince(low) / 2)
            if calendar.seconds(basis, from: middle, to: end) >= seconds { low = middle } else { high = middle }
        }
        return low
    }

    /// Tickets in progress now: their step, how far into its standard, and the outcomes on the way.
    static let inProgress: [(playbook: String, step: String, fraction: Double, agency: String, subject: String, branches: [String: String])] = [
        ("lan-installation", "install", 0.85, "SMPN-1-CONTOH", "Pemasangan jaringan LAN laboratorium komputer", [:]),
        ("lan-installation", "install", 0.25, "BPKAD", "Penambahan titik LAN bidang keuangan", [:]),
        ("equipment-repair", "repair_order", 0.5, "DISKOMINFO", "Proyektor media center rusak", [:]),
        ("fault-dispatch", "provider_repair", 0.3, "KEC-PULAU-LAUT", "Internet putus", ["repair": "not_fixed"]),
        ("fault-dispatch", "repair", 0.15, "DISHUB", "Koneksi lambat", [:]),
    ]

    /// How many faults are left stalled, a day or more late: the few late tickets of a working office.
    static let stalledFaults = 3

    /// Opens `count` tickets spread over the `days` before now and walks each, adds the hosted
    /// servers and the management addresses. Deterministic for a given seed and time.
    @discardableResult
    public func seed(count: Int, days: Int, seed: UInt64 = 2026, by principal: Principal) throws -> Report {
        let users = try simpul.accounts.list(by: principal)
        func user(_ name: String) throws -> Principal {
            guard let found = users.first(where: { $0.username == name }) else {
                throw ServiceError(.notFound, Text(id: "pengguna demo \(name) belum ada", en: "the demo user \(name) does not exist"))
            }
            return found.principal
        }
        let doers: [StepActor: [Principal]] = [
            .head: [try user("kadis")], .supervisor: [try user("kabid.tik")], .technician: [try user("teknisi1"), try user("teknisi2")],
            .admin: [try user("admin.ipdns")], .clerk: [try user("tu.kominfo")], .agency: [try user("dinkes")],
            .provider: [try user("teknisi1"), try user("teknisi2")], .procurement: [try user("tu.kominfo")],
        ]
        let playbooks = try simpul.playbooks.list(by: principal).map(\.playbook)
        let calendar = try simpul.playbooks.calendar().calendar
        let agencies = try simpul.estate.agencyNames(for: principal).map(\.code)
        guard !playbooks.isEmpty, !agencies.isEmpty else {
            throw ServiceError(.invalid, Text(id: "impor inventaris dan playbook dulu", en: "import the inventory and the playbooks first"))
        }
        let end = simpul.now()
        let clock = DemoClock(end)
        let demo = Simpul(database: simpul.database, settings: simpul.settings, dns: simpul.dns, now: { clock.now })
        var walker = Walker(demo: demo, clock: clock, calendar: calendar, end: end, doers: doers, principal: principal,
                            random: SplitMix(seed: seed))
        walker.lanPeople = Dictionary(users.filter { ["kasi.jaringan", "kabid.tik"].contains($0.username) }.map { ($0.username, $0.principal) },
                                      uniquingKeysWith: { a, _ in a })
        var report = Report()
        let period = TimeInterval(days * 86_400)

        // The management network's addresses, given when the period began.
        clock.now = end.addingTimeInterval(-period)
        for (device, hostname) in Self.managementInterfaces {
            _ = try demo.ipam.assign(IPAMService.Request(pool: "dc-management", owner: "device:\(device)", hostname: hostname,
                                                         note: "antarmuka manajemen / management interface"), by: try user("admin.ipdns"))
        }

        // The agencies' own servers racked in DC1-R03 before the period have their service addresses too.
        for device in Self.agencyServers {
            _ = try demo.ipam.assign(IPAMService.Request(pool: "dc-server", owner: "device:\(device)", hostname: device,
                                                         note: "server OPD di DC1-R03 / agency server in DC1-R03"), by: try user("admin.ipdns"))
        }

        // A month of everyday work: faults most days, the rest now and then. Hosting requests come only
        // through hosting intake, and the year's bandwidth survey is one ticket (below).
        // Upkeep visits come from the year's plan (below); a few unplanned ones (a complaint, a move) come now and then.
        let scripted: Set<String> = [HostingService.playbookID, "bandwidth-survey"]
        let everyday = playbooks.filter { !scripted.contains($0.id) }.map { ($0, Self.weights[$0.id] ?? 5) }
        let faults = playbooks.first { $0.id == "fault-dispatch" } ?? playbooks[0]
        var random = SplitMix(seed: seed ^ 0x5EED)
        let starts = (0..<count).map { _ in end.addingTimeInterval(-Double(random.next(below: UInt64(days * 86_400)))) }.sorted()
        var stalled = 0
        for start in starts {
            var roll = Int(random.next(below: UInt64(max(1, everyday.reduce(0) { $0 + $1.1 }))))
            let playbook = everyday.first { roll -= $0.1; return roll < 0 }?.0 ?? faults
            // One in four from the health office, whose operator has an account; the rest by phone to the clerk.
            let agency = random.next(below: 4) == 0 ? "DINKES" : agencies[Int(random.next(below: UInt64(agencies.count)))]
            // Office steps begin in office hours.
            clock.now = playbook.calendar == .workingDays ? calendar.adding(1, .office, to: start) : start
            guard clock.now < end else { continue }
            let opener = playbook.firstStep.actor == .agency && agency == "DINKES" ? doers[.agency]![0] : doers[.clerk]![0]
            let subject = Self.subjects[playbook.id].map { $0[Int(random.next(below: UInt64($0.count)))] } ?? playbook.title.id
            guard let id = try walker.open(playbook, subject: subject, agency: agency, by: opener) else { continue }
            report.tickets += 1
            // A few faults reported one to four days ago are stuck: the late tickets of the lists.
            let age = end.timeIntervalSince(start)
            if playbook.id == faults.id, stalled < Self.stalledFaults, age > 86_400, age < 4 * 86_400 {
                stalled += 1
                try walker.walk(id, agency: agency, stopAfter: 2 + Int(random.next(below: 3)))
                continue
            }
            // One in sixteen is cancelled after a step or two: a duplicate, or withdrawn.
            if random.next(below: 16) == 0 {
                try walker.walk(id, agency: agency, stopAfter: 1 + Int(random.next(below: 2)))
                if try demo.tickets.detail(id, by: principal).ticket.status.isActive {
                    clock.now = min(end, clock.now.addingTimeInterval(1800))
                    try demo.tickets.act(id, .cancel, reason: Self.cancelReasons[Int(random.next(below: UInt64(Self.cancelReasons.count)))],
                                         by: doers[.supervisor]![0])
                }
                continue
            }
            try walker.walk(id, agency: agency)
        }

        // The year's bandwidth survey, opened early in the period over the agencies with links (SNMP on
        // their own links and capture on the shared uplink; those without a link, capture only):
        // the head assigns it, the section prepares the team, and the measuring is under way.
        if playbooks.contains(where: { $0.id == SurveyService.playbook }) {
            clock.now = calendar.adding(1, .office, to: end.addingTimeInterval(-period * 0.8))
            if clock.now < end {
                let inventory = try demo.database.read { r in try InventoryStore.load(r) }
                let linked = Set(inventory.links.map(\.agency))
                let agencies = inventory.agencies.filter { linked.contains($0.code) || !$0.networks.isEmpty }.prefix(12)
                    .map { (code: $0.code, method: linked.contains($0.code) ? SurveyService.Method.both : .pcap) }
                var zone = Calendar(identifier: .gregorian)
                zone.timeZone = calendar.timeZone
                let day = { (date: Date) -> String in
                    let c = zone.dateComponents([.year, .month, .day], from: date)
                    return String(format: "%04d-%02d-%02d", c.year ?? 2000, c.month ?? 1, c.day ?? 1)
                }
                if !agencies.isEmpty {
                    let survey = try demo.surveys.open(SurveyService.OpenForm(
                        title: "Survei kebutuhan bandwidth \(Int(Self.year(end, calendar)).map { $0 + 1 } ?? 0)", from: day(clock.now),
                        to: day(end.addingTimeInterval(7 * 86_400)), agencies: Array(agencies), responsible: "teknisi1"), by: doers[.head]![0])
                    report.tickets += 1
                    try walker.walk(survey.row.ticketID, agency: "DISKOMINFO", stopAfter: 2)
                }
            }
        }

        // Work in progress now, at set points of their steps: mostly on time, one due soon.
        for item in Self.inProgress {
            guard let playbook = playbooks.first(where: { $0.id == item.playbook }) else { continue }
            if try walker.place(playbook, at: item.step, fraction: item.fraction, agency: item.agency,
                                subject: "\(item.subject) — \(item.agency)", branches: item.branches) != nil {
                report.tickets += 1
            }
        }

        // The hosted servers, through hosting intake (not again for a server already asked for).
        let asked = Set(try demo.hosting.list(by: principal).filter { $0.state == .requested || $0.state == .placed }.map(\.form.hostname))
        for server in Self.hostedServers where !asked.contains(server.hostname) {
            let filed = server.inProgress ? end.addingTimeInterval(-3 * 3600) : end.addingTimeInterval(-period * server.filedAt)
            clock.now = server.inProgress ? filed : calendar.adding(1, .office, to: filed)
            guard clock.now < end else { continue }
            let byAgencyUser = server.agency == "DINKES"
            let request = try demo.hosting.file(HostingService.Form(
                agency: server.agency, letterNumber: "045/\(server.position)/\(server.agency)/\(Self.romanMonth(clock.now, calendar))/\(Self.year(clock.now, calendar))",
                letterDate: Self.dateString(clock.now, calendar), letterSignedBy: server.signedBy, contactName: server.contact,
                hostname: server.hostname, dnsName: server.hostname, formFactor: .rack, heightU: server.heightU, depthMM: 750, powerWatts: server.watts,
                networkPorts: 2, os: server.os, application: server.application, addressScope: server.scope),
                by: byAgencyUser ? doers[.agency]![0] : doers[.clerk]![0])
            report.tickets += 1
            try walker.walk(request.ticketID, agency: server.agency, hosted: server)
            let now = try demo.hosting.request(ticket: request.ticketID, by: principal)
            if now.state == .placed {
                let v6 = try demo.ipam.list(owner: "ticket:\(request.ticketID)", by: principal).filter { $0.pool == "public-v6" }.map(\.address.description)
                report.hosted.append("\(server.hostname) \(now.form.dnsName) \(([now.address ?? "-"] + v6).joined(separator: " "))")
            } else {
                report.requested += 1
            }
        }
        // The oldest hosted server had its monthly check a week ago.
        if let first = try demo.hosting.list(state: .placed, by: principal).last {
            clock.now = end.addingTimeInterval(-7 * 86_400)
            if clock.now > Timestamp.date(first.lastCheckAt ?? "") ?? end {
                try demo.hosting.recordCheck(ticket: first.ticketID, note: "Server dicek, berjalan normal", by: doers[.technician]![0])
            }
        }

        // The year's upkeep plan (and next year's): every agency's visits, those due soon opened now.
        clock.now = end
        if playbooks.contains(where: { $0.id == LANService.upkeep }) {
            let year = Int(Self.year(end, calendar)) ?? 2026
            let planned = try demo.upkeep.plan(years: year...(year + 1), technicians: doers[.technician]!.map(\.username), by: principal)
            report.tickets += planned.opened
        }

        // Escalations that fell due along the way, now.
        _ = try demo.tickets.sweep()
        for usage in try demo.ipam.usage(by: principal) { report.addresses[usage.pool] = usage.assigned + usage.held }
        report.dnsWaiting = try demo.dnsRecords.zones(by: principal).reduce(0) { $0 + $1.waiting }
        return report
    }

    /// Walks tickets step by step on the simulated clock.
    struct Walker {
        let demo: Simpul
        let clock: DemoClock
        let calendar: WorkCalendar
        let end: Date
        let doers: [StepActor: [Principal]]
        let principal: Principal
        var random: SplitMix
        /// The officials of the letters' paraf chain (district.letters.paraf), by username.
        var lanPeople: [String: Principal] = [:]

        /// How long work left in progress must stay on time (or, if due soon, not late) after the seed.
        static let margin: TimeInterval = 30 * 60

        /// Does the ticket's steps in turn, each taking 30–110 % of its standard (one in six runs
        /// over), until it is done, `stopAfter` steps are done, or the next step would end after now.
        /// A step still running now stays so only while it is on time (one in three when due soon)
        /// for a while after the seed; otherwise it was finished in time, before now.
        mutating func walk(_ id: Int64, agency: String, stopAfter: Int = .max, hosted: HostedServer? = nil) throws {
            let evaluator = ClockEvaluator(calendar: calendar)
            var steps = 0
            var visits: [String: Int] = [:]
            while steps < stopAfter, steps < 20 {
                let detail = try demo.tickets.detail(id, by: principal)
                guard detail.ticket.status.isActive, let step = detail.currentStep else { break }
                let basis = detail.playbook.basis(of: step)
                let standard = Double(step.standard?.seconds(officeDay: calendar.officeDay) ?? 3600)
                let share = random.next(below: 6) == 0 ? 1.05 + Double(random.next(below: 120)) / 100 : 0.3 + Double(random.next(below: 80)) / 100
                var next = calendar.adding(standard * share, basis, to: clock.now)
                if next >= end {
                    guard step.standard != nil, let entered = evaluator.clocks(detail.ticket, playbook: detail.playbook, now: end).current else { break }
                    let nowFraction = entered.fraction ?? 0
                    let later = evaluator.clocks(detail.ticket, playbook: detail.playbook, now: end.addingTimeInterval(Self.margin)).current?.fraction ?? 0
                    if later < 0.8 { break }
                    if nowFraction >= 0.8, later < 1, random.next(below: 3) == 0 { break }
                    guard entered.elapsed > 0 else { break }
                    // Finished in time: somewhere in the part of the step that has passed.
                    next = calendar.adding(entered.elapsed * (0.3 + Double(random.next(below: 60)) / 100), basis, to: clock.now)
                    guard next < end else { break }
                }
                clock.now = next
                visits[step.id, default: 0] += 1
                if let hosted, try doHostingStep(id, step: step, server: hosted) {
                    steps += 1
                    continue
                }
                try complete(id, detail: detail, step: step, agency: agency, visit: visits[step.id]!)
                steps += 1
            }
        }

        /// Opens a ticket and does its steps up to `stepID`, so that now `fraction` of that step's
        /// standard has run; the steps before it took a few minutes each. Nil when the playbook has no
        /// such timed step or the path does not reach it.
        mutating func place(_ playbook: Playbook, at stepID: String, fraction: Double, agency: String, subject: String,
                            branches: [String: String]) throws -> Int64? {
            guard let target = playbook.step(stepID), let standard = target.standard?.seconds(officeDay: calendar.officeDay),
                  playbook.firstStep.id != stepID else { return nil }
            let basis = playbook.basis(of: target)
            let spacing = 700.0
            let entered = DemoTickets.instant(Double(standard) * fraction, before: end, basis, calendar)
            let opened = DemoTickets.instant(Double(standard) * fraction + spacing * Double(playbook.steps.count), before: end, basis, calendar)
            clock.now = opened
            let opener = playbook.firstStep.actor == .agency && agency == "DINKES" ? doers[.agency]![0] : doers[.clerk]![0]
            guard let id = try open(playbook, subject: subject, agency: agency, by: opener) else { return nil }
            for k in 1...20 {
                let detail = try demo.tickets.detail(id, by: principal)
                guard let step = detail.currentStep else { return id }
                if step.id == stepID { return id }
                var branch: String?
                let target: StepTarget? = switch step.exit {
                case .next(let t): t
                case .branches(let list):
                    // The outcome asked for, else the common one.
                    list.first { $0.name == (branches[step.id] ?? list[0].name) }.map { branch = $0.name; return $0.target } ?? nil
                }
                let last = target == .step(stepID)
                clock.now = last ? entered : min(calendar.adding(Double(k) * spacing, basis, to: opened), entered)
                try complete(id, detail: detail, step: step, agency: agency, visit: 1, branch: branch)
            }
            return id
        }

        /// The hosting steps that are the hosting service's own (`HostingService.Action.step`); false for a paper step.
        mutating func doHostingStep(_ id: Int64, step: Step, server: HostedServer) throws -> Bool {
            let admin = doers[.admin]![0]
            let technician = doers[.technician]![Int(random.next(below: 2))]
            switch step.id {
            case "allocate_ip_dns":
                // The records wait in the outbox for its worker (or `simpul dns push`), and the admin
                // carries on (through the hosting module, which owns the step).
                let dns = try demo.hosting.allocate(ticket: id, by: admin)
                try demo.hosting.finishAllocation(ticket: id, dns: dns, proceedWhileDNSWaits: "DNS menunggu server DNS (simpul dns push)",
                                                  assignTo: technician.username, by: admin)
                if server.scope == .public {
                    // IPv6 by hand, as the SOP's admin does: an address of the public IPv6 pool and its AAAA (+ PTR).
                    let owner = "ticket:\(id)"
                    let v6 = try demo.ipam.assign(IPAMService.Request(pool: "public-v6", owner: owner, hostname: server.hostname,
                                                                      note: "penitipan server / hosting #\(id)"), by: admin)
                    let name = try demo.hosting.request(ticket: id, by: principal).form.dnsName
                    _ = try demo.dnsRecords.add([try demo.dnsRecords.record(name: name, type: "AAAA", data: v6.address.description, ttl: nil)],
                                                owner: owner, by: admin)
                }
                return true
            case "install":
                try demo.hosting.install(ticket: id, rack: DemoTickets.rack, position: server.position,
                                         photo: (fileName: "\(server.hostname)-terpasang.png", contentType: "image/png", data: DemoTickets.tinyPNG),
                                         report: "Server \(server.hostname) terpasang di \(DemoTickets.rack) U\(server.position), kabel daya A/B dan jaringan terhubung, menyala normal.",
                                         by: technician)
                return true
            case "monitoring":
                try demo.hosting.enroll(ticket: id, probe: server.scope == .public ? .tcp(port: 443) : .icmp, by: technician)
                return true
            default:
                return false
            }
        }

        /// Opens a ticket as its front end would: a fault through the faults module, on one of the
        /// agency's links (nil when that link already has an open fault: the report was attached to it).
        mutating func open(_ playbook: Playbook, subject: String, agency: String, by opener: Principal) throws -> Int64? {
            if playbook.id == LANService.installation {
                // A request as the clerk files it, with the agency's inventory typed in.
                let points = 4 + Int(random.next(below: 20))
                let clerk = doers[.clerk]![0]
                let filed = try demo.lan.file(LANService.RequestForm(
                    agency: agency, letterNumber: "045/\(100 + Int(random.next(below: 800)))/\(agency)/\(DemoTickets.romanMonth(clock.now, calendar))/\(DemoTickets.year(clock.now, calendar))",
                    letterDate: DemoTickets.dateString(clock.now.addingTimeInterval(-3 * 86_400), calendar), letterSignedBy: "Kepala \(agency)",
                    disposition: random.next(below: 2) == 0 ? .sekda : .bupati, building: "Kantor \(agency)", floor: String(1 + Int(random.next(below: 3))),
                    rooms: nil, points: points, wifi: random.next(below: 2) == 0, switches: Int(random.next(below: 2)), asked: subject,
                    contactName: "Operator \(agency)", contactPhone: "+62 812-555-\(String(format: "%04d", Int(random.next(below: 10_000))))"),
                    inventory: .items([LANInventoryItem(kind: .computer, quantity: 2 + Int(random.next(below: 20)), location: "Kantor \(agency)"),
                                       LANInventoryItem(kind: .printer, quantity: 1 + Int(random.next(below: 4)), location: "Kantor \(agency)")]),
                    by: clerk)
                return filed.ticketID
            }
            guard playbook.id == FaultService.playbookID else {
                return try demo.tickets.open(playbook: playbook.id, subject: "\(subject) — \(agency)", agency: agency, by: opener)
            }
            let links = try demo.faults.subjects(agency: agency, by: principal).links
            let symptom: FaultSymptom = switch subject {
            case let s where s.contains("putus"): .noConnection
            case let s where s.contains("lambat"): .slow
            case let s where s.contains("Wi-Fi"): .intermittent
            case let s where s.contains("aplikasi"): .serviceDown
            case let s where s.contains("mati") || s.contains("rusak"): .equipmentBroken
            default: .other
            }
            // The office's own uplink is left alone (the README's tour reports a fault on it).
            let link = symptom == .equipmentBroken || links.isEmpty || agency == "DISKOMINFO" ? nil : links[Int(random.next(below: UInt64(links.count)))].circuit
            let byAgency = opener.role == .agency
            let opened = try demo.faults.open(FaultService.Report(
                agency: agency, link: link, channel: byAgency ? .web : (random.next(below: 3) == 0 ? .whatsapp : .phone),
                reporterName: byAgency ? "Operator \(agency)" : "Staf \(agency)", reporterContact: "+62 812-555-\(String(format: "%04d", Int(random.next(below: 10_000))))",
                symptom: symptom, description: subject), by: opener)
            return opened.kind == .opened ? opened.ticketID : nil
        }

        /// A step the faults module does, done through it; false for any other step.
        /// The LAN module's steps, as its people do them: the parafs in the chain's order, the head's
        /// signature, the technician's work log with its photo (the test and the inventory book go
        /// with it), the Berita Acara, and an upkeep visit's checklist.
        mutating func doLANStep(_ id: Int64, step: Step, branch chosen: String?) throws -> Bool {
            let technician = doers[.technician]![Int(random.next(below: 2))]
            switch step.doneBy {
            case "lan.paraf":
                for name in ["kasi.jaringan", "kabid.tik"] {
                    guard let who = lanPeople[name] else { return false }
                    _ = try demo.lan.paraf(ticket: id, by: who)
                }
                return true
            case "lan.sign":
                _ = try demo.lan.sign(ticket: id, by: doers[.head]![0])
                return true
            case "lan.install", "lan.test", "lan.inventory":
                let request = try demo.lan.request(ticket: id, by: principal)
                let points = max(1, request.row.points)
                let passed = (chosen ?? "pass") == "pass" || request.work.count > 0 ? points : points - 1
                _ = try demo.lan.install(ticket: id, work: LANService.WorkForm(
                    pointsInstalled: points, pointsPassed: passed, cableMetres: points * 15, connectors: points * 2, switches: request.row.switches,
                    accessPoints: request.row.wifi ? 1 : 0, results: passed == points ? "Semua titik lulus uji kabel" : "Satu titik gagal uji, konektor diganti"),
                    photos: [LANService.Photo(fileName: "lan-\(id).png", data: DemoTickets.tinyPNG)], by: technician)
                return true
            case "lan.close":
                _ = try demo.lan.close(ticket: id, by: technician)
                return true
            case "lan.inspect":
                let visit = try demo.upkeep.visit(ticket: id, by: principal)
                let failing = (chosen ?? "in_order") == "needs_repair" ? visit.checklist.last?.id : nil
                _ = try demo.upkeep.check(ticket: id, visit.checklist.map { item in
                    UpkeepService.CheckForm(item: item.id, outcome: item.id == failing ? .fail : .pass, note: item.id == failing ? "Perlu perbaikan" : nil)
                }, photos: [LANService.Photo(fileName: "pemeliharaan-\(id).png", data: DemoTickets.tinyPNG)], note: nil, by: technician)
                return true
            default:
                return false
            }
        }

        mutating func doFaultStep(_ id: Int64, step: Step, branch chosen: String?) throws -> Bool {
            let technician = doers[.technician]![Int(random.next(below: 2))]
            switch step.doneBy {
            case "faults.log":
                let fixed = (chosen ?? (random.next(below: 100) < 70 ? "fixed" : "not_fixed")) == "fixed"
                try demo.faults.log(ticket: id, FaultService.LogForm(
                    checked: "Cek ONT, router dan kabel di lokasi", found: fixed ? "Kabel patch longgar / perangkat hang" : "Tidak ada sinyal dari sisi penyedia",
                    did: DemoTickets.notes[Int(random.next(below: UInt64(DemoTickets.notes.count)))], outcome: fixed ? .fixed : .notFixed), by: technician)
                return true
            case "faults.restore":
                // The provider's restoration, as the technician records it (the step is completed with it).
                try demo.faults.restore(ticket: id, note: "Penyedia memulihkan sambungan", by: technician)
                return true
            case "faults.close":
                let causes: [FaultCause] = [.deviceFailure, .configuration, .power, .providerUpstream, .userSide, .fiberCut]
                _ = try demo.faults.close(ticket: id, cause: causes[Int(random.next(below: UInt64(causes.count)))],
                                          resolution: "Koneksi normal kembali, sudah dicek bersama operator OPD.", by: technician)
                return true
            default:
                return false
            }
        }

        /// Completes the current step with the evidence it needs, by someone who may do it.
        mutating func complete(_ id: Int64, detail: TicketService.Detail, step: Step, agency: String, visit: Int, branch chosen: String? = nil) throws {
            if step.doneBy != nil, try doFaultStep(id, step: step, branch: chosen) { return }
            if step.doneBy != nil, try doLANStep(id, step: step, branch: chosen) { return }
            // The agency's own user for the health office; elsewhere the clerk records what the agency said.
            let doerList = step.actor == .agency && agency != "DINKES" ? doers[.clerk]! : doers[step.actor]!
            let doer = doerList[Int(random.next(below: UInt64(doerList.count)))]
            var branch: String?
            if case .branches(let list) = step.exit {
                // Loops are taken at most once; the first outcome is the common one.
                let forward = list.filter { $0.target != .step(step.id) }
                branch = (visit > 1 || random.next(below: 100) < 70 ? list[0] : list[Int(random.next(below: UInt64(list.count)))]).name
                if visit > 1, let first = forward.first { branch = first.name }
                if let chosen { branch = chosen }
            }
            var evidence: [Evidence] = []
            for kind in step.evidence {
                switch kind {
                case .signature: continue
                case .attachment, .photo:
                    let value = try demo.tickets.attach(id, kind: kind, fileName: kind == .photo ? "\(step.id).png" : "\(step.id).txt",
                                                        contentType: kind == .photo ? "image/png" : "text/plain",
                                                        data: kind == .photo ? DemoTickets.tinyPNG : Data("Dokumen demo untuk \(step.id), tiket #\(id).\n".utf8), by: doer)
                    evidence.append(Evidence(kind: kind, value: value))
                case .letterNumber: evidence.append(Evidence(kind: kind, value: "800/DKISP/\(id)/\(DemoTickets.romanMonth(clock.now, calendar))/\(DemoTickets.year(clock.now, calendar))"))
                case .ipAddress:
                    let held = try demo.ipam.list(owner: "ticket:\(id)", by: principal).first?.address.description
                    evidence.append(Evidence(kind: kind, value: held ?? "-"))
                case .dnsName: evidence.append(Evidence(kind: kind, value: "-"))
                case .rackPosition: evidence.append(Evidence(kind: kind, value: "-"))
                case .note: evidence.append(Evidence(kind: kind, value: DemoTickets.notes[Int(random.next(below: UInt64(DemoTickets.notes.count)))]))
                case .report: evidence.append(Evidence(kind: kind, value: "Laporan \(step.title.id.lowercased()): selesai, lihat catatan."))
                }
            }
            let assign = doers[.technician]!.map(\.username)[Int(random.next(below: 2))]
            let nextActorIsTechnician: Bool = {
                let target: StepTarget? = switch step.exit {
                case .next(let t): t
                case .branches(let list): list.first { $0.name == branch }?.target
                }
                if case .step(let nextID) = target { return detail.playbook.step(nextID)?.actor == .technician }
                return false
            }()
            try demo.tickets.act(id, .complete(evidence: evidence, branch: branch, note: nil, assignTo: nextActorIsTechnician ? assign : nil), by: doer)
        }
    }

    static func dateString(_ date: Date, _ calendar: WorkCalendar) -> String { WorkCalendar.dateString(day: calendar.localDay(date)) }
    static func year(_ date: Date, _ calendar: WorkCalendar) -> String { String(dateString(date, calendar).prefix(4)) }
    static func romanMonth(_ date: Date, _ calendar: WorkCalendar) -> String {
        let month = Int(dateString(date, calendar).dropFirst(5).prefix(2)) ?? 1
        return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][max(0, min(11, month - 1))]
    }

    static let subjects: [String: [String]] = [
        "fault-dispatch": ["Internet putus", "Koneksi lambat", "Wi-Fi kantor tidak bisa terhubung", "Tidak bisa akses aplikasi SIMPEG", "Switch lantai 2 mati"],
        "lan-installation": ["Pemasangan jaringan LAN ruang rapat", "Penambahan titik LAN bidang keuangan"],
        "lan-upkeep": ["Pemeliharaan LAN semester"],
        "equipment-repair": ["Proyektor media center rusak", "Mikrofon ruang media center mati"],
    ]

    static let notes = ["Sudah dicek di lokasi.", "Kabel UTP diganti.", "Restart perangkat ONT.", "Koordinasi dengan operator OPD.",
                        "Konfigurasi switch diperbaiki.", "Menunggu konfirmasi pengguna.", "Dikerjakan sesuai SOP."]

    static let cancelReasons = ["Laporan ganda", "Dibatalkan oleh pemohon", "Sudah pulih sendiri sebelum teknisi datang"]

    /// A 1×1 PNG: the demo's photo evidence.
    static let tinyPNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!
}

/// The simulated clock of the demo walk.
final class DemoClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

