import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulStore

extension SurveyCommand {
    /// `simpul survey generate-samples`: synthetic link-health samples for benchmarks and demos — one
    /// sample a minute for every link's interface over the last `--days`, written through the health
    /// store exactly as the poller writes them (raw rows and their hourly roll-ups), with a working-day
    /// shape around a share of each link's committed rate. Never mixes with a live poller's devices
    /// unless asked to (`--force`).
    struct GenerateSamples: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-samples",
            abstract: "Sampel SNMP sintetis untuk uji kinerja / synthetic SNMP samples for benchmarks.",
            shouldDisplay: false)

        @OptionGroup var options: GlobalOptions
        @Option(help: "Hari ke belakang (1–60) / days back.") var days = 30
        @Option(help: "Paling banyak sebanyak ini sirkuit (1–100000) / at most this many circuits.") var links = 100_000
        @Flag(help: "Tulis juga bila antarmuka sudah punya sampel / write even where interfaces already have samples.") var force = false

        func validate() throws {
            try options.require(days, "days", in: 1...60)
            try options.require(links, "links", in: 1...100_000)
        }

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                guard let file = simpul.health else { return }
                let health = try file.database()
                let inventory = try simpul.database.read { r in try InventoryStore.load(r) }
                let polled = inventory.links.filter { $0.device != nil && $0.interface != nil }.prefix(links)
                let end = (EpochMillis.of(simpul.now()) ?? 0) / 60_000 * 60_000
                let start = end - Int64(days) * 86_400_000
                let offset = Int64(simpul.officeTime().timeZone.secondsFromGMT()) * 1000
                var random = SplitMix(seed: 7)
                var written = 0
                for link in polled {
                    guard let device = link.device, let name = link.interface else { continue }
                    let interface = try health.write { w -> Int64? in
                        let known = try HealthStore.interfaces(w.reader, device: device)
                        if let existing = PollService.interface(named: name, in: known) {
                            if !force, try HealthStore.latestSample(w.reader, interfaceID: existing) != nil { return nil }
                            return existing
                        }
                        let index = Int32((known.map(\.ifIndex).max() ?? 0) + 1)
                        let walked = known.filter(\.present).map { WalkedInterface(ifIndex: $0.ifIndex, name: $0.name, alias: $0.alias, descr: $0.descr) }
                            + [WalkedInterface(ifIndex: index, name: name)]
                        return try HealthStore.recordWalk(w, device: device, match: InterfaceMatcher.match(known: known, walked: walked), at: start)[index]
                    }
                    guard let interface else { continue }
                    let down = link.downMbps * 1_000_000, up = link.upMbps * 1_000_000
                    let base = 0.1 + Double(random.next(below: 30)) / 100
                    let growth = Double(random.next(below: 20)) / 100 / Double(days)
                    var day = start
                    while day < end {
                        var batch: [(interfaceID: Int64, sample: TrafficSample)] = []
                        batch.reserveCapacity(1440)
                        var minute = day
                        while minute < min(day + 86_400_000, end) {
                            let local = ((minute + offset) % 86_400_000 + 86_400_000) % 86_400_000
                            let hour = Double(local) / 3_600_000
                            let office = hour >= 7.5 && hour < 16 ? 1.0 : 0.25
                            let age = Double(minute - start) / 86_400_000
                            let noise = 0.8 + Double(random.next(below: 40)) / 100
                            let share = min(1.2, (base + growth * age) * office * noise)
                            let inBits = down * share, outBits = up * share * 0.3
                            if let sample = TrafficSample(start: minute, end: minute + 60_000, inOctets: UInt64(inBits * 60 / 8), outOctets: UInt64(outBits * 60 / 8),
                                                          inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0) {
                                batch.append((interface, sample))
                            }
                            minute += 60_000
                        }
                        written += try health.write { w in try HealthStore.record(w, samples: batch) }
                        day += 86_400_000
                    }
                }
                Swift.print(options.language == .id ? "\(written) sampel ditulis untuk \(polled.count) sirkuit" : "\(written) samples written for \(polled.count) circuits")
            }
        }
    }
}
