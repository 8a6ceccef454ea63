/// Why an interval between two readings of an interface gives no rate. Each is a gap in the series,
/// never a zero and never invented traffic; the poller page shows the reason.
public enum RateDiscard: Sendable, Hashable, Codable {
    /// Nothing to compare with: the interface's first reading (new, or first poll ever).
    case firstReading
    /// The interface answers at another ifIndex than at the previous reading (renumbered after a reboot):
    /// the counters at the two indexes belong to different rows of the agent.
    case interfaceMoved(from: Int32, to: Int32)
    /// The interface was missing from a walk in between and is back: its counters may have restarted.
    case interfaceReturned
    /// sysUpTime went back, and not by its 497-day wrap; or it advanced clearly less than the wall clock
    /// (the agent restarted between the polls and counted up again).
    case agentRestarted(before: UInt32, after: UInt32)
    /// ifCounterDiscontinuityTime changed, appeared or disappeared: the agent says the counters broke.
    case counterDiscontinuity(before: UInt32?, after: UInt32?)
    /// A counter switched between its 32-bit and 64-bit object: two different counters.
    case counterWidthChanged(CounterName)
    /// A 64-bit counter went back: it was reset (a 64-bit counter does not wrap in practice).
    case counterWentBack(CounterName)
    /// The octet counters are missing from one of the two readings.
    case countersMissing
    /// A 32-bit counter on a port fast enough to wrap it more than once in the interval: two wraps look
    /// like one, so the delta cannot be known.
    case ambiguousWrap(CounterName, speed: UInt64, millis: Int64)
    /// The delta implies more than the port's speed plus the tolerance: a reset taken for a wrap, or a
    /// counter that jumped.
    case overSpeed(CounterName, speed: UInt64, tolerancePercent: Int)
    /// Shorter than the shortest trusted interval (including none at all: the same reading twice).
    case intervalTooShort(millis: Int64, shortestSeconds: Int)
    /// Longer than the longest trusted interval.
    case intervalTooLong(millis: Int64, longestSeconds: Int)
    /// Without sysUpTime, the wall clock went back between the readings.
    case clockWentBack(millis: Int64)
    /// A reading's wall-clock time is not a usable date (before 1970, after 9999, not a number).
    case timestampUnusable

    /// The reason's kind, for counting and filtering (the poller page, metrics).
    public var kind: String {
        switch self {
        case .firstReading: "first_reading"
        case .interfaceMoved: "interface_moved"
        case .interfaceReturned: "interface_returned"
        case .agentRestarted: "agent_restarted"
        case .counterDiscontinuity: "counter_discontinuity"
        case .counterWidthChanged: "counter_width_changed"
        case .counterWentBack: "counter_went_back"
        case .countersMissing: "counters_missing"
        case .ambiguousWrap: "ambiguous_wrap"
        case .overSpeed: "over_speed"
        case .intervalTooShort: "interval_too_short"
        case .intervalTooLong: "interval_too_long"
        case .clockWentBack: "clock_went_back"
        case .timestampUnusable: "timestamp_unusable"
        }
    }

    /// Whether the caller should keep the previous reading as the base for the next interval instead
    /// of this one: only for an interval too short to measure, so the next poll measures the whole
    /// span and nothing is lost. Every other reason starts afresh from the current reading.
    public var keepsPreviousBase: Bool {
        if case .intervalTooShort(let millis, _) = self { return millis >= 0 }
        return false
    }

    /// What happened and what (if anything) to do, in both languages.
    public var text: Text {
        switch self {
        case .firstReading:
            return Text(id: "pembacaan pertama antarmuka ini: belum ada pembanding, laju dihitung mulai poll berikutnya",
                        en: "first reading of this interface: nothing to compare with yet, rates start at the next poll")
        case .interfaceMoved(let from, let to):
            return Text(id: "antarmuka pindah dari ifIndex \(from) ke \(to) (penomoran ulang setelah perangkat dinyalakan ulang): interval ini dibuang agar penghitung dua port tidak tercampur",
                        en: "the interface moved from ifIndex \(from) to \(to) (renumbered after a reboot): this interval is discarded so two ports' counters never mix")
        case .interfaceReturned:
            return Text(id: "antarmuka sempat hilang dari walk lalu muncul lagi: penghitungnya mungkin mulai dari nol, interval ini dibuang",
                        en: "the interface was missing from a walk and is back: its counters may have restarted, this interval is discarded")
        case .agentRestarted(let before, let after):
            let f = Format.id, e = Format.en
            return Text(id: "sysUpTime agen dari \(f.duration(Double(before) / 100)) menjadi \(f.duration(Double(after) / 100)), bukan putaran 497 hari: perangkat atau agen SNMP dinyalakan ulang, interval ini dibuang",
                        en: "the agent's sysUpTime went from \(e.duration(Double(before) / 100)) to \(e.duration(Double(after) / 100)), not its 497-day wrap: the device or its SNMP agent restarted, this interval is discarded")
        case .counterDiscontinuity:
            return Text(id: "ifCounterDiscontinuityTime berubah: agen menyatakan penghitung antarmuka ini terputus, interval ini dibuang",
                        en: "ifCounterDiscontinuityTime changed: the agent says this interface's counters broke, this interval is discarded")
        case .counterWidthChanged(let counter):
            return Text(id: "penghitung \(counter.objectName) berganti antara 32 dan 64 bit: dua penghitung berbeda, interval ini dibuang",
                        en: "\(counter.objectName) switched between its 32-bit and 64-bit counter: two different counters, this interval is discarded")
        case .counterWentBack(let counter):
            return Text(id: "penghitung 64-bit \(counter.objectName) mundur: penghitung direset, interval ini dibuang",
                        en: "the 64-bit \(counter.objectName) went back: the counter was reset, this interval is discarded")
        case .countersMissing:
            return Text(id: "agen tidak memberi penghitung oktet masuk dan keluar pada salah satu pembacaan: tidak ada laju untuk interval ini; periksa tampilan SNMP (view) agen",
                        en: "the agent gave no in and out octet counters in one of the readings: no rate for this interval; check the agent's SNMP view")
        case .ambiguousWrap(let counter, let speed, let millis):
            return Format.both { f in
                f.language == .id
                    ? "penghitung 32-bit \(counter.objectName) pada port \(f.mbps(Double(speed) / 1e6)) bisa berputar lebih dari sekali dalam \(f.decimal(Double(millis) / 1000)) detik: laju tidak dapat dipastikan; aktifkan penghitung 64-bit (ifHC…, SNMP v2c atau v3) atau poll lebih sering"
                    : "the 32-bit \(counter.objectName) on a \(f.mbps(Double(speed) / 1e6)) port can wrap more than once in \(f.decimal(Double(millis) / 1000)) seconds: the rate cannot be known; enable the 64-bit counters (ifHC…, SNMP v2c or v3) or poll more often"
            }
        case .overSpeed(let counter, let speed, let tolerance):
            return Format.both { f in
                f.language == .id
                    ? "\(counter.objectName) menunjukkan lebih dari kecepatan port (\(f.mbps(Double(speed) / 1e6)) + \(tolerance) %): penghitung kemungkinan direset, interval ini dibuang"
                    : "\(counter.objectName) implies more than the port's speed (\(f.mbps(Double(speed) / 1e6)) + \(tolerance) %): the counter was probably reset, this interval is discarded"
            }
        case .intervalTooShort(let millis, let shortest):
            return Format.both { f in
                f.language == .id
                    ? "interval hanya \(f.decimal(Double(millis) / 1000)) detik (paling pendek \(shortest) detik): terlalu pendek untuk dipercaya, diukur bersama poll berikutnya"
                    : "the interval is only \(f.decimal(Double(millis) / 1000)) seconds (shortest \(shortest) seconds): too short to trust, measured with the next poll"
            }
        case .intervalTooLong(let millis, let longest):
            return Format.both { f in
                f.language == .id
                    ? "interval \(f.duration(Double(millis) / 1000)) (paling panjang \(f.exactly(longest))): bentuk lalu lintas di dalamnya tidak diketahui, interval ini dibuang"
                    : "the interval is \(f.duration(Double(millis) / 1000)) (longest \(f.exactly(longest))): the traffic's shape inside is unknown, this interval is discarded"
            }
        case .clockWentBack(let millis):
            return Format.both { f in
                f.language == .id
                    ? "jam poller mundur \(f.decimal(Double(-millis) / 1000)) detik dan agen tidak memberi sysUpTime: interval ini dibuang; periksa NTP server Simpul"
                    : "the poller's clock went back \(f.decimal(Double(-millis) / 1000)) seconds and the agent gave no sysUpTime: this interval is discarded; check the Simpul server's NTP"
            }
        case .timestampUnusable:
            return Text(id: "waktu pembacaan tidak dapat dipakai (sebelum 1970 atau sesudah 9999): interval ini dibuang; periksa jam server Simpul",
                        en: "a reading's time is unusable (before 1970 or after 9999): this interval is discarded; check the Simpul server's clock")
        }
    }
}
