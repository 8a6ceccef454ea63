/// Why a capture file could not be opened, an interface could not be captured on, or a capture file
/// could not be written: what is wrong and what to do, in English and Indonesian. Compare with the
/// static members (`error == .noSuchInterface`): two errors are equal when they are the same kind,
/// whatever file or interface they name.
///
/// Damage inside a file that opened is not an error: reading stops there and the summary says so
/// (``FileReadSummary/end``).
public struct PcapError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Internal: String, Sendable, Hashable {
        case noSuchFile = "no_such_file"
        case fileNotPermitted = "file_not_permitted"
        case notAFile = "not_a_file"
        case notACaptureFile = "not_a_capture_file"
        case unsupportedFile = "unsupported_file"
        case unreadable
        case captureNotPermitted = "capture_not_permitted"
        case promiscuousNotPermitted = "promiscuous_not_permitted"
        case noSuchInterface = "no_such_interface"
        case interfaceDown = "interface_down"
        case captureFailed = "capture_failed"
        case badFilter = "bad_filter"
        case setting
        case cannotWrite = "cannot_write"
    }

    private let value: Internal
    /// What happened and what to do, in English (the logs, `--json`).
    public let english: String
    /// The same in Indonesian, for the office's users.
    public let indonesian: String

    private init(_ value: Internal, en: String, id: String) {
        self.value = value
        self.english = en
        self.indonesian = id
    }

    /// A stable word for scripts and JSON: `no_such_file`, `not_a_capture_file`, `capture_not_permitted`…
    public var status: String { value.rawValue }
    public var description: String { english }

    public static func == (lhs: PcapError, rhs: PcapError) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    // MARK: Kinds, for comparison

    public static var noSuchFile: Self { .init(.noSuchFile, en: "no such file", id: "berkas tidak ada") }
    public static var fileNotPermitted: Self { .init(.fileNotPermitted, en: "permission denied", id: "izin ditolak") }
    public static var notAFile: Self { .init(.notAFile, en: "not a regular file", id: "bukan berkas biasa") }
    public static var notACaptureFile: Self { .init(.notACaptureFile, en: "not a capture file", id: "bukan berkas tangkapan") }
    public static var unsupportedFile: Self { .init(.unsupportedFile, en: "unsupported capture file", id: "berkas tangkapan tidak didukung") }
    public static var unreadable: Self { .init(.unreadable, en: "cannot read the file", id: "berkas tidak dapat dibaca") }
    public static var captureNotPermitted: Self { .init(.captureNotPermitted, en: "capturing needs CAP_NET_RAW", id: "penangkapan perlu CAP_NET_RAW") }
    public static var promiscuousNotPermitted: Self { .init(.promiscuousNotPermitted, en: "promiscuous mode not permitted", id: "mode promiscuous tidak diizinkan") }
    public static var noSuchInterface: Self { .init(.noSuchInterface, en: "no such interface", id: "antarmuka tidak ada") }
    public static var interfaceDown: Self { .init(.interfaceDown, en: "interface is down", id: "antarmuka mati") }
    public static var captureFailed: Self { .init(.captureFailed, en: "capture failed", id: "penangkapan gagal") }
    public static var badFilter: Self { .init(.badFilter, en: "bad capture filter", id: "filter tangkapan tidak valid") }
    public static var setting: Self { .init(.setting, en: "capture setting out of range", id: "pengaturan tangkapan di luar rentang") }
    public static var cannotWrite: Self { .init(.cannotWrite, en: "cannot write the capture file", id: "berkas tangkapan tidak dapat ditulis") }

    // MARK: Files

    static func noSuchFile(_ path: String) -> Self {
        .init(.noSuchFile,
              en: "no capture file at \(path): check the path (tcpdump -w and tshark -w write pcap and pcapng files)",
              id: "tidak ada berkas tangkapan di \(path): periksa jalurnya (tcpdump -w dan tshark -w menulis berkas pcap dan pcapng)")
    }

    static func fileNotPermitted(_ path: String) -> Self {
        .init(.fileNotPermitted,
              en: "cannot open \(path): permission denied; make it readable by this user (chmod/chown) or run as its owner",
              id: "\(path) tidak dapat dibuka: izin ditolak; buat berkas itu dapat dibaca pengguna ini (chmod/chown) atau jalankan sebagai pemiliknya")
    }

    static func notAFile(_ path: String) -> Self {
        .init(.notAFile,
              en: "\(path) is not a regular file (a directory or a device): give the path of a .pcap or .pcapng file",
              id: "\(path) bukan berkas biasa (direktori atau perangkat): berikan jalur berkas .pcap atau .pcapng")
    }

    static func notACaptureFile(_ path: String, _ reason: String) -> Self {
        .init(.notACaptureFile,
              en: "\(path) is not a pcap or pcapng capture file (libpcap: \(reason)); give a file written by tcpdump -w, tshark -w or Wireshark",
              id: "\(path) bukan berkas tangkapan pcap atau pcapng (libpcap: \(reason)); berikan berkas yang ditulis tcpdump -w, tshark -w atau Wireshark")
    }

    static func unsupportedFile(_ path: String, _ reason: String) -> Self {
        .init(.unsupportedFile,
              en: "\(path) is a capture file this libpcap cannot read (libpcap: \(reason)); convert it with editcap -F pcap \(path) OUT.pcap",
              id: "\(path) adalah berkas tangkapan yang tidak dapat dibaca libpcap ini (libpcap: \(reason)); ubah dengan editcap -F pcap \(path) KELUARAN.pcap")
    }

    static func unreadable(_ path: String, _ reason: String) -> Self {
        .init(.unreadable,
              en: "cannot read \(path): \(reason)",
              id: "\(path) tidak dapat dibaca: \(reason)")
    }

    // MARK: Interfaces

    static func captureNotPermitted(_ interface: String, _ detail: String) -> Self {
        .init(.captureNotPermitted,
              en: "cannot capture on \(interface): capturing needs CAP_NET_RAW: run as root or grant it (the simpul-capture service does) (libpcap: \(detail))",
              id: "tidak dapat menangkap di \(interface): penangkapan perlu CAP_NET_RAW: jalankan sebagai root atau berikan kapabilitas itu (layanan simpul-capture memberikannya) (libpcap: \(detail))")
    }

    static func promiscuousNotPermitted(_ interface: String, _ detail: String) -> Self {
        .init(.promiscuousNotPermitted,
              en: "cannot put \(interface) in promiscuous mode: permission denied; grant CAP_NET_ADMIN, or capture without promiscuous mode (libpcap: \(detail))",
              id: "\(interface) tidak dapat dijadikan mode promiscuous: izin ditolak; berikan CAP_NET_ADMIN, atau tangkap tanpa mode promiscuous (libpcap: \(detail))")
    }

    static func noSuchInterface(_ interface: String) -> Self {
        .init(.noSuchInterface,
              en: "no network interface named \"\(interface)\" on this machine: list them with `ip link` and give one of those names",
              id: "tidak ada antarmuka jaringan bernama \"\(interface)\" di mesin ini: lihat daftarnya dengan `ip link` dan berikan salah satu namanya")
    }

    static func interfaceDown(_ interface: String) -> Self {
        .init(.interfaceDown,
              en: "interface \(interface) is down: bring it up (`ip link set \(interface) up`) or capture on another one",
              id: "antarmuka \(interface) mati: nyalakan (`ip link set \(interface) up`) atau tangkap di antarmuka lain")
    }

    static func captureFailed(_ interface: String, _ detail: String) -> Self {
        .init(.captureFailed,
              en: "cannot capture on \(interface): \(detail)",
              id: "tidak dapat menangkap di \(interface): \(detail)")
    }

    static func badFilter(_ expression: String, _ detail: String) -> Self {
        .init(.badFilter,
              en: "the capture filter \"\(expression)\" is not valid (libpcap: \(detail)); write it in tcpdump's filter syntax (man pcap-filter), e.g. \"udp port 53\" or \"net 10.20.0.0/16\"",
              id: "filter tangkapan \"\(expression)\" tidak valid (libpcap: \(detail)); tulis dengan sintaks filter tcpdump (man pcap-filter), mis. \"udp port 53\" atau \"net 10.20.0.0/16\"")
    }

    static func setting(_ field: String, given: String, allowed: String) -> Self {
        .init(.setting,
              en: "\(field) \(given) is outside \(allowed)",
              id: "\(field) \(given) di luar rentang \(allowed)")
    }

    // MARK: Writing

    static func cannotWrite(_ path: String, _ detail: String) -> Self {
        .init(.cannotWrite,
              en: "cannot write the capture file \(path): \(detail)",
              id: "berkas tangkapan \(path) tidak dapat ditulis: \(detail)")
    }
}
