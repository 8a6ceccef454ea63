extension Duration {
    /// The duration in milliseconds, as a fraction: what walks, probes, cycles and deliveries report.
    public var inMilliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1_000 + Double(parts.attoseconds) / 1e15
    }
}
