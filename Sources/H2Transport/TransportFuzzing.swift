/// Entry points for the fuzzers of `make fuzz` (Sources/FuzzTargets); not part of the API.
@_spi(Fuzzing) public enum TransportFuzzing {
    /// The gRPC client's reading of a complete response: status, Trailers-Only, grpc-status and
    /// grpc-message, content-type, the length-prefixed message.
    public static func interpretGRPC(_ response: HTTP2Response) -> Result<[UInt8], GRPCError> {
        GRPCChannel.interpret(response).map(\.message)
    }

    /// The HTTP/1.1 client's reading of `bytes` arriving in pieces of `pieceSize`, then the end
    /// of the connection.
    public static func parseHTTP1Response(_ bytes: [UInt8], pieceSize: Int, maxBodySize: Int = 1 << 20) -> Result<
        HTTP2Response, TransportError
    > {
        var parser = HTTP1ResponseParser(maxBodySize: maxBodySize)
        var offset = 0
        do throws(TransportError) {
            while offset < bytes.count {
                let end = min(bytes.count, offset + max(1, pieceSize))
                bytes[offset..<end].withUnsafeBytes { parser.append($0) }
                offset = end
                if let (response, _) = try parser.parse() { return .success(response) }
            }
            return .success(try parser.endOfInput())
        } catch {
            return .failure(error)
        }
    }

    /// What the server's HTTP/1.1 request reader made of a connection's bytes.
    public enum RequestEvent: Equatable, Sendable {
        /// A head asking `Expect: 100-continue` whose body had not begun.
        case continueExpected
        /// A complete request, as the handler would get it.
        case request(method: String, path: String, version: String, headers: [HeaderField], body: [UInt8])
        /// A refusal: the status and reason the connection would be closed with.
        case refused(status: Int, reason: String)
    }

    /// The server's reading of `bytes` arriving in pieces that end at each of `cuts` (offsets,
    /// ascending) and at the end, asking for every event after each piece, as the server does.
    /// After a refusal the rest of the pieces and then `afterRefusal` are still offered, and
    /// whatever the parser makes of them is recorded too: it should be nothing.
    public static func parseHTTP1Requests(
        _ bytes: [UInt8], cuts: [Int], maxHeadSize: Int, maxBodySize: Int, afterRefusal: [UInt8] = []
    ) -> [RequestEvent] {
        var parser = HTTP1RequestParser(maxHeadSize: maxHeadSize, maxBodySize: maxBodySize)
        var events: [RequestEvent] = []
        func drain() {
            while true {
                do {
                    switch try parser.next() {
                    case nil:
                        return
                    case .continueExpected:
                        events.append(.continueExpected)
                    case .request(let request):
                        events.append(
                            .request(
                                method: request.method, path: request.path, version: request.httpVersion,
                                headers: request.headers, body: request.body
                            ))
                    }
                } catch {
                    // As the server: answer the refusal, stop asking until more bytes arrive.
                    events.append(.refused(status: error.status, reason: error.reason))
                    return
                }
            }
        }
        var start = 0
        for end in cuts.map({ min(max($0, 0), bytes.count) }) + [bytes.count] where end >= start {
            parser.append(bytes[start..<end])
            start = end
            drain()
        }
        if events.contains(where: { if case .refused = $0 { true } else { false } }) {
            parser.append(afterRefusal)
            drain()
        }
        return events
    }

    /// A response as the client sees it.
    public static func response(
        status: Int, headers: [HeaderField], body: [UInt8], trailers: [HeaderField], headersOnly: Bool
    ) -> HTTP2Response {
        HTTP2Response(status: status, headers: headers, body: body, trailers: trailers, headersOnly: headersOnly)
    }
}
