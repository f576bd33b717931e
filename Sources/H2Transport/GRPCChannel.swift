import Foundation
import Synchronization

/// The response of a successful unary call.
public struct GRPCResponse: Sendable {
    public var message: [UInt8]
    public var headers: [HeaderField]
    public var trailers: [HeaderField]
}

/// gRPC unary calls to one endpoint over one shared HTTP/2 connection, reconnecting with
/// gRPC's connection backoff when it fails or the server sends GOAWAY.
///
/// ```swift
/// let channel = try GRPCChannel(endpoint: Endpoint("https://api.clarifai.com"))
/// let response = try await channel.unary(
///     path: "/clarifai.api.V2/ListAnnotations", request: bytes,
///     metadata: [HeaderField("authorization", "Key \(pat)")], timeout: .seconds(30))
/// ```
public final class GRPCChannel: Sendable {
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

    /// Sends one request message and returns the response message.
    ///
    /// Throws `GRPCError` for every failure: the server's status, or a local one (deadline,
    /// cancellation, connection failure) with the transport error as `cause`. A call the
    /// server cannot have seen (REFUSED_STREAM, above a GOAWAY's last stream id) is retried
    /// once on a new connection, as gRFC A6 allows.
    public func unary(
        path: String, request: [UInt8], metadata: [HeaderField] = [], timeout: Duration? = nil
    ) async throws(GRPCError) -> GRPCResponse {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        var headers: [HeaderField] = []
        headers.reserveCapacity(metadata.count + 4)
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            headers.append(HeaderField("grpc-timeout", GRPCWire.timeoutHeader(seconds: Double(seconds) + Double(attoseconds) / 1e18)))
        }
        headers.append(HeaderField("content-type", "application/grpc"))
        headers.append(HeaderField("te", "trailers"))
        headers.append(HeaderField("user-agent", configuration.userAgent))
        headers.append(contentsOf: metadata)
        let http = HTTP2Request(method: "POST", path: path, headers: headers, body: GRPCWire.frame(request))

        var attempt = 0
        while true {
            attempt += 1
            do {
                let connection = try await connection(before: deadline)
                let response = try await connection.send(http, deadline: deadline)
                return try GRPCChannel.interpret(response).get()
            } catch let error as GRPCError {
                throw error
            } catch let error as TransportError {
                if error.isRetryable, attempt == 1, error.kind == .goAway || error.kind == .streamReset {
                    continue
                }
                throw GRPCError(error)
            } catch is CancellationError {
                throw GRPCError(code: .cancelled, message: "the task was cancelled")
            } catch {
                throw GRPCError(code: .unknown, message: "\(error)")
            }
        }
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        state.withLock { state in
            state.closed = true
            state.connection?.close()
            state.connection = nil
            state.connecting?.cancel()
        }
    }

    // MARK: Response

    static func interpret(_ response: HTTP2Response) -> Result<GRPCResponse, GRPCError> {
        // Trailers-Only: the status rides in the only HEADERS frame.
        let statusFields = response.headersOnly ? response.headers : response.trailers
        guard let statusText = statusFields["grpc-status"] else {
            if response.status != 200 {
                return .failure(GRPCError(
                    code: GRPCError.code(forHTTPStatus: response.status),
                    message: "HTTP status \(response.status) without grpc-status", headers: response.headers
                ))
            }
            return .failure(GRPCError(code: .unknown, message: "response without grpc-status", headers: response.headers))
        }
        guard let rawCode = Int(statusText) else {
            return .failure(GRPCError(code: .unknown, message: "invalid grpc-status '\(statusText)'", headers: response.headers))
        }
        let code = GRPCError.Code(rawValue: rawCode)
        let trailers = response.headersOnly ? [] : response.trailers
        guard code == .ok else {
            return .failure(GRPCError(
                code: code, message: GRPCWire.percentDecode(statusFields["grpc-message"] ?? ""),
                headers: response.headersOnly ? [] : response.headers, trailers: statusFields
            ))
        }
        if let contentType = response.headers["content-type"], !contentType.hasPrefix("application/grpc") {
            return .failure(GRPCError(code: .unknown, message: "unexpected content-type '\(contentType)'"))
        }
        return GRPCWire.unframeSingle(response.body).map {
            GRPCResponse(message: $0, headers: response.headers, trailers: trailers)
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
                let connection = try await GRPCChannel.value(of: task, before: deadline)
                state.withLock { state in
                    if state.connecting == task {
                        state.connecting = nil
                        state.connection = connection
                        state.failedAttempts = 0
                        state.retryAt = nil
                    }
                }
                return connection
            } catch let error as TransportError where error.kind == .deadlineExceeded {
                throw error  // this caller gave up; the connect goes on for the others
            } catch {
                state.withLock { state in
                    if state.connecting == task {
                        state.connecting = nil
                        state.failedAttempts += 1
                        state.lastFailure = error
                        state.retryAt = ContinuousClock.now.advanced(by: GRPCChannel.backoff(state.failedAttempts))
                    }
                }
                throw error
            }
        }
    }

    /// The connect is shared by every caller waiting for it, so one caller's deadline must not
    /// cancel it: the caller stops waiting instead.
    private static func value(
        of task: Task<HTTP2Connection, Error>, before deadline: ContinuousClock.Instant?
    ) async throws -> HTTP2Connection {
        guard let deadline else { return try await task.value }
        return try await withThrowingTaskGroup(of: HTTP2Connection?.self) { group in
            group.addTask { try await task.value }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let connection = first else {
                throw TransportError(.deadlineExceeded, "while connecting")
            }
            return connection
        }
    }

    /// After n failed connects: 1 s × 1.6^(n-1), capped at 120 s, ±20 % jitter.
    static func backoff(_ failedAttempts: Int) -> Duration {
        let base = min(120, pow(1.6, Double(max(0, failedAttempts - 1))))
        return .milliseconds(Int(base * Double.random(in: 0.8...1.2) * 1000))
    }
}
