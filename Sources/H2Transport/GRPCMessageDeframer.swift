/// Splits a streamed gRPC body into its messages as the bytes arrive: message boundaries are
/// unrelated to DATA frame boundaries (PROTOCOL-HTTP2.md), so one chunk may end inside a
/// prefix, hold the middle of a large message, or carry several messages.
///
/// Holds at most the message being assembled plus the rest of the last chunk appended: a
/// prefix declaring more than `maxMessageSize` fails at once, before any of its bytes are
/// kept (RESOURCE_EXHAUSTED). A compressed message is inflated when the stream's
/// `grpc-encoding` is gzip, with the same limit on what it inflates to; without a known
/// encoding it fails (INTERNAL). After a failure every call throws the same error.
///
/// ```swift
/// var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20)
/// deframer.append(chunk)
/// while let message = try deframer.next() { handle(message) }
/// try deframer.finish()  // at the end of the body: no message left half-received
/// ```
public struct GRPCMessageDeframer: Sendable {
    /// The largest message accepted, in bytes (without its prefix), compressed or inflated.
    public let maxMessageSize: Int
    /// The stream's `grpc-encoding`: how messages flagged compressed are inflated.
    public let encoding: String?
    /// Bytes received and not yet returned; those before `start` are already taken.
    private var buffer: [UInt8] = []
    private var start = 0
    /// The declared length of the message at `start`, once its prefix has been read.
    private var pendingLength: Int?
    /// Whether that message is flagged compressed.
    private var pendingCompressed = false
    private var failure: GRPCError?

    /// - Parameters:
    ///   - maxMessageSize: messages above it fail with RESOURCE_EXHAUSTED (for a client:
    ///     `ConnectionConfiguration.maxResponseBodySize`).
    ///   - encoding: the `grpc-encoding` header of the stream, if any.
    ///
    /// ```swift
    /// var deframer = GRPCMessageDeframer(maxMessageSize: configuration.maxResponseBodySize,
    ///                                    encoding: response.headers["grpc-encoding"])
    /// ```
    public init(maxMessageSize: Int = Int(UInt32.max), encoding: String? = nil) {
        self.maxMessageSize = max(0, maxMessageSize)
        self.encoding = encoding
    }

    /// Adds the next bytes of the body.
    ///
    /// ```swift
    /// deframer.append(chunk)
    /// ```
    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 0 && start >= buffer.count / 2 {
            // Taken bytes make up half the buffer: drop them, so it never grows past about twice
            // the message being assembled.
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message (without its prefix), or nil until more bytes arrive.
    ///
    /// ```swift
    /// while let message = try deframer.next() { handle(message) }
    /// ```
    public mutating func next() throws(GRPCError) -> [UInt8]? {
        if let failure { throw failure }
        let available = buffer.count - start
        let length: Int
        if let pendingLength {
            length = pendingLength
        } else {
            guard available >= GRPCWire.messagePrefixSize else { return nil }
            switch GRPCWire.declaredLength(
                flag: buffer[start], buffer[start + 1], buffer[start + 2], buffer[start + 3], buffer[start + 4],
                maxMessageSize: maxMessageSize
            ) {
            case .success(let declared):
                length = declared
                pendingLength = declared
                pendingCompressed = buffer[start] == 1
            case .failure(let error):
                failure = error
                buffer = []
                start = 0
                throw error
            }
        }
        // No room reserved for the declared length: a peer could declare the limit and send nothing.
        guard available >= GRPCWire.messagePrefixSize + length else { return nil }
        let messageStart = start + GRPCWire.messagePrefixSize
        let payload = Array(buffer[messageStart..<(messageStart + length)])
        start = messageStart + length
        pendingLength = nil
        switch GRPCWire.message(
            payload, compressed: pendingCompressed, encoding: encoding, maxMessageSize: maxMessageSize)
        {
        case .success(let message):
            return message
        case .failure(let error):
            failure = error
            buffer = []
            start = 0
            throw error
        }
    }

    /// True while bytes of a message not yet complete are held (the body must not end here).
    ///
    /// ```swift
    /// if deframer.hasPartialMessage { print("waiting for the rest") }
    /// ```
    public var hasPartialMessage: Bool { failure == nil && start < buffer.count }

    /// Checks the end of the body: throws INTERNAL when it stopped inside a message, and the
    /// earlier failure if there was one.
    ///
    /// ```swift
    /// try deframer.finish()
    /// ```
    public func finish() throws(GRPCError) {
        if let failure { throw failure }
        let available = buffer.count - start
        guard available > 0 else { return }
        if let pendingLength {
            throw GRPCError(
                code: .internal,
                message:
                    "stream ended inside a message: \(available - GRPCWire.messagePrefixSize) of \(pendingLength) bytes"
            )
        }
        throw GRPCError(code: .internal, message: "stream ended inside a message prefix (\(available) of 5 bytes)")
    }
}
