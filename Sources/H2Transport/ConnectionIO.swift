internal import CNGHTTP2
internal import CTimerFD
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The I/O thread of an `HTTP2Connection` and everything only it may touch: the socket,
/// the TLS session and the nghttp2 session.
final class ConnectionIO: @unchecked Sendable {
    let endpoint: Endpoint
    let configuration: ConnectionConfiguration
    /// Names the connection in its `ConnectionEvent`s.
    let connectionID = ConnectionEvent.nextConnectionID()

    // Shared with callers, under the lock.
    private struct Shared {
        var commands: [Command] = []
        /// The I/O thread is (about to be) asleep in `poll`, with no command left: the next
        /// submitter must wake it (or start its call itself), and clears this as it does, so
        /// that one wake-up serves however many calls start. While the thread runs, commands
        /// are only queued: it takes them before it sleeps again.
        var asleep = false
        var usable = false
        var activeStreams = 0
        /// Set when the I/O thread has gone: later calls fail at once with this error.
        var terminated: TransportError?
        /// The server sent GOAWAY ENHANCE_YOUR_CALM "too_many_pings" (gRFC A8).
        var tooManyPings = false
        /// The server's SETTINGS_MAX_CONCURRENT_STREAMS, nil while it set none.
        var maxConcurrentStreams: Int?
        /// The socket's descriptor once connected, for tests that check nothing leaks.
        var socketFD: Int32 = -1
    }
    private let shared = Mutex(Shared())
    /// Held by the I/O thread whenever it is not in `poll`: whoever holds it may touch the
    /// session, the socket and everything marked "I/O thread only". A caller that finds it
    /// free while the thread polls an idle connection starts its own call (`driveIfIdle`).
    private let ioLock = Mutex(())
    /// A pipe: the I/O thread polls `wakeFD`, submitters write a byte to `wakeWriteFD`.
    private let wakeFD: Int32
    private let wakeWriteFD: Int32
    /// A timer the I/O thread polls too: a caller that starts a call with a deadline before
    /// the poll's end arms it, rather than waking the thread to shorten its poll.
    private let timerFD: Int32

    // I/O thread only (or whoever holds `ioLock`).
    /// The I/O thread is in (or about to enter) `poll`, having released `ioLock`.
    private var polling = false
    /// When that poll ends by itself (`.infinity` for never), and whether it waits to write.
    private var pollEnds = Double.infinity
    private var pollWatchesWrite = false
    private var channel: ByteChannel?
    /// The other half of the command queue: swapped with `Shared.commands`, so that taking the
    /// commands allocates nothing.
    private var takenCommands: [Command] = []
    /// Whether the last poll saw the socket ready (or in error): only then is it read.
    private var socketReady = true
    private var session: OpaquePointer?
    private var streams: [Int32: StreamState] = [:]
    /// Requests ended while nghttp2 still held them back: kept until nghttp2 closes them.
    private var abandoned: [Int32: StreamState] = [:]
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var wantsWriteForTLS = false
    private var goAwayLastStreamID: Int32?
    /// Retired by its pool: no new streams; it closes when the last one is done.
    private var retired = false
    private var receivedServerSettings = false
    private var failure: TransportError?
    private var lastActivity = monotonicSeconds()
    private var pingSentAt: Double?
    /// A PING sent because a call's deadline passed: unanswered for `unresponsiveTimeout`, the
    /// connection counts as dead (a blackholed connection would otherwise take every later call
    /// down with it, one deadline at a time).
    private var probeSentAt: Double?
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    init(endpoint: Endpoint, configuration: ConnectionConfiguration) {
        self.endpoint = endpoint
        self.configuration = configuration
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeFD = fds[0]
        wakeWriteFD = fds[1]
        timerFD = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
    }

    deinit {
        close(wakeFD)
        close(wakeWriteFD)
        if timerFD >= 0 { close(timerFD) }
        readBuffer.deallocate()
    }

    var isUsable: Bool { shared.withLock { $0.usable } }
    var isTerminated: Bool { shared.withLock { $0.terminated != nil } }
    var receivedTooManyPings: Bool { shared.withLock { $0.tooManyPings } }
    var activeStreamCount: Int { shared.withLock { $0.activeStreams } }
    var maxConcurrentStreams: Int? { shared.withLock { $0.maxConcurrentStreams } }
    /// The socket, the wake pipe and the timer.
    var descriptors: [Int32] { [shared.withLock { $0.socketFD }, wakeFD, wakeWriteFD, timerFD] }
    /// How many times a submitter woke the I/O thread through the pipe, for tests.
    var wakeUps: Int { wakeWrites.load(ordering: .relaxed) }
    private let wakeWrites = Atomic(0)
    /// Calls started by `driveIfIdle`, for tests.
    var callsStartedByCallers: Int { callerStarts.load(ordering: .relaxed) }
    private let callerStarts = Atomic(0)

    private func report(_ kind: ConnectionEvent.Kind) {
        guard let handler = configuration.eventHandler else { return }
        handler(
            ConnectionEvent(connectionID: connectionID, authority: endpoint.authority, protocolName: "h2", kind: kind))
    }

    /// Starts the I/O thread, which connects; returns once the connection is ready.
    func start() async throws {
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, Error>) in
            let thread = Thread { [self] in
                do throws(TransportError) {
                    try self.open()
                    // A GOAWAY may have come with the server's SETTINGS: then it is not usable.
                    let usable = self.goAwayLastStreamID == nil
                    let socketFD = self.channel?.fd ?? -1
                    let limit = self.shared.withLock { shared in
                        shared.usable = usable
                        shared.socketFD = socketFD
                        return shared.maxConcurrentStreams
                    }
                    self.report(.opened(maxConcurrentStreams: limit))
                    ready.resume()
                } catch {
                    self.report(.connectFailed(error.kind, message: error.message))
                    ready.resume(throwing: error)
                    return
                }
                self.run()
            }
            thread.name = "h2-io \(endpoint)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func submit(_ command: Command) {
        let (terminated, wakes) = shared.withLock { shared -> (TransportError?, Bool) in
            guard shared.terminated == nil else { return (shared.terminated, false) }
            shared.commands.append(command)
            defer { shared.asleep = false }
            return (nil, shared.asleep)
        }
        if let terminated {
            // The I/O thread is gone, so the call never reached it: complete it here.
            if case .start(let call) = command { call.complete(.failure(terminated.beforeSending)) }
            return
        }
        guard wakes else { return }
        if case .start = command, driveIfIdle() {
            callerStarts.add(1, ordering: .relaxed)
            return
        }
        wakeWrites.add(1, ordering: .relaxed)
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)  // when the pipe is full, the thread is awake anyway
    }

    /// Starts the queued calls on the caller's thread, when the I/O thread is polling a
    /// connection with no stream open: the request is written at once, without waking the I/O
    /// thread through the pipe and waiting for it to run (one thread hand-off per call, the
    /// answer's, instead of two). False when the thread is busy, streams are open (the thread
    /// then batches the calls into fewer writes), or the poll under way must be redone: a
    /// write left waiting for the socket, a failure, or a deadline before the poll's end.
    private func driveIfIdle() -> Bool {
        let driven = ioLock.withLockIfAvailable { _ -> Bool in
            guard polling, streams.isEmpty, session != nil, failure == nil else { return false }
            repeat {
                processCommands()
                flushOutput()
                if failure != nil || outputOffset < output.count || (wantsWriteForTLS && !pollWatchesWrite) {
                    return false
                }
                let deadline = streams.values.compactMap(\.call.deadline).min() ?? .infinity
                if deadline < pollEnds {
                    guard armTimer(at: deadline) else { return false }
                    pollEnds = deadline
                }
                // The thread still sleeps: the next submitter must know it (a command queued
                // since `processCommands` is taken here first).
            } while !fallAsleep()
            return true
        }
        return driven ?? false
    }

    /// Sets the timer the polling I/O thread watches to ring at `deadline` (monotonic seconds);
    /// false when there is no timer.
    private func armTimer(at deadline: Double) -> Bool {
        guard timerFD >= 0 else { return false }
        let whole = max(deadline, 0).rounded(.down)
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(whole)
        // A zero it_value would disarm the timer: at least one nanosecond.
        spec.it_value.tv_nsec = max(1, Int((deadline - whole) * 1e9))
        return timerfd_settime(timerFD, Int32(TFD_TIMER_ABSTIME), &spec, nil) == 0
    }

    /// Marks the I/O thread asleep unless commands are waiting (then false: take them first).
    private func fallAsleep() -> Bool {
        shared.withLock { shared in
            guard shared.commands.isEmpty else { return false }
            shared.asleep = true
            return true
        }
    }

    // MARK: Set-up (I/O thread)

    /// Connects within `connectTimeout` in all: TCP, TLS, and the server's SETTINGS. (A caller
    /// stops waiting at its own deadline; the connect goes on for the others.)
    private func open() throws(TransportError) {
        let deadline = monotonicSeconds() + configuration.connectTimeout
        let socket = try TCPSocket.connect(
            to: endpoint, configuration: configuration, timeout: configuration.connectTimeout)
        if endpoint.usesTLS {
            let tls = configuration.tls
            let context = try TLSContext(configuration: tls)
            let channel = try TLSChannel(
                socket: socket, context: context, serverName: tls.serverName ?? endpoint.host,
                verifiesPeer: tls.verifiesPeer
            )
            try channel.handshake(timeout: deadline - monotonicSeconds())
            self.channel = channel
        } else {
            channel = PlainChannel(socket)
        }
        try openSession()
        try awaitServerSettings(before: deadline)
    }

    /// Until the server's SETTINGS arrive nghttp2 assumes 100 concurrent streams; waiting for
    /// them (as grpc-core does) keeps the first burst of calls within the server's real limit.
    private func awaitServerSettings(before deadline: Double) throws(TransportError) {
        while true {
            flushOutput()
            if let failure { throw failure }
            // Read before polling: with TLS read-ahead, the handshake may already have taken
            // the server's SETTINGS off the socket, where poll cannot see them.
            readInput()
            if let failure { throw failure }
            if receivedServerSettings { return }
            let remaining = deadline - monotonicSeconds()
            guard remaining > 0, let channel else {
                throw TransportError(.connectFailed, "no HTTP/2 SETTINGS from the server", isRetryable: true)
            }
            if !channel.hasBufferedInput {
                var pollFD = pollfd(fd: channel.fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pollFD, 1, pollMilliseconds(remaining))
            }
        }
    }

    private func openSession() throws(TransportError) {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameReceived)
        nghttp2_session_callbacks_set_send_data_callback(callbacks, onSendData)

        // Window updates by hand: a streamed response is acknowledged only as its reader takes
        // it (backpressure); everything else at once, as nghttp2 would (see `receivedData`).
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, 1)

        var session: OpaquePointer?
        let result = nghttp2_session_client_new2(&session, callbacks, Unmanaged.passUnretained(self).toOpaque(), option)
        guard result == 0, let session else { throw nghttp2Error("nghttp2_session_client_new2", result) }
        self.session = session

        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: configuration.initialWindowSize
            ),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 100),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: UInt32(configuration.maxResponseHeaderListSize)
            ),
        ]
        var status = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        guard status == 0 else { throw nghttp2Error("nghttp2_submit_settings", status) }
        status = nghttp2_session_set_local_window_size(
            session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.connectionWindowSize
        )
        guard status == 0 else { throw nghttp2Error("nghttp2_session_set_local_window_size", status) }
    }

    // MARK: The loop (I/O thread)

    /// What the I/O thread waits for between two turns: nothing (input is buffered already),
    /// the socket, the wake pipe and the timer until a timeout, or nothing more (it has shut
    /// down).
    private enum Wait {
        case none
        case poll(fd: Int32, events: Int16, timeout: Int32)
        /// Commands came while the turn ran: another turn at once, without reading.
        case again
        case stop
    }

    private func run() {
        var afterPoll = false
        while true {
            let wait = ioLock.withLock { _ -> Wait in
                polling = false
                // Awake before reading: a caller whose answer this turn reads submits its next
                // call at once, and the thread, awake, takes it before sleeping again.
                shared.withLock { $0.asleep = false }
                if afterPoll {
                    if failure == nil && socketReady { readInput() }
                    checkTimers()
                }
                return turn()
            }
            afterPoll = true
            switch wait {
            case .stop: return
            case .none: socketReady = true
            case .again: socketReady = false
            case .poll(let fd, let events, let timeout): waitForEvents(fd: fd, events: events, timeout: timeout)
            }
        }
    }

    /// One turn of the loop, under `ioLock`: the commands, then the output; then what to
    /// wait for, noted for `driveIfIdle` before the lock is released.
    private func turn() -> Wait {
        processCommands()
        if failure == nil { flushOutput() }
        if let failure {
            // Closed by us (`close()`, or retired): our GOAWAY goes out first, if the socket
            // takes it at once.
            if failure.kind == .closed { flushOutput() }
            shutDown(failure)
            return .stop
        }
        if let session, nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0,
            outputOffset == output.count
        {
            shutDown(TransportError(.connectionClosed, "the session ended", isRetryable: true))
            return .stop
        }
        guard let channel else { return .stop }
        if channel.hasBufferedInput { return .none }
        pollWatchesWrite = outputOffset < output.count || wantsWriteForTLS
        let timeout = pollTimeout()
        pollEnds = timeout < 0 ? .infinity : monotonicSeconds() + Double(timeout) / 1000
        guard fallAsleep() else { return .again }
        polling = true
        return .poll(
            fd: channel.fd, events: Int16(POLLIN) | (pollWatchesWrite ? Int16(POLLOUT) : 0), timeout: timeout)
    }

    /// Polls outside `ioLock`, so that a caller may start a call meanwhile (`driveIfIdle`).
    private func waitForEvents(fd: Int32, events: Int16, timeout: Int32) {
        socketReady = true
        var fds = (
            pollfd(fd: fd, events: events, revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: timerFD, events: Int16(POLLIN), revents: 0)
        )
        let result = withUnsafeMutableBytes(of: &fds) { raw in
            poll(raw.baseAddress!.assumingMemoryBound(to: pollfd.self), timerFD >= 0 ? 3 : 2, timeout)
        }
        guard result >= 0 else { return }  // EINTR: read anyway
        // Woken only to take commands, or by a timer: reading would only hear EAGAIN. (A call a
        // caller started meanwhile has its answer come as input, which wakes this poll.)
        socketReady = result > 0 && fds.0.revents != 0
        if result > 0 && fds.1.revents != 0 { drainWakeups() }
        if result > 0 && fds.2.revents != 0 {
            var expirations: UInt64 = 0
            _ = read(timerFD, &expirations, MemoryLayout<UInt64>.size)
        }
    }

    private func drainWakeups() {
        // Submitters write one byte per wake-up (see `Shared.asleep`): one read empties it.
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let size = MemoryLayout.size(ofValue: bytes)
        while withUnsafeMutableBytes(of: &bytes, { read(wakeFD, $0.baseAddress, size) }) == size {}
    }

    /// Milliseconds until the nearest deadline or keepalive event; -1 for none.
    private func pollTimeout() -> Int32 {
        var next = Double.infinity
        for stream in streams.values {
            if let deadline = stream.call.deadline { next = min(next, deadline) }
        }
        if let interval = configuration.keepaliveInterval {
            next = min(next, pingSentAt.map { $0 + configuration.keepaliveTimeout } ?? lastActivity + interval)
        }
        if let probeSentAt { next = min(next, probeSentAt + configuration.unresponsiveTimeout) }
        guard next.isFinite else { return -1 }
        return Int32(max(0, min(60_000, ((next - monotonicSeconds()) * 1000).rounded(.up))))
    }

    private func processCommands() {
        // Moved out, not copied: a copy would share its buffer with `Shared.commands` after the
        // swap, and the next submitter's append would then allocate a new one.
        var commands: [Command] = []
        swap(&commands, &takenCommands)
        shared.withLock { shared in
            swap(&shared.commands, &commands)
        }
        defer {
            commands.removeAll(keepingCapacity: true)
            takenCommands = commands
        }
        for command in commands {
            switch command {
            case .start(let call):
                if call.cancelled {
                    call.complete(.failure(TransportError(.cancelled, "")))
                } else if let failure {
                    call.complete(.failure(failure.beforeSending))
                } else if goAwayLastStreamID != nil {
                    call.complete(
                        .failure(TransportError(.goAway, "the connection is shutting down", isRetryable: true)))
                } else if retired {
                    call.complete(.failure(TransportError(.closed, "the connection was retired").beforeSending))
                } else {
                    startStream(call)
                }
            case .cancel(let call):
                call.cancelled = true
                if call.streamID != 0, let stream = streams[call.streamID] {
                    reset(
                        stream, code: NGHTTP2_CANCEL.rawValue,
                        error: TransportError(.cancelled, "the stream was cancelled"))
                }
            case .consume(let call, let count):
                if call.streamID != 0, streams[call.streamID] != nil, let session {
                    let status = nghttp2_session_consume_stream(session, call.streamID, count)
                    if status != 0 { failure = failure ?? nghttp2Error("nghttp2_session_consume_stream", status) }
                }
            case .retire:
                retired = true
                shared.withLock { $0.usable = false }
            case .close:
                failure = failure ?? TransportError(.closed, "")
                if let session { nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue) }
            }
        }
        if retired, streams.isEmpty, failure == nil {
            failure = TransportError(.closed, "idle")
            if let session { nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue) }
        }
    }

    private func startStream(_ call: PendingCall) {
        guard let session else { return }
        let request = call.request
        var fields: [(String, String)] = [
            // The order gRPC's PROTOCOL-HTTP2.md lists; HTTP/2 only requires pseudo-headers first.
            (":method", request.method), (":scheme", endpoint.scheme), (":path", request.path),
            (":authority", endpoint.authority),
        ]
        for header in request.headers { fields.append((header.name, header.value)) }
        let stream = StreamState(call: call, maxBodySize: configuration.maxResponseBodySize)
        let hasBody =
            !request.body.isEmpty || request.method == "POST" || request.method == "PUT"
            || request.method == "PATCH"
        let streamID = withHeaderFields(fields) { nva, count -> Int32 in
            guard hasBody else { return nghttp2_submit_request(session, nil, nva, count, nil, nil) }
            var provider = nghttp2_data_provider()
            provider.source.ptr = Unmanaged.passUnretained(stream).toOpaque()
            provider.read_callback = readRequestBody
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        guard streamID > 0 else {
            let retryable = streamID == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE.rawValue
            if retryable {
                // Stream ids used up (2^31 of them): no new call here. A GOAWAY of our own ends
                // the session once the streams in flight are done.
                shared.withLock { $0.usable = false }
                nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, NGHTTP2_NO_ERROR.rawValue, nil, 0)
            }
            call.complete(
                .failure(
                    TransportError(
                        .protocolError, "nghttp2_submit_request: \(String(cString: nghttp2_strerror(streamID)))",
                        isRetryable: retryable, wasNotProcessed: retryable
                    )))
            return
        }
        call.streamID = streamID
        streams[streamID] = stream
        shared.withLock { $0.activeStreams = streams.count }
    }

    private func reset(_ stream: StreamState, code: UInt32, error: Error) {
        guard let session else { return }
        stream.error = error
        // A streamed response's reader learns at once, before the chunks it has not taken.
        if let body = stream.call.body { body.fail((error as? TransportError) ?? TransportError(.system, "\(error)")) }
        let streamID = stream.call.streamID
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, code)
        // A request nghttp2 still holds back for a stream slot (it opens streams only as it
        // writes their HEADERS) is only marked cancelled: it would close when a slot frees,
        // long after its deadline. It never reached the server, so it ends now.
        if nghttp2_session_find_stream(session, streamID) == nil, streams.removeValue(forKey: streamID) != nil {
            shared.withLock { $0.activeStreams = streams.count }
            abandoned[streamID] = stream  // nghttp2 holds a pointer to it until it closes the stream
            stream.call.complete(.failure(error))
        }
    }

    private func checkTimers() {
        let now = monotonicSeconds()
        var deadlinePassed = false
        for stream in streams.values where stream.error == nil {
            if let deadline = stream.call.deadline, deadline <= now {
                reset(stream, code: NGHTTP2_CANCEL.rawValue, error: TransportError(.deadlineExceeded, ""))
                deadlinePassed = true
            }
        }
        if let sentAt = probeSentAt, now - sentAt > configuration.unresponsiveTimeout {
            failure =
                failure
                ?? TransportError(
                    .connectionClosed,
                    "no answer to a PING for \(configuration.unresponsiveTimeout) s after a deadline passed",
                    isRetryable: false
                )
        } else if deadlinePassed, probeSentAt == nil, let session {
            nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            probeSentAt = now
        }
        guard let interval = configuration.keepaliveInterval, let session else { return }
        if let sentAt = pingSentAt {
            if now - sentAt > configuration.keepaliveTimeout {
                failure =
                    failure
                    ?? TransportError(
                        .connectionClosed, "keepalive PING unanswered for \(configuration.keepaliveTimeout) s",
                        isRetryable: false
                    )
            }
        } else if now - lastActivity >= interval {
            nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            pingSentAt = now
        }
    }

    // MARK: Bytes in and out (I/O thread)

    /// Moves nghttp2's pending frames into one buffer and writes as much as the socket takes:
    /// many small frames go out in one write.
    private func flushOutput() {
        guard let session, let channel else { return }
        while true {
            if outputOffset == output.count {
                output.removeAll(keepingCapacity: true)
                outputOffset = 0
            }
            while output.count < 64 << 10 {
                var chunk: UnsafePointer<UInt8>?
                let length = nghttp2_session_mem_send(session, &chunk)
                if length < 0 {
                    failure = nghttp2Error("nghttp2_session_mem_send", Int32(length))
                    return
                }
                guard length > 0, let chunk else { break }
                output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: length))
            }
            guard outputOffset < output.count else { return }
            let outcome: Result<IOStatus, TransportError> = output.withUnsafeBytes { buffer in
                do throws(TransportError) {
                    return .success(try channel.write(UnsafeRawBufferPointer(rebasing: buffer[outputOffset...])))
                } catch {
                    return .failure(error)
                }
            }
            let status: IOStatus
            switch outcome {
            case .success(let value): status = value
            case .failure(let error):
                failure = error
                return
            }
            switch status {
            case .done(let count):
                outputOffset += count
                wantsWriteForTLS = false
                configuration.trafficCounter?.countSent(count)
            case .wouldBlock(let wantsWrite):
                wantsWriteForTLS = wantsWrite
                return
            case .closed:
                failure = TransportError(
                    .connectionClosed, "the server closed the connection", isRetryable: streams.isEmpty)
                return
            }
        }
    }

    private func readInput() {
        guard let session, let channel else { return }
        while failure == nil {
            let status: IOStatus
            do {
                status = try channel.read(into: readBuffer)
            } catch {
                failure = error
                return
            }
            switch status {
            case .done(let count):
                lastActivity = monotonicSeconds()
                configuration.trafficCounter?.countReceived(count)
                let consumed = nghttp2_session_mem_recv(
                    session, readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                if consumed < 0 {
                    failure = nghttp2Error("nghttp2_session_mem_recv", Int32(consumed))
                    return
                }
                flushOutput()  // WINDOW_UPDATE, SETTINGS ACK, PING ACK: answer promptly
                // A short read emptied the socket: back to poll, rather than one more read
                // that would only hear EAGAIN. TLS may hold more records read ahead.
                if count < readBuffer.count && !channel.mayHaveBufferedInput { return }
            case .wouldBlock(let wantsWrite):
                if wantsWrite { wantsWriteForTLS = true }
                return
            case .closed:
                failure = TransportError(
                    .connectionClosed, "the server closed the connection", isRetryable: streams.isEmpty
                )
                return
            }
        }
    }

    /// Fails every stream and queued command with `error` and releases the session.
    private func shutDown(_ error: TransportError) {
        shared.withLock { $0.usable = false }
        report(.closed(reason: error.kind == .closed ? nil : error.kind, message: error.message))
        for (streamID, stream) in streams {
            stream.call.complete(.failure(stream.error ?? lostStreamError(streamID: streamID, error)))
        }
        streams.removeAll()
        if let session { nghttp2_session_del(session) }
        abandoned.removeAll()
        session = nil
        channel = nil
        let remaining = shared.withLock { shared -> [Command] in
            shared.activeStreams = 0
            shared.usable = false
            shared.terminated = error
            defer { shared.commands.removeAll() }
            return shared.commands
        }
        for case .start(let call) in remaining {
            call.complete(.failure(error.beforeSending))
        }
    }

    /// What a stream still open when the connection failed with `error` learns. Streams the
    /// server cannot have processed are marked so (sent again at once, whatever the method):
    /// those above a GOAWAY's last stream id, and those nghttp2 still held back (it opens a
    /// stream only when it writes its HEADERS). For the others the request may have been
    /// applied, and only the caller knows whether repeating it is safe: a server that closes
    /// with requests unread makes the kernel reset the connection, and the reset can discard
    /// answers already received (nginx after `keepalive_requests`).
    private func lostStreamError(streamID: Int32, _ error: TransportError) -> TransportError {
        if let last = goAwayLastStreamID, streamID > last {
            return TransportError(.goAway, "stream \(streamID) not processed before GOAWAY", wasNotProcessed: true)
        }
        if let session, nghttp2_session_find_stream(session, streamID) == nil { return error.beforeSending }
        return error
    }

    // MARK: nghttp2 callbacks (I/O thread, inside mem_recv)

    fileprivate func receivedHeader(streamID: Int32, category: UInt32, name: String, value: String) {
        guard let stream = streams[streamID], stream.error == nil else { return }
        // Sized as SETTINGS_MAX_HEADER_LIST_SIZE counts (RFC 9113 §6.5.2), headers and trailers together.
        stream.headerListSize += name.utf8.count + value.utf8.count + 32
        if stream.headerListSize > configuration.maxResponseHeaderListSize {
            reset(
                stream, code: NGHTTP2_CANCEL.rawValue,
                error: TransportError(
                    .responseTooLarge,
                    "response header list larger than \(configuration.maxResponseHeaderListSize) bytes"
                ))
            return
        }
        if category == NGHTTP2_HCAT_HEADERS.rawValue {
            stream.trailers.append(HeaderField(name, value))
        } else if name == ":status" {
            stream.status = Int(value) ?? 0
        } else {
            stream.headers.append(HeaderField(name, value))
        }
    }

    fileprivate func receivedData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], stream.error == nil else {
            consume(streamID: streamID, bytes.count)  // nobody reads it: free the windows at once
            return
        }
        if let body = stream.call.body {
            // The connection's window at once (one slow reader must not stall other streams);
            // the stream's when the reader takes the bytes: now if it was waiting, else later
            // (`Command.consume`).
            stream.sawData = true
            if body.deliver(bytes) {
                consume(streamID: streamID, bytes.count)
            } else if let session {
                let status = nghttp2_session_consume_connection(session, bytes.count)
                if status != 0 { failure = failure ?? nghttp2Error("nghttp2_session_consume_connection", status) }
            }
            return
        }
        consume(streamID: streamID, bytes.count)
        if stream.body.count + bytes.count > stream.maxBodySize {
            reset(
                stream, code: NGHTTP2_CANCEL.rawValue,
                error: TransportError(
                    .responseTooLarge, "more than \(stream.maxBodySize) bytes"
                ))
            return
        }
        stream.body.append(contentsOf: bytes)
        stream.sawData = true
    }

    /// Acknowledges received DATA on the stream and the connection (nghttp2 sends WINDOW_UPDATE
    /// once half a window is consumed, as it would by itself).
    private func consume(streamID: Int32, _ count: Int) {
        guard let session else { return }
        let status = nghttp2_session_consume(session, streamID, count)
        if status != 0 { failure = failure ?? nghttp2Error("nghttp2_session_consume", status) }
    }

    fileprivate func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else {
            abandoned[streamID] = nil
            return
        }
        shared.withLock { $0.activeStreams = streams.count }
        if let error = stream.error {
            stream.call.complete(.failure(error))
        } else if errorCode != NGHTTP2_NO_ERROR.rawValue {
            stream.call.complete(.failure(streamResetError(streamID: streamID, code: errorCode)))
        } else if let status = stream.status {
            stream.call.complete(
                .success(
                    HTTP2Response(
                        status: status, headers: stream.headers, body: stream.body, trailers: stream.trailers,
                        headersOnly: !stream.sawData && stream.trailers.isEmpty
                    )))
        } else {
            stream.call.complete(.failure(TransportError(.protocolError, "stream closed without a response")))
        }
    }

    private func streamResetError(streamID: Int32, code: UInt32) -> TransportError {
        let name = String(cString: nghttp2_http2_strerror(code))
        if let last = goAwayLastStreamID, streamID > last {
            return TransportError(
                .goAway, "stream \(streamID) not processed before GOAWAY", http2ErrorCode: code, isRetryable: true)
        }
        if code == NGHTTP2_REFUSED_STREAM.rawValue { report(.streamRefused(streamID: streamID)) }
        return TransportError(
            .streamReset, "RST_STREAM \(name)", http2ErrorCode: code,
            isRetryable: code == NGHTTP2_REFUSED_STREAM.rawValue
        )
    }

    fileprivate func receivedFrame(
        type: UInt8, flags: UInt8, streamID: Int32, goAway: (lastStreamID: Int32, errorCode: UInt32, debug: String)?
    ) {
        if type == UInt8(NGHTTP2_HEADERS.rawValue) {
            // A streamed response's reader starts once the response headers are complete.
            guard let stream = streams[streamID], stream.error == nil, let body = stream.call.body,
                let status = stream.status, !stream.headDelivered
            else { return }
            stream.headDelivered = true
            body.deliverHead(
                ResponseBodyState.Head(
                    status: status, headers: stream.headers,
                    endsStream: flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
                ))
        } else if type == UInt8(NGHTTP2_SETTINGS.rawValue), flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
            receivedServerSettings = true
            if let session {
                // 2^32-1 is nghttp2's "none set"; a server may lower its limit at any time.
                let limit = nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
                shared.withLock { $0.maxConcurrentStreams = limit == UInt32.max ? nil : Int(limit) }
            }
        } else if type == UInt8(NGHTTP2_GOAWAY.rawValue), let goAway {
            goAwayLastStreamID = goAway.lastStreamID
            let tooManyPings =
                goAway.errorCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue && goAway.debug == "too_many_pings"
            shared.withLock {
                $0.usable = false
                $0.tooManyPings = $0.tooManyPings || tooManyPings
            }
            report(
                .goAwayReceived(errorCode: goAway.errorCode, lastStreamID: goAway.lastStreamID, debugData: goAway.debug)
            )
        } else if type == UInt8(NGHTTP2_PING.rawValue), flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
            pingSentAt = nil
            probeSentAt = nil
        }
    }

    /// How much of the request body the next DATA frame takes (at most `length`), and whether
    /// it is the last: nghttp2 asks first, then has `sendRequestData` write the frame.
    fileprivate func requestBody(for stream: StreamState, length: Int) -> (Int, Bool) {
        let count = min(length, stream.call.request.body.count - stream.bodyOffset)
        stream.bodyOffset += count
        return (count, stream.bodyOffset == stream.call.request.body.count)
    }

    /// Writes one DATA frame of a request straight from its body into the output buffer: the
    /// frame header nghttp2 serialized, then `length` bytes of the body, the one copy the
    /// bytes take before the socket (NGHTTP2_DATA_FLAG_NO_COPY spares nghttp2's own).
    fileprivate func sendRequestData(
        for stream: StreamState, header: UnsafePointer<UInt8>, length: Int, padding: Int
    ) {
        output.append(contentsOf: UnsafeBufferPointer(start: header, count: 9))
        // nghttp2 pads only when asked to (no select_padding callback here); handled anyway.
        if padding > 0 { output.append(UInt8(truncatingIfNeeded: padding - 1)) }
        stream.call.request.body.withUnsafeBufferPointer { body in
            output.append(
                contentsOf: UnsafeBufferPointer(rebasing: body[stream.sentOffset..<stream.sentOffset + length]))
        }
        stream.sentOffset += length
        if padding > 1 { output.append(contentsOf: repeatElement(0, count: padding - 1)) }
    }
}

/// What the I/O thread knows about one open stream.
final class StreamState {
    let call: PendingCall
    let maxBodySize: Int
    var status: Int?
    var headers: [HeaderField] = []
    var trailers: [HeaderField] = []
    var body: [UInt8] = []
    var sawData = false
    /// A streamed response's head went to its reader.
    var headDelivered = false
    var headerListSize = 0
    /// How much of the request body DATA frames have taken, and how much went to the output.
    var bodyOffset = 0
    var sentOffset = 0
    /// Set when we reset the stream ourselves, to report why once it closes.
    var error: Error?

    init(call: PendingCall, maxBodySize: Int) {
        self.call = call
        self.maxBodySize = maxBodySize
    }
}

func nghttp2Error(_ function: String, _ code: Int32) -> TransportError {
    TransportError(.protocolError, "\(function): \(String(cString: nghttp2_strerror(code)))")
}

// MARK: C callbacks: trampolines to the ConnectionIO; nothing throws across C.

private func connection(_ userData: UnsafeMutableRawPointer?) -> ConnectionIO {
    Unmanaged<ConnectionIO>.fromOpaque(userData!).takeUnretainedValue()
}

private let onHeader: nghttp2_on_header_callback = { _, frame, name, nameLength, value, valueLength, _, userData in
    guard let frame, let name, let value else { return 0 }
    let streamID = frame.pointee.hd.stream_id
    connection(userData).receivedHeader(
        streamID: streamID,
        category: frame.pointee.headers.cat.rawValue,
        name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
        value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
    )
    return 0
}

private let onDataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, length, userData in
    guard let data else { return 0 }
    connection(userData).receivedData(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length))
    return 0
}

private let onStreamClose: nghttp2_on_stream_close_callback = { _, streamID, errorCode, userData in
    connection(userData).streamClosed(streamID: streamID, errorCode: errorCode)
    return 0
}

private let onFrameReceived: nghttp2_on_frame_recv_callback = { _, frame, userData in
    guard let frame else { return 0 }
    let type = frame.pointee.hd.type
    var goAway: (lastStreamID: Int32, errorCode: UInt32, debug: String)?
    if type == UInt8(NGHTTP2_GOAWAY.rawValue) {
        let frame = frame.pointee.goaway
        let debug = frame.opaque_data.map {
            String(decoding: UnsafeBufferPointer(start: $0, count: frame.opaque_data_len), as: UTF8.self)
        }
        goAway = (frame.last_stream_id, frame.error_code, debug ?? "")
    }
    connection(userData).receivedFrame(
        type: type, flags: frame.pointee.hd.flags, streamID: frame.pointee.hd.stream_id, goAway: goAway
    )
    return 0
}

private let readRequestBody: nghttp2_data_source_read_callback = {
    _, _, _, length, flags, source, userData in
    // The body is not copied here: NO_COPY makes nghttp2 call `sendRequestData` for the frame.
    guard let flags, let pointer = source?.pointee.ptr else {
        return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
    }
    let stream = Unmanaged<StreamState>.fromOpaque(pointer).takeUnretainedValue()
    let (count, finished) = connection(userData).requestBody(for: stream, length: length)
    flags.pointee |= NGHTTP2_DATA_FLAG_NO_COPY.rawValue
    if finished { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
    return count
}

private let onSendData: nghttp2_send_data_callback = { _, frame, header, length, source, userData in
    guard let frame, let header, let pointer = source?.pointee.ptr else {
        return Int32(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
    }
    let stream = Unmanaged<StreamState>.fromOpaque(pointer).takeUnretainedValue()
    connection(userData).sendRequestData(
        for: stream, header: header, length: length, padding: Int(frame.pointee.data.padlen))
    return 0
}

extension TransportError {
    /// The error for a request that never left the client because of this one: the connection
    /// was gone (the server closed it while idle, say) before the request reached the I/O
    /// thread, so it may be sent again at once on a new connection. A closed channel stays
    /// closed: `HTTP2Channel` refuses new connections then.
    var beforeSending: TransportError {
        TransportError(kind, message, http2ErrorCode: http2ErrorCode, isRetryable: true, wasNotProcessed: true)
    }
}
