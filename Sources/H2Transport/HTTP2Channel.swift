import Foundation
import Synchronization

/// Requests to one endpoint over a pool of HTTP/2 connections (TLS or h2c): one by default,
/// up to `ConnectionConfiguration.maxConnections`. Each request goes to the least-loaded usable
/// connection; another opens in the background when every open one carries its target of
/// streams; one that received GOAWAY takes no new requests while its streams finish; extra
/// connections close once idle. Failed connects are spaced by gRPC's connection backoff.
/// `GRPCChannel` frames gRPC calls on top of it; the REST client sends its JSON requests
/// through it directly.
///
/// ```swift
/// var configuration = ConnectionConfiguration()
/// configuration.maxConnections = 4
/// let channel = HTTP2Channel(endpoint: try Endpoint("h2c://127.0.0.1:8080"), configuration: configuration)
/// let response = try await channel.send(HTTP2Request(method: "GET", path: "/v2/annotations"))
/// ```
public final class HTTP2Channel: HTTPRequestChannel {
    /// Where every request goes.
    public let endpoint: Endpoint
    /// How the pool and its connections behave (pool size, windows, keepalive, TLS, limits).
    public let configuration: ConnectionConfiguration

    private struct State {
        /// Doubled each time a server answers our PINGs with "too_many_pings" (gRFC A8).
        var keepaliveInterval: Double?
        /// The usable connections (and, until the next look, ones that just stopped being usable).
        var connections: [HTTP2Connection] = []
        /// Connects under way, by attempt number: one while the pool is empty (the server's
        /// stream limit is not known yet), up to `maxParallelConnects` when calls need more room.
        var connecting: [Int: Task<HTTP2Connection, Error>] = [:]
        /// Numbers the connects.
        var connectAttempt = 0
        /// Calls waiting for a connect under way rather than queueing on a full connection.
        var waiting = 0
        /// Connections that left the pool (GOAWAY, retired) while their streams finish: closed
        /// with the channel.
        var draining: [HTTP2Connection] = []
        /// Backoff of the connects made when no connection was usable; a call finds it failing
        /// until `retryAt`.
        var failedAttempts = 0
        var retryAt: ContinuousClock.Instant?
        var lastFailure: Error?
        /// Backoff of the connects that only grow the pool (a server may refuse extra
        /// connections): they stop growing it until `growthRetryAt`, and fail no call.
        var failedGrowths = 0
        var growthRetryAt: ContinuousClock.Instant?
        /// Failures of connects numbered up to these belong to a burst already counted: 8
        /// parallel connects failing together back off like one.
        var countedFailuresUpTo = 0
        var countedGrowthsUpTo = 0
        /// Closes idle extra connections while there are several.
        var sweeper: Task<Void, Never>?
        var closed = false
    }
    private let state: Mutex<State>
    /// `maxConnections` brought into 1…1,024.
    private let maxConnections: Int

    /// A channel to `endpoint`. Nothing connects yet: the first request opens the first
    /// connection, so this never throws; connection failures surface from `send` and `stream`.
    /// `configuration.maxConnections` is brought into 1…`connectionLimit`.
    public init(endpoint: Endpoint, configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.endpoint = endpoint
        self.configuration = configuration
        maxConnections = min(max(configuration.maxConnections, 1), HTTP2Channel.connectionLimit)
        state = Mutex(State(keepaliveInterval: configuration.keepaliveInterval))
    }

    /// The most connections one channel opens, whatever `maxConnections` asks.
    public static let connectionLimit = 1024

    /// The keepalive interval new connections use, after any "too_many_pings" back-off.
    public var currentKeepaliveInterval: Double? { state.withLock { $0.keepaliveInterval } }

    /// The usable connections of the pool now, for tests and diagnostics.
    public var connections: [HTTP2Connection] {
        state.withLock { state in state.connections.filter(\.isUsable) }
    }

    deinit {
        state.withLock { state in
            for connection in state.connections + state.draining { connection.close() }
            for task in state.connecting.values { task.cancel() }
            state.sweeper?.cancel()
        }
    }

    /// Sends one request and waits for the whole response, whatever its status.
    ///
    /// Throws `TransportError` (`.cancelled` when the task is cancelled). A request the server
    /// did not process is sent again at once, whatever its method: one above a GOAWAY's last
    /// stream id (or still queued when the connection went) on another connection, as often as
    /// the deadline allows (at most `maxTransparentRetries` times): a server or proxy that
    /// recycles connections after a number of requests (nginx's `keepalive_requests`) refuses
    /// every stream beyond it, and with more calls in flight than that number the same call
    /// may be refused several times. One refused with REFUSED_STREAM on a connection that stays
    /// open (a busy server) is sent again up to `maxRefusedRetries` times, a little later each
    /// time, then fails with a retryable error for the caller's retry policy. After the second
    /// refusal on new connections in a row, each retry waits a little longer (10 ms doubling to
    /// 1.28 s), so that a server sending GOAWAY at once gets no connection storm.
    public func send(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws(TransportError)
        -> HTTP2Response
    {
        try await withTransparentRetries(before: deadline) { connection in
            try await connection.send(request, deadline: deadline)
        }
    }

    /// Sends one request and returns once the response's headers have arrived; the body is then
    /// read as it arrives, with flow control holding the server back while the loop is slow
    /// (at most `initialWindowSize` bytes wait unread), and the stream counts as load on its
    /// connection until it ends. A request the server did not process is sent again as `send`
    /// does; once the headers are there, nothing is repeated.
    ///
    /// `deadline` bounds the whole response, body included: when it passes the stream is reset
    /// and the loop throws `.deadlineExceeded`. See `HTTP2ResponseStream` for cancellation.
    ///
    /// ```swift
    /// let response = try await channel.stream(HTTP2Request(method: "GET", path: "/v2/annotations/stream"))
    /// for try await chunk in response { splitter.append(chunk) }
    /// ```
    public func stream(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws(TransportError)
        -> HTTP2ResponseStream
    {
        try await withTransparentRetries(before: deadline) { connection in
            try await connection.stream(request, deadline: deadline)
        }
    }

    /// Runs `attempt` on the pool's connection, again (on another one) while the server did not
    /// process the request; see `send`.
    private func withTransparentRetries<Response>(
        before deadline: ContinuousClock.Instant?, _ attempt: (HTTP2Connection) async throws -> Response
    ) async throws(TransportError) -> Response {
        var retries = 0
        var refusals = 0
        while true {
            do {
                let connection = try await connection(before: deadline)
                return try await attempt(connection)
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
                    do { try await Task.sleep(until: until) } catch {
                        throw TransportError(.cancelled, "the task was cancelled")
                    }
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

    /// Closes every connection; requests in flight fail with `.closed`.
    public func close() {
        state.withLock { state in
            state.closed = true
            for connection in state.connections + state.draining { connection.close() }
            state.connections = []
            state.draining = []
            for task in state.connecting.values { task.cancel() }
            state.sweeper?.cancel()
        }
    }

    // MARK: The pool

    private enum Next {
        case ready(HTTP2Connection)
        /// Wait for a connect; `counted` when the call was added to `State.waiting`.
        case wait(Task<HTTP2Connection, Error>, counted: Bool)
        case fail(Error)
    }

    /// How many connects a pool runs at once when a burst of calls needs more connections.
    static let maxParallelConnects = 8

    /// How long a call waits for a new connection before it queues on the full ones instead.
    static let connectWaitLimit: Duration = .milliseconds(500)

    /// The least-loaded usable connection. When every one carries its target, more connections
    /// open in the background (as many as the calls in flight need, up to `maxConnections`, at
    /// most `maxParallelConnects` at once). A call that would only queue (every connection at the
    /// server's SETTINGS_MAX_CONCURRENT_STREAMS) waits for one of them instead, for at most
    /// `connectWaitLimit`; each new connection takes its target of the waiting calls. A caller
    /// waits for a connect when no connection is usable too; a failed connect sends the calls
    /// that chose to wait for it back to the usable connections.
    private func connection(before deadline: ContinuousClock.Instant?) async throws -> HTTP2Connection {
        var queueWhenFull = false
        while true {
            switch choose(queueWhenFull: queueWhenFull) {
            case .ready(let connection):
                return connection
            case .fail(let error):
                throw error
            case .wait(let task, let counted):
                var until = deadline
                if counted {
                    let limit = ContinuousClock.now.advanced(by: HTTP2Channel.connectWaitLimit)
                    until = deadline.map { min($0, limit) } ?? limit
                }
                do {
                    let connection = try await HTTP2Channel.value(of: task, before: until)
                    if counted { state.withLock { $0.waiting -= 1 } }
                    // One that sent GOAWAY at once fails the request as not processed, and
                    // `send` pauses before the next connect: no connection storm.
                    guard connection.isUsable else { return connection }
                    // Choose again, with the new connection: it takes its target, and the calls
                    // beyond wait for the next connect.
                    continue
                } catch let error as TransportError where counted && error.kind != .closed {
                    // Waiting was a choice: with connections to fall back on, a failed or slow
                    // connect does not fail the call.
                    state.withLock { $0.waiting -= 1 }
                    if error.kind == .deadlineExceeded {
                        if let deadline, ContinuousClock.now >= deadline { throw error }
                        queueWhenFull = true
                    }
                    continue
                } catch {
                    if counted { state.withLock { $0.waiting -= 1 } }
                    throw error
                }
            }
        }
    }

    private func choose(queueWhenFull: Bool) -> Next {
        state.withLock { state in
            if state.closed { return .fail(TransportError(.closed, "the channel is closed")) }
            var best: HTTP2Connection?
            var bestLoad = Int.max
            var totalLoad = 0
            var index = 0
            while index < state.connections.count {
                let connection = state.connections[index]
                guard connection.isUsable else {
                    state.connections.remove(at: index)
                    drain(connection, &state)
                    continue
                }
                let load = connection.load
                totalLoad += load
                if load < bestLoad {
                    best = connection
                    bestLoad = load
                }
                index += 1
            }
            guard let best else {
                // Nothing usable: every call waits for one connect.
                if let connecting = state.connecting.values.first { return .wait(connecting, counted: false) }
                if let retryAt = state.retryAt, ContinuousClock.now < retryAt, let failure = state.lastFailure {
                    return .fail(failure)
                }
                return .wait(openConnection(&state, growth: false), counted: false)
            }
            // A full pool (a single connection, by default) has nothing to decide.
            if state.connections.count >= maxConnections { return .ready(best) }
            let target = target(of: best)
            guard bestLoad >= target else { return .ready(best) }
            // Every connection carries its target: open what the calls in flight (this one
            // included) need.
            let now = ContinuousClock.now
            let backingOff = [state.retryAt, state.growthRetryAt].contains { $0.map { now < $0 } ?? false }
            if !backingOff {
                let demand = totalLoad + state.waiting + 1
                while state.connections.count + state.connecting.count < maxConnections,
                    state.connecting.count < HTTP2Channel.maxParallelConnects,
                    (state.connections.count + state.connecting.count) * target < demand
                {
                    _ = openConnection(&state, growth: true)
                }
            }
            // Wait for a connect under way only when the call would otherwise queue (nghttp2 holds
            // it back at the server's limit); below it, a connection with room serves it at once.
            guard !queueWhenFull, !state.connecting.isEmpty, bestLoad >= (best.maxConcurrentStreams ?? 100) else {
                return .ready(best)
            }
            let tasks = Array(state.connecting.values)
            let task = tasks[state.waiting % tasks.count]
            state.waiting += 1
            return .wait(task, counted: true)
        }
    }

    /// A connection that left the pool: a "too_many_pings" GOAWAY doubles the keepalive interval
    /// of later connections (once per interval in force, however many connections got it), and
    /// the channel keeps it until it closes, to close it with the channel.
    private func drain(_ connection: HTTP2Connection, _ state: inout State) {
        if connection.receivedTooManyPings, let interval = connection.keepaliveInterval {
            state.keepaliveInterval = max(state.keepaliveInterval ?? 0, interval * 2)
        }
        state.draining.removeAll(where: \.isClosed)
        if !connection.isClosed { state.draining.append(connection) }
    }

    /// Requests one connection carries before the pool opens another.
    private func target(of connection: HTTP2Connection) -> Int {
        let serverLimit = connection.maxConcurrentStreams ?? 100
        return max(1, min(configuration.targetStreamsPerConnection ?? serverLimit, serverLimit))
    }

    /// Starts a connect, which adds the connection to the pool (or records the failure for the
    /// backoff) whether or not anyone waits for it. `growth`: the pool has usable connections,
    /// and this one only adds room.
    private func openConnection(_ state: inout State, growth: Bool) -> Task<HTTP2Connection, Error> {
        state.connectAttempt += 1
        let attempt = state.connectAttempt
        let endpoint = self.endpoint
        var configuration = self.configuration
        configuration.keepaliveInterval = state.keepaliveInterval
        let task = Task { [weak self] () throws -> HTTP2Connection in
            let outcome: Result<HTTP2Connection, Error>
            do {
                outcome = .success(try await HTTP2Connection.connect(to: endpoint, configuration: configuration))
            } catch {
                outcome = .failure(error)
            }
            guard let self else {
                if case .success(let connection) = outcome { connection.close() }
                throw TransportError(.closed, "the channel is closed")
            }
            return try self.record(outcome, of: attempt, growth: growth).get()
        }
        state.connecting[attempt] = task
        return task
    }

    private func record(_ outcome: Result<HTTP2Connection, Error>, of attempt: Int, growth: Bool) -> Result<
        HTTP2Connection, Error
    > {
        let (result, startsSweeper) = state.withLock { state -> (Result<HTTP2Connection, Error>, Bool) in
            state.connecting[attempt] = nil
            var failure: Error?
            switch outcome {
            case .success(let connection):
                guard !state.closed else {
                    connection.close()  // `close()` came while connecting
                    return (.failure(TransportError(.closed, "the channel is closed")), false)
                }
                guard connection.isUsable else {
                    // GOAWAY with the SETTINGS (a draining server): the caller's request fails as
                    // not processed, and the next connect backs off like after a failure.
                    drain(connection, &state)
                    failure = TransportError(
                        .goAway, "the server sent GOAWAY as the connection opened", isRetryable: true)
                    break
                }
                state.connections.append(connection)
                state.failedAttempts = 0
                state.retryAt = nil
                state.failedGrowths = 0
                state.growthRetryAt = nil
                let startsSweeper = state.connections.count > 1 && state.sweeper == nil
                return (.success(connection), startsSweeper)
            case .failure(let error):
                failure = error
            }
            let now = ContinuousClock.now
            if let failure {
                if growth {
                    guard attempt > state.countedGrowthsUpTo else { return (outcome, false) }
                    state.countedGrowthsUpTo = state.connectAttempt
                    state.failedGrowths += 1
                    state.growthRetryAt = now.advanced(by: HTTP2Channel.backoff(state.failedGrowths))
                } else {
                    state.lastFailure = failure
                    guard attempt > state.countedFailuresUpTo else { return (outcome, false) }
                    state.countedFailuresUpTo = state.connectAttempt
                    state.failedAttempts += 1
                    state.retryAt = now.advanced(by: HTTP2Channel.backoff(state.failedAttempts))
                }
            }
            return (outcome, false)
        }
        if startsSweeper { startSweeper() }
        return result
    }

    /// While the pool holds several connections, retires those idle for `idleConnectionTimeout`,
    /// keeping one.
    private func startSweeper() {
        let timeout = max(0.01, configuration.idleConnectionTimeout)
        let period = Duration.milliseconds(Int(min(5, max(0.01, timeout / 4)) * 1000))
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                guard let self, self.sweep(idleTimeout: timeout) else { return }
            }
        }
        state.withLock { state in
            if state.sweeper == nil && !state.closed { state.sweeper = task } else { task.cancel() }
        }
    }

    /// Retires the idle extra connections; false once one connection or none is left.
    private func sweep(idleTimeout: Double) -> Bool {
        state.withLock { state in
            var kept: [HTTP2Connection] = []
            for connection in state.connections {
                if connection.isUsable { kept.append(connection) } else { drain(connection, &state) }
            }
            state.connections = kept
            var idle = state.connections.filter { $0.idleSeconds >= idleTimeout }
            if idle.count == state.connections.count { idle.removeFirst(min(1, idle.count)) }  // keep one
            for connection in idle {
                connection.retire()
                state.connections.removeAll { $0 === connection }
                drain(connection, &state)
            }
            guard state.connections.count > 1, !state.closed else {
                state.sweeper = nil
                return false
            }
            return true
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
        var generator = SystemRandomNumberGenerator()
        return backoff(failedAttempts, using: &generator)
    }

    /// The same, with the jitter drawn from `generator` (tests pass one that gives the bounds).
    static func backoff(_ failedAttempts: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = min(120, pow(1.6, Double(max(0, failedAttempts - 1))))
        return .milliseconds(Int(base * Double.random(in: 0.8...1.2, using: &generator) * 1000))
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
