import Foundation
import GRDB
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore
import Testing

/// A LAN installation from the agency's letter to the completion report (issue 15): the inventory
/// CSV checked whole, the parafs in the chain's order, the signature that numbers both letters, the
/// work log with its test, the inventory book, the Berita Acara; numbers across a year boundary and
/// under concurrent issuing; and the upkeep plan, checklist and board.
@Suite("LAN installation and upkeep")
struct LANServiceTests {
    /// Tuesday 1 Dec 2026 09:00 WITA.
    static let december = Date(timeIntervalSince1970: 1_796_086_800)

    struct Office {
        let district: TestDistrict
        var users: [String: Principal] = [:]
        var simpul: Simpul { district.simpul }

        init(now: Date = LANServiceTests.december, path: String? = nil) throws {
            district = try TestDistrict(loadPlaybooks: true, now: now, path: path)
            for (name, role, agency) in [("kadis", Role.head, nil), ("kasi.jaringan", .supervisor, nil), ("kabid.tik", .supervisor, nil),
                                         ("tek1", .technician, nil), ("tu.umum", .clerk, nil), ("dinkes", .agency, "DINKES"), ("bkpsdm", .agency, "BKPSDM")]
                as [(String, Role, String?)] {
                users[name] = try district.simpul.accounts.add(username: name, fullName: "Nama \(name)", role: role, agency: agency,
                                                               password: "Rahasia-Kantor-2026!", by: district.cli).principal
            }
        }

        func form(agency: String? = "DINKES") -> LANService.RequestForm {
            LANService.RequestForm(agency: agency, letterNumber: "045/210/DINKES/XII/2026", letterDate: "2026-11-30", letterSignedBy: "dr. Rahmawati",
                                   disposition: .sekda, building: "Gedung A", floor: "2", rooms: "Ruang rapat", points: 12, wifi: true, switches: 1,
                                   asked: "12 titik LAN dan Wi-Fi ruang rapat", contactName: "Budi", contactPhone: "0812-555-0101")
        }

        /// Files a request and takes it through the parafs and the signature.
        func signed() throws -> Int64 {
            let filed = try simpul.lan.file(form(), inventory: .items([LANInventoryItem(kind: .computer, quantity: 3)]), by: users["tu.umum"]!)
            district.clock.advance(600)
            _ = try simpul.lan.paraf(ticket: filed.ticketID, by: users["kasi.jaringan"]!)
            _ = try simpul.lan.paraf(ticket: filed.ticketID, by: users["kabid.tik"]!)
            _ = try simpul.lan.sign(ticket: filed.ticketID, by: users["kadis"]!)
            return filed.ticketID
        }
    }

    static let png: Data = {
        // The smallest PNG signature and header a sniffer takes for an image.
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
    }()

    func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch let error as ServiceError {
            return error.text.en
        } catch {
            return "\(error)"
        }
    }

    @Test func aRequestGoesFromLetterToCompletionReport() throws {
        let office = try Office()
        let simpul = office.simpul
        let csv = "jenis,merek,model,jumlah,lokasi,kondisi\r\nkomputer,Lenovo,M70,5,Sekretariat,baik\r\nprinter,Epson,L3210,1,Sekretariat,rusak_ringan\r\n"
        let filed = try simpul.lan.file(office.form(), inventory: .csv(fileName: "inventaris.csv", data: Data(csv.utf8)), by: office.users["tu.umum"]!)
        #expect(filed.row.step == "review_draft" && filed.row.inventoryRows == 2)
        let id = filed.ticketID

        // Out of order: the division head before the section head; the head before every paraf.
        #expect(refusal { _ = try simpul.lan.paraf(ticket: id, by: office.users["kabid.tik"]!) }.contains("the next paraf is that of Kepala Seksi"))
        #expect(refusal { _ = try simpul.lan.sign(ticket: id, by: office.users["kadis"]!) }.contains("lack parafs"))
        #expect(refusal { _ = try simpul.lan.paraf(ticket: id, by: office.users["tek1"]!) }.contains("parafs are given by"))
        _ = try simpul.lan.paraf(ticket: id, by: office.users["kasi.jaringan"]!)
        #expect(refusal { _ = try simpul.lan.paraf(ticket: id, by: office.users["kasi.jaringan"]!) }.contains("your paraf is given already"))
        #expect(refusal { _ = try simpul.lan.sign(ticket: id, by: office.users["kadis"]!) }.contains("Kepala Bidang"))
        let drafted = try simpul.lan.paraf(ticket: id, by: office.users["kabid.tik"]!)
        #expect(drafted.row.step == "approve")
        #expect(drafted.letters.count == 2 && drafted.letters.allSatisfy { $0.state == "draft" && $0.parafs.count == 2 && $0.number == nil })
        // A supervisor may not sign for the head.
        #expect(refusal { _ = try simpul.lan.sign(ticket: id, by: office.users["kasi.jaringan"]!) }.contains("signed by the head"))

        let signed = try simpul.lan.sign(ticket: id, by: office.users["kadis"]!)
        #expect(signed.row.step == "install")
        #expect(signed.letter(.approval)?.number == "800/DKISP/1/XII/2026")
        #expect(signed.letter(.workOrder)?.number == "800/DKISP/2/XII/2026")
        let page = try simpul.lan.letterPage(ticket: id, kind: .workOrder, by: office.users["dinkes"]!)
        #expect(page.html.contains("800/DKISP/2/XII/2026") && page.html.contains("SURAT PERINTAH TUGAS") && page.html.contains("Drs. Hasan Abdullah"))
        #expect(page.html.contains("NIP. 197003121995031004") && page.html.contains("data:image/svg+xml;base64,"), "the letterhead's logo and the NIP")
        #expect(page.letter?.htmlSHA256 == SHA256Hex.of(Data(page.html.utf8)))
        // Another agency sees nothing of it.
        #expect(refusal { _ = try simpul.lan.letterPage(ticket: id, kind: .approval, by: office.users["bkpsdm"]!) }.contains("does not exist"))

        // A failed test sends the work back; a photo is required.
        let work = LANService.WorkForm(pointsInstalled: 12, pointsPassed: 11, cableMetres: 180, connectors: 24, switches: 1, accessPoints: 1,
                                       results: "titik 7 gagal uji")
        #expect(refusal { _ = try simpul.lan.install(ticket: id, work: work, photos: [], by: office.users["tek1"]!) }.contains("photo"))
        let photo = LANService.Photo(fileName: "pasang.png", data: Self.png)
        let failed = try simpul.lan.install(ticket: id, work: work, photos: [photo], by: office.users["tek1"]!)
        #expect(failed.row.step == "install")
        var again = work
        again.pointsPassed = 12
        again.results = "semua 12 titik lulus"
        again.cableMetres = 5
        let passed = try simpul.lan.install(ticket: id, work: again, photos: [photo], by: office.users["tek1"]!)
        #expect(passed.row.step == "report")
        let book = try simpul.lan.book(agency: "DINKES", by: office.users["dinkes"]!)
        #expect(book.items.filter { $0.source == "declared" }.map(\.item.quantity).sorted() == [1, 5])
        #expect(book.items.filter { $0.source == "installed" }.map { "\($0.item.kind.rawValue)=\($0.item.quantity)" }.sorted()
                == ["access_point=1", "network_point=12", "switch=1"])

        let closed = try simpul.lan.close(ticket: id, by: office.users["tek1"]!)
        #expect(closed.row.status == "done")
        #expect(closed.letter(.completion)?.number == "800/DKISP/3/XII/2026")
        let report = try simpul.lan.letterPage(ticket: id, kind: .completion, by: office.users["dinkes"]!).html
        #expect(report.contains("Titik jaringan terpasang: 12, lulus uji: 12") && report.contains("Kabel terpakai: 185 meter"))
        // A reprint is the letter as signed, byte for byte.
        #expect(try simpul.lan.letterPage(ticket: id, kind: .completion, by: office.district.cli).html == report)
    }

    @Test func anAgencyFilesOnlineAndTheClerkReceivesIt() throws {
        let office = try Office()
        let simpul = office.simpul
        // Its own agency whatever the form says.
        let filed = try simpul.lan.file(office.form(agency: "BKPSDM"), inventory: .items([LANInventoryItem(kind: .laptop, quantity: 2)]),
                                        by: office.users["dinkes"]!)
        #expect(filed.row.agencyCode == "DINKES" && filed.row.step == "receive_request")
        #expect(refusal { _ = try simpul.lan.receive(ticket: filed.ticketID, by: office.users["dinkes"]!) }.contains("received by a clerk"))
        #expect(refusal { _ = try simpul.lan.paraf(ticket: filed.ticketID, by: office.users["kasi.jaringan"]!) }.contains("not now"))
        let received = try simpul.lan.receive(ticket: filed.ticketID, note: "Disposisi lengkap", by: office.users["tu.umum"]!)
        #expect(received.row.step == "review_draft")
        #expect(refusal { _ = try simpul.lan.receive(ticket: filed.ticketID, by: office.users["tu.umum"]!) }.contains("not now"))
        #expect(refusal { _ = try simpul.lan.request(ticket: filed.ticketID, by: office.users["bkpsdm"]!) }.contains("does not exist"))
    }

    @Test func aFileFullOfBadRowsIsRefusedWholeWithEveryLine() throws {
        let office = try Office()
        var csv = "jenis;jumlah;kondisi\n"
        csv += "komputer;2;baik\n"          // line 2: fine
        csv += "mesin tik;1;baik\n"         // 3: unknown kind
        csv += "printer;-4;baik\n"          // 4: quantity
        csv += ";1;baik\n"                  // 5: kind missing
        csv += "switch;1;hancur\n"          // 6: condition
        csv += ";;\n"                       // 7: blank, skipped
        csv += "router;99999999999999999999;baik\n"  // 8: a number past Int
        func tickets() throws -> Int { try office.simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM tickets") ?? 0 } }
        let before = try tickets()
        let message = refusal {
            _ = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data(csv.utf8)), by: office.users["tu.umum"]!)
        }
        for line in ["line 3", "line 4", "line 5", "line 6", "line 8"] { #expect(message.contains(line), "\(line) in \(message)") }
        #expect(!message.contains("line 2") && !message.contains("line 7"))
        #expect(try tickets() == before, "nothing is written")
        #expect(try office.simpul.lan.list(by: office.district.cli).isEmpty)

        // Wrong columns, a duplicate one, no kind column, bad encodings.
        for (file, expected) in [("kind,warna\nkomputer,merah\n", "unknown column"), ("jenis,kind\nkomputer,pc\n", "given twice"),
                                 ("merek\nLenovo\n", "jenis (kind) column is required")] {
            let text = refusal { _ = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data(file.utf8)), by: office.users["tu.umum"]!) }
            #expect(text.contains(expected), "\(text)")
        }
        let latin1 = Data("jenis,lokasi\nkomputer,Ruang Kepala Bagian Umum \u{E9}\n".utf8).map { $0 == 0xC3 ? 0xE9 : $0 }.filter { $0 != 0xA9 }
        #expect(refusal { _ = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data(latin1)), by: office.users["tu.umum"]!) }
            .contains("not UTF-8"))
        #expect(refusal { _ = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data([0xFF, 0xFE, 0x6A, 0])), by: office.users["tu.umum"]!) }
            .contains("UTF-16"))
        // Thousands of rows: over the limit, refused; at the limit, taken.
        let many = "jenis,jumlah\n" + String(repeating: "komputer,1\n", count: LANInventory.maxRows + 1)
        #expect(refusal { _ = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data(many.utf8)), by: office.users["tu.umum"]!) }
            .contains("more than \(LANInventory.maxRows) rows"))
        let most = "jenis,jumlah\n" + String(repeating: "komputer,1\n", count: LANInventory.maxRows)
        let filed = try office.simpul.lan.file(office.form(), inventory: .csv(fileName: "x.csv", data: Data(most.utf8)), by: office.users["tu.umum"]!)
        #expect(filed.row.inventoryRows == LANInventory.maxRows)
    }

    @Test func numbersRestartWithTheYearAndAreNeverReused() throws {
        // 31 Dec 2026 23:30 WITA, then 1 Jan 2027 00:30 WITA.
        let lateDecember = Date(timeIntervalSince1970: 1_798_731_000)
        let office = try Office(now: lateDecember)
        let first = try office.signed()
        office.district.clock.advance(3600)
        let second = try office.signed()
        let a = try office.simpul.lan.request(ticket: first, by: office.district.cli)
        let b = try office.simpul.lan.request(ticket: second, by: office.district.cli)
        #expect(a.letter(.approval)?.number?.hasSuffix("/XII/2026") == true, "\(String(describing: a.letter(.approval)?.number))")
        #expect(b.letter(.approval)?.number == "800/DKISP/1/I/2027")
        #expect(b.letter(.workOrder)?.number == "800/DKISP/2/I/2027")
        // A cancelled request keeps its numbers; the next letter takes the next one.
        try office.simpul.tickets.act(second, .cancel, reason: "ditarik OPD", by: office.users["kasi.jaringan"]!)
        let third = try office.signed()
        #expect(try office.simpul.lan.request(ticket: third, by: office.district.cli).letter(.approval)?.number == "800/DKISP/3/I/2027")
    }

    @Test func concurrentSignersInSeparateConnectionsNeverTakeOneNumberTwice() async throws {
        let office = try Office()
        var tickets: [Int64] = []
        for _ in 0..<8 {
            let filed = try office.simpul.lan.file(office.form(), inventory: nil, by: office.users["tu.umum"]!)
            _ = try office.simpul.lan.paraf(ticket: filed.ticketID, by: office.users["kasi.jaringan"]!)
            _ = try office.simpul.lan.paraf(ticket: filed.ticketID, by: office.users["kabid.tik"]!)
            tickets.append(filed.ticketID)
        }
        // Each signer opens the file itself, as another process would.
        let path = office.district.path, head = office.users["kadis"]!, now = office.district.simpul.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ticket in tickets {
                group.addTask {
                    let own = Simpul(database: try AppDatabase.open(path: path), now: now)
                    _ = try own.lan.sign(ticket: ticket, by: head)
                }
            }
            try await group.waitForAll()
        }
        let numbers = try tickets.flatMap { t in try office.simpul.lan.request(ticket: t, by: office.district.cli).letters.compactMap(\.number) }
        #expect(numbers.count == 16 && Set(numbers).count == 16)
        #expect(Set(numbers.compactMap { Int($0.split(separator: "/")[2]) }) == Set(1...16))
    }

    @Test func aWrongNumberPatternIsRefusedAtImport() throws {
        let office = try Office()
        var documents = try InventoryService.documents(inDirectory: TestDistrict.inventoryFolder)
        for i in documents.indices where documents[i].file == "district.yaml" {
            documents[i].text = documents[i].text.replacingOccurrences(of: "number: \"800/DKISP/{seq}/{month_roman}/{year}\"", with: "number: \"800/DKISP/{nomor}/{year}\"")
        }
        let error = #expect(throws: InventoryInvalid.self) { try office.simpul.inventory.importDocuments(documents, by: office.district.cli) }
        #expect(error?.issues.contains { $0.text.en.contains("{nomor}") && $0.field.contains("letters.number") } == true, "\(String(describing: error?.issues))")
    }

    @Test func upkeepIsPlannedForEveryAgencyAndItsChecklistCanOpenAFault() throws {
        let office = try Office()
        let simpul = office.simpul
        let agencies = try simpul.estate.agencyNames(for: office.district.cli).count
        // The fixture's agencies joined on 1 Dec 2026: the second half of 2026, then both halves of 2027.
        let plan = try simpul.upkeep.plan(years: 2026...2027, technicians: ["tek1"], by: office.users["kabid.tik"]!)
        #expect(plan.planned == agencies * 3 && plan.conflicts.isEmpty, "\(plan)")
        #expect(try simpul.upkeep.plan(years: 2026...2027, by: office.users["kabid.tik"]!).planned == 0, "planned once")
        #expect(plan.opened > 0)
        let visits = try simpul.database.read { try UpkeepStore.visits($0) }
        for (_, mine) in Dictionary(grouping: visits, by: \.agencyCode) {
            let dues = mine.compactMap { Timestamp.date($0.due) }.sorted()
            for (a, b) in zip(dues, dues.dropFirst()) { #expect(b.timeIntervalSince(a) >= 4 * 28 * 86_400, "four months apart: \(a) \(b)") }
        }
        let board = try simpul.upkeep.board(by: office.users["kadis"]!)
        #expect(board.lines.count == agencies && board.behind == 0)

        // A visit: schedule it (the supervisor's paper step), then the checklist.
        guard let ticket = visits.first(where: { $0.ticketID != nil && $0.agencyCode == "DINKES" })?.ticketID else {
            Issue.record("no visit of DINKES opened")
            return
        }
        try simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Kunjungan Kamis")], branch: nil, note: nil, assignTo: "tek1"),
                               by: office.users["kabid.tik"]!)
        let visit = try simpul.upkeep.visit(ticket: ticket, by: office.users["tek1"]!)
        #expect(visit.checklist.map(\.id).contains("ups") && visit.step == "inspect")
        #expect(refusal { _ = try simpul.upkeep.check(ticket: ticket, [.init(item: "kopi", outcome: .pass)], photos: [], note: nil, by: office.users["tek1"]!) }
            .contains("not on the checklist"))
        #expect(refusal { _ = try simpul.upkeep.check(ticket: ticket, [.init(item: "ups", outcome: .fail)], photos: [], note: nil, by: office.users["tek1"]!) }
            .contains("write a note"))
        let checks = visit.checklist.map { item in
            UpkeepService.CheckForm(item: item.id, outcome: item.id == "ups" ? .fail : .pass, note: item.id == "ups" ? "baterai UPS drop" : nil,
                                    followUp: item.id == "ups" ? .fault : nil)
        }
        let done = try simpul.upkeep.check(ticket: ticket, checks, photos: [LANService.Photo(fileName: "rak.png", data: Self.png)], note: nil,
                                           by: office.users["tek1"]!)
        #expect(done.step == "repair", "a failed item needs repair")
        let fault = try #require(done.results.first { $0.item == "ups" }?.followUpTicket)
        #expect(try simpul.tickets.detail(fault, by: office.district.cli).ticket.playbookID == "fault-dispatch")
    }

    @Test func aFailedItemOpensAnInstallationRequestThatWaitsForTheAgencysLetter() throws {
        let office = try Office()
        let simpul = office.simpul
        _ = try simpul.upkeep.plan(years: 2026...2026, technicians: ["tek1"], by: office.users["kabid.tik"]!)
        let visits = try simpul.database.read { try UpkeepStore.visits($0) }
        let ticket = try #require(visits.first { $0.ticketID != nil && $0.agencyCode == "DINKES" }?.ticketID)
        try simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Kunjungan Kamis")], branch: nil, note: nil, assignTo: "tek1"),
                               by: office.users["kabid.tik"]!)
        let tek = office.users["tek1"]!
        #expect(refusal { _ = try simpul.upkeep.check(ticket: ticket, [.init(item: "cabling", outcome: .pass, followUp: .installation)], photos: [],
                                                      note: nil, by: tek) }.contains("only from a failed item"))
        // Two failed items asking for installation, in two forms: one request for the visit.
        let first = try simpul.upkeep.check(ticket: ticket, [.init(item: "cabling", outcome: .fail, note: "ruang arsip tanpa titik jaringan", followUp: .installation)],
                                            photos: [], note: nil, by: tek)
        let request = try #require(first.results.first { $0.item == "cabling" }?.followUpTicket)
        #expect(first.installationFollowUp == request)
        let second = try simpul.upkeep.check(ticket: ticket, [.init(item: "wifi_coverage", outcome: .fail, note: "aula tidak terjangkau Wi-Fi", followUp: .installation)],
                                             photos: [], note: nil, by: tek)
        #expect(second.results.first { $0.item == "wifi_coverage" }?.followUpTicket == request, "the visit's request is reused")
        let requests = try simpul.lan.list(agency: "DINKES", by: office.users["tu.umum"]!)
        #expect(requests.filter { $0.followUpOf == ticket }.count == 1)

        let opened = try simpul.lan.request(ticket: request, by: office.users["tu.umum"]!)
        #expect(opened.row.letterNumber == nil && opened.row.followUpOf == ticket)
        #expect(opened.row.step == "receive_request", "it waits for the agency's letter")
        #expect(opened.row.asked.contains("ruang arsip"))
        // Received without the letter: refused, nothing changes; with a bad date: refused.
        #expect(refusal { _ = try simpul.lan.receive(ticket: request, by: office.users["tu.umum"]!) }.contains("fill in the agency's request letter"))
        #expect(refusal { _ = try simpul.lan.receive(ticket: request, letter: .init(number: "045/1/DINKES/XII/2026", date: "30-11-2026", signedBy: "dr. R",
                                                                                     disposition: .sekda), by: office.users["tu.umum"]!) }.contains("YYYY-MM-DD"))
        #expect(try simpul.lan.request(ticket: request, by: office.users["tu.umum"]!).row.letterNumber == nil, "nothing half-written")
        let received = try simpul.lan.receive(ticket: request, letter: .init(number: "045/311/DINKES/XII/2026", date: "2026-12-01", signedBy: "dr. Rahmawati",
                                                                             disposition: .bupati), by: office.users["tu.umum"]!)
        #expect(received.row.letterNumber == "045/311/DINKES/XII/2026" && received.row.dispositionFrom == "bupati")
        #expect(received.row.step == "review_draft")
        // From here it is an installation like any other: the drafts get their parafs, the head signs.
        _ = try simpul.lan.paraf(ticket: request, by: office.users["kasi.jaringan"]!)
        _ = try simpul.lan.paraf(ticket: request, by: office.users["kabid.tik"]!)
        let signed = try simpul.lan.sign(ticket: request, by: office.users["kadis"]!)
        #expect(signed.letter(.approval)?.number != nil)
        #expect(refusal { _ = try simpul.lan.receive(ticket: request, letter: .init(number: "045/9/X/XII/2026", date: "2026-12-01", signedBy: "x",
                                                                                     disposition: .sekda), by: office.users["tu.umum"]!) } != "")
    }

    @Test func visitsAreAssignedByAreaAndTheInspectionGoesToThePlannedTechnician() throws {
        var office = try Office()
        let simpul = office.simpul
        for name in ["tek2", "tek3"] {
            office.users[name] = try simpul.accounts.add(username: name, fullName: "Nama \(name)", role: .technician, agency: nil,
                                                        password: "Rahasia-Kantor-2026!", by: office.district.cli).principal
        }
        let kabid = office.users["kabid.tik"]!
        #expect(refusal { _ = try simpul.upkeep.plan(years: 2026...2026, areas: ["Barat": ["tek1"]], by: kabid) }.contains("no agency is in area"))
        #expect(refusal { _ = try simpul.upkeep.plan(years: 2026...2026, technicians: ["tu.umum"], by: kabid) }.contains("not an active technician"))
        #expect(try simpul.database.read { try UpkeepStore.visits($0) }.isEmpty, "a refused plan writes nothing")

        _ = try simpul.upkeep.plan(years: 2026...2027, technicians: ["tek3"], areas: ["Utara": ["tek1", "tek2"], "Selatan": ["tek2"]], by: kabid)
        let visits = try simpul.database.read { try UpkeepStore.visits($0) }
        let byAgency = Dictionary(grouping: visits, by: \.agencyCode).mapValues { Set($0.map(\.technician)) }
        // Utara's agencies (BKPSDM, DINKES, KEC-UTARA in code order) take tek1, tek2, tek1; Selatan's take tek2; the rest tek3.
        #expect(byAgency["BKPSDM"] == ["tek1"] && byAgency["DINKES"] == ["tek2"] && byAgency["KEC-UTARA"] == ["tek1"])
        #expect(byAgency["KEC-SELATAN"] == ["tek2"] && byAgency["PKM-MEKARSARI"] == ["tek2"])
        #expect(byAgency["SETDA"] == ["tek3"] && byAgency["RSUD"] == ["tek3"])

        // The supervisor schedules DINKES's visit without naming anyone: the inspection is tek2's.
        let ticket = try #require(visits.first { $0.ticketID != nil && $0.agencyCode == "DINKES" }?.ticketID)
        try simpul.tickets.act(ticket, .complete(evidence: [Evidence(kind: .note, value: "Kunjungan Kamis")], branch: nil, note: nil, assignTo: nil), by: kabid)
        #expect(try simpul.tickets.detail(ticket, by: office.district.cli).ticket.current?.assignee == "tek2")
    }
}
