extension Simpul {
    /// Throws unless the database answers a query: what `/healthz` reports.
    public func checkHealth() throws {
        try database.checkHealth()
    }
}
