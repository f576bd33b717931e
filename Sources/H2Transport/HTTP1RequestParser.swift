/// Reads the HTTP/1.1 requests of one server connection as their bytes arrive (RFC 9112),
/// strictly: whatever a proxy in front of the server could frame differently is refused with a
/// status, never guessed at, so no bytes of one request can be run as another (request
/// smuggling, RFC 9112 §11.2).
///
/// - Lines end with CRLF; a bare CR or LF, a NUL or another control character in the head is
///   400. At most two empty lines before a request line are skipped (RFC 9112 §2.2).
/// - Request line: `method SP target SP HTTP/1.0|HTTP/1.1`, single spaces, a token method
///   and a visible-ASCII target; another HTTP version is 505.
/// - Field lines: a token name directly followed by `:` (whitespace before the colon is 400,
///   RFC 9112 §5.1); a line starting with whitespace (obsolete line folding) is 400 (§5.2).
/// - Body framing (RFC 9112 §6.3): `Transfer-Encoding` whose only coding is `chunked`, or one
///   `Content-Length` of digits only; both at once, `Transfer-Encoding` in HTTP/1.0, more than
///   one `Content-Length` field (even with equal values) or a list value (`42, 42`), a sign or
///   anything but digits: 400. `chunked` not last: 400; another coding before it: 501.
/// - Chunked bodies: hexadecimal sizes (extensions ignored), CRLF after each chunk's data,
///   trailer fields checked and dropped; the decoded size counts against the body limit.
/// - `Expect: 100-continue` on an HTTP/1.1 request with a body not yet begun produces
///   ``Event/continueExpected`` as soon as the head is read (RFC 9110 §10.1.1); any other
///   expectation is 417.
/// - Limits: a head (or trailer section) larger than `maxHeadSize` is 431, a body larger than
///   `maxBodySize` (declared or decoded) 413, before any of it is read.
///
/// After a refusal the parser yields nothing more: the connection is to be closed.
///
/// ```swift
/// var parser = HTTP1RequestParser(maxHeadSize: 64 << 10, maxBodySize: 1 << 20)
/// parser.append(Array("GET / HTTP/1.1\r\nhost: x\r\n\r\n".utf8))
/// if case .request(let request)? = try parser.next() { print(request.path) }  // "/"
/// ```
struct HTTP1RequestParser {
    /// What the bytes so far make.
    enum Event {
        /// A request head asking `Expect: 100-continue` was read and its body has not begun:
        /// write `HTTP/1.1 100 Continue` now, so that the client sends it.
        case continueExpected
        /// A complete request. Its headers have `connection: close` when the connection is not
        /// to be kept (HTTP/1.0 without keep-alive, or `Connection: close`), and no other
        /// `connection` or `transfer-encoding` field.
        case request(ServerRequest)
    }

    /// A request refused: answer `status` (with `reason` as the body) and close the connection,
    /// since what follows cannot be framed.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var status: Int
        var reason: String

        var description: String { "\(status) \(reason)" }
    }

    let maxHeadSize: Int
    let maxBodySize: Int

    /// The longest chunk-size line (size and extensions) taken.
    static let maxChunkLineSize = 4 << 10
    /// Empty lines before a request line that are skipped (RFC 9112 §2.2 asks for at least one).
    static let maxEmptyLinesBeforeRequest = 2

    private enum Phase: Equatable {
        case head
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(size: Int)
        case failed
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var phase = Phase.head
    /// Where the search for the end of the head resumes: a head arriving a byte at a time is
    /// scanned once, not once per byte.
    private var headScanStart = 0
    /// Where the search for the end of a pending chunk-size or trailer line resumes.
    private var lineScanStart = 0
    private var emptyLinesSkipped = 0
    private var current: ServerRequest?
    private var keepAlive = true

    /// Request heads read so far.
    private(set) var headsRead = 0

    init(maxHeadSize: Int, maxBodySize: Int) {
        self.maxHeadSize = maxHeadSize
        self.maxBodySize = maxBodySize
    }

    /// Bytes of a request that is not complete yet are buffered (or part of it was consumed).
    var hasPartialRequest: Bool {
        phase != .head || position < buffer.count || emptyLinesSkipped > 0
    }

    /// A request head has begun and is not complete.
    var isReadingHead: Bool {
        phase == .head && (position < buffer.count || emptyLinesSkipped > 0)
    }

    /// Bytes received and not consumed yet.
    var bufferedCount: Int { buffer.count - position }

    mutating func append(_ bytes: some Collection<UInt8>) {
        guard phase != .failed else { return }
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
            headScanStart = 0
            lineScanStart = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// The next event, or nil when more bytes are needed.
    mutating func next() throws(Refusal) -> Event? {
        do throws(Refusal) {
            while true {
                switch phase {
                case .failed:
                    return nil
                case .head:
                    guard try parseHead() else { return nil }
                    if shouldAnswerContinue { return .continueExpected }
                case .length(let remaining):
                    let left = takeBody(remaining)
                    guard left == 0 else {
                        phase = .length(remaining: left)
                        return nil
                    }
                    return .request(finishRequest())
                case .chunkSize:
                    guard let line = try takeLine(limit: Self.maxChunkLineSize, what: "chunk size") else { return nil }
                    let size = try chunkSize(line)
                    phase = size == 0 ? .trailers(size: 0) : .chunkData(remaining: size)
                case .chunkData(let remaining):
                    let left = takeBody(remaining)
                    guard left == 0 else {
                        phase = .chunkData(remaining: left)
                        return nil
                    }
                    phase = .chunkDataEnd
                case .chunkDataEnd:
                    // Exactly CRLF after the chunk's data (RFC 9112 §7.1).
                    let available = buffer.count - position
                    if (available >= 1 && buffer[position] != Self.cr)
                        || (available >= 2 && buffer[position + 1] != Self.lf)
                    {
                        throw Refusal.bad("chunk data longer than its size")
                    }
                    guard available >= 2 else { return nil }
                    position += 2
                    phase = .chunkSize
                case .trailers(let size):
                    // Trailer fields are checked and dropped (RFC 9112 §7.1.2): the handler
                    // has no use for them.
                    let headTooLarge = Refusal(status: 431, reason: "Request Header Fields Too Large")
                    let line = try takeLine(limit: maxHeadSize - size, what: "trailer section", tooLong: headTooLarge)
                    guard let line else { return nil }
                    if line.isEmpty { return .request(finishRequest()) }
                    let total = size + line.count + 2
                    guard total <= maxHeadSize else { throw headTooLarge }
                    _ = try Self.field(line)
                    phase = .trailers(size: total)
                }
            }
        } catch {
            phase = .failed
            current = nil
            buffer = []
            position = 0
            throw error
        }
    }

    // MARK: Head

    private var shouldAnswerContinue = false

    /// Reads a complete head into `current` and sets the body phase; false when incomplete.
    private mutating func parseHead() throws(Refusal) -> Bool {
        shouldAnswerContinue = false
        while emptyLinesSkipped < Self.maxEmptyLinesBeforeRequest, buffer.count - position >= 2,
            buffer[position] == Self.cr, buffer[position + 1] == Self.lf
        {
            position += 2
            emptyLinesSkipped += 1
        }
        let end = headEnd(from: max(position, headScanStart))
        // Until the blank line arrives, up to 3 buffered bytes may be its beginning (CR LF CR),
        // not the head's: the head is known too large only once the blank line could no longer
        // start within the limit, so a head of exactly the limit is taken however it is split.
        if end.map({ $0 - position > maxHeadSize }) ?? (buffer.count - position > maxHeadSize + 3) {
            throw Refusal(status: 431, reason: "Request Header Fields Too Large")
        }
        guard let end else {
            headScanStart = max(position, buffer.count - 3)
            return false
        }
        let head = buffer[position..<end]
        position = end + 4
        headScanStart = position
        headsRead += 1
        try Self.checkLineEndings(head)
        let lines = head.split(separator: Self.lf, omittingEmptySubsequences: false)
            .map { $0.last == Self.cr ? $0.dropLast() : $0 }
        let (method, target, version) = try Self.requestLine(lines[0])
        var headers: [HeaderField] = []
        for line in lines.dropFirst() {
            headers.append(try Self.field(line))
        }
        var request = ServerRequest(method: method, path: target, headers: headers, httpVersion: version)

        let connection = Self.tokens(headers, "connection")
        keepAlive = version == "1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        // Normalised, so the caller reads one header to know whether to keep the connection.
        request.headers.removeAll { $0.name == "connection" }
        if !keepAlive { request.headers.append(HeaderField("connection", "close")) }

        let expectations = Self.tokens(headers, "expect")
        if !expectations.isEmpty, expectations != ["100-continue"] {
            throw Refusal(status: 417, reason: "Expectation Failed")
        }
        let lengths = headers.filter { $0.name == "content-length" }
        let codings = Self.tokens(headers, "transfer-encoding", keepingEmpty: true)
        var hasBody = true
        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            guard lengths.isEmpty else { throw Refusal.bad("both Transfer-Encoding and Content-Length") }
            // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; its framing is faulty.
            guard version == "1.1" else { throw Refusal.bad("Transfer-Encoding in an HTTP/1.0 request") }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else {
                throw Refusal.bad("chunked is not the final transfer coding")
            }
            guard codings.count == 1 else {
                throw Refusal(status: 501, reason: "Not Implemented: transfer coding \(codings[0].prefix(40))")
            }
            request.headers.removeAll { $0.name == "transfer-encoding" }
            phase = .chunkSize
        } else if let field = lengths.first {
            guard lengths.count == 1 else { throw Refusal.bad("more than one Content-Length") }
            let length = try contentLength(field.value)
            hasBody = length > 0
            phase = .length(remaining: length)
        } else {
            hasBody = false
        }
        current = request
        // RFC 9110 §10.1.1: an HTTP/1.0 client's expectation is ignored; a client that began
        // sending the body has stopped waiting.
        shouldAnswerContinue =
            hasBody && version == "1.1" && expectations == ["100-continue"] && position == buffer.count
        if !hasBody {
            // Complete with its head: `next()` finishes it through `.length(remaining: 0)`.
            phase = .length(remaining: 0)
        }
        return true
    }

    private func headEnd(from start: Int) -> Int? {
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == Self.cr, buffer[index + 1] == Self.lf, buffer[index + 2] == Self.cr,
                buffer[index + 3] == Self.lf
            {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Moves up to `remaining` body bytes from the buffer into the request; returns how many
    /// are still to come.
    private mutating func takeBody(_ remaining: Int) -> Int {
        let take = min(remaining, buffer.count - position)
        current?.body.append(contentsOf: buffer[position..<(position + take)])
        position += take
        return remaining - take
    }

    private mutating func finishRequest() -> ServerRequest {
        let request = current ?? ServerRequest(method: "", path: "")
        current = nil
        phase = .head
        emptyLinesSkipped = 0
        if position > 0, position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        headScanStart = position
        lineScanStart = position
        return request
    }

    // MARK: Grammar

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// tchar (RFC 9110 §5.6.2): digits, letters and these.
    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            tokenSymbols.contains(byte)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// CR and LF only as CRLF; no NUL.
    private static func checkLineEndings(_ head: ArraySlice<UInt8>) throws(Refusal) {
        var index = head.startIndex
        while index < head.endIndex {
            switch head[index] {
            case cr:
                guard index + 1 < head.endIndex, head[index + 1] == lf else {
                    throw Refusal.bad("bare CR in the request head")
                }
                index += 2
                continue
            case lf:
                throw Refusal.bad("bare LF in the request head")
            case 0:
                throw Refusal.bad("NUL in the request head")
            default:
                index += 1
            }
        }
    }

    private static func requestLine(_ line: ArraySlice<UInt8>) throws(Refusal) -> (String, String, String) {
        let parts = line.split(separator: space, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
            !parts[1].isEmpty, parts[1].allSatisfy({ (0x21...0x7e).contains($0) })
        else {
            throw Refusal.bad("malformed request line")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        switch version {
        case "HTTP/1.1", "HTTP/1.0":
            break
        default:
            let digits = version.utf8.dropFirst(5)
            if version.hasPrefix("HTTP/"), digits.count == 3, digits.dropFirst().first == UInt8(ascii: "."),
                digits.enumerated().allSatisfy({ $0.offset == 1 || isDigit($0.element) })
            {
                throw Refusal(status: 505, reason: "HTTP Version Not Supported")
            }
            throw Refusal.bad("malformed request line")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        return (method, String(decoding: parts[1], as: UTF8.self), String(version.dropFirst(5)))
    }

    private static func field(_ line: ArraySlice<UInt8>) throws(Refusal) -> HeaderField {
        if line.first == space || line.first == tab { throw Refusal.bad("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw Refusal.bad("header line without a colon")
        }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            // Covers whitespace between the name and the colon (RFC 9112 §5.1: must be 400).
            throw Refusal.bad("malformed header name")
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == space || first == tab { value = value.dropFirst() }
        while let last = value.last, last == space || last == tab { value = value.dropLast() }
        // field-value: visible characters, spaces and tabs, obs-text (RFC 9110 §5.5).
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7f) }) else {
            throw Refusal.bad("control character in a header value")
        }
        return HeaderField(String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self))
    }

    /// The comma-separated elements of every `name` field, trimmed and lowercased; empty
    /// elements dropped unless `keepingEmpty`.
    private static func tokens(_ headers: [HeaderField], _ name: String, keepingEmpty: Bool = false) -> [String] {
        headers.filter { $0.name == name }
            .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingSpaces.lowercased() }
            .filter { keepingEmpty || !$0.isEmpty }
    }

    /// `Content-Length = 1*DIGIT` (RFC 9110 §8.6): no sign, no spaces, no list.
    private func contentLength(_ value: String) throws(Refusal) -> Int {
        guard !value.isEmpty, value.utf8.allSatisfy(Self.isDigit) else {
            throw Refusal.bad("invalid Content-Length")
        }
        var length = 0
        for digit in value.utf8 {
            guard length <= (Int.max - 9) / 10 else { throw Refusal.tooLarge }
            length = length * 10 + Int(digit - UInt8(ascii: "0"))
            if length > maxBodySize { throw Refusal.tooLarge }
        }
        return length
    }

    /// `chunk-size [ chunk-ext ]`: hexadecimal digits, then nothing or `BWS ";" …`.
    private func chunkSize(_ line: ArraySlice<UInt8>) throws(Refusal) -> Int {
        let digits = line.prefix { hexDigitValue($0) != nil }
        let rest = line[digits.endIndex...]
        // Whitespace (BWS) only before an extension's ";".
        let extensionStart = rest.drop { $0 == Self.space || $0 == Self.tab }.first
        guard !digits.isEmpty, rest.isEmpty || extensionStart == UInt8(ascii: ";") else {
            throw Refusal.bad("invalid chunk size")
        }
        let decoded = current?.body.count ?? 0
        var size = 0
        for digit in digits {
            guard size <= (Int.max - 15) / 16 else { throw Refusal.tooLarge }
            size = size * 16 + Int(hexDigitValue(digit) ?? 0)
            if size > maxBodySize - decoded { throw Refusal.tooLarge }
        }
        return size
    }

    /// The next CRLF-terminated line without its CRLF, consumed; nil when incomplete.
    private mutating func takeLine(
        limit: Int, what: String, tooLong: Refusal? = nil
    ) throws(Refusal) -> ArraySlice<UInt8>? {
        let end = min(buffer.count, position + limit + 2)
        // Bytes searched before need not be again: a line sent a byte at a time costs its
        // length, not its length squared.
        let start = min(max(position, lineScanStart), end)
        guard let newline = buffer[start..<end].firstIndex(of: Self.lf) else {
            lineScanStart = end
            if end - position > limit + 1 { throw tooLong ?? Refusal.bad("\(what) line too long") }
            return nil
        }
        guard newline > position, buffer[newline - 1] == Self.cr else { throw Refusal.bad("bare LF in the \(what)") }
        let line = buffer[position..<(newline - 1)]
        guard !line.contains(Self.cr) else { throw Refusal.bad("bare CR in the \(what)") }
        position = newline + 1
        lineScanStart = position
        return line
    }
}

extension HTTP1RequestParser.Refusal {
    static func bad(_ problem: String) -> Self { Self(status: 400, reason: "Bad Request: \(problem)") }
    static let tooLarge = Self(status: 413, reason: "Content Too Large")
}
