internal import CNGHTTP2
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One accepted connection of an `HTTPServer`, on its own I/O thread: HTTP/2 through an
/// nghttp2 server session, or HTTP/1.1 keep-alive read by an `HTTP1RequestParser`.
///
/// Timeouts (`ServerLimits`): the TLS handshake and the first request head (HTTP/2: the
/// preface and the client's first frame) must arrive within `headerTimeout` of the accept,
/// each later HTTP/1.1 head within `headerTimeout` of its first byte; a connection that
/// receives and sends nothing for `idleTimeout` (a response held back by fault injection
/// does not count) is closed. Closing says goodbye as servers do: GOAWAY on HTTP/2, 408 to
/// an HTTP/1.1 request left half-sent, nothing to an idle HTTP/1.1 connection.
final class ServerConnection: @unchecked Sendable {
    /// The peer's address, for `ServerLimits.maxConnectionsPerPeer`.
    let peer: PeerAddress
    /// `ServerRequest.connectionID` of every request on this connection.
    let id: Int
    /// The last connection id given out in the process.
    private static let lastID = Atomic<Int>(0)
    private let socket: TCPSocket
    private let tls: ServerTLSContext?
    private let limits: ServerLimits
    private let handler: HTTPServer.Handler
    private let onFinish: @Sendable (ServerConnection) -> Void
    private let closing = Atomic<Bool>(false)
    private let acceptedAt = monotonicSeconds()
    /// Monotonic milliseconds since which the connection has had nothing to do (no request in
    /// progress, nothing to write, no response held back), or -1 while it has something: the
    /// accept thread reads it to choose which connection makes room at a limit.
    private let idleSinceMilliseconds: Atomic<Int64>
    /// In the TLS handshake, whose loop does not look at `closing`.
    private let inHandshake = Atomic<Bool>(false)

    // I/O thread only.
    private var channel: ByteChannel?
    private var session: OpaquePointer?
    private var isHTTP2 = false
    /// The first bytes told HTTP/1.1 from HTTP/2: everything read goes to `parser`.
    private var isHTTP1 = false
    /// Bytes read before the protocol is known (a prefix of the HTTP/2 preface).
    private var input: [UInt8] = []
    private var parser: HTTP1RequestParser
    /// When a byte was last read or written.
    private var lastActivity: Double
    /// When the head of the HTTP/1.1 request being read (after the first) began to arrive.
    private var headStartedAt: Double?
    /// HTTP/2: the client's first frame (its SETTINGS) arrived, which ends the header timeout.
    private var sawClientFrame = false
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterFlush = false
    /// A handler asked to drop the connection: close it without writing anything more.
    private var dropped = false
    private var finished = false
    private var requests: [Int32: RequestState] = [:]
    /// The last stream id of the GOAWAY this connection sent, if any: the client takes every
    /// later stream as unprocessed and sends it again elsewhere, so such streams must not
    /// reach the handler (one arriving in the same read as the stream that triggered the
    /// GOAWAY used to be stored, then stored again on the client's retry).
    private var goAwayLastStreamID: Int32?
    private var responses: [Int32: ResponseState] = [:]
    private var delayed: [(due: Double, streamID: Int32, response: ServerResponse)] = []
    /// Streamed bodies whose source answered `.wait`: resumed (nghttp2_session_resume_data) when due.
    private var paced: [(due: Double, streamID: Int32)] = []
    /// An HTTP/1.1 response held back by `ServerResponse.delay`; later requests on the
    /// connection wait behind it, as HTTP/1.1 answers in order.
    private var delayedHTTP1: (due: Double, response: ServerResponse, keepAlive: Bool)?
    /// An HTTP/1.1 response whose body streams from its source, chunked; later requests wait
    /// behind it. `due`: when to pull again after the source said `.wait`.
    private var http1Stream: (source: ServerBodySource, keepAlive: Bool, due: Double?)?
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    init(
        socket: TCPSocket, peer: PeerAddress, tls: ServerTLSContext?, limits: ServerLimits,
        handler: @escaping HTTPServer.Handler, onFinish: @escaping @Sendable (ServerConnection) -> Void
    ) {
        self.socket = socket
        self.peer = peer
        id = ServerConnection.lastID.add(1, ordering: .relaxed).newValue
        parser = HTTP1RequestParser(maxHeadSize: limits.maxHeaderListSize, maxBodySize: limits.maxBodySize)
        lastActivity = acceptedAt
        idleSinceMilliseconds = Atomic(Int64(acceptedAt * 1000))
        self.tls = tls
        self.limits = limits
        self.handler = handler
        self.onFinish = onFinish
    }

    deinit {
        if let session { nghttp2_session_del(session) }
        readBuffer.deallocate()
    }

    func start() {
        let thread = Thread { [self] in
            run()
            onFinish(self)
        }
        thread.name = "http-conn"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Asks the I/O thread to close the connection (HTTP/2 after a GOAWAY); it notices within
    /// its poll interval, or at once during a TLS handshake.
    func close() {
        // Sequentially consistent, with `open()`: either it sees `closing` before its handshake
        // or this sees `inHandshake`.
        closing.store(true, ordering: .sequentiallyConsistent)
        // The handshake polls the socket until its own timeout: reading shut down ends it.
        if inHandshake.load(ordering: .sequentiallyConsistent) { _ = shutdown(socket.fd, Int32(SHUT_RD)) }
    }

    /// Since when (`monotonicSeconds()`) the connection has had nothing to do, or nil while it
    /// has a request in progress, bytes to write or a response held back.
    var idleSince: Double? {
        let milliseconds = idleSinceMilliseconds.load(ordering: .relaxed)
        return milliseconds < 0 ? nil : Double(milliseconds) / 1000
    }

    // MARK: The loop

    private enum Timeout {
        case header, idle
    }

    private func run() {
        do {
            try open()
            var expired: Timeout?
            while !finished && !closing.load(ordering: .relaxed) {
                try flush()
                if finished { break }
                waitForEvents()
                try readInput()
                try fireDelayedResponses()
                if isHTTP1 && parser.bufferedCount > 0 { parseHTTP1Requests() }  // after a backlog was written
                let now = monotonicSeconds()
                publishIdleState(now)
                expired = expiredTimeout(now)
                if expired != nil { break }
            }
            if !finished && (expired != nil || closing.load(ordering: .relaxed)) { goodbye(after: expired) }
        } catch {
            // The peer misbehaved or went away: nothing to report to anyone.
        }
        if let session { nghttp2_session_del(session) }
        session = nil
        channel = nil
        // Streamed bodies still open end with the connection.
        for state in responses.values { state.source?.onEnd?(.connectionClosed) }
        responses = [:]
        paced = []
        if let stream = http1Stream {
            http1Stream = nil
            stream.source.onEnd?(.connectionClosed)
        }
    }

    private func open() throws(TransportError) {
        if let tls {
            let channel = try TLSChannel(acceptedSocket: socket, context: tls)
            inHandshake.store(true, ordering: .sequentiallyConsistent)
            defer { inHandshake.store(false, ordering: .sequentiallyConsistent) }
            if closing.load(ordering: .sequentiallyConsistent) {
                throw TransportError(.closed, "closed before the TLS handshake")
            }
            try channel.handshake(timeout: limits.headerTimeout)
            self.channel = channel
            if channel.negotiatedProtocol == "h2" { try startHTTP2() }
        } else {
            channel = PlainChannel(socket)
        }
    }

    /// HTTP/1.1 answers not yet written, in bytes, beyond which no more requests are read (a
    /// client pipelining requests without reading the answers would make them grow unbounded).
    private static let maxOutputBacklog = 1 << 20

    private var outputBacklog: Int { output.count - outputOffset }

    private func waitForEvents() {
        guard let channel, !channel.hasBufferedInput else { return }
        // A streamed HTTP/1.1 body whose output was written is pulled again at once, not after
        // the poll's timeout: nothing else would wake the loop.
        if let stream = http1Stream, stream.due == nil, outputBacklog < Self.http1StreamBacklog { return }
        var events: Int16 = 0
        if !(isHTTP1 && outputBacklog >= Self.maxOutputBacklog) { events |= Int16(POLLIN) }
        if outputOffset < output.count { events |= Int16(POLLOUT) }
        var descriptor = pollfd(fd: channel.fd, events: events, revents: 0)
        var timeout: Int32 = 200  // also how often `close()` and the timeouts are noticed
        // The nearest response held back or paced, without an array per wake-up.
        var due = min(delayedHTTP1?.due ?? .infinity, http1Stream?.due ?? .infinity)
        for item in delayed { due = min(due, item.due) }
        for item in paced { due = min(due, item.due) }
        if due.isFinite {
            timeout = min(timeout, pollMilliseconds(due - monotonicSeconds()))
        }
        _ = poll(&descriptor, 1, timeout)
    }

    private func readInput() throws(TransportError) {
        guard let channel else { return }
        while !finished {
            if isHTTP1 && outputBacklog >= Self.maxOutputBacklog { return }
            switch try channel.read(into: readBuffer) {
            case .done(let count):
                lastActivity = monotonicSeconds()
                // After a refused request or the last one (`connection: close`), nothing read is
                // taken as a request: a smuggled one must not run.
                if closeAfterFlush || dropped { continue }
                let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[..<count])
                if let session {
                    let consumed = nghttp2_session_mem_recv(
                        session, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                    if consumed < 0 { throw nghttp2Error("nghttp2_session_mem_recv", Int32(consumed)) }
                } else if isHTTP1 {
                    parser.append(bytes)
                    parseHTTP1Requests()
                } else {
                    input.append(contentsOf: bytes)
                    try detectOrParseHTTP1()
                }
                try flush()
            case .wouldBlock:
                return
            case .closed:
                finished = true
                return
            }
        }
    }

    private func flush() throws(TransportError) {
        if dropped {
            finished = true
            return
        }
        guard let channel else { return }
        while true {
            if outputOffset == output.count {
                output.removeAll(keepingCapacity: true)
                outputOffset = 0
            }
            if let session {
                while output.count < 64 << 10 {
                    var chunk: UnsafePointer<UInt8>?
                    let length = nghttp2_session_mem_send(session, &chunk)
                    if length < 0 { throw nghttp2Error("nghttp2_session_mem_send", Int32(length)) }
                    guard length > 0, let chunk else { break }
                    output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: length))
                }
            }
            guard outputOffset < output.count else {
                if let session, nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0 {
                    finished = true
                }
                if closeAfterFlush { finished = true }
                return
            }
            let offset = outputOffset
            let outcome: Result<IOStatus, TransportError> = output.withUnsafeBytes { buffer in
                do throws(TransportError) {
                    return .success(try channel.write(UnsafeRawBufferPointer(rebasing: buffer[offset...])))
                } catch {
                    return .failure(error)
                }
            }
            switch try outcome.get() {
            case .done(let count):
                outputOffset += count
                if count > 0 { lastActivity = monotonicSeconds() }
            case .wouldBlock: return
            case .closed:
                finished = true
                return
            }
        }
    }

    // MARK: Timeouts and closing

    private func expiredTimeout(_ now: Double) -> Timeout? {
        if !delayed.isEmpty || delayedHTTP1 != nil || !paced.isEmpty || http1Stream?.due != nil {
            // The client waits for an answer held back on purpose (or paced by its source): not
            // its silence.
            lastActivity = now
            headStartedAt = headStartedAt.map { _ in now }
        }
        if let deadline = headDeadline(now), now >= deadline { return .header }
        if now - lastActivity >= limits.idleTimeout { return .idle }
        return nil
    }

    private func headDeadline(_ now: Double) -> Double? {
        if isHTTP2 { return sawClientFrame ? nil : acceptedAt + limits.headerTimeout }
        guard isHTTP1, parser.headsRead > 0 else { return acceptedAt + limits.headerTimeout }
        if !parser.isReadingHead {
            headStartedAt = nil
        } else if headStartedAt == nil {
            headStartedAt = now
        }
        return headStartedAt.map { $0 + limits.headerTimeout }
    }

    private func publishIdleState(_ now: Double) {
        let busy =
            outputOffset < output.count || !delayed.isEmpty || delayedHTTP1 != nil || !input.isEmpty
            || http1Stream != nil
            || (isHTTP1 && parser.hasPartialRequest) || !requests.isEmpty || !responses.isEmpty
        let current = idleSinceMilliseconds.load(ordering: .relaxed)
        if busy {
            if current >= 0 { idleSinceMilliseconds.store(-1, ordering: .relaxed) }
        } else if current < 0 {
            idleSinceMilliseconds.store(Int64(now * 1000), ordering: .relaxed)
        }
    }

    /// Ends the connection as a server should: HTTP/2 with a GOAWAY naming the last stream it
    /// processed (RFC 9113 §6.8), an HTTP/1.1 request whose head or body stopped arriving with
    /// 408 (RFC 9110 §15.5.9), an idle HTTP/1.1 connection with nothing (RFC 9112 §9.6).
    /// Written as far as the socket takes it within 100 ms.
    private func goodbye(after timeout: Timeout?) {
        if let session {
            let last = nghttp2_session_get_last_proc_stream_id(session)
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        } else if timeout != nil, isHTTP1, parser.hasPartialRequest, outputOffset == output.count, delayedHTTP1 == nil {
            writeHTTP1(ServerResponse(status: 408, body: Array("Request Timeout".utf8)), keepAlive: false)
        }
        closeAfterFlush = true
        let deadline = monotonicSeconds() + 0.1
        do {
            while true {
                try flush()
                guard !finished, outputOffset < output.count, let channel else { return }
                let remaining = deadline - monotonicSeconds()
                guard remaining > 0 else { return }
                var descriptor = pollfd(fd: channel.fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, pollMilliseconds(remaining))
            }
        } catch {
            // Gone already: nothing more to say.
        }
    }

    // MARK: HTTP/2

    private static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private func startHTTP2() throws(TransportError) {
        isHTTP2 = true
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onServerHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onServerData)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onServerFrame)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onServerStreamClose)
        var session: OpaquePointer?
        let result = nghttp2_session_server_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
        guard result == 0, let session else { throw nghttp2Error("nghttp2_session_server_new", result) }
        self.session = session
        var settings = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limits.maxConcurrentStreams
            ),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 4 << 20),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: UInt32(limits.maxHeaderListSize)),
        ]
        _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 16 << 20)
    }

    fileprivate func receivedFrame() {
        sawClientFrame = true
    }

    fileprivate func beginRequest(streamID: Int32) {
        requests[streamID] = RequestState()
    }

    /// Returns false to reset the stream (header list too large).
    fileprivate func receivedHeader(streamID: Int32, name: String, value: String) -> Bool {
        guard let request = requests[streamID] else { return true }
        request.headerBytes += name.utf8.count + value.utf8.count + 32
        guard request.headerBytes <= limits.maxHeaderListSize else { return false }
        switch name {
        case ":method": request.method = value
        case ":path": request.path = value
        case ":authority": request.headers.append(HeaderField("host", value))
        case ":scheme": break
        default: request.headers.append(HeaderField(name, value))
        }
        return true
    }

    fileprivate func receivedData(streamID: Int32, bytes: UnsafeRawBufferPointer) -> Bool {
        guard let request = requests[streamID] else { return true }
        guard request.body.count + bytes.count <= limits.maxBodySize else { return false }
        request.body.append(contentsOf: bytes)
        return true
    }

    fileprivate func requestEnded(streamID: Int32) {
        guard let request = requests.removeValue(forKey: streamID) else { return }
        if let last = goAwayLastStreamID, streamID > last {
            if let session {
                nghttp2_submit_rst_stream(
                    session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_REFUSED_STREAM.rawValue)
            }
            return
        }
        let response = handler(
            ServerRequest(
                method: request.method, path: request.path, headers: request.headers, body: request.body,
                httpVersion: "2",
                connectionID: id
            ))
        if response.delay > 0 {
            delayed.append((monotonicSeconds() + response.delay, streamID, response))
        } else {
            submit(response, streamID: streamID)
        }
    }

    private func fireDelayedResponses() throws(TransportError) {
        let now = monotonicSeconds()
        if let held = delayedHTTP1, held.due <= now {
            delayedHTTP1 = nil
            finishHTTP1(held.response, keepAlive: held.keepAlive)
            parseHTTP1Requests()
            try flush()
        }
        if !paced.isEmpty, let session {
            for item in paced where item.due <= now { _ = nghttp2_session_resume_data(session, item.streamID) }
            paced.removeAll { $0.due <= now }
        }
        if isHTTP1 { pumpHTTP1Stream(now) }
        let due = delayed.filter { $0.due <= now }
        guard !due.isEmpty else { return }
        delayed.removeAll { $0.due <= now }
        for item in due { submit(item.response, streamID: item.streamID) }
        try flush()
    }

    private func submit(_ response: ServerResponse, streamID: Int32) {
        guard let session else { return }
        if response.dropConnection {
            dropped = true
            return
        }
        if let code = response.resetCode {
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, code)
            return
        }
        var fields = [(":status", String(response.status))] + response.headers.map { ($0.name, $0.value) }
        if response.trailersOnly {
            fields += response.trailers.map { ($0.name, $0.value) }
            _ = withHeaderFields(fields) { nva, count in nghttp2_submit_response(session, streamID, nva, count, nil) }
        } else {
            let state = ResponseState(body: response.body, trailers: response.trailers, source: response.bodySource)
            responses[streamID] = state
            _ = withHeaderFields(fields) { nva, count -> Int32 in
                var provider = nghttp2_data_provider()
                provider.source.ptr = Unmanaged.passUnretained(state).toOpaque()
                provider.read_callback = readResponseBody
                return nghttp2_submit_response(session, streamID, nva, count, &provider)
            }
        }
        if response.goAwayAfter {
            let last = nghttp2_session_get_last_proc_stream_id(session)
            goAwayLastStreamID = min(goAwayLastStreamID ?? last, last)
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        }
    }

    /// The next DATA for a response: nghttp2 asks only while the stream's and the connection's
    /// windows have room, at most `length` bytes. Returns the byte count (or
    /// NGHTTP2_ERR_DEFERRED while a streamed body's source has nothing yet) and the flags.
    fileprivate func responseBody(
        streamID: Int32, state: ResponseState, into buffer: UnsafeMutablePointer<UInt8>, length: Int
    ) -> (Int, UInt32) {
        if let source = state.source {
            if state.offset == state.body.count && state.endTrailers == nil {
                switch source.pull(length) {
                case .bytes(let bytes) where !bytes.isEmpty:
                    state.body = bytes
                    state.offset = 0
                case .bytes:
                    pace(streamID, after: 0)
                    return (Int(NGHTTP2_ERR_DEFERRED.rawValue), 0)
                case .wait(let seconds):
                    pace(streamID, after: seconds)
                    return (Int(NGHTTP2_ERR_DEFERRED.rawValue), 0)
                case .end(let trailers):
                    state.endTrailers = trailers
                }
            }
        }
        let count = min(length, state.body.count - state.offset)
        if count > 0 {
            state.body.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + state.offset, byteCount: count)
            }
            state.offset += count
        }
        // More of a streamed body may follow: nghttp2 asks again while the window has room.
        guard state.offset == state.body.count, state.source == nil || state.endTrailers != nil else {
            return (count, 0)
        }
        let trailers = state.endTrailers ?? state.trailers
        state.sentEnd = true
        var flags = NGHTTP2_DATA_FLAG_EOF.rawValue
        if !trailers.isEmpty, let session {
            flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            _ = withHeaderFields(trailers.map { ($0.name, $0.value) }) { nva, fieldCount in
                nghttp2_submit_trailer(session, streamID, nva, fieldCount)
            }
        }
        return (count, flags)
    }

    /// Asks nghttp2 for the stream's DATA again after `seconds` (at least 1 ms, so a source
    /// that always waits cannot spin the loop).
    private func pace(_ streamID: Int32, after seconds: Double) {
        let delay = seconds.isNaN ? 0.001 : min(max(seconds, 0.001), 86_400)
        paced.append((monotonicSeconds() + delay, streamID))
    }

    fileprivate func streamClosed(streamID: Int32, errorCode: UInt32) {
        requests[streamID] = nil
        if let state = responses.removeValue(forKey: streamID), let source = state.source {
            // A source is pulled no more once its stream is gone: reset by the client (CANCEL
            // after a deadline or a loop left early), or ended.
            paced.removeAll { $0.streamID == streamID }
            let ending: ServerBodySource.Ending =
                errorCode == NGHTTP2_NO_ERROR.rawValue && state.sentEnd
                ? .completed : .reset(errorCode: errorCode)
            source.onEnd?(ending)
        }
    }

    // MARK: HTTP/1.1

    /// Plaintext and TLS without ALPN h2: the HTTP/2 preface, or else HTTP/1.1.
    private func detectOrParseHTTP1() throws(TransportError) {
        if input.count < ServerConnection.preface.count && Array(ServerConnection.preface.prefix(input.count)) == input
        {
            return  // could still be the HTTP/2 preface: wait for more
        }
        if input.starts(with: ServerConnection.preface) {
            try startHTTP2()
            let pending = input
            input = []
            let consumed = pending.withUnsafeBufferPointer {
                nghttp2_session_mem_recv(session, $0.baseAddress!, $0.count)
            }
            if consumed < 0 { throw nghttp2Error("nghttp2_session_mem_recv", Int32(consumed)) }
            return
        }
        isHTTP1 = true
        parser.append(input)
        input = []
        parseHTTP1Requests()
    }

    /// `HTTP/1.1 100 Continue`, the interim answer to `Expect: 100-continue` (RFC 9110 §15.2.1).
    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Handles the complete requests the parser holds, in order, while nothing is held back.
    private func parseHTTP1Requests() {
        while delayedHTTP1 == nil && http1Stream == nil && !closeAfterFlush && !dropped
            && outputBacklog < Self.maxOutputBacklog
        {
            let event: HTTP1RequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                rejectHTTP1(error)
                return
            }
            switch event {
            case nil:
                return
            case .continueExpected:
                output.append(contentsOf: Self.continueResponse)
            case .request(var request):
                let keepAlive = request.headers["connection"] != "close"
                request.connectionID = id
                let response = handler(request)
                if response.dropConnection {
                    dropped = true
                    return
                }
                if response.delay > 0 {
                    delayedHTTP1 = (monotonicSeconds() + response.delay, response, keepAlive)
                    return
                }
                finishHTTP1(response, keepAlive: keepAlive)
            }
        }
    }

    private func finishHTTP1(_ response: ServerResponse, keepAlive: Bool) {
        if let source = response.bodySource {
            writeHTTP1(response, keepAlive: keepAlive, chunked: true)
            http1Stream = (source, keepAlive, nil)
            pumpHTTP1Stream(monotonicSeconds())
            return
        }
        writeHTTP1(response, keepAlive: keepAlive)
        if !keepAlive { closeAfterFlush = true }
    }

    /// Output beyond which a chunked body's source is not pulled: a client that does not read
    /// holds the source back.
    private static let http1StreamBacklog = 64 << 10

    /// Pulls the streamed HTTP/1.1 body while little waits unwritten, as chunks (RFC 9112
    /// §7.1); at its end the last chunk (trailers are not sent: HTTP/1.1 clients rarely ask
    /// for them), then the requests that waited behind it.
    private func pumpHTTP1Stream(_ now: Double) {
        while let stream = http1Stream, outputBacklog < Self.http1StreamBacklog {
            if let due = stream.due {
                guard due <= now else { return }
                http1Stream?.due = nil
            }
            switch stream.source.pull(Self.http1StreamBacklog - outputBacklog) {
            case .bytes(let bytes) where !bytes.isEmpty:
                output.append(contentsOf: String(bytes.count, radix: 16).utf8)
                output.append(contentsOf: Self.crlf)
                output.append(contentsOf: bytes)
                output.append(contentsOf: Self.crlf)
            case .bytes:
                http1Stream?.due = now + 0.001
            case .wait(let seconds):
                http1Stream?.due = now + (seconds.isNaN ? 0.001 : min(max(seconds, 0.001), 86_400))
            case .end:
                output.append(contentsOf: Array("0\r\n\r\n".utf8))
                http1Stream = nil
                if !stream.keepAlive { closeAfterFlush = true }
                stream.source.onEnd?(.completed)
                parseHTTP1Requests()
            }
        }
    }

    private static let crlf: [UInt8] = [13, 10]

    /// A refused request: its status, and the connection closed once it is written.
    private func rejectHTTP1(_ refusal: HTTP1RequestParser.Refusal) {
        writeHTTP1(ServerResponse(status: refusal.status, body: Array(refusal.reason.utf8)), keepAlive: false)
        closeAfterFlush = true
    }

    private func writeHTTP1(_ response: ServerResponse, keepAlive: Bool, chunked: Bool = false) {
        var head = "HTTP/1.1 \(response.status) \(ServerConnection.reason(response.status))\r\n"
        for header in response.headers where header.name != "content-length" && header.name != "transfer-encoding" {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += chunked ? "transfer-encoding: chunked\r\n" : "content-length: \(response.body.count)\r\n"
        if !keepAlive { head += "connection: close\r\n" }
        head += "\r\n"
        output.append(contentsOf: head.utf8)
        output.append(contentsOf: response.body)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}

private final class RequestState {
    var method = ""
    var path = ""
    var headers: [HeaderField] = []
    var body: [UInt8] = []
    var headerBytes = 0
}

final class ResponseState {
    /// The whole body, or the chunk of a streamed one being sent.
    var body: [UInt8]
    let trailers: [HeaderField]
    var offset = 0
    let source: ServerBodySource?
    /// The trailers a streamed body's source ended with, once it did.
    var endTrailers: [HeaderField]?
    /// The last DATA (END_STREAM, or the trailers) went to nghttp2.
    var sentEnd = false

    init(body: [UInt8], trailers: [HeaderField], source: ServerBodySource? = nil) {
        self.body = body
        self.trailers = trailers
        self.source = source
    }
}

// MARK: C callbacks: trampolines; nothing throws across C.

private func server(_ userData: UnsafeMutableRawPointer?) -> ServerConnection {
    Unmanaged<ServerConnection>.fromOpaque(userData!).takeUnretainedValue()
}

private let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, userData in
    guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
        frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
    else { return 0 }
    server(userData).beginRequest(streamID: frame.pointee.hd.stream_id)
    return 0
}

private let onServerHeader: nghttp2_on_header_callback = {
    _, frame, name, nameLength, value, valueLength, _, userData in
    guard let frame, let name, let value else { return 0 }
    let accepted = server(userData).receivedHeader(
        streamID: frame.pointee.hd.stream_id,
        name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
        value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
    )
    return accepted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
}

private let onServerData: nghttp2_on_data_chunk_recv_callback = { session, _, streamID, data, length, userData in
    guard let data else { return 0 }
    if !server(userData).receivedData(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length)) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_REFUSED_STREAM.rawValue)
    }
    return 0
}

private let onServerFrame: nghttp2_on_frame_recv_callback = { _, frame, userData in
    guard let frame else { return 0 }
    server(userData).receivedFrame()
    let type = frame.pointee.hd.type
    let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
    if endStream && (type == UInt8(NGHTTP2_HEADERS.rawValue) || type == UInt8(NGHTTP2_DATA.rawValue)) {
        server(userData).requestEnded(streamID: frame.pointee.hd.stream_id)
    }
    return 0
}

private let onServerStreamClose: nghttp2_on_stream_close_callback = { _, streamID, errorCode, userData in
    server(userData).streamClosed(streamID: streamID, errorCode: errorCode)
    return 0
}

private let readResponseBody: nghttp2_data_source_read_callback = {
    _, streamID, buffer, length, flags, source, userData in
    guard let buffer, let flags, let pointer = source?.pointee.ptr else {
        return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
    }
    let state = Unmanaged<ResponseState>.fromOpaque(pointer).takeUnretainedValue()
    let (count, dataFlags) = server(userData).responseBody(
        streamID: streamID, state: state, into: buffer, length: length)
    flags.pointee |= dataFlags
    return count
}
