import Synchronization

/// Reads a streamed HTTP/1.1 body from its connection as the loop asks for it
/// (`HTTP1Channel.stream`). A body read to its end gives the connection back to the channel,
/// kept alive when the server allows; a loop that leaves early, fails, or passes the deadline
/// gets it closed: HTTP/1.1 has no other way to stop a response.
final class HTTP1StreamReader: ResponseBodyReader {
    private let connection: HTTP1Connection
    private let deadline: ContinuousClock.Instant?
    private let release: @Sendable (HTTP1Connection, _ reusable: Bool) -> Void
    /// How the body ended (its trailers, or the failure), once it has: the connection is then
    /// released, once.
    private let end = Mutex<Result<[HeaderField], TransportError>?>(nil)

    init(
        connection: HTTP1Connection, deadline: ContinuousClock.Instant?,
        release: @escaping @Sendable (HTTP1Connection, _ reusable: Bool) -> Void
    ) {
        self.connection = connection
        self.deadline = deadline
        self.release = release
    }

    func next() async throws(TransportError) -> [UInt8]? {
        if Task.isCancelled { cancel() }
        // The deadline bounds the whole body, even one whose bytes are already here.
        if let deadline, ContinuousClock.now >= deadline {
            finish(.failure(TransportError(.deadlineExceeded, "the stream's deadline passed")), reusable: false)
        }
        if let ended = end.withLock({ $0 }) { return try ended.map { _ in nil }.get() }
        let chunk: HTTP1Connection.BodyChunk
        do {
            chunk = try await connection.nextBodyChunk(deadline: deadline)
        } catch {
            // When `cancel()` came first, the closed connection is why: it says `.cancelled`.
            throw finish(.failure(error), reusable: false).failure ?? error
        }
        switch chunk {
        case .bytes(let bytes):
            return bytes
        case .end(let keepAlive, let trailers):
            return try finish(.success(trailers), reusable: keepAlive).map { _ in nil }.get()
        }
    }

    func cancel() {
        finish(.failure(TransportError(.cancelled, "the stream was cancelled")), reusable: false)
    }

    var trailers: [HeaderField]? {
        end.withLock { end in
            guard case .success(let trailers)? = end else { return nil }
            return trailers
        }
    }

    /// Records how the body ended, unless it already had, and releases the connection the first
    /// time; returns the ending that stands.
    @discardableResult
    private func finish(_ ending: Result<[HeaderField], TransportError>, reusable: Bool) -> Result<
        [HeaderField], TransportError
    > {
        let (first, standing) = end.withLock { end in
            if let end { return (false, end) }
            end = ending
            return (true, ending)
        }
        if first { release(connection, reusable) }
        return standing
    }
}

extension Result {
    /// The error of a failure, nil for a success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
