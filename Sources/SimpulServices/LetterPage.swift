import Foundation
import SimpulCore

/// A letter as a printable A4 page (HTML with its own CSS, nothing fetched: the logo is a `data:`
/// URL): the letterhead (kop surat), the number, the date, the text from the office's template, the
/// signature block with the official's name, rank and NIP, and the paraf chain. The same page is
/// shown in the browser and printed to PDF by the server; what is signed is kept as it was signed.
struct LetterPage {
    var kind: LetterKind
    var settings: LetterSettings
    var logo: StoredLogo?
    /// The number, or nil on a draft (printed `…` where the sequence will go).
    var number: String?
    var date: Date
    var zone: TimeZone
    var subject: String
    var body: String
    /// The parafs given, by position in the chain: who and when.
    var parafs: [Int: (official: Official, at: Date)]
    /// For the completion report: who hands over (the technicians) and who receives (the agency's contact).
    var handedOverBy: String?
    var receivedBy: String?
    var agency: String

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static let monthsID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]

    /// `5 Desember 2026`, in `zone`.
    static func longDate(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(p.day ?? 1) \(monthsID[max(1, min(12, p.month ?? 1)) - 1]) \(p.year ?? 2000)"
    }

    /// The year and month of `date` in `zone`: what the number takes.
    static func yearMonth(_ date: Date, _ zone: TimeZone) -> (year: Int, month: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month], from: date)
        return (p.year ?? 2000, p.month ?? 1)
    }

    func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { block -> String in
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map { Self.escape(String($0)) }
            let trimmed = block.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed == trimmed.uppercased(), trimmed.count < 40, !trimmed.isEmpty, trimmed.rangeOfCharacter(from: .letters) != nil {
                return "<p class=\"center strong\">\(Self.escape(trimmed))</p>"
            }
            return "<p>\(lines.joined(separator: "<br>"))</p>"
        }.joined(separator: "\n")
    }

    func signature(_ role: String, _ official: Official?, name: String? = nil) -> String {
        let shownName = official?.name ?? name ?? ""
        var lines = "<div class=\"sign\"><div>\(Self.escape(role))</div><div class=\"space\">\(number == nil || official == nil ? "" : "<span class=\"stamp\">ditandatangani di Simpul</span>")</div>"
        lines += "<div class=\"name\">\(Self.escape(shownName))</div>"
        if let rank = official?.rank { lines += "<div>\(Self.escape(rank))</div>" }
        if let nip = official?.nip { lines += "<div>NIP. \(Self.escape(nip))</div>" }
        return lines + "</div>"
    }

    /// The letterhead (kop surat): the logo, the heading lines and the office's address, over a double rule.
    static func letterhead(_ s: LetterSettings, logo: StoredLogo?) -> String {
        let heading = s.heading.enumerated().map { i, line in "<div class=\"h\(min(i, 1))\">\(escape(line))</div>" }.joined()
        let contact = [s.address, s.phone.map { "Telp. \($0)" }, s.email.map { "Surel: \($0)" }, s.website].compactMap { $0 }.map(escape).joined(separator: " · ")
        let logoHTML = logo.map { "<img class=\"logo\" alt=\"\" src=\"\($0.dataURL)\">" } ?? ""
        return "<div class=\"kop\">\(logoHTML)<div class=\"text\">\(heading)<div class=\"contact\">\(contact)</div></div></div>"
    }

    /// The letterhead's CSS, shared by the letters and the inventory book.
    static let letterheadStyle = """
        .kop { display: flex; align-items: center; gap: 4mm; border-bottom: 3px double #000; padding-bottom: 2mm; margin-bottom: 5mm; }
        .kop .logo { width: 20mm; height: auto; }
        .kop .text { flex: 1; text-align: center; }
        .kop .h0 { font-size: 13pt; font-weight: bold; }
        .kop .h1 { font-size: 14pt; font-weight: bold; }
        .kop .contact { font-size: 9pt; }
        """

    var html: String {
        let s = settings
        let shownNumber = Self.escape(number ?? "…")
        let dated = "\(Self.escape(s.city)), \(Self.longDate(date, zone))"
        var main = ""
        switch kind {
        case .approval:
            main = """
            <table class="meta"><tr><td>Nomor</td><td>: \(shownNumber)</td><td class="right">\(dated)</td></tr>
            <tr><td>Sifat</td><td>: Biasa</td><td></td></tr><tr><td>Lampiran</td><td>: -</td><td></td></tr>
            <tr><td>Perihal</td><td colspan="2">: <strong>\(Self.escape(subject))</strong></td></tr></table>
            \(paragraphs(body))
            <div class="signs one">\(signature(s.signatory.position, s.signatory))</div>
            """
        case .workOrder:
            main = """
            <div class="title">\(Self.escape(subject.uppercased()))</div><div class="center">Nomor: \(shownNumber)</div>
            \(paragraphs(body))
            <div class="signs one"><div class="sign"><div>Dikeluarkan di \(Self.escape(s.city))</div><div>pada tanggal \(Self.longDate(date, zone))</div></div></div>
            <div class="signs one">\(signature(s.signatory.position, s.signatory))</div>
            """
        case .completion:
            main = """
            <div class="title">\(Self.escape(subject.uppercased()))</div><div class="center">Nomor: \(shownNumber)</div>
            \(paragraphs(body))
            <div class="signs two">\(signature("Yang menerima, \(agency)", nil, name: receivedBy))\(signature("Yang menyerahkan, Teknisi", nil, name: handedOverBy))</div>
            <div class="signs one">\(signature("Mengetahui, \(s.signatory.position)", s.signatory))</div>
            """
        }
        var parafHTML = ""
        if kind.needsParaf && !s.paraf.isEmpty {
            let rows = s.paraf.enumerated().map { i, official -> String in
                let given = parafs[i + 1]
                let mark = given.map { "✓ \(Self.escape(Self.longDate($0.at, zone)))" } ?? "belum"
                return "<tr><td>\(Self.escape(official.position))</td><td>\(Self.escape(official.name))</td><td>\(mark)</td></tr>"
            }.joined()
            parafHTML = "<table class=\"paraf\"><caption>Paraf</caption>\(rows)</table>"
        }
        let draft = number == nil ? "<div class=\"draft\">KONSEP</div>" : ""
        return """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(Self.escape(kind.title.id)) \(shownNumber)</title>
        <style>
        @page { size: A4; margin: 18mm 20mm 20mm 25mm; }
        html { background: #fff; }
        body { font-family: "DejaVu Serif", "Times New Roman", serif; font-size: 11.5pt; line-height: 1.45; color: #000; margin: 0 auto; max-width: 170mm; }
        \(Self.letterheadStyle)
        .meta td { padding: 0 2mm 0 0; vertical-align: top; }
        .meta .right { text-align: right; width: 45%; }
        .title { text-align: center; font-weight: bold; text-decoration: underline; margin-top: 3mm; }
        .center { text-align: center; }
        .strong { font-weight: bold; }
        p { text-align: justify; margin: 0 0 3mm; overflow-wrap: anywhere; }
        .signs { display: flex; justify-content: space-between; margin-top: 6mm; page-break-inside: avoid; }
        .signs.one { justify-content: flex-end; }
        .sign { width: 75mm; text-align: left; }
        .sign .space { height: 20mm; display: flex; align-items: center; }
        .sign .stamp { font-size: 8pt; border: 1px solid #555; padding: 1mm 2mm; color: #333; }
        .sign .name { font-weight: bold; text-decoration: underline; }
        .paraf { margin-top: 6mm; font-size: 8.5pt; border-collapse: collapse; }
        .paraf caption { text-align: left; font-weight: bold; }
        .paraf td { border: 1px solid #000; padding: 0.5mm 2mm; }
        .draft { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 60pt; color: rgba(0,0,0,0.08); transform: rotate(-30deg); }
        @media screen { body { padding: 8mm; } }
        @media screen and (max-width: 600px) { body { padding: 3mm; font-size: 11pt; } .kop .logo { width: 14mm; } .signs { flex-direction: column; align-items: flex-end; } .sign { width: auto; } .meta .right { width: auto; } }
        </style></head>
        <body>
        \(draft)
        \(Self.letterhead(s, logo: logo))
        \(main)
        \(parafHTML)
        </body></html>
        """
    }
}
