import Foundation
import SimpulCore
import SimpulStore

/// LAN installation (SOP "Pelayanan Pemasangan dan Pemeliharaan Jaringan LAN", issue 15): an
/// agency's request with its letter, disposition and inventory runs on the `lan-installation`
/// playbook. The section head and the division head initial (paraf) the drafts of the approval
/// letter and the work order, the head signs both (they are numbered then), the technicians log
/// the installation and its test, the agency's inventory book takes what was installed, and
/// closing issues the completion report (Berita Acara). Each action is one transaction with the
/// ticket's step; the module's steps are `done_by: lan.*`.
public struct LANService: Sendable {
    let simpul: Simpul

    public static let installation = "lan-installation"
    public static let upkeep = "lan-upkeep"

    /// Who the request's disposition came from.
    public enum Disposition: String, Sendable, Codable, CaseIterable {
        case bupati, sekda

        public var title: Text {
            switch self {
            case .bupati: Text(id: "Bupati", en: "the Regent")
            case .sekda: Text(id: "Sekretaris Daerah", en: "the Regional Secretary")
            }
        }

        public static func parse(_ text: String) throws -> Disposition {
            guard let found = Disposition(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ServiceError(.invalid, Text(id: "disposisi harus dari bupati atau sekda, bukan \"\(Excerpt.of(text))\"",
                                                  en: "the disposition must be from bupati or sekda, not \"\(Excerpt.of(text))\""))
            }
            return found
        }
    }

    /// What the request letter and its form say.
    public struct RequestForm: Sendable, Codable {
        public var agency: String?
        public var letterNumber: String
        public var letterDate: String
        public var letterSignedBy: String
        public var disposition: Disposition
        public var building: String
        public var floor: String?
        public var rooms: String?
        public var points: Int
        public var wifi: Bool
        public var switches: Int
        public var asked: String
        public var contactName: String
        public var contactPhone: String?

        public init(agency: String? = nil, letterNumber: String, letterDate: String, letterSignedBy: String, disposition: Disposition,
                    building: String, floor: String? = nil, rooms: String? = nil, points: Int, wifi: Bool = false, switches: Int = 0,
                    asked: String, contactName: String, contactPhone: String? = nil) {
            self.agency = agency
            self.letterNumber = letterNumber
            self.letterDate = letterDate
            self.letterSignedBy = letterSignedBy
            self.disposition = disposition
            self.building = building
            self.floor = floor
            self.rooms = rooms
            self.points = points
            self.wifi = wifi
            self.switches = switches
            self.asked = asked
            self.contactName = contactName
            self.contactPhone = contactPhone
        }
    }

    /// The agency's inventory sent with the request: a CSV file (checked whole: nothing is kept
    /// unless every row is clean), or rows typed in.
    public enum InventoryUpload: Sendable {
        case csv(fileName: String, data: Data)
        case items([LANInventoryItem])
    }

    /// What can be done with a request, and who may: the rule the service enforces and the pages show.
    public enum Action: String, Sendable, CaseIterable {
        case request, receive, paraf, sign, install, close

        /// The playbook step the action completes.
        public var step: String {
            switch self {
            case .request, .receive: "receive_request"
            case .paraf: "review_draft"
            case .sign: "approve"
            case .install: "install"
            case .close: "report"
            }
        }

        public func allowed(for principal: Principal) -> Bool {
            switch self {
            case .request: [.agency, .clerk, .admin].contains(principal.role)
            case .receive: [.clerk, .admin].contains(principal.role)
            case .paraf: [.supervisor, .admin].contains(principal.role)
            case .sign: [.head, .admin].contains(principal.role)
            case .install, .close: [.technician, .supervisor, .admin].contains(principal.role)
            }
        }

        var refusal: Text {
            switch self {
            case .request: Text(id: "permohonan LAN diajukan oleh OPD, petugas administrasi atau admin", en: "LAN requests are filed by an agency, a clerk or an admin")
            case .receive: Text(id: "permohonan diterima oleh petugas administrasi", en: "requests are received by a clerk")
            case .paraf: Text(id: "paraf diberikan oleh kepala seksi dan kepala bidang", en: "parafs are given by the section and division heads")
            case .sign: Text(id: "surat ditandatangani oleh kepala dinas", en: "letters are signed by the head of office")
            case .install: Text(id: "pekerjaan dicatat oleh teknisi", en: "the work is logged by a technician")
            case .close: Text(id: "laporan ditutup oleh teknisi atau kepala seksi", en: "the report is closed by a technician or the section head")
            }
        }

        func require(_ principal: Principal) throws {
            guard allowed(for: principal) else { throw ServiceError(.forbidden, refusal) }
        }
    }

    /// A request as stored, with its letters, work and where it stands.
    public struct Request: Sendable {
        public var row: LANStore.RequestRow
        public var letters: [LetterStore.LetterRow]
        public var work: [LANStore.Work]
        /// The title of the step the ticket is on, and who does it.
        public var stepTitle: Text?
        public var stepActor: StepActor?

        public var ticketID: Int64 { row.ticketID }
        public func letter(_ kind: LetterKind) -> LetterStore.LetterRow? { letters.first { $0.kind == kind.rawValue } }
    }

    // MARK: Filing

    /// Files a request: checks the form and the inventory (every bad row reported, nothing kept
    /// unless all are clean), opens the ticket on `lan-installation` and does its first step with the
    /// letter's number and the inventory file as evidence. An agency user files for its own agency.
    public func file(_ form: RequestForm, inventory: InventoryUpload?, by principal: Principal) throws -> Request {
        try Action.request.require(principal)
        var form = form
        let agencyCode = principal.role == .agency ? principal.agencyCode : form.agency?.trimmingCharacters(in: .whitespaces).uppercased()
        guard let agencyCode, !agencyCode.isEmpty else {
            throw ServiceError(.invalid, Text(id: "pilih perangkat daerah pemohon", en: "choose the requesting agency"))
        }
        form.agency = agencyCode
        try Self.validate(&form)
        let items: [LANInventoryItem]
        let file: (name: String, data: Data)
        switch inventory {
        case .csv(let name, let data):
            items = try LANInventoryCSV.read(data)
            file = (name.isEmpty ? "inventaris.csv" : name, data)
        case .items(let typed):
            items = typed
            file = ("inventaris.csv", Data(LANInventoryCSV.document(typed).utf8))
        case nil:
            items = []
            file = ("inventaris.csv", Data(LANInventoryCSV.document([]).utf8))
        }
        guard items.count <= LANInventoryCSV.maxRows else {
            throw ServiceError(.invalid, Text(id: "inventaris paling banyak \(LANInventoryCSV.maxRows) baris", en: "the inventory has at most \(LANInventoryCSV.maxRows) rows"))
        }
        let id = try simpul.database.write(as: principal.username, at: simpul.now()) { tx -> Int64 in
            let agencyID = try simpul.tickets.agencyID(tx, code: agencyCode)
            let subject = "Pemasangan LAN \(form.building)" + (form.floor.map { " lantai \($0)" } ?? "")
            let ticketID = try simpul.tickets.open(tx, playbook: Self.installation, subject: subject, agency: agencyCode, priority: .normal,
                                                   assignee: nil, note: "Surat \(form.letterNumber) tanggal \(form.letterDate), \(form.letterSignedBy)",
                                                   filedByAgency: principal.role == .agency, module: "lan", by: principal, now: tx.now)
            try LANStore.insert(tx, LANStore.NewRequest(
                ticketID: ticketID, agencyID: agencyID, letterNumber: form.letterNumber, letterDate: form.letterDate, letterSignedBy: form.letterSignedBy,
                dispositionFrom: form.disposition.rawValue, building: form.building, floor: form.floor, rooms: form.rooms, points: form.points,
                wifi: form.wifi, switches: form.switches, asked: form.asked, contactName: form.contactName, contactPhone: form.contactPhone,
                inventoryRows: items.count))
            if inventory != nil { try LANStore.replaceDeclared(tx, agencyID: agencyID, items: items, ticketID: ticketID) }
            let attachment = try TicketStore.insertAttachment(tx, ticketID: ticketID, kind: .attachment, fileName: TicketService.cleanFileName(file.name),
                                                              contentType: MediaType.octetStream, data: file.data,
                                                              sha256: SHA256Hex.of(file.data), by: principal.username, now: tx.now)
            try tx.audit("lan.request", "ticket", "#\(ticketID)", after: form)
            // The office receives what it files itself at once; an agency's own request waits for the clerk.
            if principal.role != .agency {
                try Self.receive(tx, tickets: simpul.tickets, ticket: ticketID, letterNumber: form.letterNumber, disposition: form.disposition,
                                 rows: items.count, attachment: (attachment, TicketService.cleanFileName(file.name)), by: principal)
            }
            return ticketID
        }
        return try request(ticket: id, by: principal)
    }

    /// Opens the office's own installation request that follows up a failed item of upkeep visit
    /// `visit` (in the visit's transaction), asking for what the item's note says, at the agency's
    /// address, with the agency's inventory book attached. The SOP starts an installation from the
    /// agency's letter and its disposition: the request waits on its first step until the clerk
    /// receives it with that letter (`receive(ticket:letter:)`). One request per visit: another
    /// failed item of the same visit joins the request already opened (its ticket is returned).
    static func fileFollowUp(_ tx: Transaction, tickets: TicketService, visit: Int64, agency: String, asked: String,
                             by principal: Principal) throws -> Int64 {
        if let existing = try LANStore.followUp(tx, of: visit) { return existing }
        let agencyID = try tickets.agencyID(tx, code: agency)
        let row = try EstateStore.agency(tx, code: agency)
        let building = row?.address?.nilIfEmpty.map { String($0.prefix(200)) } ?? "Kantor \(agency)"
        let contact = row?.contact?.name.nilIfEmpty ?? principal.username
        let ticketID = try tickets.open(tx, playbook: Self.installation, subject: "Tindak lanjut pemeliharaan LAN #\(visit) — \(agency)",
                                        agency: agency, priority: .normal, assignee: nil,
                                        note: "Dibuka dari kunjungan pemeliharaan #\(visit): \(asked). Menunggu surat permohonan dan disposisi dari OPD.",
                                        module: "lan", by: principal, now: tx.now)
        let book = try LANStore.inventory(tx, agencyID: agencyID).map(\.item)
        try LANStore.insert(tx, LANStore.NewRequest(
            ticketID: ticketID, agencyID: agencyID, letterNumber: nil, letterDate: nil, letterSignedBy: nil, dispositionFrom: nil, followUpOf: visit,
            building: building, floor: nil, rooms: nil, points: 0, wifi: false, switches: 0, asked: String(asked.prefix(2000)),
            contactName: String(contact.prefix(200)), contactPhone: row?.contact?.phone, inventoryRows: book.count))
        let file = Data(LANInventoryCSV.document(book).utf8)
        _ = try TicketStore.insertAttachment(tx, ticketID: ticketID, kind: .attachment, fileName: "inventaris.csv", contentType: MediaType.octetStream,
                                             data: file, sha256: SHA256Hex.of(file), by: principal.username, now: tx.now)
        try tx.audit("lan.request", "ticket", "#\(ticketID)", after: ["follow_up_of": "#\(visit)", "asked": asked])
        return ticketID
    }

    /// The incoming letter a follow-up request is received with (an agency's own request brought it).
    public struct IncomingLetter: Sendable {
        public var number: String
        public var date: String
        public var signedBy: String
        public var disposition: Disposition

        public init(number: String, date: String, signedBy: String, disposition: Disposition) {
            self.number = number
            self.date = date
            self.signedBy = signedBy
            self.disposition = disposition
        }
    }

    /// The clerk receives a request: an agency's own, filed online, with its letter and inventory
    /// file as the first step's evidence; or the office's follow-up of an upkeep visit, with the
    /// agency's letter and disposition that now arrived (`letter`, required then). The section's
    /// review begins.
    public func receive(ticket: Int64, letter: IncomingLetter? = nil, note: String? = nil, by principal: Principal) throws -> Request {
        try Action.receive.require(principal)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            var request = try Self.request(tx, ticket: ticket, by: principal)
            try Self.requireStep(request, .receive)
            if request.row.letterNumber == nil {
                guard var letter else {
                    throw ServiceError(.invalid, Text(
                        id: "permohonan ini tindak lanjut pemeliharaan: isi nomor, tanggal, penanda tangan dan disposisi surat permohonan OPD",
                        en: "this request follows up an upkeep visit: fill in the agency's request letter's number, date, signatory and disposition"))
                }
                try Self.validate(&letter)
                try LANStore.setLetter(tx, ticketID: ticket, number: letter.number, date: letter.date, signedBy: letter.signedBy,
                                       disposition: letter.disposition.rawValue)
                request.row.letterNumber = letter.number
                request.row.dispositionFrom = letter.disposition.rawValue
            } else if letter != nil {
                throw ServiceError(.invalid, Text(id: "surat permohonan ini sudah tercatat (\(request.row.letterNumber ?? ""))",
                                                  en: "this request's letter is already recorded (\(request.row.letterNumber ?? ""))"))
            }
            let file = try TicketStore.attachments(tx, ticketID: ticket).first { $0.kind == EvidenceKind.attachment.rawValue }
            try tx.audit("lan.receive", "ticket", "#\(ticket)", after: ["letter": request.row.letterNumber ?? ""])
            try Self.receive(tx, tickets: simpul.tickets, ticket: ticket, letterNumber: request.row.letterNumber ?? "",
                             disposition: request.row.dispositionFrom.flatMap(Disposition.init(rawValue:)) ?? .sekda, rows: request.row.inventoryRows,
                             attachment: file.map { ($0.id, $0.fileName) }, note: note, by: principal)
        }
        return try request(ticket: ticket, by: principal)
    }

    static func receive(_ tx: Transaction, tickets: TicketService, ticket: Int64, letterNumber: String, disposition: Disposition, rows: Int,
                        attachment: (id: Int64, name: String)?, note: String? = nil, by principal: Principal) throws {
        var evidence = [Evidence(kind: .letterNumber, value: letterNumber),
                        Evidence(kind: .note, value: "Disposisi \(disposition.title.id); inventaris \(rows) baris" + (note.map { ". \($0)" } ?? ""))]
        if let attachment { evidence.append(Evidence(kind: .attachment, value: Evidence.fileReference(id: attachment.id, name: attachment.name))) }
        try tickets.act(tx, ticket, .complete(evidence: evidence, branch: nil, note: nil, assignTo: nil),
                        expecting: StepRef(stepID: Action.receive.step, visit: nil), module: "lan.request", by: principal, now: tx.now)
    }

    static func validate(_ letter: inout IncomingLetter) throws {
        var form = RequestForm(letterNumber: letter.number, letterDate: letter.date, letterSignedBy: letter.signedBy, disposition: letter.disposition,
                               building: "-", points: 1, asked: "-", contactName: "-")
        try validate(&form)
        letter = IncomingLetter(number: form.letterNumber, date: form.letterDate, signedBy: form.letterSignedBy, disposition: form.disposition)
    }

    static func validate(_ form: inout RequestForm) throws {
        func text(_ value: String, _ what: Text, max: Int = 200) throws -> String {
            let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !v.isEmpty, v.count <= max else {
                throw ServiceError(.invalid, Text(id: "isi \(what.id) (paling panjang \(max) karakter)", en: "fill in \(what.en) (at most \(max) characters)"))
            }
            return v
        }
        func optional(_ value: String?, _ what: Text, max: Int = 200) throws -> String? {
            guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            guard v.count <= max else {
                throw ServiceError(.invalid, Text(id: "\(what.id) paling panjang \(max) karakter", en: "\(what.en) is at most \(max) characters"))
            }
            return v
        }
        form.letterNumber = try text(form.letterNumber, Text(id: "nomor surat permohonan", en: "the request letter's number"))
        form.letterSignedBy = try text(form.letterSignedBy, Text(id: "penanda tangan surat", en: "who signed the letter"))
        form.building = try text(form.building, Text(id: "gedung", en: "the building"))
        form.floor = try optional(form.floor, Text(id: "lantai", en: "the floor"), max: 40)
        form.rooms = try optional(form.rooms, Text(id: "ruang", en: "the rooms"), max: 500)
        form.asked = try text(form.asked, Text(id: "yang diminta", en: "what is asked"), max: 2000)
        form.contactName = try text(form.contactName, Text(id: "nama kontak", en: "the contact's name"))
        form.contactPhone = try optional(form.contactPhone, Text(id: "telepon kontak", en: "the contact's phone"), max: 50)
        form.letterDate = form.letterDate.trimmingCharacters(in: .whitespaces)
        guard form.letterDate.count == 10, WorkCalendar.dayNumber(form.letterDate) != nil else {
            throw ServiceError(.invalid, Text(id: "tanggal surat \"\(Excerpt.of(form.letterDate))\" harus TTTT-BB-HH", en: "the letter date \"\(Excerpt.of(form.letterDate))\" must be YYYY-MM-DD"))
        }
        guard (0...2000).contains(form.points) else {
            throw ServiceError(.invalid, Text(id: "jumlah titik jaringan harus 0–2000", en: "network points must be 0–2000"))
        }
        guard (0...200).contains(form.switches) else {
            throw ServiceError(.invalid, Text(id: "jumlah switch baru harus 0–200", en: "new switches must be 0–200"))
        }
        guard form.points > 0 || form.wifi || form.switches > 0 else {
            throw ServiceError(.invalid, Text(id: "minta paling sedikit satu: titik jaringan, Wi-Fi atau switch", en: "ask for at least one of: network points, Wi-Fi or a switch"))
        }
    }

    // MARK: Reading

    public func request(ticket: Int64, by principal: Principal) throws -> Request {
        try simpul.database.read { r in try Self.request(r, ticket: ticket, by: principal) }
    }

    static func request(_ r: Reader, ticket: Int64, by principal: Principal) throws -> Request {
        guard let row = try LANStore.request(r, ticketID: ticket), principal.role != .agency || principal.agencyCode == row.agencyCode else {
            throw noRequest(ticket)
        }
        var request = Request(row: row, letters: try LetterStore.letters(r, ticketID: ticket), work: try LANStore.work(r, ticketID: ticket))
        if let stepID = row.step, let step = try Self.playbook(r, ticket: ticket)?.step(stepID) {
            request.stepTitle = step.title
            request.stepActor = step.actor
        }
        return request
    }

    /// The playbook version the ticket runs on.
    static func playbook(_ r: Reader, ticket: Int64) throws -> Playbook? {
        guard let (loaded, _) = try TicketStore.load(r, id: ticket) else { return nil }
        return try PlaybookStore.load(r, id: loaded.playbookID, version: loaded.playbookVersion)?.playbook
    }

    public func list(agency: String? = nil, by principal: Principal) throws -> [LANStore.RequestRow] {
        let only = principal.role == .agency ? principal.agencyCode : agency?.uppercased()
        if principal.role == .agency && only == nil { return [] }
        return try simpul.database.read { r in try LANStore.requests(r, agency: only) }
    }

    static func noRequest(_ ticket: Int64) -> ServiceError {
        ServiceError(.notFound, Text(id: "permohonan LAN #\(ticket) tidak ada; lihat daftar (halaman LAN, atau simpul lan list)",
                                     en: "LAN request #\(ticket) does not exist; see the list (the LAN page, or simpul lan list)"))
    }
}

extension Simpul {
    public var lan: LANService { LANService(simpul: self) }
}
