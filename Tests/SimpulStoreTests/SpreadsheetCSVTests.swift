import Foundation
import Testing
@testable import SimpulServices

/// CSV injection (OWASP): a cell a spreadsheet would run as a formula is written as text.
@Suite("CSV files Simpul writes")
struct SpreadsheetCSVTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"klik\")", "'=HYPERLINK(\"http://x\",\"klik\")"),
        ("+62 812", "'+62 812"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("Dinas Kesehatan", "Dinas Kesehatan"), ("-12.5", "-12.5"), ("42", "42"), ("", ""), ("a=b", "a=b"),
    ])
    func neutralises(_ value: String, _ expected: String) {
        #expect(SpreadsheetCSV.cell(value) == expected)
    }

    @Test func quotesAndEndsRowsAsRFC4180Says() {
        let text = SpreadsheetCSV.document([["a", "b,c", "say \"hi\""], ["=1+1", "x\ny", "-3"]])
        #expect(text == "a,\"b,c\",\"say \"\"hi\"\"\"\r\n'=1+1,\"x\ny\",-3\r\n")
    }
}
