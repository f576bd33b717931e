/// A response body produced over time (a server-streaming call, a feed of JSON lines), which
/// the connection's I/O thread pulls from only when the client can take more.
///
/// **When it is pulled.** Over HTTP/2, only when the stream's and the connection's
/// flow-control windows have room (nghttp2 asks for DATA then), with `room` the bytes they
/// allow now; a client that reads slowly therefore holds the source back. What a pull returns
/// beyond `room` is kept and sent first (so the server holds at most the window in flight plus
/// one chunk). Over HTTP/1.1 the body goes out chunked, pulled while less than 64 KiB wait
/// unwritten. A client that resets the stream (or closes the connection) stops the pulling;
/// `onEnd` says how the body ended.
///
/// `pull` runs on the connection's I/O thread, which serves every stream of the connection:
/// it must return at once (never block), and answer `.wait` when it has nothing yet.
///
/// ```swift
/// let feed = MessageFeed()  // the application's own Sendable queue
/// let source = ServerBodySource { room in
///     if let message = feed.next() { return .bytes(GRPCWire.frame(message)) }
///     return feed.isFinished ? .end(trailers: [HeaderField("grpc-status", "0")]) : .wait(seconds: 0.05)
/// }
/// ```
public struct ServerBodySource: Sendable {
    /// What a pull gives.
    public enum Next: Sendable, Equatable {
        /// The next bytes of the body (any length; an empty array is the same as `.wait(0)`).
        case bytes([UInt8])
        /// Nothing yet: ask again after this many seconds (at least 1 ms), without holding up the
        /// connection's other streams. This is how a source paces its output.
        case wait(seconds: Double)
        /// The body is complete; the trailers follow it (HTTP/2; none when empty).
        case end(trailers: [HeaderField])
    }

    /// How a streamed body ended, told to `onEnd` once, on the I/O thread.
    public enum Ending: Sendable, Equatable {
        /// Everything up to `.end` was handed to the socket.
        case completed
        /// The client reset the stream (`RST_STREAM` with this HTTP/2 error code; CANCEL = 8)
        /// before the end was sent.
        case reset(errorCode: UInt32)
        /// The connection closed before the end was sent (the server stopped, the client went).
        case connectionClosed
    }

    let pull: @Sendable (_ room: Int) -> Next
    let onEnd: (@Sendable (Ending) -> Void)?

    /// - Parameters:
    ///   - onEnd: told once how the body ended (after which `pull` is never called again).
    ///   - pull: the next piece of the body; `room` is how many bytes the client can take now.
    ///
    /// ```swift
    /// let source = ServerBodySource(onEnd: { ending in print(ending) }) { room in .wait(seconds: 0.1) }
    /// ```
    public init(onEnd: (@Sendable (Ending) -> Void)? = nil, pull: @escaping @Sendable (_ room: Int) -> Next) {
        self.pull = pull
        self.onEnd = onEnd
    }
}
