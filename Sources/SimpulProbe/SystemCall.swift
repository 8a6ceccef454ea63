import Glibc
import SimpulCore

/// A C call that failed: which call and the operating system's reason.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The operating system's words for the error (`No route to host`).
    public var reason: String { SystemCall.reason(errno) }

    public var description: String { "\(call): \(reason)" }
}

/// Every C call of the probes goes through here: the return code is checked, an interrupted call
/// is made again, and a failure becomes a ``SystemCallError`` naming the call.
enum SystemCall {
    @discardableResult
    static func check<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, errno: code)
        }
    }

    /// `strerror` in the C locale's words, as `ping` and the logs show them.
    static func reason(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        // The XSI strerror_r: the message goes into the buffer, 0 when it did.
        let result = buffer.withUnsafeMutableBufferPointer { strerror_r(code, $0.baseAddress!, $0.count) }
        guard result == 0 else { return "error \(code)" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws(SystemCallError) {
        var value = value
        try check("setsockopt(\(label))") { setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) }
    }
}

/// IP addresses as the socket calls take and give them.
enum KernelAddress {
    /// `body` with a `sockaddr_in` or `sockaddr_in6` for `address` and `port`.
    static func with<T, E: Error>(_ address: IPAddress, port: UInt16 = 0, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> T) throws(E) -> T {
        switch address.family {
        case .v4:
            var socket = sockaddr_in()
            socket.sin_family = sa_family_t(AF_INET)
            socket.sin_port = port.bigEndian
            socket.sin_addr.s_addr = (address.v4Value ?? 0).bigEndian
            return try withUnsafePointer(to: &socket) { (pointer) throws(E) -> T in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(E) -> T in try body(address, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6:
            var socket = sockaddr_in6()
            socket.sin6_family = sa_family_t(AF_INET6)
            socket.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &socket.sin6_addr) { bytes in
                for index in 0..<8 {
                    bytes[index] = UInt8(truncatingIfNeeded: address.high >> UInt64(56 - 8 * index))
                    bytes[8 + index] = UInt8(truncatingIfNeeded: address.low >> UInt64(56 - 8 * index))
                }
            }
            return try withUnsafePointer(to: &socket) { (pointer) throws(E) -> T in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(E) -> T in try body(address, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// The address (and port) in a `sockaddr_storage` the kernel filled in; nil for another family
    /// or a length too short for its family.
    static func read(_ storage: UnsafeRawPointer, length: socklen_t) -> (address: IPAddress, port: UInt16)? {
        let family = storage.load(fromByteOffset: 0, as: sa_family_t.self)
        switch Int32(family) {
        case AF_INET:
            guard Int(length) >= MemoryLayout<sockaddr_in>.size else { return nil }
            let socket = storage.loadUnaligned(as: sockaddr_in.self)
            return (IPAddress(v4: UInt32(bigEndian: socket.sin_addr.s_addr)), UInt16(bigEndian: socket.sin_port))
        case AF_INET6:
            guard Int(length) >= MemoryLayout<sockaddr_in6>.size else { return nil }
            var socket = storage.loadUnaligned(as: sockaddr_in6.self)
            let (high, low) = withUnsafeBytes(of: &socket.sin6_addr) { bytes -> (UInt64, UInt64) in
                var high: UInt64 = 0, low: UInt64 = 0
                for index in 0..<8 {
                    high = high << 8 | UInt64(bytes[index])
                    low = low << 8 | UInt64(bytes[8 + index])
                }
                return (high, low)
            }
            return (IPAddress(v6High: high, low: low), UInt16(bigEndian: socket.sin6_port))
        default:
            return nil
        }
    }
}
