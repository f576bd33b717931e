import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 connection (TLS or plain) and the thread that does its blocking I/O, so that
/// no cooperative thread of Swift concurrency ever waits on a socket. `HTTP1Channel` gives it
/// one request at a time.
final class HTTP1Connection: @unchecked Sendable {
    private let channel: ByteChannel
    private let worker: BlockingWorker
    private let configuration: ConnectionConfiguration
    /// Set by `close()` and by cancellation, read by the worker between polls.
    private let interrupted = Atomic<Int>(0)
    private static let closedByClient = 1
    private static let cancelledByTask = 2
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
    /// Names the connection in its `ConnectionEvent`s.
    private let connectionID: Int
    private let authority: String

    private init(
        channel: ByteChannel, worker: BlockingWorker, configuration: ConnectionConfiguration, connectionID: Int,
        authority: String
    ) {
        self.channel = channel
        self.worker = worker
        self.configuration = configuration
        self.connectionID = connectionID
        self.authority = authority
        HTTP1Connection.report(.opened(maxConcurrentStreams: 1), connectionID, authority, configuration)
    }

    deinit {
        worker.stop()
        readBuffer.deallocate()
        // The channel drops a connection it cannot reuse, or closes it: it ends here either way.
        HTTP1Connection.report(.closed(reason: nil, message: ""), connectionID, authority, configuration)
    }

    private static func report(
        _ kind: ConnectionEvent.Kind, _ connectionID: Int, _ authority: String, _ configuration: ConnectionConfiguration
    ) {
        configuration.eventHandler?(
            ConnectionEvent(
                connectionID: connectionID, authority: authority, protocolName: "http/1.1", kind: kind
            ))
    }

    /// Connects (TCP, then TLS offering ALPN `http/1.1` for `https`) on a new worker thread.
    static func connect(
        to endpoint: Endpoint, configuration: ConnectionConfiguration, deadline: ContinuousClock.Instant?
    ) async throws(TransportError) -> HTTP1Connection {
        let worker = BlockingWorker(name: "http1 \(endpoint.authority)")
        // One budget for TCP and TLS: the connect timeout, or the call's deadline when sooner.
        let callBudget = deadline.map(HTTP1Connection.seconds(until:)) ?? .infinity
        let timeout = min(configuration.connectTimeout, callBudget)
        let connectDeadline = monotonicSeconds() + timeout
        let result: Result<ByteChannel, TransportError> = await withCheckedContinuation { continuation in
            worker.run {
                do throws(TransportError) {
                    guard timeout > 0 else { throw TransportError(.deadlineExceeded, "before connecting") }
                    let socket = try TCPSocket.connect(to: endpoint, configuration: configuration, timeout: timeout)
                    guard endpoint.usesTLS else {
                        continuation.resume(returning: .success(PlainChannel(socket)))
                        return
                    }
                    let tls = configuration.tls
                    let context = try TLSContext(configuration: tls, alpn: ["http/1.1"])
                    let channel = try TLSChannel(
                        socket: socket, context: context, serverName: tls.serverName ?? endpoint.host,
                        verifiesPeer: tls.verifiesPeer
                    )
                    try channel.handshake(timeout: connectDeadline - monotonicSeconds(), requiredProtocol: nil)
                    if let selected = channel.negotiatedProtocol, selected != "http/1.1" {
                        throw TransportError(.alpnMismatch, "the server selected '\(selected)' in ALPN, not http/1.1")
                    }
                    continuation.resume(returning: .success(channel))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        switch result {
        case .success(let channel):
            return HTTP1Connection(
                channel: channel, worker: worker, configuration: configuration,
                connectionID: ConnectionEvent.nextConnectionID(), authority: endpoint.authority
            )
        case .failure(let error):
            worker.stop()
            report(
                .connectFailed(error.kind, message: error.message), ConnectionEvent.nextConnectionID(),
                endpoint.authority, configuration)
            // The call's deadline, not the connect timeout, cut the connect short: say so.
            if callBudget <= configuration.connectTimeout, let deadline, ContinuousClock.now >= deadline {
                throw TransportError(.deadlineExceeded, "while connecting (\(error))")
            }
            throw error
        }
    }

    /// True when the server closed the idle connection (or sent something unasked): it must
    /// not carry another request.
    var isStale: Bool {
        if channel.hasBufferedInput || channel.mayHaveBufferedInput { return true }
        var pollFD = pollfd(fd: channel.fd, events: Int16(POLLIN), revents: 0)
        return poll(&pollFD, 1, 0) != 0
    }

    /// Closes the connection; a request in flight fails with `.closed`.
    func close() {
        if interrupted.compareExchange(expected: 0, desired: HTTP1Connection.closedByClient, ordering: .relaxed)
            .exchanged
        {
            shutdown(channel.fd, Int32(SHUT_RDWR))
        }
    }

    /// Writes the request and reads the whole response on the worker thread.
    func exchange(
        _ message: [UInt8], isHead: Bool, deadline: ContinuousClock.Instant?
    ) async throws(TransportError) -> (HTTP2Response, keepAlive: Bool) {
        try await onWorker(deadline: deadline) { [self] deadline throws(TransportError) in
            try write(message, deadline: deadline)
            var parser = HTTP1ResponseParser(
                isHeadRequest: isHead, maxBodySize: configuration.maxResponseBodySize,
                maxHeadSize: configuration.maxResponseHeaderListSize
            )
            while true {
                if let (response, keepAlive) = try parser.parse() { return (response, keepAlive) }
                guard try read(into: &parser, deadline: deadline) else { return (try parser.endOfInput(), false) }
            }
        }
    }

    /// What `nextBodyChunk` found: bytes of the body, or its end.
    enum BodyChunk: Sendable {
        case bytes([UInt8])
        case end(keepAlive: Bool, trailers: [HeaderField])
    }

    /// The parser of a response whose body is being streamed; used on the worker thread only.
    private var streamParser: HTTP1ResponseParser?

    /// Writes the request and reads the response up to the end of its head, on the worker
    /// thread; `nextBodyChunk` then reads the body as the caller asks for it, so a slow caller
    /// holds the server back by TCP's own flow control. The body has no size limit: it is
    /// given away as it arrives.
    func openStream(
        _ message: [UInt8], isHead: Bool, deadline: ContinuousClock.Instant?
    ) async throws(TransportError) -> (status: Int, headers: [HeaderField]) {
        try await onWorker(deadline: deadline) { [self] deadline throws(TransportError) in
            try write(message, deadline: deadline)
            var parser = HTTP1ResponseParser(
                isHeadRequest: isHead, maxBodySize: .max, maxHeadSize: configuration.maxResponseHeaderListSize
            )
            while true {
                if let head = try parser.parseStreamHead() {
                    streamParser = parser
                    return head
                }
                guard try read(into: &parser, deadline: deadline) else {
                    throw TransportError(
                        .connectionClosed, "the server closed the connection before the response was complete",
                        isRetryable: parser.receivedCount == 0
                    )
                }
            }
        }
    }

    /// The next bytes of the body `openStream` began (never empty), or its end; reads the
    /// socket only when nothing is left from the last read.
    func nextBodyChunk(deadline: ContinuousClock.Instant?) async throws(TransportError) -> BodyChunk {
        try await onWorker(deadline: deadline) { [self] deadline throws(TransportError) in
            guard var parser = streamParser else { return .end(keepAlive: false, trailers: []) }
            // Moved out while it changes: a copy left behind would copy its buffer on each read.
            streamParser = nil
            while true {
                let (bytes, isComplete) = try parser.takeBody()
                if !bytes.isEmpty {
                    streamParser = parser
                    return .bytes(bytes)
                }
                if isComplete { return .end(keepAlive: parser.keepsAlive, trailers: parser.trailers) }
                if try !read(into: &parser, deadline: deadline) { try parser.closeInput() }
            }
        }
    }

    /// Runs `job` on the worker thread with the deadline in monotonic seconds; cancelling the
    /// task shuts the socket down, which wakes the job's poll.
    private func onWorker<Value: Sendable>(
        deadline: ContinuousClock.Instant?, _ job: @escaping @Sendable (Double?) throws(TransportError) -> Value
    ) async throws(TransportError) -> Value {
        let deadlineSeconds = deadline.map { monotonicSeconds() + HTTP1Connection.seconds(until: $0) }
        let result: Result<Value, TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                worker.run {
                    do throws(TransportError) {
                        continuation.resume(returning: .success(try job(deadlineSeconds)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            if interrupted.compareExchange(expected: 0, desired: HTTP1Connection.cancelledByTask, ordering: .relaxed)
                .exchanged
            {
                shutdown(channel.fd, Int32(SHUT_RDWR))
            }
        }
        return try result.get()
    }

    // MARK: Worker thread

    private func write(_ message: [UInt8], deadline: Double?) throws(TransportError) {
        var offset = 0
        while offset < message.count {
            // Typed throws inside withUnsafeBytes crash Swift 6.3: carry the error in a Result.
            let outcome: Result<IOStatus, TransportError> = message.withUnsafeBytes { bytes in
                do throws(TransportError) {
                    return .success(try channel.write(UnsafeRawBufferPointer(rebasing: bytes[offset...])))
                } catch {
                    return .failure(error)
                }
            }
            switch try outcome.get() {
            case .done(let count):
                offset += count
                configuration.trafficCounter?.countSent(count)
            case .wouldBlock(let wantsWrite):
                try wait(forWriting: wantsWrite, deadline: deadline)
            case .closed:
                throw interruption()
                    ?? TransportError(.connectionClosed, "the server closed the connection", isRetryable: true)
            }
        }
    }

    /// Reads what the socket has into the parser, waiting for it; false when the server closed
    /// the connection (an interruption by `close()` or cancellation is thrown instead).
    private func read(into parser: inout HTTP1ResponseParser, deadline: Double?) throws(TransportError) -> Bool {
        while true {
            switch try channel.read(into: readBuffer) {
            case .done(let count):
                configuration.trafficCounter?.countReceived(count)
                parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
                return true
            case .wouldBlock(let wantsWrite):
                try wait(forWriting: wantsWrite, deadline: deadline)
            case .closed:
                if let interruption = interruption() { throw interruption }
                return false
            }
        }
    }

    /// Polls until the socket is ready, the deadline passes, or `close()`/cancellation shut
    /// the socket down (which wakes the poll).
    private func wait(forWriting: Bool, deadline: Double?) throws(TransportError) {
        if let interruption = interruption() { throw interruption }
        var timeout: Int32 = -1
        if let deadline {
            let remaining = deadline - monotonicSeconds()
            guard remaining > 0 else { throw TransportError(.deadlineExceeded, "") }
            timeout = Int32(min(remaining * 1000 + 1, Double(Int32.max)))
        }
        var pollFD = pollfd(fd: channel.fd, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
        let ready = poll(&pollFD, 1, timeout)
        if ready == 0 { throw TransportError(.deadlineExceeded, "") }
        if let interruption = interruption() { throw interruption }
    }

    private func interruption() -> TransportError? {
        switch interrupted.load(ordering: .relaxed) {
        case HTTP1Connection.closedByClient: TransportError(.closed, "the connection was closed")
        case HTTP1Connection.cancelledByTask: TransportError(.cancelled, "the task was cancelled")
        default: nil
        }
    }

    private static func seconds(until deadline: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: deadline).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// A thread that runs the blocking jobs given to it, one after the other.
final class BlockingWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopped = false

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.stackSize = 512 << 10
        thread.start()
    }

    func run(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs already given have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
