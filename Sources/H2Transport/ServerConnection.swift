internal import CNGHTTP2
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection of an `HTTPServer`, on its own I/O thread: HTTP/2 through an
/// nghttp2 server session, or HTTP/1.1 keep-alive parsed here.
final class ServerConnection: @unchecked Sendable {
    private let socket: TCPSocket
    private let tls: ServerTLSContext?
    private let limits: ServerLimits
    private let handler: HTTPServer.Handler
    private let onFinish: @Sendable (ServerConnection) -> Void
    private let closing = Atomic<Bool>(false)

    // I/O thread only.
    private var channel: ByteChannel?
    private var session: OpaquePointer?
    private var isHTTP2 = false
    private var input: [UInt8] = []
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
    /// An HTTP/1.1 response held back by `ServerResponse.delay`; later requests on the
    /// connection wait behind it, as HTTP/1.1 answers in order.
    private var delayedHTTP1: (due: Double, response: ServerResponse, keepAlive: Bool)?
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    init(
        socket: TCPSocket, tls: ServerTLSContext?, limits: ServerLimits, handler: @escaping HTTPServer.Handler,
        onFinish: @escaping @Sendable (ServerConnection) -> Void
    ) {
        self.socket = socket
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

    /// Asks the I/O thread to close the connection; it notices within its poll interval.
    func close() {
        closing.store(true, ordering: .relaxed)
    }

    // MARK: The loop

    private func run() {
        do {
            try open()
            while !finished && !closing.load(ordering: .relaxed) {
                try flush()
                if finished { break }
                waitForEvents()
                try readInput()
                try fireDelayedResponses()
            }
        } catch {
            // The peer misbehaved or went away: nothing to report to anyone.
        }
        if let session { nghttp2_session_del(session) }
        session = nil
        channel = nil
    }

    private func open() throws(TransportError) {
        if let tls {
            let channel = try TLSChannel(acceptedSocket: socket, context: tls)
            try channel.handshake(timeout: 10)
            self.channel = channel
            if channel.negotiatedProtocol == "h2" { try startHTTP2() }
        } else {
            channel = PlainChannel(socket)
        }
    }

    private func waitForEvents() {
        guard let channel, !channel.hasBufferedInput else { return }
        var events = Int16(POLLIN)
        if outputOffset < output.count { events |= Int16(POLLOUT) }
        var descriptor = pollfd(fd: channel.fd, events: events, revents: 0)
        var timeout: Int32 = 200  // also how often `close()` is noticed
        if let due = (delayed.map(\.due) + [delayedHTTP1?.due].compactMap { $0 }).min() {
            timeout = min(timeout, Int32(max(0, (due - monotonicSeconds()) * 1000)))
        }
        _ = poll(&descriptor, 1, timeout)
    }

    private func readInput() throws(TransportError) {
        guard let channel else { return }
        while !finished {
            switch try channel.read(into: readBuffer) {
            case .done(let count):
                let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[..<count])
                if let session {
                    let consumed = nghttp2_session_mem_recv(session, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                    if consumed < 0 { throw nghttp2Error("nghttp2_session_mem_recv", Int32(consumed)) }
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
            case .done(let count): outputOffset += count
            case .wouldBlock: return
            case .closed:
                finished = true
                return
            }
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
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limits.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 4 << 20),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: UInt32(limits.maxHeaderListSize)),
        ]
        _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 16 << 20)
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
                nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_REFUSED_STREAM.rawValue)
            }
            return
        }
        let response = handler(ServerRequest(
            method: request.method, path: request.path, headers: request.headers, body: request.body, httpVersion: "2"
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
            if !closeAfterFlush { try detectOrParseHTTP1() }
            try flush()
        }
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
            let state = ResponseState(body: response.body, trailers: response.trailers)
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

    fileprivate func responseBody(streamID: Int32, state: ResponseState, into buffer: UnsafeMutablePointer<UInt8>, length: Int) -> (Int, UInt32) {
        let count = min(length, state.body.count - state.offset)
        if count > 0 {
            state.body.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + state.offset, byteCount: count)
            }
            state.offset += count
        }
        guard state.offset == state.body.count else { return (count, 0) }
        var flags = NGHTTP2_DATA_FLAG_EOF.rawValue
        if !state.trailers.isEmpty, let session {
            flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            _ = withHeaderFields(state.trailers.map { ($0.name, $0.value) }) { nva, fieldCount in
                nghttp2_submit_trailer(session, streamID, nva, fieldCount)
            }
        }
        return (count, flags)
    }

    fileprivate func streamClosed(streamID: Int32) {
        requests[streamID] = nil
        responses[streamID] = nil
    }

    // MARK: HTTP/1.1

    private func detectOrParseHTTP1() throws(TransportError) {
        if !isHTTP2 && input.count < ServerConnection.preface.count
            && Array(ServerConnection.preface.prefix(input.count)) == input {
            return  // could still be the HTTP/2 preface: wait for more
        }
        if !isHTTP2 && input.starts(with: ServerConnection.preface) {
            try startHTTP2()
            let pending = input
            input = []
            let consumed = pending.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress!, $0.count) }
            if consumed < 0 { throw nghttp2Error("nghttp2_session_mem_recv", Int32(consumed)) }
            return
        }
        while delayedHTTP1 == nil, let request = try parseHTTP1Request() {
            let keepAlive = request.headers["connection"] != "close"
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
            if !keepAlive { return }
        }
    }

    private func finishHTTP1(_ response: ServerResponse, keepAlive: Bool) {
        writeHTTP1(response, keepAlive: keepAlive)
        if !keepAlive { closeAfterFlush = true }
    }

    /// One complete request from `input`, or nil when more bytes are needed.
    private func parseHTTP1Request() throws(TransportError) -> ServerRequest? {
        guard let headerEnd = input.firstRange(of: [13, 10, 13, 10]) else {
            if input.count > limits.maxHeaderListSize { rejectHTTP1(431, "Request Header Fields Too Large") }
            return nil
        }
        guard headerEnd.lowerBound <= limits.maxHeaderListSize else {
            rejectHTTP1(431, "Request Header Fields Too Large")
            return nil
        }
        let head = String(decoding: input[..<headerEnd.lowerBound], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            rejectHTTP1(400, "Bad Request")
            return nil
        }
        var headers: [HeaderField] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                rejectHTTP1(400, "Bad Request")
                return nil
            }
            headers.append(HeaderField(line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        if headers["transfer-encoding"] != nil {
            rejectHTTP1(411, "Length Required")
            return nil
        }
        let length = Int(headers["content-length"] ?? "0") ?? -1
        guard length >= 0, length <= limits.maxBodySize else {
            rejectHTTP1(length < 0 ? 400 : 413, length < 0 ? "Bad Request" : "Payload Too Large")
            return nil
        }
        let bodyStart = headerEnd.upperBound
        guard input.count - bodyStart >= length else { return nil }
        let body = Array(input[bodyStart..<bodyStart + length])
        input.removeFirst(bodyStart + length)
        let version = String(requestLine[2].dropFirst(5))
        let connection = headers["connection"]?.lowercased()
        let keepAlive = version == "1.1" ? connection != "close" : connection == "keep-alive"
        // Normalised, so the caller reads one header to know whether to keep the connection.
        headers.removeAll { $0.name == "connection" }
        if !keepAlive { headers.append(HeaderField("connection", "close")) }
        return ServerRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body, httpVersion: version)
    }

    private func rejectHTTP1(_ status: Int, _ reason: String) {
        writeHTTP1(ServerResponse(status: status, body: Array(reason.utf8)), keepAlive: false)
        input.removeAll()
        closeAfterFlush = true
    }

    private func writeHTTP1(_ response: ServerResponse, keepAlive: Bool) {
        var head = "HTTP/1.1 \(response.status) \(ServerConnection.reason(response.status))\r\n"
        for header in response.headers where header.name != "content-length" {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "content-length: \(response.body.count)\r\n"
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
        case 411: "Length Required"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
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
    let body: [UInt8]
    let trailers: [HeaderField]
    var offset = 0

    init(body: [UInt8], trailers: [HeaderField]) {
        self.body = body
        self.trailers = trailers
    }
}

// MARK: C callbacks: trampolines; nothing throws across C.

private func server(_ userData: UnsafeMutableRawPointer?) -> ServerConnection {
    Unmanaged<ServerConnection>.fromOpaque(userData!).takeUnretainedValue()
}

private let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, userData in
    guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
          frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }
    server(userData).beginRequest(streamID: frame.pointee.hd.stream_id)
    return 0
}

private let onServerHeader: nghttp2_on_header_callback = { _, frame, name, nameLength, value, valueLength, _, userData in
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
    let type = frame.pointee.hd.type
    let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
    if endStream && (type == UInt8(NGHTTP2_HEADERS.rawValue) || type == UInt8(NGHTTP2_DATA.rawValue)) {
        server(userData).requestEnded(streamID: frame.pointee.hd.stream_id)
    }
    return 0
}

private let onServerStreamClose: nghttp2_on_stream_close_callback = { _, streamID, _, userData in
    server(userData).streamClosed(streamID: streamID)
    return 0
}

private let readResponseBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, source, userData in
    guard let buffer, let flags, let pointer = source?.pointee.ptr else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    let state = Unmanaged<ResponseState>.fromOpaque(pointer).takeUnretainedValue()
    let (count, dataFlags) = server(userData).responseBody(streamID: streamID, state: state, into: buffer, length: length)
    flags.pointee |= dataFlags
    return count
}
