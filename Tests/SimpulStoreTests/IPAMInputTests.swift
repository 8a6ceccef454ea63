import Foundation
import SimpulCore
import SimpulServices
import Testing

/// What an address is for is checked: a ticket owner names a ticket that exists, a host name is a
/// DNS name, a hold's length is in range — and a refusal writes nothing.
@Suite("Address requests are checked") struct IPAMInputTests {
    @Test func anOwnerTicketMustExistAndAHostNameMustBeADNSName() throws {
        let district = try TestDistrict(loadPlaybooks: true)
        let ipam = district.simpul.ipam, cli = district.cli
        #expect { try ipam.assign(.init(pool: "dc-server", owner: "ticket:99999"), by: cli) }
            throws: { ($0 as? ServiceError)?.text.en.contains("no such ticket") == true }
        #expect { try ipam.assign(.init(pool: "dc-server", owner: "ticket:abc"), by: cli) } throws: { ($0 as? ServiceError)?.kind == .invalid }
        #expect { try ipam.assign(.init(pool: "dc-server", owner: "device:SIKD-01", hostname: "bad name!"), by: cli) }
            throws: { ($0 as? ServiceError)?.text.en.contains("host name") == true }
        #expect { try ipam.hold(.init(pool: "dc-server", owner: "device:X", holdFor: try IPAMService.holdDuration("999999w")), by: cli) }
            throws: { ($0 as? ServiceError)?.kind == .invalid }
        #expect(try ipam.list(pool: "dc-server", by: cli).isEmpty, "nothing was written")
        let ticket = try district.simpul.tickets.open(playbook: "fault-dispatch", subject: "Server SIMPEG", agency: "DINKES", by: cli)
        let held = try ipam.assign(.init(pool: "dc-server", owner: "ticket:\(ticket)", hostname: "simpeg"), by: cli)
        #expect(held.owner == "ticket:\(ticket)")
    }
}
