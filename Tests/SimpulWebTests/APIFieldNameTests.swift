import Foundation
import HTTPTypes
import SimpulCore
import SimpulServices
import Testing

/// The JSON API's field names, pinned: every path listed must be in the answer (`a.b` an object's
/// field, `a[]` an array's elements). The answers are the web target's own types (`API`), so a
/// field renamed in the store or the core cannot rename one here; this catches a change to those types.
@Suite("API field names")
struct APIFieldNameTests {
    let api = TicketAPITests()

    /// Each GET and the field paths its answer has, with the example district and the data made below.
    static let answers: [(uri: String, paths: String)] = [
        ("/api/v1/me", """
            createdAt disabled fullName id language role username
            """),
        ("/api/v1/agencies", """
            [].code [].committedDownMbps [].committedUpMbps [].contactName [].contactPhone [].devices [].kind [].links
            [].name
            """),
        ("/api/v1/agencies/DINKES", """
            agency agency.address agency.code agency.contact agency.contact.email agency.contact.name agency.contact.phone
            agency.contact.whatsapp agency.kind agency.name devices devices[].agency devices[].kind
            devices[].managementAddress devices[].model devices[].name devices[].placement devices[].placement.heightU
            devices[].placement.position devices[].placement.rack devices[].powerWatts devices[].serial devices[].site
            devices[].snmp devices[].snmp.credential devices[].snmp.version devices[].vendor links links[].agencyName
            links[].link links[].link.agency links[].link.circuit links[].link.device links[].link.downMbps
            links[].link.healthAddress links[].link.interface links[].link.provider links[].link.technology
            links[].link.upMbps links[].providerName
            """),
        ("/api/v1/providers", """
            [].committedDownMbps [].links [].provider [].provider.code [].provider.escalation
            [].provider.escalation[].afterMinutes [].provider.escalation[].contact [].provider.escalation[].contact.email
            [].provider.escalation[].contact.name [].provider.escalation[].contact.phone
            [].provider.escalation[].contact.title [].provider.escalation[].level [].provider.name [].provider.noc
            [].provider.noc.email [].provider.noc.name [].provider.noc.phone [].provider.noc.whatsapp [].provider.sla
            [].provider.sla.availabilityPercent [].provider.sla.responseMinutes [].provider.sla.restoreMinutes
            """),
        ("/api/v1/providers/NUSANET", """
            links links[].agencyName links[].link links[].link.agency links[].link.circuit links[].link.device
            links[].link.downMbps links[].link.healthAddress links[].link.interface links[].link.provider
            links[].link.technology links[].link.upMbps links[].providerName provider provider.committedDownMbps
            provider.links provider.provider provider.provider.code provider.provider.escalation
            provider.provider.escalation[].afterMinutes provider.provider.escalation[].contact
            provider.provider.escalation[].contact.email provider.provider.escalation[].contact.name
            provider.provider.escalation[].contact.phone provider.provider.escalation[].contact.title
            provider.provider.escalation[].level provider.provider.name provider.provider.noc provider.provider.noc.email
            provider.provider.noc.name provider.provider.noc.phone provider.provider.noc.whatsapp provider.provider.sla
            provider.provider.sla.availabilityPercent provider.provider.sla.responseMinutes
            provider.provider.sla.restoreMinutes
            """),
        ("/api/v1/links", """
            [].agencyName [].link [].link.agency [].link.circuit [].link.device [].link.downMbps [].link.healthAddress
            [].link.interface [].link.provider [].link.technology [].link.upMbps [].providerName
            """),
        ("/api/v1/devices", """
            [].agency [].kind [].managementAddress [].model [].name [].placement [].placement.heightU
            [].placement.position [].placement.rack [].powerWatts [].serial [].site [].snmp [].snmp.credential
            [].snmp.version [].vendor
            """),
        ("/api/v1/pools", """
            [].pool [].pool.description [].pool.gateway [].pool.hosting [].pool.name [].pool.prefix [].pool.reserved
            [].pool.reserved[].first [].pool.reserved[].last [].pool.reserved[].note [].pool.scope [].pool.vlan
            [].reservedAddresses [].size
            """),
        ("/api/v1/zones", """
            [].adminEmail [].defaultTTL [].kind [].name [].primaryNS [].primaryNSAddresses [].server [].tsigKey
            """),
        ("/api/v1/racks", """
            [].devices [].devices[].agency [].devices[].heightU [].devices[].kind [].devices[].name [].devices[].position
            [].devices[].powerWatts [].powerPerFeedWatts [].rack [].rack.code [].rack.feedAWatts [].rack.feedBWatts
            [].rack.heightU [].rack.name [].rack.room [].roomName [].usedU
            """),
        ("/api/v1/users", """
            [].agency [].createdAt [].disabled [].fullName [].id [].language [].role [].username
            """),
        ("/api/v1/audit?limit=40", """
            entries entries[].action entries[].actor entries[].after entries[].at entries[].before entries[].hash
            entries[].objectKey entries[].objectType entries[].prevHash entries[].reason entries[].seq limit offset total
            """),
        ("/api/v1/pools/usage", """
            [].assignable [].assigned [].held [].pool [].prefix
            """),
        ("/api/v1/pools/dc-server/addresses", """
            [].address [].assignedAt [].assignedBy [].createdAt [].createdBy [].heldUntil [].hostname [].id
            [].idempotencyKey [].note [].owner [].pool [].state
            """),
        ("/api/v1/addresses/10.20.0.10", """
            address allocation allocation.address allocation.assignedAt allocation.assignedBy allocation.createdAt
            allocation.createdBy allocation.hostname allocation.id allocation.idempotencyKey allocation.note
            allocation.owner allocation.pool allocation.state history history[].action history[].at history[].by
            history[].note history[].owner pool prefix state
            """),
        ("/api/v1/playbooks/fault-dispatch", """
            calendar escalations escalations[].escalateTo escalations[].notify escalations[].raisePriority
            escalations[].trigger escalations[].trigger.branch escalations[].trigger.branch._0
            escalations[].trigger.elapsed escalations[].trigger.elapsed.percent escalations[].trigger.elapsed.step id
            mergedFrom rules rules[].en rules[].id source source.date source.document source.sop source.title steps
            steps[].actor steps[].clock steps[].evidence steps[].exit steps[].exit.branches steps[].exit.branches._0
            steps[].exit.branches._0[].name steps[].exit.branches._0[].target steps[].exit.branches._0[].title
            steps[].exit.branches._0[].title.en steps[].exit.branches._0[].title.id steps[].exit.next steps[].exit.next._0
            steps[].id steps[].needs steps[].needs.en steps[].needs.id steps[].produces steps[].produces.en
            steps[].produces.id steps[].sourceStep steps[].standard steps[].standard.unit steps[].standard.value
            steps[].title steps[].title.en steps[].title.id title title.en title.id version
            """),
        ("/api/v1/playbooks", """
            [].calendar [].escalations [].escalations[].escalateTo [].escalations[].notify [].escalations[].raisePriority
            [].escalations[].trigger [].escalations[].trigger.branch [].escalations[].trigger.branch._0
            [].escalations[].trigger.elapsed [].escalations[].trigger.elapsed.percent
            [].escalations[].trigger.elapsed.step [].id [].mergedFrom [].mergedFrom[].ref [].mergedFrom[].source
            [].mergedFrom[].source.date [].mergedFrom[].source.document [].mergedFrom[].source.sop
            [].mergedFrom[].source.title [].recurrence [].recurrence.every [].recurrence.every.unit
            [].recurrence.every.value [].recurrence.openBefore [].recurrence.openBefore.unit
            [].recurrence.openBefore.value [].recurrence.per [].rules [].rules[].en [].rules[].id [].source [].source.date
            [].source.document [].source.sop [].source.title [].steps [].steps[].actor [].steps[].clock [].steps[].doneBy
            [].steps[].evidence [].steps[].exit [].steps[].exit.branches [].steps[].exit.branches._0
            [].steps[].exit.branches._0[].name [].steps[].exit.branches._0[].target [].steps[].exit.branches._0[].title
            [].steps[].exit.branches._0[].title.en [].steps[].exit.branches._0[].title.id [].steps[].exit.next
            [].steps[].exit.next._0 [].steps[].id [].steps[].needs [].steps[].needs.en [].steps[].needs.id
            [].steps[].produces [].steps[].produces.en [].steps[].produces.id [].steps[].sourceRef [].steps[].sourceStep
            [].steps[].standard [].steps[].standard.unit [].steps[].standard.value [].steps[].title [].steps[].title.en
            [].steps[].title.id [].title [].title.en [].title.id [].version
            """),
        ("/api/v1/tickets", """
            limit offset tickets tickets[].agencyCode tickets[].agencyName tickets[].assignee tickets[].currentEnteredAt
            tickets[].currentStep tickets[].dueAt tickets[].dueSoonAt tickets[].id tickets[].lateness tickets[].openedAt
            tickets[].playbookID tickets[].playbookVersion tickets[].priority tickets[].status tickets[].subject total
            totalIsLowerBound
            """),
        ("/api/v1/tickets/1", """
            agency agencyName assignee attachments attachments[].contentType attachments[].fileName attachments[].id
            attachments[].kind attachments[].sha256 attachments[].size attachments[].uploadedAt attachments[].uploadedBy
            clocks clocks.heldSeconds clocks.officeSeconds clocks.thirdPartySeconds currentStep history history[].at
            history[].by history[].detail history[].detail.note history[].detail.on_behalf_of history[].detail.priority
            history[].evidence history[].evidence[].kind history[].evidence[].value history[].kind history[].role
            history[].step history[].text history[].visit id lateness openedAt openedBy outbox playbook
            playbook.headVersion playbook.id playbook.title playbook.title.en playbook.title.id playbook.version priority
            status subject visits visits[].actor visits[].assignee visits[].clock visits[].clock.basis
            visits[].clock.dueAt visits[].clock.elapsedSeconds visits[].clock.heldSeconds visits[].clock.owner
            visits[].clock.standardSeconds visits[].clock.state visits[].completedBy visits[].completedRole
            visits[].endedAt visits[].enteredAt visits[].evidence visits[].evidence[].kind visits[].evidence[].value
            visits[].holds visits[].holds[].by visits[].holds[].end visits[].holds[].reason visits[].holds[].start
            visits[].onBehalf visits[].outcome visits[].startedAt visits[].startedBy visits[].step visits[].title
            visits[].title.en visits[].title.id visits[].visit
            """),
    ]

    /// `DELETE /api/v1/addresses/10.20.0.10`: the allocation's fields with the DNS change beside them.
    static let release = """
        address assignedAt assignedBy createdAt createdBy dns dns.added dns.changes dns.changes[].adds
        dns.changes[].attempts dns.changes[].deletes dns.changes[].deletes[].data dns.changes[].deletes[].name
        dns.changes[].deletes[].ttl dns.changes[].deletes[].type dns.changes[].id dns.changes[].requestedAt
        dns.changes[].requestedBy dns.changes[].serial dns.changes[].state dns.changes[].zone dns.published
        dns.removed hostname id idempotencyKey note owner pool state
        """

    static func paths(_ value: Any, _ prefix: String = "", into found: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, item) in object {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                found.insert(path)
                paths(item, path, into: &found)
            }
        } else if let list = value as? [Any] {
            for item in list { paths(item, prefix + "[]", into: &found) }
        }
    }

    func missing(_ page: Browser.Page, _ expected: String) throws -> [String] {
        var found = Set<String>()
        Self.paths(try JSONSerialization.jsonObject(with: Data(page.body.utf8)), into: &found)
        return expected.split(whereSeparator: \.isWhitespace).map(String.init).filter { !found.contains($0) }
    }

    @Test func everyAnswerKeepsItsFieldNames() async throws {
        let fixture = try WebFixture()
        let admin = try api.token(fixture, "admin1"), kasi = try api.token(fixture, "kasi1")
        try await fixture.test { browser in
            // An address held, then assigned with a host name (and later an A record for it); a ticket with history and a file.
            _ = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin,
                                       #"{"owner": "device:SRV-7", "hold_for": "2h", "note": "catatan", "key": "intake-7"}"#)
            _ = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-7", "state": "assign", "hostname": "simpeg"}"#)
            _ = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-8"}"#)
            // One given back with a note: the audit log has a reason.
            let spare = try await api.postJSON(browser, "/api/v1/pools/dc-server/addresses", admin, #"{"owner": "device:SRV-9"}"#)
            let spareAddress = try #require(try api.object(spare)["address"] as? String)
            _ = try await browser.send("/api/v1/addresses/\(spareAddress)?note=selesai", method: .delete, cookies: [:], headers: api.bearer(admin), form: nil)
            let opened = try await api.postJSON(browser, "/api/v1/tickets", kasi,
                                                #"{"playbook": "fault-dispatch", "subject": "Internet Setda putus", "agency": "SETDA", "note": "dari skrip"}"#)
            let id = try #require(try api.object(opened)["id"] as? Int)
            #expect(id == 1)
            _ = try await api.postJSON(browser, "/api/v1/tickets/1/events", kasi, #"{"event": "complete", "evidence": {"note": "lapor via WA"}}"#)
            _ = try await api.postJSON(browser, "/api/v1/tickets/1/events", kasi, #"{"event": "complete", "evidence": {"note": "ke lokasi"}, "assign_to": "tek1"}"#)
            _ = try await api.postJSON(browser, "/api/v1/tickets/1/events", kasi, #"{"event": "hold", "reason": "menunggu kunci"}"#)
            _ = try await api.postJSON(browser, "/api/v1/tickets/1/events", kasi, #"{"event": "resume"}"#)
            _ = try await browser.postRaw("/api/v1/tickets/1/attachments?kind=attachment&filename=log.txt", headers: api.bearer(kasi),
                                          contentType: "text/plain", body: Array("ping gagal".utf8))
            for (uri, paths) in Self.answers {
                let page = try await browser.get(uri, headers: api.bearer(admin))
                #expect(page.status == .ok, "\(uri)")
                #expect(try missing(page, paths) == [], "\(uri)")
            }
            let admin1 = try fixture.simpul.accounts.user("admin1", by: fixture.cli).principal
            let record = try fixture.simpul.dnsRecords.record(name: "simpeg", type: "A", data: "10.20.0.10", ttl: DNSService.ttl(""), in: "contohkab.go.id")
            _ = try fixture.simpul.dnsRecords.add([record], owner: "device:SRV-7", by: admin1)
            let released = try await browser.send("/api/v1/addresses/10.20.0.10", method: .delete, cookies: [:], headers: api.bearer(admin), form: nil)
            #expect(released.status == .ok)
            #expect(try missing(released, Self.release) == [])
        }
    }
}
