/// A run of checks of one target, summed up as `ping` does: how many were sent and answered,
/// and the round-trip times of the answers.
public struct ProbeSummary: Sendable, Hashable {
    /// Checks whose packets went out (not stopped by the scope or the system).
    public let sent: Int
    /// Checks that got the answer they wanted.
    public let answered: Int
    public let fastest: Duration?
    public let average: Duration?
    public let slowest: Duration?
    /// Whether some check could not be sent at all.
    public let notSent: Bool

    public init(_ results: [ProbeResult]) {
        let sentResults = results.filter(\.outcome.wasSent)
        sent = sentResults.count
        notSent = sentResults.count < results.count
        let times = sentResults.filter(\.outcome.isUp).compactMap(\.outcome.roundTrip)
        answered = times.count
        fastest = times.min()
        slowest = times.max()
        average = times.isEmpty ? nil : times.reduce(.zero, +) / times.count
    }

    /// `0` when every check was answered, `1` when one was not, `2` when one could not be sent.
    public var exitStatus: Int32 {
        if notSent { return 2 }
        return answered == sent ? 0 : 1
    }

    /// The part of the checks sent that got no answer, 0–100.
    public var lostPercent: Double {
        sent == 0 ? 0 : Double(sent - answered) * 100 / Double(sent)
    }

    /// `3 dikirim, 2 dijawab, 33 % hilang; waktu min/rata-rata/maks 0,04/0,05/0,06 ms`.
    public var text: Text {
        let id = Format.id, en = Format.en
        var text = Text(id: "\(id.number(sent)) dikirim, \(id.number(answered)) dijawab, \(id.percent(lostPercent, places: 0)) hilang",
                        en: "\(en.number(sent)) sent, \(en.number(answered)) answered, \(en.percent(lostPercent, places: 0)) lost")
        if let fastest, let average, let slowest {
            let times = Format.both { format in
                [fastest, average, slowest].map { format.decimal($0.inMilliseconds, places: 2) }.joined(separator: "/") + " ms"
            }
            text = Text(id: text.id + "; waktu min/rata-rata/maks \(times.id)", en: text.en + "; round trip min/avg/max \(times.en)")
        }
        return text
    }
}
