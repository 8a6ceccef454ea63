import Foundation
import Testing
@testable import SimpulCore

@Suite("Audit chain, time")
struct AuditChainTests {
    func chain(_ n: Int) -> [AuditEntry] {
        var previous = AuditChain.genesis
        return (1...n).map { i in
            let entry = AuditChain.seal(AuditEntry(seq: Int64(i), at: "2026-11-21T01:00:0\(i).000Z", actor: "cli:root", action: "create",
                                                   objectType: "agency", objectKey: "A\(i)", before: nil, after: "{\"n\":\(i)}",
                                                   prevHash: ""), after: previous)
            previous = entry.hash
            return entry
        }
    }

    func verify(_ entries: [AuditEntry], head: AuditEntry?) -> [AuditChain.Problem] {
        var verifier = AuditChain.Verifier()
        entries.forEach { verifier.check($0) }
        verifier.finish(headSeq: head?.seq, headHash: head?.hash)
        return verifier.problems
    }

    @Test func intactChainVerifies() {
        let entries = chain(5)
        #expect(verify(entries, head: entries.last).isEmpty)
    }

    @Test func editedRowIsNamed() {
        var entries = chain(5)
        entries[2].after = "{\"n\":99}"
        let problems = verify(entries, head: entries.last)
        #expect(problems.map(\.seq) == [3])
    }

    @Test func rehashedEditIsCaughtByTheNextRow() {
        var entries = chain(5)
        entries[2].actor = "someone-else"
        entries[2].hash = AuditChain.hash(of: entries[2])
        #expect(verify(entries, head: entries.last).map(\.seq) == [4])
    }

    @Test func deletedRowsAreNamed() {
        var entries = chain(5)
        entries.remove(at: 1)
        #expect(verify(entries, head: entries.last).first?.text.en.contains("#2") == true)
        let full = chain(5)
        #expect(verify(Array(full.prefix(3)), head: full.last).first?.text.en.contains("#4–#5") == true)
    }

    @Test func fieldBoundariesMatter() {
        let a = AuditEntry(seq: 1, at: "t", actor: "ab", action: "c", objectType: "x", objectKey: "k", before: nil, after: nil, prevHash: "0")
        let b = AuditEntry(seq: 1, at: "t", actor: "a", action: "bc", objectType: "x", objectKey: "k", before: nil, after: nil, prevHash: "0")
        #expect(AuditChain.hash(of: a) != AuditChain.hash(of: b))
    }

    @Test func timestampsRoundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_795_254_525.123)
        let text = Timestamp.string(date)
        #expect(text == "2026-11-21T09:48:45.123Z")
        let back = try #require(Timestamp.date(text))
        #expect(abs(back.timeIntervalSince(date)) < 0.001)
        #expect(Timestamp.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test func officeTimeIsWITAByDefault() {
        let time = OfficeTime(identifier: nil)
        let date = Date(timeIntervalSince1970: 1_795_254_525)  // 09:48 UTC
        #expect(time.format(date, .id) == "21 Nov 2026 17.48 WITA")
        #expect(time.format(date, .en) == "21 Nov 2026 17:48 WITA")
        #expect(OfficeTime(identifier: "Asia/Jakarta").format(date, .id) == "21 Nov 2026 16.48 WIB")
    }

    /// The arithmetic formatter agrees with Foundation's calendar for every zone the office might use,
    /// on dates from 1960 to 2100 (leap days, year ends, a zone with half hours, one with summer time).
    @Test func officeTimeMatchesTheCalendar() {
        var generator = SystemRandomNumberGenerator()
        for zone in ["Asia/Makassar", "Asia/Jakarta", "Asia/Jayapura", "Asia/Kolkata", "America/New_York", "UTC"] {
            let time = OfficeTime(identifier: zone)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = time.timeZone
            let dates = [Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 1_798_761_599), Date(timeIntervalSince1970: -1)]
                + (0..<300).map { _ in Date(timeIntervalSince1970: Double.random(in: -315_619_200...4_102_444_800, using: &generator)) }
            for date in dates {
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                let expected = "\(c.day!) \(OfficeTime.monthsEN[c.month! - 1]) \(c.year!) "
                    + "\(c.hour! < 10 ? "0" : "")\(c.hour!):\(c.minute! < 10 ? "0" : "")\(c.minute!) \(time.abbreviation)"
                #expect(time.format(date, .en) == expected, "\(zone) \(date.timeIntervalSince1970)")
            }
        }
    }

    @Test func rolesAndPermissions() {
        #expect(Role.admin.allows(.manageUsers))
        #expect(!Role.head.allows(.manageUsers))
        #expect(Role.head.allows(.viewAudit))
        #expect(!Role.technician.allows(.viewAudit))
        #expect(!Role.agency.allows(.viewEstate))
        let agencyUser = Principal(userID: 1, username: "dinkes", role: .agency, agencyCode: "DINKES")
        #expect(agencyUser.canSee(agency: "DINKES"))
        #expect(!agencyUser.canSee(agency: "BAPPEDA"))
        #expect(AccountRules.passwordProblem("short", username: "x") != nil)
        #expect(AccountRules.passwordProblem("budi-rahasia-123", username: "budi") != nil)
        #expect(AccountRules.passwordProblem("Kopi-Pagi-2026", username: "budi") == nil)
        #expect(AccountRules.usernameProblem("Budi Santoso") != nil)
    }
}
