import Foundation
import SimpulCore
@testable import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

/// The spare-parts stock (issue 13): stock changes only by a recorded movement with its audit row;
/// using more than is in stock is refused and writes nothing; two technicians taking the last one at
/// once cannot both have it; the fault work log takes parts inside its own transaction.
@Suite("Spare parts")
struct PartServiceTests {
    let district: TestDistrict
    let users: [String: Principal]

    init() throws {
        district = try TestDistrict(loadPlaybooks: true)
        var made: [String: Principal] = [:]
        for (name, role, agency) in [("kasi", Role.supervisor, nil), ("kadis", .head, nil), ("admin1", .admin, nil), ("tek", .technician, nil),
                                     ("tek2", .technician, nil), ("clerk1", .clerk, nil), ("lihat", .viewer, nil), ("opd", .agency, "DINKES")]
                as [(String, Role, String?)] {
            made[name] = try district.simpul.accounts.add(username: name, fullName: name, role: role, agency: agency, password: "Rahasia-sangat-12345",
                                                          by: district.cli).principal
        }
        users = made
    }

    var parts: PartService { district.simpul.parts }

    /// A repair ticket to use parts on (equipment-repair: opened generically).
    func repairTicket() throws -> Int64 {
        try district.simpul.tickets.open(playbook: "equipment-repair", subject: "Switch lantai 2 mati", agency: "DINKES", by: users["kasi"]!)
    }

    /// A patch cord with `stock` received.
    @discardableResult
    func patchCord(stock: Int = 0, minimum: Int = 5) throws -> Part {
        let part = try parts.add(code: "pc-utp-2m", name: "Patch cord UTP 2 m", unit: "buah", minimum: minimum, location: "Lemari A1", by: users["kasi"]!)
        return stock > 0 ? try parts.receive(code: part.code, quantity: stock, note: "BAST 027", by: users["kasi"]!) : part
    }

    func audit(_ action: String) throws -> [AuditEntry] {
        try district.simpul.audit.recent(limit: 1000, by: district.cli).entries.filter { $0.action == action }
    }

    func refusal(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "accepted" } catch let e as ServiceError { return e.text.en } catch { return "\(error)" }
    }

    @Test func receivingUsingAndCorrectingAreEachAMovementWithItsAuditRow() throws {
        let added = try patchCord()
        #expect(added.code == "PC-UTP-2M" && added.quantity == 0 && added.isLow)
        var part = try parts.receive(code: "PC-UTP-2M", quantity: 12, note: "BAST 027/DKISP/XI/2026", by: users["kasi"]!)
        #expect(part.quantity == 12 && !part.isLow)
        let ticket = try repairTicket()
        district.clock.advance(60)
        part = try parts.use(code: "pc-utp-2m", quantity: 3, ticket: ticket, note: "ganti di ruang server", by: users["tek"]!)
        #expect(part.quantity == 9)
        district.clock.advance(60)
        part = try parts.adjust(code: "PC-UTP-2M", to: 4, reason: "stock opname: 5 rusak", by: users["kadis"]!)
        #expect(part.quantity == 4 && part.isLow)

        let history = try parts.movements(code: "PC-UTP-2M", by: users["lihat"]!)
        #expect(history.movements.map(\.kind) == [.adjust, .use, .receive])
        #expect(history.movements.map(\.delta) == [-5, -3, 12])
        #expect(history.movements[1].ticketID == ticket && history.movements[1].ticketSubject == "Switch lantai 2 mati" && history.movements[1].by == "tek")
        #expect(history.movements[0].note == "stock opname: 5 rusak" && history.movements[0].by == "kadis")
        #expect(try parts.movements(ticket: ticket, by: users["kasi"]!).map(\.delta) == [-3])

        let received = try #require(try audit("part.receive").first)
        #expect(received.objectType == "part" && received.objectKey == "PC-UTP-2M" && received.actor == "kasi")
        #expect(received.before?.contains("\"0\"") == true && received.after?.contains("\"12\"") == true)
        let used = try #require(try audit("part.use").first)
        #expect(used.actor == "tek" && used.after?.contains("#\(ticket)") == true && used.after?.contains("\"9\"") == true)
        let adjusted = try #require(try audit("part.adjust").first)
        #expect(adjusted.reason == "stock opname: 5 rusak" && adjusted.before?.contains("\"9\"") == true)
        #expect(try audit("part.add").count == 1)
        // The chain still verifies with the new rows in it.
        #expect(try district.simpul.audit.verify(by: district.cli).problems.isEmpty)
        // Below its minimum, it is in the low-stock list, first.
        _ = try parts.add(code: "RJ45", name: "Konektor RJ45", unit: "pcs", minimum: 0, by: users["admin1"]!)
        #expect(try parts.lowStock(by: users["tek"]!).map(\.code) == ["PC-UTP-2M"])
        #expect(try parts.list(by: users["tek"]!).map(\.code) == ["PC-UTP-2M", "RJ45"])
    }

    @Test func usingMoreThanIsInStockIsRefusedAndWritesNothing() throws {
        try patchCord(stock: 2)
        let ticket = try repairTicket()
        let movements = try district.count("part_movements"), audits = try district.count("audit_log")
        let said = refusal { try parts.use(code: "PC-UTP-2M", quantity: 3, ticket: ticket, by: users["tek"]!) }
        #expect(said.contains("only 2 buah of Patch cord UTP 2 m in stock"))
        #expect(try parts.part(code: "PC-UTP-2M", by: users["tek"]!).quantity == 2)
        #expect(try district.count("part_movements") == movements && district.count("audit_log") == audits)
        // All of it is fine, and then there is none left to take.
        #expect(try parts.use(code: "PC-UTP-2M", quantity: 2, ticket: ticket, by: users["tek"]!).quantity == 0)
        #expect(refusal { try parts.use(code: "PC-UTP-2M", quantity: 1, ticket: ticket, by: users["tek"]!) }.contains("only 0 buah"))
        #expect(try district.count("part_movements") == movements + 1)
    }

    @Test func theFaultWorkLogTakesPartsInItsOwnTransaction() throws {
        try patchCord(stock: 5)
        let fault = try district.simpul.faults.open(FaultService.Report(agency: "DINKES", link: "NUS-CKB-0008", channel: .phone, reporterName: "Budi",
                                                                        reporterContact: "0812", symptom: .noConnection, description: "mati"),
                                                    by: users["clerk1"]!).ticketID
        let simpul = district.simpul
        // The work log's entry and the part leave together.
        let logID = try simpul.database.write(as: "tek", at: simpul.now()) { tx in
            let id = try FaultStore.log(tx, ticketID: fault, checked: "ONT", found: "patch cord putus", did: "diganti", outcome: .progress)
            try PartService.use(tx, code: "PC-UTP-2M", quantity: 2, ticketID: fault, logID: id, note: nil)
            return id
        }
        let used = try #require(try parts.movements(ticket: fault, by: users["kasi"]!).first)
        #expect(used.logID == logID && used.delta == -2 && used.by == "tek")
        // A second part that is short undoes the entry and the first part with it.
        let entries = try district.count("fault_log")
        #expect(throws: ServiceError.self) {
            try simpul.database.write(as: "tek", at: simpul.now()) { tx in
                let id = try FaultStore.log(tx, ticketID: fault, checked: "ONT", found: "", did: "ganti lagi", outcome: .progress)
                try PartService.use(tx, code: "PC-UTP-2M", quantity: 1, ticketID: fault, logID: id, note: nil)
                try PartService.use(tx, code: "PC-UTP-2M", quantity: 10, ticketID: fault, logID: id, note: nil)
            }
        }
        #expect(try district.count("fault_log") == entries)
        #expect(try parts.part(code: "PC-UTP-2M", by: users["tek"]!).quantity == 3)
        #expect(try parts.movements(ticket: fault, by: users["kasi"]!).count == 1)
        // Another ticket's log entry is refused.
        let other = try repairTicket()
        #expect(throws: ServiceError.self) {
            try simpul.database.write(as: "tek", at: simpul.now()) { tx in
                try PartService.use(tx, code: "PC-UTP-2M", quantity: 1, ticketID: other, logID: logID, note: nil)
            }
        }
        #expect(try parts.part(code: "PC-UTP-2M", by: users["tek"]!).quantity == 3)
    }

    @Test func twoTechniciansTakingTheLastOneAtOnceCannotBothHaveIt() throws {
        try patchCord()
        let ticket = try repairTicket()
        // The second technician works through another connection to the same file, as another process would.
        let other = try TestDistrict(path: district.path)
        let services = [district.simpul.parts, other.simpul.parts]
        let technicians = [users["tek"]!, users["tek2"]!]
        let rounds = 20
        for _ in 0..<rounds {
            try parts.receive(code: "PC-UTP-2M", quantity: 1, by: users["kasi"]!)
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    _ = try services[i].use(code: "PC-UTP-2M", quantity: 1, ticket: ticket, by: technicians[i])
                    results.add(nil)
                } catch let error as ServiceError {
                    results.add(error.text.en)
                } catch {
                    results.add("unexpected: \(error)")
                }
            }
            let outcomes = results.all
            #expect(outcomes.count == 2)
            #expect(outcomes.filter { $0 == nil }.count == 1, "exactly one takes the last one: \(outcomes)")
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0.contains("only 0 buah of Patch cord UTP 2 m in stock") }, "\(outcomes)")
        }
        #expect(try parts.part(code: "PC-UTP-2M", by: users["tek"]!).quantity == 0)
        let history = try parts.movements(code: "PC-UTP-2M", limit: 1000, by: users["tek"]!).movements
        #expect(history.filter { $0.kind == .use }.count == rounds && history.filter { $0.kind == .receive }.count == rounds)
        #expect(try audit("part.use").count == rounds)
    }

    @Test func whoMayDoWhat() throws {
        try patchCord(stock: 3)
        let ticket = try repairTicket()
        // Office staff see the stock; an agency does not.
        for name in ["lihat", "clerk1", "tek", "kasi", "kadis", "admin1"] {
            #expect(try parts.list(by: users[name]!).count == 1, "\(name)")
        }
        #expect(refusal { try parts.list(by: users["opd"]!) }.contains("office staff"))
        #expect(refusal { try parts.movements(code: "PC-UTP-2M", by: users["opd"]!) }.contains("office staff"))
        // Supervisors, the head and the admin keep the stock; technicians, clerks and viewers do not.
        for name in ["tek", "clerk1", "lihat", "opd"] {
            #expect(refusal { try parts.add(code: "X-\(name)", name: "x", unit: "buah", minimum: 0, by: users[name]!) }.contains("supervisors, the head or an admin"))
            #expect(refusal { try parts.receive(code: "PC-UTP-2M", quantity: 1, by: users[name]!) }.contains("supervisors, the head or an admin"))
            #expect(refusal { try parts.adjust(code: "PC-UTP-2M", to: 1, reason: "hitung", by: users[name]!) }.contains("supervisors, the head or an admin"))
        }
        for name in ["kasi", "kadis", "admin1"] {
            #expect(try parts.receive(code: "PC-UTP-2M", quantity: 1, by: users[name]!).quantity > 0)
        }
        // Technicians and those above them use parts; clerks, viewers and agencies do not.
        for name in ["clerk1", "lihat", "opd"] {
            #expect(refusal { try parts.use(code: "PC-UTP-2M", quantity: 1, ticket: ticket, by: users[name]!) }.contains("used by technicians"))
        }
        for name in ["tek", "kasi", "kadis", "admin1"] {
            _ = try parts.use(code: "PC-UTP-2M", quantity: 1, ticket: ticket, by: users[name]!)
        }
        #expect(try parts.part(code: "PC-UTP-2M", by: users["tek"]!).quantity == 2)
    }

    @Test func badInputIsRefusedWithWhatToDoAndWritesNothing() throws {
        let kasi = users["kasi"]!
        #expect(refusal { try parts.add(code: "bad code", name: "x", unit: "buah", minimum: 0, by: kasi) }.contains("letters, digits, -, _ or ."))
        #expect(refusal { try parts.add(code: "-X", name: "x", unit: "buah", minimum: 0, by: kasi) }.contains("starting with a letter or digit"))
        #expect(refusal { try parts.add(code: String(repeating: "A", count: 65), name: "x", unit: "buah", minimum: 0, by: kasi) }.contains("1–64"))
        #expect(refusal { try parts.add(code: "OK", name: "  ", unit: "buah", minimum: 0, by: kasi) }.contains("give the part's name"))
        #expect(refusal { try parts.add(code: "OK", name: "x", unit: "2 buah", minimum: 0, by: kasi) }.contains("one short word of letters"))
        #expect(refusal { try parts.add(code: "OK", name: "x", unit: "", minimum: 0, by: kasi) }.contains("one short word"))
        #expect(refusal { try parts.add(code: "OK", name: "x", unit: "buah", minimum: -1, by: kasi) }.contains("from 0 to 1000000"))
        #expect(refusal { try parts.add(code: "OK", name: "x", unit: "buah", minimum: 1_000_001, by: kasi) }.contains("from 0 to 1000000"))
        #expect(refusal { try parts.add(code: "OK", name: "x", unit: "buah", minimum: 0, location: String(repeating: "x", count: 201), by: kasi) }.contains("at most 200"))
        #expect(try district.count("parts") == 0)

        try patchCord(stock: 999_990)
        let movements = try district.count("part_movements")
        #expect(refusal { try parts.add(code: "PC-UTP-2M", name: "lagi", unit: "buah", minimum: 0, by: kasi) }.contains("already exists"))
        #expect(refusal { try parts.receive(code: "NOPE", quantity: 1, by: kasi) }.contains("no part with code NOPE"))
        #expect(refusal { try parts.receive(code: "PC-UTP-2M", quantity: 0, by: kasi) }.contains("from 1 to 1000000"))
        #expect(refusal { try parts.receive(code: "PC-UTP-2M", quantity: Int.max, by: kasi) }.contains("from 1 to 1000000"))
        #expect(refusal { try parts.receive(code: "PC-UTP-2M", quantity: 11, by: kasi) }.contains("at most 10 more can be received"))
        #expect(refusal { try parts.receive(code: "PC-UTP-2M", quantity: 1, note: String(repeating: "x", count: 1001), by: kasi) }.contains("at most 1000"))
        #expect(refusal { try parts.adjust(code: "PC-UTP-2M", to: 5, reason: "  ", by: kasi) }.contains("write why"))
        #expect(refusal { try parts.adjust(code: "PC-UTP-2M", to: -1, reason: "hitung", by: kasi) }.contains("from 0 to 1000000"))
        #expect(refusal { try parts.adjust(code: "PC-UTP-2M", to: 999_990, reason: "hitung", by: kasi) }.contains("nothing to correct"))
        let tek = users["tek"]!
        #expect(refusal { try parts.use(code: "PC-UTP-2M", quantity: 1, ticket: 999_999, by: tek) }.contains("ticket #999999 does not exist"))
        #expect(refusal { try parts.use(code: "PC-UTP-2M", quantity: -3, ticket: 1, by: tek) }.contains("from 1 to 1000000"))
        let ticket = try repairTicket()
        try district.simpul.tickets.act(ticket, .cancel, reason: "dobel", by: users["admin1"]!)
        #expect(refusal { try parts.use(code: "PC-UTP-2M", quantity: 1, ticket: ticket, by: tek) }.contains("is closed"))
        #expect(refusal { try parts.update(code: "PC-UTP-2M", name: "Patch cord UTP 2 m", by: kasi) }.contains("nothing changes"))
        #expect(try district.count("part_movements") == movements)
        #expect(try parts.part(code: "PC-UTP-2M", by: tek).quantity == 999_990)
        // A change of what is said about it is audited and leaves the stock alone.
        let changed = try parts.update(code: "PC-UTP-2M", minimum: 20, location: "", by: kasi)
        #expect(changed.minimum == 20 && changed.location == nil && changed.quantity == 999_990)
        #expect(try audit("part.update").count == 1)
    }
}

/// Outcomes gathered from concurrent work.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String?] = []

    func add(_ item: String?) { lock.withLock { items.append(item) } }
    var all: [String?] { lock.withLock { items } }
}
