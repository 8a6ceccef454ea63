/// How far reading a capture file got: every record read before the end, or before the damage that
/// stopped it.
public struct FileReadSummary: Sendable, Hashable {
    /// Records handed to the packet closure by this read.
    public var records: Int
    /// How far into the file libpcap had read when it stopped.
    public var bytesConsumed: Int64
    /// The file's size, nil for a pipe.
    public var fileSize: Int64?
    public var end: FileReadEnd

    public init(records: Int, bytesConsumed: Int64, fileSize: Int64?, end: FileReadEnd) {
        self.records = records
        self.bytesConsumed = bytesConsumed
        self.fileSize = fileSize
        self.end = end
    }

    /// Whether the whole file was read.
    public var isComplete: Bool { end == .endOfFile }

    /// What to tell the user when the file was not read to its end; nil when it was.
    public var problem: (english: String, indonesian: String)? {
        let size = fileSize.map { " of \($0)" } ?? ""
        let ukuran = fileSize.map { " dari \($0)" } ?? ""
        switch end {
        case .endOfFile:
            return nil
        case .stopped:
            return ("stopped on request after \(records) records (\(bytesConsumed)\(size) bytes read)",
                    "dihentikan atas permintaan setelah \(records) rekaman (\(bytesConsumed)\(ukuran) bita terbaca)")
        case .damaged(let record, let reason):
            return ("stopped at record \(record): \(reason); the \(records) records before it were read (\(bytesConsumed)\(size) bytes)",
                    "berhenti pada rekaman ke-\(record): \(reason); \(records) rekaman sebelumnya terbaca (\(bytesConsumed)\(ukuran) bita)")
        }
    }
}

/// Why reading a capture file ended.
public enum FileReadEnd: Sendable, Hashable {
    /// Every record was read.
    case endOfFile
    /// A ``CaptureStop`` ended it.
    case stopped
    /// libpcap could not read record `record` (1-based): a truncated record, a length that lies, a
    /// broken pcapng block. `reason` is libpcap's. Nothing after it is read.
    case damaged(record: Int, reason: String)
}

/// How far a file read has got, for a progress bar.
public struct ReadProgress: Sendable, Hashable {
    public var records: Int
    public var bytesConsumed: Int64
    /// nil for a pipe.
    public var fileSize: Int64?

    public init(records: Int, bytesConsumed: Int64, fileSize: Int64?) {
        self.records = records
        self.bytesConsumed = bytesConsumed
        self.fileSize = fileSize
    }

    /// 0…1, nil when the size is unknown.
    public var fraction: Double? {
        guard let fileSize, fileSize > 0 else { return nil }
        return min(1, Double(bytesConsumed) / Double(fileSize))
    }
}
