/// How a zone compares with its server, in words, for `simpul dns check` (and anything else that
/// reports a check). A zone is only called in sync when its records match and Simpul's serial is
/// the server's; a zone Simpul has not yet given a serial says so.
extension ZoneDrift {
    /// The inventory's records are the server's: nothing missing, extra or different.
    public var recordsMatch: Bool { missing.isEmpty && extra.isEmpty && different.isEmpty }

    /// Simpul has set this zone's serial (it has pushed a change to it at least once).
    public var serialSet: Bool { inventorySerial != 0 }

    /// Simpul's serial is the one the server answers with.
    public var serialMatches: Bool { serialSet && serverSerial == inventorySerial }

    /// `contohkab.go.id: cocok dengan server (serial 2026120501)`, or what differs.
    public var standing: Text {
        let server = serverSerial.map(String.init)
        if !recordsMatch {
            let serials = serialSet
                ? Text(id: "serial Simpul \(inventorySerial), server \(server ?? "tidak ada")", en: "Simpul's serial \(inventorySerial), the server's \(server ?? "none")")
                : Text(id: "Simpul belum menetapkan serial; server \(server ?? "tidak ada")", en: "Simpul has not set a serial yet; the server's \(server ?? "none")")
            return Text(id: "\(zone): berbeda dari server (\(serials.id))", en: "\(zone): differs from the server (\(serials.en))")
        }
        if !serialSet {
            return Text(id: "\(zone): isi sama dengan server, tetapi Simpul belum pernah menetapkan serial zona ini (serial di server: \(server ?? "tidak ada")); serial ditetapkan pada perubahan pertama",
                        en: "\(zone): the records match the server, but Simpul has not set this zone's serial yet (the server's serial: \(server ?? "none")); the first change sets it")
        }
        guard let serverSerial else {
            return Text(id: "\(zone): isi sama dengan server, tetapi server tidak memberi serial (serial Simpul \(inventorySerial))",
                        en: "\(zone): the records match the server, but the server gave no serial (Simpul's serial \(inventorySerial))")
        }
        if serverSerial != inventorySerial {
            return Text(id: "\(zone): isi sama dengan server, tetapi serialnya berbeda: Simpul \(inventorySerial), server \(serverSerial)",
                        en: "\(zone): the records match the server, but the serials differ: Simpul \(inventorySerial), the server \(serverSerial)")
        }
        return Text(id: "\(zone): cocok dengan server (serial \(inventorySerial))", en: "\(zone): in sync with the server (serial \(inventorySerial))")
    }

    /// The lines under the standing: each record that differs, and the warnings.
    public var findings: [Text] {
        var lines: [Text] = []
        for r in missing { lines.append(Text(id: "  tidak ada di server:   \(r)", en: "  missing on the server: \(r)")) }
        for r in extra { lines.append(Text(id: "  lebih di server:       \(r)", en: "  extra on the server:   \(r)")) }
        for d in different {
            let mine = d.inventory.map(\.description).joined(separator: ", "), theirs = d.server.map(\.description).joined(separator: ", ")
            lines.append(Text(id: "  berbeda — inventaris:  \(mine)", en: "  different — inventory: \(mine)"))
            lines.append(Text(id: "            server:      \(theirs)", en: "              server:    \(theirs)"))
        }
        for r in aWithoutPTR { lines.append(Text(id: "  A tanpa PTR:           \(r)", en: "  A without PTR:         \(r)")) }
        for r in danglingCNAMEs { lines.append(Text(id: "  CNAME tanpa tujuan:    \(r)", en: "  dangling CNAME:        \(r)")) }
        return lines
    }
}
