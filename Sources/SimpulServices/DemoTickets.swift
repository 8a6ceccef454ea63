import Foundation
import SimpulCore
import SimpulStore

/// Demo work for the example district: the office's people and a month of tickets on every playbook,
/// walked step by step with times around each step's standard, so that the lists, timelines and the
/// compliance report have real figures to show. Every ticket goes through the same services as a
/// user's would (evidence, files, history, audit); only the clock is simulated.
public struct DemoTickets: Sendable {
    let simpul: Simpul

    public init(simpul: Simpul) { self.simpul = simpul }

    /// The demo people: username, name, role, agency.
    public static let people: [(String, String, Role, String?)] = [
        ("kadis", "Kepala Dinas (demo)", .head, nil),
        ("kabid.tik", "Kabid TIK (demo)", .supervisor, nil),
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

    /// Opens `count` tickets spread over the `days` before now and walks each; about one in five is
    /// left open somewhere along the way. Deterministic for a given seed.
    public func seed(count: Int, days: Int, seed: UInt64 = 2026, by principal: Principal) throws -> Int {
        let users = try simpul.accounts.list(by: principal)
        func user(_ name: String) throws -> Principal {
            guard let found = users.first(where: { $0.username == name }) else {
                throw ServiceError(.notFound, Text(id: "pengguna demo \(name) belum ada", en: "the demo user \(name) does not exist"))
            }
            return found.principal
        }
        let doers: [Actor: [Principal]] = [
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
        var random = SplitMix(seed: seed)
        let end = simpul.now()
        let clock = DemoClock(end)
        let demo = Simpul(database: simpul.database, settings: simpul.settings, now: { clock.now })
        // Opening times in order, so that tickets read like a month of work.
        let starts = (0..<count).map { _ in end.addingTimeInterval(-Double(random.next(below: UInt64(days * 86_400)))) }.sorted()
        var made = 0
        for start in starts {
            // Faults are the daily work; the rest come now and then.
            let roll = random.next(below: 100)
            let playbook = roll < 55 ? playbooks.first { $0.id == "fault-dispatch" } ?? playbooks[0] : playbooks[Int(random.next(below: UInt64(playbooks.count)))]
            // One in four from the health office, whose operator has an account; the rest by phone to the clerk.
            let agency = random.next(below: 4) == 0 ? "DINKES" : agencies[Int(random.next(below: UInt64(agencies.count)))]
            // Office steps begin in office hours.
            clock.now = playbook.calendar == .workingDays ? calendar.adding(1, .office, to: start) : start
            guard clock.now < end else { continue }
            let opener = playbook.firstStep.actor == .agency && agency == "DINKES" ? doers[.agency]![0] : doers[.clerk]![0]
            let subject = Self.subjects[playbook.id].map { $0[Int(random.next(below: UInt64($0.count)))] } ?? playbook.title.id
            let id = try demo.tickets.open(playbook: playbook.id, subject: "\(subject) — \(agency)", agency: agency, by: opener)
            made += 1
            let stopAfter = random.next(below: 100) < 20 ? Int(random.next(below: 5)) : Int.max
            var steps = 0
            var visits: [String: Int] = [:]
            while steps < stopAfter, steps < 20 {
                let detail = try demo.tickets.detail(id, by: principal)
                guard let step = detail.currentStep else { break }
                // Most steps take 30–110 % of their standard; one in six runs over.
                let standard = Double(step.standard?.seconds(officeDay: calendar.officeDay) ?? 3600)
                let share = random.next(below: 6) == 0 ? 1.05 + Double(random.next(below: 120)) / 100 : 0.3 + Double(random.next(below: 80)) / 100
                let next = calendar.adding(standard * share, detail.playbook.basis(of: step), to: clock.now)
                guard next < end else { break }
                clock.now = next
                // The agency's own user for the health office; elsewhere the clerk records what the agency said.
                let doerList = step.actor == .agency && agency != "DINKES" ? doers[.clerk]! : doers[step.actor]!
                let doer = doerList[Int(random.next(below: UInt64(doerList.count)))]
                visits[step.id, default: 0] += 1
                var branch: String?
                if case .branches(let list) = step.exit {
                    // Loops are taken at most once; the first outcome is the common one.
                    let forward = list.filter { $0.target != .step(step.id) }
                    branch = (visits[step.id]! > 1 || random.next(below: 100) < 70 ? list[0] : list[Int(random.next(below: UInt64(list.count)))]).name
                    if visits[step.id]! > 1, let first = forward.first { branch = first.name }
                }
                var evidence: [Evidence] = []
                for kind in step.evidence {
                    switch kind {
                    case .signature: continue
                    case .attachment, .photo:
                        let value = try demo.tickets.attach(id, kind: kind, fileName: kind == .photo ? "\(step.id).png" : "\(step.id).txt",
                                                            contentType: kind == .photo ? "image/png" : "text/plain",
                                                            data: kind == .photo ? Self.tinyPNG : Data("Dokumen demo untuk \(step.id), tiket #\(id).\n".utf8), by: doer)
                        evidence.append(Evidence(kind: kind, value: value))
                    case .letterNumber: evidence.append(Evidence(kind: kind, value: "800/DKISP/\(id)/XI/2026"))
                    case .ipAddress: evidence.append(Evidence(kind: kind, value: "10.20.0.\(10 + id % 200)"))
                    case .dnsName: evidence.append(Evidence(kind: kind, value: "app\(id).contohkab.go.id"))
                    case .rackPosition: evidence.append(Evidence(kind: kind, value: "DC1-R02 U\(10 + id % 20)"))
                    case .note: evidence.append(Evidence(kind: kind, value: Self.notes[Int(random.next(below: UInt64(Self.notes.count)))]))
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
                steps += 1
            }
        }
        // Escalations that fell due along the way.
        _ = try demo.tickets.sweep()
        return made
    }

    static let subjects: [String: [String]] = [
        "fault-dispatch": ["Internet putus", "Koneksi lambat", "Wi-Fi kantor tidak bisa terhubung", "Tidak bisa akses aplikasi SIMPEG", "Switch lantai 2 mati"],
        "hosting-intake": ["Penitipan server aplikasi kepegawaian", "Penitipan server e-office", "Penitipan server SIMDA"],
        "lan-installation": ["Pemasangan jaringan LAN ruang rapat", "Penambahan titik LAN bidang keuangan"],
        "lan-upkeep": ["Pemeliharaan LAN semester"],
        "bandwidth-survey": ["Survei kebutuhan bandwidth 2027"],
        "equipment-repair": ["Proyektor media center rusak", "Mikrofon ruang media center mati"],
    ]

    static let notes = ["Sudah dicek di lokasi.", "Kabel UTP diganti.", "Restart perangkat ONT.", "Koordinasi dengan operator OPD.",
                        "Konfigurasi switch diperbaiki.", "Menunggu konfirmasi pengguna.", "Dikerjakan sesuai SOP."]

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

/// A small deterministic generator (SplitMix64), so the demo is the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below bound: UInt64) -> UInt64 { bound == 0 ? 0 : next() % bound }
}
