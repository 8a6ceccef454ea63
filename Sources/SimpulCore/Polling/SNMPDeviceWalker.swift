import Foundation

/// The poller's walker over an SNMP client (net-snmp's in the executable): each target's credential
/// taken from the credentials file, every device walked at once, and each walk turned into what the
/// poll evaluates. A device whose credential is missing is reported unreachable with the reason, and
/// is not asked at all.
public struct SNMPDeviceWalker: DeviceWalker {
    let client: any SNMPClient
    let credentials: SNMPCredentials?
    let timing: SNMPTiming
    let now: @Sendable () -> Date

    /// `credentials`: nil when no file is configured; only devices that need none would then answer
    /// (none do: every version needs a credential), so each says what to set.
    public init(client: any SNMPClient, credentials: SNMPCredentials?, timing: SNMPTiming = .standard, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.credentials = credentials
        self.timing = timing
        self.now = now
    }

    public func walk(_ targets: [WalkTarget]) async -> [DeviceObservation] {
        var observations = [DeviceObservation?](repeating: nil, count: targets.count)
        var asked: [(index: Int, target: SNMPTarget)] = []
        for (index, target) in targets.enumerated() {
            guard let credentials else {
                observations[index] = DeviceObservation(device: target.device, at: now(), outcome: .unreachable(Text(
                    id: "berkas kredensial SNMP tidak diatur; atur SIMPUL_SNMP_CREDENTIALS (lihat README, Link health)",
                    en: "no SNMP credentials file is configured; set SIMPUL_SNMP_CREDENTIALS (see the README, Link health)")))
                continue
            }
            do {
                let credential = try credentials.credential(for: target.access, device: target.device)
                asked.append((index, SNMPTarget(device: target.device, address: target.address, port: target.access.port, credential: credential,
                                                timing: timing, maxRepetitions: target.maxRepetitions ?? SNMPTarget.defaultMaxRepetitions)))
            } catch {
                observations[index] = DeviceObservation(device: target.device, at: now(), outcome: .unreachable(error.text))
            }
        }
        let results = await client.walk(asked.map(\.target))
        let at = now()
        for (slot, result) in zip(asked, results) {
            switch result {
            case .success(let walk):
                observations[slot.index] = Self.observation(walk, at: at)
                observations[slot.index]?.duration = walk.duration
                observations[slot.index]?.maxRepetitions = walk.maxRepetitions
            case .failure(let error):
                observations[slot.index] = DeviceObservation(device: slot.target.device, at: at, outcome: .unreachable(error.text))
            }
        }
        return observations.enumerated().map { index, observation in
            observation ?? DeviceObservation(device: targets[index].device, at: at, outcome: .unreachable(Text(id: "tidak ditanyakan", en: "not asked")))
        }
    }

    /// A walk as the poll sees it: each interface's identity, status and counters at `at`.
    public static func observation(_ walk: SNMPDeviceWalk, at: Date) -> DeviceObservation {
        DeviceObservation(device: walk.device, at: at, outcome: .answered(walk.interfaces.map { i in
            ObservedInterface(
                walked: WalkedInterface(ifIndex: i.ifIndex, name: i.name, alias: i.alias, descr: i.descr),
                operUp: i.operStatus.map { $0 == .up }, adminUp: i.adminStatus.map { $0 == .up },
                reading: CounterReading(at: at, sysUpTime: i.countersUptime ?? walk.sysUpTime, ifIndex: i.ifIndex, inOctets: i.inOctets, outOctets: i.outOctets,
                                        inErrors: i.inErrors, outErrors: i.outErrors, inDiscards: i.inDiscards, outDiscards: i.outDiscards,
                                        speed: i.bitsPerSecond, discontinuityTime: i.discontinuityTime))
        }))
    }
}
