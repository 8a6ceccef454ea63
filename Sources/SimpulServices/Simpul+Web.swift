import GRDB

extension Simpul {
    /// Throws unless the database answers a query: what `/healthz` reports.
    public func checkHealth() throws {
        _ = try database.read { try Int.fetchOne($0, sql: "SELECT 1") }
    }
}
