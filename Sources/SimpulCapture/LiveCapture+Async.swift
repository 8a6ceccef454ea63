extension LiveCapture {
    /// Opens `configuration`'s interface and captures for `duration` (nil: until `stop`) on a thread of
    /// its own, folding each packet into `state`; cancelling the calling Task stops it too.
    public static func run<State: Sendable>(
        _ configuration: LiveCaptureConfiguration,
        for duration: Duration?,
        stop: CaptureStop = CaptureStop(),
        state: State,
        _ body: @escaping @Sendable (inout State, Packet) -> Void
    ) async throws(PcapError) -> (state: State, result: LiveCaptureResult) {
        try await CaptureThread.run(name: "simpul-capture \(configuration.interface)", onCancel: { stop.stop() }) { () throws(PcapError) -> (state: State, result: LiveCaptureResult) in
            let capture = try LiveCapture(configuration)
            var state = state
            let result = capture.run(for: duration, stop: stop) { packet in body(&state, packet) }
            return (state, result)
        }
    }
}
