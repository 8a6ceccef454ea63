import Foundation
import SimpulCore
import Testing

/// Letter numbers: Roman months, the pattern's placeholders and refusals, writing and reading back,
/// and the yearly sequence rule.
@Suite("LAN letter numbers")
struct LANLetterNumberTests {
    @Test(arguments: [(1, "I"), (4, "IV"), (9, "IX"), (12, "XII"), (14, "XIV"), (40, "XL"), (90, "XC"), (400, "CD"),
                      (1994, "MCMXCIV"), (2026, "MMXXVI"), (3999, "MMMCMXCIX")])
    func romanNumerals(n: Int, roman: String) {
        #expect(RomanNumeral.string(n) == roman)
        #expect(RomanNumeral.value(roman) == n)
    }

    @Test func romanOutOfRangeAndNonCanonical() {
        #expect(RomanNumeral.string(0) == nil && RomanNumeral.string(4000) == nil && RomanNumeral.string(-1) == nil)
        #expect((1...12).compactMap(RomanNumeral.month) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])
        #expect(RomanNumeral.month(0) == nil && RomanNumeral.month(13) == nil)
        for text in ["IIII", "IC", "xii", "", "VV", "XIIII", "ABC"] { #expect(RomanNumeral.value(text) == nil) }
    }

    @Test(arguments: [
        ("800/DKISP/{seq}/{month_roman}/{year}", "800/DKISP/12/XII/2026"),
        ("  800/DKISP/{seq:3}/{month_roman}/{year} ", "800/DKISP/012/XII/2026"),
        ("{code}/{seq:4}/DKISP/{month}/{year}", "005.1/0012/DKISP/12/2026"),
        ("{seq}", "12"),
        ("B-{seq:6}.{year}", "B-000012.2026"),
    ])
    func patternsAcceptedWriteAndReadBack(pattern: String, expected: String) throws {
        let scheme = try LetterNumberScheme.parse(pattern)
        let number = try scheme.format(sequence: 12, month: 12, year: 2026, code: "005.1")
        #expect(number == expected)
        #expect(scheme.sequence(in: number) == 12)
        #expect(scheme.sequence(in: "{" + number) == nil && scheme.sequence(in: number + "x") == nil)
    }

    @Test(arguments: [
        ("", LetterPatternRefusal.Problem.empty),
        ("   ", .empty),
        (String(repeating: "x", count: 121) + "{seq}", .tooLong(length: 126)),
        ("800/{seq}\t/{year}", .controlCharacter),
        ("800/{seq}\n", .controlCharacter),
        ("800/{seq/{year}", .unbalancedBrace(position: 5)),
        ("800/{seq}/{year", .unbalancedBrace(position: 11)),
        ("800}/{seq}", .unbalancedBrace(position: 4)),
        ("800/{seq}/{foo}", .unknownPlaceholder("{foo}")),
        ("800/{SEQ}", .unknownPlaceholder("{SEQ}")),
        ("800/{}/{seq}", .unknownPlaceholder("{}")),
        ("800/DKISP/{month_roman}/{year}", .missingSequence),
        ("{seq}/{seq:3}", .sequenceTwice),
        ("{seq:0}", .sequenceWidth("{seq:0}")),
        ("{seq:7}", .sequenceWidth("{seq:7}")),
        ("{seq:03}", .sequenceWidth("{seq:03}")),
        ("{seq:x}", .sequenceWidth("{seq:x}")),
        ("{seq:}", .sequenceWidth("{seq:}")),
    ] as [(String, LetterPatternRefusal.Problem)])
    func patternsRefused(pattern: String, problem: LetterPatternRefusal.Problem) {
        let refusal = #expect(throws: LetterPatternRefusal.self) { try LetterNumberScheme.parse(pattern) }
        #expect(refusal?.problem == problem)
        #expect(refusal?.text.id.isEmpty == false && refusal?.text.en.isEmpty == false)
    }

    @Test func unknownPlaceholderListsTheAllowedOnes() throws {
        let refusal = #expect(throws: LetterPatternRefusal.self) { try LetterNumberScheme.parse("{foo}/{seq}") }
        #expect(refusal?.text.id == "{foo} tidak dikenal dalam pola nomor surat; yang boleh: {seq}, {seq:N}, {month_roman}, {month}, {year}, {code}")
        #expect(refusal?.text.en.contains("allowed: {seq}, {seq:N}, {month_roman}") == true)
    }

    @Test func defaultSchemeWritesTheOfficesNumbers() throws {
        let scheme = LetterNumberScheme.standard
        #expect(try scheme.format(sequence: 12, month: 12, year: 2026) == "800/DKISP/12/XII/2026")
        #expect(try scheme.format(sequence: 7, month: 4, year: 2027) == "800/DKISP/7/IV/2027")
        #expect(try scheme.format(sequence: 999_999, month: 1, year: 2100) == "800/DKISP/999999/I/2100")
        let reading = scheme.read("800/DKISP/12/XII/2026")
        #expect(reading?.sequence == 12 && reading?.month == 12 && reading?.year == 2026)
        for bad in ["800/DKISP/012/XII/2026", "800/DKISP/12/XIII/2026", "800/DKISP/12/xii/2026", "800/DKISP/0/XII/2026",
                    "800/DKISP/12/XII/1999", "800/DKISP//XII/2026", "800/DKISP/1234567/XII/2026", "800/DKISP/12/XII/2026/1", ""] {
            #expect(scheme.sequence(in: bad) == nil, "\(bad)")
        }
        let padded = try LetterNumberScheme.parse("{seq:3}/{month_roman}")
        #expect(padded.sequence(in: "007/IV") == 7 && padded.sequence(in: "1234/IV") == 1234 && padded.sequence(in: "07/IV") == nil)
        #expect(padded.sequence(in: "01234/IV") == nil)
    }

    @Test(arguments: [
        (0, 1, 2026, "", LetterNumberRefusal.Problem.sequenceOutOfRange(0)),
        (1_000_000, 1, 2026, "", .sequenceOutOfRange(1_000_000)),
        (1, 0, 2026, "", .monthOutOfRange(0)),
        (1, 13, 2026, "", .monthOutOfRange(13)),
        (1, 1, 1999, "", .yearOutOfRange(1999)),
        (1, 1, 2101, "", .yearOutOfRange(2101)),
        (1, 1, 2026, "", .codeMissing),
        (1, 1, 2026, "a b", .codeInvalid("a b")),
        (1, 1, 2026, "{x}", .codeInvalid("{x}")),
    ] as [(Int, Int, Int, String, LetterNumberRefusal.Problem)])
    func formattingRefusesValuesOutOfRange(sequence: Int, month: Int, year: Int, code: String, problem: LetterNumberRefusal.Problem) throws {
        let scheme = try LetterNumberScheme.parse("{code}/{seq}/{month_roman}/{year}")
        let refusal = #expect(throws: LetterNumberRefusal.self) { try scheme.format(sequence: sequence, month: month, year: year, code: code) }
        #expect(refusal?.problem == problem)
    }

    @Test(arguments: [
        (nil, 1, 1), (nil, 250, 250), (1, 1, 2), (41, 1, 42), (998_999, 1, 999_000), (999_998, 1, 999_999), (3, 100, 4),
    ] as [(Int?, Int, Int)])
    func theNextSequence(last: Int?, startAt: Int, next: Int) throws {
        #expect(try LetterSequenceRule.next(after: last, startAt: startAt) == next)
        #expect(try LetterSequenceRule(startAt: startAt).next(after: last) == next)
    }

    @Test(arguments: [
        (nil, 0, LetterNumberRefusal.Problem.startOutOfRange(0)),
        (5, -3, .startOutOfRange(-3)),
        (nil, 1_000_000, .startOutOfRange(1_000_000)),
        (999_999, 1, .sequenceExhausted(year: 2026)),
        (0, 1, .lastIssuedOutOfRange(0)),
        (1_000_000, 1, .lastIssuedOutOfRange(1_000_000)),
    ] as [(Int?, Int, LetterNumberRefusal.Problem)])
    func theSequenceRuleRefuses(last: Int?, startAt: Int, problem: LetterNumberRefusal.Problem) {
        let refusal = #expect(throws: LetterNumberRefusal.self) { try LetterSequenceRule.next(after: last, startAt: startAt, year: 2026) }
        #expect(refusal?.problem == problem)
    }

    @Test func aWronglyConfiguredStartNamesTheSettingAndItsRange() {
        let refusal = #expect(throws: LetterNumberRefusal.self) { try LetterSequenceRule(startAt: 0) }
        #expect(refusal?.text.id == "nomor urut tahunan surat diatur salah: pengaturan \"nomor urut pertama tiap tahun\" (start_at) bernilai 0, harus 1 sampai 999.999; perbaiki pengaturannya")
        #expect(refusal?.text.en.contains("configured wrongly") == true && refusal?.text.en.contains("1 to 999,999") == true)
    }
}
