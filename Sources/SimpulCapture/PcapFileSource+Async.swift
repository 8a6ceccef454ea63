extension PcapFileSource {
    /// Opens `path` and reads it to the end on a thread of its own, folding each record into `state`;
    /// cancelling the calling Task stops it (``FileReadEnd/stopped``).
    public static func read<State: Sendable>(
        path: String,
        progressEvery: Int = 65_536,
        stop: CaptureStop = CaptureStop(),
        progress: @escaping @Sendable (ReadProgress) -> Void = { _ in },
        state: State,
        _ body: @escaping @Sendable (inout State, Packet) -> Void
    ) async throws(PcapError) -> (state: State, summary: FileReadSummary, linkType: LinkType) {
        try await CaptureThread.run(name: "simpul-capture-file", onCancel: { stop.stop() }) { () throws(PcapError) -> (state: State, summary: FileReadSummary, linkType: LinkType) in
            let file = try PcapFileSource(path: path)
            var state = state
            let summary = file.read(progressEvery: progressEvery, stop: stop, progress: progress) { packet in body(&state, packet) }
            return (state, summary, file.linkType)
        }
    }
}
