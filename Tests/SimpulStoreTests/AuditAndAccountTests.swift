import Foundation
import GRDB
import Testing
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore

@Suite("Audit log and accounts")
struct AuditAndAccountTests {
    @Test func auditLogIsAppendOnly() throws {
        let t = try TestDistrict()
        #expect(throws: DatabaseError.self) {
            try t.simpul.database.rawWrite { try $0.execute(sql: "UPDATE audit_log SET actor = 'x' WHERE seq = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try t.simpul.database.rawWrite { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 1") }
        }
        #expect(try t.simpul.audit.verify(by: t.cli).isIntact)
    }

    /// Someone with the database file drops the guard and edits a row: verify names it.
    @Test func tamperedRowIsCaught() throws {
        let t = try TestDistrict()
        try t.simpul.database.rawWrite { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5")
        }
        let result = try t.simpul.audit.verify(by: t.cli)
        #expect(!result.isIntact)
        #expect(result.problems.contains { $0.seq == 5 && $0.text.en.contains("edited") })
        #expect(result.problems.contains { $0.text.en.contains("audit_log_no_update") })
    }

    @Test func deletedRowsAreCaught() throws {
        let t = try TestDistrict()
        try t.simpul.database.rawWrite { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 7")
        }
        #expect(try t.simpul.audit.verify(by: t.cli).problems.contains { $0.text.en.contains("#7") })
        let u = try TestDistrict()
        let last = try u.count("audit_log")
        try u.simpul.database.rawWrite { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = ?", arguments: [last])
        }
        #expect(try u.simpul.audit.verify(by: u.cli).problems.contains { $0.text.en.contains("at the end") })
    }

    @Test func usersSignInAndAreThrottled() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "teknisi1", fullName: "Andi Teknisi", role: .technician, agency: nil,
                                  password: "Kabel-Biru-2026", by: t.cli)
        let user = try t.simpul.accounts.authenticate(username: "teknisi1", password: "Kabel-Biru-2026", remote: "127.0.0.1")
        #expect(user.role == .technician)
        #expect(try t.simpul.database.rawRead { try String.fetchOne($0, sql: "SELECT password_hash FROM users") }?.hasPrefix("$2") == true)
        for _ in 0..<5 {
            #expect(throws: ServiceError.self) {
                try t.simpul.accounts.authenticate(username: "teknisi1", password: "salah-salah-salah", remote: "127.0.0.2")
            }
        }
        do {
            _ = try t.simpul.accounts.authenticate(username: "teknisi1", password: "Kabel-Biru-2026", remote: "127.0.0.3")
            Issue.record("a throttled user must be refused even with the right password")
        } catch let error as ServiceError {
            #expect(error.kind == .throttled)
        }
    }

    @Test func disabledUsersAndTokens() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "admin", fullName: "Admin", role: .admin, agency: nil, password: "Kunci-Kuat-2026", by: t.cli)
        try t.simpul.accounts.add(username: "kasi", fullName: "Kasi Jaringan", role: .supervisor, agency: nil, password: "Seksi-Jaringan-1", by: t.cli)
        let (token, secret) = try t.simpul.accounts.createToken(username: "kasi", name: "dasbor", by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: secret)?.username == "kasi")
        #expect(try t.simpul.accounts.principal(forToken: secret + "x") == nil)
        #expect(try t.simpul.database.rawRead { try String.fetchAll($0, sql: "SELECT token_hash FROM api_tokens") }.allSatisfy { $0 != secret })
        try t.simpul.accounts.setDisabled(true, username: "kasi", by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: secret) == nil)
        #expect(throws: ServiceError.self) {
            try t.simpul.accounts.authenticate(username: "kasi", password: "Seksi-Jaringan-1", remote: "127.0.0.1")
        }
        try t.simpul.accounts.setDisabled(false, username: "kasi", by: t.cli)
        try t.simpul.accounts.revokeToken(id: token.id, by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: secret) == nil)
        #expect(throws: ServiceError.self) { try t.simpul.accounts.setDisabled(true, username: "admin", by: t.cli) }
        #expect(throws: ServiceError.self) {
            try t.simpul.accounts.add(username: "dinkes2", fullName: "X", role: .agency, agency: nil, password: "Sehat-Selalu-2026", by: t.cli)
        }
        let audit = try t.simpul.audit.recent(limit: 20, objectType: "user", by: t.cli).entries
        #expect(audit.contains { $0.action == "disable" && $0.objectKey == "kasi" })
        #expect(audit.allSatisfy { !($0.after ?? "").contains("$2") }, "password hashes never reach the audit log")
    }

    /// The CLI and the web server write one file from two processes; here two connections
    /// (pools) on one file import and add users at once without losing a write.
    @Test func twoWritersOnOneFile() async throws {
        let t = try TestDistrict()
        let other = Simpul(database: try AppDatabase.open(path: t.path), settings: t.simpul.settings, now: t.simpul.now)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, s) in [t.simpul, other].enumerated() {
                group.addTask {
                    for n in 0..<10 {
                        try s.accounts.add(username: "u\(i)-\(n)", fullName: "User \(n)", role: .viewer, agency: nil,
                                           password: "Rahasia-Panjang-\(n)", by: .commandLine("t"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try t.count("users") == 20)
        #expect(try t.simpul.audit.verify(by: t.cli).isIntact)
    }
}
