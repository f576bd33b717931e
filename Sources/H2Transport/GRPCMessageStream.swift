/// The response messages of a server-streaming call (`GRPCChannel.serverStreaming`), each
/// without its 5-byte prefix, yielded as they arrive; at the end the trailers' `grpc-status`
/// is judged as for a unary call: a non-OK status throws `GRPCError` (code, percent-decoded
/// message, headers, trailers), OK ends the loop.
///
/// **Bounded buffering.** Bytes are acknowledged to the server (WINDOW_UPDATE) only as the
/// loop takes them, so a slow loop holds the server back: at most the stream's receive window
/// (`ConnectionConfiguration.initialWindowSize`, 4 MiB by default) waits unread, plus the
/// message being assembled and the rest of the DATA frame it arrived in (16 KiB). Each message
/// is limited by `ConnectionConfiguration.maxResponseBodySize`: a larger one ends the stream
/// with RESOURCE_EXHAUSTED as soon as its prefix arrives, without being buffered. A compressed
/// message ends it with INTERNAL (no compression is negotiated).
///
/// **Ending early.** Leaving the loop (`break`, a thrown error: the iterator is dropped),
/// cancelling the reading task, dropping the stream unread or calling `cancel()` resets the
/// stream with `RST_STREAM(CANCEL)`; the connection keeps serving other calls. When the call's
/// timeout passes, the stream is reset and the loop throws DEADLINE_EXCEEDED (at once, before
/// messages still unread). One loop reads a stream.
///
/// ```swift
/// let stream = try await channel.serverStreaming(path: "/pkg.Service/Watch", request: bytes, timeout: .seconds(30))
/// print(stream.headers)
/// for try await message in stream { handle(message) }
/// print(stream.trailers ?? [])
/// ```
public struct GRPCMessageStream: AsyncSequence, Sendable {
    /// One response message's serialized bytes, without the 5-byte gRPC prefix.
    public typealias Element = [UInt8]
    /// Every failure of the stream is a `GRPCError`: the server's non-OK status, or a local one.
    public typealias Failure = GRPCError

    /// The response headers (initial metadata).
    public let headers: [HeaderField]
    private let source: Source
    private let maxMessageSize: Int

    private enum Source: Sendable {
        case http(HTTP2ResponseStream)
        /// Judged before any message was read: Trailers-Only OK, or an answer read whole.
        case finished([[UInt8]], trailers: [HeaderField])
    }

    init(_ response: HTTP2ResponseStream, maxMessageSize: Int) {
        headers = response.headers
        source = .http(response)
        self.maxMessageSize = maxMessageSize
    }

    init(finished messages: [[UInt8]], headers: [HeaderField], trailers: [HeaderField]) {
        self.headers = headers
        source = .finished(messages, trailers: trailers)
        maxMessageSize = .max
    }

    /// The trailing metadata once the server's trailers have arrived and the loop took every
    /// message (`grpc-status` and `grpc-message` included), whatever the status; nil before,
    /// and when the stream ended without trailers (a reset, a lost connection, a deadline). A
    /// non-OK status's `GRPCError` carries them too.
    ///
    /// ```swift
    /// for try await message in stream { handle(message) }
    /// let echoed = stream.trailers?["x-echo"]
    /// ```
    public var trailers: [HeaderField]? {
        switch source {
        case .http(let response): response.trailers
        case .finished(_, let trailers): trailers
        }
    }

    /// Ends the call now: the stream is reset (`RST_STREAM(CANCEL)`) unless it has ended, and
    /// the loop throws CANCELLED.
    ///
    /// ```swift
    /// stream.cancel()
    /// ```
    public func cancel() {
        if case .http(let response) = source { response.cancel() }
    }

    /// The loop's iterator.
    ///
    /// ```swift
    /// var iterator = stream.makeAsyncIterator()
    /// while let message = try await iterator.next() { handle(message) }
    /// ```
    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .http(let response):
            AsyncIterator(response: response, chunks: response.makeAsyncIterator(), maxMessageSize: maxMessageSize)
        case .finished(let messages, _):
            AsyncIterator(messages: messages)
        }
    }

    /// Takes the messages in order; dropping it before the end resets the stream.
    ///
    /// ```swift
    /// var iterator = stream.makeAsyncIterator()
    /// let first = try await iterator.next()
    /// ```
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        /// One response message's serialized bytes, without the 5-byte gRPC prefix.
        public typealias Element = [UInt8]
        /// A `GRPCError`: the server's non-OK status in the trailers, or a local failure.
        public typealias Failure = GRPCError

        private let response: HTTP2ResponseStream?
        private var chunks: HTTP2ResponseStream.AsyncIterator?
        private var deframer: GRPCMessageDeframer
        private var ready: [[UInt8]]
        private var done = false

        fileprivate init(response: HTTP2ResponseStream, chunks: HTTP2ResponseStream.AsyncIterator, maxMessageSize: Int)
        {
            self.response = response
            self.chunks = chunks
            deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize, encoding: response.headers["grpc-encoding"])
            ready = []
        }

        fileprivate init(messages: [[UInt8]]) {
            response = nil
            chunks = nil
            deframer = GRPCMessageDeframer()
            ready = messages.reversed()
        }

        /// The next message, nil once the stream ended with status OK; throws `GRPCError` for
        /// a non-OK status and for every local failure (DEADLINE_EXCEEDED, CANCELLED,
        /// RESOURCE_EXHAUSTED, UNAVAILABLE for a lost connection, …).
        ///
        /// ```swift
        /// while let message = try await iterator.next() { handle(message) }
        /// ```
        public mutating func next() async throws(GRPCError) -> [UInt8]? {
            guard !done else { return nil }
            guard let response else {
                if let message = ready.popLast() { return message }
                done = true
                return nil
            }
            while true {
                do {
                    if let message = try deframer.next() { return message }
                } catch {
                    // Too large, or compressed: nothing more of this stream is wanted.
                    done = true
                    response.cancel()
                    chunks = nil
                    throw withHeaders(error, response)
                }
                let chunk: [UInt8]?
                do {
                    chunk = try await chunks?.next()
                } catch {
                    done = true
                    chunks = nil
                    throw withHeaders(GRPCError(error), response)
                }
                guard let chunk else {
                    done = true
                    chunks = nil
                    try deframer.finish()
                    if let error = GRPCChannel.status(
                        httpStatus: response.status, headers: response.headers, trailers: response.trailers ?? [],
                        headersOnly: false
                    ) {
                        throw error
                    }
                    return nil
                }
                deframer.append(chunk)
            }
        }

        private func withHeaders(_ error: GRPCError, _ response: HTTP2ResponseStream) -> GRPCError {
            var error = error
            if error.headers.isEmpty { error.headers = response.headers }
            return error
        }
    }
}
