import Foundation

/// What the fault-dispatch module records about a fault (SOP 15): how it was reported, what it
/// is about, and, when it is fixed, why it happened. The ticket (`fault-dispatch`) keeps the SOP's
/// steps and clocks; this is the fault itself.
public enum FaultChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case phone, whatsapp, walkIn = "walk_in", web, email, monitoring, api

    public var title: Text {
        switch self {
        case .phone: Text(id: "Telepon", en: "Phone")
        case .whatsapp: Text(id: "WhatsApp", en: "WhatsApp")
        case .walkIn: Text(id: "Datang langsung", en: "Walk-in")
        case .web: Text(id: "Formulir web", en: "Web form")
        case .email: Text(id: "Surel", en: "E-mail")
        case .monitoring: Text(id: "Pemantauan otomatis", en: "Monitoring")
        case .api: Text(id: "API", en: "API")
        }
    }
}

public enum FaultSymptom: String, Sendable, Hashable, CaseIterable, Codable {
    case noConnection = "no_connection", slow, intermittent, serviceDown = "service_down", equipmentBroken = "equipment_broken", other

    public var title: Text {
        switch self {
        case .noConnection: Text(id: "Tidak ada koneksi", en: "No connection")
        case .slow: Text(id: "Lambat", en: "Slow")
        case .intermittent: Text(id: "Putus-sambung", en: "Intermittent")
        case .serviceDown: Text(id: "Layanan mati", en: "A service is down")
        case .equipmentBroken: Text(id: "Perangkat rusak", en: "Equipment broken")
        case .other: Text(id: "Lainnya", en: "Other")
        }
    }
}

public enum FaultCause: String, Sendable, Hashable, CaseIterable, Codable {
    case fiberCut = "fiber_cut", power, deviceFailure = "device_failure", configuration, providerUpstream = "provider_upstream",
         userSide = "user_side", other

    public var title: Text {
        switch self {
        case .fiberCut: Text(id: "Kabel serat putus", en: "Fiber cut")
        case .power: Text(id: "Listrik", en: "Power")
        case .deviceFailure: Text(id: "Perangkat rusak", en: "Device failure")
        case .configuration: Text(id: "Konfigurasi", en: "Configuration")
        case .providerUpstream: Text(id: "Jaringan penyedia", en: "Provider upstream")
        case .userSide: Text(id: "Sisi pengguna", en: "User side")
        case .other: Text(id: "Lainnya", en: "Other")
        }
    }
}

/// How one work-log entry ended.
public enum FaultLogOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    case progress, fixed, notFixed = "not_fixed", waitingProvider = "waiting_provider"

    public var title: Text {
        switch self {
        case .progress: Text(id: "Masih dikerjakan", en: "In progress")
        case .fixed: Text(id: "Teratasi", en: "Fixed")
        case .notFixed: Text(id: "Belum teratasi", en: "Not fixed")
        case .waitingProvider: Text(id: "Menunggu penyedia", en: "Waiting for the provider")
        }
    }
}

/// The provider's side of a fault, as evidence for its SLA.
public enum ProviderEventKind: String, Sendable, Hashable, CaseIterable, Codable {
    case escalated, acknowledged, restored

    public var title: Text {
        switch self {
        case .escalated: Text(id: "Dieskalasi", en: "Escalated")
        case .acknowledged: Text(id: "Diterima penyedia", en: "Acknowledged")
        case .restored: Text(id: "Dipulihkan", en: "Restored")
        }
    }
}
