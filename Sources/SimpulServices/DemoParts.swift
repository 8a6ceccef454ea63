import Foundation
import SimpulCore
import SimpulStore

/// The demo's spare-parts stock (`simpul demo seed`): what a network section keeps — patch cords,
/// SFP modules, fiber patch cords, connectors, cable by the metre, a spare switch, UPS batteries —
/// received as the division head would record a delivery, one of them below its minimum level so the
/// dashboard shows it. A part already in the stock is left alone: seeding twice does not double it.
public struct DemoParts: Sendable {
    let simpul: Simpul

    public init(simpul: Simpul) { self.simpul = simpul }

    struct Item {
        var code: String
        var name: String
        var unit: String
        var minimum: Int
        var received: Int
        var location: String
    }

    /// The stock; `SFP-10G-LR` is the one below its minimum.
    static let items: [Item] = [
        Item(code: "PC-UTP-2M", name: "Patch cord UTP Cat6 2 m", unit: "buah", minimum: 10, received: 24, location: "Lemari A1, ruang NOC"),
        Item(code: "PC-UTP-5M", name: "Patch cord UTP Cat6 5 m", unit: "buah", minimum: 5, received: 12, location: "Lemari A1, ruang NOC"),
        Item(code: "FO-PC-SCLC-3M", name: "Patch cord fiber SC-LC singlemode 3 m", unit: "buah", minimum: 6, received: 10, location: "Lemari A2, ruang NOC"),
        Item(code: "SFP-1G-LX", name: "Modul SFP 1G LX 1310 nm (10 km)", unit: "buah", minimum: 4, received: 6, location: "Lemari A2, ruang NOC"),
        Item(code: "SFP-10G-LR", name: "Modul SFP+ 10G LR 1310 nm (10 km)", unit: "buah", minimum: 2, received: 1, location: "Lemari A2, ruang NOC"),
        Item(code: "RJ45-CAT6", name: "Konektor RJ45 Cat6", unit: "pcs", minimum: 100, received: 350, location: "Lemari A1, ruang NOC"),
        Item(code: "UTP-CAT6", name: "Kabel UTP Cat6 (box 305 m)", unit: "m", minimum: 100, received: 305, location: "Gudang lantai 1"),
        Item(code: "SW-24P-CADANGAN", name: "Switch akses 24 port cadangan", unit: "unit", minimum: 1, received: 1, location: "Ruang server DC1"),
        Item(code: "UPS-BAT-12V9AH", name: "Baterai UPS 12 V 9 Ah", unit: "buah", minimum: 4, received: 8, location: "Ruang server DC1"),
    ]

    /// What a seed did.
    public struct Report: Sendable {
        /// Parts added and stocked by this seed (those already there are left alone).
        public var added: [String] = []
        /// Parts below their minimum level after the seed.
        public var low: [String] = []
        /// Parts used on open tickets by this seed.
        public var used = 0
    }

    /// Adds and stocks the parts that are not in the stock yet, each received by the division head
    /// (`kabid.tik`, else `principal`).
    public func seed(by principal: Principal) throws -> Report {
        var report = Report()
        let keeper = (try? simpul.accounts.user("kabid.tik", by: principal))?.principal ?? principal
        let existing = Set(try simpul.parts.list(by: principal).map(\.code))
        for item in Self.items where !existing.contains(item.code) {
            try simpul.parts.add(code: item.code, name: item.name, unit: item.unit, minimum: item.minimum, location: item.location, by: keeper)
            try simpul.parts.receive(code: item.code, quantity: item.received, note: "Pengadaan suku cadang 2026 (BAST 027/DKISP/XI/2026)", by: keeper)
            report.added.append(item.code)
        }
        report.low = try simpul.parts.lowStock(by: principal).map(\.code)
        return report
    }

    /// Once the demo's tickets exist: a technician takes a patch cord and a connector pair for the
    /// first open repair or fault ticket, so the stock has a use on its history — only for parts this
    /// seed just stocked (`report.added`), so seeding again takes nothing more.
    public func useOnOpenTickets(_ report: inout Report, by principal: Principal) throws {
        guard report.added.contains("PC-UTP-2M"), report.added.contains("RJ45-CAT6") else { return }
        let technician = (try? simpul.accounts.user("teknisi1", by: principal))?.principal ?? principal
        var filter = TicketStore.Filter()
        filter.limit = 20
        let open = try simpul.tickets.list(filter, by: principal).rows.filter { $0.status == .open }
        for (ticket, (code, quantity)) in zip(open.prefix(2), [("PC-UTP-2M", 1), ("RJ45-CAT6", 2)]) {
            try simpul.parts.use(code: code, quantity: quantity, ticket: ticket.id, note: "Penggantian di lokasi", by: technician)
            report.used += 1
        }
        report.low = try simpul.parts.lowStock(by: principal).map(\.code)
    }
}
