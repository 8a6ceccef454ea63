/// How long to wait for one device, and how often to ask again. Each device has its own: one that
/// does not answer costs its own `timeout × (retries + 1)` and nobody else's.
public struct SNMPTiming: Sendable, Hashable {
    /// The ranges each setting is held to where it is read (command options, configuration).
    public static let timeoutRange: ClosedRange<Duration> = .milliseconds(10) ... .seconds(60)
    public static let retriesRange: ClosedRange<Int> = 0...10
    public static let walkBudgetRange: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3_600)
    public static let maxRepetitionsRange: ClosedRange<Int> = 1...1_000

    /// How long one request waits for its answer.
    public let timeout: Duration
    /// How many more times a request that got no answer is sent (a large GETBULK smaller each time).
    public let retries: Int
    /// The longest one device's whole walk may take, answers and all.
    public let walkBudget: Duration

    /// 2 s, 1 retry, 30 s for the walk: a device on a district's links answers in well under a second.
    public static let standard = SNMPTiming(checkedTimeout: .seconds(2), retries: 1, walkBudget: .seconds(30))

    /// Each value inside its range, or an error naming the setting and its range.
    public init(timeout: Duration, retries: Int, walkBudget: Duration) throws(SNMPError) {
        guard Self.timeoutRange.contains(timeout) else {
            throw .setting(Text(id: "batas waktu SNMP", en: "the SNMP timeout"), given: SNMPTiming.shown(timeout), allowed: "10 ms … 60 s")
        }
        guard Self.retriesRange.contains(retries) else {
            throw .setting(Text(id: "jumlah pengulangan SNMP", en: "the SNMP retries"), given: Text(id: "\(retries)", en: "\(retries)"), allowed: "0 … 10")
        }
        guard Self.walkBudgetRange.contains(walkBudget), walkBudget >= timeout else {
            throw .setting(Text(id: "batas waktu satu walk", en: "the walk's time limit"), given: SNMPTiming.shown(walkBudget),
                           allowed: "100 ms … 1 h, ≥ timeout")
        }
        self.init(checkedTimeout: timeout, retries: retries, walkBudget: walkBudget)
    }

    private init(checkedTimeout: Duration, retries: Int, walkBudget: Duration) {
        self.timeout = checkedTimeout
        self.retries = retries
        self.walkBudget = walkBudget
    }

    /// A duration as people read it: `500 ms`, `2 detik` / `2 seconds`, `1,5 detik` / `1.5 seconds`.
    public static func shown(_ duration: Duration) -> Text {
        let ms = duration.inMilliseconds
        if ms < 1000 {
            return Format.both { "\($0.number(Int(ms.rounded()))) ms" }
        }
        let s = ms / 1000
        let places = s == s.rounded() ? 0 : 1
        return Text(id: "\(Format.id.decimal(s, places: places)) detik", en: "\(Format.en.decimal(s, places: places)) seconds")
    }
}

/// One device to walk: where it is, how to authenticate, how long to wait, and the max-repetitions
/// its last walk settled on.
public struct SNMPTarget: Sendable, Hashable {
    /// The device's name in the inventory, for messages.
    public var device: String
    public var address: IPAddress
    /// UDP port: 161 unless the inventory says otherwise (agents in tests and demos live on high ports).
    public var port: UInt16
    public var credential: SNMPCredential
    public var timing: SNMPTiming
    /// Rows asked for per column in one GETBULK (``SNMPTiming/maxRepetitionsRange``): the value the
    /// device's last walk returned, or ``SNMPTarget/defaultMaxRepetitions`` the first time.
    public var maxRepetitions: Int

    /// 25 rows of each column per GETBULK: snmp_exporter's default; 48 ports take two requests.
    public static let defaultMaxRepetitions = 25

    public init(device: String, address: IPAddress, port: UInt16 = 161, credential: SNMPCredential,
                timing: SNMPTiming = .standard, maxRepetitions: Int = SNMPTarget.defaultMaxRepetitions) {
        self.device = device
        self.address = address
        self.port = port
        self.credential = credential
        self.timing = timing
        self.maxRepetitions = min(max(maxRepetitions, SNMPTiming.maxRepetitionsRange.lowerBound), SNMPTiming.maxRepetitionsRange.upperBound)
    }

    /// `127.0.0.1:161`, `[::1]:1161`: where requests go, as messages show it.
    public var peer: String {
        address.family == .v4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }

    /// The device as messages name it: `rtr-dinkes (127.0.10.11:161)`.
    public var shown: String { "\(device) (\(peer))" }
}

/// The SNMP client as Simpul's services see it. `SimpulSNMP`'s ``SNMPClient`` implementation is
/// net-snmp; tests of the services may use their own.
public protocol SNMPClient: Sendable {
    /// One device's walk. Never blocks the caller's thread; an error says what to check.
    func walk(_ target: SNMPTarget) async -> Result<SNMPDeviceWalk, SNMPError>
    /// Many devices at once, each with its own timeout and retries; the results in the order of
    /// `targets`. A device that does not answer delays no other.
    func walk(_ targets: [SNMPTarget]) async -> [Result<SNMPDeviceWalk, SNMPError>]
}
