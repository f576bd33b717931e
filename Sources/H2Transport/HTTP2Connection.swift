internal import CNGHTTP2
import Foundation
import Synchronization

/// One multiplexed HTTP/2 connection (TLS or h2c) to one endpoint.
///
/// A single I/O thread owns the socket, the TLS session and the nghttp2 session: none of
/// them is thread-safe, so no nghttp2 or OpenSSL call is ever made elsewhere. Callers hand
/// requests to that thread through a locked queue, wake it through a pipe, and await
/// the response. Any number of requests may be in flight; beyond the server's
/// SETTINGS_MAX_CONCURRENT_STREAMS nghttp2 holds them back until a stream closes.
///
/// ```swift
/// let connection = try await HTTP2Connection.connect(to: Endpoint("h2c://127.0.0.1:8080"))
/// let response = try await connection.send(HTTP2Request(method: "GET", path: "/"))
/// connection.close()
/// ```
public final class HTTP2Connection: Sendable {
    /// The endpoint this connection was opened to.
    public let endpoint: Endpoint
    private let io: ConnectionIO
    /// Requests handed to `send` and not yet answered: what a pool balances on. (The I/O
    /// thread's own count lags behind a burst of calls that have not reached it yet.)
    private let sending = Atomic<Int>(0)
    /// When `sending` last fell to zero, in milliseconds of `monotonicSeconds()`.
    private let idleSince = Atomic<Int>(Int(monotonicSeconds() * 1000))

    private init(endpoint: Endpoint, io: ConnectionIO) {
        self.endpoint = endpoint
        self.io = io
    }

    /// Connects (TCP, then TLS with ALPN `h2` for `https`), and starts the I/O thread.
    public static func connect(
        to endpoint: Endpoint,
        configuration: ConnectionConfiguration = ConnectionConfiguration()
    ) async throws -> HTTP2Connection {
        let io = ConnectionIO(endpoint: endpoint, configuration: configuration)
        try await io.start()
        return HTTP2Connection(endpoint: endpoint, io: io)
    }

    /// Sends one request and waits for the whole response.
    ///
    /// Cancelling the calling task resets the stream too and throws `.cancelled`.
    ///
    /// - Parameters:
    ///   - request: the method, path, headers and body to send.
    ///   - deadline: when to give up (`RST_STREAM(CANCEL)` and `.deadlineExceeded`).
    public func send(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws -> HTTP2Response {
        let call = PendingCall(request: request, deadline: deadline.map(monotonicDeadline))
        sending.add(1, ordering: .relaxed)
        defer { finishedSending() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                call.continuation = continuation
                io.submit(.start(call))
            }
        } onCancel: {
            io.submit(.cancel(call))
        }
    }

    /// Sends one request and returns once the response's headers have arrived; the body is
    /// read as it arrives, under flow control (see `HTTP2ResponseStream`).
    ///
    /// The stream counts in `load` until it ends. `deadline` bounds the whole response, body
    /// included: when it passes the stream is reset (`RST_STREAM(CANCEL)`) and reading throws
    /// `.deadlineExceeded`. Cancelling the calling task before the headers arrive resets the
    /// stream and throws `.cancelled`.
    ///
    /// ```swift
    /// let response = try await connection.stream(HTTP2Request(method: "GET", path: "/events"))
    /// for try await chunk in response { handle(chunk) }
    /// ```
    public func stream(_ request: HTTP2Request, deadline: ContinuousClock.Instant? = nil) async throws
        -> HTTP2ResponseStream
    {
        sending.add(1, ordering: .relaxed)
        let body = ResponseBodyState(windowSize: io.configuration.initialWindowSize) { [weak self] in
            self?.finishedSending()
        }
        let call = PendingCall(request: request, deadline: deadline.map(monotonicDeadline), body: body)
        let reader = ResponseStreamReader(call: call, body: body, io: io)
        let head = try await withTaskCancellationHandler {
            io.submit(.start(call))
            return try await body.head()
        } onCancel: {
            reader.cancel()
        }
        return HTTP2ResponseStream(
            status: head.status, headers: head.headers, headersOnly: head.endsStream, reader: reader)
    }

    private func finishedSending() {
        if sending.subtract(1, ordering: .relaxed).newValue == 0 {
            idleSince.store(Int(monotonicSeconds() * 1000), ordering: .relaxed)
        }
    }

    /// False once the connection failed, was closed, or received GOAWAY: new requests then
    /// belong on a new connection.
    public var isUsable: Bool { io.isUsable }

    /// The server asked for fewer keepalive PINGs (GOAWAY ENHANCE_YOUR_CALM "too_many_pings").
    public var receivedTooManyPings: Bool { io.receivedTooManyPings }

    /// The keepalive interval this connection was opened with.
    public var keepaliveInterval: Double? { io.configuration.keepaliveInterval }

    /// True once the connection is gone: its I/O thread ended and its socket is closed.
    public var isClosed: Bool { io.isTerminated }

    /// Closes the connection; requests still in flight fail with `.closed`.
    public func close() {
        io.submit(.close)
    }

    /// Takes no new requests (they fail as not processed, so a channel sends them elsewhere)
    /// and closes once the requests in flight are answered.
    public func retire() {
        io.submit(.retire)
    }

    /// Streams in flight, for tests and diagnostics.
    public var activeStreamCount: Int { io.activeStreamCount }

    /// Requests sent and not yet answered, counted from the moment `send` is called.
    public var load: Int { sending.load(ordering: .relaxed) }

    /// Seconds since the last request on this connection was answered; 0 while one is in flight.
    public var idleSeconds: Double {
        guard load == 0 else { return 0 }
        return max(0, monotonicSeconds() - Double(idleSince.load(ordering: .relaxed)) / 1000)
    }

    /// The server's SETTINGS_MAX_CONCURRENT_STREAMS, nil when it set none.
    public var maxConcurrentStreams: Int? { io.maxConcurrentStreams }

    /// Names the connection in `ConnectionEvent`s.
    public var connectionID: Int { io.connectionID }

    /// The socket's and the wake pipe's descriptors, for tests that check nothing leaks.
    var descriptors: [Int32] { io.descriptors }
    /// How many calls their callers started themselves, the I/O thread being idle (for tests).
    var callsStartedByCallers: Int { io.callsStartedByCallers }
    /// How many times a caller woke the I/O thread through its pipe (for tests).
    var wakeUps: Int { io.wakeUps }
}

/// The deadline in the I/O thread's clock (monotonic seconds).
private func monotonicDeadline(_ instant: ContinuousClock.Instant) -> Double {
    let remaining = ContinuousClock.now.duration(to: instant)
    let (seconds, attoseconds) = remaining.components
    return monotonicSeconds() + Double(seconds) + Double(attoseconds) / 1e18
}

/// A request waiting for its response; completed exactly once, on the I/O thread.
final class PendingCall: @unchecked Sendable {
    let request: HTTP2Request
    let deadline: Double?
    /// A streamed response: its head, chunks and end go here as they arrive, and the whole
    /// response is never assembled. Nil for a whole response (`continuation`).
    let body: ResponseBodyState?
    // Set before the call is submitted; read and cleared only on the I/O thread.
    var continuation: CheckedContinuation<HTTP2Response, Error>?
    var streamID: Int32 = 0
    /// A cancel can overtake its start when the task was cancelled before it began.
    var cancelled = false

    init(request: HTTP2Request, deadline: Double?, body: ResponseBodyState? = nil) {
        self.request = request
        self.deadline = deadline
        self.body = body
    }

    /// The end of the call: the whole response (for a streamed one, its head and trailers), or
    /// the failure.
    func complete(_ result: Result<HTTP2Response, Error>) {
        if let body {
            body.finish(result)
            return
        }
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(with: result)
    }
}

enum Command: Sendable {
    case start(PendingCall)
    case cancel(PendingCall)
    /// A streamed response's reader took this many more bytes: acknowledge them (WINDOW_UPDATE).
    case consume(PendingCall, Int)
    case retire
    case close
}
