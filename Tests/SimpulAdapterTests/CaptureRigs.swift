import Foundation
import Glibc
import SimpulCapture

// Rigs for the capture tests: capture files written through libpcap in a directory of the test's
// own, frames built byte by byte, and a veth pair whose far end sits in a network namespace the test
// creates. Traffic goes to 127.0.0.1 or across that pair only (192.0.2.0/30, documentation space).

struct CaptureRigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary directory, removed by ``remove()``.
final class CaptureScratch: @unchecked Sendable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("simpul-capture-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: directory) }

    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name)))) }
    func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path(name))) }
}

/// One record a test writes and expects back.
struct CaptureRecord: Equatable {
    var seconds: Int64
    var nanoseconds: Int32
    var bytes: [UInt8]
    var wireLength: Int
}

/// What a read handed over, copied out of libpcap's buffer.
struct ReadBack: Equatable {
    var header: PacketHeader
    var bytes: [UInt8]
    var linkType: LinkType
}

enum CaptureFrames {
    /// An IPv4/UDP packet from `source` to `destination`, with `payload`.
    static func ipv4UDP(_ source: [UInt8], _ destination: [UInt8], sourcePort: UInt16 = 40000, destinationPort: UInt16 = 53, payload: [UInt8]) -> [UInt8] {
        var ip: [UInt8] = [0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0] + source + destination
        let total = 20 + 8 + payload.count
        ip[2] = UInt8(total >> 8); ip[3] = UInt8(total & 0xff)
        let udpLength = 8 + payload.count
        let udp: [UInt8] = [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xff), UInt8(destinationPort >> 8), UInt8(destinationPort & 0xff),
                            UInt8(udpLength >> 8), UInt8(udpLength & 0xff), 0, 0]
        return ip + udp + payload
    }

    /// `packet` behind an Ethernet header (locally administered MACs), type IPv4.
    static func ethernet(_ packet: [UInt8]) -> [UInt8] {
        [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00] + packet
    }

    /// `packet` behind a Linux cooked (v1) header: sent by us, ARPHRD_ETHER, IPv4.
    static func linuxSLL(_ packet: [UInt8]) -> [UInt8] {
        [0, 4, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 2, 0, 0, 0x08, 0x00] + packet
    }

    /// A frame for `linkType` around an IPv4/UDP packet with a payload of `size` bytes.
    static func frame(_ linkType: LinkType, index: Int, size: Int) -> [UInt8] {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
        let packet = ipv4UDP([10, 20, 0, UInt8(index % 250 + 1)], [10, 30, 1, 9], payload: payload)
        switch linkType {
        case .ethernet: return ethernet(packet)
        case .linuxSLL: return linuxSLL(packet)
        default: return packet
        }
    }
}

enum CaptureFiles {
    /// Writes `records` through ``PcapDumpWriter``.
    static func write(_ path: String, linkType: LinkType, snapshotLength: Int = 262_144, nanosecondTimestamps: Bool = true, _ records: [CaptureRecord]) throws {
        let writer = try PcapDumpWriter(path: path, linkType: linkType, snapshotLength: snapshotLength, nanosecondTimestamps: nanosecondTimestamps)
        for record in records {
            try writer.write(record.bytes, seconds: record.seconds, nanoseconds: record.nanoseconds, wireLength: record.wireLength)
        }
        try writer.close()
    }

    /// `count` Ethernet records of `size` payload bytes, one millisecond apart.
    static func records(_ count: Int, linkType: LinkType = .ethernet, size: Int = 60) -> [CaptureRecord] {
        (0..<count).map { index in
            let bytes = CaptureFrames.frame(linkType, index: index, size: size)
            return CaptureRecord(seconds: 1_767_225_600 + Int64(index / 1000), nanoseconds: Int32(index % 1000) * 1_000_000 + 123,
                                 bytes: bytes, wireLength: bytes.count)
        }
    }

    /// Every record of `path`, copied, with the summary of the read.
    static func readAll(_ path: String) throws -> ([ReadBack], FileReadSummary, PcapFileSource) {
        let file = try PcapFileSource(path: path)
        var packets: [ReadBack] = []
        let summary = file.read { packet in
            packets.append(ReadBack(header: packet.header, bytes: [UInt8](packet.bytes), linkType: packet.linkType))
        }
        return (packets, summary, file)
    }
}

/// Runs a program and waits; throws with its output when it fails.
enum CaptureCommand {
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CaptureRigError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    /// The first of `names` found on the usual paths.
    static func find(_ names: String...) -> String? {
        for name in names {
            for directory in ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"] {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }
}

/// UDP datagrams to 127.0.0.1, from a socket of the test's own, and a bound receiver that keeps
/// the port the test filters on.
final class CaptureLoopbackUDP: @unchecked Sendable {
    let port: UInt16
    private let receiver: Int32
    private let sender: Int32

    init() throws {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.receiver = receiver
        self.sender = sender
        guard receiver >= 0, sender >= 0 else { throw CaptureRigError("socket: \(errno)") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw CaptureRigError("bind: \(errno)") }
        var name = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(receiver, $0, &length) } }
        port = UInt16(bigEndian: name.sin_port)
        // Let the datagrams pile up unread: a large receive buffer, never drained.
        var size: Int32 = 4 << 20
        setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit {
        close(receiver)
        close(sender)
    }

    /// Sends `count` datagrams, each `marker` followed by its number.
    func send(_ count: Int, marker: String) throws {
        var address = Self.loopback(port: port)
        for index in 0..<count {
            let payload = Array("\(marker)-\(index)".utf8)
            let sent = payload.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(sender, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            guard sent == payload.count else { throw CaptureRigError("sendto: \(errno)") }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}

/// A veth pair: `near` in this namespace (192.0.2.1/30), `far` in a namespace of the test's own
/// (192.0.2.2/30). ``remove()`` deletes the namespace, which takes the pair with it.
final class CaptureVethPair: @unchecked Sendable {
    let namespace: String
    let near: String
    let far: String
    static let nearAddress = "192.0.2.1"
    static let farAddress = "192.0.2.2"

    private static let ipPath = CaptureCommand.find("ip")

    /// Whether this machine lets the test create a network namespace (root, or CAP_SYS_ADMIN).
    static let permitted: Bool = {
        guard let ip = ipPath else { return false }
        let probe = "simpul-cap-probe-\(getpid())"
        guard (try? CaptureCommand.run(ip, ["netns", "add", probe])) != nil else { return false }
        _ = try? CaptureCommand.run(ip, ["netns", "delete", probe])
        return true
    }()

    init() throws {
        guard let ip = Self.ipPath else { throw CaptureRigError("no ip command (Debian iproute2)") }
        let pid = getpid()
        namespace = "simpul-cap-\(pid)"
        near = "scap\(pid % 1_000_000)a"
        far = "scap\(pid % 1_000_000)b"
        try CaptureCommand.run(ip, ["netns", "add", namespace])
        do {
            try CaptureCommand.run(ip, ["link", "add", near, "type", "veth", "peer", "name", far])
            try CaptureCommand.run(ip, ["link", "set", far, "netns", namespace])
            try CaptureCommand.run(ip, ["addr", "add", "\(Self.nearAddress)/30", "dev", near])
            try CaptureCommand.run(ip, ["link", "set", near, "up"])
            try CaptureCommand.run(ip, ["-n", namespace, "addr", "add", "\(Self.farAddress)/30", "dev", far])
            try CaptureCommand.run(ip, ["-n", namespace, "link", "set", far, "up"])
            try CaptureCommand.run(ip, ["-n", namespace, "link", "set", "lo", "up"])
            // The near end's MAC as a permanent neighbour of the far end: no ARP to wait for (or to
            // be answered by this machine's settings), every datagram goes straight across.
            let mac = try String(contentsOfFile: "/sys/class/net/\(near)/address", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try CaptureCommand.run(ip, ["-n", namespace, "neigh", "replace", Self.nearAddress, "lladdr", mac, "dev", far, "nud", "permanent"])
        } catch {
            remove()
            throw error
        }
    }

    /// Sends `count` UDP datagrams from the far end to the near address, port `port`, from inside
    /// the namespace (bash's /dev/udp: nothing to install).
    func sendFromFarEnd(_ count: Int, port: UInt16) throws {
        guard let ip = Self.ipPath else { return }
        try CaptureCommand.run(ip, ["netns", "exec", namespace, "bash", "-c",
                                    "for i in $(seq 1 \(count)); do printf 'simpul-veth-%s' \"$i\" > /dev/udp/\(Self.nearAddress)/\(port); done"])
    }

    func remove() {
        guard let ip = Self.ipPath else { return }
        _ = try? CaptureCommand.run(ip, ["link", "delete", near])
        _ = try? CaptureCommand.run(ip, ["netns", "delete", namespace])
    }
}
