import ArgumentParser
import Foundation
import SimpulCore
import SimpulServices

/// `simpul link status` and `simpul link samples`: what the poller measured (issue 14).
extension LinkCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", 
            abstract: "Keadaan tiap sirkuit menurut pemantauan / each link's state as the poller saw it.",
            discussion: "Keadaan (naik, menurun, putus, putus-sambung, tidak diketahui), sejak kapan, dan laju terakhir terhadap laju kontrak. / State, since when, and the last rates against the committed rate.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Hanya keadaan ini / only this state: up, degraded, down, flapping, unknown.") var state: String?
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                let simpul = try options.simpul()
                let wanted = try state.map { text in
                    guard let state = LinkState(rawValue: text.lowercased()) else {
                        throw CLIError(Text(id: "keadaan \"\(Excerpt.of(text, length: 20))\" tidak dikenal; pakai \(LinkState.allCases.map(\.rawValue).joined(separator: ", "))",
                                            en: "state \"\(Excerpt.of(text, length: 20))\" is not known; use \(LinkState.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                    return state
                }
                let statuses = try simpul.polling.linkStatuses(by: options.principal).filter { wanted == nil || $0.state == wanted }
                if json { try Output.json(statuses); return }
                let language = options.language
                let format = Format(language)
                let time = simpul.officeTime()
                func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
                Output.table([t("SIRKUIT", "CIRCUIT"), t("INSTANSI", "AGENCY"), t("PENYEDIA", "PROVIDER"), t("KEADAAN", "STATE"), t("SEJAK", "SINCE"),
                              t("MASUK", "IN"), t("KELUAR", "OUT"), t("BEBAN", "LOAD")],
                             statuses.map { s in
                                 [s.circuit, s.agency, s.provider, s.state.title(language), s.since.map { time.format($0, language) } ?? "-",
                                  s.inBitsPerSecond.map(format.bitRate) ?? "-", s.outBitsPerSecond.map(format.bitRate) ?? "-",
                                  s.utilisation.map { format.share($0) } ?? "-"]
                             })
            }
        }
    }

    struct Samples: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "samples", 
            abstract: "Sampel lalu lintas sebuah sirkuit / a link's traffic samples.",
            discussion: "Setiap selang yang terukur: waktu (kantor), laju masuk dan keluar, galat. Selang yang dibuang (reboot, lompatan pencacah) tidak ada. / Every measured interval; discarded ones are absent.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Sirkuit / circuit, e.g. NUS-CKB-0008.") var circuit: String
        @Option(help: "Sejak berapa lama / how far back: 30m, 6h, 2d, 1w (at most 14 days, the raw samples' retention).") var since = "1h"
        @Flag(help: "Keluaran JSON / JSON output.") var json = false

        func run() throws {
            try options.run {
                guard let seconds = Format.seconds(of: since), seconds > 0 else {
                    throw CLIError(Text(id: "--since \"\(Excerpt.of(since, length: 20))\" tidak dikenal; tulis mis. 30m, 6h, 2d",
                                        en: "--since \"\(Excerpt.of(since, length: 20))\" is not a length of time; write e.g. 30m, 6h, 2d"))
                }
                guard seconds <= 10 * 366 * 86_400 else {
                    throw CLIError(Text(id: "--since terlalu jauh; sampel mentah disimpan 14 hari", en: "--since is too far back; raw samples are kept 14 days"))
                }
                let simpul = try options.simpul()
                let samples = try simpul.polling.samples(circuit: circuit, since: simpul.now().addingTimeInterval(-Double(seconds)), by: options.principal)
                if json {
                    try Output.json(samples.map { SampleJSON($0) })
                    return
                }
                let language = options.language
                let format = Format(language)
                let time = simpul.officeTime()
                func t(_ id: String, _ en: String) -> String { Text(id: id, en: en)(language) }
                Output.table([t("AKHIR SELANG", "INTERVAL END"), t("DETIK", "SECONDS"), t("MASUK", "IN"), t("KELUAR", "OUT"), t("GALAT", "ERRORS")],
                             samples.map { s in
                                 [time.format(EpochMillis.date(s.end), language), format.decimal(Double(s.durationMillis) / 1000, places: 1),
                                  format.bitRate(s.inBitsPerSecond), format.bitRate(s.outBitsPerSecond),
                                  (s.inErrors ?? 0) + (s.outErrors ?? 0) == 0 ? "0" : format.number((s.inErrors ?? 0) + (s.outErrors ?? 0))]
                             })
            }
        }
    }

    /// A sample for `--json`: UTC times and exact counts, and the rates they give.
    struct SampleJSON: Encodable {
        var start: String, end: String
        var inOctets: UInt64, outOctets: UInt64
        var inBitsPerSecond: UInt64, outBitsPerSecond: UInt64
        var inErrors: UInt64?, outErrors: UInt64?, inDiscards: UInt64?, outDiscards: UInt64?

        init(_ s: TrafficSample) {
            start = Timestamp.string(EpochMillis.date(s.start))
            end = Timestamp.string(EpochMillis.date(s.end))
            inOctets = s.inOctets
            outOctets = s.outOctets
            inBitsPerSecond = s.inBitsPerSecond
            outBitsPerSecond = s.outBitsPerSecond
            inErrors = s.inErrors
            outErrors = s.outErrors
            inDiscards = s.inDiscards
            outDiscards = s.outDiscards
        }
    }
}
