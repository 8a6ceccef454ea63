import Foundation
@testable import SimpulWeb
import Testing

/// What a form or query string gives the routes: control characters no field can hold are gone
/// before anything stores, echoes or logs them; tabs and line breaks (a textarea's) stay.
@Suite("Form fields")
struct FormDataTests {
    @Test(arguments: [
        ("month=%00", "month", ""),
        ("month=2026-11%00", "month", "2026-11"),
        ("q=%1B%5B31mmerah%1B%5B0m", "q", "[31mmerah[0m"),
        ("note=baris+1%0D%0Abaris%092", "note", "baris 1\r\nbaris\t2"),
        ("x=%7F%C2%85%C2%9Fa", "x", "a"),
        ("nama=Dinas+Kesehatan+%E2%80%94+%C3%A9", "nama", "Dinas Kesehatan — é"),
        ("bad=%ZZ%00", "bad", "%ZZ%00"),
    ])
    func controlCharactersAreDroppedWhereFieldsAreRead(encoded: String, name: String, value: String) {
        #expect(FormData(encoded: encoded)[name] == value)
    }

    @Test func multipartFieldsAreReadTheSameWay() {
        let form = FormData(fields: [("note", "a\u{0}b\u{1B}c\nd")])
        #expect(form["note"] == "abc\nd")
    }
}
