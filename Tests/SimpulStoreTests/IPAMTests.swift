import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

@Suite("Addresses from the pools") struct IPAMTests {
    typealias Request = IPAMService.Request

    @Test func holdAssignAndReleaseWithHistoryAndAudit() throws {
        let district = try TestDistrict()
        let ipam = district.simpul.ipam, cli = district.cli
        #expect(try ipam.next(pool: "dc-server", by: cli).description == "10.20.0.10")
        let held = try ipam.hold(Request(pool: "dc-server", owner: "device:SRV-12"), by: cli)
        #expect(held.address.description == "10.20.0.10" && held.state == .held)
        #expect(held.heldUntil == Timestamp.string(district.clock.now.addingTimeInterval(72 * 3600)))
        // Asking again for the same owner gives the same address; assigning turns the hold into the assignment.
        #expect(try ipam.hold(Request(pool: "dc-server", owner: "device:SRV-12"), by: cli).address == held.address)
        let assigned = try ipam.assign(Request(pool: "dc-server", owner: "device:SRV-12", hostname: "simpeg"), by: cli)
        #expect(assigned.address == held.address && assigned.state == .assigned && assigned.hostname == "simpeg")
        #expect(try ipam.next(pool: "dc-server", by: cli).description == "10.20.0.11")
        // Another owner cannot have it, and is told who has it.
        let refusal = #expect(throws: ServiceError.self) {
            try ipam.assign(Request(address: "10.20.0.10", owner: "device:SRV-13"), by: cli)
        }
        #expect(refusal?.kind == .conflict && refusal?.text.en.contains("assigned to device:SRV-12") == true)
        // Released: the address is the next free one again, and its history tells the story.
        try ipam.release("10.20.0.10", note: "server dibongkar", by: cli)
        #expect(try ipam.next(pool: "dc-server", by: cli).description == "10.20.0.10")
        let report = try ipam.show("10.20.0.10", by: cli)
        #expect(report.state == "free" && report.history.map(\.action) == ["held", "assigned", "released"])
        let actions = try district.simpul.database.rawRead {
            try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE object_type = 'address' ORDER BY seq")
        }
        #expect(actions == ["ip.hold", "ip.assign", "ip.release"])
        // Releasing a free address is refused, so a typo is noticed.
        #expect(throws: ServiceError.self) { try ipam.release("10.20.0.10", by: cli) }
    }

    @Test func idempotencyKeysGiveTheSameAddressBack() throws {
        let district = try TestDistrict()
        let ipam = district.simpul.ipam, cli = district.cli
        let a = try ipam.assign(Request(pool: "public-v6", owner: "device:WEB", idempotencyKey: "req-1"), by: cli)
        let b = try ipam.assign(Request(pool: "public-v6", owner: "device:WEB", idempotencyKey: "req-1"), by: cli)
        let c = try ipam.assign(Request(pool: "public-v6", owner: "device:WEB", idempotencyKey: "req-2"), by: cli)
        #expect(a.address.description == "2001:db8:20::100" && b.address == a.address && c.address.description == "2001:db8:20::101")
        // The key belongs to its owner.
        #expect(throws: ServiceError.self) { try ipam.assign(Request(pool: "public-v6", owner: "device:OTHER", idempotencyKey: "req-1"), by: cli) }
        #expect(try district.count("ip_addresses") == 2)
    }

    @Test func holdsLapseByThemselves() throws {
        let district = try TestDistrict()
        let ipam = district.simpul.ipam, cli = district.cli
        let held = try ipam.hold(Request(pool: "dc-server", owner: "device:SRV-1", holdFor: 3600), by: cli)
        _ = try ipam.assign(Request(pool: "dc-server", owner: "device:SRV-2"), by: cli)
        district.clock.advance(3601)
        // Before any sweep, the lapsed hold's address is already the next one.
        #expect(try ipam.next(pool: "dc-server", by: cli) == held.address)
        // The next allocation in the pool releases it first, and may get it.
        let other = try ipam.hold(Request(pool: "dc-server", owner: "device:SRV-3"), by: cli)
        #expect(other.address == held.address)
        #expect(try ipam.show(held.address.description, by: cli).history.map(\.action) == ["held", "expired", "held"])
        // The sweep releases what lapsed elsewhere.
        _ = try ipam.hold(Request(pool: "public-v4", owner: "device:SRV-4", holdFor: 60), by: cli)
        district.clock.advance(61)
        #expect(try ipam.releaseLapsedHolds() == 1)
        #expect(try ipam.list(pool: "public-v4", by: cli).isEmpty)
    }

    @Test func badRequestsAreRefusedReadablyAndChangeNothing() throws {
        let district = try TestDistrict()
        let ipam = district.simpul.ipam, cli = district.cli
        func refusal(_ request: Request) -> String? {
            do { _ = try ipam.assign(request, by: cli); return nil } catch let error as ServiceError { return error.text.en } catch { return "\(error)" }
        }
        #expect(refusal(Request(pool: "dc-server", address: "10.20.0.300", owner: "x"))?.contains("is not an IP address") == true)
        #expect(refusal(Request(pool: "dc-server", address: "10.99.0.50", owner: "x"))?.contains("outside pool dc-server") == true)
        #expect(refusal(Request(address: "192.0.2.1", owner: "x"))?.contains("is in no pool") == true)
        #expect(refusal(Request(address: "10.20.0.1", owner: "x"))?.contains("the pool's gateway") == true)
        #expect(refusal(Request(address: "10.20.0.3", owner: "x"))?.contains("reserved: Perangkat jaringan pusat data") == true)
        #expect(refusal(Request(pool: "nope", owner: "x"))?.contains("does not exist") == true)
        #expect(refusal(Request(pool: "dc-server", owner: " "))?.contains("say who") == true)
        #expect(try district.count("ip_addresses") == 0 && district.count("ip_history") == 0)
        // Only admins change addresses.
        let tech = try district.simpul.accounts.add(username: "tek1", fullName: "Tek", role: .technician, agency: nil,
                                                     password: "Rahasia-Kantor-2026!", by: cli).principal
        #expect(throws: ServiceError.self) { try ipam.hold(Request(pool: "dc-server", owner: "x"), by: tech) }
        #expect(try ipam.next(pool: "dc-server", by: tech).description == "10.20.0.10")
    }

    @Test func aPoolRunsOutWithAClearMessage() throws {
        let district = try TestDistrict()
        let ipam = district.simpul.ipam, cli = district.cli
        var seen = Set<IPAddress>()
        for n in 0..<230 { seen.insert(try ipam.assign(Request(pool: "dc-server", owner: "device:\(n)"), by: cli).address) }
        #expect(seen.count == 230)
        #expect(seen.allSatisfy { Prefix("10.20.0.0/24")!.contains($0) })
        let error = #expect(throws: ServiceError.self) { try ipam.assign(Request(pool: "dc-server", owner: "device:231"), by: cli) }
        #expect(error?.text.en.contains("is exhausted") == true)
        // Returned in any order, the free space merges back into one range.
        for address in seen.shuffled() { try ipam.release(address.description, by: cli) }
        let ranges = try district.simpul.database.rawRead { try Row.fetchAll($0, sql: "SELECT first, last FROM ip_free f JOIN pools p ON p.id = f.pool_id WHERE p.name = 'dc-server'") }
        #expect(ranges.count == 1 && ranges.first?["first"] == "0a14000a" && ranges.first?["last"] == "0a1400ef")
    }

    /// Eight writers, each with its own connection to the file as separate processes would have,
    /// allocating at once: every address is handed out once, and nothing fails but exhaustion.
    @Test func concurrentAllocatorsNeverShareAnAddress() throws {
        let district = try TestDistrict()
        let path = district.path
        let results = Locked<[IPAddress]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let simpul = Simpul(database: try AppDatabase.open(path: path), now: { district.clock.now })
                for n in 0..<40 {
                    do {
                        let allocation = try simpul.ipam.assign(Request(pool: "dc-server", owner: "w\(worker)-\(n)"), by: district.cli)
                        results.mutate { $0.append(allocation.address) }
                    } catch let error as ServiceError where error.text.en.contains("exhausted") {
                        break
                    }
                }
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        #expect(failures.value == [])
        #expect(results.value.count == 230 && Set(results.value).count == 230)
    }

    @Test func anImportMayNotTakeAnAddressInUseAway() throws {
        let district = try TestDistrict()
        _ = try district.simpul.ipam.assign(Request(pool: "dc-server", address: "10.20.0.200", owner: "device:SIMPEG"), by: district.cli)
        var documents = try district.exampleDocuments()
        let index = try #require(documents.firstIndex { $0.file.hasSuffix("pools.yaml") })
        documents[index].text = documents[index].text.replacingOccurrences(of: "10.20.0.240/28", with: "10.20.0.192/26")
        let error = #expect(throws: InventoryInvalid.self) { try district.simpul.inventory.importDocuments(documents, by: district.cli) }
        let text = error?.issues.first?.text.en ?? ""
        #expect(text.contains("10.20.0.200") && text.contains("now reserved") && text.contains("simpul ip release 10.20.0.200"), "\(text)")
        #expect(try district.simpul.ipam.show("10.20.0.200", by: district.cli).state == "assigned")
    }
}

/// A value several threads change under a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
