import Foundation
import SimpulCore
import SimpulStore

/// Reading and verifying the audit log.
public struct AuditService: Sendable {
    let simpul: Simpul

    public struct Verification: Sendable {
        public var checked: Int
        public var problems: [AuditChain.Problem]
        public var isIntact: Bool { problems.isEmpty }
    }

    public func verify(by principal: Principal) throws -> Verification {
        try principal.require(.viewAudit)
        let (checked, problems) = try simpul.database.read { try AuditQueries.verify($0) }
        return Verification(checked: checked, problems: problems)
    }

    public func recent(limit: Int = 100, offset: Int = 0, objectType: String? = nil, objectKey: String? = nil,
                       by principal: Principal) throws -> (entries: [AuditEntry], total: Int) {
        try principal.require(.viewAudit)
        let limit = try WholeNumber.check(limit, field: Text(id: "jumlah baris", en: "limit"), in: Bounds.cliLimit)
        let offset = try WholeNumber.check(offset, field: Text(id: "offset", en: "offset"), in: Bounds.listOffset)
        return try simpul.database.read { reader in
            (try AuditQueries.recent(reader, limit: limit, offset: offset, objectType: objectType, objectKey: objectKey),
             try AuditQueries.count(reader))
        }
    }
}
