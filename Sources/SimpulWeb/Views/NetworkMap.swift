import Foundation
import SimpulCore
import SimpulServices

/// The dashboard's picture of the district's network (issue 14), laid out for an inline SVG (no
/// script, no library): the data centre at the top, a trunk down to each provider, and from each
/// provider a branch to every agency it carries, coloured and patterned by the link's state — solid
/// green up, dashed amber degraded, red and broken with a cross down, a purple zigzag flapping,
/// grey dots unknown — so the head sees which agencies are cut off without reading a table. Within a
/// provider the links that need someone come first. Agencies without any link hang from the trunk,
/// hollow. Names, never codes; a long name wraps to a second line and the full one is the row's
/// `<title>`. Narrow on purpose (360 units, text 11–13): readable on a 390 px phone, drawn at a
/// quarter larger on a wide screen. Colours are attributes (the CSP allows no inline style).
struct NetworkMap {
    /// One link as the map draws it.
    struct Link: Sendable {
        var agencyName: String
        var state: LinkState
        var since: Date?
        var polled: Bool
        var href: String
    }

    struct Provider: Sendable {
        var name: String
        var links: [Link]
    }

    /// How each state is drawn: the colour (at least 4.5:1 on white, so the state's words in it read
    /// as text) and the branch's pattern, which tells the states apart without colour.
    struct Style: Sendable {
        var colour: String
        var dash: String?
        var width: Double

        static func of(_ state: LinkState) -> Style {
            switch state {
            case .up: Style(colour: "#1e7a46", dash: nil, width: 3)
            case .degraded: Style(colour: "#8a5300", dash: "7 3", width: 3)
            case .down: Style(colour: "#a4161a", dash: nil, width: 3.5)
            case .flapping: Style(colour: "#6a1b9a", dash: nil, width: 2.5)
            case .unknown: Style(colour: "#5b6775", dash: "1.5 3.5", width: 2.5)
            }
        }
    }

    static let width = 360
    /// Drawn a quarter larger than the viewBox where there is room; a phone's screen scales it down
    /// (the stylesheet's `svg { max-width: 100% }`).
    static let drawnWidth = 450
    static let trunkX = 22.0
    static let providerX = 34.0
    static let branchX = 50.0
    static let branchEnd = 86.0
    static let nodeX = 93.0
    static let textX = 104.0
    /// Characters of a name on one line at 12.5 units, in the 250 units right of the node (DejaVu Sans, the widest of the fonts asked for, with room to spare).
    static let lineChars = 31
    static let maxLines = 3
    static let providerChars = 27

    let height: Int
    let summary: String
    let elements: [View]
    let list: [View]
    let legend: [View]

    /// `providers` in the order given, their links in attention order here; `unlinked` agencies by name.
    init(district: String, providers: [Provider], unlinked: [String], words: Wording, now: Date) {
        let language = words.language
        let format = Format(language)
        var elements: [View] = []
        var y = 8.0
        // The data centre.
        elements.append(["datacentre": view(["x": 8, "y": y, "width": Self.width - 16, "height": 42,
                                              "titleX": Double(Self.width) / 2, "titleY": y + 18, "nameY": y + 34,
                                              "title": words("map_datacentre"), "name": Self.clip(district, 48)])])
        y += 42
        let trunkTop = y
        var trunkBottom = y
        var list: [View] = []

        /// At most three lines, broken between words; what is left past the third is cut.
        func wrapped(_ name: String) -> [String] {
            var lines: [String] = []
            var line = ""
            for word in name.split(separator: " ") {
                if line.isEmpty || line.count + 1 + word.count <= Self.lineChars || lines.count == Self.maxLines - 1 {
                    line += (line.isEmpty ? "" : " ") + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            if !line.isEmpty { lines.append(line) }
            return lines.map { Self.clip($0, Self.lineChars) }
        }

        func stateLine(_ link: Link) -> String? {
            guard link.state != .up else { return nil }
            guard link.polled else { return "\(link.state.title(language)) · \(words("health_never_polled"))" }
            guard let since = link.since else { return link.state.title(language) }
            return "\(link.state.title(language)) · \(format.duration(max(0, now.timeIntervalSince(since))))"
        }

        for provider in providers {
            y += 10
            let links = provider.links.sorted { a, b in
                let (ra, rb) = (PollService.attentionRank(a.state), PollService.attentionRank(b.state))
                if ra != rb { return ra < rb }
                return a.agencyName.localizedStandardCompare(b.agencyName) == .orderedAscending
            }
            let up = links.filter { $0.state == .up }.count
            let troubled = links.contains { $0.state == .down || $0.state == .flapping }
            elements.append(["provider": view([
                "x": Self.providerX, "y": y, "width": Double(Self.width) - Self.providerX - 8, "height": 26,
                "stubX1": Self.trunkX, "stubY": y + 13, "textX": Self.providerX + 8, "textY": y + 17.5,
                "countX": Double(Self.width) - 14, "name": Self.clip(provider.name, Self.providerChars), "fullName": provider.name,
                "count": words.catalogue.text("map_provider_count", language, format.number(up), format.number(links.count)),
                "countColour": troubled ? Style.of(.down).colour : (up == links.count ? Style.of(.up).colour : "#5b6775"),
            ])])
            trunkBottom = y + 13
            let subTop = y + 26
            y += 26
            var last = subTop
            var items: [View] = []
            for link in links {
                let lines = wrapped(link.agencyName)
                let state = stateLine(link)
                let rowHeight = 8 + Double(lines.count) * 15 + (state == nil ? 0 : 13)
                let mid = y + 4 + 9
                let style = Style.of(link.state)
                var row: View = [
                    "href": link.href, "state": link.state.rawValue, "colour": style.colour, "strokeWidth": style.width,
                    "y1": mid, "x1": Self.branchX, "x2": Self.branchEnd, "nodeX": Self.nodeX,
                    "lines": lines.enumerated().map { i, text in ["text": text, "x": Self.textX, "y": mid + 4.5 + Double(i) * 15] as View },
                    "bold": link.state == .down || link.state == .flapping,
                    "label": "\(link.agencyName) — \(provider.name): \(state ?? link.state.title(language))",
                    "hollow": link.state == .unknown,
                ]
                if let dash = style.dash { row["dash"] = dash }
                if let state { row["stateLine"] = ["text": state, "x": Self.textX, "y": mid + 4.5 + Double(lines.count) * 15 - 2] as View }
                switch link.state {
                case .down:
                    // Broken in the middle, with a cross where it broke.
                    let c = (Self.branchX + Self.branchEnd) / 2
                    row["broken"] = ["leftEnd": c - 7, "rightStart": c + 7, "c1": "\(c - 4),\(mid - 4) \(c + 4),\(mid + 4)",
                                     "c2": "\(c - 4),\(mid + 4) \(c + 4),\(mid - 4)"] as View
                case .flapping:
                    let step = (Self.branchEnd - Self.branchX) / 6
                    row["zigzag"] = (0...6).map { i in "\(Self.branchX + Double(i) * step),\(i == 0 || i == 6 ? mid : (i % 2 == 1 ? mid - 4 : mid + 4))" }
                        .joined(separator: " ")
                default:
                    row["straight"] = true
                }
                elements.append(["link": row])
                items.append(["agency": link.agencyName, "state": link.state.title(language), "detail": state, "href": link.href,
                              "stateKey": link.state.rawValue])
                last = mid
                y += rowHeight
            }
            if !links.isEmpty {
                elements.append(["subtrunk": ["x": Self.branchX, "y1": subTop, "y2": last] as View])
            }
            list.append(["provider": provider.name, "links": items])
        }

        if !unlinked.isEmpty {
            y += 10
            elements.append(["unlinkedHeader": view([
                "x": Self.providerX, "y": y, "width": Double(Self.width) - Self.providerX - 8, "height": 26,
                "stubX1": Self.trunkX, "stubY": y + 13, "textX": Self.providerX + 8, "textY": y + 17.5, "text": words("map_no_link"),
            ])])
            trunkBottom = y + 13
            y += 26
            for name in unlinked {
                let lines = wrapped(name)
                let mid = y + 4 + 9
                elements.append(["unlinked": view([
                    "nodeX": Self.nodeX, "y": mid,
                    "lines": lines.enumerated().map { i, text in ["text": text, "x": Self.textX, "y": mid + 4.5 + Double(i) * 15] as View },
                    "label": "\(name): \(words("map_no_link_note"))",
                ])])
                y += 8 + Double(lines.count) * 15
            }
            list.append(["provider": words("map_no_link"), "links": unlinked.map { ["agency": $0, "state": words("map_no_link_note")] as View }])
        }
        if trunkBottom > trunkTop {
            elements.insert(["trunk": ["x": Self.trunkX, "y1": trunkTop, "y2": trunkBottom] as View], at: 1)
        }
        height = Int((y + 10).rounded(.up))
        self.elements = elements
        self.list = list
        let agencies = Set(providers.flatMap { $0.links.map(\.agencyName) }).count + unlinked.count
        summary = words.catalogue.text("map_desc", language, format.number(providers.count), format.number(agencies))
        legend = [LinkState.up, .degraded, .down, .flapping, .unknown].map { state in
            let style = Style.of(state)
            var item: View = ["label": state.title(language), "colour": style.colour, "strokeWidth": style.width, "key": state.rawValue]
            if let dash = style.dash { item["dash"] = dash }
            switch state {
            case .down: item["broken"] = true
            case .flapping: item["zigzag"] = true
            default: item["straight"] = true
            }
            return item
        }
    }

    /// `text` cut to `count` characters with an ellipsis.
    static func clip(_ text: String, _ count: Int) -> String {
        text.count > count ? String(text.prefix(count - 1)).trimmingCharacters(in: .whitespaces) + "…" : text
    }

    /// The map as template values (`network-map.mustache`).
    var data: View {
        ["width": Self.width, "drawnWidth": Self.drawnWidth, "drawnHeight": Int((Double(height) * Double(Self.drawnWidth) / Double(Self.width)).rounded()),
         "height": height, "summary": summary, "elements": elements, "list": list, "legend": legend]
    }
}
