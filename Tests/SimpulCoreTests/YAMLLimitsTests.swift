import Foundation
import Testing
@testable import SimpulCore

/// Every number and every free text read from the inventory, playbook and calendar files is
/// checked where it is read (issue 11, items 1 and 5): a clear refusal naming the field and the
/// range or length, never a value that a later sum could overflow on, never the whole value quoted.
@Suite("YAML input: numbers in range, texts in length")
struct YAMLLimitsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var field: String
        var says: String
        var testDescription: String { name }
    }

    static func agency(_ extra: String = "", name: String = "Dinas Kesehatan") -> String {
        "agencies:\n  - code: DINKES\n    name: \(name)\n    kind: dinas\n\(extra)"
    }

    static func provider(sla: String) -> String {
        "providers:\n  - code: NUSANET\n    name: Nusanet\n    sla: {\(sla)}\n"
    }

    static let rack = "rooms:\n  - code: DC1\n    name: Ruang Server\n    racks:\n      - {code: DC1-R01, height_u: 42}\n"

    static func device(_ fields: String) -> String {
        rack + "devices:\n  - {name: rtr-1, kind: router, \(fields)}\n"
    }

    static func link(down: String, up: String = "50") -> String {
        agency() + "providers:\n  - code: NUSANET\n    name: Nusanet\n    sla: {response_minutes: 30, restore_minutes: 240, availability_percent: 99.5}\n"
            + "links:\n  - {circuit: C-1, agency: DINKES, provider: NUSANET, down_mbps: \(down), up_mbps: \(up)}\n"
    }

    static let numbers: [Case] = [
        Case(name: "a rack position at Int.max", yaml: device("rack: DC1-R01, position: 9223372036854775807, height_u: 2"),
             field: "devices[0].position", says: "9223372036854775807 is outside 1–60"),
        Case(name: "a rack position past Int.max", yaml: device("rack: DC1-R01, position: 9223372036854775808, height_u: 2"),
             field: "devices[0].position", says: "must be a whole number 1–60"),
        Case(name: "a negative device height", yaml: device("rack: DC1-R01, position: 3, height_u: -2"),
             field: "devices[0].height_u", says: "-2 is outside 1–60"),
        Case(name: "power at Int.min", yaml: device("power_watts: -9223372036854775808"),
             field: "devices[0].power_watts", says: "is outside 0–50000"),
        Case(name: "a fractional power", yaml: device("power_watts: 1.5e3"),
             field: "devices[0].power_watts", says: "must be a whole number 0–50000"),
        Case(name: "a committed rate of 1e308", yaml: link(down: "1e308"),
             field: "links[0].down_mbps", says: "must be above 0 and at most 1000000"),
        Case(name: "a negative committed rate", yaml: link(down: "50", up: "-5"),
             field: "links[0].up_mbps", says: "-5 must be above 0 and at most 1000000"),
        Case(name: "an infinite committed rate", yaml: link(down: ".inf"),
             field: "links[0].down_mbps", says: "must be a number above 0 and at most 1000000"),
        Case(name: "availability of 1e308", yaml: provider(sla: "response_minutes: 30, restore_minutes: 240, availability_percent: 1e308"),
             field: "providers[0].sla.availability_percent", says: "must be above 0 and at most 100"),
        Case(name: "restore minutes at Int.max", yaml: provider(sla: "response_minutes: 30, restore_minutes: 9223372036854775807, availability_percent: 99"),
             field: "providers[0].sla.restore_minutes", says: "is outside 1–100000"),
        Case(name: "a feed budget below zero", yaml: "rooms:\n  - code: DC1\n    name: Ruang\n    racks:\n      - {code: R1, height_u: 42, feed_a_watts: -1}\n",
             field: "rooms[0].racks[0].feed_a_watts", says: "-1 is outside 0–100000"),
        Case(name: "a rack of 1000U", yaml: "rooms:\n  - code: DC1\n    name: Ruang\n    racks:\n      - {code: R1, height_u: 1000}\n",
             field: "rooms[0].racks[0].height_u", says: "1000 is outside 1–60"),
        Case(name: "a TTL past Int.max", yaml: "zones:\n  - {name: contohkab.go.id, kind: forward, primary_ns: ns1.contohkab.go.id, admin_email: a@contohkab.go.id, default_ttl: 99999999999999999999}\n",
             field: "zones[0].default_ttl", says: "must be a whole number 60–604800"),
        Case(name: "VLAN 0", yaml: "pools:\n  - {name: p, prefix: 10.0.0.0/24, scope: private, vlan: 0}\n",
             field: "pools[0].vlan", says: "0 is outside 1–4094"),
    ]

    static func issues(_ yaml: String) -> [InventoryIssue] {
        let (source, issues) = InventoryReader.read([InventoryDocument(file: "a.yaml", text: yaml)])
        return issues + InventoryValidator.validate(source)
    }

    @Test(arguments: numbers)
    func aNumberOutOfItsRangeIsRefusedWhereItIsRead(_ case: Case) throws {
        let issues = Self.issues(`case`.yaml)
        try #require(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues[0].field == `case`.field, "\(issues[0].message(.en))")
        #expect(issues[0].text.en.contains(`case`.says), "\(issues[0].text.en)")
        #expect(issues[0].text.id != issues[0].text.en)
    }

    @Test func theRatesAtTheirLimitsAreAccepted() {
        #expect(Self.issues(Self.link(down: "1000000", up: "0.064")).isEmpty)
    }

    // MARK: Free text

    static let long = String(repeating: "x", count: 1_000_000)

    static let texts: [Case] = [
        Case(name: "a 1,000,000-character agency name", yaml: agency(name: long), field: "agencies[0].name", says: "1000000 characters, at most \(Limits.name)"),
        Case(name: "an address over the short-text limit", yaml: agency("    address: " + String(repeating: "a", count: Limits.shortText + 1) + "\n"),
             field: "agencies[0].address", says: "at most \(Limits.shortText)"),
        Case(name: "a contact name over the name limit", yaml: agency("    contact: {name: " + String(repeating: "b", count: Limits.name + 1) + "}\n"),
             field: "agencies[0].contact.name", says: "at most \(Limits.name)"),
        Case(name: "a pool description", yaml: "pools:\n  - {name: p, prefix: 10.0.0.0/24, scope: private, description: \(long)}\n",
             field: "pools[0].description", says: "at most \(Limits.shortText)"),
        Case(name: "a reserved range's note", yaml: "pools:\n  - name: p\n    prefix: 10.0.0.0/24\n    scope: private\n    reserved: [{range: 10.0.0.5, note: \(long)}]\n",
             field: "pools[0].reserved[0].note", says: "at most \(Limits.shortText)"),
        Case(name: "a device vendor", yaml: device("vendor: " + String(repeating: "v", count: Limits.name + 1)),
             field: "devices[0].vendor", says: "at most \(Limits.name)"),
        Case(name: "a district name", yaml: "district:\n  name: \(long)\n", field: "district.name", says: "at most \(Limits.name)"),
    ]

    @Test(arguments: texts)
    func aTextOverItsLimitIsRefusedWithAnExcerpt(_ case: Case) throws {
        let issues = Self.issues(`case`.yaml)
        try #require(issues.count == 1, "\(issues.map { $0.message(.en).prefix(300) })")
        #expect(issues[0].field == `case`.field)
        #expect(issues[0].text.en.contains(`case`.says), "\(issues[0].text.en.prefix(300))")
        #expect(issues[0].message(.en).count < 300, "never the whole value")
    }

    @Test func aLongTextInAnErrorIsQuotedAsAnExcerpt() {
        let issues = Self.issues(Self.agency("    contact: {name: Budi, phone: \"" + String(repeating: "9x", count: 100) + "\"}\n"))
        #expect(issues.count == 1)
        #expect(issues.first?.text.en.contains("…\" is not a phone number") == true, "\(issues.map(\.text.en))")
        #expect((issues.first?.message(.en).count ?? .max) < 300)
    }

    // MARK: Playbooks and the calendar

    static func playbook(_ replace: String, with: String) -> String {
        PlaybookTests.valid.replacingOccurrences(of: replace, with: with)
    }

    static let playbookCases: [Case] = [
        Case(name: "version past Int.max", yaml: playbook("version: 1", with: "version: 99999999999999999999"), field: "version", says: "must be a whole number 1–1000000"),
        Case(name: "version 0", yaml: playbook("version: 1", with: "version: 0"), field: "version", says: "0 is outside 1–1000000"),
        Case(name: "a standard of 0m", yaml: playbook("standard: 10m", with: "standard: 0m"), field: "steps[0].standard", says: "a duration must be above zero"),
        Case(name: "a standard of 0h", yaml: playbook("standard: 10m", with: "standard: 0h"), field: "steps[0].standard", says: "a duration must be above zero"),
        Case(name: "a standard of 000wd", yaml: playbook("standard: 2wd", with: "standard: 000wd"), field: "steps[1].standard", says: "a duration must be above zero"),
        Case(name: "a standard of a million weeks", yaml: playbook("standard: 10m", with: "standard: 1000000w"), field: "steps[0].standard", says: "at most a year, 52w in this unit"),
        Case(name: "a standard past Int.max minutes", yaml: playbook("standard: 10m", with: "standard: 99999999999999999999m"), field: "steps[0].standard", says: "at most a year, 527040m"),
        Case(name: "a title over the short-text limit", yaml: playbook("title: {id: \"Satu\"", with: "title: {id: \"\(String(repeating: "s", count: Limits.shortText + 1))\""),
             field: "steps[0].title.id", says: "at most \(Limits.shortText)"),
    ]

    @Test(arguments: playbookCases)
    func aPlaybookNumberOrTextOutOfBoundsIsRefused(_ case: Case) throws {
        let (playbook, issues) = PlaybookReader.read(PlaybookDocument(file: "tiny.yaml", text: `case`.yaml))
        #expect(playbook == nil)
        try #require(issues.count == 1, "\(issues.map { $0.message(.en).prefix(300) })")
        #expect(issues[0].field == `case`.field, "\(issues[0].message(.en).prefix(300))")
        #expect(issues[0].text.en.contains(`case`.says), "\(issues[0].text.en.prefix(300))")
        #expect(issues[0].message(.en).count < 300)
    }

    @Test(arguments: ["9223372036854775807-01-01", "-9223372036854775807-01-01", "0000-01-01", "99999-01-01", "2026-13-01"])
    func aHolidayDateOutsideTheYearsIsRefusedWithoutArithmetic(_ date: String) throws {
        let text = """
        time_zone: Asia/Makassar
        office_hours: {days: [mon, tue, wed, thu, fri], start: "08:00", end: "16:00"}
        holidays:
          - {date: "\(date)", name: Libur, kind: libur_nasional}
        """
        let (calendar, issues) = CalendarReader.read([PlaybookDocument(file: "calendar/holidays.yaml", text: text)])
        #expect(calendar == nil)
        try #require(issues.count == 1, "\(issues.map { $0.message(.en) })")
        #expect(issues[0].field == "holidays[0].date")
        #expect(issues[0].text.en.contains("is not a real date"))
    }

    @Test func standardTimeParsingSaysWhy() {
        #expect(StandardTime.parse("0m") == .failure(.zero))
        #expect(StandardTime.parse("0000wd") == .failure(.zero))
        #expect(StandardTime.parse("53w") == .failure(.tooLong(maximum: StandardTime(value: 52, unit: .weeks))))
        #expect(StandardTime.parse("5 m") == .failure(.notDuration))
        #expect(StandardTime.parse("٣m") == .failure(.notDuration), "ASCII digits only")
        #expect(StandardTime.parse("366d") == .success(StandardTime(value: 366, unit: .days)))
        #expect(StandardTime.parse("007h") == .success(StandardTime(value: 7, unit: .hours)))
        for unit in StandardTime.Unit.allCases {
            let longest = StandardTime(value: StandardTime.maximum(unit), unit: unit)
            #expect(longest.seconds(officeDay: 8 * 3600) <= 366 * 86_400, "\(unit): at most a year")
        }
    }
}
