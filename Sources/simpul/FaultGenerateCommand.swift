import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

extension FaultCommand {
    /// Bulk faults for the provider-report benchmark (scripts/bench_faults.sh): a month of faults on a
    /// provider's links, each walked through the faults module on a simulated clock as people would —
    /// reported, assigned, not fixed (escalated, its mail in the outbox), acknowledged (some late, some
    /// never, the ladder's next level from the ticket sweep when late), restored (some past the contract), the result, closed.
    /// Deterministic for a seed. Faults on one link follow one another (one open fault per link).
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", 
            abstract: "Buat sebulan gangguan contoh untuk uji beban / make a month of example faults for benchmarks.", shouldDisplay: false)

        @OptionGroup var options: GlobalOptions
        @Option(help: "Bulan YYYY-MM (waktu kantor) yang sudah dimulai / a month (office time) that has begun.") var month: String?
        @Flag(help: "Gangguan yang masih terbuka, satu per sambungan semua penyedia / open faults, one per link of every provider.") var open = false
        @Option(help: "Jumlah gangguan / how many faults.") var count = 2000
        @Option(help: "Penyedia yang sambungannya dipakai / the provider whose links they are on.") var provider = "NUSANET"
        @Option(help: "Benih acak / random seed.") var seed = 2026

        func validate() throws {
            try options.require(count, "count", in: Bounds.demoCount)
            try options.require(seed, "seed", in: 0...Int(Int32.max))
            if (month == nil) == !open {
                throw ValidationError(Text(id: "beri --month untuk sebulan gangguan, atau --open untuk gangguan terbuka", en: "give --month for a month of faults, or --open for open faults").en)
            }
        }

        /// One thing done to a fault, at its time.
        enum Action: Int, Comparable {
            case open, assign, notFixed, acknowledge, coordinate, progress, progressOnward, restore, close, closeOnward, sweep
            static func < (a: Action, b: Action) -> Bool { a.rawValue < b.rawValue }
        }

        struct Plan {
            var circuit: String
            var start: Date
            /// Offsets from the outage's start, in seconds.
            var steps: [(Action, TimeInterval)]
            var lifetime: TimeInterval { steps.map(\.1).max() ?? 0 }
        }

        func run() throws {
            if open { return try runOpen() }
            try options.run {
                let simpul = try options.simpul()
                let zone = simpul.officeTime().timeZone
                let month = try ReportCommand.month(self.month ?? "", simpul)
                let realNow = simpul.now()
                let start = month.start(in: zone), end = min(month.end(in: zone), realNow)
                guard end > start else {
                    throw CLIError(Text(id: "bulan \(month) belum dimulai", en: "month \(month) has not begun"))
                }
                let code = provider.uppercased()
                let links = try simpul.estate.links(for: options.principal, provider: code).map(\.link.circuit)
                guard let contract = try simpul.estate.providers(for: options.principal).first(where: { $0.provider.code == code })?.provider else {
                    throw CLIError(Text(id: "penyedia \(code) tidak ada; impor inventaris dulu", en: "provider \(code) does not exist; import the inventory first"))
                }
                guard !links.isEmpty else {
                    throw CLIError(Text(id: "penyedia \(code) tidak punya sambungan", en: "provider \(code) has no links"))
                }
                guard count > 0 else { return }
                let people = try staff(simpul)
                var random = SplitMix(seed: UInt64(seed))
                func minutes(_ low: Int, _ high: Int) -> TimeInterval { TimeInterval(low + Int(random.next(below: UInt64(high - low + 1)))) * 60 }
                let response = contract.sla.responseMinutes, restore = contract.sla.restoreMinutes

                // Each link's faults one after another, with the month's spare time spread between them.
                var plans: [Plan] = []
                for (index, circuit) in links.enumerated() {
                    let mine = count / links.count + (index < count % links.count ? 1 : 0)
                    guard mine > 0 else { continue }
                    var timelines: [[(Action, TimeInterval)]] = []
                    for _ in 0..<mine {
                        let reported = minutes(2, 20)
                        let assigned = reported + minutes(3, 15)
                        let escalated = assigned + minutes(10, 40)
                        let roll = random.next(below: 100)
                        // Most answers within the contract; one in eight late; one in thirty never recorded.
                        let acknowledged: TimeInterval? = roll < 3 ? nil : escalated + (roll < 15 ? minutes(response + 1, response * 4) : minutes(2, response))
                        let restoreRoll = random.next(below: 100)
                        var restored = restoreRoll < 18 ? minutes(restore + 1, restore + restore / 2) : minutes(restore / 4, restore - 5)
                        restored = max(restored, (acknowledged ?? escalated) + minutes(5, 30))
                        var steps: [(Action, TimeInterval)] = [(.open, reported), (.assign, assigned), (.notFixed, escalated)]
                        if let acknowledged { steps.append((.acknowledge, acknowledged)) }
                        let coordinate = escalated + minutes(5, 15)
                        let progress = coordinate + minutes(3, 10)
                        let onward = progress + minutes(3, 10)
                        steps += [(.coordinate, coordinate), (.progress, progress), (.progressOnward, onward), (.restore, restored)]
                        let close = max(restored, onward) + minutes(10, 40)
                        steps += [(.close, close), (.closeOnward, close + minutes(5, 20))]
                        timelines.append(steps)
                    }
                    let busy = timelines.reduce(0) { $0 + ($1.map(\.1).max() ?? 0) + 60 }
                    let spare = end.timeIntervalSince(start) - busy - 60
                    guard spare > 0 else {
                        throw CLIError(Text(id: "\(mine) gangguan tidak muat sebulan pada satu sambungan \(circuit); kurangi --count",
                                            en: "\(mine) faults do not fit in the month on one link (\(circuit)); lower --count"))
                    }
                    let weights = (0..<mine).map { _ in Double(random.next(below: 1000) + 1) }
                    let scale = spare / weights.reduce(0, +)
                    var at = start.addingTimeInterval(1)
                    for (timeline, weight) in zip(timelines, weights) {
                        at = at.addingTimeInterval(weight * scale)
                        plans.append(Plan(circuit: circuit, start: at, steps: timeline))
                        at = at.addingTimeInterval((timeline.map(\.1).max() ?? 0) + 60)
                    }
                }

                // Everything in the order it happened, on a clock the services read.
                var events: [(at: Date, plan: Int, action: Action)] = []
                for (index, plan) in plans.enumerated() {
                    for (action, offset) in plan.steps { events.append((plan.start.addingTimeInterval(offset), index, action)) }
                }
                // The ticket sweep every ten minutes, as its timer runs it: the ladder's next levels, the playbook's rules.
                var tick = start.addingTimeInterval(600)
                while tick < end {
                    events.append((tick, -1, .sweep))
                    tick = tick.addingTimeInterval(600)
                }
                events.sort { ($0.at, $0.action == .sweep ? 1 : 0, $0.plan, $0.action) < ($1.at, $1.action == .sweep ? 1 : 0, $1.plan, $1.action) }
                let clock = GeneratorClock(start)
                let sim = Simpul(database: simpul.database, settings: simpul.settings, dns: nil, now: { clock.now })
                var tickets: [Int: Int64] = [:]
                let began = ContinuousClock.now
                for event in events {
                    clock.now = event.at
                    if event.action == .sweep {
                        _ = try sim.tickets.sweep()
                        continue
                    }
                    let plan = plans[event.plan]
                    let tech = people.technicians[event.plan % people.technicians.count]
                    let step = { (note: String, kind: EvidenceKind, who: Principal, assign: String?) throws in
                        _ = try sim.tickets.act(tickets[event.plan]!, .complete(evidence: [Evidence(kind: kind, value: note)], branch: nil, note: nil, assignTo: assign),
                                                by: who)
                    }
                    switch event.action {
                    case .open:
                        let opened = try sim.faults.open(FaultService.Report(
                            agency: nil, link: plan.circuit, channel: .phone, reporterName: "Operator \(plan.circuit)", reporterContact: "0812 555 0000",
                            symptom: .noConnection, description: "Internet mati (contoh uji beban)", startedAt: plan.start), by: people.supervisor)
                        tickets[event.plan] = opened.ticketID
                    case .assign: try step("Teknisi ke lokasi", .note, people.supervisor, tech.username)
                    case .notFixed:
                        try sim.faults.log(ticket: tickets[event.plan]!, FaultService.LogForm(checked: "ONT, kabel", found: "tidak ada sinyal dari penyedia",
                                                                                           outcome: .notFixed), by: tech)
                    case .acknowledge:
                        try sim.faults.acknowledge(ticket: tickets[event.plan]!, providerTicket: "TT-\(tickets[event.plan]!)", by: tech)
                    case .coordinate: try step("Dilaporkan ke NOC penyedia", .note, tech, nil)
                    case .progress: try step("Menunggu perbaikan penyedia", .report, tech, nil)
                    case .progressOnward: try step("Diteruskan ke Kepala Bidang", .report, people.supervisor, nil)
                    case .restore: try sim.faults.restore(ticket: tickets[event.plan]!, by: tech)
                    case .close:
                        _ = try sim.faults.close(ticket: tickets[event.plan]!, cause: [.fiberCut, .providerUpstream, .power][event.plan % 3],
                                                 resolution: "Penyedia memulihkan sambungan", by: tech)
                    case .closeOnward: try step("Hasil diteruskan", .report, people.supervisor, nil)
                    case .sweep: break
                    }
                }
                let seconds = (ContinuousClock.now - began).seconds
                Swift.print(Text(id: "\(plans.count) gangguan pada \(links.count) sambungan \(code), \(month), dibuat dalam \(String(format: "%.1f", seconds)) s",
                                 en: "\(plans.count) faults on \(links.count) links of \(code) in \(month), made in \(String(format: "%.1f", seconds)) s")(options.language))
            }
        }

        /// `--open`: `count` faults still open, one on each of as many links (every provider's), reported
        /// over the last eight hours and left where the office would have them now — a quarter waiting
        /// for a technician, a quarter under repair (many past the step's standard, so the playbook's
        /// rules are due), half escalated to the provider (some acknowledged, most still waiting, so the
        /// ladder's next levels are due). No sweep runs: what is due is left for `simpul ticket sweep`.
        func runOpen() throws {
            try options.run {
                let simpul = try options.simpul()
                let links = try simpul.estate.links(for: options.principal).map(\.link.circuit)
                guard count <= links.count else {
                    throw CLIError(Text(id: "\(count) gangguan terbuka perlu \(count) sambungan; inventaris punya \(links.count)",
                                        en: "\(count) open faults need \(count) links; the inventory has \(links.count)"))
                }
                let people = try staff(simpul)
                var random = SplitMix(seed: UInt64(seed))
                let realNow = simpul.now()
                let clock = GeneratorClock(realNow)
                let sim = Simpul(database: simpul.database, settings: simpul.settings, dns: nil, now: { clock.now })
                let began = ContinuousClock.now
                var stages = [0, 0, 0, 0]
                for (index, circuit) in links.prefix(count).enumerated() {
                    let started = realNow.addingTimeInterval(-TimeInterval(30 + random.next(below: 8 * 60)) * 60)
                    let stage = Int(random.next(below: 4))
                    stages[stage] += 1
                    let tech = people.technicians[index % people.technicians.count]
                    clock.now = started.addingTimeInterval(TimeInterval(60 + random.next(below: 600)))
                    let ticket = try sim.faults.open(FaultService.Report(
                        agency: nil, link: circuit, channel: .phone, reporterName: "Operator \(circuit)", reporterContact: "0812 555 0000",
                        symptom: .noConnection, description: "Internet mati (contoh uji beban)", startedAt: started), by: people.supervisor).ticketID
                    guard stage > 0 else { continue }
                    clock.now = clock.now.addingTimeInterval(TimeInterval(180 + random.next(below: 900)))
                    _ = try sim.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Teknisi ke lokasi")], branch: nil, note: nil,
                                                              assignTo: tech.username), by: people.supervisor)
                    guard stage > 1 else { continue }
                    clock.now = clock.now.addingTimeInterval(TimeInterval(600 + random.next(below: 2400)))
                    guard clock.now < realNow else { continue }
                    _ = try sim.faults.log(ticket: ticket, FaultService.LogForm(checked: "ONT, kabel", found: "tidak ada sinyal dari penyedia", outcome: .notFixed),
                                           by: tech)
                    guard stage > 2 else { continue }
                    clock.now = clock.now.addingTimeInterval(TimeInterval(120 + random.next(below: 1800)))
                    guard clock.now < realNow else { continue }
                    try sim.faults.acknowledge(ticket: ticket, providerTicket: "TT-\(ticket)", by: tech)
                }
                let seconds = (ContinuousClock.now - began).seconds
                Swift.print(Text(id: "\(count) gangguan terbuka dibuat dalam \(String(format: "%.1f", seconds)) s (menunggu teknisi \(stages[0]), perbaikan \(stages[1]), dieskalasi \(stages[2]), ditanggapi penyedia \(stages[3]))",
                                 en: "\(count) open faults made in \(String(format: "%.1f", seconds)) s (awaiting a technician \(stages[0]), under repair \(stages[1]), escalated \(stages[2]), acknowledged by the provider \(stages[3]))")(options.language))
            }
        }

        /// The office's technicians and a supervisor: those in the database, or bench accounts made now.
        func staff(_ simpul: Simpul) throws -> (supervisor: Principal, technicians: [Principal]) {
            let users = try simpul.accounts.list(by: options.principal).filter { !$0.disabled }
            func made(_ name: String, _ role: Role) throws -> Principal {
                let password = (0..<2).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
                return try simpul.accounts.add(username: name, fullName: "Bench \(name)", role: role, agency: nil, password: password,
                                               by: options.principal).principal
            }
            let supervisor = try users.first { $0.role == .supervisor }?.principal ?? made("bench.kasi", .supervisor)
            var technicians = users.filter { $0.role == .technician }.map(\.principal)
            if technicians.isEmpty { technicians = [try made("bench.teknisi1", .technician), try made("bench.teknisi2", .technician)] }
            return (supervisor, technicians)
        }
    }
}

/// The generator's simulated clock.
private final class GeneratorClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
