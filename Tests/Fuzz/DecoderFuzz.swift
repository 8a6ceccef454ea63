// libFuzzer entry for the capture decoder and attributor (issue 16): every input is a frame of one of
// the supported link types (chosen by the first byte), decoded and counted against a small prefix
// table. Built and run by scripts/fuzz-capture.sh (make test runs it for a bounded time): the decoder
// must never trap, read out of bounds (AddressSanitizer) or loop, whatever the bytes.

let linkTypes: [CaptureLinkType] = CaptureLinkType.supported
let table: PrefixTable = {
    let prefixes = ["10.30.0.0/16", "10.30.1.0/24", "192.0.2.0/24", "2001:db8:30::/48", "2001:db8:30:1::/64", "0.0.0.0/0"]
    return try! PrefixTable(prefixes.enumerated().map { (Prefix($1)!, $0 % 4) })
}()
nonisolated(unsafe) var attributor = TrafficAttributor(table: table, settings: try! AttributionSettings(intervalSeconds: 60, hostTableCapacity: 64),
                                                       agencyCount: 4)
nonisolated(unsafe) var runs = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = input.first else { return 0 }
    let linkType = linkTypes[Int(first) % linkTypes.count]
    let frame = UnsafeRawBufferPointer(rebasing: input.dropFirst())
    // The wire length is the captured length, or more (a snap length cut it), or hostile (less).
    let wire = input.count > 1 ? frame.count + Int(input[1] % 4) * 100 - (input[1] == 255 ? frame.count + 1 : 0) : frame.count
    _ = PacketDecoder.decode(linkType: linkType, bytes: frame, wireLength: wire)
    attributor.add(linkType: linkType, frame: frame, wireLength: wire, seconds: Int64(input.count) &* 7_919, nanoseconds: Int32(truncatingIfNeeded: count))
    runs += 1
    if runs % 100_000 == 0 { _ = attributor.summary() }
    return 0
}
