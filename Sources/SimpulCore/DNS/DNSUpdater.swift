/// Where a zone's updates go: the server (`host:port`, an address literal) and the TSIG key's name.
public struct ZoneEndpoint: Sendable, Hashable {
    public var zone: DomainName
    public var server: String
    public var keyName: String?

    public init(zone: DomainName, server: String, keyName: String?) {
        self.zone = zone
        self.server = server
        self.keyName = keyName
    }
}

/// One change set for one zone as an RFC 2136 update: records to delete, records to add, and the
/// zone's new SOA (its serial bumped once for the whole set).
public struct ZoneUpdate: Sendable, Hashable {
    public var endpoint: ZoneEndpoint
    public var soa: SOAData
    public var deletes: [DNSRecord]
    public var adds: [DNSRecord]

    public init(endpoint: ZoneEndpoint, soa: SOAData, deletes: [DNSRecord], adds: [DNSRecord]) {
        self.endpoint = endpoint
        self.soa = soa
        self.deletes = deletes
        self.adds = adds
    }
}

/// Why a push or a query did not go through, worded for the admin who has to act on it.
public enum DNSPushError: Error, Sendable, Hashable {
    case badServer(String)
    case unreachable(server: String, reason: String)
    case timeout(server: String)
    case noKeyFile
    case keyFile(path: String, reason: String)
    case key(TSIGKey.Problem)
    case rcode(server: String, code: UInt16)
    case tsig(server: String, TSIGError)
    case malformed(server: String)
    case notConfirmed(server: String, what: String)

    public var text: Text {
        switch self {
        case .badServer(let s):
            Text(id: "alamat server DNS \"\(s)\" tidak sah; tulis ALAMAT-IP:PORT, mis. 127.0.0.1:53 atau [::1]:53",
                 en: "DNS server address \"\(s)\" is not valid; write IP-ADDRESS:PORT, e.g. 127.0.0.1:53 or [::1]:53")
        case .unreachable(let server, let reason):
            Text(id: "server DNS \(server) tidak dapat dihubungi (\(reason)); periksa named berjalan dan alamat zona di inventaris",
                 en: "DNS server \(server) cannot be reached (\(reason)); check that named is running and the zone's server in the inventory")
        case .timeout(let server):
            Text(id: "server DNS \(server) tidak menjawab tepat waktu; periksa named dan firewall", en: "DNS server \(server) did not answer in time; check named and the firewall")
        case .noKeyFile:
            Text(id: "tidak ada file kunci TSIG; jalankan dengan --tsig-key FILE atau SIMPUL_TSIG_KEY=FILE",
                 en: "no TSIG key file; run with --tsig-key FILE or SIMPUL_TSIG_KEY=FILE")
        case .keyFile(let path, let reason):
            Text(id: "file kunci TSIG \(path) tidak dapat dibaca: \(reason)", en: "TSIG key file \(path) cannot be read: \(reason)")
        case .key(let problem):
            problem.text
        case .rcode(let server, let code):
            Text(id: "server DNS \(server): " + DNSRcode.text(code).id, en: "DNS server \(server): " + DNSRcode.text(code).en)
        case .tsig(let server, let error):
            Text(id: "server DNS \(server): " + error.text.id, en: "DNS server \(server): " + error.text.en)
        case .malformed(let server):
            Text(id: "jawaban server DNS \(server) rusak", en: "DNS server \(server) sent a malformed answer")
        case .notConfirmed(let server, let what):
            Text(id: "server DNS \(server) menerima pembaruan tetapi belum menjawab \(what)", en: "DNS server \(server) took the update but does not answer \(what)")
        }
    }
}

/// The DNS server as Simpul's services see it. `SimpulDNS` implements it over TCP with TSIG; tests
/// of the services may use their own.
public protocol DNSUpdater: Sendable {
    // Each call is over by `deadline`: a server that has not answered by then is
    // `.timeout(server:)`, as is a call whose task is cancelled. An implementation does its network
    // I/O off Swift's cooperative thread pool (issue 12, part 4).

    /// Sends `update` as one signed RFC 2136 message; returns when the server has answered NOERROR.
    func update(_ update: ZoneUpdate, deadline: ContinuousClock.Instant) async throws(DNSPushError)
    /// The records the server answers authoritatively for `name` and `type` (empty for NXDOMAIN or
    /// no data).
    func query(_ endpoint: ZoneEndpoint, name: DomainName, type: RecordType, deadline: ContinuousClock.Instant) async throws(DNSPushError) -> [DNSRecord]
    /// The whole zone as the server holds it (a signed AXFR): its SOA, and every record of the types
    /// Simpul manages.
    func transfer(_ endpoint: ZoneEndpoint, deadline: ContinuousClock.Instant) async throws(DNSPushError) -> (soa: SOAData?, records: [DNSRecord])
}
