import Foundation
import SimpulCore
import SimpulStore

extension LANService {
    /// The technician's log of an installation and its test.
    public struct WorkForm: Sendable, Codable {
        public var pointsInstalled: Int
        public var pointsPassed: Int
        public var cableMetres: Int
        public var connectors: Int
        public var switches: Int
        public var accessPoints: Int
        /// The test results, as the technician writes them (per point, or a summary).
        public var results: String
        public var note: String?
        /// Where the installed points, switches and access points are (the inventory book's location).
        public var location: String?
        /// Spare parts taken from the stock, by part code, with quantities.
        public var parts: [String: Int]

        public init(pointsInstalled: Int, pointsPassed: Int, cableMetres: Int, connectors: Int, switches: Int = 0, accessPoints: Int = 0,
                    results: String, note: String? = nil, location: String? = nil, parts: [String: Int] = [:]) {
            self.pointsInstalled = pointsInstalled
            self.pointsPassed = pointsPassed
            self.cableMetres = cableMetres
            self.connectors = connectors
            self.switches = switches
            self.accessPoints = accessPoints
            self.results = results
            self.note = note
            self.location = location
            self.parts = parts
        }
    }

    /// A photo of the work, as uploaded.
    public struct Photo: Sendable {
        public var fileName: String
        public var data: Data

        public init(fileName: String, data: Data) {
            self.fileName = fileName
            self.data = data
        }
    }

    /// Logs the installation (with at least one photo) and its test in one transaction: the install
    /// step is done, the test passes when every installed point passed (else the ticket goes back to
    /// installing), and on a pass the agency's inventory book takes what was installed.
    public func install(ticket: Int64, work form: WorkForm, photos: [Photo], by principal: Principal) throws -> Request {
        try Action.install.require(principal)
        let form = try Self.validate(form)
        guard !photos.isEmpty else {
            throw ServiceError(.invalid, Text(id: "lampirkan paling sedikit satu foto pekerjaan (JPEG atau PNG)", en: "attach at least one photo of the work (JPEG or PNG)"))
        }
        for photo in photos {
            guard !photo.data.isEmpty, photo.data.count <= TicketService.maxAttachmentBytes, MediaType.isImage(MediaType.of(photo.data)) else {
                throw ServiceError(.invalid, Text(id: "foto \(Excerpt.of(photo.fileName)) harus gambar JPEG, PNG, GIF atau WebP, paling besar 10 MB",
                                                  en: "the photo \(Excerpt.of(photo.fileName)) must be a JPEG, PNG, GIF or WebP image of at most 10 MB"))
            }
        }
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let request = try Self.request(tx, ticket: ticket, by: principal)
            try Self.requireStep(request, .install)
            var references: [String] = []
            for photo in photos {
                let name = TicketService.cleanFileName(photo.fileName)
                let id = try TicketStore.insertAttachment(tx, ticketID: ticket, kind: .photo, fileName: name, contentType: MediaType.of(photo.data),
                                                          data: photo.data, sha256: SHA256Hex.of(photo.data), by: principal.username, now: tx.now)
                references.append(Evidence.fileReference(id: id, name: name))
            }
            let work = LANStore.Work(at: Timestamp.string(tx.now), by: principal.username, pointsInstalled: form.pointsInstalled,
                                     pointsPassed: form.pointsPassed, cableMetres: form.cableMetres, connectors: form.connectors,
                                     switches: form.switches, accessPoints: form.accessPoints, results: form.results, note: form.note)
            try LANStore.insertWork(tx, ticketID: ticket, work)
            for (code, quantity) in form.parts.sorted(by: { $0.key < $1.key }) {
                try PartService.use(tx, code: code, quantity: quantity, ticketID: ticket, logID: nil, note: "Pemasangan LAN tiket #\(ticket)")
            }
            try tx.audit("lan.install", "ticket", "#\(ticket)", after: form)
            let summary = "Titik terpasang \(form.pointsInstalled), lulus uji \(form.pointsPassed); kabel \(form.cableMetres) m, konektor \(form.connectors), switch \(form.switches), AP \(form.accessPoints)"
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .photo, value: references.joined(separator: "\n")),
                                                                    Evidence(kind: .note, value: summary + (form.note.map { ". \($0)" } ?? ""))],
                                                         branch: nil, note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: Action.install.step, visit: nil), module: "lan.install", by: principal, now: tx.now)
            let passed = form.pointsPassed == form.pointsInstalled
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .note, value: form.results)], branch: passed ? "pass" : "fail",
                                                         note: nil, assignTo: passed ? nil : principal.username),
                                   expecting: StepRef(stepID: "test", visit: nil), module: "lan.test", by: principal, now: tx.now)
            guard passed else { return }
            // The inventory book takes what this installation added.
            let location = form.location ?? [request.row.building, request.row.floor.map { "lantai \($0)" }].compactMap { $0 }.joined(separator: ", ")
            var items: [LANInventoryItem] = []
            let note = "Pemasangan tiket #\(ticket)"
            if form.pointsInstalled > 0 { items.append(LANInventoryItem(kind: .networkPoint, quantity: form.pointsInstalled, location: location, notes: note)) }
            if form.switches > 0 { items.append(LANInventoryItem(kind: .switch, quantity: form.switches, location: location, notes: note)) }
            if form.accessPoints > 0 { items.append(LANInventoryItem(kind: .accessPoint, quantity: form.accessPoints, location: location, notes: note)) }
            try LANStore.add(tx, agencyID: request.row.agencyID, items: items, source: "installed", ticketID: ticket)
            let added = items.map { "\($0.quantity) \($0.kind.title.id.lowercased())" }.joined(separator: ", ")
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .note, value: "Buku Kendali Inventaris Jaringan: \(added.isEmpty ? "tidak ada perangkat baru" : added) di \(location)")],
                                                         branch: nil, note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: "update_inventory", visit: nil), module: "lan.inventory", by: principal, now: tx.now)
        }
        return try request(ticket: ticket, by: principal)
    }

    static func validate(_ form: WorkForm) throws -> WorkForm {
        var form = form
        func range(_ value: Int, _ bounds: ClosedRange<Int>, _ what: Text) throws {
            guard bounds.contains(value) else {
                throw ServiceError(.invalid, Text(id: "\(what.id) \(value) di luar \(bounds.lowerBound)–\(bounds.upperBound)",
                                                  en: "\(what.en) \(value) is outside \(bounds.lowerBound)–\(bounds.upperBound)"))
            }
        }
        try range(form.pointsInstalled, 0...2000, Text(id: "titik terpasang", en: "points installed"))
        try range(form.pointsPassed, 0...form.pointsInstalled, Text(id: "titik lulus uji", en: "points passed"))
        try range(form.cableMetres, 0...100_000, Text(id: "kabel (meter)", en: "cable (metres)"))
        try range(form.connectors, 0...10_000, Text(id: "konektor", en: "connectors"))
        try range(form.switches, 0...200, Text(id: "switch", en: "switches"))
        try range(form.accessPoints, 0...200, Text(id: "access point", en: "access points"))
        guard form.pointsInstalled + form.switches + form.accessPoints > 0 else {
            throw ServiceError(.invalid, Text(id: "catat paling sedikit satu titik, switch atau access point yang dipasang", en: "log at least one point, switch or access point installed"))
        }
        form.results = form.results.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !form.results.isEmpty, form.results.count <= Limits.shortText else {
            throw ServiceError(.invalid, Text(id: "tulis hasil uji (paling panjang \(Limits.shortText) karakter)", en: "write the test results (at most \(Limits.shortText) characters)"))
        }
        form.note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        form.location = form.location?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        try ServiceError.limit(form.note, Text(id: "catatan", en: "the note"), Limits.shortText)
        try ServiceError.limit(form.location, Text(id: "lokasi", en: "the location"), Limits.name)
        guard form.parts.count <= 50, form.parts.values.allSatisfy({ (1...10_000).contains($0) }) else {
            throw ServiceError(.invalid, Text(id: "suku cadang: paling banyak 50 jenis, masing-masing 1–10000", en: "spare parts: at most 50 kinds, each 1–10,000"))
        }
        return form
    }

    /// Closes the installation: issues the completion report (Berita Acara, numbered now) and does
    /// the report step with it; the ticket is done.
    public func close(ticket: Int64, by principal: Principal) throws -> Request {
        try Action.close.require(principal)
        try simpul.database.write(as: principal.username, at: simpul.now()) { tx in
            let request = try Self.request(tx, ticket: ticket, by: principal)
            try Self.requireStep(request, .close)
            let settings = try Self.settings(tx)
            let letterID = try LetterStore.draft(tx, ticketID: ticket, kind: LetterKind.completion.rawValue)
            let number = try Self.issue(tx, request: request, kind: .completion, letterID: letterID, settings: settings)
            try tx.audit("lan.close", "ticket", "#\(ticket)", after: ["completion": number])
            try simpul.tickets.act(tx, ticket, .complete(evidence: [Evidence(kind: .report, value: "Berita Acara Penyelesaian nomor \(number)")],
                                                         branch: nil, note: nil, assignTo: nil),
                                   expecting: StepRef(stepID: Action.close.step, visit: nil), module: "lan.close", by: principal, now: tx.now)
        }
        return try request(ticket: ticket, by: principal)
    }

    /// The agency's network inventory book: its devices and points, links, hosted servers, and the
    /// history of installations, visits and faults.
    public struct Book: Sendable {
        public var agencyCode: String
        public var agencyName: String
        public var items: [LANStore.InventoryRow]
        public var history: [LANStore.HistoryRow]
        public var visits: [UpkeepStore.VisitRow]
    }

    public func book(agency code: String, by principal: Principal) throws -> Book {
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard principal.role != .agency || principal.agencyCode == code else { throw Self.noAgency(code) }
        return try simpul.database.read { r in
            guard let agency = try UpkeepStore.agencies(r).first(where: { $0.code == code }) else { throw Self.noAgency(code) }
            return Book(agencyCode: agency.code, agencyName: agency.name, items: try LANStore.inventory(r, agencyID: agency.id),
                        history: try LANStore.history(r, agencyID: agency.id), visits: try UpkeepStore.visits(r, agencyID: agency.id))
        }
    }

    static func noAgency(_ code: String) -> ServiceError {
        ServiceError(.notFound, Text(id: "perangkat daerah \"\(Excerpt.of(code, length: 40))\" tidak ada", en: "agency \"\(Excerpt.of(code, length: 40))\" does not exist"))
    }
}
