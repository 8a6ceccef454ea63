import Testing
@testable import SimpulCore

@Suite("Pool layout") struct PoolLayoutTests {
    func address(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func freeRangesLeaveOutNetworkBroadcastGatewayAndReserved() {
        let layout = PoolLayout(prefix: Prefix("10.20.0.0/24")!, gateway: address("10.20.0.1"), reserved: [
            ReservedRange(first: address("10.20.0.2"), last: address("10.20.0.9"), note: "switch"),
            ReservedRange(first: address("10.20.0.240"), last: address("10.20.0.255"), note: "cadangan"),
        ])
        #expect(layout.freeRanges().map(\.description) == ["10.20.0.10-10.20.0.239"])
        #expect(layout.assignableCount == 230)
        #expect(layout.exclusion(of: address("10.20.0.0")) == .network)
        #expect(layout.exclusion(of: address("10.20.0.1")) == .gateway)
        #expect(layout.exclusion(of: address("10.20.0.5")) == .reserved(note: "switch"))
        // The broadcast address sits inside the reserved /28: either reason is true, the first listed wins.
        #expect(layout.exclusion(of: address("10.20.0.255")) != nil)
        #expect(layout.exclusion(of: address("10.20.0.10")) == nil)
        let used = [address("10.20.0.12"), address("10.20.0.10"), address("10.21.0.1")]
        #expect(layout.freeRanges(excluding: used).map(\.description) == ["10.20.0.11", "10.20.0.13-10.20.0.239"])
    }

    @Test func pointToPointAndIPv6() {
        #expect(PoolLayout(prefix: Prefix("192.0.2.0/31")!, gateway: nil, reserved: []).freeRanges().map(\.description) == ["192.0.2.0-192.0.2.1"])
        #expect(PoolLayout(prefix: Prefix("192.0.2.7/32")!, gateway: nil, reserved: []).assignableCount == 1)
        let v6 = PoolLayout(prefix: Prefix("2001:db8:20::/64")!, gateway: address("2001:db8:20::1"), reserved: [
            ReservedRange(first: address("2001:db8:20::2"), last: address("2001:db8:20::ff")),
        ])
        #expect(v6.freeRanges().map(\.description) == ["2001:db8:20::100-2001:db8:20:0:ffff:ffff:ffff:ffff"])
        #expect(v6.assignableCount == 18_446_744_073_709_551_616.0 - 256)
        // A reserved range reaching past the prefix is clipped to it.
        let clipped = PoolLayout(prefix: Prefix("10.0.0.0/30")!, gateway: nil, reserved: [ReservedRange(first: address("10.0.0.2"), last: address("10.0.0.9"))])
        #expect(clipped.freeRanges().map(\.description) == ["10.0.0.1"])
    }

    @Test func takingAndKeys() {
        let range = AddressRange(first: address("10.0.0.1"), last: address("10.0.0.5"))!
        #expect(range.removing(address("10.0.0.1")).map(\.description) == ["10.0.0.2-10.0.0.5"])
        #expect(range.removing(address("10.0.0.3")).map(\.description) == ["10.0.0.1-10.0.0.2", "10.0.0.4-10.0.0.5"])
        #expect(range.removing(address("10.0.0.5")).map(\.description) == ["10.0.0.1-10.0.0.4"])
        #expect(range.removing(address("10.0.0.9")) == [range])
        #expect(AddressRange(first: address("10.0.0.7"), last: address("10.0.0.7"))!.removing(address("10.0.0.7")).isEmpty)
        // Keys sort as text in address order and read back.
        let addresses = ["10.0.0.9", "10.0.0.10", "9.255.255.255", "10.0.1.0"].map(address)
        #expect(addresses.sorted().map(\.key) == addresses.map(\.key).sorted())
        let v6 = ["2001:db8::1", "2001:db8::ff", "2001:db8::1:0", "::1"].map(address)
        #expect(v6.sorted().map(\.key) == v6.map(\.key).sorted())
        for a in addresses + v6 { #expect(IPAddress(key: a.key) == a) }
        #expect(address("10.20.0.15").key == "0a14000f")
        #expect(IPAddress(key: "0a14000") == nil && IPAddress(key: "0a14000g") == nil)
    }
}
