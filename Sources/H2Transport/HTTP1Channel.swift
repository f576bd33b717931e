import Foundation
import Synchronization

/// Requests to one endpoint over HTTP/1.1 keep-alive connections (TLS or plain): the REST
/// client's second wire, and the one most REST users compare against.
///
/// HTTP/1.1 carries one request at a time per connection, so the channel keeps a pool of up
/// to `configuration.maxHTTP1Connections`; a request beyond that waits for a free one, within
/// its deadline. A connection the server closed while it sat idle is detected before reuse,
/// and a request that got no byte of answer on a reused connection is sent once more on a
/// new one (the keep-alive race every HTTP/1.1 client has to handle).
///
/// ```swift
/// let channel = HTTP1Channel(endpoint: try Endpoint("https://api.clarifai.com"))
/// let response = try await channel.send(HTTP2Request(
///     method: "GET", path: "/v2/annotations", headers: [HeaderField("authorization", "Key \(pat)")]))
/// ```
public final class HTTP1Channel: HTTPRequestChannel {
    /// Where every request goes.
    public let endpoint: Endpoint
    /// How the channel's connections behave (`maxHTTP1Connections`, timeouts, TLS, limits).
    public let configuration: ConnectionConfiguration

    private struct Waiter {
        var id: Int
        /// Resumed with an idle connection, or nil: a slot is free, connect a new one.
        var continuation: CheckedContinuation<HTTP1Connection?, any Error>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var idle: [HTTP1Connection] = []
        /// Connections open or being opened: idle, busy, connecting.
        var slotsInUse = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var busy: [ObjectIdentifier: HTTP1Connection] = [:]
        var closed = false
    }
    private let state = Mutex(State())

    /// A channel to `endpoint`. Nothing connects yet: the first request opens the first
    /// connection, so this never throws; connection failures surface from `send` and `stream`.
    public init(endpoint: Endpoint, configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.endpoint = endpoint
        self.configuration = configuration
    }

    deinit {
        close()
    }

    /// Sends one request and waits for the whole response, whatever its status.
    ///
    /// Throws `TransportError`: `.deadlineExceeded` when `deadline` passes (the connection is
    /// then dropped), `.cancelled` when the task is cancelled, `.connectionClosed` and
    /// `.protocolError` for broken answers, `.responseTooLarge` beyond the configured limit.
    public func send(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws(TransportError)
        -> HTTP2Response
    {
        let message = HTTP1Message.request(request, authority: endpoint.authority, userAgent: configuration.userAgent)
        return try await onConnection(deadline: deadline) { connection, attempt throws(TransportError) in
            var (response, keepAlive) = try await connection.exchange(
                message, isHead: request.method == "HEAD", deadline: deadline)
            release(connection, reusable: keepAlive)
            response.wasResent = attempt > 1
            return response
        }
    }

    /// Sends one request and returns once the response's head is in; the body is read from the
    /// socket as the loop asks for it, so a slow loop holds the server back. The connection
    /// serves nothing else until the body has been read to its end (it then goes back to the
    /// pool) or the stream is dropped, cancelled or past its deadline (it is then closed).
    /// The body has no size limit: it is given away as it arrives.
    ///
    /// ```swift
    /// let response = try await channel.stream(HTTP2Request(method: "POST", path: path, body: json), deadline: deadline)
    /// for try await chunk in response { lines.append(chunk) }
    /// ```
    public func stream(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws(TransportError)
        -> HTTP2ResponseStream
    {
        let message = HTTP1Message.request(request, authority: endpoint.authority, userAgent: configuration.userAgent)
        return try await onConnection(deadline: deadline) { connection, _ throws(TransportError) in
            let head = try await connection.openStream(message, isHead: request.method == "HEAD", deadline: deadline)
            let reader = HTTP1StreamReader(connection: connection, deadline: deadline) { [self] connection, reusable in
                release(connection, reusable: reusable)
            }
            return HTTP2ResponseStream(status: head.status, headers: head.headers, headersOnly: false, reader: reader)
        }
    }

    /// Runs `exchange` on a pooled connection, which it releases when it succeeds (a failure
    /// drops the connection). A reused connection that the server closed before any byte of
    /// answer gets the request once more on a new one: the keep-alive race.
    private func onConnection<Value>(
        deadline: ContinuousClock.Instant?,
        _ exchange: (HTTP1Connection, _ attempt: Int) async throws(TransportError) -> Value
    ) async throws(TransportError) -> Value {
        var attempt = 0
        while true {
            attempt += 1
            let (connection, reused) = try await acquire(deadline: deadline)
            do throws(TransportError) {
                return try await exchange(connection, attempt)
            } catch {
                release(connection, reusable: false)
                if reused, attempt == 1, error.kind == .connectionClosed, error.isRetryable { continue }
                throw error
            }
        }
    }

    /// Closes every connection; requests in flight fail with `.closed`.
    public func close() {
        let (connections, waiters) = state.withLock { state in
            state.closed = true
            let connections = state.idle + state.busy.values
            state.idle = []
            let waiters = state.waiters
            state.waiters = []
            return (connections, waiters)
        }
        for connection in connections { connection.close() }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: TransportError(.closed, "the channel is closed"))
        }
    }

    /// Connections currently open (idle or busy), for tests and diagnostics.
    public var openConnectionCount: Int { state.withLock { $0.slotsInUse } }

    // MARK: The pool

    private enum Lease {
        case reuse(HTTP1Connection)
        case connect
        case wait
        case fail(TransportError)
    }

    private func acquire(deadline: ContinuousClock.Instant?) async throws(TransportError) -> (
        HTTP1Connection, reused: Bool
    ) {
        while true {
            let lease: Lease = state.withLock { state in
                if state.closed { return .fail(TransportError(.closed, "the channel is closed")) }
                if let connection = state.idle.popLast() {
                    state.busy[ObjectIdentifier(connection)] = connection
                    return .reuse(connection)
                }
                if state.slotsInUse < max(1, configuration.maxHTTP1Connections) {
                    state.slotsInUse += 1
                    return .connect
                }
                return .wait
            }
            switch lease {
            case .fail(let error):
                throw error
            case .reuse(let connection):
                if connection.isStale {
                    release(connection, reusable: false)
                    continue
                }
                return (connection, true)
            case .connect:
                return (try await connect(deadline: deadline), false)
            case .wait:
                if let connection = try await waitForConnection(deadline: deadline) {
                    if connection.isStale {
                        release(connection, reusable: false)
                        continue
                    }
                    return (connection, true)
                }
                return (try await connect(deadline: deadline), false)
            }
        }
    }

    /// Opens a connection in a slot already counted in `slotsInUse`.
    private func connect(deadline: ContinuousClock.Instant?) async throws(TransportError) -> HTTP1Connection {
        do throws(TransportError) {
            let connection = try await HTTP1Connection.connect(
                to: endpoint, configuration: configuration, deadline: deadline)
            let closed = state.withLock { state in
                if !state.closed { state.busy[ObjectIdentifier(connection)] = connection }
                return state.closed
            }
            if closed {
                connection.close()
                throw TransportError(.closed, "the channel is closed")
            }
            return connection
        } catch {
            freeSlot()
            throw error
        }
    }

    private func waitForConnection(deadline: ContinuousClock.Instant?) async throws(TransportError) -> HTTP1Connection?
    {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<HTTP1Connection?, any Error>) in
                    let timer = deadline.map { deadline in
                        Task { [weak self] in
                            try? await Task.sleep(until: deadline)
                            guard !Task.isCancelled else { return }
                            self?.removeWaiter(id)?.resume(
                                throwing: TransportError(.deadlineExceeded, "waiting for a free HTTP/1.1 connection"))
                        }
                    }
                    let refusal: TransportError? = state.withLock { state in
                        if state.closed { return TransportError(.closed, "the channel is closed") }
                        if Task.isCancelled { return TransportError(.cancelled, "the task was cancelled") }
                        state.waiters.append(Waiter(id: id, continuation: continuation, timer: timer))
                        return nil
                    }
                    if let refusal {
                        timer?.cancel()
                        continuation.resume(throwing: refusal)
                    }
                }
            } onCancel: {
                removeWaiter(id)?.resume(throwing: TransportError(.cancelled, "the task was cancelled"))
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.system, "\(error)")
        }
    }

    private func removeWaiter(_ id: Int) -> CheckedContinuation<HTTP1Connection?, any Error>? {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.timer?.cancel()
        return waiter?.continuation
    }

    /// Hands a connection to the first waiter, or back to the idle list; a connection that
    /// cannot be reused is closed and its slot handed on.
    private func release(_ connection: HTTP1Connection, reusable: Bool) {
        let handoff = state.withLock { state -> (Waiter, HTTP1Connection?)? in
            state.busy[ObjectIdentifier(connection)] = nil
            if reusable, !state.closed {
                if !state.waiters.isEmpty {
                    state.busy[ObjectIdentifier(connection)] = connection
                    return (state.waiters.removeFirst(), connection)
                }
                state.idle.append(connection)
                return nil
            }
            if !state.closed, !state.waiters.isEmpty { return (state.waiters.removeFirst(), nil) }
            state.slotsInUse -= 1
            return nil
        }
        if !reusable { connection.close() }
        if let (waiter, connection) = handoff {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: connection)
        }
    }

    private func freeSlot() {
        let waiter = state.withLock { state -> Waiter? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.slotsInUse -= 1
            return nil
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: nil)
    }
}
