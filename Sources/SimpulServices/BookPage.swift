import Foundation
import SimpulCore
import SimpulStore

/// The network inventory control book (Buku Kendali Inventaris Jaringan) of one agency as a
/// printable A4 document under the office's letterhead: its devices and points, its links and
/// hosted servers, its upkeep visits and its history of installations, visits and faults. The same
/// page prints to PDF.
struct BookPage {
    var book: LANService.Book
    var links: [Link]
    var servers: [(name: String, state: String)]
    var settings: LetterSettings
    var logo: StoredLogo?
    var zone: TimeZone
    var now: Date

    func day(_ stored: String?) -> String {
        stored.flatMap(Timestamp.date).map { LetterPage.longDate($0, zone) } ?? "-"
    }

    var html: String {
        let e = LetterPage.escape
        let sources = ["declared": "dilaporkan OPD", "installed": "dipasang", "upkeep": "pemeliharaan"]
        let items = book.items.map { r in
            "<tr><td>\(e(r.item.kind.title.id))</td><td>\(e(r.item.brand ?? "-"))</td><td>\(e(r.item.model ?? "-"))</td><td>\(e(r.item.serial ?? "-"))</td>"
                + "<td class=\"num\">\(r.item.quantity)</td><td>\(e(r.item.location ?? "-"))</td><td>\(e(r.item.condition.title.id))</td>"
                + "<td>\(e(sources[r.source] ?? r.source))\(r.ticketID.map { " #\($0)" } ?? "")</td></tr>"
        }.joined()
        let linkRows = links.map { l in
            "<tr><td>\(e(l.circuit))</td><td>\(e(l.provider))</td><td class=\"num\">\(l.downMbps.formatted(.number.precision(.fractionLength(0...1)))) / \(l.upMbps.formatted(.number.precision(.fractionLength(0...1)))) Mbps</td></tr>"
        }.joined()
        let serverRows = servers.map { "<tr><td>\(e($0.name))</td><td>\(e($0.state))</td></tr>" }.joined()
        let visits = book.visits.map { v in
            "<tr><td>\(v.index)/\(v.year)</td><td>\(day(v.due))</td><td>\(v.doneAt == nil ? "belum" : day(v.doneAt))</td><td>\(v.ticketID.map { "#\($0)" } ?? "-")</td></tr>"
        }.joined()
        let kinds = [LANService.installation: "Pemasangan LAN", LANService.upkeep: "Pemeliharaan LAN", FaultService.playbookID: "Gangguan"]
        let statuses = ["open": "berjalan", "held": "ditunda", "done": "selesai", "cancelled": "dibatalkan"]
        let history = book.history.map { h in
            "<tr><td>#\(h.ticketID)</td><td>\(e(kinds[h.playbook] ?? h.playbook))</td><td>\(day(h.openedAt))</td><td>\(day(h.closedAt))</td><td>\(e(statuses[h.status] ?? h.status))</td></tr>"
        }.joined()
        func table(_ head: [String], _ rows: String) -> String {
            rows.isEmpty ? "<p class=\"muted\">tidak ada</p>"
                : "<table><thead><tr>\(head.map { "<th>\(e($0))</th>" }.joined())</tr></thead><tbody>\(rows)</tbody></table>"
        }
        return """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Buku Kendali Inventaris Jaringan — \(e(book.agencyName))</title>
        <style>
        @page { size: A4; margin: 15mm 15mm 18mm 20mm; }
        html { background: #fff; }
        body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; color: #000; margin: 0 auto; max-width: 180mm; }
        \(LetterPage.letterheadStyle)
        h1 { font-size: 12pt; text-align: center; margin: 2mm 0 0; }
        .sub { text-align: center; margin-bottom: 4mm; }
        h2 { font-size: 10.5pt; margin: 5mm 0 1.5mm; }
        table { width: 100%; border-collapse: collapse; }
        th, td { border: 1px solid #000; padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #eee; overflow-wrap: normal; hyphens: none; }
        .num { text-align: right; }
        .muted { color: #555; }
        @media screen { body { padding: 6mm; } }
        @media screen and (max-width: 600px) { body { padding: 2mm; font-size: 9pt; } th, td { padding: 0.5mm 1mm; } }
        </style></head>
        <body>
        \(LetterPage.letterhead(settings, logo: logo))
        <h1>BUKU KENDALI INVENTARIS JARINGAN</h1>
        <div class="sub">\(e(book.agencyName)) · per \(LetterPage.longDate(now, zone))</div>
        <h2>Perangkat dan titik jaringan</h2>
        \(table(["Jenis", "Merek", "Model", "Nomor seri", "Jumlah", "Lokasi", "Kondisi", "Sumber"], items))
        <h2>Sambungan</h2>
        \(table(["Sirkuit", "Penyedia", "Kapasitas"], linkRows))
        <h2>Server titipan</h2>
        \(table(["Server", "Keadaan"], serverRows))
        <h2>Kunjungan pemeliharaan</h2>
        \(table(["Kunjungan", "Rencana", "Selesai", "Tiket"], visits))
        <h2>Riwayat pemasangan, pemeliharaan dan gangguan</h2>
        \(table(["Tiket", "Pekerjaan", "Dibuka", "Ditutup", "Status"], history))
        </body></html>
        """
    }
}

extension LANService {
    /// The agency's inventory book as a printable page (office staff, or the agency itself).
    public func bookPage(agency code: String, by principal: Principal) throws -> String {
        let book = try self.book(agency: code, by: principal)
        let links = try simpul.estate.links(for: principal, agency: book.agencyCode).map(\.link)
        let servers = try simpul.hosting.list(agency: book.agencyCode, by: principal).filter { $0.state == .placed }
            .map { (name: $0.form.hostname, state: $0.progress.title.id) }
        return try simpul.database.read { r in
            BookPage(book: book, links: links, servers: servers, settings: try Self.settings(r), logo: try InventoryStore.logo(r),
                     zone: try Self.officeZone(r), now: simpul.now()).html
        }
    }

    /// The book printed to PDF now (it changes with every installation and visit, so it is not kept).
    public func bookPDF(agency code: String, by principal: Principal) async throws -> Data {
        try await print(try bookPage(agency: code, by: principal), Text(id: "PDF buku kendali", en: "the book's PDF"))
    }
}
