/// The inventory's codes as people say them, in both languages. The code (`metro_ethernet`,
/// `access_point`) is for files, JSON and the command line's arguments; a page or a table shows
/// the title.

extension AgencyKind {
    public var title: Text {
        switch self {
        case .dinas: Text(id: "Dinas", en: "Office (dinas)")
        case .badan: Text(id: "Badan", en: "Agency (badan)")
        case .sekretariat: Text(id: "Sekretariat", en: "Secretariat")
        case .inspektorat: Text(id: "Inspektorat", en: "Inspectorate")
        case .kantor: Text(id: "Kantor", en: "Office (kantor)")
        case .satpol: Text(id: "Satpol PP", en: "Civil police (Satpol PP)")
        case .kecamatan: Text(id: "Kecamatan", en: "Subdistrict (kecamatan)")
        case .kelurahan: Text(id: "Kelurahan", en: "Urban village (kelurahan)")
        case .desa: Text(id: "Desa", en: "Village (desa)")
        case .puskesmas: Text(id: "Puskesmas", en: "Health centre (puskesmas)")
        case .rsud: Text(id: "RSUD", en: "District hospital (RSUD)")
        case .sekolah: Text(id: "Sekolah", en: "School")
        case .lainnya: Text(id: "Lainnya", en: "Other")
        }
    }
}

extension DeviceKind {
    public var title: Text {
        switch self {
        case .router: Text(id: "Router", en: "Router")
        case .switch: Text(id: "Switch", en: "Switch")
        case .firewall: Text(id: "Firewall", en: "Firewall")
        case .server: Text(id: "Server", en: "Server")
        case .access_point: Text(id: "Titik akses nirkabel", en: "Wireless access point")
        case .ups: Text(id: "UPS", en: "UPS")
        case .other: Text(id: "Lainnya", en: "Other")
        }
    }
}

extension LinkTechnology {
    public var title: Text {
        switch self {
        case .fiber: Text(id: "Serat optik", en: "Fibre")
        case .radio: Text(id: "Radio", en: "Radio")
        case .metro_ethernet: Text(id: "Metro Ethernet", en: "Metro Ethernet")
        case .vsat: Text(id: "VSAT", en: "VSAT")
        case .lte: Text(id: "LTE (seluler)", en: "LTE (mobile)")
        case .adsl: Text(id: "ADSL", en: "ADSL")
        case .other: Text(id: "Lainnya", en: "Other")
        }
    }
}

extension PoolScope {
    public var title: Text {
        switch self {
        case .private: Text(id: "Privat", en: "Private")
        case .public: Text(id: "Publik", en: "Public")
        }
    }
}

extension ZoneKind {
    public var title: Text {
        switch self {
        case .forward: Text(id: "Maju (nama → alamat)", en: "Forward (name → address)")
        case .reverse: Text(id: "Balik (alamat → nama)", en: "Reverse (address → name)")
        }
    }
}

extension SNMPVersion {
    /// `SNMP v2c`, `SNMP v3`.
    public var title: String { "v\(rawValue)" }
}
