import Foundation
import Synchronization

/// Requests to one endpoint over one shared HTTP/2 connection (TLS or h2c), reconnecting with
/// gRPC's connection backoff when it fails or the server sends GOAWAY. `GRPCChannel` frames
/// gRPC calls on top of it; the REST client sends its JSON requests through it directly.
///
/// ```swift
/// let channel = HTTP2Channel(endpoint: try Endpoint("h2c://127.0.0.1:8080"))
/// let response = try await channel.send(HTTP2Request(method: "GET", path: "/v2/annotations"))
/// ```
public final class HTTP2Channel: HTTPRequestChannel {
    public let endpoint: Endpoint
    public let configuration: ConnectionConfiguration

    private struct State {
        /// Doubled each time a server answers our PINGs with "too_many_pings" (gRFC A8).
        var keepaliveInterval: Double?
        var connection: HTTP2Connection?
        var connecting: Task<HTTP2Connection, Error>?
        var failedAttempts = 0
        var retryAt: ContinuousClock.Instant?
        var lastFailure: Error?
        var closed = false
    }
    private let state: Mutex<State>

    public init(endpoint: Endpoint, configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.endpoint = endpoint
        self.configuration = configuration
        state = Mutex(State(keepaliveInterval: configuration.keepaliveInterval))
    }

    /// The keepalive interval new connections use, after any "too_many_pings" back-off.
    public var currentKeepaliveInterval: Double? { state.withLock { $0.keepaliveInterval } }

    deinit {
        state.withLock { $0.connection?.close() }
    }

    /// Sends one request and waits for the whole response, whatever its status.
    ///
    /// Throws `TransportError` (`.cancelled` when the task is cancelled). A request the server
    /// did not process is sent again at once, whatever its method: one above a GOAWAY's last
    /// stream id (or still queued when the connection went) on a new connection, as often as
    /// the deadline allows (at most `maxTransparentRetries` times): a server or proxy that
    /// recycles connections after a number of requests (nginx's `keepalive_requests`) refuses
    /// every stream beyond it, and with more calls in flight than that number the same call
    /// may be refused several times. One refused with REFUSED_STREAM on a connection that stays
    /// open (a busy server) is sent again up to `maxRefusedRetries` times, a little later each
    /// time, then fails with a retryable error for the caller's retry policy. After the second
    /// refusal on new connections in a row, each retry waits a little longer (10 ms doubling to
    /// 1.28 s), so that a server sending GOAWAY at once gets no connection storm.
    public func send(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws(TransportError) -> HTTP2Response {
        var retries = 0
        var refusals = 0
        while true {
            do {
                let connection = try await connection(before: deadline)
                return try await connection.send(request, deadline: deadline)
            } catch let error as TransportError {
                guard error.wasNotProcessed, retries < HTTP2Channel.maxTransparentRetries else { throw error }
                guard !Task.isCancelled else { throw TransportError(.cancelled, "the task was cancelled") }
                retries += 1
                var pause: Duration = .zero
                if error.kind == .streamReset {
                    // Refused on a connection that stays open: the server is busy, so not at once.
                    refusals += 1
                    guard refusals <= HTTP2Channel.maxRefusedRetries else { throw error }
                    pause = .milliseconds(10 * refusals)
                } else if retries > 2 {
                    // Refused again and again on new connections: a server that sends GOAWAY at
                    // once (a draining one) must not get a connection storm.
                    pause = .milliseconds(10 << min(retries - 3, 7))
                }
                if pause > .zero {
                    let until = ContinuousClock.now.advanced(by: pause)
                    if let deadline, until >= deadline { throw error }
                    do { try await Task.sleep(until: until) } catch { throw TransportError(.cancelled, "the task was cancelled") }
                }
            } catch is CancellationError {
                throw TransportError(.cancelled, "the task was cancelled")
            } catch {
                throw TransportError(.system, "\(error)")
            }
        }
    }

    /// How many times one request is sent again after servers refused it unprocessed.
    public static let maxTransparentRetries = 100
    /// How many of those may be REFUSED_STREAM on a connection that stays open.
    public static let maxRefusedRetries = 3

    /// Closes the connection; requests in flight fail with `.closed`.
    public func close() {
        state.withLock { state in
            state.closed = true
            state.connection?.close()
            state.connection = nil
            state.connecting?.cancel()
        }
    }

    // MARK: Connection management

    private enum Next {
        case ready(HTTP2Connection)
        case wait(Task<HTTP2Connection, Error>)
        case fail(Error)
    }

    /// The current connection, or a new one: one connect at a time, spaced by gRPC's
    /// connection backoff (doc/connection-backoff.md) after failures.
    private func connection(before deadline: ContinuousClock.Instant?) async throws -> HTTP2Connection {
        let next: Next = state.withLock { state in
            if state.closed { return .fail(TransportError(.closed, "the channel is closed")) }
            if let connection = state.connection, connection.isUsable { return .ready(connection) }
            if let connecting = state.connecting { return .wait(connecting) }
            if let old = state.connection, old.receivedTooManyPings, let interval = state.keepaliveInterval {
                state.keepaliveInterval = interval * 2
            }
            if let retryAt = state.retryAt, ContinuousClock.now < retryAt, let failure = state.lastFailure {
                return .fail(failure)
            }
            state.connection = nil
            let endpoint = self.endpoint
            var configuration = self.configuration
            configuration.keepaliveInterval = state.keepaliveInterval
            let task = Task { try await HTTP2Connection.connect(to: endpoint, configuration: configuration) }
            state.connecting = task
            return .wait(task)
        }
        switch next {
        case .ready(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let task):
            do {
                let connection = try await HTTP2Channel.value(of: task, before: deadline)
                let closed = state.withLock { state in
                    if state.connecting == task {
                        state.connecting = nil
                        state.connection = state.closed ? nil : connection
                        state.failedAttempts = 0
                        state.retryAt = nil
                    }
                    return state.closed
                }
                if closed {  // `close()` came while connecting
                    connection.close()
                    throw TransportError(.closed, "the channel is closed")
                }
                return connection
            } catch let error as TransportError where error.kind == .deadlineExceeded {
                throw error  // this caller gave up; the connect goes on for the others
            } catch is CancellationError {
                throw CancellationError()  // so did this one: not a failed connect
            } catch {
                state.withLock { state in
                    if state.connecting == task {
                        state.connecting = nil
                        state.failedAttempts += 1
                        state.lastFailure = error
                        state.retryAt = ContinuousClock.now.advanced(by: HTTP2Channel.backoff(state.failedAttempts))
                    }
                }
                throw error
            }
        }
    }

    /// The connect is shared by every caller waiting for it, so one caller's deadline (or
    /// cancellation) must not cancel it: the caller stops waiting instead, at once. (A task group
    /// would not do: it waits for its children, and so for the connect, before it returns.)
    private static func value(
        of task: Task<HTTP2Connection, Error>, before deadline: ContinuousClock.Instant?
    ) async throws -> HTTP2Connection {
        let waiter = FirstOutcome<HTTP2Connection>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.start(continuation)
                let timer = deadline.map { deadline in
                    Task {
                        // Cancelled when the connect ends first: then it must not report a deadline.
                        guard (try? await Task.sleep(until: deadline)) != nil else { return }
                        waiter.finish(.failure(TransportError(.deadlineExceeded, "while connecting")))
                    }
                }
                Task {
                    let outcome = await task.result
                    waiter.finish(outcome)
                    timer?.cancel()
                }
            }
        } onCancel: {
            waiter.finish(.failure(CancellationError()))
        }
    }

    /// After n failed connects: 1 s × 1.6^(n-1), capped at 120 s, ±20 % jitter.
    static func backoff(_ failedAttempts: Int) -> Duration {
        let base = min(120, pow(1.6, Double(max(0, failedAttempts - 1))))
        return .milliseconds(Int(base * Double.random(in: 0.8...1.2) * 1000))
    }
}

/// A continuation that the first of several racers resumes; the others find it gone.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Error>?
        /// An outcome that came before the continuation was stored (a cancellation).
        var early: Result<Value, Error>?
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Value, Error>) {
        let early = state.withLock { state -> Result<Value, Error>? in
            guard let early = state.early else {
                state.continuation = continuation
                return nil
            }
            return early
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ outcome: Result<Value, Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, Error>? in
            guard let continuation = state.continuation else {
                if state.early == nil { state.early = outcome }
                return nil
            }
            state.continuation = nil
            state.early = outcome  // later racers find it taken
            return continuation
        }
        continuation?.resume(with: outcome)
    }
}
