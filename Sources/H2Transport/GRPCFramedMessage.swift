/// One uncompressed message with its 5-byte gRPC prefix, ready to be a request's body.
///
/// Framing a message in place saves a copy of it: encode it after
/// ``GRPCWire/messagePrefixSize`` bytes of headroom (ProtoWire's `serializedBytes(headroom:)`)
/// and the prefix is written into that room. The channel then hands the same bytes to
/// nghttp2, which sends them from there.
///
/// ```swift
/// let framed = GRPCFramedMessage(headroomed: request.serializedBytes(headroom: GRPCWire.messagePrefixSize))!
/// let response = try await channel.unary(path: path, framed: framed, metadata: metadata)
/// ```
public struct GRPCFramedMessage: Sendable {
    /// The prefix (flag 0, the big-endian length) and the message.
    public let bytes: [UInt8]

    /// The message's size, without the prefix.
    public var messageCount: Int { bytes.count - GRPCWire.messagePrefixSize }

    /// Frames `message` by copying it behind a new prefix.
    ///
    /// ```swift
    /// let framed = GRPCFramedMessage(copying: message)
    /// ```
    public init(copying message: [UInt8]) {
        bytes = GRPCWire.frame(message)
    }

    /// Frames a message that follows ``GRPCWire/messagePrefixSize`` bytes of headroom, writing
    /// the prefix over that room (no copy when `body` is not shared); nil when `body` is
    /// shorter than the room or the message is over 4 GiB, which no prefix can state.
    ///
    /// ```swift
    /// let framed = GRPCFramedMessage(headroomed: [0, 0, 0, 0, 0, 8, 1])  // prefix 0 0 0 0 2
    /// ```
    public init?(headroomed body: consuming [UInt8]) {
        let length = body.count - GRPCWire.messagePrefixSize
        guard length >= 0, length <= Int(UInt32.max) else { return nil }
        // `consuming`: a caller's temporary is written in place, not copied on write.
        body[0] = 0
        body[1] = UInt8(truncatingIfNeeded: length >> 24)
        body[2] = UInt8(truncatingIfNeeded: length >> 16)
        body[3] = UInt8(truncatingIfNeeded: length >> 8)
        body[4] = UInt8(truncatingIfNeeded: length)
        bytes = body
    }

    /// The message alone (a copy), for compressing it.
    var message: [UInt8] { Array(bytes[GRPCWire.messagePrefixSize...]) }
}
