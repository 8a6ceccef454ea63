import Foundation
@testable import SimpulWeb
import SimpulCore
import SimpulServices
import Testing

@Suite("Rack elevation")
struct RackElevationTests {
    func device(_ name: String, at position: Int, height: Int) -> EstateService.RackedDevice {
        // The service's type has no public initialiser; it is Codable.
        let json = #"{"name": "\#(name)", "kind": "server", "position": \#(position), "heightU": \#(height)}"#
        return try! JSONDecoder().decode(EstateService.RackedDevice.self, from: Data(json.utf8))
    }

    @Test func topRowFirstWithMultiUnitDevicesSpanningDown() {
        let rows = RackElevation(heightU: 6, devices: [device("a", at: 1, height: 2), device("b", at: 5, height: 1)]).rows
        #expect(rows.map(\.unit) == [6, 5, 4, 3, 2, 1])
        #expect(rows[1].device?.name == "b" && rows[1].span == 1)
        #expect(rows[4].device?.name == "a" && rows[4].span == 2)
        #expect(rows[5].covered && rows[5].device == nil)
        #expect(rows[0].device == nil && !rows[0].covered)
    }

    @Test func aDeviceRunningPastTheTopIsCutAtTheTop() {
        let rows = RackElevation(heightU: 3, devices: [device("tall", at: 2, height: 4)]).rows
        #expect(rows[0].device?.name == "tall" && rows[0].span == 2)
        #expect(rows[1].covered)
        #expect(rows[2].device == nil && !rows[2].covered)
    }
}
