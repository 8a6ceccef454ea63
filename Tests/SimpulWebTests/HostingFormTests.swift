import Foundation
import SimpulServices
import Testing

/// The hosting form's choices are read one way for the web and the CLI: nothing is silently
/// taken for rack-mount or a private address.
@Suite("Hosting form choices")
struct HostingFormTests {
    @Test func anUnknownFormFactorOrScopeIsRefusedNotGuessed() async throws {
        #expect(try HostingService.FormFactor.parse(" Tower ") == .tower)
        #expect(throws: ServiceError.self) { try HostingService.FormFactor.parse("") }
        #expect(throws: ServiceError.self) { try HostingService.addressScope("semi") }
        let fixture = try WebFixture()
        try await fixture.test { browser in
            let agency = try await browser.logIn("opd-dinkes")
            let page = try await browser.post("/hosting", cookies: agency.cookies, form: [
                ("_csrf", agency.csrf), ("letter", "045/9/DINKES/XI/2026"), ("letterDate", "2026-11-20"), ("signedBy", "dr. Rahmawati"),
                ("contact", "Budi"), ("hostname", "simkes"), ("dns", "simkes"), ("form", "wall-mount"), ("height", "2"), ("watts", "400"),
                ("application", "SIMKES"), ("scope", "private")])
            #expect(page.status == .badRequest)
            #expect(page.text(ofID: "hosting-error") == "bentuk server harus rack, tower atau blade")
            #expect(try fixture.simpul.hosting.list(agency: nil, state: nil, by: fixture.cli).isEmpty)
        }
    }
}
