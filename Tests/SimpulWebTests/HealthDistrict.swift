import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SimpulCore
import SimpulServices
import SimpulStore
@testable import SimpulWeb
import Testing

/// The tests' district (`Tests/Fixtures/District`) with a health file the test fills as the poller
/// would, for `/metrics` and the dashboard's map. `replacing` edits the inventory's text before the
/// import (a circuit or an agency's name with characters that need escaping); `health: false` is a
/// server without a link-health file.
struct HealthDistrict {
    let clock = TestClock(Date(timeIntervalSince1970: 1_795_254_525))
    let simpul: Simpul
    let health: HealthDatabase
    let cli = Principal.commandLine("test")

    init(replacing: [(file: String, from: String, to: String)] = [], health configured: Bool = true) throws {
        var settings = Simpul.Settings()
        settings.bcryptCost = 4
        settings.atOnceBudget = .seconds(30)
        settings.attemptDeadline = .seconds(30)
        settings.timeZone = "Asia/Makassar"
        let clock = self.clock
        health = try HealthDatabase.inMemory()
        simpul = Simpul(database: try AppDatabase.inMemory(), settings: settings, dns: nil,
                        health: configured ? HealthFile(database: health) : nil, now: { clock.now })
        var documents = try InventoryService.documents(inDirectory: WebFixture.inventoryFolder)
        for change in replacing {
            let index = try #require(documents.firstIndex { $0.file.hasSuffix(change.file) }, "\(change.file)")
            #expect(documents[index].text.contains(change.from), "\(change.from)")
            documents[index].text = documents[index].text.replacingOccurrences(of: change.from, with: change.to)
        }
        try simpul.inventory.importDocuments(documents, by: cli)
        for user in WebFixture.users {
            try simpul.accounts.add(username: user.username, fullName: "Test \(user.username)", role: user.role,
                                    agency: user.agency, password: WebFixture.password, by: cli)
        }
    }

    var now: Int64 { EpochMillis.of(clock.now)! }

    func test<T: Sendable>(_ body: @Sendable (Browser) async throws -> T) async throws -> T {
        let simpul = self.simpul
        let threads = BlockingThreads(count: WebFixture.configuration().blockingThreads)
        let router: Router<WebContext>
        do {
            router = try await buildRouter(simpul: simpul, configuration: WebFixture.configuration(), threads: threads)
        } catch {
            try? await threads.stop()
            throw error
        }
        return try await Application(router: router, services: [threads]).test(.router) { client in try await body(Browser(client: client)) }
    }

    /// An API token's secret for `username`.
    func token(_ username: String) throws -> String {
        let principal = try simpul.accounts.user(username, by: cli).principal
        return try simpul.accounts.createToken(username: username, name: "prometheus", by: principal).secret
    }

    func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

    // MARK: Filling the health file

    /// An interface a walk showed on `device` at ifIndex `index`, beside those it showed before; its id.
    @discardableResult
    func interface(_ device: String, _ name: String, index: Int32 = 1, alias: String? = nil, descr: String? = nil) throws -> Int64 {
        try health.write { w in
            let known = try HealthStore.interfaces(w.reader, device: device)
            // The device's other interfaces are in the same walk (one missing from it would be marked absent).
            let others = known.filter { $0.present && $0.ifIndex != index }.map { WalkedInterface(ifIndex: $0.ifIndex, name: $0.name, alias: $0.alias, descr: $0.descr) }
            let walked = others + [WalkedInterface(ifIndex: index, name: name, alias: alias, descr: descr)]
            let ids = try HealthStore.recordWalk(w, device: device, match: InterfaceMatcher.match(known: known, walked: walked), at: now)
            return try #require(ids[index])
        }
    }

    func state(_ circuit: String, _ state: LinkState, since minutesAgo: Int64, polledSecondsAgo: Int64 = 30) throws {
        try health.write { w in
            try HealthStore.saveLinkState(w, HealthStore.LinkStateRow(circuit: circuit, state: state, machine: Data("{}".utf8),
                                                                      changedAt: now - minutesAgo * 60_000, polledAt: now - polledSecondsAgo * 1000))
        }
    }

    func reading(_ interfaceID: Int64, secondsAgo: Int64, index: Int32 = 1, inOctets: CounterValue?, outOctets: CounterValue?,
                 errors: (UInt32, UInt32)? = nil, speed: UInt64? = nil, uptime: UInt32 = 123_456) throws {
        let at = EpochMillis.date(now - secondsAgo * 1000)
        try health.write { w in
            try HealthStore.saveReadings(w, [(interfaceID: interfaceID, reading: CounterReading(
                at: at, sysUpTime: uptime, ifIndex: index, inOctets: inOctets, outOctets: outOctets, inErrors: errors?.0, outErrors: errors?.1,
                inDiscards: errors.map { _ in 2 }, outDiscards: errors.map { _ in 0 }, speed: speed))])
        }
    }

    func sample(_ interfaceID: Int64, endingSecondsAgo: Int64, inBitsPerSecond: UInt64, outBitsPerSecond: UInt64, errors: UInt64? = nil) throws {
        let end = now - endingSecondsAgo * 1000, start = end - 60_000
        let sample = try #require(TrafficSample(start: start, end: end, inOctets: inBitsPerSecond * 60 / 8, outOctets: outBitsPerSecond * 60 / 8,
                                                inErrors: errors.map { _ in 0 }, outErrors: errors, inDiscards: errors.map { _ in 0 }, outDiscards: errors.map { _ in 0 }))
        try health.write { w in try HealthStore.record(w, samples: [(interfaceID: interfaceID, sample: sample)]) }
    }
}
