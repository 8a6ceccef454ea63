import Foundation
import GRDB
import Testing
import SimpulCore
import SimpulServices
@_spi(Raw) import SimpulStore

/// Sign-in and token rules that an attacker probes: tokens end with the password they were made
/// under, a disabled user gets no token, and the sign-in throttle counts and checks in one step.
@Suite("Account security")
struct AccountSecurityTests {
    @Test func aPasswordChangeStopsTheUsersTokens() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "kasi", fullName: "Kasi", role: .supervisor, agency: nil, password: "rahasia-sekali-42", by: t.cli)
        let (_, first) = try t.simpul.accounts.createToken(username: "kasi", name: "dasbor", by: t.cli)
        let (_, second) = try t.simpul.accounts.createToken(username: "kasi", name: "skrip", by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: first) != nil)
        try t.simpul.accounts.setPassword(username: "kasi", password: "kata-sandi-baru-77", by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: first) == nil)
        #expect(try t.simpul.accounts.principal(forToken: second) == nil)
        #expect(try t.simpul.accounts.tokens(by: t.cli).filter { $0.username == "kasi" }.allSatisfy { $0.revokedAt != nil })
        // A token made after the change works.
        let (_, third) = try t.simpul.accounts.createToken(username: "kasi", name: "baru", by: t.cli)
        #expect(try t.simpul.accounts.principal(forToken: third)?.username == "kasi")
        // The user's own change through the account page does the same.
        let kasi = try t.simpul.accounts.user("kasi", by: t.cli).principal
        _ = try t.simpul.accounts.changeOwnPassword(current: "kata-sandi-baru-77", new: "lagi-lagi-baru-88", by: kasi, remote: "127.0.0.1")
        #expect(try t.simpul.accounts.principal(forToken: third) == nil)
    }

    @Test func aDisabledUserGetsNoToken() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "tek", fullName: "Teknisi", role: .technician, agency: nil, password: "rahasia-sekali-42", by: t.cli)
        try t.simpul.accounts.setDisabled(true, username: "tek", by: t.cli)
        #expect {
            _ = try t.simpul.accounts.createToken(username: "tek", name: "x", by: t.cli)
        } throws: { ($0 as? ServiceError)?.text.en.contains("enable them first") == true }
        #expect(try t.simpul.accounts.tokens(by: t.cli).filter { $0.username == "tek" }.isEmpty)
    }

    /// 40 wrong passwords at once for one account: exactly the limit of them are tried.
    @Test func theThrottleCountsAndChecksInOneStep() throws {
        let t = try TestDistrict()
        try t.simpul.accounts.add(username: "kadis", fullName: "Kadis", role: .head, agency: nil, password: "rahasia-sekali-42", by: t.cli)
        let accounts = t.simpul.accounts
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            do {
                _ = try accounts.authenticate(username: "kadis", password: "salah-\(i)", remote: "10.0.0.\(i)")
                outcomes.add("signed in")
            } catch let error as ServiceError {
                outcomes.add(error.kind == .throttled ? "throttled" : "wrong")
            } catch {
                outcomes.add("other: \(error)")
            }
        }
        let limit = t.simpul.settings.maxLoginFailures
        #expect(outcomes.count("wrong") == limit, "\(outcomes.all)")
        #expect(outcomes.count("throttled") == 40 - limit)
        let tried = try t.simpul.database.rawRead { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM login_failures WHERE username = 'kadis'") }
        #expect(tried == limit)
        // The right password is refused too until the window passes, then works and clears the count.
        #expect(throws: ServiceError.self) { _ = try accounts.authenticate(username: "kadis", password: "rahasia-sekali-42", remote: "10.1.1.1") }
        t.clock.advance(16 * 60)
        #expect(try accounts.authenticate(username: "kadis", password: "rahasia-sekali-42", remote: "10.1.1.1").username == "kadis")
    }
}

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ outcome: String) { lock.withLock { list.append(outcome) } }
    func count(_ outcome: String) -> Int { lock.withLock { list.filter { $0 == outcome }.count } }
    var all: [String] { lock.withLock { list } }
}
