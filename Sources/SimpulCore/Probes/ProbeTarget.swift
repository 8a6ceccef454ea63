/// How a hosted server is checked, as the hosting module enrols it (`monitor_targets.method`,
/// `port`): an ICMP echo, or a TCP connect to one port.
public enum ProbeMethod: Sendable, Hashable, CustomStringConvertible {
    case icmp
    case tcp(port: Int)

    /// `icmp` or `tcp`, as stored.
    public var name: String {
        switch self {
        case .icmp: "icmp"
        case .tcp: "tcp"
        }
    }

    public var port: Int? {
        if case .tcp(let port) = self { return port }
        return nil
    }

    public var description: String {
        switch self {
        case .icmp: "icmp"
        case .tcp(let port): "tcp/\(port)"
        }
    }
}

/// One address and how to check it. The address is kept as given; ``destination`` is where the
/// packets go (an IPv4-mapped IPv6 address reaches its IPv4 address).
public struct ProbeTarget: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let method: ProbeMethod

    public init(address: IPAddress, method: ProbeMethod) {
        self.address = address
        self.method = method
    }

    /// A target from an enrolment row (address text, `icmp` or `tcp`, the port for `tcp`), every
    /// part checked: a row changed by hand in the database is refused with what is wrong in it.
    public init(address text: String, method: String, port: Int?) throws(ProbeTargetError) {
        guard let address = IPAddress(text) else { throw .badAddress(text) }
        switch method {
        case "icmp":
            guard port == nil else { throw .portWithICMP }
            self.init(address: address, method: .icmp)
        case "tcp":
            guard let port else { throw .tcpWithoutPort }
            guard ProbeLimits.port.contains(port) else { throw .badPort(port) }
            self.init(address: address, method: .tcp(port: port))
        default:
            throw .unknownMethod(method)
        }
    }

    public var destination: IPAddress { address.probeDestination }

    /// `127.0.0.1 icmp`, `10.20.0.15 tcp/443`.
    public var description: String { "\(address) \(method)" }
}

/// The ranges of a probe's numbers, checked where they are read (the command line, an enrolment row).
public enum ProbeLimits {
    /// A TCP port.
    public static let port: ClosedRange<Int> = 1...65_535
    /// How long one check waits for its answer, in milliseconds.
    public static let timeoutMilliseconds: ClosedRange<Int> = 10...60_000
    /// How many checks one `simpul probe` sends.
    public static let count: ClosedRange<Int> = 1...1_000
    /// The wait between two checks of one `simpul probe`, in milliseconds.
    public static let intervalMilliseconds: ClosedRange<Int> = 0...60_000
}

/// An enrolment row that cannot be checked.
public struct ProbeTargetError: Error, Sendable, Hashable, UserFacingError, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case badAddress(String), unknownMethod(String), tcpWithoutPort, portWithICMP, badPort(Int)
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    static func badAddress(_ text: String) -> Self { Self(.badAddress(text)) }
    static func unknownMethod(_ text: String) -> Self { Self(.unknownMethod(text)) }
    static let tcpWithoutPort = Self(.tcpWithoutPort)
    static let portWithICMP = Self(.portWithICMP)
    static func badPort(_ port: Int) -> Self { Self(.badPort(port)) }

    public var text: Text {
        switch kind {
        case .badAddress(let text):
            Text(id: "\"\(Excerpt.of(text))\" bukan alamat IPv4 atau IPv6; daftarkan ulang pemantauannya dengan alamat yang benar",
                 en: "\"\(Excerpt.of(text))\" is not an IPv4 or IPv6 address; enrol the monitoring again with the right address")
        case .unknownMethod(let text):
            Text(id: "cara pemeriksaan \"\(Excerpt.of(text))\" tidak dikenal; pakai icmp atau tcp",
                 en: "check method \"\(Excerpt.of(text))\" is unknown; use icmp or tcp")
        case .tcpWithoutPort:
            Text(id: "pemeriksaan tcp perlu port; daftarkan ulang dengan --tcp PORT",
                 en: "a tcp check needs a port; enrol it again with --tcp PORT")
        case .portWithICMP:
            Text(id: "pemeriksaan icmp tidak memakai port; daftarkan ulang tanpa port atau sebagai tcp",
                 en: "an icmp check takes no port; enrol it again without one, or as tcp")
        case .badPort(let port):
            Text(id: "port harus bilangan bulat dari 1 sampai 65535; yang tercatat: \(port)",
                 en: "the port must be a whole number from 1 to 65535; recorded: \(port)")
        }
    }

    public var description: String { text.en }
}
