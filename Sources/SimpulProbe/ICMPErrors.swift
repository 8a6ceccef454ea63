import Glibc
import SimpulCore

// ICMP errors in the operating system's words: for a raw socket, which reads them as packets, and
// from a datagram socket's error queue.

extension ICMPEngine {
    /// The error the kernel itself gives a socket for this ICMP error (Linux's `icmp_err_convert`
    /// and `icmpv6_err_convert`), so a raw socket's message reads as a datagram socket's would.
    static func kernelError(for report: ICMPErrorReport) -> Int32 {
        switch (report.family, report.type) {
        case (.v4, 3):
            switch report.code {
            case 0, 6, 9, 11: return ENETUNREACH
            case 2: return ENOPROTOOPT
            case 3: return ECONNREFUSED
            case 4: return EMSGSIZE
            case 5: return EOPNOTSUPP
            case 7: return EHOSTDOWN
            case 8: return ENONET
            default: return EHOSTUNREACH
            }
        case (.v4, 11), (.v6, 3): return EHOSTUNREACH
        case (.v4, 12), (.v6, 4): return EPROTO
        case (.v6, 1):
            switch report.code {
            case 0: return ENETUNREACH
            case 1, 5, 6: return EACCES
            case 4: return ECONNREFUSED
            default: return EHOSTUNREACH
            }
        case (.v6, 2): return EMSGSIZE
        default: return EHOSTUNREACH
        }
    }
}

/// Linux's `struct sock_extended_err` from a socket's error queue (linux/errqueue.h), with the
/// address of the router that sent the error.
struct ExtendedError {
    let errno: UInt32
    let origin: UInt8
    let type: UInt8
    let code: UInt8
    let offender: IPAddress?

    /// `SO_EE_ORIGIN_ICMP` or `SO_EE_ORIGIN_ICMP6`: a router or the destination sent it.
    var isICMP: Bool { origin == 2 || origin == 3 }

    /// The first `IP_RECVERR`/`IPV6_RECVERR` entry among the control messages, read with every
    /// length checked against the buffer.
    static func first(in control: UnsafeRawBufferPointer) -> ExtendedError? {
        let header = MemoryLayout<cmsghdr>.size
        let dataOffset = align(header)
        let errorSize = 16
        var offset = 0
        while offset + header <= control.count {
            let message = control.loadUnaligned(fromByteOffset: offset, as: cmsghdr.self)
            let length = Int(message.cmsg_len)
            guard length >= header, offset + length <= control.count else { return nil }
            let isError = (message.cmsg_level == Int32(IPPROTO_IP) && message.cmsg_type == IP_RECVERR)
                || (message.cmsg_level == Int32(IPPROTO_IPV6) && message.cmsg_type == IPV6_RECVERR)
            if isError, length >= dataOffset + errorSize {
                let base = offset + dataOffset
                let offenderLength = length - dataOffset - errorSize
                var offender: IPAddress?
                if offenderLength >= MemoryLayout<sa_family_t>.size, let raw = control.baseAddress {
                    offender = KernelAddress.read(raw + base + errorSize, length: socklen_t(offenderLength))?.address
                }
                return ExtendedError(errno: control.loadUnaligned(fromByteOffset: base, as: UInt32.self),
                                     origin: control[base + 4], type: control[base + 5], code: control[base + 6], offender: offender)
            }
            offset += align(length)
        }
        return nil
    }

    private static func align(_ length: Int) -> Int {
        let unit = MemoryLayout<Int>.size
        return (length + unit - 1) & ~(unit - 1)
    }
}
