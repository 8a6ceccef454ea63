import ArgumentParser
import Foundation
import SimpulCapture
import SimpulCore
import SimpulServices

/// `simpul capture`: packets from a capture file or a live interface (libpcap) attributed to the
/// agencies by their address ranges, counted per agency per interval, and stored for the bandwidth
/// surveys. The executable wires the adapter (SimpulCapture) to the pure attributor (SimpulCore)
/// and hands the result to the capture service.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Tangkap dan atribusikan paket per OPD / capture packets and attribute them to agencies.",
        discussion: """
        One of --file (a pcap or pcapng file, as tcpdump and tshark write them) or --iface with --duration (a live
        capture: needs CAP_NET_RAW — run as root, or use the simpul-capture service, which grants only that).
        Each packet's source and destination are matched to the agencies' networks (the inventory's
        agencies[].networks, longest prefix first); bytes are frame lengths on the wire, as SNMP counts them.
        Traffic of no agency is counted as unattributed; frames that do not decode are counted by reason and skipped.
        Example: simpul capture --file uplink.pcap --circuit NUS-CKB-0001
        """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Berkas pcap/pcapng / a capture file.") var file: String?
    @Option(help: "Antarmuka untuk tangkapan langsung / the interface to capture on.") var iface: String?
    @Option(help: "Lama tangkapan langsung, mis. 30s, 10m, 1h (paling lama 24h) / how long to capture live.") var duration: String?
    @Option(help: "Filter BPF / a BPF filter (tcpdump syntax).") var filter: String?
    @Option(help: "Panjang interval, detik (1–86400, bawaan 60) / interval length in seconds.") var interval: Int = 60
    @Option(help: "Sirkuit uplink bersama yang ditangkap / the shared uplink's circuit, to reconcile with SNMP.") var circuit: String?
    @Option(help: "Panjang tangkapan per paket, bita (64–262144, bawaan 192) / snap length.") var snaplen: Int = LiveCaptureConfiguration.headerSnapshotLength
    @Option(help: "Buffer tangkapan, MiB (1–1024, bawaan 32) / capture buffer, MiB.") var bufferMb: Int = 32
    @Flag(help: "Tanpa mode promiscuous / do not put the interface in promiscuous mode.") var noPromiscuous = false
    @Flag(help: "Hitung saja, tanpa menyimpan / count only, store nothing.") var dryRun = false
    @Flag(help: "Keluaran JSON / JSON output.") var json = false

    func validate() throws {
        try options.require(interval, "interval", in: 1...86_400)
        try options.require(snaplen, "snaplen", in: LiveCaptureConfiguration.snapshotLengths)
        try options.require(bufferMb, "buffer-mb", in: 1...1024)
        switch (file, iface) {
        case (nil, nil), (.some, .some):
            throw ValidationError(Text(id: "beri --file BERKAS atau --iface ANTARMUKA --duration LAMA (salah satu)",
                                       en: "give --file FILE or --iface IFACE --duration TIME (one of them)")(options.language))
        case (nil, .some):
            guard let duration else {
                throw ValidationError(Text(id: "tangkapan langsung perlu --duration (mis. 10m)", en: "a live capture needs --duration (e.g. 10m)")(options.language))
            }
            _ = try Self.duration(duration, options.language)
        case (.some, nil):
            if duration != nil || filter != nil {
                throw ValidationError(Text(id: "--duration dan --filter hanya untuk tangkapan langsung (--iface)",
                                           en: "--duration and --filter are for live captures (--iface)")(options.language))
            }
        }
    }

    /// `30s`, `10m`, `1h`, `90` (seconds): 1 s to 24 h.
    static func duration(_ text: String, _ language: Language) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = trimmed.last.flatMap { "smh".contains($0) ? $0 : nil }
        let digits = unit == nil ? trimmed : String(trimmed.dropLast())
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy { $0.isASCII && $0.isNumber }, let value = Int(digits) else {
            throw ValidationError(Text(id: "--duration \"\(Excerpt.of(text))\": tulis angka dengan s, m atau h (mis. 10m)",
                                       en: "--duration \"\(Excerpt.of(text))\": write a number with s, m or h (e.g. 10m)")(language))
        }
        let seconds = value * (unit == "h" ? 3600 : unit == "m" ? 60 : 1)
        guard (1...86_400).contains(seconds) else {
            throw ValidationError(Text(id: "--duration harus 1 detik sampai 24 jam", en: "--duration must be 1 second to 24 hours")(language))
        }
        return .seconds(seconds)
    }

    func run() throws {
        try options.run {
            let simpul = try options.simpul()
            let principal = options.principal
            let plan = try simpul.capture.plan(circuit: circuit?.nilIfEmpty, by: principal)
            let settings: AttributionSettings
            do { settings = try AttributionSettings(intervalSeconds: Int64(interval)) } catch let error as AttributionSettingsError { throw CLIError(error.text) }
            // The capture loop decodes; a thread of the pipeline's own counts (AttributionPipeline).
            // Made once the source is open, so that a refusal leaves no thread behind.
            let attributor = TrafficAttributor(table: plan.table, settings: settings, agencyCount: plan.agencies.count)
            let counted: TrafficAttributor
            // Ctrl-C and SIGTERM end the reading or the capture as its end would.
            let stop = CaptureStop()
            let signals = StopOnSignals(stop)
            defer { signals.restore() }
            let started = simpul.now()
            var facts: CaptureService.RunFacts
            if let file {
                let source: PcapFileSource
                do { source = try PcapFileSource(path: file) } catch let error as PcapError { throw CLIError(Text(id: error.indonesian, en: error.english)) }
                let bar = ProgressBar(enabled: !json && isatty(STDERR_FILENO) == 1)
                let pipeline = AttributionPipeline(attributor)
                let read = source.read(into: pipeline, stop: stop, progress: { bar.show($0) })
                counted = pipeline.finish()
                bar.finish()
                facts = CaptureService.RunFacts(source: "file", name: (file as NSString).lastPathComponent, filter: nil, circuit: circuit?.nilIfEmpty,
                                                started: started, ended: simpul.now(),
                                                stopped: read.problem.map { options.language == .id ? $0.indonesian : $0.english })
            } else if let iface, let duration {
                let configuration = LiveCaptureConfiguration(interface: iface, filter: filter, snapshotLength: snaplen, promiscuous: !noPromiscuous,
                                                             bufferSize: bufferMb << 20)
                let capture: LiveCapture
                do {
                    try configuration.validate()
                    capture = try LiveCapture(configuration)
                } catch let error as PcapError {
                    throw CLIError(Text(id: error.indonesian, en: error.english))
                }
                for warning in capture.warnings { printError(warning) }
                if !json { printError(Text(id: "menangkap di \(iface) selama \(duration)…", en: "capturing on \(iface) for \(duration)…")(options.language)) }
                let seconds = try Self.duration(duration, options.language)
                let pipeline = AttributionPipeline(attributor)
                let result = capture.run(for: seconds, stop: stop, into: pipeline)
                counted = pipeline.finish()
                var stopped: String?
                switch result.end {
                case .failed(let reason): stopped = reason
                case .stopped: stopped = Text(id: "dihentikan (Ctrl-C atau SIGTERM) sebelum \(duration) selesai; yang tertangkap sampai saat itu dihitung",
                                              en: "stopped (Ctrl-C or SIGTERM) before its \(duration) were up; what was captured until then is counted")(options.language)
                case .durationElapsed: break
                }
                facts = CaptureService.RunFacts(source: "live", name: iface, filter: filter, circuit: circuit?.nilIfEmpty, started: started, ended: simpul.now(),
                                                received: result.statistics?.received, droppedKernel: result.statistics?.droppedByKernel,
                                                droppedInterface: result.statistics?.droppedByInterface, stopped: stopped)
            } else {
                return
            }
            let report = try simpul.capture.record(counted.summary(), plan: plan, facts: facts, store: !dryRun, by: principal)
            if json { try Output.json(report); return }
            Self.print(report, options.language)
        }
    }

    static func print(_ r: CaptureService.Report, _ language: Language) {
        let id = language == .id
        Output.table(id ? ["OPD", "BITA MASUK", "PAKET MASUK", "BITA KELUAR", "PAKET KELUAR", "HOST TERATAS", "LAYANAN TERATAS"]
                        : ["AGENCY", "IN BYTES", "IN PACKETS", "OUT BYTES", "OUT PACKETS", "TOP HOSTS", "TOP SERVICES"],
                     r.agencies.map { [$0.agency, String($0.inBytes), String($0.inPackets), String($0.outBytes), String($0.outPackets),
                                       $0.topHosts.joined(separator: " "), $0.topServices.joined(separator: " ")] })
        Swift.print((id ? "tidak teratribusi: " : "unattributed: ") + "\(r.unattributed.bytes) " + (id ? "bita, " : "bytes, ") + "\(r.unattributed.packets) " + (id ? "paket" : "packets"))
        Swift.print((id ? "bukan IP: " : "not IP: ") + "\(r.nonIP.bytes) " + (id ? "bita, " : "bytes, ") + "\(r.nonIP.packets) " + (id ? "paket" : "packets"))
        Swift.print((id ? "gagal diurai: " : "decode errors: ") + "\(r.decodeErrorPackets)"
                    + (r.decodeErrors.isEmpty ? "" : " (" + r.decodeErrors.map { "\($0.reason) \($0.packets)" }.joined(separator: ", ") + ")"))
        var totals = (id ? "bingkai: " : "frames: ") + "\(r.frames), \(r.bytes) " + (id ? "bita" : "bytes")
        if let received = r.received {
            totals += id ? "; diterima kernel \(received), dibuang kernel \(r.droppedKernel ?? 0), dibuang antarmuka \(r.droppedInterface ?? 0)"
                         : "; kernel received \(received), dropped by the kernel \(r.droppedKernel ?? 0), by the interface \(r.droppedInterface ?? 0)"
        }
        Swift.print(totals)
        if let stopped = r.stopped { Swift.print((id ? "tidak lengkap: " : "incomplete: ") + stopped) }
        Swift.print(r.run.map { (id ? "tersimpan sebagai tangkapan #" : "stored as capture #") + String($0) } ?? (id ? "tidak disimpan (--dry-run)" : "not stored (--dry-run)"))
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second.
final class ProgressBar {
    let enabled: Bool
    private var last = ContinuousClock.now
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ReadProgress) {
        guard enabled, ContinuousClock.now - last > .milliseconds(100) else { return }
        last = .now
        let fraction = p.fraction ?? 0
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: max(0, min(width, filled))) + String(repeating: ".", count: max(0, width - filled))
        FileHandle.standardError.write(Data("\r[\(bar)] \(Int(fraction * 100))% \(p.records) ".utf8))
        drawn = true
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Ctrl-C and SIGTERM (`systemctl stop`) end a capture as its duration would: libpcap's loop is
/// broken, and what was captured until then is still counted and stored, with why it stopped.
/// A second signal after `restore()` has its usual effect.
final class StopOnSignals {
    private var sources: [any DispatchSourceSignal] = []

    init(_ stop: CaptureStop) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
