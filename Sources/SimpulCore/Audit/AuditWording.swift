import Foundation

/// The audit log's codes in words — its actions (`dns.add`), actors (`cli:root`, `simpul`) and
/// objects (`address:dc-server/10.20.0.12`) — for the dashboard, the audit page and `simpul audit
/// list` alike. The log itself keeps the codes: they are what its hash chain covers.
public enum AuditWording {
    /// Who acted: a username as it is; the command line as `baris perintah (root)`; Simpul's own
    /// timers as `Simpul (otomatis)`.
    public static func actor(_ actor: String) -> Text {
        if actor == "simpul" { return Text(id: "Simpul (otomatis)", en: "Simpul (automatic)") }
        if actor.hasPrefix("cli:") {
            let user = String(actor.dropFirst(4))
            return Text(id: "baris perintah (\(user))", en: "command line (\(user))")
        }
        return Text(id: actor, en: actor)
    }

    /// What kind of thing an object is: `pengguna` / `user`.
    public static func objectKind(_ type: String) -> Text {
        switch type {
        case "user": Text(id: "pengguna", en: "user")
        case "api_token": Text(id: "token API", en: "API token")
        case "ticket": Text(id: "tiket", en: "ticket")
        case "address": Text(id: "alamat", en: "address")
        case "device": Text(id: "perangkat", en: "device")
        case "dns", "zone": Text(id: "zona", en: "zone")
        case "playbook": Text(id: "SOP", en: "playbook")
        case "calendar": Text(id: "kalender", en: "calendar")
        case "agency": Text(id: "instansi", en: "agency")
        case "provider": Text(id: "penyedia", en: "provider")
        case "room": Text(id: "ruang", en: "room")
        case "rack": Text(id: "rak", en: "rack")
        case "link": Text(id: "sambungan", en: "link")
        case "pool": Text(id: "blok IP", en: "address pool")
        case "district": Text(id: "kabupaten/kota", en: "district")
        default: Text(id: type.replacingOccurrences(of: "_", with: " "), en: type.replacingOccurrences(of: "_", with: " "))
        }
    }

    /// The object acted on: `tiket #115`, `alamat 10.20.0.12 (dc-server)`, `token API #3`, `kalender kantor`.
    public static func object(type: String, key: String) -> Text {
        let kind = objectKind(type)
        switch type {
        case "address":
            if let slash = key.lastIndex(of: "/") {
                let pool = key[..<slash], address = key[key.index(after: slash)...]
                return Text(id: "\(kind.id) \(address) (\(pool))", en: "\(kind.en) \(address) (\(pool))")
            }
        case "api_token":
            return Text(id: "\(kind.id) #\(key)", en: "\(kind.en) #\(key)")
        case "calendar" where key == "office":
            return Text(id: "kalender kantor", en: "office calendar")
        default: break
        }
        return Text(id: "\(kind.id) \(key)", en: "\(kind.en) \(key)")
    }

    /// What was done, as `subject: what happened`: `DNS: record ditambahkan`, `Tiket: eskalasi`,
    /// `Pengguna: kata sandi diganti`. `objectType` tells apart the inventory's create/update/delete.
    public static func action(_ action: String, objectType: String) -> Text {
        func say(_ subjectID: String, _ subjectEN: String, _ id: String, _ en: String) -> Text {
            Text(id: "\(subjectID): \(id)", en: "\(subjectEN): \(en)")
        }
        if action.hasPrefix("ticket."), let kind = HistoryEntry.Kind(rawValue: String(action.dropFirst(7))) {
            return say("Tiket", "Ticket", kind.title.id.lowercased(), kind.title.en.lowercased())
        }
        switch action {
        case "dns.add": return say("DNS", "DNS", "record ditambahkan", "record added")
        case "dns.remove": return say("DNS", "DNS", "record dihapus", "record removed")
        case "dns.fix": return say("DNS", "DNS", "zona disamakan dengan inventaris", "zone made to match the inventory")
        case "ip.hold": return say("IP", "IP", "alamat ditahan", "address held")
        case "ip.assign": return say("IP", "IP", "alamat diberikan", "address assigned")
        case "ip.release": return say("IP", "IP", "alamat dilepas", "address released")
        case "ip.expire": return say("IP", "IP", "tahanan habis waktu", "hold expired")
        case "hosting.file": return say("Penitipan server", "Server hosting", "permohonan diajukan", "request filed")
        case "hosting.check": return say("Penitipan server", "Server hosting", "cek bulanan dicatat", "monthly check recorded")
        case "hosting.install": return say("Penitipan server", "Server hosting", "server dipasang di rak", "server racked")
        case "hosting.monitor": return say("Penitipan server", "Server hosting", "server masuk pemantauan", "server enrolled for monitoring")
        case "hosting.reopen": return say("Penitipan server", "Server hosting", "permohonan dibuka lagi", "request reopened")
        case "hosting.decommission": return say("Penitipan server", "Server hosting", "server dibongkar", "server decommissioned")
        case "hosting.cancel": return say("Penitipan server", "Server hosting", "permohonan batal, server dikeluarkan", "request cancelled, server taken out")
        case "fault.open": return say("Gangguan", "Fault", "laporan gangguan dicatat", "fault reported")
        case "fault.report": return say("Gangguan", "Fault", "laporan tambahan dicatat", "another report added")
        case "fault.log": return say("Gangguan", "Fault", "catatan kerja ditulis", "work logged")
        case "fault.close": return say("Gangguan", "Fault", "hasil dilaporkan", "result reported")
        case "fault.escalate": return say("Gangguan", "Fault", "dieskalasi ke penyedia", "escalated to the provider")
        case "fault.ack": return say("Gangguan", "Fault", "tanggapan penyedia dicatat", "provider's acknowledgement recorded")
        case "fault.restore": return say("Gangguan", "Fault", "pemulihan dicatat", "restoration recorded")
        case "template.save": return say("Templat pesan", "Message template", "diubah", "edited")
        case "template.reset": return say("Templat pesan", "Message template", "kembali ke teks bawaan", "back to the shipped text")
        case "part.add": return say("Suku cadang", "Spare part", "ditambahkan", "added")
        case "part.update": return say("Suku cadang", "Spare part", "diubah", "edited")
        case "part.receive": return say("Suku cadang", "Spare part", "stok diterima", "stock received")
        case "part.use": return say("Suku cadang", "Spare part", "dipakai", "used")
        case "part.adjust": return say("Suku cadang", "Spare part", "stok dikoreksi", "stock corrected")
        case "attach": return say("Tiket", "Ticket", "berkas dilampirkan", "file attached")
        case "password": return say("Pengguna", "User", "kata sandi diganti", "password changed")
        case "disable": return say("Pengguna", "User", "dinonaktifkan", "disabled")
        case "enable": return say("Pengguna", "User", "diaktifkan lagi", "enabled again")
        case "revoke": return say("Token API", "API token", "dicabut", "revoked")
        case "load" where objectType == "calendar": return say("Kalender kantor", "Office calendar", "dimuat", "loaded")
        case "load": return say("SOP", "Playbook", "versi dimuat", "version loaded")
        case "create", "update", "delete":
            let kind = objectKind(objectType)
            let subject = Text(id: kind.id.prefix(1).uppercased() + kind.id.dropFirst(), en: kind.en.prefix(1).uppercased() + kind.en.dropFirst())
            let done: Text = switch action {
            case "create": objectType == "user" || objectType == "api_token" ? Text(id: "dibuat", en: "created") : Text(id: "ditambahkan", en: "added")
            case "update": Text(id: "diubah", en: "changed")
            default: Text(id: "dihapus", en: "removed")
            }
            return say(subject.id, subject.en, done.id, done.en)
        default:
            let words = action.replacingOccurrences(of: ".", with: ": ").replacingOccurrences(of: "_", with: " ")
            return Text(id: words, en: words)
        }
    }
}
