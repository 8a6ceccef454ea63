import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices
import SimpulSNMP

struct SNMPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snmp",
        abstract: "Diagnosis SNMP perangkat / SNMP diagnosis of a device.",
        discussion: """
        The device comes from the inventory (its management_address, and its snmp: block's version,
        credential and port). The credential is read from the SNMP credentials file: --credentials FILE,
        else $SIMPUL_SNMP_CREDENTIALS (format: docs/inventory.md). No secret is ever printed. An address
        outside $SIMPUL_PROBE_ALLOW (when set) is not sent to.
        Contoh / examples:
          simpul snmp walk rtr-dinkes --credentials /etc/simpul/snmp-credentials.yaml
          simpul snmp walk sw-inti-01 --json | jq '.walk.interfaces[] | {if_index, name, in_octets}'
        """,
        subcommands: [Walk.self])

    struct Walk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "walk", 
            abstract: "Tabel antarmuka perangkat seperti dilihat poller / a device's interfaces as the poller sees them.",
            discussion: """
            Walks IF-MIB (ifName, ifDescr, ifAlias, ifType, statuses, speeds, the 64-bit octet counters
            or the 32-bit ones where those are absent, errors, discards, ifCounterDiscontinuityTime)
            and sysUpTime/sysName with GETBULK, several columns per request. Prints the rows, the
            requests sent, the time taken and the max-repetitions the walk settled on (lowered after a
            timeout or tooBig on a large request).
            """)

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nama perangkat di inventaris / the device's name in the inventory.") var device: String
        @Flag(help: "Keluaran JSON / JSON output.") var json = false
        @Option(help: "Berkas kredensial SNMP / SNMP credentials file (default: $SIMPUL_SNMP_CREDENTIALS).") var credentials: String?
        @Option(name: .customLong("timeout-ms"), help: "Batas waktu per permintaan, milidetik / timeout per request in milliseconds (10…60000; default 2000).")
        var timeoutMilliseconds: Int = 2_000
        @Option(help: "Pengulangan permintaan tanpa jawaban / retries of an unanswered request (0…10; default 1).") var retries: Int = 1
        @Option(name: .customLong("max-repetitions"), help: "Baris per kolom per GETBULK / rows per column per GETBULK (1…1000; default 25).")
        var maxRepetitions: Int = SNMPTarget.defaultMaxRepetitions

        func validate() throws {
            try options.require(timeoutMilliseconds, "timeout-ms", in: 10...60_000)
            try options.require(retries, "retries", in: SNMPTiming.retriesRange)
            try options.require(maxRepetitions, "max-repetitions", in: SNMPTiming.maxRepetitionsRange)
        }

        func run() async throws {
            let language = options.language
            try await options.runAsync {
                let simpul = try options.simpul()
                let name = device.lowercased()
                guard let found = try simpul.estate.devices(for: options.principal).first(where: { $0.name == name }) else {
                    throw CLIError(Text(id: "perangkat \"\(Excerpt.of(device))\" tidak ada di inventaris; lihat simpul device list",
                                        en: "device \"\(Excerpt.of(device))\" is not in the inventory; see simpul device list"))
                }
                guard let access = found.snmp else {
                    throw CLIError(Text(id: "perangkat \(found.name) tidak punya blok snmp: di inventaris (version, credential); tambahkan lalu impor ulang",
                                        en: "device \(found.name) has no snmp: block in the inventory (version, credential); add it and import again"))
                }
                guard let address = found.managementAddress else {
                    throw CLIError(Text(id: "perangkat \(found.name) tidak punya management_address di inventaris",
                                        en: "device \(found.name) has no management_address in the inventory"))
                }
                let path = try SNMPCredentialsLoader.path(option: credentials, environment: ProcessInfo.processInfo.environment)
                let loaded = try SNMPCredentialsLoader.load(path: path)
                for warning in loaded.warnings { printError(warning(language)) }
                let credential = try loaded.credentials.credential(for: access, device: found.name)
                let timing = try SNMPTiming(timeout: .milliseconds(timeoutMilliseconds), retries: retries,
                                            walkBudget: max(.seconds(60), .milliseconds(timeoutMilliseconds) * (retries + 1) * 4))
                let target = SNMPTarget(device: found.name, address: address, port: access.port, credential: credential,
                                        timing: timing, maxRepetitions: maxRepetitions)
                let scope: ProbeScope
                do throws(ProbeScopeError) { scope = try ProbeScope(environment: ProcessInfo.processInfo.environment) } catch { throw CLIError(error.text) }
                let walk = try await NetSNMPClient(scope: scope).walk(target).get()
                if json {
                    try Output.json(WalkReport(target: target, walk: walk))
                } else {
                    Output.lines(WalkText(language: language).lines(target, walk))
                }
            }
        }
    }
}

/// `simpul snmp walk --json`: the device, how it was reached (the credential's name, never its
/// secret) and the walk.
struct WalkReport: Encodable {
    struct Target: Encodable {
        var device: String
        var address: String
        var port: UInt16
        var version: String
        var credential: String
        var security_level: String?
    }

    var target: Target
    var walk: SNMPDeviceWalk

    init(target: SNMPTarget, walk: SNMPDeviceWalk) {
        var level: String?
        if case .user(let user) = target.credential.security { level = user.securityLevel }
        self.target = Target(device: target.device, address: target.address.description, port: target.port,
                             version: target.credential.version.rawValue, credential: target.credential.name, security_level: level)
        self.walk = walk
    }
}

/// The walk as text: a summary, then one row per interface.
struct WalkText {
    let language: Language
    var format: Format { Format(language) }

    func t(_ id: String, _ en: String) -> String { language == .id ? id : en }

    func lines(_ target: SNMPTarget, _ walk: SNMPDeviceWalk) -> [String] {
        var security = "SNMP v\(target.credential.version.rawValue)"
        if case .user(let user) = target.credential.security { security += " \(user.securityLevel)" }
        let uptime = walk.sysUpTime.map { "\(format.duration(Double($0) / 100)) (\($0))" } ?? "-"
        let ms = walk.milliseconds < 10 ? format.decimal(walk.milliseconds, places: 1) : format.number(Int(walk.milliseconds.rounded()))
        var out = [
            "\(t("Perangkat", "Device")): \(target.shown), \(security), \(t("kredensial", "credential")) \(target.credential.name)",
            "sysName: \(walk.sysName.orDash)   sysUpTime: \(uptime)",
            "\(t("Antarmuka", "Interfaces")): \(format.number(walk.interfaces.count))   \(t("permintaan", "requests")): \(format.number(walk.requests))"
                + "   \(t("tanpa jawaban", "timed out")): \(walk.timeouts)   \(t("durasi", "duration")): \(ms) ms   max-repetitions: \(walk.maxRepetitions)"
                + (walk.ignoredValues > 0 ? "   \(t("nilai diabaikan", "values ignored")): \(walk.ignoredValues)" : ""),
            "",
        ]
        let header = ["ifIndex", "ifName", "ifDescr", "ifAlias", t("jenis", "type"), "admin/oper", t("kecepatan", "speed"),
                      t("oktet masuk", "in octets"), t("oktet keluar", "out octets"), t("bit", "bits"),
                      t("galat m/k", "errors in/out"), t("buang m/k", "discards in/out"), "discontinuity"]
        let rows = walk.interfaces.map { row -> [String] in
            [
                String(row.ifIndex), cell(row.name), cell(row.descr), cell(row.alias), row.type.map(String.init) ?? "-",
                "\(row.adminStatus?.name ?? "-")/\(row.operStatus?.name ?? "-")", speed(row.bitsPerSecond),
                row.inOctets.map { format.number($0.value) } ?? "-", row.outOctets.map { format.number($0.value) } ?? "-",
                row.counterWidth?.rawValue ?? "-",
                "\(row.inErrors.map { format.number($0) } ?? "-")/\(row.outErrors.map { format.number($0) } ?? "-")",
                "\(row.inDiscards.map { format.number($0) } ?? "-")/\(row.outDiscards.map { format.number($0) } ?? "-")",
                row.discontinuityTime.map(String.init) ?? "-",
            ]
        }
        out += TextTable(header, rows).lines
        return out
    }

    /// Text from the device, kept to one line of a table.
    func cell(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return Excerpt.of(text, length: 40)
    }

    func speed(_ bits: UInt64?) -> String {
        guard let bits, bits > 0 else { return "-" }
        if bits >= 1_000_000_000 && bits % 1_000_000_000 == 0 { return "\(format.number(bits / 1_000_000_000)) Gbps" }
        if bits >= 1_000_000 { return "\(format.decimal(Double(bits) / 1_000_000, places: bits % 1_000_000 == 0 ? 0 : 1)) Mbps" }
        return "\(format.number(bits)) bps"
    }
}
