import Testing
@testable import SimpulCore

@Suite("Rack fit") struct RackFitTests {
    // R1: 10U, U3–U4 and U8 used, 1000 W per feed with 600 W drawn. R2: 10U empty, 2000 W. R3: feed B nearly full.
    let r1 = RackSpace(code: "R1", heightU: 10, feedAWatts: 1000, feedBWatts: 1000, occupied: [(3, 2), (8, 1)], loadPerFeedWatts: 600)
    let r2 = RackSpace(code: "R2", heightU: 10, feedAWatts: 2000, feedBWatts: 2000, occupied: [], loadPerFeedWatts: 0)
    let r3 = RackSpace(code: "R3", heightU: 10, feedAWatts: 5000, feedBWatts: 700, occupied: [], loadPerFeedWatts: 500)

    @Test func freeRunsAndBestFitFirst() {
        #expect(r1.freeRuns.map(\.position) == [1, 5, 9] && r1.freeRuns.map(\.length) == [2, 3, 2])
        // 2U at 300 W: R1's 2U run at U1 fits exactly and wins over R2's whole rack; R3's feed B has 200 W left.
        let fits = RackFit.candidates([r2, r3, r1], heightU: 2, watts: 300)
        #expect(fits.map(\.rack) == ["R1", "R2"])
        #expect(fits.first?.position == 1 && fits.first?.unitsLeftInRun == 0 && fits.first?.feedALeft == 100)
        // 3U: only R1's U5–U7 run or R2.
        #expect(RackFit.candidates([r1, r2], heightU: 3, watts: 100).map { "\($0.rack)@\($0.position)" } == ["R1@5", "R2@1"])
        // Too much power for every rack.
        #expect(RackFit.candidates([r1, r2, r3], heightU: 1, watts: 2500).isEmpty)
    }

    @Test func aChosenPlaceIsCheckedForUnitsAndBothFeeds() {
        #expect(RackFit.problem(r1, position: 1, heightU: 2, watts: 300) == nil)
        #expect(RackFit.problem(r1, position: 2, heightU: 2, watts: 300) == .unitsTaken(rack: "R1", from: 3, to: 3))
        #expect(RackFit.problem(r1, position: 10, heightU: 2, watts: 300) == .outsideRack(rack: "R1", heightU: 10))
        #expect(RackFit.problem(r3, position: 1, heightU: 1, watts: 300) == .power(rack: "R3", feed: "B", needed: 300, left: 200))
    }
}
