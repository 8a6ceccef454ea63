import CPcap

/// Writes a pcap file through libpcap (`pcap_open_dead_with_tstamp_precision` + `pcap_dump`), for
/// tests and tools that need real capture files with known packets, of any link type.
/// libpcap writes pcap only, never pcapng.
public final class PcapDumpWriter {
    public let path: String
    public let linkType: LinkType
    public let snapshotLength: Int
    public let nanosecondTimestamps: Bool

    private let dead: OpaquePointer
    private var dumper: OpaquePointer?

    public static let snapshotLengths = 1...262_144

    /// Creates (or truncates) `path` and writes the file header.
    public init(path: String, linkType: LinkType, snapshotLength: Int = 262_144, nanosecondTimestamps: Bool = true) throws(PcapError) {
        guard Self.snapshotLengths.contains(snapshotLength) else {
            throw .setting("the snapshot length", given: "\(snapshotLength) bytes", allowed: "1–262144 bytes")
        }
        _ = PcapCall.initialised
        let precision = nanosecondTimestamps ? simpul_pcap_tstamp_precision_nano : simpul_pcap_tstamp_precision_micro
        guard let dead = pcap_open_dead_with_tstamp_precision(linkType.rawValue, Int32(snapshotLength), UInt32(precision)) else {
            throw .cannotWrite(path, "libpcap could not make a handle for link type \(linkType)")
        }
        guard let dumper = pcap_dump_open(dead, path) else {
            let detail = PcapCall.message(dead)
            pcap_close(dead)
            throw .cannotWrite(path, detail)
        }
        self.path = path
        self.linkType = linkType
        self.snapshotLength = snapshotLength
        self.nanosecondTimestamps = nanosecondTimestamps
        self.dead = dead
        self.dumper = dumper
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        pcap_close(dead)
    }

    /// Appends one record: its first `snapshotLength` bytes at most, `wireLength` (default: all of
    /// `bytes`) as its length on the wire. With microsecond timestamps the nanoseconds are truncated.
    public func write(_ bytes: UnsafeRawBufferPointer, seconds: Int64, nanoseconds: Int32 = 0, wireLength: Int? = nil) throws(PcapError) {
        guard let dumper else { throw .cannotWrite(path, "the writer is closed") }
        guard (0..<1_000_000_000).contains(nanoseconds) else {
            throw .setting("the nanoseconds", given: "\(nanoseconds)", allowed: "0–999999999")
        }
        let wire = wireLength ?? bytes.count
        guard (0...Int(UInt32.max)).contains(wire), seconds >= 0, seconds <= Int64(UInt32.max) else {
            throw .setting("the record", given: "at \(seconds) s, \(wire) bytes on the wire", allowed: "what a pcap record holds (32-bit seconds and lengths)")
        }
        let captured = min(bytes.count, snapshotLength)
        let fraction = nanosecondTimestamps ? Int(nanoseconds) : Int(nanoseconds) / 1000
        var header = pcap_pkthdr(ts: timeval(tv_sec: Int(seconds), tv_usec: fraction), caplen: UInt32(captured), len: UInt32(wire))
        let user = UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self)
        if let base = bytes.baseAddress {
            pcap_dump(user, &header, base.assumingMemoryBound(to: UInt8.self))
        } else {
            var empty: UInt8 = 0
            pcap_dump(user, &header, &empty)
        }
    }

    /// Appends one record from an array.
    public func write(_ bytes: [UInt8], seconds: Int64, nanoseconds: Int32 = 0, wireLength: Int? = nil) throws(PcapError) {
        // withUnsafeBytes rethrows untyped: carry the typed error out as a Result.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PcapError) in try write(raw, seconds: seconds, nanoseconds: nanoseconds, wireLength: wireLength) }
        }.get()
    }

    /// Flushes and closes the file; throws when the data did not reach it (a full disk). Writing after
    /// this throws; closing again does nothing.
    public func close() throws(PcapError) {
        guard let dumper else { return }
        self.dumper = nil
        let flushed = pcap_dump_flush(dumper)
        let file = pcap_dump_file(dumper)
        let failed = flushed != 0 || (file.map { ferror($0) != 0 } ?? false)
        pcap_dump_close(dumper)
        if failed { throw .cannotWrite(path, "the data could not be written (is the disk full?)") }
    }
}
