/// HTTP/1.1 requests as bytes (RFC 9112).
enum HTTP1Message {
    /// Fields the client writes itself or that are hop-by-hop: never copied from the caller.
    private static let setByTheClient: Set<String> = [
        "host", "content-length", "connection", "transfer-encoding", "te",
    ]

    /// The request line, `Host`, `User-Agent`, the request's headers, `Content-Length` and the
    /// body. Pseudo-header fields and hop-by-hop fields of the caller are not copied.
    static func request(_ request: HTTP2Request, authority: String, userAgent: String) -> [UInt8] {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nhost: \(authority)\r\n"
        var hasUserAgent = false
        for field in request.headers {
            let name = field.name.lowercased()
            if name.hasPrefix(":") || HTTP1Message.setByTheClient.contains(name) {
                continue
            }
            if name == "user-agent" { hasUserAgent = true }
            // A CR or LF in a value would split the message: drop them (header injection).
            var value = field.value
            if value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                value = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
            }
            head += "\(name): \(value)\r\n"
        }
        if !hasUserAgent { head += "user-agent: \(userAgent)\r\n" }
        if !request.body.isEmpty || !["GET", "HEAD"].contains(request.method) {
            head += "content-length: \(request.body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        bytes.append(contentsOf: request.body)
        return bytes
    }
}

/// Reads one HTTP/1.1 response from bytes as they arrive: status line, header fields, then a
/// body delimited by `Content-Length`, chunked transfer coding, or the end of the connection.
/// Strict and bounded: a malformed or oversized answer is an error, never a guess.
struct HTTP1ResponseParser {
    let isHeadRequest: Bool
    let maxBodySize: Int
    let maxHeadSize: Int

    private enum Body {
        case length(Int)
        case chunkSize
        case chunkData(Int)
        case chunkEnd
        case trailers
        case untilClose
    }

    private enum Phase {
        case head
        case body(Body)
        case done
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var phase = Phase.head
    private var status = 0
    private var headers: [HeaderField] = []
    private var body: [UInt8] = []
    /// The trailers of a chunked body (empty until it is complete).
    private(set) var trailers: [HeaderField] = []
    private var closeAfter = false
    /// Where the search for the end of the head resumes: bytes arriving a few at a time are
    /// scanned once, not once per arrival.
    private var headScanStart = 0

    init(isHeadRequest: Bool = false, maxBodySize: Int, maxHeadSize: Int = 64 << 10) {
        self.isHeadRequest = isHeadRequest
        self.maxBodySize = maxBodySize
        self.maxHeadSize = maxHeadSize
    }

    /// Bytes received so far, counted as they are appended.
    private(set) var receivedCount = 0

    /// The body lasts until the server closes the connection.
    var readsUntilClose: Bool {
        if case .body(.untilClose) = phase { return true }
        return false
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
            headScanStart = 0
        }
        buffer.append(contentsOf: bytes)
        receivedCount += bytes.count
    }

    /// The response once complete, with whether the connection may carry another request;
    /// nil while more bytes are needed.
    mutating func parse() throws(TransportError) -> (response: HTTP2Response, keepAlive: Bool)? {
        try advance() ? finished() : nil
    }

    /// Parses what has arrived; true once the response is complete.
    private mutating func advance() throws(TransportError) -> Bool {
        while true {
            switch phase {
            case .done:
                return true
            case .head:
                guard try parseHead() else { return false }
            case .body(let state):
                guard try parseBody(state) else { return false }
            }
        }
    }

    // MARK: Streaming

    /// The response's status and headers once its head has arrived, nil before. Parses what has
    /// arrived up to the end of the head, no further: the body is then read as it comes.
    mutating func parseStreamHead() throws(TransportError) -> (status: Int, headers: [HeaderField])? {
        while case .head = phase {
            guard try parseHead() else { return nil }
        }
        return (status, headers)
    }

    /// The body bytes parsed so far and not yet taken (they leave the parser), and whether the
    /// response is complete; with `isComplete`, `keepAlive` and `trailers` are final.
    mutating func takeBody() throws(TransportError) -> (bytes: [UInt8], isComplete: Bool) {
        let isComplete = try advance()
        var taken: [UInt8] = []
        swap(&taken, &body)
        return (taken, isComplete)
    }

    /// Whether the connection may carry another request, once the response is complete.
    var keepsAlive: Bool { !closeAfter && position == buffer.count }

    /// The server closed the connection: the end of an until-close body, or an error.
    mutating func endOfInput() throws(TransportError) -> HTTP2Response {
        try closeInput()
        return finished().response
    }

    /// The server closed the connection: it completes an until-close body (also one being
    /// streamed, whose bytes `takeBody` then gives), and is an error anywhere else.
    mutating func closeInput() throws(TransportError) {
        guard readsUntilClose else {
            throw TransportError(
                .connectionClosed, "the server closed the connection before the response was complete",
                isRetryable: receivedCount == 0
            )
        }
        closeAfter = true
        phase = .done
    }

    private func finished() -> (response: HTTP2Response, keepAlive: Bool) {
        // Bytes after the response (we never pipeline) leave the connection in doubt.
        (
            HTTP2Response(status: status, headers: headers, body: body, trailers: trailers, headersOnly: false),
            keepsAlive
        )
    }

    // MARK: Head

    private mutating func parseHead() throws(TransportError) -> Bool {
        let end = lineBlockEnd(from: max(position, headScanStart))
        headScanStart = end == nil ? max(position, buffer.count - 3) : 0
        if (end ?? buffer.count) - position > maxHeadSize {
            throw TransportError(.responseTooLarge, "response head larger than \(maxHeadSize) bytes")
        }
        guard let end else { return false }
        let lines = buffer[position..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        position = end + 4
        guard let statusLine = lines.first else { throw malformed("empty status line") }
        let (code, minorVersion) = try HTTP1ResponseParser.statusLine(statusLine)
        var fields: [HeaderField] = []
        for line in lines.dropFirst() where !line.isEmpty {
            fields.append(try HTTP1ResponseParser.field(line))
        }
        if (100..<200).contains(code) {
            // Interim response (100 Continue, 103 Early Hints): the real one follows.
            return true
        }
        status = code
        headers = fields
        let connection = fields["connection"]?.lowercased() ?? ""
        closeAfter = minorVersion == 0 ? !connection.contains("keep-alive") : connection.contains("close")
        if isHeadRequest || code == 204 || code == 304 {
            phase = .done
            return true
        }
        if let coding = fields["transfer-encoding"] {
            guard coding.lowercased().split(separator: ",").last?.trimmingSpaces == "chunked" else {
                throw malformed("unsupported transfer-encoding '\(coding.prefix(40))'")
            }
            phase = .body(.chunkSize)
            return true
        }
        let lengths = fields.filter { $0.name == "content-length" }.map(\.value)
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), let length = Int(first.trimmingSpaces), length >= 0 else {
                throw malformed("invalid content-length '\(first.prefix(40))'")
            }
            try checkSize(length)
            // A streamed body is taken as it arrives: reserve for it a chunk at most.
            body.reserveCapacity(min(length, 1 << 20))
            phase = length == 0 ? .done : .body(.length(length))
            return true
        }
        closeAfter = true
        phase = .body(.untilClose)
        return true
    }

    private static func statusLine(_ line: ArraySlice<UInt8>) throws(TransportError) -> (Int, minorVersion: Int) {
        // "HTTP/1.1 200 OK": version, one space, three digits, then an optional reason.
        let bytes = Array(line)
        let prefix = Array("HTTP/1.".utf8)
        guard bytes.count >= 12, bytes.starts(with: prefix), (UInt8(ascii: "0")...UInt8(ascii: "1")).contains(bytes[7]),
            bytes[8] == UInt8(ascii: " "),
            bytes[9...11].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            bytes.count == 12 || bytes[12] == UInt8(ascii: " ")
        else {
            throw TransportError(
                .protocolError, "malformed HTTP/1.1 status line '\(String(decoding: bytes.prefix(40), as: UTF8.self))'")
        }
        let code = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (code, Int(bytes[7] - UInt8(ascii: "0")))
    }

    private static func field(_ line: ArraySlice<UInt8>) throws(TransportError) -> HeaderField {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line.first != UInt8(ascii: " "), line.first != UInt8(ascii: "\t"),
            !line[..<colon].contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        else {
            throw TransportError(
                .protocolError, "malformed HTTP/1.1 header line '\(String(decoding: line.prefix(40), as: UTF8.self))'")
        }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
        return HeaderField(name, value)
    }

    // MARK: Body

    private mutating func parseBody(_ state: Body) throws(TransportError) -> Bool {
        switch state {
        case .length(let remaining):
            let take = min(remaining, buffer.count - position)
            body.append(contentsOf: buffer[position..<(position + take)])
            position += take
            if take == remaining {
                phase = .done
                return true
            }
            phase = .body(.length(remaining - take))
            return false
        case .untilClose:
            try checkSize(body.count + buffer.count - position)
            body.append(contentsOf: buffer[position...])
            position = buffer.count
            return false
        case .chunkSize:
            guard let line = takeLine() else { return try pendingLine("chunk size") }
            let digits = line.prefix { $0 != UInt8(ascii: ";") }.filter {
                $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t")
            }
            guard !digits.isEmpty, digits.count <= 15,
                let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
            else {
                throw malformed("invalid chunk size '\(String(decoding: line.prefix(20), as: UTF8.self))'")
            }
            try checkSize(body.count + size)
            phase = .body(size == 0 ? .trailers : .chunkData(size))
            return true
        case .chunkData(let remaining):
            let take = min(remaining, buffer.count - position)
            body.append(contentsOf: buffer[position..<(position + take)])
            position += take
            phase = .body(take == remaining ? .chunkEnd : .chunkData(remaining - take))
            return take == remaining
        case .chunkEnd:
            guard let line = takeLine() else { return try pendingLine("chunk end") }
            guard line.isEmpty else { throw malformed("chunk data longer than its size") }
            phase = .body(.chunkSize)
            return true
        case .trailers:
            guard let line = takeLine() else { return try pendingLine("trailer") }
            if line.isEmpty {
                phase = .done
            } else {
                trailers.append(try HTTP1ResponseParser.field(line[...]))
            }
            return true
        }
    }

    /// The next CRLF-terminated line without its CRLF, consumed; nil when incomplete.
    private mutating func takeLine() -> [UInt8]? {
        guard let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = newline
        if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[position..<end])
        position = newline + 1
        return line
    }

    private func pendingLine(_ what: String) throws(TransportError) -> Bool {
        if buffer.count - position > 8 << 10 { throw malformed("\(what) line longer than 8 KiB") }
        return false
    }

    private func lineBlockEnd(from start: Int) -> Int? {
        guard buffer.count - start >= 4 else { return nil }
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    private func checkSize(_ size: Int) throws(TransportError) {
        if size > maxBodySize {
            throw TransportError(.responseTooLarge, "response body of \(size) bytes, limit \(maxBodySize)")
        }
    }

    private func malformed(_ problem: String) -> TransportError {
        TransportError(.protocolError, "malformed HTTP/1.1 response: \(problem)")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
