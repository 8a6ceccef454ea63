import Foundation
import HTTPTypes
import SimpulCore
@testable import SimpulServices
import SimpulStore
@testable import SimpulWeb
import Testing

/// The dashboard's map of the district's network (issue 14): each agency's link coloured and drawn by
/// its state, the agencies cut off named above it, names and never codes, escaped; before the first
/// poll it says there is no data yet.
@Suite("Dashboard network map")
struct NetworkMapTests {
    /// The map's markup.
    func map(_ page: Browser.Page) throws -> Substring {
        try #require(page.element("network-map", closing: "svg"))
    }

    /// The row of the link to `circuit`.
    func row(_ circuit: String, in map: Substring) throws -> Substring {
        let start = try #require(map.range(of: #"<a href="/health/links/\#(circuit)""#))
        let end = try #require(map.range(of: "</a>", range: start.upperBound..<map.endIndex))
        return map[start.lowerBound..<end.upperBound]
    }

    /// What a reader sees: the text between tags, attributes (hrefs, ids) left out.
    func visibleText(_ markup: some StringProtocol) -> String {
        var text = "", inTag = false
        for c in markup {
            if c == "<" { inTag = true } else if c == ">" { inTag = false; text.append(" ") } else if !inTag { text.append(c) }
        }
        return text
    }

    /// SETDA's link down for 40 minutes, BPBD's flapping, DISKOMINFO's degraded, DINKES's up; the rest
    /// never polled.
    func fill(_ district: HealthDistrict) throws {
        try district.state("NUS-CKB-0002", .down, since: 40)
        try district.state("CLM-CKB-0001", .flapping, since: 180)
        try district.state("NUS-CKB-0001", .degraded, since: 1440)
        try district.state("NUS-CKB-0008", .up, since: 120)
    }

    @Test func eachLinkIsDrawnInItsStatesColourAndTheAgencyCutOffIsNamed() async throws {
        let district = try HealthDistrict()
        try fill(district)
        try await district.test { browser in
            let head = try await browser.logIn("head1")
            let page = try await browser.get("/", cookies: head.cookies)
            #expect(page.status == .ok)
            let map = try map(page)
            #expect(map.contains(#"viewBox="0 0 360 "#) && map.contains(#"<title id="network-map-title">Peta jaringan</title>"#))
            #expect(map.contains(">Pusat Data<") && map.contains(">Kabupaten Contoh<"))

            // Down: red, broken with a cross, the name bold in red, how long it has been down.
            let down = try row("NUS-CKB-0002", in: map)
            #expect(down.contains(##"class="map-link link-down""##) && down.contains(##"stroke="#a4161a""##) && down.contains(##"class="map-cut""##))
            #expect(down.contains(##"font-weight="700" fill="#a4161a">Sekretariat Daerah</text>"##))
            #expect(down.contains(">Putus · 40 menit<"))
            #expect(down.contains("<title>Sekretariat Daerah — PT Nusantara Data Net: Putus · 40 menit</title>"))
            // Flapping: a purple zigzag; degraded: dashed amber; up: solid green; never polled: grey dots, hollow.
            let flapping = try row("CLM-CKB-0001", in: map)
            #expect(flapping.contains(##"<polyline points="##) && flapping.contains(##"stroke="#6a1b9a""##) && flapping.contains(">Putus-sambung · 3 jam<"))
            let degraded = try row("NUS-CKB-0001", in: map)
            #expect(degraded.contains(##"stroke="#8a5300""##) && degraded.contains(##"stroke-dasharray="7 3""##))
            let up = try row("NUS-CKB-0008", in: map)
            #expect(up.contains(##"stroke="#1e7a46""##) && !up.contains("stroke-dasharray") && !up.contains("map-state") && up.contains(">Dinas Kesehatan<"))
            let unknown = try row("NUS-CKB-0003", in: map)
            #expect(unknown.contains(##"stroke="#5b6775""##) && unknown.contains(##"fill="#ffffff""##) && unknown.contains("belum pernah dipantau"))
            // Within a provider, what needs someone first.
            #expect(try #require(map.range(of: "NUS-CKB-0002")).lowerBound < (try #require(map.range(of: "NUS-CKB-0008"))).lowerBound)

            // Named above the map; the legend and the list in Indonesian.
            #expect(page.text(ofID: "map-cut-off") == "Terputus: Sekretariat Daerah.")
            #expect(page.text(ofID: "map-flapping") == "Putus-sambung: Badan Penanggulangan Bencana Daerah.")
            #expect(page.element("map-none-cut-off", closing: "p") == nil && page.element("map-no-data", closing: "p") == nil)
            let legend = try #require(page.element("map-legend", closing: "p"))
            for word in ["Keterangan", "Normal", "Menurun", "Putus", "Putus-sambung", "Tidak diketahui"] { #expect(legend.contains(word), "\(word)") }
            let list = try #require(page.element("map-list", closing: "details"))
            #expect(list.contains(#"<li class="map-list-down"><a href="/health/links/NUS-CKB-0002">Sekretariat Daerah</a>: Putus · 40 menit</li>"#))

            // Names, never codes, in what the page shows.
            let shown = visibleText(try #require(page.element("dashboard-map", closing: "section")))
            #expect(shown.contains("PT Nusantara Data Net") && shown.contains("PT Cakrawala Lintas Media") && shown.contains("Dinas Kesehatan"))
            for code in ["NUSANET", "CAKRAWALA", "SETDA", "DINKES", "NUS-CKB", "CLM-CKB", "rtr-"] {
                #expect(!shown.contains(code), "\(code)")
            }
        }
    }

    @Test func namesAreEscapedInTheDrawingTheTitlesAndTheList() async throws {
        let district = try HealthDistrict(replacing: [(file: "agencies.yaml", from: "name: Sekretariat Daerah", to: #"name: 'Setda <b>"Utama"</b> & Co'"#)])
        try fill(district)
        try await district.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/", cookies: admin.cookies)
            #expect(page.status == .ok)
            #expect(!page.body.contains("<b>\"Utama\"</b>"))
            let down = try row("NUS-CKB-0002", in: try map(page))
            #expect(down.contains("Setda &lt;b&gt;&quot;Utama&quot;&lt;/b&gt; &amp; Co"))
            #expect(page.text(ofID: "map-cut-off") == #"Terputus: Setda <b>"Utama"</b> & Co."#)
        }
    }

    @Test func beforeAnyPollTheMapSaysThereIsNoDataYet() async throws {
        let district = try HealthDistrict()
        try await district.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/", cookies: admin.cookies)
            #expect(page.status == .ok)
            #expect(page.text(ofID: "map-no-data")?.hasPrefix("Belum ada data") == true)
            #expect(page.element("map-cut-off", closing: "strong") == nil && page.element("map-none-cut-off", closing: "p") == nil)
            let map = try map(page)
            // Every link drawn, every one unknown.
            let links = try district.simpul.estate.links(for: district.cli).count
            #expect(map.components(separatedBy: #"class="map-link "#).count - 1 == links)
            #expect(map.components(separatedBy: #"class="map-link link-unknown""#).count - 1 == links)
        }
        // Without a link-health file there is no map at all (nothing to colour it with).
        let off = try HealthDistrict(health: false)
        try await off.test { browser in
            let admin = try await browser.logIn("admin1")
            let page = try await browser.get("/", cookies: admin.cookies)
            #expect(page.status == .ok && !page.body.contains("network-map"))
        }
    }

    @Test func inEnglishAndForAnAgencysUser() async throws {
        let district = try HealthDistrict()
        try fill(district)
        try await district.test { browser in
            let viewer = try await browser.logIn("viewer1")
            _ = try await browser.post("/lang", cookies: viewer.cookies, form: [("_csrf", viewer.csrf), ("to", "en"), ("back", "/")])
            let english = try await browser.get("/", cookies: viewer.cookies)
            #expect(try map(english).contains(">Data centre<") && english.text(ofID: "map-cut-off") == "Cut off: Sekretariat Daerah.")
            let legend = try #require(english.element("map-legend", closing: "p"))
            for word in ["Legend", "Up", "Degraded", "Down", "Flapping", "Unknown"] { #expect(legend.contains(word), "\(word)") }
            #expect(try row("NUS-CKB-0002", in: try map(english)).contains(">Down · 40 minutes<"))

            // An agency's user: its own link only; nobody else's outage.
            let dinkes = try await browser.logIn("opd-dinkes")
            let own = try await browser.get("/", cookies: dinkes.cookies)
            let map = try map(own)
            #expect(map.components(separatedBy: #"class="map-link "#).count - 1 == 1 && map.contains(">Dinas Kesehatan<"))
            #expect(!map.contains("Sekretariat Daerah") && own.text(ofID: "map-none-cut-off") == "Tidak ada instansi yang terputus.")
        }
    }

    @Test func theLayoutWrapsLongNamesAndShowsAgenciesWithoutALink() throws {
        let words = Wording(catalogue: try Catalogue.bundled(), language: .id)
        let long = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Contoh"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let links = [NetworkMap.Link(agencyName: long, state: .down, since: now.addingTimeInterval(-600), polled: true, href: "/health/links/A"),
                     NetworkMap.Link(agencyName: "Dinas Sosial", state: .up, since: nil, polled: true, href: "/health/links/B")]
        let map = NetworkMap(district: "Kabupaten Contoh", providers: [NetworkMap.Provider(name: "PT Penyedia", links: links)],
                             unlinked: ["Desa Tanpa Kabel"], words: words, now: now)
        let rows = map.elements.compactMap { $0["link"] as? View }
        #expect(rows.count == 2 && rows[0]["state"] as? String == "down", "down first")
        let lines = try #require(rows[0]["lines"] as? [View]).compactMap { $0["text"] as? String }
        #expect(lines.count == 3 && lines.allSatisfy { $0.count <= NetworkMap.lineChars })
        #expect(lines.joined(separator: " ").hasPrefix("Badan Kepegawaian dan Pengembangan"))
        #expect((rows[0]["label"] as? String)?.hasPrefix(long) == true, "the full name in the title")
        let unlinked = map.elements.compactMap { $0["unlinked"] as? View }
        #expect(unlinked.count == 1 && (unlinked[0]["label"] as? String) == "Desa Tanpa Kabel: belum punya sambungan di inventaris")
        #expect(map.elements.contains { $0["unlinkedHeader"] != nil })
        // Tall enough for every row, and the text no smaller than 11 units in a 360-unit picture.
        let lastY = try #require(unlinked.last?["y"] as? Double)
        #expect(Double(map.height) > lastY && NetworkMap.width == 360)
        #expect(map.summary == "Pusat data, 1 penyedia dan sambungan 3 instansi, diwarnai menurut keadaan sambungan.")
    }
}
