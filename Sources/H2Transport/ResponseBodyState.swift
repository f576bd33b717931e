import Synchronization

/// The response of a streamed call as it arrives, shared by the connection's I/O thread (which
/// delivers the head, the DATA chunks and the end) and the one reader (which takes them).
///
/// Flow control: a chunk the reader takes at once (it was waiting) is acknowledged at once on
/// the I/O thread; a chunk that waits in the queue is acknowledged when the reader takes it,
/// in batches of `consumeBatch` bytes (a quarter of the stream's window, so the I/O thread is
/// woken once per batch, not once per chunk). The server's window thus shrinks by what waits
/// in the queue: it can be at most the stream's receive window ahead of the reader.
/// nghttp2 itself sends WINDOW_UPDATE only once half the window is consumed; with at most a
/// quarter held back here, a waiting reader always leaves the server a quarter of the window
/// (no stall).
final class ResponseBodyState: Sendable {
    /// What arrives first: `:status` and headers; `endsStream` when they came with END_STREAM
    /// (no body, no trailers: gRPC's Trailers-Only form).
    struct Head: Sendable {
        var status: Int
        var headers: [HeaderField]
        var endsStream: Bool
    }

    /// What the reader gets on asking for the next chunk.
    enum Next {
        case chunk([UInt8], consume: Int)
        case end(Result<[HeaderField], TransportError>)
    }

    fileprivate struct State {
        var headWaiter: CheckedContinuation<Head, Error>?
        var head: Head?
        var chunks: [[UInt8]] = []
        var chunkStart = 0
        /// The trailers once the stream ended, or why it failed; a local failure (deadline,
        /// cancellation, reset) drops the chunks still queued.
        var end: Result<[HeaderField], TransportError>?
        var waiter: CheckedContinuation<Next, Never>?
        /// Bytes taken from the queue and not yet acknowledged.
        var taken = 0
        var finished = false
    }

    private let state = Mutex(State())
    /// Bytes taken before the I/O thread is asked to acknowledge them.
    let consumeBatch: Int
    /// Called once, on the I/O thread, when nghttp2 is done with the stream (the pool counts
    /// the stream as load until then).
    private let onFinish: @Sendable () -> Void

    init(windowSize: UInt32, onFinish: @escaping @Sendable () -> Void) {
        consumeBatch = max(1, Int(windowSize) / 4)
        self.onFinish = onFinish
    }

    // MARK: I/O thread

    func deliverHead(_ head: Head) {
        let waiter = state.withLock { state -> CheckedContinuation<Head, Error>? in
            guard state.head == nil, state.end == nil else { return nil }
            state.head = head
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: head)
    }

    /// Queues a chunk, or hands it to the waiting reader. Returns true when the reader took it
    /// at once: the caller acknowledges its bytes now. A chunk after a local failure is dropped
    /// (and true: nobody will take it).
    func deliver(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let chunk = [UInt8](bytes)
        let (waiter, handled) = state.withLock { state -> (CheckedContinuation<Next, Never>?, Bool) in
            guard state.end == nil else { return (nil, true) }
            guard let waiter = state.waiter else {
                state.chunks.append(chunk)
                return (nil, false)
            }
            state.waiter = nil
            return (waiter, true)
        }
        waiter?.resume(returning: .chunk(chunk, consume: 0))
        return handled
    }

    /// The stream is over: the trailers (an empty list when there were none), or the failure.
    func finish(_ result: Result<HTTP2Response, Error>) {
        let outcome = result.map(\.trailers).mapError(ResponseBodyState.transportError)
        let (headWaiter, head, waiter, next, first) = state.withLock { state in
            let first = !state.finished
            state.finished = true
            var head: Result<Head, Error>?
            if state.head == nil {
                switch result {
                case .success(let response):
                    let delivered = Head(
                        status: response.status, headers: response.headers, endsStream: response.headersOnly)
                    state.head = delivered
                    head = .success(delivered)
                case .failure(let error):
                    head = .failure(error)
                }
            }
            let headWaiter = state.headWaiter
            state.headWaiter = nil
            if state.end == nil {
                state.end = outcome
                if case .failure = outcome { state.dropChunks() }
            }
            // A waiting reader has taken every chunk: it gets the end.
            let waiter = state.waiter
            state.waiter = nil
            return (headWaiter, head, waiter, waiter == nil ? nil : state.take(batch: consumeBatch), first)
        }
        if let headWaiter, let head { headWaiter.resume(with: head) }
        if let waiter, let next { waiter.resume(returning: next) }
        if first { onFinish() }
    }

    /// A local failure (deadline, cancellation, a limit): the reader learns it at once, before
    /// any chunk still queued.
    func fail(_ error: TransportError) {
        let (headWaiter, waiter) = state.withLock {
            state -> (CheckedContinuation<Head, Error>?, CheckedContinuation<Next, Never>?) in
            guard state.end == nil else { return (nil, nil) }
            state.end = .failure(error)
            state.dropChunks()
            defer {
                state.headWaiter = nil
                state.waiter = nil
            }
            return (state.head == nil ? state.headWaiter : nil, state.waiter)
        }
        headWaiter?.resume(throwing: error)
        waiter?.resume(returning: .end(.failure(error)))
    }

    private static func transportError(_ error: Error) -> TransportError {
        (error as? TransportError) ?? TransportError(.system, "\(error)")
    }

    // MARK: The reader

    /// Waits for the head (the caller resets the stream when its task is cancelled).
    func head() async throws -> Head {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Head, Error>? in
                if let head = state.head { return .success(head) }
                if case .failure(let error) = state.end { return .failure(error) }
                state.headWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The next chunk with the bytes to acknowledge now (0 until a batch is complete), or the
    /// end; waits while neither has arrived.
    func next() async -> Next {
        if let ready = state.withLock({ $0.take(batch: consumeBatch) }) { return ready }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Next? in
                if let ready = state.take(batch: consumeBatch) { return ready }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The trailers, once the stream ended well.
    var trailers: [HeaderField]? {
        state.withLock { state in
            guard state.chunkStart == state.chunks.count, case .success(let trailers) = state.end else { return nil }
            return trailers
        }
    }

    /// True once the stream ended or failed: nothing is left to reset.
    var hasEnded: Bool { state.withLock { $0.end != nil } }
}

extension ResponseBodyState.State {
    mutating func dropChunks() {
        chunks = []
        chunkStart = 0
    }

    /// The next queued chunk (and the bytes to acknowledge once `batch` bytes were taken), or
    /// the end once the queue is empty; nil while there is neither.
    mutating func take(batch: Int) -> ResponseBodyState.Next? {
        guard chunkStart < chunks.count else { return end.map { .end($0) } }
        let chunk = chunks[chunkStart]
        chunks[chunkStart] = []  // the queue must not keep what the reader took
        chunkStart += 1
        if chunkStart == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            chunkStart = 0
        } else if chunkStart >= 64 && chunkStart * 2 >= chunks.count {
            chunks.removeFirst(chunkStart)
            chunkStart = 0
        }
        taken += chunk.count
        var consume = 0
        if taken >= batch {
            consume = taken
            taken = 0
        }
        return .chunk(chunk, consume: consume)
    }
}
