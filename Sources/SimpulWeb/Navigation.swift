import SimpulCore

/// The menu: the pages a role may open, in the office's order.
enum Navigation {
    struct Item {
        var id: String
        var path: String
        var permission: Permission?
    }

    static let all: [Item] = [
        Item(id: "dashboard", path: "/", permission: nil),
        Item(id: "work", path: "/work", permission: nil),
        Item(id: "tickets", path: "/tickets", permission: nil),
        Item(id: "agencies", path: "/agencies", permission: nil),
        Item(id: "providers", path: "/providers", permission: .viewEstate),
        Item(id: "links", path: "/links", permission: nil),
        Item(id: "link_health", path: "/health/links", permission: nil),
        Item(id: "devices", path: "/devices", permission: nil),
        Item(id: "faults", path: "/faults", permission: nil),
        Item(id: "hosting", path: "/hosting", permission: nil),
        Item(id: "lan", path: "/lan", permission: nil),
        Item(id: "upkeep", path: "/upkeep", permission: .viewEstate),
        Item(id: "surveys", path: "/surveys", permission: nil),
        Item(id: "parts", path: "/parts", permission: .viewEstate),
        Item(id: "pools", path: "/pools", permission: .viewEstate),
        Item(id: "zones", path: "/zones", permission: .viewEstate),
        Item(id: "outbox", path: "/outbox", permission: .manageDNS),
        Item(id: "templates", path: "/templates", permission: .viewAudit),
        Item(id: "racks", path: "/racks", permission: .viewEstate),
        Item(id: "playbooks", path: "/playbooks", permission: nil),
        Item(id: "compliance", path: "/reports/compliance", permission: .viewEstate),
        Item(id: "provider_reports", path: "/reports/providers", permission: .viewEstate),
        Item(id: "audit", path: "/audit", permission: .viewAudit),
        Item(id: "users", path: "/users", permission: .manageUsers),
        Item(id: "account", path: "/account", permission: nil),
    ]

    /// The entries `principal` may open, with the one `path` is under marked current.
    static func items(for principal: Principal, path: String) -> [(item: Item, current: Bool)] {
        all.filter { $0.permission.map(principal.can) ?? true }.map { item in
            (item, item.path == "/" ? path == "/" : (path == item.path || path.hasPrefix(item.path + "/")))
        }
    }
}
