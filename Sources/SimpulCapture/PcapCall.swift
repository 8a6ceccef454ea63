import CPcap

/// libpcap's calls checked in one place: a return code becomes a ``PcapError`` (or libpcap's own
/// words for it), and one packet's header becomes a ``Packet`` without allocating.
enum PcapCall {
    /// libpcap's last error on `handle`, trimmed.
    static func message(_ handle: OpaquePointer) -> String {
        trimmed(String(cString: pcap_geterr(handle)))
    }

    /// `body` with an error buffer of PCAP_ERRBUF_SIZE; returns the result and what libpcap wrote.
    static func withErrorBuffer<T>(_ body: (UnsafeMutablePointer<CChar>) -> T) -> (T, String) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(simpul_pcap_errbuf_size)) { buffer in
            buffer.initialize(repeating: 0)
            let result = body(buffer.baseAddress!)
            return (result, trimmed(String(cString: buffer.baseAddress!)))
        }
    }

    /// A `pcap_set_*` or `pcap_setfilter` result: 0 is success, anything else is `failure(message)`.
    static func check(_ result: Int32, _ handle: OpaquePointer, _ failure: (String) -> PcapError) throws(PcapError) {
        guard result != 0 else { return }
        throw failure(result == simpul_pcap_error ? message(handle) : describe(result, handle))
    }

    /// libpcap's words for a return code (`pcap_statustostr`), with its last error when that says more.
    static func describe(_ code: Int32, _ handle: OpaquePointer?) -> String {
        let status = String(cString: pcap_statustostr(code))
        guard let handle else { return status }
        let last = message(handle)
        return last.isEmpty ? status : "\(status): \(last)"
    }

    /// `pcap_init` once per process, so libpcap's messages come in UTF-8 (libpcap 1.10 and later).
    static let initialised: Void = {
        _ = withErrorBuffer { pcap_init(UInt32(PCAP_CHAR_ENC_UTF_8), $0) }
    }()

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == " " || last == "\r" { text = text.dropLast() }
        return String(text)
    }

    /// The packet libpcap just returned, its timestamp in nanoseconds (`scale` is 1 for a handle with
    /// nanosecond precision, 1000 for microseconds).
    @inline(__always)
    static func packet(_ header: UnsafePointer<pcap_pkthdr>, _ data: UnsafePointer<UInt8>?, scale: Int64, linkType: LinkType) -> Packet {
        let seconds = Int64(header.pointee.ts.tv_sec)
        let fraction = Int64(header.pointee.ts.tv_usec) &* scale
        let length = Int(header.pointee.caplen)
        let timestamp: (Int64, Int64) = fraction >= 0 && fraction < 1_000_000_000
            ? (seconds, fraction)
            // A damaged file's fraction past a second: carried into the seconds, never shown as more.
            : (seconds &+ fraction / 1_000_000_000 - (fraction % 1_000_000_000 < 0 ? 1 : 0),
               (fraction % 1_000_000_000 + 1_000_000_000) % 1_000_000_000)
        return Packet(
            header: PacketHeader(seconds: timestamp.0, nanoseconds: Int32(truncatingIfNeeded: timestamp.1),
                                 capturedLength: length, wireLength: Int(header.pointee.len)),
            bytes: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length),
            linkType: linkType)
    }

    /// What the C callback of `pcap_dispatch` calls for each packet.
    typealias Handler = (UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>?) -> Void

    /// `body` with a pointer to `handler` that ``dispatch(_:count:_:)`` hands to libpcap as its user
    /// data: the closure never escapes, and nothing is allocated per packet.
    static func withHandler<R>(_ handler: Handler, _ body: (Unmanaged<HandlerBox>) -> R) -> R {
        withoutActuallyEscaping(handler) { escapable in
            let box = HandlerBox(call: escapable)
            return withExtendedLifetime(box) { body(Unmanaged.passUnretained(box)) }
        }
    }

    /// The handler behind libpcap's user pointer: one object per read, borrowed (never retained)
    /// for each packet.
    final class HandlerBox {
        let call: Handler
        init(call: @escaping Handler) { self.call = call }
    }

    /// `pcap_dispatch` over up to `count` packets (-1: what the kernel's buffer holds), each handed to
    /// `handler`. Measured against `pcap_next_ex` in a loop (scripts/bench): a callback per batch is
    /// the faster of the two, faster even than a C loop over `pcap_next_ex`.
    @inline(__always)
    static func dispatch(_ handle: OpaquePointer, count: Int32, _ handler: Unmanaged<HandlerBox>) -> Int32 {
        pcap_dispatch(handle, count, trampoline, handler.toOpaque().assumingMemoryBound(to: UInt8.self))
    }

    private static let trampoline: pcap_handler = { user, header, data in
        guard let user, let header else { return }
        Unmanaged<HandlerBox>.fromOpaque(user)._withUnsafeGuaranteedRef { $0.call(header, data) }
    }
}
