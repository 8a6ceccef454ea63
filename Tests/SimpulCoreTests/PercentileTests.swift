import SimpulCore
import Testing

@Suite("Percentiles")
struct PercentileTests {
    @Test func nearestRank() {
        let values = (1...100).map(Double.init)
        #expect(Percentile.nearestRank(values, 0.5) == 50)
        #expect(Percentile.nearestRank(values, 0.99) == 99)
        #expect(Percentile.nearestRank(values, 1) == 100)
        #expect(Percentile.nearestRank(values, 0) == 1, "p = 0 is the smallest value, not an index of -1")
        #expect(Percentile.nearestRank([7], 0.9) == 7)
        #expect(Percentile.nearestRank([], 0.5) == nil)
        #expect(Percentile.nearestRank([1, 2, 3, 4], 0.9) == 4)
    }
}
