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

    private init(channel: ByteChannel, worker: BlockingWorker, configuration: ConnectionConfiguration, connectionID: Int, authority: String) {
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
        configuration.eventHandler?(ConnectionEvent(
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
                        socket: socket, context: context, serverName: tls.serverName ?? endpoint.host, verifiesPeer: tls.verifiesPeer
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
            report(.connectFailed(error.kind, message: error.message), ConnectionEvent.nextConnectionID(), endpoint.authority, configuration)
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
        if interrupted.compareExchange(expected: 0, desired: HTTP1Connection.closedByClient, ordering: .relaxed).exchanged {
            shutdown(channel.fd, Int32(SHUT_RDWR))
        }
    }

    /// Writes the request and reads the whole response on the worker thread.
    func exchange(
        _ message: [UInt8], isHead: Bool, deadline: ContinuousClock.Instant?
    ) async throws(TransportError) -> (HTTP2Response, keepAlive: Bool) {
        let deadlineSeconds = deadline.map { monotonicSeconds() + HTTP1Connection.seconds(until: $0) }
        let result: Result<(HTTP2Response, Bool), TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                worker.run { [self] in
                    do throws(TransportError) {
                        continuation.resume(returning: .success(try exchangeBlocking(message, isHead: isHead, deadline: deadlineSeconds)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            if interrupted.compareExchange(expected: 0, desired: HTTP1Connection.cancelledByTask, ordering: .relaxed).exchanged {
                shutdown(channel.fd, Int32(SHUT_RDWR))
            }
        }
        return try result.get()
    }

    // MARK: Worker thread

    private func exchangeBlocking(_ message: [UInt8], isHead: Bool, deadline: Double?) throws(TransportError) -> (HTTP2Response, Bool) {
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
                throw interruption() ?? TransportError(.connectionClosed, "the server closed the connection", isRetryable: true)
            }
        }
        var parser = HTTP1ResponseParser(
            isHeadRequest: isHead, maxBodySize: configuration.maxResponseBodySize,
            maxHeadSize: configuration.maxResponseHeaderListSize
        )
        while true {
            let status = try channel.read(into: readBuffer)
            switch status {
            case .done(let count):
                configuration.trafficCounter?.countReceived(count)
                parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
                if let (response, keepAlive) = try parser.parse() { return (response, keepAlive) }
            case .wouldBlock(let wantsWrite):
                try wait(forWriting: wantsWrite, deadline: deadline)
            case .closed:
                if let interruption = interruption() { throw interruption }
                return (try parser.endOfInput(), false)
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
