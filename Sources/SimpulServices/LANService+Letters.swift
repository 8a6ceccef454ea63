import Foundation
import SimpulCore
import SimpulStore

extension LANService {
    /// The district's letter settings, or a refusal that says where to give them.
    static func settings(_ r: Reader) throws -> LetterSettings {
        guard let settings = try InventoryStore.district(r)?.letters else {
            throw ServiceError(.invalid, Text(id: "kop surat belum diatur: tambahkan district.letters di inventaris (docs/inventory.md) lalu impor ulang",
                                              en: "the letterhead is not set: add district.letters to the inventory (docs/inventory.md) and import it again"))
        }
        return settings
    }

    /// The number's scheme from the settings, or a refusal naming the setting and what is wrong.
    static func scheme(_ settings: LetterSettings) throws -> LetterNumberScheme {
        do {
            return try LetterNumberScheme.parse(settings.number)
        } catch {
            let text = (error as? any UserFacingError)?.text ?? Text(id: "\(error)", en: "\(error)")
            throw ServiceError(.invalid, Text(id: "pola nomor surat (district.letters.number) salah: \(text.id)",
                                              en: "the letter number pattern (district.letters.number) is wrong: \(text.en)"))
        }
    }

    /// Where the paraf chain stands on the ticket's drafts: which position is next.
    public struct ParafState: Sendable {
        public var chain: [Official]
        /// Parafs given, per letter kind, by position.
        public var given: [LetterKind: [Int: LetterStore.Paraf]]
        /// The position every draft waits for next (1-based); nil when all are given.
        public var next: Int? {
            let counts = LetterKind.drafted.map { given[$0]?.count ?? 0 }
            let least = counts.min() ?? 0
            return least < chain.count ? least + 1 : nil
        }
    }

    /// Gives `principal`'s paraf on the drafts of the approval letter and the work order (drafted
    /// now if they are not yet), in the chain's order; the last paraf completes the section's
    /// review step. Refused out of order, twice, or by someone not in the chain.
    public func paraf(ticket: Int64, by principal: Principal) throws -> Request {
        try Action.paraf.require(principal)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let request = try Self.request(tx, ticket: ticket, by: principal)
            try Self.requireStep(request, .paraf)
            let settings = try Self.settings(tx)
            _ = try Self.scheme(settings)
            var state = try Self.parafState(tx, ticket: ticket, settings: settings)
            if let position = state.next {
                let official = settings.paraf[position - 1]
                let mine = settings.paraf.firstIndex { $0.user == principal.username }.map { $0 + 1 }
                guard mine == position || principal.role == .admin else {
                    if let mine, mine < position {
                        throw ServiceError(.conflict, Text(id: "paraf Anda sudah diberikan; berikutnya paraf \(official.position) (\(official.name))",
                                                           en: "your paraf is given already; next is the paraf of \(official.position) (\(official.name))"))
                    }
                    throw ServiceError(.forbidden, Text(id: "paraf berikutnya adalah paraf \(official.position) (\(official.name)); urutan paraf: \(settings.paraf.map(\.position).joined(separator: " → "))",
                                                        en: "the next paraf is that of \(official.position) (\(official.name)); the paraf order: \(settings.paraf.map(\.position).joined(separator: " → "))"))
                }
                let printed = String(decoding: try JSONEncoder().encode(official), as: UTF8.self)
                for kind in LetterKind.drafted {
                    let letterID = try LetterStore.draft(tx, ticketID: ticket, kind: kind.rawValue)
                    try LetterStore.addParaf(tx, letterID: letterID, position: position, official: printed)
                }
                try tx.audit("lan.paraf", "ticket", "#\(ticket)", after: ["position": String(position), "official": official.name])
                state = try Self.parafState(tx, ticket: ticket, settings: settings)
            } else {
                for kind in LetterKind.drafted { try LetterStore.draft(tx, ticketID: ticket, kind: kind.rawValue) }
            }
            guard state.next == nil else { return }
            // Every paraf is given: the drafts go with the step as its attachment.
            var references: [String] = []
            for kind in LetterKind.drafted {
                let html = try Self.page(tx, request: request, kind: kind, settings: settings, number: nil, date: tx.now).html
                let name = "konsep-\(kind.fileStem)-\(ticket).html"
                let id = try TicketStore.insertAttachment(tx, ticketID: ticket, kind: .attachment, fileName: name, contentType: MediaType.octetStream,
                                                          data: Data(html.utf8), sha256: SHA256Hex.of(Data(html.utf8)), by: principal.username, now: tx.now)
                references.append(Evidence.fileReference(id: id, name: name))
            }
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .attachment, value: references.joined(separator: "\n"))],
                                                         branch: nil, note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: Action.paraf.step, visit: nil), module: "lan.paraf", by: principal, now: tx.now)
        }
        return try request(ticket: ticket, by: principal)
    }

    static func parafState(_ r: Reader, ticket: Int64, settings: LetterSettings) throws -> ParafState {
        var given: [LetterKind: [Int: LetterStore.Paraf]] = [:]
        for kind in LetterKind.drafted {
            if let letter = try LetterStore.letter(r, ticketID: ticket, kind: kind.rawValue) {
                given[kind] = Dictionary(letter.parafs.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
            }
        }
        return ParafState(chain: settings.paraf, given: given)
    }

    /// The head signs the approval letter and the work order: each takes the year's next number now,
    /// and the page as signed is kept. Refused before every paraf is given.
    public func sign(ticket: Int64, by principal: Principal) throws -> Request {
        try Action.sign.require(principal)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let request = try Self.request(tx, ticket: ticket, by: principal)
            let settings = try Self.settings(tx)
            if request.row.step == Action.paraf.step, let next = try Self.parafState(tx, ticket: ticket, settings: settings).next {
                let missing = settings.paraf[(next - 1)...].map { "\($0.position) (\($0.name))" }.joined(separator: ", ")
                throw ServiceError(.conflict, Text(id: "surat belum lengkap parafnya: menunggu paraf \(missing); tanda tangan sesudah semua paraf",
                                                   en: "the letters lack parafs: waiting for \(missing); sign after every paraf"))
            }
            try Self.requireStep(request, .sign)
            if let user = settings.signatory.user, user != principal.username, principal.role != .admin {
                throw ServiceError(.forbidden, Text(id: "surat ditandatangani oleh \(settings.signatory.name) (\(settings.signatory.position))",
                                                    en: "the letters are signed by \(settings.signatory.name) (\(settings.signatory.position))"))
            }
            let state = try Self.parafState(tx, ticket: ticket, settings: settings)
            if let next = state.next {
                let missing = settings.paraf[(next - 1)...].map { "\($0.position) (\($0.name))" }.joined(separator: ", ")
                throw ServiceError(.conflict, Text(id: "surat belum lengkap parafnya: menunggu paraf \(missing); tanda tangan sesudah semua paraf",
                                                   en: "the letters lack parafs: waiting for \(missing); sign after every paraf"))
            }
            var numbers: [String] = []
            for kind in LetterKind.drafted {
                let letterID = try LetterStore.draft(tx, ticketID: ticket, kind: kind.rawValue)
                numbers.append(try Self.issue(tx, request: request, kind: kind, letterID: letterID, settings: settings))
            }
            try tx.audit("lan.sign", "ticket", "#\(ticket)", after: ["numbers": numbers.joined(separator: ", ")])
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .letterNumber, value: numbers.joined(separator: "\n"))],
                                                         branch: nil, note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: Action.sign.step, visit: nil), module: "lan.sign", by: principal, now: tx.now)
        }
        return try request(ticket: ticket, by: principal)
    }

    /// Numbers and signs one letter in `tx`: the year's next sequence in the office's zone, the page
    /// as signed. Returns its number.
    static func issue(_ tx: Transaction, request: Request, kind: LetterKind, letterID: Int64, settings: LetterSettings) throws -> String {
        let scheme = try scheme(settings)
        let zone = try officeZone(tx)
        let (year, month) = LetterPage.yearMonth(tx.now, zone)
        guard let sequence = try LetterStore.nextSequence(tx, year: year, startAt: settings.startAt) else {
            throw ServiceError(.conflict, Text(id: "nomor urut surat tahun \(year) sudah habis (paling besar 999999); periksa district.letters.start_at",
                                               en: "the letter sequence of \(year) is used up (at most 999999); check district.letters.start_at"))
        }
        let number: String
        do {
            number = try scheme.format(sequence: sequence, month: month, year: year)
        } catch {
            let text = (error as? any UserFacingError)?.text ?? Text(id: "\(error)", en: "\(error)")
            throw ServiceError(.invalid, Text(id: "nomor surat tidak dapat dibuat: \(text.id)", en: "the letter number cannot be made: \(text.en)"))
        }
        let html = try page(tx, request: request, kind: kind, settings: settings, number: number, date: tx.now).html
        do {
            try LetterStore.sign(tx, letterID: letterID, number: number, year: year, sequence: sequence,
                                 signatory: String(decoding: try JSONEncoder().encode(settings.signatory), as: UTF8.self), html: html)
        } catch is StoreConflict {
            throw ServiceError(.conflict, Text(id: "nomor \(number) sudah dipakai surat lain; pola nomor (district.letters.number) harus memuat {seq}",
                                               en: "the number \(number) is already another letter's; the pattern (district.letters.number) must hold {seq}"))
        }
        return number
    }

    static func officeZone(_ r: Reader) throws -> TimeZone {
        OfficeTime(identifier: try InventoryStore.district(r)?.timeZone).timeZone
    }

    static func requireStep(_ request: Request, _ action: Action) throws {
        guard request.row.status == "open", request.row.step == action.step else {
            let now = request.stepTitle.map { Text(id: "tiket sedang di langkah \"\($0.id)\"", en: "the ticket is on the step \"\($0.en)\"") }
                ?? Text(id: "tiket sudah selesai atau ditahan", en: "the ticket is closed or held")
            throw ServiceError(.conflict, Text(id: "belum waktunya: \(now.id)", en: "not now: \(now.en)"))
        }
    }

    /// The letter's page: the values from the request, its work and the district, through the
    /// office's template in force.
    static func page(_ r: Reader, request: Request, kind: LetterKind, settings: LetterSettings, number: String?, date: Date) throws -> LetterPage {
        let zone = try officeZone(r)
        let template = try TemplateService.inForce(r, kind.template).template
        let district = try InventoryStore.district(r)
        let row = request.row
        let users = Dictionary(try AccountStore.users(r).map { ($0.username, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        var doers: Set<String> = Set(request.work.map(\.by))
        if let assigned = try assignee(r, ticket: row.ticketID) { doers.insert(assigned) }
        let technicianNames: [String] = doers.sorted().map { users[$0] ?? $0 }
        let work = request.work
        let workDays = Set(work.compactMap { Timestamp.date($0.at) }.map { LetterPage.longDate($0, zone) }).sorted()
        var places: [String] = [row.building]
        if let floor = row.floor { places.append("lantai \(floor)") }
        if let rooms = row.rooms { places.append(rooms.lowercased().hasPrefix("ruang") ? rooms : "ruang \(rooms)") }
        let location = places.joined(separator: ", ")
        var values: [String: String] = [:]
        values["office"] = district?.office ?? settings.heading.last ?? ""
        values["district"] = district?.name ?? ""
        values["ticket"] = String(row.ticketID)
        values["agency"] = row.agencyName
        values["agency_address"] = row.agencyAddress ?? row.agencyName
        values["request_letter_number"] = row.letterNumber
        let letterDay = row.letterDate.flatMap(WorkCalendar.dayNumber).map { Date(timeIntervalSince1970: Double($0) * 86_400 + 43_200) }
        values["request_letter_date"] = letterDay.map { LetterPage.longDate($0, .gmt) } ?? row.letterDate
        values["request_signed_by"] = row.letterSignedBy
        values["disposition"] = row.dispositionFrom.flatMap(Disposition.init(rawValue:))?.title.id ?? row.dispositionFrom
        values["location"] = location
        values["asked"] = row.asked
        values["points"] = String(row.points)
        values["wifi"] = row.wifi ? "ya" : "tidak"
        values["switches"] = String(row.switches)
        values["contact"] = [row.contactName, row.contactPhone].compactMap { $0 }.joined(separator: ", ")
        values["technicians"] = technicianNames.isEmpty ? "teknisi Seksi Infrastruktur Jaringan" : technicianNames.joined(separator: ", ")
        values["date"] = LetterPage.longDate(date, zone)
        values["city"] = settings.city
        values["signatory_name"] = settings.signatory.name
        values["signatory_position"] = settings.signatory.position
        // Each log states the installation as it stands (a re-test after a failed one counts the same
        // points again); the materials of every visit add up.
        let installed: Int = work.last?.pointsInstalled ?? 0
        let cable: Int = work.reduce(0) { $0 + $1.cableMetres }
        let connectors: Int = work.reduce(0) { $0 + $1.connectors }
        let switches: Int = work.last?.switches ?? 0
        let accessPoints: Int = work.last?.accessPoints ?? 0
        values["points_installed"] = String(installed)
        values["points_passed"] = String(work.last?.pointsPassed ?? 0)
        values["cable_metres"] = String(cable)
        values["connectors"] = String(connectors)
        values["switches_installed"] = String(switches)
        values["access_points"] = String(accessPoints)
        values["results"] = work.last?.results ?? "-"
        values["work_dates"] = workDays.isEmpty ? "-" : workDays.joined(separator: ", ")
        var parafs: [Int: (official: Official, at: Date)] = [:]
        if let letter = request.letter(kind) {
            for p in letter.parafs {
                if let official = try? JSONDecoder().decode(Official.self, from: Data(p.official.utf8)), let at = Timestamp.date(p.at) {
                    parafs[p.position] = (official, at)
                }
            }
        }
        return LetterPage(kind: kind, settings: settings, logo: try InventoryStore.logo(r), number: number, date: date, zone: zone,
                          subject: TemplateService.render(template.subject, values), body: TemplateService.render(template.body, values),
                          parafs: parafs, handedOverBy: technicianNames.joined(separator: ", ").nilIfEmpty, receivedBy: row.contactName,
                          agency: row.agencyName)
    }

    static func assignee(_ r: Reader, ticket: Int64) throws -> String? {
        try TicketStore.load(r, id: ticket)?.ticket.assignee
    }

    /// A letter as a page: the signed one as it was signed, else the draft as it stands (with the
    /// parafs given so far). An agency sees its own requests' signed letters only.
    public func letterPage(ticket: Int64, kind: LetterKind, by principal: Principal) throws -> (html: String, letter: LetterStore.LetterRow?) {
        try simpul.database.read { r in
            let request = try Self.request(r, ticket: ticket, by: principal)
            if let letter = request.letter(kind), let html = letter.html { return (html, letter) }
            guard principal.role != .agency else { throw Self.noLetter(ticket, kind) }
            guard kind.needsParaf || request.row.status == "open" else { throw Self.noLetter(ticket, kind) }
            return (try Self.page(r, request: request, kind: kind, settings: try Self.settings(r), number: nil, date: simpul.now()).html,
                    request.letter(kind))
        }
    }

    /// The signed letter as a PDF: the one kept, or printed now from the page as signed and kept,
    /// so a reprint is the same file.
    public func letterPDF(ticket: Int64, kind: LetterKind, by principal: Principal) async throws -> (pdf: Data, number: String) {
        let (letter, stored) = try await simpul.database.read { r -> (LetterStore.LetterRow, Data?) in
            let request = try Self.request(r, ticket: ticket, by: principal)
            guard let letter = request.letter(kind), letter.state == "signed" else {
                throw ServiceError(.notFound, Text(id: "\(kind.title.id) tiket #\(ticket) belum ditandatangani; PDF dibuat untuk surat yang sudah bernomor",
                                                   en: "the \(kind.title.en.lowercased()) of ticket #\(ticket) is not signed yet; PDFs are made of numbered letters"))
            }
            return (letter, letter.hasPDF ? try LetterStore.pdf(r, letterID: letter.id) : nil)
        }
        let number = letter.number ?? ""
        if let stored { return (stored, number) }
        let pdf = try await print(letter.html ?? "", Text(id: "PDF surat \(number)", en: "the PDF of letter \(number)"))
        // Kept once: a concurrent first print keeps the first, and both answer with the kept file.
        let letterID = letter.id
        return try await simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            try LetterStore.keepPDF(tx, letterID: letterID, pdf: pdf)
            return (try LetterStore.pdf(tx, letterID: letterID) ?? pdf, number)
        }
    }

    /// `html` printed by the process's renderer; `what` names the document in a refusal.
    func print(_ html: String, _ what: Text) async throws -> Data {
        guard let renderer = simpul.pdf else {
            throw ServiceError(.invalid, Text(id: "pencetak PDF tidak tersedia: pasang chromium dari Debian (make run memasangnya) atau atur SIMPUL_CHROMIUM",
                                              en: "no PDF renderer: install Debian's chromium (make run installs it) or set SIMPUL_CHROMIUM"))
        }
        do {
            return try await renderer.pdf(html: html)
        } catch {
            let text = (error as? any UserFacingError)?.text ?? Text(id: "\(error)", en: "\(error)")
            throw ServiceError(.invalid, Text(id: "\(what.id) gagal dibuat: \(text.id)", en: "\(what.en) could not be made: \(text.en)"))
        }
    }

    static func noLetter(_ ticket: Int64, _ kind: LetterKind) -> ServiceError {
        ServiceError(.notFound, Text(id: "\(kind.title.id) tiket #\(ticket) belum ada", en: "the \(kind.title.en.lowercased()) of ticket #\(ticket) does not exist yet"))
    }
}
