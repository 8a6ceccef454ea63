import NIOCore

/// DNS over TCP frames each message with its length as two bytes, big-endian (RFC 1035 4.2.2,
/// RFC 7766 8). Reads whole messages out of however the bytes arrive.
struct DNSFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = buffer.readLengthPrefixedSlice(as: UInt16.self) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A message cut off by the close is left over; the handler reports it as an error.
        try decode(context: context, buffer: &buffer)
    }
}

/// Puts the two-byte length in front of each message sent.
struct DNSFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    struct TooLong: Error {}

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard let length = UInt16(exactly: data.readableBytes) else { throw TooLong() }
        out.writeInteger(length)
        out.writeImmutableBuffer(data)
    }
}
