import Synchronization

/// A response whose body is read as it arrives: the status and headers are there at once, the
/// body comes as an `AsyncSequence` of byte chunks (as the DATA frames, or over HTTP/1.1 the
/// socket's reads, bring them), then the trailers. Made by `HTTP2Channel.stream`,
/// `HTTP2Connection.stream` or `HTTP1Channel.stream`.
///
/// **Flow control.** Over HTTP/2, bytes are acknowledged to the server (WINDOW_UPDATE) only as
/// the loop takes them, so a slow reader holds the server back: at most the stream's receive
/// window (`ConnectionConfiguration.initialWindowSize`, 4 MiB by default) waits here unread. The
/// connection's window is acknowledged at once, so one slow stream never stalls the others.
/// Over HTTP/1.1 the socket is read only as the loop asks, so TCP's window holds the server
/// back (what waits unread is the kernel's socket buffers).
///
/// **Ending early.** Leaving the loop (the iterator is dropped), dropping the stream unread,
/// cancelling the reading task or calling `cancel()` resets the stream (`RST_STREAM(CANCEL)`);
/// the connection goes on serving other calls. Over HTTP/1.1, which cannot stop a response
/// otherwise, the connection is closed instead; one read to its end goes back to the pool.
/// The deadline given when the stream was opened
/// bounds the whole body: when it passes the stream is reset and the loop throws
/// `.deadlineExceeded`. A failure (deadline, reset, lost connection) is thrown at once, before
/// any chunk still unread; a body that ended well is read to its end first.
///
/// One loop reads a stream; a second iterator made after the first was dropped finds the
/// stream cancelled.
///
/// ```swift
/// let response = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/stream"), deadline: deadline)
/// guard response.status == 200 else { … }
/// for try await chunk in response { lines.append(chunk) }
/// print(response.trailers ?? [])
/// ```
public struct HTTP2ResponseStream: AsyncSequence, Sendable {
    /// One chunk of the response body, as it arrived (chunk boundaries carry no meaning).
    public typealias Element = [UInt8]
    /// Every failure of the body is a `TransportError` (reset, deadline, cancellation, closed).
    public typealias Failure = TransportError

    /// The `:status` of the response.
    public let status: Int
    /// The response headers (without pseudo-headers).
    public let headers: [HeaderField]
    /// True when the response ended with its headers: no body and no trailers (gRPC's
    /// Trailers-Only form). The loop then ends at once.
    public let headersOnly: Bool
    private let handle: StreamHandle

    init(status: Int, headers: [HeaderField], headersOnly: Bool, reader: any ResponseBodyReader) {
        self.status = status
        self.headers = headers
        self.headersOnly = headersOnly
        handle = StreamHandle(reader)
    }

    /// The trailers once the body has been read to its end (an empty list when the server sent
    /// none); nil before, and after a failure.
    ///
    /// ```swift
    /// for try await _ in response {}
    /// let status = response.trailers?["grpc-status"]
    /// ```
    public var trailers: [HeaderField]? { handle.reader.trailers }

    /// Resets the stream now (`RST_STREAM(CANCEL)`) unless it has ended; the loop then throws
    /// `.cancelled`.
    ///
    /// ```swift
    /// response.cancel()  // no more chunks needed
    /// ```
    public func cancel() {
        handle.reader.cancel()
    }

    /// The loop's iterator.
    ///
    /// ```swift
    /// var iterator = response.makeAsyncIterator()
    /// while let chunk = try await iterator.next() { handle(chunk) }
    /// ```
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(token: IteratorToken(handle.reader))
    }

    /// Takes the body's chunks in order; dropping it before the end resets the stream.
    ///
    /// ```swift
    /// var iterator = response.makeAsyncIterator()
    /// let first = try await iterator.next()
    /// ```
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        /// One chunk of the response body, as it arrived (chunk boundaries carry no meaning).
        public typealias Element = [UInt8]
        /// A `TransportError`: the stream was reset, its deadline passed, the task was cancelled, or
        /// the connection closed.
        public typealias Failure = TransportError
        private let token: IteratorToken

        fileprivate init(token: IteratorToken) {
            self.token = token
        }

        /// The next chunk, nil at the end of the body; throws `TransportError` for a failure
        /// (`.cancelled` once the task is cancelled).
        ///
        /// ```swift
        /// while let chunk = try await iterator.next() { handle(chunk) }
        /// ```
        public mutating func next() async throws(TransportError) -> [UInt8]? {
            try await token.reader.next()
        }
    }
}

/// Where a streamed response's body comes from: an HTTP/2 stream (`ResponseStreamReader`), an
/// HTTP/1.1 connection (`HTTP1StreamReader`), or a body already read whole (`WholeBodyReader`).
protocol ResponseBodyReader: Sendable {
    /// The next chunk, nil at the end of the body.
    func next() async throws(TransportError) -> [UInt8]?
    /// Stops the body unless it has ended; `next()` then throws `.cancelled`.
    func cancel()
    /// The trailers once the body was read to its end, nil before and after a failure.
    var trailers: [HeaderField]? { get }
}

/// A body read whole, given as one chunk.
final class WholeBodyReader: ResponseBodyReader {
    private let state: Mutex<(body: [UInt8]?, trailers: [HeaderField], cancelled: Bool)>

    init(_ response: HTTP2Response) {
        state = Mutex((response.body.isEmpty ? nil : response.body, response.trailers, false))
    }

    func next() async throws(TransportError) -> [UInt8]? {
        try state.withLock { state throws(TransportError) in
            if state.cancelled { throw TransportError(.cancelled, "the stream was cancelled") }
            defer { state.body = nil }
            return state.body
        }
    }

    func cancel() {
        state.withLock { state in
            if state.body != nil { state.cancelled = true }
        }
    }

    var trailers: [HeaderField]? {
        state.withLock { $0.body == nil && !$0.cancelled ? $0.trailers : nil }
    }
}

/// What the reading side of a streamed HTTP/2 response does: take chunks, acknowledge them,
/// reset.
final class ResponseStreamReader: ResponseBodyReader {
    let call: PendingCall
    let body: ResponseBodyState
    private let io: ConnectionIO

    init(call: PendingCall, body: ResponseBodyState, io: ConnectionIO) {
        self.call = call
        self.body = body
        self.io = io
    }

    func next() async throws(TransportError) -> [UInt8]? {
        if Task.isCancelled { cancel() }
        let next = await withTaskCancellationHandler {
            await body.next()
        } onCancel: {
            cancel()
        }
        switch next {
        case .chunk(let chunk, let consume):
            if consume > 0 { io.submit(.consume(call, consume)) }
            return chunk
        case .end(.success):
            return nil
        case .end(.failure(let error)):
            throw error
        }
    }

    var trailers: [HeaderField]? { body.trailers }

    /// The reader fails at once; the I/O thread resets the stream.
    func cancel() {
        guard !body.hasEnded else { return }
        body.fail(TransportError(.cancelled, "the stream was cancelled"))
        io.submit(.cancel(call))
    }
}

/// Owned by the `HTTP2ResponseStream` values: the last one gone resets a stream not read to
/// its end.
private final class StreamHandle: Sendable {
    let reader: any ResponseBodyReader
    init(_ reader: any ResponseBodyReader) { self.reader = reader }
    deinit { reader.cancel() }
}

/// Owned by one iterator: the loop left early resets the stream, even while the stream value
/// itself is still in scope.
private final class IteratorToken: Sendable {
    let reader: any ResponseBodyReader
    init(_ reader: any ResponseBodyReader) { self.reader = reader }
    deinit { reader.cancel() }
}
