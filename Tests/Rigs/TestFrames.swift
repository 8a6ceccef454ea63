/// Frames the capture and survey tests build by hand: bytes only, never sent anywhere.
public enum TestFrames {
    /// An Ethernet + IPv4 + UDP frame (port 12345 to 443) of `total` IP bytes between two dotted-quad addresses.
    public static func ethernetIPv4UDP(source: String, destination: String, total: Int) -> [UInt8] {
        func octets(_ text: String) -> [UInt8] { text.split(separator: ".").map { UInt8($0)! } }
        var frame: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]
        frame += [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0] + octets(source) + octets(destination)
        frame += [0x30, 0x39, 0x01, 0xBB, UInt8((total - 20) >> 8), UInt8((total - 20) & 0xFF), 0, 0]
        return frame
    }
}
